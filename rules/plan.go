package rules

import (
	"math/bits"
	"sort"
	"sync"
)

//go:generate go test -run TestRulePlanUpToDate -update-plan .

// A rule plan is what the one-time derivations of a default rule produce
// (Compile's group count, WindowRadius, the keyword alignments behind
// KeywordCheck, PrecedeBytes and FollowBytes, the Anchor and its cut),
// worked out at build time and kept in rule_plan_gen.go as plain data. On
// a small home, deriving them at run time (parsing and expanding every
// rule's regex on its first keyword hit) was a third of the scan's CPU.
//
// Why it is safe: a plan is used only for a rule whose ID and fingerprint
// (planFingerprint: every field the derivations read) match the ones it
// was made for. A rule changed by a config, a Clone given another pattern
// or keyword list, or a custom rule finds no plan and derives at run time
// exactly as without plans, so a stale or missing plan costs speed, never
// findings. TestRulePlanUpToDate fails when rule_plan_gen.go is not what
// the derivations produce today, and TestRulePlanEqualsDerivation checks
// that every plan decodes to exactly what run-time derivation gives.
// Compiled Go regexps cannot be stored: they stay lazy, as before.

// rulePlan is the plan of one rule. Byte sets are indexes into planSets.
type rulePlan struct {
	id       string // Rule.ID; rulePlans is sorted by it
	fp       uint64 // planFingerprint of the rule it was made for
	groups   int    // capture groups of Pattern (syntax.Regexp.MaxCap)
	radius   int    // WindowRadius for Radius 0
	keywords []keywordPlan
	anchor   anchorPlan
}

// keywordPlan is deriveNeeds' result for one keyword: nil needs (none)
// when derived is false.
type keywordPlan struct {
	kw      string
	derived bool
	needs   []needPlan
}

// needPlan is a need with its byte sets as planSets indexes.
type needPlan struct {
	boundary      bool
	before, after []uint16
}

// anchorPlan holds an Anchor's data (ok false: the rule is not anchored).
// The anchored regexes' sources are rebuilt from the pattern: the body is
// Pattern[off:], behind "(?i:" when inner, and the sources start with
// "(?i)" when foldFlag (see newAnchor).
type anchorPlan struct {
	ok       bool
	pre      int
	maxLen   int
	first    uint16
	boundary bool
	foldFlag bool
	inner    bool
	off      int
	nameMax  int
	preBy    []preByPlan // sorted by keyword
	cut      bool        // a cut plan exists (Anchor.cutOf)
	safeFrom int
	pair     uint16
	cutLen   int
}

type preByPlan struct {
	kw  string
	pre int
}

// planState is embedded in Rule: its plan, looked up once.
type planState struct {
	planOnce sync.Once
	planData *rulePlan
}

// plan returns the rule's build-time plan, or nil when there is none for
// its ID or the rule is not the one the plan was made for.
func (r *Rule) plan() *rulePlan {
	r.planOnce.Do(func() { r.planData = lookupPlan(r) })
	return r.planData
}

func lookupPlan(r *Rule) *rulePlan {
	if r.Pattern == "" {
		return nil
	}
	i := sort.Search(len(rulePlans), func(i int) bool { return rulePlans[i].id >= r.ID })
	if i == len(rulePlans) || rulePlans[i].id != r.ID || rulePlans[i].fp != planFingerprint(r) {
		return nil
	}
	return &rulePlans[i]
}

// planFingerprint is a 64-bit FNV-1a hash of every field the planned
// derivations read: Pattern, SecretGroup and Keywords (in order), each
// length-prefixed so that no two different rules give the same input.
// Radius, Path and Allowlists are not planned (WindowRadius returns a set
// Radius first; Compile compiles Path and allowlists as before).
func planFingerprint(r *Rule) uint64 {
	h := fnv64{h: 14695981039346656037}
	h.str(r.Pattern)
	h.word(r.SecretGroup)
	h.word(len(r.Keywords))
	for _, k := range r.Keywords {
		h.str(k)
	}
	return h.h
}

// keyword returns the plan of keyword kw, or nil.
func (p *rulePlan) keyword(kw string) *keywordPlan {
	for i := range p.keywords {
		if p.keywords[i].kw == kw {
			return &p.keywords[i]
		}
	}
	return nil
}

// decode returns the needs as deriveNeeds returns them.
func (k *keywordPlan) decode() []need {
	if !k.derived {
		return nil
	}
	out := make([]need, len(k.needs))
	for i, n := range k.needs {
		out[i] = need{boundary: n.boundary, before: planSetList(n.before), after: planSetList(n.after)}
	}
	return out
}

func planSetList(idx []uint16) []byteSet {
	if len(idx) == 0 {
		return nil
	}
	out := make([]byteSet, len(idx))
	for i, x := range idx {
		out[i] = planSets[x]
	}
	return out
}

// decode returns the Anchor of rule r as newAnchor and Ready derive it,
// less the compiled regexes (Ready compiles them) and the parsed core
// (needed only to work out the cut, which the plan holds).
func (p *anchorPlan) decode(r *Rule) *Anchor {
	flags, body := "", r.Pattern[p.off:]
	if p.foldFlag {
		flags = "(?i)"
	}
	if p.inner {
		body = "(?i:" + body
	}
	a := &Anchor{
		Pre:      p.pre,
		MaxLen:   p.maxLen,
		First:    boolSet(planSets[p.first]),
		Boundary: p.boundary,
		ctxSrc:   flags + `\A(?s:.)(?:` + body + `)`,
		bareSrc:  flags + `\A(?:` + body + `)`,
		nameMax:  p.nameMax,
		preBy:    make(map[string]int, len(p.preBy)),
		keywords: r.Keywords,
		planned:  true,
	}
	for _, e := range p.preBy {
		a.preBy[e.kw] = e.pre
	}
	if p.cut {
		a.cut, a.cutLen = &CutPlan{SafeFrom: p.safeFrom, Pair: boolSet(planSets[p.pair])}, p.cutLen
	}
	return a
}

// boolSet is s as a [256]bool.
func boolSet(s byteSet) [256]bool {
	var out [256]bool
	for w, word := range s {
		for ; word != 0; word &= word - 1 {
			out[w<<6|bits.TrailingZeros64(word)] = true
		}
	}
	return out
}

// allowlistPlan is what Allowlist.compile derives from an allowlist's
// Regexes (their top-level alternatives and each one's required literals,
// which cost a parse each), for the default rules' allowlists and the
// global ones. It is looked up by fp, a fingerprint of the Regexes alone,
// as nothing else goes into it; Paths, SecretRegexes and StopWords are
// compiled as before.
type allowlistPlan struct {
	fp    uint64 // allowlistFingerprint; allowlistPlans is sorted by it
	parts []allowlistPart
}

// allowlistPart is one alternative and its literal filter (filter false:
// none).
type allowlistPart struct {
	src    string
	filter bool
	lits   []string
}

// lookupAllowlistPlan returns the plan made for regexes, or nil.
func lookupAllowlistPlan(regexes []string) *allowlistPlan {
	if len(regexes) == 0 {
		return nil
	}
	fp := allowlistFingerprint(regexes)
	i := sort.Search(len(allowlistPlans), func(i int) bool { return allowlistPlans[i].fp >= fp })
	if i == len(allowlistPlans) || allowlistPlans[i].fp != fp {
		return nil
	}
	return &allowlistPlans[i]
}

// allowlistFingerprint is a 64-bit FNV-1a hash of the length-prefixed
// regexes.
func allowlistFingerprint(regexes []string) uint64 {
	h := fnv64{h: 14695981039346656037}
	h.word(len(regexes))
	for _, s := range regexes {
		h.str(s)
	}
	return h.h
}

// fnv64 is a 64-bit FNV-1a hash of length-prefixed words and strings.
type fnv64 struct{ h uint64 }

func (f *fnv64) byte(c byte) { f.h = (f.h ^ uint64(c)) * 1099511628211 }

func (f *fnv64) word(n int) {
	for i := 0; i < 8; i++ {
		f.byte(byte(n >> (8 * i)))
	}
}

func (f *fnv64) str(s string) {
	f.word(len(s))
	for i := 0; i < len(s); i++ {
		f.byte(s[i])
	}
}
