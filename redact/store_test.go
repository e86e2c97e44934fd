package redact

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestDefaultStateDir(t *testing.T) {
	abs := filepath.Join(t.TempDir(), "st")
	t.Setenv("XDG_STATE_HOME", abs)
	if d, _ := DefaultStateDir(); d != filepath.Join(abs, "mcpscan", "redact") {
		t.Fatal(d)
	}
	t.Setenv("XDG_STATE_HOME", "relative/not/allowed")
	d, err := DefaultStateDir()
	if err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	want := map[string]string{
		"darwin":  filepath.Join(home, "Library", "Application Support", "mcpscan", "redact"),
		"windows": filepath.Join(os.Getenv("LocalAppData"), "mcpscan", "redact"),
	}[runtime.GOOS]
	if want == "" {
		want = filepath.Join(home, ".local", "state", "mcpscan", "redact")
	}
	if d != want {
		t.Fatalf("%s, want %s", d, want)
	}
}

func TestRunsAndPurgeAll(t *testing.T) {
	h := newHome(t)
	opt := testOptions(t)
	if runs, err := Runs(opt.StateDir); err != nil || len(runs) != 0 {
		t.Fatal(runs, err)
	}
	r1, err := Apply(context.Background(), h.planFor(h.session), opt)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Apply(context.Background(), h.planFor(h.history, h.planMD), opt)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := Runs(opt.StateDir)
	if err != nil || len(runs) != 2 || runs[0].ID != r1.RunID || runs[1].ID != r2.RunID || runs[1].Files != 2 || runs[0].Bytes == 0 {
		t.Fatalf("%+v %v", runs, err)
	}
	if err := Purge(opt.StateDir, "../../etc"); !errors.Is(err, ErrNoRun) {
		t.Fatalf("path traversal: %v", err)
	}
	if err := PurgeAll(opt.StateDir); err != nil {
		t.Fatal(err)
	}
	if runs, _ := Runs(opt.StateDir); len(runs) != 0 {
		t.Fatal(runs)
	}
	if _, err := Undo(context.Background(), r1.RunID, opt); !errors.Is(err, ErrNoRun) {
		t.Fatalf("undo after purge: %v", err)
	}
}

// TestCrashDuringSwap stops a run (a real process exit, no deferred
// cleanup) right after the swap, before and after it records the swap,
// and checks what Undo and Purge then do.
func TestCrashDuringSwap(t *testing.T) {
	for _, mode := range []string{"exchange", "link"} {
		for _, at := range []string{"swap", "record"} {
			t.Run(mode+"-"+at, func(t *testing.T) {
				h := newHome(t)
				orig, _ := os.ReadFile(h.session)
				state := filepath.Join(t.TempDir(), "state")
				cmd := execSelf("TestHelperCrash", "REDACT_CRASH_AT="+at, "REDACT_CRASH_MODE="+mode,
					"REDACT_CRASH_FILE="+h.session, "REDACT_CRASH_STATE="+state, "REDACT_CRASH_SEED=21")
				out, err := cmd.CombinedOutput()
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 7 {
					t.Fatalf("child: %v\n%s", err, out)
				}
				now, _ := os.ReadFile(h.session)
				if bytes.Contains(now, []byte(h.pat)) {
					t.Fatal("the swap should have happened")
				}
				// The original is still next to the file.
				var left []string
				ents, _ := os.ReadDir(filepath.Dir(h.session))
				for _, e := range ents {
					if strings.Contains(e.Name(), ".mcpscan-") {
						left = append(left, e.Name())
						b, _ := os.ReadFile(filepath.Join(filepath.Dir(h.session), e.Name()))
						if !bytes.Equal(b, orig) {
							t.Fatalf("leftover %s is not the original", e.Name())
						}
					}
				}
				if len(left) != 1 {
					t.Fatalf("leftovers %v", left)
				}
				opt := Options{StateDir: state}
				runs, _ := Runs(state)
				if len(runs) != 1 || runs[0].Pending != 1 {
					t.Fatalf("%+v", runs)
				}
				u, err := Undo(context.Background(), "", opt)
				if err != nil {
					t.Fatal(err)
				}
				uf := u.Files[0]
				if at == "record" {
					if uf.Outcome != OutcomeRestored {
						t.Fatalf("%+v", uf)
					}
					if now, _ := os.ReadFile(h.session); !bytes.Equal(now, orig) {
						t.Fatal("not restored")
					}
					assertNoLeftovers(t, h.session)
					return
				}
				if uf.Outcome != OutcomeRefused || !strings.Contains(uf.Reason, "stopped during this file's swap") || !strings.Contains(uf.Reason, left[0]) {
					t.Fatalf("%+v", uf)
				}
				if err := Purge(state, u.RunID); err != nil {
					t.Fatal(err)
				}
				assertNoLeftovers(t, h.session)
			})
		}
	}
}

// TestHelperCrash is not a test: TestCrashDuringSwap runs it in a child
// that exits in the middle of a swap.
func TestHelperCrash(t *testing.T) {
	at := os.Getenv("REDACT_CRASH_AT")
	if at == "" {
		t.Skip("helper process")
	}
	path := os.Getenv("REDACT_CRASH_FILE")
	pat, aws := fakeGitHubPAT(21), fakeAWSKeyID(22)
	fs := &fsys{noExchange: os.Getenv("REDACT_CRASH_MODE") == "link"}
	crash := func(string) { os.Exit(7) }
	if at == "swap" {
		fs.afterSwap = crash
	} else {
		fs.afterRecord = crash
	}
	Apply(context.Background(), Plan{Files: []File{{Path: path, Kind: KindJSONL, Secrets: []Secret{
		{Value: pat, RuleID: "github-pat"}, {Value: aws, RuleID: "aws-access-token"}}}}},
		Options{StateDir: os.Getenv("REDACT_CRASH_STATE"), fs: fs})
	t.Fatal("no crash")
}
