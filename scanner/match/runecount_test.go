package match

import (
	"bytes"
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

func TestLastNewline(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for n := 0; n < 3000; n++ {
		b := make([]byte, r.IntN(70))
		for i := range b {
			b[i] = "ab\n\x8a\x0b"[r.IntN(5)]
		}
		if got, want := lastNewline(b), bytes.LastIndexByte(b, '\n'); got != want {
			t.Fatalf("lastNewline(%q) = %d, want %d", b, got, want)
		}
	}
}
