package jsonloc

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// String scanning is the hot path: transcripts are mostly long string
// values. findSpecial skips plain bytes eight at a time with word-wide
// (SWAR) tests, so only quotes, backslashes, control characters and the
// first byte of each non-ASCII character are looked at one by one.

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// special marks the bytes that end a run of plain string bytes.
var special = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80
	}
	return t
}()

// findSpecial returns the index of the first byte at or after p in b that
// is a quote, a backslash, a control character (< 0x20) or non-ASCII
// (>= 0x80), or len(b).
func findSpecial(b []byte, p int) int {
	for ; p+16 <= len(b); p += 16 {
		w := binary.LittleEndian.Uint64(b[p:])
		v := binary.LittleEndian.Uint64(b[p+8:])
		mw, mv := specialMask(w), specialMask(v)
		if mw|mv != 0 {
			if mw != 0 {
				return p + bits.TrailingZeros64(mw)>>3
			}
			return p + 8 + bits.TrailingZeros64(mv)>>3
		}
	}
	for ; p+8 <= len(b); p += 8 {
		if m := specialMask(binary.LittleEndian.Uint64(b[p:])); m != 0 {
			return p + bits.TrailingZeros64(m)>>3
		}
	}
	for ; p < len(b); p++ {
		if special[b[p]] {
			return p
		}
	}
	return p
}

// findQuoteEscCtl returns the index of the first quote, backslash or
// control character at or after p in b, or len(b).
func findQuoteEscCtl(b []byte, p int) int {
	for ; p+8 <= len(b); p += 8 {
		w := binary.LittleEndian.Uint64(b[p:])
		q := w ^ (ones * '"')
		s := w ^ (ones * '\\')
		// As in specialMask, but bytes >= 0x80 are masked out.
		if m := ((q-ones)&^q | (s-ones)&^s | (w-ones*0x20)&^w) & highs; m != 0 {
			return p + bits.TrailingZeros64(m)>>3
		}
	}
	for ; p < len(b); p++ {
		if c := b[p]; c < 0x20 || c == '"' || c == '\\' {
			return p
		}
	}
	return p
}

// specialMask sets the high bit of the special bytes of the little-endian
// word w. Below the first special byte nothing borrows, and a byte b < 0x80
// gives a high bit in (b^'"')-1 only when b is '"', in (b^'\\')-1 only when
// b is a backslash and in b-0x20 only when b < 0x20; bytes >= 0x80 are
// flagged by w itself. Borrows may also flag bytes above the first special
// byte, so only the lowest set bit is exact, which is all findSpecial uses.
func specialMask(w uint64) uint64 {
	q := w ^ (ones * '"')
	s := w ^ (ones * '\\')
	return ((q - ones) | (s - ones) | (w - ones*0x20) | w) & highs
}

// scanString consumes the string whose opening quote is at pos and answers
// the targets inside it. With dst non-nil, the decoded content is appended
// to *dst, cut to limit bytes at a character boundary (then Ellipsis is
// appended and *trunc set).
func (l *locator) scanString(dst *[]byte, limit int, trunc *bool, inKey bool) *Error {
	start := l.abs(l.pos)
	l.skipBefore(start)
	end, err := l.stringBody(dst, limit, trunc)
	if dst != nil && *trunc {
		*dst = cutUTF8(*dst, limit)
		*dst = append(*dst, Ellipsis...)
	}
	if err != nil {
		l.answer(err.Offset, inKey, start, -1)
		return err
	}
	l.answer(end+1, inKey, start, end)
	return nil
}

// stringBody consumes a string up to and including its closing quote, whose
// offset it returns.
func (l *locator) stringBody(dst *[]byte, limit int, trunc *bool) (int64, *Error) {
	l.pos++ // opening quote
	for {
		p := findSpecial(l.buf[:l.end], l.pos)
		if dst != nil && p > l.pos {
			*dst = appendCap(*dst, l.buf[l.pos:p], limit, trunc)
		}
		l.pos = p
		if p == l.end {
			if !l.fill() {
				return 0, l.eofErr()
			}
			continue
		}
		switch c := l.buf[p]; {
		case c == '"':
			l.pos++
			return l.abs(p), nil
		case c == '\\':
			if p+1 < l.end {
				if d := simpleEscape[l.buf[p+1]]; d != 0 {
					if dst != nil {
						if len(*dst) < limit {
							*dst = append(*dst, d)
						} else {
							*trunc = true
						}
					}
					l.pos = p + 2
					continue
				}
			}
			if err := l.escape(dst, limit, trunc); err != nil {
				return 0, err
			}
		case c < 0x20:
			return 0, l.errAt(l.abs(p), "invalid control character %s in string", quoteChar(c))
		default:
			if err := l.utf8Run(dst, limit, trunc); err != nil {
				return 0, err
			}
		}
	}
}

// utf8Run validates and consumes the non-ASCII text starting at pos: up to
// the next quote, backslash or control character, or to the last complete
// character in the buffer.
func (l *locator) utf8Run(dst *[]byte, limit int, trunc *bool) *Error {
	p := l.pos
	q := findQuoteEscCtl(l.buf[:l.end], p)
	k := q
	if q == l.end {
		// Leave a character cut by the end of the buffer for the next round.
		j := q - 1
		for j > p && q-j < utf8.UTFMax && !utf8.RuneStart(l.buf[j]) {
			j--
		}
		if !utf8.FullRune(l.buf[j:q]) {
			k = j
		}
	}
	if k > p {
		run := l.buf[p:k]
		if !utf8.Valid(run) {
			for i := 0; ; {
				r, size := utf8.DecodeRune(run[i:])
				if r == utf8.RuneError && size <= 1 {
					if dst != nil {
						*dst = appendCap(*dst, run[:i], limit, trunc)
					}
					return l.errAt(l.abs(p+i), "invalid UTF-8 byte %s in string", quoteChar(run[i]))
				}
				i += size
			}
		}
		if dst != nil {
			*dst = appendCap(*dst, run, limit, trunc)
		}
		l.pos = k
		return nil
	}
	// A character cut by the end of the buffer.
	l.ensure(utf8.UTFMax)
	r, size := utf8.DecodeRune(l.buf[l.pos:l.end])
	if r == utf8.RuneError && size <= 1 {
		if !utf8.FullRune(l.buf[l.pos:l.end]) {
			return l.eofErr() // input ends inside the character
		}
		return l.errAt(l.abs(l.pos), "invalid UTF-8 byte %s in string", quoteChar(l.buf[l.pos]))
	}
	if dst != nil {
		*dst = appendCap(*dst, l.buf[l.pos:l.pos+size], limit, trunc)
	}
	l.pos += size
	return nil
}

// simpleEscape maps the byte after a backslash to the byte it stands for,
// or 0 for \u and invalid escapes.
var simpleEscape = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// escape consumes the escape sequence starting with the backslash at pos.
func (l *locator) escape(dst *[]byte, limit int, trunc *bool) *Error {
	if l.end-l.pos < 2 && !l.ensure(2) {
		return l.eofErr()
	}
	var d byte
	switch c := l.buf[l.pos+1]; c {
	case '"', '\\', '/':
		d = c
	case 'b':
		d = '\b'
	case 'f':
		d = '\f'
	case 'n':
		d = '\n'
	case 'r':
		d = '\r'
	case 't':
		d = '\t'
	case 'u':
		return l.unicodeEscape(dst, limit, trunc)
	default:
		return l.errAt(l.abs(l.pos), "invalid escape %s in string", quoteChar(c))
	}
	if dst != nil {
		if len(*dst) < limit {
			*dst = append(*dst, d)
		} else {
			*trunc = true
		}
	}
	l.pos += 2
	return nil
}

// unicodeEscape consumes \uXXXX at pos, pairing UTF-16 surrogates when
// decoding. Unpaired surrogates decode to U+FFFD, as in encoding/json.
func (l *locator) unicodeEscape(dst *[]byte, limit int, trunc *bool) *Error {
	ok := l.end-l.pos >= 6 || l.ensure(6)
	avail := l.buf[l.pos+2 : min(l.end, l.pos+6)]
	for i, h := range avail {
		if unhex(h) < 0 {
			return l.errAt(l.abs(l.pos+2+i), "invalid character %s in \\u escape", quoteChar(h))
		}
	}
	if !ok {
		return l.eofErr()
	}
	r, _ := Hex4(l.buf[l.pos+2:])
	if dst == nil {
		l.pos += 6
		return nil
	}
	n := 6
	if utf16.IsSurrogate(r) {
		r2 := utf8.RuneError
		if r < 0xdc00 && (l.end-l.pos >= 12 || l.ensure(12)) {
			b := l.buf[l.pos+6 : l.pos+12]
			if b[0] == '\\' && b[1] == 'u' && isHex4(b[2:6]) {
				if lo, _ := Hex4(b[2:]); lo >= 0xdc00 && lo < 0xe000 {
					r2 = utf16.DecodeRune(r, lo)
					n = 12
				}
			}
		}
		r = r2
	}
	var tmp [utf8.UTFMax]byte
	*dst = appendCap(*dst, utf8.AppendRune(tmp[:0], r), limit, trunc)
	l.pos += n
	return nil
}

func unhex(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

func isHex4(b []byte) bool {
	return unhex(b[0]) >= 0 && unhex(b[1]) >= 0 && unhex(b[2]) >= 0 && unhex(b[3]) >= 0
}

// Hex4 decodes the four hex digits of a JSON \uXXXX escape (b[:4]); ok is
// false when one is not a hex digit.
func Hex4(b []byte) (r rune, ok bool) {
	r = unhex(b[0])<<12 | unhex(b[1])<<8 | unhex(b[2])<<4 | unhex(b[3])
	return r, r >= 0
}

// appendCap appends src to dst without letting dst exceed limit bytes;
// it sets *trunc when something was left out.
func appendCap(dst, src []byte, limit int, trunc *bool) []byte {
	room := limit - len(dst)
	if len(src) > room {
		*trunc = true
		if room <= 0 {
			return dst
		}
		src = src[:room]
	}
	return append(dst, src...)
}

// cutUTF8 cuts b (valid UTF-8 except for a possibly incomplete last
// character) to at most n bytes ending on a character boundary.
func cutUTF8(b []byte, n int) []byte {
	if len(b) > n {
		b = b[:n]
	}
	j := len(b) - 1
	for j > 0 && b[j]&0xc0 == 0x80 {
		j--
	}
	if j >= 0 && !utf8.FullRune(b[j:]) {
		b = b[:j]
	}
	return b
}
