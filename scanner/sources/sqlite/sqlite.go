// Package sqlite opens the SQLite databases agents and editors keep their
// history in — Cursor's, VS Code's, Windsurf's and Kiro's state.vscdb,
// opencode.db, Goose's sessions.db, Zed's threads.db, Amazon Q's
// data.sqlite3, Codex's state_N.sqlite, Copilot CLI's session-store.db,
// Cursor CLI's store.db — as containers (scanner.Container): the engine
// scans each row as a file of its own, and the agents' handlers read the
// rows of their tables (docs/agents.md, "SQLite stores").
//
// A database is opened read-only and immutable through package sqlitedb,
// so a running editor is never disturbed and no -wal, -shm or journal is
// written; rows are streamed one at a time.
//
// Each row becomes one JSON document, {"<column>": <value>, …}, located
// at "<db>!<table>/<key>" (scanner.StepRow, sqlitedb.Row.Locator): a TEXT
// or BLOB cell that holds a JSON object or array is embedded as JSON (a
// finding's field path runs through it: "value.toolFormerData.rawArgs.
// command"), other text as a JSON string, numbers as numbers. So the row's
// other columns (its session, time, role) are there for the handler to
// report, and a JSON value in a cell is parsed like any JSON file. A cell
// that is not UTF-8 text (zstd, protobuf) is scanned on its own as raw
// bytes. Item class paths are "<db path>!<table>" for a row and
// "<db path>!<table>!<column>" for a raw cell (see Item); the generic row
// handler (Rows) reads those no agent handler takes.
//
// Immutable mode does not read the write-ahead log: when sqlitedb reports
// a non-empty <db>-wal, its bytes are scanned as raw text after the rows
// (page images keep text cells verbatim), located at the -wal file. A
// locked, corrupt or encrypted database is a per-file error; a cell over
// the 64 MiB cap is reported as not scanned; an agent's own login rows
// (scanner.CredentialStores: Cursor's cursorAuth/*, Amazon Q's auth_kv)
// are skipped and counted.
package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/match"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlitedb"
)

// SourceDatabase is a row (or the write-ahead log) of an agent's database
// that no agent-specific handler reads.
var SourceDatabase = &scanner.Source{
	Name: "agent-database", Store: scanner.StoreDatabase,
	Label:  "an agent's database",
	Advice: "The secret is in a row of the application's own database: after rotating, delete the conversation in the application (or close it and run `mcpscan redact`).",
	Fields: []scanner.Field{scanner.FieldClient, scanner.FieldSession, scanner.FieldTimestamp, scanner.FieldRecordType},
}

// Container opens agents' SQLite databases and yields their rows.
type Container struct{}

var (
	_ scanner.Container      = Container{}
	_ scanner.ContentHandler = Container{}
)

// Sources returns nothing: rows are reported by their handlers.
func (Container) Sources() []*scanner.Source { return nil }

// agentDataDirs are path parts of agents' data directories that are not
// dot directories (scanner.IsAgentDir covers those).
var agentDataDirs = []string{
	"/Cursor/User/", "/Code/User/", "/Code - Insiders/User/", "/VSCodium/User/", "/Windsurf/User/", "/Kiro/User/",
	"/.vscode-server/data/User/", "/opencode/", "/goose/", "/zed/threads/", "/Zed/threads/", "/amazon-q/", "/kiro-cli/",
}

// inAgentData reports whether p is below an agent's directory.
func inAgentData(p string) bool {
	for _, d := range agentDataDirs {
		if strings.Contains(p, d) {
			return true
		}
	}
	for _, seg := range strings.Split(p, "/") {
		if scanner.IsAgentDir(seg) {
			return true
		}
	}
	return false
}

// isDatabaseName reports whether a base name is a database's.
func isDatabaseName(base string) bool {
	b := strings.ToLower(base)
	for _, ext := range []string{".vscdb", ".vscdb.backup", ".sqlite", ".sqlite3", ".db"} {
		if strings.HasSuffix(b, ext) {
			return true
		}
	}
	return false
}

// Accepts takes *.vscdb anywhere, and *.db, *.sqlite and *.sqlite3 below
// an agent's directory.
func (Container) Accepts(p string) bool {
	base := path.Base(p)
	if strings.Contains(base, "!") || !isDatabaseName(base) {
		return false
	}
	return strings.Contains(strings.ToLower(base), ".vscdb") || inAgentData(p)
}

// AcceptsContent takes a binary file that Accepts takes (one that turns
// out not to be SQLite — encrypted — is then reported, not skipped), or
// any SQLite file below an agent's directory.
func (c Container) AcceptsContent(p string, head []byte) bool {
	return c.Accepts(p) || sqlitedb.IsSQLite(head) && !strings.Contains(path.Base(p), "!") && inAgentData(p)
}

// Scan is never called: the engine opens containers.
func (Container) Scan(context.Context, *scanner.Input, *scanner.Env) error {
	return errors.New("sqlite: a container is opened, not scanned")
}

// Open opens the database read-only and immutable and returns its rows.
// A database that cannot be read is reported as a problem of in, with no
// items.
func (Container) Open(ctx context.Context, in *scanner.Input, env *scanner.Env) (scanner.Items, error) {
	if in.Depth > 0 || !filepath.IsAbs(filepath.FromSlash(in.ClassPath)) {
		env.Problem(in, 0, scanner.ReasonSkipped, "SQLite database not on disk (inside an archive or a package): not opened")
		return empty{}, nil
	}
	db, err := sqlitedb.Open(ctx, filepath.FromSlash(in.ClassPath), sqlitedb.Options{})
	if err != nil {
		env.Problem(in, 0, scanner.ReasonUnreadable, "%s", describe(err))
		return empty{}, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	it := &items{env: env, in: in, db: db, cancel: cancel, msgs: make(chan msg, itemQueue)}
	go it.produce(ctx)
	return it, nil
}

// describe says in words why a database could not be read.
func describe(err error) string {
	switch {
	case errors.Is(err, sqlitedb.ErrNotDatabase):
		return "encrypted or not a plain SQLite database: not scanned"
	case errors.Is(err, sqlitedb.ErrCorrupt):
		return "corrupt SQLite database (or rewritten while read): not scanned"
	case errors.Is(err, sqlitedb.ErrLocked):
		return "SQLite database locked by another process: not scanned"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// empty has no items.
type empty struct{}

func (empty) Next() (*scanner.Input, error) { return nil, io.EOF }
func (empty) Close() error                  { return nil }

// msg is what the row reader hands over: an item, or a problem or skip to
// record (env belongs to the engine's worker goroutine, which calls Next).
type msg struct {
	item    *scanner.Input
	reason  string // a problem's reason, or scanner.Skip* with skip set
	problem string
	skip    bool
	closer  io.Closer
}

// itemQueue is how many rows the reader may run ahead of the scan. Every
// item owns its bytes (a row's JSON document is built anew, binary cells
// are copied), so a few rows in flight cost a few rows of memory and
// spare the reader and the scan a hand-over per row.
const itemQueue = 16

// items streams a database's rows from a goroutine that runs
// sqlitedb.Scan, up to itemQueue items ahead of the engine.
type items struct {
	env    *scanner.Env
	in     *scanner.Input
	db     *sqlitedb.DB
	cancel context.CancelFunc
	msgs   chan msg
	closer io.Closer // the last item's file (the -wal)
	done   bool
}

func (it *items) Next() (*scanner.Input, error) {
	it.release()
	for !it.done {
		m, ok := <-it.msgs
		if !ok {
			it.done = true
			break
		}
		switch {
		case m.skip:
			it.env.Skip(m.reason)
		case m.item == nil:
			it.env.Problem(it.in, 0, m.reason, "%s", m.problem)
		default:
			it.closer = m.closer
			return m.item, nil
		}
	}
	return nil, io.EOF
}

// release closes the last item's file, once the engine is done with it.
func (it *items) release() {
	if it.closer != nil {
		it.closer.Close()
		it.closer = nil
	}
}

func (it *items) Close() error {
	if it.closer != nil {
		it.closer.Close()
		it.closer = nil
	}
	it.cancel()
	for m := range it.msgs { // let the reader finish
		if m.closer != nil {
			m.closer.Close()
		}
	}
	return it.db.Close()
}

// send hands m over (waiting while itemQueue items are in flight).
func (it *items) send(ctx context.Context, m msg) error {
	select {
	case it.msgs <- m:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// produce reads every row, then the write-ahead log.
func (it *items) produce(ctx context.Context) {
	defer close(it.msgs)
	err := it.db.Scan(ctx, func(row *sqlitedb.Row) error { return it.row(ctx, row) })
	if err != nil && ctx.Err() == nil {
		it.send(ctx, msg{reason: scanner.ReasonUnreadable, problem: "reading rows: " + describe(err) + " (rows after this point not scanned)"})
	}
	if it.db.WAL != "" && ctx.Err() == nil {
		f, err := os.Open(it.db.WAL)
		if err != nil {
			it.send(ctx, msg{reason: scanner.ReasonUnreadable, problem: "write-ahead log " + path.Base(filepath.ToSlash(it.db.WAL)) + ": " + describe(err)})
			return
		}
		wal := &scanner.Input{
			Loc:       it.in.Loc.WithFile(it.in.Loc.File + "-wal"),
			ClassPath: it.in.ClassPath + "-wal",
			Size:      it.db.WALSize,
			Reader:    io.LimitReader(f, it.db.WALSize),
			ReaderAt:  io.NewSectionReader(f, 0, it.db.WALSize),
		}
		if it.send(ctx, msg{item: wal, closer: f}) != nil {
			f.Close()
		}
	}
}

// row sends the items of one row: its JSON document and its raw cells.
func (it *items) row(ctx context.Context, row *sqlitedb.Row) error {
	loc := row.Locator()
	if scanner.IsCredentialStore(it.in.ClassPath + "!" + loc) {
		return it.send(ctx, msg{skip: true, reason: scanner.SkipCredentialStore})
	}
	var doc bytes.Buffer
	enc := json.NewEncoder(&doc)
	enc.SetEscapeHTML(false)
	doc.WriteByte('{')
	texts := 0
	var raw []*scanner.Input
	for i := range row.Cells {
		c := &row.Cells[i]
		switch c.Kind {
		case sqlitedb.Null:
			continue
		case sqlitedb.Integer, sqlitedb.Real:
			writeKey(&doc, enc, c.Column)
			doc.Write(c.Value)
			continue
		}
		switch {
		case c.Skipped:
			if err := it.send(ctx, msg{reason: scanner.ReasonLimit, problem: fmt.Sprintf("%s, column %s: %d bytes, over the %d MiB cell limit: not scanned",
				loc, c.Column, c.Size, sqlitedb.DefaultMaxCell>>20)}); err != nil {
				return err
			}
			continue
		case c.Deferred:
			v, err := row.Load(ctx, i)
			if err != nil {
				if err := it.send(ctx, msg{reason: scanner.ReasonUnreadable, problem: loc + ", column " + c.Column + ": " + describe(err)}); err != nil {
					return err
				}
				continue
			}
			raw = append(raw, it.cell(row, loc, c.Column, v))
			continue
		}
		v := c.Value
		switch {
		case isJSONValue(v):
			writeKey(&doc, enc, c.Column)
			doc.Write(bytes.TrimSpace(v))
			texts++
		case utf8.Valid(v) && bytes.IndexByte(v, 0) < 0:
			writeKey(&doc, enc, c.Column)
			enc.Encode(string(v))
			doc.Truncate(doc.Len() - 1) // Encode's newline
			texts++
		default: // binary: scanned on its own
			raw = append(raw, it.cell(row, loc, c.Column, bytes.Clone(v)))
		}
	}
	doc.WriteByte('}')
	if texts > 0 {
		data := doc.Bytes()
		item := &scanner.Input{
			Loc:       it.in.Loc.Nested(scanner.StepRow, loc),
			ClassPath: it.in.ClassPath + "!" + row.Table.Name,
			Size:      int64(len(data)),
			Reader:    bytes.NewReader(data),
			ReaderAt:  bytes.NewReader(data),
		}
		if err := it.send(ctx, msg{item: item}); err != nil {
			return err
		}
	}
	for _, item := range raw {
		if err := it.send(ctx, msg{item: item}); err != nil {
			return err
		}
	}
	return nil
}

// cell returns a raw cell's item: its field is the column.
func (it *items) cell(row *sqlitedb.Row, loc, column string, v []byte) *scanner.Input {
	l := it.in.Loc.Nested(scanner.StepRow, loc)
	l.Field = column
	return &scanner.Input{
		Loc:       l,
		ClassPath: it.in.ClassPath + "!" + row.Table.Name + "!" + column,
		Size:      int64(len(v)),
		Reader:    bytes.NewReader(v),
		ReaderAt:  bytes.NewReader(v),
	}
}

// writeKey writes a member's key (and a comma before all but the first).
func writeKey(doc *bytes.Buffer, enc *json.Encoder, key string) {
	if doc.Len() > 1 {
		doc.WriteByte(',')
	}
	enc.Encode(key)
	doc.Truncate(doc.Len() - 1)
	doc.WriteByte(':')
}

// isJSONValue reports whether v is a JSON object or array.
func isJSONValue(v []byte) bool {
	t := bytes.TrimSpace(v)
	return len(t) > 1 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

// Item tells what a container item's class path names: the database's
// path, the table, and the column of a raw cell ("" for a row document);
// wal is set for the write-ahead log. ok is false for other paths.
func Item(classPath string) (db, table, column string, wal, ok bool) {
	if strings.HasSuffix(classPath, "-wal") && isDatabaseName(path.Base(strings.TrimSuffix(classPath, "-wal"))) {
		return strings.TrimSuffix(classPath, "-wal"), "", "", true, true
	}
	i := strings.IndexByte(classPath, '!')
	if i < 0 || !isDatabaseName(path.Base(classPath[:i])) {
		return "", "", "", false, false
	}
	db, rest := classPath[:i], classPath[i+1:]
	table, column, _ = strings.Cut(rest, "!")
	return db, table, column, false, true
}

// Key returns the row key of an item: its row locator without the table
// ("bubbleId:…" of "cursorDiskKV/bubbleId:…", "id=2" of "messages/id=2").
func Key(in *scanner.Input) string {
	if n := len(in.Loc.Steps); n > 0 && in.Loc.Steps[n-1].Kind == scanner.StepRow {
		_, key, _ := strings.Cut(in.Loc.Steps[n-1].Name, "/")
		return key
	}
	return ""
}

// Lookup runs a query returning one text value against the database an
// item belongs to (the row's session directory, the conversation of a
// prompt): a handler's way to the row's neighbours, since an item holds
// one row. It opens the database again, read-only and immutable, for the
// one query; "" when the database or the row is not there.
func Lookup(ctx context.Context, in *scanner.Input, q string, args ...any) string {
	db, _, _, _, ok := Item(in.ClassPath)
	if !ok || in.Depth > 1 {
		return ""
	}
	d, err := sqlitedb.Open(ctx, filepath.FromSlash(db), sqlitedb.Options{})
	if err != nil {
		return ""
	}
	defer d.Close()
	v, _ := d.QueryString(ctx, q, args...)
	return v
}

// Rows reads the rows, raw cells and write-ahead logs no agent handler
// takes: each row document as JSON (records.Document), raw bytes as text.
type Rows struct{}

var _ scanner.LineOriented = Rows{}

// Sources returns SourceDatabase.
func (Rows) Sources() []*scanner.Source { return []*scanner.Source{SourceDatabase} }

// Accepts takes container items of databases (see Item).
func (Rows) Accepts(p string) bool {
	_, _, _, _, ok := Item(p)
	return ok
}

// LineOriented makes the engine hand raw cells and logs over even when
// they hold NUL bytes: their text runs are what is scanned.
func (Rows) LineOriented() bool { return true }

var captureKeys = []string{"session_id", "sessionId", "conversation_id", "thread_id", "composerId", "created_at", "createdAt",
	"timestamp", "time_created", "updated_at", "role", "type"}

// Scan reads one row, raw cell or log.
func (Rows) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	db, _, column, wal, _ := Item(in.ClassPath)
	client := scanner.Attr{Key: scanner.FieldClient.Key, Value: ClientOf(db)}
	if wal && in.Depth == 0 && (Container{}).Accepts(db) {
		if _, err := os.Stat(filepath.FromSlash(db)); err == nil {
			return nil // the container scans the log of the database beside it
		}
	}
	if wal || column != "" {
		// Raw pages hold a row once per version written: one finding per
		// secret.
		seen := map[string]bool{}
		return env.Match(in, match.Text, func(h *match.Hit) error {
			if k := h.Rule.ID + "\x00" + h.Secret; !seen[k] {
				seen[k] = true
				f := scanner.FindingFromHit(in, SourceDatabase, h)
				f.Context = scanner.Context{client}.Compact()
				env.Report(f)
			}
			return nil
		})
	}
	return records.Document(in, env, records.Options{Capture: captureKeys}, func(places []records.Place) {
		for _, p := range places {
			row := p.Record(0)
			env.Report(records.Finding(in, SourceDatabase, p, scanner.Context{client,
				{Key: scanner.FieldSession.Key, Value: records.FirstOf(records.Get(row, "session_id"), records.Get(row, "sessionId"),
					records.Get(row, "conversation_id"), records.Get(row, "thread_id"), records.Get(row, "composerId"))},
				{Key: scanner.FieldTimestamp.Key, Value: records.Time(records.FirstOf(records.Get(row, "timestamp"), records.Get(row, "created_at"),
					records.Get(row, "createdAt"), records.Get(row, "time_created"), records.Get(row, "updated_at")))},
				{Key: scanner.FieldRecordType.Key, Value: records.FirstOf(records.Get(row, "role"), records.Get(row, "type"))},
			}))
		}
	})
}

// clients names the agent a database belongs to by a part of its path.
var clients = []struct{ part, name string }{
	{"/Cursor/", "Cursor"}, {"/.cursor/", "Cursor"}, {"/Windsurf/", "Windsurf"}, {"/Kiro/", "Kiro"}, {"/kiro-cli/", "Kiro CLI"},
	{"/Code - Insiders/", "VS Code Insiders"}, {"/VSCodium/", "VSCodium"}, {"/Code/", "VS Code"}, {"/.vscode-server/", "VS Code"},
	{"/.codex/", "Codex CLI"}, {"/opencode/", "opencode"}, {"/goose/", "Goose"}, {"/zed/", "Zed"}, {"/Zed/", "Zed"},
	{"/amazon-q/", "Amazon Q"}, {"/.copilot/", "Copilot CLI"}, {"/.cline/", "Cline"}, {"/.claude/", "Claude Code"},
}

// ClientOf names the agent whose directory holds the database at p ("").
func ClientOf(p string) string {
	for _, c := range clients {
		if strings.Contains(p, c.part) {
			return c.name
		}
	}
	return ""
}
