package mcpmodel

import (
	"strconv"
	"unicode/utf8"
)

// maxDepth is the deepest nesting of objects and arrays accepted, as in
// encoding/json and the YAML and TOML parsers.
const maxDepth = 10000

// aliasExtra bounds how many nodes more than its size in bytes a YAML
// document may expand to through aliases (a document without aliases has
// fewer nodes than bytes).
const aliasExtra = 1 << 16

// kind is the type of a tree node.
type kind uint8

const (
	kNull kind = iota
	kString
	kNumber
	kBool
	kDate // TOML dates and times
	kObject
	kArray
)

// node is one value of a parsed document, in a form shared by every
// format. Scalars carry their decoded text and the byte span that Pos
// describes; containers their children in file order.
type node struct {
	kind       kind
	text       string
	start, end int
	members    []member
	elems      []*node
	index      map[string]int // last member per key, kept while building TOML
}

// member is one key of an object.
type member struct {
	key          string
	kstart, kend int
	val          *node
}

func (n *node) isScalar() bool { return n != nil && n.kind >= kString && n.kind <= kDate }

// get returns the value of the last member named key (the one JSON
// clients use), or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != kObject {
		return nil
	}
	for i := len(n.members) - 1; i >= 0; i-- {
		if n.members[i].key == key {
			return n.members[i].val
		}
	}
	return nil
}

// maxKeyLen is the cut, in bytes, applied to keys written in paths; a cut
// key ends in "…" (as in package jsonloc).
const maxKeyLen = 256

// appendKey appends object key k to path p: ".k" for an ASCII identifier,
// `["k"]` otherwise. Keys longer than maxKeyLen bytes are cut.
func appendKey(p, k string) string {
	return string(appendKeyTo([]byte(p), k))
}

// appendKeyTo is appendKey on a byte slice.
func appendKeyTo(b []byte, k string) []byte {
	if len(k) > maxKeyLen {
		cut := maxKeyLen
		for cut > 0 && !utf8.RuneStart(k[cut]) {
			cut--
		}
		k = k[:cut] + "…"
	}
	if isIdent(k) {
		if len(b) > 0 {
			b = append(b, '.')
		}
		return append(b, k...)
	}
	b = append(b, '[')
	b = appendQuoted(b, k)
	return append(b, ']')
}

// appendIndex appends array index i to path p.
func appendIndex(p string, i int) string {
	return string(appendIndexTo([]byte(p), i))
}

// appendIndexTo is appendIndex on a byte slice.
func appendIndexTo(b []byte, i int) []byte {
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(i), 10)
	return append(b, ']')
}

// isIdent reports whether k is an ASCII identifier.
func isIdent(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// appendQuoted appends s as a JSON string the way encoding/json writes it
// without HTML escaping: quote, backslash, control characters, U+2028 and
// U+2029 escaped; invalid UTF-8 as U+FFFD.
func appendQuoted(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r == '\b':
			b = append(b, '\\', 'b')
		case r == '\f':
			b = append(b, '\\', 'f')
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&15])
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&15])
		default:
			b = append(b, string(r)...)
		}
	}
	return append(b, '"')
}
