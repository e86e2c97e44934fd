package rules

import (
	"io"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/mcpscan/mcpscan/internal/lazyre"
)

// maxAnchorPre bounds how far before its keyword a match may start for the
// rule to be run at keyword hits: each offset that can start a match (its
// first byte, and a word boundary where the pattern wants one) gets an
// anchored attempt.
const maxAnchorPre = 256

// Anchor runs a rule at its keyword hits instead of over windows: Go's
// regexp, anchored with \A, stops as soon as no match can start at the
// given offset, so a failing attempt costs a few steps where an
// unanchored search would run the NFA over the whole window.
//
// A rule is anchorable when every path through its pattern (alternations
// expanded, the lazy name prefix [\w.-]{0,N}? of gitleaks' semi-generic
// rules set aside) holds one of its keywords as a literal at a bounded
// distance (at most Pre bytes) from the start of the match. Any match then
// starts 0..Pre bytes before an occurrence of a keyword, which the
// prefilter reports.
type Anchor struct {
	// Pre is the largest distance, in bytes of decoded text, from the start
	// of a match (without the name prefix) to its first keyword.
	Pre int
	// MaxLen is the longest match (without the name prefix) in bytes, or
	// -1 when the pattern is unbounded.
	MaxLen int
	// First holds the bytes a match can start with; Boundary says that
	// every match starts at a word boundary (\b).
	First    [256]bool
	Boundary bool
	// The regexes and the cut plan are built on first use (Ready): a
	// rule's keyword hits are mostly rejected before any attempt, and
	// compiling every rule at start-up costs more than a small home's
	// scan.
	readyOnce sync.Once
	ctxSrc    string
	core      *syntax.Regexp // the parsed core, for the cut plan
	cut       *CutPlan
	cutLen    int

	ctx      *regexp.Regexp // \A(?s:.)(?:core): one byte of context, then a match
	bareOnce sync.Once
	bareSrc  string
	bare     *regexp.Regexp // \A(?:core): a match at the start of the text, compiled on first use
	nameMax  int            // N of the name prefix; 0 without one
	preBy    map[string]int // per keyword: Pre for the matches it comes first in
	keywords []string
	planned  bool // made from a rule plan: cut and cutLen are set, core is nil
}

// PreFor is Pre for a hit of keyword kw: how far before it a match in
// which kw is the first keyword can start, or -1 when kw is never the
// first keyword of a match (another keyword is then hit first, and that
// hit finds the match). Keywords the rule does not list get Pre.
func (a *Anchor) PreFor(kw string) int {
	if n, ok := a.preBy[kw]; ok {
		return n
	}
	for _, k := range a.keywords {
		if k == kw {
			return -1
		}
	}
	return a.Pre
}

// innerName is a second lazy name prefix at the start of a (?i: group.
var innerName = lazyre.New(`^\(\?i:\[\\w\.-\]\{0,(\d+)\}\?`)

type anchorState struct {
	anchorPlanOnce sync.Once
	anchorPlan     *Anchor
}

// Anchor returns how to run the rule at keyword hits, or nil when its
// pattern does not allow it (a path without a keyword literal, an
// unbounded or long stretch before the keyword) or does not compile. The
// result is computed once.
func (r *Rule) Anchor() *Anchor {
	r.anchorPlanOnce.Do(func() {
		if r.Pattern == "" || r.Compile() != nil {
			return
		}
		if p := r.plan(); p != nil {
			if p.anchor.ok {
				r.anchorPlan = p.anchor.decode(r)
			}
			return
		}
		tree, _ := r.parsed() // it parses: Compile succeeded
		r.anchorPlan = newAnchor(r.Pattern, tree, r.Keywords, r.groups)
	})
	return r.anchorPlan
}

// newAnchor derives the Anchor of a rule with pattern (whose parse is
// tree), keywords and groups capture groups, or nil.
func newAnchor(pattern string, tree *syntax.Regexp, keywords []string, groups int) *Anchor {
	core, nameMax := pattern, 0
	if m := leadingName.FindStringSubmatch(pattern); m != nil {
		n, err := strconv.Atoi(m[2])
		if err != nil {
			return nil
		}
		core, nameMax = m[1]+pattern[len(m[0]):], n // n may be 0: [\w.-]{0,0}? marks a rule that starts at its keyword
		// Some gitleaks rules repeat the prefix inside a (?i: group.
		if m := innerName.FindStringSubmatch(core); m != nil {
			n, err := strconv.Atoi(m[1])
			if err != nil {
				return nil
			}
			core, nameMax = "(?i:"+core[len(m[0]):], nameMax+n
		}
	}
	re := tree
	if core != pattern {
		var err error
		if re, err = syntax.Parse(core, syntax.Perl); err != nil {
			return nil
		}
	}
	if hasWildcardRun(re) {
		return nil
	}
	paths, ok := expandQ(keywordPrefix(re, keywords), 8*maxPaths, true)
	if !ok || len(paths) == 0 {
		return nil
	}
	pre := 0
	preBy := map[string]int{}
	var first [256]bool
	boundary := true
	for _, p := range paths {
		n, by, ok := keywordOffsets(p, keywords)
		if !ok || n > maxAnchorPre {
			return nil
		}
		pre = max(pre, n)
		for k, a := range by {
			if b, ok := preBy[k]; !ok || a > b {
				preBy[k] = a
			}
		}
		b := firstBytes(p, &first)
		boundary = boundary && b
	}
	// The flags of a leading (?i) stay in force inside the group.
	flags, body := "", core
	if strings.HasPrefix(core, "(?i)") {
		flags, body = "(?i)", core[len("(?i)"):]
	}
	ctxSrc := flags + `\A(?s:.)(?:` + body + `)`
	if c, err := syntax.Parse(ctxSrc, syntax.Perl); err != nil || c.MaxCap() != groups {
		return nil
	}
	return &Anchor{Pre: pre, MaxLen: maxLen(re), First: first, Boundary: boundary, ctxSrc: ctxSrc, core: re, bareSrc: flags + `\A(?:` + body + `)`, nameMax: nameMax, preBy: preBy, keywords: keywords}
}

// Ready compiles the anchored regex and works out the cut plan, once; the
// other methods call it.
func (a *Anchor) Ready() {
	a.readyOnce.Do(func() {
		a.ctx = regexp.MustCompile(a.ctxSrc) // it parsed in newAnchor
		if !a.planned {
			a.cut, a.cutLen = a.cutOf()
		}
	})
}

// cutOf works out the cut plan and the cut length (see Cut) from the
// parsed core; nil and 0 for no cut.
func (a *Anchor) cutOf() (*CutPlan, int) {
	plan := cutPlanOf(a.core)
	if plan == nil {
		return nil, 0
	}
	// Go's regexp backtracks over inputs of up to 256 Ki bits of
	// (program × input) state; beyond, it runs the slower NFA. The
	// context byte, \A and the group add a few instructions.
	n := 256*1024/(progSize(a.core)+4) - 2 // the context byte, and one spare
	if want := max(plan.SafeFrom+2, 48); want <= n && (a.MaxLen < 0 || want < a.MaxLen) {
		return plan, min(n, max(want, 96))
	}
	return nil, 0
}

// progSize is the number of instructions regexp/syntax.Compile makes of
// re after Simplify (one per literal rune, class, assertion; two per
// capture; one per loop, option and alternative; repeats expanded), plus
// the fail and match instructions, counted without building them (which
// costs milliseconds per rule at start-up). An estimate off by a few only
// moves a cut length, never what matches.
func progSize(re *syntax.Regexp) int { return progInsts(re) + 2 }

func progInsts(re *syntax.Regexp) int {
	sum := func() int {
		n := 0
		for _, sub := range re.Sub {
			n += progInsts(sub)
		}
		return n
	}
	switch re.Op {
	case syntax.OpLiteral:
		return max(len(re.Rune), 1)
	case syntax.OpCapture:
		return sum() + 2
	case syntax.OpStar:
		return sum() + 2 // a nullable body is compiled as (x+)?
	case syntax.OpPlus, syntax.OpQuest:
		return sum() + 1
	case syntax.OpConcat:
		return max(sum(), 1)
	case syntax.OpAlternate:
		return sum() + len(re.Sub) - 1
	case syntax.OpRepeat:
		body := progInsts(re.Sub[0])
		if re.Max < 0 { // x{n,}: n copies, the last one looped
			return max(re.Min, 1)*body + 1
		}
		return re.Max*body + (re.Max - re.Min) // x{n,m}: m copies, m-n optional
	default: // classes, any character, assertions, empty match
		return 1
	}
}

// Cut returns where an attempt may stop reading (see CutPlan) and the
// length to cut at: past the plan's SafeFrom, and short enough for Go's
// backtracker; nil and 0 mean no cut.
func (a *Anchor) Cut() (*CutPlan, int) {
	a.Ready()
	return a.cut, a.cutLen
}

// hasWildcardRun reports whether re holds an unbounded run of (almost) any
// character (.*, [^"]+): an attempt at each keyword hit would read to the
// end of the line every time, and where hits are dense one pass over a
// window (as FindAll makes) costs less.
func hasWildcardRun(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		if re.Op != syntax.OpRepeat || re.Max < 0 {
			switch sub := re.Sub[0]; sub.Op {
			case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
				return true
			case syntax.OpCharClass:
				n := 0
				for i := 0; i+1 < len(sub.Rune); i += 2 {
					n += int(min(sub.Rune[i+1], 0xff) - min(sub.Rune[i], 0xff) + 1)
				}
				if n > 200 {
					return true
				}
			}
		}
	}
	for _, sub := range re.Sub {
		if hasWildcardRun(sub) {
			return true
		}
	}
	return false
}

// keywordPrefix returns the shortest leading part of re (a sequence) in
// which every alternative holds a keyword literally, or re itself: what
// follows cannot change where a match starts or its first keyword, and
// leaving it out keeps the expansion small.
func keywordPrefix(re *syntax.Regexp, keywords []string) *syntax.Regexp {
	if re.Op != syntax.OpConcat {
		return re
	}
	for k := 1; k < len(re.Sub); k++ {
		prefix := &syntax.Regexp{Op: syntax.OpConcat, Flags: re.Flags, Sub: re.Sub[:k]}
		paths, ok := expandQ(prefix, 8*maxPaths, true)
		if !ok {
			return re
		}
		all := len(paths) > 0
		for _, p := range paths {
			if _, _, ok := keywordOffsets(p, keywords); !ok {
				all = false
				break
			}
		}
		if all {
			return prefix
		}
	}
	return re
}

// keywordOffset returns the longest possible distance from the start of
// a match along path to the first place where it must hold a keyword, and
// false when the path holds none for certain or the stretch before it is
// unbounded. Literals and small character classes ([su], [-_], [Aa]) form
// runs; a run holds a keyword at an offset when every string the run can
// match does.
func keywordOffset(path []*syntax.Regexp, keywords []string) (int, bool) {
	n, _, ok := keywordOffsets(path, keywords)
	return n, ok
}

// keywordOffsets is keywordOffset that also says, per keyword, the largest
// distance at which it is the first keyword of a match along path.
func keywordOffsets(path []*syntax.Regexp, keywords []string) (int, map[string]int, bool) {
	off := 0
	for i := 0; i < len(path); i++ {
		if _, ok := runChars(path[i]); !ok {
			n := maxLen(path[i])
			if n < 0 {
				return 0, nil, false
			}
			off += n
			continue
		}
		j := i
		var run [][]string // per atom: the strings it can match
		width := 0
		for ; j < len(path); j++ {
			cs, ok := runChars(path[j])
			if !ok {
				break
			}
			run = append(run, cs)
			width += len(cs[0])
		}
		if at, by, ok := runKeyword(run, keywords); ok {
			for k, a := range by {
				by[k] = off + a
			}
			return off + at, by, true
		}
		off += width
		i = j - 1
	}
	return 0, nil, false
}

// runChars returns the strings a literal or a small ASCII class matches
// (lower-cased, all of one length), or false for other atoms.
func runChars(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		s := strings.ToLower(string(re.Rune))
		if s == "" || !isASCII(s) {
			return nil, false
		}
		return []string{s}, true
	case syntax.OpCharClass:
		seen := map[string]bool{}
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 8 || re.Rune[i+1] >= 0x80 {
				return nil, false
			}
			for c := re.Rune[i]; c <= re.Rune[i+1]; c++ {
				l := strings.ToLower(string(c))
				if !seen[l] {
					seen[l] = true
					out = append(out, l)
				}
			}
		}
		if len(out) == 0 || len(out) > 8 {
			return nil, false
		}
		return out, true
	}
	return nil, false
}

// runKeyword returns the largest offset, over every string the run can
// match, of the first keyword in it, and per keyword the largest offset at
// which it comes first; false when some string holds none.
func runKeyword(run [][]string, keywords []string) (int, map[string]int, bool) {
	combos := []string{""}
	for _, cs := range run {
		if len(combos)*len(cs) > 256 {
			return 0, nil, false
		}
		var next []string
		for _, c := range combos {
			for _, x := range cs {
				next = append(next, c+x)
			}
		}
		combos = next
	}
	worst := 0
	by := map[string]int{}
	for _, c := range combos {
		first := -1
		for _, k := range keywords {
			if at := strings.Index(c, k); at >= 0 && (first < 0 || at < first) {
				first = at
			}
		}
		if first < 0 {
			return 0, nil, false
		}
		worst = max(worst, first)
		for _, k := range keywords {
			if strings.HasPrefix(c[first:], k) {
				if a, ok := by[k]; !ok || first > a {
					by[k] = first
				}
			}
		}
	}
	return worst, by, true
}

// firstBytes adds to set the bytes a match along path can start with, and
// reports whether the path starts with a word boundary. Atoms that may
// match nothing add their first bytes and let the next atom's count too.
func firstBytes(path []*syntax.Regexp, set *[256]bool) (boundary bool) {
	for i, a := range path {
		switch a.Op {
		case syntax.OpWordBoundary:
			if i == 0 {
				boundary = true
			}
			continue
		case syntax.OpBeginLine, syntax.OpBeginText, syntax.OpEmptyMatch:
			continue
		}
		if atomFirst(a, set) {
			return boundary // a always consumes a character: it starts the match
		}
	}
	// The path can match the empty string: any byte may follow.
	for c := range set {
		set[c] = true
	}
	return boundary
}

// atomFirst adds the first bytes of a's matches to set and reports whether
// a always consumes at least one character. Unknown shapes add every byte.
func atomFirst(a *syntax.Regexp, set *[256]bool) bool {
	all := func() bool {
		for c := range set {
			set[c] = true
		}
		return true
	}
	switch a.Op {
	case syntax.OpLiteral:
		if len(a.Rune) == 0 {
			return false
		}
		r := a.Rune[0]
		if r >= 0x80 {
			return all()
		}
		set[r] = true
		if a.Flags&syntax.FoldCase != 0 {
			set[unicode.ToLower(r)] = true
			set[unicode.ToUpper(r)] = true
		}
		return true
	case syntax.OpCharClass:
		cs := classSet(a)
		for c := range set {
			set[c] = set[c] || cs.has(byte(c))
		}
		return true
	case syntax.OpCapture:
		return atomFirst(a.Sub[0], set)
	case syntax.OpPlus:
		return atomFirst(a.Sub[0], set)
	case syntax.OpStar, syntax.OpQuest:
		atomFirst(a.Sub[0], set)
		return false
	case syntax.OpRepeat:
		atomFirst(a.Sub[0], set)
		return a.Min > 0
	case syntax.OpConcat:
		for _, s := range a.Sub {
			if atomFirst(s, set) {
				return true
			}
		}
		return false
	case syntax.OpAlternate:
		always := true
		for _, s := range a.Sub {
			if !atomFirst(s, set) {
				always = false
			}
		}
		return always
	}
	return all()
}

// Starts reports whether a match can start at text[s]: its first byte, and
// the word boundary the pattern wants there.
func (a *Anchor) Starts(text []byte, s int) bool {
	if s >= len(text) || !a.First[text[s]] {
		return false
	}
	if a.Boundary && s > 0 && isWordByte(text[s-1]) == isWordByte(text[s]) {
		return false
	}
	return true
}

// NameMax is how far a match widens to the left over the name prefix
// ([\w.-]{0,N}?) that was set aside: N, or 0.
func (a *Anchor) NameMax() int { return a.nameMax }

// FindAt returns the rule's match whose core starts exactly at text[s]
// and ends by text[end], with the byte before s as context for \b and ^,
// widened to the left over the name prefix as FindAll does; or nil.
// Offsets are into text. The byte text[s-1] must be ASCII (a caller with
// another byte there puts a blank in its place for the call).
func (a *Anchor) FindAt(text []byte, s, end int) []int {
	a.Ready()
	var loc []int
	if s == 0 {
		loc = a.bareRegexp().FindSubmatchIndex(text[:end])
	} else {
		loc = a.ctx.FindSubmatchIndex(text[s-1 : end])
		if loc != nil {
			for i := range loc {
				if loc[i] >= 0 {
					loc[i] += s - 1
				}
			}
			loc[0] = s
		}
	}
	if loc != nil {
		a.Widen(text, loc)
	}
	return loc
}

// FindReader is FindAt over a rune reader: with context set, the reader's
// first rune is the context and the match starts right after it (loc[0]
// is then 0, the context's offset). Offsets are relative to the reader's
// start and not widened.
func (a *Anchor) FindReader(r io.RuneReader, context bool) []int {
	a.Ready()
	if context {
		return a.ctx.FindReaderSubmatchIndex(r)
	}
	return a.bareRegexp().FindReaderSubmatchIndex(r)
}

// bareRegexp compiles the pattern for matches at the start of the text,
// which few inputs need, on first use.
func (a *Anchor) bareRegexp() *regexp.Regexp {
	a.bareOnce.Do(func() { a.bare = regexp.MustCompile(a.bareSrc) })
	return a.bare
}

// Widen moves the start of match loc (offsets into text) to the left over
// up to NameMax name characters.
func (a *Anchor) Widen(text []byte, loc []int) {
	start := loc[0]
	for k := 0; k < a.nameMax && start > 0 && isNameChar(text[start-1]); k++ {
		start--
	}
	loc[0] = start
}

// Anchored reports whether the matcher runs the rule at its keyword hits
// (see Anchor) rather than over windows: what the most frequent rules must
// allow, for speed.
func (r *Rule) Anchored() bool { return r.Anchor() != nil }
