package match

import (
	"encoding/binary"
	"math/bits"
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
	pre    []int                    // per rule: how far before a hit its match may start (Anchor.PreFor); -1: no need to try
}

// ruleChecks returns the derived keyword checks of k's rules and, for
// anchored rules, how far before a hit of k a match may start (see
// rules.Anchor.PreFor), computing them on first use (they parse and
// compile the rules' regexes).
func (k *keyword) ruleChecks(rs []*rules.Rule) ([]rules.KeywordCheckFunc, []int) {
	k.once.Do(func() {
		k.checks = make([]rules.KeywordCheckFunc, len(k.rules))
		k.pre = make([]int, len(k.rules))
		for i, ri := range k.rules {
			k.checks[i] = rs[ri].KeywordCheck(k.text)
			if a := rs[ri].Anchor(); a != nil {
				k.pre[i] = a.PreFor(k.text)
			}
		}
	})
	return k.checks, k.pre
}

// prefilter finds keyword occurrences case-insensitively. It folds case
// by setting bit 0x20 of every byte and looks at the trigram (three
// bytes) at every even offset: a multiplicative hash of it indexes a set
// of 2^18 one-byte entries, eight trigrams per sixteen-byte step. Every
// keyword is indexed by two trigrams one byte apart, one at an even and
// one at an odd offset from its start, so that one of them lies at an
// even offset of the input wherever the keyword occurs (see alignments).
// Only where an entry is set ("a stop") is the trigram looked up exactly
// and the keywords anchored on it compared, eight bytes as one word.
// Common text and base64 rarely stop the scan, so the cost follows the
// bytes more than the keyword hits. Like ripgrep's candidate lines it
// may report candidates that no rule confirms, but never misses a
// keyword.
//
// Measured on the corpus shapes (TestPrefilterStats), a scan stops every
// 30 to 60 bytes: a quarter of the sixteen-byte steps hold a stop, too
// many for a branch per step to be predicted, so a step records its stops
// without a branch and they are confirmed in batches. The multiplier is
// chosen so that the trigrams most frequent in transcripts miss the set
// (chooseMul), and the set is bytes rather than bits: a byte is one load,
// a bit a load and two shifts, and the 256 KiB stay in the L2 cache.
type prefilter struct {
	set      [1 << hashBits]uint8 // hashed folded trigram → 1 when it anchors a keyword
	mul      uint64               // hash multiplier (see chooseMul)
	slots    []slot               // folded trigram → its anchors, open addressing
	anchors  []anchored           // keywords anchored on one trigram, trigram after trigram
	keywords []keyword
	edge     []int // keywords anchored on a byte outside them, for the ends of an input
	maxLen   int
	// maxAnchor is the largest anchor offset: a keyword starting before
	// end may be seen at an anchor up to maxAnchor bytes after it.
	maxAnchor int
	// maxRadius is the largest window radius of all the rules
	// (rules.Rule.WindowRadius), structural ones included.
	maxRadius int
	planned   bool // built from the generated plan, not derived
}

const hashBits = 18

// slot is one entry of the exact trigram table; key is the folded trigram
// with bit 24 set (0 marks an empty slot). Its keywords are
// anchors[first:first+n].
type slot struct {
	key      uint32
	first, n uint32
}

// anchored is a keyword and where its anchor trigram starts relative to
// it (-1: one byte before it), with the test of its first eight bytes as
// one word: a word w loaded (little-endian) where the keyword would start
// holds them when w|fold&mask == want (fold sets bit 0x20 where the
// keyword has a letter, so that either case passes; other bytes compare
// exactly, as hasFoldAt does).
type anchored struct {
	kw               int32
	offset           int32
	fold, mask, want uint64
}

// newAnchored returns the anchor of keyword ki (text k) at offset off.
func newAnchored(ki int, k string, off int) anchored {
	a := anchored{kw: int32(ki), offset: int32(off)}
	for j := 0; j < len(k) && j < 8; j++ {
		c := uint64(k[j])
		if k[j] >= 'a' && k[j] <= 'z' {
			a.fold |= 0x20 << (8 * j)
		}
		a.mask |= 0xFF << (8 * j)
		a.want |= c << (8 * j)
	}
	return a
}

// fold3 is the case-folded trigram of three bytes, as the scan computes it.
func fold3(a, b, c byte) uint32 {
	return uint32(a|0x20) | uint32(b|0x20)<<8 | uint32(c|0x20)<<16
}

// hash maps a folded trigram to an entry of the set: the top hashBits
// bits of its product with p.mul (odd), which every byte of it reaches.
func (p *prefilter) hash(g uint32) uint32 { return uint32((uint64(g) * p.mul) >> (64 - hashBits)) }

// newPrefilter builds the prefilter of the keywords of rs. For the
// default rule set it loads what is costly to derive (the rules' window
// radii, each keyword's anchor alignments, the hash multiplier) from the
// generated plan (prefilterPlanDefault, see prefilter_plan.go); for any
// other set, or when the plan is stale, it derives them.
func newPrefilter(rs []*rules.Rule) *prefilter {
	return buildPrefilter(rs, prefilterPlanDefault.For(rs))
}

// buildPrefilter builds the prefilter of the keywords of rs, taking the
// keywords with their rules and radii, the alignments and the multiplier
// from plan, or deriving them when plan is nil. plan must have been made
// for exactly rs (prefilterPlan.For).
func buildPrefilter(rs []*rules.Rule, plan *prefilterPlan) *prefilter {
	p := &prefilter{}
	if plan != nil {
		p.planned = true
		p.maxRadius = int(plan.maxRadius)
		p.keywords = make([]keyword, len(plan.keywords))
		for ki := range plan.keywords {
			pk := &plan.keywords[ki]
			p.keywords[ki] = keyword{text: pk.text, rules: pk.rules, radius: int(pk.radius)}
			p.maxLen = max(p.maxLen, len(pk.text))
		}
	} else {
		p.deriveKeywords(rs)
	}
	var freq ngramFreqs
	if plan == nil {
		freq = ngramFreqs{trigramFreqs(), pairFreqs()}
	}
	als := make([]alignment, 0, 2*len(p.keywords))
	var buf []uint32 // the planned alignments' trigrams
	if plan != nil {
		buf = make([]uint32, 0, plan.grams())
	}
	for ki := range p.keywords {
		k := p.keywords[ki].text
		var even, odd alignment
		if plan != nil {
			even, odd, buf = plan.alignments(ki, buf)
		} else {
			even, odd = p.alignments(rs, ki, freq)
		}
		even.kw, odd.kw = ki, ki
		als = append(als, even, odd)
		p.maxAnchor = max(p.maxAnchor, even.off, odd.off)
		if even.outside(k) || odd.outside(k) {
			p.edge = append(p.edge, ki)
		}
	}
	if plan != nil {
		p.mul = plan.mul
	} else {
		var grams []uint32
		for _, al := range als {
			grams = append(grams, al.grams...)
		}
		p.mul = chooseMul(grams, freq.tri)
	}
	p.fillTables(als)
	return p
}

// deriveKeywords lists the keywords of rs (with their JSON forms, see
// withJSONForms), each with the rules it triggers and their largest window
// radius, and the largest radius of all the rules.
func (p *prefilter) deriveKeywords(rs []*rules.Rule) {
	byText := make(map[string]int, len(rs)*2)
	for ri, r := range rs {
		p.maxRadius = max(p.maxRadius, r.WindowRadius())
		if r.Pattern == "" {
			continue // structural rules are raised by source handlers
		}
		for _, k := range withJSONForms(r.Keywords) {
			ki, ok := byText[k]
			if !ok {
				ki = len(p.keywords)
				byText[k] = ki
				p.keywords = append(p.keywords, keyword{text: k})
				p.maxLen = max(p.maxLen, len(k))
			}
			kw := &p.keywords[ki]
			kw.rules = append(kw.rules, ri)
			kw.radius = max(kw.radius, r.WindowRadius())
		}
	}
}

// fillTables fills the set and the exact table from the keywords'
// alignments als, once p.mul is chosen. The table has a slot per distinct
// trigram, half full at most, and anchors holds each slot's keywords
// together, in the order of als; the layout depends only on als and p.mul,
// so that a plan builds the same tables as a derivation.
func (p *prefilter) fillTables(als []alignment) {
	total := 0
	for _, al := range als {
		total += len(al.grams)
	}
	n := 1
	for n < 2*total {
		n <<= 1
	}
	mask := uint32(n - 1)
	p.slots = make([]slot, n)
	// find returns the slot of trigram g: its own, or the empty one where
	// it belongs.
	find := func(g uint32) *slot {
		key := g | 1<<24
		for i := p.hash(g) & mask; ; i = (i + 1) & mask {
			if sl := &p.slots[i]; sl.key == key || sl.key == 0 {
				sl.key = key
				return sl
			}
		}
	}
	for _, al := range als {
		for _, g := range al.grams {
			p.set[p.hash(g)] = 1
			find(g).n++
		}
	}
	first := uint32(0)
	for i := range p.slots {
		p.slots[i].first = first
		first += p.slots[i].n
		p.slots[i].n = 0
	}
	// Every keyword's anchor trigrams: no two are the same (the alignments
	// of a keyword differ in offset, and the bytes of an alignment's side
	// are distinct), so none is dropped.
	p.anchors = make([]anchored, total)
	for _, al := range als {
		a := newAnchored(al.kw, p.keywords[al.kw].text, al.off)
		for _, g := range al.grams {
			sl := find(g)
			p.anchors[sl.first+sl.n] = a
			sl.n++
		}
	}
}

// alignment is one way of indexing a keyword: the trigrams at offset off
// relative to its start (several when the trigram holds a byte outside
// the keyword), and their estimated frequency in transcripts.
type alignment struct {
	off   int
	grams []uint32
	cost  float64
	kw    int // the keyword, once chosen
}

// outside reports whether al's trigram holds a byte outside keyword k, so
// that at the ends of an input it may not be there.
func (al alignment) outside(k string) bool { return al.off < 0 || al.off+3 > len(k) }

// alignments picks, for keyword ki, one alignment at an even and one at an
// odd offset (from one byte before it to one byte past it), so that the
// scan, which looks at even offsets only, meets one of them wherever the
// keyword occurs. It minimises their estimated frequency in agent
// transcripts (trigramFreqs, pairFreqs) plus the false hits their entries in
// the hash cause; a byte outside the keyword counts by the share of the
// bytes its rules allow there (rules.Rule.PrecedeBytes, FollowBytes).
func (p *prefilter) alignments(rs []*rules.Rule, ki int, freq ngramFreqs) (even, odd alignment) {
	k := p.keywords[ki].text
	ris := p.keywords[ki].rules
	var cands []alignment
	for off := -1; off+2 <= len(k); off++ {
		// The bytes the rules allow next to a short keyword; a longer one
		// has trigrams inside it at both parities, and any byte is
		// assumed next to it (this keeps start-up from parsing rules).
		side := func(f func(*rules.Rule, string) *[256]bool) []byte {
			if len(k) >= 4 {
				return foldedSet(nil)
			}
			return foldedSet(neighbourBytes(rs, ris, k, f))
		}
		al := alignment{off: off}
		switch {
		case off < 0:
			set := side((*rules.Rule).PrecedeBytes)
			al.grams = appendGrams(nil, k, off, set)
			al.cost = freq.pair(k[0], k[1]) * float64(len(set)) / 128
		case off+3 > len(k):
			set := side((*rules.Rule).FollowBytes)
			al.grams = appendGrams(nil, k, off, set)
			al.cost = freq.pair(k[off], k[off+1]) * float64(len(set)) / 128
		default:
			al.grams = appendGrams(nil, k, off, "")
			al.cost = freq.trigram(k[off], k[off+1], k[off+2])
		}
		// Every trigram set in the hash also costs false hits: one entry of
		// 2^hashBits, tested at every other byte.
		al.cost += float64(len(al.grams)) * 1e6 / 2 / (1 << hashBits)
		cands = append(cands, al)
	}
	best := 1e300
	for _, a := range cands {
		for _, b := range cands {
			if a.off&1 == 0 && b.off&1 != 0 && a.cost+b.cost < best {
				even, odd, best = a, b, a.cost+b.cost
			}
		}
	}
	return even, odd
}

// chooseMul returns the hash multiplier, among a few fixed odd
// constants, under which the trigrams most frequent in transcripts
// (freq, per million bytes) that anchor no keyword fall on the fewest
// entries of grams: every such collision is a stop of the scan that
// confirms nothing. The choice is deterministic for a rule set.
func chooseMul(grams []uint32, freq map[string]int) uint64 {
	anchors := make(map[uint32]bool, len(grams))
	for _, g := range grams {
		anchors[g] = true
	}
	type weighted struct {
		g uint32
		n int
	}
	common := make([]weighted, 0, len(freq))
	for t, n := range freq {
		if g := fold3(t[0], t[1], t[2]); !anchors[g] {
			common = append(common, weighted{g, n})
		}
	}
	var set [1 << (hashBits - 6)]uint64
	best, bestCost := uint64(0), -1
	x := uint64(0x9E3779B97F4A7C15) // splitmix64 sequence, fixed seed
	for c := 0; c < 24; c++ {
		x += 0x9E3779B97F4A7C15
		z := x
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		mul := (z ^ z>>31) | 1
		clear(set[:])
		for _, g := range grams {
			h := uint32((uint64(g) * mul) >> (64 - hashBits))
			set[h>>6] |= 1 << (h & 63)
		}
		cost := 0
		for _, w := range common {
			h := uint32((uint64(w.g) * mul) >> (64 - hashBits))
			if set[h>>6]>>(h&63)&1 != 0 {
				cost += w.n
			}
		}
		if bestCost < 0 || cost < bestCost {
			best, bestCost = mul, cost
		}
	}
	return best
}

// appendGrams appends to dst the folded trigrams that index keyword k at
// offset off (from -1 to len(k)-2): the one inside k, or, where the trigram
// holds the byte before (off -1) or after (off len(k)-2) k, one per folded
// byte of side (see foldedSet), in its order.
func appendGrams[S ~string | ~[]byte](dst []uint32, k string, off int, side S) []uint32 {
	switch {
	case off < 0:
		for i := range len(side) {
			dst = append(dst, fold3(side[i], k[0], k[1]))
		}
	case off+3 > len(k):
		for i := range len(side) {
			dst = append(dst, fold3(k[off], k[off+1], side[i]))
		}
	default:
		dst = append(dst, fold3(k[off], k[off+1], k[off+2]))
	}
	return dst
}

// ngramFreqs are the frequency tables of freq.go.
type ngramFreqs struct{ tri, pairs map[string]int }

// trigram estimates how often a trigram occurs per million bytes.
func (f ngramFreqs) trigram(a, b, c byte) float64 {
	if n, ok := f.tri[string([]byte{a | 0x20, b | 0x20, c | 0x20})]; ok {
		return float64(n)
	}
	return 0.5 + byteFreq[a|0x20]*byteFreq[b|0x20]*byteFreq[c|0x20] // below any listed
}

// pair estimates how often a byte pair occurs per million bytes.
func (f ngramFreqs) pair(a, b byte) float64 {
	if n, ok := f.pairs[string([]byte{a | 0x20, b | 0x20})]; ok {
		return float64(n)
	}
	return 0.5 + byteFreq[a|0x20]*byteFreq[b|0x20]
}

// neighbourBytes is the union of the byte sets that side (PrecedeBytes or
// FollowBytes) gives for keyword k in the rules ris, or nil for any byte.
func neighbourBytes(rs []*rules.Rule, ris []int, k string, side func(*rules.Rule, string) *[256]bool) *[256]bool {
	var set [256]bool
	for _, ri := range ris {
		f := side(rs[ri], k)
		if f == nil {
			return nil
		}
		for c, in := range f {
			set[c] = set[c] || in
		}
	}
	return &set
}

// allFolded is foldedSet(nil), shared: the callers only read it.
var allFolded = foldedSetOf(nil)

// foldedSet lists the folded values of the bytes in set (nil: all bytes).
// The result must not be modified.
func foldedSet(set *[256]bool) []byte {
	if set == nil {
		return allFolded
	}
	return foldedSetOf(set)
}

func foldedSetOf(set *[256]bool) []byte {
	out := make([]byte, 0, 128)
	var seen [256]bool
	for c := 0; c < 256; c++ {
		if set != nil && !set[c] {
			continue
		}
		if f := byte(c) | 0x20; !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// byteFreq approximates how often each (lower-cased) byte occurs in agent
// transcripts, to rank n-grams that the tables do not list.
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

// find calls fn(pos, keywordIndex) for every keyword occurrence starting
// in b[start:end], in no particular order (a keyword may be reported
// twice). b must extend at least maxLen bytes past end where the input
// continues, so that keywords starting before end are seen whole.
func (p *prefilter) find(b []byte, start, end int, fn func(pos, kw int)) {
	hi := min(end+p.maxAnchor, len(b)-2) // a trigram at i needs b[i+2]
	i := max(0, start-1) &^ 1
	var stops [stopBatch]int32
	for {
		var n int
		i, n = p.scan(b, i, hi, &stops)
		for _, at := range stops[:n] {
			p.confirm(b, int(at), start, end, fn)
		}
		if n == 0 {
			break
		}
	}
	// The last bytes, two at a time.
	for i = max(i, max(0, start-1)&^1); i < hi; i += 2 {
		h := p.hash(fold3(b[i], b[i+1], b[i+2]))
		if p.set[h] != 0 {
			p.confirm(b, i, start, end, fn)
		}
	}
	// At the ends of the input, a keyword anchored on a byte outside it
	// may have no trigram at an even offset.
	for _, ki := range p.edge {
		k := p.keywords[ki].text
		if start == 0 && hasFoldAt(b, 0, k) {
			fn(0, ki)
		}
		if i := len(b) - len(k); i > 0 && i >= start && i < end && hasFoldAt(b, i, k) {
			fn(i, ki)
		}
	}
}

// stopBatch is how many offsets one call of scan may return.
const stopBatch = 128

// scan looks at b sixteen bytes at a time from offset i (even), while
// b holds 20 bytes there and the block ends by hi (hi <= len(b)-2). It
// writes to stops the even offsets whose trigram hashes to a set entry
// and returns the offset of the first block it did not look at and how
// many it wrote: at most stopBatch, and 0 only when it reached the end.
// It folds eight bytes at once and tests eight trigrams per block; the
// first stop of a block is recorded without a branch on whether there is
// one, since a block holds one too often (one in three to five on the
// corpus shapes) for that branch to be predicted, and two in a block are
// rare.
func (p *prefilter) scan(b []byte, i, hi int, stops *[stopBatch]int32) (int, int) {
	const fold = 0x2020202020202020
	const sh = 64 - hashBits
	const m3 = 0xFFFFFF
	set := &p.set
	k := p.mul
	n := 0
	j := i
	last := min(hi-16, len(b)-20) // the last block's offset
	for ; j <= last && n <= stopBatch-8; j += 16 {
		c := b[j : j+20 : j+20]
		w0 := binary.LittleEndian.Uint64(c[0:8]) | fold
		v0 := binary.LittleEndian.Uint64(c[4:12]) | fold
		w1 := binary.LittleEndian.Uint64(c[8:16]) | fold
		v1 := binary.LittleEndian.Uint64(c[12:20]) | fold
		// The trigram at j+2n, times k: its top bits index the set. Bit n
		// of m is its entry.
		m := uint64(set[(w0&m3)*k>>sh]) |
			uint64(set[(w0>>16&m3)*k>>sh])<<1 |
			uint64(set[(w0>>32&m3)*k>>sh])<<2 |
			uint64(set[(v0>>16&m3)*k>>sh])<<3 |
			uint64(set[(w1&m3)*k>>sh])<<4 |
			uint64(set[(w1>>16&m3)*k>>sh])<<5 |
			uint64(set[(w1>>32&m3)*k>>sh])<<6 |
			uint64(set[(v1>>16&m3)*k>>sh])<<7
		// One offset without a branch; more (rare) with one.
		stops[n&(stopBatch-1)] = int32(j + 2*bits.TrailingZeros64(m))
		n += int((m | -m) >> 63)
		m &= m - 1
		for ; m != 0; m &= m - 1 {
			stops[n&(stopBatch-1)] = int32(j + 2*bits.TrailingZeros64(m))
			n++
		}
	}
	return j, n
}

// confirm reports, through fn, the keywords anchored at the trigram at
// b[i] that occur whole and start in [start, end).
func (p *prefilter) confirm(b []byte, i, start, end int, fn func(pos, kw int)) {
	g := fold3(b[i], b[i+1], b[i+2])
	mask := uint32(len(p.slots) - 1)
	for j := p.hash(g) & mask; ; j = (j + 1) & mask {
		sl := p.slots[j]
		if sl.key == 0 {
			return
		}
		if sl.key != g|1<<24 {
			continue
		}
		for _, a := range p.anchors[sl.first : sl.first+sl.n] {
			s := i - int(a.offset)
			if s < start || s >= end {
				continue
			}
			if s+8 <= len(b) {
				if (binary.LittleEndian.Uint64(b[s:s+8])|a.fold)&a.mask != a.want {
					continue
				}
				if k := p.keywords[a.kw].text; len(k) > 8 && !hasFoldAt(b, s, k) {
					continue
				}
			} else if !hasFoldAt(b, s, p.keywords[a.kw].text) {
				continue
			}
			fn(s, int(a.kw))
		}
		return
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
