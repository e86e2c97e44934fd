package mcpmodel

import (
	"errors"
	"testing"
)

// Fuzz targets, one per format, seeded with the fixtures of that format
// and the documents of the position tests. Each checks that Parse never
// panics (nor hits its recover), that errors are *SyntaxError with a
// position consistent with its offset, and that every position of a parsed
// Config is in range, has the line and column its offset has, and that
// its raw text decodes to the value's Text. Plain `go test` runs only the
// seeds; run one with e.g.
//
//	go test -run '^$' -fuzz FuzzParseYAML -fuzztime 30s ./scanner/sources/mcpconfig/mcpmodel/

func FuzzParseJSON(f *testing.F) {
	fuzzFormat(f, []string{
		"/home/a/.claude.json", "/home/a/x/.mcp.json", "/home/a/x/.vscode/mcp.json",
		"/home/a/.config/Code/User/settings.json", "/home/a/.config/zed/settings.json",
		"/home/a/.config/opencode/opencode.jsonc", "/home/a/.gemini/settings.json",
		"/home/a/.codeium/windsurf/mcp_config.json", "/home/a/.continue/config.json",
	}, FormatJSON, FormatJSONC)
}

func FuzzParseYAML(f *testing.F) {
	fuzzFormat(f, []string{
		"/home/a/.continue/config.yaml", "/home/a/x/.continue/mcpServers/s.yaml",
		"/home/a/.config/goose/config.yaml",
	}, FormatYAML)
}

func FuzzParseTOML(f *testing.F) {
	fuzzFormat(f, []string{"/home/a/.codex/config.toml"}, FormatTOML)
}

func fuzzFormat(f *testing.F, paths []string, formats ...string) {
	isFormat := func(fm string) bool {
		for _, x := range formats {
			if x == fm {
				return true
			}
		}
		return false
	}
	for _, fx := range fixtures {
		if !isFormat(fx.format) {
			continue
		}
		for i, p := range paths {
			if c, _, _ := Detect(p); c == fx.client {
				f.Add(uint8(i), readFixture(f, fx.file))
			}
		}
		f.Add(uint8(0), readFixture(f, fx.file))
	}
	seeds := seedDocs[formats[0]]
	if formats[0] == FormatYAML {
		for _, v := range yamlTricky {
			seeds = append(seeds, yamlTrickyDoc(v, false))
		}
	}
	for _, s := range seeds {
		for i := range paths {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		p := paths[int(which)%len(paths)]
		_, format, _ := Detect(p)
		cfg, err := Parse(p, data)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T) is not a *SyntaxError", err, err)
			}
			if se.Line > 0 {
				if se.Offset < 0 || se.Offset > int64(len(data)) {
					t.Fatalf("error offset %d out of range", se.Offset)
				}
				if l, c := naivePos(data, int(se.Offset)); l != se.Line || c != se.Column {
					t.Fatalf("error at %d:%d, offset %d is at %d:%d", se.Line, se.Column, se.Offset, l, c)
				}
			}
			return
		}
		checkConfig(t, format, data, cfg)
	})
}

// seedDocs are extra seeds: small documents with what positions get wrong
// most easily.
var seedDocs = map[string][]string{
	FormatJSON: {
		"\ufeff{\"mcpServers\": {\"a\": {\"command\": \"x\\u00e9\\\"\", \"env\": {\"K\": \"v\",},},},}",
		"{\r\n  /* c */ \"servers\": {\"é\": {\"url\": \"https://\\/x\", \"headers\": {\"A\": 1e3}}}, // t\r\n}",
		`{"projects": {"/p \"q\"": {"mcpServers": {"x": {"command": ["a", "b"], "args": [true, null, 2]}}}}}`,
		`{"context_servers": {"z": {"command": {"path": "p", "args": ["\ud83d\ude00", "\ud800"]}}}, "mcp": {"o": {"command": ["c"], "environment": {"E": "{env:E}"}}}}`,
	},
	FormatYAML: {
		"mcpServers:\n  - name: \"caf\\u00e9\"\n    command: !!str x\n    args: ['it''s', \"q\\\"x\", plain]\n    env:\n      L: |\n        lit\n",
		"extensions:\n  g:\n    cmd: &c npx\n    envs: {A: *c}\n    description: >-\n      folded\n      more\n    args:\n    - first\n      second\n",
		"\ufeffname: x\r\ncommand: y\r\nenv:\r\n  K: 'v'\r\n",
		"base: &b {command: npx}\nmcpServers:\n  - <<: *b\n    name: m # c\n    url: https://ü\n    cwd: \"a\u0085b\u2028c\"\n",
		"- name: a\n  command: !t &x\n    # c\n    value\n- {name: b, url: \"u\\\n  v\"}\n",
	},
	FormatTOML: {
		"[mcp_servers.\"café\"]\ncommand = 'C:\\x'\nargs = [\"a\\\"b\", '''m\nl''', \"\"\"\nb\\\n  c\"\"\"]\nenv = { \"K\\u00e9\" = \"v\" }\n",
		"\ufeffmcp_servers.a.command = \"x\"\r\nmcp_servers.a.env.K = 1_000\r\n[mcp_servers.b.http_headers]\r\nA = 2024-01-01T00:00:00Z\r\n",
		"[[mcp_servers.a.t]]\nx = \"y\"\n[mcp_servers.a]\nurl = \"u\"\n",
	},
}
