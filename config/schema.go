package config

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/mcpscan/mcpscan/rules"
)

// fileTOML is the schema of an mcpscan config file (.mcpscan.toml, the
// user-level config.toml, --config FILE).
type fileTOML struct {
	FailOn        string            `toml:"fail_on"`
	Format        string            `toml:"format"`
	DisabledRules []string          `toml:"disabled_rules"`
	Severity      map[string]string `toml:"severity"`
	Rules         []ruleTOML        `toml:"rules"`
	Allowlists    []allowlistTOML   `toml:"allowlists"`
}

// gitleaksTOML is the schema of a gitleaks v8 config file, as gitleaks'
// config.ViperConfig reads it.
type gitleaksTOML struct {
	Title       string          `toml:"title"`
	Description string          `toml:"description"`
	MinVersion  string          `toml:"minVersion"`
	Extend      extendTOML      `toml:"extend"`
	Rules       []ruleTOML      `toml:"rules"`
	Allowlist   *allowlistTOML  `toml:"allowlist"` // deprecated single global allowlist
	Allowlists  []allowlistTOML `toml:"allowlists"`
}

type extendTOML struct {
	Path          string   `toml:"path"`
	URL           string   `toml:"url"`
	UseDefault    bool     `toml:"useDefault"`
	DisabledRules []string `toml:"disabledRules"`
}

// ruleTOML is gitleaks' [[rules]] entry; Severity is mcpscan's addition
// (.mcpscan.toml only), Required and SkipReport are gitleaks-only.
type ruleTOML struct {
	ID          string          `toml:"id"`
	Description string          `toml:"description"`
	Regex       string          `toml:"regex"`
	SecretGroup int             `toml:"secretGroup"`
	Entropy     float64         `toml:"entropy"`
	Keywords    []string        `toml:"keywords"`
	Path        string          `toml:"path"`
	Tags        []string        `toml:"tags"`
	Severity    string          `toml:"severity"`
	Allowlist   *allowlistTOML  `toml:"allowlist"` // deprecated single rule allowlist
	Allowlists  []allowlistTOML `toml:"allowlists"`
	Required    []requiredTOML  `toml:"required"`
	SkipReport  bool            `toml:"skipReport"`
}

type requiredTOML struct {
	ID            string `toml:"id"`
	WithinLines   *int   `toml:"withinLines"`
	WithinColumns *int   `toml:"withinColumns"`
}

// allowlistTOML is gitleaks' allowlist table, at top level ([allowlist],
// [[allowlists]], with TargetRules) or in a rule.
type allowlistTOML struct {
	Description string   `toml:"description"`
	Condition   string   `toml:"condition"`
	Commits     []string `toml:"commits"`
	Paths       []string `toml:"paths"`
	RegexTarget string   `toml:"regexTarget"`
	Regexes     []string `toml:"regexes"`
	StopWords   []string `toml:"stopwords"`
	TargetRules []string `toml:"targetRules"`
}

// dialect tells the two file formats apart where they differ.
type dialect int

const (
	dialectMcpscan  dialect = iota // paths are doublestar globs; severity allowed
	dialectGitleaks                // paths are regexes; required, skipReport, commits allowed
)

// placed is a value with the place it was written, for later errors.
type placed struct {
	value string
	file  string
	line  int
	col   int
	key   string
}

func (p placed) errorf(format string, args ...any) error {
	return &Error{File: p.file, Line: p.line, Column: p.col, Key: p.key, Err: fmt.Errorf(format, args...)}
}

// where formats the place for warnings: "FILE:LINE:COL: KEY".
func (p placed) where() string {
	return (&Error{File: p.file, Line: p.line, Column: p.col, Key: p.key, Err: errors.New("")}).Error()
}

// ruleDef is a validated [[rules]] entry.
type ruleDef struct {
	at          placed // value: the rule ID; key: "rules[i]"
	origin      rules.Origin
	description string
	regex       string // "" in a gitleaks rule that only changes a default rule
	secretGroup int
	entropy     float64
	keywords    []string // lower-case
	path        string
	severity    *rules.Severity
	allowlists  []*allowlist // the rule's own; they target the rule
}

// errorf returns an error at the rule's place.
func (r *ruleDef) errorf(format string, args ...any) error { return r.at.errorf(format, args...) }

// rule decodes and checks one [[rules]] entry. It returns nil for a rule
// that is invalid (the mistake is recorded) or not applicable (a warning
// is recorded).
func (d *tomlDoc) rule(r *ruleTOML, key string, dl dialect, base string, warn func(string)) *ruleDef {
	n := len(d.errs)
	id := strings.TrimSpace(r.ID)
	switch {
	case id == "":
		d.errorf(key+".id", "a rule needs an id")
	case strings.ContainsAny(id, " \t\r\n"):
		d.errorf(key+".id", "a rule id has no white space")
	}
	def := &ruleDef{
		at:          d.placedAs(key+".id", key, id),
		origin:      rules.OriginConfig,
		description: r.Description,
		regex:       r.Regex,
		secretGroup: r.SecretGroup,
		entropy:     r.Entropy,
		path:        r.Path,
	}
	if dl == dialectGitleaks {
		def.origin = rules.OriginGitleaksConfig
	}
	if r.Regex != "" {
		if re, err := regexp.Compile(r.Regex); err != nil {
			d.errorf(key+".regex", "invalid regex: %v", regexProblem(err))
		} else if r.SecretGroup > re.NumSubexp() {
			d.errorf(key+".secretGroup", "secretGroup %d, but the regex has %d capture groups", r.SecretGroup, re.NumSubexp())
		}
	} else if dl == dialectMcpscan {
		d.errorf(key, "the rule needs a regex")
	}
	if r.SecretGroup < 0 {
		d.errorf(key+".secretGroup", "secretGroup must not be negative")
	}
	if r.Entropy < 0 || r.Entropy > 8 {
		d.errorf(key+".entropy", "entropy %v is outside 0–8 (bits per byte); a value above 8 would match nothing", r.Entropy)
	}
	if r.Path != "" {
		if _, err := regexp.Compile(r.Path); err != nil {
			d.errorf(key+".path", "invalid path regex: %v", regexProblem(err))
		}
	}
	for i, k := range r.Keywords {
		k = strings.ToLower(strings.TrimSpace(k))
		if len(k) < 2 {
			d.errorf(fmt.Sprintf("%s.keywords[%d]", key, i), "keyword too short (2 bytes or more)")
			continue
		}
		def.keywords = appendUnique(def.keywords, k)
	}
	switch {
	case r.Severity != "" && dl == dialectGitleaks:
		d.errorf(key+".severity", "severity is an mcpscan key: set it in .mcpscan.toml ([severity] table)")
	case r.Severity != "":
		s, err := rules.ParseSeverity(r.Severity)
		if err != nil {
			d.errorf(key+".severity", "unknown severity (want info, low, medium, high or critical)")
		} else {
			def.severity = &s
		}
	}
	if dl == dialectMcpscan {
		if len(r.Required) > 0 {
			d.errorf(key+".required", "composite rules (required) are not supported")
		}
		if r.SkipReport {
			d.errorf(key+".skipReport", "skipReport is not supported in .mcpscan.toml (remove the rule, or list it in disabled_rules)")
		}
	} else if len(r.Required) > 0 {
		warn(fmt.Sprintf("%s:%d: %s: composite rules ([[rules.required]]) are not supported; the rule is reported on its own", d.file, d.line(key+".required"), key))
	}
	if r.Allowlist != nil && len(r.Allowlists) > 0 {
		d.errorf(key+".allowlist", "[rules.allowlist] is deprecated and cannot be used alongside [[rules.allowlists]]")
	}
	als := r.Allowlists
	alKey := key + ".allowlists"
	if r.Allowlist != nil {
		als, alKey = []allowlistTOML{*r.Allowlist}, key+".allowlist"
	}
	for i := range als {
		k := fmt.Sprintf("%s[%d]", alKey, i)
		if r.Allowlist != nil {
			k = alKey
		}
		if len(als[i].TargetRules) > 0 {
			d.errorf(k+".targetRules", "targetRules belongs in a top-level [[allowlists]]; a rule's allowlist applies to that rule")
			continue
		}
		if a := d.allowlist(&als[i], k, dl, base, warn); a != nil {
			a.rules = []string{id}
			def.allowlists = append(def.allowlists, a)
		}
	}
	if len(d.errs) > n {
		return nil
	}
	if r.SkipReport {
		return nil // gitleaks never reports it; it only serves composite rules
	}
	if r.Regex == "" && r.Path != "" {
		warn(fmt.Sprintf("%s:%d: %s: the rule has a path but no regex; mcpscan does not support path-only rules (it reports secrets, not files), so it is ignored", d.file, def.at.line, key))
		return nil
	}
	return def
}

// allowlist decodes and checks one allowlist table. base is the directory
// relative paths are also matched against. It returns nil for an
// allowlist that can never apply outside git history (a warning is
// recorded). An invalid one (the mistake is recorded, and Load fails) is
// returned as far as it is valid, for RuleSet to check the rule IDs it
// targets.
func (d *tomlDoc) allowlist(a *allowlistTOML, key string, dl dialect, base string, warn func(string)) *allowlist {
	n := len(d.errs)
	al := &allowlist{
		at:          d.placed(key, ""),
		description: a.Description,
		base:        base,
	}
	switch strings.ToUpper(strings.TrimSpace(a.Condition)) {
	case "", "OR", "||":
	case "AND", "&&":
		al.matchAll = true
	default:
		d.errorf(key+".condition", "unknown condition (want \"OR\" or \"AND\")")
	}
	switch a.RegexTarget {
	case "", "secret":
		al.target = rules.TargetSecret
	case "match":
		al.target = rules.TargetMatch
	case "line":
		al.target = rules.TargetLine
	default:
		d.errorf(key+".regexTarget", "unknown regexTarget (want \"secret\", \"match\" or \"line\")")
	}
	for i, s := range a.Regexes {
		k := fmt.Sprintf("%s.regexes[%d]", key, i)
		if s == "" {
			d.errorf(k, "an empty regex allows everything")
			continue
		}
		re, err := regexp.Compile(s)
		if err != nil {
			d.errorf(k, "invalid regex: %v", regexProblem(err))
			continue
		}
		al.regexes = append(al.regexes, re)
	}
	for i, w := range a.StopWords {
		if w == "" {
			d.errorf(fmt.Sprintf("%s.stopwords[%d]", key, i), "an empty stopword allows everything")
			continue
		}
		al.stopWords = append(al.stopWords, strings.ToLower(w))
	}
	for i, p := range a.Paths {
		k := fmt.Sprintf("%s.paths[%d]", key, i)
		if p == "" {
			d.errorf(k, "an empty path pattern")
			continue
		}
		if dl == dialectMcpscan {
			if !doublestar.ValidatePattern(p) {
				d.errorf(k, "invalid glob (doublestar syntax: an unclosed [ or {, or a bad escape)")
				continue
			}
			al.globs = append(al.globs, p)
			continue
		}
		re, err := regexp.Compile(p)
		if err != nil {
			d.errorf(k, "invalid path regex: %v", regexProblem(err))
			continue
		}
		al.pathRes = append(al.pathRes, re)
	}
	for i, id := range a.TargetRules {
		id = strings.TrimSpace(id)
		if id == "" {
			d.errorf(fmt.Sprintf("%s.targetRules[%d]", key, i), "empty rule id")
			continue
		}
		al.rules = append(al.rules, id)
		al.targets = append(al.targets, d.placed(fmt.Sprintf("%s.targetRules[%d]", key, i), id))
	}
	if len(a.Commits) > 0 && dl == dialectMcpscan {
		d.errorf(key+".commits", "commits is a gitleaks key for git history scans; mcpscan scans files")
	}
	if len(d.errs) > n {
		// Invalid (Load fails), but kept so that RuleSet checks the rule
		// IDs it targets: every mistake is reported at once.
		return al
	}
	checks := len(a.Regexes) + len(a.StopWords) + len(a.Paths)
	if len(a.Commits) > 0 {
		switch {
		case checks == 0:
			warn(fmt.Sprintf("%s:%d: %s: allowlist lists only commits, which mean nothing outside git history; ignored", d.file, al.at.line, key))
			return nil
		case al.matchAll:
			warn(fmt.Sprintf("%s:%d: %s: allowlist with condition AND requires a commit, which files outside git history do not have; ignored", d.file, al.at.line, key))
			return nil
		default:
			warn(fmt.Sprintf("%s:%d: %s: commits ignored (mcpscan scans files, not git history); the other criteria apply", d.file, al.at.line, key))
		}
	}
	if checks == 0 {
		d.errorf(key, "an allowlist needs at least one of paths, regexes or stopwords")
		return nil
	}
	return al
}

// regexProblem says what is wrong with a regex without quoting it
// (regexp's errors quote the offending part, and an allowlist regex may
// hold a real credential): "missing closing )", "invalid escape sequence".
func regexProblem(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return string(se.Code)
	}
	return scrubParserMessage(strings.TrimPrefix(err.Error(), "error parsing regexp: "))
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
