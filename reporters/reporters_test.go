package reporters

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Fake credentials, split so that secret scanners do not flag this file.
// None of them is valid anywhere.
var (
	secretGitHub  = "ghp_" + "R7tKq2mW9xZ4vB8nL3pQ6sD1fG5hJ0aYcE2u"
	secretGitHub2 = "ghp_" + "Xk3Lm9Pq2Rs7Tv4Wy8Za1Bc6De0Fg5Hj2Ki4"
	secretAssign  = "s3cr3t-" + "Vq8Zr2Lw6Ny"
	secretMCP     = "xoxb-" + "2048-4096-" + "Qw7Er3Ty9Ui1Op5As"
	secretShort   = "hunter" + "2"
)

func allSecrets() []string {
	return []string{secretGitHub, secretGitHub2, secretAssign, secretMCP, secretShort}
}

// testResult is a hand-built scan: findings with and without context, with
// and without a rule, several in one project, errors and stats.
// Test sources, shaped like the registry's (reporters name none of
// them: they render whatever a source declares).
var (
	testSourceTranscript = &scanner.Source{
		Name: "claude-transcript", Agent: "Claude Code", Store: scanner.StoreTranscript, Label: "a Claude Code transcript",
		Advice: "Claude Code keeps transcripts forever: after rotating, run `mcpscan redact`.",
		Fields: []scanner.Field{scanner.FieldProject, scanner.FieldSession, scanner.FieldAgentID, scanner.FieldTimestamp, scanner.FieldRecordType, scanner.FieldTool},
	}
	testSourceConfig = &scanner.Source{Name: "mcp-config", Store: scanner.StoreConfig, Label: "an MCP client config",
		Advice: "In MCP configs, replace the literal with a reference.",
		Fields: []scanner.Field{scanner.FieldClient, scanner.FieldServer, scanner.FieldProject}}
	testSourceMemory = &scanner.Source{Name: "memory", Store: scanner.StoreMemory, Label: "an agent memory file",
		Advice: "Keep only the name of the variable in memory files."}
)

// testIDKey is the key of the test findings' secret IDs.
var testIDKey = []byte("reporters-test")

func testResult() *scanner.Result {
	ghRule := &rules.Rule{
		ID:          "github-pat",
		Description: "GitHub Personal Access Token",
		Severity:    rules.Critical,
		Kind:        rules.KindSecret,
		Why:         "A GitHub token acts as its owner on every repository the owner can reach, until it is revoked.",
		Remediation: "Revoke the token at https://github.com/settings/tokens, create a new one with the least scopes, and keep it in the OS keychain or a secret manager.",
	}
	mcpRule := &rules.Rule{
		ID:          "mcp-env-literal",
		Description: "A literal credential in an MCP server's env map",
		Severity:    rules.High,
		Kind:        rules.KindHardcodedCredential,
		Remediation: "Replace the value with a reference such as ${SLACK_BOT_TOKEN} and rotate the token.",
	}
	project := "/home/u/dev/acme-api"
	session := "4d5611e5-0b9e-4c1e-9a63-2f1c7ad0e1b2"
	transcript := "/home/u/.claude/projects/-home-u-dev-acme-api/" + session + ".jsonl"
	finding := func(f scanner.Finding, raw string) scanner.Finding {
		f.Secret = secret.New(raw)
		f.SecretID = f.Secret.ID(testIDKey)
		return f
	}
	loc := func(file string, line, col, endLine, endCol int, off int64, field string, also ...string) scanner.Location {
		return scanner.Location{File: file, Line: line, Column: col, EndLine: endLine, EndColumn: endCol, Offset: off, Field: field, AlsoIn: also}
	}
	ctx := func(kv ...string) scanner.Context {
		var c scanner.Context
		for i := 0; i+1 < len(kv); i += 2 {
			c = append(c, scanner.Attr{Key: kv[i], Value: kv[i+1]})
		}
		return c
	}
	res := &scanner.Result{
		Roots: []string{"/home/u/.claude", "/home/u/dev"},
		Findings: []scanner.Finding{
			finding(scanner.Finding{
				RuleID: "mcp-env-literal", Description: mcpRule.Description, Severity: rules.High,
				Kind: rules.KindHardcodedCredential, Source: testSourceConfig,
				Location:    loc("/home/u/.claude.json", 41, 28, 41, 58, 1893, "mcpServers.slack.env.SLACK_BOT_TOKEN"),
				Fingerprint: "6b1f0c3e9a7d2b5c8e4f1a0d3c6b9e2f",
				Rule:        mcpRule,
			}, secretMCP),
			finding(scanner.Finding{
				RuleID: "github-pat", Description: ghRule.Description, Severity: rules.Critical,
				Kind: rules.KindSecret, Source: testSourceTranscript,
				Location:    loc(transcript, 12, 340, 12, 380, 48213, "toolUseResult.stdout", "message.content[0].content"),
				Fingerprint: "9f2c4a7e1b3d5f6081a2c3e4d5b6f708",
				Context: ctx("project", project, "session_id", session, "timestamp", "2026-02-12T16:05:33.120Z",
					"record_type", "user", "tool", "Bash"),
				Rule: ghRule,
			}, secretGitHub),
			finding(scanner.Finding{
				RuleID: "github-pat", Description: ghRule.Description, Severity: rules.Critical,
				Kind: rules.KindSecret, Source: testSourceTranscript,
				Location:    loc(transcript, 57, 9, 57, 49, 190377, "input.content"),
				Fingerprint: "0c8e2d4f6a1b3c5d7e9f0a2b4c6d8e1f",
				Context: ctx("project", project, "session_id", session, "timestamp", "2026-02-12T16:09:02Z",
					"record_type", "assistant", "tool", "Write"),
				Rule: ghRule,
			}, secretGitHub2),
			finding(scanner.Finding{
				RuleID: "generic-credential-assignment", Severity: rules.Medium,
				Description: "A credential-like name (KEY, SECRET, TOKEN, PASSWORD …) assigned a literal value that looks like a secret.",
				Kind:        rules.KindSecret, Source: testSourceMemory,
				Location:    loc("/home/u/dev/acme-api/CLAUDE.md", 8, 14, 8, 32, 301, ""),
				Fingerprint: "3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e2d",
				Context:     ctx("project", project),
			}, secretAssign),
			finding(scanner.Finding{
				RuleID: "generic-credential-assignment", Severity: rules.Low,
				Description: "A credential-like name (KEY, SECRET, TOKEN, PASSWORD …) assigned a literal value that looks like a secret.",
				Kind:        rules.KindSecret, Source: scanner.SourceFile,
				Location:    loc("/home/u/dev/notes.txt", 3, 10, 3, 17, 77, ""),
				Fingerprint: "e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9",
			}, secretShort),
		},
		Errors: []scanner.FileError{
			{Path: "/home/u/.claude/projects/-home-u-dev-acme-api/broken.jsonl", Line: 7, Error: "invalid JSON: unexpected end of JSON input", Reason: scanner.ReasonMalformed},
			{Path: "/home/u/dev/locked.env", Error: "open: permission denied", Reason: scanner.ReasonUnreadable, Incomplete: true},
		},
		Stats: scanner.Stats{
			FilesScanned: 1284, BytesScanned: 48_404_019, FilesSkipped: 3,
			SkippedBy:  map[string]int64{"too-large": 1, "binary": 2},
			DurationMS: 1234,
		},
	}
	res.Sort()
	return res
}

func render(t *testing.T, format string, opt Options, res *scanner.Result) string {
	t.Helper()
	r, err := New(format, opt)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Report(&b, res); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reporters -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (run go test ./reporters -update to accept it)\n--- got ---\n%s", path, got)
	}
}

func TestJSONGolden(t *testing.T) {
	got := render(t, "json", Options{Version: "1.2.3"}, testResult())
	golden(t, "report.golden.json", got)

	// The contract: shape and types, independent of the golden bytes.
	var doc struct {
		SchemaVersion int `json:"schema_version"`
		Tool          struct{ Name, Version string }
		Findings      []map[string]any `json:"findings"`
		Errors        []map[string]any `json:"errors"`
		Stats         map[string]any   `json:"stats"`
	}
	if err := json.Unmarshal([]byte(got), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != 1 || doc.Tool.Name != "mcpscan" || doc.Tool.Version != "1.2.3" {
		t.Errorf("header = %d %q %q", doc.SchemaVersion, doc.Tool.Name, doc.Tool.Version)
	}
	if len(doc.Findings) != 5 || len(doc.Errors) != 2 {
		t.Fatalf("got %d findings, %d errors", len(doc.Findings), len(doc.Errors))
	}
	keys := []string{"rule_id", "description", "severity", "kind", "path", "line", "column", "end_line",
		"end_column", "secret", "fingerprint", "source", "remediation", "offset"}
	for i, f := range doc.Findings {
		for _, k := range keys {
			if _, ok := f[k]; !ok {
				t.Errorf("finding %d has no %q", i, k)
			}
		}
		if f["remediation"] == "" {
			t.Errorf("finding %d has an empty remediation", i)
		}
	}
	if _, ok := doc.Findings[len(doc.Findings)-1]["context"]; ok {
		t.Errorf("a finding without context has a context member")
	}
	if !strings.HasSuffix(got, "}\n") || !strings.Contains(got, "\n  \"findings\": [\n    {") {
		t.Errorf("output is not indented with two spaces and newline-terminated")
	}
}

func TestJSONEmptyArrays(t *testing.T) {
	for _, res := range []*scanner.Result{nil, {}} {
		got := render(t, "json", Options{}, res)
		if !strings.Contains(got, `"findings": []`) || !strings.Contains(got, `"errors": []`) {
			t.Errorf("empty result: findings/errors are not empty arrays:\n%s", got)
		}
		if !strings.Contains(got, `"version": "dev"`) {
			t.Errorf("empty version is not reported as dev:\n%s", got)
		}
	}
}

func TestTerminalGolden(t *testing.T) {
	got := render(t, "terminal", Options{Version: "1.2.3", Width: 80}, testResult())
	golden(t, "report.golden.txt", got)
	for i, l := range strings.Split(got, "\n") {
		if strings.HasPrefix(l, "    /") {
			continue // locations: paths are never cut
		}
		if w := lipgloss.Width(l); w > 80 {
			t.Errorf("line %d is %d columns wide, more than Width 80: %q", i+1, w, l)
		}
	}
}

func TestTerminalNoFindings(t *testing.T) {
	res := &scanner.Result{Stats: scanner.Stats{FilesScanned: 3, BytesScanned: 2048, DurationMS: 12}}
	got := render(t, "text", Options{}, res)
	if !strings.Contains(got, "No secrets found in 3 files.") {
		t.Errorf("no 'No secrets found' line:\n%s", got)
	}
	if strings.Contains(got, "How to fix") || strings.Contains(got, "Errors") {
		t.Errorf("empty sections printed:\n%s", got)
	}
	if !strings.Contains(got, "2.0 KiB") || !strings.Contains(got, "12ms") {
		t.Errorf("summary lacks bytes or duration:\n%s", got)
	}
}

func TestTerminalNoWidthDoesNotWrap(t *testing.T) {
	got := render(t, "terminal", Options{}, testResult())
	if !strings.Contains(got, "fix  Revoke the token at https://github.com/settings/tokens, create a new one with the least scopes, and keep it in the OS keychain or a secret manager.\n") {
		t.Errorf("remediation wrapped or missing without Width:\n%s", got)
	}
}

func TestSecretsRedacted(t *testing.T) {
	res := testResult()
	// A secret that also occurs in other text must not leak through it.
	res.Errors = append(res.Errors, scanner.FileError{Path: "/tmp/x", Error: "bad line: TOKEN=" + secretGitHub})
	res.Findings[0].Field = "env." + secretAssign
	for _, format := range []string{"json", "terminal"} {
		for _, color := range []bool{false, true} {
			got := render(t, format, Options{Color: color}, res)
			for _, s := range allSecrets() {
				if strings.Contains(got, s) {
					t.Errorf("%s (color %v): raw secret %q in output:\n%s", format, color, s, got)
				}
			}
			if !strings.Contains(got, secret.Redact(secretGitHub)) {
				t.Errorf("%s: redacted secret %q missing", format, secret.Redact(secretGitHub))
			}
		}
	}
}

func TestShowSecrets(t *testing.T) {
	for _, format := range []string{"json", "terminal"} {
		got := render(t, format, Options{Reveal: secret.Unlock("test")}, testResult())
		for _, s := range allSecrets() {
			if !strings.Contains(got, s) {
				t.Errorf("%s: ShowSecrets is set but %q is not shown:\n%s", format, s, got)
			}
		}
	}
}

func TestTerminalShowsMultiLineSecret(t *testing.T) {
	key := "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"
	res := &scanner.Result{Findings: []scanner.Finding{{RuleID: "private-key", Kind: rules.KindSecret, Source: scanner.SourceFile,
		Location: scanner.Location{File: "/k", Line: 1, Column: 1}, Secret: secret.New(key)}}}
	got := render(t, "terminal", Options{Reveal: secret.Unlock("test")}, res)
	if !strings.Contains(got, "    secret -----BEGIN OPENSSH PRIVATE KEY-----\n           b3BlbnNzaC1rZXktdjEAAAAA\n") {
		t.Errorf("multi-line secret not printed line by line:\n%s", got)
	}
	got = render(t, "terminal", Options{}, res)
	if strings.Contains(got, "b3BlbnNzaC1rZXktdjEAAAAA") || !strings.Contains(got, "secret -----BEGIN OPENSSH PRIVATE KEY-----…(") {
		t.Errorf("multi-line secret not redacted:\n%s", got)
	}
}

func TestNoANSIWithoutColor(t *testing.T) {
	res := testResult()
	res.Findings[0].Description = "evil \x1b[31mred\x1b[0m \u202egnirts\u202c text"
	for _, format := range []string{"terminal", "json"} {
		got := render(t, format, Options{Width: 100}, res)
		if i := strings.IndexByte(got, 0x1b); i >= 0 {
			t.Errorf("%s: ESC byte at %d in output without colour:\n%q", format, i, got)
		}
	}
	got := render(t, "terminal", Options{Width: 100}, res)
	if !strings.Contains(got, `evil \x1b[31mred\x1b[0m \u202egnirts\u202c text`) {
		t.Errorf("control characters from scanned files are not escaped:\n%s", got)
	}
}

func TestColor(t *testing.T) {
	got := render(t, "terminal", Options{Color: true}, testResult())
	if !strings.Contains(got, "\x1b[") {
		t.Errorf("Color is set but the output has no ANSI escapes:\n%q", got)
	}
}

func TestNew(t *testing.T) {
	for _, f := range []string{"terminal", "text", "json", "JSON", " Terminal "} {
		if _, err := New(f, Options{}); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
	for _, f := range []string{"", "xml", "sarif3"} {
		_, err := New(f, Options{})
		if err == nil {
			t.Errorf("New(%q) did not fail", f)
			continue
		}
		for _, name := range Formats() {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("New(%q) error %q does not name %q", f, err, name)
			}
		}
	}
}

func TestHelpers(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{humanBytes(0), "0 B"},
		{humanBytes(1023), "1023 B"},
		{humanBytes(1536), "1.5 KiB"},
		{humanBytes(48_404_019), "46.2 MiB"},
		{humanDuration(850), "850ms"},
		{humanDuration(1234), "1.2s"},
		{humanDuration(123_456), "2m3s"},
		{groupDigits(1284), "1,284"},
		{groupDigits(1_000_000), "1,000,000"},
		{groupDigits(-12345), "-12,345"},
		{shortTime("2026-02-12T16:05:33.120Z"), "2026-02-12 16:05"},
		{shortTime("2026-02-12T16:05:33+01:00"), "2026-02-12 16:05 +01:00"},
		{shortTime("yesterday"), "yesterday"},
		{truncate("abcdef", 4), "abc…"},
		{truncate("abc", 4), "abc"},
		{strings.Join(wrap("aa bb cc dd", 5), "|"), "aa bb|cc dd"},
		{strings.Join(wrap("aaaaaaa b", 5), "|"), "aaaaaaa|b"},
		{clean("a\tb\x00c\xff"), `a b\x00c\xff`},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// groupedResult is testResult with the first GitHub token in four more
// places (a prompt history, a memory file and two more lines of the
// transcript), once matched by a second, generic rule.
func groupedResult() *scanner.Result {
	res := testResult()
	var gh scanner.Finding
	for _, f := range res.Findings {
		if f.Secret.EqualString(secretGitHub) {
			gh = f
		}
	}
	place := func(file string, line int, src *scanner.Source, ruleID string, sev rules.Severity) scanner.Finding {
		f := gh
		f.Location = scanner.Location{File: file, Line: line, Column: 5}
		f.Source, f.RuleID, f.Severity, f.Context = src, ruleID, sev, nil
		if ruleID != gh.RuleID {
			f.Rule, f.Description = nil, "A credential-like name assigned a literal value."
		}
		return f
	}
	hist := &scanner.Source{Name: "agent-history", Agent: "Claude Code", Store: scanner.StoreHistory, Label: "a prompt history"}
	res.Findings = append(res.Findings,
		place("/home/u/.claude/history.jsonl", 3, hist, gh.RuleID, gh.Severity),
		place("/home/u/dev/acme-api/AGENTS.md", 2, testSourceMemory, "generic-credential-assignment", rules.Medium),
		place(gh.File, 90, testSourceTranscript, gh.RuleID, gh.Severity),
		place(gh.File, 91, testSourceTranscript, gh.RuleID, gh.Severity),
	)
	res.Sort()
	return res
}

func TestTerminalGroupsSecrets(t *testing.T) {
	res := groupedResult()
	got := render(t, "terminal", Options{Width: 80}, res)
	redacted := secret.Redact(secretGitHub)
	if n := strings.Count(got, redacted); n != 1 {
		t.Errorf("the secret in 5 places is listed %d times, want once:\n%s", n, got)
	}
	if !strings.Contains(got, "CRITICAL github-pat, generic-credential-assignment\n    secret "+redacted+" · 5 places in 3 files\n") {
		t.Errorf("no entry naming both rules and counting places and files:\n%s", got)
	}
	if !strings.Contains(got, "and 2 more places (-v to list)") {
		t.Errorf("no 'and 2 more places' line:\n%s", got)
	}
	// The first places shown are in distinct files.
	for _, file := range []string{"/home/u/.claude/history.jsonl:3:5", "/home/u/dev/acme-api/AGENTS.md:2:5"} {
		if !strings.Contains(got, file) {
			t.Errorf("place %s not among the first shown:\n%s", file, got)
		}
	}
	// The most severe first: the first entry is a critical one.
	if i, j := strings.Index(got, "CRITICAL"), strings.Index(got, "HIGH"); i < 0 || j < i {
		t.Errorf("a high finding comes before the critical ones:\n%s", got)
	}

	verbose := render(t, "terminal", Options{Width: 80, Verbosity: VerbosityVerbose}, res)
	if strings.Contains(verbose, "more places") || !strings.Contains(verbose, ":90:5") || !strings.Contains(verbose, ":91:5") {
		t.Errorf("-v does not list every place:\n%s", verbose)
	}

	quiet := render(t, "terminal", Options{Width: 80, Verbosity: VerbosityQuiet}, res)
	if !strings.HasPrefix(quiet, "Summary\n") || strings.Contains(quiet, redacted) || strings.Contains(quiet, "How to fix") {
		t.Errorf("-q prints more than the summary:\n%s", quiet)
	}
	for _, want := range []string{"5 distinct secrets in 9 places", "complete   no:", "suppressed none", "✗ "} {
		if !strings.Contains(quiet, want) {
			t.Errorf("-q summary lacks %q:\n%s", want, quiet)
		}
	}
}

func TestTerminalOrder(t *testing.T) {
	// Same severity: a provider's own token format before a generic
	// assignment, whatever their places' order.
	generic := &rules.Rule{ID: "generic-credential-assignment", Severity: rules.Critical, Priority: rules.PriorityGeneric}
	provider := &rules.Rule{ID: "github-pat", Severity: rules.Critical, Priority: rules.PriorityProvider}
	res := &scanner.Result{Findings: []scanner.Finding{
		{RuleID: generic.ID, Rule: generic, Severity: rules.Critical, Kind: rules.KindSecret, Source: scanner.SourceFile,
			Location: scanner.Location{File: "/a/.env", Line: 1}, Secret: secret.New(secretAssign), SecretID: "a"},
		{RuleID: "mcp-unpinned-server", Severity: rules.Critical, Kind: rules.Kind("unpinned-server"), Source: scanner.SourceFile,
			Location: scanner.Location{File: "/a/.mcp.json", Line: 1}, Secret: secret.NewEvidence("pkg", "pkg")},
		{RuleID: provider.ID, Rule: provider, Severity: rules.Critical, Kind: rules.KindSecret, Source: scanner.SourceFile,
			Location: scanner.Location{File: "/b/.env", Line: 1}, Secret: secret.New(secretGitHub), SecretID: "b"},
		{RuleID: "low-one", Severity: rules.Low, Kind: rules.KindSecret, Source: scanner.SourceFile,
			Location: scanner.Location{File: "/0/.env", Line: 1}, Secret: secret.New(secretShort), SecretID: "c"},
	}}
	res.Sort()
	got := render(t, "terminal", Options{}, res)
	var order []string
	for _, l := range strings.Split(got, "\n") {
		if f := strings.Fields(l); len(f) > 1 && strings.HasPrefix(l, "  ") && strings.ToUpper(f[0]) == f[0] && f[0] != "" && !strings.HasPrefix(l, "    ") {
			order = append(order, f[1])
		}
	}
	want := []string{"github-pat", "generic-credential-assignment", "mcp-unpinned-server", "low-one"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("entries in order %v, want %v:\n%s", order, want, got)
	}
}

// TestTerminalFitsWidth: no line is wider than Width, whatever the width,
// on the demo home and on hostile, very long names.
func TestTerminalFitsWidth(t *testing.T) {
	long := groupedResult()
	long.Findings[0].File = "/home/u/" + strings.Repeat("very-long-directory-name/", 12) + "file.json"
	long.Findings[0].Field = strings.Repeat("deeply.nested.", 20) + "TOKEN"
	long.Errors = append(long.Errors, scanner.FileError{Path: "/" + strings.Repeat("x", 300), Error: strings.Repeat("word ", 50)})
	for name, res := range map[string]*scanner.Result{"demo home": demoHomeResult(t), "long names": long} {
		for _, width := range []int{40, 60, 80, 100, 132} {
			for _, v := range []int{VerbosityNormal, VerbosityVerbose} {
				got := render(t, "terminal", Options{Width: width, Verbosity: v, Color: true}, res)
				for i, l := range strings.Split(got, "\n") {
					if w := lipgloss.Width(l); w > width {
						t.Errorf("%s, width %d, verbosity %d: line %d is %d columns: %q", name, width, v, i+1, w, l)
					}
				}
			}
		}
	}
}

func TestTerminalErrorsCapped(t *testing.T) {
	res := testResult()
	for i := range 15 {
		res.Errors = append(res.Errors, scanner.FileError{Path: fmt.Sprintf("/home/u/locked-%02d.env", i), Error: "open: permission denied", Reason: scanner.ReasonUnreadable, Incomplete: true})
	}
	got := render(t, "terminal", Options{Width: 80}, res)
	if n := strings.Count(got, "\n  /home/u/"); n != errorsShown { // 17 errors, each on a line of its own
		t.Errorf("%d errors listed by default, want %d:\n%s", n, errorsShown, got)
	}
	if !strings.Contains(got, "and 7 more errors (-v to list)") {
		t.Errorf("no count of the errors left out:\n%s", got)
	}
	got = render(t, "terminal", Options{Width: 80, Verbosity: VerbosityVerbose}, res)
	if n := strings.Count(got, "permission denied"); n != 16 {
		t.Errorf("-v lists %d errors, want all 16", n)
	}
}
