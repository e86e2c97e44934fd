package rules_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// scanText runs the matcher with the default rules over text (Text mode)
// and returns its hits.
func scanText(t testing.TB, text string) []match.Hit {
	t.Helper()
	var out []match.Hit
	_, err := match.NewEngine(rules.Default()).NewScanner().Scan(strings.NewReader(text), match.Options{Mode: match.Text}, func(h *match.Hit) error {
		out = append(out, *h)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fakeBody returns n characters of a fixed, format-valid but meaningless
// alphanumeric body (assembled at run time, so no token literal sits in
// the source).
func fakeBody(n int) string {
	const alphabet = "q8Vf3LzT2nWk9RbX4mHcJ7pYs5GdA6uE1oNiK0tZ"
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteByte(alphabet[(i*7+i/len(alphabet))%len(alphabet)])
	}
	return b.String()
}

// TestOneFindingPerSecret checks the overlap resolution: a provider rule
// beats the generic and contextual rules that match the same secret, with
// its severity; a gitleaks rule's ID beats mcpscan's for the same secret;
// a secret gives one finding.
func TestOneFindingPerSecret(t *testing.T) {
	gh := "ghp_" + fakeBody(36)
	opaque := fakeBody(32)
	lower := strings.ToLower(fakeBody(32))
	glpat := "glpat-" + strings.ToLower(fakeBody(27)) + "." + strings.ToLower(fakeBody(2)) + strings.ToLower(fakeBody(7))
	for _, c := range []struct {
		name, text, id string
		sev            rules.Severity
	}{
		{"provider behind curl token header", `curl -H "Authorization: token ` + gh + `" https://api.github.com/user`, "github-pat", rules.Critical},
		{"provider behind curl bearer header", `curl -sS -H 'Authorization: Bearer ` + gh + `' https://api.github.com/user`, "github-pat", rules.Critical},
		{"provider behind a bearer header", `Authorization: Bearer ` + gh, "github-pat", rules.Critical},
		{"provider in an assignment", `GITHUB_TOKEN="` + gh + `"`, "github-pat", rules.Critical},
		{"provider after --token", `gh auth login --token ` + gh, "github-pat", rules.Critical},
		{"curl header without a provider format", `curl -H "Authorization: Bearer ` + opaque + `" https://api.example.net`, "curl-auth-header", rules.High},
		{"gitleaks' generic rule over mcpscan's", `api_token = "` + opaque + `"`, "generic-api-key", rules.Medium},
		{"two gitleaks rules with one pattern", `bittrex_key = "` + lower + `"`, "bittrex-access-key", rules.High},
		{"a shorter pattern inside a longer one", `gitlab_token = "` + glpat + `"`, "gitlab-pat-routable", rules.Critical},
	} {
		t.Run(c.name, func(t *testing.T) {
			hits := scanText(t, c.text)
			if len(hits) != 1 {
				var ids []string
				for _, h := range hits {
					ids = append(ids, h.Rule.ID+"="+h.Secret)
				}
				t.Fatalf("%q: %d findings %v, want one %s", c.text, len(hits), ids, c.id)
			}
			if h := hits[0]; h.Rule.ID != c.id || h.Rule.Severity != c.sev {
				t.Errorf("%q: %s/%s, want %s/%s", c.text, h.Rule.ID, h.Rule.Severity, c.id, c.sev)
			}
		})
	}
}

// TestAliases: gitleaks' bittrex-access-key and bittrex-secret-key share
// one pattern; each names the other as an alias.
func TestAliases(t *testing.T) {
	set := rules.Default()
	a, s := set.Lookup("bittrex-access-key"), set.Lookup("bittrex-secret-key")
	if !slices.Contains(a.Aliases, s.ID) || !slices.Contains(s.Aliases, a.ID) {
		t.Errorf("aliases: %s %v, %s %v", a.ID, a.Aliases, s.ID, s.Aliases)
	}
	for _, r := range set.Rules() {
		for _, id := range r.Aliases {
			o := set.Lookup(id)
			if o == nil || o.Pattern != r.Pattern {
				t.Errorf("%s: alias %s does not share its pattern", r.ID, id)
			}
		}
	}
}
