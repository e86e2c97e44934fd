package locations

import (
	"path/filepath"
	"testing"
)

func TestDefaultPerOS(t *testing.T) {
	env := map[string]string{"APPDATA": filepath.Join("C:", "Users", "a", "AppData", "Roaming")}
	getenv := func(k string) string { return env[k] }
	want := map[string]string{
		"linux":   filepath.Join("/home/a", ".config", "Claude", "claude_desktop_config.json"),
		"darwin":  filepath.Join("/home/a", "Library", "Application Support", "Claude", "claude_desktop_config.json"),
		"windows": filepath.Join(env["APPDATA"], "Claude", "claude_desktop_config.json"),
	}
	for goos, desktop := range want {
		roots := Default("/home/a", goos, getenv)
		seen := map[string]bool{}
		for _, r := range roots {
			if !r.Optional {
				t.Errorf("%s: %s is not optional", goos, r.Path)
			}
			if seen[r.Path] {
				t.Errorf("%s: %s listed twice", goos, r.Path)
			}
			seen[r.Path] = true
		}
		for _, p := range []string{filepath.Join("/home/a", ".claude"), filepath.Join("/home/a", ".claude.json"), desktop} {
			if !seen[p] {
				t.Errorf("%s: %s missing", goos, p)
			}
		}
	}
	custom := Default("/home/a", "linux", func(k string) string {
		if k == "CLAUDE_CONFIG_DIR" {
			return "/srv/claude"
		}
		return ""
	})
	if custom[0].Path != "/srv/claude" {
		t.Errorf("CLAUDE_CONFIG_DIR ignored: %v", custom[0].Path)
	}
}

// TestAgentHistoryStores checks the agent history roots of docs/agents.md
// per OS, and the environment variables that move them.
func TestAgentHistoryStores(t *testing.T) {
	home := "/home/a"
	appData := filepath.Join("C:", "Users", "a", "AppData", "Roaming")
	local := filepath.Join("C:", "Users", "a", "AppData", "Local")
	getenv := func(k string) string {
		return map[string]string{"APPDATA": appData, "LOCALAPPDATA": local}[k]
	}
	mac := filepath.Join(home, "Library", "Application Support")
	data := filepath.Join(home, ".local", "share")
	want := map[string][]string{
		"linux": {
			filepath.Join(home, ".codex"),
			filepath.Join(home, ".gemini", "tmp"),
			filepath.Join(home, ".continue", "sessions"),
			filepath.Join(home, ".config", "Cursor", "User", "globalStorage", "state.vscdb"),
			filepath.Join(home, ".config", "Code", "User", "workspaceStorage"),
			filepath.Join(home, ".config", "Code", "User", "globalStorage", "saoudrizwan.claude-dev", "tasks"),
			filepath.Join(home, ".config", "Code", "User", "globalStorage", "rooveterinaryinc.roo-cline", "tasks"),
			filepath.Join(home, ".config", "Code", "User", "globalStorage", "kilocode.kilo-code", "tasks"),
			filepath.Join(home, ".vscode-server", "data", "User", "workspaceStorage"),
			filepath.Join(data, "opencode", "opencode.db"),
			filepath.Join(data, "goose", "sessions"),
			filepath.Join(data, "zed", "threads", "threads.db"),
			filepath.Join(data, "amazon-q", "data.sqlite3"),
			filepath.Join(data, "amp", "threads"),
			filepath.Join(home, ".junie", "sessions"),
		},
		"darwin": {
			filepath.Join(mac, "Cursor", "User", "workspaceStorage"),
			filepath.Join(mac, "Code", "User", "globalStorage", "emptyWindowChatSessions"),
			filepath.Join(mac, "Zed", "threads", "threads.db"),
			filepath.Join(mac, "amazon-q", "data.sqlite3"),
			filepath.Join(data, "goose", "sessions"), // XDG on macOS too
			filepath.Join(data, "opencode", "opencode.db"),
		},
		"windows": {
			filepath.Join(appData, "Cursor", "User", "globalStorage", "state.vscdb"),
			filepath.Join(appData, "Code", "User", "workspaceStorage"),
			filepath.Join(appData, "Block", "goose", "data", "sessions"),
			filepath.Join(local, "Zed", "threads", "threads.db"),
			filepath.Join(data, "opencode", "opencode.db"), // xdg-basedir: ~/.local/share everywhere
		},
	}
	for goos, paths := range want {
		seen := map[string]bool{}
		for _, r := range Default(home, goos, getenv) {
			seen[r.Path] = true
		}
		for _, p := range paths {
			if !seen[p] {
				t.Errorf("%s: %s missing", goos, p)
			}
		}
	}
	moved := Default(home, "linux", func(k string) string {
		return map[string]string{
			"CODEX_HOME": "/srv/codex", "GEMINI_CLI_HOME": "/srv/g", "CONTINUE_GLOBAL_DIR": "/srv/continue",
			"GOOSE_PATH_ROOT": "/srv/goose", "XDG_DATA_HOME": "/srv/data",
		}[k]
	})
	seen := map[string]bool{}
	for _, r := range moved {
		seen[r.Path] = true
	}
	for _, p := range []string{"/srv/codex", filepath.Join("/srv/g", ".gemini", "tmp"), filepath.Join("/srv/continue", "sessions"),
		filepath.Join("/srv/goose", "data", "sessions"), filepath.Join("/srv/data", "opencode", "opencode.db")} {
		if !seen[p] {
			t.Errorf("environment override: %s missing", p)
		}
	}
}
