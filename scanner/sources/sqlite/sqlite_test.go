package sqlite_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
	"github.com/mcpscan/mcpscan/scanner/sources/textfile"
)

// A database no agent handler knows: each row a JSON document with its
// columns as fields, JSON cells opened, binary cells scanned raw.
func TestRows(t *testing.T) {
	k1, k2, k3 := handlertest.Token("github", 1), handlertest.Token("npm", 2), handlertest.Token("slack", 3)
	dir := filepath.Join(t.TempDir(), ".copilot")
	handlertest.CreateDB(t, filepath.Join(dir, "session-store.db"),
		`CREATE TABLE sessions (id TEXT PRIMARY KEY, session_id TEXT, created_at INTEGER, summary TEXT, meta TEXT, blob BLOB)`,
		`INSERT INTO sessions VALUES ('r1', 's-9', 1777973518950, ?, ?, ?)`,
		[]any{"token " + k1, `{"env":{"NPM_TOKEN":"` + k2 + `"}}`, append([]byte{0, 1, 2, 0xff}, []byte(" SLACK="+k3+" \x00")...)},
	)
	res := handlertest.ScanTree(t, dir, sqlite.Container{}, sqlite.Rows{})
	if len(res.Errors) != 0 {
		t.Errorf("errors %v", res.Errors)
	}
	ctx := map[string]string{"client": "Copilot CLI", "session_id": "s-9", "timestamp": "2026-05-05T09:31:58.95Z"}
	f := handlertest.Expect(t, res.Findings, k1, handlertest.Want{Field: "summary", Context: ctx})
	if want := filepath.Join(dir, "session-store.db") + "!sessions/id=r1"; f.Path() != want || f.Source != sqlite.SourceDatabase {
		t.Errorf("path %s, want %s", f.Path(), want)
	}
	handlertest.Expect(t, res.Findings, k2, handlertest.Want{Field: "meta.env.NPM_TOKEN", Context: ctx})
	handlertest.Expect(t, res.Findings, k3, handlertest.Want{Field: "blob", Context: map[string]string{"client": "Copilot CLI"}})
	if res.Stats.FilesScanned != 3 { // the database, its row, its raw cell
		t.Errorf("files scanned %d", res.Stats.FilesScanned)
	}
}

// Rows still in the write-ahead log of a running owner are found in the
// -wal's bytes; nothing is written beside the database.
func TestWAL(t *testing.T) {
	k := handlertest.Token("github", 4)
	dir := filepath.Join(t.TempDir(), ".local", "share", "opencode")
	os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, "opencode.db")
	owner, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	owner.SetMaxOpenConns(1)
	for _, q := range []string{"PRAGMA journal_mode=WAL", "PRAGMA wal_autocheckpoint=0", "CREATE TABLE part (id TEXT PRIMARY KEY, data TEXT)",
		"PRAGMA wal_checkpoint(TRUNCATE)", "INSERT INTO part VALUES ('p1', '{\"text\":\"" + k + "\"}')"} {
		if _, err := owner.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	res := handlertest.ScanTree(t, dir, sqlite.Container{}, sqlite.Rows{})
	f := handlertest.Expect(t, res.Findings, k, handlertest.Want{})
	if f.File != path+"-wal" || len(f.Steps) != 0 {
		t.Errorf("WAL finding at %s", f.Path())
	}
	if n := len(handlertest.Of(res.Findings, k)); n != 1 {
		t.Errorf("%d findings for the WAL row", n)
	}
}

// Encrypted and corrupt databases are per-file errors that make the scan
// incomplete; other files are still scanned.
func TestUnreadable(t *testing.T) {
	k := handlertest.Token("npm", 5)
	dir := filepath.Join(t.TempDir(), ".config", "Cursor", "User", "globalStorage")
	handlertest.WriteFile(t, filepath.Join(dir, "state.vscdb"), "\x8a\x11\x00"+strings.Repeat("encrypted page ", 300))
	handlertest.CreateDB(t, filepath.Join(dir, "other.vscdb"), `CREATE TABLE ItemTable (key TEXT UNIQUE, value BLOB)`,
		`INSERT INTO ItemTable VALUES ('a', ?)`, []any{strings.Repeat("x", 9000)})
	data, _ := os.ReadFile(filepath.Join(dir, "other.vscdb"))
	for i := 100; i < len(data); i++ { // keep the header, break every page
		data[i] ^= 0x5a
	}
	os.WriteFile(filepath.Join(dir, "broken.vscdb"), data, 0o600)
	os.Remove(filepath.Join(dir, "other.vscdb"))
	handlertest.WriteFile(t, filepath.Join(dir, "notes.txt"), "NPM_TOKEN="+k+"\n")
	res := handlertest.ScanTree(t, dir, sqlite.Container{}, sqlite.Rows{}, textfile.Handler{})
	reasons := map[string]string{}
	for _, e := range res.Errors {
		reasons[filepath.Base(e.Path)] = e.Reason + ": " + e.Error
	}
	if !strings.HasPrefix(reasons["broken.vscdb"], scanner.ReasonUnreadable+": corrupt") || !strings.HasPrefix(reasons["state.vscdb"], scanner.ReasonUnreadable+": encrypted") || !res.Errors[0].Incomplete {
		t.Errorf("errors %v", reasons)
	}
	if len(handlertest.Of(res.Findings, k)) != 1 {
		t.Error("the scan did not go on")
	}
}
