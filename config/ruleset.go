package config

import (
	"errors"
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"

	"github.com/mcpscan/mcpscan/rules"
)

// defaultCustomSeverity is the severity of a custom rule that sets none.
const defaultCustomSeverity = rules.High

// RuleSet returns the rule set to scan with: base (normally
// rules.Default()) with
//
//   - each gitleaks config's rules: a rule with the ID of one of gitleaks'
//     default rules changes that rule (fields set replace, keywords add
//     up) when the config has [extend] useDefault = true, and replaces it
//     otherwise; other rules are added. A rule with the ID of one of
//     mcpscan's own rules is an error. [extend] disabledRules removes
//     gitleaks default rules.
//   - disabled_rules removed (pattern rules; structural rules stay in the
//     set, because handlers raise them by ID, and Apply drops their
//     findings). An unknown ID is an error.
//   - the custom [[rules]] added. A custom rule may not reuse the ID of a
//     rule in the set unless that rule is disabled. A rule without
//     keywords gets the literal text its regex requires (acme_ for
//     acme_[a-z0-9]{32}); a regex without such text of two or more
//     characters is an error asking for keywords.
//   - [severity] overrides set. An unknown ID is an error.
//
// base's global allowlists stay. The user's allowlists (config and
// gitleaks config, global and per rule) are not added to the set: the
// Suppressor applies them to the findings, so that what they suppress is
// counted and --no-suppress shows it. RuleSet checks that the rules they
// target exist. Rules of base are never modified: changed rules are new
// values (rules.Rule.Clone).
//
// The error joins every mistake, each an *Error naming the file and line.
func (c *Config) RuleSet(base *rules.Set) (*rules.Set, error) {
	var errs []error
	list := append([]*rules.Rule(nil), base.Rules()...)
	idx := func(id string) int {
		for i, r := range list {
			if r.ID == id {
				return i
			}
		}
		return -1
	}
	owned := map[*rules.Rule]bool{} // built here, safe to change

	for _, gc := range c.gitleaks {
		if gc.useDefault {
			for _, d := range gc.disabled {
				if i := idx(d.value); i >= 0 && isGitleaksRule(list[i]) && list[i].Pattern != "" {
					list = append(list[:i], list[i+1:]...)
				}
			}
		}
		for _, rd := range gc.rules {
			i := idx(rd.at.value)
			switch {
			case i >= 0 && !isGitleaksRule(list[i]):
				errs = append(errs, rd.errorf("rule id %q is one of mcpscan's own rules; give the rule another id", rd.at.value))
			case i >= 0 && gc.useDefault:
				r, err := mergeOntoRule(list[i], rd)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				list[i], owned[r] = r, true
			case rd.regex == "":
				errs = append(errs, rd.errorf("the rule has no regex and changes no gitleaks default rule (that needs [extend] useDefault = true)"))
			default:
				sev := defaultCustomSeverity
				if i >= 0 {
					sev = list[i].Severity
				}
				r, err := newRule(rd, sev)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				owned[r] = true
				if i >= 0 {
					list[i] = r
				} else {
					list = append(list, r)
				}
			}
		}
	}

	known := map[string]bool{}
	for _, r := range list {
		known[r.ID] = true
	}
	for _, rd := range c.rules {
		known[rd.at.value] = true
	}
	for id := range c.declared {
		known[id] = true // written, with a mistake reported by Load
	}
	off := map[string]bool{}
	for _, d := range c.disabled {
		if !known[d.value] {
			errs = append(errs, d.errorf("unknown rule id%s (mcpscan rules lists them)", closestRule(d.value)))
			continue
		}
		off[d.value] = true
	}
	kept := list[:0]
	for _, r := range list {
		if off[r.ID] && r.Pattern != "" {
			continue
		}
		kept = append(kept, r)
	}
	list = kept

	for _, rd := range c.rules {
		if off[rd.at.value] {
			continue
		}
		if i := idx(rd.at.value); i >= 0 {
			errs = append(errs, rd.errorf("rule id %q exists already; choose another id, or replace the rule: list it in disabled_rules", rd.at.value))
			continue
		}
		sev := defaultCustomSeverity
		if rd.severity != nil {
			sev = *rd.severity
		}
		r, err := newRule(rd, sev)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		owned[r] = true
		list = append(list, r)
	}

	for id, s := range c.severity {
		i := idx(id)
		if i < 0 {
			if !off[id] && !c.declared[id] {
				errs = append(errs, s.at.errorf("unknown rule id%s (mcpscan rules lists them)", closestRule(id)))
			}
			continue
		}
		r := list[i]
		if !owned[r] {
			r = r.Clone()
			list[i], owned[r] = r, true
		}
		r.Severity = s.sev
	}

	for _, a := range c.userAllowlists() {
		for _, t := range a.targets {
			if !known[t.value] {
				errs = append(errs, t.errorf("unknown rule id%s in targetRules", closestRule(t.value)))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if slices.Equal(list, base.Rules()) {
		// Nothing changed: base itself, whose matcher is built once and
		// shared with the report's sanitizer (scanner.matchEngine).
		return base, nil
	}
	set, err := rules.NewSet(list, base.Allowlists())
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return set, nil
}

// isGitleaksRule reports whether r is one of gitleaks' default rules (or a
// gitleaks config's rule) rather than one of mcpscan's own.
func isGitleaksRule(r *rules.Rule) bool {
	return r.Origin == rules.OriginGitleaks || r.Origin == rules.OriginGitleaksConfig
}

// userAllowlists returns every allowlist the user wrote: the mcpscan
// configs' [[allowlists]] and custom rules' allowlists, then the gitleaks
// configs' global and rule allowlists.
func (c *Config) userAllowlists() []*allowlist {
	out := append([]*allowlist(nil), c.allowlists...)
	for _, rd := range c.rules {
		out = append(out, rd.allowlists...)
	}
	for _, gc := range c.gitleaks {
		out = append(out, gc.allowlists...)
		for _, rd := range gc.rules {
			out = append(out, rd.allowlists...)
		}
	}
	return out
}

// newRule builds a rule from a [[rules]] entry.
func newRule(rd *ruleDef, sev rules.Severity) (*rules.Rule, error) {
	desc := rd.description
	if desc == "" {
		desc = fmt.Sprintf("Custom rule %s (%s).", rd.at.value, rd.at.file)
	}
	r := &rules.Rule{
		ID:          rd.at.value,
		Description: desc,
		Severity:    sev,
		Kind:        rules.KindSecret,
		Origin:      rd.origin,
		Keywords:    rd.keywords,
		Pattern:     rd.regex,
		SecretGroup: rd.secretGroup,
		Entropy:     rd.entropy,
		Path:        rd.path,
		Priority:    rules.PriorityProvider,
	}
	if len(r.Keywords) == 0 {
		r.Keywords = deriveKeywords(rd.regex)
		if len(r.Keywords) == 0 {
			return nil, rd.errorf("the rule has no keywords and its regex requires no literal text of 2 or more characters to derive them from; add keywords = [\"…\"] (lower-case words that occur in or next to every match)")
		}
	} else {
		widenRadius(r)
	}
	if err := r.Compile(); err != nil {
		return nil, rd.errorf("%s", regexProblem(err))
	}
	return r, nil
}

// closestRule suggests the known rule ID nearest to id (an unknown ID,
// which error messages do not quote: it may be anything the user typed):
// " (did you mean generic-api-key?)", or "" when none is close.
func closestRule(id string) string {
	id = strings.ToLower(strings.TrimSpace(id))
	best, bestD := "", 4
	for _, r := range rules.Default().Rules() {
		if d := editDistance(id, r.ID, bestD); d < bestD {
			best, bestD = r.ID, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// editDistance is the Levenshtein distance of a and b, or limit when it is
// limit or more.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}

// widenRadius lets a rule match up to rules.DefaultRadius bytes away from
// a keyword the user chose, which may sit beside the match rather than in
// it (gitleaks only asks that the keyword occur somewhere in the file).
func widenRadius(r *rules.Rule) {
	if r.WindowRadius() < rules.DefaultRadius {
		r.Radius = rules.DefaultRadius
	}
}

// mergeOntoRule applies a gitleaks config rule over the default rule of
// the same ID, as gitleaks' [extend] does.
func mergeOntoRule(def *rules.Rule, rd *ruleDef) (*rules.Rule, error) {
	r := def.Clone()
	r.Origin = rules.OriginGitleaksConfig
	if rd.description != "" {
		r.Description = rd.description
	}
	if rd.regex != "" {
		// mcpscan's checks tuned to the default regex do not fit another.
		r.Pattern, r.Precheck, r.Validate, r.Radius = rd.regex, nil, nil, 0
	}
	if rd.secretGroup != 0 {
		r.SecretGroup = rd.secretGroup
	}
	if rd.entropy != 0 {
		r.Entropy = rd.entropy
	}
	if rd.path != "" {
		r.Path = rd.path
	}
	if len(rd.keywords) > 0 {
		kw := append([]string(nil), def.Keywords...)
		for _, k := range rd.keywords {
			kw = appendUnique(kw, k)
		}
		r.Keywords = kw
		widenRadius(r)
	}
	if err := r.Compile(); err != nil {
		return nil, rd.errorf("%s", regexProblem(err))
	}
	return r, nil
}

// maxDerived caps the number of keywords derived from one regex.
const maxDerived = 16

// deriveKeywords returns lower-case literals of which every match of
// pattern contains at least one, each 2 or more bytes long, or nil when
// the regex does not require such text.
func deriveKeywords(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	lits, ok := requiredLits(re.Simplify())
	if !ok || score(lits) < 2 {
		return nil
	}
	var out []string
	for _, l := range lits {
		out = appendUnique(out, l)
	}
	return out
}

// score rates a keyword set by its shortest member.
func score(lits []string) int {
	if len(lits) == 0 {
		return 0
	}
	m := len(lits[0])
	for _, l := range lits[1:] {
		m = min(m, len(l))
	}
	return m
}

// requiredLits returns a set of lower-case strings one of which occurs in
// every match of re.
func requiredLits(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral, syntax.OpCharClass:
		return exactSet(re)
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLits(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLits(re.Sub[0])
		}
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			s, ok := requiredLits(sub)
			if !ok || score(s) < 2 {
				return nil, false
			}
			all = append(all, s...)
		}
		return all, len(all) <= maxDerived
	case syntax.OpConcat:
		var best []string
		consider := func(s []string) {
			if score(s) > score(best) || (score(s) == score(best) && len(s) < len(best)) {
				best = s
			}
		}
		var run []string // cross product of the current run of exact pieces
		for _, sub := range re.Sub {
			if s, ok := exactSet(sub); ok {
				if run == nil {
					run = s
				} else if run = cross(run, s); run == nil {
					run = s // too many combinations: start a new run
				}
				consider(run)
				continue
			}
			run = nil
			if s, ok := requiredLits(sub); ok {
				consider(s)
			}
		}
		return best, best != nil
	}
	return nil, false
}

// exactSet returns every string re can match when that is a small finite
// set (lower-cased), as for a literal, [Aa] or (?:ab|cd).
func exactSet(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 4 {
				return nil, false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				out = appendUnique(out, string(unicode.ToLower(r)))
			}
		}
		return out, len(out) > 0 && len(out) <= 4
	case syntax.OpCapture:
		return exactSet(re.Sub[0])
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			s, ok := exactSet(sub)
			if !ok {
				return nil, false
			}
			for _, x := range s {
				out = appendUnique(out, x)
			}
		}
		return out, len(out) <= maxDerived
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			s, ok := exactSet(sub)
			if !ok {
				return nil, false
			}
			if out = cross(out, s); out == nil {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// cross returns every a+b, or nil when there would be more than
// maxDerived.
func cross(as, bs []string) []string {
	if len(as)*len(bs) > maxDerived {
		return nil
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = appendUnique(out, a+b)
		}
	}
	return out
}
