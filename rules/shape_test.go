package rules

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/mcpscan/mcpscan/fixtures/corpus"
)

// The hand-written value checks (shape.go, and the fast paths of
// IsPlaceholder, LooksLikeSecret, validateAssignment, InRedactionMarker
// and Allowlist.Allows) must give the answers the regexes and the
// allocating code they replaced gave. This file keeps that code as the
// reference and compares both on every value and match of gitleaks' rule
// examples and of the corpus generator's shapes, on fuzzed variants of
// them, and in FuzzValueChecks.

// Reference regexes (the former definitions).
var (
	refCodeLike     = regexp.MustCompile(`^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*[(\[<{]|^[(\[{<]|\$\{|\{\{|\}\}|<%|%>|=>|->|::|\(\)|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$|^(?:self|this|req|request|config|settings|ctx|args|opts|options|params|props)\.|^[A-Z][A-Za-z]+(?:\.[A-Z][A-Za-z]+)*$`)
	refPathLike     = regexp.MustCompile(`^(?:~?/|\./|\.\./|[A-Za-z]:\\|https?://[^@]*$|file://)`)
	refConstantLike = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$`)
	refWordLike     = regexp.MustCompile(`^[A-Za-z]+(?:[_./-][A-Za-z]+)*$`)
)

func refIsReference(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && referencePattern.MatchString(v) && !HasTokenReference(v)
}

func refIsPlaceholder(v string) bool {
	v = strings.Trim(strings.TrimSpace(v), `"'`+"`")
	if v == "" || refIsReference(v) {
		return true
	}
	lower := strings.ToLower(v)
	if exactPlaceholders[lower] {
		return true
	}
	for _, list := range [][]string{placeholderMarks, knownExamples} {
		for _, w := range list {
			if strings.Contains(lower, w) {
				return true
			}
		}
	}
	switch v[0] {
	case '<':
		if v[len(v)-1] == '>' {
			return true
		}
	case '[':
		if v[len(v)-1] == ']' {
			return true
		}
	}
	return refIsRepeated(lower) || isSequence(lower) || refIsPlaceholderPhrase(v) || refIsFilePath(v)
}

func refIsRepeated(s string) bool {
	if i := strings.LastIndexAny(s, "_-"); i >= 0 && i < len(s)-1 && len(s)-i > 6 {
		if repeatedUnit(s[i+1:]) {
			return true
		}
	}
	if strings.ContainsAny(s, "_-. ") {
		if repeatedUnit(strings.NewReplacer("_", "", "-", "", ".", "", " ", "").Replace(s)) {
			return true
		}
	}
	return repeatedUnit(s)
}

func refIsPlaceholderPhrase(v string) bool {
	v = accentFold.Replace(strings.ToLower(v))
	segments := strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(segments) == 0 {
		return false
	}
	for _, seg := range segments {
		if strongPlaceholderWords[seg] {
			return true
		}
	}
	weak := false
	words := 0
	for _, w := range placeholderWordsOf(v) {
		words++
		weak = weak || weakPlaceholderWords[w]
	}
	if !weak || words < 2 {
		return false
	}
	for _, s := range segments {
		if randomSegment(s) {
			return false
		}
	}
	return true
}

func refIsFilePath(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && !strings.ContainsAny(v, " \t\n") && filePathValue.MatchString(v)
}

func refLooksLikeSecret(v string, minLen int) bool {
	if len(v) < minLen || len(v) > 4096 || refIsPlaceholder(v) {
		return false
	}
	var lower, upper, digit, other, space int
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower++
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= '0' && c <= '9':
			digit++
		case c == ' ' || c == '\t':
			space++
		default:
			other++
		}
	}
	if space > 0 || digit == len(v) {
		return false
	}
	if refCodeLike.MatchString(v) || refPathLike.MatchString(v) {
		return false
	}
	classes := 0
	for _, n := range []int{lower, upper, digit, other} {
		if n > 0 {
			classes++
		}
	}
	if (digit == 0 && refWordLike.MatchString(v) || refConstantLike.MatchString(v)) && ShannonEntropy(v) < 4.0 {
		return false
	}
	if classes < 2 {
		return len(v) >= 20 && ShannonEntropy(v) >= 3.5
	}
	return ShannonEntropy(v) >= 2.5
}

func refAssignedName(match string) (orig, norm string) {
	if m := assignmentName.FindStringSubmatch(match); m != nil {
		orig = strings.Trim(m[1], "._-")
	}
	return orig, strings.ToLower(nameSeparators.Replace(orig))
}

func refValidateAssignment(secret, match string) bool {
	orig, norm := refAssignedName(match)
	metadata := !hasNameSuffix(orig, norm, "secret_id") && !hasNameSuffix(orig, norm, "secretid")
	for _, list := range [][]string{nonSecretNames, nonSecretNameSuffixes} {
		for _, suf := range list {
			if metadata && hasNameSuffix(orig, norm, suf) {
				return false
			}
		}
	}
	if orig != "" && strings.Contains(strings.ToLower(secret), strings.ToLower(orig)) {
		return false
	}
	return refLooksLikeSecret(secret, 8)
}

func refValidateGenericAPIKey(secret, match string) bool {
	if !uuidValue.MatchString(secret) {
		return true
	}
	orig, norm := refAssignedName(match)
	if hasNameSuffix(orig, norm, "secret_id") || hasNameSuffix(orig, norm, "secretid") {
		return true
	}
	for _, suf := range []string{"id", "ids", "uuid", "guid"} {
		if hasNameSuffix(orig, norm, suf) {
			return false
		}
	}
	return true
}

func refInRedactionMarker(text, secret string) bool {
	if secret == "" || !strings.Contains(strings.ToUpper(text), "[REDACTED") {
		return false
	}
	for _, m := range redactionMarker.FindAllString(text, -1) {
		if strings.Contains(m, secret) || strings.Contains(secret, m) {
			return true
		}
		for i := 1; i < len(m); i++ {
			if strings.HasPrefix(secret, m[i:]) && len(m)-i >= 4 {
				return true
			}
		}
	}
	return false
}

func refAllows(a *Allowlist, secret, match, line, path string) bool {
	if a.compile() != nil {
		return false
	}
	if len(a.secrets) > 0 {
		ok := false
		for _, re := range a.secrets {
			if re.MatchString(secret) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	var checks, hits int
	if len(a.regexes) > 0 {
		checks++
		target := secret
		switch a.Target {
		case TargetMatch:
			target = match
		case TargetLine:
			target = line
		}
		for _, re := range a.regexes {
			if re.MatchString(target) {
				hits++
				break
			}
		}
	}
	if len(a.StopWords) > 0 {
		checks++
		lower := strings.ToLower(secret)
		for _, w := range a.StopWords {
			if strings.Contains(lower, w) {
				hits++
				break
			}
		}
	}
	if len(a.paths) > 0 && path != "" {
		checks++
		for _, re := range a.paths {
			if re.MatchString(path) {
				hits++
				break
			}
		}
	}
	if checks == 0 {
		return false
	}
	if a.MatchAll {
		return hits == checks
	}
	return hits > 0
}

// checkValue compares the value checks on v.
func checkValue(t *testing.T, v string) {
	t.Helper()
	for _, c := range []struct {
		name      string
		got, want bool
	}{
		{"isCodeLike", isCodeLike(v), refCodeLike.MatchString(v)},
		{"isPathLike", isPathLike(v), refPathLike.MatchString(v)},
		{"isConstantLike", isConstantLike(v), refConstantLike.MatchString(v)},
		{"isWordLike", isWordLike(v), refWordLike.MatchString(v)},
		{"IsReference", IsReference(v), refIsReference(v)},
		{"IsFilePath", IsFilePath(v), refIsFilePath(v)},
		{"isPlaceholderPhrase", isPlaceholderPhrase(v), refIsPlaceholderPhrase(v)},
		{"isRepeated", isRepeated(strings.ToLower(v)), refIsRepeated(strings.ToLower(v))},
		{"IsPlaceholder", IsPlaceholder(v), refIsPlaceholder(v)},
		{"LooksLikeSecret 6", LooksLikeSecret(v, 6), refLooksLikeSecret(v, 6)},
		{"LooksLikeSecret 8", LooksLikeSecret(v, 8), refLooksLikeSecret(v, 8)},
		{"LooksLikeSecret 16", LooksLikeSecret(v, 16), refLooksLikeSecret(v, 16)},
	} {
		if c.got != c.want {
			t.Errorf("%s(%q) = %v, the reference says %v", c.name, v, c.got, c.want)
		}
	}
}

// checkMatch compares the checks that also look at the match and line.
func checkMatch(t *testing.T, secret, match, line string) {
	t.Helper()
	o1, n1 := assignedName(match)
	o2, n2 := refAssignedName(match)
	if o1 != o2 || n1 != n2 {
		t.Errorf("assignedName(%q) = %q, %q; the reference says %q, %q", match, o1, n1, o2, n2)
	}
	if got, want := validateAssignment(secret, match), refValidateAssignment(secret, match); got != want {
		t.Errorf("validateAssignment(%q, %q) = %v, the reference says %v", secret, match, got, want)
	}
	if got, want := validateGenericAPIKey(secret, match), refValidateGenericAPIKey(secret, match); got != want {
		t.Errorf("validateGenericAPIKey(%q, %q) = %v, the reference says %v", secret, match, got, want)
	}
	for _, text := range []string{match, line} {
		if got, want := InRedactionMarker(text, secret), refInRedactionMarker(text, secret); got != want {
			t.Errorf("InRedactionMarker(%q, %q) = %v, the reference says %v", text, secret, got, want)
		}
	}
	set := Default()
	for _, r := range []string{"generic-api-key", "generic-credential-assignment", "sourcegraph-access-token"} {
		for _, a := range set.Lookup(r).Allowlists {
			if got, want := a.Allows(secret, match, line, ""), refAllows(a, secret, match, line, ""); got != want {
				t.Errorf("%s allowlist %q Allows(%q, %q) = %v, the reference says %v", r, a.Description, secret, match, got, want)
			}
		}
	}
	for _, a := range set.Allowlists() {
		if got, want := a.Allows(secret, match, line, ""), refAllows(a, secret, match, line, ""); got != want {
			t.Errorf("global allowlist %q Allows(%q, %q) = %v, the reference says %v", a.Description, secret, match, got, want)
		}
	}
}

// valueSample is a match of a rule: its secret, the whole match and its
// line.
type valueSample struct{ secret, match, line string }

var (
	samplesOnce sync.Once
	samples     []valueSample
	samplesErr  error
)

// valueSamples returns the matches of every rule on gitleaks' rule
// examples and on a small corpus of each generator shape.
func valueSamples(t testing.TB) []valueSample {
	samplesOnce.Do(func() {
		var texts []string
		f, err := os.Open("testdata/gitleaks-examples.jsonl.gz")
		if err != nil {
			samplesErr = err
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			samplesErr = err
			return
		}
		dec := json.NewDecoder(bufio.NewReader(zr))
		for dec.More() {
			var e struct{ Text string }
			if err := dec.Decode(&e); err != nil {
				samplesErr = err
				return
			}
			texts = append(texts, e.Text)
		}
		dir, err := os.MkdirTemp("", "mcpscan-shape-")
		if err != nil {
			samplesErr = err
			return
		}
		defer os.RemoveAll(dir)
		for i, shape := range corpus.Shapes() {
			out := filepath.Join(dir, shape.Name)
			if _, err := corpus.Generate(out, corpus.Options{TargetBytes: 96 << 10, Seed: uint64(i + 1), Shape: shape.Name, SecretsPerMB: 40}); err != nil {
				samplesErr = err
				return
			}
			filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
				if err == nil && !info.IsDir() {
					if b, err := os.ReadFile(p); err == nil {
						texts = append(texts, string(b))
					}
				}
				return nil
			})
		}
		for _, text := range texts {
			samples = append(samples, matchesIn(text)...)
		}
	})
	if samplesErr != nil {
		t.Fatal(samplesErr)
	}
	return samples
}

// matchesIn returns the matches of every rule whose keyword text holds,
// and the text's whitespace-separated fields as values.
func matchesIn(text string) []valueSample {
	var out []valueSample
	lower := strings.ToLower(text)
	for _, r := range Default().Rules() {
		if r.Pattern == "" {
			continue
		}
		hit := false
		for _, k := range r.Keywords {
			if strings.Contains(lower, k) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, loc := range r.FindAll([]byte(text)) {
			a, z := r.SecretSpan(loc)
			if a < 0 || z < a {
				continue
			}
			ls := strings.LastIndexByte(text[:loc[0]], '\n') + 1
			le := strings.IndexByte(text[loc[1]:], '\n')
			if le < 0 {
				le = len(text)
			} else {
				le += loc[1]
			}
			out = append(out, valueSample{secret: text[a:z], match: text[loc[0]:loc[1]], line: text[ls:le]})
		}
	}
	for _, f := range strings.Fields(text) {
		if len(f) <= 256 {
			out = append(out, valueSample{secret: strings.Trim(f, `"',;`), match: f, line: f})
		}
	}
	return out
}

func TestValueChecksEqualReference(t *testing.T) {
	seen := map[valueSample]bool{}
	for i, s := range valueSamples(t) {
		if seen[s] {
			continue
		}
		seen[s] = true
		checkValue(t, s.secret)
		if s.match != s.line || i%8 == 0 { // every match; one field in 8 (the allowlists are slow to compare)
			checkMatch(t, s.secret, s.match, s.line)
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("%d distinct samples", len(seen))
}

// mutationBytes are what fuzzed variants are built from: the bytes the
// checks look at, letters of both cases, and characters whose case
// mapping leaves ASCII (ſ, K, ı, İ), accents, an invalid byte.
var mutationBytes = []string{
	"$", "{", "}", "(", ")", "[", "]", "<", ">", ".", "_", "-", "/", "\\", ":", "=", "@", "%", "*", "~", "#",
	"\"", "'", "`", " ", "\t", "a", "Z", "k", "K", "s", "S", "i", "I", "0", "9", "x", "X",
	"ſ", "K", "ı", "İ", "é", "Ü", "\xff", "•", "…",
	"your", "YOUR", "example", "Example", "token", "TOKEN", "secret", "key", "id", "_id", "Url", "here", "aqui",
	"${", "{{", "}}", "::", "->", "=>", "()", "http://", "https://", "file://", "./", "../", "~/", "C:\\",
	"process.env.", "os.getenv(", "env:", "[REDACTED", "[redacted:x:1]", "xxxxxx", "123456", "abcdef",
	"this.", "self.", "config.", "Foo.Bar", "AKIAIOSFODNN7EXAMPLE", "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
}

// mutate returns a variant of s: bytes and pieces inserted, replaced or
// deleted at random places.
func mutate(rng *rand.Rand, s string) string {
	b := []byte(s)
	for n := 1 + rng.IntN(3); n > 0; n-- {
		at := 0
		if len(b) > 0 {
			at = rng.IntN(len(b) + 1)
		}
		piece := mutationBytes[rng.IntN(len(mutationBytes))]
		switch rng.IntN(3) {
		case 0: // insert
			b = append(b[:at], append([]byte(piece), b[at:]...)...)
		case 1: // replace
			end := min(len(b), at+rng.IntN(4))
			b = append(b[:at], append([]byte(piece), b[end:]...)...)
		default: // delete
			end := min(len(b), at+1+rng.IntN(4))
			b = append(b[:at], b[end:]...)
		}
	}
	return string(b)
}

func TestValueChecksEqualReferenceFuzzed(t *testing.T) {
	all := valueSamples(t)
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 5000
	}
	for i := 0; i < n; i++ {
		s := all[rng.IntN(len(all))]
		secret := mutate(rng, s.secret)
		if rng.IntN(4) == 0 { // built from pieces only
			var sb strings.Builder
			for k := rng.IntN(6); k >= 0; k-- {
				sb.WriteString(mutationBytes[rng.IntN(len(mutationBytes))])
			}
			secret = sb.String()
		}
		match := mutate(rng, s.match)
		if rng.IntN(2) == 0 {
			match = mutate(rng, s.match[:len(s.match)-len(s.secret)]) + secret
		}
		checkValue(t, secret)
		checkMatch(t, secret, match, mutate(rng, s.line))
		if t.Failed() {
			return
		}
	}
}

// FuzzValueChecks compares the value checks with the reference on any
// value and match.
func FuzzValueChecks(f *testing.F) {
	for _, s := range []string{"function(e){return", "sk-proj-...a1B2", "DEIN_API_SCHLUESSEL", "${env:X}", "AKIAIOSFODNN7EXAMPLE", "ſecret_id", "Foo.Bar", "[REDACTED:x:1]"} {
		f.Add(s, "API_KEY="+s)
	}
	f.Fuzz(func(t *testing.T, secret, match string) {
		checkValue(t, secret)
		checkMatch(t, secret, match, match)
	})
}

// BenchmarkValueChecks times what the matcher runs on each match of the
// two NAME=value rules over the corpus shapes (Plausible), against the
// reference code ("ref").
func BenchmarkValueChecks(b *testing.B) {
	set := Default()
	type cand struct {
		r             *Rule
		secret, match string
	}
	var cands []cand
	for _, id := range []string{"generic-credential-assignment", "generic-api-key"} {
		r := set.Lookup(id)
		for _, s := range valueSamples(b) {
			if s.match != s.line && strings.Contains(strings.ToLower(s.match), strings.ToLower(s.secret)) {
				cands = append(cands, cand{r, s.secret, s.match})
			}
		}
	}
	refPlausible := func(r *Rule, secret, match string) bool {
		if r.Entropy > 0 && ShannonEntropy(secret) <= r.Entropy {
			return false
		}
		if r.ID == "generic-credential-assignment" && !refValidateAssignment(secret, match) {
			return false
		}
		if r.ID == "generic-api-key" && !refValidateGenericAPIKey(secret, match) {
			return false
		}
		return !refIsPlaceholder(secret)
	}
	b.Run("new", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c := cands[i%len(cands)]
			set.Plausible(c.r, c.secret, c.match)
		}
	})
	b.Run("ref", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c := cands[i%len(cands)]
			refPlausible(c.r, c.secret, c.match)
		}
	})
}

// TestLiteralFiltersAreNecessary: wherever an allowlist regex of the
// default set matches an ASCII text, the text holds one of the literals
// its filter requires.
func TestLiteralFiltersAreNecessary(t *testing.T) {
	set := Default()
	var lists []*Allowlist
	for _, r := range set.Rules() {
		lists = append(lists, r.Allowlists...)
	}
	lists = append(lists, set.Allowlists()...)
	var texts []string
	seen := map[string]bool{}
	for _, s := range valueSamples(t) {
		for _, x := range []string{s.secret, s.match, s.line} {
			if !seen[x] && len(x) <= 1024 {
				seen[x] = true
				texts = append(texts, x)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	filtered, matched := 0, 0
	for _, a := range lists {
		if a.compile() != nil {
			t.Fatal(a.compile())
		}
		for i, re := range a.regexes {
			f := a.filters[i]
			if f == nil {
				continue
			}
			filtered++
			check := func(text string) {
				if !isASCII(text) || !re.MatchString(text) {
					return
				}
				matched++
				if !f.in(strings.ToLower(text)) {
					t.Errorf("regex %q matches %q, which holds none of its required literals", re, text)
				}
			}
			for _, text := range texts {
				check(text)
			}
			// Texts built from the regex's own literals.
			lits, _ := requiredLiterals(mustParse(t, re.String())) // a part of a.Regexes (see alternatives)
			for k := 0; k < 200; k++ {
				check(mutate(rng, lits[rng.IntN(len(lits))]))
			}
		}
	}
	if filtered < 10 || matched < 100 {
		t.Errorf("only %d filtered regexes and %d matches seen", filtered, matched)
	}
}

func mustParse(t *testing.T, src string) *syntax.Regexp {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	return re
}
