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
	"errors"
	"io"
	"sort"
	"unicode/utf8"

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
// hostile file cannot make the report (or memory) explode.
const maxHitsPerInput = 10000

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
}

// NewEngine builds the prefilter for set. Rule regexes are compiled lazily,
// on their first keyword hit.
func NewEngine(set *rules.Set) *Engine {
	rs := set.Rules()
	pf := newPrefilter(rs)
	maxRadius := 0
	for _, r := range rs {
		if rad := r.WindowRadius(); rad > maxRadius {
			maxRadius = rad
		}
	}
	return &Engine{set: set, rules: rs, pf: pf, overlap: maxRadius + pf.maxLen + 2*edgeSlack}
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
	e    *Engine
	opt  Options
	buf  []byte
	win  window
	hits []kwHit
	cand []candidate
	pend []Hit
	seen map[seenKey]struct{}

	ruleOK    []int8 // per rule: 0 unknown, 1 applies to opt.Path, -1 not
	emitted   int
	lineBase  int   // line number of buf[0]
	lineStart int64 // raw offset of the line holding buf[0]
	runesPre  int   // code points between lineStart and buf[0]
}

type kwHit struct{ lo, hi, pos, rule int }

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
		// One allocation per Scanner, reused for every input: the read
		// buffer, and a decoded window as large as the buffer.
		s.buf = make([]byte, need)
	}
	if opt.Mode == JSON && cap(s.win.pos) < len(s.buf)+1 {
		s.win.dec = make([]byte, 0, len(s.buf))
		s.win.pos = make([]int32, 0, len(s.buf)+1)
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
		nl := bytes.LastIndexByte(d, '\n')
		s.lineStart = base + int64(nl) + 1
		s.runesPre = utf8.RuneCount(d[nl+1:])
	} else {
		s.runesPre += utf8.RuneCount(d)
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

// process finds keyword hits starting in b[from:to], runs the rules they
// trigger in windows around them and queues accepted matches in s.pend.
// Windows of all rules that overlap form a region, decoded once (JSON
// mode); each rule's regex then runs only over its own merged windows
// inside the region.
func (s *Scanner) process(b []byte, base int64, from, to int, eof bool) error {
	pf := s.e.pf
	s.hits = s.hits[:0]
	if s.opt.ActiveTo > 0 {
		from = max(from, int(s.opt.ActiveFrom-base))
		to = min(to, int(s.opt.ActiveTo-base))
		if to <= from {
			return nil
		}
	}
	pf.find(b, from, to, func(pos, ki int) {
		kw := &pf.keywords[ki]
		checks := kw.ruleChecks(s.e.rules)
		for i, ri := range kw.rules {
			if !s.applies(ri) {
				continue
			}
			if c := checks[i]; c != nil && !c(b, pos, pos+len(kw.text), s.opt.Mode == JSON) {
				continue
			}
			r := s.e.rules[ri]
			if r.Precheck != nil && !r.Precheck(b, pos+len(kw.text)) {
				continue
			}
			rad := r.WindowRadius()
			lo, hi := pos-rad, pos+len(kw.text)+rad
			if lo < 0 {
				lo = 0
			}
			if hi > len(b) {
				hi = len(b)
			}
			s.hits = append(s.hits, kwHit{lo: lo, hi: hi, pos: pos, rule: ri})
		}
	})
	if len(s.hits) == 0 {
		return nil
	}
	sort.Slice(s.hits, func(i, j int) bool { return s.hits[i].lo < s.hits[j].lo })

	s.cand = s.cand[:0]
	for i := 0; i < len(s.hits); {
		lo, hi, first := s.hits[i].lo, s.hits[i].hi, s.hits[i].pos
		j := i + 1
		for ; j < len(s.hits) && s.hits[j].lo <= hi; j++ {
			hi = max(hi, s.hits[j].hi)
			first = min(first, s.hits[j].pos)
		}
		s.runRegion(b, base, lo, hi, first, eof, s.hits[i:j])
		i = j
	}
	return s.accept(b, base)
}

// runRegion decodes (in JSON mode) the region b[lo:hi] and runs each
// rule of hits over its own merged windows, collecting raw candidates.
func (s *Scanner) runRegion(b []byte, base int64, lo, hi, first int, eof bool, hits []kwHit) {
	// Move edges to line breaks when one is near, so that regex anchors and
	// terminators see real boundaries. Other edges are artificial: a secret
	// touching one may be cut, and is dropped (a match that fits the rule's
	// radius never touches one).
	startReal := lo == 0 && base == s.opt.Start && !s.opt.CutStart
	if k := bytes.LastIndexByte(b[max(0, lo-edgeSlack):lo], '\n'); k >= 0 {
		lo = max(0, lo-edgeSlack) + k + 1
		startReal = true
	}
	endReal := hi == len(b) && eof && !s.opt.CutEnd
	if k := bytes.IndexByte(b[hi:min(len(b), hi+edgeSlack)], '\n'); k >= 0 {
		hi += k
		endReal = true
	}

	w := &s.win
	if s.opt.Mode == JSON {
		// A JSON Lines record starts after a raw newline in the state
		// "outside any string": never decode across into the previous one
		// with a guessed state.
		if k := bytes.LastIndexByte(b[lo:first], '\n'); k >= 0 {
			lo += k + 1
			startReal = true
		}
		in := stringStateAt(b, lo, first)
		if in {
			lo = alignEscapeStart(b, lo, 0)
		}
		w.decodeJSON(b, lo, hi, in)
	} else {
		w.identity, w.base, w.text, w.rawEnd = true, lo, b[lo:hi], hi
	}

	// Per rule, in rule order, merged windows in decoded coordinates.
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].rule != hits[j].rule {
			return hits[i].rule < hits[j].rule
		}
		return hits[i].lo < hits[j].lo
	})
	for i := 0; i < len(hits); {
		ri := hits[i].rule
		if s.e.rules[ri].Anchored() {
			// The pattern starts at its keyword: try it at each hit only.
			j := i
			for ; j < len(hits) && hits[j].rule == ri; j++ {
				s.runAnchored(ri, w, hits[j].pos, lo, hi, endReal)
			}
			i = j
			continue
		}
		wlo, whi := hits[i].lo, hits[i].hi
		i++
		for ; i < len(hits) && hits[i].rule == ri; i++ {
			if hits[i].lo > whi {
				s.runWindow(ri, w, wlo, whi, lo, hi, startReal, endReal)
				wlo = hits[i].lo
			}
			whi = max(whi, hits[i].hi)
		}
		s.runWindow(ri, w, wlo, whi, lo, hi, startReal, endReal)
	}
}

// runAnchored tries rule ri (an Anchored rule) at the keyword hit at raw
// offset pos, on the decoded text from there to the rule's radius.
func (s *Scanner) runAnchored(ri int, w *window, pos, lo, hi int, endReal bool) {
	if pos < lo || pos >= hi {
		return
	}
	r := s.e.rules[ri]
	text := w.text
	d := w.decodedIndex(pos)
	end := min(len(text), d+r.WindowRadius())
	zReal := end == len(text) && endReal
	if !zReal {
		if k := bytes.IndexByte(text[end:min(len(text), end+edgeSlack)], '\n'); k >= 0 {
			end, zReal = end+k, true
		} else if end == len(text) {
			zReal = endReal
		}
	}
	loc := r.FindAnchored(text, d, end)
	if loc == nil {
		return
	}
	a, z := r.SecretSpan(loc)
	if a < 0 || z <= a || (z == end && !zReal) {
		return
	}
	secret := string(text[a:z])
	c := rules.Candidate{
		Secret: secret,
		Match:  string(text[loc[0]:loc[1]]),
		Line:   lineAround(text, loc[0], loc[1]),
		Path:   s.opt.Path,
	}
	if s.e.set.Accept(r, c) {
		s.cand = append(s.cand, candidate{rule: ri, start: w.rawOffset(a), end: w.rawOffset(z), secret: secret})
	}
}

// runWindow runs rule ri over the decoded text of raw window [wlo, whi)
// inside the region [lo, hi).
func (s *Scanner) runWindow(ri int, w *window, wlo, whi, lo, hi int, startReal, endReal bool) {
	r := s.e.rules[ri]
	re := r.Regexp()
	if re == nil {
		return
	}
	da, db := w.decodedIndex(max(wlo, lo)), w.decodedIndex(min(whi, hi))
	text := w.text
	// Snap to decoded line breaks nearby.
	aReal := (da == 0 && startReal) || (da > 0 && text[da-1] == '\n')
	if !aReal {
		if k := bytes.LastIndexByte(text[max(0, da-edgeSlack):da], '\n'); k >= 0 {
			da, aReal = max(0, da-edgeSlack)+k+1, true
		} else if da == 0 {
			aReal = startReal
		}
	}
	zReal := (db == len(text) && endReal) || (db < len(text) && text[db] == '\n')
	if !zReal {
		if k := bytes.IndexByte(text[db:min(len(text), db+edgeSlack)], '\n'); k >= 0 {
			db, zReal = db+k, true
		} else if db == len(text) {
			zReal = endReal
		}
	}
	if w.identity || len(w.breaks) == 0 {
		s.runText(r, ri, w, da, db, aReal, zReal)
		return
	}
	// JSON Lines: run each record's part of the window on its own.
	from := da
	for _, br := range w.breaks {
		if br < from || br >= db {
			continue
		}
		s.runText(r, ri, w, from, br, aReal || from > da, true)
		from = br + 1
	}
	if from < db {
		s.runText(r, ri, w, from, db, aReal || from > da, zReal)
	}
}

// runText runs rule r (index ri) over w.text[da:db]; aReal and zReal say
// whether the ends are real boundaries.
func (s *Scanner) runText(r *rules.Rule, ri int, w *window, da, db int, aReal, zReal bool) {
	text := w.text
	win := text[da:db]
	for _, loc := range r.FindAll(win) {
		a, z := r.SecretSpan(loc)
		if a < 0 || z <= a {
			continue
		}
		if (z == len(win) && !zReal) || (a == 0 && !aReal) {
			continue
		}
		secret := string(win[a:z])
		c := rules.Candidate{
			Secret: secret,
			Match:  string(win[loc[0]:loc[1]]),
			Line:   lineAround(text, da+loc[0], da+loc[1]),
			Path:   s.opt.Path,
		}
		if !s.e.set.Accept(r, c) {
			continue
		}
		s.cand = append(s.cand, candidate{rule: ri, start: w.rawOffset(da + a), end: w.rawOffset(da + z), secret: secret})
	}
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
// raw offset of its line's start.
func (s *Scanner) column(b []byte, base int64, p int) (int, int64) {
	if nl := bytes.LastIndexByte(b[:p], '\n'); nl >= 0 {
		return utf8.RuneCount(b[nl+1:p]) + 1, base + int64(nl) + 1
	}
	return s.runesPre + utf8.RuneCount(b[:p]) + 1, s.lineStart
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
