package rules

import (
	"regexp/syntax"
	"unicode"
)

// A cut is where the matcher stops the text it hands to an anchored
// attempt (rules.Anchor). Past some distance from the start of a match,
// cutting the text changes nothing for most patterns: a match that would
// have gone on ends at the cut instead (a run of a class is matched up to
// it, and what follows may match nothing, or the end of the text with $),
// so the matcher sees that the match reaches the cut and tries again on
// more text; and where there is no match on the cut text, there is none on
// the whole. Cutting early lets Go's regexp use its backtracker, which
// needs short inputs, instead of the NFA.

// CutPlan says where an anchored attempt may be cut.
type CutPlan struct {
	// SafeFrom is the distance from the start of a match (in decoded
	// bytes) beyond which a cut is safe as described above, except right
	// after one of the bytes in Pair.
	SafeFrom int
	// Pair holds the first bytes of two-character alternatives at the end
	// of the pattern (the \\[nr] of gitleaks' terminators): a cut right
	// after one of them must move one byte further.
	Pair [256]bool
}

// cutPlanOf analyses the core of an anchored pattern; nil when no cut is
// known to be safe.
func cutPlanOf(re *syntax.Regexp) *CutPlan {
	p := &CutPlan{}
	zone, ok := p.zone(re, 0, true)
	if !ok {
		return nil
	}
	p.SafeFrom = zone
	return p
}

// zone returns how far, in bytes from the start of the match, a cut can
// fall inside re in a way that is not safe, given that re starts at most
// off bytes in (off < 0: unbounded) and that what follows re can match
// the empty string at the end of the text (cont). ok is false when that
// distance is unbounded.
func (p *CutPlan) zone(re *syntax.Regexp, off int, cont bool) (int, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpEndText, syntax.OpEndLine:
		return 0, true // $ at a cut yields a match that reaches it
	case syntax.OpCapture:
		return p.zone(re.Sub[0], off, cont)
	case syntax.OpConcat:
		end := 0
		for i, sub := range re.Sub {
			z, ok := p.zone(sub, off, cont && nullableAtEnd(re.Sub[i+1:]))
			if !ok {
				return 0, false
			}
			end = max(end, z)
			if n := maxLen(sub); n < 0 || off < 0 {
				off = -1
			} else {
				off += n
			}
		}
		return end, true
	case syntax.OpAlternate:
		if cont && anyNullable(re.Sub) {
			// A terminator such as (?:['"\s;]|\\[nr]|$): a cut before it,
			// or inside a branch of one character, leaves the empty
			// branch to match at the cut; inside a branch of two, the
			// cut must move past it.
			short := true
			for _, b := range re.Sub {
				if !p.shortBranch(b) {
					short = false
					break
				}
			}
			if short {
				return 0, true
			}
		}
		end := 0
		for _, b := range re.Sub {
			z, ok := p.zone(b, off, cont)
			if !ok {
				return 0, false
			}
			end = max(end, z)
		}
		return end, true
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := 0, -1
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpQuest:
			hi = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
		}
		w, single := charWidth(re.Sub[0])
		switch {
		case single && cont && lo == 0:
			return 0, true // the run may end at the cut
		case single && cont && off >= 0:
			return off + lo*w, true // past its minimum the run may end at the cut
		case single && hi >= 0 && off >= 0:
			return off + hi*w, true
		case re.Op == syntax.OpQuest:
			// Cut inside x?: as for x, past where x itself can be cut.
			return p.zone(re.Sub[0], off, cont)
		}
		if n := maxLen(re); n >= 0 && off >= 0 {
			return off + n, true
		}
		return 0, false
	}
	// A literal, a class, an assertion: the whole of it.
	if n := maxLen(re); n >= 0 && off >= 0 {
		return off + max(n, 1), true
	}
	return 0, false
}

// shortBranch reports whether a cut inside an alternative of a terminator
// leaves a match that reaches the cut: the alternative is empty, one
// character, one character followed by something that may match nothing
// at the end of the text (\.(?:[^\w-]|$)), or two characters (whose first
// bytes then go into Pair: the cut moves past them).
func (p *CutPlan) shortBranch(b *syntax.Regexp) bool {
	switch b.Op {
	case syntax.OpEmptyMatch, syntax.OpEndText, syntax.OpEndLine:
		return true
	case syntax.OpCapture:
		return p.shortBranch(b.Sub[0])
	case syntax.OpQuest, syntax.OpStar:
		_, single := charWidth(b.Sub[0])
		return single
	case syntax.OpAlternate:
		for _, s := range b.Sub {
			if !p.shortBranch(s) {
				return false
			}
		}
		return true
	}
	if _, single := charWidth(b); single {
		return true
	}
	if b.Op == syntax.OpLiteral && len(b.Rune) == 2 && b.Rune[0] < 0x80 {
		p.Pair[b.Rune[0]] = true
		if b.Flags&syntax.FoldCase != 0 {
			p.Pair[unicode.ToLower(b.Rune[0])] = true
			p.Pair[unicode.ToUpper(b.Rune[0])] = true
		}
		return true
	}
	if b.Op == syntax.OpConcat && len(b.Sub) == 2 {
		first, ok := charWidth(b.Sub[0])
		if !ok {
			return false
		}
		if tail := b.Sub[1]; nullable(tail) && p.shortBranch(tail) {
			return true // a cut after the first character: the tail matches nothing there
		}
		if _, ok := charWidth(b.Sub[1]); ok && first == 1 {
			var set [256]bool
			if atomFirst(b.Sub[0], &set) {
				for c, in := range set {
					p.Pair[c] = p.Pair[c] || in
				}
				return true
			}
		}
	}
	return false
}

// charWidth reports whether re matches exactly one character, and the
// most bytes that character takes.
func charWidth(re *syntax.Regexp) (int, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 1 {
			return runeLen(re.Rune[0]), true
		}
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return maxLen(re), true
	case syntax.OpCapture:
		return charWidth(re.Sub[0])
	}
	return 0, false
}

// nullableAtEnd reports whether the sequence can match the empty string at
// the end of the text.
func nullableAtEnd(seq []*syntax.Regexp) bool {
	for _, re := range seq {
		if !nullable(re) {
			return false
		}
	}
	return true
}

func anyNullable(alts []*syntax.Regexp) bool {
	for _, re := range alts {
		if nullable(re) {
			return true
		}
	}
	return false
}

func nullable(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpEndText, syntax.OpEndLine, syntax.OpStar, syntax.OpQuest:
		return true
	case syntax.OpCapture, syntax.OpPlus:
		return nullable(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min == 0 || nullable(re.Sub[0])
	case syntax.OpConcat:
		return nullableAtEnd(re.Sub)
	case syntax.OpAlternate:
		return anyNullable(re.Sub)
	}
	return false
}
