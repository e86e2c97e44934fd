package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
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
// ecosystem. A version that does not parse as dotted numbers matches none.
func AdvisoriesFor(ecosystem, pkg, version string) []Advisory {
	all, _ := Advisories()
	v, ok := parseVersion(version)
	if !ok {
		return nil
	}
	var out []Advisory
	for _, a := range all {
		if a.Ecosystem != ecosystem || !strings.EqualFold(a.Package, pkg) {
			continue
		}
		for _, r := range a.Ranges {
			if r.Introduced != "" {
				if lo, ok := parseVersion(r.Introduced); !ok || compareVersions(v, lo) < 0 {
					continue
				}
			}
			if r.Fixed != "" {
				if hi, ok := parseVersion(r.Fixed); !ok || compareVersions(v, hi) >= 0 {
					continue
				}
			}
			out = append(out, a)
			break
		}
	}
	return out
}

// parseVersion parses "1.2.3", "v1.2.3", "2025.7.1" and pre-release forms
// such as "1.2.3-beta.1" (the pre-release sorts before the release) into
// numeric parts plus a pre-release flag in the last slot.
func parseVersion(s string) ([]int, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if s == "" {
		return nil, false
	}
	pre := 1
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		if s[i] == '-' {
			pre = 0
		}
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return nil, false
	}
	out := make([]int, 4, 5)
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, false
		}
		out[i] = n
	}
	return append(out, pre), true
}

func compareVersions(a, b []int) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}
