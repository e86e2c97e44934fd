package match

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

func TestRuneCount(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "Z", "\n", "é", "→", "😀", "\\u00e9", " "}
	for n := 0; n < 2000; n++ {
		var s []byte
		for k := r.IntN(40); k > 0; k-- {
			s = append(s, alphabet[r.IntN(len(alphabet))]...)
		}
		for i := 0; i <= len(s); i++ {
			if !utf8.Valid(s[i:]) {
				continue
			}
			if got, want := runeCount(s[i:]), utf8.RuneCount(s[i:]); got != want {
				t.Fatalf("runeCount(%q) = %d, want %d", s[i:], got, want)
			}
		}
	}
}
