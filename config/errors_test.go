package config_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mcpscan/mcpscan/config"
	"github.com/mcpscan/mcpscan/rules"
)

// loadAll runs Load and, as mcpscan does, RuleSet on what was read,
// joining their errors.
func loadAll(opts config.LoadOptions) error {
	opts.NoUserConfig = true
	c, err := config.Load(opts)
	if c != nil {
		_, rerr := c.RuleSet(rules.Default())
		err = errors.Join(err, rerr)
	}
	return err
}

// TestEveryMistakeReported puts several mistakes in one file: each is
// reported, with file, line and column.
func TestEveryMistakeReported(t *testing.T) {
	p := write(t, t.TempDir(), ".mcpscan.toml", `fail_on = "high"
colour = "always"
disabled_rules = ["gihtub-pat"]

[[rules]]
id = "acme"
regex = '''acme_([a-z]{32}'''
keywrds = ["acme_"]

[[allowlists]]
paths = ["{unclosed"]
targetRules = ["acme", "no-such-rule"]

[severity]
acme = "critical"
`)
	err := loadAll(config.LoadOptions{ConfigFile: p})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		p + ":2:1: colour: unknown key",
		p + ":8:1: rules.keywrds: unknown key",
		p + ":7:1: rules[0].regex: invalid regex: missing closing )",
		p + ":11:10: allowlists[0].paths[0]: invalid glob",
		p + ":3:19: disabled_rules[0]: unknown rule id (did you mean github-pat?)",
		p + ":12:24: allowlists[0].targetRules[1]: unknown rule id",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	// The rule with a bad regex is still known by its ID: no "unknown
	// rule id" for the allowlist and severity override that name it.
	if n := strings.Count(msg, "unknown rule id"); n != 2 {
		t.Errorf("%d unknown rule ids, want 2:\n%s", n, msg)
	}
}

// TestErrorsQuoteNoValues plants a credential in every kind of mistake a
// config, gitleaks config, ignore file or baseline can hold: no error or
// warning prints it, nor any 8-byte piece of it.
func TestErrorsQuoteNoValues(t *testing.T) {
	secret := ghToken
	dir := t.TempDir()
	cases := map[string]config.LoadOptions{
		"bare value":      {ConfigFile: write(t, dir, "a.toml", "fail_on = "+secret+"\n")},
		"bad literal":     {ConfigFile: write(t, dir, "b.toml", "fail_on = '"+secret+"\n")},
		"bad escape":      {ConfigFile: write(t, dir, "c.toml", `fail_on = "\q`+secret+`"`+"\n")},
		"severity":        {ConfigFile: write(t, dir, "d.toml", `fail_on = "`+secret+`"`+"\n")},
		"format":          {ConfigFile: write(t, dir, "e.toml", `format = "`+secret+`"`+"\n"), Formats: []string{"json"}},
		"severity table":  {ConfigFile: write(t, dir, "f.toml", "[severity]\ngithub-pat = \""+secret+"\"\n")},
		"regex":           {ConfigFile: write(t, dir, "g.toml", "[[allowlists]]\nregexes = ['''("+secret+"''']\n")},
		"glob":            {ConfigFile: write(t, dir, "h.toml", "[[allowlists]]\npaths = ['''["+secret+"''']\n")},
		"condition":       {ConfigFile: write(t, dir, "i.toml", "[[allowlists]]\ncondition = \""+secret+"\"\nregexes = ['x']\n")},
		"disabled rule":   {ConfigFile: write(t, dir, "j.toml", "disabled_rules = [\""+secret+"\"]\n")},
		"keyword":         {ConfigFile: write(t, dir, "k.toml", "[[rules]]\nid = \"x\"\nregex = '''(x'''\nkeywords = [\""+secret[:1]+"\"]\n")},
		"type mismatch":   {ConfigFile: write(t, dir, "l.toml", "disabled_rules = \""+secret+"\"\n")},
		"gitleaks regex":  {GitleaksConfig: write(t, dir, "m.toml", "[[rules]]\nid = \"x\"\nregex = '''[z-a]"+secret+"'''\n")},
		"gitleaks extend": {GitleaksConfig: write(t, dir, "n.toml", "[extend]\nuseDefault = true\ndisabledRules = [\""+secret+"\"]\n")},
		"ignore file":     {IgnoreFiles: []string{write(t, dir, ".mcpscanignore", secret+"\n")}},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			var warnings []string
			opts.NoUserConfig = true
			c, err := config.Load(opts)
			if c != nil {
				warnings = c.Warnings
				if _, rerr := c.RuleSet(rules.Default()); rerr != nil {
					err = errors.Join(err, rerr)
				}
			}
			if err == nil && len(warnings) == 0 && name != "keyword" {
				t.Fatalf("no error or warning")
			}
			out := strings.Join(warnings, "\n")
			if err != nil {
				out += "\n" + err.Error()
			}
			for i := 0; i+8 <= len(secret); i++ {
				if strings.Contains(out, secret[i:i+8]) {
					t.Fatalf("prints %q of the secret:\n%s", secret[i:i+8], out)
				}
			}
		})
	}
	_, err := config.ReadBaseline(write(t, dir, "base.json", `{"schema_version": 1, "findings": [{"fingerprint": "`+secret+`"}]}`))
	if err == nil || strings.Contains(err.Error(), secret[4:12]) {
		t.Errorf("baseline: %v", err)
	}
	_, err = config.ReadBaseline(write(t, dir, "base2.json", "{\"schema_version\": 1,\n \"findings\": "+secret+"}"))
	if err == nil || strings.Contains(err.Error(), secret[4:12]) || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("baseline syntax: %v", err)
	}
}

// TestOnlyRegularFiles checks that a config that names a device or FIFO
// ([extend] path = "/dev/zero", --config /dev/stdin) is an error, not a
// read that never ends.
func TestOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	gl := write(t, dir, "gl.toml", "[extend]\npath = \"/dev/zero\"\n")
	done := make(chan error, 1)
	go func() { done <- loadAll(config.LoadOptions{GitleaksConfig: gl}) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "/dev/zero: not a regular file") {
			t.Errorf("extend path /dev/zero: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading /dev/zero did not end")
	}
	if st, err := os.Stat("/dev/zero"); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		if err := loadAll(config.LoadOptions{ConfigFile: "/dev/zero"}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("--config /dev/zero: %v", err)
		}
	}
}
