package main

import (
	"bytes"
	"encoding/json"
	"github.com/mcpscan/mcpscan/internal/testkit"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Format-valid test credentials, randomly generated, never live.
const (
	ghToken    = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"
	dbPassword = "wK8#pL2vQ9xR"
)

func mcpscan(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

var tree = testkit.Tree

func TestExitCodes(t *testing.T) {
	clean := tree(t, map[string]string{"app.ts": "const key = process.env.API_KEY\n"})
	dirty := tree(t, map[string]string{".env": "GITHUB_TOKEN=" + ghToken + "\nDB_PASSWORD=" + dbPassword + "\n"})
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"clean", []string{clean}, exitClean},
		{"findings", []string{dirty}, exitFindings},
		{"fail-on above the findings", []string{"--fail-on", "critical", tree(t, map[string]string{".env": "DB_PASSWORD=" + dbPassword + "\n"})}, exitClean},
		{"fail-on at the findings", []string{"--fail-on", "medium", dirty}, exitFindings},
		{"missing named path", []string{filepath.Join(clean, "nope")}, exitError},
		{"unknown flag", []string{"--nope", clean}, exitError},
		{"bad severity", []string{"--fail-on", "severe", clean}, exitError},
		{"bad format", []string{"--format", "xml", clean}, exitError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := mcpscan(t, c.args...)
			if code != c.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.want, out, errOut)
			}
			if c.want == exitError && !strings.Contains(errOut, "mcpscan: error:") {
				t.Errorf("stderr has no error message: %q", errOut)
			}
		})
	}
}

func TestRedactionAndShowSecrets(t *testing.T) {
	dir := tree(t, map[string]string{".env": "GITHUB_TOKEN=" + ghToken + "\nDB_PASSWORD=" + dbPassword + "\n"})
	for _, format := range []string{"terminal", "json"} {
		_, out, _ := mcpscan(t, "--format", format, dir)
		for _, s := range []string{ghToken, dbPassword} {
			if strings.Contains(out, s) {
				t.Errorf("%s report leaks %q", format, s)
			}
		}
		_, out, _ = mcpscan(t, "--format", format, "--show-secrets", dir)
		if !strings.Contains(out, ghToken) || !strings.Contains(out, dbPassword) {
			t.Errorf("%s report with --show-secrets lacks the secrets", format)
		}
	}
}

func TestOutputFileIsPrivate(t *testing.T) {
	dir := tree(t, map[string]string{".env": "GITHUB_TOKEN=" + ghToken + "\n"})
	dest := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(dest, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := mcpscan(t, "--format", "json", "--output", dest, dir)
	if code != exitFindings || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	st, err := os.Stat(dest)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	var doc struct {
		SchemaVersion int `json:"schema_version"`
		Findings      []struct {
			RuleID string `json:"rule_id"`
		} `json:"findings"`
	}
	b, _ := os.ReadFile(dest)
	if err := json.Unmarshal(b, &doc); err != nil || doc.SchemaVersion != 1 || len(doc.Findings) != 1 || doc.Findings[0].RuleID != "github-pat" {
		t.Errorf("report %s (err %v)", b, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".*tmp"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestNoArgsScansHome(t *testing.T) {
	home := tree(t, map[string]string{
		".claude/projects/-home-a-web/s1.jsonl": `{"type":"user","sessionId":"s1","message":{"role":"user","content":"token ` + ghToken + `"}}` + "\n",
		".cursor/mcp.json":                      `{"mcpServers":{"db":{"command":"psql","env":{"DATABASE_URL":"postgres://app:Qx7vR2mL9pT4wZ@db.internal:5432/app"}}}}`,
		"unrelated/.env":                        "GITHUB_TOKEN=" + ghToken + "\n",
	})
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("CLAUDE_CONFIG_DIR", "")
	code, out, errOut := mcpscan(t, "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if strings.Contains(out, "unrelated") {
		t.Errorf("scanned outside the well-known locations:\n%s", out)
	}
	for _, want := range []string{`"source": "claude-transcript"`, `"source": "mcp-config"`, `"tool": "mcp server db"`} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %s:\n%s", want, out)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := mcpscan(t, "--version")
	if code != exitClean || !strings.Contains(out, "mcpscan version") {
		t.Fatalf("exit %d, %q", code, out)
	}
}

func TestRulesCommand(t *testing.T) {
	code, out, _ := mcpscan(t, "rules", "--json")
	if code != exitClean {
		t.Fatalf("exit %d", code)
	}
	var docs []struct {
		ID, Severity, Origin string
	}
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, d := range docs {
		ids[d.ID] = true
	}
	for _, id := range []string{"github-pat", "generic-api-key", "generic-credential-assignment", "private-key-block", "agent-settings-env-credential"} {
		if !ids[id] {
			t.Errorf("rule %s not listed", id)
		}
	}
	// The table names each rule's source: the provider's documentation.
	_, table, _ := mcpscan(t, "rules")
	for _, want := range []string{"SOURCE", "neon-api-key", "https://neon.com/docs/manage/api-keys", "gitleaks v8."} {
		if !strings.Contains(table, want) {
			t.Errorf("rules table lacks %q", want)
		}
	}
}

// TestNoArgsFindsEveryClient lays out a home with one MCP config per
// client at its default Linux location, each holding a literal password in
// a server's environment, and checks that a scan without arguments finds
// every one and names its client.
func TestNoArgsFindsEveryClient(t *testing.T) {
	env := func(server string) string {
		return `{"` + server + `": {"command": "mcp-db", "env": {"DB_PASSWORD": "` + dbPassword + `"}}}`
	}
	files := map[string]string{
		".claude.json": `{"mcpServers": ` + env("a") + `}`,
		".config/Claude/claude_desktop_config.json": `{"mcpServers": ` + env("b") + `}`,
		".cursor/mcp.json":                          `{"mcpServers": ` + env("c") + `}`,
		".config/Code/User/mcp.json":                `{"servers": ` + env("d") + `}`,
		".copilot/mcp-config.json":                  `{"mcpServers": ` + env("e") + `}`,
		".codeium/windsurf/mcp_config.json":         `{"mcpServers": ` + env("f") + `}`,
		".gemini/settings.json":                     `{"mcpServers": ` + env("g") + `}`,
		".config/zed/settings.json":                 `{"context_servers": ` + env("h") + `}`,
		".aws/amazonq/mcp.json":                     `{"mcpServers": ` + env("i") + `}`,
		".kiro/settings/mcp.json":                   `{"mcpServers": ` + env("j") + `}`,
		".lmstudio/mcp.json":                        `{"mcpServers": ` + env("k") + `}`,
		".junie/mcp/mcp.json":                       `{"mcpServers": ` + env("l") + `}`,
		".config/opencode/opencode.json":            `{"mcp": {"m": {"type": "local", "command": ["mcp-db"], "environment": {"DB_PASSWORD": "` + dbPassword + `"}}}}`,
		".codex/config.toml":                        "[mcp_servers.n]\ncommand = \"mcp-db\"\nenv = { DB_PASSWORD = \"" + dbPassword + "\" }\n",
		".continue/config.yaml":                     "mcpServers:\n  - name: o\n    command: mcp-db\n    env:\n      DB_PASSWORD: \"" + dbPassword + "\"\n",
		".config/goose/config.yaml":                 "extensions:\n  p:\n    cmd: mcp-db\n    envs:\n      DB_PASSWORD: \"" + dbPassword + "\"\n",
		".config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json": `{"mcpServers": ` + env("q") + `}`,
	}
	home := tree(t, files)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("CLAUDE_CONFIG_DIR", "")
	code, out, errOut := mcpscan(t, "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Findings []struct {
			RuleID  string `json:"rule_id"`
			Path    string `json:"path"`
			Context struct {
				Client, Server, Field string
			} `json:"context"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, f := range rep.Findings {
		if f.RuleID == "mcp-hardcoded-credential" && f.Context.Client != "" && f.Context.Server != "" {
			rel, _ := filepath.Rel(home, f.Path)
			seen[filepath.ToSlash(rel)] = f.Context.Client
		}
	}
	for rel := range files {
		if seen[rel] == "" {
			t.Errorf("%s: no mcp-hardcoded-credential naming its client and server", rel)
		}
	}
	t.Logf("clients found: %v", seen)
}

func TestProgressOnlyOnTerminals(t *testing.T) {
	var buf bytes.Buffer
	if newProgress(&buf, false) != nil {
		t.Error("progress display on a non-terminal writer")
	}
	dir := tree(t, map[string]string{".env": "GITHUB_TOKEN=" + ghToken + "\n"})
	_, _, errOut := mcpscan(t, "--format", "json", dir)
	if errOut != "" {
		t.Errorf("stderr not empty without a terminal: %q", errOut)
	}
}

// TestIncrementalState: with --state a re-scan reads only what was
// appended, carries earlier findings over, and starts over for a file
// that was rewritten.
func TestIncrementalState(t *testing.T) {
	rec := func(secret string) string {
		return `{"type":"user","sessionId":"s1","cwd":"/home/a/web","message":{"role":"user","content":"token ` + secret + `"}}` + "\n"
	}
	filler := strings.Repeat(`{"type":"progress","data":{"type":"hook_progress","command":"echo ok"}}`+"\n", 2000)
	home := tree(t, map[string]string{".claude/projects/-home-a-web/s1.jsonl": rec(ghToken) + filler})
	session := filepath.Join(home, ".claude/projects/-home-a-web/s1.jsonl")
	state := filepath.Join(t.TempDir(), "state.json")
	type report struct {
		Findings []struct {
			Line   int    `json:"line"`
			Secret string `json:"secret"`
		} `json:"findings"`
		Stats struct {
			BytesScanned int64            `json:"bytes_scanned"`
			SkippedBy    map[string]int64 `json:"skipped_by"`
		} `json:"stats"`
	}
	scan := func(args ...string) report {
		t.Helper()
		_, out, errOut := mcpscan(t, append([]string{"--format", "json", "--state", state}, append(args, home)...)...)
		var r report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v: %s %s", err, out, errOut)
		}
		return r
	}
	first := scan()
	if len(first.Findings) != 1 || first.Stats.BytesScanned == 0 {
		t.Fatalf("first scan: %+v", first)
	}
	if st, _ := os.Stat(state); st.Mode().Perm() != 0o600 {
		t.Errorf("state mode %v", st.Mode().Perm())
	}
	again := scan()
	if len(again.Findings) != 1 || again.Stats.BytesScanned != 0 || again.Stats.SkippedBy["unchanged"] != 1 {
		t.Fatalf("unchanged re-scan: %+v", again)
	}
	const second = "ghp_Zq7Xw2Lm9Rt4Vb8Nk3Jh6Gf1Dp5Sa0QeB2c4"
	f, _ := os.OpenFile(session, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(rec(second))
	f.Close()
	grown := scan()
	if len(grown.Findings) != 2 || grown.Stats.BytesScanned != int64(len(rec(second))) || grown.Findings[1].Line != 2002 {
		t.Fatalf("appended re-scan: %+v", grown)
	}
	if only := scan("--new-only"); len(only.Findings) != 0 {
		t.Errorf("--new-only on an unchanged file: %+v", only.Findings)
	}
	os.WriteFile(session, []byte(filler+rec(second)), 0o644)
	rewritten := scan()
	if len(rewritten.Findings) != 1 || rewritten.Findings[0].Line != 2001 || rewritten.Stats.BytesScanned < int64(len(filler)) {
		t.Fatalf("rewritten file: %+v", rewritten)
	}
}
