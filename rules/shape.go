package rules

import (
	"strings"
	"unsafe"
)

// This file holds the shape tests of values that LooksLikeSecret and
// IsPlaceholder run on every candidate a NAME=value rule matches
// (thousands per megabyte of minified code). They are written by hand,
// without regexes or allocation; each states the regex it is equal to,
// and shape_test.go checks the equality on gitleaks' rule examples, the
// corpus generator's shapes and fuzzed strings (the regexes are kept
// there as the reference).

// isCodeLike reports whether v looks like code rather than a literal:
// calls, indexing and generics (a name, or a dotted name, then a bracket),
// values that open with a bracket (lists, objects, tags), template and
// expression syntax, member access chains, type names. Brackets inside a
// random value (a framework secret key such as k3#v(9)x&z) do not make it
// code. It equals the regex
//
//	^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*[(\[<{]|^[(\[{<]|\$\{|\{\{|\}\}|<%|%>|=>|->|::|\(\)
//	|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$
//	|^(?:self|this|req|request|config|settings|ctx|args|opts|options|params|props)\.
//	|^[A-Z][A-Za-z]+(?:\.[A-Z][A-Za-z]+)*$
func isCodeLike(v string) bool {
	if v == "" {
		return false
	}
	switch v[0] {
	case '(', '[', '{', '<':
		return true
	}
	for i := 0; i+1 < len(v); i++ {
		switch v[i : i+2] {
		case "${", "{{", "}}", "<%", "%>", "=>", "->", "::", "()":
			return true
		}
	}
	// A name chain: [\w$] never holds '.' or a bracket, so the chain is
	// read greedily; a '.' not followed by a name start ends the chain
	// where neither alternative can go on.
	if isNameStart(v[0]) {
		i, dots := 1, 0
		for {
			for i < len(v) && isNameByte(v[i]) {
				i++
			}
			if i+1 < len(v) && v[i] == '.' && isNameStart(v[i+1]) {
				i += 2
				dots++
				continue
			}
			break
		}
		if i == len(v) && dots > 0 {
			return true
		}
		if i < len(v) {
			switch v[i] {
			case '(', '[', '<', '{':
				return true
			}
		}
	}
	if dot := strings.IndexByte(v, '.'); dot > 0 {
		switch v[:dot] {
		case "self", "this", "req", "request", "config", "settings", "ctx", "args", "opts", "options", "params", "props":
			return true
		}
	}
	return isTypeName(v)
}

// isTypeName reports whether v is dot-separated words of at least two
// letters that each start upper-case: ^[A-Z][A-Za-z]+(?:\.[A-Z][A-Za-z]+)*$.
func isTypeName(v string) bool {
	start := 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && v[i] != '.' {
			if c := v[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') || (i == start && !(c >= 'A' && c <= 'Z')) {
				return false
			}
			continue
		}
		if i-start < 2 {
			return false
		}
		start = i + 1
	}
	return true
}

// isNameStart is the class [A-Za-z_$].
func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}

// isNameByte is the class [\w$].
func isNameByte(c byte) bool { return isNameStart(c) || c >= '0' && c <= '9' }

// isPathLike reports whether v is a file path or a URL without
// credentials: ^(?:~?/|\./|\.\./|[A-Za-z]:\\|https?://[^@]*$|file://).
func isPathLike(v string) bool {
	switch {
	case strings.HasPrefix(v, "/"), strings.HasPrefix(v, "~/"), strings.HasPrefix(v, "./"), strings.HasPrefix(v, "../"),
		strings.HasPrefix(v, "file://"):
		return true
	case len(v) >= 3 && (v[0] >= 'A' && v[0] <= 'Z' || v[0] >= 'a' && v[0] <= 'z') && v[1] == ':' && v[2] == '\\':
		return true
	case strings.HasPrefix(v, "http://"), strings.HasPrefix(v, "https://"):
		return strings.IndexByte(v, '@') < 0
	}
	return false
}

// isConstantLike reports whether v is an upper-case identifier in
// CONSTANT_CASE: ^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$.
func isConstantLike(v string) bool {
	if v == "" || !(v[0] >= 'A' && v[0] <= 'Z') || v[len(v)-1] == '_' {
		return false
	}
	under := false
	for i := 1; i < len(v); i++ {
		switch c := v[i]; {
		case c == '_':
			if v[i-1] == '_' {
				return false
			}
			under = true
		case !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'):
			return false
		}
	}
	return under
}

// isWordLike reports whether v is letters joined by single separators
// (snake_case, kebab-case, dotted.names, and/slashed/words):
// ^[A-Za-z]+(?:[_./-][A-Za-z]+)*$.
func isWordLike(v string) bool {
	if v == "" {
		return false
	}
	sep := true // before the start: a letter must come
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			sep = false
		case c == '_' || c == '.' || c == '/' || c == '-':
			if sep {
				return false
			}
			sep = true
		default:
			return false
		}
	}
	return !sep
}

// lowerInto returns s lower-cased as strings.ToLower does: for an ASCII
// s that fits, written into buf and returned as a view of it (valid while
// buf is); otherwise strings.ToLower's result.
func lowerInto(buf []byte, s string) string {
	if len(s) > len(buf) || !isASCII(s) {
		return strings.ToLower(s)
	}
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
			upper = true
		}
		buf[i] = c
	}
	if !upper || len(s) == 0 {
		return s
	}
	return unsafe.String(&buf[0], len(s))
}

// containsFoldASCII reports whether s contains sub, ASCII letters matched
// case-insensitively: strings.Contains(strings.ToLower(s),
// strings.ToLower(sub)) when both are ASCII.
func containsFoldASCII(s, sub string) bool {
	n := len(sub)
	if n == 0 {
		return true
	}
	first := lowerByte(sub[0])
	for i := 0; i+n <= len(s); i++ {
		if lowerByte(s[i]) != first {
			continue
		}
		j := 1
		for j < n && lowerByte(s[i+j]) == lowerByte(sub[j]) {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// substrings answers whether a text contains any of a fixed list of
// words (placeholder marks, an allowlist's stop words) in one pass over
// the text: words are filed under their first two bytes, and only the
// words under the pair at each offset are compared. It equals calling
// strings.Contains for each word.
type substrings struct {
	empty bool                 // the list holds "": every text contains it
	one   [256]bool            // words of one byte
	pairs [1 << 16 / 64]uint64 // bit set of the first two bytes of longer words
	by2   map[uint16][]string
}

func newSubstrings(words ...[]string) *substrings {
	x := &substrings{by2: map[uint16][]string{}}
	for _, list := range words {
		for _, w := range list {
			switch len(w) {
			case 0:
				x.empty = true
			case 1:
				x.one[w[0]] = true
			default:
				k := uint16(w[0])<<8 | uint16(w[1])
				x.pairs[k>>6] |= 1 << (k & 63)
				x.by2[k] = append(x.by2[k], w)
			}
		}
	}
	return x
}

// in reports whether s contains one of the words.
func (x *substrings) in(s string) bool {
	if x.empty {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if x.one[c] {
			return true
		}
		if i+1 == len(s) {
			break
		}
		k := uint16(c)<<8 | uint16(s[i+1])
		if x.pairs[k>>6]&(1<<(k&63)) == 0 {
			continue
		}
		for _, w := range x.by2[k] {
			if strings.HasPrefix(s[i:], w) {
				return true
			}
		}
	}
	return false
}
