package rules

// A Precheck is a cheap test the matcher runs on the raw bytes right after
// a keyword hit, before any window is decoded or any regex runs. It must
// never reject a place where the rule's regex could match with this
// keyword occurrence (recall must equal running the regex everywhere); it
// only has to reject most places where it cannot. b is the raw buffer,
// kwEnd the offset just past the keyword; b may end early, in which case
// the precheck must accept.
type Precheck func(b []byte, kwEnd int) bool

// AssignmentPrecheck returns a Precheck for NAME <op> VALUE rules
// (gitleaks' generic-api-key, mcpscan's generic-credential-assignment):
// after the keyword it skips the rest of the name, quotes and blanks, then
// wants an assignment operator (= : > , | ?), then at most a few quotes,
// blanks or '=', then at least minValue value bytes. Raw JSON escapes are
// treated as what they decode to: \" \' and \n \t \r as quotes and blanks,
// \uXXXX and \/ as one value character.
func AssignmentPrecheck(minValue int) Precheck { return assignmentPrecheck(minValue, clsValue) }

// QuotedAssignmentPrecheck is AssignmentPrecheck for rules whose quoted
// values may hold quotes of the other kinds, backticks, ";" and ","
// (generic-credential-assignment): only a blank or a backslash ends the
// value it counts.
func QuotedAssignmentPrecheck(minValue int) Precheck {
	loose := assignmentPrecheck(minValue, clsQuotedValue)
	return func(b []byte, i int) bool {
		return loose(b, i) && quotedValueFits(b, i, minValue)
	}
}

// assignmentPrecheck is AssignmentPrecheck with value the class bit
// (clsValue or clsQuotedValue) of the bytes a value may hold.
func assignmentPrecheck(minValue int, value uint8) Precheck {
	return func(b []byte, i int) bool {
		n := len(b)
		// Rest of the name: [ \t\w.-], generously bounded.
		for end := min(n, i+64); i < end && precheckClass[b[i]]&clsNameTail != 0; {
			i++
		}
		// Quotes and blanks, with escapes.
		i = skipQuoteBlank(b, i, 24, false)
		if i >= n {
			return true
		}
		if precheckClass[b[i]]&clsOperator == 0 {
			return false
		}
		for end := min(n, i+4); i < end && precheckClass[b[i]]&clsOperator != 0; {
			i++
		}
		// '=' may open the value as well as separate it: count it; so may
		// quotes and stars in a quoted value ('"a…' opens with a quote).
		j := skipQuoteBlank(b, i, 24, true)
		run := 0
		for k := i; k < j; k++ {
			if c := b[k]; c == '=' || (precheckClass[c]&value != 0 && c != ' ' && c != '\t' && c != '\f' && c != '\v') {
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
			if precheckClass[c]&value == 0 {
				break
			}
			i++
			run++
		}
		return run >= minValue || i >= n
	}
}

// isQuoteBlankStar is what skipQuoteBlank skips on either side.
func isQuoteBlankStar(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '"' || c == '\'' || c == '*'
}

// Class bits of precheckClass.
const (
	clsNameTail    = 1 << iota // isNameTail
	clsOperator                // isOperator
	clsValue                   // isValueByte
	clsQuotedValue             // isQuotedValueByte
	clsSkipName                // skipped by skipQuoteBlank on the name side
	clsSkipValue               // skipped by skipQuoteBlank on the value side
	clsEscQuote                // after a backslash, skipped by skipQuoteBlank
)

// precheckClass holds the classes of each byte: one load per byte where
// the predicates are chains of comparisons.
var precheckClass = func() (t [256]uint8) {
	for c := range t {
		b := byte(c)
		for _, f := range []struct {
			bit uint8
			is  func(byte) bool
		}{{clsNameTail, isNameTail}, {clsOperator, isOperator}, {clsValue, isValueByte}, {clsQuotedValue, isQuotedValueByte},
			{clsSkipName, func(c byte) bool { return isQuoteBlankStar(c) || c == ']' }},
			{clsSkipValue, func(c byte) bool { return isQuoteBlankStar(c) || c == '=' || c == '`' }},
			{clsEscQuote, func(c byte) bool { return c == '"' || c == '\'' || c == 'n' || c == 't' || c == 'r' }}} {
			if f.is(b) {
				t[c] |= f.bit
			}
		}
	}
	return t
}()

func isNameTail(c byte) bool {
	return c == ' ' || c == '\t' || c == '.' || c == '-' || c == '_' ||
		(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func isOperator(c byte) bool {
	return c == '=' || c == ':' || c == '>' || c == ',' || c == '|' || c == '?'
}

// isQuotedValueByte reports bytes that can be part of a quoted value.
func isQuotedValueByte(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\\':
		return false
	}
	return true
}

// skipQuoteBlank skips up to max quotes, blanks, Markdown bold stars (and
// '=' / backticks when valueSide), and JSON escapes of them, from b[i].
func skipQuoteBlank(b []byte, i, max int, valueSide bool) int {
	skip := uint8(clsSkipName)
	if valueSide {
		skip = clsSkipValue
	}
	for k := 0; k < max && i < len(b); k++ {
		switch c := b[i]; {
		case precheckClass[c]&skip != 0:
			i++
		case c == '\\' && i+1 < len(b) && precheckClass[b[i+1]]&clsEscQuote != 0:
			i += 2
		default:
			return i
		}
	}
	return i
}

// isValueByte reports bytes that can be part of a secret value: anything
// but blanks, quotes, backticks, separators and backslashes.
func isValueByte(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '\'', '`', ';', ',', '\\':
		return false
	}
	return true
}
