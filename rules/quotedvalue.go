package rules

import "regexp/syntax"

// The value forms of generic-credential-assignment: a value in double,
// single or back quotes (the quote closes it), or an unquoted one. A
// quoted value may hold characters an unquoted one may not (", ', `, ",",
// ";", "&"), which is why QuotedAssignmentPrecheck alone counts every byte
// but a blank or a backslash as value; quotedValueFits then asks, for each
// form, whether the bytes after the operator can hold one of at least
// minValue characters. Where the first check only sees `"token_type":` and
// a long run of JSON after it, the second sees "access", six characters
// closed by their quote.

// Byte sets of the value classes (builtin.go).
var (
	dqSet = mustClass(dqValue)
	sqSet = mustClass(sqValue)
	bqSet = mustClass(bqValue)
	uqSet = mustClass(assignmentValue)
)

func mustClass(class string) *[256]bool {
	re, err := syntax.Parse(class, syntax.Perl)
	if err != nil || re.Op != syntax.OpCharClass {
		panic("rules: bad value class " + class)
	}
	s := classSet(re)
	return s.bools()
}

// bools returns the set as a table.
func (s *byteSet) bools() *[256]bool {
	var t [256]bool
	for c := range t {
		t[c] = s.has(byte(c))
	}
	return &t
}

// quotedValueFits reports whether, after the keyword ending at b[i], the
// bytes that follow the assignment operator can start a value of one of
// generic-credential-assignment's forms at least minValue characters long.
// It accepts when b ends first or where it cannot tell (\uXXXX escapes).
// The name and operator are found as assignmentPrecheck finds them; the
// value may start anywhere in the quotes, blanks, stars and '=' after the
// operator's first character.
func quotedValueFits(b []byte, i, minValue int) bool {
	n := len(b)
	for k := 0; k < 64 && i < n && isNameTail(b[i]); k++ {
		i++
	}
	i = skipQuoteBlank(b, i, 24, false)
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
	j = skipQuoteBlank(b, j, 24, true)
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

// quoteBefore returns the quote character right before raw offset v (a
// quote, or a JSON-escaped one), or 0; from is where the value side
// starts.
func quoteBefore(b []byte, v, from int) byte {
	if v-1 < from-1 || v < 1 {
		return 0
	}
	switch c := b[v-1]; c {
	case '"', '\'', '`':
		return c
	}
	return 0
}

// valueRun reports whether at least min characters of class set follow
// raw offset v, JSON escapes decoded (\uXXXX counts as one character of
// any class, \/ as '/'), or b ends first.
func valueRun(b []byte, v int, set *[256]bool, min int) bool {
	run := 0
	for run < min {
		if v >= len(b) {
			return true
		}
		c := b[v]
		if c == '\\' {
			if v+1 >= len(b) {
				return true
			}
			switch b[v+1] {
			case 'u':
				v += 6
				run++
				continue
			case '/':
				c = '/'
				v++
			default:
				return false // \" \\ \n …: a quote, a backslash or a blank
			}
		}
		if !set[c] {
			return false
		}
		v++
		run++
	}
	return true
}
