package match

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

// TestPrefilterFindsEveryKeyword plants every keyword, in random case, at
// random offsets of random text (prose, JSON punctuation, base64),
// including the first and last bytes of the input, and requires the
// prefilter to report each one. A short keyword is planted between bytes
// its rules allow there (the prefilter indexes it by them; a rule cannot
// match with any other).
func TestPrefilterFindsEveryKeyword(t *testing.T) {
	rs := rules.Default().Rules()
	pf := NewEngine(rules.Default()).pf
	r := rand.New(rand.NewPCG(7, 8))
	alphabet := "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/= _-.:,\"{}[]\\\n"
	pickFrom := func(set *[256]bool) byte {
		for {
			c := byte(r.IntN(256))
			if set == nil || set[c] {
				return c
			}
		}
	}
	randomCase := func(k string) string {
		b := []byte(k)
		for i := range b {
			if r.IntN(2) == 0 && b[i] >= 'a' && b[i] <= 'z' {
				b[i] -= 'a' - 'A'
			}
		}
		return string(b)
	}
	for round := 0; round < 40; round++ {
		for ki := range pf.keywords {
			k := pf.keywords[ki].text
			pre, fol := keywordNeighbours(rs, pf, ki)
			var sb strings.Builder
			for sb.Len() < 40+r.IntN(300) {
				sb.WriteByte(alphabet[r.IntN(len(alphabet))])
			}
			text := []byte(sb.String())
			var at int
			switch round % 3 {
			case 0:
				at = 0
			case 1:
				at = len(text) - len(k)
			default:
				at = 1 + r.IntN(len(text)-len(k)-2)
			}
			copy(text[at:], randomCase(k))
			if at > 0 {
				text[at-1] = pickFrom(pre)
			}
			if at+len(k) < len(text) {
				text[at+len(k)] = pickFrom(fol)
			}
			found := false
			pf.find(text, 0, len(text), func(pos, kw int) {
				found = found || (pos == at && pf.keywords[kw].text == k)
			})
			if !found {
				t.Fatalf("keyword %q at %d of %q not reported", k, at, text)
			}
		}
	}
}

// keywordNeighbours returns the bytes keyword ki's rules allow right
// before and after it, for keywords under four bytes (the prefilter
// indexes only those by their neighbours); nil for longer ones.
func keywordNeighbours(rs []*rules.Rule, pf *prefilter, ki int) (pre, fol *[256]bool) {
	k := pf.keywords[ki].text
	if len(k) < 4 {
		pre = neighbourBytes(rs, pf.keywords[ki].rules, k, (*rules.Rule).PrecedeBytes)
		fol = neighbourBytes(rs, pf.keywords[ki].rules, k, (*rules.Rule).FollowBytes)
	}
	return pre, fol
}

// naiveFind lists every occurrence of every keyword in b starting in
// [start, end), by comparing each keyword at each offset, case-folded. A
// keyword shorter than four bytes counts only between bytes its rules
// allow there (rules.Rule.PrecedeBytes, FollowBytes), as the prefilter
// indexes it by them: no rule can match with any other.
func naiveFind(t testing.TB, rs []*rules.Rule, pf *prefilter, b []byte, start, end int) map[[2]int]bool {
	out := map[[2]int]bool{}
	for ki := range pf.keywords {
		k := pf.keywords[ki].text
		pre, fol := keywordNeighbours(rs, pf, ki)
		for s := start; s < end && s+len(k) <= len(b); s++ {
			if !strings.EqualFold(string(b[s:s+len(k)]), k) {
				continue
			}
			if pre != nil && s > 0 && !pre[b[s-1]] {
				continue
			}
			if fol != nil && s+len(k) < len(b) && !fol[b[s+len(k)]] {
				continue
			}
			out[[2]int{s, ki}] = true
		}
	}
	return out
}

// checkAgainstNaive requires pf.find over b[start:end] to report every
// occurrence naiveFind lists, and nothing that is not an occurrence; pf
// is the default rules' prefilter.
func checkAgainstNaive(t testing.TB, pf *prefilter, b []byte, start, end int) {
	t.Helper()
	checkAgainstNaiveRules(t, rules.Default().Rules(), pf, b, start, end)
}

// checkAgainstNaiveRules is checkAgainstNaive for pf built from rs.
func checkAgainstNaiveRules(t testing.TB, rs []*rules.Rule, pf *prefilter, b []byte, start, end int) {
	t.Helper()
	want := naiveFind(t, rs, pf, b, start, end)
	got := map[[2]int]bool{}
	pf.find(b, start, end, func(pos, kw int) {
		k := pf.keywords[kw].text
		if pos < start || pos >= end || pos+len(k) > len(b) || !strings.EqualFold(string(b[pos:pos+len(k)]), k) {
			t.Fatalf("find reported %q at %d (range [%d,%d)) in %q: not there", k, pos, start, end, b)
		}
		got[[2]int{pos, kw}] = true
	})
	for h := range want {
		if !got[h] {
			t.Fatalf("find missed %q at %d (range [%d,%d)) in %q", pf.keywords[h[1]].text, h[0], start, end, b)
		}
	}
}

// keywordSoup returns n bytes of text dense in keywords and their
// fragments, in random case, among JSON punctuation, escapes and base64,
// so that many offsets hold a keyword or almost one.
func keywordSoup(r *rand.Rand, pf *prefilter, n int) []byte {
	pieces := []string{" ", "\"", "\\\"", "\\n", ":", "=", "_", "-", ".", "/", "{", "}", ",", "\n", "ey", "sk", "s.", "token", "input_tokens", "cache_read_input_tokens", "api", "key", "test_", "eyJhbGciOi", "AKIA", "ghp_", "xox", "://"}
	var sb strings.Builder
	for sb.Len() < n {
		switch r.IntN(4) {
		case 0:
			k := pf.keywords[r.IntN(len(pf.keywords))].text
			if r.IntN(3) == 0 {
				k = k[:r.IntN(len(k))+1] // a fragment
			}
			sb.WriteString(k)
		case 1:
			sb.WriteString(pieces[r.IntN(len(pieces))])
		default:
			const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
			for j := r.IntN(12); j >= 0; j-- {
				sb.WriteByte(b64[r.IntN(len(b64))])
			}
		}
	}
	b := []byte(sb.String())[:n]
	for i := range b {
		if r.IntN(3) == 0 && b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return b
}

// TestPrefilterEqualsNaiveSearch compares find with a naive case-folded
// search of every keyword at every offset, on keyword-dense text of many
// lengths (so that each keyword meets every alignment of the scan's
// sixteen-byte blocks and the ends of the input) and over sub-ranges.
func TestPrefilterEqualsNaiveSearch(t *testing.T) {
	pf := NewEngine(rules.Default()).pf
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 300; round++ {
		n := 1 + r.IntN(600)
		if round%50 == 0 {
			n = 20000 + r.IntN(5000) // more than one batch of stops
		}
		b := keywordSoup(r, pf, n)
		checkAgainstNaive(t, pf, b, 0, len(b))
		start := r.IntN(len(b))
		end := start + r.IntN(len(b)-start+1)
		checkAgainstNaive(t, pf, b, start, end)
	}
}

// FuzzPrefilter compares find with the naive search on arbitrary bytes.
func FuzzPrefilter(f *testing.F) {
	pf := NewEngine(rules.Default()).pf
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 8; i++ {
		f.Add(keywordSoup(r, pf, 40+r.IntN(200)), uint16(r.IntN(40)))
	}
	f.Add([]byte(`{"usage":{"input_tokens":12,"cache_read_input_tokens":3}}`), uint16(0))
	f.Fuzz(func(t *testing.T, b []byte, cut uint16) {
		checkAgainstNaive(t, pf, b, 0, len(b))
		if s := int(cut); s < len(b) {
			checkAgainstNaive(t, pf, b, s, len(b))
		}
	})
}
