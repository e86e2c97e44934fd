package mcpmodel

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tailscale/hujson"
)

var utf8BOM = []byte("\xef\xbb\xbf")

// parseJSON parses JSON or JSONC (comments, trailing commas) with hujson,
// whose syntax tree keeps the byte offsets of every value and member name.
// A leading UTF-8 byte-order mark is read as whitespace.
func parseJSON(data []byte, ix *lineIndex, format string) (*node, error) {
	src := data
	if bytes.HasPrefix(data, utf8BOM) {
		src = bytes.Clone(data)
		copy(src, "   ")
	}
	if off, deep := jsonTooDeep(src); deep {
		return nil, syntaxErrorAt(ix, format, off, fmt.Sprintf("nested deeper than %d levels", maxDepth), nil)
	}
	v, err := hujson.Parse(src)
	if err != nil {
		return nil, jsonError(ix, format, err)
	}
	return convertJSON(&v, 0)
}

// jsonTooDeep reports whether objects and arrays nest deeper than maxDepth
// and the offset of the bracket that goes too deep. It skips strings and
// comments the way hujson reads them, so that hujson's recursive descent
// never runs deeper than that.
func jsonTooDeep(b []byte) (int, bool) {
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '/':
			switch {
			case i+1 >= len(b):
				return 0, false
			case b[i+1] == '/':
				j := bytes.IndexByte(b[i:], '\n')
				if j < 0 {
					return 0, false
				}
				i += j
			case b[i+1] == '*':
				j := bytes.Index(b[i+2:], []byte("*/"))
				if j < 0 {
					return 0, false
				}
				i += 2 + j + 1
			}
		case '{', '[':
			if depth++; depth > maxDepth {
				return i, true
			}
		case '}', ']':
			depth--
		}
	}
	return 0, false
}

// jsonError turns hujson's error ("hujson: line L, column C: msg", C in
// bytes) into a SyntaxError.
func jsonError(ix *lineIndex, format string, err error) error {
	var line, col int
	msg := err.Error()
	if n, _ := fmt.Sscanf(msg, "hujson: line %d, column %d:", &line, &col); n == 2 {
		if i := strings.Index(msg, ": "); i >= 0 {
			if j := strings.Index(msg[i+2:], ": "); j >= 0 {
				msg = msg[i+2+j+2:]
			}
		}
		return syntaxErrorAt(ix, format, ix.offsetOf(line, col), msg, err)
	}
	return &SyntaxError{Format: format, Msg: strings.TrimPrefix(msg, "hujson: "), Err: err}
}

// convertJSON converts a hujson value. String spans exclude the quotes.
func convertJSON(v *hujson.Value, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, errors.New("too deep")
	}
	switch t := v.Value.(type) {
	case hujson.Literal:
		n := &node{start: v.StartOffset, end: v.EndOffset}
		switch t.Kind() {
		case '"':
			n.kind, n.text = kString, jsonString(t)
			n.start++
			n.end--
		case 'n':
			n.kind = kNull
		case 't', 'f':
			n.kind, n.text = kBool, string(t)
		default:
			n.kind, n.text = kNumber, string(t)
		}
		return n, nil
	case *hujson.Object:
		n := &node{kind: kObject, start: v.StartOffset, end: v.EndOffset, members: make([]member, 0, len(t.Members))}
		for i := range t.Members {
			m := &t.Members[i]
			name, _ := m.Name.Value.(hujson.Literal)
			val, err := convertJSON(&m.Value, depth+1)
			if err != nil {
				return nil, err
			}
			n.members = append(n.members, member{key: jsonString(name), kstart: m.Name.StartOffset + 1, kend: m.Name.EndOffset - 1, val: val})
		}
		return n, nil
	case *hujson.Array:
		n := &node{kind: kArray, start: v.StartOffset, end: v.EndOffset, elems: make([]*node, 0, len(t.Elements))}
		for i := range t.Elements {
			e, err := convertJSON(&t.Elements[i], depth+1)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, e)
		}
		return n, nil
	}
	return &node{kind: kNull}, nil
}

// jsonString decodes a JSON string literal as JSON.parse does (invalid
// UTF-8 and lone surrogates become U+FFFD).
func jsonString(lit hujson.Literal) string {
	if len(lit) >= 2 {
		raw := lit[1 : len(lit)-1]
		if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
			return string(raw)
		}
	}
	return lit.String()
}
