package redact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// The replacement engine.
//
// A file is read as a stream and cut into units: one line for JSON Lines
// and JSON documents (a JSON string never holds a raw line break, so every
// string lies within one line), and blocks of whole lines for text, where
// a secret may run over several lines. In each unit the needles are
// searched at three levels:
//
//	L0  the raw bytes;
//	L1  the text with JSON escapes decoded: for JSON kinds, the content of
//	    each string that holds a backslash; for text, each such line;
//	L2  L1 decoded once more, when it still holds a backslash: JSON inside
//	    a JSON string (a tool result that printed a JSON file).
//
// Every hit is mapped back to its raw span, widened to whole escapes, and
// cut at line breaks (CR and LF, raw or escaped), which stay where they
// are: each piece between them becomes one marker. So no line is ever
// added or removed, in any kind, and a key block keeps its line count.
// Overlapping pieces are merged; a merged piece of several secrets gets
// each secret's marker, in order.
//
// In JSON kinds a replacement must stay inside one string; a raw hit
// outside strings is replaced only when it is not a number (in JSONC
// comments); anything else is counted as unredactable and left.

// errLineTooLong reports a line longer than the engine's limit.
var errLineTooLong = errors.New("line too long")

// errInvalidOutput reports a bug guard: a changed JSON line that no longer
// parses. The file is then left unchanged.
var errInvalidOutput = errors.New("internal error: redacted line is not valid JSON")

// occ is one occurrence of a secret: its whole raw span.
type occ struct {
	s, e   int
	secret int
	segs   []span // the pieces to replace, raw, line breaks excluded
}

type span struct{ s, e int }

// strSpan is the content of one JSON string in a line, quotes excluded.
type strSpan struct {
	s, e int
	esc  bool // holds a backslash
}

// redactStats counts what one transform did.
type redactStats struct {
	places   []int // per file-local secret
	residual int   // hits left in place (see the engine doc)
	lines    int   // lines changed
}

func (s *redactStats) add(o redactStats) {
	if s.places == nil {
		s.places = make([]int, len(o.places))
	}
	for i, n := range o.places {
		s.places[i] += n
	}
	s.residual += o.residual
	s.lines += o.lines
}

func (s redactStats) total() int {
	n := 0
	for _, p := range s.places {
		n += p
	}
	return n
}

func (s redactStats) clone() redactStats {
	s.places = slices.Clone(s.places)
	return s
}

// engine holds what every unit of one file needs.
type engine struct {
	kind    Kind
	maxLine int
	m       *matcher
	filter  *escFilter
	markers [][]byte // per file-local secret

	// scratch
	dec1, dec2 []byte
	tab1, tab2 escTable
	strs       []strSpan
	occs       []occ
	out        []byte
}

func newEngine(kind Kind, secrets []*secretInfo) *engine {
	vals := make([]string, len(secrets))
	markers := make([][]byte, len(secrets))
	for i, s := range secrets {
		vals[i] = s.value
		markers[i] = s.marker
	}
	ns := needlesFor(vals)
	return &engine{kind: kind, m: newMatcher(ns), filter: newEscFilter(ns), markers: markers}
}

// addOcc records an occurrence found in text (a level's text) at [d0,d1);
// mapSpan maps a span of text to the unit's raw bytes.
func (e *engine) addOcc(secret int, text []byte, d0, d1 int, mapSpan func(a, b int) (int, int)) {
	o := occ{secret: secret}
	o.s, o.e = mapSpan(d0, d1)
	for a := d0; a < d1; {
		b := a
		for b < d1 && text[b] != '\n' && text[b] != '\r' {
			b++
		}
		if b > a {
			s, t := mapSpan(a, b)
			o.segs = append(o.segs, span{s, t})
		}
		for b < d1 && (text[b] == '\n' || text[b] == '\r') {
			b++
		}
		a = b
	}
	e.occs = append(e.occs, o)
}

// jsonLine finds the occurrences in one line of a JSON kind; comment
// carries the "inside /* */" state of JSON documents across lines.
func (e *engine) jsonLine(line []byte, comment *bool, st *redactStats) {
	e.occs = e.occs[:0]
	e.strs = jsonStrings(line, e.kind == KindJSON, comment, e.strs[:0])
	strs := e.strs
	// L0: raw hits.
	e.m.each(line, func(p, ni int) {
		n := e.m.needles[ni]
		q := p + len(n.b)
		k := sortSearchStr(strs, p)
		switch {
		case k >= 0 && p < strs[k].e:
			if q > strs[k].e {
				st.residual++
				return
			}
			sp := strs[k]
			var tab escTable
			if sp.esc {
				e.tab1 = e.tab1[:0]
				e.dec1 = unescape(e.dec1[:0], line[sp.s:sp.e], &e.tab1)
				tab = e.tab1
			}
			seg := func(a, b int) (int, int) {
				a, b = tab.widen(a-sp.s, b-sp.s)
				return a + sp.s, b + sp.s
			}
			e.addOcc(n.secret, line, p, q, seg)
		default:
			// Outside strings: JSONC comments, or a number.
			if k >= 0 && p <= strs[k].e || k+1 < len(strs) && q > strs[k+1].s-1 {
				st.residual++
				return
			}
			if numeric(line[p:q]) {
				st.residual++
				return
			}
			e.addOcc(n.secret, line, p, q, func(a, b int) (int, int) { return a, b })
		}
	})
	// L1 and L2: decoded strings.
	for _, sp := range strs {
		if sp.esc && e.filter.relevant(line[sp.s:sp.e]) {
			e.decodedLevels(line, sp.s, sp.e)
		}
	}
}

// decodedLevels searches L1 and L2 of raw[s:e] and records occurrences
// with raw offsets.
func (e *engine) decodedLevels(raw []byte, s, end int) {
	src := raw[s:end]
	e.dec1 = unescape(e.dec1[:0], src, nil)
	hit := e.m.any(e.dec1)
	var l2hit bool
	if bytes.IndexByte(e.dec1, '\\') >= 0 {
		e.dec2 = unescape(e.dec2[:0], e.dec1, nil)
		l2hit = e.m.any(e.dec2)
	}
	if !hit && !l2hit {
		return
	}
	e.tab1 = e.tab1[:0]
	e.dec1 = unescape(e.dec1[:0], src, &e.tab1)
	tab1 := slices.Clone(e.tab1)
	dec1 := slices.Clone(e.dec1)
	map1 := func(a, b int) (int, int) {
		a, b = tab1.srcSpan(a, b)
		return a + s, b + s
	}
	if hit {
		e.m.each(dec1, func(p, ni int) {
			n := e.m.needles[ni]
			e.addOcc(n.secret, dec1, p, p+len(n.b), map1)
		})
	}
	if l2hit {
		e.tab2 = e.tab2[:0]
		e.dec2 = unescape(e.dec2[:0], dec1, &e.tab2)
		tab2 := e.tab2
		map2 := func(a, b int) (int, int) {
			a, b = tab2.srcSpan(a, b)
			return map1(a, b)
		}
		e.m.each(e.dec2, func(p, ni int) {
			n := e.m.needles[ni]
			e.addOcc(n.secret, e.dec2, p, p+len(n.b), map2)
		})
	}
}

// numeric reports whether b could be (part of) a JSON number.
func numeric(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// sortSearchStr returns the index of the last string starting at or
// before p, or -1.
func sortSearchStr(strs []strSpan, p int) int {
	lo, hi := 0, len(strs)
	for lo < hi {
		m := (lo + hi) / 2
		if strs[m].s <= p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

// jsonStrings appends the strings of one line of JSON. It needs no state
// but "inside a block comment": a JSON string never holds a raw line
// break, so every line starts outside a string. With comments set it
// skips // and /* */ comments (JSONC). An unterminated string runs to the
// end of the line, line break excluded.
func jsonStrings(line []byte, comments bool, inComment *bool, dst []strSpan) []strSpan {
	for i := 0; i < len(line); {
		if *inComment {
			j := bytes.Index(line[i:], []byte("*/"))
			if j < 0 {
				return dst
			}
			i += j + 2
			*inComment = false
			continue
		}
		var j int
		if comments {
			j = bytes.IndexAny(line[i:], `"/`)
		} else {
			j = bytes.IndexByte(line[i:], '"')
		}
		if j < 0 {
			return dst
		}
		i += j
		if line[i] == '/' {
			if i+1 < len(line) && line[i+1] == '/' {
				return dst
			}
			if i+1 < len(line) && line[i+1] == '*' {
				*inComment = true
				i += 2
				continue
			}
			i++
			continue
		}
		start := i + 1
		k := start
		for {
			q := bytes.IndexByte(line[k:], '"')
			if q < 0 {
				end := len(line)
				for end > start && (line[end-1] == '\n' || line[end-1] == '\r') {
					end--
				}
				esc := bytes.IndexByte(line[start:end], '\\') >= 0
				return append(dst, strSpan{start, end, esc})
			}
			k += q
			bs := 0
			for b := k - 1; b >= start && line[b] == '\\'; b-- {
				bs++
			}
			if bs%2 == 0 {
				break
			}
			k++
		}
		esc := bytes.IndexByte(line[start:k], '\\') >= 0
		dst = append(dst, strSpan{start, k, esc})
		i = k + 1
	}
	return dst
}

// textBlock finds the occurrences in a block of text lines.
func (e *engine) textBlock(b []byte, st *redactStats) error {
	e.occs = e.occs[:0]
	// L0 over the whole block: a key block spans lines.
	e.m.each(b, func(p, ni int) {
		n := e.m.needles[ni]
		e.addOcc(n.secret, b, p, p+len(n.b), func(x, y int) (int, int) { return e.widenText(b, x, y) })
	})
	// L1/L2 per line.
	for ls := 0; ls < len(b); {
		le := bytes.IndexByte(b[ls:], '\n')
		if le < 0 {
			le = len(b)
		} else {
			le += ls
		}
		if le-ls > e.maxLine {
			return lineTooLong(e.maxLine)
		}
		if e.filter.relevant(b[ls:le]) {
			e.decodedLevels(b, ls, le)
		}
		ls = le + 1
	}
	return nil
}

func lineTooLong(n int) error {
	return fmt.Errorf("%w: a line is longer than %d bytes; the file is left unchanged", errLineTooLong, n)
}

// widenText widens the raw span [s, t) of a text block so that it cuts no
// escape of the lines it starts and ends in.
func (e *engine) widenText(b []byte, s, t int) (int, int) {
	ls := bytes.LastIndexByte(b[:s], '\n') + 1
	le := bytes.IndexByte(b[s:], '\n')
	if le < 0 {
		le = len(b)
	} else {
		le += s
	}
	if bytes.IndexByte(b[ls:le], '\\') >= 0 {
		var tab escTable
		unescape(nil, b[ls:le], &tab)
		s0, _ := tab.widen(s-ls, s-ls+1)
		s = s0 + ls
	}
	if t > 0 {
		ls2 := bytes.LastIndexByte(b[:t-1], '\n') + 1
		le2 := bytes.IndexByte(b[t-1:], '\n')
		if le2 < 0 {
			le2 = len(b)
		} else {
			le2 += t - 1
		}
		if bytes.IndexByte(b[ls2:le2], '\\') >= 0 {
			var tab escTable
			unescape(nil, b[ls2:le2], &tab)
			_, t1 := tab.widen(t-1-ls2, t-ls2)
			t = t1 + ls2
		}
	}
	return s, t
}

// apply writes unit[:limit'] with the occurrences that start before limit
// replaced, where limit' ≥ limit also covers every occurrence overlapping
// one that is replaced. It returns limit' and counts into st.
func (e *engine) apply(unit []byte, limit int, st *redactStats) (out []byte, consumed int) {
	occs := e.occs
	slices.SortFunc(occs, func(a, b occ) int {
		if a.s != b.s {
			return a.s - b.s
		}
		return b.e - a.e
	})
	consumed = limit
	n := 0
	for _, o := range occs {
		if o.s < consumed {
			consumed = max(consumed, o.e)
			occs[n] = o
			n++
		}
	}
	occs = occs[:n]
	if n == 0 {
		return unit[:consumed], consumed
	}
	// Places: overlapping occurrences of one secret are one place.
	bySecret := slices.Clone(occs)
	slices.SortFunc(bySecret, func(a, b occ) int {
		if a.secret != b.secret {
			return a.secret - b.secret
		}
		return a.s - b.s
	})
	for i := 0; i < len(bySecret); {
		j, end := i+1, bySecret[i].e
		for j < len(bySecret) && bySecret[j].secret == bySecret[i].secret && bySecret[j].s < end {
			end = max(end, bySecret[j].e)
			j++
		}
		st.places[bySecret[i].secret]++
		i = j
	}
	// Pieces, merged.
	type piece struct {
		s, e    int
		secrets []int
	}
	var pieces []piece
	for _, o := range occs {
		for _, sg := range o.segs {
			pieces = append(pieces, piece{sg.s, sg.e, []int{o.secret}})
		}
	}
	slices.SortFunc(pieces, func(a, b piece) int { return a.s - b.s })
	merged := pieces[:0]
	for _, p := range pieces {
		if k := len(merged) - 1; k >= 0 && p.s < merged[k].e {
			merged[k].e = max(merged[k].e, p.e)
			for _, s := range p.secrets {
				if !slices.Contains(merged[k].secrets, s) {
					merged[k].secrets = append(merged[k].secrets, s)
				}
			}
			continue
		}
		merged = append(merged, p)
	}
	e.out = e.out[:0]
	at := 0
	for _, p := range merged {
		e.out = append(e.out, unit[at:p.s]...)
		for _, s := range p.secrets {
			e.out = append(e.out, e.markers[s]...)
		}
		at = p.e
	}
	e.out = append(e.out, unit[at:consumed]...)
	st.lines += touchedLines(unit, func(yield func(int) bool) {
		for _, p := range merged {
			if !yield(p.s) {
				return
			}
		}
	})
	return e.out, consumed
}

// touchedLines counts the distinct lines of unit that the offsets given
// by starts (ascending) fall in.
func touchedLines(unit []byte, starts func(func(int) bool)) int {
	n, line, last, at := 0, 0, -1, 0
	for s := range starts {
		line += bytes.Count(unit[at:s], []byte{'\n'})
		at = s
		if line != last {
			n++
			last = line
		}
	}
	return n
}

// redactor is the streaming transform of one file: Write takes the
// file's bytes in order and writes the redacted bytes of every complete
// unit to out; Flush writes the rest as if the file ended there, without
// consuming it, so that more bytes can still follow (a live append).
type redactor struct {
	e         *engine
	out       io.Writer
	pend      []byte
	off       int
	comment   bool
	stats     redactStats
	lastFlush redactStats
	maxLine   int
	blockSize int
	overlap   int
}

// defaultMaxLine bounds a line (JSON kinds) or a text block's single line.
const defaultMaxLine = 64 << 20

func newRedactor(kind Kind, secrets []*secretInfo, out io.Writer, maxLine int) *redactor {
	if maxLine <= 0 {
		maxLine = defaultMaxLine
	}
	maxLine = min(maxLine, 1<<30) // offsets in escape tables are int32
	e := newEngine(kind, secrets)
	e.maxLine = maxLine
	r := &redactor{e: e, out: out, maxLine: maxLine, blockSize: 1 << 20}
	r.stats.places = make([]int, len(secrets))
	r.lastFlush.places = make([]int, len(secrets))
	r.overlap = e.m.maxLen + 16
	return r
}

func (r *redactor) Write(p []byte) (int, error) {
	r.pend = append(r.pend, p...)
	if err := r.process(); err != nil {
		return 0, err
	}
	if r.off > 0 && (r.off >= len(r.pend)/2 || r.off > 4<<20) {
		n := copy(r.pend, r.pend[r.off:])
		r.pend = r.pend[:n]
		r.off = 0
	}
	return len(p), nil
}

func (r *redactor) process() error {
	if r.e.kind == KindText {
		for len(r.pend)-r.off >= r.blockSize+r.overlap {
			avail := r.pend[r.off:]
			target := len(avail) - r.overlap
			commit := bytes.LastIndexByte(avail[:target], '\n') + 1
			if commit == 0 {
				if len(avail) > r.maxLine {
					return lineTooLong(r.maxLine)
				}
				break // one long line: wait for its end
			}
			if err := r.e.textBlock(avail, &r.stats); err != nil {
				return err
			}
			out, n := r.e.apply(avail, commit, &r.stats)
			if _, err := r.out.Write(out); err != nil {
				return err
			}
			r.off += n
		}
		return nil
	}
	for {
		i := bytes.IndexByte(r.pend[r.off:], '\n')
		if i < 0 {
			break
		}
		if i+1 > r.maxLine {
			return lineTooLong(r.maxLine)
		}
		if err := r.jsonUnit(r.pend[r.off:r.off+i+1], &r.comment, &r.stats); err != nil {
			return err
		}
		r.off += i + 1
	}
	if len(r.pend)-r.off > r.maxLine {
		return lineTooLong(r.maxLine)
	}
	return nil
}

func (r *redactor) jsonUnit(line []byte, comment *bool, st *redactStats) error {
	r.e.jsonLine(line, comment, st)
	if len(r.e.occs) == 0 {
		_, err := r.out.Write(line)
		return err
	}
	out, _ := r.e.apply(line, len(line), st)
	if r.e.kind == KindJSONL && json.Valid(line) && !json.Valid(out) {
		return errInvalidOutput
	}
	_, err := r.out.Write(out)
	return err
}

// Flush writes the redacted form of the bytes not yet written, as if the
// input ended here. It may be called again after more Writes; the caller
// then discards what the previous Flush wrote.
func (r *redactor) Flush() error {
	rest := r.pend[r.off:]
	st := redactStats{places: make([]int, len(r.stats.places))}
	r.lastFlush = st
	if len(rest) == 0 {
		return nil
	}
	if r.e.kind == KindText {
		if err := r.e.textBlock(rest, &st); err != nil {
			return err
		}
		out, _ := r.e.apply(rest, len(rest), &st)
		if _, err := r.out.Write(out); err != nil {
			return err
		}
	} else {
		comment := r.comment
		if err := r.jsonUnit(rest, &comment, &st); err != nil {
			return err
		}
	}
	r.lastFlush = st
	return nil
}

// result returns the counts of everything written, the last Flush included.
func (r *redactor) result() redactStats {
	s := r.stats.clone()
	s.add(r.lastFlush)
	return s
}

// changed reports whether any place was replaced.
func (r *redactor) changed() bool {
	return r.stats.total() > 0 || r.lastFlush.total() > 0
}

// verifyJSONDocument guards JSON documents as the engine guards each
// JSON Lines record: a document that parsed must still parse.
func verifyJSONDocument(orig, out io.Reader) error {
	if validJSONStream(orig) && !validJSONStream(out) {
		return errInvalidOutput
	}
	return nil
}

// validJSONStream reports whether r holds a sequence of valid JSON values,
// reading it token by token.
func validJSONStream(r io.Reader) bool {
	d := json.NewDecoder(r)
	for {
		_, err := d.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}
