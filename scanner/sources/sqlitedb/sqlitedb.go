// Package sqlitedb reads SQLite databases that coding agents and editors keep
// their history in (Cursor's and VS Code's state.vscdb, opencode.db, Goose's
// sessions.db, Zed's threads.db, Amazon Q's data.sqlite3, Codex's
// state_N.sqlite), without ever disturbing the program that owns them.
//
// A database is opened read-only and immutable (the SQLite URI
// "file:…?mode=ro&immutable=1"): SQLite takes no lock and creates, reads and
// writes no -wal, -shm or -journal file, so a running editor never sees us.
// The price is that rows still sitting in a write-ahead log are invisible;
// DB.WAL reports a non-empty "<db>-wal" beside the file so that the caller
// can scan its bytes as raw text (page images keep text cells verbatim).
//
// Rows are streamed one at a time (bounded memory on multi-gigabyte files):
// every TEXT and BLOB cell up to Options.MaxCell bytes is delivered with the
// row; a larger cell is never loaded, only reported with its size. When the
// text and blob cells of one row add up to more than Options.RowBudget, the
// cells are left unloaded and Row.Load fetches them one by one.
//
// The driver is modernc.org/sqlite: SQLite translated to pure Go, so release
// builds stay CGO_ENABLED=0 and cross-compile to every GOOS/GOARCH the
// release ships, with the SQLite C code's own semantics (URI parameters,
// immutable mode, FTS5, octet_length). The cgo drivers (mattn/go-sqlite3)
// would need a C toolchain per target; ncruces/go-sqlite3 runs SQLite as
// WebAssembly under wazero, which is heavier per connection.
package sqlitedb

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Header is the 16-byte magic that starts every SQLite 3 database file
// (https://www.sqlite.org/fileformat.html, section 1.3).
const Header = "SQLite format 3\x00"

// DefaultMaxCell is the largest cell, in bytes, that is loaded: 64 MiB.
const DefaultMaxCell = 64 << 20

// DefaultRowBudget is the largest total of a row's text and blob cells, in
// bytes, delivered with the row: 128 MiB. Cells of larger rows are loaded
// one at a time through Row.Load.
const DefaultRowBudget = 128 << 20

// maxKeyLen caps the key text shown in a row locator, in bytes.
const maxKeyLen = 200

// IsSQLite reports whether head (the first bytes of a file) starts with the
// SQLite 3 header.
func IsSQLite(head []byte) bool { return bytes.HasPrefix(head, []byte(Header)) }

// Errors returned by Open and Scan, to be tested with errors.Is. Each
// wraps the driver's message.
var (
	// ErrNotDatabase: the file does not start with the SQLite header. It is
	// encrypted (SQLCipher and similar rewrite the header) or is not SQLite.
	ErrNotDatabase = errors.New("not a plain SQLite database: no \"SQLite format 3\" header (encrypted, e.g. SQLCipher, or another format)")
	// ErrCorrupt: SQLite found the file malformed. With an immutable open
	// this also happens when the owner rewrites pages while we read.
	ErrCorrupt = errors.New("SQLite database is corrupt or was changed while being read")
	// ErrLocked: the operating system or SQLite refused access because
	// another process holds the file (Windows sharing violations, busy).
	ErrLocked = errors.New("SQLite database is locked by another process")
)

// Options tune Open. The zero value uses the defaults.
type Options struct {
	// MaxCell is the largest TEXT or BLOB cell loaded, in bytes; 0 means
	// DefaultMaxCell. Larger cells are reported (Cell.Skipped), not read.
	MaxCell int64
	// RowBudget is the largest total of one row's TEXT and BLOB cells
	// delivered with the row, in bytes; 0 means DefaultRowBudget.
	RowBudget int64
}

// DB is an open database. It is not safe for concurrent Scan calls.
type DB struct {
	// Path is the file as given to Open.
	Path string
	// Size is the main file's size in bytes when it was opened.
	Size int64
	// WAL is the path of a non-empty write-ahead log beside the file
	// ("<Path>-wal"), whose rows an immutable open does not see; "" when
	// there is none.
	WAL string
	// WALSize is the size of WAL in bytes.
	WALSize int64
	// HotJournal reports a non-empty rollback journal ("<Path>-journal"):
	// the owner was mid-transaction, and the file may be inconsistent.
	HotJournal bool

	db  *sql.DB
	opt Options
}

// Open opens path read-only and immutable. It checks the header first, so
// an encrypted or foreign file yields ErrNotDatabase without the driver
// touching it, and runs one query so that a corrupt file fails here.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if opt.MaxCell <= 0 {
		opt.MaxCell = DefaultMaxCell
	}
	if opt.RowBudget <= 0 {
		opt.RowBudget = DefaultRowBudget
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, len(Header))
	n, rerr := io.ReadFull(f, head)
	st, serr := f.Stat()
	f.Close()
	if serr != nil {
		return nil, serr
	}
	if rerr != nil && !errors.Is(rerr, io.ErrUnexpectedEOF) && !errors.Is(rerr, io.EOF) {
		return nil, rerr
	}
	// A 0-byte file is a valid, empty database to SQLite: nothing to scan.
	if n > 0 && !IsSQLite(head[:n]) {
		return nil, ErrNotDatabase
	}
	d := &DB{Path: path, Size: st.Size(), opt: opt}
	if wst, err := os.Stat(path + "-wal"); err == nil && wst.Mode().IsRegular() && wst.Size() > 0 {
		d.WAL, d.WALSize = path+"-wal", wst.Size()
	}
	if jst, err := os.Stat(path + "-journal"); err == nil && jst.Mode().IsRegular() && jst.Size() > 0 {
		d.HotJournal = true
	}
	db, err := sql.Open("sqlite", URI(path))
	if err != nil {
		return nil, classify(err)
	}
	// One connection streams rows; a second serves Row.Load while the
	// first is mid-query.
	db.SetMaxOpenConns(2)
	var n2 int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n2); err != nil {
		db.Close()
		return nil, classify(err)
	}
	d.db = db
	return d, nil
}

// URI returns the SQLite URI that opens path read-only and immutable. Every
// byte outside the URI's unreserved set is percent-encoded, so '?', '#' and
// '%' in a path stay part of it. On Windows "C:\x" becomes "file:///C:/x".
func URI(path string) string {
	p := filepath.ToSlash(path)
	if runtime.GOOS == "windows" && len(p) >= 2 && p[1] == ':' {
		p = "/" + p
	}
	var b strings.Builder
	b.WriteString("file:")
	if strings.HasPrefix(p, "//") {
		b.WriteString("//") // keep a UNC host
	}
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '/', c == '-', c == '_', c == '.', c == '~', c == ':':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	b.WriteString("?mode=ro&immutable=1")
	return b.String()
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// QueryString runs a query that returns one text value (a handler looking
// up a row's session directory, say) and returns it; "" when there is no
// row or the value is NULL.
func (d *DB) QueryString(ctx context.Context, q string, args ...any) (string, error) {
	var v sql.NullString
	err := d.db.QueryRowContext(ctx, q, args...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", classify(err)
	}
	return v.String, nil
}

// Column is one column of a table.
type Column struct {
	Name string
	Type string // declared type, as written in CREATE TABLE ("" when none)
}

// Table is one table that Scan reads.
type Table struct {
	Name    string
	Columns []Column
	// Key is the column whose value names a row in a locator: the single
	// primary-key or UNIQUE column, else a column named "key" or "id";
	// "" means the rowid.
	Key string
	// WithoutRowID tables have no rowid; their rows are always delivered
	// whole (each cell still capped at MaxCell).
	WithoutRowID bool
}

// Tables lists the tables Scan reads, in schema order: every ordinary
// table except SQLite's own (sqlite_*), virtual tables (read through their
// shadow _content table instead) and FTS index shadow tables, which hold
// tokenised index data rather than text.
func (d *DB) Tables(ctx context.Context) ([]Table, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'table' ORDER BY rowid")
	if err != nil {
		return nil, classify(err)
	}
	type entry struct{ name, sql string }
	var all []entry
	virtual := map[string]bool{}
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.name, &e.sql); err != nil {
			rows.Close()
			return nil, classify(err)
		}
		all = append(all, e)
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(e.sql)), "CREATE VIRTUAL TABLE") {
			virtual[e.name] = true
		}
	}
	if err := rows.Close(); err != nil {
		return nil, classify(err)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err)
	}
	var out []Table
	for _, e := range all {
		if strings.HasPrefix(e.name, "sqlite_") || virtual[e.name] || isIndexShadow(e.name, virtual) {
			continue
		}
		t := Table{Name: e.name, WithoutRowID: strings.Contains(strings.ToUpper(e.sql), "WITHOUT ROWID")}
		if err := d.columns(ctx, &t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// isIndexShadow reports whether name is an FTS3/4/5 shadow table that holds
// index structures (not the indexed text) of a virtual table in virtual.
func isIndexShadow(name string, virtual map[string]bool) bool {
	i := strings.LastIndexByte(name, '_')
	if i <= 0 || !virtual[name[:i]] {
		return false
	}
	switch name[i+1:] {
	case "data", "idx", "docsize", "config", "segments", "segdir", "stat":
		return true
	}
	return false
}

// columns fills t.Columns and t.Key from PRAGMA table_info and index_list.
func (d *DB) columns(ctx context.Context, t *Table) error {
	rows, err := d.db.QueryContext(ctx, "SELECT name, type, pk FROM pragma_table_info(?)", t.Name)
	if err != nil {
		return classify(err)
	}
	var pks []string
	for rows.Next() {
		var c Column
		var pk int
		if err := rows.Scan(&c.Name, &c.Type, &pk); err != nil {
			rows.Close()
			return classify(err)
		}
		t.Columns = append(t.Columns, c)
		if pk > 0 {
			pks = append(pks, c.Name)
		}
	}
	if err := rows.Close(); err != nil {
		return classify(err)
	}
	if len(pks) == 1 {
		t.Key = pks[0]
		return nil
	}
	// A single-column UNIQUE index (VS Code's "key TEXT UNIQUE ON CONFLICT
	// REPLACE") names rows as well as a primary key.
	urows, err := d.db.QueryContext(ctx,
		"SELECT ii.name FROM pragma_index_list(?) AS il, pragma_index_info(il.name) AS ii WHERE il.\"unique\" = 1 GROUP BY il.name HAVING count(*) = 1", t.Name)
	if err == nil {
		for urows.Next() {
			var name string
			if urows.Scan(&name) == nil && t.Key == "" {
				t.Key = name
			}
		}
		urows.Close()
	}
	if t.Key != "" {
		return nil
	}
	for _, want := range []string{"key", "id"} {
		for _, c := range t.Columns {
			if strings.EqualFold(c.Name, want) {
				t.Key = c.Name
				return nil
			}
		}
	}
	return nil
}

// Kind is a cell's storage class.
type Kind uint8

// Storage classes (https://www.sqlite.org/datatype3.html).
const (
	Null Kind = iota
	Integer
	Real
	Text
	Blob
)

func (k Kind) String() string {
	return [...]string{"null", "integer", "real", "text", "blob"}[k]
}

// Cell is one value of a row.
type Cell struct {
	Column string
	Kind   Kind
	// Size is the value's length in bytes (for numbers, of their text form).
	Size int64
	// Value holds the bytes of a loaded value (numbers as decimal text).
	// It is valid only until the row callback returns.
	Value []byte
	// Skipped is set for a TEXT or BLOB cell larger than MaxCell: it was
	// not read, and never will be.
	Skipped bool
	// Deferred is set for a TEXT or BLOB cell of a row over RowBudget: it
	// was not read with the row; Row.Load reads it.
	Deferred bool
}

// Row is one row, delivered to the Scan callback. It and its cells are
// reused for the next row.
type Row struct {
	Table *Table
	// RowID is the rowid (0 for WITHOUT ROWID tables).
	RowID int64
	// Key is the text of the Table.Key column ("" when Table.Key is "").
	Key   string
	Cells []Cell

	d *DB
}

// Locator names the row inside the database: "table/keyvalue" when the key
// column is called "key" (Cursor's "cursorDiskKV/bubbleId:…"),
// "table/column=value" for another key column, "table/rowid=N" without one.
// Key text is cut to 200 bytes and marked with "…".
func (r *Row) Locator() string {
	t := r.Table
	switch {
	case t.Key == "":
		return t.Name + "/rowid=" + strconv.FormatInt(r.RowID, 10)
	case strings.EqualFold(t.Key, "key"):
		return t.Name + "/" + shortKey(r.Key)
	default:
		return t.Name + "/" + t.Key + "=" + shortKey(r.Key)
	}
}

func shortKey(k string) string {
	if len(k) <= maxKeyLen {
		return k
	}
	cut := maxKeyLen
	for cut > 0 && k[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return k[:cut] + "…"
}

// Cell returns the cell of the named column, or nil.
func (r *Row) Cell(column string) *Cell {
	for i := range r.Cells {
		if r.Cells[i].Column == column {
			return &r.Cells[i]
		}
	}
	return nil
}

// Load reads the value of cell i of a row over RowBudget (Cell.Deferred),
// by rowid. The bytes are the caller's to keep.
func (r *Row) Load(ctx context.Context, i int) ([]byte, error) {
	c := &r.Cells[i]
	if !c.Deferred {
		return c.Value, nil
	}
	var v []byte
	q := "SELECT " + quoteIdent(c.Column) + " FROM " + quoteIdent(r.Table.Name) + " WHERE rowid = ?"
	if err := r.d.db.QueryRowContext(ctx, q, r.RowID).Scan(&v); err != nil {
		return nil, classify(err)
	}
	return v, nil
}

// Scan streams every row of every table of Tables to fn. An error from fn
// stops the scan and is returned as is.
func (d *DB) Scan(ctx context.Context, fn func(*Row) error) error {
	tables, err := d.Tables(ctx)
	if err != nil {
		return err
	}
	for i := range tables {
		if err := d.ScanTable(ctx, &tables[i], fn); err != nil {
			return err
		}
	}
	return nil
}

// ScanTable streams the rows of t to fn, in rowid order where there is one.
func (d *DB) ScanTable(ctx context.Context, t *Table, fn func(*Row) error) error {
	q, keyIndex := d.query(t)
	rows, err := d.db.QueryContext(ctx, q)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	n := len(t.Columns)
	// Per column: typeof, octet_length, value (NULL when skipped/deferred).
	kinds := make([]string, n)
	sizes := make([]sql.NullInt64, n)
	vals := make([]sql.RawBytes, n)
	var rowid int64
	var key sql.RawBytes
	dest := make([]any, 0, 2+3*n)
	dest = append(dest, &rowid, &key)
	for i := 0; i < n; i++ {
		dest = append(dest, &kinds[i], &sizes[i], &vals[i])
	}
	row := &Row{Table: t, Cells: make([]Cell, n), d: d}
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := rows.Scan(dest...); err != nil {
			return classify(err)
		}
		row.RowID, row.Key = rowid, ""
		if keyIndex >= 0 {
			row.Key = string(key)
		}
		var total int64
		for i := 0; i < n; i++ {
			if k := kindOf(kinds[i]); k == Text || k == Blob {
				total += sizes[i].Int64
			}
		}
		overBudget := total > d.opt.RowBudget && !t.WithoutRowID
		for i := 0; i < n; i++ {
			c := &row.Cells[i]
			*c = Cell{Column: t.Columns[i].Name, Kind: kindOf(kinds[i]), Size: sizes[i].Int64, Value: vals[i]}
			if c.Kind == Text || c.Kind == Blob {
				switch {
				case c.Size > d.opt.MaxCell:
					c.Skipped, c.Value = true, nil
				case overBudget:
					c.Deferred, c.Value = true, nil
				}
			}
			if c.Kind == Null {
				c.Value = nil
			}
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return classify(err)
	}
	return nil
}

// query builds the SELECT for t. For each column it returns typeof(c),
// octet_length(c), and c itself unless c is TEXT/BLOB over MaxCell, or the
// row's TEXT/BLOB total is over RowBudget; octet_length reads a value's
// size from the record header without loading it, so skipped cells cost no
// I/O. keyIndex is -1 when t has no key column.
func (d *DB) query(t *Table) (string, int) {
	var total strings.Builder
	for i, c := range t.Columns {
		if i > 0 {
			total.WriteString(" + ")
		}
		fmt.Fprintf(&total, "(CASE WHEN typeof(%s) IN ('text','blob') THEN octet_length(%[1]s) ELSE 0 END)", quoteIdent(c.Name))
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	if t.WithoutRowID {
		b.WriteString("0")
	} else {
		b.WriteString("rowid")
	}
	keyIndex := -1
	if t.Key != "" {
		keyIndex = 0
		fmt.Fprintf(&b, ", CAST(%s AS TEXT)", quoteIdent(t.Key))
	} else {
		b.WriteString(", NULL")
	}
	budget := "0"
	if !t.WithoutRowID {
		budget = fmt.Sprintf("(%s) > %d", total.String(), d.opt.RowBudget)
	}
	for _, c := range t.Columns {
		id := quoteIdent(c.Name)
		fmt.Fprintf(&b, ", typeof(%s), octet_length(%[1]s), CASE WHEN typeof(%[1]s) IN ('text','blob') AND (octet_length(%[1]s) > %[2]d OR %[3]s) THEN NULL ELSE %[1]s END",
			id, d.opt.MaxCell, budget)
	}
	b.WriteString(" FROM ")
	b.WriteString(quoteIdent(t.Name))
	if !t.WithoutRowID {
		b.WriteString(" ORDER BY rowid")
	}
	return b.String(), keyIndex
}

func kindOf(s string) Kind {
	switch s {
	case "integer":
		return Integer
	case "real":
		return Real
	case "text":
		return Text
	case "blob":
		return Blob
	}
	return Null
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// classify maps driver errors onto ErrCorrupt, ErrNotDatabase and
// ErrLocked, keeping the driver's message.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		case sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("%w: %v", ErrNotDatabase, err)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%w: %v", ErrLocked, err)
		}
	}
	return err
}
