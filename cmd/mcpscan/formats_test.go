package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSARIFAndJSONLRedacted: the formats added for CI and log pipelines
// redact like the others, and show secrets only when asked.
func TestSARIFAndJSONLRedacted(t *testing.T) {
	dir := tree(t, map[string]string{".env": "GITHUB_TOKEN=" + ghToken + "\nDB_PASSWORD=" + dbPassword + "\n"})
	for _, format := range []string{"sarif", "jsonl"} {
		code, out, _ := mcpscan(t, "--format", format, "--sarif-root", dir, dir)
		if code != exitFindings {
			t.Errorf("%s: exit %d", format, code)
		}
		for _, s := range []string{ghToken, dbPassword} {
			if strings.Contains(out, s) {
				t.Errorf("%s report leaks %q", format, s)
			}
		}
		_, out, _ = mcpscan(t, "--format", format, "--show-secrets", dir)
		if !strings.Contains(out, ghToken) {
			t.Errorf("%s report with --show-secrets lacks the secret", format)
		}
	}
}

func TestSARIFFlags(t *testing.T) {
	dir := tree(t, map[string]string{"sub dir/.env": "GITHUB_TOKEN=" + ghToken + "\n"})
	code, out, errOut := mcpscan(t, "--format", "sarif", "--sarif-root", dir, "--sarif-category", "secrets/mcpscan", "--host-id", "ci-runner-3", dir)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var log struct {
		Runs []struct {
			AutomationDetails struct{ ID string } `json:"automationDetails"`
			Invocations       []struct{ Machine string }
			Results           []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.AutomationDetails.ID != "secrets/mcpscan/" {
		t.Errorf("automationDetails.id %q", run.AutomationDetails.ID)
	}
	if run.Invocations[0].Machine != "ci-runner-3" {
		t.Errorf("machine %q", run.Invocations[0].Machine)
	}
	if u := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; u != "sub%20dir/.env" {
		t.Errorf("uri %q, want sub%%20dir/.env", u)
	}
	if errOut != "" {
		t.Errorf("stderr: %q", errOut)
	}

	// Outside the root: a file:// URI and a warning on stderr.
	_, out, errOut = mcpscan(t, "--format", "sarif", "--sarif-root", t.TempDir(), dir)
	if !strings.Contains(out, `"uri": "file:///`) || !strings.Contains(errOut, "outside the SARIF root") {
		t.Errorf("outside the root: stderr %q", errOut)
	}
}

// TestSARIFOutputFile: --output with sarif writes the file, nothing to stdout.
func TestSARIFOutputFile(t *testing.T) {
	dir := tree(t, map[string]string{".env": "GITHUB_TOKEN=" + ghToken + "\n"})
	dest := filepath.Join(t.TempDir(), "mcpscan.sarif")
	code, out, _ := mcpscan(t, "--format", "sarif", "--output", dest, "--sarif-root", dir, dir)
	if code != exitFindings || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	b, err := os.ReadFile(dest)
	if err != nil || !strings.Contains(string(b), `"version": "2.1.0"`) {
		t.Errorf("%s: %v %s", dest, err, b)
	}
}

func TestHostID(t *testing.T) {
	dir := tree(t, map[string]string{".env": "GITHUB_TOKEN=" + ghToken + "\n"})
	host := func(args ...string) (string, bool) {
		_, out, _ := mcpscan(t, append([]string{"--format", "json"}, append(args, dir)...)...)
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		h, ok := doc["host"].(string)
		return h, ok
	}
	if want, err := os.Hostname(); err == nil && want != "" {
		if h, _ := host(); h != want {
			t.Errorf("default host %q, want os.Hostname() %q", h, want)
		}
	}
	if h, _ := host("--host-id", "laptop-42"); h != "laptop-42" {
		t.Errorf("--host-id: host %q", h)
	}
	if h, ok := host("--host-id="); ok {
		t.Errorf(`--host-id "": host %q present`, h)
	}
}

func TestJSONLFormat(t *testing.T) {
	dir := tree(t, map[string]string{".env": "GITHUB_TOKEN=" + ghToken + "\nDB_PASSWORD=" + dbPassword + "\n"})
	code, out, _ := mcpscan(t, "--format", "jsonl", "--host-id", "h1", dir)
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	var types []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m struct{ Type, Host string }
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if m.Host != "h1" {
			t.Errorf("line without host: %s", sc.Text())
		}
		types = append(types, m.Type)
	}
	if strings.Join(types, ",") != "finding,finding,summary" {
		t.Errorf("line types %v", types)
	}
}
