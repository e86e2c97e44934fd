package mcpmodel

import (
	"github.com/mcpscan/mcpscan/scanner/secret"

	"errors"
	"fmt"
)

// ErrUnknownFile is returned by Parse for a path Detect does not know.
var ErrUnknownFile = errors.New("mcpmodel: not a known MCP client configuration file")

// SyntaxError reports a file that is not well-formed in its format (or
// that mcpmodel refuses: nested deeper than its limit, UTF-16 encoded, a
// value it cannot position exactly). Line is 1-based and Column 1-based in
// code points of the raw line, Offset in bytes, all counted like Pos; Line
// is 0 when the parser gave no position.
type SyntaxError struct {
	Format string // FormatJSON, FormatJSONC, FormatYAML or FormatTOML
	Line   int
	Column int
	Offset int64
	Msg    string
	Err    error // the underlying library's error, if any
}

// Error returns "mcpmodel: FORMAT: line L, column C: MSG".
func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("mcpmodel: %s: %s", e.Format, e.Msg)
	}
	return fmt.Sprintf("mcpmodel: %s: line %d, column %d: %s", e.Format, e.Line, e.Column, e.Msg)
}

// Unwrap returns the library's error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// syntaxErrorAt builds a SyntaxError at byte offset off.
func syntaxErrorAt(ix *lineIndex, format string, off int, msg string, err error) *SyntaxError {
	l, c := ix.lineCol(off)
	return &SyntaxError{Format: format, Line: l, Column: c, Offset: int64(min(max(off, 0), len(ix.data))), Msg: msg, Err: err}
}

// Describe returns the error without any value from the file: format,
// position, and the message with quoted text and literals removed
// (secret.StripLiterals), since parsers echo what they could not read.
func (e *SyntaxError) Describe() string {
	msg := secret.StripLiterals(e.Msg)
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Format, msg)
	}
	return fmt.Sprintf("%s: line %d, column %d: %s", e.Format, e.Line, e.Column, msg)
}
