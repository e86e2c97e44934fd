package rules

import (
	"math/bits"
	"unsafe"
)

// The Admits walks as first written (before they were made cheaper),
// kept as the oracle that TestAdmitsSameAsReference compares against.

// refPrecheck is the Precheck of the rules with a hitCheck as first
// written.
func refPrecheck(r *Rule, b []byte, kwEnd int) bool {
	switch r.ID {
	case "generic-api-key":
		return refAssignmentPrecheck(10, isValueByte)(b, kwEnd)
	case "generic-credential-assignment":
		return refAssignmentPrecheck(8, isQuotedValueByte)(b, kwEnd) && refQuotedValueFits(b, kwEnd, 8)
	}
	panic("no reference precheck for " + r.ID)
}

// refRuleAdmits is Rule.Admits with the reference walks.
func refRuleAdmits(r *Rule, b []byte, kwEnd int) bool {
	if !refPrecheck(r, b, kwEnd) {
		return false
	}
	if c := r.hitCheck; c != nil && r.Pattern == c.pattern && r.SecretGroup == c.group && sameSlice(r.Keywords, c.keywords) {
		walk := refAssignmentWalk
		if c.pattern == genericAPIKeyPattern {
			walk = refApiKeyWalk
		}
		budget := 16
		return c.refAdmits(r, b, kwEnd, 4, &budget, walk)
	}
	return true
}

func (c *hitCheck) refAdmits(r *Rule, b []byte, kwEnd, depth int, budget *int, walk func(*Rule, []byte, int) (bool, int)) bool {
	if *budget--; *budget < 0 {
		return true
	}
	accept, end := walk(r, b, kwEnd)
	if accept {
		return true
	}
	if end < 0 {
		return false // the regex cannot match here
	}
	// A keyword starting before end would be a hit the matcher skips
	// after a match of this one, and tries once this hit is rejected.
	// Unless that hit is rejected too, this one is not.
	if end > len(b) {
		return true
	}
	for i := max(kwEnd-c.maxKw+1, 0); i < end; i++ {
		ch := lowerByte(b[i])
		for _, k := range c.keywords { // (c.first[ch] as first written)
			e := i + len(k)
			if k[0] != ch || e == kwEnd || e > len(b) || !refHasFoldASCII(b[i:e], k) {
				continue
			}
			if depth == 0 || c.refAdmits(r, b, e, depth-1, budget, walk) {
				return true
			}
		}
	}
	return false
}

func refApiKeyWalk(r *Rule, b []byte, kwEnd int) (bool, int) {
	if r.Entropy <= 0 {
		return true, 0
	}
	return refSecretWalk(b, kwEnd, distinctFloor(r.Entropy))
}

func refSecretWalk(b []byte, kwEnd, need int) (accept bool, end int) {
	var u [prefixUnits + 1]byte // decoded bytes
	var at [prefixUnits + 2]int // raw offset of each
	// Bit sets of refUnit indexes by class: tail [ \t\w.-], quote or blank
	// [\s'"], value lead [\x60'"\s=], an operator's first byte.
	var tailM, quoteM, leadM, opM uint64
	p := kwEnd
	for i := 0; i <= prefixUnits; i++ {
		c, w, ok := refUnit(b, p)
		if !ok || c >= 0x80 {
			return true, 0
		}
		u[i], at[i] = c, p
		p += w
		bit := uint64(1) << i
		if refIsTailByte(c) {
			tailM |= bit
		}
		if refIsQuoteBlank(c) {
			quoteM |= bit
		}
		if refIsValueLead(c) {
			leadM |= bit
		}
		switch c {
		case '=', '>', ',', '|', '?', ':':
			opM |= bit
		}
	}
	at[prefixUnits+1] = p

	// Where the name tail may end (after 0 to 20 tail refUnits), then the
	// quotes and blanks, the operator, the quotes before the secret.
	tail := refSpread(1, tailM, 20)
	quoted := refSpread(tail, quoteM, 3)
	var op uint64
	for m := quoted & opM; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		switch u[i] {
		case '=':
			op |= 1 << (i + 1)
			if u[i+1] == '>' {
				op |= 1 << (i + 2)
			}
		case '>', ',':
			op |= 1 << (i + 1)
		case '|':
			if u[i+1] == '|' {
				op |= 1 << (i + 2)
			}
		case '?':
			if u[i+1] == '=' {
				op |= 1 << (i + 2)
			}
		case ':':
			op |= 1 << (i + 1)
			for k := 1; k <= 3 && u[i+k-1] == ':'; k++ {
				if u[i+k] == '=' {
					op |= 1 << (i + k + 1)
				}
			}
		}
	}
	if op == 0 {
		return false, -1
	}
	starts := refSpread(op, leadM, 5)

	// The run of secret bytes from each start; a later start inside a run
	// already refRead holds no more distinct bytes.
	end = -1
	for i := 0; i <= prefixUnits; i++ {
		if starts&(1<<i) == 0 || at[i] < end {
			continue
		}
		runEnd, ok := refDistinctRun(b, at[i], need)
		if ok {
			return true, 0
		}
		end = max(end, runEnd)
	}
	return false, end
}

func refSpread(from, class uint64, n int) uint64 {
	out, cur := from, from
	for k := 0; k < n && cur != 0; k++ {
		cur = (cur & class) << 1
		out |= cur
	}
	return out
}

func refDistinctRun(b []byte, p, need int) (int, bool) {
	var seen [256]bool
	distinct := 0
	for start := p; ; {
		if p-start > maxRunScan {
			return p, true
		}
		c, w, ok := refUnit(b, p)
		if !ok {
			return p, true
		}
		if !refIsSecretRunByte(c) {
			return p, false
		}
		if !seen[c] {
			seen[c] = true
			distinct++
			if distinct >= need {
				return p, true
			}
		}
		p += w
	}
}

func refHasFoldASCII(b []byte, k string) bool {
	for j := 0; j < len(k); j++ {
		if lowerByte(b[j]) != k[j] {
			return false
		}
	}
	return true
}

func refUnit(b []byte, p int) (byte, int, bool) {
	if p >= len(b) {
		return 0, 0, false
	}
	c := b[p]
	if c != '\\' {
		return c, 1, true
	}
	if p+1 >= len(b) {
		return 0, 0, false
	}
	switch b[p+1] {
	case '"', '\\', '/':
		return b[p+1], 2, true
	case 'b':
		return '\b', 2, true
	case 'f':
		return '\f', 2, true
	case 'n':
		return '\n', 2, true
	case 'r':
		return '\r', 2, true
	case 't':
		return '\t', 2, true
	}
	return 0, 0, false
}

func refIsSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func refIsSecretRunByte(c byte) bool {
	return isNameChar(c) || c == '=' || c == '+' || c == '/' || c >= 0x80
}

func refAssignmentWalk(r *Rule, b []byte, kwEnd int) (bool, int) {
	if r.Validate == nil {
		return true, 0
	}
	end := -1
	for _, json := range [2]bool{true, false} {
		accept, e := refAssignmentWalkAs(b, kwEnd, json)
		if accept {
			return true, 0
		}
		end = max(end, e)
	}
	return false, end
}

type refUnits struct {
	b    []byte
	json bool
	u    [assignmentUnits + 1]byte
	at   [assignmentUnits + 2]int // raw offset of each refUnit; at[n] is known once refUnit n-1 is
	n    int                      // refUnits decoded
	bail bool
}

func (x *refUnits) refGet(i int) byte {
	for x.n <= i {
		p := x.at[x.n]
		c, w, ok := x.refRead(p)
		if !ok || c >= 0x80 {
			x.bail = true
			return 0
		}
		x.u[x.n] = c
		x.at[x.n+1] = p + w
		x.n++
	}
	return x.u[i]
}

func (x *refUnits) refRead(p int) (byte, int, bool) {
	if !x.json {
		if p >= len(x.b) {
			return 0, 0, false
		}
		return x.b[p], 1, true
	}
	return refUnit(x.b, p)
}

func refAssignmentWalkAs(b []byte, kwEnd int, json bool) (bool, int) {
	x := &refUnits{b: b, json: json}
	x.at[0] = kwEnd
	end := -1
	var seen [assignmentUnits + 1]uint8 // per refUnit: value forms tried there (bits)
	var sepBuf [96]int
	for t := 0; t <= assignmentNameTail; t++ {
		for _, p := range [2]int{t, refPhraseAfter(x, t)} {
			if p < 0 {
				continue
			}
			seps := refSeparatorsAfter(x, p, sepBuf[:0])
			for _, q := range seps {
				ops, n := refOperatorsAfter(x, q)
				for _, o := range ops[:n] {
					// \*{0,2}[ \t]{0,16}
					for s := 0; s <= 2; s++ {
						if s > 0 && x.refGet(o+s-1) != '*' {
							break
						}
						for k := 0; k <= 16; k++ {
							v := o + s + k
							if k > 0 && !refIsBlank(x.refGet(v-1)) {
								break
							}
							if e, ok := x.refValues(v, &seen); ok {
								return true, 0
							} else {
								end = max(end, e)
							}
						}
					}
				}
			}
		}
		if !isNameChar(x.refGet(t)) {
			break
		}
	}
	if x.bail {
		return true, 0
	}
	return false, end
}

func refPhraseAfter(x *refUnits, p int) int {
	if x.refGet(p) != ' ' {
		return -1
	}
	for _, w := range [...]string{"key", "token", "value", "phrase"} {
		ok := true
		for i := 0; i < len(w); i++ {
			if lowerByte(x.refGet(p+1+i)) != w[i] {
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

func refSeparatorsAfter(x *refUnits, p int, out []int) []int {
	for _, q := range [2]int{p, p + 1} { // without and with a backslash
		if q == p+1 && x.refGet(p) != '\\' {
			continue
		}
		if c := x.refGet(q); c == '"' || c == '\'' {
			out = refBlanksAfter(x, q+1, 7, out)
			if x.refGet(q+1) == ']' {
				out = refBlanksAfter(x, q+2, 7, out)
			}
		}
	}
	for s := 0; s <= 2; s++ {
		if s > 0 && x.refGet(p+s-1) != '*' {
			break
		}
		out = refBlanksAfter(x, p+s, 16, out)
	}
	return out
}

func refBlanksAfter(x *refUnits, q, n int, out []int) []int {
	for k := 0; k <= n; k++ {
		if k > 0 && !refIsBlank(x.refGet(q+k-1)) {
			break
		}
		out = append(out, q+k)
	}
	return out
}

func refOperatorsAfter(x *refUnits, q int) (after [2]int, n int) {
	switch x.refGet(q) {
	case '=':
		if x.refGet(q+1) == '>' {
			return [2]int{q + 1, q + 2}, 2
		}
		return [2]int{q + 1}, 1
	case ':':
		if x.refGet(q+1) == '=' {
			return [2]int{q + 1, q + 2}, 2
		}
		return [2]int{q + 1}, 1
	}
	return after, 0
}

func (x *refUnits) refValues(v int, seen *[assignmentUnits + 1]uint8) (int, bool) {
	end := -1
	try := func(form uint8, s int, set *[256]bool) bool {
		if s > assignmentUnits || seen[s]&form != 0 {
			return false
		}
		seen[s] |= form
		x.refGet(s - 1) // s's raw offset
		if x.bail {
			return false
		}
		e, ok := x.refSecretAt(x.at[s], set)
		end = max(end, e)
		return ok
	}
	// \\?"(DQ) \\?'(SQ) `(BQ), and UQ after an optional \\?["'] or `.
	for _, q := range [2]int{v, v + 1} {
		if q == v+1 && x.refGet(v) != '\\' {
			continue
		}
		switch x.refGet(q) {
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
	if x.refGet(v) == '`' && (try(formBQ, v+1, bqSet) || try(formUQ, v+1, uqSet)) {
		return 0, true
	}
	if try(formUQ, v, uqSet) {
		return 0, true
	}
	return end, false
}

func (x *refUnits) refSecretAt(p int, set *[256]bool) (int, bool) {
	start, n, escaped := p, 0, false
	for n < 256 {
		c, w, ok := x.refRead(p)
		if !ok {
			return p, true
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
		c, w, _ := x.refRead(q)
		buf = append(buf, c)
		q += w
	}
	return p, LooksLikeSecret(string(buf), 8)
}

func refIsTailByte(c byte) bool   { return c == ' ' || c == '\t' || isNameChar(c) }
func refIsQuoteBlank(c byte) bool { return refIsSpaceByte(c) || c == '\'' || c == '"' }
func refIsValueLead(c byte) bool  { return refIsQuoteBlank(c) || c == '`' || c == '=' }
func refIsBlank(c byte) bool      { return c == ' ' || c == '\t' }

func refAssignmentPrecheck(minValue int, isValue func(byte) bool) Precheck {
	return func(b []byte, i int) bool {
		n := len(b)
		// Rest of the name: [ \t\w.-], generously bounded.
		for k := 0; k < 64 && i < n && isNameTail(b[i]); k++ {
			i++
		}
		// Quotes and blanks, with escapes.
		i = refSkipQuoteBlank(b, i, 24, false)
		if i >= n {
			return true
		}
		if !isOperator(b[i]) {
			return false
		}
		for k := 0; k < 4 && i < n && isOperator(b[i]); k++ {
			i++
		}
		// '=' may open the value as well as separate it: count it; so may
		// quotes and stars in a quoted value ('"a…' opens with a quote).
		j := refSkipQuoteBlank(b, i, 24, true)
		run := 0
		for k := i; k < j; k++ {
			if c := b[k]; c == '=' || (isValue(c) && c != ' ' && c != '\t' && c != '\f' && c != '\v') {
				run++
			}
		}
		i = j
		for i < n && run < minValue {
			c := b[i]
			if c == '\\' {
				if i+1 >= n {
					return true
				}
				switch b[i+1] {
				case 'u':
					i += 6
				case '/':
					i += 2
				default:
					return false
				}
				run++
				continue
			}
			if !isValue(c) {
				break
			}
			i++
			run++
		}
		return run >= minValue || i >= n
	}
}
func refQuotedValueFits(b []byte, i, minValue int) bool {
	n := len(b)
	for k := 0; k < 64 && i < n && isNameTail(b[i]); k++ {
		i++
	}
	i = refSkipQuoteBlank(b, i, 24, false)
	if i >= n {
		return true
	}
	if !isOperator(b[i]) {
		return false
	}
	first := i + 1
	j := i
	for k := 0; k < 4 && j < n && isOperator(b[j]); k++ {
		j++
	}
	j = refSkipQuoteBlank(b, j, 24, true)
	for v := first; v <= j; v++ {
		if v >= n {
			return true
		}
		open := quoteBefore(b, v, first)
		switch {
		case open == '"' && valueRun(b, v, dqSet, minValue):
			return true
		case open == '\'' && valueRun(b, v, sqSet, minValue):
			return true
		case open == '`' && valueRun(b, v, bqSet, minValue):
			return true
		case valueRun(b, v, uqSet, minValue):
			return true
		}
	}
	return false
}
func refSkipQuoteBlank(b []byte, i, max int, valueSide bool) int {
	for k := 0; k < max && i < len(b); k++ {
		switch c := b[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '"' || c == '\'' || c == '*' || (c == ']' && !valueSide):
			i++
		case valueSide && (c == '=' || c == '`'):
			i++
		case c == '\\' && i+1 < len(b) && (b[i+1] == '"' || b[i+1] == '\'' || b[i+1] == 'n' || b[i+1] == 't' || b[i+1] == 'r'):
			i += 2
		default:
			return i
		}
	}
	return i
}
