package mcpmodel

import (
	"strings"
	"testing"
)

// at is an expected position: the raw text and its hand-counted line and
// columns (code points, end exclusive).
type at struct {
	raw                        string
	line, col, endLine, endCol int
}

func assertPos(t *testing.T, data []byte, what string, p Pos, want at) {
	t.Helper()
	if p.Offset < 0 || p.EndOffset > int64(len(data)) || p.Offset > p.EndOffset {
		t.Fatalf("%s: bad span %+v", what, p)
	}
	if got := string(data[p.Offset:p.EndOffset]); got != want.raw {
		t.Errorf("%s: file[Offset:EndOffset] = %q, want %q", what, got, want.raw)
	}
	if p.Line != want.line || p.Column != want.col || p.EndLine != want.endLine || p.EndColumn != want.endCol {
		t.Errorf("%s: at %d:%d-%d:%d, want %d:%d-%d:%d", what, p.Line, p.Column, p.EndLine, p.EndColumn,
			want.line, want.col, want.endLine, want.endCol)
	}
}

func parseOne(t *testing.T, path, doc string) (*Config, []byte) {
	t.Helper()
	data := []byte(doc)
	cfg, err := Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	_, format, _ := Detect(path)
	checkConfig(t, format, data, cfg)
	if len(cfg.Servers) == 0 {
		t.Fatal("no servers")
	}
	return cfg, data
}

func TestPositionsJSONC(t *testing.T) {
	doc := strings.Join([]string{
		`{`,
		`  // ünï — a comment; trailing commas follow`,
		`  "mcpServers": {`,
		`    "café": {"command": "npx", "env": {"TOKEN": "a\"b\u00e9c", "K\u00e9Y": "ü→x"},},`,
		`  },`,
		`}`,
	}, "\n")
	cfg, data := parseOne(t, "/home/u/.vscode/mcp.json", strings.Replace(doc, `"mcpServers"`, `"servers"`, 1))
	s := cfg.Servers[0]
	if s.Name != "café" || s.Env[0].Value.Text != "a\"béc" || s.Env[1].Key != "KéY" || s.Env[1].Value.Text != "ü→x" {
		t.Fatalf("decoded %q %q %q %q", s.Name, s.Env[0].Value.Text, s.Env[1].Key, s.Env[1].Value.Text)
	}
	assertPos(t, data, "name", s.NamePos, at{"café", 4, 6, 4, 10})
	assertPos(t, data, "command", s.Command.Pos, at{"npx", 4, 26, 4, 29})
	assertPos(t, data, "env key", s.Env[0].KeyPos, at{"TOKEN", 4, 41, 4, 46})
	assertPos(t, data, "env value", s.Env[0].Value.Pos, at{`a\"b\u00e9c`, 4, 50, 4, 61})
	assertPos(t, data, "escaped key", s.Env[1].KeyPos, at{`K\u00e9Y`, 4, 65, 4, 73})
	assertPos(t, data, "value after it", s.Env[1].Value.Pos, at{"ü→x", 4, 77, 4, 80})
	if p := s.Env[1].Value.Path; p != `servers["café"].env["KéY"]` {
		t.Errorf("path %s", p)
	}

	// The same with a byte-order mark and CRLF line ends: offsets move by
	// the mark's 3 bytes, line 1 gains one column, the others none.
	crlf := "\ufeff" + strings.ReplaceAll(doc, "\n", "\r\n")
	cfg, data = parseOne(t, "/home/u/.cursor/mcp.json", crlf)
	s = cfg.Servers[0]
	assertPos(t, data, "CRLF env value", s.Env[0].Value.Pos, at{`a\"b\u00e9c`, 4, 50, 4, 61})
	if want := int64(strings.Index(crlf, `a\"b`)); s.Env[0].Value.Pos.Offset != want {
		t.Errorf("CRLF offset %d, want %d", s.Env[0].Value.Pos.Offset, want)
	}
}

func TestPositionsYAML(t *testing.T) {
	doc := strings.Join([]string{
		`# ünï comment`,                       // 1
		`mcpServers:`,                         // 2
		`  - name: "caf\u00e9 ☕"`,             // 3
		`    command: !!str plain value here`, // 4
		`    args: ['it''s', "q\"x", plain]`,  // 5
		`    env:`,                            // 6
		`      TOKEN: &tok "ghp_x"`,           // 7
		`      LONG: >-`,                      // 8
		`        folded`,                      // 9
		`        text`,                        // 10
		`      LIT: |`,                        // 11
		`        line one`,                    // 12
		`          indented`,                  // 13
		`      MULTI: first`,                  // 14
		`        second`,                      // 15
		`    url: https://example.com/ü`,      // 16
		`    cwd: *tok`,                       // 17
		``,
	}, "\n")
	cfg, data := parseOne(t, "/home/u/.continue/config.yaml", doc)
	s := cfg.Servers[0]
	assertPos(t, data, "name", s.NamePos, at{`caf\u00e9 ☕`, 3, 12, 3, 23})
	if s.Name != "café ☕" {
		t.Errorf("name %q", s.Name)
	}
	assertPos(t, data, "tagged plain", s.Command.Pos, at{"plain value here", 4, 20, 4, 36})
	assertPos(t, data, "single quoted", s.Args[0].Pos, at{"it''s", 5, 13, 5, 18})
	assertPos(t, data, "double quoted", s.Args[1].Pos, at{`q\"x`, 5, 22, 5, 26})
	assertPos(t, data, "flow plain", s.Args[2].Pos, at{"plain", 5, 29, 5, 34})
	if s.Args[0].Text != "it's" || s.Args[1].Text != `q"x` {
		t.Errorf("args %q %q", s.Args[0].Text, s.Args[1].Text)
	}
	env := map[string]KV{}
	for _, kv := range s.Env {
		env[kv.Key] = kv
	}
	assertPos(t, data, "key", env["TOKEN"].KeyPos, at{"TOKEN", 7, 7, 7, 12})
	assertPos(t, data, "anchored", env["TOKEN"].Value.Pos, at{"ghp_x", 7, 20, 7, 25})
	assertPos(t, data, "folded", env["LONG"].Value.Pos, at{"folded\n        text", 9, 9, 10, 13})
	assertPos(t, data, "literal", env["LIT"].Value.Pos, at{"line one\n          indented", 12, 9, 13, 19})
	assertPos(t, data, "multi-line plain", env["MULTI"].Value.Pos, at{"first\n        second", 14, 14, 15, 15})
	if env["LONG"].Value.Text != "folded text" || env["LIT"].Value.Text != "line one\n  indented\n" || env["MULTI"].Value.Text != "first second" {
		t.Errorf("decoded %q %q %q", env["LONG"].Value.Text, env["LIT"].Value.Text, env["MULTI"].Value.Text)
	}
	assertPos(t, data, "url", s.URL.Pos, at{"https://example.com/ü", 16, 10, 16, 31})
	// An alias is located at its anchor's text.
	if len(s.Other) != 1 || s.Other[0].Key != "cwd" || s.Other[0].Value.Path != "mcpServers[0].cwd" {
		t.Fatalf("other %+v", s.Other)
	}
	assertPos(t, data, "alias", s.Other[0].Value.Pos, at{"ghp_x", 7, 20, 7, 25})
	assertPos(t, data, "alias key", s.Other[0].KeyPos, at{"cwd", 17, 5, 17, 8})
}

func TestPositionsTOML(t *testing.T) {
	doc := strings.Join([]string{
		`# ünï`,                                   // 1
		`[mcp_servers."café ☕"]`,                  // 2
		`command = 'C:\bin\x.exe'`,                // 3
		`args = ["a\"b", "\u00e9t\u00e9", '''raw`, // 4
		`lit''']`, // 5
		`env = { "K\u00e9Y" = "v1", PLAIN = "v2" }   # trailing comment`, // 6
		``,                                    // 7
		`[mcp_servers."café ☕".http_headers]`, // 8
		`Authorization = """Bearer \`,         // 9
		`    tok"""`,                          // 10
		``,
	}, "\n")
	cfg, data := parseOne(t, "/home/u/.codex/config.toml", doc)
	s := cfg.Servers[0]
	assertPos(t, data, "name", s.NamePos, at{"café ☕", 2, 15, 2, 21})
	assertPos(t, data, "literal string", s.Command.Pos, at{`C:\bin\x.exe`, 3, 12, 3, 24})
	assertPos(t, data, "escaped quote", s.Args[0].Pos, at{`a\"b`, 4, 10, 4, 14})
	assertPos(t, data, "unicode escapes", s.Args[1].Pos, at{`\u00e9t\u00e9`, 4, 18, 4, 31})
	assertPos(t, data, "multi-line literal", s.Args[2].Pos, at{"raw\nlit", 4, 37, 5, 4})
	if s.Command.Text != `C:\bin\x.exe` || s.Args[0].Text != `a"b` || s.Args[1].Text != "été" || s.Args[2].Text != "raw\nlit" {
		t.Errorf("decoded %q %q %q %q", s.Command.Text, s.Args[0].Text, s.Args[1].Text, s.Args[2].Text)
	}
	assertPos(t, data, "quoted key", s.Env[0].KeyPos, at{`K\u00e9Y`, 6, 10, 6, 18})
	assertPos(t, data, "value", s.Env[0].Value.Pos, at{"v1", 6, 23, 6, 25})
	assertPos(t, data, "bare key", s.Env[1].KeyPos, at{"PLAIN", 6, 28, 6, 33})
	assertPos(t, data, "value 2", s.Env[1].Value.Pos, at{"v2", 6, 37, 6, 39})
	if s.Env[0].Key != "KéY" || s.Env[0].Value.Path != `mcp_servers["café ☕"].env["KéY"]` {
		t.Errorf("env %q %s", s.Env[0].Key, s.Env[0].Value.Path)
	}
	h := s.Headers[0]
	assertPos(t, data, "multi-line basic", h.Value.Pos, at{"Bearer \\\n    tok", 9, 20, 10, 8})
	assertPos(t, data, "header key", h.KeyPos, at{"Authorization", 9, 1, 9, 14})
	if h.Value.Text != "Bearer tok" || h.Value.Path != `mcp_servers["café ☕"].http_headers.Authorization` {
		t.Errorf("header %q %s", h.Value.Text, h.Value.Path)
	}
}

// TestPaths checks the paths of values in the fixtures.
func TestPaths(t *testing.T) {
	want := map[string][]string{
		"claude-code-user.claude.json": {
			"mcpServers.github.env.GITHUB_PERSONAL_ACCESS_TOKEN",
			`projects["/home/alice/code/webapp"].mcpServers.postgres.args[2]`,
			`projects["/home/alice/code/café \"β\""].mcpServers.linear.url`,
		},
		"codex-config.toml": {
			"mcp_servers.db.env.PGPASSWORD", "mcp_servers.linear.http_headers.Authorization",
			`mcp_servers.figma.env_http_headers["X-Api-Key"]`, "mcp_servers.docs.args[1]",
		},
		"continue-config.yaml": {
			"mcpServers[1].requestOptions.headers.Authorization", "mcpServers[0].args[2]",
			"mcpServers[2].with.GITHUB_PERSONAL_ACCESS_TOKEN",
		},
		"continue-single-postgres.yaml": {"env.PGPASSWORD", "args[5]"},
		"zed-settings.json": {
			`context_servers["postgres-context-server"].command.path`,
			`context_servers["postgres-context-server"].command.env.DATABASE_URL`,
			"context_servers.github.env.GITHUB_PERSONAL_ACCESS_TOKEN",
			`context_servers["mcp-server-github"].settings.github_personal_access_token`,
		},
		"opencode.jsonc": {
			`mcp["my-local-mcp-server"].command[0]`, `mcp["my-local-mcp-server"].command[2]`,
			`mcp["my-local-mcp-server"].environment.API_KEY`,
		},
		"goose-config.yaml":         {"extensions.github.envs.GITHUB_PERSONAL_ACCESS_TOKEN", "extensions.github.env_keys[0]", "extensions.github.cmd"},
		"vscode-user-settings.json": {"mcp.servers.memory.env.MEMORY_FILE_PATH"},
		"gemini-settings.json":      {"mcpServers.sseServer.oauth.clientSecret", "mcpServers.httpServer.httpUrl"},
		"windsurf-mcp_config.json":  {"mcpServers.figma.serverUrl"},
	}
	for _, f := range fixtures {
		paths := want[f.file]
		if paths == nil {
			continue
		}
		cfg, err := Parse(f.path, readFixture(t, f.file))
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, s := range cfg.Servers {
			for _, v := range allValues(s) {
				have[v.Path] = true
			}
		}
		for _, p := range paths {
			if !have[p] {
				t.Errorf("%s: no value at %s", f.file, p)
			}
		}
	}
}

// allValues returns every value of s.
func allValues(s Server) []Value {
	var vs []Value
	if s.Command != nil {
		vs = append(vs, *s.Command)
	}
	if s.URL != nil {
		vs = append(vs, *s.URL)
	}
	vs = append(vs, s.Args...)
	for _, l := range [][]KV{s.Env, s.Headers, s.Other} {
		for _, kv := range l {
			vs = append(vs, kv.Value)
		}
	}
	return vs
}

func TestVSCodeInputs(t *testing.T) {
	cfg, err := Parse("/home/alice/code/webapp/.vscode/mcp.json", readFixture(t, "vscode-workspace-mcp.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Inputs) != 2 {
		t.Fatalf("%d inputs", len(cfg.Inputs))
	}
	in := cfg.Inputs[0]
	if in.ID.Text != "perplexity-key" || !in.Password || in.ID.Path != "inputs[0].id" || in.ID.Pos.Line != 6 {
		t.Errorf("input 0: %+v", in)
	}
	in = cfg.Inputs[1]
	var def string
	for _, f := range in.Fields {
		if f.Key == "default" {
			def = f.Value.Text
		}
	}
	if in.ID.Text != "db-url" || in.Password || def != "postgres://localhost/dev" {
		t.Errorf("input 1: %+v", in)
	}
}
