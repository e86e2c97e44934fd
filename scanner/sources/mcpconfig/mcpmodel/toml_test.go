package mcpmodel

import (
	"math/rand"
	"strings"
	"testing"
)

// TestTOMLGenerated parses documents built at random (fixed seed) from
// every kind of TOML string and key, dotted keys, inline tables, arrays
// with comments and CRLF, and checks every position (checkConfig decodes
// each raw span independently, with go-toml's decoder).
func TestTOMLGenerated(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	texts := []string{"a", "é", "ghp_x", "a b", "☕", "1", `\"`, `\\`, `\u00e9`, `\t`, "'", "#", "=", "[", "]"}
	text := func() string { return texts[r.Intn(len(texts))] + texts[r.Intn(len(texts))] }
	str := func() string {
		w := text()
		switch r.Intn(5) {
		case 0: // literal: no escapes, no single quote
			return "'" + strings.NewReplacer(`\`, "", "'", "").Replace(w) + "'"
		case 1:
			return `"""` + "\n" + w + "\\\n   " + w + `"""`
		case 2:
			return "'''" + strings.ReplaceAll(w, "'", "") + "\n" + strings.ReplaceAll(w, "'", "") + "'''"
		default:
			return `"` + strings.NewReplacer("'", "'", `"`, "").Replace(w) + `"`
		}
	}
	key := func() string {
		switch r.Intn(3) {
		case 0:
			return "K" + string(rune('a'+r.Intn(26)))
		case 1:
			return `"k ` + strings.ReplaceAll(text(), `"`, "") + `"`
		default:
			return "'k " + strings.NewReplacer(`\`, "", "'", "").Replace(text()) + "'"
		}
	}
	parsed := 0
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		b.WriteString("# ünï\n[mcp_servers." + key() + "]\ncommand = " + str() + "\n")
		b.WriteString("args = [ # c\n  " + str() + ", # c\n  " + str() + ",\n]\n")
		b.WriteString("env = { " + key() + " = " + str() + ", " + key() + " = " + str() + " }\n")
		b.WriteString("http_headers." + key() + " = " + str() + "\n")
		doc := b.String()
		if r.Intn(3) == 0 {
			doc = strings.ReplaceAll(doc, "\n", "\r\n")
		}
		cfg, err := Parse("/home/a/.codex/config.toml", []byte(doc))
		if err != nil {
			continue
		}
		parsed++
		checkConfig(t, FormatTOML, []byte(doc), cfg)
		if len(cfg.Servers) != 1 || cfg.Servers[0].Command == nil || len(cfg.Servers[0].Args) != 2 {
			t.Fatalf("%q: %+v", doc, cfg.Servers)
		}
	}
	if parsed < 1000 {
		t.Errorf("only %d documents parsed", parsed)
	}
}
