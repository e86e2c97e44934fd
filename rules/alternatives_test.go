package rules

import (
	"math/rand"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
)

// TestAllowlistAlternatives: an allowlist regex split into its top-level
// alternatives (each behind its own literal filter) matches exactly where
// the whole regex does, for every allowlist of the default rules, on
// texts built from the regexes' own literals, case variants, separators
// and line breaks.
func TestAllowlistAlternatives(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var srcs []string
	for _, r := range Default().Rules() {
		for _, a := range r.Allowlists {
			srcs = append(srcs, a.Regexes...)
		}
	}
	for _, a := range Default().Allowlists() {
		srcs = append(srcs, a.Regexes...)
	}
	split := 0
	for _, src := range srcs {
		parts, _ := alternatives(src)
		if len(parts) < 2 {
			continue
		}
		split++
		whole := regexp.MustCompile(src)
		res := make([]*regexp.Regexp, len(parts))
		var words []string
		for i, p := range parts {
			res[i] = regexp.MustCompile(p)
			if re, err := syntax.Parse(p, syntax.Perl); err == nil {
				if lits, ok := requiredLiterals(re); ok {
					words = append(words, lits...)
				}
			}
		}
		words = append(words, "=", "\n", "_", "-", ".", " ", ":", "x", "0123456789abcdef0123456789abcdef01234567", "commit ", "git ", "@", "#", "..")
		for n := 0; n < 3000; n++ {
			var b strings.Builder
			for k := rng.Intn(6); k >= 0; k-- {
				w := words[rng.Intn(len(words))]
				switch rng.Intn(3) {
				case 0:
					w = strings.ToUpper(w)
				case 1:
					w = strings.ToLower(w)
				}
				b.WriteString(w)
			}
			text := b.String()
			any := false
			for i, re := range res {
				if re.MatchString(text) {
					any = true
					if f := literalFilter(parts[i]); f != nil && isASCII(text) {
						var buf [4096]byte
						if len(text) <= len(buf) && !f.in(lowerInto(buf[:], text)) {
							t.Errorf("%.40s: part %q matches %q without its literals", src, parts[i], text)
						}
					}
				}
			}
			if any != whole.MatchString(text) {
				t.Fatalf("%.60s: parts say %v, whole says %v on %q", src, any, !any, text)
			}
		}
	}
	if split == 0 {
		t.Fatal("no allowlist regex was split: the test tests nothing")
	}
}

// TestAlternativesSplit: the text splitter agrees with the regex on
// groups, classes, escapes and flags.
func TestAlternativesSplit(t *testing.T) {
	cases := map[string]int{
		`a|b`: 2, `(?i)(?:a|b)`: 2, `[|]|x`: 2, `\||y`: 2, `(a|b)|c`: 2, `(?:a)|(?:b)`: 2,
		`[]|]|z`: 2, `(?i)a(?:b|c)`: 1, `(?i)^true|false|null$`: 3, `(?:a|b)c`: 1, `\Qa|b\E`: 1,
		`[[:alpha:]|]|q`: 2, `(?s:a|b)`: 1, `x`: 1,
	}
	texts := []string{"", "a", "b", "c", "x", "y", "z", "q", "|", "]", "A", "B", "true", "TRUE x", "x false", "null", "ac", "bc", "ab", "a|b"}
	for src, n := range cases {
		parts, err := alternatives(src)
		if err != nil || len(parts) != n {
			t.Errorf("alternatives(%q) = %q, %v; want %d parts", src, parts, err, n)
			continue
		}
		whole := regexp.MustCompile(src)
		for _, text := range texts {
			any := false
			for _, p := range parts {
				any = any || regexp.MustCompile(p).MatchString(text)
			}
			if any != whole.MatchString(text) {
				t.Errorf("%q split as %q: %q gives %v, the whole regex %v", src, parts, text, any, !any)
			}
		}
	}
}
