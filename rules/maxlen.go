package rules

import (
	"regexp/syntax"
)

// MaxMatchLen returns the greatest number of bytes a match of the RE2
// pattern can span, and false when it is unbounded (a `*`, `+` or `{n,}`
// over a non-empty sub-pattern) or the pattern does not parse. A rule's
// match contains its keyword, so it extends at most this far either side
// of a keyword hit: the matcher's window radius.
func MaxMatchLen(pattern string) (int, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0, false
	}
	n := maxLen(re)
	return n, n >= 0
}

// maxLen returns the longest match of re in bytes, or -1 for unbounded.
func maxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpNoMatch:
		return 0
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += runeLen(r)
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		return runeLen(re.Rune[len(re.Rune)-1]) // ranges are sorted: the last high bound is the largest rune
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return 4 // a rune is at most 4 bytes in UTF-8
	case syntax.OpCapture:
		return maxLen(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if maxLen(re.Sub[0]) == 0 {
			return 0
		}
		return -1
	case syntax.OpQuest:
		return maxLen(re.Sub[0])
	case syntax.OpRepeat:
		sub := maxLen(re.Sub[0])
		if sub == 0 {
			return 0
		}
		if re.Max < 0 || sub < 0 {
			return -1
		}
		return sub * re.Max
	case syntax.OpConcat:
		total := 0
		for _, s := range re.Sub {
			n := maxLen(s)
			if n < 0 {
				return -1
			}
			total += n
		}
		return total
	case syntax.OpAlternate:
		best := 0
		for _, s := range re.Sub {
			n := maxLen(s)
			if n < 0 {
				return -1
			}
			best = max(best, n)
		}
		return best
	}
	return -1
}

func runeLen(r rune) int {
	switch {
	case r < 0x80:
		return 1
	case r < 0x800:
		return 2
	case r < 0x10000:
		return 3
	}
	return 4
}
