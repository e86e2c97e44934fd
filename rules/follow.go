package rules

import (
	"regexp/syntax"
	"strings"
	"sync"
	"unicode"
)

// KeywordCheckFunc tests one keyword occurrence b[start:end]. With json
// set, b is raw JSON text and simple escapes (\n, \") are decoded; without
// it, a backslash sequence makes the test accept (the text may mean it
// literally).
type KeywordCheckFunc func(b []byte, start, end int, json bool) bool

// KeywordCheck returns a cheap test, derived from the rule's pattern, that
// a keyword hit must pass before the rule's regex is worth running around
// it, or nil when nothing can be derived. It looks at what the regex
// demands right around the keyword wherever the keyword is a literal of the
// pattern: a word boundary before it (\bey…), literal characters before or
// after it (.ey…, hvs.…), and a run of a character class after it
// (s.[a-z0-9]{24}). The test is only a necessary condition: it never rejects
// a place where the regex could match with this keyword occurrence, and it
// accepts when raw JSON escapes make the bytes ambiguous.
//
// b is the raw buffer and [start, end) the keyword occurrence; bytes past
// len(b) are unknown and accepted. The result is cached per keyword.
func (r *Rule) KeywordCheck(kw string) KeywordCheckFunc {
	return r.keywordEntry(kw).check
}

// keywordDerived is what a rule demands around one of its keywords: the
// alignments (see deriveNeeds) and the check made of them.
type keywordDerived struct {
	needs []need // nil: nothing can be derived
	check KeywordCheckFunc
}

// keywordEntry returns the derivation for keyword kw, computing it on
// first use; KeywordCheck, PrecedeBytes and FollowBytes share it.
func (r *Rule) keywordEntry(kw string) keywordDerived {
	r.checksMu.Lock()
	defer r.checksMu.Unlock()
	if e, ok := r.checks[kw]; ok {
		return e
	}
	if r.checks == nil {
		r.checks = map[string]keywordDerived{}
	}
	var e keywordDerived
	if p := r.plan(); p != nil && p.keyword(kw) != nil {
		e.needs = p.keyword(kw).decode()
	} else {
		e.needs = deriveNeeds(r.paths(), kw)
	}
	e.check = needsCheck(e.needs)
	r.checks[kw] = e
	return e
}

// maxPaths bounds the expansion of alternations; beyond it no check is
// derived.
const maxPaths = 512

// maxFollow bounds how many bytes after a keyword a check inspects.
const maxFollow = 32

// byteSet is a set of bytes; non-ASCII bytes are in it when the class has
// any non-ASCII rune (a UTF-8 sequence cannot be judged byte by byte).
type byteSet [4]uint64

func (s *byteSet) add(c byte)      { s[c>>6] |= 1 << (c & 63) }
func (s *byteSet) has(c byte) bool { return s[c>>6]>>(c&63)&1 != 0 }

func (s byteSet) union(t byteSet) byteSet {
	return byteSet{s[0] | t[0], s[1] | t[1], s[2] | t[2], s[3] | t[3]}
}

// need is what one alignment of the keyword in one regex path demands.
type need struct {
	boundary bool      // a word boundary right before the literal run
	before   []byteSet // literal characters right before the keyword, nearest last
	after    []byteSet // characters right after the keyword
}

// deriveNeeds returns the alignments of keyword kw in a rule whose
// pattern expands to paths, deduplicated, or nil when no check can be
// derived. Every path of the regex must hold one of the rule's keywords as
// a literal (else a match could contain a keyword only by accident, and no
// check is safe); the paths holding kw give the alignments to test, and
// each must demand something.
func deriveNeeds(paths []pathInfo, kw string) []need {
	if paths == nil {
		return nil
	}
	var needs []need
	for i := range paths {
		p := &paths[i]
		if !p.keyword {
			return nil // this path can match with a keyword only by accident
		}
		ns, ok := alignments(p, kw)
		if !ok {
			continue // matches along this path hold another keyword literally
		}
		for _, n := range ns {
			if !n.boundary && len(n.before) == 0 && len(n.after) == 0 {
				return nil // an alignment that demands nothing: no check
			}
			needs = append(needs, n)
		}
	}
	if len(needs) == 0 {
		return nil
	}
	return dedupe(needs)
}

// needsCheck is the keyword check that accepts where one of needs holds;
// nil for no needs (every hit passes).
func needsCheck(needs []need) KeywordCheckFunc {
	if needs == nil {
		return nil
	}
	return func(b []byte, start, end int, json bool) bool {
		for i := range needs {
			if needs[i].holds(b, start, end, json) {
				return true
			}
		}
		return false
	}
}

// pathInfo is one expanded path of a pattern with its runs of literal
// atoms, found once for all the rule's keywords.
type pathInfo struct {
	atoms   []*syntax.Regexp
	runs    []literalRun
	keyword bool // some run holds one of the rule's keywords
}

// literalRun is a run path.atoms[i:j] of literal atoms: its runes, whether
// each folds case, and the run lower-cased (empty when lower-casing
// changes its length or it is not ASCII: no keyword is found in it).
type literalRun struct {
	i, j  int
	runes []rune
	folds []bool
	lower string
}

func newPathInfo(path []*syntax.Regexp, keywords []string) pathInfo {
	pi := pathInfo{atoms: path}
	for i := 0; i < len(path); i++ {
		if path[i].Op != syntax.OpLiteral {
			continue
		}
		run := literalRun{i: i}
		j := i
		for ; j < len(path) && path[j].Op == syntax.OpLiteral; j++ {
			fold := path[j].Flags&syntax.FoldCase != 0
			for _, r := range path[j].Rune {
				run.runes = append(run.runes, r)
				run.folds = append(run.folds, fold)
			}
		}
		run.j = j
		if lower := strings.ToLower(string(run.runes)); len(lower) == len(string(run.runes)) && isASCII(lower) {
			run.lower = lower
			for _, k := range keywords {
				pi.keyword = pi.keyword || strings.Contains(lower, k)
			}
		}
		pi.runs = append(pi.runs, run)
		i = j - 1
	}
	return pi
}

// expand turns re into the sequences of atoms its alternations allow.
func expand(re *syntax.Regexp, limit int) ([][]*syntax.Regexp, bool) {
	return expandQ(re, limit, false)
}

// expandQ is expand that, with splitQuest, also expands x? into the
// sequences with and without x.
func expandQ(re *syntax.Regexp, limit int, splitQuest bool) ([][]*syntax.Regexp, bool) {
	expand := func(re *syntax.Regexp, limit int) ([][]*syntax.Regexp, bool) { return expandQ(re, limit, splitQuest) }
	switch re.Op {
	case syntax.OpQuest:
		if !splitQuest {
			break
		}
		with, ok := expand(re.Sub[0], limit)
		if !ok || len(with)+1 > limit {
			return nil, false
		}
		return append(with, nil), true
	case syntax.OpCapture:
		return expand(re.Sub[0], limit)
	case syntax.OpConcat:
		out := [][]*syntax.Regexp{nil}
		for _, s := range re.Sub {
			tails, ok := expand(s, limit)
			if !ok || len(out)*len(tails) > limit {
				return nil, false
			}
			var next [][]*syntax.Regexp
			for _, h := range out {
				for _, t := range tails {
					p := make([]*syntax.Regexp, 0, len(h)+len(t))
					next = append(next, append(append(p, h...), t...))
				}
			}
			out = next
		}
		return out, true
	case syntax.OpAlternate:
		var out [][]*syntax.Regexp
		for _, s := range re.Sub {
			ps, ok := expand(s, limit)
			if !ok || len(out)+len(ps) > limit {
				return nil, false
			}
			out = append(out, ps...)
		}
		return out, true
	}
	return [][]*syntax.Regexp{{re}}, true
}

// alignments finds every place where kw is part of a literal run of path
// and what the path demands around it. ok is false when kw is in no
// literal run.
func alignments(pi *pathInfo, kw string) ([]need, bool) {
	var out []need
	found := false
	path := pi.atoms
	for ri := range pi.runs {
		run := &pi.runs[ri]
		if run.lower == "" {
			continue
		}
		i, j, runes, folds := run.i, run.j, run.runes, run.folds
		for off := 0; ; {
			k := strings.Index(run.lower[off:], kw)
			if k < 0 {
				break
			}
			k += off
			found = true
			n := need{boundary: k == 0 && i > 0 && path[i-1].Op == syntax.OpWordBoundary}
			for p := k - 1; p >= 0 && len(n.before) < maxFollow; p-- {
				n.before = append(n.before, literalSet(runes[p], folds[p]))
			}
			for p := k + len(kw); p < len(runes) && len(n.after) < maxFollow; p++ {
				n.after = append(n.after, literalSet(runes[p], folds[p]))
			}
			if k+len(kw) == len(runes) {
				n.after = append(n.after, followSets(path[j:], maxFollow-len(n.after))...)
			}
			out = append(out, n)
			off = k + 1
		}
	}
	return out, found
}

// followSets returns the byte sets the atoms demand, one per character,
// up to max. A run of a class whose length varies gives its minimum count
// of the class and then one position that holds either another character
// of the class or the first of what follows; there it stops, as it does at
// the first atom that is not a class run.
func followSets(atoms []*syntax.Regexp, max int) []byteSet {
	var out []byteSet
	for ai, a := range atoms {
		var set byteSet
		n := 0
		fixed := false
		switch a.Op {
		case syntax.OpCharClass:
			set, n, fixed = classSet(a), 1, true
		case syntax.OpRepeat, syntax.OpPlus, syntax.OpStar, syntax.OpQuest:
			if a.Sub[0].Op != syntax.OpCharClass {
				return out
			}
			set = classSet(a.Sub[0])
			switch a.Op {
			case syntax.OpRepeat:
				n, fixed = a.Min, a.Min == a.Max
			case syntax.OpPlus:
				n = 1
			}
		default:
			return out
		}
		for k := 0; k < n && len(out) < max; k++ {
			out = append(out, set)
		}
		if len(out) >= max {
			return out
		}
		if !fixed {
			// Another character of the class, or what comes next.
			var next [256]bool
			if !firstOfRest(atoms[ai+1:], &next) {
				return out
			}
			for c, in := range next {
				if in {
					set.add(byte(c))
				}
			}
			return append(out, set)
		}
	}
	return out
}

// firstOfRest adds to set the first bytes of the matches of atoms and
// reports whether they always consume a character (else the text may end,
// or anything follow, there).
func firstOfRest(atoms []*syntax.Regexp, set *[256]bool) bool {
	for _, a := range atoms {
		switch a.Op {
		case syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpBeginLine, syntax.OpBeginText, syntax.OpEmptyMatch:
			continue
		}
		if atomFirst(a, set) {
			return true
		}
	}
	return false
}

func classSet(re *syntax.Regexp) byteSet {
	var s byteSet
	for i := 0; i+1 < len(re.Rune); i += 2 {
		lo, hi := re.Rune[i], re.Rune[i+1]
		for c := lo; c <= hi && c < 0x80; c++ {
			s.add(byte(c))
		}
		if hi >= 0x80 {
			s[2], s[3] = ^uint64(0), ^uint64(0) // every byte 0x80-0xFF
		}
	}
	return s
}

func literalSet(r rune, fold bool) byteSet {
	var s byteSet
	if r >= 0x80 {
		s[2], s[3] = ^uint64(0), ^uint64(0)
		return s
	}
	s.add(byte(r))
	if fold {
		if l := unicode.ToLower(r); l < 0x80 {
			s.add(byte(l))
		}
		if u := unicode.ToUpper(r); u < 0x80 {
			s.add(byte(u))
		}
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// holds checks one alignment on raw bytes, decoding the simple JSON
// escapes (\n \t \" …) it meets; a \uXXXX escape makes it accept, as the
// bytes then say nothing certain.
func (n *need) holds(b []byte, start, end int, json bool) bool {
	p := start - 1
	for _, set := range n.before {
		c, q, ok := charBefore(b, p, json)
		if !ok {
			return true
		}
		if q < -1 || !set.has(c) {
			return false // a different character, or nothing before the input
		}
		p = q
	}
	if n.boundary {
		if c, _, ok := charBefore(b, p, json); !ok {
			return true
		} else if c != 0 && isWordByte(c) {
			return false
		}
	}
	i := end
	for _, set := range n.after {
		if i >= len(b) {
			return true
		}
		c := b[i]
		step := 1
		if c == '\\' {
			if !json || i+1 >= len(b) || b[i+1] == 'u' {
				return true
			}
			c, step = unescape(b[i+1]), 2
		}
		if !set.has(c) {
			return false
		}
		i += step
	}
	return true
}

// charBefore returns the decoded character that ends at raw offset p and
// the offset before it (p-1 or p-2 for an escape); c is 0 with q = -2 at
// the start of the input. ok is false when the bytes are ambiguous (part
// of a \uXXXX escape).
func charBefore(b []byte, p int, json bool) (c byte, q int, ok bool) {
	if p < 0 {
		return 0, -2, true
	}
	if p >= 1 && b[p-1] == '\\' && oddBackslashesBefore(b, p) {
		if b[p] == 'u' || !json {
			return 0, 0, false
		}
		return unescape(b[p]), p - 2, true
	}
	if isHex(b[p]) {
		for k := 1; k <= 5 && p-k >= 1; k++ {
			if b[p-k] == 'u' && b[p-k-1] == '\\' {
				return 0, 0, false
			}
		}
	}
	return b[p], p - 1, true
}

// oddBackslashesBefore reports whether the run of backslashes ending at
// p-1 is odd, i.e. b[p] is escaped.
func oddBackslashesBefore(b []byte, p int) bool {
	n := 0
	for k := p - 1; k >= 0 && b[k] == '\\'; k-- {
		n++
	}
	return n%2 == 1
}

// unescape returns what the JSON escape \c decodes to.
func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	}
	return c // \" \\ \/ and non-escapes
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func dedupe(ns []need) []need {
	var out []need
	for _, n := range ns {
		dup := false
		for _, o := range out {
			if sameNeed(n, o) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, n)
		}
	}
	return out
}

func sameNeed(a, b need) bool {
	if a.boundary != b.boundary || len(a.before) != len(b.before) || len(a.after) != len(b.after) {
		return false
	}
	for i := range a.before {
		if a.before[i] != b.before[i] {
			return false
		}
	}
	for i := range a.after {
		if a.after[i] != b.after[i] {
			return false
		}
	}
	return true
}

// checksState is embedded in Rule for KeywordCheck's cache.
type checksState struct {
	checksMu sync.Mutex
	checks   map[string]keywordDerived

	pathsOnce sync.Once
	pathList  []pathInfo
}

// paths returns the rule's pattern expanded into its alternatives (see
// expand), parsed once for all its keywords; nil when it does not parse
// or has too many.
func (r *Rule) paths() []pathInfo {
	r.pathsOnce.Do(func() {
		re, err := r.parsed()
		if err != nil {
			return
		}
		if ps, ok := expand(re, maxPaths); ok {
			r.pathList = make([]pathInfo, len(ps))
			for i, p := range ps {
				r.pathList[i] = newPathInfo(p, r.Keywords)
			}
		}
	})
	return r.pathList
}

// FollowBytes returns the set of bytes that can come right after keyword
// kw in a match of the rule, as raw text: the first character the pattern
// demands after the keyword wherever it holds the keyword literally, and a
// backslash (the start of a JSON escape). It returns nil when nothing can
// be derived (any byte may follow). The matcher's prefilter uses it to
// index short keywords by three bytes.
func (r *Rule) FollowBytes(kw string) *[256]bool {
	return r.neighbourBytes(kw, func(n need) (byteSet, bool) {
		if len(n.after) == 0 {
			return byteSet{}, false
		}
		s := n.after[0]
		s.add('\\')
		return s, true
	})
}

// escapeEnds are the bytes that can end a JSON escape (\n \t \" \uXXXX …),
// and escapeEndsNonWord those that are no word character or end one.
var escapeEnds, escapeEndsNonWord = neighbourSets()

func neighbourSets() (ends, nonWord byteSet) {
	for _, c := range []byte("ntrbf\"/0123456789abcdefABCDEF") {
		ends.add(c)
	}
	for c := 0; c < 256; c++ {
		if !isWordByte(byte(c)) {
			nonWord.add(byte(c))
		}
	}
	for _, c := range []byte("ntrbf0123456789abcdefABCDEF") {
		nonWord.add(c)
	}
	return ends, nonWord
}

// PrecedeBytes is FollowBytes for the byte right before keyword kw: the
// literal character the pattern demands there, or, after a word boundary
// (\b), any byte that is not a word character or that can end a JSON
// escape (\n \t \" \uXXXX …). It returns nil when any byte may precede.
func (r *Rule) PrecedeBytes(kw string) *[256]bool {
	return r.neighbourBytes(kw, func(n need) (byteSet, bool) {
		switch {
		case len(n.before) > 0:
			return n.before[0].union(escapeEnds), true
		case n.boundary:
			return escapeEndsNonWord, true
		}
		return byteSet{}, false
	})
}

// neighbourBytes is the union, over every place the pattern holds keyword
// kw literally, of the byte set side derives from what is demanded there;
// nil when some place demands nothing or no place can be found.
func (r *Rule) neighbourBytes(kw string, side func(need) (byteSet, bool)) *[256]bool {
	// The alignments of KeywordCheck: nil where some place demands nothing
	// (no side can be derived there) or no place is found.
	needs := r.keywordEntry(kw).needs
	if needs == nil {
		return nil
	}
	var set byteSet
	for _, n := range needs {
		s, ok := side(n)
		if !ok {
			return nil
		}
		set = set.union(s)
	}
	out := boolSet(set)
	return &out
}
