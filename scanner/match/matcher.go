// Package match is mcpscan's streaming matcher: it reads an input in
// fixed-size chunks that overlap by the longest possible match, finds rule
// keywords with a cheap prefilter over the raw bytes, and runs a rule's
// regex only in a window around its keyword hits. In JSON mode the window
// is decoded first (JSON string escapes resolved), so secrets inside JSON
// strings are seen with their real boundaries, yet nothing outside the
// windows is ever decoded.
//
// Memory is bounded by the chunk size plus the overlap, whatever the size
// of the input or the length of its lines.
package match

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"runtime/pprof"
	"sort"

	"github.com/mcpscan/mcpscan/rules"
)

// Mode says how raw bytes map to the text that rules see.
type Mode uint8

// Modes.
const (
	// Text: rules see the raw bytes.
	Text Mode = iota
	// JSON: the input is JSON or JSON Lines; string values are decoded in
	// each window before rules see them.
	JSON
)

// DefaultChunkSize is the number of new bytes read per step.
const DefaultChunkSize = 1 << 20

// edgeSlack is how far a window edge may move to reach a line break.
const edgeSlack = 256

// maxHitsPerInput caps the matches reported for one input, so that a
// hostile file cannot make a handler that collects them explode. It is
// far above the findings an input may keep (scanner.MaxFindingsPerInput):
// most matches of a real history are signals, repeats in the same record
// or values a handler drops (a 625 MB transcript: ~13,500 matches, 2,159
// findings).
const maxHitsPerInput = 200000

// ErrTooManyHits is returned (after the first maxHitsPerInput matches have
// been reported) when an input has more matches than that.
var ErrTooManyHits = errors.New("too many matches in this file; the rest were not reported")

// Engine holds a compiled rule set. It is immutable and safe for
// concurrent use; each goroutine scans with its own Scanner.
type Engine struct {
	set     *rules.Set
	rules   []*rules.Rule
	pf      *prefilter
	overlap int // bytes kept before and after each chunk's active part

	// labels, when rule profiling is on (ProfileRulesEnv), are pprof
	// label contexts per rule ("rule"=ID) set while that rule's regex runs.
	labels []context.Context

	runs  []ruleRun  // per rule: how to run it (see run)
	stats *ruleStats // counters for tests and benchmarks; nil in production
}

// ProfileRulesEnv names the environment variable that turns on per-rule
// CPU attribution: with MCPSCAN_PROFILE_RULES=1, the work of each rule
// (regex runs and acceptance checks) carries the pprof label rule=<ID>, and
// window decoding the label phase=decode, so that
//
//	MCPSCAN_PROFILE_RULES=1 mcpscan --cpuprofile cpu.prof DIR
//	go tool pprof -tags cpu.prof
//
// shows the CPU each rule costs (unlabelled samples are the prefilter,
// reading and reporting). It costs a pointer store per region when on.
const ProfileRulesEnv = "MCPSCAN_PROFILE_RULES"

// NewEngine builds the prefilter for set. Rule regexes are compiled lazily,
// on their first keyword hit.
func NewEngine(set *rules.Set) *Engine {
	rs := set.Rules()
	pf := newPrefilter(rs)
	e := &Engine{set: set, rules: rs, pf: pf, overlap: pf.maxRadius + pf.maxLen + 2*edgeSlack, runs: make([]ruleRun, len(rs))}
	if os.Getenv(ProfileRulesEnv) != "" {
		e.labels = make([]context.Context, len(rs)+1)
		for i, r := range rs {
			e.labels[i] = pprof.WithLabels(context.Background(), pprof.Labels("rule", r.ID))
		}
		e.labels[len(rs)] = pprof.WithLabels(context.Background(), pprof.Labels("phase", "decode"))
	}
	return e
}

// label sets the goroutine's profiler labels to rule ri's (len(rules):
// decoding), or clears them with ri < 0. It does nothing unless rule
// profiling is on.
func (e *Engine) label(ri int) {
	if e.labels == nil {
		return
	}
	if ri < 0 {
		pprof.SetGoroutineLabels(context.Background())
		return
	}
	pprof.SetGoroutineLabels(e.labels[ri])
}

// Set returns the rule set the engine was built from.
func (e *Engine) Set() *rules.Set { return e.set }

// Hit is one accepted match. Offsets are raw byte offsets in the input;
// Line and EndLine are 1-based; Column and EndColumn are 1-based counts of
// Unicode code points in the raw line, EndColumn exclusive.
type Hit struct {
	Rule       *rules.Rule
	Secret     string // decoded
	Start, End int64  // raw [Start, End) of the secret
	Line       int
	Column     int
	EndLine    int
	EndColumn  int
	LineStart  int64 // raw offset of the first byte of Line
	// LineText is the raw text of the line holding the secret, cut at
	// LineContext bytes either side of the secret (and at what the
	// matcher's buffer holds), without its line ending: for suppressions
	// (inline allows, allowlists on the line) without re-reading the file.
	// It holds the secret: never print it.
	LineText string
}

// LineContext is how many bytes of a hit's line either side of its secret
// Hit.LineText keeps (see lineAround).
const LineContext = 2048

// Options configures one scan.
type Options struct {
	Mode Mode
	// Path is the input's slash path, for rule path filters and path
	// allowlists; it may be empty.
	Path string
	// ChunkSize overrides DefaultChunkSize (tests use tiny sizes to prove
	// that chunk edges lose nothing).
	ChunkSize int
	// Start is the file offset of the reader's first byte and StartLine
	// its line number (0 means 1), for a scan that resumes at a line start
	// of a file scanned before; hits then carry file offsets and lines.
	Start     int64
	StartLine int

	// The fields below serve ScanAt, which scans segments of one file on
	// several cores. LineStart and Runes describe the line holding Start
	// when Start is not a line start: the offset of its first byte and the
	// code points between it and Start (for columns). CutStart and CutEnd
	// say that the reader starts or ends inside the input rather than at
	// its real start or end. With ActiveTo > 0, only keywords starting in
	// [ActiveFrom, ActiveTo) open windows.
	LineStart            int64
	Runes                int
	CutStart, CutEnd     bool
	ActiveFrom, ActiveTo int64
}

// Scanner scans inputs with one Engine. It reuses its buffers between
// scans and must not be used by two goroutines at once.
type Scanner struct {
	e         *Engine
	opt       Options
	buf       []byte
	win       window
	wide      window     // a wider region, for matches that reach a cut edge
	widenings []int      // per rule: bytes decoded again by widening in the current buffer (see widenBudget)
	edge      edgeReader // for anchored attempts on cut text

	// The buffer being processed, its raw offset, and whether the input
	// ends with it.
	cur     []byte
	curBase int64
	eof     bool

	hits []kwHit
	cand []candidate
	pend []Hit
	seen map[seenKey]struct{}

	col       colMemo
	ruleOK    []int8 // per rule: 0 unknown, 1 applies to opt.Path, -1 not
	emitted   int
	lineBase  int   // line number of buf[0]
	lineStart int64 // raw offset of the line holding buf[0]
	runesPre  int   // code points between lineStart and buf[0]
}

type kwHit struct{ lo, hi, pos, rule, pre int }

type candidate struct {
	rule       int
	start, end int // buffer offsets of the secret
	secret     string
}

type seenKey struct {
	rule       int
	start, end int64
}

// NewScanner returns a Scanner for e.
func (e *Engine) NewScanner() *Scanner {
	return &Scanner{
		e:      e,
		seen:   map[seenKey]struct{}{},
		ruleOK: make([]int8, len(e.rules)),
	}
}

// Scan reads r to the end and calls fn for every accepted match, in order of
// Start. It returns the number of bytes read. A read error ends the scan
// and is returned, after the matches found so far were reported; fn's error
// ends it too. Past maxHitsPerInput matches it stops with ErrTooManyHits.
func (s *Scanner) Scan(r io.Reader, opt Options, fn func(*Hit) error) (int64, error) {
	s.reset(opt)
	chunk := opt.ChunkSize
	if chunk <= 0 {
		chunk = DefaultChunkSize
	}
	ov := s.e.overlap
	if need := chunk + 2*ov; cap(s.buf) < need {
		// One allocation per Scanner, reused for every input. Decoded
		// windows grow as large as they need to, and stay.
		s.buf = make([]byte, need)
	}
	buf := s.buf[:cap(s.buf)]
	var (
		base   = opt.Start // raw offset of buf[0]
		filled int
		active int // buffer offset where unprocessed keyword positions start
		total  int64
		eof    bool
	)
	for {
		// Fill: at most chunk new bytes past the look-ahead we keep.
		limit := active + chunk + ov
		if limit > len(buf) {
			limit = len(buf)
		}
		var readErr error
		for filled < limit && !eof {
			n, err := r.Read(buf[filled:limit])
			filled += n
			total += int64(n)
			if err == io.EOF {
				eof = true
			} else if err != nil {
				readErr = err
				eof = true
			}
		}
		activeEnd := filled - ov
		if eof {
			activeEnd = filled
		}
		if activeEnd > active {
			if err := s.process(buf[:filled], base, active, activeEnd, eof); err != nil {
				return total, err
			}
			// Matches that end before any future window can start are final.
			horizon := base + int64(activeEnd) - int64(ov)
			if eof {
				horizon = base + int64(filled) + 1
			}
			if err := s.flush(horizon, fn); err != nil {
				return total, err
			}
			active = activeEnd
		}
		if readErr != nil {
			return total, readErr
		}
		if eof {
			return total, nil
		}
		// Slide: keep ov bytes before the next active part, and the look-ahead.
		keep := active - ov
		if keep > 0 {
			s.advanceLines(buf[:keep], base)
			copy(buf, buf[keep:filled])
			filled -= keep
			active -= keep
			base += int64(keep)
			s.forget(base - int64(ov))
		}
	}
}

func (s *Scanner) reset(opt Options) {
	s.opt = opt
	s.pend = s.pend[:0]
	clear(s.seen)
	for i := range s.ruleOK {
		s.ruleOK[i] = 0
	}
	s.emitted = 0
	s.lineBase = max(opt.StartLine, 1)
	s.lineStart = opt.Start
	s.runesPre = 0
	if opt.CutStart {
		s.lineStart, s.runesPre = opt.LineStart, opt.Runes
	}
}

// advanceLines moves line tracking past discarded bytes d starting at raw
// offset base.
func (s *Scanner) advanceLines(d []byte, base int64) {
	n := bytes.Count(d, []byte{'\n'})
	s.lineBase += n
	if n > 0 {
		nl := lastNewline(d)
		s.lineStart = base + int64(nl) + 1
		s.runesPre = runeCount(d[nl+1:])
	} else {
		s.runesPre += runeCount(d)
	}
}

// forget drops dedupe entries that can no longer repeat.
func (s *Scanner) forget(before int64) {
	for k := range s.seen {
		if k.end < before {
			delete(s.seen, k)
		}
	}
}

func (s *Scanner) applies(ri int) bool {
	switch s.ruleOK[ri] {
	case 1:
		return true
	case -1:
		return false
	}
	ok := s.e.rules[ri].AppliesToPath(s.opt.Path)
	s.ruleOK[ri] = -1
	if ok {
		s.ruleOK[ri] = 1
	}
	return ok
}

// lineAround returns the line of text holding [a, z), cut at LineContext
// bytes either side.
func lineAround(text []byte, a, z int) string {
	lo := bytes.LastIndexByte(text[max(0, a-2048):a], '\n')
	if lo < 0 {
		lo = max(0, a-2048)
	} else {
		lo += max(0, a-2048) + 1
	}
	hi := bytes.IndexByte(text[z:min(len(text), z+2048)], '\n')
	if hi < 0 {
		hi = min(len(text), z+2048)
	} else {
		hi += z
	}
	return string(text[lo:hi])
}

// accept deduplicates the region candidates, computes their lines and
// columns, and queues them.
func (s *Scanner) accept(b []byte, base int64) error {
	sort.Slice(s.cand, func(i, j int) bool { return s.cand[i].start < s.cand[j].start })
	cursor, line := 0, s.lineBase
	s.col = colMemo{pos: -1}
	for _, c := range s.cand {
		key := seenKey{rule: c.rule, start: base + int64(c.start), end: base + int64(c.end)}
		if _, dup := s.seen[key]; dup {
			continue
		}
		s.seen[key] = struct{}{}
		line += bytes.Count(b[cursor:c.start], []byte{'\n'})
		cursor = c.start
		col, lineStart := s.column(b, base, c.start)
		endLine := line + bytes.Count(b[c.start:c.end], []byte{'\n'})
		endCol, _ := s.column(b, base, c.end)
		s.pend = append(s.pend, Hit{
			Rule: s.e.rules[c.rule], Secret: c.secret,
			Start: key.start, End: key.end,
			Line: line, Column: col, EndLine: endLine, EndColumn: endCol,
			LineStart: lineStart, LineText: lineAround(b, c.start, c.end),
		})
	}
	return nil
}

// column returns the 1-based code-point column of buffer offset p and the
// raw offset of its line's start. It goes on from the last offset it was
// asked about in this buffer when p is after it (candidates come in order
// of start), so that many hits on a long line cost one pass over it.
func (s *Scanner) column(b []byte, base int64, p int) (int, int64) {
	m := &s.col
	if m.pos >= 0 && p >= m.pos {
		if nl := lastNewline(b[m.pos:p]); nl >= 0 {
			nl += m.pos
			m.pos, m.col, m.lineStart = p, runeCount(b[nl+1:p])+1, base+int64(nl)+1
		} else {
			m.col += runeCount(b[m.pos:p])
			m.pos = p
		}
		return m.col, m.lineStart
	}
	col, lineStart := 0, s.lineStart
	if nl := lastNewline(b[:p]); nl >= 0 {
		col, lineStart = runeCount(b[nl+1:p])+1, base+int64(nl)+1
	} else {
		col = s.runesPre + runeCount(b[:p]) + 1
	}
	*m = colMemo{pos: p, col: col, lineStart: lineStart}
	return col, lineStart
}

// colMemo is the last column computed in a buffer (pos < 0: none).
type colMemo struct {
	pos, col  int
	lineStart int64
}

// flush resolves overlaps between queued matches and reports those that
// end before horizon.
func (s *Scanner) flush(horizon int64, fn func(*Hit) error) error {
	if len(s.pend) == 0 {
		return nil
	}
	sort.SliceStable(s.pend, func(i, j int) bool { return s.pend[i].Start < s.pend[j].Start })
	s.pend = resolveOverlaps(s.pend)
	keep := s.pend[:0]
	for i := range s.pend {
		h := s.pend[i]
		if h.End >= horizon {
			keep = append(keep, h)
			continue
		}
		if s.emitted >= maxHitsPerInput {
			return ErrTooManyHits
		}
		s.emitted++
		if err := fn(&h); err != nil {
			return err
		}
	}
	s.pend = keep
	return nil
}

// resolveOverlaps keeps, among matches whose secrets overlap, only those of
// the highest rule priority, and among equals one: a rule that knows the
// format rather than a Contextual one, then see preferHit. One secret gives
// one finding. hs is sorted by Start.
func resolveOverlaps(hs []Hit) []Hit {
	drop := make([]bool, len(hs))
	for i := range hs {
		for j := i + 1; j < len(hs) && hs[j].Start < hs[i].End && !drop[i]; j++ {
			a, b := &hs[i], &hs[j]
			switch {
			case drop[j]:
			case a.Rule.Kind == rules.KindSignal || b.Rule.Kind == rules.KindSignal:
				// A signal is no finding: it neither hides nor is hidden.
			case a.Rule.Priority > b.Rule.Priority:
				drop[j] = true
			case a.Rule.Priority < b.Rule.Priority:
				drop[i] = true
			case a.Rule.Contextual != b.Rule.Contextual:
				drop[i], drop[j] = a.Rule.Contextual, b.Rule.Contextual
			case preferHit(b, a):
				drop[i] = true
			default:
				drop[j] = true
			}
		}
	}
	out := hs[:0]
	for i := range hs {
		if !drop[i] {
			out = append(out, hs[i])
		}
	}
	return out
}

// preferHit reports whether a is kept rather than b, two overlapping hits
// of equal priority: the secret that holds the other's, then by rule origin
// (the user's own rules, then gitleaks' IDs, which users' ignore files and
// baselines are keyed on, then mcpscan's), then the lower rule ID.
func preferHit(a, b *Hit) bool {
	aHolds := a.Start <= b.Start && b.End <= a.End
	bHolds := b.Start <= a.Start && a.End <= b.End
	if aHolds != bHolds {
		return aHolds
	}
	if ra, rb := originRank[a.Rule.Origin], originRank[b.Rule.Origin]; ra != rb {
		return ra > rb
	}
	return a.Rule.ID < b.Rule.ID
}

// originRank orders rule origins for preferHit.
var originRank = map[rules.Origin]int{
	rules.OriginConfig:         3,
	rules.OriginGitleaksConfig: 2,
	rules.OriginGitleaks:       1,
	rules.OriginMcpscan:        0,
}
