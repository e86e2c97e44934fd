package mcpmodel

import "testing"

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		path                  string
		client, format, scope string
	}{
		{"/home/a/.claude.json", ClaudeCode, FormatJSON, ScopeUser},
		{"/home/a/.claude/backups/.claude.json.backup.1760000000000", ClaudeCode, FormatJSON, ScopeUser},
		{"/home/a/code/x/.mcp.json", ClaudeCode, FormatJSON, ScopeProject},
		{"/etc/claude-code/managed-mcp.json", ClaudeCode, FormatJSON, ScopeManaged},
		{"C:/ProgramData/ClaudeCode/managed-mcp.json", ClaudeCode, FormatJSON, ScopeManaged},
		{"/Users/a/Library/Application Support/Claude/claude_desktop_config.json", ClaudeDesktop, FormatJSON, ScopeUser},
		{"C:/Users/a/AppData/Roaming/Claude/claude_desktop_config.json", ClaudeDesktop, FormatJSON, ScopeUser},
		{"/home/a/.cursor/mcp.json", Cursor, FormatJSON, ScopeUser},
		{"C:/Users/a/.cursor/mcp.json", Cursor, FormatJSON, ScopeUser},
		{"/home/a/code/x/.cursor/mcp.json", Cursor, FormatJSON, ScopeProject},
		{"/Users/a/Library/Application Support/Cursor/User/mcp.json", Cursor, FormatJSONC, ScopeUser},
		{"/home/a/code/x/.vscode/mcp.json", VSCode, FormatJSONC, ScopeProject},
		{"/home/a/.config/Code/User/mcp.json", VSCode, FormatJSONC, ScopeUser},
		{"/home/a/.config/Code - Insiders/User/profiles/-5d2c1f/mcp.json", VSCode, FormatJSONC, ScopeUser},
		{"/home/a/.vscode-server/data/User/mcp.json", VSCode, FormatJSONC, ScopeUser},
		{"/home/a/.config/Code/User/settings.json", VSCode, FormatJSONC, ScopeUser},
		{"/home/a/code/x/.vscode/settings.json", VSCode, FormatJSONC, ScopeProject},
		{"/home/a/.copilot/mcp-config.json", CopilotCLI, FormatJSON, ScopeUser},
		{"/home/a/.codeium/windsurf/mcp_config.json", Windsurf, FormatJSON, ScopeUser},
		{"/home/a/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json", Cline, FormatJSON, ScopeUser},
		{"/home/a/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json", Roo, FormatJSON, ScopeUser},
		{"/home/a/code/x/.roo/mcp.json", Roo, FormatJSON, ScopeProject},
		{"/home/a/.continue/config.yaml", Continue, FormatYAML, ScopeUser},
		{"/home/a/.continue/config.json", Continue, FormatJSON, ScopeUser},
		{"/home/a/code/x/.continue/mcpServers/db.yaml", Continue, FormatYAML, ScopeProject},
		{"/home/a/code/x/.continue/mcpServers/db.yml", Continue, FormatYAML, ScopeProject},
		{"/home/a/code/x/.continue/mcpServers/copied.json", Continue, FormatJSON, ScopeProject},
		{"/home/a/.continue/mcpServers/db.yaml", Continue, FormatYAML, ScopeUser},
		{"/home/a/.config/zed/settings.json", Zed, FormatJSONC, ScopeUser},
		{"/home/a/code/x/.zed/settings.json", Zed, FormatJSONC, ScopeProject},
		{"/home/a/.gemini/settings.json", GeminiCLI, FormatJSONC, ScopeUser},
		{"/home/a/code/x/.gemini/settings.json", GeminiCLI, FormatJSONC, ScopeProject},
		{"/etc/gemini-cli/settings.json", GeminiCLI, FormatJSONC, ScopeManaged},
		{"/home/a/.codex/config.toml", CodexCLI, FormatTOML, ScopeUser},
		{"/root/.codex/config.toml", CodexCLI, FormatTOML, ScopeUser},
		{"/home/a/code/x/.codex/config.toml", CodexCLI, FormatTOML, ScopeProject},
		{"/home/a/.config/goose/config.yaml", Goose, FormatYAML, ScopeUser},
		{"C:/Users/a/AppData/Roaming/Block/goose/config/config.yaml", Goose, FormatYAML, ScopeUser},
		{"/home/a/.aws/amazonq/mcp.json", AmazonQ, FormatJSON, ScopeUser},
		{"/home/a/code/x/.amazonq/mcp.json", AmazonQ, FormatJSON, ScopeProject},
		{"/home/a/.kiro/settings/mcp.json", Kiro, FormatJSON, ScopeUser},
		{"/home/a/code/x/.kiro/settings/mcp.json", Kiro, FormatJSON, ScopeProject},
		{"/home/a/.lmstudio/mcp.json", LMStudio, FormatJSON, ScopeUser},
		{"/home/a/.junie/mcp/mcp.json", Junie, FormatJSON, ScopeUser},
		{"/home/a/code/x/.junie/mcp/mcp.json", Junie, FormatJSON, ScopeProject},
		{"/home/a/.config/opencode/opencode.json", Opencode, FormatJSONC, ScopeUser},
		{"/home/a/.config/opencode/opencode.jsonc", Opencode, FormatJSONC, ScopeUser},
		{"/home/a/code/x/opencode.json", Opencode, FormatJSONC, ScopeProject},
	} {
		client, format, ok := Detect(c.path)
		k, _ := detect(c.path)
		if !ok || client != c.client || format != c.format || k.scope != c.scope {
			t.Errorf("Detect(%q) = %q, %q, %v, scope %q; want %q, %q, %q", c.path, client, format, ok, k.scope, c.client, c.format, c.scope)
		}
	}
	for _, p := range []string{
		"/home/a/.claude/settings.json", "/home/a/.claude/settings.local.json",
		"/home/a/code/x/mcp.json", "/home/a/code/x/package.json", "/home/a/code/x/settings.json",
		"/home/a/.config/zed/keymap.json", "/home/a/code/x/config.toml", "/home/a/code/x/config.yaml",
		"/home/a/.continue/mcpServers/README.md", "/home/a/.gemini/oauth_creds.json", "/home/a/.codex/auth.json",
		"", ".", "/",
	} {
		if client, format, ok := Detect(p); ok {
			t.Errorf("Detect(%q) = %q, %q, true", p, client, format)
		}
	}
}

func TestParseUnknown(t *testing.T) {
	if _, err := Parse("/home/a/notes.txt", []byte("{}")); err != ErrUnknownFile {
		t.Fatalf("err = %v", err)
	}
}
