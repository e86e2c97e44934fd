// Package rules holds mcpscan's detection rules as data: the gitleaks v8
// default rule set (converted at build time, see gitleaks_gen.go) and
// mcpscan's own rules (builtin.go), plus the checks that decide whether a
// regex match is a real secret (entropy, placeholders, references,
// allowlists).
//
// The package knows nothing about files or reports: it is the bottom layer,
// imported by scanner and reporters (rules ← scanner ← reporters).
package rules

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"

	"github.com/mcpscan/mcpscan/internal/lazyre"
)

// Severity ranks how bad a finding is. The zero value is Info.
type Severity int

// Severities, lowest first, so that they compare with < and >.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

// String returns the lower-case name used in every report: "info" … "critical".
func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText implements encoding.TextMarshaler with String's names.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; see ParseSeverity.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity parses a severity name, case-insensitively. It returns an
// error naming the valid values for anything else.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return Info, fmt.Errorf("unknown severity %q (want one of %s)", name, strings.Join(severityNames[:], ", "))
}

// Kind says what sort of problem a finding is. It is part of the JSON
// contract: values only get added, never renamed.
type Kind string

// Kinds of findings.
const (
	// KindSecret is a credential found by a pattern (provider or generic).
	KindSecret Kind = "secret"
	// KindHardcodedCredential is a literal value in a field that should hold
	// a reference (an MCP env map, an agent settings env map).
	KindHardcodedCredential Kind = "hardcoded-credential"
	// KindNetworkExposure is a server bound to every interface.
	KindNetworkExposure Kind = "network-exposure"
	// KindAgentArtifact is an agent file that should not be shipped.
	KindAgentArtifact Kind = "agent-artifact"
	// KindVulnerableServer is an MCP server pinned to a version with a
	// published advisory.
	KindVulnerableServer Kind = "vulnerable-server"
	// KindUnpinnedServer is an MCP server launched at whatever version is
	// newest.
	KindUnpinnedServer Kind = "unpinned-server"
	// KindSignal is a match that is no finding: it tells a handler where
	// to look (a command that prints a credential, whose output the
	// transcript handler then judges). Reports never show signals.
	KindSignal Kind = "signal"
)

// HoldsSecret reports whether findings of kind k carry a credential (and
// so are redacted), rather than evidence such as "0.0.0.0".
func (k Kind) HoldsSecret() bool { return k == KindSecret || k == KindHardcodedCredential || k == "" }

// Origin says where a rule's pattern comes from.
type Origin string

// Rule origins.
const (
	OriginGitleaks Origin = "gitleaks" // gitleaks v8 default config, converted by gitleaksgen
	OriginMcpscan  Origin = "mcpscan"  // written for mcpscan, see builtin.go
	// OriginConfig marks a rule from the user's mcpscan config
	// (.mcpscan.toml, the user-level config.toml or --config FILE).
	OriginConfig Origin = "config"
	// OriginGitleaksConfig marks a rule from the user's gitleaks config
	// (.gitleaks.toml or --gitleaks-config), including a gitleaks default
	// rule that such a config changed.
	OriginGitleaksConfig Origin = "gitleaks-config"
)

// Target selects the text an allowlist regex is tested against, as in
// gitleaks' `regexTarget`.
type Target int

// Allowlist targets.
const (
	TargetSecret Target = iota // the extracted secret (gitleaks' default)
	TargetMatch                // the whole regex match
	TargetLine                 // the line holding the match
)

// Allowlist suppresses matches of one rule (or of every rule, when global).
// It follows gitleaks' [[rules.allowlists]] semantics: with MatchAll false a
// match is allowed when any criterion holds, with MatchAll true only when
// every non-empty criterion holds. Paths is a criterion only when the path
// is known (not empty); an allowlist with no criterion allows nothing.
type Allowlist struct {
	Description string   // why the matches are allowed
	MatchAll    bool     // gitleaks' condition = "AND"
	Target      Target   // what Regexes are tested against
	Regexes     []string // RE2 syntax
	StopWords   []string // lower-case; a secret containing one is allowed
	Paths       []string // RE2 syntax, tested against the slash path

	// SecretRegexes (an mcpscan extension, not a gitleaks field) restrict
	// the allowlist to secrets that match one of them: with them set, a
	// secret that matches none is never allowed, whatever the other
	// criteria say. They let an allowlist test the line (Target) of some
	// secrets only: a bare 40-hex value on a line about a git commit.
	SecretRegexes []string
	// LineNear (an mcpscan extension) narrows a line Target to the text
	// within LineNear bytes before and after the secret's first place in
	// the line (0: the whole line). A cut start is marked by a NUL byte, at
	// which ^ matches but no word, space or hex character does. It keeps
	// a regex that asks about the secret's neighbourhood from running over
	// a whole JSON Lines record, and from being satisfied by text that is
	// about another value of the same record.
	LineNear int

	once    sync.Once
	regexes []*lazyre.Regexp // Regexes, split into alternatives (see compile), compiled on first use
	paths   []*regexp.Regexp
	secrets []*regexp.Regexp
	stops   *substrings   // StopWords
	filters []*substrings // per regex: literals one of which a match holds (literalFilter)
	err     error
}

func (a *Allowlist) compile() error {
	return a.compileWith(func() *allowlistPlan { return lookupAllowlistPlan(a.Regexes) })
}

// compileWith is compile that takes the split regexes and their literal
// filters from planOf's plan when it is not nil (see allowlistPlan).
// planOf runs once, with the compilation: every rule's Compile compiles
// the shared global allowlists again, and fingerprinting their regexes
// each time cost more than the plan saves.
func (a *Allowlist) compileWith(planOf func() *allowlistPlan) error {
	a.once.Do(func() {
		plan := planOf()
		var errs [3]error
		// A regex that is an alternation at the top runs as one regex per
		// alternative (any of them matching is the same as the whole
		// matching), each behind its own required literals: gitleaks'
		// generic-api-key allowlist is 40 alternatives that one regex
		// runs on the NFA, 80 µs per match, where most alternatives'
		// literals are absent.
		// The parts are compiled on first use: most sit behind literals
		// that a scan never meets (parsing finds every error now).
		var parts []string
		if plan != nil {
			a.filters = make([]*substrings, len(plan.parts))
			for i, p := range plan.parts {
				parts = append(parts, p.src)
				if p.filter {
					a.filters[i] = newSubstrings(p.lits)
				}
			}
		} else {
			for _, src := range a.Regexes {
				alts, err := alternatives(src)
				if err != nil && errs[0] == nil {
					errs[0] = fmt.Errorf("allowlist regex %q: %w", src, err)
				}
				parts = append(parts, alts...)
			}
			a.filters = make([]*substrings, len(parts))
			for i, src := range parts {
				a.filters[i] = literalFilter(src)
			}
		}
		a.regexes = make([]*lazyre.Regexp, len(parts))
		for i, p := range parts {
			a.regexes[i] = lazyre.New(p)
		}
		a.paths, errs[1] = compileAll("allowlist path", a.Paths)
		a.secrets, errs[2] = compileAll("allowlist secret regex", a.SecretRegexes)
		a.stops = newSubstrings(a.StopWords)
		for _, err := range errs {
			if err != nil {
				a.err = err
				return
			}
		}
	})
	return a.err
}

// alternatives splits a regex whose top level is an alternation into one
// regex per alternative, flags kept (src itself when it is not one). The
// error is the one regexp.Compile would give.
func alternatives(src string) ([]string, error) {
	if _, err := syntax.Parse(src, syntax.Perl); err != nil {
		return nil, err
	}
	// Split the text, not the parsed tree: printing a parsed regex
	// (syntax.Regexp.String) costs milliseconds for case-folded classes.
	flags, body := leadingFlags(src)
	if inner, ok := wholeGroup(body); ok {
		body = inner
	}
	alts := splitTopLevel(body)
	if len(alts) < 2 {
		return []string{src}, nil
	}
	for i, a := range alts {
		alts[i] = flags + a
	}
	return alts, nil
}

// leadingFlags splits a leading flag group such as (?i) off src; flags
// set there hold to the end of the regex, so in every alternative.
func leadingFlags(src string) (flags, rest string) {
	if !strings.HasPrefix(src, "(?") {
		return "", src
	}
	end := strings.IndexByte(src, ')')
	if end < 0 || strings.ContainsAny(src[2:end], ":(") {
		return "", src
	}
	return src[:end+1], src[end+1:]
}

// wholeGroup returns the inside of s when s is one non-capturing group
// (?:...) from its first byte to its last.
func wholeGroup(s string) (string, bool) {
	if !strings.HasPrefix(s, "(?:") || !strings.HasSuffix(s, ")") {
		return "", false
	}
	if close := groupEnd(s); close != len(s)-1 {
		return "", false
	}
	return s[3 : len(s)-1], true
}

// groupEnd returns the index of the parenthesis that closes the group
// opening at s[0], or -1.
func groupEnd(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			i = classEnd(s, i)
			if i < 0 {
				return -1
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// classEnd returns the index of the ] that closes the character class
// opening at s[i], or -1.
func classEnd(s string, i int) int {
	j := i + 1
	if j < len(s) && s[j] == '^' {
		j++
	}
	if j < len(s) && s[j] == ']' {
		j++ // a ] first in the class is a literal
	}
	for ; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '[':
			if j+1 < len(s) && s[j+1] == ':' { // [:alpha:]
				if k := strings.Index(s[j:], ":]"); k >= 0 {
					j += k + 1
				}
			}
		case ']':
			return j
		}
	}
	return -1
}

// splitTopLevel splits s at the | that are outside groups and classes; s
// itself (one part) when it holds something it does not follow (\Q
// quoting).
func splitTopLevel(s string) []string {
	if strings.Contains(s, `\Q`) {
		return []string{s}
	}
	var out []string
	depth, from := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			if i = classEnd(s, i); i < 0 {
				return []string{s}
			}
		case '(':
			depth++
		case ')':
			depth--
		case '|':
			if depth == 0 {
				out = append(out, s[from:i])
				from = i + 1
			}
		}
	}
	return append(out, s[from:])
}

// compileAll compiles RE2 regexes; the error names what (an "allowlist
// path") and the regex that does not compile.
func compileAll(what string, srcs []string) ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(srcs))
	for _, s := range srcs {
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", what, s, err)
		}
		out = append(out, re)
	}
	return out, nil
}

// lineNear is the part of line within near bytes of secret's first place
// in it, "\x00"-prefixed when it does not start the line (see
// Allowlist.LineNear); line itself when secret is not in it.
func lineNear(line, secret string, near int) string {
	i := strings.Index(line, secret)
	if i < 0 {
		return line
	}
	lo, hi := max(0, i-near), min(len(line), i+len(secret)+near)
	if lo == 0 {
		return line[:hi]
	}
	return "\x00" + line[lo:hi]
}

// Allows reports whether the allowlist suppresses a match. secret, match and
// line are the decoded texts; path is the file's slash path (may be empty).
func (a *Allowlist) Allows(secret, match, line, path string) bool {
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
	// With MatchAll false one criterion decides: the stop words, which
	// cost least, first.
	if !a.MatchAll && len(a.StopWords) > 0 && a.stopped(secret) {
		return true
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
			if a.LineNear > 0 {
				target = lineNear(line, secret, a.LineNear)
			}
		}
		// A target without multi-byte characters (whose case folding the
		// filters do not follow: K for k) must hold one of a regex's
		// required literals.
		var buf [1024]byte
		lower, filter := "", len(target) <= len(buf) && isASCII(target)
		if filter {
			lower = lowerInto(buf[:], target)
		}
		for i, re := range a.regexes {
			if f := a.filters[i]; filter && f != nil && !f.in(lower) {
				continue
			}
			if re.MatchString(target) {
				hits++
				break
			}
		}
	}
	if len(a.StopWords) > 0 {
		checks++
		if a.MatchAll && a.stopped(secret) { // without MatchAll: not stopped (above)
			hits++
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

// stopped reports whether secret, lower-cased, contains a stop word.
func (a *Allowlist) stopped(secret string) bool {
	var buf [256]byte
	return a.stops.in(lowerInto(buf[:], secret))
}

// Rule is one detection rule. Rules are plain data; the regex is compiled
// lazily, on the first keyword hit, so that start-up stays cheap however
// many rules exist.
type Rule struct {
	// ID is the stable, kebab-case rule ID used in every report and in
	// fingerprints: "github-pat", "generic-credential-assignment".
	ID          string
	Description string   // one sentence, shown in reports
	Severity    Severity // how bad a finding of this rule is
	Kind        Kind     // what sort of problem a finding is
	Origin      Origin   // where the pattern comes from

	// Keywords are lower-case literals; the rule's regex only runs in a
	// window around a place where one of them occurs (case-insensitively).
	// A pattern rule must have at least one keyword; structural rules
	// (no Pattern) have none.
	Keywords []string

	// Pattern is the RE2 regex. The secret is capture group SecretGroup, or
	// with SecretGroup 0 the first non-empty group, or the whole match when
	// the regex has no group (gitleaks' semantics).
	Pattern     string
	SecretGroup int

	// Entropy is the minimum Shannon entropy (bits per byte) of the secret;
	// 0 disables the check. As in gitleaks, the secret must be strictly above.
	Entropy float64

	// Radius is how far, in bytes, a match may start before or end after a
	// keyword occurrence. The matcher scans this much text either side of a
	// keyword hit; 0 means DefaultRadius.
	Radius int

	// Path, when set, restricts the rule to files whose slash path matches
	// this RE2 regex.
	Path string

	// Priority decides between rules whose secrets overlap in one place:
	// only the highest priority is kept, so a GitHub token inside
	// TOKEN=ghp_… is reported once, as github-pat. Among equals, a rule
	// that is not Contextual wins, then the secret that holds the other's,
	// then a gitleaks rule (users' .gitleaksignore files and baselines are
	// keyed on its IDs). See the Priority* consts.
	Priority int

	// Contextual marks a rule that finds a credential by the command,
	// header or document it sits in (gitleaks' curl-auth-header, jwt,
	// kubernetes-secret-yaml) rather than by the credential's own format:
	// it yields to a rule of its priority that knows the format.
	Contextual bool

	// Aliases are the IDs of other rules with this rule's very pattern
	// (gitleaks' bittrex-access-key and bittrex-secret-key). gitleaks
	// reports a match under each; mcpscan reports it once, under the rule
	// that sorts first, and suppressions keyed on an alias apply to it.
	Aliases []string

	// Validate, when set, is an offline check on the secret (checksum,
	// charset, shape); match is the whole regex match, for rules that also
	// look at the name a value was assigned to. A secret it rejects is not
	// reported.
	Validate func(secret, match string) bool

	// Precheck, when set, runs on the raw bytes after each keyword hit; a
	// hit it rejects opens no window for this rule. See Precheck.
	Precheck Precheck

	// SkipPlaceholderCheck turns off the shared placeholder/reference check
	// (IsPlaceholder) for rules whose secrets are structurally certain, such
	// as private key blocks.
	SkipPlaceholderCheck bool

	// Allowlists suppress matches of this rule (see Allowlist); the
	// Set's global allowlists apply on top.
	Allowlists []*Allowlist

	// Remediation says how to fix a finding of this rule; Why says why it
	// matters. Both are shown to users; a generic text is used when empty.
	Remediation string
	Why         string
	// References are URLs with the provider's documentation of the
	// credential, or the pattern's source.
	References []string

	radiusOnce sync.Once
	radius     int

	checksState
	anchorState
	parseState
	planState
	hitCheck *hitCheck // see Admits; kept by Clone, checked against Pattern

	once    sync.Once
	groups  int // capture groups of Pattern
	pathRe  *regexp.Regexp
	compErr error

	// The pattern compiled, on first use by FindAll or Regexp: a rule
	// that runs only at keyword hits (Anchor) never needs it, and
	// compiling costs more than a small home's scan.
	reOnce  sync.Once
	re      *regexp.Regexp
	core    *regexp.Regexp // the pattern without a leading [\w.-]{0,N}? (see FindAll)
	coreMax int            // that N
}

// Clone returns a new Rule with r's exported fields (its data), and none of
// its lazily computed state: the copy compiles its own regexes on first
// use. The value check of Admits is kept; it applies only while Pattern,
// SecretGroup and Keywords stay those it was made for. Slices and the Allowlists' pointers are shared, not copied; callers
// that change a slice must replace it. Use Clone to derive a rule (another
// severity, pattern or keyword list) without touching a Set's rule, and
// without copying the sync.Once values a Rule holds.
func (r *Rule) Clone() *Rule {
	return &Rule{
		ID:                   r.ID,
		Description:          r.Description,
		Severity:             r.Severity,
		Kind:                 r.Kind,
		Origin:               r.Origin,
		Keywords:             r.Keywords,
		Pattern:              r.Pattern,
		SecretGroup:          r.SecretGroup,
		Entropy:              r.Entropy,
		Radius:               r.Radius,
		Path:                 r.Path,
		Priority:             r.Priority,
		Contextual:           r.Contextual,
		Aliases:              r.Aliases,
		Validate:             r.Validate,
		Precheck:             r.Precheck,
		SkipPlaceholderCheck: r.SkipPlaceholderCheck,
		Allowlists:           r.Allowlists,
		Remediation:          r.Remediation,
		Why:                  r.Why,
		References:           r.References,
		hitCheck:             r.hitCheck,
	}
}

// parseState is embedded in Rule: its pattern parsed once for every
// derivation that reads the syntax tree (Compile, WindowRadius, paths,
// Anchor), which must not modify it.
type parseState struct {
	parseOnce sync.Once
	parseTree *syntax.Regexp
	parseErr  error
}

// parsed returns the rule's Pattern parsed (syntax.Perl, as regexp.Compile
// parses), once; the tree is shared and must not be modified.
func (r *Rule) parsed() (*syntax.Regexp, error) {
	r.parseOnce.Do(func() { r.parseTree, r.parseErr = syntax.Parse(r.Pattern, syntax.Perl) })
	return r.parseTree, r.parseErr
}

// Rule priorities, lowest first.
const (
	PriorityFallback   = 0 // unused by the built-in rules; below every other
	PriorityGeneric    = 1 // NAME=value rules (gitleaks' generic-api-key, generic-credential-assignment)
	PriorityStructural = 2 // headers, URLs with passwords, CLI flags
	PriorityProvider   = 3 // a provider's own token format, private keys; gitleaks' rules
)

// DefaultRadius is the window radius, in bytes, for rules that set none.
const DefaultRadius = 512

// WindowRadius returns Radius when set; otherwise the longest possible
// match of Pattern (MaxMatchLen, measured on decoded text) plus slack for
// JSON escapes, capped at 4 KiB; for unbounded patterns DefaultRadius.
func (r *Rule) WindowRadius() int {
	if r.Radius > 0 {
		return r.Radius
	}
	r.radiusOnce.Do(func() {
		if p := r.plan(); p != nil {
			r.radius = p.radius
			return
		}
		r.radius = DefaultRadius
		if re, err := r.parsed(); err == nil {
			if n := maxLen(re); n >= 0 {
				r.radius = min(n+n/4+16, 4096)
			}
		}
	})
	return r.radius
}

// Compile compiles the rule's regexes once; later calls return the first
// result. It is safe for concurrent use. The error names the rule.
func (r *Rule) Compile() error {
	r.once.Do(func() {
		// Parsing finds every error regexp.Compile reports; the program
		// itself is built on first use (see compiled).
		if p := r.plan(); p != nil {
			r.groups = p.groups // the pattern parsed when the plan was made
		} else {
			re, err := r.parsed()
			if err != nil {
				r.compErr = fmt.Errorf("rule %s: regex: %w", r.ID, err)
				return
			}
			r.groups = re.MaxCap()
		}
		if r.SecretGroup >= r.groups+1 {
			r.compErr = fmt.Errorf("rule %s: secret group %d but the regex has %d groups", r.ID, r.SecretGroup, r.groups)
			return
		}
		if r.Path != "" {
			var err error
			if r.pathRe, err = regexp.Compile(r.Path); err != nil {
				r.compErr = fmt.Errorf("rule %s: path regex: %w", r.ID, err)
				return
			}
		}
		for _, a := range r.Allowlists {
			if err := a.compile(); err != nil {
				r.compErr = fmt.Errorf("rule %s: %w", r.ID, err)
				return
			}
		}
	})
	return r.compErr
}

// Regexp returns the compiled regex, compiling it on first use. It returns
// nil when the rule does not compile; Compile gives the error.
func (r *Rule) Regexp() *regexp.Regexp {
	if r.Compile() != nil {
		return nil
	}
	r.compiled()
	return r.re
}

// compiled compiles the pattern and its core once; Compile must have
// succeeded (the pattern parses, so it compiles).
func (r *Rule) compiled() {
	r.reOnce.Do(func() {
		r.re = regexp.MustCompile(r.Pattern)
		r.core, r.coreMax = corePattern(r.Pattern, r.groups)
	})
}

// leadingName is the lazy name prefix that gitleaks' semi-generic rules
// start with; it only widens a match to the left.
var leadingName = lazyre.New(`^(\(\?i\))?\[\\w\.-\]\{0,(\d+)\}\?`)

// corePattern compiles pattern (which has groups capture groups) without
// a leading lazy name prefix ([\w.-]{0,N}?), or returns nil when it has
// none.
func corePattern(pattern string, groups int) (*regexp.Regexp, int) {
	m := leadingName.FindStringSubmatch(pattern)
	if m == nil {
		return nil, 0
	}
	n := 0
	fmt.Sscanf(m[2], "%d", &n)
	core, err := regexp.Compile(m[1] + pattern[len(m[0]):])
	if err != nil || core.NumSubexp() != groups {
		return nil, 0
	}
	return core, n
}

// FindAll returns the rule's matches in text as
// regexp.FindAllSubmatchIndex does. For patterns that start with a lazy
// name prefix ([\w.-]{0,N}?, as gitleaks' semi-generic rules do) it runs
// the pattern without it, which Go's regexp executes many times faster,
// and widens each match to the left over up to N name characters, as the
// leftmost match of the full pattern would. It returns nil when the rule
// does not compile.
func (r *Rule) FindAll(text []byte) [][]int {
	if r.Compile() != nil {
		return nil
	}
	r.compiled()
	if r.core == nil {
		return r.re.FindAllSubmatchIndex(text, -1)
	}
	locs := r.core.FindAllSubmatchIndex(text, -1)
	prevEnd := 0
	for _, loc := range locs {
		start := loc[0]
		for k := 0; k < r.coreMax && start > prevEnd && isNameChar(text[start-1]); k++ {
			start--
		}
		loc[0] = start
		prevEnd = loc[1]
	}
	return locs
}

// isNameChar is the class [\w.-].
func isNameChar(c byte) bool {
	return c == '_' || c == '.' || c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// AppliesToPath reports whether the rule's Path filter admits a slash path.
// Rules without a Path filter apply everywhere.
func (r *Rule) AppliesToPath(path string) bool {
	if r.Path == "" {
		return true
	}
	if r.Compile() != nil {
		return false
	}
	return r.pathRe.MatchString(path)
}

// SecretSpan picks the secret out of one regex match. loc is a
// FindAllSubmatchIndex entry; the result is the secret's [start, end) in the
// same text, following gitleaks' SecretGroup semantics.
func (r *Rule) SecretSpan(loc []int) (start, end int) {
	if r.SecretGroup > 0 && 2*r.SecretGroup+1 < len(loc) {
		return loc[2*r.SecretGroup], loc[2*r.SecretGroup+1]
	}
	for g := 1; 2*g+1 < len(loc); g++ {
		if loc[2*g] >= 0 && loc[2*g+1] > loc[2*g] {
			return loc[2*g], loc[2*g+1]
		}
	}
	return loc[0], loc[1]
}
