package config_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/config"
	"github.com/mcpscan/mcpscan/rules"
)

// checkLoad loads opts as mcpscan does (Load, then RuleSet on what was
// read) and checks that every mistake is an *Error naming a file that was
// read, at a line the file has, and that no message quotes a long run of
// the file (values are never echoed).
func checkLoad(t *testing.T, opts config.LoadOptions, data []byte) {
	opts.NoUserConfig = true
	c, err := config.Load(opts)
	if c != nil {
		if _, rerr := c.RuleSet(rules.Default()); rerr != nil {
			err = errors.Join(err, rerr)
		}
		for _, w := range c.Warnings {
			checkNoEcho(t, w, data)
		}
	}
	if err == nil {
		return
	}
	var joined interface{ Unwrap() []error }
	errs := []error{err}
	if errors.As(err, &joined) {
		errs = joined.Unwrap()
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	for _, e := range errs {
		var ce *config.Error
		if !errors.As(e, &ce) {
			t.Fatalf("not a *config.Error: %T %v", e, e)
		}
		if ce.Line < 0 || ce.Line > lines || ce.Column < 0 {
			t.Fatalf("position %d:%d outside the file's %d lines: %v", ce.Line, ce.Column, lines, ce)
		}
		checkNoEcho(t, ce.Err.Error(), data)
	}
}

// checkNoEcho fails when msg holds 16 bytes of data that are not part of
// the file's keys and structure (a run of letters and digits from a
// value). File paths ([extend] path) may be named.
func checkNoEcho(t *testing.T, msg string, data []byte) {
	isSep := func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}
	allowed := knownWords
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "path") {
			allowed += " " + line
		}
	}
	for _, field := range strings.FieldsFunc(string(data), isSep) {
		if len(field) >= 16 && strings.Contains(msg, field) && !strings.Contains(allowed, field) {
			t.Fatalf("message quotes %q from the file: %s", field, msg)
		}
	}
}

// knownWords are names a message may contain: keys and rule IDs.
var knownWords = strings.Join([]string{"targetRules", "disabledRules", "disabled_rules", "regexTarget", "secretGroup", "skipReport", "withinColumns", "withinLines"}, " ")

var configSeeds = []string{
	"fail_on = \"high\"\nformat = \"json\"\ndisabled_rules = [\"github-pat\"]\n[severity]\ngeneric-api-key = \"low\"\n",
	"[[rules]]\nid = \"acme\"\nregex = '''acme_[a-z0-9]{32}'''\nkeywords = [\"acme_\"]\n[[rules.allowlists]]\nregexes = ['''acme_test''']\n",
	"[[allowlists]]\ndescription = \"x\"\npaths = [\"**/testdata/**\"]\nstopwords = [\"example\"]\ntargetRules = [\"github-pat\"]\ncondition = \"AND\"\nregexTarget = \"line\"\nregexes = ['x']\n",
	"fail_on = hunter2\n",
	"[[rules]]\nid = \"x\"\nregex = '''(x'''\nkeywrds = [\"x\"]\n",
}

// FuzzMcpscanConfig loads arbitrary .mcpscan.toml files.
func FuzzMcpscanConfig(f *testing.F) {
	for _, s := range configSeeds {
		f.Add([]byte(s))
	}
	p := filepath.Join(f.TempDir(), ".mcpscan.toml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		checkLoad(t, config.LoadOptions{ConfigFile: p, Formats: []string{"terminal", "json"}}, data)
	})
}

// FuzzGitleaksConfig loads arbitrary .gitleaks.toml files ([extend] path
// may name the file itself, or another).
func FuzzGitleaksConfig(f *testing.F) {
	for _, s := range []string{
		"title = \"t\"\n[extend]\nuseDefault = true\ndisabledRules = [\"generic-api-key\"]\n[[rules]]\nid = \"aws-access-token\"\nkeywords = [\"akia\"]\n",
		"[extend]\npath = \".gitleaks.toml\"\n",
		"[extend]\npath = \"base.toml\"\n[[rules]]\nid = \"x\"\nregex = '''x_[0-9]{8}'''\n[[rules.required]]\nid = \"y\"\nwithinLines = 2\n",
		"[allowlist]\ncommits = [\"abc\"]\npaths = ['''\\.md$''']\n[[rules]]\nid = \"p\"\npath = '''\\.env$'''\n",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	p := filepath.Join(dir, ".gitleaks.toml")
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte("[[rules]]\nid = \"y\"\nregex = '''y_[0-9]{8}'''\n"), 0o600)
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		checkLoad(t, config.LoadOptions{GitleaksConfig: p}, data)
	})
}

// FuzzIgnoreFiles reads arbitrary .mcpscanignore and .gitleaksignore
// files.
func FuzzIgnoreFiles(f *testing.F) {
	for _, s := range []string{
		"# comment\n0123456789abcdef0123456789abcdef\n",
		"src/.env:github-pat:3\nabc123:src/a.txt:generic-api-key:7 # commit entry\n",
		"not an entry\n:::\nfile:rule:-1\n",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	mine, theirs := filepath.Join(dir, ".mcpscanignore"), filepath.Join(dir, ".gitleaksignore")
	f.Fuzz(func(t *testing.T, data []byte) {
		os.WriteFile(mine, data, 0o600)
		os.WriteFile(theirs, data, 0o600)
		checkLoad(t, config.LoadOptions{IgnoreFiles: []string{mine, theirs}}, data)
	})
}

// FuzzBaseline parses arbitrary baselines (JSON and JSON Lines reports).
func FuzzBaseline(f *testing.F) {
	for _, s := range []string{
		`{"schema_version":1,"findings":[{"fingerprint":"0123456789abcdef0123456789abcdef"}]}`,
		`{"type":"finding","fingerprint":"0123456789abcdef0123456789abcdef"}` + "\n" + `{"type":"summary","schema_version":1}` + "\n",
		`{"schema_version":2}`,
		`{"findings":[{"fingerprint":"hunter2hunter2hunter2"}],"schema_version":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := config.ParseBaseline(bytes.NewReader(data), "b.json")
		if err == nil {
			return
		}
		var ce *config.Error
		if !errors.As(err, &ce) {
			t.Fatalf("not a *config.Error: %T %v", err, err)
		}
		checkNoEcho(t, ce.Err.Error(), data)
	})
}
