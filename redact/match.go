package redact

import "bytes"

// matcher finds every occurrence of a set of needles in a text.
//
// With few needles it runs bytes.Index once per needle (vectorised, several
// GB/s each). With more it looks up one two-byte anchor per position in a
// bit table and compares only at anchor hits. Each needle's anchor is its
// rarest-looking byte pair (secrets are random; a pair that mixes digits,
// capitals and letters rarely occurs in prose or code), so hits are few.
type matcher struct {
	needles []needle
	maxLen  int
	// table mode
	table   *[1 << 16 / 64]uint64
	buckets map[uint16][]int32
	anchor  []int
}

// directMax is the largest needle count searched with bytes.Index.
const directMax = 4

func newMatcher(ns []needle) *matcher {
	m := &matcher{needles: ns}
	for _, n := range ns {
		m.maxLen = max(m.maxLen, len(n.b))
	}
	if len(ns) <= directMax {
		return m
	}
	m.table = new([1 << 16 / 64]uint64)
	m.buckets = map[uint16][]int32{}
	m.anchor = make([]int, len(ns))
	for i, n := range ns {
		k := bestAnchor(n.b)
		m.anchor[i] = k
		key := uint16(n.b[k]) | uint16(n.b[k+1])<<8
		m.table[key>>6] |= 1 << (key & 63)
		m.buckets[key] = append(m.buckets[key], int32(i))
	}
	return m
}

// bestAnchor returns the offset of the pair of b that looks rarest.
func bestAnchor(b []byte) int {
	best, bestScore := 0, 1<<30
	for k := 0; k+1 < len(b); k++ {
		if s := pairScore(b[k], b[k+1]); s < bestScore {
			best, bestScore = k, s
		}
	}
	return best
}

func pairScore(a, b byte) int {
	return classScore(a) + classScore(b) + sameClass(a, b)
}

// classScore rates how common a byte is in text: 0 rare, 3 common.
func classScore(c byte) int {
	switch {
	case c >= 'a' && c <= 'z':
		return 2
	case c == ' ' || c == '\n' || c == '\t' || c == '\r':
		return 3
	case c >= 'A' && c <= 'Z':
		return 1
	case c >= '0' && c <= '9':
		return 1
	case c == '"' || c == ',' || c == '.' || c == ':' || c == '/' || c == '-' || c == '_' || c == '=':
		return 2
	}
	return 0
}

func sameClass(a, b byte) int {
	cls := func(c byte) int {
		switch {
		case c >= 'a' && c <= 'z':
			return 1
		case c >= 'A' && c <= 'Z':
			return 2
		case c >= '0' && c <= '9':
			return 3
		}
		return 4
	}
	if cls(a) == cls(b) {
		return 2
	}
	return 0
}

// each calls fn for every occurrence of every needle in text, with the
// occurrence's start offset and the needle's index. Order is unspecified.
func (m *matcher) each(text []byte, fn func(pos, ni int)) {
	if m.table == nil {
		for ni, n := range m.needles {
			for off := 0; ; {
				j := bytes.Index(text[off:], n.b)
				if j < 0 {
					break
				}
				fn(off+j, ni)
				off += j + 1
			}
		}
		return
	}
	m.scan(text, func(pos, ni int) bool { fn(pos, ni); return true })
}

// scan runs the table search; fn returns false to stop. scan reports
// whether it stopped early.
func (m *matcher) scan(text []byte, fn func(pos, ni int) bool) bool {
	t := m.table
	for i := 0; i+1 < len(text); i++ {
		key := uint16(text[i]) | uint16(text[i+1])<<8
		if t[key>>6]&(1<<(key&63)) == 0 {
			continue
		}
		for _, ni := range m.buckets[key] {
			n := m.needles[ni].b
			s := i - m.anchor[ni]
			if s >= 0 && s+len(n) <= len(text) && bytes.Equal(text[s:s+len(n)], n) {
				if !fn(s, int(ni)) {
					return true
				}
			}
		}
	}
	return false
}

// any reports whether some needle occurs in text.
func (m *matcher) any(text []byte) bool {
	if m.table == nil {
		for _, n := range m.needles {
			if bytes.Contains(text, n.b) {
				return true
			}
		}
		return false
	}
	return m.scan(text, func(int, int) bool { return false })
}
