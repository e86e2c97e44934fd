package reporters

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
)

// entry is what the terminal and HTML reports list as one item: every
// place of one secret (findings sharing a SecretID, whatever their rules),
// or a single finding that has no SecretID (the evidence of a structural
// finding, or a finding read back without one).
type entry struct {
	// places are the entry's findings in the Result's order (path, line,
	// column, rule ID).
	places []*scanner.Finding
	// head is the finding that speaks for the entry: the most severe, then
	// the one of the most specific rule (rules.PriorityProvider first),
	// then the first place.
	head *scanner.Finding
	// first is the index in Result.Findings of the entry's first place.
	first int
}

// severity returns the entry's severity: its head's.
func (e *entry) severity() rules.Severity { return e.head.Severity }

// holdsSecret reports whether the entry is a credential rather than
// evidence.
func (e *entry) holdsSecret() bool { return e.head.Kind.HoldsSecret() }

// ruleIDs returns the entry's rule IDs, the head's first, then the others
// in order of first appearance.
func (e *entry) ruleIDs() []string {
	ids := []string{e.head.RuleID}
	seen := map[string]bool{e.head.RuleID: true}
	for _, f := range e.places {
		if !seen[f.RuleID] {
			seen[f.RuleID] = true
			ids = append(ids, f.RuleID)
		}
	}
	return ids
}

// files returns the number of distinct files (displayed locations) the
// entry's places are in.
func (e *entry) files() int {
	seen := make(map[string]bool, len(e.places))
	for _, f := range e.places {
		seen[f.Path()] = true
	}
	return len(seen)
}

// priority is a finding's rule priority (rules.Priority*), -1 without a
// rule.
func priority(f *scanner.Finding) int {
	if f.Rule == nil {
		return -1
	}
	return f.Rule.Priority
}

// outranks reports whether a should speak for an entry before b: higher
// severity, then a credential before evidence, then the more specific rule
// (a provider's own token format before a generic NAME=value rule). Ties
// are left to the caller's order.
func outranks(a, b *scanner.Finding) (better, decided bool) {
	if sa, sb := sevIndex(a.Severity), sevIndex(b.Severity); sa != sb {
		return sa > sb, true
	}
	if ha, hb := a.Kind.HoldsSecret(), b.Kind.HoldsSecret(); ha != hb {
		return ha, true
	}
	if pa, pb := priority(a), priority(b); pa != pb {
		return pa > pb, true
	}
	return false, false
}

// groupEntries groups a sorted Result's findings into entries, in the
// order of what to do first: severity, then credentials before evidence,
// then the most specific rule (live provider keys before generic
// assignments), then the first place. Findings with the same SecretID form
// one entry; findings without one are an entry each.
func groupEntries(fs []scanner.Finding) []*entry {
	var list []*entry
	byID := make(map[string]*entry)
	for i := range fs {
		f := &fs[i]
		var e *entry
		if f.SecretID != "" {
			e = byID[f.SecretID]
		}
		if e == nil {
			e = &entry{head: f, first: i}
			list = append(list, e)
			if f.SecretID != "" {
				byID[f.SecretID] = e
			}
		} else if better, _ := outranks(f, e.head); better {
			e.head = f
		}
		e.places = append(e.places, f)
	}
	sort.SliceStable(list, func(i, j int) bool {
		if better, decided := outranks(list[i].head, list[j].head); decided {
			return better
		}
		return list[i].first < list[j].first
	})
	return list
}

// secretCounts returns how many distinct secrets the entries hold, in how
// many places, and how many other findings (evidence) there are.
func secretCounts(entries []*entry) (secrets, places, other int) {
	for _, e := range entries {
		if e.holdsSecret() {
			secrets++
			places += len(e.places)
		} else {
			other += len(e.places)
		}
	}
	return secrets, places, other
}

// agentOf names the agent or client behind a finding: its source's Agent,
// else the "client" context value (MCP configs name their client), else
// "".
func agentOf(f *scanner.Finding) string {
	if f.Source != nil && f.Source.Agent != "" {
		return f.Source.Agent
	}
	return f.Context.Get(scanner.FieldClient.Key)
}

// storeOf names the kind of store a finding sits in (Source.Store), "other"
// when unknown.
func storeOf(f *scanner.Finding) string {
	if f.Source != nil && f.Source.Store != "" {
		return string(f.Source.Store)
	}
	return string(scanner.StoreOther)
}

// Kinds of verdict.
const (
	verdictFound      = "found"      // findings
	verdictIncomplete = "incomplete" // no findings, but something asked for was not read
	verdictNothing    = "nothing"    // nothing to scan: none of the default locations exists
	verdictClean      = "clean"      // nothing found in a complete scan
)

// verdict is a report's one-line conclusion.
type verdict struct {
	kind string // verdictFound …
	text string // one or more sentences
}

// makeVerdict concludes a scan; hint, said after the findings when they
// include secrets, tells the reader what to do first. The text holds
// paths from Result.Looked (sanitized by the scanner, not yet escaped for
// a terminal or HTML).
func makeVerdict(res *scanner.Result, entries []*entry, hint string) verdict {
	incomplete := 0
	for i := range res.Errors {
		if res.Errors[i].Incomplete {
			incomplete++
		}
	}
	st := res.Stats
	n := len(res.Findings)
	if n == 0 {
		switch {
		case incomplete > 0:
			return verdict{verdictIncomplete, "Scan incomplete: no secrets found in what was read, but " + count(incomplete, "input", "inputs") +
				" could not be fully scanned (see Errors). This is not a clean result."}
		case st.FilesScanned == 0 && len(res.Looked) > 0:
			return verdict{verdictNothing, "Nothing to scan: none of the agent locations mcpscan knows exists here. Looked for: " +
				strings.Join(res.Looked, ", ") + "."}
		}
		msg := "No secrets found in " + count64(st.FilesScanned, "file", "files") + "."
		if len(res.Errors) > 0 {
			msg += " " + count(len(res.Errors), "problem", "problems") + " noted in the errors did not stop the scan."
		}
		return verdict{verdictClean, msg}
	}
	files := make(map[string]bool)
	for i := range res.Findings {
		files[res.Findings[i].Path()] = true
	}
	secrets, places, other := secretCounts(entries)
	var msg string
	if secrets > 0 {
		msg = fmt.Sprintf("%s in %s", count(secrets, "secret", "secrets"), count(places, "place", "places"))
		if other > 0 {
			msg += " and " + count(other, "other finding", "other findings")
		}
	} else {
		msg = count(n, "finding", "findings")
	}
	top, _ := res.MaxSeverity()
	msg += fmt.Sprintf(" in %s (highest severity: %s).", count(len(files), "file", "files"), rules.Severity(sevIndex(top)))
	if secrets > 0 && hint != "" {
		msg += " " + hint
	}
	if incomplete > 0 {
		msg += " The scan was incomplete: " + count(incomplete, "input", "inputs") + " could not be fully scanned (see Errors)."
	}
	return verdict{verdictFound, msg}
}
