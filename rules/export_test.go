package rules

// GitleaksPattern returns the pattern of gitleaks' rule id as gitleaks
// ships it (before widenBoundary), or "".
func GitleaksPattern(id string) string {
	for _, g := range gitleaksRuleData {
		if g.ID == id {
			return g.Pattern
		}
	}
	return ""
}

// TokenEndForTest is tokenEnd anchored after an "a", for tests.
const TokenEndForTest = `\Aa` + tokenEnd

// WithoutHitChecks returns a set of s's rules and allowlists in which no
// rule has the entropy precheck of Rule.Admits (the matcher then runs the
// regex at every hit its Precheck admits), for tests that compare both.
func WithoutHitChecks(s *Set) *Set {
	var rs []*Rule
	for _, r := range s.Rules() {
		c := r.Clone()
		c.hitCheck = nil
		rs = append(rs, c)
	}
	out, err := NewSet(rs, s.Allowlists())
	if err != nil {
		panic(err)
	}
	return out
}

// HasHitCheck reports whether r has the value check of Rule.Admits.
func HasHitCheck(r *Rule) bool { return r.hitCheck != nil }
