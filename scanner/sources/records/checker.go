// Package records is the record machinery that every history handler
// shares: a checker that JSON Lines records are whole (Checker), the
// grouping of matcher hits by record, locating each hit's JSON field with
// context captured from the record (Describe), and the dedupe of one
// secret stored several times in one record (a tool's output is stored
// twice in Claude Code and Codex records).
package records

import (
	"bytes"
	"fmt"
	"io"
)

// MaxProblems is how many malformed lines of one file are reported one by
// one; the rest are counted.
const MaxProblems = 5

// Checker passes bytes through unchanged while checking, at almost
// no cost, that every JSON Lines record looks whole: its first non-blank
// byte is '{' and its last is '}'. It does not parse the records; a full
// parse happens only for records that hold a finding.
type Checker struct {
	r         io.Reader
	line      int  // current 1-based line
	atStart   bool // no non-blank byte seen yet on this line
	first     byte // first non-blank byte of the line
	last      byte // last non-blank byte seen so far on the line
	nul       bool // a NUL byte on this line
	problems  []Problem
	malformed int
}

// Problem is a malformed record: its 1-based line and what is wrong.
type Problem struct {
	Line int
	Msg  string
}

// NewChecker returns a Checker reading r, whose first line is firstLine
// (1 when 0).
func NewChecker(r io.Reader, firstLine int) *Checker {
	return &Checker{r: r, line: max(firstLine, 1), atStart: true}
}

// Read reads from the underlying reader, checking what passes.
func (c *Checker) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.feed(p[:n])
	return n, err
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\r' }

func (c *Checker) feed(b []byte) {
	for len(b) > 0 {
		nl := bytes.IndexByte(b, '\n')
		seg := b
		if nl >= 0 {
			seg = b[:nl]
		}
		if !c.nul && bytes.IndexByte(seg, 0) >= 0 {
			c.nul = true
		}
		if c.atStart {
			for i := 0; i < len(seg); i++ {
				if !isBlank(seg[i]) {
					c.first, c.atStart = seg[i], false
					break
				}
			}
		}
		for i := len(seg) - 1; i >= 0; i-- {
			if !isBlank(seg[i]) {
				c.last = seg[i]
				break
			}
		}
		if nl < 0 {
			return
		}
		c.endLine(false)
		b = b[nl+1:]
	}
}

// endLine judges the line just finished; eof says it had no newline.
func (c *Checker) endLine(eof bool) {
	if !c.atStart {
		var msg string
		switch {
		case c.nul:
			msg = "record holds a raw NUL byte (not valid JSON); scanned as text"
		case c.first != '{':
			msg = fmt.Sprintf("malformed record: starts with %q, not '{'; scanned as text", c.first)
		case c.last != '}' && eof:
			msg = "truncated last record (the session may still be running); scanned what is there"
		case c.last != '}':
			msg = "truncated or malformed record: no closing '}'; scanned as text"
		}
		if msg != "" {
			c.malformed++
			if len(c.problems) < MaxProblems {
				c.problems = append(c.problems, Problem{c.line, msg})
			}
		}
	}
	c.line++
	c.atStart, c.first, c.last, c.nul = true, 0, 0, false
}

// Finish judges a last line without a trailing newline, and returns the
// first MaxProblems malformed records and how many more there were.
func (c *Checker) Finish() (problems []Problem, more int) {
	if !c.atStart {
		c.endLine(true)
	}
	return c.problems, c.malformed - len(c.problems)
}
