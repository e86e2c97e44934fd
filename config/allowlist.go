package config

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
)

// allowlist is a user's allowlist from an mcpscan or gitleaks config,
// applied to finished findings by the Suppressor (so that what it
// suppresses is counted, and --no-suppress can show it).
type allowlist struct {
	at          placed
	description string
	rules       []string // rule IDs it applies to; empty: every rule
	targets     []placed // top-level targetRules, checked by RuleSet
	matchAll    bool     // condition = "AND"
	target      rules.Target
	regexes     []*regexp.Regexp
	stopWords   []string // lower-case
	pathRes     []*regexp.Regexp
	globs       []string
	base        string // directory of the file, for relative paths; "" none
}

func (a *allowlist) appliesTo(ruleID string) bool {
	if len(a.rules) == 0 {
		return true
	}
	for _, id := range a.rules {
		if id == ruleID {
			return true
		}
	}
	return false
}

// candidate is a finding as allowlists see it.
type candidate struct {
	f     *scanner.Finding
	line  string
	forms *pathForms
	match func() string // the rule's whole match, recovered from the line ("" when it cannot be)
}

// matches reports whether re matches c's target text: the rule's whole
// match (or the secret, when the match cannot be recovered from the
// line), the line, or the secret.
func (c *candidate) matches(target rules.Target, re *regexp.Regexp) bool {
	switch target {
	case rules.TargetMatch:
		if m := c.match(); m != "" {
			return re.MatchString(m)
		}
	case rules.TargetLine:
		return c.line != "" && re.MatchString(c.line)
	}
	return c.f.Secret.MatchRegexp(re)
}

// allows reports whether a allows c, with gitleaks' semantics: OR (any
// criterion holds) unless matchAll (every non-empty criterion holds).
func (a *allowlist) allows(c *candidate) bool {
	applies := false
	for _, id := range ruleIDs(c.f) {
		applies = applies || a.appliesTo(id)
	}
	if !applies {
		return false
	}
	checks, hits := 0, 0
	if len(a.regexes) > 0 {
		checks++
		for _, re := range a.regexes {
			if c.matches(a.target, re) {
				hits++
				break
			}
		}
	}
	if len(a.stopWords) > 0 {
		checks++
		for _, w := range a.stopWords {
			if c.f.Secret.ContainsFold(w) {
				hits++
				break
			}
		}
	}
	if len(a.pathRes) > 0 || len(a.globs) > 0 {
		checks++
		if a.pathAllowed(c.forms) {
			hits++
		}
	}
	if checks == 0 {
		return false
	}
	if a.matchAll {
		return hits == checks
	}
	return hits > 0
}

// pathAllowed reports whether a's paths match the finding's file, or for
// an archive member the archive (so that allowing an archive allows what
// is in it).
func (a *allowlist) pathAllowed(pf *pathForms) bool {
	if pf.outer != nil && a.pathAllowed(pf.outer) {
		return true
	}
	rel := pf.relTo(a.base)
	for _, re := range a.pathRes {
		if re.MatchString(pf.display) || re.MatchString(pf.abs) || (rel != "" && re.MatchString(rel)) || (pf.member != "" && re.MatchString(pf.member)) {
			return true
		}
		for _, r := range pf.rootRels {
			if re.MatchString(r) {
				return true
			}
		}
	}
	for _, g := range a.globs {
		if globMatch(g, pf, rel) {
			return true
		}
	}
	return false
}

// globMatch matches a doublestar glob against a finding's path: "~/…"
// against the path with the home directory written "~", "/…" against the
// absolute path, a pattern without "/" against the file's base name, and
// any other against the path as displayed, relative to the config file's
// directory and to each scan root, and for an archive member its path in
// the archive.
func globMatch(g string, pf *pathForms, rel string) bool {
	m := func(p string) bool {
		ok, _ := doublestar.Match(g, p)
		return ok
	}
	switch {
	case strings.HasPrefix(g, "~/"):
		return m(pf.portable)
	case strings.HasPrefix(g, "/"):
		return m(pf.abs)
	case !strings.Contains(g, "/"):
		return m(pf.base)
	}
	if m(pf.display) || (rel != "" && m(rel)) || (pf.member != "" && m(pf.member)) {
		return true
	}
	for _, r := range pf.rootRels {
		if m(r) {
			return true
		}
	}
	return false
}

// pathForms are the names of one finding's file that paths in config,
// ignore and baseline files are matched against. Members of archives
// keep their "!" form (Location.String) in every name.
type pathForms struct {
	loc      scanner.Location
	display  string     // Location.String, slash-separated and cleaned
	abs      string     // the same with the file made absolute
	absFile  string     // the file alone, absolute, slash-separated
	portable string     // Location.Portable: the home directory as "~"
	base     string     // last element (of the archive member, for members)
	rootRels []string   // relative to each scan root directory that holds it
	member   string     // for an archive member: its path inside the (innermost) archive
	outer    *pathForms // for an archive member: the archive's
}

func newPathForms(loc scanner.Location, roots []string) *pathForms {
	loc.Line, loc.Column, loc.EndLine, loc.EndColumn, loc.Offset, loc.Field, loc.AlsoIn = 0, 0, 0, 0, 0, "", nil
	pf := &pathForms{loc: loc, display: cleanLoc(loc), portable: loc.Portable()}
	if outer, ok := loc.Container(); ok {
		pf.outer = newPathForms(outer, roots)
		pf.member = strings.TrimPrefix(slashClean(loc.Inner()), "/")
	}
	abs, err := filepath.Abs(loc.RawFile())
	if err != nil {
		abs = loc.RawFile()
	}
	pf.absFile = filepath.ToSlash(abs)
	pf.abs = pf.withFile(pf.absFile)
	pf.base = path.Base(slashClean(loc.Inner()))
	for _, r := range roots {
		if rel := relUnder(pf.absFile, r); rel != "" {
			pf.rootRels = append(pf.rootRels, pf.withFile(rel))
		}
	}
	return pf
}

// withFile returns the displayed form of the finding's location with its
// file named f.
func (pf *pathForms) withFile(f string) string {
	return cleanLoc(pf.loc.WithFile(f))
}

// relTo returns the path relative to dir (absolute, slash-separated), or
// "" when it is not below dir.
func (pf *pathForms) relTo(dir string) string {
	if rel := relUnder(pf.absFile, dir); rel != "" {
		return pf.withFile(rel)
	}
	return ""
}

// relUnder returns abs relative to dir, or "" when abs is not below dir.
// Both are absolute slash paths.
func relUnder(abs, dir string) string {
	if dir == "" {
		return ""
	}
	if dir == "/" {
		return strings.TrimPrefix(abs, "/")
	}
	if strings.HasPrefix(abs, dir+"/") {
		return abs[len(dir)+1:]
	}
	return ""
}

// slashClean returns a file path cleaned, with forward slashes.
func slashClean(p string) string { return filepath.ToSlash(filepath.Clean(p)) }

// cleanLoc returns the displayed form of loc with its file cleaned.
func cleanLoc(loc scanner.Location) string { return loc.WithFile(slashClean(loc.File)).String() }

// absDir returns the absolute slash path of a directory, or "".
func absDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	return filepath.ToSlash(abs)
}

// isFile reports whether p names an existing regular file (following
// links).
func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
