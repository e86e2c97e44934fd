package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type suppressReport struct {
	Findings []struct {
		RuleID      string `json:"rule_id"`
		Path        string `json:"path"`
		Line        int    `json:"line"`
		Fingerprint string `json:"fingerprint"`
	} `json:"findings"`
	Stats struct {
		Suppressed      map[string]int `json:"suppressed"`
		SuppressedTotal int            `json:"suppressed_total"`
	} `json:"stats"`
}

func scanJSON(t *testing.T, args ...string) (int, suppressReport, string) {
	t.Helper()
	code, out, errOut := mcpscan(t, append([]string{"--format", "json"}, args...)...)
	var r suppressReport
	if code != exitError {
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v\n%s\n%s", err, out, errOut)
		}
	}
	return code, r, errOut
}

// TestSuppressionMechanisms: a repository with test fixtures holding fake
// keys, suppressed by an inline allow, by .mcpscanignore, by a gitleaks
// allowlist and by a baseline; each is counted; --no-suppress shows all.
func TestSuppressionMechanisms(t *testing.T) {
	repo := tree(t, map[string]string{
		".git/HEAD":           "ref: refs/heads/main\n",
		"test/fixtures/a.env": "GITHUB_TOKEN=" + ghToken + " # mcpscan:allow test fixture\n",
		"test/fixtures/b.env": "\n\nDB_PASSWORD=" + dbPassword + "\n",
		"test/fixtures/c.env": "ANOTHER_TOKEN=ghp_Zq7Xw2Lm9Rt4Vb8Nk3Jh6Gf1Dp5Sa0QeB2c4\n",
		"src/config.py":       "API_SECRET = 'Tr0ub4dor&3xQzz'\n",
		".gitleaks.toml": `title = "repo config"
[extend]
useDefault = true

[[rules]]
id = "acme-internal-token"
description = "ACME internal API token"
regex = '''acme_[a-z0-9]{24}'''
keywords = ["acme_"]

[allowlist]
description = "test fixtures"
paths = ['''test/fixtures/c\.env''']
`,
	})
	code, all, errOut := scanJSON(t, "--no-suppress", repo)
	if code != exitFindings || len(all.Findings) != 4 {
		t.Fatalf("--no-suppress: exit %d, %d findings: %+v %s", code, len(all.Findings), all.Findings, errOut)
	}
	// .mcpscanignore: the fingerprint of b.env's password.
	var fp string
	for _, f := range all.Findings {
		if strings.HasSuffix(f.Path, "b.env") {
			fp = f.Fingerprint
		}
	}
	os.WriteFile(filepath.Join(repo, ".mcpscanignore"), []byte("# known test fixture\n"+fp+"\n"), 0o644)
	code, r, _ := scanJSON(t, repo)
	if code != exitFindings || len(r.Findings) != 1 || !strings.HasSuffix(r.Findings[0].Path, "config.py") {
		t.Fatalf("suppressed scan: exit %d %+v", code, r.Findings)
	}
	if r.Stats.SuppressedTotal != 3 || r.Stats.Suppressed["inline-allow"] != 1 || r.Stats.Suppressed["ignore-file"] != 1 ||
		r.Stats.Suppressed["config-allowlist"] != 1 {
		t.Errorf("counts %+v", r.Stats)
	}
	// The ignore entry survives lines inserted above the secret.
	os.WriteFile(filepath.Join(repo, "test/fixtures/b.env"), []byte("# moved\n\n\n\n\nDB_PASSWORD="+dbPassword+"\n"), 0o644)
	if _, r2, _ := scanJSON(t, repo); r2.Stats.Suppressed["ignore-file"] != 1 {
		t.Errorf("ignore entry lost after the secret moved: %+v", r2.Stats)
	}
	// Baseline: the remaining finding is known; a new one is not.
	base := filepath.Join(t.TempDir(), "baseline.json")
	if code, _, errOut := scanJSON(t, "--write-baseline", base, repo); code != exitFindings {
		t.Fatalf("--write-baseline: exit %d %s", code, errOut)
	}
	if st, _ := os.Stat(base); st == nil || st.Mode().Perm() != 0o600 {
		t.Errorf("baseline file mode: %v", st)
	}
	code, r, _ = scanJSON(t, "--baseline", base, repo)
	if code != exitClean || len(r.Findings) != 0 || r.Stats.Suppressed["baseline"] != 1 {
		t.Errorf("with baseline: exit %d %+v %+v", code, r.Findings, r.Stats)
	}
	os.WriteFile(filepath.Join(repo, "src/new.py"), []byte("TOKEN = 'acme_q8zt3lm7vx2nk9rw4jp6hc1f'\n"), 0o644)
	code, r, _ = scanJSON(t, "--baseline", base, repo)
	if code != exitFindings || len(r.Findings) != 1 || r.Findings[0].RuleID != "acme-internal-token" {
		t.Errorf("new finding past the baseline (custom gitleaks rule): exit %d %+v", code, r.Findings)
	}
}

// TestConfigErrors: a config mistake is an error naming file, line and
// key, never a silent fallback.
func TestConfigErrors(t *testing.T) {
	repo := tree(t, map[string]string{
		".mcpscan.toml": "fail_on = \"high\"\n\n[[rules]]\nid = \"x\"\nregex = 'abc'\nkeywrds = [\"abc\"]\n",
		"a.env":         "GITHUB_TOKEN=" + ghToken + "\n",
	})
	code, _, errOut := mcpscan(t, repo)
	if code != exitError || !strings.Contains(errOut, ".mcpscan.toml:6") || !strings.Contains(errOut, "keywrds") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := mcpscan(t, "--no-config", repo); code != exitFindings {
		t.Errorf("--no-config: exit %d", code)
	}
}

// TestConfigFailOn: fail_on in .mcpscan.toml sets the threshold unless the
// flag is given.
func TestConfigFailOn(t *testing.T) {
	repo := tree(t, map[string]string{
		".mcpscan.toml": "fail_on = \"critical\"\n",
		"a.env":         "DB_PASSWORD=" + dbPassword + "\n",
	})
	if code, _, errOut := mcpscan(t, repo); code != exitClean {
		t.Errorf("fail_on critical with a medium finding: exit %d %s", code, errOut)
	}
	if code, _, _ := mcpscan(t, "--fail-on", "low", repo); code != exitFindings {
		t.Errorf("--fail-on low overrides the file: exit %d", code)
	}
}
