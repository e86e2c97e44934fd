package mcpmodel

import (
	"strings"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/scanner/jsonloc"
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

// appendKeyTo is appendKey on a byte slice (jsonloc's path syntax, so that
// MCP config paths read like the ones of findings in other JSON files).
func appendKeyTo(b []byte, k string) []byte {
	if len(k) > maxKeyLen {
		cut := maxKeyLen
		for cut > 0 && !utf8.RuneStart(k[cut]) {
			cut--
		}
		k = k[:cut] + "…"
	}
	return jsonloc.AppendPathKey(b, strings.ToValidUTF8(k, "\uFFFD"))
}

// appendIndex appends array index i to path p.
func appendIndex(p string, i int) string {
	return string(jsonloc.AppendPathIndex([]byte(p), i))
}
