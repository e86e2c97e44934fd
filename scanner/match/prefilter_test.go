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
			var pre, fol *[256]bool
			if len(k) < 4 {
				pre = neighbourBytes(rs, pf.keywords[ki].rules, k, (*rules.Rule).PrecedeBytes)
				fol = neighbourBytes(rs, pf.keywords[ki].rules, k, (*rules.Rule).FollowBytes)
			}
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
