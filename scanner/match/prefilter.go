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

// prefilter finds keyword occurrences case-insensitively. Each keyword is
// indexed by its rarest byte pair (its anchor, chosen with a letter
// frequency model of English, code and JSON text), so that common text
// rarely hits the table: "token" is found through "ok", "ghp_" through
// "p_". The scan loop tests one bit per byte in an 8 KiB set that stays in
// L1 cache; a full comparison runs only where an anchor pair occurs. Like
// ripgrep's candidate lines it may report candidates that no rule confirms,
// but never misses a keyword.
type prefilter struct {
	bits      [1 << 10]uint64 // raw pair (every case variant) → bit set when it is some keyword's anchor
	table     [1 << 16]uint16 // lower-cased pair → 1 + index into groups; 0: no anchor
	groups    [][]anchored    // keywords sharing an anchor pair
	keywords  []keyword
	maxLen    int
	maxAnchor int // largest anchor offset
}

// anchored is a keyword and where its anchor pair sits in it.
type anchored struct {
	kw     int
	offset int
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
		off := anchorOffset(k.text)
		p.maxAnchor = max(p.maxAnchor, off)
		c0, c1 := k.text[off], k.text[off+1]
		pair := uint16(c0)<<8 | uint16(c1)
		g := p.table[pair]
		if g == 0 {
			p.groups = append(p.groups, nil)
			g = uint16(len(p.groups))
			p.table[pair] = g
		}
		p.groups[g-1] = append(p.groups[g-1], anchored{kw: ki, offset: off})
		for _, a := range caseVariants(c0) {
			for _, c := range caseVariants(c1) {
				idx := uint16(a)<<8 | uint16(c)
				p.bits[idx>>6] |= 1 << (idx & 63)
			}
		}
	}
	return p
}

// anchorOffset picks the byte pair of keyword k least frequent in agent
// transcripts (pairFreq); among pairs not in the table, the one whose bytes
// are rarest (byteFreq).
func anchorOffset(k string) int {
	best, bestScore := 0, 1e18
	for i := 0; i+1 < len(k); i++ {
		score := byteFreq[k[i]] * byteFreq[k[i+1]] // below 1: unlisted pairs first
		if f, ok := pairFreq[k[i:i+2]]; ok {
			score = float64(f)
		}
		if score < bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// byteFreq approximates how often each (lower-cased) byte occurs in agent
// transcripts, to rank pairs that pairFreq does not list.
var byteFreq = func() (f [256]float64) {
	for i := range f {
		f[i] = 0.002
	}
	letters := "etaoinshrdlcumwfgypbvkjxqz"
	weights := []float64{12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0, 2.0, 1.9, 1.5, 1.0, 0.8, 0.15, 0.15, 0.1, 0.07}
	for i, c := range letters {
		f[c] = weights[i] / 100 * 0.7
	}
	for c := '0'; c <= '9'; c++ {
		f[c] = 0.006
	}
	return
}()

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

// find calls fn(pos, keywordIndex) for every keyword occurrence starting
// in b[start:end], in no particular order. b must extend at least maxLen-1
// bytes past end where the input continues, so that keywords starting
// before end are seen whole.
func (p *prefilter) find(b []byte, start, end int, fn func(pos, kw int)) {
	lo := &lowerTable
	tbl := &p.table
	bits := &p.bits
	hi := min(end+p.maxAnchor, len(b)-1)
	if hi <= start {
		return
	}
	scan := b[:hi+1]
	for i := start; i < hi; i++ {
		idx := uint16(scan[i])<<8 | uint16(scan[i+1])
		if bits[idx>>6]&(1<<(idx&63)) == 0 {
			continue
		}
		g := tbl[uint16(lo[scan[i]])<<8|uint16(lo[scan[i+1]])]
		if g == 0 {
			continue
		}
		for _, a := range p.groups[g-1] {
			s := i - a.offset
			if s < start || s >= end {
				continue
			}
			if hasFoldAt(b, s, p.keywords[a.kw].text) {
				fn(s, a.kw)
			}
		}
	}
}

// hasFoldAt reports whether b[s:] starts with the lower-case literal k,
// ignoring ASCII case in b.
func hasFoldAt(b []byte, s int, k string) bool {
	if len(b)-s < len(k) {
		return false
	}
	b = b[s : s+len(k)]
	for j := 0; j < len(k); j++ {
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
