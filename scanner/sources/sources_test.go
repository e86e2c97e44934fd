package sources_test

import (
	"testing"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
	"github.com/mcpscan/mcpscan/scanner/sources/textfile"
	"github.com/mcpscan/mcpscan/scanner/sources/transcript"
)

// TestDispatch checks which handler (by source kind) takes each path, and
// the source kind its findings get.
func TestDispatch(t *testing.T) {
	cases := []struct {
		path string
		want scanner.Source
	}{
		{"/home/a/.claude/projects/-home-a-web/4d5611e5-241a-462a-8d15-5122611a9569.jsonl", scanner.SourceClaudeTranscript},
		{"/home/a/.claude/projects/-home-a-web/4d5611e5/subagents/agent-a2898e3.jsonl", scanner.SourceClaudeTranscript},
		{"/home/a/.claude/projects/-home-a-web/agent-test-hash-123.jsonl", scanner.SourceClaudeTranscript},
		{"/home/a/.claude/history.jsonl", scanner.SourceAgentHistory},
		{"/home/a/.codex/sessions/2026/01/02/rollout-x.jsonl", scanner.SourceJSONL},
		{"/home/a/.claude/settings.json", scanner.SourceAgentSettings},
		{"/home/a/code/web/.claude/settings.local.json", scanner.SourceAgentSettings},
		{"/etc/claude-code/managed-settings.json", scanner.SourceAgentSettings},
		{"/home/a/code/web/settings.json", scanner.SourceFile},
		{"/home/a/.claude.json", scanner.SourceMCPConfig},
		{"/home/a/code/web/.mcp.json", scanner.SourceMCPConfig},
		{"/home/a/.cursor/mcp.json", scanner.SourceMCPConfig},
		{"/home/a/code/web/.vscode/mcp.json", scanner.SourceMCPConfig},
		{"/home/a/.gemini/settings.json", scanner.SourceMCPConfig},
		{"/home/a/.codex/config.toml", scanner.SourceMCPConfig},
		{"/home/a/.config/Claude/claude_desktop_config.json", scanner.SourceMCPConfig},
		{"/home/a/.codeium/windsurf/mcp_config.json", scanner.SourceMCPConfig},
		{"/home/a/code/web/mcp.json", scanner.SourceFile},
		{"/home/a/code/web/CLAUDE.md", scanner.SourceMemory},
		{"/home/a/.claude/plans/fuzzy-plan.md", scanner.SourceMemory},
		{"/home/a/.claude/file-history/4d5611e5/0a1b2c3d4e5f6789@v2", scanner.SourceFileHistory},
		{"/home/a/code/web/.env.local", scanner.SourceFile},
		{"/home/a/code/web/README.md", scanner.SourceFile},
	}
	hs := sources.Default()
	for _, c := range cases {
		var got scanner.Source
		for _, h := range hs {
			if h.Accepts(c.path) {
				got = h.Source()
				switch got {
				case scanner.SourceClaudeTranscript:
					got = transcript.SourceOf(c.path)
				case scanner.SourceFile:
					got = textfile.SourceOf(c.path)
				}
				break
			}
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.path, got, c.want)
		}
	}
}
