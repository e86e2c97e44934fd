package sqlitedb

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// fakeToken returns a GitHub-PAT-shaped value assembled at run time from a
// seeded PRNG (format-valid, opens nothing, never a literal in the source).
func fakeToken(seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 7))
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := []byte("gh" + "p_")
	for i := 0; i < 36; i++ {
		b = append(b, alnum[r.IntN(len(alnum))])
	}
	return string(b)
}

// create builds a database at path with the same driver, in normal
// read-write mode, running each statement with its arguments.
func create(t *testing.T, path string, stmts ...any) {
	t.Helper()
	// The same escaping as URI, in read-write-create mode, so that paths
	// holding '?' or '#' are created where they are named.
	rw := strings.TrimSuffix(URI(path), "?mode=ro&immutable=1") + "?mode=rwc"
	db, err := sql.Open("sqlite", rw)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; i < len(stmts); i++ {
		q := stmts[i].(string)
		var args []any
		if i+1 < len(stmts) {
			if a, ok := stmts[i+1].([]any); ok {
				args = a
				i++
			}
		}
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// cursorGlobal writes a Cursor-shaped global state.vscdb: cursorDiskKV
// composer and bubble rows with JSON values stored as BLOB, and ItemTable
// keys (docs/agents.md §3).
func cursorGlobal(t *testing.T, path, secret string) {
	t.Helper()
	composer := `{"_v":3,"composerId":"c0ffee00-1111-4222-8333-444455556666","name":"deploy script","createdAt":1767225600000,"fullConversationHeadersOnly":[{"bubbleId":"b1","type":1},{"bubbleId":"b2","type":2}]}`
	user := `{"_v":3,"type":1,"bubbleId":"b1","text":"deploy with token ` + secret + `","createdAt":"2026-01-01T00:00:01.000Z"}`
	// toolFormerData.rawArgs is JSON inside the JSON value.
	tool := `{"_v":3,"type":2,"bubbleId":"b2","text":"","createdAt":"2026-01-01T00:00:02.000Z","toolFormerData":{"name":"run_terminal_cmd","rawArgs":"{\"command\":\"git push https://x:` + secret + `@github.com/acme/app\"}","status":"completed"}}`
	create(t, path,
		`CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)`,
		`CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)`,
		`INSERT INTO cursorDiskKV VALUES (?, CAST(? AS BLOB))`, []any{"composerData:c0ffee00-1111-4222-8333-444455556666", composer},
		`INSERT INTO cursorDiskKV VALUES (?, CAST(? AS BLOB))`, []any{"bubbleId:c0ffee00-1111-4222-8333-444455556666:b1", user},
		`INSERT INTO cursorDiskKV VALUES (?, CAST(? AS BLOB))`, []any{"bubbleId:c0ffee00-1111-4222-8333-444455556666:b2", tool},
		`INSERT INTO ItemTable VALUES (?, ?)`, []any{"aiService.prompts", `[{"text":"export GITHUB_TOKEN=` + secret + `","commandType":4}]`},
		`INSERT INTO ItemTable VALUES (?, ?)`, []any{"workbench.panel.aichat.view.aichat.chatdata", `{"tabs":[]}`},
	)
}

type seen struct {
	locator, column, kind string
	value                 string
}

func scanAll(t *testing.T, d *DB) []seen {
	t.Helper()
	var out []seen
	err := d.Scan(context.Background(), func(r *Row) error {
		for _, c := range r.Cells {
			out = append(out, seen{r.Locator(), c.Column, c.Kind.String(), string(c.Value)})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCursorStateDB(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.vscdb")
	secret := fakeToken(1)
	cursorGlobal(t, path, secret)

	d, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	tables, err := d.Tables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 2 || tables[0].Name != "ItemTable" || tables[1].Name != "cursorDiskKV" {
		t.Fatalf("tables = %+v", tables)
	}
	if tables[1].Key != "key" {
		t.Errorf("cursorDiskKV key column = %q, want key (UNIQUE)", tables[1].Key)
	}
	got := scanAll(t, d)
	var hits []string
	for _, s := range got {
		if s.column == "value" && strings.Contains(s.value, secret) {
			hits = append(hits, s.locator+" "+s.kind)
		}
	}
	sort.Strings(hits)
	want := []string{
		"ItemTable/aiService.prompts text",
		"cursorDiskKV/bubbleId:c0ffee00-1111-4222-8333-444455556666:b1 blob",
		"cursorDiskKV/bubbleId:c0ffee00-1111-4222-8333-444455556666:b2 blob",
	}
	if strings.Join(hits, "\n") != strings.Join(want, "\n") {
		t.Errorf("cells holding the secret:\n%s\nwant\n%s", strings.Join(hits, "\n"), strings.Join(want, "\n"))
	}
	// The JSON-in-JSON argument arrives byte for byte (escapes intact).
	for _, s := range got {
		if strings.HasSuffix(s.locator, ":b2") && s.column == "value" && !strings.Contains(s.value, `\"command\":\"git push https://x:`+secret) {
			t.Errorf("b2 value lost its escaped rawArgs: %s", s.value)
		}
	}
}

// snapshot records the names, sizes and modification times of a directory's
// files, to prove that reading changed nothing.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range ents {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = fi.ModTime().Format(time.RFC3339Nano) + " " + fi.Mode().String() + " " + string(rune('0'+fi.Size()%10))
	}
	return m
}

func TestImmutableWritesNothingBesideALiveWriter(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "opencode.db")
	secret := fakeToken(2)
	// A live owner in WAL mode that never checkpoints: its last rows sit in
	// opencode.db-wal, as with a running editor.
	owner, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	owner.SetMaxOpenConns(1)
	for _, q := range []string{
		"PRAGMA journal_mode=WAL", "PRAGMA wal_autocheckpoint=0",
		"CREATE TABLE part (id TEXT PRIMARY KEY, session_id TEXT, time_created INTEGER, data TEXT)",
	} {
		if _, err := owner.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := owner.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec("INSERT INTO part VALUES ('prt_1','ses_1',1767225600000,?)", `{"type":"tool","tool":"bash","state":{"input":{"command":"echo `+secret+`"}}}`); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)

	d, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.WAL != path+"-wal" || d.WALSize == 0 {
		t.Errorf("WAL = %q (%d bytes), want the non-empty -wal reported", d.WAL, d.WALSize)
	}
	rows := scanAll(t, d)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	// Immutable mode does not read the WAL: the uncheckpointed row is not
	// seen through SQL (the caller scans the -wal bytes instead).
	for _, s := range rows {
		if strings.Contains(s.value, secret) {
			t.Errorf("row from the WAL read through an immutable open: %+v", s)
		}
	}
	wal, err := os.ReadFile(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(wal, []byte(secret)) {
		t.Error("the -wal does not hold the row verbatim; raw-scanning it would miss it")
	}
	after := snapshot(t, dir)
	for name, v := range before {
		if after[name] != v {
			t.Errorf("%s changed: %s -> %s", name, v, after[name])
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("reading created %s", name)
		}
	}
	// The owner is undisturbed: it can still write.
	if _, err := owner.Exec("INSERT INTO part VALUES ('prt_2','ses_1',1,'{}')"); err != nil {
		t.Errorf("owner cannot write after our read: %v", err)
	}
}

func TestOversizeCellNotLoaded(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "big.db")
	const big = 16 << 20
	create(t, path,
		"CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB)",
		"INSERT INTO kv VALUES ('small', 'hello')",
		"INSERT INTO kv VALUES ('huge', zeroblob(16777216))",
	)
	d, err := Open(context.Background(), path, Options{MaxCell: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	var small, huge *Cell
	err = d.Scan(context.Background(), func(r *Row) error {
		c := *r.Cell("value")
		c.Value = append([]byte(nil), c.Value...)
		switch r.Key {
		case "small":
			small = &c
		case "huge":
			huge = &c
		}
		return nil
	})
	runtime.ReadMemStats(&ms1)
	if err != nil {
		t.Fatal(err)
	}
	if small == nil || string(small.Value) != "hello" || small.Skipped {
		t.Errorf("small cell = %+v", small)
	}
	if huge == nil || !huge.Skipped || huge.Size != big || huge.Value != nil {
		t.Errorf("huge cell = %+v, want Skipped with Size %d", huge, big)
	}
	if alloc := ms1.TotalAlloc - ms0.TotalAlloc; alloc > 4<<20 {
		t.Errorf("scanning allocated %d bytes; the 16 MiB cell must not be read", alloc)
	}
}

func TestRowBudgetDefersCells(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "goose.db")
	a, b := strings.Repeat("a", 600), strings.Repeat("b", 600)
	create(t, path,
		"CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT, role TEXT, content_json TEXT, metadata_json TEXT, created_timestamp INTEGER)",
		"INSERT INTO messages (session_id, role, content_json, metadata_json, created_timestamp) VALUES ('20260101_1','user',?,?,1767225600)", []any{a, b},
		"INSERT INTO messages (session_id, role, content_json, metadata_json, created_timestamp) VALUES ('20260101_1','assistant','[]','{}',1767225601)",
	)
	d, err := Open(context.Background(), path, Options{MaxCell: 1024, RowBudget: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var loc []string
	err = d.Scan(context.Background(), func(r *Row) error {
		loc = append(loc, r.Locator())
		if r.Table.Name != "messages" {
			return nil
		}
		if ts := r.Cell("created_timestamp"); ts.Kind != Integer || !strings.HasPrefix(string(ts.Value), "176722560") {
			t.Errorf("created_timestamp = %+v", ts)
		}
		c := r.Cell("content_json")
		if r.RowID == 1 {
			if !c.Deferred || c.Value != nil || !r.Cell("metadata_json").Deferred {
				t.Errorf("row over budget: cells not deferred: %+v", r.Cells)
			}
			// Every text cell of the row is deferred, small ones too.
			if !r.Cell("session_id").Deferred {
				t.Error("session_id of a row over budget not deferred")
			}
			for i := range r.Cells {
				if r.Cells[i].Column == "content_json" {
					v, err := r.Load(context.Background(), i)
					if err != nil || string(v) != a {
						t.Errorf("Load = %d bytes, %v", len(v), err)
					}
				}
			}
		} else if c.Deferred || string(c.Value) != "[]" {
			t.Errorf("row 2 content = %+v", c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(loc) == 0 || loc[0] != "messages/id=1" {
		t.Errorf("locators = %v, want messages/id=1 first (INTEGER PRIMARY KEY)", loc)
	}
}

func TestLocators(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.db")
	create(t, path,
		"CREATE TABLE norow (k TEXT, v TEXT)",
		"INSERT INTO norow VALUES ('a','b')",
		"CREATE TABLE wr (name TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID",
		"INSERT INTO wr VALUES ('n1','v1')",
		"CREATE TABLE conv (key TEXT NOT NULL, conversation_id TEXT NOT NULL, value TEXT, PRIMARY KEY (key, conversation_id))",
		"INSERT INTO conv VALUES ('/home/alice/app','c1','{}')",
		"CREATE TABLE longkey (key TEXT PRIMARY KEY, v TEXT)",
		"INSERT INTO longkey VALUES (?, 'x')", []any{strings.Repeat("é", 150)},
	)
	d, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var got []string
	if err := d.Scan(context.Background(), func(r *Row) error { got = append(got, r.Locator()); return nil }); err != nil {
		t.Fatal(err)
	}
	// conv has a composite primary key: rows are named by its column "key".
	want := []string{"norow/rowid=1", "wr/name=n1", "conv//home/alice/app"}
	for i, w := range want {
		if i >= len(got) || !strings.HasPrefix(got[i], w) {
			t.Errorf("locator %d = %v, want prefix %q", i, got, w)
		}
	}
	if got[2] != "conv//home/alice/app" {
		t.Errorf("conv locator = %q", got[2])
	}
	last := got[3]
	if !strings.HasSuffix(last, "…") || len(last) > len("longkey/")+maxKeyLen+len("…") {
		t.Errorf("long key not cut: %q (%d bytes)", last, len(last))
	}
	if !strings.HasPrefix(last, "longkey/é") || strings.ContainsRune(last, '\uFFFD') {
		t.Errorf("long key cut inside a character: %q", last)
	}
}

func TestFTSShadowTables(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fts.db")
	secret := fakeToken(3)
	create(t, path,
		"CREATE VIRTUAL TABLE search USING fts5(body)",
		"INSERT INTO search(body) VALUES (?)", []any{"curl -H 'Authorization: token " + secret + "'"},
	)
	d, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	tables, err := d.Tables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Name)
	}
	if strings.Join(names, ",") != "search_content" {
		t.Errorf("tables = %v, want only search_content (the text; not the index shadows or the virtual table)", names)
	}
	found := false
	for _, s := range scanAll(t, d) {
		found = found || strings.Contains(s.value, secret)
	}
	if !found {
		t.Error("text indexed by FTS5 not read through its _content table")
	}
}

func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	r := rand.New(rand.NewPCG(9, 9))
	noise := make([]byte, 8192)
	for i := range noise {
		noise[i] = byte(r.UintN(256))
	}
	// A real database, then the same bytes with every page after the first
	// overwritten: the header survives, the b-trees do not.
	good := filepath.Join(dir, "good.db")
	create(t, good, "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
	for i := 0; i < 200; i++ {
		create(t, good, "INSERT INTO t VALUES (?, ?)", []any{strings.Repeat("k", 10) + string(rune('a'+i%26)) + strings.Repeat("x", i), strings.Repeat("v", 300)})
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) < 3*4096 {
		t.Fatalf("test database too small: %d bytes", len(raw))
	}
	broken := append([]byte(nil), raw...)
	for i := 4096; i < len(broken); i++ {
		broken[i] = noise[i%len(noise)]
	}
	corrupt := write("corrupt.db", broken)
	truncated := write("truncated.db", raw[:len(raw)/2+100])

	cases := []struct {
		name string
		path string
		want error
	}{
		{"encrypted (SQLCipher-like random header)", write("enc.db", noise), ErrNotDatabase},
		{"text file", write("notes.db", []byte("just some notes\n")), ErrNotDatabase},
		{"corrupt pages", corrupt, ErrCorrupt},
		{"truncated", truncated, ErrCorrupt},
	}
	for _, c := range cases {
		d, err := Open(context.Background(), c.path, Options{})
		if err == nil {
			err = d.Scan(context.Background(), func(*Row) error { return nil })
			d.Close()
		}
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	// An empty file is an empty database: no error, nothing to scan.
	d, err := Open(context.Background(), write("empty.db", nil), Options{})
	if err != nil {
		t.Fatalf("empty: %v", err)
	}
	if rows := scanAll(t, d); len(rows) != 0 {
		t.Errorf("empty: %v", rows)
	}
	d.Close()
	if _, err := Open(context.Background(), filepath.Join(dir, "missing.db"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func TestAwkwardPaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "we?ird #dir %20 é")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "state.vscdb")
	secret := fakeToken(4)
	cursorGlobal(t, path, secret)
	d, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	n := 0
	for _, s := range scanAll(t, d) {
		if strings.Contains(s.value, secret) {
			n++
		}
	}
	if n != 3 {
		t.Errorf("found %d cells with the secret through %s, want 3", n, URI(path))
	}
}

func TestURI(t *testing.T) {
	got := URI("/home/a b/x?y#z%.db")
	want := "file:/home/a%20b/x%3Fy%23z%25.db?mode=ro&immutable=1"
	if runtime.GOOS != "windows" && got != want {
		t.Errorf("URI = %q, want %q", got, want)
	}
}

func TestContextCancel(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	create(t, path, "CREATE TABLE t (v TEXT)", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 1000) INSERT INTO t SELECT 'row' || i FROM n")
	d, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = d.Scan(ctx, func(*Row) error {
		n++
		if n == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n > 11 {
		t.Errorf("err = %v after %d rows", err, n)
	}
}

func BenchmarkScanKV(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "state.vscdb")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	value := strings.Repeat(`{"type":2,"text":"some assistant text with code","toolFormerData":{"rawArgs":"{\"command\":\"ls\"}"}}`, 20)
	if _, err := db.Exec("CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)"); err != nil {
		b.Fatal(err)
	}
	tx, _ := db.Begin()
	for i := 0; i < 20000; i++ {
		if _, err := tx.Exec("INSERT INTO cursorDiskKV VALUES (?, CAST(? AS BLOB))", "bubbleId:c:"+string(rune('a'+i%26))+strings.Repeat("0", i%7)+string(rune(i)), value); err != nil {
			b.Fatal(err)
		}
	}
	tx.Commit()
	db.Close()
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := Open(context.Background(), path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Scan(context.Background(), func(*Row) error { return nil }); err != nil {
			b.Fatal(err)
		}
		d.Close()
	}
}
