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
				if _, ok := parseVersion(v); v != "" && !ok {
					t.Errorf("%s: bad version %q", a.ID, v)
				}
			}
		}
	}
}

func TestAdvisoriesFor(t *testing.T) {
	cases := []struct {
		pkg, version string
		want         string
	}{
		{"mcp-remote", "0.1.15", "CVE-2025-6514"},
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
	}
	for _, c := range cases {
		got := AdvisoriesFor("npm", c.pkg, c.version)
		id := ""
		if len(got) > 0 {
			id = got[0].ID
		}
		if id != c.want {
			t.Errorf("%s@%s: %q, want %q", c.pkg, c.version, id, c.want)
		}
	}
}
