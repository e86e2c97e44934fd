package rules

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Set is an immutable collection of rules plus the allowlists that apply to
// every rule. It is safe for concurrent use.
type Set struct {
	rules  []*Rule
	byID   map[string]*Rule
	global []*Allowlist

	pathOnce  sync.Once
	pathRules []*Rule // rules with a Path and no Pattern
}

// NewSet builds a set from rules and global allowlists. It returns an error
// for an empty or duplicate rule ID, or a rule without keywords (the matcher
// only runs a rule's regex around its keywords).
func NewSet(rs []*Rule, global []*Allowlist) (*Set, error) {
	s := &Set{byID: make(map[string]*Rule, len(rs)), global: global}
	for _, r := range rs {
		if r.ID == "" {
			return nil, fmt.Errorf("rules: a rule has no ID (description %q)", r.Description)
		}
		if _, dup := s.byID[r.ID]; dup {
			return nil, fmt.Errorf("rules: duplicate rule ID %q", r.ID)
		}
		if len(r.Keywords) == 0 && r.Pattern != "" {
			return nil, fmt.Errorf("rules: rule %s has no keywords", r.ID)
		}
		for i, k := range r.Keywords {
			if k != strings.ToLower(k) || len(k) < 2 {
				return nil, fmt.Errorf("rules: rule %s: keyword %d (%q) must be lower-case and at least 2 bytes", r.ID, i, k)
			}
		}
		s.byID[r.ID] = r
		s.rules = append(s.rules, r)
	}
	return s, nil
}

var (
	defaultOnce sync.Once
	defaultSet  *Set
)

// Default returns the built-in rule set: gitleaks' default rules followed by
// mcpscan's own, with gitleaks' global allowlist and mcpscan's additions. The set is built once per
// process; regexes are compiled lazily.
func Default() *Set {
	defaultOnce.Do(func() {
		rs := append(gitleaksRules(), mcpscanRules()...)
		rs = append(rs, providerRules()...)
		rs = append(rs, bindRules()...)
		rs = append(rs, structuralRules()...)
		rs = append(rs, artifactRules()...)
		var global []*Allowlist
		for _, a := range gitleaksGlobalAllowlists {
			global = append(global, a.toAllowlist())
		}
		global = append(global, mcpscanGlobalAllowlists...)
		s, err := NewSet(rs, global)
		if err != nil {
			panic(err) // the built-in data is checked by tests
		}
		defaultSet = s
	})
	return defaultSet
}

// mcpscanGlobalAllowlists are mcpscan's additions to gitleaks' global
// allowlist: values that fill agent transcripts, look random, and are never
// credentials.
var mcpscanGlobalAllowlists = []*Allowlist{
	{
		// Anthropic API object IDs: tool_use blocks (toolu_01…), messages
		// (msg_01…), request IDs (req_011C…), batches and files. Claude Code
		// writes several into every transcript record.
		Description: "mcpscan: Anthropic API object IDs",
		Regexes:     []string{`^(?:toolu|srvtoolu|msg|msgbatch|req|file)_01[A-Za-z0-9]{16,40}$`},
	},
}

// Rules returns the rules in order: gitleaks' first, then mcpscan's.
func (s *Set) Rules() []*Rule { return s.rules }

// Allowlists returns the allowlists that apply to every rule of the set
// (gitleaks' global allowlist and mcpscan's additions, for Default), for
// building a derived set with NewSet. The slice must not be modified.
func (s *Set) Allowlists() []*Allowlist { return s.global }

// Lookup returns the rule with the given ID, or nil.
func (s *Set) Lookup(id string) *Rule { return s.byID[id] }

// IDs returns the sorted rule IDs.
func (s *Set) IDs() []string {
	ids := make([]string, 0, len(s.rules))
	for _, r := range s.rules {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return ids
}

// PathRules returns the path-only rules (gitleaks' pkcs12-file: a rule with
// a Path and no Pattern) that the file at slash path p sets off: the file
// itself is the finding, with no line and no secret text, whatever it
// holds. Rules whose allowlists allow the path are left out. Handlers call
// it once per file they scan, archive members included, and report one
// file-level finding per rule returned. It returns nil for most paths.
func (s *Set) PathRules(p string) []*Rule {
	var out []*Rule
	for _, r := range s.pathOnly() {
		if !r.AppliesToPath(p) {
			continue
		}
		allowed := false
		for _, a := range r.Allowlists {
			if a.Allows("", "", "", p) {
				allowed = true
				break
			}
		}
		for _, a := range s.global {
			if allowed || a.Allows("", "", "", p) {
				allowed = true
				break
			}
		}
		if !allowed {
			out = append(out, r)
		}
	}
	return out
}

// pathOnly returns the set's path-only rules.
func (s *Set) pathOnly() []*Rule {
	s.pathOnce.Do(func() {
		for _, r := range s.rules {
			if r.Pattern == "" && r.Path != "" {
				s.pathRules = append(s.pathRules, r)
			}
		}
	})
	return s.pathRules
}

// Candidate is one regex match to be judged by Accept. All texts are
// decoded (JSON escapes resolved).
type Candidate struct {
	Secret string // the secret group
	Match  string // the whole regex match
	Line   string // the line holding the match
	Path   string // the file's slash path, for path allowlists
}

// Plausible runs the checks of Accept that need no more than the secret
// and the match: the entropy floor, the rule's validator and the
// placeholder check. A match it rejects, Accept rejects too; the matcher
// calls it first, so that most rejected matches cost no allocation. It
// does not retain secret or match (the matcher passes views of its
// buffer).
func (s *Set) Plausible(r *Rule, secret, match string) bool {
	if r.Entropy > 0 && ShannonEntropy(secret) <= r.Entropy {
		return false
	}
	if r.Validate != nil && !r.Validate(secret, match) {
		return false
	}
	return r.SkipPlaceholderCheck || !IsPlaceholder(secret)
}

// Accept reports whether a match of rule r is a finding: it checks the
// rule's entropy, its offline validator, the placeholder and reference
// check, the rule's allowlists and the global allowlists, in that order.
func (s *Set) Accept(r *Rule, c Candidate) bool {
	if r.Entropy > 0 && ShannonEntropy(c.Secret) <= r.Entropy {
		return false
	}
	if r.Validate != nil && !r.Validate(c.Secret, c.Match) {
		return false
	}
	if !r.SkipPlaceholderCheck && (IsPlaceholder(c.Secret) || InRedactionMarker(c.Match, c.Secret) || InRedactionMarker(c.Line, c.Secret)) {
		return false
	}
	for _, a := range r.Allowlists {
		if a.Allows(c.Secret, c.Match, c.Line, c.Path) {
			return false
		}
	}
	for _, a := range s.global {
		if a.Allows(c.Secret, c.Match, c.Line, c.Path) {
			return false
		}
	}
	return true
}
