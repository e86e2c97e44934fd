package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// copyTree copies the demo home to a temp dir.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// snapshot reads every file below dir.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			out[p] = b
		}
		return nil
	})
	return out
}

var markerRe = regexp.MustCompile(`\[REDACTED:[a-z0-9-]+:[A-Za-z0-9_-]+\]`)

// TestRedactDemoHome: `mcpscan redact --yes` on a real-shaped home leaves
// no credential finding in transcripts, history, file-history, plans and
// memory files; every JSONL line still parses to the same structure with
// only secret strings changed; configs keep their literals (no
// --configs); and --undo restores every file byte for byte.
func TestRedactDemoHome(t *testing.T) {
	home := copyTree(t, fixtureHome)
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	before := snapshot(t, home)

	code, out, errOut := mcpscan(t, "redact", "--dry-run", home)
	if code != exitClean || !strings.Contains(out, "would replace") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	if !reflect.DeepEqual(before, snapshot(t, home)) {
		t.Fatal("--dry-run changed files")
	}
	// Without a terminal and without --yes, redact refuses.
	if code, _, errOut := mcpscan(t, "redact", home); code != exitError || !strings.Contains(errOut, "--yes") {
		t.Fatalf("no --yes: exit %d %s", code, errOut)
	}

	code, out, errOut = mcpscan(t, "redact", "--yes", "--format", "json", home)
	if code != exitClean {
		t.Fatalf("redact: exit %d\n%s\n%s", code, out, errOut)
	}
	var res struct {
		RunID     string            `json:"run_id"`
		Remaining []json.RawMessage `json:"remaining"`
		Files     []struct {
			Path    string `json:"path"`
			Outcome string `json:"outcome"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.RunID == "" || len(res.Remaining) != 0 {
		t.Fatalf("run %q, remaining %d", res.RunID, len(res.Remaining))
	}
	if strings.Contains(out, "ghp_") && strings.Contains(out, "sk_live") {
		t.Errorf("the redact report shows secrets")
	}

	// No credential left where redact works; configs untouched.
	_, rep, _ := scanTrust(t, home)
	for _, f := range rep.Findings {
		rel, _ := filepath.Rel(home, f.Path)
		agentStore := strings.Contains(rel, ".claude/projects/") || strings.HasSuffix(rel, "history.jsonl") ||
			strings.Contains(rel, "file-history") || strings.Contains(rel, "plans/") || strings.HasSuffix(rel, "CLAUDE.md")
		if agentStore {
			t.Errorf("after redact: %s in %s:%d", f.RuleID, rel, f.Line)
		}
	}
	after := snapshot(t, home)
	for p, b := range before {
		a := after[p]
		rel, _ := filepath.Rel(home, p)
		switch {
		case strings.HasSuffix(p, ".claude.json") || strings.HasSuffix(p, "config.toml") || strings.HasSuffix(p, ".mcp.json"):
			if !bytes.Equal(a, b) {
				t.Errorf("%s: a config changed without --configs", rel)
			}
		case strings.HasSuffix(p, ".jsonl"):
			checkJSONLShape(t, rel, b, a)
		}
		if bytes.Count(a, []byte("\n")) != bytes.Count(b, []byte("\n")) {
			t.Errorf("%s: line count changed", rel)
		}
	}

	// Undo: byte for byte.
	code, out, errOut = mcpscan(t, "redact", "--undo")
	if code != exitClean {
		t.Fatalf("undo: exit %d\n%s\n%s", code, out, errOut)
	}
	if !reflect.DeepEqual(before, snapshot(t, home)) {
		t.Error("--undo did not restore every file byte for byte")
	}
	// Purge: the backups are gone.
	if code, _, errOut := mcpscan(t, "redact", "--purge-backups", "--yes"); code != exitClean {
		t.Fatalf("purge: exit %d %s", code, errOut)
	}
	left := 0
	_ = filepath.WalkDir(state, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(p, "/files/") {
			left++
		}
		return nil
	})
	if left != 0 {
		t.Errorf("%d backup files left after --purge-backups", left)
	}
}

// checkJSONLShape: every line parses before and after to the same tree,
// where a string may differ only by markers in place of secrets.
func checkJSONLShape(t *testing.T, rel string, before, after []byte) {
	t.Helper()
	bl, al := bytes.Split(before, []byte("\n")), bytes.Split(after, []byte("\n"))
	if len(bl) != len(al) {
		t.Errorf("%s: %d lines became %d", rel, len(bl), len(al))
		return
	}
	for i := range bl {
		var x, y any
		if json.Unmarshal(bl[i], &x) != nil {
			continue // not JSON before (a truncated record): not held to shape
		}
		if err := json.Unmarshal(al[i], &y); err != nil {
			t.Errorf("%s:%d no longer parses: %v", rel, i+1, err)
			continue
		}
		if !sameShape(x, y) {
			t.Errorf("%s:%d changed structure", rel, i+1)
		}
	}
}

func sameShape(x, y any) bool {
	switch a := x.(type) {
	case map[string]any:
		b, ok := y.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok {
				// a key that was a secret becomes a marker
				found := false
				for k2, w2 := range b {
					if _, had := a[k2]; !had && markerRe.MatchString(k2) {
						found, w = true, w2
					}
				}
				if !found {
					return false
				}
			}
			if !sameShape(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := y.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !sameShape(a[i], b[i]) {
				return false
			}
		}
		return true
	case string:
		b, ok := y.(string)
		return ok && (a == b || markerRe.MatchString(b))
	default:
		return reflect.DeepEqual(x, y)
	}
}
