package main

import (
	"encoding/json"
	"fmt"
	"github.com/mcpscan/mcpscan/internal/testkit"
	"github.com/mcpscan/mcpscan/scanner"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// trustReport is what the trust tests read of a JSON report.
type trustReport struct {
	Complete bool `json:"complete"`
	Findings []struct {
		RuleID  string `json:"rule_id"`
		Line    int    `json:"line"`
		Path    string `json:"path"`
		Carried bool   `json:"carried"`
	} `json:"findings"`
	Errors []struct {
		Path       string `json:"path"`
		Error      string `json:"error"`
		Line       int    `json:"line"`
		Reason     string `json:"reason"`
		Incomplete bool   `json:"incomplete"`
	} `json:"errors"`
	Stats struct {
		BytesScanned int64            `json:"bytes_scanned"`
		SkippedBy    map[string]int64 `json:"skipped_by"`
	} `json:"stats"`
}

func scanTrust(t *testing.T, args ...string) (int, trustReport, string) {
	t.Helper()
	code, out, errOut := mcpscan(t, append([]string{"--format", "json"}, args...)...)
	var r trustReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("exit %d: %v\n%s\n%s", code, err, out, errOut)
	}
	return code, r, errOut
}

// TestIncompleteScan: a scan that could not read what it was asked to
// read is not clean: "complete": false, the reason per error, exit 2
// (unless findings make it 1), and --allow-incomplete restores 0.
func TestIncompleteScan(t *testing.T) {
	dir := tree(t, map[string]string{"notes.txt": "nothing to see\n"})
	// A named path that cannot be read (a file used as a directory: no
	// permission trick, so the test holds when run as root).
	bad := filepath.Join(dir, "notes.txt", "sub")
	code, r, errOut := scanTrust(t, bad)
	if code != exitError || r.Complete || len(r.Errors) != 1 || !r.Errors[0].Incomplete || r.Errors[0].Reason != "unreadable" {
		t.Errorf("unreadable path: exit %d, %+v, %s", code, r, errOut)
	}
	if !strings.Contains(errOut, "scan incomplete") {
		t.Errorf("stderr does not say the scan is incomplete: %q", errOut)
	}
	if code, _, _ := scanTrust(t, "--allow-incomplete", bad); code != exitClean {
		t.Errorf("--allow-incomplete: exit %d", code)
	}
	// The terminal does not say "No secrets found" in green.
	_, out, _ := mcpscan(t, bad)
	if strings.Contains(out, "✓") || !strings.Contains(out, "Scan incomplete") {
		t.Errorf("terminal verdict of an incomplete scan:\n%s", out)
	}
	// A limit that skips a file makes the scan incomplete too.
	if code, r, _ := scanTrust(t, "--max-file-size", "3", dir); code != exitError || r.Complete || r.Errors[0].Reason != "limit" {
		t.Errorf("--max-file-size: exit %d, %+v", code, r)
	}
	// Findings win: exit 1.
	dirty := tree(t, map[string]string{".env": "GITHUB_TOKEN=" + ghToken + "\n"})
	if code, r, _ := scanTrust(t, dirty, bad); code != exitFindings || r.Complete {
		t.Errorf("findings and an unreadable path: exit %d complete %v", code, r.Complete)
	}
	// A malformed record is a problem, not a gap: the record was scanned.
	jl := tree(t, map[string]string{"a.jsonl": "not json\n"})
	if code, r, _ := scanTrust(t, jl); code != exitClean || !r.Complete || len(r.Errors) != 1 || r.Errors[0].Incomplete {
		t.Errorf("malformed record: exit %d %+v", code, r)
	}
}

// TestNoLocations: a scan without PATH in a home that has none of the
// agent locations says which it looked for, and is not a green "clean".
func TestNoLocations(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("CLAUDE_CONFIG_DIR", "")
	t.Setenv("XDG_CONFIG_HOME", "")
	code, out, _ := mcpscan(t)
	if code != exitClean || !strings.Contains(out, "Nothing to scan") || !strings.Contains(out, filepath.Join(home, ".claude")) || strings.Contains(out, "✓") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestBadExcludeGlob: a glob that does not parse is an error, not a
// pattern that silently matches nothing.
func TestBadExcludeGlob(t *testing.T) {
	code, _, errOut := mcpscan(t, "--exclude", "[a-", t.TempDir())
	if code != exitError || !strings.Contains(errOut, `--exclude "[a-"`) {
		t.Errorf("exit %d: %q", code, errOut)
	}
}

// TestNULInRecord: one raw NUL byte in a transcript's first record does
// not make the file binary: the record is reported, later records are
// scanned.
func TestNULInRecord(t *testing.T) {
	home := tree(t, map[string]string{
		".claude/projects/-home-a-web/s1.jsonl": `{"type":"user","message":{"content":"a` + "\x00" + `b"}}` + "\n" +
			`{"type":"user","sessionId":"s1","message":{"role":"user","content":"token ` + ghToken + `"}}` + "\n",
	})
	code, r, _ := scanTrust(t, home)
	if code != exitFindings || len(r.Findings) != 1 || r.Findings[0].Line != 2 {
		t.Fatalf("exit %d, findings %+v", code, r.Findings)
	}
	if len(r.Errors) != 1 || r.Errors[0].Line != 1 || !strings.Contains(r.Errors[0].Error, "NUL") || r.Errors[0].Incomplete {
		t.Errorf("errors %+v", r.Errors)
	}
}

// TestStateUntrusted: a state file is untrusted input. A corrupt file, a
// file of another version, or entries with impossible offsets mean a full
// rescan and a warning, never a panic or a missed finding.
func TestStateUntrusted(t *testing.T) {
	home := tree(t, map[string]string{".claude/projects/-home-a-web/s1.jsonl": `{"type":"user","sessionId":"s1","message":{"role":"user","content":"token ` + ghToken + `"}}` + "\n"})
	state := filepath.Join(t.TempDir(), "state.json")
	if code, _, _ := scanTrust(t, "--state", state, home); code != exitFindings {
		t.Fatal("first scan")
	}
	good, _ := os.ReadFile(state)
	var doc map[string]any
	if err := json.Unmarshal(good, &doc); err != nil {
		t.Fatal(err)
	}
	files := doc["files"].(map[string]any)
	var entry map[string]any
	for _, v := range files {
		entry = v.(map[string]any)
	}
	bad := map[string]func(){
		"negative offset":  func() { entry["scanned"] = -5 },
		"oversized offset": func() { entry["scanned"] = 1 << 40 },
		"negative size":    func() { entry["size"] = -1 },
		"bad hash":         func() { entry["check"] = "zz" },
	}
	for name, corrupt := range bad {
		var e2 map[string]any
		b, _ := json.Marshal(entry)
		_ = json.Unmarshal(b, &e2)
		corrupt()
		b, _ = json.Marshal(doc)
		if err := os.WriteFile(state, b, 0o600); err != nil {
			t.Fatal(err)
		}
		code, r, errOut := scanTrust(t, "--state", state, home)
		if code != exitFindings || len(r.Findings) != 1 || r.Findings[0].Carried || r.Stats.BytesScanned == 0 || !strings.Contains(errOut, "unusable entries dropped") {
			t.Errorf("%s: exit %d, %+v, stderr %q", name, code, r, errOut)
		}
		entry = e2
		for k := range files {
			files[k] = entry
		}
	}
	for name, content := range map[string]string{"not JSON": "{{{", "old version": `{"version":1,"files":{}}`} {
		if err := os.WriteFile(state, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		code, r, errOut := scanTrust(t, "--state", state, home)
		if code != exitFindings || len(r.Findings) != 1 || !strings.Contains(errOut, "every file is scanned whole") {
			t.Errorf("%s: exit %d, %+v, stderr %q", name, code, r, errOut)
		}
	}
}

// TestStateRewriteInPlace: a transcript rewritten in place at the same
// size, with its modification time restored, is not "unchanged": its new
// secret is found.
func TestStateRewriteInPlace(t *testing.T) {
	rec := func(secret string) string {
		return `{"type":"user","sessionId":"s1","message":{"role":"user","content":"token ` + secret + `"}}` + "\n"
	}
	filler := strings.Repeat(`{"type":"progress","data":{"type":"hook_progress","command":"echo ok"}}`+"\n", 200)
	home := tree(t, map[string]string{".claude/projects/-home-a-web/s1.jsonl": filler + rec("not-a-token-just-text-here-xx")})
	session := filepath.Join(home, ".claude/projects/-home-a-web/s1.jsonl")
	state := filepath.Join(t.TempDir(), "state.json")
	if code, r, _ := scanTrust(t, "--state", state, home); code != exitClean || len(r.Findings) != 0 {
		t.Fatalf("first scan: exit %d %+v", code, r)
	}
	info, _ := os.Stat(session)
	// Same size, same mtime, a token where the text was.
	tok := ghToken[:len("not-a-token-just-text-here-xx")]
	if len(tok) != len("not-a-token-just-text-here-xx") {
		t.Fatal("fixture")
	}
	time.Sleep(20 * time.Millisecond) // a status-change time the file system can tell apart
	if err := os.WriteFile(session, []byte(filler+rec(ghToken[:4]+strings.Repeat("Z", len(tok)-4))), 0o644); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(session); st.Size() != info.Size() {
		t.Fatalf("fixture sizes differ: %d vs %d", st.Size(), info.Size())
	}
	if err := os.Chtimes(session, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	_, r, _ := scanTrust(t, "--state", state, home)
	if r.Stats.SkippedBy["unchanged"] != 0 || r.Stats.BytesScanned == 0 {
		t.Errorf("a file rewritten in place with its mtime restored was treated as unchanged: %+v", r)
	}
}

// TestDeepNesting: directory nesting has no fixed limit (loops are
// recognised by device and inode): a secret 300 directories down is found.
func TestDeepNesting(t *testing.T) {
	root := t.TempDir()
	rel := strings.Repeat("d/", 300) + ".env"
	testkit.Write(t, root, rel, "GITHUB_TOKEN="+ghToken+"\n")
	code, r, errOut := scanTrust(t, root)
	if code != exitFindings || len(r.Findings) != 1 || len(r.Errors) != 0 {
		t.Errorf("exit %d, %d findings, errors %+v: %s", code, len(r.Findings), r.Errors, errOut)
	}
}

// TestFindingsLimitPerFile: a file holding more findings than
// scanner.MaxFindingsPerInput keeps that many, and the scan says how many
// more were not reported and is incomplete: a limit never shortens a
// report quietly. Matches that are not findings (repeats, signals) do not
// count against it.
func TestFindingsLimitPerFile(t *testing.T) {
	const extra = 7
	var b strings.Builder
	const base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	for i := 0; i < scanner.MaxFindingsPerInput+extra; i++ {
		// A distinct, format-valid (fake) AWS access key id per line.
		id := []byte("AKIA")
		for k, n := 0, i*7919+12345; k < 16; k++ {
			id = append(id, base32[(n>>(k%6)+k*13+n/(k+3))%32])
		}
		fmt.Fprintf(&b, "aws_access_key_id = %s\n", id)
	}
	dir := tree(t, map[string]string{"keys.txt": b.String()})
	code, r, errOut := scanTrust(t, dir)
	if r.Complete || len(r.Findings) != scanner.MaxFindingsPerInput {
		t.Fatalf("exit %d, complete %v, %d findings (want %d): %s", code, r.Complete, len(r.Findings), scanner.MaxFindingsPerInput, errOut)
	}
	found := false
	for _, e := range r.Errors {
		if e.Reason == "limit" && e.Incomplete && strings.Contains(e.Error, "more findings in this file were not reported") {
			found = true
		}
	}
	if !found {
		t.Errorf("no limit error naming the findings left out: %+v", r.Errors)
	}
}
