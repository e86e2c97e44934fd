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
// variables (APPDATA, LOCALAPPDATA, XDG_CONFIG_HOME, XDG_DATA_HOME,
// CLAUDE_CONFIG_DIR, CODEX_HOME, GEMINI_CLI_HOME, CONTINUE_GLOBAL_DIR,
// CLINE_DIR, GOOSE_PATH_ROOT). Agent history stores follow
// docs/agents.md, which cites the source of each path.
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
	codexHome := filepath.Join(home, ".codex")
	if d := getenv("CODEX_HOME"); d != "" {
		codexHome = d
	}
	// Codex: sessions/YYYY/MM/DD/rollout-*.jsonl[.zst], archived_sessions,
	// history.jsonl, the TS CLI's history.json, state_N.sqlite, logs, config
	// and AGENTS.md (auth.json is skipped as the agent's own login).
	add(codexHome)
	geminiDir := filepath.Join(home, ".gemini")
	if d := getenv("GEMINI_CLI_HOME"); d != "" {
		geminiDir = filepath.Join(d, ".gemini")
	}
	add(geminiDir, "settings.json")
	add(geminiDir, "GEMINI.md")
	add(geminiDir, "tmp") // chats, logs.json, checkpoints, tool-outputs, shell_history
	add(home, ".copilot", "mcp-config.json")
	add(home, ".copilot", "session-state")
	add(home, ".copilot", "history-session-state")
	add(home, ".copilot", "session-store.db")
	continueDir := filepath.Join(home, ".continue")
	if d := getenv("CONTINUE_GLOBAL_DIR"); d != "" {
		continueDir = d
	}
	add(continueDir, "sessions")
	add(continueDir, "dev_data")
	clineDir := filepath.Join(home, ".cline")
	if d := getenv("CLINE_DIR"); d != "" {
		clineDir = d
	}
	add(clineDir, "data", "tasks")
	add(clineDir, "data", "sessions")
	add(home, ".cursor", "chats")    // Cursor CLI store.db per conversation
	add(home, ".cursor", "projects") // Cursor CLI agent-transcripts/*.jsonl
	add(home, ".junie", "sessions")
	add(home, ".junie", "history.jsonl")
	add(home, ".codeium", "windsurf", "memories")
	add(home, ".aider.chat.history.md") // Aider run from the home directory
	add(home, ".aider.input.history")

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

	// Editors of the VS Code family: Copilot Chat sessions and per-workspace
	// state.vscdb (workspaceStorage), empty-window chats, the global
	// state.vscdb (Cursor composers), and Cline/Roo/Kilo task directories.
	for _, product := range []string{"Code", "Code - Insiders", "VSCodium", "Cursor", "Windsurf", "Kiro"} {
		editorHistory(add, filepath.Join(appSupport, product, "User"))
	}
	editorHistory(add, filepath.Join(home, ".vscode-server", "data", "User"))
	// Claude Desktop running Claude Code sessions.
	add(appSupport, "Claude", "local-agent-mode-sessions")
	add(appSupport, "Claude", "claude-code-sessions")

	// XDG data home: opencode (on every OS), Amp, and on Linux Goose, Zed
	// and Amazon Q.
	data := getenv("XDG_DATA_HOME")
	if data == "" {
		data = filepath.Join(home, ".local", "share")
	}
	add(data, "opencode", "opencode.db")
	add(data, "opencode", "storage")
	add(data, "amp", "threads")
	add(data, "amp", "history.jsonl")
	switch {
	case getenv("GOOSE_PATH_ROOT") != "":
		add(getenv("GOOSE_PATH_ROOT"), "data", "sessions")
	case goos == "windows":
		add(appSupport, "Block", "goose", "data", "sessions")
	default: // etcetera's app strategy is XDG on macOS too
		add(data, "goose", "sessions")
	}
	switch goos {
	case "darwin":
		add(appSupport, "Zed", "threads", "threads.db")
		add(appSupport, "amazon-q", "data.sqlite3")
		add(appSupport, "kiro-cli", "data.sqlite3")
	case "windows":
		local := getenv("LOCALAPPDATA")
		if local == "" {
			local = filepath.Join(home, "AppData", "Local")
		}
		add(local, "Zed", "threads", "threads.db")
	default:
		add(data, "zed", "threads", "threads.db")
		add(data, "amazon-q", "data.sqlite3")
		add(data, "kiro-cli", "data.sqlite3")
	}

	return dedupe(paths)
}

// editorHistory adds the agent stores of one VS Code-family user directory.
func editorHistory(add func(...string), user string) {
	add(user, "workspaceStorage")
	add(user, "globalStorage", "state.vscdb")
	add(user, "globalStorage", "emptyWindowChatSessions")
	add(user, "globalStorage", "saoudrizwan.claude-dev", "tasks")
	add(user, "globalStorage", "saoudrizwan.claude-dev", "state")
	add(user, "globalStorage", "rooveterinaryinc.roo-cline", "tasks")
	add(user, "globalStorage", "kilocode.kilo-code", "tasks")
	add(user, "globalStorage", "kiro.kiroagent")
}

// dedupe returns each path once, in order, as optional roots.
func dedupe(paths []string) []scanner.Root {
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
