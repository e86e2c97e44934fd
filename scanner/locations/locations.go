// Package locations lists the well-known places where coding agents and
// MCP clients keep transcripts, memory, settings and configs, per OS. A
// scan without arguments scans these (each optional: a missing one is
// skipped quietly).
package locations

import (
	"path/filepath"

	"github.com/mcpscan/mcpscan/scanner"
)

// Default returns the roots to scan for a user whose home directory is
// home, on goos ("linux", "darwin", "windows"); getenv reads environment
// variables (APPDATA, XDG_CONFIG_HOME, CLAUDE_CONFIG_DIR).
func Default(home, goos string, getenv func(string) string) []scanner.Root {
	var paths []string
	add := func(p ...string) { paths = append(paths, filepath.Join(p...)) }

	claudeDir := filepath.Join(home, ".claude")
	if d := getenv("CLAUDE_CONFIG_DIR"); d != "" {
		claudeDir = d
	}
	// Claude Code: transcripts, history, file-history, plans, settings, memory.
	add(claudeDir)
	add(home, ".claude.json")
	add(home, ".mcp.json")

	// Other agents' transcripts and state.
	add(home, ".codex", "sessions")
	add(home, ".codex", "config.toml")
	add(home, ".codex", "AGENTS.md")
	add(home, ".gemini", "settings.json")
	add(home, ".gemini", "GEMINI.md")
	add(home, ".gemini", "tmp")
	add(home, ".copilot", "mcp-config.json")
	add(home, ".copilot", "session-state")

	// MCP client configs in the home directory.
	add(home, ".cursor", "mcp.json")
	add(home, ".codeium", "windsurf", "mcp_config.json")
	add(home, ".continue", "config.yaml")
	add(home, ".continue", "config.json")
	add(home, ".continue", "mcpServers")
	add(home, ".aws", "amazonq", "mcp.json")
	add(home, ".kiro", "settings", "mcp.json")
	add(home, ".lmstudio", "mcp.json")
	add(home, ".junie", "mcp", "mcp.json")
	add(home, ".roo", "mcp.json")

	// Per-OS application config directories.
	config := getenv("XDG_CONFIG_HOME")
	if config == "" {
		config = filepath.Join(home, ".config")
	}
	var appSupport string
	switch goos {
	case "darwin":
		appSupport = filepath.Join(home, "Library", "Application Support")
	case "windows":
		appSupport = getenv("APPDATA")
		if appSupport == "" {
			appSupport = filepath.Join(home, "AppData", "Roaming")
		}
	default:
		appSupport = config
	}
	add(appSupport, "Claude", "claude_desktop_config.json")
	add(appSupport, "Code", "User", "mcp.json")
	add(appSupport, "Code", "User", "settings.json") // "mcp": {"servers": …}
	add(appSupport, "Code", "User", "globalStorage", "saoudrizwan.claude-dev", "settings", "cline_mcp_settings.json")
	add(appSupport, "Code", "User", "globalStorage", "rooveterinaryinc.roo-cline", "settings", "mcp_settings.json")
	add(appSupport, "Cursor", "User", "mcp.json")
	add(config, "zed", "settings.json")
	add(config, "goose", "config.yaml")
	add(config, "opencode", "opencode.json")
	add(config, "opencode", "opencode.jsonc")
	if goos != "linux" {
		add(config, "Claude", "claude_desktop_config.json")
	}

	seen := map[string]bool{}
	roots := make([]scanner.Root, 0, len(paths))
	for _, p := range paths {
		if seen[p] {
			continue
		}
		seen[p] = true
		roots = append(roots, scanner.Root{Path: p, Optional: true})
	}
	return roots
}
