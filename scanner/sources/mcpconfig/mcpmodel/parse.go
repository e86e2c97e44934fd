package mcpmodel

import (
	"bytes"
	"fmt"
)

// Parse parses data, the whole file at slash path p (callers cap its
// size), as the configuration of the client Detect names for p. A file
// that is not well-formed returns a *SyntaxError with its line and column;
// a path Detect does not know returns ErrUnknownFile. A file that parses
// but holds no servers (empty, blank, or with other content) returns a
// Config with no Servers.
//
// Parse never panics and does not modify data. It refuses, with a
// *SyntaxError, nesting deeper than 10000 levels in any format, YAML
// aliases that expand far beyond the file's size, UTF-16 YAML, and files
// whose values' paths would add up to more than 32 bytes per byte of input
// (possible only with deep nesting and long keys, never in a real file).
func Parse(p string, data []byte) (cfg *Config, err error) {
	k, ok := detect(p)
	if !ok {
		return nil, ErrUnknownFile
	}
	defer func() {
		if r := recover(); r != nil {
			cfg, err = nil, &internalError{fmt.Sprint(r)}
		}
	}()
	ix := newLineIndex(data)
	var root *node
	switch {
	case len(bytes.TrimLeft(bytes.TrimPrefix(data, utf8BOM), " \t\r\n")) == 0:
		// Empty: nothing to parse (JSON parsers reject it, clients skip it).
	case k.format == FormatYAML:
		root, err = parseYAML(data, ix)
	case k.format == FormatTOML:
		root, err = parseTOML(data, ix)
	default:
		root, err = parseJSON(data, ix, k.format)
	}
	if err != nil {
		return nil, err
	}
	cfg = &Config{Client: k.client, Format: k.format}
	b := &builder{ix: ix, kind: k, sch: schemaFor(k.client), cfg: cfg, budget: pathBudget(len(data))}
	b.build(root)
	if b.tooLarge {
		return nil, &SyntaxError{Format: k.format, Msg: "too many or too deeply nested values to model"}
	}
	return cfg, nil
}

// pathBudget is the bytes of paths a file of size n may produce: far more
// than any real configuration needs (about 3 per byte), far less than a
// file built to make paths quadratic.
func pathBudget(n int) int { return 32*n + 1<<20 }

// internalError reports a bug in mcpmodel caught while parsing.
type internalError struct{ msg string }

func (e *internalError) Error() string { return "mcpmodel: internal error: " + e.msg }
