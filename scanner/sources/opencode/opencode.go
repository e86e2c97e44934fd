// Package opencode reads opencode's sessions (docs/agents.md §9), in
// $XDG_DATA_HOME/opencode (~/.local/share/opencode on every OS):
//
//   - opencode.db (2026, SQLite in WAL mode, opened by the sqlite
//     container): session(id, project_id, directory, title, time_created),
//     message(id, session_id, time_created, data JSON {role, time, path}),
//     part(id, message_id, session_id, time_created, data JSON {type: text
//     | reasoning | file | tool, text, tool, state{input, output,
//     metadata{output}}});
//   - storage/ (≤ 2025, left behind by the migration): session/<project>/
//     <session>.json, message/<session>/<message>.json, part/<message>/
//     <part>.json, todo/<session>.json, session_share/<session>.json.
//
// Sources: anomalyco/opencode packages/opencode/src/storage/
// json-migration.ts @062aa8c0 (legacy layout and tables),
// src/global/index.ts, src/storage/db.ts, src/session/message-v2.ts
// (ToolStateCompleted). Kilo Code's 2026 CLI is a fork (kilo.db, same
// tables).
//
// A bash tool's output is in state.output and again in
// state.metadata.output: one finding. A part's project is its session's
// directory, looked up in the same store.
package opencode

import (
	"context"
	"encoding/json"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
)

// Source is an opencode session store.
var Source = &scanner.Source{
	Name: "opencode-session", Agent: "opencode", Store: scanner.StoreTranscript,
	Label:        "an opencode session",
	Advice:       "opencode keeps every session in ~/.local/share/opencode (opencode.db, and storage/ from older versions): after rotating, delete the session in opencode (or quit it and run `mcpscan redact`).",
	Fields:       records.HistoryFields,
	AgentWritten: true,
}

// Handler reads opencode's rows and storage files.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Sources returns Source.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{Source} }

// isDB reports whether a database is opencode's (or Kilo's fork's).
func isDB(db string) bool {
	base := path.Base(db)
	return path.Base(path.Dir(db)) == "opencode" && strings.HasPrefix(base, "opencode") || base == "kilo.db"
}

// Accepts takes the rows of opencode.db and the JSON files of storage/.
func (Handler) Accepts(p string) bool {
	if db, table, column, _, ok := sqlite.Item(p); ok {
		return column == "" && isDB(db) && (table == "part" || table == "message" || table == "session" || table == "todo")
	}
	return strings.Contains(p, "/opencode/storage/") && strings.HasSuffix(p, ".json")
}

var captureKeys = []string{"id", "session_id", "sessionID", "message_id", "messageID", "time_created", "created", "start",
	"type", "tool", "role", "directory", "projectID"}

// Scan reads one row or storage file.
func (Handler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	_, table, _, _, isRow := sqlite.Item(in.ClassPath)
	var whole map[string]any // a storage file, read when it holds a finding (they are small)
	return records.Document(in, env, records.Options{Capture: captureKeys, Skip: ignoredField}, func(places []records.Place) {
		for _, p := range places {
			root := p.Record(0)
			data := root
			if isRow && len(p.Target.Frames) > 1 && p.Target.Frames[1].Key == "data" {
				data = p.Target.Frames[1]
			}
			session := records.FirstOf(records.Get(root, "session_id"), records.Get(root, "sessionID"))
			if table == "session" || strings.Contains(in.ClassPath, "/storage/session/") {
				session = records.FirstOf(session, records.Get(root, "id"))
			}
			ts := records.Get(root, "time_created")
			role := records.Get(data, "role")
			project := ""
			if isRow {
				if role == "" && table == "part" {
					role = sqlite.Lookup(ctx, in, "SELECT json_extract(data, '$.role') FROM message WHERE id = ?", records.Get(root, "message_id"))
				}
				project = records.FirstOf(records.Get(root, "directory"), sqlite.Lookup(ctx, in, "SELECT directory FROM session WHERE id = ?", session))
			} else {
				if whole == nil {
					whole = readSmall(in)
				}
				ts = records.FirstOf(nested(whole, "state", "time", "start"), nested(whole, "time", "created"), nested(whole, "time", "start"))
				project = records.FirstOf(records.Get(root, "directory"), legacyProject(in, session))
			}
			env.Report(records.Meta{
				Project: project,
				Session: session,
				Time:    ts,
				Role:    records.FirstOf(role, records.Get(data, "type")),
				Tool:    records.Get(data, "tool"),
			}.Finding(in, Source, p))
		}
	})
}

// readSmall decodes a storage file of at most 4 MiB, for fields that are
// not on a secret's path (its time).
func readSmall(in *scanner.Input) map[string]any {
	m := map[string]any{}
	if in.ReaderAt == nil || in.Size < 0 || in.Size > 4<<20 {
		return m
	}
	b := make([]byte, in.Size)
	if n, _ := in.ReaderAt.ReadAt(b, 0); int64(n) == in.Size {
		json.Unmarshal(b, &m)
	}
	return m
}

// nested returns the number or string at keys, as text.
func nested(m map[string]any, keys ...string) string {
	var v any = m
	for _, k := range keys {
		o, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = o[k]
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// legacyProject finds a storage/ session's directory in
// storage/session/<project>/<session>.json.
func legacyProject(in *scanner.Input, session string) string {
	i := strings.Index(in.ClassPath, "/opencode/storage/")
	if in.Depth > 0 || i < 0 || session == "" {
		return ""
	}
	matches, _ := filepath.Glob(filepath.FromSlash(in.ClassPath[:i+len("/opencode/storage/")]) + "/session/*/" + session + ".json")
	for _, m := range matches {
		if b, err := records.ReadSmall(m, 1<<20); err == nil {
			var s struct {
				Directory string `json:"directory"`
			}
			if json.Unmarshal(b, &s) == nil && s.Directory != "" {
				return s.Directory
			}
		}
	}
	return ""
}

// ignoredField reports ids.
func ignoredField(t *jsonloc.Target) bool {
	switch records.LastKey(t.Path) {
	case "id", "session_id", "sessionID", "message_id", "messageID", "callID", "project_id", "projectID":
		return !t.InKey
	}
	return false
}
