package redact

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
)

// LocateOptions tunes Locate. The zero value is ready to use.
type LocateOptions struct {
	// Workers is how many files are read at once (default: the number of
	// CPUs, at most 4).
	Workers int
	// ChunkSize is the read size per file (default 1 MiB). Memory stays
	// near Workers × 3 × ChunkSize whatever the file sizes.
	ChunkSize int
}

// Located lists the values found in one file.
type Located struct {
	Path string `json:"path"`
	// Values holds the indexes (into the values given to Locate) of the
	// values that occur in the file, ascending.
	Values []int `json:"values"`
	// Err is why the file could not be read to its end; Values then holds
	// what was found before.
	Err error `json:"-"`
}

// Locate reports which of values occur in each of paths: raw, or written
// with JSON escapes (\u0067hp_…, \/, \" and \n around or inside it), or
// escaped twice (JSON text inside a JSON string), at any offset, as Apply
// would find them. It streams each file in chunks that overlap by more
// than the longest value can take when fully escaped, so memory is
// bounded and no occurrence is missed at a chunk edge. A file reported
// may turn out to have no place Apply can replace (in rare escape runs
// across a chunk edge); a file with a place Apply would replace is always
// reported.
//
// The result has one entry per path, in order. The error is non-nil only
// for values Apply would refuse (ErrInvalidPlan) or a cancelled ctx.
func Locate(ctx context.Context, paths []string, values []string, opt LocateOptions) ([]Located, error) {
	for i, v := range values {
		if len(v) < MinValueLen || len(v) > MaxValueLen {
			return nil, fmt.Errorf("%w: value %d has %d bytes (want %d to %d)", ErrInvalidPlan, i, len(v), MinValueLen, MaxValueLen)
		}
	}
	out := make([]Located, len(paths))
	for i, p := range paths {
		out[i].Path = p
	}
	if len(values) == 0 || len(paths) == 0 {
		return out, ctx.Err()
	}
	ns := needlesFor(values)
	m := newMatcher(ns)
	filter := newEscFilter(ns)
	workers := opt.Workers
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), 4)
	}
	chunk := opt.ChunkSize
	if chunk <= 0 {
		chunk = 1 << 20
	}
	// An L2 hit of n bytes spans at most 6 L1 bytes per byte (\u0067), and
	// each L1 byte at most 6 raw bytes.
	overlap := 36*m.maxLen + 64
	chunk = max(chunk, 4*overlap)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(workers, len(paths)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := &locator{m: m, filter: filter, nvals: len(values), chunk: chunk, overlap: overlap}
			for i := range next {
				out[i].Values, out[i].Err = l.file(ctx, out[i].Path)
			}
		}()
	}
	for i := range paths {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return out, ctx.Err()
}

// locator is one worker's state.
type locator struct {
	m              *matcher
	filter         *escFilter
	nvals          int
	chunk, overlap int
	buf            []byte
	dec1, dec2     []byte
	found          []bool
}

func (l *locator) file(ctx context.Context, path string) ([]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if l.buf == nil {
		l.buf = make([]byte, l.chunk+l.overlap)
		l.found = make([]bool, l.nvals)
	}
	clear(l.found)
	left := l.nvals
	mark := func(_ int, ni int) {
		if s := l.m.needles[ni].secret; !l.found[s] {
			l.found[s] = true
			left--
		}
	}
	keep := 0
	var rerr error
	for left > 0 {
		if err := ctx.Err(); err != nil {
			rerr = err
			break
		}
		n, err := io.ReadFull(f, l.buf[keep:])
		if n == 0 && err != nil {
			if err != io.EOF && err != io.ErrUnexpectedEOF {
				rerr = err
			}
			break
		}
		w := l.buf[:keep+n]
		l.m.each(w, mark)
		l.decoded(w, mark)
		if err != nil {
			if err != io.EOF && err != io.ErrUnexpectedEOF {
				rerr = err
			}
			break
		}
		// Keep the tail, starting at a backslash run's start so that the
		// next window decodes as the file does.
		start := max(len(w)-l.overlap, 0)
		for start > 0 && w[start-1] == '\\' {
			start--
		}
		keep = copy(l.buf, w[start:])
		if keep >= len(l.buf) {
			// A run of backslashes as long as the buffer: keep less.
			keep = l.overlap
			copy(l.buf, w[len(w)-keep:])
		}
	}
	var vals []int
	for i, ok := range l.found {
		if ok {
			vals = append(vals, i)
		}
	}
	return vals, rerr
}

// decoded searches the decoded text around the escapes of w that matter
// (see escFilter): each region reaches as far on both sides as a value
// can span when escaped twice, and starts at the start of a backslash
// run, so it decodes as the file does.
func (l *locator) decoded(w []byte, mark func(int, int)) {
	r0, r1 := -1, -1
	flush := func() {
		if r0 < 0 {
			return
		}
		for r0 > 0 && w[r0-1] == '\\' {
			r0--
		}
		l.dec1 = unescape(l.dec1[:0], w[r0:r1], nil)
		l.m.each(l.dec1, mark)
		if bytes.IndexByte(l.dec1, '\\') >= 0 {
			l.dec2 = unescape(l.dec2[:0], l.dec1, nil)
			l.m.each(l.dec2, mark)
		}
	}
	l.filter.each(w, func(p int) {
		s, e := max(p-l.overlap, 0), min(p+l.overlap, len(w))
		if r0 >= 0 && s <= r1 {
			r1 = max(r1, e)
			return
		}
		flush()
		r0, r1 = s, e
	})
	flush()
}
