package rules_test

import (
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

// TestTokenInsideReference: a provider token written where the name of its
// variable belongs (${env:ghp_…}) is a credential, for the reference check,
// the structural literal check, and the matcher.
func TestTokenInsideReference(t *testing.T) {
	gh := "ghp_" + fakeBody(36)
	slack := "xoxb-" + "1234567890" + "-" + "1234567890123" + "-" + fakeBody(24)
	for _, v := range []string{
		"${env:" + gh + "}",
		"${" + gh + "}",
		"${input:" + gh + "}",
		"{env:" + gh + "}",
		"$" + gh,
		"${" + gh + ":-x}",
		"%" + gh + "%",
		"${env:" + slack + "}",
	} {
		if rules.IsReference(v) {
			t.Errorf("IsReference(%q) = true, want false (the name is a token)", v)
		}
		if rules.IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = true", v)
		}
		if !rules.IsLiteralCredential(v) {
			t.Errorf("IsLiteralCredential(%q) = false", v)
		}
		if !rules.HasTokenReference(v) {
			t.Errorf("HasTokenReference(%q) = false", v)
		}
	}
	// A header or URL that holds such a reference.
	if s, e, ok := rules.HeaderCredential("Bearer ${" + gh + "}"); !ok || e <= s {
		t.Errorf("HeaderCredential(Bearer ${ghp_…}) = %d %d %v", s, e, ok)
	}
	// Real references stay references, whatever their names look like.
	for _, v := range []string{"${GITHUB_TOKEN}", "${env:GITHUB_PERSONAL_ACCESS_TOKEN}", "${input:github_token}",
		"$OPENAI_API_KEY", "{env:ANTHROPIC_API_KEY}", "${GH_TOKEN:-}", "%API_TOKEN%", "${env:ghp_token_for_ci}",
		"${SK_LIVE_KEY}", "${AKIA_KEY_ID}"} {
		if !rules.IsReference(v) || rules.IsLiteralCredential(v) || rules.HasTokenReference(v) {
			t.Errorf("%q: IsReference %v, IsLiteralCredential %v, HasTokenReference %v", v,
				rules.IsReference(v), rules.IsLiteralCredential(v), rules.HasTokenReference(v))
		}
	}
	// The matcher reports the token, under its provider rule.
	for _, text := range []string{
		`{"env":{"GITHUB_TOKEN":"${env:` + gh + `}"}}`,
		`{"headers":{"Authorization":"Bearer ${` + gh + `}"}}`,
		`GITHUB_TOKEN: "{env:` + gh + `}"`,
	} {
		hits := scanText(t, text)
		if len(hits) != 1 || hits[0].Secret != gh || hits[0].Rule.ID != "github-pat" {
			t.Errorf("%q: %+v", text, hits)
		}
	}
}

func TestIsProviderToken(t *testing.T) {
	for s, want := range map[string]bool{
		"ghp_" + fakeBody(36):                true,
		"glpat-" + fakeBody(20):              true,
		"ghp_" + strings.Repeat("x", 36):     false, // a placeholder
		"GITHUB_PERSONAL_ACCESS_TOKEN":       false,
		"ghp_token":                          false,
		"prefix-ghp_" + fakeBody(36):         false, // the token is not the whole name
		strings.Repeat("Zq7Xw2Lm9Rt4Vb8", 2): false, // random, but no provider format
	} {
		if got := rules.IsProviderToken(s); got != want {
			t.Errorf("IsProviderToken(%q) = %v, want %v", s, got, want)
		}
	}
}
