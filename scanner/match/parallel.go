package match

import (
	"bytes"
	"errors"
	"github.com/mcpscan/mcpscan/rules"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// ParallelMin is the smallest input the scanner cuts into segments for
// several cores (ScanSplit): below it the split's bookkeeping (segment
// overlaps read twice, hits held and moved) costs more than it saves, and
// such files are many and scanned side by side anyway.
var ParallelMin int64 = 16 << 20

// Group runs the tasks of one split scan (ScanSplit). Go must not block:
// it runs task now or later, on any goroutine, and a task may call Go.
// Wait returns true once every task given to Go has finished, or false
// as soon as wake receives first; meanwhile it may run tasks itself.
type Group interface {
	Go(task func())
	Wait(wake <-chan struct{}) bool
}

// goGroup runs each task on a goroutine of its own.
type goGroup struct{ Tasks }

func (g *goGroup) Go(task func()) {
	g.Add()
	go func() {
		defer g.Done()
		task()
	}()
}

func (g *goGroup) Wait(wake <-chan struct{}) bool {
	select {
	case <-g.Finished():
	case <-wake:
	}
	return g.Settled()
}

// Tasks counts the unfinished tasks of a Group, for its implementations:
// Add when a task is given, Done when it ends; Finished is closed once
// every task is done and Wait was called (the first Settled or Finished
// call drops the count's own hold, so that tasks that end before the
// next is given do not finish the group early).
type Tasks struct {
	once    sync.Once
	release sync.Once
	pending atomic.Int64
	done    chan struct{}
}

func (t *Tasks) init() {
	t.once.Do(func() {
		t.done = make(chan struct{})
		t.pending.Add(1)
	})
}

// Add counts a task given.
func (t *Tasks) Add() { t.init(); t.pending.Add(1) }

// Done counts a task ended.
func (t *Tasks) Done() {
	if t.pending.Add(-1) == 0 {
		close(t.done)
	}
}

// Finished returns a channel closed when every task is done; the first
// call (or Settled) drops the hold.
func (t *Tasks) Finished() <-chan struct{} {
	t.init()
	t.release.Do(t.Done)
	return t.done
}

// Settled reports whether every task is done.
func (t *Tasks) Settled() bool {
	select {
	case <-t.Finished():
		return true
	default:
		return false
	}
}

// Split says how ScanSplit cuts an input and runs the pieces.
type Split struct {
	// Segments is how many segments the input is scanned in (see
	// Segments); below 2, or for an input under four overlaps, the input
	// is scanned whole by one task.
	Segments int
	// Group runs the tasks (a scan per segment); nil
	// runs each on a goroutine of its own. The caller of ScanSplit waits
	// in Group.Wait, and calls fn between waits as segments finish.
	Group Group
	// Observe, when set, is given every byte of [0, size) exactly once,
	// cut into consecutive pieces numbered from 0 in input order: the
	// bytes of piece k arrive in order, in calls Observe(k, off, b) where
	// off is the offset of b[0], all from one task; several pieces are
	// observed at once. b is valid only during the call.
	Observe func(piece int, off int64, b []byte)
	// Scratch, when set, lends the scanners and buffers of the tasks, so
	// that the splits of one scan reuse them; nil: the split's own.
	Scratch *Scratch
}

// Scratch keeps the scanners and read buffers of split scans for reuse
// (a sync.Pool would drop them at every GC, and a scan under a tight
// memory limit collects often). It holds as many of each as tasks ever
// ran at once. Safe for concurrent use.
type Scratch struct {
	mu       sync.Mutex
	scanners []*Scanner
	bufs     [][]byte
}

func (s *Scratch) scanner(e *Engine) *Scanner {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.scanners) - 1; i >= 0; i-- {
		if sc := s.scanners[i]; sc.e == e {
			s.scanners = append(s.scanners[:i], s.scanners[i+1:]...)
			return sc
		}
	}
	return e.NewScanner()
}

func (s *Scratch) putScanner(sc *Scanner) {
	s.mu.Lock()
	s.scanners = append(s.scanners, sc)
	s.mu.Unlock()
}

// countBuf is the size of a count task's reads.
const countBuf = 256 << 10

func (s *Scratch) buf() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.bufs); n > 0 {
		b := s.bufs[n-1]
		s.bufs = s.bufs[:n-1]
		return b
	}
	return make([]byte, countBuf)
}

func (s *Scratch) putBuf(b []byte) {
	s.mu.Lock()
	s.bufs = append(s.bufs, b)
	s.mu.Unlock()
}

// Segment sizes for Segments: several segments per worker, so that the
// last one to finish leaves the other cores idle only briefly, but none
// larger than maxSegment (a huge file is cut finer still) and at most
// maxSegments of them (the hits of all wait for the merge).
const (
	segmentsPerWorker       = 4
	maxSegment        int64 = 32 << 20
	maxSegments             = 256
)

// Segments returns how many segments ScanSplit should cut an input of
// size bytes into for workers cores: 4 per core, more for a file over
// 32 MiB per segment, at most 256.
func Segments(size int64, workers int) int {
	if workers < 2 {
		return 1
	}
	n := int64(segmentsPerWorker * workers)
	if size/n > maxSegment {
		n = (size + maxSegment - 1) / maxSegment
	}
	return int(min(n, maxSegments))
}

// ScanAt scans [0, size) of ra like Scanner.Scan, in one segment per
// worker scanned at once, each on a goroutine of its own (ScanSplit).
func (e *Engine) ScanAt(ra io.ReaderAt, size int64, opt Options, workers int, fn func(*Hit) error) (int64, error) {
	return e.ScanSplit(ra, size, opt, Split{Segments: workers}, fn)
}

// ScanSplit scans [0, size) of ra like Scanner.Scan, cut into
// sp.Segments segments whose tasks sp.Group runs, possibly at once
// (callers split inputs of ParallelMin bytes or more). Each segment reads
// the bytes its windows may need on both sides (the engine's overlap) and
// opens windows only for keywords that start in it, so every keyword is
// tried exactly once. Every segment's scan starts at once, numbering
// lines from its own start; as it reads, it counts the lines of its
// range (and passes those bytes to sp.Observe), and its hits are moved
// to file-wide lines and columns once the segments before it are done,
// so the file is read once. Hits reach fn in order of Start, after the
// same overlap rules as a sequential scan, as the segments before them
// finish. It returns size and the first error.
func (e *Engine) ScanSplit(ra io.ReaderAt, size int64, opt Options, sp Split, fn func(*Hit) error) (int64, error) {
	n := sp.Segments
	if n < 2 || size < 4*int64(e.overlap) {
		var r io.Reader = io.NewSectionReader(ra, 0, size)
		if sp.Observe != nil {
			r = &observer{r: r, fn: sp.Observe}
		}
		return e.NewScanner().Scan(r, opt, fn)
	}
	g := sp.Group
	if g == nil {
		g = &goGroup{}
	}
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
	// [reads[k], reads[k+1]) are the count ranges (and pieces for
	// Observe): consecutive, covering the input once.
	for k := 1; k <= n; k++ {
		reads[k] = max(reads[k], reads[k-1])
	}

	s := &split{e: e, ra: ra, size: size, opt: opt, g: g, bounds: bounds, reads: reads, observe: sp.Observe, scratch: sp.Scratch,
		tallies: make([]tally, n), scanned: make([]bool, n), hits: make([][]Hit, n),
		errs: make([]error, n), wake: make(chan struct{}, 1), before: tally{lastNL: -1}}
	if s.scratch == nil {
		s.scratch = &Scratch{}
	}
	for k := 0; k < n; k++ {
		s.post(k)
	}
	// Hand on the hits of the segments done so far, in order, while the
	// others are scanned.
	var err error
	for {
		done := g.Wait(s.wake)
		if err == nil {
			if err = s.emit(fn, done); err != nil {
				// Past the limit, or fn failed: the scans still to come
				// are skipped (the counts still run, for the observer).
				s.stop.Store(true)
			}
		}
		if done {
			break
		}
	}
	for _, e := range s.errs {
		if e != nil && e != ErrTooManyHits {
			return size, e
		}
	}
	return size, err
}

// emit passes on, in order of Start, the hits of the first segments that
// are done, once nothing still to come can overlap them (all when last):
// the same hits, after the same overlap rules, as one pass over the whole
// file's hits. A later segment's hits start at or after its read start
// (the horizon), and the overlap rules only compare hits that overlap, so
// a run of overlapping hits that ends by the horizon is settled.
func (s *split) emit(fn func(*Hit) error, last bool) error {
	n := len(s.scanned)
	s.mu.Lock()
	moved := false
	for s.next < n && s.scanned[s.next] {
		k := s.next
		for i := range s.hits[k] {
			s.place(&s.hits[k][i], k)
		}
		s.pend = append(s.pend, s.hits[k]...)
		s.hits[k] = nil
		s.before = s.before.then(s.tallies[k])
		s.next++
		moved = true
	}
	s.mu.Unlock()
	if !moved && !last {
		return nil
	}
	horizon := int64(1<<63 - 1)
	if s.next < n {
		horizon = s.reads[s.next]
	}
	sort.SliceStable(s.pend, func(i, j int) bool { return s.pend[i].Start < s.pend[j].Start })
	// cut: the settled runs of overlapping hits.
	cut, end := 0, int64(-1)
	for i := range s.pend {
		h := &s.pend[i]
		if h.Start >= end { // a new run starts; the ones before are whole
			cut = i
		}
		end = max(end, h.End)
		if end > horizon {
			break
		}
		if i == len(s.pend)-1 {
			cut = len(s.pend)
		}
	}
	if cut == 0 {
		return nil
	}
	type key struct {
		rule       string
		start, end int64
	}
	seen := map[key]bool{}
	uniq := make([]Hit, 0, cut)
	for _, h := range s.pend[:cut] {
		k := key{h.Rule.ID, h.Start, h.End}
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, h)
		}
	}
	s.pend = append(s.pend[:0], s.pend[cut:]...)
	for _, h := range resolveOverlaps(uniq) {
		if s.emitted >= maxHitsPerInput {
			return ErrTooManyHits
		}
		s.emitted++
		if err := fn(&h); err != nil {
			return err
		}
	}
	return nil
}

// place moves hit h of segment k, whose scan numbered lines from the
// segment's read start (line 1, column 1 there), to the file's lines and
// columns: s.before is the tally of the segments before k. A hit on the
// segment's first line is on the line the segments before it end in.
func (s *split) place(h *Hit, k int) {
	if k == 0 {
		return // scanned from the file's start
	}
	carry, lineStart := s.before.runes, int64(0)
	if s.before.lastNL >= 0 {
		lineStart = s.before.lastNL + 1
	}
	if h.Line == 1 {
		h.Column += carry
		h.LineStart = lineStart
	}
	if h.EndLine == 1 {
		h.EndColumn += carry
	}
	h.Line += s.before.lines
	h.EndLine += s.before.lines
}

// errStopped ends a segment's scan once its split wants no more hits.
var errStopped = errors.New("split stopped")

// tally is what a count task finds in its range: lines, where the last
// line starts and the code points after it.
type tally struct {
	lines  int
	lastNL int64 // absolute; -1: none in the range
	runes  int   // code points after lastNL (or in the whole range)
}

// add counts b, the bytes at off that follow those counted so far.
func (t *tally) add(off int64, b []byte) {
	if c := bytes.Count(b, []byte{'\n'}); c > 0 {
		t.lines += c
		nl := lastNewline(b)
		t.lastNL = off + int64(nl)
		t.runes = runeCount(b[nl+1:])
	} else {
		t.runes += runeCount(b)
	}
}

// then is the tally of t's range followed by u's.
func (t tally) then(u tally) tally {
	out := tally{lines: t.lines + u.lines, lastNL: t.lastNL, runes: t.runes + u.runes}
	if u.lastNL >= 0 {
		out.lastNL, out.runes = u.lastNL, u.runes
	}
	return out
}

// tallyReader reads a segment for its scan and counts the bytes of its
// count range [off, to) on the way, passing them to observe (when set).
type tallyReader struct {
	r       io.Reader
	off, to int64 // the next byte's offset; the count range's end
	t       tally
	observe func(off int64, b []byte)
}

func (r *tallyReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if m := min(int64(n), r.to-r.off); m > 0 {
		b := p[:m]
		r.t.add(r.off, b)
		if r.observe != nil {
			r.observe(r.off, b)
		}
	}
	r.off += int64(n)
	return n, err
}

// split is the state of one ScanSplit.
type split struct {
	e       *Engine
	ra      io.ReaderAt
	size    int64
	opt     Options
	g       Group
	bounds  []int64
	reads   []int64
	observe func(piece int, off int64, b []byte)

	scratch *Scratch

	mu      sync.Mutex
	tallies []tally // per segment: its count range's lines, once scanned
	scanned []bool  // per segment: its hits and tally are in
	hits    [][]Hit // per segment, until emitted
	errs    []error // per segment: its scan's or read's error
	wake    chan struct{}

	// The owner's (emit): segments before next are emitted but for pend;
	// before is their tally.
	next    int
	before  tally
	pend    []Hit
	emitted int
	stop    atomic.Bool // the owner wants no more hits
}

// post gives the scan of segment k to the group. The scan numbers lines
// from the segment's read start; emit moves its hits (place).
func (s *split) post(k int) {
	o := s.opt
	o.Start, o.StartLine, o.LineStart, o.Runes = s.reads[k], 1, s.reads[k], 0
	o.CutStart = s.reads[k] > 0
	end := min(s.bounds[k+1]+int64(s.e.overlap), s.size)
	o.CutEnd = end < s.size
	o.ActiveFrom, o.ActiveTo = s.bounds[k], s.bounds[k+1]
	s.g.Go(func() {
		var observe func(off int64, b []byte)
		if s.observe != nil {
			observe = func(off int64, b []byte) { s.observe(k, off, b) }
		}
		tr := &tallyReader{r: io.NewSectionReader(s.ra, o.Start, end-o.Start), off: o.Start, to: s.reads[k+1], t: tally{lastNL: -1}, observe: observe}
		var hits []Hit
		var err error
		if !s.stop.Load() {
			sc := s.scratch.scanner(s.e)
			_, err = sc.Scan(tr, o, func(h *Hit) error {
				if s.stop.Load() {
					return errStopped
				}
				hh := *h
				// A segment's hits wait here until the segments before it
				// are done: the line text is read again from ra when a finding
				// needs it (LineTextAt), not held; a signal keeps the
				// kilobyte before its words, which its handler reads.
				if hh.Rule.Kind != rules.KindSignal {
					hh.LineText = ""
				} else if i := strings.Index(hh.LineText, hh.Secret); i >= 0 {
					hh.LineText = strings.Clone(hh.LineText[max(0, i-1024) : i+len(hh.Secret)])
				}
				hits = append(hits, hh)
				return nil
			})
			s.scratch.putScanner(sc)
			if err == errStopped {
				err = nil
			}
		}
		// A scan that stopped early (or was skipped) leaves the rest of
		// the count range unread: its lines still count, and an observer
		// still gets every byte.
		if tr.off < tr.to && (err == nil || err == ErrTooManyHits) {
			buf := s.scratch.buf()
			rest, rerr := countRange(s.ra, tr.off, tr.to, buf, observe)
			s.scratch.putBuf(buf)
			tr.t = tr.t.then(rest)
			if rerr != nil {
				err = rerr
			}
		}
		s.mu.Lock()
		s.hits[k], s.tallies[k], s.scanned[k], s.errs[k] = hits, tr.t, true, err
		s.mu.Unlock()
		select {
		case s.wake <- struct{}{}:
		default:
		}
	})
}

// observer passes the bytes read through it to an Observe function, as
// piece 0.
type observer struct {
	r   io.Reader
	off int64
	fn  func(piece int, off int64, b []byte)
}

func (o *observer) Read(p []byte) (int, error) {
	n, err := o.r.Read(p)
	if n > 0 {
		o.fn(0, o.off, p[:n])
		o.off += int64(n)
	}
	return n, err
}

// countRange counts the newlines of [from, to) in ra, where the last one
// is, and the code points after it (or in the whole range when there is
// none), reading through buf and passing what it reads to observe (when
// set). It returns the first read error.
func countRange(ra io.ReaderAt, from, to int64, buf []byte, observe func(off int64, b []byte)) (t tally, err error) {
	t.lastNL = -1
	for off := from; off < to; {
		n, rerr := ra.ReadAt(buf[:min(int64(len(buf)), to-off)], off)
		b := buf[:n]
		if observe != nil && n > 0 {
			observe(off, b)
		}
		t.add(off, b)
		off += int64(n)
		if off < to && (rerr != nil || n == 0) {
			if rerr == nil || rerr == io.EOF {
				rerr = io.ErrUnexpectedEOF
			}
			return t, rerr
		}
	}
	return t, nil
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
