package rules

import "unsafe"

// The hitCheck of generic-credential-assignment (assignmentWalk). Its
// pattern, after the keyword:
//
//	[A-Za-z0-9_.-]{0,48} (?: (?i:key|token|value|phrase))?
//	(?:\\?["']\]?[ \t]{0,7}|\*{0,2}[ \t]{0,16}) (?:=|:=|:|=>) \*{0,2}[ \t]{0,16}
//	(?:\\?"(DQ{8,256})\\?"|\\?'(SQ{8,256})\\?'|`(BQ{8,256})`|(?:\\?["']|`)?(UQ{8,256}))
//
// Every match's secret is, from one of the places the walk reaches, the
// run of one value class, whole or (unquoted) its first 256 bytes. The
// rule reports a secret only if LooksLikeSecret(secret, 8) (its
// validator), so a hit whose every such secret fails it yields nothing:
// on minified code, t.isTokenExpired=function(e){return is code. The
// walk reads the raw bytes twice, as JSON string text and as they are:
// the pattern itself allows a backslash before a quote, so, unlike
// generic-api-key's walk, one reading does not cover the other.

// assignmentKeywords are generic-credential-assignment's keywords (its
// hitCheck applies only while the rule has exactly these).
var assignmentKeywords = map[string]bool{"secret": true, "token": true, "passw": true, "pwd": true, "passphrase": true, "credential": true,
	"api_key": true, "api-key": true, "apikey": true, "api.key": true, "access_key": true, "access-key": true, "accesskey": true, "access.key": true,
	"private_key": true, "private-key": true, "privatekey": true, "private.key": true, "auth_key": true, "auth-key": true, "authkey": true, "auth.key": true,
	"api key": true, "access key": true}

// assignmentNameTail bounds the name bytes after a hit's keyword: the
// pattern's 48, and what its keyword alternation reads past a keyword
// (passw → passphrase: 5, credential → credentials: 1).
const assignmentNameTail = 48 + 5

// assignmentUnits bounds the decoded bytes from a hit's keyword to a
// secret's start: the name tail, " phrase", a separator of up to 18
// bytes, a 2-byte operator, 18 stars and blanks, a 2-byte opening quote.
const assignmentUnits = assignmentNameTail + 7 + 18 + 2 + 18 + 2

// assignmentCheck returns generic-credential-assignment's hitCheck for
// its pattern and keywords.
func assignmentCheck(pattern string, keywords []string) *hitCheck {
	return newHitCheck(pattern, pattern, 0, keywords, assignmentKeywords, assignmentWalk)
}

// assignmentWalk is the walk of generic-credential-assignment's hitCheck.
// It relies on the rule's validator (validateAssignment) rejecting what
// LooksLikeSecret(secret, 8) rejects; a rule without one is not checked.
func assignmentWalk(_ *hitCheck, r *Rule, b []byte, kwEnd int) (bool, int) {
	if r.Validate == nil {
		return true, 0
	}
	accept, end, backslash := assignmentWalkAs(b, kwEnd, true)
	if accept || !backslash {
		// Without a backslash among the bytes it read, the walk reads
		// them raw as it read them as JSON text, to the same answer.
		return accept, end
	}
	accept, e, _ := assignmentWalkAs(b, kwEnd, false)
	if accept {
		return true, 0
	}
	return false, max(end, e)
}

// units reads the bytes after a hit lazily, as JSON string text (json)
// or as they are. A unit it cannot read as one ASCII byte (the end of b,
// \uXXXX, another escape, a multi-byte character where the walk needs to
// know) reads as 0, a byte in no class, and sets bail: the walk then
// accepts.
type units struct {
	b    []byte
	json bool
	u    [assignmentUnits + 1]byte
	base int                         // raw offset of unit 0
	at   [assignmentUnits + 2]uint16 // raw offset of each unit from base; at[n] is known once unit n-1 is
	n    int                         // units decoded
	bail bool
	// backslash is set when a byte read as JSON text is a backslash.
	backslash bool
}

// get returns unit i (i <= assignmentUnits).
func (x *units) get(i int) byte {
	if i < x.n {
		return x.u[i]
	}
	return x.fill(i)
}

// fill decodes the units up to i and returns unit i.
func (x *units) fill(i int) byte {
	for x.n <= i {
		p := x.base + int(x.at[x.n])
		if p >= len(x.b) {
			x.bail = true
			return 0
		}
		c, w, ok := x.b[p], 1, true
		if c == '\\' && x.json {
			x.backslash = true
			c, w, ok = unit(x.b, p)
		}
		if !ok || c >= 0x80 {
			x.bail = true
			return 0
		}
		x.u[x.n] = c
		x.at[x.n+1] = uint16(p + w - x.base)
		x.n++
	}
	return x.u[i]
}

// read reads the byte at raw offset p.
func (x *units) read(p int) (byte, int, bool) {
	if !x.json {
		if p >= len(x.b) {
			return 0, 0, false
		}
		return x.b[p], 1, true
	}
	return unit(x.b, p)
}

// assignmentWalkAs walks with one reading of the raw bytes.
func assignmentWalkAs(b []byte, kwEnd int, json bool) (accept bool, end int, backslash bool) {
	x := &units{b: b, json: json}
	x.base = kwEnd
	end = -1
	var seen [assignmentUnits + 1]uint8 // per unit: value forms tried there (bits)
	var sepBuf [96]uint8
	// The name tail ends after 0 to assignmentNameTail name bytes. Where
	// it ends before a name byte, nothing follows: no separator, operator
	// or " phrase" starts with one. So the tail ends at the first other
	// unit, or not at all.
	t := 0
	for t < assignmentNameTail && isNameChar(x.get(t)) {
		t++
	}
	for _, p := range [2]int{t, phraseAfter(x, t)} {
		if p < 0 {
			continue
		}
		seps := separatorsAfter(x, p, sepBuf[:0])
		for _, q := range seps {
			ops, n := operatorsAfter(x, int(q))
			for _, o := range ops[:n] {
				// \*{0,2}[ \t]{0,16}
				for s := 0; s <= 2; s++ {
					if s > 0 && x.get(o+s-1) != '*' {
						break
					}
					for k := 0; k <= 16; k++ {
						v := o + s + k
						if k > 0 && !isBlank(x.get(v-1)) {
							break
						}
						if e, ok := x.values(v, &seen); ok {
							return true, 0, x.backslash
						} else {
							end = max(end, e)
						}
					}
				}
			}
		}
	}
	if x.bail {
		return true, 0, x.backslash
	}
	return false, end, x.backslash
}

// phraseAfter returns the unit after " key", " token", " value" or
// " phrase" (any case) at unit p, or -1.
func phraseAfter(x *units, p int) int {
	if x.get(p) != ' ' {
		return -1
	}
	for _, w := range [...]string{"key", "token", "value", "phrase"} {
		ok := true
		for i := 0; i < len(w); i++ {
			if lowerByte(x.get(p+1+i)) != w[i] {
				ok = false
				break
			}
		}
		if ok {
			return p + 1 + len(w)
		}
	}
	return -1
}

// separatorsAfter appends to out the units where \\?["']\]?[ \t]{0,7} or
// \*{0,2}[ \t]{0,16} can end when it starts at unit p.
func separatorsAfter(x *units, p int, out []uint8) []uint8 {
	for _, q := range [2]int{p, p + 1} { // without and with a backslash
		if q == p+1 && x.get(p) != '\\' {
			continue
		}
		if c := x.get(q); c == '"' || c == '\'' {
			out = blanksAfter(x, q+1, 7, out)
			if x.get(q+1) == ']' {
				out = blanksAfter(x, q+2, 7, out)
			}
		}
	}
	for s := 0; s <= 2; s++ {
		if s > 0 && x.get(p+s-1) != '*' {
			break
		}
		out = blanksAfter(x, p+s, 16, out)
	}
	return out
}

// blanksAfter appends to out the units after 0 to n blanks from unit q.
func blanksAfter(x *units, q, n int, out []uint8) []uint8 {
	for k := 0; k <= n; k++ {
		if k > 0 && !isBlank(x.get(q+k-1)) {
			break
		}
		out = append(out, uint8(q+k))
	}
	return out
}

// operatorsAfter returns the units after "=", ":=", ":" or "=>" at unit q
// (n of them).
func operatorsAfter(x *units, q int) (after [2]int, n int) {
	switch x.get(q) {
	case '=':
		if x.get(q+1) == '>' {
			return [2]int{q + 1, q + 2}, 2
		}
		return [2]int{q + 1}, 1
	case ':':
		if x.get(q+1) == '=' {
			return [2]int{q + 1, q + 2}, 2
		}
		return [2]int{q + 1}, 1
	}
	return after, 0
}

// Value forms (bits of units' seen marks).
const (
	formDQ = 1 << iota
	formSQ
	formBQ
	formUQ
)

// values tries the value forms at unit v: whether a secret of one of them
// passes LooksLikeSecret, else the raw offset where the furthest ends.
func (x *units) values(v int, seen *[assignmentUnits + 1]uint8) (int, bool) {
	end := -1
	try := func(form uint8, s int, set *[256]bool) bool {
		if s > assignmentUnits || seen[s]&form != 0 {
			return false
		}
		seen[s] |= form
		x.get(s - 1) // s's raw offset
		if x.bail {
			return false
		}
		e, ok := x.secretAt(x.base+int(x.at[s]), set)
		end = max(end, e)
		return ok
	}
	// \\?"(DQ) \\?'(SQ) `(BQ), and UQ after an optional \\?["'] or `.
	for _, q := range [2]int{v, v + 1} {
		if q == v+1 && x.get(v) != '\\' {
			continue
		}
		switch x.get(q) {
		case '"':
			if try(formDQ, q+1, dqSet) || try(formUQ, q+1, uqSet) {
				return 0, true
			}
		case '\'':
			if try(formSQ, q+1, sqSet) || try(formUQ, q+1, uqSet) {
				return 0, true
			}
		}
	}
	if x.get(v) == '`' && (try(formBQ, v+1, bqSet) || try(formUQ, v+1, uqSet)) {
		return 0, true
	}
	if try(formUQ, v, uqSet) {
		return 0, true
	}
	return end, false
}

// secretAt reads the run of class set from raw offset p, up to 256 bytes
// (the secret of a match starting there), and reports whether it passes
// LooksLikeSecret(secret, 8), or cannot be read (an escape, the end of
// b): then the walk accepts. It returns where the run (or its first 256
// bytes) ends.
func (x *units) secretAt(p int, set *[256]bool) (int, bool) {
	start, n, escaped := p, 0, false
	b := x.b
	for n < 256 {
		if p >= len(b) {
			return p, true
		}
		c, w := b[p], 1
		if c == '\\' && x.json {
			x.backslash = true
			var ok bool
			if c, w, ok = unit(b, p); !ok {
				return p, true
			}
		}
		if !set[c] {
			break
		}
		escaped = escaped || w > 1
		n++
		p += w
	}
	if n < 8 {
		return p, false
	}
	if !escaped {
		return p, LooksLikeSecret(unsafe.String(&x.b[start], n), 8)
	}
	buf := make([]byte, 0, n) // a value with JSON escapes: rare
	for q := start; q < p; {
		c, w, _ := x.read(q)
		buf = append(buf, c)
		q += w
	}
	return p, LooksLikeSecret(string(buf), 8)
}

// isBlank is [ \t].
func isBlank(c byte) bool { return c == ' ' || c == '\t' }
