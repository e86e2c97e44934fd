package mcpmodel

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSyntaxErrors(t *testing.T) {
	for _, c := range []struct {
		name, path, doc string
		line, col       int // hand-counted, columns in code points
		msg             string
	}{
		// hujson reports byte columns; é before the error is one column.
		{"json", "/home/a/.cursor/mcp.json", "{\n  \"mcpServers\": {\n    \"é\": [1 2]\n  }\n}", 3, 13, "after array value"},
		{"json unterminated", "/home/a/.mcp.json", "{\"mcpServers\": {\"a\": \"x", 1, 24, "unexpected EOF"},
		{"jsonc comment", "/home/a/.vscode/mcp.json", "{\n  /* never closed\n}", 2, 3, "comment"},
		{"yaml", "/home/a/.continue/config.yaml", "mcpServers:\n  - name: é\n    args: [a, b\n", 4, 1, "did not find expected ',' or ']'"},
		{"yaml tab", "/home/a/.config/goose/config.yaml", "extensions:\n\tgithub: {}\n", 2, 1, "cannot start any token"},
		{"toml", "/home/a/.codex/config.toml", "model = \"x\"\n[mcp_servers.é]\n", 2, 14, "invalid character"},
		{"toml string", "/home/a/.codex/config.toml", "[mcp_servers.a]\ncommand = \"x\ny\"\n", 2, 13, "new lines"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.path, []byte(c.doc))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v (%T)", err, err)
			}
			if se.Line != c.line || se.Column != c.col || !strings.Contains(se.Msg, c.msg) {
				t.Errorf("error at %d:%d %q, want %d:%d %q", se.Line, se.Column, se.Msg, c.line, c.col, c.msg)
			}
			if l, col := naivePos([]byte(c.doc), int(se.Offset)); l != se.Line || col != se.Column {
				t.Errorf("offset %d is at %d:%d", se.Offset, l, col)
			}
			if !strings.Contains(err.Error(), "line ") {
				t.Errorf("message %q has no line", err)
			}
		})
	}
}

// TestHostile checks inputs built to exhaust the stack, memory or time:
// each returns a *SyntaxError (or, for the long ones, a Config) quickly.
func TestHostile(t *testing.T) {
	deep := 1 << 20
	for _, c := range []struct{ name, path, doc string }{
		{"json arrays", "/home/a/.mcp.json", strings.Repeat("[", deep)},
		{"json objects", "/home/a/.mcp.json", strings.Repeat(`{"a":`, deep)},
		{"jsonc in comments is fine, in code is not", "/home/a/.vscode/mcp.json", "//" + strings.Repeat("[", 100) + "\n" + strings.Repeat("[", deep)},
		{"yaml flow", "/home/a/.continue/config.yaml", strings.Repeat("[", deep)},
		{"yaml block", "/home/a/.continue/config.yaml", strings.Repeat("- ", deep) + "x\n"},
		{"yaml alias cycle", "/home/a/.continue/config.yaml", "&a [*a]\n"},
		{"yaml laughs", "/home/a/.continue/config.yaml", laughs()},
		{"toml arrays", "/home/a/.codex/config.toml", "a = " + strings.Repeat("[", deep)},
		{"toml tables", "/home/a/.codex/config.toml", "a = " + strings.Repeat("{b = ", deep)},
		{"quadratic paths", "/home/a/.mcp.json", `{"mcpServers": {"a": {"x": ` + strings.Repeat(`{"`+strings.Repeat("k", 300)+`": `, 2000) +
			"[" + strings.Repeat("1,", 100000) + "1]" + strings.Repeat("}", 2000) + "}}}"},
		{"yaml long line", "/home/a/.continue/config.yaml", "mcpServers: [" + strings.Repeat("{name: é, command: é}, ", 20000) + "]\n"},
		{"json long line", "/home/a/.vscode/mcp.json", `{"servers": {` + strings.Repeat(`"é": {"command": "é", "env": {"é": "é"}}, `, 20000) + `}}`},
		{"toml many tables", "/home/a/.codex/config.toml", strings.Repeat("[mcp_servers.a.b]\ncommand = \"é\"\n", 40000)},
		{"utf-16 yaml", "/home/a/.continue/config.yaml", "\xff\xfem\x00c\x00p\x00"},
		{"utf-16 json", "/home/a/.mcp.json", "\xff\xfe{\x00}\x00"},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse(c.path, []byte(c.doc))
			var se *SyntaxError
			if !errors.As(err, &se) && !strings.Contains(c.name, "long") && !strings.Contains(c.name, "many") {
				t.Fatalf("err = %v (%T)", err, err)
			}
			// A hang guard, not a speed test: a quadratic parse of these
			// inputs takes minutes; the race detector on a busy machine
			// takes seconds.
			if d := time.Since(start); d > 45*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	// Exactly at the limit is accepted.
	doc := `{"mcpServers": {"a": {"command": "x", "deep": ` + strings.Repeat("[", maxDepth-3) + strings.Repeat("]", maxDepth-3) + `}}}`
	cfg, err := Parse("/home/a/.mcp.json", []byte(doc))
	if err != nil || len(cfg.Servers) != 1 {
		t.Fatalf("at the limit: %v", err)
	}
}

// laughs returns a YAML "billion laughs" document.
func laughs() string {
	var b strings.Builder
	b.WriteString("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		b.WriteString(n + ": &" + n + " [")
		for i := 0; i < 9; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = n
	}
	return b.String()
}

// TestNoServers: files that parse but hold no servers give an empty Config.
func TestNoServers(t *testing.T) {
	for _, c := range []struct{ path, doc string }{
		{"/home/a/.mcp.json", ""},
		{"/home/a/.mcp.json", "  \n\t\r\n"},
		{"/home/a/.mcp.json", "\ufeff"},
		{"/home/a/.mcp.json", "[]"},
		{"/home/a/.mcp.json", `"mcpServers"`},
		{"/home/a/.mcp.json", `{"mcpServers": []}`},
		{"/home/a/.mcp.json", `{"mcpServers": {"a": "npx", "b": null, "c": [1]}}`},
		{"/home/a/.claude.json", `{"projects": {"/p": null, "/q": {"mcpServers": null}}}`},
		{"/home/a/.vscode/mcp.json", "// nothing yet\n{\n}\n"},
		{"/home/a/.continue/config.yaml", ""},
		{"/home/a/.continue/config.yaml", "# only a comment\n"},
		{"/home/a/.continue/config.yaml", "---\n...\n"},
		{"/home/a/.continue/config.yaml", "name: x\nmcpServers: ~\n"},
		{"/home/a/.config/goose/config.yaml", "extensions: [a, b]\n"},
		{"/home/a/.codex/config.toml", ""},
		{"/home/a/.codex/config.toml", "# comment\nmodel = \"x\"\n"},
		{"/home/a/.codex/config.toml", "mcp_servers = 3\n"},
	} {
		cfg, err := Parse(c.path, []byte(c.doc))
		if err != nil {
			t.Errorf("%s %q: %v", c.path, c.doc, err)
			continue
		}
		if len(cfg.Servers) != 0 || cfg.Client == "" || cfg.Format == "" {
			t.Errorf("%s %q: %+v", c.path, c.doc, cfg)
		}
	}
}

// TestDuplicates: JSON keeps every duplicate in file order, the client's
// choice (the last) in the typed field and the others in Other.
func TestDuplicates(t *testing.T) {
	doc := `{"mcpServers": {"a": {"command": "old", "command": "new", "env": {"K": "1", "K": "2"}}, "a": {"url": "https://x"}}}`
	cfg, err := Parse("/home/a/.mcp.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Servers) != 2 {
		t.Fatalf("%d servers", len(cfg.Servers))
	}
	if got := summary(cfg.Servers[0]); got != "a|project||stdio|new||K=1;K=2|||command=old" {
		t.Errorf("got %s", got)
	}
	checkConfig(t, FormatJSON, []byte(doc), cfg)

	// TOML: what Codex would reject as defined twice is kept the same way.
	doc = "[mcp_servers.a]\ncommand = \"old\"\ncommand = \"new\"\n[mcp_servers.a.env]\nK = \"1\"\n[mcp_servers.a]\nurl = \"u\"\nx = 1\n[mcp_servers.a.x]\ny = \"2\"\n"
	cfg, err = Parse("/home/a/.codex/config.toml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Servers) != 1 {
		t.Fatalf("%d servers", len(cfg.Servers))
	}
	if got := summary(cfg.Servers[0]); got != "a|user||stdio|new||K=1||u|command=old;x=1;x.y=2" {
		t.Errorf("got %s", got)
	}
	checkConfig(t, FormatTOML, []byte(doc), cfg)
}

// TestShapes covers the entry shapes the fixtures do not.
func TestShapes(t *testing.T) {
	for _, c := range []struct{ path, doc, want string }{
		// A command array in any client: program, then arguments before "args".
		{"/home/a/.mcp.json", `{"mcpServers": {"a": {"args": ["--b"], "command": ["uvx", "--a"]}}}`, "a|project||stdio|uvx|--a,--b||||"},
		// Zed's older shape with extra fields, and the newer one with a declared remote.
		{"/home/a/.config/zed/settings.json", `{"context_servers": {"z": {"command": {"path": "p", "args": ["x"], "env": {"E": "1"}, "note": "n"}}}}`, "z|user||stdio|p|x|E=1|||command.note=n"},
		// Gemini: httpUrl wins over url; url alone is SSE; a declared type wins.
		{"/home/a/.gemini/settings.json", `{"mcpServers": {"g": {"url": "https://u", "httpUrl": "https://h"}}}`, "g|user||http|||||https://h|url=https://u"},
		{"/home/a/.gemini/settings.json", `{"mcpServers": {"g": {"url": "https://u", "type": "http"}}}`, "g|user||http|||||https://u|type=http"},
		// Continue's legacy config.json.
		{"/home/a/.continue/config.json", `{"experimental": {"modelContextProtocolServers": [{"transport": {"type": "stdio", "command": "uvx", "args": ["mcp-server-sqlite"], "env": {"K": "v"}}}]}}`, "|user||stdio|uvx|mcp-server-sqlite|K=v|||transport.type=stdio"},
		// Continue: a list at the top of a block file.
		{"/home/a/x/.continue/mcpServers/l.yaml", "- name: one\n  command: a\n- name: two\n  url: https://t\n", "one|project||stdio|a|||||\ntwo|project||http|||||https://t|"},
		// YAML merge keys.
		{"/home/a/.continue/config.yaml", "base: &b {command: npx, env: {A: '1'}}\nmcpServers:\n  - <<: *b\n    name: m\n    args: [x]\n", "m|user||stdio|npx|x|A=1|||"},
		// VS Code settings with the flat "mcp.servers" key.
		{"/home/a/.config/Code/User/settings.json", `{"mcp.servers": {"f": {"command": "c"}}}`, "f|user||stdio|c|||||"},
		// Non-scalar values where scalars belong go to Other.
		{"/home/a/.mcp.json", `{"mcpServers": {"a": {"command": "c", "env": {"E": {"x": "y"}}, "headers": ["h"], "url": {"u": "v"}}}}`, "a|project||stdio|c|||||env.E.x=y;headers[0]=h;url.u=v"},
	} {
		cfg, err := Parse(c.path, []byte(c.doc))
		if err != nil {
			t.Errorf("%s: %v", c.doc, err)
			continue
		}
		_, format, _ := Detect(c.path)
		checkConfig(t, format, []byte(c.doc), cfg)
		var got []string
		for _, s := range cfg.Servers {
			got = append(got, summary(s))
		}
		if strings.Join(got, "\n") != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.doc, strings.Join(got, "\n"), c.want)
		}
	}
}

func BenchmarkLimit(b *testing.B) {
	doc := []byte(`{"mcpServers": {"a": {"command": "x", "deep": ` + strings.Repeat("[", maxDepth-3) + strings.Repeat("]", maxDepth-3) + `}}}`)
	for b.Loop() {
		Parse("/home/a/.mcp.json", doc)
	}
}
