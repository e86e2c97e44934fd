package redact

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// failAfter accepts limit bytes, then fails like a full disk.
type failAfter struct {
	w     io.Writer
	limit int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) <= f.limit {
		f.limit -= len(p)
		return f.w.Write(p)
	}
	n, _ := f.w.Write(p[:f.limit])
	f.limit = 0
	return n, &os.PathError{Op: "write", Path: "(test)", Err: syscall.ENOSPC}
}

// fileNamed reports whether w is an *os.File whose name contains s.
func fileNamed(w io.Writer, s string) bool {
	f, ok := w.(*os.File)
	return ok && strings.Contains(f.Name(), s)
}

func checkUntouched(t *testing.T, h *home, before map[string][]byte) {
	t.Helper()
	for p, b := range before {
		now, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(now, b) {
			t.Fatalf("%s changed", p)
		}
		assertNoLeftovers(t, p)
	}
}

func TestDiskFull(t *testing.T) {
	cases := map[string]func(*fsys){
		"new content": func(f *fsys) {
			f.wrapTemp = func(w io.Writer) io.Writer { return &failAfter{w: w, limit: 700} }
		},
		"backup": func(f *fsys) {
			f.wrapBackup = func(w io.Writer) io.Writer {
				if fileNamed(w, "files") {
					return &failAfter{w: w, limit: 300}
				}
				return w
			}
		},
	}
	for name, set := range cases {
		t.Run(name, func(t *testing.T) {
			h := newHome(t)
			before := readAll(t, h.all())
			opt := testOptions(t)
			opt.fs = &fsys{}
			set(opt.fs)
			res, err := Apply(context.Background(), h.planFor(h.all()...), opt)
			if err != nil {
				t.Fatal(err)
			}
			errs := 0
			for _, f := range res.Files {
				if f.Outcome == OutcomeError {
					errs++
					if !strings.Contains(f.Reason, "no space left") {
						t.Fatalf("reason: %s", f.Reason)
					}
				} else if f.Outcome != OutcomeChanged {
					t.Fatalf("%+v", f)
				}
			}
			if errs == 0 {
				t.Fatal("no file hit the full disk")
			}
			// The files that failed are byte for byte the originals; none
			// of their backups is kept, and the manifest has no done record
			// for them.
			man := readManifest(t, res.BackupDir)
			for _, f := range res.Files {
				if f.Outcome != OutcomeError {
					continue
				}
				now, _ := os.ReadFile(f.Path)
				if !bytes.Equal(now, before[f.Path]) {
					t.Fatalf("%s changed", f.Path)
				}
				assertNoLeftovers(t, f.Path)
				for _, r := range man.Files {
					if r.Path == f.Path && r.State != StateRolledBack {
						t.Fatalf("record %+v", r)
					}
				}
			}
			ents, _ := os.ReadDir(filepath.Join(res.BackupDir, "files"))
			if len(ents) != res.Totals.Changed {
				t.Fatalf("%d backups for %d changed files", len(ents), res.Totals.Changed)
			}
		})
	}
}

func TestStoreFullFailsBeforeAnyChange(t *testing.T) {
	h := newHome(t)
	before := readAll(t, h.all())
	opt := testOptions(t)
	opt.fs = &fsys{wrapBackup: func(w io.Writer) io.Writer { return &failAfter{w: w, limit: 10} }}
	if _, err := Apply(context.Background(), h.planFor(h.all()...), opt); err == nil || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err %v", err)
	}
	checkUntouched(t, h, before)
}

func TestPermissionDeniedFile(t *testing.T) {
	if !unprivileged(t) {
		return
	}
	h := newHome(t)
	if err := os.Chmod(h.history, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(h.history, 0o600) })
	others := []string{h.session, h.subagent, h.fileHistory, h.planMD}
	res, err := Apply(context.Background(), h.planFor(append(others, h.history)...), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		if f.Path == h.history {
			if f.Outcome != OutcomeError || !strings.Contains(f.Reason, "permission denied") {
				t.Fatalf("%+v", f)
			}
		} else if f.Outcome != OutcomeChanged {
			t.Fatalf("the other files go on: %+v", f)
		}
	}
	os.Chmod(h.history, 0o600)
	if b, _ := os.ReadFile(h.history); !bytes.Contains(b, []byte(h.pat)) {
		t.Fatal("denied file changed")
	}
}

func TestReadOnlyDirectory(t *testing.T) {
	if !unprivileged(t) {
		return
	}
	h := newHome(t)
	before := readAll(t, []string{h.fileHistory})
	dir := filepath.Dir(h.fileHistory)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	res, err := Apply(context.Background(), h.planFor(h.fileHistory, h.history), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Files[0]; f.Outcome != OutcomeError || !strings.Contains(f.Reason, "directory") || !strings.Contains(f.Reason, "permission denied") {
		t.Fatalf("%+v", f)
	}
	if res.Files[1].Outcome != OutcomeChanged {
		t.Fatalf("%+v", res.Files[1])
	}
	checkUntouched(t, h, before)
}

func TestReadOnlyFileIsRedactedAndStaysReadOnly(t *testing.T) {
	if !unprivileged(t) {
		return
	}
	h := newHome(t)
	os.Chmod(h.planMD, 0o444)
	res, err := Apply(context.Background(), h.planFor(h.planMD), testOptions(t))
	if err != nil || res.Files[0].Outcome != OutcomeChanged {
		t.Fatal(err, res.Files)
	}
	fi, _ := os.Stat(h.planMD)
	if fi.Mode().Perm() != 0o444 {
		t.Fatalf("mode %v", fi.Mode())
	}
}

func TestOwnerKept(t *testing.T) {
	if os.Geteuid() != 0 || runtime.GOOS == "windows" {
		t.Skip("needs root to give a file another owner")
	}
	h := newHome(t)
	if err := os.Chown(h.session, 1234, 4321); err != nil {
		t.Fatal(err)
	}
	res, err := Apply(context.Background(), h.planFor(h.session), testOptions(t))
	if err != nil || res.Files[0].Outcome != OutcomeChanged {
		t.Fatal(err, res.Files)
	}
	fi, _ := os.Stat(h.session)
	if m := metaOf(fi); m.uid != 1234 || m.gid != 4321 {
		t.Fatalf("owner %d:%d", m.uid, m.gid)
	}
}

func TestOddFiles(t *testing.T) {
	h := newHome(t)
	opt := testOptions(t)
	// A symbolic link: the file it names is rewritten, the link kept.
	link := filepath.Join(h.dir, "history-link.jsonl")
	if err := os.Symlink(h.history, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	// A file with two names: refused.
	twin := h.fileHistory + ".twin"
	if err := os.Link(h.fileHistory, twin); err != nil {
		t.Skip("no hard links:", err)
	}
	missing := filepath.Join(h.dir, "gone.jsonl")
	res, err := Apply(context.Background(), h.planFor(link, h.fileHistory, missing, h.dir), opt)
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Files[0]; f.Outcome != OutcomeChanged || f.Target != h.history {
		t.Fatalf("%+v", f)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("link replaced")
	}
	if b, _ := os.ReadFile(h.history); bytes.Contains(b, []byte(h.pat)) {
		t.Fatal("target not redacted")
	}
	if f := res.Files[1]; f.Outcome != OutcomeError || !strings.Contains(f.Reason, "hard links") {
		t.Fatalf("%+v", f)
	}
	if f := res.Files[2]; f.Outcome != OutcomeError || !strings.Contains(f.Reason, "no such file") {
		t.Fatalf("%+v", f)
	}
	if f := res.Files[3]; f.Outcome != OutcomeError || !strings.Contains(f.Reason, "not a regular file") {
		t.Fatalf("%+v", f)
	}
}

func TestLineTooLongLeavesFile(t *testing.T) {
	h := newHome(t)
	before := readAll(t, []string{h.session})
	opt := testOptions(t)
	opt.MaxLineBytes = 200
	res, err := Apply(context.Background(), h.planFor(h.session), opt)
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Files[0]; f.Outcome != OutcomeError || !strings.Contains(f.Reason, "longer than 200 bytes") {
		t.Fatalf("%+v", f)
	}
	checkUntouched(t, h, before)
}

func TestDryRunAndNoBackup(t *testing.T) {
	h := newHome(t)
	before := readAll(t, h.all())
	opt := testOptions(t)
	opt.DryRun = true
	res, err := Apply(context.Background(), h.planFor(append(h.all(), h.mcpConfigWithout(t))...), opt)
	if err != nil {
		t.Fatal(err)
	}
	checkUntouched(t, h, before)
	if _, err := os.Stat(opt.StateDir); !os.IsNotExist(err) {
		t.Fatal("a dry run must not create the store")
	}
	if res.RunID != "" || res.Totals.Changed != 5 || res.Totals.Unchanged != 1 || res.Files[0].Outcome != OutcomeWouldChange || res.Files[0].Places != 8 {
		t.Fatalf("%+v %+v", res.Totals, res.Files[0])
	}
	opt.DryRun, opt.NoBackup = false, true
	res, err = Apply(context.Background(), h.planFor(h.all()...), opt)
	if err != nil || res.Totals.Changed != 5 || res.BackupDir != "" {
		t.Fatal(err, res)
	}
	if _, err := os.Stat(opt.StateDir); !os.IsNotExist(err) {
		t.Fatal("no-backup must not create the store")
	}
}

// mcpConfigWithout writes an .mcp.json holding no secret of the plan.
func (h *home) mcpConfigWithout(t *testing.T) string {
	os.WriteFile(h.mcpConfig, []byte(`{"mcpServers":{"github":{"command":"npx","env":{"GITHUB_TOKEN":"${GITHUB_TOKEN}"}}}}`+"\n"), 0o600)
	return h.mcpConfig
}

func TestJSONDocument(t *testing.T) {
	h := newHome(t)
	body := "{\n  \"mcpServers\": {\n    \"github\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"],\n      \"env\": {\"GITHUB_PERSONAL_ACCESS_TOKEN\": \"" + h.pat + "\"}\n    }\n  }\n}\n"
	os.WriteFile(h.mcpConfig, []byte(body), 0o600)
	res, err := Apply(context.Background(), h.planFor(h.mcpConfig), testOptions(t))
	if err != nil || res.Files[0].Outcome != OutcomeChanged {
		t.Fatal(err, res.Files)
	}
	now, _ := os.ReadFile(h.mcpConfig)
	want := strings.Replace(body, h.pat, "[REDACTED:github-pat:"+res.Files[0].Secrets[0].ID+"]", 1)
	if string(now) != want {
		t.Fatalf("got\n%s", now)
	}
}

func TestInvalidPlanAndCancel(t *testing.T) {
	h := newHome(t)
	before := readAll(t, h.all())
	_, err := Apply(context.Background(), Plan{Files: []File{{Path: h.session, Kind: KindJSONL, Secrets: []Secret{{Value: "abc", RuleID: "x"}}}}}, testOptions(t))
	if !errors.Is(err, ErrInvalidPlan) {
		t.Fatalf("err %v", err)
	}
	_, err = Apply(context.Background(), Plan{Files: []File{
		{Path: h.session, Kind: KindJSONL, Secrets: []Secret{{Value: h.pat, RuleID: "x", ID: "a"}}},
		{Path: h.history, Kind: KindJSONL, Secrets: []Secret{{Value: h.pat, RuleID: "x", ID: "b"}}}}}, testOptions(t))
	if !errors.Is(err, ErrInvalidPlan) {
		t.Fatalf("err %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Apply(ctx, h.planFor(h.all()...), testOptions(t))
	if !errors.Is(err, context.Canceled) || res.Totals.Errors != 5 {
		t.Fatalf("%v %+v", err, res.Totals)
	}
	checkUntouched(t, h, before)
}

func TestOpenWriterLeavesFileAlone(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("open-writer detection is tested on Linux")
	}
	h := newHome(t)
	holder := startHolder(t, h.session)
	res, err := Apply(context.Background(), h.planFor(h.session), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Files[0]; f.Outcome != OutcomeSkippedActive || !strings.Contains(f.Reason, "open for writing by") || !strings.Contains(f.Reason, "pid") {
		t.Fatalf("%+v", f)
	}
	holder()
	res, err = Apply(context.Background(), h.planFor(h.session), testOptions(t))
	if err != nil || res.Files[0].Outcome != OutcomeChanged {
		t.Fatal(err, res.Files[0])
	}
}

// startHolder runs a child process that holds path open for appending,
// and returns a function that ends it.
func startHolder(t *testing.T, path string) func() {
	t.Helper()
	cmd := execSelf("TestHelperHoldOpen", "REDACT_HOLD_OPEN="+path)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _ := stdout.Read(buf)
	if !strings.Contains(string(buf[:n]), "ready") {
		t.Fatalf("holder: %q", buf[:n])
	}
	done := false
	stop := func() {
		if !done {
			done = true
			stdin.Close()
			cmd.Wait()
		}
	}
	t.Cleanup(stop)
	return stop
}

// TestHelperHoldOpen is not a test: startHolder runs it in a child.
func TestHelperHoldOpen(t *testing.T) {
	path := os.Getenv("REDACT_HOLD_OPEN")
	if path == "" {
		t.Skip("helper process")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	os.Stdout.WriteString("ready\n")
	io.Copy(io.Discard, os.Stdin)
	time.Sleep(0)
}

func TestConfigReplacement(t *testing.T) {
	h := newHome(t)
	body := `{"mcpServers":{"github":{"command":"npx","env":{"GITHUB_PERSONAL_ACCESS_TOKEN":"` + h.pat + `"}}}}` + "\n"
	os.WriteFile(h.mcpConfig, []byte(body), 0o600)
	plan := Plan{Files: []File{
		{Path: h.mcpConfig, Kind: KindJSON, Secrets: []Secret{{Value: h.pat, RuleID: "github-pat", Replacement: "${GITHUB_PERSONAL_ACCESS_TOKEN}"}}},
		{Path: h.history, Kind: KindJSONL, Secrets: []Secret{{Value: h.pat, RuleID: "github-pat"}}},
	}}
	res, err := Apply(context.Background(), plan, testOptions(t))
	if err != nil || res.Totals.Changed != 2 {
		t.Fatal(err, res)
	}
	now, _ := os.ReadFile(h.mcpConfig)
	if string(now) != strings.Replace(body, h.pat, "${GITHUB_PERSONAL_ACCESS_TOKEN}", 1) {
		t.Fatalf("%s", now)
	}
	// Elsewhere the same secret gets its marker.
	if b, _ := os.ReadFile(h.history); !bytes.Contains(b, []byte("[REDACTED:github-pat:"+res.Secrets[0].ID+"]")) {
		t.Fatalf("%s", b)
	}
	plan.Files[0].Secrets[0].Replacement = `"broken"`
	if _, err := Apply(context.Background(), plan, testOptions(t)); !errors.Is(err, ErrInvalidPlan) {
		t.Fatal(err)
	}
}
