package jsonloc

import "strconv"

// This file writes paths in the syntax of Target.Path, for this package
// and for other parsers that name JSON-like values the same way (the MCP
// config model): ".key" for an ASCII identifier, `["key"]` otherwise, and
// "[i]" for array elements.

// AppendPathKey appends object key k (valid UTF-8) to the path dst: "k"
// (".k" after another element) when k is an ASCII identifier, else
// `["k"]` with k escaped as encoding/json does without HTML escaping.
func AppendPathKey(dst []byte, k string) []byte { return appendPathKey(dst, k) }

// AppendPathIndex appends the array index i to the path dst as "[i]".
func AppendPathIndex(dst []byte, i int) []byte {
	dst = append(dst, '[')
	dst = strconv.AppendInt(dst, int64(i), 10)
	return append(dst, ']')
}

func appendPathKey[S ~string | ~[]byte](dst []byte, k S) []byte {
	if isIdent(k) {
		if len(dst) > 0 {
			dst = append(dst, '.')
		}
		return append(dst, k...)
	}
	dst = append(dst, '[')
	dst = appendQuoted(dst, k)
	return append(dst, ']')
}

// isIdent reports whether k is an ASCII identifier.
func isIdent[S ~string | ~[]byte](k S) bool {
	if len(k) == 0 {
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

// appendQuoted appends s (valid UTF-8) as a JSON string, escaped the way
// encoding/json does without HTML escaping: quote, backslash, control
// characters, U+2028 and U+2029.
func appendQuoted[S ~string | ~[]byte](dst []byte, s S) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		case c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2]&^1 == 0xa8:
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[s[i+2]&15])
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
