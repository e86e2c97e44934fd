package match

import (
	"bytes"
	"io"
	"math"
	"slices"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/mcpscan/mcpscan/rules"
)

// This file turns keyword hits into regex runs. Most rules are anchored
// (rules.Anchor): every match starts at most Pre bytes before a keyword,
// so the rule is tried only at the few offsets before each hit that can
// start a match, with Go's regexp anchored at the offset (it stops as soon
// as no match is possible). The few rules whose pattern does not allow it
// run over a window around the hit, as before.
//
// Windows are decoded (JSON mode) as small as the rules of their hits
// allow. A match that reaches an artificial edge of what was decoded is
// not dropped: the text is decoded further, up to the end of the line or
// record (within the read buffer), and the rule runs again.

// anchorSpan is how much decoded text after a keyword an anchored rule's
// window holds at first; longer matches extend it.
const anchorSpan = 384

// maxWiden bounds how far past a match's start a region is widened: the
// end of the line or record, within the read buffer, at most this far.
// widenBudget bounds the bytes one rule decodes again by widening in one
// buffer: a pattern such as gitleaks' curl-auth-user (\bcurl\b.*…) reads
// to the end of every line it meets, and on a line of megabytes (a JSON
// array on one line) widening at each hit would cost maxWiden each time.
// The budget is in bytes, not widenings, so that many short widenings (a
// line of JWTs) never meet it: only a rule that has already re-read
// twice the default chunk size judges a further match on the text there is.
const (
	maxWiden    = 64 << 10
	widenBudget = 2 * DefaultChunkSize
)

// ruleStats counts, per rule, what the matcher did (tests and benchmarks
// turn it on with Engine.countRules; Scanners of one Engine must then run
// one at a time).
type ruleStats struct {
	hits     []int // keyword hits past the checks
	attempts []int // regex runs (anchored attempts or windows)
	scanned  []int // decoded bytes windows handed to the regex
	matches  []int // regex matches
	widened  []int // regions decoded again, wider
}

func (e *Engine) countRules() *ruleStats {
	n := len(e.rules)
	e.stats = &ruleStats{make([]int, n), make([]int, n), make([]int, n), make([]int, n), make([]int, n)}
	return e.stats
}

// ruleRun is how the matcher runs one rule, derived once per Engine.
type ruleRun struct {
	once   sync.Once
	anchor *rules.Anchor
	back   int // raw bytes a window holds before a keyword hit
	fwd    int // and after its start
	limit  int // anchored: decoded bytes after a match start that the match may need (MaxInt: unbounded)
}

// run returns how to run rule ri, deriving it on first use.
func (e *Engine) run(ri int) *ruleRun {
	rr := &e.runs[ri]
	rr.once.Do(func() {
		r := e.rules[ri]
		rad := r.WindowRadius()
		if a := r.Anchor(); a != nil {
			rr.anchor = a
			rr.limit = math.MaxInt // unbounded: as far as the line or record goes
			if a.MaxLen >= 0 {
				rr.limit = a.MaxLen + 1 // one more byte: a terminator or $ is judged on real text
			}
			rr.back = 2*(a.Pre+a.NameMax()) + 8
			rr.fwd = min(rr.limit, anchorSpan) + 8
			return
		}
		rr.back, rr.fwd = rad, rad
	})
	return rr
}

// process finds keyword hits starting in b[from:to], runs the rules they
// trigger and queues accepted matches in s.pend. Windows of all rules that
// overlap form a region, decoded once (JSON mode).
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
	json := s.opt.Mode == JSON
	pf.find(b, from, to, func(pos, ki int) {
		kw := &pf.keywords[ki]
		checks, pres := kw.ruleChecks(s.e.rules)
		for i, ri := range kw.rules {
			if pres[i] < 0 || !s.applies(ri) {
				continue
			}
			if c := checks[i]; c != nil && !c(b, pos, pos+len(kw.text), json) {
				continue
			}
			r := s.e.rules[ri]
			if !r.Admits(b, pos+len(kw.text)) {
				continue
			}
			rr := s.e.run(ri)
			if st := s.e.stats; st != nil {
				st.hits[ri]++
			}
			back := rr.back
			if rr.anchor != nil {
				back = 2*(pres[i]+rr.anchor.NameMax()) + 8
			}
			lo, hi := max(0, pos-back), min(len(b), pos+len(kw.text)+rr.fwd)
			s.hits = append(s.hits, kwHit{lo: lo, hi: hi, pos: pos, rule: ri, pre: pres[i]})
		}
	})
	if len(s.hits) == 0 {
		return nil
	}
	slices.SortFunc(s.hits, func(x, y kwHit) int { return x.lo - y.lo })

	s.cand = s.cand[:0]
	s.cur, s.curBase, s.eof = b, base, eof
	if len(s.widenings) != len(s.e.rules) {
		s.widenings = make([]int, len(s.e.rules))
	}
	clear(s.widenings)
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

// region is a decoded stretch of the buffer and whether its ends are real
// boundaries (the input's ends, or line breaks) rather than cuts.
type region struct {
	w                  *window
	lo, hi             int // raw
	startReal, endReal bool
}

// runRegion decodes (in JSON mode) the region b[lo:hi] and runs each
// rule of hits, collecting raw candidates.
func (s *Scanner) runRegion(b []byte, base int64, lo, hi, first int, eof bool, hits []kwHit) {
	s.e.label(len(s.e.rules))
	defer s.e.label(-1)
	rg := s.decodeRegion(&s.win, b, base, lo, hi, first, eof)

	// Per rule, in rule order, hits in order.
	slices.SortFunc(hits, func(x, y kwHit) int {
		if x.rule != y.rule {
			return x.rule - y.rule
		}
		return x.pos - y.pos
	})
	for i := 0; i < len(hits); {
		ri := hits[i].rule
		s.e.label(ri)
		rr := s.e.run(ri)
		if rr.anchor != nil {
			j, done := i, 0 // done: raw offset before which this rule has matched
			for ; j < len(hits) && hits[j].rule == ri; j++ {
				done = s.runAnchored(ri, rr, rg, hits[j].pos, hits[j].pre, done)
			}
			i = j
			continue
		}
		wlo, whi, hit := hits[i].lo, hits[i].hi, hits[i].pos
		i++
		for ; i < len(hits) && hits[i].rule == ri; i++ {
			if hits[i].lo > whi {
				s.runWindow(ri, rg, wlo, whi, hit)
				wlo, hit = hits[i].lo, hits[i].pos
			}
			whi = max(whi, hits[i].hi)
		}
		s.runWindow(ri, rg, wlo, whi, hit)
	}
}

// decodeRegion decodes b[lo:hi] into w (JSON mode; in Text mode w views
// the raw bytes). first is a keyword hit in the region: a known point
// inside a JSON string. Edges move to nearby line breaks, so that regex
// anchors and terminators see real boundaries.
func (s *Scanner) decodeRegion(w *window, b []byte, base int64, lo, hi, first int, eof bool) region {
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
		w.breaks = w.breaks[:0]
	}
	return region{w: w, lo: lo, hi: hi, startReal: startReal, endReal: endReal}
}

// widen decodes a wider region than rg, for a match that reached one of
// its cut edges: from the start of the line or record holding raw offset
// at (at most back bytes before it) to the end of that line or record (at
// most fwd bytes after it), within the buffer. hit is a keyword hit in it:
// a known point inside a JSON string. It returns rg when there is nothing
// more to see.
func (s *Scanner) widen(rg region, at, hit, back, fwd int) region {
	b := s.cur
	lo := max(0, at-back)
	if k := bytes.LastIndexByte(b[lo:at], '\n'); k >= 0 {
		lo += k + 1
	}
	hi := min(len(b), at+fwd)
	if k := bytes.IndexByte(b[at:hi], '\n'); k >= 0 {
		hi = at + k
	}
	lo, hi = min(lo, rg.lo), max(hi, rg.hi)
	if lo >= rg.lo && hi <= rg.hi {
		return rg
	}
	return s.decodeRegion(&s.wide, b, s.curBase, lo, hi, min(hit, hi-1), s.eof)
}

// runAnchored tries anchored rule ri at the offsets up to pre bytes before
// the keyword hit at raw offset pos that can start a match, leftmost
// first, skipping what
// an earlier match of the rule covers (raw offsets before done). It
// returns the new done.
func (s *Scanner) runAnchored(ri int, rr *ruleRun, rg region, pos, pre, done int) int {
	w := rg.w
	if pos < rg.lo || pos >= rg.hi {
		return done
	}
	a := rr.anchor
	text := w.text
	d := w.decodedIndex(pos)
	from := d - pre
	if from < 0 && !rg.startReal {
		// The match may start before what was decoded.
		if wide := s.widen(rg, pos, pos, 4*(pre+a.NameMax())+64, 0); wide.lo < rg.lo {
			return s.runAnchored(ri, rr, wide, pos, pre, done)
		}
	}
	for st := max(from, w.decodedIndex(done), 0); st <= d; st++ {
		if !a.Starts(text, st) {
			continue
		}
		end, endReal := s.attemptEnd(rg, st, rr.limit)
		if c := s.e.stats; c != nil {
			c.attempts[ri]++
		}
		var loc []int
		decided := false
		if plan, cutLen := a.Cut(); plan != nil && st+cutLen < end {
			cut := st + cutLen
			// A short attempt first (see rules.CutPlan): its answer stands
			// unless the match reaches the cut.
			for cut < end && (plan.Pair[text[cut-1]] || text[cut]&0xC0 == 0x80) {
				cut++ // past a two-character terminator begun, or inside a character
			}
			loc = findAt(a, text, st, cut)
			decided = loc == nil || loc[1] < cut
		}
		switch {
		case decided:
		case endReal:
			loc = findAt(a, text, st, end)
		default:
			// The text may stop before the rule would: learn whether the
			// regex needed more than there is.
			var short bool
			loc, short = s.findAtEdge(a, text, st, end)
			if short {
				// Four times as far, up to the end of the line or record.
				at := w.rawOffset(st)
				if s.widenings[ri] < widenBudget {
					if wide := s.widen(rg, at, pos, 0, min(maxWiden, 4*max(anchorSpan, rg.hi-at))); wide.hi > rg.hi {
						s.widenings[ri] += wide.hi - wide.lo
						if c := s.e.stats; c != nil {
							c.widened[ri]++
						}
						return s.runAnchored(ri, rr, wide, pos, pre, done)
					}
				}
				// Nothing more in the buffer: judge what there is.
				loc = findAt(a, text, st, end)
			}
		}
		if loc == nil {
			continue
		}
		s.candidate(ri, w, loc)
		return w.rawOffset(loc[1])
	}
	return done
}

// attemptEnd returns where an attempt starting at decoded st may read to:
// limit bytes, the end of the JSON Lines record, or the end of the text;
// and whether that end is a real boundary (the attempt then sees all it
// could need).
func (s *Scanner) attemptEnd(rg region, st, limit int) (int, bool) {
	w := rg.w
	text := w.text
	end := len(text)
	real := rg.endReal
	for _, br := range w.breaks {
		if br >= st {
			if br < end {
				end, real = br, true
			}
			break
		}
	}
	if limit < end-st {
		return st + limit, true
	}
	return end, real
}

// findAt runs a's anchored attempt at text[st] with text[st-1] as
// context; a context byte that is not ASCII is replaced by a blank for the
// call (the same class for \b and ^), so that it is one byte wide.
func findAt(a *rules.Anchor, text []byte, st, end int) []int {
	if st > 0 && text[st-1] >= utf8.RuneSelf {
		c := text[st-1]
		text[st-1] = ' '
		defer func() { text[st-1] = c }()
	}
	return a.FindAt(text, st, end)
}

// findAtEdge is findAt that also reports whether the regex read up to end
// (it could have matched differently with more text).
func (s *Scanner) findAtEdge(a *rules.Anchor, text []byte, st, end int) ([]int, bool) {
	if st > 0 && text[st-1] >= utf8.RuneSelf {
		c := text[st-1]
		text[st-1] = ' '
		defer func() { text[st-1] = c }()
	}
	from := max(st-1, 0)
	s.edge.reset(text[from:end])
	loc := a.FindReader(&s.edge, st > 0)
	if loc != nil {
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += from
			}
		}
		loc[0] = st
		a.Widen(text, loc)
	}
	return loc, s.edge.hitEnd
}

// edgeReader is an io.RuneReader over a byte slice that records whether it
// was read to the end.
type edgeReader struct {
	text   []byte
	i      int
	hitEnd bool
}

func (r *edgeReader) reset(text []byte) { r.text, r.i, r.hitEnd = text, 0, false }

func (r *edgeReader) ReadRune() (rune, int, error) {
	if r.i >= len(r.text) {
		r.hitEnd = true
		return 0, 0, io.EOF
	}
	c := r.text[r.i]
	if c < utf8.RuneSelf {
		r.i++
		return rune(c), 1, nil
	}
	ru, n := utf8.DecodeRune(r.text[r.i:])
	r.i += n
	return ru, n, nil
}

// runWindow runs rule ri (not anchored) over the decoded text of raw
// window [wlo, whi) inside region rg. A match that touches a cut edge of
// the window is looked for again in a wider region.
func (s *Scanner) runWindow(ri int, rg region, wlo, whi, hit int) {
	r := s.e.rules[ri]
	if r.Regexp() == nil {
		return
	}
	w := rg.w
	da, db := w.decodedIndex(max(wlo, rg.lo)), w.decodedIndex(min(whi, rg.hi))
	text := w.text
	// Snap to decoded line breaks nearby.
	aReal := (da == 0 && rg.startReal) || (da > 0 && text[da-1] == '\n')
	if !aReal {
		if k := bytes.LastIndexByte(text[max(0, da-edgeSlack):da], '\n'); k >= 0 {
			da, aReal = max(0, da-edgeSlack)+k+1, true
		} else if da == 0 {
			aReal = rg.startReal
		}
	}
	zReal := (db == len(text) && rg.endReal) || (db < len(text) && text[db] == '\n')
	if !zReal {
		if k := bytes.IndexByte(text[db:min(len(text), db+edgeSlack)], '\n'); k >= 0 {
			db, zReal = db+k, true
		} else if db == len(text) {
			zReal = rg.endReal
		}
	}
	if s.runText(r, ri, w, da, db, aReal, zReal) && s.widenings[ri] < widenBudget {
		// A match reached a cut edge: the whole line or record, as far as
		// the buffer holds it.
		rad := r.WindowRadius()
		lo, hi := w.rawOffset(da), w.rawOffset(db)
		wide := s.widen(region{w: w, lo: lo, hi: hi}, lo, hit, 4*rad, 0)
		wide = s.widen(wide, hi, hit, 0, maxWiden)
		s.widenings[ri] += wide.hi - wide.lo
		if wide.lo < lo || wide.hi > hi {
			ww := wide.w
			s.runText(r, ri, ww, 0, len(ww.text), wide.startReal, wide.endReal)
		}
	}
}

// runText runs rule r (index ri) over w.text[da:db]; aReal and zReal say
// whether the ends are real boundaries. JSON Lines records are run one by
// one. It reports whether a match touched an end that is not real (and
// was left out).
func (s *Scanner) runText(r *rules.Rule, ri int, w *window, da, db int, aReal, zReal bool) bool {
	cut := false
	from := da
	for _, br := range w.breaks {
		if br < from || br >= db {
			continue
		}
		cut = s.runSpan(r, ri, w, from, br, aReal || from > da, true) || cut
		from = br + 1
	}
	if from < db {
		cut = s.runSpan(r, ri, w, from, db, aReal || from > da, zReal) || cut
	}
	return cut
}

// runSpan runs rule r over w.text[da:db], inside one record.
func (s *Scanner) runSpan(r *rules.Rule, ri int, w *window, da, db int, aReal, zReal bool) bool {
	win := w.text[da:db]
	if c := s.e.stats; c != nil {
		c.attempts[ri]++
		c.scanned[ri] += len(win)
	}
	cut := false
	for _, loc := range r.FindAll(win) {
		if (loc[1] == len(win) && !zReal) || (loc[0] == 0 && !aReal) {
			cut = true
			continue
		}
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += da
			}
		}
		s.candidate(ri, w, loc)
	}
	return cut
}

// candidate checks match loc (decoded offsets in w.text) of rule ri and
// queues it as a raw candidate when the rule set accepts it. The cheap
// checks run on views of the text; strings are made only for matches that
// pass them.
func (s *Scanner) candidate(ri int, w *window, loc []int) {
	r := s.e.rules[ri]
	if c := s.e.stats; c != nil {
		c.matches[ri]++
	}
	text := w.text
	a, z := r.SecretSpan(loc)
	if a < 0 || z <= a {
		return
	}
	if !s.e.set.Plausible(r, view(text[a:z]), view(text[loc[0]:loc[1]])) {
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

// view returns b as a string without copying it, for a callee that does
// not retain it while b stays unchanged.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
