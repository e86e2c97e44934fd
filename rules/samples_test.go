package rules_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// sharedSamples returns the directory of real, public, non-secret agent
// transcripts kept beside the project (../shared/samples from the
// repository root), or $MCPSCAN_SHARED_SAMPLES when set (for a worktree
// elsewhere), skipping the test when there is none: users clone the
// project alone, and its tests never depend on that directory.
func sharedSamples(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("MCPSCAN_SHARED_SAMPLES")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "samples")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("no shared samples at %s (set MCPSCAN_SHARED_SAMPLES to run this test)", dir)
	}
	return dir
}

// TestSharedSamplesHaveNoFindings: the shared samples hold no secret, so
// every finding of every pattern rule there is a false positive. Each file
// is scanned as text, and JSON and JSON Lines files also in JSON mode.
func TestSharedSamplesHaveNoFindings(t *testing.T) {
	dir := sharedSamples(t)
	e := match.NewEngine(rules.Default())
	files, findings := 0, 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		modes := []match.Mode{match.Text}
		if strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".jsonl") {
			modes = append(modes, match.JSON)
		}
		for _, mode := range modes {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			_, err = e.NewScanner().Scan(f, match.Options{Mode: mode, Path: filepath.ToSlash(p)}, func(h *match.Hit) error {
				findings++
				t.Errorf("%s:%d: %s reported %q (mode %d)", p, h.Line, h.Rule.ID, clip(h.Secret), mode)
				return nil
			})
			f.Close()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatalf("no files under %s", dir)
	}
	t.Logf("%d files under %s, %d findings", files, dir, findings)
}
