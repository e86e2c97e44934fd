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
