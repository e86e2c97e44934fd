package config

import (
	"fmt"
	"path/filepath"
	"strings"
)

// gitleaksConfig is one resolved gitleaks config file: its rules (merged
// along [extend] path), its allowlists, and how it extends gitleaks'
// default rules.
type gitleaksConfig struct {
	file       string
	declared   []string   // IDs of every rule written here, valid or not
	useDefault bool       // [extend] useDefault, here or in an extended file
	disabled   []placed   // extend.disabledRules meant for the default rules
	rules      []*ruleDef // in file order, extended files' rules first
	allowlists []*allowlist
}

// maxExtendDepth is how many [extend] path links are followed, as in
// gitleaks.
const maxExtendDepth = 2

// loadGitleaks reads a gitleaks config file. depth counts [extend] path
// links followed so far.
func loadGitleaks(file string, depth int, warn func(string)) (*gitleaksConfig, error) {
	data, err := readFile(file, maxConfigFile)
	if err != nil {
		return nil, err
	}
	var t gitleaksTOML
	doc, err := decodeStrict(file, data, &t, dialectGitleaks)
	if err != nil {
		return nil, err
	}
	base := absDir(filepath.Dir(file))
	gc := &gitleaksConfig{file: file}
	for _, r := range t.Rules {
		if id := strings.TrimSpace(r.ID); id != "" {
			gc.declared = append(gc.declared, id)
		}
	}
	ext := t.Extend
	if ext.URL != "" {
		doc.errorf("extend.url", "extending a config by URL is not supported (gitleaks does not support it either); download the file and use [extend] path")
	}
	if ext.Path != "" && ext.UseDefault {
		doc.errorf("extend", "path and useDefault cannot both be set")
	}
	var own []*ruleDef
	byID := map[string]*ruleDef{}
	for i := range t.Rules {
		key := fmt.Sprintf("rules[%d]", i)
		r := doc.rule(&t.Rules[i], key, dialectGitleaks, base, warn)
		if r == nil {
			continue
		}
		if first, dup := byID[r.at.value]; dup {
			doc.errorf(key+".id", "duplicate rule id (first defined at line %d)", first.at.line)
			continue
		}
		byID[r.at.value] = r
		own = append(own, r)
	}
	if t.Allowlist != nil && len(t.Allowlists) > 0 {
		doc.errorf("allowlist", "[allowlist] is deprecated and cannot be used alongside [[allowlists]]")
	}
	als, alKey := t.Allowlists, "allowlists"
	if t.Allowlist != nil {
		als, alKey = []allowlistTOML{*t.Allowlist}, "allowlist"
	}
	for i := range als {
		key := fmt.Sprintf("%s[%d]", alKey, i)
		if t.Allowlist != nil {
			key = alKey
		}
		if a := doc.allowlist(&als[i], key, dialectGitleaks, base, warn); a != nil {
			gc.allowlists = append(gc.allowlists, a)
		}
	}
	var disabled []placed
	for i, id := range ext.DisabledRules {
		key := fmt.Sprintf("extend.disabledRules[%d]", i)
		disabled = append(disabled, doc.placed(key, id))
	}
	if err := doc.err(); err != nil {
		gc.rules = own // what is valid, for RuleSet to report its mistakes too
		return gc, err
	}

	switch {
	case ext.Path != "" && depth >= maxExtendDepth:
		warn(fmt.Sprintf("%s:%d: extend.path: extended configs nest deeper than %d; %s is not read", file, doc.line("extend.path"), maxExtendDepth, ext.Path))
		gc.rules = own
	case ext.Path != "":
		p := ext.Path
		if !filepath.IsAbs(p) {
			// gitleaks resolves the path from the working directory;
			// mcpscan tries the config file's directory first.
			if cand := filepath.Join(filepath.Dir(file), p); isFile(cand) || !isFile(p) {
				p = cand
			}
		}
		parent, err := loadGitleaks(p, depth+1, warn)
		if err != nil {
			return nil, err
		}
		gc.useDefault, gc.disabled = parent.useDefault, parent.disabled
		off := map[string]bool{}
		for _, d := range disabled {
			off[d.value] = true
		}
		used := map[string]bool{}
		for _, pr := range parent.rules {
			if off[pr.at.value] {
				used[pr.at.value] = true
				continue
			}
			if cr, ok := byID[pr.at.value]; ok {
				gc.rules = append(gc.rules, mergeRuleDef(pr, cr))
				delete(byID, pr.at.value)
				continue
			}
			gc.rules = append(gc.rules, pr)
		}
		for _, r := range own {
			if _, ok := byID[r.at.value]; ok {
				gc.rules = append(gc.rules, r)
			}
		}
		for _, d := range disabled {
			switch {
			case used[d.value]:
			case parent.useDefault:
				gc.disabled = append(gc.disabled, d)
			default:
				warn(fmt.Sprintf("%s not a rule of the extended config %s%s", d.where(), p, closestRule(d.value)))
			}
		}
		gc.allowlists = append(parent.allowlists, gc.allowlists...)
	case ext.UseDefault:
		gc.useDefault, gc.rules, gc.disabled = true, own, disabled
	default:
		if len(disabled) > 0 {
			warn(fmt.Sprintf("%s:%d: extend.disabledRules: has no effect without [extend] useDefault or path", file, disabled[0].line))
		}
		gc.rules = own
	}
	return gc, nil
}

// mergeRuleDef applies rule child over rule base of the same ID, as
// gitleaks' extend does: set fields replace, keywords and allowlists add up.
func mergeRuleDef(base, child *ruleDef) *ruleDef {
	m := *base
	m.at = child.at
	m.origin = child.origin
	if child.description != "" {
		m.description = child.description
	}
	if child.entropy != 0 {
		m.entropy = child.entropy
	}
	if child.secretGroup != 0 {
		m.secretGroup = child.secretGroup
	}
	if child.regex != "" {
		m.regex = child.regex
	}
	if child.path != "" {
		m.path = child.path
	}
	m.keywords = append([]string(nil), base.keywords...)
	for _, k := range child.keywords {
		m.keywords = appendUnique(m.keywords, k)
	}
	m.allowlists = append(append([]*allowlist(nil), base.allowlists...), child.allowlists...)
	return &m
}
