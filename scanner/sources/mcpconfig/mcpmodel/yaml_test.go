package mcpmodel

import (
	"math/rand"
	"strings"
	"testing"
)

// yamlTricky are YAML values, written after `command: ` in a Continue
// entry, that test locating: properties before the value (also on earlier
// lines, with comments), flow collections, block scalars with indicators,
// quoted scalars over several lines, plain scalars with '#' and ':', and
// empty values.
var yamlTricky = []string{
	"&a\n      value",
	"!!str\n      value",
	"&a !t # comment\n      \"quoted\"",
	"[&a x, !t y, *a]",
	"{&a k: v}",
	"!<tag:yaml.org,2002:str> v",
	"|2\n        x\n      y\n",
	">\n      a\n\n      b\n      \n       c\n",
	"\"a\\\n      b\"",
	"'a\n\n      b'",
	"a#b", "a:b", "x # comment", "a\tb",
	"-1", "0x1F", ".inf", "2001-12-14t21:59:43.10-05:00",
	"!!str", "!!str # c", "''", "\"\"", "|\n", ">-\n      \n", "|+\n      a\n\n",
	"    \n      after a blank line",
	"[a, [b, {c: d}], 'e']",
	"{? k : v, ? : w}",
	"! nonspecific",
	"!local 'q'",
	"\"a\u0085b\u2028c\"",
}

func yamlTrickyDoc(v string, crlf bool) string {
	doc := "mcpServers:\n  - name: n\n    command: " + v + "\n    args: [z]\n"
	if crlf {
		doc = strings.ReplaceAll(doc, "\n", "\r\n")
	}
	return doc
}

// TestYAMLTricky: every value is located, and its raw text decodes to it,
// with LF and with CRLF line ends.
func TestYAMLTricky(t *testing.T) {
	for _, v := range yamlTricky {
		for _, crlf := range []bool{false, true} {
			doc := yamlTrickyDoc(v, crlf)
			cfg, err := Parse("/home/a/.continue/config.yaml", []byte(doc))
			if err != nil {
				t.Errorf("%q (crlf %v): %v", v, crlf, err)
				continue
			}
			checkConfig(t, FormatYAML, []byte(doc), cfg)
			if len(cfg.Servers) != 1 || len(cfg.Servers[0].Args) == 0 || cfg.Servers[0].Args[len(cfg.Servers[0].Args)-1].Text != "z" {
				t.Errorf("%q (crlf %v): %+v", v, crlf, cfg.Servers)
			}
		}
	}
	for _, c := range []struct {
		v, path string
		want    at
	}{
		{"&a\n      value", "mcpServers[0].command", at{"value", 4, 7, 4, 12}},
		{"&a !t # comment\n      \"quoted\"", "mcpServers[0].command", at{"quoted", 4, 8, 4, 14}},
		{"[&a x, !t y, *a]", "mcpServers[0].command[2]", at{"x", 3, 18, 3, 19}},
		{"!<tag:yaml.org,2002:str> v", "mcpServers[0].command", at{"v", 3, 39, 3, 40}},
		{"!!str # c", "mcpServers[0].command", at{"", 3, 19, 3, 19}},
		{"\"a\\\n      b\"", "mcpServers[0].command", at{"a\\\n      b", 3, 15, 4, 8}},
		{">\n      a\n\n      b\n      \n       c\n", "mcpServers[0].command", at{"a\n\n      b\n      \n       c", 4, 7, 8, 9}},
	} {
		doc := yamlTrickyDoc(c.v, false)
		cfg, err := Parse("/home/a/.continue/config.yaml", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, v := range allValues(cfg.Servers[0]) {
			if v.Path == c.path {
				assertPos(t, []byte(doc), c.v, v.Pos, c.want)
				found = true
			}
		}
		if !found {
			t.Errorf("%q: no value at %s", c.v, c.path)
		}
	}
}

// TestYAMLGenerated parses documents built at random (fixed seed) from
// tricky pieces: properties, quoting and block styles, flow collections,
// aliases, characters YAML treats specially, CRLF. Every document the
// library accepts must be located exactly (checked by checkConfig's
// independent decoding of each raw span).
func TestYAMLGenerated(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	words := []string{"a", "é", "ghp_x", "a b", "a:b", "a#b", "-x", "x-", "☕", // common
		"\t", "1", "true", "~", "null", "a'b", "a\"b", "\\", "%", "@x", "`x", "|", ">", "?", "*", "&", "!",
		",", "[", "]", "{", "}", "# c", "\u2028", "\u0085"}
	props := []string{"", "", "", "&a ", "!!str ", "!t ", "&b !!str ", "!<x> ", "&c\n      ", "!t # c\n      "}
	pick := func() string {
		if r.Intn(4) > 0 {
			return words[r.Intn(9)]
		}
		return words[r.Intn(len(words))]
	}
	scalar := func() string {
		w := pick() + pick()
		switch r.Intn(7) {
		case 0:
			return "'" + strings.ReplaceAll(w, "'", "''") + "'"
		case 1:
			return `"` + strings.ReplaceAll(strings.ReplaceAll(w, `\`, `\\`), `"`, `\"`) + `"`
		case 2:
			return "|\n        " + w + "\n        " + w + "\n"
		case 3:
			return ">-\n        " + w + "\n\n        " + w + "\n"
		case 4:
			return w + "\n      " + w
		default:
			return w
		}
	}
	parsed := 0
	for i := 0; i < 4000; i++ {
		var b strings.Builder
		b.WriteString("mcpServers:\n  - name: n\n")
		for j := 0; j < 3; j++ {
			b.WriteString("    k" + string(rune('a'+j)) + ": " + props[r.Intn(len(props))] + scalar() + "\n")
		}
		if r.Intn(2) == 0 {
			b.WriteString("    args: [" + props[r.Intn(len(props))] + scalar() + ", *a]\n")
		} else {
			b.WriteString("    env: {K: " + props[r.Intn(len(props))] + scalar() + ", " + scalar() + ": v}\n")
		}
		doc := b.String()
		if r.Intn(3) == 0 {
			doc = strings.ReplaceAll(doc, "\n", "\r\n")
		}
		cfg, err := Parse("/home/a/.continue/config.yaml", []byte(doc))
		if err != nil {
			if strings.Contains(err.Error(), "cannot locate") {
				t.Fatalf("%q: %v", doc, err)
			}
			continue
		}
		parsed++
		checkConfig(t, FormatYAML, []byte(doc), cfg)
	}
	if parsed < 500 {
		t.Errorf("only %d documents parsed", parsed)
	}
}
