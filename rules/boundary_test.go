package rules_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

// proseEnds follow a token in prose, Markdown and command lines; each must
// end a token for every widened rule.
var proseEnds = []string{", then retry", ". Thanks", ".", ")", "]", "> ", "|", "!", "?", ":", "&page=2", "…", "”", `\"`, "*", "}"}

// continuations make a longer token or a name: a widened rule must not cut
// a token short before them.
var continuations = []string{"x", "7", "_x", "-x", "/x", "+x", "=", "%3D", "~x", ".json", ".x"}

// TestWidenedBoundaries holds every gitleaks rule whose final boundary
// mcpscan widened (rules.widenBoundary) to gitleaks' own examples: on each
// true positive it finds at least every secret gitleaks' pattern finds, on
// each false positive nothing; and the widened boundary ends the token
// before prose punctuation but not before a character that continues it.
func TestWidenedBoundaries(t *testing.T) {
	byRule := map[string][]gitleaksExample{}
	for _, ex := range loadGitleaksExamples(t) {
		byRule[ex.Rule] = append(byRule[ex.Rule], ex)
	}
	widened := 0
	for _, r := range rules.Default().Rules() {
		if r.Origin != rules.OriginGitleaks {
			continue
		}
		orig := rules.GitleaksPattern(r.ID)
		if orig == r.Pattern {
			continue
		}
		widened++
		o := r.Clone()
		o.Pattern = orig
		exs := byRule[r.ID]
		if len(exs) == 0 {
			t.Logf("%s: widened, but gitleaks has no example for it (TestTokenEndAcceptsGitleaksBoundary covers it)", r.ID)
		}
		prose := 0
		for _, ex := range exs {
			if !r.AppliesToPath(ex.Path) {
				continue
			}
			got := acceptedMatches(t, r, ex.Text, ex.Path)
			if !ex.Positive {
				for _, f := range got {
					t.Errorf("%s: false positive example %q: the widened rule reports %q", r.ID, clip(ex.Text), f.Secret)
				}
				continue
			}
			spans := map[[2]int]bool{}
			for _, f := range got {
				spans[[2]int{f.Start, f.End}] = true
			}
			for _, f := range acceptedMatches(t, o, ex.Text, ex.Path) {
				if !spans[[2]int{f.Start, f.End}] {
					t.Errorf("%s: true positive example %q: gitleaks' pattern finds %q, the widened one does not", r.ID, clip(ex.Text), f.Secret)
					continue
				}
				// The same secret, followed by prose or by more token.
				head := ex.Text[:f.End]
				for _, end := range proseEnds {
					fs := acceptedMatches(t, r, head+end, ex.Path)
					// A token whose alphabet holds "." (pscale_pw_) or "\\" (jwt)
					// takes a final one in, as gitleaks' own pattern does.
					if !hasSpan(fs, f.Start, f.End) && !((end[0] == '.' || end[0] == '\\') && hasSpan(fs, f.Start, f.End+1)) {
						t.Errorf("%s: %q: not found before %q", r.ID, clip(f.Secret), end)
					}
				}
				for _, more := range continuations {
					if hasSpan(acceptedMatches(t, r, head+more, ex.Path), f.Start, f.End) {
						t.Errorf("%s: %q: found cut short before %q", r.ID, clip(f.Secret), more)
					}
				}
				prose++
			}
		}
		if prose == 0 && len(exs) > 0 {
			t.Errorf("%s: no true positive example to test the widened boundary on", r.ID)
		}
	}
	if widened < 150 {
		t.Errorf("%d gitleaks rules widened; gitleaks %s has about 150 ending in its boundary group", widened, rules.GitleaksVersion())
	}
	t.Logf("%d gitleaks rules with a widened boundary", widened)
}

// TestTokenEndAcceptsGitleaksBoundary: the widened boundary accepts every
// text gitleaks' boundary accepts, so a widened rule finds at least what
// gitleaks' finds, also for rules without examples.
func TestTokenEndAcceptsGitleaksBoundary(t *testing.T) {
	gl := regexp.MustCompile(`\Aa(?:[\x60'"\s;]|\\[nr]|$)`)
	re := regexp.MustCompile(rules.TokenEndForTest)
	var tails []string
	for c := 0; c < 256; c++ {
		tails = append(tails, string(rune(c)), string(rune(c))+"x", string([]byte{byte(c)}))
	}
	tails = append(tails, "", `\n`, `\r`, "\u00a0", "\u2028", "…")
	for _, tail := range tails {
		if gl.MatchString("a"+tail) && !re.MatchString("a"+tail) {
			t.Errorf("gitleaks' boundary accepts %q, tokenEnd does not", tail)
		}
	}
}

func hasSpan(fs []found, start, end int) bool {
	for _, f := range fs {
		if f.Start == start && f.End == end {
			return true
		}
	}
	return false
}

// TestProviderTokenInProse: the classes of the issue, end to end.
func TestProviderTokenInProse(t *testing.T) {
	hf := "hf_" + strings.Repeat("QlmXzWkTrPbNcVdF", 3)[:34]
	for _, c := range []struct{ text, secret string }{
		{"use " + hf + ", then retry", hf},
		{"key: " + hf + ". Thanks", hf},
		{"(" + hf + ")", hf},
		{"| HF | " + hf + "|", hf},
		{"<token>" + hf + "</token>", hf},
	} {
		hits := scanText(t, c.text)
		if len(hits) != 1 || hits[0].Secret != c.secret || hits[0].Rule.ID != "huggingface-access-token" {
			t.Errorf("%q: %+v", c.text, hits)
		}
	}
	for _, text := range []string{hf + "x", hf + ".json", hf + "-v2"} {
		if hits := scanText(t, text); len(hits) != 0 {
			t.Errorf("%q: %s %q", text, hits[0].Rule.ID, hits[0].Secret)
		}
	}
}
