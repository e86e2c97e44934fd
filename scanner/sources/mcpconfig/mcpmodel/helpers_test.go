package mcpmodel

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v4"
)

// naivePos counts the line and column of off the slow, obvious way.
func naivePos(data []byte, off int) (line, col int) {
	line, col = 1, 1
	for i := 0; i < off; {
		if data[i] == '\n' {
			line, col = line+1, 1
			i++
			continue
		}
		_, w := utf8.DecodeRune(data[i:off])
		i += w
		col++
	}
	return line, col
}

// checkPos checks that p is a sane span of data with the line and column
// its offsets have, and returns the raw text.
func checkPos(data []byte, p Pos) (string, error) {
	if p.Offset < 0 || p.Offset > p.EndOffset || p.EndOffset > int64(len(data)) {
		return "", fmt.Errorf("span %d..%d out of 0..%d", p.Offset, p.EndOffset, len(data))
	}
	l, c := naivePos(data, int(p.Offset))
	el, ec := naivePos(data, int(p.EndOffset))
	if l != p.Line || c != p.Column || el != p.EndLine || ec != p.EndColumn {
		return "", fmt.Errorf("pos %+v, counted %d:%d-%d:%d", p, l, c, el, ec)
	}
	return string(data[p.Offset:p.EndOffset]), nil
}

// decodeRaw decodes raw text found at offset off the way the format would,
// independently of the code under test; ok=false when it cannot tell
// (YAML block scalars and multi-line plain scalars).
func decodeRaw(format string, data []byte, off int, raw string) (string, bool, error) {
	before := byte(0)
	if off > 0 {
		before = data[off-1]
	}
	switch format {
	case FormatJSON, FormatJSONC:
		if before != '"' {
			return raw, true, nil
		}
		var s string
		err := json.Unmarshal([]byte(`"`+raw+`"`), &s)
		return s, true, err
	case FormatTOML:
		q := ""
		switch {
		case off >= 3 && (string(data[off-3:off]) == `"""` || string(data[off-3:off]) == `'''`):
			q = string(data[off-3 : off])
		case before == '"' || before == '\'':
			q = string(before)
		default:
			return raw, true, nil
		}
		var v struct{ X string }
		err := toml.Unmarshal([]byte("X = "+q+raw+q), &v)
		return v.X, true, err
	case FormatYAML:
		switch before {
		case '"', '\'':
			var s string
			err := yaml.Unmarshal([]byte(string(before)+raw+string(before)), &s)
			return s, true, err
		}
		if strings.ContainsAny(raw, "\n\r") || raw == "" || yamlBlockContent(data, off) {
			return "", false, nil
		}
		return raw, true, nil
	}
	return "", false, nil
}

var (
	blockHeader = regexp.MustCompile(`(^|[ \t])[|>][-+0-9]*([ \t]+#.*)?$`)
	yamlBreaks  = regexp.MustCompile("\r\n|[\r\n\u0085\u2028\u2029]")
)

// yamlBlockContent reports whether off starts the content of a YAML block
// scalar: only blanks before it on its line, and the last non-blank line
// before ends in a block header. Lines end at any YAML line break.
func yamlBlockContent(data []byte, off int) bool {
	lines := yamlBreaks.Split(string(data[:off]), -1)
	if strings.Trim(lines[len(lines)-1], " \t") != "" {
		return false
	}
	for _, l := range slices.Backward(lines[:len(lines)-1]) {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			continue
		}
		return blockHeader.MatchString(l)
	}
	return false
}

// checkConfig checks every position in cfg against data: spans in range,
// lines and columns as counted, and each value's raw text decoding to its
// Text.
func checkConfig(t testing.TB, format string, data []byte, cfg *Config) {
	t.Helper()
	checkValue := func(what string, v Value) {
		t.Helper()
		raw, err := checkPos(data, v.Pos)
		if err != nil {
			t.Fatalf("%s %s: %v", what, v.Path, err)
		}
		if v.Path == "" && v.Pos != (Pos{}) {
			t.Fatalf("%s at %+v: empty path", what, v.Pos)
		}
		dec, ok, err := decodeRaw(format, data, int(v.Pos.Offset), raw)
		if err != nil {
			t.Fatalf("%s %s: raw %q does not decode: %v", what, v.Path, raw, err)
		}
		if ok && dec != v.Text {
			t.Fatalf("%s %s: raw %q decodes to %q, Text is %q", what, v.Path, raw, dec, v.Text)
		}
	}
	checkKey := func(what, key string, p Pos) {
		t.Helper()
		if p.IsZero() {
			return
		}
		raw, err := checkPos(data, p)
		if err != nil {
			t.Fatalf("%s key %q: %v", what, key, err)
		}
		if _, _, err := decodeRaw(format, data, int(p.Offset), raw); err != nil {
			t.Fatalf("%s key %q: raw %q does not decode: %v", what, key, raw, err)
		}
	}
	checkKV := func(what string, kv KV, exactKey bool) {
		t.Helper()
		checkValue(what, kv.Value)
		checkKey(what, kv.Key, kv.KeyPos)
		if exactKey && !kv.KeyPos.IsZero() {
			raw := string(data[kv.KeyPos.Offset:kv.KeyPos.EndOffset])
			if dec, ok, _ := decodeRaw(format, data, int(kv.KeyPos.Offset), raw); ok && dec != kv.Key {
				t.Fatalf("%s key: raw %q decodes to %q, Key is %q", what, raw, dec, kv.Key)
			}
		}
	}
	for _, s := range cfg.Servers {
		if !s.NamePos.IsZero() {
			raw, err := checkPos(data, s.NamePos)
			if err != nil {
				t.Fatalf("server %q name: %v", s.Name, err)
			}
			if dec, ok, err := decodeRaw(format, data, int(s.NamePos.Offset), raw); err != nil || ok && dec != s.Name {
				t.Fatalf("server %q name: raw %q decodes to %q (%v)", s.Name, raw, dec, err)
			}
		}
		if s.Command != nil {
			checkValue("command", *s.Command)
		}
		if s.URL != nil {
			checkValue("url", *s.URL)
		}
		for _, a := range s.Args {
			checkValue("arg", a)
		}
		for _, kv := range s.Env {
			checkKV("env", kv, true)
		}
		for _, kv := range s.Headers {
			checkKV("header", kv, true)
		}
		for _, kv := range s.Other {
			checkKV("other", kv, false)
		}
	}
	for _, in := range cfg.Inputs {
		if in.ID.Path != "" {
			checkValue("input id", in.ID)
		}
		for _, kv := range in.Fields {
			checkKV("input field", kv, false)
		}
	}
}

// summary renders a server compactly for comparisons:
// name|scope|project|transport|command|args|env|headers|url|other.
func summary(s Server) string {
	kvs := func(l []KV) string {
		var b []string
		for _, kv := range l {
			b = append(b, kv.Key+"="+kv.Value.Text)
		}
		return strings.Join(b, ";")
	}
	var args []string
	for _, a := range s.Args {
		args = append(args, a.Text)
	}
	text := func(v *Value) string {
		if v == nil {
			return ""
		}
		return v.Text
	}
	return strings.Join([]string{s.Name, s.Scope, s.Project, s.Transport, text(s.Command),
		strings.Join(args, ","), kvs(s.Env), kvs(s.Headers), text(s.URL), kvs(s.Other)}, "|")
}
