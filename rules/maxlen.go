package rules

import (
	"regexp/syntax"
	"strings"
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
	n := maxLen(re.Simplify())
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

// startsWithKeywords reports whether every match of pattern, once its lazy
// name prefix is removed, begins with one of the (lower-case) keywords:
// the first element of the core is an alternation of literals, each equal
// (case-insensitively) to a keyword or starting with one. Only as many
// leading elements of the core are expanded as the literals need, so that
// alternations further on (the value forms of an assignment) do not blow
// up the expansion.
func startsWithKeywords(pattern string, keywords []string) bool {
	m := leadingName.FindStringSubmatch(pattern)
	if m == nil {
		return false
	}
	re, err := syntax.Parse(m[1]+pattern[len(m[0]):], syntax.Perl)
	if err != nil {
		return false
	}
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	for n := 1; n <= len(subs); n++ {
		head := &syntax.Regexp{Op: syntax.OpConcat, Sub: subs[:n], Flags: re.Flags}
		paths, ok := expandQ(head, 8*maxPaths, true)
		if !ok || len(paths) == 0 {
			return false
		}
		undecided := false
		for _, p := range paths {
			switch keywordPrefix(p, keywords) {
			case prefixNo:
				return false
			case prefixOpen:
				undecided = true
			}
		}
		if !undecided {
			return true
		}
	}
	return false
}

// Results of keywordPrefix.
const (
	prefixYes  = iota // the path's leading literal starts with a keyword
	prefixNo          // it cannot: a non-literal atom ends it too early
	prefixOpen        // the path is all literal and too short to tell
)

// keywordPrefix judges whether the literal run that starts path p begins
// with one of keywords. A small character class ([pirak], [_-]) on the
// way branches the run: every branch must start with a keyword.
func keywordPrefix(p []*syntax.Regexp, keywords []string) int {
	return keywordPrefixFrom(p, nil, keywords)
}

func keywordPrefixFrom(p []*syntax.Regexp, lit []rune, keywords []string) int {
	all := true
	for i, a := range p {
		if hasKeywordPrefix(lit, keywords) {
			return prefixYes
		}
		if a.Op == syntax.OpLiteral {
			lit = append(lit[:len(lit):len(lit)], a.Rune...)
			continue
		}
		if c, ok := caseClass(a); ok { // [Aa]
			lit = append(lit[:len(lit):len(lit)], c)
			continue
		}
		if a.Op == syntax.OpEmptyMatch {
			continue
		}
		if rs, ok := smallClass(a); ok {
			res := prefixYes
			for _, r := range rs {
				switch keywordPrefixFrom(p[i+1:], append(lit[:len(lit):len(lit)], r), keywords) {
				case prefixNo:
					return prefixNo
				case prefixOpen:
					res = prefixOpen
				}
			}
			return res
		}
		all = false
		break
	}
	if hasKeywordPrefix(lit, keywords) {
		return prefixYes
	}
	if all {
		return prefixOpen
	}
	return prefixNo
}

func hasKeywordPrefix(lit []rune, keywords []string) bool {
	s := strings.ToLower(string(lit))
	for _, k := range keywords {
		if strings.HasPrefix(s, k) {
			return true
		}
	}
	return false
}

// smallClass returns the runes of a character class of at most 8 runes.
func smallClass(re *syntax.Regexp) ([]rune, bool) {
	if re.Op != syntax.OpCharClass {
		return nil, false
	}
	var rs []rune
	for i := 0; i+1 < len(re.Rune); i += 2 {
		for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
			if len(rs) == 8 {
				return nil, false
			}
			rs = append(rs, r)
		}
	}
	return rs, len(rs) > 0
}

// caseClass reports whether re is a class of one letter in both cases
// ([Aa]) and returns the letter.
func caseClass(re *syntax.Regexp) (rune, bool) {
	if re.Op != syntax.OpCharClass || len(re.Rune) != 4 || re.Rune[0] != re.Rune[1] || re.Rune[2] != re.Rune[3] {
		return 0, false
	}
	a, b := re.Rune[0], re.Rune[2]
	if a >= 'A' && a <= 'Z' && b == a+'a'-'A' {
		return b, true
	}
	return 0, false
}
