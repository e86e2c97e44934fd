// Package termtext makes text from files and arguments safe to print on a
// terminal: control characters (ESC and so OSC and CSI sequences, BEL,
// backspace, carriage return), bidirectional overrides (U+202A–U+202E,
// U+2066–U+2069) and invalid UTF-8 are escaped (\x1b, \u202e, \xff), so
// that a scanned file name or a config value cannot move the cursor,
// recolour or retitle the terminal, hide text or reorder it. It is the one
// escaper of the terminal report and of everything mcpscan writes to
// stderr.
package termtext

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line escapes s for one line of text: tabs and line breaks become
// spaces, and every other control character, bidirectional control or
// invalid byte is escaped.
func Line(s string) string { return escape(s, false) }

// Text escapes s for text that may span lines: line feeds and tabs are
// kept, everything else as in Line (a carriage return is escaped: it
// would let a line overwrite itself).
func Text(s string) string { return escape(s, true) }

func escape(s string, multiline bool) string {
	if isSafe(s, multiline) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case !multiline && (r == '\t' || r == '\n' || r == '\r'):
			b.WriteByte(' ')
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func isSafe(s string, multiline bool) bool {
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return false
		}
	}
	return true
}

// Writer escapes everything written through it with Text. Each Write is
// escaped on its own: write whole messages (fmt.Fprint* does).
type Writer struct {
	W io.Writer
}

// Write escapes p and writes it; it reports len(p) when all was written.
func (w Writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.W, Text(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
