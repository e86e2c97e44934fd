package rules_test

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

// TestBareHexOnlyAllowedInGitContexts: the sourcegraph-access-token rule's
// bare 40-hex alternative is a legacy Sourcegraph token where a Sourcegraph
// name or prose is around it, and a git object ID where git is.
func TestBareHexOnlyAllowedInGitContexts(t *testing.T) {
	hexTok := hex.EncodeToString(randBytes(20, 21))
	sgp := "sgp_" + hex.EncodeToString(randBytes(8, 22)) + "_" + hex.EncodeToString(randBytes(20, 23))
	runRuleCases(t, "sourcegraph-access-token", []ruleCase{
		{"name and colon", "sourcegraph: " + hexTok, one(hexTok)},
		{"env var", "SRC_ENDPOINT=https://sourcegraph.example.com\nSRC_ACCESS_TOKEN=" + hexTok, one(hexTok)},
		{"prose", "my sourcegraph token is " + hexTok + ", use it for the CLI", one(hexTok)},
		{"json", `{"sourcegraph.accessToken": "` + hexTok + `"}`, one(hexTok)},
		{"sgp_ token on a git line", "git commit -m 'add sourcegraph token " + sgp + "'", one(sgp)},
	})
	runRuleCases(t, "sourcegraph-access-token", fp(
		"sourcegraph\ncommit "+hexTok+"\nAuthor: Jane",
		"sourcegraph: see https://github.com/sourcegraph/sourcegraph/commit/"+hexTok,
		"sourcegraph/src-cli@"+hexTok,
		"sourcegraph\n"+hexTok+"\n",
		`{"sourcegraph": {"sha": "`+hexTok+`"}}`,
		"git checkout "+hexTok+" # sourcegraph release",
		"sourcegraph "+hexTok[:12]+".."+hexTok,
		`"resolved": "git+ssh://git@github.com/sourcegraph/x.git#`+hexTok+`"`,
		`"gitHead": "`+hexTok+`", "name": "@sourcegraph/x"`,
	))
}

func TestAllowlistSecretRegexes(t *testing.T) {
	a := &rules.Allowlist{SecretRegexes: []string{`^[0-9a-f]{8}$`}, Target: rules.TargetLine, Regexes: []string{`commit`}}
	for _, c := range []struct {
		secret, line string
		want         bool
	}{
		{"0123abcd", "commit 0123abcd", true},
		{"0123abcd", "token 0123abcd", false},
		{"sgp_0123abcd", "commit sgp_0123abcd", false}, // the secret is not one the allowlist is about
	} {
		if got := a.Allows(c.secret, c.secret, c.line, ""); got != c.want {
			t.Errorf("Allows(%q, line %q) = %v, want %v", c.secret, c.line, got, c.want)
		}
	}
}

// TestAllowlistLineNear: with LineNear the line target is the text near
// the secret; a cut start is not a line start for ^.
func TestAllowlistLineNear(t *testing.T) {
	a := &rules.Allowlist{Target: rules.TargetLine, LineNear: 16, Regexes: []string{`commit \w+$`, `^\w{8}`}}
	far := "commit 99 " + strings.Repeat("x", 40) + " token 0123abcd"
	for _, c := range []struct {
		secret, line string
		want         bool
	}{
		{"0123abcd", "commit 0123abcd", true},
		{"0123abcd", far, false},                                  // the git context is 40 bytes away
		{"0123abcd", "0123abcd and more", true},                   // ^ at the real line start
		{"0123abcd", strings.Repeat(" ", 30) + "0123abcd", false}, // ^ is not at a cut start
	} {
		if got := a.Allows(c.secret, c.secret, c.line, ""); got != c.want {
			t.Errorf("Allows(%q, line %q) = %v, want %v", c.secret, c.line, got, c.want)
		}
	}
}
