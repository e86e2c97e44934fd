package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// home builds a small Claude Code home in a temp dir and returns the
// paths of its files.
type home struct {
	dir                            string
	session, subagent, history     string
	fileHistory, planMD, mcpConfig string
	pat, aws                       string
}

func newHome(t *testing.T) *home {
	t.Helper()
	h := &home{dir: t.TempDir(), pat: fakeGitHubPAT(21), aws: fakeAWSKeyID(22)}
	proj := filepath.Join(h.dir, ".claude", "projects", "-home-dev-acme")
	h.session = filepath.Join(proj, sessionID+".jsonl")
	h.subagent = filepath.Join(proj, sessionID, "subagents", "agent-a2898e3.jsonl")
	h.history = filepath.Join(h.dir, ".claude", "history.jsonl")
	h.fileHistory = filepath.Join(h.dir, ".claude", "file-history", sessionID, "3f2a9c1b7e5d4a60@v2")
	h.planMD = filepath.Join(h.dir, ".claude", "plans", "radiant-floating-music.md")
	h.mcpConfig = filepath.Join(h.dir, ".mcp.json")
	write := func(p, s string, mode os.FileMode) {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(h.session, strings.Join([]string{
		recUserPrompt("u1", "", "deploy with "+h.pat),
		recToolUse("a1", "u1", "toolu_01A", "GH_TOKEN="+h.pat+" gh release create"),
		recToolResult("u2", "a1", "toolu_01A", "AWS_ACCESS_KEY_ID="+h.aws+"\ndone"),
		recBashProgress("p1", "a1", h.aws),
		recReadResult("u3", "u2", "toolu_01B", "/home/dev/acme/.env", "GITHUB_TOKEN="+h.pat+"\nREGION=eu-west-1\n"),
	}, "\n")+"\n", 0o600)
	write(h.subagent, recSubagent("s1", "u2", "a2898e3", "use "+h.pat)+"\n", 0o600)
	write(h.history, recHistory("deploy with "+h.pat)+"\n"+recHistory("/clear")+"\n", 0o600)
	write(h.fileHistory, "GITHUB_TOKEN="+h.pat+"\nREGION=eu-west-1\n", 0o644)
	write(h.planMD, "# Plan\n\n1. Export `AWS_ACCESS_KEY_ID="+h.aws+"`\n2. Deploy\n", 0o644)
	return h
}

func (h *home) planFor(paths ...string) Plan {
	var p Plan
	for _, path := range paths {
		p.Files = append(p.Files, File{Path: path, Kind: KindOf(path), Secrets: []Secret{
			{Value: h.pat, RuleID: "github-pat"}, {Value: h.aws, RuleID: "aws-access-token"}}})
	}
	return p
}

func (h *home) all() []string {
	return []string{h.session, h.subagent, h.history, h.fileHistory, h.planMD}
}

func testOptions(t *testing.T) Options {
	return Options{StateDir: filepath.Join(t.TempDir(), "state"), Settle: 20 * time.Millisecond}
}

func readAll(t *testing.T, paths []string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		m[p] = b
	}
	return m
}

func TestApplyAndUndo(t *testing.T) {
	h := newHome(t)
	opt := testOptions(t)
	old := time.Date(2026, 2, 12, 16, 5, 0, 123456789, time.UTC)
	for _, p := range h.all() {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	before := readAll(t, h.all())
	modes := map[string]os.FileMode{}
	for _, p := range h.all() {
		fi, _ := os.Stat(p)
		modes[p] = fi.Mode()
	}
	res, err := Apply(context.Background(), h.planFor(h.all()...), opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Totals.Changed != 5 || res.Totals.Errors != 0 || len(res.Changed()) != 5 {
		t.Fatalf("%+v", res.Totals)
	}
	after := readAll(t, h.all())
	for _, p := range h.all() {
		if bytes.Contains(after[p], []byte(h.pat)) || bytes.Contains(after[p], []byte(h.aws)) {
			t.Fatalf("%s: secret left", p)
		}
		if bytes.Count(after[p], []byte{'\n'}) != bytes.Count(before[p], []byte{'\n'}) {
			t.Fatalf("%s: line count changed", p)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != modes[p] {
			t.Fatalf("%s: mode %v → %v", p, modes[p], fi.Mode())
		}
		if !fi.ModTime().Equal(old) {
			t.Fatalf("%s: mtime %v, want %v", p, fi.ModTime(), old)
		}
		if KindOf(p) == KindJSONL {
			sameTreeExcept(t, string(before[p]), string(after[p]), []string{h.pat, h.aws})
		}
	}
	// No temp or hold file is left next to the files.
	for _, p := range h.all() {
		ents, _ := os.ReadDir(filepath.Dir(p))
		for _, e := range ents {
			if strings.Contains(e.Name(), ".mcpscan-") {
				t.Fatalf("left %s", e.Name())
			}
		}
	}
	// One id per secret across files; the session has 7 places.
	var patID string
	for _, s := range res.Secrets {
		if s.RuleID == "github-pat" {
			patID = s.ID
			if s.Files != 4 || s.Places != 7 {
				t.Fatalf("pat summary %+v", s)
			}
		}
	}
	for _, p := range []string{h.session, h.history, h.fileHistory, h.subagent} {
		if !bytes.Contains(after[p], []byte("[REDACTED:github-pat:"+patID+"]")) {
			t.Fatalf("%s: no marker with id %s", p, patID)
		}
	}
	// The store: private, a manifest without secrets, backups equal to the
	// originals.
	checkStore(t, res, h, before)

	// The JSON result holds no secret either.
	js, _ := json.Marshal(res)
	if bytes.Contains(js, []byte(h.pat)) || bytes.Contains(js, []byte(h.aws)) {
		t.Fatal("secret in result")
	}

	// Undo restores byte for byte, with mode and mtime.
	u, err := Undo(context.Background(), "", opt)
	if err != nil {
		t.Fatal(err)
	}
	if u.RunID != res.RunID || len(u.Files) != 5 {
		t.Fatalf("%+v", u)
	}
	for _, f := range u.Files {
		if f.Outcome != OutcomeRestored {
			t.Fatalf("%+v", f)
		}
	}
	restored := readAll(t, h.all())
	for _, p := range h.all() {
		if !bytes.Equal(restored[p], before[p]) {
			t.Fatalf("%s: not restored", p)
		}
		fi, _ := os.Stat(p)
		if fi.Mode() != modes[p] || !fi.ModTime().Equal(old) {
			t.Fatalf("%s: metadata %v %v", p, fi.Mode(), fi.ModTime())
		}
	}
	// Nothing left to undo.
	if _, err := Undo(context.Background(), "", opt); !errors.Is(err, ErrNoRun) {
		t.Fatalf("second undo: %v", err)
	}
	// Purge removes the run.
	if err := Purge(opt.StateDir, res.RunID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(res.BackupDir); !os.IsNotExist(err) {
		t.Fatal("run dir left")
	}
}

func checkStore(t *testing.T, res *Result, h *home, before map[string][]byte) {
	t.Helper()
	if runtime.GOOS != "windows" {
		for _, d := range []string{filepath.Dir(res.BackupDir), res.BackupDir, filepath.Join(res.BackupDir, "files")} {
			fi, err := os.Stat(d)
			if err != nil || fi.Mode().Perm() != 0o700 {
				t.Fatalf("%s: %v %v", d, fi.Mode(), err)
			}
		}
	}
	mb, err := os.ReadFile(filepath.Join(res.BackupDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(mb, []byte(h.pat)) || bytes.Contains(mb, []byte(h.aws)) {
		t.Fatal("secret in manifest")
	}
	var man Manifest
	if err := json.Unmarshal(mb, &man); err != nil {
		t.Fatal(err)
	}
	if man.RunID != res.RunID || len(man.Files) != len(res.Files) || len(man.Secrets) != 2 {
		t.Fatalf("manifest %+v", man)
	}
	for _, f := range man.Files {
		if f.State != StateDone || f.Temp != "" || f.Hold != "" || len(f.Secrets) == 0 {
			t.Fatalf("record %+v", f)
		}
		bp := filepath.Join(res.BackupDir, f.Backup)
		b, err := os.ReadFile(bp)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, before[f.Path]) {
			t.Fatalf("%s: backup differs", f.Path)
		}
		if fi, _ := os.Stat(bp); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Fatalf("backup mode %v", fi.Mode())
		}
	}
}
