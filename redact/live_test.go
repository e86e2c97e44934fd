package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// appendRecord appends one line the way Claude Code does
// (fs.appendFileSync): open with O_APPEND, one write, close.
func appendRecord(t testing.TB, path, rec string) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Error(err)
		return
	}
	if _, err := f.WriteString(rec + "\n"); err != nil {
		t.Error(err)
	}
	f.Close()
}

// startAppender starts another process (this test binary) that appends
// records to path like Claude Code, and returns a function that stops it
// and returns the uuids it appended.
func startAppender(t *testing.T, path, secret, prefix string, seed uint64) (stop func() []string) {
	t.Helper()
	cmd := execSelf("TestHelperAppender", "REDACT_APPEND_FILE="+path, "REDACT_APPEND_SECRET="+secret,
		"REDACT_APPEND_PREFIX="+prefix, fmt.Sprintf("REDACT_APPEND_SEED=%d", seed))
	stdin, _ := cmd.StdinPipe()
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for the first record, so that the run overlaps the appends.
	for i := 0; i < 2000; i++ {
		if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(prefix+"-0")) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	var ids []string
	stopped := false
	stop = func() []string {
		if !stopped {
			stopped = true
			stdin.Close()
			if err := cmd.Wait(); err != nil {
				t.Fatalf("appender: %v\n%s", err, out.String())
			}
			for _, line := range strings.Split(out.String(), "\n") {
				if id, ok := strings.CutPrefix(line, "id "); ok {
					ids = append(ids, id)
				}
			}
		}
		return ids
	}
	t.Cleanup(func() { stop() })
	return stop
}

// TestHelperAppender is not a test: startAppender runs it in a child.
func TestHelperAppender(t *testing.T) {
	path := os.Getenv("REDACT_APPEND_FILE")
	if path == "" {
		t.Skip("helper process")
	}
	var seed uint64
	fmt.Sscan(os.Getenv("REDACT_APPEND_SEED"), &seed)
	stop := make(chan struct{})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		close(stop)
	}()
	for _, id := range <-appender(t, path, os.Getenv("REDACT_APPEND_SECRET"), os.Getenv("REDACT_APPEND_PREFIX"), seed, stop) {
		fmt.Println("id " + id)
	}
}

// appender appends records until stop is closed and returns their uuids.
// Every third record holds the secret.
func appender(t testing.TB, path, secret, prefix string, seed uint64, stop <-chan struct{}) <-chan []string {
	out := make(chan []string, 1)
	go func() {
		r := rand.New(rand.NewPCG(seed, 1))
		var ids []string
		for i := 0; ; i++ {
			select {
			case <-stop:
				out <- ids
				return
			default:
			}
			id := fmt.Sprintf("%s-%d", prefix, i)
			text := "progress line " + id
			if i%3 == 0 {
				text = "export GH_TOKEN=" + secret
			}
			rec := recBashProgress(id, "a1", text)
			if i%5 == 0 {
				rec = recToolResult(id, "a1", "toolu_live", text+"\n"+strings.Repeat("output ", r.IntN(400)))
			}
			appendRecord(t, path, rec)
			ids = append(ids, id)
			time.Sleep(time.Duration(r.IntN(1500)) * time.Microsecond)
		}
	}()
	return out
}

// writeSession writes n records (every fourth with the secret) and
// returns their uuids.
func writeSession(t testing.TB, path, secret string, n int) []string {
	var b strings.Builder
	var ids []string
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("orig-%d", i)
		text := "step " + id
		if i%4 == 0 {
			text = "token " + secret + " used"
		}
		switch i % 3 {
		case 0:
			b.WriteString(recUserPrompt(id, "", text))
		case 1:
			b.WriteString(recToolResult(id, "u1", "toolu_x", text+"\n"+strings.Repeat("log line\n", i%50)))
		default:
			b.WriteString(recSubagent(id, "u1", "a2898e3", text))
		}
		b.WriteByte('\n')
		ids = append(ids, id)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return ids
}

// checkRecords asserts that every line parses and that the file holds
// exactly the uuids want, each once.
func checkRecords(t *testing.T, path string, want ...[]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		var rec struct{ UUID string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("line %d does not parse: %v: %.200s", i+1, err, line)
		}
		seen[rec.UUID]++
	}
	n := 0
	for _, ids := range want {
		for _, id := range ids {
			n++
			if seen[id] != 1 {
				t.Fatalf("record %s seen %d times", id, seen[id])
			}
		}
	}
	if len(seen) != n {
		t.Fatalf("%d records, want %d", len(seen), n)
	}
}

func TestConcurrentAppenderDuringApplyAndUndo(t *testing.T) {
	pat := fakeGitHubPAT(31)
	changed := 0
	for iter := 0; iter < 8; iter++ {
		dir := t.TempDir()
		path := filepath.Join(dir, sessionID+".jsonl")
		orig := writeSession(t, path, pat, 300)
		origBytes, _ := os.ReadFile(path)
		opt := testOptions(t)
		opt.MaxRounds = 100
		plan := Plan{Files: []File{{Path: path, Kind: KindJSONL, Secrets: []Secret{{Value: pat, RuleID: "github-pat"}}}}}

		stop := startAppender(t, path, pat, fmt.Sprintf("app%d", iter), uint64(iter))
		time.Sleep(time.Duration(iter) * time.Millisecond)
		res, err := Apply(context.Background(), plan, opt)
		if err != nil {
			t.Fatal(err)
		}
		// Let the appender run on past the swap, then stop it.
		time.Sleep(5 * time.Millisecond)
		during := stop()
		fr := res.Files[0]
		checkRecords(t, path, orig, during)
		switch fr.Outcome {
		case OutcomeChanged:
			changed++
			after, _ := os.ReadFile(path)
			// The original records hold no secret any more.
			for _, line := range strings.Split(string(after), "\n") {
				if strings.Contains(line, `"orig-`) && strings.Contains(line, pat) {
					t.Fatalf("secret left in an original record")
				}
			}
		case OutcomeSkippedActive:
			t.Logf("iteration %d: skipped-active: %s", iter, fr.Reason)
			continue
		default:
			t.Fatalf("%+v", fr)
		}

		// Undo while another appender runs; retry when it is busy.
		stop2 := startAppender(t, path, pat, fmt.Sprintf("undo%d", iter), uint64(100+iter))
		var during2 []string
		var u *UndoResult
		for try := 0; try < 20; try++ {
			u, err = Undo(context.Background(), res.RunID, opt)
			if err != nil {
				t.Fatal(err)
			}
			if u.Files[0].Outcome == OutcomeRestored {
				break
			}
			if u.Files[0].Outcome != OutcomeSkippedActive {
				t.Fatalf("undo: %+v", u.Files[0])
			}
			if try == 10 {
				during2 = stop2() // stop appending; the next try must succeed
			}
		}
		if during2 == nil {
			during2 = stop2()
		}
		if u.Files[0].Outcome != OutcomeRestored {
			t.Fatalf("undo never succeeded: %+v", u.Files[0])
		}
		checkRecords(t, path, orig, during, during2)
		now, _ := os.ReadFile(path)
		if !bytes.HasPrefix(now, origBytes) {
			t.Fatal("undo did not restore the original prefix byte for byte")
		}
		if bytes.Contains(now, []byte("[REDACTED:")) {
			t.Fatal("a marker survived undo")
		}
	}
	if changed == 0 {
		t.Fatal("no iteration redacted the file; the test exercised nothing")
	}
}

// protocolCase runs Apply on a fresh session with a hook set.
func protocolCase(t *testing.T, fs *fsys) (path string, orig []byte, res *Result, opt Options) {
	t.Helper()
	pat := fakeGitHubPAT(41)
	path = filepath.Join(t.TempDir(), "s.jsonl")
	writeSession(t, path, pat, 40)
	orig, _ = os.ReadFile(path)
	opt = testOptions(t)
	opt.fs = fs
	var err error
	res, err = Apply(context.Background(), Plan{Files: []File{{Path: path, Kind: KindJSONL,
		Secrets: []Secret{{Value: pat, RuleID: "github-pat", ID: "pat"}}}}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return path, orig, res, opt
}

func swapModes(t *testing.T, f func(t *testing.T, mk func() *fsys)) {
	t.Run("exchange", func(t *testing.T) { f(t, func() *fsys { return &fsys{} }) })
	t.Run("hold-link", func(t *testing.T) { f(t, func() *fsys { return &fsys{noExchange: true} }) })
}

func TestAppendBeforeFinalCheckIsRedactedAndKept(t *testing.T) {
	swapModes(t, func(t *testing.T, mk func() *fsys) {
		pat := fakeGitHubPAT(41)
		fs := mk()
		var path string
		fs.beforeFinalCheck = func(p string, round int) {
			if round < 2 {
				appendRecord(t, p, recBashProgress(fmt.Sprintf("late-%d", round), "a1", "GH_TOKEN="+pat))
			}
		}
		path, orig, res, _ := protocolCase(t, fs)
		fr := res.Files[0]
		if fr.Outcome != OutcomeChanged || fr.Appended == 0 {
			t.Fatalf("%+v", fr)
		}
		now, _ := os.ReadFile(path)
		if bytes.Contains(now, []byte(pat)) {
			t.Fatal("appended secret not redacted")
		}
		if !bytes.Contains(now, []byte(`"uuid":"late-0"`)) || !bytes.Contains(now, []byte(`"uuid":"late-1"`)) {
			t.Fatal("appended records lost")
		}
		// The backup holds the original and the appended records.
		b, _ := os.ReadFile(fr.Backup)
		if !bytes.HasPrefix(b, orig) || int64(len(b)) != fr.BytesBefore {
			t.Fatal("backup does not hold what was read")
		}
	})
}

func TestAppendBetweenCheckAndSwapRollsBack(t *testing.T) {
	swapModes(t, func(t *testing.T, mk func() *fsys) {
		fs := mk()
		late := recBashProgress("late-swap", "a1", "no secret here")
		fs.beforeSwap = func(p string) { appendRecord(t, p, late) }
		path, orig, res, _ := protocolCase(t, fs)
		fr := res.Files[0]
		if fr.Outcome != OutcomeSkippedActive {
			t.Fatalf("%+v", fr)
		}
		now, _ := os.ReadFile(path)
		if want := string(orig) + late + "\n"; string(now) != want {
			t.Fatal("after a rollback the file must be the original plus the late record")
		}
		assertNoLeftovers(t, path)
		// The manifest says rolled back, and the backup is gone.
		man := readManifest(t, res.BackupDir)
		if man.Files[0].State != StateRolledBack {
			t.Fatalf("state %s", man.Files[0].State)
		}
		if _, err := os.Stat(filepath.Join(res.BackupDir, man.Files[0].Backup)); !os.IsNotExist(err) {
			t.Fatal("backup of an unchanged file kept")
		}
	})
}

func TestWriterWithOpenDescriptorAcrossSwap(t *testing.T) {
	// A writer opened the path before the swap and writes after it (to the
	// old inode); another opens the path after the swap (the new file).
	// Both records must end up in the file, which keeps its original
	// content.
	swapModes(t, func(t *testing.T, mk func() *fsys) {
		fs := mk()
		var held *os.File
		fs.beforeSwap = func(p string) {
			var err error
			if held, err = os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0); err != nil {
				t.Fatal(err)
			}
		}
		fs.afterSwap = func(p string) {
			appendRecord(t, p, recBashProgress("to-new", "a1", "x")) // lands in the new file
			if _, err := held.WriteString(recBashProgress("to-old", "a1", "y") + "\n"); err != nil {
				t.Fatal(err)
			}
			held.Close()
		}
		path, orig, res, _ := protocolCase(t, fs)
		if res.Files[0].Outcome != OutcomeSkippedActive {
			t.Fatalf("%+v", res.Files[0])
		}
		now, _ := os.ReadFile(path)
		if !bytes.HasPrefix(now, orig) {
			t.Fatal("original not back")
		}
		rest := string(now[len(orig):])
		if !strings.Contains(rest, `"uuid":"to-new"`) || !strings.Contains(rest, `"uuid":"to-old"`) || strings.Count(rest, "\n") != 2 {
			t.Fatalf("late records: %q", rest)
		}
		assertNoLeftovers(t, path)
	})
}

func TestReplacedByAnotherProgramDuringSwap(t *testing.T) {
	swapModes(t, func(t *testing.T, mk func() *fsys) {
		fs := mk()
		theirs := []byte(`{"type":"summary","summary":"rewritten by another program"}` + "\n")
		fs.beforeSwap = func(p string) {
			tmp := p + ".their-tmp"
			if err := os.WriteFile(tmp, theirs, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, p); err != nil {
				t.Fatal(err)
			}
		}
		path, _, res, _ := protocolCase(t, fs)
		if res.Files[0].Outcome != OutcomeSkippedActive {
			t.Fatalf("%+v", res.Files[0])
		}
		now, _ := os.ReadFile(path)
		if !bytes.Equal(now, theirs) {
			t.Fatal("the other program's version must win")
		}
		assertNoLeftovers(t, path)
	})
}

func TestPlainRenameCarriesLateBytesRedacted(t *testing.T) {
	// No exchange and no hard links: an idle file is renamed over, and a
	// late write to the old inode is appended, redacted, to the new file.
	pat := fakeGitHubPAT(41)
	fs := &fsys{noExchange: true, noLink: true}
	var held *os.File
	fs.beforeSwap = func(p string) { held, _ = os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0) }
	fs.afterSwap = func(string) {
		held.WriteString(recBashProgress("late-old", "a1", "GH_TOKEN="+pat) + "\n")
		held.Close()
	}
	path := filepath.Join(t.TempDir(), "s.jsonl")
	writeSession(t, path, pat, 20)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(path, old, old) // idle
	opt := testOptions(t)
	opt.fs = fs
	res, err := Apply(context.Background(), Plan{Files: []File{{Path: path, Kind: KindJSONL,
		Secrets: []Secret{{Value: pat, RuleID: "github-pat"}}}}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Files[0].Outcome != OutcomeChanged || !strings.Contains(res.Files[0].Reason, "carried over") {
		t.Fatalf("%+v", res.Files[0])
	}
	now, _ := os.ReadFile(path)
	if bytes.Contains(now, []byte(pat)) || !bytes.Contains(now, []byte(`"uuid":"late-old"`)) {
		t.Fatal("late record lost or not redacted")
	}
	// A live file on such a file system is left alone.
	path2 := filepath.Join(t.TempDir(), "live.jsonl")
	writeSession(t, path2, pat, 5)
	opt.fs = &fsys{noExchange: true, noLink: true}
	res, _ = Apply(context.Background(), Plan{Files: []File{{Path: path2, Kind: KindJSONL,
		Secrets: []Secret{{Value: pat, RuleID: "github-pat"}}}}}, opt)
	if res.Files[0].Outcome != OutcomeSkippedActive {
		t.Fatalf("%+v", res.Files[0])
	}
}

func TestUndoAfterAppend(t *testing.T) {
	h := newHome(t)
	opt := testOptions(t)
	before := readAll(t, h.all())
	res, err := Apply(context.Background(), h.planFor(h.all()...), opt)
	if err != nil || res.Totals.Changed != 5 {
		t.Fatal(err, res.Totals)
	}
	tail := recUserPrompt("after-1", "u3", "new prompt with "+h.pat) + "\n" + recBashProgress("after-2", "after-1", "ok") + "\n"
	f, _ := os.OpenFile(h.session, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(tail)
	f.Close()
	u, err := Undo(context.Background(), res.RunID, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, uf := range u.Files {
		if uf.Outcome != OutcomeRestored {
			t.Fatalf("%+v", uf)
		}
		if uf.Path == h.session && uf.Tail != int64(len(tail)) {
			t.Fatalf("tail %d, want %d", uf.Tail, len(tail))
		}
	}
	now, _ := os.ReadFile(h.session)
	if string(now) != string(before[h.session])+tail {
		t.Fatal("undo must restore the original and keep the appended records")
	}
}

func TestUndoRefusesOtherChanges(t *testing.T) {
	h := newHome(t)
	opt := testOptions(t)
	res, err := Apply(context.Background(), h.planFor(h.session, h.planMD), opt)
	if err != nil {
		t.Fatal(err)
	}
	// Edit the plan in place (same size), and run a second redaction of
	// the session with a new secret.
	b, _ := os.ReadFile(h.planMD)
	b[0] = '%'
	os.WriteFile(h.planMD, b, 0o644)
	other := fakeAWSKeyID(99)
	appendRecord(t, h.session, recUserPrompt("x1", "", "key "+other))
	res2, err := Apply(context.Background(), Plan{Files: []File{{Path: h.session, Kind: KindJSONL,
		Secrets: []Secret{{Value: other, RuleID: "aws-access-token"}}}}}, opt)
	if err != nil || res2.Files[0].Outcome != OutcomeChanged {
		t.Fatal(err, res2.Files)
	}
	u, err := Undo(context.Background(), res.RunID, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, uf := range u.Files {
		if uf.Outcome != OutcomeRefused {
			t.Fatalf("%+v", uf)
		}
		if uf.Path == h.session && !strings.Contains(uf.Reason, res2.RunID) {
			t.Fatalf("reason should name the later run: %s", uf.Reason)
		}
	}
	if nb, _ := os.ReadFile(h.planMD); !bytes.Equal(nb, b) {
		t.Fatal("refused file was touched")
	}
	// Undo the later run, then the first: the session is back to the
	// original plus the appended prompt.
	if u, err := Undo(context.Background(), "", opt); err != nil || u.RunID != res2.RunID || u.Files[0].Outcome != OutcomeRestored {
		t.Fatal(err, u)
	}
	if u, err := Undo(context.Background(), res.RunID, opt); err != nil || u.Files[0].Outcome != OutcomeRestored {
		t.Fatal(err, u)
	}
	now, _ := os.ReadFile(h.session)
	if !bytes.Contains(now, []byte(h.pat)) || !bytes.Contains(now, []byte(other)) || bytes.Contains(now, []byte("[REDACTED:")) {
		t.Fatal("chained undo did not restore")
	}
}

func assertNoLeftovers(t *testing.T, path string) {
	t.Helper()
	ents, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range ents {
		if strings.Contains(e.Name(), ".mcpscan-") {
			t.Fatalf("left %s", e.Name())
		}
	}
}

func readManifest(t *testing.T, dir string) Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
