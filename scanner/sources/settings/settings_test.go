package settings_test

import (
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
	"github.com/mcpscan/mcpscan/scanner/sources/settings"
)

const (
	ghToken    = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"
	dbPassword = "wK8#pL2vQ9xR"
	bearer     = "Kp9Lm2Xq7Rt4Vw8Nb3Jh6Gf1Dz5Sa0Qe"
)

// A .claude/settings.local.json as "always allow" writes it: a whole
// curl command line with a bearer token, a provider token in env (keeps
// its provider rule), and a password in env that no pattern knows.
const doc = `{
  "permissions": {
    "allow": [
      "Bash(npm test:*)",
      "Bash(curl -H \"Authorization: Bearer ` + bearer + `\" https://api.acme.dev/v1:*)"
    ]
  },
  "env": {
    "GITHUB_TOKEN": "` + ghToken + `",
    "DB_PASSWORD": "` + dbPassword + `",
    "LOG_LEVEL": "debug"
  }
}
`

func TestSettings(t *testing.T) {
	fs, errs := handlertest.Run(t, settings.Handler{}, "/home/a/web/.claude/settings.local.json", doc)
	if len(errs) != 0 {
		t.Errorf("problems %+v", errs)
	}
	if gh := handlertest.ByRule(fs, "github-pat"); len(gh) != 1 || gh[0].Field != "env.GITHUB_TOKEN" || gh[0].Line != 9 {
		t.Errorf("github-pat: %+v", gh)
	}
	pw := handlertest.ByRule(fs, rules.AgentSettingsEnvCredential)
	if len(pw) != 1 || handlertest.Raw(&pw[0]) != dbPassword || pw[0].Field != "env.DB_PASSWORD" || pw[0].Line != 10 || pw[0].Column != 21 {
		t.Errorf("env credential: %d findings", len(pw))
	}
	var allow int
	for _, f := range fs {
		if handlertest.Raw(&f) == bearer {
			allow++
			if f.Line != 5 || f.Field != "permissions.allow[1]" || f.Source != settings.Source {
				t.Errorf("allow-rule finding %s at line %d field %q", f.RuleID, f.Line, f.Field)
			}
		}
	}
	if allow != 1 {
		t.Errorf("bearer token in the allow rule: %d findings, want 1", allow)
	}
	for _, f := range fs {
		if f.MatchedLine() == "" {
			t.Errorf("%s: no line text for suppressions", f.RuleID)
		}
	}
}

func TestSettingsInvalid(t *testing.T) {
	fs, errs := handlertest.Run(t, settings.Handler{}, "/home/a/.claude/settings.json", `{"env": {"GITHUB_TOKEN": "`+ghToken+`",}`)
	if len(fs) != 1 || len(errs) != 1 || errs[0].Reason != "parse" || errs[0].Incomplete {
		t.Errorf("findings %d, problems %+v", len(fs), errs)
	}
}

func TestAccepts(t *testing.T) {
	for p, want := range map[string]bool{
		"/home/a/.claude/settings.json":            true,
		"/home/a/web/.claude/settings.local.json":  true,
		"/etc/claude-code/managed-settings.json":   true,
		"/home/a/web/settings.json":                false,
		"/home/a/.claude/projects/x/settings.json": false,
		"/home/a/.vscode/settings.json":            false,
	} {
		if got := (settings.Handler{}).Accepts(p); got != want {
			t.Errorf("Accepts(%s) = %v", p, got)
		}
	}
}
