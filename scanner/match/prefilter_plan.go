package match

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/mcpscan/mcpscan/rules"
)

//go:generate go test -run TestPrefilterPlanUpToDate -update-plan .

// prefilterPlan is what newPrefilter derives expensively for one rule set,
// computed at build time for the default rules (prefilter_plan_gen.go,
// written by TestPrefilterPlanUpToDate -update-plan) so that start-up does
// not parse every rule's regex: the rules' window radii
// (rules.Rule.WindowRadius parses the pattern), each keyword's two anchor
// alignments (for a short keyword, the bytes its rules allow beside it,
// rules.Rule.PrecedeBytes/FollowBytes, which parse and expand the pattern;
// and the trigram frequency tables) and the hash multiplier (chooseMul,
// over those tables). Filling the set and the slots stays at run time.
//
// Why it is safe: a plan is used only for a rule set whose fingerprint
// (rulesFingerprint: every rule's pattern, radius and keywords, in order)
// equals the one it was made for; a SHA-256, so a set that differs in
// anything the prefilter reads (a custom rule from a config, a changed
// pattern or keyword, another order) derives at run time as before. What
// decides which keywords are found is the keywords, their rules, the
// radii and the neighbour bytes of short keywords: all functions of those
// inputs and of the derivation code. A change of that code (the rules
// package, this package) that the plan does not follow fails
// TestPrefilterPlanUpToDate, which prints the command that regenerates
// it. The multiplier and the frequency-based choice among alignments
// (freq.go) only affect speed.
type prefilterPlan struct {
	// fingerprint is rulesFingerprint of the rules the plan was made for
	// (32 bytes); empty: no plan.
	fingerprint string
	mul         uint64 // the hash multiplier (prefilter.mul)
	maxRadius   int32  // largest WindowRadius of all rules
	// keywords are the prefilter's keywords in their order (the order
	// deriveKeywords meets them in the rules).
	keywords []plannedKeyword
}

// plannedKeyword is one keyword of a plan: its text (lower-case), the
// rules it triggers, the largest window radius of those rules, and
// its alignments at an even and at an odd offset (see
// prefilter.alignments).
type plannedKeyword struct {
	text      string
	rules     []int // indexes of the rules it triggers, as keyword.rules
	radius    int32
	even, odd plannedAlignment
}

// plannedAlignment is an alignment without its cost: the offset of its
// trigram relative to the keyword (-1 to len-2) and, when the trigram
// holds the byte before or after the keyword, the folded values of the
// bytes allowed there (foldedSet), in ascending order; empty otherwise.
type plannedAlignment struct {
	off  int8
	side string
}

// For returns the plan when it was made for exactly the rules rs, and nil
// otherwise (no plan, or different rules: a custom rule, a changed pattern
// or keyword, another order). It costs one SHA-256 over the rules'
// patterns and keywords (tens of microseconds).
func (pl *prefilterPlan) For(rs []*rules.Rule) *prefilterPlan {
	if pl.fingerprint == "" {
		return nil
	}
	if fp := rulesFingerprint(rs); string(fp[:]) != pl.fingerprint {
		return nil
	}
	return pl
}

// rulesFingerprint is the SHA-256 of everything of rs that newPrefilter
// reads or derives from: the number and order of the rules and, for each,
// its Pattern (window radius, neighbour bytes, and whether it is
// structural), Radius and Keywords, each length-prefixed.
func rulesFingerprint(rs []*rules.Rule) [32]byte {
	n := 16
	for _, r := range rs {
		n += len(r.Pattern) + 16
		for _, k := range r.Keywords {
			n += len(k) + 4
		}
	}
	b := make([]byte, 0, n)
	b = append(b, "prefilter plan 1"...)
	b = binary.AppendUvarint(b, uint64(len(rs)))
	for _, r := range rs {
		b = binary.AppendUvarint(b, uint64(len(r.Pattern)))
		b = append(b, r.Pattern...)
		b = binary.AppendVarint(b, int64(r.Radius))
		b = binary.AppendUvarint(b, uint64(len(r.Keywords)))
		for _, k := range r.Keywords {
			b = binary.AppendUvarint(b, uint64(len(k)))
			b = append(b, k...)
		}
	}
	return sha256.Sum256(b)
}

// grams is the number of anchor trigrams of the plan's alignments.
func (pl *prefilterPlan) grams() int {
	n := 0
	for i := range pl.keywords {
		pk := &pl.keywords[i]
		n += pk.even.grams(pk.text) + pk.odd.grams(pk.text)
	}
	return n
}

// grams is the number of trigrams of a (see appendGrams) for keyword k.
func (a plannedAlignment) grams(k string) int {
	if int(a.off) < 0 || int(a.off)+3 > len(k) {
		return len(a.side)
	}
	return 1
}

// alignments returns the planned even and odd alignments of keyword ki,
// with their trigrams as prefilter.alignments builds them (the cost, used
// only to choose, is left 0), appended to buf, which it returns.
func (pl *prefilterPlan) alignments(ki int, buf []uint32) (even, odd alignment, _ []uint32) {
	pk := &pl.keywords[ki]
	mk := func(a plannedAlignment) alignment {
		n := len(buf)
		buf = appendGrams(buf, pk.text, int(a.off), a.side)
		return alignment{off: int(a.off), grams: buf[n:len(buf):len(buf)]}
	}
	even = mk(pk.even)
	odd = mk(pk.odd)
	return even, odd, buf
}
