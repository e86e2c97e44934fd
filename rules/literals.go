package rules

import (
	"regexp/syntax"
	"strings"
)

// requiredLiterals returns lower-case ASCII strings of which every match
// of re holds at least one (ignoring ASCII case), or false when it cannot
// tell (a branch that may match without a literal, a non-ASCII literal).
// Allowlist regexes are tried only on texts holding one: most candidates
// hold none of "true", "$", "{{", "csrf" … and skip the regex.
func requiredLiterals(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		s := string(re.Rune)
		if s == "" || !isASCII(s) {
			return nil, false
		}
		return []string{strings.ToLower(s)}, true
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
	case syntax.OpConcat:
		// Any part's literals will do: take those whose shortest is longest.
		var best []string
		bestLen := 0
		for _, sub := range re.Sub {
			lits, ok := requiredLiterals(sub)
			if !ok {
				continue
			}
			short := len(lits[0])
			for _, l := range lits {
				short = min(short, len(l))
			}
			if short > bestLen {
				best, bestLen = lits, short
			}
		}
		return best, best != nil
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			lits, ok := requiredLiterals(sub)
			if !ok {
				return nil, false
			}
			all = append(all, lits...)
		}
		return all, len(all) > 0
	}
	return nil, false
}

// literalFilter returns a substrings index of src's required literals, or
// nil when src has none to require.
func literalFilter(src string) *substrings {
	lits, ok := filterLiterals(src)
	if !ok {
		return nil
	}
	return newSubstrings(lits)
}

// filterLiterals returns the literals of literalFilter, false for none.
func filterLiterals(src string) ([]string, bool) {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil, false
	}
	return requiredLiterals(re)
}
