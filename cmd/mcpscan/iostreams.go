package main

import (
	"io"
	"os"
	"strconv"

	"golang.org/x/term"
)

// IOStreams are a command's standard streams, replaceable in tests (gh's
// iostreams): they own terminal detection and the terminal's width.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// Getenv reads the environment (NO_COLOR, COLUMNS); nil: os.Getenv.
	Getenv func(string) string
}

func (s *IOStreams) getenv(k string) string {
	if s.Getenv != nil {
		return s.Getenv(k)
	}
	return os.Getenv(k)
}

// isTerminal reports whether w is a terminal (a TTY; /dev/null and files
// are not).
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return isTerminal(s.Out) }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return isTerminal(s.ErrOut) }

// ColorEnabled reports whether the terminal report on standard output may
// use colour: a terminal, without NO_COLOR and without --no-color.
func (s *IOStreams) ColorEnabled(noColor bool) bool {
	return !noColor && s.getenv("NO_COLOR") == "" && s.IsStdoutTTY()
}

// defaultWidth is the width used when neither COLUMNS nor a terminal
// says.
const defaultWidth = 80

// TerminalWidth returns the width the terminal report fits: $COLUMNS, the
// width of the terminal on standard output, or 80.
func (s *IOStreams) TerminalWidth() int {
	if c, err := strconv.Atoi(s.getenv("COLUMNS")); err == nil && c > 0 {
		return c
	}
	if f, ok := s.Out.(interface{ Fd() uintptr }); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return defaultWidth
}
