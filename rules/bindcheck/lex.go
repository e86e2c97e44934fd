package bindcheck

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The tokenizer for Python and JavaScript/TypeScript. It drops comments,
// keeps each string (docstrings, f-strings and template literals included)
// as one token with its decoded text, and tells regex literals from
// division in JavaScript, so that nothing inside a comment or a string is
// ever read as code. It never fails: unterminated constructs end at the
// end of their line (or of the input) and scanning goes on.

type tkind uint8

const (
	tEOF tkind = iota
	tIdent
	tNum
	tStr
	tPunct
	tNewline // Python: the end of a logical line
	tRegex   // JavaScript regex literal
)

// tok is one token. s and e are byte offsets into the whole source.
type tok struct {
	kind tkind
	// nl is set on a token that starts a line: in Python the first token
	// of a logical line (with its indentation in col), in JavaScript any
	// token with a line break before it.
	nl   bool
	col  int32
	s, e int
	text string  // identifier, number or punctuation text (interned)
	str  *strTok // tStr
}

// interner shares one string per distinct identifier or number text, so
// that a file's tokens do not allocate one string each.
type interner map[string]string

func (in interner) get(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// strTok is a string literal: its decoded literal parts and, for
// f-strings and template literals, the source spans of its embedded
// expressions.
type strTok struct {
	parts []strPart
}

type strPart struct {
	lit          string
	expr         bool
	exprS, exprE int
}

func isIdentStart(r rune) bool {
	return r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= utf8.RuneSelf && unicode.IsLetter(r)
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || r >= '0' && r <= '9' || r >= utf8.RuneSelf && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

// puncts are the multi-byte operators, longest first.
var puncts = []string{
	">>>=", "...", "===", "!==", "**=", "//=", ">>=", "<<=", "&&=", "||=", "??=", ">>>",
	"=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "**", "++", "--", "+=", "-=", "*=", "/=", "%=",
	"&=", "|=", "^=", "<<", ">>", "->", ":=", "//", "@=",
}

// punctByFirst lists puncts by their first byte, longest first.
var punctByFirst = func() (t [256][]string) {
	for _, p := range puncts {
		t[p[0]] = append(t[p[0]], p)
	}
	return t
}()

func punctAt(src []byte, i int) string {
	for _, p := range punctByFirst[src[i]] {
		if len(p) <= len(src)-i && string(src[i:i+len(p)]) == p {
			return p
		}
	}
	return string(src[i : i+1])
}

// ---- Python ----

// lexPython tokenizes src[start:end].
func lexPython(src []byte, start, end int) []tok {
	out := make([]tok, 0, (end-start)/6+16)
	in := interner{}
	depth := 0
	lineStart := true
	indent := 0
	i := start
	emitNL := func(at int) {
		if len(out) > 0 && out[len(out)-1].kind != tNewline {
			out = append(out, tok{kind: tNewline, s: at, e: at})
		}
	}
	for i < end {
		c := src[i]
		if lineStart {
			// measure indentation
			indent = 0
			j := i
			for j < end && (src[j] == ' ' || src[j] == '\t' || src[j] == '\f') {
				if src[j] == '\t' {
					indent = (indent/8 + 1) * 8
				} else {
					indent++
				}
				j++
			}
			i = j
			if i >= end {
				break
			}
			c = src[i]
			if c == '\n' || c == '\r' || c == '#' {
				// blank or comment-only line
				if c == '#' {
					for i < end && src[i] != '\n' {
						i++
					}
				}
				if i < end {
					i++
				}
				continue
			}
			if c == '\\' && i+1 < end && (src[i+1] == '\n' || src[i+1] == '\r') {
				i += 2
				continue
			}
			lineStart = false
		}
		switch {
		case c == '\n':
			if depth == 0 {
				emitNL(i)
				lineStart = true
			}
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
			continue
		case c == '#':
			for i < end && src[i] != '\n' {
				i++
			}
			continue
		case c == '\\' && i+1 < end && (src[i+1] == '\n' || src[i+1] == '\r'):
			i += 2
			if i < end && src[i-1] == '\r' && src[i] == '\n' {
				i++
			}
			continue
		}
		t := tok{s: i}
		if len(out) == 0 || out[len(out)-1].kind == tNewline {
			t.nl, t.col = true, int32(indent)
		}
		r, size := utf8.DecodeRune(src[i:end])
		switch {
		case c == '"' || c == '\'':
			t.kind = tStr
			t.str, i = lexPyString(src, i, end, "")
		case isIdentStart(r) && r != '$':
			j := i + size
			for j < end {
				r2, s2 := utf8.DecodeRune(src[j:end])
				if !isIdentPart(r2) || r2 == '$' {
					break
				}
				j += s2
			}
			word := in.get(src[i:j])
			if j < end && (src[j] == '"' || src[j] == '\'') && len(word) <= 2 && strings.Trim(strings.ToLower(word), "rbuf") == "" {
				t.kind = tStr
				t.str, i = lexPyString(src, j, end, strings.ToLower(word))
			} else {
				t.kind, t.text, i = tIdent, word, j
			}
		case c >= '0' && c <= '9' || c == '.' && i+1 < end && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1
			for j < end && (isNumByte(src[j]) || (src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E') && !isHexNum(src[i:j])) {
				j++
			}
			t.kind, t.text, i = tNum, in.get(src[i:j]), j
		default:
			p := punctAt(src[:end], i)
			t.kind, t.text = tPunct, p
			i += len(p)
			switch p {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				if depth > 0 {
					depth--
				}
			}
		}
		t.e = i
		out = append(out, t)
	}
	emitNL(end)
	return out
}

func isNumByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.'
}

func isHexNum(b []byte) bool {
	return len(b) > 1 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')
}

// lexPyString reads a Python string literal whose quote is at src[i], with
// the lower-case prefix given, and returns it and the offset after it.
func lexPyString(src []byte, i, end int, prefix string) (*strTok, int) {
	q := src[i]
	triple := i+2 < end && src[i+1] == q && src[i+2] == q
	raw := strings.Contains(prefix, "r")
	fstr := strings.Contains(prefix, "f")
	st := &strTok{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			st.parts = append(st.parts, strPart{lit: lit.String()})
			lit.Reset()
		}
	}
	if triple {
		i += 3
	} else {
		i++
	}
	for i < end {
		c := src[i]
		switch {
		case c == q && (!triple || i+2 < end && src[i+1] == q && src[i+2] == q):
			flush()
			if triple {
				return st, i + 3
			}
			return st, i + 1
		case c == '\n' && !triple:
			flush()
			return st, i // unterminated: ends at the line
		case c == '\\' && i+1 < end:
			if raw {
				lit.WriteByte(c)
				lit.WriteByte(src[i+1])
			} else {
				lit.WriteString(pyEscape(src[i+1]))
			}
			i += 2
			continue
		case fstr && c == '{':
			if i+1 < end && src[i+1] == '{' {
				lit.WriteByte('{')
				i += 2
				continue
			}
			flush()
			es := i + 1
			ee, next := fExprEnd(src, es, end, '}')
			st.parts = append(st.parts, strPart{expr: true, exprS: es, exprE: ee})
			i = next
			continue
		case fstr && c == '}' && i+1 < end && src[i+1] == '}':
			lit.WriteByte('}')
			i += 2
			continue
		}
		lit.WriteByte(c)
		i++
	}
	flush()
	return st, i
}

func pyEscape(c byte) string {
	switch c {
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case 'r':
		return "\r"
	case '\\', '\'', '"':
		return string(c)
	case '\n':
		return ""
	}
	return "\\" + string(c)
}

// fExprEnd finds the end of an embedded expression that starts at es: the
// offset of the first '}' (or, in Python, '!'/':' format suffix) at depth
// 0 outside strings, and the offset after the closing brace.
func fExprEnd(src []byte, es, end int, close byte) (exprEnd, next int) {
	depth := 0
	exprEnd = -1
	for i := es; i < end; i++ {
		c := src[i]
		switch c {
		case '\'', '"', '`':
			// skip a nested string
			j := i + 1
			for j < end && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			i = j
		case '(', '[', '{':
			depth++
		case ')', ']':
			depth--
		case '}':
			if depth == 0 {
				if exprEnd < 0 {
					exprEnd = i
				}
				return exprEnd, i + 1
			}
			depth--
		case '!', ':':
			if close == '}' && depth == 0 && exprEnd < 0 && !(c == '!' && i+1 < end && src[i+1] == '=') {
				exprEnd = i
			}
		case '\n':
			if close != '}' {
				continue
			}
		}
	}
	if exprEnd < 0 {
		exprEnd = end
	}
	return exprEnd, end
}

// ---- JavaScript / TypeScript ----

var starSlash = []byte("*/")

// jsRegexAfterWord are the keywords after which a '/' starts a regex.
var jsRegexAfterWord = map[string]bool{
	"return": true, "typeof": true, "instanceof": true, "in": true, "of": true, "new": true, "delete": true,
	"void": true, "throw": true, "case": true, "do": true, "else": true, "yield": true, "await": true,
}

// lexJS tokenizes src[start:end].
func lexJS(src []byte, start, end int) []tok {
	out := make([]tok, 0, (end-start)/6+16)
	in := interner{}
	i := start
	nl := true
	if i+1 < end && src[i] == '#' && src[i+1] == '!' { // shebang
		for i < end && src[i] != '\n' {
			i++
		}
	}
	for i < end {
		c := src[i]
		switch {
		case c == '\n':
			nl = true
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '/' && i+1 < end && src[i+1] == '/':
			for i < end && src[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < end && src[i+1] == '*':
			k := bytes.Index(src[i+2:end], starSlash)
			if k < 0 {
				i = end
			} else {
				if bytes.IndexByte(src[i:i+2+k], '\n') >= 0 {
					nl = true
				}
				i += k + 4
			}
			continue
		case c >= 0x80:
			r, size := utf8.DecodeRune(src[i:end])
			if r == 0x2028 || r == 0x2029 || unicode.IsSpace(r) || r == 0xFEFF {
				i += size
				continue
			}
		}
		t := tok{s: i, nl: nl}
		nl = false
		r, size := utf8.DecodeRune(src[i:end])
		switch {
		case c == '"' || c == '\'':
			t.kind = tStr
			t.str, i = lexJSString(src, i, end)
		case c == '`':
			t.kind = tStr
			t.str, i = lexTemplate(src, i, end)
		case isIdentStart(r) || c == '#' && i+1 < end && isIdentStart(rune(src[i+1])):
			j := i + size
			for j < end {
				r2, s2 := utf8.DecodeRune(src[j:end])
				if !isIdentPart(r2) {
					break
				}
				j += s2
			}
			t.kind, t.text, i = tIdent, in.get(src[i:j]), j
		case c >= '0' && c <= '9' || c == '.' && i+1 < end && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1
			for j < end && (isNumByte(src[j]) || (src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E') && !isHexNum(src[i:j])) {
				j++
			}
			t.kind, t.text, i = tNum, in.get(src[i:j]), j
		case c == '/' && regexAllowed(out):
			t.kind = tRegex
			i = lexRegex(src, i, end)
		default:
			p := punctAt(src[:end], i)
			if p == "//" || p == "//=" || p == "->" || p == ":=" || p == "@=" { // Python-only operators
				p = p[:1]
			}
			t.kind, t.text = tPunct, p
			i += len(p)
		}
		t.e = i
		out = append(out, t)
	}
	return out
}

// regexAllowed reports whether a '/' after the tokens so far starts a
// regular expression rather than a division.
func regexAllowed(out []tok) bool {
	if len(out) == 0 {
		return true
	}
	p := out[len(out)-1]
	switch p.kind {
	case tNum, tStr, tRegex:
		return false
	case tIdent:
		return jsRegexAfterWord[p.text]
	case tPunct:
		return p.text != ")" && p.text != "]" && p.text != "}"
	}
	return true
}

func lexRegex(src []byte, i, end int) int {
	i++
	class := false
	for i < end {
		c := src[i]
		switch {
		case c == '\\':
			i += 2
			continue
		case c == '\n':
			return i
		case c == '[':
			class = true
		case c == ']':
			class = false
		case c == '/' && !class:
			i++
			for i < end && (src[i] >= 'a' && src[i] <= 'z' || src[i] >= 'A' && src[i] <= 'Z') {
				i++
			}
			return i
		}
		i++
	}
	return i
}

func lexJSString(src []byte, i, end int) (*strTok, int) {
	q := src[i]
	i++
	var lit strings.Builder
	for i < end {
		c := src[i]
		switch {
		case c == q:
			return &strTok{parts: []strPart{{lit: lit.String()}}}, i + 1
		case c == '\n':
			return &strTok{parts: []strPart{{lit: lit.String()}}}, i
		case c == '\\' && i+1 < end:
			if src[i+1] == '\r' && i+2 < end && src[i+2] == '\n' {
				i += 3
				continue
			}
			lit.WriteString(pyEscape(src[i+1]))
			i += 2
			continue
		}
		lit.WriteByte(c)
		i++
	}
	return &strTok{parts: []strPart{{lit: lit.String()}}}, i
}

// lexTemplate reads a template literal; ${…} parts keep their source span.
func lexTemplate(src []byte, i, end int) (*strTok, int) {
	i++
	st := &strTok{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			st.parts = append(st.parts, strPart{lit: lit.String()})
			lit.Reset()
		}
	}
	for i < end {
		c := src[i]
		switch {
		case c == '`':
			flush()
			return st, i + 1
		case c == '\\' && i+1 < end:
			lit.WriteString(pyEscape(src[i+1]))
			i += 2
			continue
		case c == '$' && i+1 < end && src[i+1] == '{':
			flush()
			es := i + 2
			ee := jsExprEnd(src, es, end)
			st.parts = append(st.parts, strPart{expr: true, exprS: es, exprE: ee})
			i = min(ee+1, end)
			continue
		}
		lit.WriteByte(c)
		i++
	}
	flush()
	return st, i
}

// jsExprEnd returns the offset of the '}' that closes a template
// substitution starting at es, skipping nested strings, templates and
// comments.
func jsExprEnd(src []byte, es, end int) int {
	depth := 0
	for i := es; i < end; i++ {
		switch src[i] {
		case '\'', '"':
			_, j := lexJSString(src, i, end)
			i = j - 1
		case '`':
			_, j := lexTemplate(src, i, end)
			i = j - 1
		case '/':
			if i+1 < end && src[i+1] == '/' {
				for i < end && src[i] != '\n' {
					i++
				}
			} else if i+1 < end && src[i+1] == '*' {
				k := bytes.Index(src[i+2:end], starSlash)
				if k < 0 {
					return end
				}
				i += k + 3
			}
		case '{':
			depth++
		case '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return end
}
