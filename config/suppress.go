package config

import (
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
)

// Suppression mechanisms, the keys of Counts. Decide tries them in this
// order and names the first that suppresses a finding.
const (
	// MechInlineAllow: the finding's line carries mcpscan:allow or
	// gitleaks:allow (never honoured in agent transcripts, see
	// HonoursInlineAllow).
	MechInlineAllow = "inline-allow"
	// MechIgnoreFile: an entry of .mcpscanignore (or a file given with
	// LoadOptions.IgnoreFiles) names the finding.
	MechIgnoreFile = "ignore-file"
	// MechGitleaksIgnore: an entry of .gitleaksignore names the finding.
	MechGitleaksIgnore = "gitleaksignore"
	// MechConfigAllowlist: an allowlist of an mcpscan or gitleaks config
	// allows the finding.
	MechConfigAllowlist = "config-allowlist"
	// MechBaseline: the finding is in the baseline report.
	MechBaseline = "baseline"
)

// Mechanisms lists the suppression mechanisms in the order Decide tries
// them, for summaries.
var Mechanisms = []string{MechInlineAllow, MechIgnoreFile, MechGitleaksIgnore, MechConfigAllowlist, MechBaseline}

// Inline allow markers: a finding on a line holding one is suppressed.
const (
	InlineAllowMarker         = "mcpscan:allow"
	GitleaksInlineAllowMarker = "gitleaks:allow"
)

// Counts is the number of suppressed findings per mechanism (Mech*
// constants). Mechanisms that suppressed nothing are absent.
type Counts map[string]int

// Total returns the number of suppressed findings.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// Suppressed is a finding a Suppressor took out, with the mechanism that
// did.
type Suppressed struct {
	Finding   scanner.Finding
	Mechanism string
}

// Suppressor decides which findings the user has vouched for. It is built
// once per scan by NewSuppressor and is safe for concurrent use.
type Suppressor struct {
	ignores    *ignoreSet
	allowlists []*allowlist
	baseline   *Baseline
	roots      []string // absolute slash scan root directories
	altDirs    []string // directories paths are also made relative to, for fingerprints
}

// NewSuppressor returns a Suppressor applying cfg's ignore files and
// allowlists (cfg may be nil) and baseline (may be nil). Build it after
// cfg.RuleSet has accepted the config (RuleSet checks the rule IDs the
// allowlists name).
func NewSuppressor(cfg *Config, baseline *Baseline) *Suppressor {
	s := &Suppressor{baseline: baseline, ignores: &ignoreSet{}}
	if cfg != nil {
		if cfg.ignores != nil {
			s.ignores = cfg.ignores
		}
		s.allowlists = cfg.userAllowlists()
		s.roots = cfg.roots
	}
	s.altDirs = append(append([]string(nil), s.roots...), s.ignores.dirs...)
	return s
}

// HonoursInlineAllow reports whether an inline allow on f's line counts.
// A user cannot vouch for a line an agent wrote, so it does not for
// Claude Code transcripts, prompt history and file-history backups
// (copies of files an agent was editing), wherever they are, nor for any
// file in an agent's directory (.claude/, .codex/, .gemini/ …: sessions,
// plans, settings whose "always allow" rules save the agent's command
// lines). Everywhere else (a project's .env, source code, CLAUDE.md at the
// repository root, archive members outside agent directories) it does.
func HonoursInlineAllow(f *scanner.Finding) bool {
	if f.Source != nil && f.Source.AgentWritten {
		return false
	}
	return !f.Location.InAgentDir()
}

// HasInlineAllow reports whether line carries mcpscan:allow or
// gitleaks:allow.
func HasInlineAllow(line string) bool {
	return strings.Contains(line, InlineAllowMarker) || strings.Contains(line, GitleaksInlineAllowMarker)
}

// Decide reports whether f is suppressed and by which mechanism (one of
// the Mech* constants; "" when not suppressed). The text of f's line
// comes with the finding (Finding.MatchedLine, carried from the matcher):
// no file is read again, archive members included; a finding without it
// (carried over from a state file) cannot be allowed inline or by a line
// allowlist.
//
// Fingerprints (ignore files, baselines) are compared as reported and as
// recomputed with the finding's path made absolute and made relative to
// each scan root and each ignore file's directory, so that an entry made
// by "mcpscan ." in a repository also matches "mcpscan /abs/repo".
// gitleaks entries (file:rule-id:line) match the path as reported,
// absolute, or relative to the ignore file's directory or a scan root.
func (s *Suppressor) Decide(f *scanner.Finding) (suppressed bool, mechanism string) {
	line := f.MatchedLine()
	if line != "" && HonoursInlineAllow(f) && HasInlineAllow(line) {
		return true, MechInlineAllow
	}
	var pf *pathForms
	forms := func() *pathForms {
		if pf == nil {
			pf = newPathForms(f.Location, s.roots)
		}
		return pf
	}
	var fps []string
	fingerprints := func() []string {
		if fps == nil {
			fps = s.fingerprints(f, forms())
		}
		return fps
	}
	if len(s.ignores.fps) > 0 {
		for _, fp := range fingerprints() {
			if m, ok := s.ignores.fps[fp]; ok {
				return true, m
			}
		}
	}
	if len(s.ignores.entries) > 0 {
		for _, id := range ruleIDs(f) {
			if m := s.ignores.gitleaksMatch(id, f.Line, forms()); m != "" {
				return true, m
			}
		}
	}
	if len(s.allowlists) > 0 {
		c := &candidate{f: f, line: line, forms: forms()}
		var match *string
		c.match = func() string {
			if match == nil {
				m := recoverMatch(f, line)
				match = &m
			}
			return *match
		}
		for _, a := range s.allowlists {
			if a.allows(c) {
				return true, MechConfigAllowlist
			}
		}
	}
	if s.baseline != nil && s.baseline.Len() > 0 {
		for _, fp := range fingerprints() {
			if s.baseline.Contains(fp) {
				return true, MechBaseline
			}
		}
	}
	return false, ""
}

// fingerprints returns f's fingerprint as reported and recomputed for the
// other names of its file (see Decide), lower-case, without repeats.
func (s *Suppressor) fingerprints(f *scanner.Finding, pf *pathForms) []string {
	out := []string{strings.ToLower(f.Fingerprint)}
	if !f.Secret.Known() || f.RuleID == "" {
		return out // carried over from a state file: only the stored fingerprint
	}
	add := func(file string) {
		if file == "" {
			return
		}
		out = appendUnique(out, f.Secret.Fingerprint(f.RuleID, pf.loc.WithFile(file).Portable()))
	}
	add(f.Location.RawFile())
	add(pf.absFile)
	for _, r := range s.roots {
		add(relUnder(pf.absFile, r))
	}
	for _, d := range s.altDirs {
		add(relUnder(pf.absFile, d))
	}
	return out
}

// recoverMatch returns the whole regex match of f's rule on line that
// holds f's secret, for allowlists with regexTarget = "match", or "" when
// the rule has no pattern or the line does not give the match back (a
// transcript line, where the text is JSON-escaped).
func recoverMatch(f *scanner.Finding, line string) string {
	if f.Rule == nil || f.Rule.Pattern == "" || line == "" {
		return ""
	}
	re := f.Rule.Regexp()
	if re == nil {
		return ""
	}
	for _, loc := range re.FindAllStringSubmatchIndex(line, -1) {
		st, en := f.Rule.SecretSpan(loc)
		if st >= 0 && en >= st && f.Secret.EqualString(line[st:en]) {
			return line[loc[0]:loc[1]]
		}
	}
	return ""
}

// Apply removes the suppressed findings from res (keeping the others in
// order) and returns them with their mechanisms, and the counts per
// mechanism. For --no-suppress, do not call Apply: Decide still tells
// which findings an audit would otherwise not see.
func (s *Suppressor) Apply(res *scanner.Result) ([]Suppressed, Counts) {
	counts := Counts{}
	if res == nil {
		return nil, counts
	}
	var out []Suppressed
	kept := res.Findings[:0]
	for _, f := range res.Findings {
		if ok, mech := s.Decide(&f); ok {
			out = append(out, Suppressed{Finding: f, Mechanism: mech})
			counts[mech]++
			continue
		}
		kept = append(kept, f)
	}
	clear(res.Findings[len(kept):])
	res.Findings = kept
	return out, counts
}

// ruleIDs returns f's rule ID and the aliases of its rule (gitleaks rules
// that share one pattern, such as bittrex-access-key and
// bittrex-secret-key): an ignore entry or allowlist written for either ID
// applies.
func ruleIDs(f *scanner.Finding) []string {
	ids := []string{f.RuleID}
	if f.Rule != nil {
		ids = append(ids, f.Rule.Aliases...)
	}
	return ids
}
