package rules_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/rules"
)

var knownKinds = map[rules.Kind]bool{
	rules.KindSecret: true, rules.KindHardcodedCredential: true,
	rules.KindNetworkExposure: true, rules.KindAgentArtifact: true,
}

// TestDefaultRulesWellFormed checks every rule of Default(): it compiles,
// has lower-case keywords, a description, a valid severity, kind, origin and
// priority, and its ID is unique and kebab-case.
func TestDefaultRulesWellFormed(t *testing.T) {
	set := rules.Default()
	if set != rules.Default() {
		t.Fatal("Default() builds a new set on every call")
	}
	rs := set.Rules()
	if len(rs) < 200 {
		t.Fatalf("Default() has %d rules; want gitleaks' 200+ and mcpscan's", len(rs))
	}
	ids := map[string]bool{}
	origins := map[rules.Origin]int{}
	for _, r := range rs {
		if ids[r.ID] {
			t.Errorf("duplicate rule ID %q", r.ID)
		}
		ids[r.ID] = true
		if !kebab(r.ID) {
			t.Errorf("rule ID %q is not kebab-case", r.ID)
		}
		if err := r.Compile(); err != nil {
			t.Errorf("%s: %v", r.ID, err)
		}
		if r.Regexp() == nil {
			t.Errorf("%s: Regexp() is nil", r.ID)
		}
		if len(r.Keywords) == 0 {
			t.Errorf("%s: no keywords", r.ID)
		}
		for _, k := range r.Keywords {
			if k != strings.ToLower(k) || len(k) < 2 {
				t.Errorf("%s: keyword %q must be lower-case and at least 2 bytes", r.ID, k)
			}
		}
		if strings.TrimSpace(r.Description) == "" {
			t.Errorf("%s: no description", r.ID)
		}
		if r.Severity < rules.Info || r.Severity > rules.Critical || strings.HasPrefix(r.Severity.String(), "severity(") {
			t.Errorf("%s: invalid severity %d", r.ID, r.Severity)
		}
		if !knownKinds[r.Kind] {
			t.Errorf("%s: unknown kind %q", r.ID, r.Kind)
		}
		if r.Priority < rules.PriorityFallback || r.Priority > rules.PriorityProvider {
			t.Errorf("%s: priority %d out of range", r.ID, r.Priority)
		}
		if r.WindowRadius() <= 0 {
			t.Errorf("%s: window radius %d", r.ID, r.WindowRadius())
		}
		if set.Lookup(r.ID) != r {
			t.Errorf("Lookup(%q) does not return the rule", r.ID)
		}
		origins[r.Origin]++
		switch r.Origin {
		case rules.OriginGitleaks:
			if len(r.References) == 0 || !strings.Contains(r.References[0], rules.GitleaksVersion()) {
				t.Errorf("%s: gitleaks rule without a reference to gitleaks %s", r.ID, rules.GitleaksVersion())
			}
		case rules.OriginMcpscan:
			if r.Why == "" || r.Remediation == "" {
				t.Errorf("%s: mcpscan rule without Why or Remediation", r.ID)
			}
			if r.Priority == rules.PriorityFallback {
				t.Errorf("%s: only gitleaks' generic-api-key is a fallback", r.ID)
			}
		default:
			t.Errorf("%s: unknown origin %q", r.ID, r.Origin)
		}
	}
	if origins[rules.OriginGitleaks] == 0 || origins[rules.OriginMcpscan] != 7 {
		t.Errorf("origins: %v; want gitleaks rules and 7 mcpscan rules", origins)
	}
	if got := set.IDs(); len(got) != len(rs) || !strings.HasPrefix(rules.GitleaksVersion(), "v8.") {
		t.Errorf("IDs() has %d entries for %d rules; gitleaks version %q", len(got), len(rs), rules.GitleaksVersion())
	}
	// Rules lists gitleaks' rules first, then mcpscan's.
	seenMcpscan := false
	for _, r := range rs {
		if r.Origin == rules.OriginMcpscan {
			seenMcpscan = true
		} else if seenMcpscan {
			t.Fatalf("gitleaks rule %s follows an mcpscan rule", r.ID)
		}
	}
}

func kebab(id string) bool {
	if id == "" || id[0] == '-' || id[len(id)-1] == '-' || strings.Contains(id, "--") {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// TestMcpscanRulesStatePatternSource checks that every rule literal in
// builtin.go carries a "Pattern source:" comment.
func TestMcpscanRulesStatePatternSource(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "builtin.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		lit, ok := node.(*ast.CompositeLit)
		if !ok || len(lit.Elts) == 0 {
			return true
		}
		var id string
		for _, e := range lit.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "ID" {
					if v, ok := kv.Value.(*ast.BasicLit); ok {
						id = v.Value
					}
				}
			}
		}
		if id == "" {
			return true
		}
		n++
		found := false
		for _, cg := range f.Comments {
			if cg.Pos() >= lit.Pos() && cg.End() <= lit.End() && strings.Contains(cg.Text(), "Pattern source:") {
				found = true
			}
		}
		if !found {
			t.Errorf("rule %s in builtin.go has no \"Pattern source:\" comment", id)
		}
		return false
	})
	if n != 7 {
		t.Errorf("found %d rule literals in builtin.go, want 7", n)
	}
}

// maxMatchBytes returns the longest match of a parsed regex in bytes, or -1
// when it is unbounded. A case-folded literal counts the longest spelling of
// each letter (k may match the 3-byte Kelvin sign), a class its widest rune.
func maxMatchBytes(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			w := utf8.RuneLen(r)
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					w = max(w, utf8.RuneLen(f))
				}
			}
			n += w
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		return utf8.RuneLen(re.Rune[len(re.Rune)-1])
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	}
	return maxLen(re, maxMatchBytes)
}

// maxMatchChars is maxMatchBytes for ASCII text: every character counts one
// byte. gitleaks' patterns are case-insensitive throughout, so that under
// maxMatchBytes each [a-z] would count the 3-byte Kelvin sign.
func maxMatchChars(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	}
	return maxLen(re, maxMatchChars)
}

func maxLen(re *syntax.Regexp, leaf func(*syntax.Regexp) int) int {
	switch re.Op {
	case syntax.OpCapture, syntax.OpQuest:
		return leaf(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if leaf(re.Sub[0]) == 0 {
			return 0
		}
		return -1
	case syntax.OpRepeat:
		m := leaf(re.Sub[0])
		if m < 0 || re.Max < 0 && m > 0 {
			return -1
		}
		return m * max(re.Max, 0)
	case syntax.OpConcat, syntax.OpAlternate:
		n := 0
		for _, s := range re.Sub {
			m := leaf(s)
			if m < 0 {
				return -1
			}
			if re.Op == syntax.OpConcat {
				n += m
			} else {
				n = max(n, m)
			}
		}
		return n
	}
	return 0 // empty-width assertions, empty match
}

// TestRadiusCoversLongestMatch checks that a rule's window radius covers its
// longest possible match, so that the matcher, which runs a rule's regex
// only within Radius bytes of a keyword occurrence, never cuts a match
// short. A match holding its keyword then lies inside the window whatever
// the keyword's place in it.
func TestRadiusCoversLongestMatch(t *testing.T) {
	for _, r := range rules.Default().Rules() {
		re, err := syntax.Parse(r.Pattern, syntax.Perl)
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		var n int
		if r.Origin == rules.OriginMcpscan {
			n = maxMatchBytes(re)
		} else {
			n = maxMatchChars(re)
		}
		switch {
		case n < 0 && r.ID == "private-key-block":
			// Unbounded body; its test cases include a JSON-escaped
			// 4096-bit RSA key run through keyword windows.
			if r.WindowRadius() < 8<<10 {
				t.Errorf("%s: radius %d is too small for a 4096-bit RSA key", r.ID, r.WindowRadius())
			}
		case n < 0 && r.Origin == rules.OriginGitleaks:
			if r.Radius == 0 {
				t.Errorf("%s: unbounded pattern and no explicit radius: add it to gitleaksRadius", r.ID)
			}
		case n < 0:
			t.Errorf("%s: unbounded pattern; bound every repeat so that Radius can cover it", r.ID)
		case n > r.WindowRadius():
			t.Errorf("%s: longest match is %d bytes, radius only %d", r.ID, n, r.WindowRadius())
		}
		if r.Origin == rules.OriginMcpscan && n > 0 && r.WindowRadius() > 2*n+64 {
			t.Errorf("%s: radius %d is far above the longest match (%d bytes): it only slows the matcher", r.ID, r.WindowRadius(), n)
		}
	}
}

// sample returns a random string the parsed regex matches (or nearly:
// assertions are skipped, so callers re-check with the compiled regex).
// Classes prefer printable ASCII; repeats favour their bounds.
func sample(re *syntax.Regexp, rnd *rand.Rand, b *strings.Builder) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && r < utf8.RuneSelf && rnd.IntN(2) == 0 {
				r = unicode.SimpleFold(r)
				if r >= utf8.RuneSelf {
					r = unicode.SimpleFold(r)
				}
			}
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		var ascii [][2]rune
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := max(re.Rune[i], 0x09), min(re.Rune[i+1], 0x7e)
			if lo <= hi {
				ascii = append(ascii, [2]rune{lo, hi})
			}
		}
		if len(ascii) == 0 {
			b.WriteRune(re.Rune[0])
			return
		}
		rg := ascii[rnd.IntN(len(ascii))]
		b.WriteRune(rg[0] + rune(rnd.IntN(int(rg[1]-rg[0]+1))))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte(byte(0x20 + rnd.IntN(0x5f)))
	case syntax.OpCapture:
		sample(re.Sub[0], rnd, b)
	case syntax.OpQuest, syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		lo, hi := 0, 1
		switch re.Op {
		case syntax.OpStar:
			hi = 3
		case syntax.OpPlus:
			lo, hi = 1, 3
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
			if hi < 0 {
				hi = lo + 3
			}
		}
		n := lo
		switch rnd.IntN(3) {
		case 0:
			n = hi
		case 1:
			n = lo + rnd.IntN(hi-lo+1)
		}
		for range n {
			sample(re.Sub[0], rnd, b)
		}
	case syntax.OpConcat:
		for _, s := range re.Sub {
			sample(s, rnd, b)
		}
	case syntax.OpAlternate:
		sample(re.Sub[rnd.IntN(len(re.Sub))], rnd, b)
	}
}

// TestKeywordsOccurInEveryMatch generates random strings from each mcpscan
// rule's regex and checks that every match contains one of the rule's
// keywords: the matcher only runs a rule near a keyword, so a match without
// one would never be found.
func TestKeywordsOccurInEveryMatch(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, r := range rules.Default().Rules() {
		if r.Origin != rules.OriginMcpscan {
			continue
		}
		re, err := syntax.Parse(r.Pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		rx := r.Regexp()
		checked := 0
		for i := 0; i < 3000 && checked < 1000; i++ {
			var b strings.Builder
			sample(re, rnd, &b)
			s := b.String()
			loc := rx.FindStringIndex(s)
			if loc == nil {
				continue
			}
			checked++
			m := strings.ToLower(s[loc[0]:loc[1]])
			ok := false
			for _, k := range r.Keywords {
				if strings.Contains(m, k) {
					ok = true
					break
				}
			}
			if !ok {
				t.Errorf("%s: match %q holds none of the keywords %q", r.ID, clip(m), r.Keywords)
				break
			}
		}
		if checked < 500 {
			t.Errorf("%s: only %d of the generated strings matched", r.ID, checked)
		}
	}
}

// TestMatchedSpansSurviveAccept checks the helper itself: a found secret
// lies inside its match and is the text at its span.
func TestAcceptedMatchesHelper(t *testing.T) {
	r := rule(t, "generic-credential-assignment")
	text := "x\nexport API_KEY=\"" + sec20 + "\"\ny"
	fs := acceptedMatches(t, r, text, "a/.env")
	if len(fs) != 1 {
		t.Fatalf("found %d matches", len(fs))
	}
	f := fs[0]
	if text[f.Start:f.End] != f.Secret || !strings.Contains(f.Match, f.Secret) ||
		f.Line != `export API_KEY="`+sec20+`"` || f.Path != "a/.env" {
		t.Errorf("bad candidate %+v", f)
	}
}

// TestNewSet covers NewSet's checks and the Set accessors.
func TestNewSet(t *testing.T) {
	mk := func(id string, kw ...string) *rules.Rule {
		return &rules.Rule{ID: id, Description: "d", Pattern: "x", Keywords: kw}
	}
	for name, rs := range map[string][]*rules.Rule{
		"empty ID":           {mk("", "ab")},
		"duplicate ID":       {mk("a", "ab"), mk("a", "cd")},
		"no keywords":        {mk("a")},
		"upper-case keyword": {mk("a", "Ab")},
		"one-byte keyword":   {mk("a", "a")},
	} {
		if _, err := rules.NewSet(rs, nil); err == nil {
			t.Errorf("%s: NewSet succeeded", name)
		}
	}
	s, err := rules.NewSet([]*rules.Rule{mk("b", "bb"), mk("a", "aa")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ids := s.IDs(); strings.Join(ids, ",") != "a,b" {
		t.Errorf("IDs() = %v, want sorted", ids)
	}
	if rs := s.Rules(); rs[0].ID != "b" || rs[1].ID != "a" {
		t.Errorf("Rules() does not keep the given order")
	}
	if s.Lookup("c") != nil || s.Lookup("a") == nil {
		t.Errorf("Lookup")
	}
}
