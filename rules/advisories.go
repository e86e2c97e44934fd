package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
	pep440 "github.com/aquasecurity/go-pep440-version"
)

//go:embed data/advisories.json
var advisoriesJSON []byte

// Advisory is one published vulnerability of a package that an MCP config
// can launch, from rules/data/advisories.json.
type Advisory struct {
	ID        string   `json:"id"`        // CVE or GHSA id
	Aliases   []string `json:"aliases"`   // other ids of the same issue
	Ecosystem string   `json:"ecosystem"` // "npm" or "pypi"
	Package   string   `json:"package"`   // as installed: "mcp-remote", "@scope/name"
	Ranges    []struct {
		Introduced string `json:"introduced"` // first affected version, inclusive; "" = all before Fixed
		Fixed      string `json:"fixed"`      // first fixed version, exclusive; "" = no fix yet
	} `json:"ranges"`
	Severity Severity `json:"severity"`
	Summary  string   `json:"summary"`
	Sources  []string `json:"sources"` // URLs of the advisory
}

var (
	advisoriesOnce sync.Once
	advisories     []Advisory
	advisoriesErr  error
)

// Advisories returns the built-in advisory list. The error reports a
// malformed data file (tests keep it well-formed).
func Advisories() ([]Advisory, error) {
	advisoriesOnce.Do(func() {
		var doc struct {
			Advisories []Advisory `json:"advisories"`
		}
		if err := json.Unmarshal(advisoriesJSON, &doc); err != nil {
			advisoriesErr = fmt.Errorf("rules: data/advisories.json: %w", err)
			return
		}
		advisories = doc.Advisories
	})
	return advisories, advisoriesErr
}

// AdvisoriesFor returns the advisories that affect version of pkg in
// ecosystem ("npm" or "pypi"), with OSV's range semantics: introduced
// inclusive, fixed exclusive, compared in the ecosystem's own version
// order (see compareVersions). Package names compare as the ecosystem
// does (PyPI: PEP 503 normalisation, so Mcp_Server.Git is mcp-server-git).
// A version that is not one release of the ecosystem (a tag such as
// "latest", a range) matches none: such specs are reported as unpinned
// instead.
func AdvisoriesFor(ecosystem, pkg, version string) []Advisory {
	all, _ := Advisories()
	if !IsRelease(ecosystem, version) {
		return nil
	}
	var out []Advisory
	for _, a := range all {
		if a.Ecosystem != ecosystem || PackageKey(ecosystem, a.Package) != PackageKey(ecosystem, pkg) {
			continue
		}
		for _, r := range a.Ranges {
			if r.Introduced != "" {
				if c, err := compareVersions(ecosystem, version, r.Introduced); err != nil || c < 0 {
					continue
				}
			}
			if r.Fixed != "" {
				if c, err := compareVersions(ecosystem, version, r.Fixed); err != nil || c >= 0 {
					continue
				}
			}
			out = append(out, a)
			break
		}
	}
	return out
}

// PackageKey returns the form of a package name under which an ecosystem
// treats names as equal: PyPI's PEP 503 normalisation (lower case, runs of
// "-", "_" and "." as one "-"), npm's lower case.
func PackageKey(ecosystem, name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if ecosystem != "pypi" {
		return name
	}
	var b strings.Builder
	sep := false
	for _, r := range name {
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

// IsRelease reports whether v names exactly one release in ecosystem: a
// full semver version for npm ("1.2.3", "1.2.3-beta.1"; not "1.2", which
// npm reads as a range), a PEP 440 version for PyPI ("1.2.0rc1",
// "2025.7.1", "1.0.post1"; not "1.*").
func IsRelease(ecosystem, v string) bool {
	if ecosystem == "npm" {
		_, err := semver.StrictNewVersion(strings.TrimPrefix(strings.TrimSpace(v), "v"))
		return err == nil
	}
	return validVersion(ecosystem, v) == nil && !strings.Contains(v, "*")
}

// compareVersions compares two versions of ecosystem (-1, 0 or 1): npm
// versions as semver with github.com/Masterminds/semver (a pre-release
// sorts before its release), PyPI versions as PEP 440 with
// github.com/aquasecurity/go-pep440-version (1.2.0.dev1 < 1.2.0a1 <
// 1.2.0rc1 < 1.2.0 < 1.2.0.post1). A version that does not parse is an
// error.
func compareVersions(ecosystem, a, b string) (int, error) {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch ecosystem {
	case "npm":
		va, err := semver.NewVersion(a)
		if err != nil {
			return 0, err
		}
		vb, err := semver.NewVersion(b)
		if err != nil {
			return 0, err
		}
		return va.Compare(vb), nil
	case "pypi":
		va, err := pep440.Parse(a)
		if err != nil {
			return 0, err
		}
		vb, err := pep440.Parse(b)
		if err != nil {
			return 0, err
		}
		return va.Compare(vb), nil
	}
	return 0, fmt.Errorf("unknown ecosystem %q", ecosystem)
}

// validVersion checks that v is a version of ecosystem.
func validVersion(ecosystem, v string) error {
	_, err := compareVersions(ecosystem, v, v)
	return err
}
