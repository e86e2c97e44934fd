package rules

import "testing"

func TestAdvisoriesData(t *testing.T) {
	all, err := Advisories()
	if err != nil || len(all) == 0 {
		t.Fatalf("advisories: %v (%d)", err, len(all))
	}
	for _, a := range all {
		if a.ID == "" || a.Package == "" || len(a.Ranges) == 0 || len(a.Sources) == 0 || a.Summary == "" {
			t.Errorf("incomplete advisory %+v", a)
		}
		if a.Ecosystem != "npm" && a.Ecosystem != "pypi" {
			t.Errorf("%s: ecosystem %q", a.ID, a.Ecosystem)
		}
		for _, r := range a.Ranges {
			for _, v := range []string{r.Introduced, r.Fixed} {
				if err := validVersion(a.Ecosystem, v); v != "" && err != nil {
					t.Errorf("%s: bad %s version %q: %v", a.ID, a.Ecosystem, v, err)
				}
			}
		}
	}
}

// advisoryCase is a package version and the advisory ID expected for it
// ("" for none).
type advisoryCase struct {
	pkg, version string
	want         string
}

func checkAdvisories(t *testing.T, ecosystem string, cases []advisoryCase) {
	t.Helper()
	for _, c := range cases {
		got := AdvisoriesFor(ecosystem, c.pkg, c.version)
		id := ""
		if len(got) > 0 {
			id = got[0].ID
		}
		if id != c.want {
			t.Errorf("%s %s %s: %q, want %q", ecosystem, c.pkg, c.version, id, c.want)
		}
	}
}

func TestAdvisoriesFor(t *testing.T) {
	checkAdvisories(t, "npm", []advisoryCase{
		{"mcp-remote", "0.1.15", "CVE-2025-6514"},
		{"mcp-remote", "v0.1.15", "CVE-2025-6514"},
		{"mcp-remote", "0.1.16-rc.1", "CVE-2025-6514"}, // a pre-release of the fix is before it
		{"mcp-remote", "0.0.5-beta", ""},               // … and before the first affected release
		{"mcp-remote", "0.1.16+build.5", ""},
		{"MCP-Remote", "0.1.15", "CVE-2025-6514"},
		{"mcp-remote", "0.0.5", "CVE-2025-6514"},
		{"mcp-remote", "0.0.4", ""},
		{"mcp-remote", "0.1.16", ""},
		{"mcp-remote", "0.1.16-beta.1", "CVE-2025-6514"},
		{"@modelcontextprotocol/inspector", "0.14.0", "CVE-2025-49596"},
		{"@modelcontextprotocol/inspector", "0.14.1", ""},
		{"@modelcontextprotocol/server-filesystem", "2025.3.28", "CVE-2025-53109"},
		{"@modelcontextprotocol/server-filesystem", "0.6.2", "CVE-2025-53109"},
		{"@modelcontextprotocol/server-filesystem", "2025.7.1", ""},
		{"mcp-remote", "latest", ""},
		{"left-pad", "1.0.0", ""},
	})
}

// TestPyPIAdvisories checks PEP 440 ordering (pre-, post- and dev
// releases, epochs, local versions) and PEP 503 name normalisation.
func TestPyPIAdvisories(t *testing.T) {
	checkAdvisories(t, "pypi", []advisoryCase{
		{"mcp-server-git", "2025.12.18", "CVE-2026-27735"},
		{"mcp-server-git", "2026.1.14rc1", "CVE-2026-27735"}, // a release candidate of the fix
		{"mcp-server-git", "2026.1.14.dev3", "CVE-2026-27735"},
		{"mcp-server-git", "2026.1.14", ""},
		{"mcp-server-git", "2026.1.14.post1", ""},
		{"mcp-server-git", "2026.01.14", ""}, // PEP 440: leading zeros are the same release
		{"mcp-server-git", "2025.12.18+local.1", "CVE-2026-27735"},
		{"mcp-server-git", "1!0.1", ""}, // epoch 1 sorts after every epoch-0 version
		{"mcp_server.GIT", "2025.7.1", "CVE-2026-27735"},
		{"mcp-server-git", "latest", ""},
		{"mcp-server-gitx", "2025.7.1", ""},
	})
	if len(AdvisoriesFor("npm", "mcp-server-git", "2025.7.1")) != 0 {
		t.Error("a PyPI advisory matched an npm package")
	}
}

func TestIsRelease(t *testing.T) {
	for _, c := range []struct {
		eco, v string
		want   bool
	}{
		{"npm", "1.2.3", true}, {"npm", "v1.2.3", true}, {"npm", "1.2.3-beta.1", true}, {"npm", "2025.4.8", true},
		{"npm", "1.2", false}, {"npm", "^1.2.3", false}, {"npm", "latest", false}, {"npm", "1.x", false}, {"npm", "", false},
		{"pypi", "1.2.0rc1", true}, {"pypi", "2025.7.1", true}, {"pypi", "1.0.post1", true}, {"pypi", "1.2", true},
		{"pypi", "1.*", false}, {"pypi", ">=1.0", false}, {"pypi", "latest", false}, {"pypi", "", false},
	} {
		if got := IsRelease(c.eco, c.v); got != c.want {
			t.Errorf("IsRelease(%s, %q) = %v", c.eco, c.v, got)
		}
	}
}
