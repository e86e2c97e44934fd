package scanner_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/mcpscan/mcpscan/internal/testkit"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
)

// Format-valid test credentials, randomly generated, never live.
const (
	ghToken    = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"
	bearerTok  = "Kp9Lm2Xq7Rt4Vw8Nb3Jh6Gf1Dz5Sa0Qe"
	apiValue   = "Zq7Xw2Lm9Rt4Vb8Nk3Jh6Gf1Dp5Sa0Qe"
	dbPassword = "wK8#pL2vQ9xR"
)

var write = testkit.Write

func run(t *testing.T, opt scanner.Options, roots ...scanner.Root) *scanner.Result {
	t.Helper()
	eng := scanner.New(rules.Default(), sources.Default(), opt)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := eng.Collect(ctx, roots)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestMissingRoots(t *testing.T) {
	eng := scanner.New(rules.Default(), sources.Default(), scanner.Options{})
	_, err := eng.Collect(context.Background(), []scanner.Root{{Path: filepath.Join(t.TempDir(), "nope")}})
	if !errors.Is(err, scanner.ErrMissingRoot) {
		t.Fatalf("named missing root: err = %v", err)
	}
	res, err := eng.Collect(context.Background(), []scanner.Root{{Path: filepath.Join(t.TempDir(), "nope"), Optional: true}})
	if err != nil || len(res.Errors) != 0 || res.Stats.FilesScanned != 0 {
		t.Fatalf("optional missing root: %v %+v", err, res)
	}
}

func TestSourceKinds(t *testing.T) {
	home := t.TempDir()
	session := `{"type":"user","sessionId":"s1","cwd":"/home/a/web","timestamp":"2026-02-12T16:02:30.658Z","message":{"role":"user","content":"my token is ` + ghToken + `"}}` + "\n"
	files := map[string]string{
		".claude/projects/-home-a-web/s1.jsonl":                    "claude-transcript",
		".claude/projects/-home-a-web/s1/subagents/agent-a1.jsonl": "claude-transcript",
		".claude/history.jsonl":                                    "agent-history",
		".claude/settings.local.json":                              "agent-settings",
		".claude.json":                                             "mcp-config",
		"code/web/.mcp.json":                                       "mcp-config",
		"code/web/CLAUDE.md":                                       "memory",
		".claude/plans/plan.md":                                    "memory",
		".claude/file-history/s1/0123456789abcdef@v1":              "file-history",
		"code/web/.env":                                            "file",
		"other.jsonl":                                              "jsonl",
	}
	for rel := range files {
		content := "GITHUB_TOKEN=" + ghToken + "\n"
		switch {
		case strings.HasSuffix(rel, ".jsonl"):
			content = session
		case strings.HasSuffix(rel, ".json"):
			content = `{"env": {"GITHUB_TOKEN": "` + ghToken + `"}}`
		}
		write(t, home, rel, content)
	}
	res := run(t, scanner.Options{}, scanner.Root{Path: home})
	got := map[string]string{}
	for _, f := range res.Findings {
		rel, _ := filepath.Rel(home, f.Path())
		got[filepath.ToSlash(rel)] = f.Source.Name
		if f.RuleID != "github-pat" {
			t.Errorf("%s: rule %s", rel, f.RuleID)
		}
	}
	for rel, want := range files {
		if got[rel] != want {
			t.Errorf("%s: source %q, want %q", rel, got[rel], want)
		}
	}
	if len(res.Findings) != len(files) {
		t.Errorf("%d findings for %d files", len(res.Findings), len(files))
	}
}

func TestBadInputs(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "bin.dat", "\x00\x01\x02 token="+ghToken)
	write(t, dir, "ok.txt", "token "+ghToken+"\n")
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "live.jsonl", `{"type":"user","message":{"content":"x"}}`+"\n"+`not json`+"\n"+`{"type":"user","message":{"content":"partial`)

	for _, follow := range []bool{false, true} {
		res := run(t, scanner.Options{FollowSymlinks: follow}, scanner.Root{Path: dir})
		if len(res.Findings) != 1 {
			t.Errorf("follow=%v: %d findings, want 1 (ok.txt): %+v", follow, len(res.Findings), res.Findings)
		}
		if res.Stats.SkippedBy[scanner.SkipBinary] != 1 || res.Stats.SkippedBy[scanner.SkipSpecial] != 1 {
			t.Errorf("follow=%v: skipped %v", follow, res.Stats.SkippedBy)
		}
		errs := map[string]string{}
		for _, e := range res.Errors {
			errs[filepath.Base(e.Path)+":"+itoa(e.Line)] = e.Error
		}
		if !strings.Contains(errs["live.jsonl:2"], "malformed") || !strings.Contains(errs["live.jsonl:3"], "truncated last record") {
			t.Errorf("follow=%v: jsonl problems %v", follow, errs)
		}
		if follow {
			if !strings.Contains(errs["loop:0"], "symlink loop") || errs["dangling:0"] == "" {
				t.Errorf("follow: link errors %v", errs)
			}
		} else if res.Stats.SkippedBy[scanner.SkipSymlink] != 2 {
			t.Errorf("no follow: skipped %v", res.Stats.SkippedBy)
		}
	}
}

func TestPermissionDenied(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("permissions are not enforced for root or on Windows")
	}
	dir := t.TempDir()
	p := write(t, dir, "secret.txt", "token "+ghToken)
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	res := run(t, scanner.Options{}, scanner.Root{Path: dir})
	if len(res.Errors) != 1 || res.Errors[0].Error != "permission denied" {
		t.Fatalf("errors %+v", res.Errors)
	}
}

func TestTranscriptContextAndDedupe(t *testing.T) {
	home := t.TempDir()
	rel := ".claude/projects/-home-a-web/11111111-2222-3333-4444-555555555555.jsonl"
	lines := []string{
		`{"parentUuid":null,"cwd":"/home/a/web","sessionId":"11111111-2222-3333-4444-555555555555","type":"assistant","message":{"id":"msg_01PdWvcjJ6E9BgscDveYt9YV","role":"assistant","content":[{"type":"thinking","thinking":"ok","signature":"EqQBCkYIBxgCKkBq7Xw2Lm9Rt4Vb8Nk3Jh6Gf1Dp5Sa0QeAKIAZ7XW2LM9RT4VB8NK3"},{"type":"tool_use","id":"toolu_01UwLnYYWGBvukzh1QE6JpfM","name":"Bash","input":{"command":"export API_KEY=\"` + apiValue + `\" && curl -H \"Authorization: Bearer ` + bearerTok + `\" https://api.acme.dev"}}]},"uuid":"a1","timestamp":"2026-02-12T16:02:29.111Z"}`,
		`{"parentUuid":"a1","cwd":"/home/a/web","sessionId":"11111111-2222-3333-4444-555555555555","type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_01UwLnYYWGBvukzh1QE6JpfM","type":"tool_result","content":"NODE_ENV=dev\nDB_PASSWORD=` + dbPassword + `\nPORT=3000\n","is_error":false}]},"uuid":"a2","timestamp":"2026-02-12T16:02:30.658Z","toolUseResult":{"stdout":"NODE_ENV=dev\nDB_PASSWORD=` + dbPassword + `\nPORT=3000\n","stderr":"","interrupted":false,"isImage":false}}`,
	}
	p := write(t, home, rel, strings.Join(lines, "\n")+"\n")
	res := run(t, scanner.Options{}, scanner.Root{Path: home})
	bySecret := map[string]scanner.Finding{}
	for _, f := range res.Findings {
		for _, s := range []string{apiValue, dbPassword, bearerTok} {
			if f.Secret.EqualString(s) {
				bySecret[s] = f
			}
		}
	}
	if len(res.Findings) != 3 {
		t.Fatalf("%d findings: %+v", len(res.Findings), res.Findings)
	}
	api := bySecret[apiValue]
	c := api.Context
	if api.Line != 1 || c.Get("tool") != "Bash" || api.Field != "message.content[1].input.command" ||
		c.Get("session_id") != "11111111-2222-3333-4444-555555555555" || c.Get("project") != "/home/a/web" ||
		c.Get("record_type") != "assistant" || c.Get("timestamp") != "2026-02-12T16:02:29.111Z" {
		t.Errorf("API_KEY finding: %+v %+v", api, api.Context)
	}
	raw, _ := os.ReadFile(p)
	if string(raw[api.Offset:api.Offset+int64(len(apiValue))]) != apiValue {
		t.Errorf("offset %d does not point at the secret", api.Offset)
	}
	pw := bySecret[dbPassword]
	if pw.Line != 2 || pw.Context.Get("tool") != "Bash" || pw.Field != "message.content[0].content" ||
		len(pw.AlsoIn) != 1 || pw.AlsoIn[0] != "toolUseResult.stdout" {
		t.Errorf("DB_PASSWORD finding: %+v %+v", pw, pw.Context)
	}
	if bySecret[bearerTok].RuleID == "" {
		t.Errorf("bearer token not found")
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// TestParallelTranscriptScan: a transcript split across idle CPUs
// (ScanAt, here at 4 segments: one file, a budget of 4) gives the same
// findings, lines, columns and contexts as a sequential scan (a budget of
// 1), and still reports malformed records.
func TestParallelTranscriptScan(t *testing.T) {
	home := t.TempDir()
	var b strings.Builder
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, `{"type":"user","sessionId":"s1","cwd":"/home/a/web","timestamp":"2026-02-12T16:02:30.658Z","message":{"role":"user","content":"line %d é token pad pad pad pad"}}`+"\n", i)
		if i%700 == 3 {
			fmt.Fprintf(&b, `{"type":"user","sessionId":"s1","message":{"role":"user","content":"export API_KEY=\"%s%04d\""}}`+"\n", apiValue[:28], i)
		}
	}
	b.WriteString(`{"type":"user","truncated`)
	write(t, home, ".claude/projects/-home-a-web/s1.jsonl", b.String())
	seq := run(t, scanner.Options{Workers: 1, ParallelMin: 1}, scanner.Root{Path: home})
	par := run(t, scanner.Options{Workers: 4, ParallelMin: 1}, scanner.Root{Path: home})
	if par.Stats.SplitFiles != 1 || seq.Stats.SplitFiles != 0 {
		t.Fatalf("split files: parallel %d, sequential %d; want 1 and 0", par.Stats.SplitFiles, seq.Stats.SplitFiles)
	}
	if len(seq.Findings) != 5 || !reflect.DeepEqual(seq.Findings, par.Findings) {
		t.Errorf("sequential %d findings, parallel %d; differ: %v", len(seq.Findings), len(par.Findings), !reflect.DeepEqual(seq.Findings, par.Findings))
	}
	if len(par.Errors) != 1 || par.Errors[0].Line != 3006 || seq.Stats.BytesScanned != par.Stats.BytesScanned {
		t.Errorf("errors %+v, bytes %d vs %d", par.Errors, seq.Stats.BytesScanned, par.Stats.BytesScanned)
	}
}
