// Package config loads what users tell mcpscan about their own setup, and
// decides which findings they have vouched for:
//
//   - mcpscan config files: the user-level one (os.UserConfigDir()/mcpscan/config.toml),
//     the nearest .mcpscan.toml above each scanned path, or only the file
//     given with --config. They add rules (in gitleaks' rule format),
//     disable rules, override severities, add allowlists, and set the
//     default --fail-on and --format.
//   - gitleaks config files (.gitleaks.toml in the scanned repository, or
//     --gitleaks-config): their rules and allowlists apply; [extend]
//     useDefault, disabledRules and path are honoured.
//   - ignore files (.mcpscanignore: fingerprints; .gitleaksignore:
//     gitleaks' file:rule-id:line entries).
//   - baselines (an earlier JSON report: only findings absent from it count).
//   - inline allows (mcpscan:allow, gitleaks:allow on the finding's line;
//     never in what agents write: transcripts, agent directories).
//
// Load finds and parses the files; Config.RuleSet derives the rule set to
// scan with; Config.Apply drops findings of disabled rules and applies
// severity overrides after a scan; a Suppressor decides, finding by
// finding, which are suppressed and by which mechanism, and counts them.
// See README.md in this directory for the user-facing documentation.
//
// Every mistake in a file (an unknown key, a bad regex, an unknown rule
// ID) is an error naming the file, line and key: a config mistake never
// silently turns scanning off.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
)

// File names looked for next to and above the scanned paths.
const (
	ProjectConfigName  = ".mcpscan.toml"       // mcpscan project config
	GitleaksConfigName = ".gitleaks.toml"      // gitleaks config, read for its rules and allowlists
	IgnoreFileName     = ".mcpscanignore"      // fingerprints (and gitleaks entries) to ignore
	GitleaksIgnoreName = ".gitleaksignore"     // gitleaks' file:rule-id:line entries
	UserConfigRelPath  = "mcpscan/config.toml" // below os.UserConfigDir()
)

// LoadOptions says where Load looks for files. The zero value reads the
// user-level config only.
type LoadOptions struct {
	// Roots are the scanned paths. For each existing one (a file counts
	// as its directory), Load walks up the directory tree for the nearest
	// .mcpscan.toml and .mcpscanignore (up to the file system root), and
	// for the nearest .gitleaks.toml and .gitleaksignore (up to the
	// repository root: the first directory holding .git). Missing roots
	// are skipped.
	Roots []string
	// ConfigFile is --config: when set, it is the only mcpscan config read
	// (no user-level file, no .mcpscan.toml); it must exist.
	ConfigFile string
	// GitleaksConfig is --gitleaks-config: when set, it is the only gitleaks
	// config read (no .gitleaks.toml discovery); it must exist.
	GitleaksConfig string
	// NoGitleaksConfig turns gitleaks config discovery off.
	NoGitleaksConfig bool
	// UserConfigDir replaces os.UserConfigDir() (for tests).
	UserConfigDir string
	// NoUserConfig skips the user-level config.
	NoUserConfig bool
	// IgnoreFiles are more ignore files to read (they must exist); a file
	// named .gitleaksignore is read as gitleaks', any other as
	// .mcpscanignore.
	IgnoreFiles []string
	// Formats, when not nil, are the valid values of the format key
	// (compared case-insensitively), so that a wrong one is reported with
	// its file and line.
	Formats []string
}

// Config is the merged result of every config, gitleaks config and ignore
// file Load read. Build the rule set with RuleSet, fix up a finished scan
// with Apply, and build a Suppressor with NewSuppressor. A Config is not
// modified after Load and is safe for concurrent use.
type Config struct {
	// Files are the mcpscan config files read, in merge order: the
	// user-level file, then each .mcpscan.toml (in the order of the roots);
	// or only the --config file. Later files override earlier ones.
	Files []string
	// GitleaksFiles are the gitleaks config files read (not counting files
	// they extend).
	GitleaksFiles []string
	// IgnoreFiles are the ignore files read.
	IgnoreFiles []string
	// FailOn is the fail_on setting, nil when no file sets it (the
	// --fail-on flag wins over it).
	FailOn *rules.Severity
	// Format is the format setting, "" when no file sets it (the --format
	// flag wins over it).
	Format string
	// Warnings are notes for the user about things that were read but
	// cannot apply (a gitleaks allowlist of commits, a path-only gitleaks
	// rule), each starting with "FILE:LINE:". Print them on stderr.
	Warnings []string

	rules      []*ruleDef            // custom rules, by ID, later files replacing earlier ones
	declared   map[string]bool       // IDs of every custom rule written, valid or not
	disabled   []placed              // disabled_rules
	severity   map[string]severityAt // [severity]
	allowlists []*allowlist          // [[allowlists]] and the custom rules' own
	gitleaks   []*gitleaksConfig
	ignores    *ignoreSet
	roots      []string // absolute slash directories of the scan roots
}

type severityAt struct {
	at  placed
	sev rules.Severity
}

// Load finds, reads and merges the config, gitleaks config and ignore
// files for a scan of opts.Roots. Merge order: the user-level config, then
// the nearest .mcpscan.toml of each root in root order (or only
// opts.ConfigFile); later files win for fail_on, format, a severity
// override and a custom rule of the same ID; disabled_rules and
// allowlists add up.
//
// The error joins every mistake found (see Error): a file that does not
// parse, every unknown key, bad regex or glob, severity or condition that
// does not exist, a named file that is missing. Mistakes that need the
// rule set (an unknown rule ID) are reported by RuleSet. With an error,
// the Config still holds what could be read, so that RuleSet can report
// those mistakes too (all of them at once); do not scan with it.
func Load(opts LoadOptions) (*Config, error) {
	c := &Config{severity: map[string]severityAt{}, declared: map[string]bool{}}
	warn := func(s string) { c.Warnings = append(c.Warnings, s) }
	var dirs []string // root directories, as given (not made absolute)
	for _, r := range opts.Roots {
		st, err := os.Stat(r)
		if err != nil {
			continue
		}
		d := r
		if !st.IsDir() {
			d = filepath.Dir(r)
		}
		dirs = append(dirs, d)
		if a := absDir(d); a != "" {
			c.roots = appendUnique(c.roots, a)
		}
	}
	var errs []error

	// mcpscan config files.
	var files []string
	if opts.ConfigFile != "" {
		files = []string{opts.ConfigFile}
	} else {
		if !opts.NoUserConfig {
			dir := opts.UserConfigDir
			if dir == "" {
				dir, _ = os.UserConfigDir()
			}
			if p := filepath.Join(dir, filepath.FromSlash(UserConfigRelPath)); dir != "" && isFile(p) {
				files = append(files, p)
			}
		}
		for _, d := range dirs {
			if p := findUp(d, ProjectConfigName, false); p != "" {
				files = appendUniqueFile(files, p)
			}
		}
	}
	for _, f := range files {
		fc, err := parseConfigFile(f, opts.Formats, warn)
		if err != nil {
			errs = append(errs, err)
		}
		if fc != nil {
			c.Files = append(c.Files, f)
			c.merge(fc)
		}
	}

	// gitleaks config files.
	var glFiles []string
	switch {
	case opts.GitleaksConfig != "":
		glFiles = []string{opts.GitleaksConfig}
	case !opts.NoGitleaksConfig:
		for _, d := range dirs {
			if p := findUp(d, GitleaksConfigName, true); p != "" {
				glFiles = appendUniqueFile(glFiles, p)
			}
		}
	}
	for _, f := range glFiles {
		gc, err := loadGitleaks(f, 0, warn)
		if err != nil {
			errs = append(errs, err)
		}
		if gc == nil {
			continue
		}
		for _, id := range gc.declared {
			c.declared[id] = true
		}
		c.GitleaksFiles = append(c.GitleaksFiles, f)
		c.gitleaks = append(c.gitleaks, gc)
		for _, d := range gc.disabled {
			switch r := rules.Default().Lookup(d.value); {
			case r == nil:
				warn(fmt.Sprintf("%s not one of gitleaks' default rules%s; nothing to disable", d.where(), closestRule(d.value)))
			case !isGitleaksRule(r):
				warn(fmt.Sprintf("%s %s is one of mcpscan's own rules, which a gitleaks config does not disable; list it in disabled_rules in .mcpscan.toml", d.where(), r.ID))
			}
		}
	}

	// Ignore files.
	var ignFiles []string
	for _, d := range dirs {
		if p := findUp(d, IgnoreFileName, false); p != "" {
			ignFiles = appendUniqueFile(ignFiles, p)
		}
		if p := findUp(d, GitleaksIgnoreName, true); p != "" {
			ignFiles = appendUniqueFile(ignFiles, p)
		}
	}
	for _, f := range opts.IgnoreFiles {
		ignFiles = appendUniqueFile(ignFiles, f)
	}
	c.ignores = &ignoreSet{fps: map[string]string{}}
	for _, f := range ignFiles {
		if err := c.ignores.read(f, warn); err != nil {
			errs = append(errs, err)
			continue
		}
		c.IgnoreFiles = append(c.IgnoreFiles, f)
	}
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	return c, nil
}

// fileConfig is one validated mcpscan config file (with mistakes: what of
// it is valid).
type fileConfig struct {
	declared   []string // IDs of every rule written, valid or not
	failOn     *rules.Severity
	format     string
	disabled   []placed
	severity   map[string]severityAt
	rules      []*ruleDef
	allowlists []*allowlist
}

// parseConfigFile reads and checks one mcpscan config file.
func parseConfigFile(file string, formats []string, warn func(string)) (*fileConfig, error) {
	data, err := readFile(file, maxConfigFile)
	if err != nil {
		return nil, err
	}
	var t fileTOML
	doc, err := decodeStrict(file, data, &t, dialectMcpscan)
	if err != nil {
		return nil, err
	}
	base := absDir(filepath.Dir(file))
	fc := &fileConfig{format: t.Format, severity: map[string]severityAt{}}
	for _, r := range t.Rules {
		if id := strings.TrimSpace(r.ID); id != "" {
			fc.declared = append(fc.declared, id)
		}
	}
	if t.FailOn != "" {
		s, err := rules.ParseSeverity(t.FailOn)
		if err != nil {
			doc.errorf("fail_on", "unknown severity (want info, low, medium, high or critical)")
		} else {
			fc.failOn = &s
		}
	}
	if t.Format != "" && formats != nil {
		ok := false
		for _, f := range formats {
			ok = ok || strings.EqualFold(f, strings.TrimSpace(t.Format))
		}
		if !ok {
			doc.errorf("format", "unknown format (want one of %s)", strings.Join(formats, ", "))
		}
	}
	for i, id := range t.DisabledRules {
		key := fmt.Sprintf("disabled_rules[%d]", i)
		if strings.TrimSpace(id) == "" {
			doc.errorf(key, "empty rule id")
			continue
		}
		fc.disabled = append(fc.disabled, doc.placed(key, strings.TrimSpace(id)))
	}
	for id, name := range t.Severity {
		key := "severity." + id
		s, err := rules.ParseSeverity(name)
		if err != nil {
			doc.errorf(key, "unknown severity (want info, low, medium, high or critical)")
			continue
		}
		fc.severity[id] = severityAt{at: doc.placed(key, id), sev: s}
	}
	seen := map[string]int{} // rule ID → line
	for i := range t.Rules {
		key := fmt.Sprintf("rules[%d]", i)
		r := doc.rule(&t.Rules[i], key, dialectMcpscan, base, warn)
		if r == nil {
			continue
		}
		if at, dup := seen[r.at.value]; dup {
			doc.errorf(key+".id", "duplicate rule id (first defined at line %d)", at)
			continue
		}
		seen[r.at.value] = r.at.line
		fc.rules = append(fc.rules, r)
	}
	for i := range t.Allowlists {
		if a := doc.allowlist(&t.Allowlists[i], fmt.Sprintf("allowlists[%d]", i), dialectMcpscan, base, warn); a != nil {
			fc.allowlists = append(fc.allowlists, a)
		}
	}
	return fc, doc.err()
}

// merge applies one file over what c holds so far.
func (c *Config) merge(fc *fileConfig) {
	if fc.failOn != nil {
		c.FailOn = fc.failOn
	}
	if fc.format != "" {
		c.Format = strings.ToLower(strings.TrimSpace(fc.format))
	}
	c.disabled = append(c.disabled, fc.disabled...)
	for _, id := range fc.declared {
		c.declared[id] = true
	}
	for id, s := range fc.severity {
		c.severity[id] = s
	}
	for _, r := range fc.rules {
		replaced := false
		for i, old := range c.rules {
			if old.at.value == r.at.value {
				c.rules[i], replaced = r, true
				break
			}
		}
		if !replaced {
			c.rules = append(c.rules, r)
		}
	}
	c.allowlists = append(c.allowlists, fc.allowlists...)
}

// Adjust applies the config to one finding: it returns false when the
// finding's rule is disabled (disabled_rules, or a gitleaks config's
// disabledRules for a gitleaks rule), and sets the severity from
// [severity] overrides.
func (c *Config) Adjust(f *scanner.Finding) bool {
	for _, d := range c.disabled {
		if d.value == f.RuleID {
			return false
		}
	}
	if f.Rule == nil || f.Rule.Origin == rules.OriginGitleaks {
		for _, gc := range c.gitleaks {
			for _, d := range gc.disabled {
				if d.value == f.RuleID {
					return false
				}
			}
		}
	}
	if s, ok := c.severity[f.RuleID]; ok {
		f.Severity = s.sev
	}
	return true
}

// Apply runs Adjust over res's findings, keeping those it keeps, in
// order.
func (c *Config) Apply(res *scanner.Result) {
	if res == nil {
		return
	}
	kept := res.Findings[:0]
	for _, f := range res.Findings {
		if c.Adjust(&f) {
			kept = append(kept, f)
		}
	}
	clear(res.Findings[len(kept):])
	res.Findings = kept
}

func (c *Config) anyGitleaksDisabled() bool {
	for _, gc := range c.gitleaks {
		if len(gc.disabled) > 0 {
			return true
		}
	}
	return false
}

// findUp returns the nearest file called name in dir or a directory
// above it, or "". With repoOnly it stops after the first directory that
// holds .git (the repository root).
func findUp(dir, name string, repoOnly bool) string {
	d, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if p := filepath.Join(d, name); isFile(p) {
			if rel, err := filepath.Rel(mustAbs("."), p); err == nil && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel) {
				return rel
			}
			return p
		}
		if repoOnly {
			if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
				return ""
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// appendUniqueFile appends p unless it names a file already in list.
func appendUniqueFile(list []string, p string) []string {
	ap := mustAbs(p)
	for _, q := range list {
		if mustAbs(q) == ap {
			return list
		}
	}
	return append(list, p)
}
