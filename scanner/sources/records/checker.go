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

	"github.com/mcpscan/mcpscan/scanner"
)

// MaxProblems is how many malformed lines of one file are reported one by
// one; the rest are counted.
const MaxProblems = 5

// Checker passes bytes through unchanged while checking, at almost
// no cost, that every JSON Lines record looks whole: its first non-blank
// byte is '{' and its last is '}'. It does not parse the records; a full
// parse happens only for records that hold a finding.
type Checker struct {
	r    io.Reader
	line int // current 1-based line
	lineState
	problems  []Problem
	malformed int
}

// lineState is what the checker knows of the line being read.
type lineState struct {
	atStart bool // no non-blank byte seen yet on this line
	first   byte // first non-blank byte of the line
	last    byte // last non-blank byte seen so far on the line
	nul     bool // a NUL byte on this line
}

// add takes in bytes of the line that follow those seen (seg holds no
// newline).
func (l *lineState) add(seg []byte) {
	if !l.nul && bytes.IndexByte(seg, 0) >= 0 {
		l.nul = true
	}
	if l.atStart {
		for i := 0; i < len(seg); i++ {
			if !isBlank(seg[i]) {
				l.first, l.atStart = seg[i], false
				break
			}
		}
	}
	for i := len(seg) - 1; i >= 0; i-- {
		if !isBlank(seg[i]) {
			l.last = seg[i]
			break
		}
	}
}

// join takes in what o saw of the bytes of the line that follow those l
// saw.
func (l *lineState) join(o lineState) {
	l.nul = l.nul || o.nul
	if !o.atStart {
		if l.atStart {
			l.first, l.atStart = o.first, false
		}
		l.last = o.last
	}
}

// Problem is a malformed record: its 1-based line and what is wrong.
type Problem struct {
	Line int
	Msg  string
}

// NewChecker returns a Checker reading r, whose first line is firstLine
// (1 when 0).
func NewChecker(r io.Reader, firstLine int) *Checker {
	return &Checker{r: r, line: max(firstLine, 1), lineState: lineState{atStart: true}}
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
		if nl < 0 {
			c.add(b)
			return
		}
		c.add(b[:nl])
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
	c.lineState = lineState{atStart: true}
}

// Finish judges a last line without a trailing newline, and returns the
// first MaxProblems malformed records and how many more there were.
func (c *Checker) Finish() (problems []Problem, more int) {
	if !c.atStart {
		c.endLine(true)
	}
	return c.problems, c.malformed - len(c.problems)
}

// Under returns the reader the checker reads from (scanner.Tap).
func (c *Checker) Under() io.Reader { return c.r }

// Part returns a checker of one piece of the input (scanner.Tap): the
// bytes before its first newline end a line that began before it; the
// lines after are judged as they pass, numbered from 1.
func (c *Checker) Part(int64) scanner.TapPart {
	return &checkerPart{head: lineState{atStart: true}, c: Checker{line: 1, lineState: lineState{atStart: true}}}
}

// checkerPart is the Checker of one piece.
type checkerPart struct {
	head  lineState // the piece's bytes before its first newline
	sawNL bool
	c     Checker // the lines after it
}

func (p *checkerPart) Watch(b []byte) {
	if !p.sawNL {
		nl := bytes.IndexByte(b, '\n')
		if nl < 0 {
			p.head.add(b)
			return
		}
		p.head.add(b[:nl])
		p.sawNL = true
		b = b[nl+1:]
	}
	p.c.feed(b)
}

// Join judges the records the parts saw, in input order, as if the
// checker had read their bytes (scanner.Tap): the same problems, on the
// same lines.
func (c *Checker) Join(parts []scanner.TapPart) {
	for _, tp := range parts {
		p := tp.(*checkerPart)
		c.join(p.head)
		if !p.sawNL {
			continue
		}
		c.endLine(false)
		for _, pr := range p.c.problems {
			if len(c.problems) < MaxProblems {
				c.problems = append(c.problems, Problem{c.line + pr.Line - 1, pr.Msg})
			}
		}
		c.malformed += p.c.malformed
		c.line += p.c.line - 1
		c.lineState = p.c.lineState
	}
	c.r = eofReader{}
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
