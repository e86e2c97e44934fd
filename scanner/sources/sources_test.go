package sources_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
)

const ghToken = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"

// TestDispatch scans a file at each path with the real engine and the
// registry, and checks the source its finding reports.
func TestDispatch(t *testing.T) {
	cases := []struct {
		path string
		want string
	}{
		{"/home/a/.claude/projects/-home-a-web/4d5611e5-241a-462a-8d15-5122611a9569.jsonl", "claude-transcript"},
		{"/home/a/.claude/projects/-home-a-web/4d5611e5/subagents/agent-a2898e3.jsonl", "claude-transcript"},
		{"/home/a/.claude/projects/-home-a-web/agent-test-hash-123.jsonl", "claude-transcript"},
		{"/home/a/.claude/history.jsonl", "agent-history"},
		{"/home/a/.codex/sessions/2026/01/02/rollout-x.jsonl", "codex-rollout"},
		{"/home/a/.codex/history.jsonl", "codex-history"},
		{"/home/a/.gemini/tmp/web/chats/session-2026-01-02T10-00-ab12cd34.json", "gemini-chat"},
		{"/home/a/.gemini/tmp/web/logs.json", "gemini-history"},
		{"/home/a/.copilot/session-state/s1/events.jsonl", "copilot-cli-session"},
		{"/home/a/.config/Code/User/workspaceStorage/f00d/chatSessions/s1.json", "copilot-chat-session"},
		{"/home/a/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1/ui_messages.json", "cline-task"},
		{"/home/a/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/tasks/1/ui_messages.json", "roo-code-task"},
		{"/home/a/.continue/sessions/s1.json", "continue-session"},
		{"/home/a/code/web/.aider.chat.history.md", "aider-chat"},
		{"/home/a/.claude/paste-cache/0a1b2c.txt", "claude-paste-cache"},
		{"/home/a/.claude/debug/s1.txt", "claude-session-file"},
		{"/home/a/.local/share/amp/threads/T-1.json", "amp-thread"},
		{"/home/a/.junie/sessions/session-260101-100000-ab12/events.jsonl", "junie-session"},
		{"/home/a/.local/share/opencode/storage/part/m1/p1.json", "opencode-session"},
		{"/home/a/.local/share/goose/sessions/20260101_1.jsonl", "goose-session"},
		{"/home/a/code/web/.cursor/rules/api.mdc", "memory"},
		{"/home/a/.claude/settings.json", "agent-settings"},
		{"/home/a/code/web/.claude/settings.local.json", "agent-settings"},
		{"/etc/claude-code/managed-settings.json", "agent-settings"},
		{"/home/a/code/web/settings.json", "file"},
		{"/home/a/.claude.json", "mcp-config"},
		{"/home/a/code/web/.mcp.json", "mcp-config"},
		{"/home/a/.cursor/mcp.json", "mcp-config"},
		{"/home/a/code/web/.vscode/mcp.json", "mcp-config"},
		{"/home/a/.gemini/settings.json", "mcp-config"},
		{"/home/a/.codex/config.toml", "mcp-config"},
		{"/home/a/.config/Claude/claude_desktop_config.json", "mcp-config"},
		{"/home/a/.codeium/windsurf/mcp_config.json", "mcp-config"},
		{"/home/a/code/web/mcp.json", "file"},
		{"/home/a/code/web/CLAUDE.md", "memory"},
		{"/home/a/.claude/plans/fuzzy-plan.md", "memory"},
		{"/home/a/.claude/file-history/4d5611e5/0a1b2c3d4e5f6789@v2", "file-history"},
		{"/home/a/code/web/.env.local", "file"},
		{"/home/a/code/web/README.md", "file"},
	}
	root := t.TempDir()
	var roots []scanner.Root
	want := map[string]string{}
	for _, c := range cases {
		p := filepath.Join(root, filepath.FromSlash(c.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		content := "GITHUB_TOKEN=" + ghToken + "\n"
		switch {
		case strings.HasSuffix(p, ".jsonl"):
			content = `{"type":"user","sessionId":"s1","message":{"role":"user","content":"GITHUB_TOKEN=` + ghToken + `"}}` + "\n"
		case strings.HasSuffix(p, ".json"):
			content = `{"env": {"GITHUB_TOKEN": "` + ghToken + `"}}`
		case strings.HasSuffix(p, ".toml"):
			content = "[mcp_servers.gh]\ncommand = \"x\"\nenv = { GITHUB_TOKEN = \"" + ghToken + "\" }\n"
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		roots = append(roots, scanner.Root{Path: p})
		want[p] = c.want
	}
	res, err := scanner.New(rules.Default(), sources.Default(), scanner.Options{}).Collect(context.Background(), roots)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Findings {
		if f.RuleID == "github-pat" {
			got[f.File] = f.Source.Name
		}
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: source %q, want %q", strings.TrimPrefix(p, root), got[p], w)
		}
	}
}

// TestRegistry checks every source the handlers declare: a unique
// kebab-case name, a label, and context fields with keys.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, h := range sources.Default() {
		for _, s := range h.Sources() {
			if seen[s.Name] && s != scanner.SourceFile && s != scanner.SourceJSONL {
				t.Errorf("source %q declared twice", s.Name)
			}
			seen[s.Name] = true
			if s.Name == "" || s.Name != strings.ToLower(s.Name) || strings.ContainsAny(s.Name, " _") {
				t.Errorf("source name %q is not kebab-case", s.Name)
			}
			if s.Label == "" || s.Store == "" {
				t.Errorf("source %q: no label or store", s.Name)
			}
			for _, f := range s.Fields {
				if f.Key == "" || f.Doc == "" {
					t.Errorf("source %q: field %+v without key or doc", s.Name, f)
				}
			}
		}
	}
}
