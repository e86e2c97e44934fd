package match

import (
	"slices"
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/scanner/jsonloc"
)

// This file decodes a window of raw JSON text so that regexes see string
// values the way a reader of the record would: `export KEY=\"v\"` becomes
// `export KEY="v"` and `a\nAPI_KEY=v\n` gets real line breaks. Bytes outside
// strings are copied unchanged, so `"token": "v"` keeps its quotes. Each
// decoded byte remembers the raw offset it came from.

// isEscapedQuote reports whether the quote at b[i] is escaped, that is,
// preceded by an odd number of backslashes.
func isEscapedQuote(b []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && b[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// stringStateAt returns whether position start lies inside a JSON string,
// given that position hit (>= start) does. It walks back from hit counting
// unescaped quotes; keywords only occur inside strings in valid JSON, so a
// keyword hit is a known in-string point.
func stringStateAt(b []byte, start, hit int) bool {
	in := true
	for i := hit - 1; i >= start; i-- {
		if b[i] == '"' && !isEscapedQuote(b, i) {
			in = !in
		}
	}
	return in
}

// alignEscapeStart moves start back so that it does not fall inside an
// escape sequence of a JSON string (after a backslash, or inside \uXXXX).
func alignEscapeStart(b []byte, start, floor int) int {
	for k := 1; k <= 5 && start-k >= floor; k++ {
		p := start - k
		if b[p] != '\\' || isEscapedQuote(b, p) { // isEscapedQuote: odd backslashes before p
			continue
		}
		if k == 1 {
			return p
		}
		if b[p+1] == 'u' {
			return p
		}
	}
	return start
}

// window is a decoded stretch of input: text[i] came from raw buffer offset
// pos[i]; pos[len(text)] is the raw end. With identity set, text is a raw
// sub-slice starting at raw offset base and pos is unused.
type window struct {
	text     []byte // the view rules see: dec, or a raw sub-slice
	dec      []byte // owned decode buffer
	pos      []int32
	identity bool
	base     int
	rawEnd   int
	// breaks are the decoded indexes of raw newlines: JSON Lines record
	// boundaries, which no match may cross.
	breaks []int
}

// rawOffset maps a decoded index (0..len(text)) to a raw buffer offset.
func (w *window) rawOffset(i int) int {
	if w.identity {
		return w.base + i
	}
	return int(w.pos[i])
}

// decodedIndex maps a raw buffer offset inside the window to the first
// decoded index whose raw offset is at or after it.
func (w *window) decodedIndex(raw int) int {
	if w.identity {
		return min(max(raw-w.base, 0), len(w.text))
	}
	return sort.Search(len(w.text), func(i int) bool { return int(w.pos[i]) >= raw })
}

// decodeJSON decodes b[start:end] into w, starting in or out of a string as
// inString says. A raw newline ends any string (JSON Lines record boundary).
// An escape cut by end is left out. w's buffers are reused.
func (w *window) decodeJSON(b []byte, start, end int, inString bool) {
	w.identity = false
	w.text = w.dec[:0]
	w.pos = w.pos[:0]
	w.breaks = w.breaks[:0]
	i := start
	for i < end {
		c := b[i]
		if !inString {
			// Copy structure up to the next quote in one go.
			j := i
			for j < end && b[j] != '"' {
				if b[j] == '\n' {
					w.breaks = append(w.breaks, len(w.text)+j-i)
				}
				j++
			}
			w.appendRaw(b, i, j)
			if j < end {
				w.appendByte('"', j)
				inString = true
				j++
			}
			i = j
			continue
		}
		switch c {
		case '"':
			w.appendByte('"', i)
			inString = false
			i++
		case '\n':
			w.breaks = append(w.breaks, len(w.text))
			w.appendByte('\n', i)
			inString = false
			i++
		case '\\':
			n := w.appendEscape(b, i, end)
			if n == 0 {
				i = end // escape cut by the window edge
				break
			}
			i += n
		default:
			j := i + 1
			for j < end && b[j] != '"' && b[j] != '\\' && b[j] != '\n' {
				j++
			}
			w.appendRaw(b, i, j)
			i = j
		}
	}
	w.pos = append(w.pos, int32(i))
	w.rawEnd = i
	w.dec = w.text[:0]
}

func (w *window) appendRaw(b []byte, from, to int) {
	w.text = append(w.text, b[from:to]...)
	n := len(w.pos)
	w.pos = slices.Grow(w.pos, to-from)[:n+to-from]
	p := w.pos[n:]
	for i := range p {
		p[i] = int32(from + i)
	}
}

func (w *window) appendByte(c byte, at int) {
	w.text = append(w.text, c)
	w.pos = append(w.pos, int32(at))
}

// appendEscape decodes the escape sequence at b[i] (b[i] == '\\') and
// returns how many raw bytes it used, or 0 when end cuts it.
func (w *window) appendEscape(b []byte, i, end int) int {
	if i+1 >= end {
		return 0
	}
	var c byte
	switch b[i+1] {
	case '"', '\\', '/':
		c = b[i+1]
	case 'n':
		c = '\n'
	case 't':
		c = '\t'
	case 'r':
		c = '\r'
	case 'b':
		c = '\b'
	case 'f':
		c = '\f'
	case 'u':
		r, n := decodeUnicodeEscape(b, i, end)
		if n == 0 {
			return 0
		}
		var tmp [utf8.UTFMax]byte
		m := utf8.EncodeRune(tmp[:], r)
		for k := 0; k < m; k++ {
			w.appendByte(tmp[k], i)
		}
		return n
	default:
		// Not a JSON escape: keep both bytes as they are.
		w.appendByte('\\', i)
		w.appendByte(b[i+1], i+1)
		return 2
	}
	w.appendByte(c, i)
	return 2
}

// decodeUnicodeEscape decodes \uXXXX (and a following low surrogate) at
// b[i]. It returns the rune and the raw length, or n == 0 when end cuts it.
// Invalid hex or lone surrogates decode to U+FFFD.
func decodeUnicodeEscape(b []byte, i, end int) (rune, int) {
	if i+6 > end {
		return 0, 0
	}
	r1, ok := jsonloc.Hex4(b[i+2 : i+6])
	if !ok {
		return utf8.RuneError, 2
	}
	if utf16.IsSurrogate(r1) {
		if i+12 <= end && b[i+6] == '\\' && b[i+7] == 'u' {
			if r2, ok := jsonloc.Hex4(b[i+8 : i+12]); ok {
				if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
					return r, 12
				}
			}
		}
		return utf8.RuneError, 6
	}
	return r1, 6
}
