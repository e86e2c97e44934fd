package rules_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"path/filepath"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/rules"
)

// mcpscanPatternRules are the rules of builtin.go.
var mcpscanPatternRules = []string{
	"generic-credential-assignment", "http-bearer-token", "http-basic-auth", "http-api-key-header",
	"url-embedded-credentials", "private-key-block", "cli-credential-argument", "cli-password-argument",
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
		if r.Pattern == "" {
			// A structural rule: raised by a source handler, never
			// matched; or one of gitleaks' path-only rules (pkcs12-file).
			pathOnly := r.Origin == rules.OriginGitleaks && r.Path != ""
			printed := r.ID == rules.CommandOutputCredential // found by the command that printed it
			if !pathOnly && !printed && (r.Kind == rules.KindSecret || r.Origin != rules.OriginMcpscan) {
				t.Errorf("%s: a rule without a pattern must be an mcpscan structural rule or a gitleaks path-only rule", r.ID)
			}
		} else if len(r.Keywords) == 0 {
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
		if !kebab(string(r.Kind)) {
			t.Errorf("%s: kind %q is not a kebab-case name", r.ID, r.Kind)
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
				t.Errorf("%s: no built-in rule is a fallback", r.ID)
			}
		default:
			t.Errorf("%s: unknown origin %q", r.ID, r.Origin)
		}
	}
	if origins[rules.OriginGitleaks] < 200 || origins[rules.OriginMcpscan] < len(mcpscanPatternRules) {
		t.Errorf("origins: %v; want gitleaks' rules and mcpscan's", origins)
	}
	for _, id := range mcpscanPatternRules {
		if r := set.Lookup(id); r == nil || r.Origin != rules.OriginMcpscan || r.Pattern == "" {
			t.Errorf("mcpscan pattern rule %s is missing", id)
		}
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

// TestMcpscanRulesStatePatternSource checks that every rule literal in the
// package's hand-written files (builtin.go and the others; not the
// generated gitleaks data) carries a comment naming the source of its
// pattern ("Pattern source: …").
func TestMcpscanRulesStatePatternSource(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "gitleaks_gen.go" {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(node ast.Node) bool {
			lit, ok := node.(*ast.CompositeLit)
			if !ok || !isRuleLiteral(lit) {
				return true
			}
			n++
			found := false
			for _, cg := range f.Comments {
				if cg.Pos() >= lit.Pos() && cg.End() <= lit.End() && strings.Contains(strings.ToLower(cg.Text()), "source") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: the rule literal at %s has no comment naming its pattern's source", name, fset.Position(lit.Pos()))
			}
			return false
		})
	}
	if n < len(mcpscanPatternRules) {
		t.Errorf("found %d rule literals, want at least %d", n, len(mcpscanPatternRules))
	}
}

// isRuleLiteral reports whether a composite literal defines a rule: it sets
// ID (to a literal or a constant, not a converted rule's g.ID),
// Description and Severity.
func isRuleLiteral(lit *ast.CompositeLit) bool {
	keys := map[string]bool{}
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok {
				switch kv.Value.(type) {
				case *ast.BasicLit, *ast.Ident:
					keys[k.Name] = true
				default:
					keys[k.Name] = k.Name != "ID"
				}
			}
		}
	}
	return keys["ID"] && keys["Description"] && keys["Severity"]
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
		if r.Pattern == "" {
			continue
		}
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
		for {
			rg := ascii[rnd.IntN(len(ascii))]
			c := rg[0] + rune(rnd.IntN(int(rg[1]-rg[0]+1)))
			if c != '\v' && c != '\f' || len(ascii) == 1 && rg[0] == rg[1] {
				b.WriteRune(c) // text has no vertical tabs or form feeds
				return
			}
		}
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
		// Favour the bounds, but keep samples short: a keyword check
		// needs no 4,000-character token.
		n := lo
		switch rnd.IntN(3) {
		case 0:
			if hi <= 64 {
				n = hi
			} else {
				n = lo + rnd.IntN(min(hi-lo, 64)+1)
			}
		case 1:
			n = lo + rnd.IntN(min(hi-lo, 16)+1)
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
		if r.Origin != rules.OriginMcpscan || r.Pattern == "" {
			continue
		}
		re, err := syntax.Parse(r.Pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		rx := r.Regexp()
		checked := 0
		for i := 0; i < 1000 && checked < 300; i++ {
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
			if !hitPasses(r, r.Precheck, s, loc[0], loc[1]) {
				t.Errorf("%s: Precheck rejects every keyword hit of match %q", r.ID, s[loc[0]:loc[1]])
				break
			}
			// Admits also rejects hits whose matches Accept rejects.
			if sub := rx.FindStringSubmatchIndex(s); !hitPasses(r, r.Admits, s, loc[0], loc[1]) {
				a, z := r.SecretSpan(sub)
				c := rules.Candidate{Secret: s[a:z], Match: s[sub[0]:sub[1]], Line: s}
				if rules.Default().Accept(r, c) {
					t.Errorf("%s: Admits rejects every keyword hit of match %q, which Accept accepts", r.ID, s[loc[0]:loc[1]])
					break
				}
			}
		}
		if checked < 150 {
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

// hitPasses reports whether check (a rule's Precheck or Admits; a nil
// Precheck admits all) admits at least one keyword occurrence inside
// text[start:end], as the matcher needs to try the rule there.
func hitPasses(r *rules.Rule, check func([]byte, int) bool, text string, start, end int) bool {
	if check == nil {
		return true
	}
	lower := strings.ToLower(text)
	for _, k := range r.Keywords {
		for off := start; ; {
			i := strings.Index(lower[off:end], k)
			if i < 0 {
				break
			}
			if check([]byte(text), off+i+len(k)) {
				return true
			}
			off += i + 1
		}
	}
	return false
}

// TestKeywordChecksAdmitEveryMatch generates random matches of every rule
// (gitleaks' too) and requires that at least one keyword occurrence inside
// each match passes the rule's derived KeywordCheck: a check may only
// reject places where the regex cannot match.
func TestKeywordChecksAdmitEveryMatch(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for _, r := range rules.Default().Rules() {
		if r.Pattern == "" {
			continue
		}
		re, err := syntax.Parse(r.Pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		rx := r.Regexp()
		for i, checked := 0, 0; i < 400 && checked < 60; i++ {
			var b strings.Builder
			sample(re, rnd, &b)
			s := b.String()
			loc := rx.FindStringIndex(s)
			if loc == nil {
				continue
			}
			checked++
			raw := []byte(s + " !#%&()*,;<>?@[]^{|}~")
			lower := strings.ToLower(s)
			ok, seen := false, false
			for _, k := range r.Keywords {
				chk := r.KeywordCheck(k)
				for off := loc[0]; !ok; {
					j := strings.Index(lower[off:loc[1]], k)
					if j < 0 {
						break
					}
					seen = true
					if chk == nil || chk(raw, off+j, off+j+len(k), false) {
						ok = true
					}
					off += j + 1
				}
			}
			if seen && ok {
				// The same text as raw JSON (escaped inside a string):
				// some keyword occurrence must pass in JSON mode too.
				var eb strings.Builder
				je := json.NewEncoder(&eb)
				je.SetEscapeHTML(false) // as Claude Code (JavaScript) writes JSON
				je.Encode(s[loc[0]:loc[1]])
				enc := []byte(strings.TrimSuffix(eb.String(), "\n"))
				encl := strings.ToLower(string(enc))
				raw := append(enc, " !#%&()*,;<>?@[]^{|}~"...)
				okJSON := false
				for _, k := range r.Keywords {
					chk := r.KeywordCheck(k)
					for off := 0; !okJSON; {
						j := strings.Index(encl[off:], k)
						if j < 0 {
							break
						}
						if chk == nil || chk(raw, off+j, off+j+len(k), true) {
							okJSON = true
						}
						off += j + 1
					}
				}
				if !okJSON && strings.ContainsAny(string(enc), "\\") {
					t.Errorf("%s: KeywordCheck (JSON mode) rejects every keyword of escaped match %s", r.ID, clip(string(enc)))
					break
				}
			}
			if seen && !ok {
				// (A match holding no keyword at all is found only through a
				// keyword within the radius, as in gitleaks; no check
				// concerns it.)
				t.Errorf("%s: KeywordCheck rejects every keyword of match %q", r.ID, clip(s[loc[0]:loc[1]]))
				break
			}
		}
	}
}

// TestFindAllMatchesFullPattern: Rule.FindAll (the pattern without its lazy
// name prefix, widened afterwards) finds the same matches and secrets as
// the full pattern, on generated matches embedded in text.
func TestFindAllMatchesFullPattern(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	cores := 0
	for _, r := range rules.Default().Rules() {
		if r.Pattern == "" || !strings.Contains(r.Pattern, `[\w.-]{0,50}?`) {
			continue
		}
		cores++
		re, _ := syntax.Parse(r.Pattern, syntax.Perl)
		full := r.Regexp()
		for i := 0; i < 40; i++ {
			var b strings.Builder
			b.WriteString("export x=1; ")
			sample(re, rnd, &b)
			b.WriteString(" and then ")
			sample(re, rnd, &b)
			text := []byte(b.String())
			want := full.FindAllSubmatchIndex(text, -1)
			got := r.FindAll(text)
			if len(got) != len(want) {
				t.Errorf("%s: %d matches, full pattern %d, in %q", r.ID, len(got), len(want), clip(string(text)))
				break
			}
			for k := range want {
				ga, gz := r.SecretSpan(got[k])
				wa, wz := r.SecretSpan(want[k])
				if ga != wa || gz != wz || got[k][0] != want[k][0] || got[k][1] != want[k][1] {
					t.Errorf("%s: match %v, full pattern %v, in %q", r.ID, got[k][:2], want[k][:2], clip(string(text)))
					break
				}
			}
		}
	}
	if cores < 90 {
		t.Errorf("only %d rules have a lazy name prefix", cores)
	}
}

// TestPathRules: gitleaks' path-only pkcs12-file rule is raised by the
// file's path alone.
func TestPathRules(t *testing.T) {
	set := rules.Default()
	for p, want := range map[string]bool{
		"certs/client.p12": true, "deploy/signing.PFX": true, "a.p12": true, "pkg.tgz!package/keys/app.pfx": true,
		"p12.txt": false, "notes/a.p12.bak": false, "docs/pfx-guide.md": false, "": false,
	} {
		got := set.PathRules(p)
		if ok := len(got) == 1 && got[0].ID == "pkcs12-file"; ok != want {
			t.Errorf("PathRules(%q) = %v, want pkcs12-file %v", p, got, want)
		}
	}
}
