package rules_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

// found is one match that Default().Accept admitted.
type found struct {
	rules.Candidate
	Start, End int // the secret's byte span in the scanned text
}

// acceptedMatches brute-forces rule r over a decoded text: it runs the
// rule's regex over the whole text, picks each match's secret with
// SecretSpan, builds the Candidate Accept judges (Line is the line, or lines,
// holding the match) and keeps the ones Default().Accept admits.
func acceptedMatches(t testing.TB, r *rules.Rule, text, path string) []found {
	t.Helper()
	re := r.Regexp()
	if re == nil {
		t.Fatalf("rule %s does not compile: %v", r.ID, r.Compile())
	}
	set := rules.Default()
	var out []found
	for _, loc := range re.FindAllStringSubmatchIndex(text, -1) {
		s, e := r.SecretSpan(loc)
		if s < 0 || e < s {
			continue
		}
		c := rules.Candidate{
			Secret: text[s:e],
			Match:  text[loc[0]:loc[1]],
			Line:   lineAround(text, loc[0], loc[1]),
			Path:   path,
		}
		if set.Accept(r, c) {
			out = append(out, found{Candidate: c, Start: s, End: e})
		}
	}
	return out
}

// acceptedSecrets returns the secrets acceptedMatches finds.
func acceptedSecrets(t testing.TB, r *rules.Rule, text string) []string {
	t.Helper()
	var out []string
	for _, f := range acceptedMatches(t, r, text, "") {
		out = append(out, f.Secret)
	}
	return out
}

// windowedSecrets imitates the scanner's matcher: it runs r's regex only in
// windows of WindowRadius bytes either side of each keyword occurrence that
// the rule admits (Rule.Admits), and returns the accepted secrets, each once,
// in text order. A rule whose
// Radius is too small for its matches finds less here than acceptedSecrets.
func windowedSecrets(t testing.TB, r *rules.Rule, text string) []string {
	t.Helper()
	re := r.Regexp()
	if re == nil {
		t.Fatalf("rule %s does not compile: %v", r.ID, r.Compile())
	}
	lower := strings.ToLower(text)
	rad := r.WindowRadius()
	type span struct{ s, e int }
	seen := map[span]string{}
	for _, kw := range r.Keywords {
		for off := 0; ; {
			i := strings.Index(lower[off:], kw)
			if i < 0 {
				break
			}
			k := off + i
			off = k + 1
			if !r.Admits([]byte(text), k+len(kw)) {
				continue // the matcher opens no window here
			}
			lo, hi := max(0, k-rad), min(len(text), k+len(kw)+rad)
			win := text[lo:hi]
			for _, loc := range re.FindAllStringSubmatchIndex(win, -1) {
				s, e := r.SecretSpan(loc)
				if s < 0 || e < s {
					continue
				}
				c := rules.Candidate{Secret: win[s:e], Match: win[loc[0]:loc[1]], Line: lineAround(win, loc[0], loc[1])}
				if rules.Default().Accept(r, c) {
					seen[span{lo + s, lo + e}] = c.Secret
				}
			}
		}
	}
	spans := make([]span, 0, len(seen))
	for sp := range seen {
		spans = append(spans, sp)
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].s < spans[j].s })
	var out []string
	for _, sp := range spans {
		out = append(out, seen[sp])
	}
	return out
}

// lineAround returns the line (or lines) of text holding text[start:end].
func lineAround(text string, start, end int) string {
	ls := strings.LastIndexByte(text[:start], '\n') + 1
	le := strings.IndexByte(text[end:], '\n')
	if le < 0 {
		le = len(text)
	} else {
		le += end
	}
	return strings.TrimSuffix(text[ls:le], "\r")
}

// rule returns the Default() rule with the given ID, failing the test when
// there is none.
func rule(t testing.TB, id string) *rules.Rule {
	t.Helper()
	r := rules.Default().Lookup(id)
	if r == nil {
		t.Fatalf("no rule %q in Default()", id)
	}
	return r
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
