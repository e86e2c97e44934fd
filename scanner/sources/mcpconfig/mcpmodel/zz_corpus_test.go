package mcpmodel

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestZZCorpus(t *testing.T) {
	dir := os.Getenv("ZZDIR")
	if dir == "" {
		t.Skip()
	}
	paths := map[string][]string{
		"FuzzParseYAML": {"/home/a/.continue/config.yaml", "/home/a/x/.continue/mcpServers/s.yaml", "/home/a/.config/goose/config.yaml"},
		"FuzzParseTOML": {"/home/a/.codex/config.toml"},
		"FuzzParseJSON": {"/home/a/.claude.json", "/home/a/x/.mcp.json", "/home/a/x/.vscode/mcp.json",
			"/home/a/.config/Code/User/settings.json", "/home/a/.config/zed/settings.json",
			"/home/a/.config/opencode/opencode.jsonc", "/home/a/.gemini/settings.json",
			"/home/a/.codeium/windsurf/mcp_config.json", "/home/a/.continue/config.json"},
	}[filepath.Base(dir)]
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(dir, f.Name()))
		lines := strings.Split(string(b), "\n")
		w := strings.TrimSuffix(strings.TrimPrefix(lines[1], "byte("), ")")
		var which int
		if strings.HasPrefix(w, "'") {
			u, _ := strconv.Unquote(w)
			which = int(u[0])
		} else {
			which, _ = strconv.Atoi(w)
		}
		ds := strings.TrimSuffix(strings.TrimPrefix(lines[2], "[]byte("), ")")
		data, err := strconv.Unquote(ds)
		if err != nil {
			t.Fatal(f.Name(), err)
		}
		start := time.Now()
		_, perr := Parse(paths[which%len(paths)], []byte(data))
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Logf("%s: %v len=%d err=%v %q", f.Name(), d, len(data), perr, data[:min(len(data), 200)])
		}
	}
}
