// Package jsonloc tells, for raw byte offsets inside one JSON value (one
// JSON Lines record), which string holds each offset and where that string
// sits in the document.
//
// The secret matcher works on the raw bytes of a file and reports raw byte
// offsets. Locate reads the record once, as a stream, and answers every
// offset with a dotted path such as "message.content[2].input.command" plus
// a few scalar fields ("type", "name", "id", ...) of the objects around the
// offset. Memory stays bounded: it depends on the nesting depth, on the
// number of offsets and on the captured values, never on the length of a
// string or of the record, so a 100 MB string value is fine.
//
// The parser is strict RFC 8259 JSON: strings must be valid UTF-8 with no
// raw control characters, escapes must be well formed, numbers and literals
// must follow the grammar. Anything else is reported as an *Error with the
// byte offset of the problem.
package jsonloc

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

const (
	// DefaultMaxValueLen is the cut, in bytes, applied to captured values
	// when Options.MaxValueLen is zero or negative.
	DefaultMaxValueLen = 256
	// DefaultMaxDepth is the number of frames kept when Options.MaxDepth is
	// zero or negative.
	DefaultMaxDepth = 64
	// MaxKeyLen is the cut, in bytes, applied to decoded object keys used in
	// paths and in Frame.Key.
	MaxKeyLen = 256
	// Ellipsis ("…", 3 bytes of UTF-8) marks a cut key, a cut captured value
	// and a path cut at Options.MaxDepth.
	Ellipsis = "…"
)

// Options says what Locate collects besides the path.
type Options struct {
	// Capture lists object keys whose scalar values are captured into
	// Frame.Fields of every object frame on a target's path, for example
	// "type", "name", "id", "tool_use_id", "sessionId", "timestamp", "cwd",
	// "agentId", "parentToolUseID", "toolUseID", "sourceToolAssistantUUID".
	// Strings are captured decoded (escapes resolved, unpaired UTF-16
	// surrogate escapes as U+FFFD), numbers as their literal JSON text
	// ("12", "-1.5e3"), booleans as "true" or "false".
	// null, objects and arrays are not captured. When a key repeats in one
	// object, the last scalar value wins. Keys are matched exactly, after
	// decoding, and case-sensitively.
	Capture []string
	// MaxValueLen cuts captured values to at most this many bytes, at a
	// UTF-8 character boundary; a cut value gets Ellipsis appended (so it
	// can be up to MaxValueLen+3 bytes long). Zero or negative means
	// DefaultMaxValueLen.
	MaxValueLen int
	// MaxDepth is the number of frames (nested objects and arrays, the root
	// included) that are tracked. Deeper nesting is still parsed and
	// validated, but a target below it gets only the first MaxDepth frames
	// and a path ending in Ellipsis. Zero or negative means DefaultMaxDepth.
	MaxDepth int
}

// Frame is one object or array on the path from the root to a target.
// Targets share Frame values: every target inside the same object points to
// the same *Frame, so callers should treat frames as read-only.
type Frame struct {
	// Key is the decoded key under which this container sits in its parent
	// object; a key longer than MaxKeyLen bytes is cut at a UTF-8 boundary
	// to at most MaxKeyLen bytes and gets Ellipsis appended. It is "" for
	// the root and for array elements.
	Key string
	// Index is the zero-based position of this container in its parent
	// array, or -1 when the parent is an object or this is the root.
	Index int
	// Fields holds the captured scalar fields of this object, keyed by the
	// names in Options.Capture; fields that appear after the target in the
	// object are included too (the object is read to its end). It is nil
	// for arrays and for objects where nothing was captured. If the input
	// is malformed or truncated inside this object, only the fields read
	// before the problem are present.
	Fields map[string]string
}

// Target is the answer for one offset.
type Target struct {
	// Offset is the byte offset as given to Locate, relative to the start
	// of the reader.
	Offset int64
	// Found reports that Offset lies inside a string, value or key: between
	// its opening and closing quote, both quotes included. Offsets on
	// numbers, literals, punctuation, whitespace, before the value or after
	// its end are not found. When Found is false, InKey, Path and Frames
	// are zero.
	Found bool
	// InKey reports that the string is an object key rather than a value.
	// Path then names the member whose key it is.
	InKey bool
	// Path is the dotted path of the string: "message.content[2].input.command",
	// "toolUseResult.stdout". Array elements are written "[i]" with i
	// zero-based. Keys (decoded, cut like Frame.Key) that are not ASCII
	// identifiers ([A-Za-z_$][A-Za-z0-9_$]*) are written as JSON strings in
	// brackets, escaped like encoding/json without HTML escaping:
	// `projects["/home/a/x"].mcpServers.gh.env.API_KEY`, `["a b"][0]`. A
	// string that is the whole document has Path "". When the string is
	// nested deeper than Options.MaxDepth frames, Path names the kept frames
	// only and ends in Ellipsis: "a.b…".
	Path string
	// Frames are the containers around the string, root first; the last
	// frame is the object or array that holds the string (for strings
	// nested deeper than Options.MaxDepth, the last kept frame). Frames is
	// empty for a string that is the whole document. Frames[i+1].Key or
	// Frames[i+1].Index tells where it sits in Frames[i].
	Frames []*Frame
	// Start and End are the offsets of the string's opening and closing
	// quotes, relative to the start of the reader (End is -1 when the
	// input ends or breaks inside the string), so that a caller can read
	// the raw string again: to follow JSON held inside it, for instance.
	Start, End int64
}

// Error reports malformed or truncated input, or a failing reader.
type Error struct {
	// Offset is the byte offset, relative to the start of the reader, where
	// the problem was detected; for truncated input it is the input length.
	Offset int64
	// Msg describes the problem, e.g. "invalid escape '\\x' in string".
	Msg string
	// Err is io.ErrUnexpectedEOF when the input ended inside the value, the
	// reader's error when reading failed (io.ErrNoProgress for a reader that
	// keeps returning no data), and nil for syntax errors.
	Err error
}

// Error returns "jsonloc: <Msg> at byte offset <Offset>".
func (e *Error) Error() string {
	return "jsonloc: " + e.Msg + " at byte offset " + strconv.FormatInt(e.Offset, 10)
}

// Unwrap returns e.Err, so errors.Is(err, io.ErrUnexpectedEOF) detects
// truncated input.
func (e *Error) Unwrap() error { return e.Err }

// Locate reads exactly one JSON value from r and answers every offset.
//
// offsets are byte offsets relative to the start of r and should be
// ascending; other orders and duplicates work too, at the cost of a sort.
// The result has one Target per offset, in the order given. Leading JSON
// whitespace is allowed. Locate reads r in chunks of up to 64 KiB and stops
// at the end of the value, so it may have consumed bytes past the value;
// those trailing bytes are never examined (to scan one line of a JSONL
// file, hand it an io.SectionReader or io.LimitReader for that line).
//
// Memory: one 64 KiB buffer (pooled), per nesting level up to MaxDepth the
// current key (at most MaxKeyLen bytes) and the captured values (at most
// len(Capture)×MaxValueLen bytes), one bit per level deeper than MaxDepth,
// plus the result. It does not grow with the length of strings or of the
// record. Locate is safe for concurrent use.
//
// If the value is malformed or truncated, or r fails, Locate returns an
// *Error along with the targets. Targets that lie before the error offset
// inside a string are answered even when that string is the one cut by the
// problem (a record cut at a line-length limit still yields the path of an
// offset in its last string); for a key cut that way, Path ends with the
// part of the key read. Frames then hold only the fields read before the
// problem. All other targets have Found=false.
func Locate(r io.Reader, offsets []int64, opt Options) ([]Target, error) {
	targets := make([]Target, len(offsets))
	for i, off := range offsets {
		targets[i].Offset = off
	}
	l := pool.Get().(*locator)
	l.reset(r, targets, opt)
	err := l.run()
	l.release()
	pool.Put(l)
	if err != nil {
		return targets, err
	}
	return targets, nil
}

var pool = sync.Pool{New: func() any { return &locator{buf: make([]byte, bufSize)} }}

const bufSize = 64 << 10

// level is one tracked container on the parse stack. Its buffers are reused
// across containers; frame is allocated only when a target needs it.
type level struct {
	obj      bool
	frame    *Frame   // non-nil once a target references this container
	key      []byte   // decoded key of the current member (objects)
	keyTrunc bool     // key was cut
	index    int      // index of the current element (arrays)
	vals     [][]byte // captured values by capture index (while frame == nil)
	set      []bool   // vals[i] holds a value
}

type locator struct {
	// input
	r    io.Reader
	buf  []byte
	pos  int
	end  int
	base int64 // offset of buf[0] relative to the start of r
	rerr error // sticky read error, io.EOF included

	// options
	names    []string // capture keys, deduplicated
	capLens  uint64   // bit n: some capture key has length n (< 64)
	maxVal   int
	maxDepth int

	// structure
	levels []level  // levels[:min(depth, maxDepth)] are live
	depth  int      // open containers
	deep   []uint64 // bit i: container at depth maxDepth+1+i is an object
	capIdx int      // capture index of the value being parsed, or -1
	val    []byte   // scratch for a captured value
	sb     []byte   // scratch for paths

	// targets
	targets []Target
	order   []int
	ti      int
	next    int64 // offset of targets[order[ti]], or math.MaxInt64
}

func (l *locator) reset(r io.Reader, targets []Target, opt Options) {
	l.r = r
	l.pos, l.end, l.base, l.rerr = 0, 0, 0, nil
	l.maxVal = opt.MaxValueLen
	if l.maxVal <= 0 {
		l.maxVal = DefaultMaxValueLen
	}
	l.maxDepth = opt.MaxDepth
	if l.maxDepth <= 0 {
		l.maxDepth = DefaultMaxDepth
	}
	l.names = l.names[:0]
	l.capLens = 0
	for _, name := range opt.Capture {
		if !slices.Contains(l.names, name) {
			l.names = append(l.names, name)
			if len(name) < 64 {
				l.capLens |= 1 << len(name)
			}
		}
	}
	l.depth = 0
	l.capIdx = -1
	l.targets = targets
	l.order = l.order[:0]
	for i := range targets {
		l.order = append(l.order, i)
	}
	if !slices.IsSortedFunc(l.order, l.cmpOrder) {
		slices.SortStableFunc(l.order, l.cmpOrder)
	}
	l.ti = 0
	l.setNext()
}

func (l *locator) cmpOrder(a, b int) int {
	x, y := l.targets[a].Offset, l.targets[b].Offset
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// release drops references to caller data before the locator is pooled.
func (l *locator) release() {
	l.r = nil
	l.targets = nil
	for i := range l.levels {
		l.levels[i].frame = nil
	}
	// Do not keep what an unusual call grew.
	if cap(l.order) > 1<<16 {
		l.order = nil
	}
	if len(l.deep) > 1<<10 {
		l.deep = nil
	}
	if len(l.levels) > DefaultMaxDepth*4 {
		l.levels = nil
	}
	if cap(l.val) > 1<<16 {
		l.val = nil
	}
}

func (l *locator) setNext() {
	if l.ti < len(l.order) {
		l.next = l.targets[l.order[l.ti]].Offset
	} else {
		l.next = math.MaxInt64
	}
}

// abs converts a buffer index to an input offset.
func (l *locator) abs(p int) int64 { return l.base + int64(p) }

// errAt builds a syntax error.
func (l *locator) errAt(off int64, format string, args ...any) *Error {
	return &Error{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// eofErr reports why no more input is available: truncation or a read
// error.
func (l *locator) eofErr() *Error {
	off := l.abs(l.end)
	if l.rerr == nil || l.rerr == io.EOF {
		return &Error{Offset: off, Msg: "unexpected end of input", Err: io.ErrUnexpectedEOF}
	}
	return &Error{Offset: off, Msg: "read error: " + l.rerr.Error(), Err: l.rerr}
}

// fill moves the unread bytes to the front of the buffer and reads more.
// It reports whether new bytes arrived.
func (l *locator) fill() bool {
	if l.rerr != nil {
		return false
	}
	if l.pos > 0 {
		n := copy(l.buf, l.buf[l.pos:l.end])
		l.base += int64(l.pos)
		l.end = n
		l.pos = 0
	}
	for empty := 0; ; {
		room := l.buf[l.end:]
		n, err := l.r.Read(room)
		if n < 0 || n > len(room) {
			l.rerr = fmt.Errorf("reader returned invalid count %d", n)
			return false
		}
		l.end += n
		if err != nil {
			l.rerr = err
			return n > 0
		}
		if n > 0 {
			return true
		}
		if empty++; empty >= 100 {
			l.rerr = io.ErrNoProgress
			return false
		}
	}
}

// ensure tries to make n bytes available at pos. It reports success.
func (l *locator) ensure(n int) bool {
	for l.end-l.pos < n {
		if !l.fill() {
			return false
		}
	}
	return true
}

// ws skips whitespace and returns the next byte without consuming it. At
// the end of the input, or when reading fails, it returns 0 with pos ==
// end; unexpected then reports the right error.
func (l *locator) ws() byte {
	if l.pos < l.end && l.buf[l.pos] > ' ' {
		return l.buf[l.pos]
	}
	return l.wsSlow()
}

func (l *locator) wsSlow() byte {
	for {
		for l.pos < l.end {
			c := l.buf[l.pos]
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c
			}
			l.pos++
		}
		if !l.fill() {
			return 0
		}
	}
}

// unexpected reports the byte c returned by ws where something else was
// expected.
func (l *locator) unexpected(c byte, where string) *Error {
	if l.pos >= l.end {
		return l.eofErr()
	}
	return l.errAt(l.abs(l.pos), "invalid character %s %s", quoteChar(c), where)
}

// push opens a container.
func (l *locator) push(obj bool) {
	l.depth++
	l.capIdx = -1
	if l.depth > l.maxDepth {
		i := l.depth - l.maxDepth - 1
		for i>>6 >= len(l.deep) {
			l.deep = append(l.deep, 0)
		}
		if obj {
			l.deep[i>>6] |= 1 << (i & 63)
		} else {
			l.deep[i>>6] &^= 1 << (i & 63)
		}
		return
	}
	if l.depth > len(l.levels) {
		l.levels = append(l.levels, level{})
	}
	lev := &l.levels[l.depth-1]
	lev.obj = obj
	lev.frame = nil
	lev.key = lev.key[:0]
	lev.keyTrunc = false
	lev.index = 0
	if len(lev.set) != len(l.names) {
		lev.set = make([]bool, len(l.names))
		lev.vals = make([][]byte, len(l.names))
	} else {
		clear(lev.set)
	}
}

// pop closes the innermost container.
func (l *locator) pop() {
	if l.depth <= l.maxDepth {
		l.levels[l.depth-1].frame = nil
	}
	l.depth--
}

// topIsObj reports whether the innermost open container is an object.
func (l *locator) topIsObj() bool {
	if l.depth <= l.maxDepth {
		return l.levels[l.depth-1].obj
	}
	i := l.depth - l.maxDepth - 1
	return l.deep[i>>6]&(1<<(i&63)) != 0
}

const (
	stValue    = iota // a value is expected
	stObjStart        // after '{'
	stKey             // a member key is expected (after ',')
	stArrStart        // after '['
	stAfter           // a value ended
)

// run parses one JSON value.
func (l *locator) run() *Error {
	state := stValue
	for {
		switch state {
		case stValue:
			c := l.ws()
			switch {
			case c == '{':
				l.pos++
				l.push(true)
				state = stObjStart
				continue
			case c == '[':
				l.pos++
				l.push(false)
				state = stArrStart
				continue
			case c == '"':
				if l.capIdx >= 0 {
					l.val = l.val[:0]
					trunc := false
					if err := l.scanString(&l.val, l.maxVal, &trunc, false); err != nil {
						return err
					}
					l.store()
				} else if err := l.scanString(nil, 0, nil, false); err != nil {
					return err
				}
			case c == '-' || c >= '0' && c <= '9':
				if err := l.scanNumber(); err != nil {
					return err
				}
			case c == 't':
				if err := l.literal("true"); err != nil {
					return err
				}
			case c == 'f':
				if err := l.literal("false"); err != nil {
					return err
				}
			case c == 'n':
				l.capIdx = -1 // null is not captured
				if err := l.literal("null"); err != nil {
					return err
				}
			default:
				return l.unexpected(c, "looking for beginning of value")
			}
			state = stAfter

		case stObjStart, stKey:
			c := l.ws()
			if c == '}' && state == stObjStart {
				l.pos++
				l.pop()
				state = stAfter
				continue
			}
			if c != '"' {
				return l.unexpected(c, "looking for beginning of object key string")
			}
			if l.depth <= l.maxDepth {
				lev := &l.levels[l.depth-1]
				lev.key = lev.key[:0]
				lev.keyTrunc = false
				if err := l.scanString(&lev.key, MaxKeyLen, &lev.keyTrunc, true); err != nil {
					return err
				}
			} else if err := l.scanString(nil, 0, nil, true); err != nil {
				return err
			}
			c = l.ws()
			if c != ':' {
				return l.unexpected(c, "after object key")
			}
			l.pos++
			l.capIdx = -1
			if l.depth <= l.maxDepth && len(l.names) > 0 {
				if lev := &l.levels[l.depth-1]; !lev.keyTrunc {
					l.capIdx = l.lookup(lev.key)
				}
			}
			state = stValue

		case stArrStart:
			c := l.ws()
			if c == ']' {
				l.pos++
				l.pop()
				state = stAfter
				continue
			}
			state = stValue

		case stAfter:
			l.capIdx = -1
			if l.depth == 0 {
				return nil
			}
			c := l.ws()
			obj := l.topIsObj()
			switch {
			case c == ',':
				l.pos++
				if obj {
					state = stKey
				} else {
					if l.depth <= l.maxDepth {
						l.levels[l.depth-1].index++
					}
					state = stValue
				}
			case c == '}' && obj, c == ']' && !obj:
				l.pos++
				l.pop()
			case obj:
				return l.unexpected(c, "after object member")
			default:
				return l.unexpected(c, "after array element")
			}
		}
	}
}

// lookup returns the capture index of key, or -1.
func (l *locator) lookup(key []byte) int {
	if n := len(key); n < 64 && l.capLens&(1<<n) == 0 {
		return -1
	}
	for i, name := range l.names {
		if name == string(key) {
			return i
		}
	}
	return -1
}

// store records the captured value in l.val for the current object.
func (l *locator) store() {
	k := l.capIdx
	l.capIdx = -1
	lev := &l.levels[l.depth-1]
	if lev.frame != nil {
		if lev.frame.Fields == nil {
			lev.frame.Fields = make(map[string]string, len(l.names))
		}
		lev.frame.Fields[l.names[k]] = string(l.val)
		return
	}
	lev.vals[k] = append(lev.vals[k][:0], l.val...)
	lev.set[k] = true
}

// literal consumes true, false or null.
func (l *locator) literal(word string) *Error {
	for i := 0; i < len(word); i++ {
		if l.pos == l.end && !l.fill() {
			return l.eofErr()
		}
		if c := l.buf[l.pos]; c != word[i] {
			return l.errAt(l.abs(l.pos), "invalid character %s in literal %s", quoteChar(c), word)
		}
		l.pos++
	}
	if l.capIdx >= 0 {
		l.val = append(l.val[:0], word...)
		l.store()
	}
	return nil
}

// scanNumber consumes a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (l *locator) scanNumber() *Error {
	const (
		nStart = iota // before '-' or first digit
		nMinus        // after '-'
		nZero         // after leading 0
		nInt          // in integer digits
		nDot          // after '.'
		nFrac         // in fraction digits
		nE            // after 'e'
		nESign        // after exponent sign
		nExp          // in exponent digits
	)
	capture := l.capIdx >= 0
	trunc := false
	if capture {
		l.val = l.val[:0]
	}
	st := nStart
	for {
		if l.pos == l.end && !l.fill() {
			if l.rerr != io.EOF {
				return l.eofErr()
			}
			break
		}
		c := l.buf[l.pos]
		next := -1
		switch st {
		case nStart:
			if c == '-' {
				next = nMinus
			} else if c == '0' {
				next = nZero
			} else if c >= '1' && c <= '9' {
				next = nInt
			}
		case nMinus:
			if c == '0' {
				next = nZero
			} else if c >= '1' && c <= '9' {
				next = nInt
			}
		case nZero, nInt:
			if st == nInt && c >= '0' && c <= '9' {
				next = nInt
			} else if c == '.' {
				next = nDot
			} else if c == 'e' || c == 'E' {
				next = nE
			}
		case nDot, nFrac:
			if c >= '0' && c <= '9' {
				next = nFrac
			} else if st == nFrac && (c == 'e' || c == 'E') {
				next = nE
			}
		case nE:
			if c == '+' || c == '-' {
				next = nESign
			} else if c >= '0' && c <= '9' {
				next = nExp
			}
		case nESign, nExp:
			if c >= '0' && c <= '9' {
				next = nExp
			}
		}
		if next < 0 {
			break
		}
		st = next
		if capture {
			if len(l.val) < l.maxVal {
				l.val = append(l.val, c)
			} else {
				trunc = true
			}
		}
		l.pos++
	}
	switch st {
	case nZero, nInt, nFrac, nExp:
	default:
		if l.pos == l.end {
			return l.eofErr()
		}
		return l.errAt(l.abs(l.pos), "invalid character %s in number", quoteChar(l.buf[l.pos]))
	}
	if capture {
		if trunc {
			l.val = append(l.val, Ellipsis...)
		}
		l.store()
	}
	return nil
}

// quoteChar formats c for error messages.
func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	if c >= utf8.RuneSelf {
		s = fmt.Sprintf(`"\x%02x"`, c)
	}
	return "'" + s[1:len(s)-1] + "'"
}

// describe pins the live frames and returns the path and frames of the
// string being scanned.
func (l *locator) describe() (string, []*Frame) {
	kept := min(l.depth, l.maxDepth)
	frames := make([]*Frame, kept)
	sb := l.sb[:0]
	for i := 0; i < kept; i++ {
		lev := &l.levels[i]
		if lev.frame == nil {
			lev.frame = l.newFrame(i)
		}
		frames[i] = lev.frame
		if i > 0 {
			sb = appendComponent(sb, &l.levels[i-1])
		}
	}
	if l.depth > l.maxDepth {
		sb = append(sb, Ellipsis...)
	} else if l.depth > 0 {
		sb = appendComponent(sb, &l.levels[l.depth-1])
	}
	l.sb = sb
	return string(sb), frames
}

// newFrame builds the exported frame of tracked level i.
func (l *locator) newFrame(i int) *Frame {
	f := &Frame{Index: -1}
	if i > 0 {
		if p := &l.levels[i-1]; p.obj {
			f.Key = string(p.key)
		} else {
			f.Index = p.index
		}
	}
	lev := &l.levels[i]
	if lev.obj {
		for k, ok := range lev.set {
			if ok {
				if f.Fields == nil {
					f.Fields = make(map[string]string, len(l.names))
				}
				f.Fields[l.names[k]] = string(lev.vals[k])
			}
		}
	}
	return f
}

// appendComponent appends the path element naming the current member or
// element of container p.
func appendComponent(sb []byte, p *level) []byte {
	if !p.obj {
		return AppendPathIndex(sb, p.index)
	}
	return appendPathKey(sb, p.key)
}

// answer resolves every pending target before offset limit (exclusive) to
// the string being scanned, whose quotes are at start and end (-1: cut).
func (l *locator) answer(limit int64, inKey bool, start, end int64) {
	if l.next >= limit {
		return
	}
	path, frames := l.describe()
	first := true
	for l.next < limit {
		t := &l.targets[l.order[l.ti]]
		t.Found = true
		t.InKey = inKey
		t.Start, t.End = start, end
		t.Path = path
		if first {
			t.Frames = frames
			first = false
		} else {
			t.Frames = slices.Clone(frames)
		}
		l.ti++
		l.setNext()
	}
}

// skipBefore drops pending targets before offset q: they are not inside a
// string.
func (l *locator) skipBefore(q int64) {
	for l.next < q {
		l.ti++
		l.setNext()
	}
}
