package redact

import (
	"bytes"
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/scanner/jsonloc"
)

// Decoding JSON escapes, with a map back to the source.
//
// unescape decodes the escapes of JSON strings: \" \\ \/ \b \f \n \r \t and
// \uXXXX, with surrogate pairs joined into one character and a lone
// surrogate decoded as U+FFFD, as encoding/json does. It is lenient: a
// backslash that starts no valid escape stays as it is, so it also decodes
// plain text and partial or broken JSON without failing. For a valid JSON
// string it decodes exactly what encoding/json decodes.
//
// When asked, it records every escape it decoded in an escape table, which
// maps a span of the decoded text back to the source bytes it came from.
// A span that starts or ends inside an escape's decoded bytes is widened
// to the whole escape, so a replacement never cuts an escape in two.

// escEntry is one decoded escape: source bytes [src, src+slen) became
// decoded bytes [dec, dec+dlen).
type escEntry struct {
	dec, src   int32
	dlen, slen uint8
}

// escTable lists the escapes of one decoded text, in order.
type escTable []escEntry

// unescape appends the decoded form of src to dst. If tab is not nil, it
// receives one entry per decoded escape, with offsets relative to src and
// to the start of the appended text.
func unescape(dst, src []byte, tab *escTable) []byte {
	base := len(dst)
	for i := 0; i < len(src); {
		j := bytes.IndexByte(src[i:], '\\')
		if j < 0 {
			return append(dst, src[i:]...)
		}
		dst = append(dst, src[i:i+j]...)
		i += j
		// src[i] is a backslash.
		if i+1 >= len(src) {
			return append(dst, '\\')
		}
		var r rune = -1
		n := 2
		switch c := src[i+1]; c {
		case '"', '\\', '/':
			r = rune(c)
		case 'b':
			r = '\b'
		case 'f':
			r = '\f'
		case 'n':
			r = '\n'
		case 'r':
			r = '\r'
		case 't':
			r = '\t'
		case 'u':
			r1, ok := hex4(src, i+2)
			if !ok {
				break
			}
			r, n = r1, 6
			if utf16.IsSurrogate(r1) {
				r = utf8.RuneError
				if r2, ok := hex4(src, i+8); ok && i+7 < len(src) && src[i+6] == '\\' && src[i+7] == 'u' {
					if d := utf16.DecodeRune(r1, r2); d != utf8.RuneError {
						r, n = d, 12
					}
				}
			}
		}
		if r < 0 {
			// Not an escape: keep the backslash; the next byte is read as text.
			dst = append(dst, '\\')
			i++
			continue
		}
		at := len(dst)
		dst = utf8.AppendRune(dst, r)
		if tab != nil {
			*tab = append(*tab, escEntry{dec: int32(at - base), src: int32(i), dlen: uint8(len(dst) - at), slen: uint8(n)})
		}
		i += n
	}
	return dst
}

// hex4 reads four hex digits at b[i:] (jsonloc.Hex4, with a bounds
// check).
func hex4(b []byte, i int) (rune, bool) {
	if i < 0 || i+4 > len(b) {
		return 0, false
	}
	return jsonloc.Hex4(b[i : i+4])
}

// srcSpan maps the decoded span [d0, d1) to source offsets, widened to
// whole escapes.
func (t escTable) srcSpan(d0, d1 int) (int, int) {
	return t.srcStart(d0), t.srcEnd(d1)
}

// srcStart maps a decoded start offset to the source.
func (t escTable) srcStart(d int) int {
	// Last escape that starts at or before d.
	k := sort.Search(len(t), func(i int) bool { return int(t[i].dec) > d }) - 1
	if k < 0 {
		return d
	}
	e := t[k]
	if d < int(e.dec)+int(e.dlen) {
		return int(e.src)
	}
	return d - int(e.dec) - int(e.dlen) + int(e.src) + int(e.slen)
}

// srcEnd maps a decoded end offset (exclusive) to the source.
func (t escTable) srcEnd(d int) int {
	if d == 0 {
		return 0
	}
	last := d - 1
	k := sort.Search(len(t), func(i int) bool { return int(t[i].dec) > last }) - 1
	if k < 0 {
		return d
	}
	e := t[k]
	if last < int(e.dec)+int(e.dlen) {
		return int(e.src) + int(e.slen)
	}
	return d - int(e.dec) - int(e.dlen) + int(e.src) + int(e.slen)
}

// widen grows the source span [s0, s1) so that it neither starts nor ends
// inside an escape.
func (t escTable) widen(s0, s1 int) (int, int) {
	if k := sort.Search(len(t), func(i int) bool { return int(t[i].src) > s0 }) - 1; k >= 0 {
		if e := t[k]; s0 < int(e.src)+int(e.slen) {
			s0 = int(e.src)
		}
	}
	if s1 > 0 {
		last := s1 - 1
		if k := sort.Search(len(t), func(i int) bool { return int(t[i].src) > last }) - 1; k >= 0 {
			if e := t[k]; last < int(e.src)+int(e.slen) {
				s1 = int(e.src) + int(e.slen)
			}
		}
	}
	return s0, s1
}

// escFilter tells escapes that can be part of an occurrence of some
// needle from those that cannot. An occurrence found only after decoding
// holds at least one escape, and that escape decodes to a byte of the
// needle: a \n matters only to needles with a line break, \u001b to none.
// Escapes escaped once more (\\n, \\u0067: JSON inside a JSON string) are
// judged by what they decode to at the second level.
type escFilter struct {
	in [256]bool // bytes that occur in some needle
}

func newEscFilter(ns []needle) *escFilter {
	f := &escFilter{}
	for _, n := range ns {
		for _, c := range n.b {
			f.in[c] = true
		}
	}
	return f
}

// shortEsc maps the letter of a two-byte escape to the byte it stands for.
var shortEsc = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// escapeAt judges the escape that may start at b[i] (a backslash): it
// returns whether it matters and how many bytes to skip.
func (f *escFilter) escapeAt(b []byte, i int) (bool, int) {
	if i+1 >= len(b) {
		return false, 1
	}
	c := b[i+1]
	switch {
	case c == 'u':
		r, ok := hex4(b, i+2)
		if !ok {
			return false, 2
		}
		return f.rune(r), 6
	case c == '\\':
		// A backslash: itself maybe in a needle, or the start of a
		// second-level escape.
		if f.in['\\'] {
			return true, 2
		}
		if i+2 < len(b) {
			if d := b[i+2]; d == 'u' {
				if r, ok := hex4(b, i+3); ok && f.rune(r) {
					return true, 2
				}
			} else if e := shortEsc[d]; e != 0 && f.in[e] {
				return true, 2
			}
		}
		return false, 2
	case shortEsc[c] != 0:
		return f.in[shortEsc[c]], 2
	}
	return false, 1
}

// rune reports whether the character r (from \uXXXX) matters.
func (f *escFilter) rune(r rune) bool {
	switch {
	case r == '\\':
		return true // may start a second-level escape
	case r >= 0xd800 && r <= 0xdfff:
		return f.in[0xf0] || f.in[0xf1] || f.in[0xf2] || f.in[0xf3] || f.in[0xf4]
	}
	var buf [4]byte
	return f.in[utf8.AppendRune(buf[:0], r)[0]]
}

// relevant reports whether b holds an escape that matters.
func (f *escFilter) relevant(b []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '\\')
		if j < 0 {
			return false
		}
		ok, n := f.escapeAt(b, i+j)
		if ok {
			return true
		}
		i += j + n
		if i >= len(b) {
			return false
		}
	}
}

// each calls fn with the offset of every escape of b that matters.
func (f *escFilter) each(b []byte, fn func(int)) {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '\\')
		if j < 0 {
			return
		}
		ok, n := f.escapeAt(b, i+j)
		if ok {
			fn(i + j)
		}
		i += j + n
	}
}
