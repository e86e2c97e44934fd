package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestSharedSamplesClean scans the real, public, non-secret agent
// transcripts kept beside the project (../shared/samples from the
// repository root, or $MCPSCAN_SHARED_SAMPLES) end to end: they hold no
// credential, so every secret finding is a false positive. The test skips
// when the directory is absent (users clone the project alone).
func TestSharedSamplesClean(t *testing.T) {
	dir := os.Getenv("MCPSCAN_SHARED_SAMPLES")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "samples")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("no shared samples at %s (set MCPSCAN_SHARED_SAMPLES to run this test)", dir)
	}
	_, out, errOut := mcpscan(t, "--format", "json", "--show-secrets", dir)
	var rep struct {
		Findings []reportFinding `json:"findings"`
		Stats    struct {
			FilesScanned int `json:"files_scanned"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, errOut)
	}
	if rep.Stats.FilesScanned == 0 {
		t.Fatalf("no file scanned under %s: %s", dir, errOut)
	}
	for _, f := range rep.Findings {
		if f.Kind == "secret" || f.Kind == "hardcoded-credential" {
			t.Errorf("%s:%d: %s reported %q", f.Path, f.Line, f.RuleID, f.Secret)
		}
	}
	t.Logf("%d files, %d findings", rep.Stats.FilesScanned, len(rep.Findings))
}
