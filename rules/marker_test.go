package rules

import "testing"

func TestInRedactionMarker(t *testing.T) {
	for _, c := range []struct {
		text, secret string
		want         bool
	}{
		{"--auth-token [REDACTED:cli-credential-argument:d7cff6cd036a]", "d7cff6cd036a]", true},
		{"mongodb://analytics:[REDACTED:url-embedded-credentials:2ba53209113c]@localhost:27017/x", "2ba53209113c]@localhost:27017/x", true},
		{"TOKEN=[REDACTED:github-pat:abc123]", "[REDACTED:github-pat:abc123]", true},
		{"TOKEN=[REDACTED]", "[REDACTED]", true},
		{"TOKEN=[REDACTED:github-pat:abc123] OTHER=ghp_realvaluehere", "ghp_realvaluehere", false},
		{"no marker TOKEN=abcdef123456", "abcdef123456", false},
	} {
		if got := InRedactionMarker(c.text, c.secret); got != c.want {
			t.Errorf("InRedactionMarker(%q, %q) = %v", c.text, c.secret, got)
		}
	}
}
