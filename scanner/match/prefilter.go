package match

import (
	"strings"
	"sync"

	"github.com/mcpscan/mcpscan/rules"
)

// lowerTable maps every byte to its ASCII lower-case form.
var lowerTable = func() (t [256]byte) {
	for i := range t {
		c := byte(i)
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		t[i] = c
	}
	return
}()

// keyword is one prefilter literal and the rules it triggers.
type keyword struct {
	text   string // lower-case
	rules  []int  // indexes into Engine.rules
	radius int    // largest window radius of those rules

	once   sync.Once
	checks []rules.KeywordCheckFunc // per rule, from Rule.KeywordCheck; nil entries pass
}

// ruleChecks returns the derived keyword checks of k's rules, computing
// them on first use (they parse the rules' regexes).
func (k *keyword) ruleChecks(rs []*rules.Rule) []rules.KeywordCheckFunc {
	k.once.Do(func() {
		k.checks = make([]rules.KeywordCheckFunc, len(k.rules))
		for i, ri := range k.rules {
			k.checks[i] = rs[ri].KeywordCheck(k.text)
		}
	})
	return k.checks
}

// prefilter finds keyword occurrences case-insensitively. It indexes every
// keyword by its first two (lower-cased) bytes in a 64 Ki-entry table, so
// that the scan loop costs two loads and a compare per byte, and a full
// comparison only where a pair matches. Like ripgrep's candidate lines it
// may report candidates that no rule confirms, but never misses a keyword.
type prefilter struct {
	bits     [1 << 10]uint64 // pair (raw bytes, every case variant) → bit set when a keyword may start here; 8 KiB, stays in L1
	table    [1 << 16]uint16 // lower-cased pair → 1 + index into groups; 0: no keyword starts here
	groups   [][]int         // keyword indexes sharing a first pair
	keywords []keyword
	maxLen   int
}

func newPrefilter(rs []*rules.Rule) *prefilter {
	p := &prefilter{}
	byText := map[string]int{}
	for ri, r := range rs {
		if r.Pattern == "" {
			continue // structural rules are raised by source handlers
		}
		for _, k := range withJSONForms(r.Keywords) {
			ki, ok := byText[k]
			if !ok {
				ki = len(p.keywords)
				byText[k] = ki
				p.keywords = append(p.keywords, keyword{text: k})
				if len(k) > p.maxLen {
					p.maxLen = len(k)
				}
			}
			kw := &p.keywords[ki]
			kw.rules = append(kw.rules, ri)
			if rad := r.WindowRadius(); rad > kw.radius {
				kw.radius = rad
			}
		}
	}
	for ki := range p.keywords {
		k := &p.keywords[ki]
		pair := uint16(k.text[0])<<8 | uint16(k.text[1])
		g := p.table[pair]
		if g == 0 {
			p.groups = append(p.groups, nil)
			g = uint16(len(p.groups))
			p.table[pair] = g
		}
		p.groups[g-1] = append(p.groups[g-1], ki)
		for _, a := range caseVariants(k.text[0]) {
			for _, c := range caseVariants(k.text[1]) {
				idx := uint16(a)<<8 | uint16(c)
				p.bits[idx>>6] |= 1 << (idx & 63)
			}
		}
	}
	return p
}

// caseVariants returns c and, for ASCII letters, its other case.
func caseVariants(c byte) []byte {
	switch {
	case c >= 'a' && c <= 'z':
		return []byte{c, c - 'a' + 'A'}
	case c >= 'A' && c <= 'Z':
		return []byte{c, c - 'A' + 'a'}
	}
	return []byte{c}
}

// find calls fn(pos, keywordIndex) for every keyword occurrence starting in
// b[start:end]. b must extend at least maxLen-1 bytes past end where the
// input continues, so that keywords starting before end are seen whole.
func (p *prefilter) find(b []byte, start, end int, fn func(pos, kw int)) {
	if end > len(b)-1 {
		end = len(b) - 1
	}
	lo := &lowerTable
	tbl := &p.table
	bits := &p.bits
	scan := b[:end+1]
	for i := start; i < end; i++ {
		idx := uint16(scan[i])<<8 | uint16(scan[i+1])
		if bits[idx>>6]&(1<<(idx&63)) == 0 {
			continue
		}
		g := tbl[uint16(lo[b[i]])<<8|uint16(lo[b[i+1]])]
		if g == 0 {
			continue
		}
		for _, ki := range p.groups[g-1] {
			if hasPrefixFold(b[i:], p.keywords[ki].text) {
				fn(i, ki)
			}
		}
	}
}

// hasPrefixFold reports whether b starts with the lower-case literal k,
// ignoring ASCII case in b.
func hasPrefixFold(b []byte, k string) bool {
	if len(b) < len(k) {
		return false
	}
	for j := 2; j < len(k); j++ {
		if lowerTable[b[j]] != k[j] {
			return false
		}
	}
	return true
}

// withJSONForms adds, for keywords holding a quote or a backslash, the
// form they take inside a JSON string (\" and \\), since the prefilter
// runs on raw bytes.
func withJSONForms(kws []string) []string {
	out := kws
	for _, k := range kws {
		if strings.ContainsAny(k, "\"\\") {
			esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(k)
			if len(out) == len(kws) {
				out = append([]string(nil), kws...)
			}
			out = append(out, esc)
		}
	}
	return out
}
