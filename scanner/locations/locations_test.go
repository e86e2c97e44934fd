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
