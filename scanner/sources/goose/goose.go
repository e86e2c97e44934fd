// Package goose reads Block's Goose sessions (docs/agents.md §10), in
// <data>/sessions/ ($GOOSE_PATH_ROOT/data, else ~/.local/share/goose on
// Linux and macOS, %APPDATA%\Block\goose\data on Windows):
//
//   - sessions.db (2025-10 →, opened by the sqlite container):
//     sessions(id "YYYYMMDD_N", name, working_dir, created_at, …),
//     messages(id, session_id, role, content_json, created_timestamp (s),
//     metadata_json), content_json a Message's content array: {type: text,
//     text} | {type: toolRequest, id, toolCall{value{name, arguments}}} |
//     {type: toolResponse, id, toolResult{value[{type: text, text}]}} |
//     {type: toolConfirmationRequest, toolName, arguments} | {type:
//     thinking, thinking, signature};
//   - <name>.jsonl (legacy, kept after the import): a metadata line
//     {working_dir, description, …}, then one Message {role, created (s),
//     content[]} per line.
//
// Sources: block/goose crates/goose/src/session/session_manager.rs
// @01643006, session/legacy.rs @0fc5e540, conversation/message.rs
// @05132966, config/paths.rs @0780e228.
//
// A tool request's arguments are repeated by its confirmation request:
// one finding per message. A finding's project is the session's
// working_dir (a row's, looked up in the sessions table).
package goose

import (
	"context"
	"encoding/json"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
)

// Source is a Goose session.
var Source = &scanner.Source{
	Name: "goose-session", Agent: "Goose", Store: scanner.StoreTranscript,
	Label:        "a Goose session",
	Advice:       "Goose keeps every session in its data directory (sessions/sessions.db, and legacy sessions/*.jsonl): after rotating, delete the session in Goose (or quit it and run `mcpscan redact`).",
	Fields:       records.HistoryFields,
	AgentWritten: true,
}

// Handler reads Goose's rows and legacy session files.
type Handler struct{ records.AppendOnly }

// Sources returns Source.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{Source} }

// Accepts takes the rows of goose's sessions.db and its legacy *.jsonl.
func (Handler) Accepts(p string) bool {
	if db, table, column, _, ok := sqlite.Item(p); ok {
		return column == "" && path.Base(db) == "sessions.db" && strings.Contains(db, "/goose/") && (table == "messages" || table == "sessions")
	}
	return strings.HasSuffix(p, ".jsonl") && path.Base(path.Dir(p)) == "sessions" && strings.Contains(p, "/goose/")
}

var captureKeys = []string{"id", "session_id", "role", "created_timestamp", "created", "type", "name", "toolName", "working_dir"}

// Scan reads one row or legacy session.
func (Handler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	if _, table, _, _, ok := sqlite.Item(in.ClassPath); ok {
		return records.Document(in, env, records.Options{Capture: captureKeys, Skip: ignoredField}, func(places []records.Place) {
			for _, p := range places {
				row := p.Record(0)
				session := records.Get(row, "session_id")
				if table == "sessions" {
					session = records.Get(row, "id")
				}
				project := records.FirstOf(records.Get(row, "working_dir"), sqlite.Lookup(ctx, in, "SELECT working_dir FROM sessions WHERE id = ?", session))
				env.Report(finding(in, p, project, session, records.Get(row, "created_timestamp"), records.Get(row, "role")))
			}
		})
	}
	session := strings.TrimSuffix(path.Base(in.ClassPath), ".jsonl")
	var meta struct {
		WorkingDir string `json:"working_dir"`
	}
	if line := records.FirstLine(in, 1<<20); line != nil {
		json.Unmarshal(line, &meta)
	}
	return records.JSONL(in, env, records.Options{Capture: captureKeys, Skip: ignoredField}, func(places []records.Place) {
		for _, p := range places {
			msg := p.Record(0)
			env.Report(finding(in, p, meta.WorkingDir, session, records.Get(msg, "created"), records.Get(msg, "role")))
		}
	})
}

func finding(in *scanner.Input, p records.Place, project, session, ts, role string) scanner.Finding {
	return records.Meta{
		Project: project,
		Session: session,
		Time:    ts,
		Role:    role,
		Tool:    records.FirstOf(p.Field("toolName"), p.Field("name")),
	}.Finding(in, Source, p)
}

// ignoredField reports ids and thinking signatures.
func ignoredField(t *jsonloc.Target) bool {
	switch records.LastKey(t.Path) {
	case "id", "session_id", "signature":
		return !t.InKey
	}
	return false
}
