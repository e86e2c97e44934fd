package transcript

import (
	"bytes"
	"fmt"
	"io"
)

// maxProblems is how many malformed lines of one file are reported one by
// one; the rest are counted.
const maxProblems = 5

// recordChecker passes bytes through unchanged while checking, at almost
// no cost, that every JSON Lines record looks whole: its first non-blank
// byte is '{' and its last is '}'. It does not parse the records; a full
// parse happens only for records that hold a finding.
type recordChecker struct {
	r         io.Reader
	line      int  // current 1-based line
	atStart   bool // no non-blank byte seen yet on this line
	first     byte // first non-blank byte of the line
	last      byte // last non-blank byte seen so far on the line
	problems  []lineProblem
	malformed int
}

type lineProblem struct {
	line int
	msg  string
}

func newRecordChecker(r io.Reader) *recordChecker {
	return &recordChecker{r: r, line: 1, atStart: true}
}

func (c *recordChecker) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.feed(p[:n])
	return n, err
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\r' }

func (c *recordChecker) feed(b []byte) {
	for len(b) > 0 {
		nl := bytes.IndexByte(b, '\n')
		seg := b
		if nl >= 0 {
			seg = b[:nl]
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
func (c *recordChecker) endLine(eof bool) {
	if !c.atStart {
		var msg string
		switch {
		case c.first != '{':
			msg = fmt.Sprintf("malformed record: starts with %q, not '{'; scanned as text", c.first)
		case c.last != '}' && eof:
			msg = "truncated last record (the session may still be running); scanned what is there"
		case c.last != '}':
			msg = "truncated or malformed record: no closing '}'; scanned as text"
		}
		if msg != "" {
			c.malformed++
			if len(c.problems) < maxProblems {
				c.problems = append(c.problems, lineProblem{c.line, msg})
			}
		}
	}
	c.line++
	c.atStart, c.first, c.last = true, 0, 0
}

// finish judges a last line without a trailing newline.
func (c *recordChecker) finish() {
	if !c.atStart {
		c.endLine(true)
	}
}
