package match

import (
	"bytes"
	"github.com/mcpscan/mcpscan/rules"
	"io"
	"sort"
	"strings"
	"sync"
)

// ParallelMin is the smallest input ScanAt splits across cores: below it
// the split's extra pass over the bytes (counting lines) costs more than
// it saves, and such files are many and scanned side by side anyway.
var ParallelMin int64 = 16 << 20

// ScanAt scans [0, size) of ra like Scanner.Scan, but splits it into one
// segment per worker and scans them at once (callers split inputs of
// ParallelMin bytes or more; a tiny input is scanned whole). Each segment reads the bytes its windows may need on both sides
// (the engine's overlap) and opens windows only for keywords that start in
// it, so every keyword is tried exactly once; a first pass counts lines so
// that every hit keeps its file-wide line and column. Hits reach fn in
// order of Start, after the same overlap rules as a sequential scan. It
// returns size and the first error.
func (e *Engine) ScanAt(ra io.ReaderAt, size int64, opt Options, workers int, fn func(*Hit) error) (int64, error) {
	if workers < 2 || size < 4*int64(e.overlap) {
		return e.NewScanner().Scan(io.NewSectionReader(ra, 0, size), opt, fn)
	}
	n := workers
	seg := (size + int64(n) - 1) / int64(n)
	ov := int64(e.overlap)
	bounds := make([]int64, n+1) // keyword ownership: [bounds[k], bounds[k+1])
	reads := make([]int64, n+1)  // read starts: bounds[k] - overlap
	for k := 0; k <= n; k++ {
		bounds[k] = min(int64(k)*seg, size)
		reads[k] = max(0, bounds[k]-ov)
	}
	reads[n] = size
	// Read starts on UTF-8 character boundaries, so that code points are
	// counted whole on one side.
	for k := 1; k < n; k++ {
		for step := 0; step < 3 && reads[k] > 0; step++ {
			var c [1]byte
			if m, _ := ra.ReadAt(c[:], reads[k]); m == 0 || c[0]&0xC0 != 0x80 {
				break
			}
			reads[k]--
		}
	}

	// Pass 1: lines, line starts and code points up to each read start.
	type tally struct {
		lines  int
		lastNL int64 // absolute; -1: none in the range
		runes  int   // code points after lastNL (or in the whole range)
	}
	tallies := make([]tally, n)
	var wg sync.WaitGroup
	for k := 0; k < n; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			tallies[k] = countRange(ra, reads[k], reads[k+1])
		}(k)
	}
	wg.Wait()

	// Pass 2: the segments.
	hits := make([][]Hit, n)
	errs := make([]error, n)
	line, lineStart, runes := 1, int64(0), 0
	for k := 0; k < n; k++ {
		o := opt
		o.Start, o.StartLine, o.LineStart, o.Runes = reads[k], line, lineStart, runes
		o.CutStart = reads[k] > 0
		end := min(bounds[k+1]+ov, size)
		o.CutEnd = end < size
		o.ActiveFrom, o.ActiveTo = bounds[k], bounds[k+1]
		wg.Add(1)
		go func(k int, o Options, end int64) {
			defer wg.Done()
			_, errs[k] = e.NewScanner().Scan(io.NewSectionReader(ra, o.Start, end-o.Start), o, func(h *Hit) error {
				hh := *h
				// The whole file's hits wait here until every segment is
				// done: the line text is read again from ra when a finding
				// needs it (LineTextAt), not held; a signal keeps the
				// kilobyte before its words, which its handler reads.
				if hh.Rule.Kind != rules.KindSignal {
					hh.LineText = ""
				} else if i := strings.Index(hh.LineText, hh.Secret); i >= 0 {
					hh.LineText = strings.Clone(hh.LineText[max(0, i-1024) : i+len(hh.Secret)])
				}
				hits[k] = append(hits[k], hh)
				return nil
			})
		}(k, o, end)
		t := tallies[k]
		line += t.lines
		if t.lastNL >= 0 {
			lineStart, runes = t.lastNL+1, t.runes
		} else {
			runes += t.runes
		}
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && err != ErrTooManyHits {
			return size, err
		}
	}

	var all []Hit
	for _, h := range hits {
		all = append(all, h...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Start < all[j].Start })
	type key struct {
		rule       string
		start, end int64
	}
	seen := map[key]bool{}
	uniq := all[:0]
	for _, h := range all {
		k := key{h.Rule.ID, h.Start, h.End}
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, h)
		}
	}
	for i, h := range resolveOverlaps(uniq) {
		if i >= maxHitsPerInput {
			return size, ErrTooManyHits
		}
		if err := fn(&h); err != nil {
			return size, err
		}
	}
	return size, nil
}

// countRange counts the newlines of [from, to) in ra, where the last one
// is, and the code points after it (or in the whole range when there is
// none).
func countRange(ra io.ReaderAt, from, to int64) (t struct {
	lines  int
	lastNL int64
	runes  int
}) {
	t.lastNL = -1
	buf := make([]byte, 1<<20)
	tailStart := from // where the bytes after the last newline begin
	for off := from; off < to; {
		n, err := ra.ReadAt(buf[:min(int64(len(buf)), to-off)], off)
		b := buf[:n]
		if c := bytes.Count(b, []byte{'\n'}); c > 0 {
			t.lines += c
			t.lastNL = off + int64(lastNewline(b))
			tailStart = t.lastNL + 1
			t.runes = 0
			t.runes += runeCount(b[tailStart-off:])
		} else {
			t.runes += runeCount(b)
		}
		off += int64(n)
		if err != nil || n == 0 {
			break
		}
	}
	return t
}

// LineTextAt reads the line text of a hit that came without it (ScanAt
// leaves it out): the line holding [h.Start, h.End) in ra, cut at
// LineContext bytes either side, without its line ending.
func LineTextAt(ra io.ReaderAt, h *Hit) string {
	from := max(h.LineStart, h.Start-LineContext)
	buf := make([]byte, h.End+LineContext-from)
	n, _ := ra.ReadAt(buf, from)
	b := buf[:n]
	a, z := int(h.Start-from), int(h.End-from)
	if a > len(b) || z > len(b) {
		return ""
	}
	return lineAround(b, a, z)
}
