package rules

import "testing"

// deriveAllForBench runs every one-time derivation the matcher asks of a
// rule, except compiling Go regexps (Anchor.Ready, FindAll).
func deriveAllForBench(r *Rule) {
	if r.Pattern == "" {
		return
	}
	r.Compile()
	r.WindowRadius()
	if a := r.Anchor(); a != nil {
		a.PreFor("x")
	}
	for _, k := range r.Keywords {
		r.KeywordCheck(k)
		r.PrecedeBytes(k)
		r.FollowBytes(k)
	}
}

// BenchmarkDeriveDefault is the cost of deriving, at run time, what the
// matcher asks of every default rule (fresh clones: nothing cached).
func BenchmarkDeriveDefault(b *testing.B) {
	rs := Default().Rules()
	for b.Loop() {
		for _, r := range rs {
			deriveAllForBench(r.Clone())
		}
	}
}
