package config_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"github.com/mcpscan/mcpscan/internal/testkit"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mcpscan/mcpscan/config"
	"github.com/mcpscan/mcpscan/reporters"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
	"github.com/mcpscan/mcpscan/scanner/sources"
)

// Format-valid test credentials, randomly generated, never live.
const (
	ghToken  = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"
	ghToken2 = "ghp_T3k9Wq2Lx7Rm4Vb8Nz1Jh6Gf5Dp0Sa2Qe9Ck"
	acmeTok  = "acme_Zq7Xw2Lm9Rt4Vb8Nk3Jh6Gf1Dp5Sa0Qe"
	acmeLive = "acme_live_Xq7Lm2Rt9Vb4Nk8Jh3Gf6Dp1"
)

var write = testkit.Write

// load runs config.Load on roots with no user-level config.
func load(t *testing.T, opts config.LoadOptions) *config.Config {
	t.Helper()
	if opts.UserConfigDir == "" {
		opts.NoUserConfig = true
	}
	c, err := config.Load(opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func ruleSet(t *testing.T, c *config.Config) *rules.Set {
	t.Helper()
	set, err := c.RuleSet(rules.Default())
	if err != nil {
		t.Fatalf("RuleSet: %v", err)
	}
	return set
}

func scan(t *testing.T, set *rules.Set, roots ...string) *scanner.Result {
	t.Helper()
	eng := scanner.New(set, sources.Default(), scanner.Options{Workers: 2})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var rs []scanner.Root
	for _, r := range roots {
		rs = append(rs, scanner.Root{Path: r})
	}
	res, err := eng.Collect(ctx, rs)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func byRule(res *scanner.Result, id string) []scanner.Finding {
	var out []scanner.Finding
	for _, f := range res.Findings {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

// asConfigError returns the first *config.Error in err.
func asConfigError(t *testing.T, err error) *config.Error {
	t.Helper()
	var ce *config.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T) holds no *config.Error", err, err)
	}
	return ce
}

func TestDiscoveryAndMerge(t *testing.T) {
	userDir := t.TempDir()
	write(t, userDir, "mcpscan/config.toml", `
fail_on = "low"
format = "json"
disabled_rules = ["http-basic-auth"]

[severity]
github-pat = "low"
http-bearer-token = "info"

[[rules]]
id = "acme-token"
regex = '''acme_[A-Za-z0-9]{32}'''
severity = "medium"
`)
	repo := t.TempDir()
	write(t, repo, ".mcpscan.toml", `
fail_on = "high"

[severity]
github-pat = "critical"

[[rules]]
id = "acme-token"
description = "Acme token (project)"
regex = '''acme_[A-Za-z0-9]{32}'''
severity = "high"
`)
	sub := filepath.Join(repo, "services", "api")
	write(t, sub, "main.go", "package main\n")

	c := load(t, config.LoadOptions{Roots: []string{sub}, UserConfigDir: userDir})
	if len(c.Files) != 2 || !strings.HasSuffix(c.Files[0], filepath.Join("mcpscan", "config.toml")) ||
		!strings.HasSuffix(c.Files[1], ".mcpscan.toml") {
		t.Fatalf("Files = %q, want the user-level config, then the project's", c.Files)
	}
	if c.FailOn == nil || *c.FailOn != rules.High {
		t.Errorf("FailOn = %v, want high (the project's wins)", c.FailOn)
	}
	if c.Format != "json" {
		t.Errorf("Format = %q, want json (from the user-level file)", c.Format)
	}
	set := ruleSet(t, c)
	if r := set.Lookup("github-pat"); r == nil || r.Severity != rules.Critical {
		t.Errorf("github-pat severity = %v, want critical (project overrides user)", r)
	}
	if r := set.Lookup("http-bearer-token"); r == nil || r.Severity != rules.Info {
		t.Errorf("http-bearer-token: user-level override lost: %v", r)
	}
	if r := set.Lookup("acme-token"); r == nil || r.Severity != rules.High || r.Description != "Acme token (project)" || r.Origin != rules.OriginConfig {
		t.Errorf("acme-token = %+v, want the project's definition", r)
	}
	if set.Lookup("http-basic-auth") != nil {
		t.Error("http-basic-auth not disabled")
	}
	if rules.Default().Lookup("github-pat").Severity == rules.Critical && rules.Default().Lookup("http-bearer-token").Severity == rules.Info {
		t.Error("RuleSet changed the base set's rules")
	}

	// --config replaces both.
	only := write(t, t.TempDir(), "ci.toml", "fail_on = \"medium\"\n")
	c = load(t, config.LoadOptions{Roots: []string{sub}, UserConfigDir: userDir, ConfigFile: only})
	if len(c.Files) != 1 || c.Files[0] != only || c.FailOn == nil || *c.FailOn != rules.Medium || c.Format != "" {
		t.Fatalf("--config: Files %q FailOn %v Format %q", c.Files, c.FailOn, c.Format)
	}
	if set := ruleSet(t, c); set.Lookup("acme-token") != nil {
		t.Error("--config: rules of other files applied")
	}

	// A --config file that does not exist is an error.
	if _, err := config.Load(config.LoadOptions{ConfigFile: filepath.Join(t.TempDir(), "nope.toml"), NoUserConfig: true}); err == nil {
		t.Error("missing --config file: no error")
	}
}

func TestUnknownKeyNamesFileLineKey(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, ".mcpscan.toml", `fail_on = "high"

[[rules]]
id = "acme-token"
regex = '''acme_[a-z0-9]{32}'''
keywrds = ["acme_"]

[[allowlists]]
path = ["**/testdata/**"]
`)
	_, err := config.Load(config.LoadOptions{ConfigFile: p, NoUserConfig: true})
	if err == nil {
		t.Fatal("no error for unknown keys")
	}
	msg := err.Error()
	for _, want := range []string{
		p + ":6:1: rules.keywrds: unknown key (valid keys here: ",
		"keywords",
		p + ":9:1: allowlists.path: unknown key",
		"paths",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	ce := asConfigError(t, err)
	if ce.File != p || ce.Line != 6 || ce.Key != "rules.keywrds" {
		t.Errorf("*Error = %+v", ce)
	}

	// A top-level typo and a wrong type.
	p = write(t, dir, "b.toml", "fail-on = \"high\"\n")
	if _, err = config.Load(config.LoadOptions{ConfigFile: p, NoUserConfig: true}); err == nil || !strings.Contains(err.Error(), p+":1:1: fail-on: unknown key") {
		t.Errorf("top-level typo: %v", err)
	}
	p = write(t, dir, "c.toml", "\n\ndisabled_rules = \"github-pat\"\n")
	if _, err = config.Load(config.LoadOptions{ConfigFile: p, NoUserConfig: true}); err == nil || !strings.Contains(err.Error(), p+":3:") {
		t.Errorf("wrong type: %v", err)
	}
	p = write(t, dir, "d.toml", "fail_on = \"severe\"\n")
	if _, err = config.Load(config.LoadOptions{ConfigFile: p, NoUserConfig: true}); err == nil || !strings.Contains(err.Error(), p+":1:1: fail_on: unknown severity") {
		t.Errorf("bad severity: %v", err)
	}
	p = write(t, dir, "e.toml", "format = \"xml\"\n")
	if _, err = config.Load(config.LoadOptions{ConfigFile: p, NoUserConfig: true, Formats: reporters.Formats()}); err == nil || !strings.Contains(err.Error(), p+":1:1: format: unknown format") {
		t.Errorf("bad format: %v", err)
	}
}

func TestBadRegexNamesFileLineKey(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, ".mcpscan.toml", `[[rules]]
id = "ok-rule"
regex = '''ok_[a-z]{20}'''

[[rules]]
id = "broken"
regex = '''acme_([a-z0-9]{32}'''

[[allowlists]]
regexes = [
  '''fine''',
  '''(?P<x''',
]
paths = ["[unclosed"]
stopwords = [""]
`)
	_, err := config.Load(config.LoadOptions{ConfigFile: p, NoUserConfig: true})
	if err == nil {
		t.Fatal("no error for bad regexes")
	}
	msg := err.Error()
	for _, want := range []string{
		p + ":7:1: rules[1].regex: invalid regex: missing closing )",
		p + ":12:3: allowlists[0].regexes[1]: invalid regex: invalid named capture",
		p + ":14:10: allowlists[0].paths[0]: invalid glob",
		p + ":15:14: allowlists[0].stopwords[0]: an empty stopword allows everything",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}

	// In a gitleaks config too.
	gl := write(t, dir, "gl.toml", "[[rules]]\nid = \"x\"\nregex = '''[z-a]'''\nkeywords = [\"x1\"]\n")
	if _, err := config.Load(config.LoadOptions{GitleaksConfig: gl, NoUserConfig: true}); err == nil || !strings.Contains(err.Error(), gl+":3:1: rules[0].regex: invalid regex") {
		t.Errorf("gitleaks config bad regex: %v", err)
	}
}

func TestCustomRuleFoundByScan(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".mcpscan.toml", `
[[rules]]
id = "acme-token"
description = "Acme API token"
regex = '''\b(acme_[A-Za-z0-9]{32})\b'''
secretGroup = 1
entropy = 3.0
severity = "critical"

[[rules]]
id = "acme-session"
regex = '''sess=([a-f0-9]{40})'''
keywords = ["SESS="]
`)
	write(t, root, "app/settings.py", "TOKEN = \""+acmeTok+"\"\nlow_entropy = \"acme_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n")
	write(t, root, "app/cookie.txt", "cookie: sess=4f1a9c2e7b3d8f6a0c5e9b2d7f4a1c8e3b6d9f2a\n")
	c := load(t, config.LoadOptions{Roots: []string{root}})
	set := ruleSet(t, c)
	r := set.Lookup("acme-token")
	if r == nil || len(r.Keywords) != 1 || r.Keywords[0] != "acme_" {
		t.Fatalf("acme-token keywords = %v, want [acme_] derived from the regex", r)
	}
	if k := set.Lookup("acme-session").Keywords; len(k) != 1 || k[0] != "sess=" {
		t.Errorf("acme-session keywords = %q, want lower-cased [sess=]", k)
	}
	res := scan(t, set, root)
	got := byRule(res, "acme-token")
	if len(got) != 1 || !got[0].Secret.EqualString(acmeTok) || got[0].Severity != rules.Critical || got[0].Line != 1 {
		t.Fatalf("acme-token findings = %+v, want one critical finding of %s on line 1 (the low-entropy one dropped)", got, acmeTok)
	}
	if got := byRule(res, "acme-session"); len(got) != 1 || !got[0].Secret.EqualString("4f1a9c2e7b3d8f6a0c5e9b2d7f4a1c8e3b6d9f2a") {
		t.Errorf("acme-session findings = %+v", got)
	}
}

func TestRuleWithoutKeywordsOrLiteralIsAnError(t *testing.T) {
	p := write(t, t.TempDir(), "c.toml", "[[rules]]\nid = \"hexy\"\nregex = '''\\b[a-f0-9]{40}\\b'''\n")
	c := load(t, config.LoadOptions{ConfigFile: p})
	_, err := c.RuleSet(rules.Default())
	if err == nil || !strings.Contains(err.Error(), p+":2:1: rules[0]: the rule has no keywords") || !strings.Contains(err.Error(), "keywords = [") {
		t.Fatalf("err = %v", err)
	}
}

func TestDisabledRules(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".env", "GITHUB_TOKEN="+ghToken+"\n")
	write(t, root, ".mcp.json", `{"mcpServers":{"gh":{"command":"npx","args":["-y","@acme/server@1.2.3"],"env":{"ACME_API_KEY":"Zq7Xw2Lm9Rt4Vb8Nk3Jh6Gf1Dp5Sa0Qe"}}}}`+"\n")
	base := scan(t, rules.Default(), root)
	if len(byRule(base, "github-pat")) != 1 || len(byRule(base, rules.MCPHardcodedCredential)) != 1 {
		t.Fatalf("baseline scan: %+v", base.Findings)
	}

	write(t, root, ".mcpscan.toml", "disabled_rules = [\"github-pat\", \""+rules.MCPHardcodedCredential+"\"]\n")
	c := load(t, config.LoadOptions{Roots: []string{root}})
	set := ruleSet(t, c)
	if set.Lookup("github-pat") != nil {
		t.Error("github-pat still in the set")
	}
	if set.Lookup(rules.MCPHardcodedCredential) == nil {
		t.Error("structural rule removed from the set (handlers look it up by ID)")
	}
	res := scan(t, set, root)
	c.Apply(res)
	if n := len(byRule(res, "github-pat")) + len(byRule(res, rules.MCPHardcodedCredential)); n != 0 {
		t.Errorf("disabled rules still report: %+v", res.Findings)
	}

	// An unknown rule ID is an error naming the file and line.
	p := write(t, t.TempDir(), "c.toml", "\ndisabled_rules = [\n  \"github-pat\",\n  \"gihtub-pat\",\n]\n")
	_, err := load(t, config.LoadOptions{ConfigFile: p}).RuleSet(rules.Default())
	if err == nil || !strings.Contains(err.Error(), p+":4:3: disabled_rules[1]: unknown rule id (did you mean github-pat?)") {
		t.Errorf("unknown disabled rule: %v", err)
	}
}

func TestSeverityOverride(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".env", "GITHUB_TOKEN="+ghToken+"\n")
	write(t, root, ".mcpscan.toml", "[severity]\ngithub-pat = \"low\"\n")
	c := load(t, config.LoadOptions{Roots: []string{root}})
	res := scan(t, ruleSet(t, c), root)
	c.Apply(res)
	got := byRule(res, "github-pat")
	if len(got) != 1 || got[0].Severity != rules.Low {
		t.Fatalf("github-pat findings = %+v, want one of severity low", got)
	}

	p := write(t, t.TempDir(), "c.toml", "[severity]\nnot-a-rule = \"low\"\n")
	_, err := load(t, config.LoadOptions{ConfigFile: p}).RuleSet(rules.Default())
	if err == nil || !strings.Contains(err.Error(), p+":2:1: severity.not-a-rule: unknown rule id") {
		t.Errorf("unknown severity override: %v", err)
	}
}

func TestGitleaksConfig(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("testdata", "gitleaks.toml"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, root, ".gitleaks.toml", string(data))
	write(t, root, "app/.env", "ACME_TOKEN="+acmeLive+"\nGITHUB_TOKEN="+ghToken+"\n")
	write(t, root, "docs/setup.md", "Set GITHUB_TOKEN="+ghToken2+" in your shell.\n")
	write(t, root, "vendor/lib/.env", "GITHUB_TOKEN="+ghToken2+"\n")
	write(t, root, "app/example.env", "ACME_TOKEN=acme_live_notasecretXq7Lm2Rt9Vb4Nk\n")

	// Discovered from a directory below the repository root.
	c := load(t, config.LoadOptions{Roots: []string{filepath.Join(root, "app"), root}})
	if len(c.GitleaksFiles) != 1 {
		t.Fatalf("GitleaksFiles = %q", c.GitleaksFiles)
	}
	set := ruleSet(t, c)
	if set.Lookup("generic-api-key") != nil {
		t.Error("[extend] disabledRules: generic-api-key still in the set")
	}
	if r := set.Lookup("acme-internal-api-token"); r == nil || r.Origin != rules.OriginGitleaksConfig {
		t.Fatalf("custom gitleaks rule: %+v", r)
	}
	if r := set.Lookup("github-pat"); r == nil || r.Pattern != rules.Default().Lookup("github-pat").Pattern {
		t.Errorf("github-pat lost its default pattern when extended: %+v", r)
	}
	if set.Lookup("generic-credential-assignment") == nil {
		t.Error("mcpscan's own rules must stay")
	}

	res := scan(t, set, root)
	c.Apply(res)
	sup, counts := config.NewSuppressor(c, nil).Apply(res)

	if got := byRule(res, "acme-internal-api-token"); len(got) != 1 || !got[0].Secret.EqualString(acmeLive) {
		t.Errorf("acme-internal-api-token kept = %+v, want the one in app/.env", got)
	}
	if got := byRule(res, "github-pat"); len(got) != 1 || !strings.HasSuffix(got[0].Path(), filepath.Join("app", ".env")) {
		t.Errorf("github-pat kept = %+v, want only app/.env's", got)
	}
	// Suppressed: docs/ (the rule's allowlist), vendor/ (global paths), the
	// stopword; the .gitleaks.toml file itself (global path) holds nothing.
	want := map[string]string{
		"docs/setup.md":   "github-pat",
		"vendor/lib/.env": "github-pat",
		"app/example.env": "acme-internal-api-token",
	}
	for _, s := range sup {
		rel, _ := filepath.Rel(root, s.Finding.Path())
		if want[filepath.ToSlash(rel)] == s.Finding.RuleID && s.Mechanism == config.MechConfigAllowlist {
			delete(want, filepath.ToSlash(rel))
		}
	}
	if len(want) > 0 {
		t.Errorf("not suppressed by the gitleaks allowlists: %v (suppressed: %+v)", want, sup)
	}
	if counts[config.MechConfigAllowlist] != len(sup) || counts.Total() != len(sup) {
		t.Errorf("counts = %v for %d suppressed", counts, len(sup))
	}

	// --gitleaks-config replaces discovery; useDefault = false keeps the
	// default rules (mcpscan's choice) and adds the file's.
	other := write(t, t.TempDir(), "other.toml", "[[rules]]\nid = \"only-rule\"\nregex = '''only_[a-z]{10}'''\n"+
		"[[rules]]\nid = \"github-pat\"\nregex = '''ghp_[A-Za-z0-9]{36}'''\nkeywords = [\"ghp_\"]\n")
	c = load(t, config.LoadOptions{Roots: []string{root}, GitleaksConfig: other})
	set = ruleSet(t, c)
	if set.Lookup("only-rule") == nil || set.Lookup("acme-internal-api-token") != nil || set.Lookup("generic-api-key") == nil {
		t.Errorf("--gitleaks-config: only-rule %v, acme %v, generic-api-key %v",
			set.Lookup("only-rule") != nil, set.Lookup("acme-internal-api-token") != nil, set.Lookup("generic-api-key") != nil)
	}
	// Without useDefault, a rule with a default rule's ID replaces it.
	if r := set.Lookup("github-pat"); r == nil || r.Pattern != "ghp_[A-Za-z0-9]{36}" || r.Severity != rules.Default().Lookup("github-pat").Severity {
		t.Errorf("github-pat not replaced: %+v", r)
	}
}

func TestGitleaksConfigUnsupported(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "a.toml", "[extend]\nurl = \"https://example.com/gitleaks.toml\"\n")
	if _, err := config.Load(config.LoadOptions{GitleaksConfig: p, NoUserConfig: true}); err == nil || !strings.Contains(err.Error(), p+":2:1: extend.url: extending a config by URL is not supported") {
		t.Errorf("extend.url: %v", err)
	}
	p = write(t, dir, "b.toml", `
[[rules]]
id = "pem-files"
path = '''\.pem$'''

[[allowlists]]
commits = ["8d3b2f1c9a7e6d5b4c3a2f1e0d9c8b7a6f5e4d3c"]

[[allowlists]]
targetRules = ["generic-api-key"]
condition = "AND"
commits = ["8d3b2f1"]
regexes = ['''EXAMPLE''']
`)
	c := load(t, config.LoadOptions{GitleaksConfig: p})
	joined := strings.Join(c.Warnings, "\n")
	for _, want := range []string{
		p + ":3: rules[0]: the rule has a path but no regex",
		p + ":6: allowlists[0]: allowlist lists only commits",
		p + ":9: allowlists[1]: allowlist with condition AND requires a commit",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings %q lack %q", joined, want)
		}
	}
	// Extending by path works, relative to the file.
	write(t, dir, "base.toml", "[extend]\nuseDefault = true\n[[rules]]\nid = \"base-rule\"\nregex = '''base_[a-z]{12}'''\n")
	p = write(t, dir, "child.toml", "[extend]\npath = \"base.toml\"\ndisabledRules = [\"aws-access-token\"]\n[[rules]]\nid = \"base-rule\"\ndescription = \"changed\"\n")
	set := ruleSet(t, load(t, config.LoadOptions{GitleaksConfig: p}))
	if r := set.Lookup("base-rule"); r == nil || r.Description != "changed" || r.Pattern != "base_[a-z]{12}" {
		t.Errorf("extend.path merge: %+v", r)
	}
	if set.Lookup("aws-access-token") != nil {
		t.Error("disabledRules through extend.path (base uses the defaults) did not apply")
	}
	// A rule with the ID of one of mcpscan's own rules is an error.
	p = write(t, dir, "c.toml", "[[rules]]\nid = \"http-bearer-token\"\nregex = '''Bearer [a-z]{20}'''\n")
	if _, err := load(t, config.LoadOptions{GitleaksConfig: p}).RuleSet(rules.Default()); err == nil || !strings.Contains(err.Error(), "one of mcpscan's own rules") {
		t.Errorf("gitleaks rule with mcpscan id: %v", err)
	}
	// Unknown keys are errors in gitleaks configs too.
	p = write(t, dir, "d.toml", "[allowlist]\nfiles = ['''x''']\n")
	if _, err := config.Load(config.LoadOptions{GitleaksConfig: p, NoUserConfig: true}); err == nil || !strings.Contains(err.Error(), p+":2:1: allowlist.files: unknown key") {
		t.Errorf("gitleaks unknown key: %v", err)
	}
}

func TestInlineAllow(t *testing.T) {
	root := t.TempDir()
	write(t, root, "code/.env", "A=1\nGITHUB_TOKEN="+ghToken+" # mcpscan:allow test fixture\nOTHER_TOKEN="+ghToken2+"\n")
	write(t, root, "code/b.env", "GITHUB_TOKEN="+ghToken+" # gitleaks:allow\n")
	session := `{"type":"user","sessionId":"s1","cwd":"/home/a/web","timestamp":"2026-02-12T16:02:30.658Z","message":{"role":"user","content":"GITHUB_TOKEN=` + ghToken + ` # mcpscan:allow"}}` + "\n"
	write(t, root, ".claude/projects/-home-a-web/s1.jsonl", session)
	write(t, root, ".codex/sessions/2026/01/02/rollout-x.jsonl", session)
	write(t, root, ".claude/plans/plan.md", "GITHUB_TOKEN="+ghToken+" # mcpscan:allow\n")

	c := load(t, config.LoadOptions{Roots: []string{root}})
	res := scan(t, ruleSet(t, c), root)
	sup, counts := config.NewSuppressor(c, nil).Apply(res)

	if counts[config.MechInlineAllow] != 2 || len(sup) != 2 {
		t.Fatalf("suppressed %+v, counts %v; want the two allowed file lines", sup, counts)
	}
	for _, s := range sup {
		if s.Finding.Source != scanner.SourceFile {
			t.Errorf("suppressed a %s finding: %s", s.Finding.Source.Name, s.Finding.Path())
		}
	}
	kept := map[string]int{}
	for _, f := range res.Findings {
		kept[f.Source.Name]++
	}
	if kept["claude-transcript"] != 1 || kept["codex-rollout"] != 1 || kept["memory"] != 1 || kept["file"] != 1 {
		t.Errorf("kept by source = %v, want the transcript, the Codex session, the agent's plan and OTHER_TOKEN", kept)
	}
}

// TestInlineAllowInArchiveMember scans a real package tarball: the line
// text comes with the finding from the matcher, so an inline allow works
// inside an archive member (no file is re-read); a member under an agent
// directory (a transcript shipped by mistake) is not vouched for.
func TestInlineAllowInArchiveMember(t *testing.T) {
	root := t.TempDir()
	tgz := tarGz(t, map[string]string{
		"package/.env":                        "GITHUB_TOKEN=" + ghToken + " # mcpscan:allow fixture\nOTHER_TOKEN=" + acmeLive + "\n",
		"package/.claude/projects/x/s1.jsonl": `{"type":"user","sessionId":"s1","message":{"role":"user","content":"GITHUB_TOKEN=` + ghToken + ` # mcpscan:allow"}}` + "\n",
	})
	if err := os.WriteFile(filepath.Join(root, "pkg-1.0.0.tgz"), tgz, 0o644); err != nil {
		t.Fatal(err)
	}
	c := load(t, config.LoadOptions{Roots: []string{root}})
	res := scan(t, ruleSet(t, c), root)
	sup, counts := config.NewSuppressor(c, nil).Apply(res)
	if counts[config.MechInlineAllow] != 1 || len(sup) != 1 || !strings.HasSuffix(sup[0].Finding.Path(), "!package/.env") {
		t.Fatalf("suppressed %+v, counts %v; want the .env member's allowed line only", sup, counts)
	}
	var transcript bool
	for _, f := range res.Findings {
		if strings.Contains(f.Path(), ".claude/projects") && f.RuleID == "github-pat" {
			transcript = true
		}
	}
	if !transcript {
		t.Errorf("the transcript member's finding was suppressed by an inline allow: %+v", res.Findings)
	}
}

// tarGz builds a gzipped tar of files (name → content).
func tarGz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(files[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestIgnoreFileSurvivesLineMoves proves that a fingerprint in
// .mcpscanignore keeps suppressing a finding after lines are added above
// it, where a gitleaks file:rule-id:line entry stops matching.
func TestIgnoreFileSurvivesLineMoves(t *testing.T) {
	root := t.TempDir()
	env := write(t, root, "config/.env", "GITHUB_TOKEN="+ghToken+"\n")
	res := scan(t, rules.Default(), root)
	got := byRule(res, "github-pat")
	if len(got) != 1 || got[0].Line != 1 {
		t.Fatalf("findings: %+v", res.Findings)
	}
	fp := got[0].Fingerprint
	write(t, root, ".mcpscanignore", "# reviewed 2026-03-01: test token, revoked\n"+fp+"  # config/.env\n")
	write(t, root, ".gitleaksignore", "config/.env:github-pat:1\n")

	// Ten lines above the secret now.
	if err := os.WriteFile(env, []byte(strings.Repeat("# comment\n", 10)+"GITHUB_TOKEN="+ghToken+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := load(t, config.LoadOptions{Roots: []string{root}})
	if len(c.IgnoreFiles) != 2 {
		t.Fatalf("IgnoreFiles = %q", c.IgnoreFiles)
	}
	res = scan(t, ruleSet(t, c), root)
	moved := byRule(res, "github-pat")
	if len(moved) != 1 || moved[0].Line != 11 || moved[0].Fingerprint != fp {
		t.Fatalf("after the move: %+v (fingerprint must not change)", moved)
	}
	s := config.NewSuppressor(c, nil)
	if ok, mech := s.Decide(&moved[0]); !ok || mech != config.MechIgnoreFile {
		t.Errorf("Decide = %v %q, want ignore-file", ok, mech)
	}

	// The gitleaks entry names line 1: it no longer matches, by design.
	if err := os.Remove(filepath.Join(root, ".mcpscanignore")); err != nil {
		t.Fatal(err)
	}
	c = load(t, config.LoadOptions{Roots: []string{root}})
	if ok, mech := config.NewSuppressor(c, nil).Decide(&moved[0]); ok {
		t.Errorf("a file:rule-id:line entry for line 1 suppressed the finding on line 11 (%s)", mech)
	}

	// The same ignore file works when the repository is scanned by another
	// name: from inside it ("." → paths relative to the working directory).
	write(t, root, ".mcpscanignore", fp+"\n")
	t.Chdir(root)
	c = load(t, config.LoadOptions{Roots: []string{"."}})
	res = scan(t, ruleSet(t, c), ".")
	_, counts := config.NewSuppressor(c, nil).Apply(res)
	if counts[config.MechIgnoreFile] != 1 || len(byRule(res, "github-pat")) != 0 {
		t.Errorf("scan of \".\": counts %v, kept %+v", counts, res.Findings)
	}
}

func TestGitleaksIgnore(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, root, "config/.env", "X=1\nY=2\nGITHUB_TOKEN="+ghToken+"\n")
	write(t, root, "other/.env", "GITHUB_TOKEN="+ghToken2+"\n")
	write(t, root, ".gitleaksignore", `# gitleaks fingerprints
config/.env:github-pat:3
8d3b2f1c9a7e6d5b4c3a2f1e0d9c8b7a6f5e4d3c:other/.env:github-pat:1
not an entry
`)
	c := load(t, config.LoadOptions{Roots: []string{filepath.Join(root, "config")}})
	if len(c.Warnings) != 2 {
		t.Errorf("warnings = %q, want the commit entry and the invalid line", c.Warnings)
	}
	c = load(t, config.LoadOptions{Roots: []string{root}})
	res := scan(t, ruleSet(t, c), root)
	sup, counts := config.NewSuppressor(c, nil).Apply(res)
	if counts[config.MechGitleaksIgnore] != 1 || len(sup) != 1 || !sup[0].Finding.Secret.EqualString(ghToken) {
		t.Errorf("suppressed %+v, counts %v", sup, counts)
	}
	if got := byRule(res, "github-pat"); len(got) != 1 || !got[0].Secret.EqualString(ghToken2) {
		t.Errorf("kept %+v: the commit entry must not apply to files", got)
	}

	// In .mcpscanignore, an invalid line is an error.
	bad := write(t, t.TempDir(), "x.ignore", "\n0123456789abcdef\n")
	if _, err := config.Load(config.LoadOptions{IgnoreFiles: []string{bad}, NoUserConfig: true}); err == nil || !strings.Contains(err.Error(), bad+":2: ") {
		t.Errorf("invalid ignore line: %v", err)
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a/.env", "GITHUB_TOKEN="+ghToken+"\n")
	c := load(t, config.LoadOptions{Roots: []string{root}})
	set := ruleSet(t, c)
	res := scan(t, set, root)
	if len(res.Findings) != 1 {
		t.Fatalf("findings: %+v", res.Findings)
	}
	var buf bytes.Buffer
	if err := config.WriteBaseline(&buf, res.Findings); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), ghToken) {
		t.Fatal("the baseline holds a raw secret")
	}
	path := write(t, t.TempDir(), "baseline.json", buf.String())
	base, err := config.ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	if base.Len() != 1 || !base.Contains(res.Findings[0].Fingerprint) {
		t.Fatalf("baseline: %d fingerprints", base.Len())
	}

	// A new secret, and the old one moved down: only the new one counts.
	write(t, root, "a/.env", "# moved\nGITHUB_TOKEN="+ghToken+"\n")
	write(t, root, "b/.env", "GITHUB_TOKEN="+ghToken2+"\n")
	res = scan(t, set, root)
	sup, counts := config.NewSuppressor(c, base).Apply(res)
	if len(res.Findings) != 1 || !res.Findings[0].Secret.EqualString(ghToken2) {
		t.Errorf("kept %+v, want only the new secret", res.Findings)
	}
	if counts[config.MechBaseline] != 1 || len(sup) != 1 || !sup[0].Finding.Secret.EqualString(ghToken) {
		t.Errorf("suppressed %+v, counts %v", sup, counts)
	}

	// A report of --format json and jsonl is a baseline too.
	for _, format := range []string{"json", "jsonl"} {
		rep, err := reporters.New(format, reporters.Options{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := rep.Report(&out, res); err != nil {
			t.Fatal(err)
		}
		b, err := config.ParseBaseline(&out, "report."+format)
		if err != nil {
			t.Fatalf("%s report as baseline: %v", format, err)
		}
		if b.Len() != 1 || !b.Contains(res.Findings[0].Fingerprint) {
			t.Errorf("%s report as baseline: %d fingerprints", format, b.Len())
		}
	}

	// Not a report.
	for name, doc := range map[string]string{
		"no-schema.json": `{"findings": []}`,
		"v2.json":        `{"schema_version": 2, "findings": []}`,
		"bad-fp.json":    `{"schema_version": 1, "findings": [{"fingerprint": "xyz"}]}`,
		"sarif.json":     `{"version": "2.1.0", "runs": []}`,
	} {
		if _, err := config.ParseBaseline(strings.NewReader(doc), name); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestConfigAllowlists(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".mcpscan.toml", `
[[allowlists]]
description = "fixtures"
paths = ["**/testdata/**"]

[[allowlists]]
description = "the rotated staging token"
targetRules = ["github-pat"]
regexes = ['''^ghp_T3k9''']

[[allowlists]]
description = "lines marked as examples, in docs only"
condition = "AND"
paths = ["docs/**"]
regexTarget = "line"
regexes = ['''(?i)example''']

[[rules]]
id = "acme-token"
regex = '''acme_[A-Za-z0-9]{32}'''
[[rules.allowlists]]
stopwords = ["Zq7Xw"]
`)
	write(t, root, "pkg/testdata/.env", "GITHUB_TOKEN="+ghToken+"\n")
	write(t, root, "staging.env", "GITHUB_TOKEN="+ghToken2+"\n")
	write(t, root, "docs/a.md", "Example: GITHUB_TOKEN="+ghToken+"\n")
	write(t, root, "src/a.md", "Example: GITHUB_TOKEN="+ghToken+"\n")
	write(t, root, "src/acme.py", "K = \""+acmeTok+"\"\n")
	c := load(t, config.LoadOptions{Roots: []string{root}})
	res := scan(t, ruleSet(t, c), root)
	sup, counts := config.NewSuppressor(c, nil).Apply(res)
	if counts[config.MechConfigAllowlist] != 4 {
		t.Errorf("counts = %v, suppressed %+v", counts, sup)
	}
	if len(res.Findings) != 1 || !strings.HasSuffix(res.Findings[0].Path(), filepath.Join("src", "a.md")) {
		t.Errorf("kept %+v, want only src/a.md's", res.Findings)
	}

	// Archive members: a pattern for the archive allows its members; one
	// for the member's path matches inside the archive.
	for _, tc := range []struct {
		glob string
		path string
		want bool
	}{
		{"**/dist.tgz", "build/dist.tgz!package/.env", true},
		{"*.tgz", "build/dist.tgz!package/.env", true},
		{"**/package/.env", "build/dist.tgz!package/.env", true},
		{".env", "build/dist.tgz!package/.env", true},
		{"**/other.tgz", "build/dist.tgz!package/.env", false},
	} {
		p := write(t, t.TempDir(), "c.toml", "[[allowlists]]\npaths = [\""+tc.glob+"\"]\n")
		s := config.NewSuppressor(load(t, config.LoadOptions{ConfigFile: p}), nil)
		loc := scanner.ParseLocation(tc.path)
		loc.Line = 1
		f := &scanner.Finding{RuleID: "github-pat", Source: scanner.SourceFile, Location: loc, Secret: secret.New(ghToken)}
		if ok, _ := s.Decide(f); ok != tc.want {
			t.Errorf("glob %q, path %q: suppressed %v, want %v", tc.glob, tc.path, ok, tc.want)
		}
	}

	// A targetRules ID that does not exist is an error.
	p := write(t, t.TempDir(), "c.toml", "[[allowlists]]\ntargetRules = [\"gihtub-pat\"]\nregexes = ['''x''']\n")
	if _, err := load(t, config.LoadOptions{ConfigFile: p}).RuleSet(rules.Default()); err == nil || !strings.Contains(err.Error(), p+":2:16: allowlists[0].targetRules[0]: unknown rule id (did you mean github-pat?)") {
		t.Errorf("unknown targetRules: %v", err)
	}
	// An allowlist with nothing in it is an error.
	p = write(t, t.TempDir(), "d.toml", "[[allowlists]]\ndescription = \"empty\"\n")
	if _, err := config.Load(config.LoadOptions{ConfigFile: p, NoUserConfig: true}); err == nil || !strings.Contains(err.Error(), "needs at least one of paths, regexes or stopwords") {
		t.Errorf("empty allowlist: %v", err)
	}
}
