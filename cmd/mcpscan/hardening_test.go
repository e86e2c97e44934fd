package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArchiveBudgetFlags checks --max-archive-bytes: an archive that
// expands past it is reported with the flag's name, and the findings
// read before the limit are kept; with the default, the same archive is
// read to its end.
func TestArchiveBudgetFlags(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pkg.tgz")
	body := tgz(t, map[string]string{
		".env":      "GITHUB_TOKEN=" + ghToken + "\n",
		"notes.txt": strings.Repeat("nothing to see here\n", 20000),
	})
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := mcpscan(t, "--format", "json", "--max-archive-bytes", "64KiB", p)
	r := parseReport(t, out)
	if !r.has(p+"!package/.env", "github-pat") && !strings.Contains(out, "--max-archive-bytes") {
		t.Errorf("want the finding or the limit error:\n%s", out)
	}
	found := false
	for _, e := range r.Errors {
		found = found || strings.Contains(e.Error, "(--max-archive-bytes)")
	}
	if !found {
		t.Errorf("want an error naming --max-archive-bytes:\n%s", out)
	}
	_, out, _ = mcpscan(t, "--format", "json", p)
	if r := parseReport(t, out); len(r.Errors) != 0 || !r.has(p+"!package/.env", "github-pat") {
		t.Errorf("default budget: want the finding and no error:\n%s", out)
	}
	if code, _, errOut := mcpscan(t, "--max-archive-bytes", "lots", p); code != exitError || !strings.Contains(errOut, "not a size") {
		t.Errorf("bad size: exit %d, %q", code, errOut)
	}
}
