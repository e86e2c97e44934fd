// Package zed reads the Zed editor's agent threads (docs/agents.md §12)
// through the sqlite container: threads/threads.db in Zed's data
// directory (~/.local/share/zed on Linux, ~/Library/Application
// Support/Zed on macOS, %LOCALAPPDATA%\Zed on Windows), table
// threads(id, summary, updated_at, data_type, data BLOB, parent_id,
// folder_paths, created_at). data is a thread as JSON {title, messages[
// {User|Assistant: {id, content[{Text} | {ToolUse{name, input}} | …]}}],
// …}, zstd-compressed when data_type is 'zstd'.
//
// Sources: two third-party readers of threads.db (docs/agents.md §12).
// Compressed threads are decompressed (github.com/klauspost/compress/zstd,
// pure Go) up to MaxThread bytes.
package zed

import (
	"bytes"
	"context"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
)

// MaxThread is the largest decompressed thread scanned, in bytes.
const MaxThread = 256 << 20

// Source is a Zed agent thread.
var Source = &scanner.Source{
	Name: "zed-thread", Agent: "Zed", Store: scanner.StoreDatabase,
	Label:        "a Zed agent thread",
	Advice:       "Zed keeps agent threads in threads/threads.db: after rotating, delete the thread in Zed's agent panel (or quit Zed and run `mcpscan redact`).",
	Fields:       records.HistoryFields,
	AgentWritten: true,
}

// Handler reads Zed's thread rows.
type Handler struct{ records.Lines }

// Sources returns Source.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{Source} }

// Accepts takes the rows (and compressed data cells) of threads.db.
func (Handler) Accepts(p string) bool {
	db, table, column, _, ok := sqlite.Item(p)
	return ok && table == "threads" && path.Base(db) == "threads.db" && strings.EqualFold(path.Base(path.Dir(db)), "threads") &&
		(column == "" || column == "data")
}

var captureKeys = []string{"id", "updated_at", "created_at", "folder_paths", "name"}

// Scan reads one row, or one compressed thread.
func (Handler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	_, _, column, _, _ := sqlite.Item(in.ClassPath)
	id := strings.TrimPrefix(sqlite.Key(in), "id=")
	doc, prefix := in, ""
	var ts, project string
	if column == "data" { // a compressed thread: its row's other columns are looked up
		dec, err := zstd.NewReader(in.Reader, zstd.WithDecoderMaxMemory(MaxThread), zstd.WithDecoderConcurrency(1))
		if err != nil {
			return err
		}
		defer dec.Close()
		data, err := io.ReadAll(io.LimitReader(dec, MaxThread+1))
		if err != nil {
			env.Problem(in, 0, scanner.ReasonUnreadable, "thread %s: not a zstd-compressed thread (%v); not scanned", id, err)
			return nil
		}
		if len(data) > MaxThread {
			env.Problem(in, 0, scanner.ReasonLimit, "thread %s: more than %d MiB decompressed; not scanned", id, MaxThread>>20)
			return nil
		}
		doc = &scanner.Input{Loc: in.Loc, ClassPath: in.ClassPath, Size: int64(len(data)), Reader: bytes.NewReader(data),
			ReaderAt: bytes.NewReader(data), Depth: in.Depth}
		prefix = "data"
		ts = sqlite.Lookup(ctx, in, "SELECT updated_at FROM threads WHERE id = ?", id)
		project = sqlite.Lookup(ctx, in, "SELECT folder_paths FROM threads WHERE id = ?", id)
	}
	return records.Document(doc, env, records.Options{Capture: captureKeys}, func(places []records.Place) {
		for _, p := range places {
			row := p.Record(0)
			role, tool := "", ""
			if p.Target != nil {
				for _, f := range p.Target.Frames {
					switch f.Key {
					case "User", "Assistant", "Agent":
						role = strings.ToLower(f.Key)
					case "ToolUse":
						tool = f.Fields["name"]
					}
				}
			}
			f := records.Meta{
				Project: records.FirstOf(project, records.Get(row, "folder_paths")),
				Session: id,
				Time:    records.FirstOf(ts, records.Get(row, "updated_at"), records.Get(row, "created_at")),
				Role:    role,
				Tool:    tool,
			}.Finding(doc, Source, p)
			if prefix != "" {
				f.Field = records.JoinPath(prefix, f.Field)
			}
			env.Report(f)
		}
	})
}
