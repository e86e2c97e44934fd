package rules

import "testing"

func TestKeywordCheck(t *testing.T) {
	cases := []struct {
		rule, kw, text string
		want           bool
	}{
		{"vault-service-token", "s.", "token s.Ab12Cd34Ef56Gh78Ij90Kl12 ok", true},
		{"vault-service-token", "s.", "this is. The end of the sentence here", false},
		{"vault-service-token", "s.", "x hvs.CAESIJ_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyzABCDEFG", true},
		{"jwt", "ey", "key they money eyes on the road", false},
		{"jwt", "ey", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc", true},
		{"jwt", "ey", `"output":"\neyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0"`, true},
		{"github-pat", "ghp_", "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e", true},
		{"github-pat", "ghp_", "ghp_short and more text follows here", false},
	}
	set := Default()
	for _, c := range cases {
		r := set.Lookup(c.rule)
		chk := r.KeywordCheck(c.kw)
		if chk == nil {
			t.Errorf("%s/%s: no check derived", c.rule, c.kw)
			continue
		}
		got := false
		lower := []byte(c.text)
		for i := 0; i+len(c.kw) <= len(lower); i++ {
			if equalFold(lower[i:i+len(c.kw)], c.kw) && chk(lower, i, i+len(c.kw), true) {
				got = true
			}
		}
		if got != c.want {
			t.Errorf("%s/%s on %q: %v, want %v", c.rule, c.kw, c.text, got, c.want)
		}
	}
	if set.Lookup("generic-api-key").KeywordCheck("key") != nil {
		t.Errorf("generic-api-key/key: a check was derived, but its matches may start anywhere around the keyword")
	}
}

func equalFold(b []byte, kw string) bool {
	for i := range b {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != kw[i] {
			return false
		}
	}
	return true
}
