// Package amazonq reads Amazon Q Developer CLI's database (and Kiro CLI's,
// its successor) through the sqlite container (docs/agents.md §12):
// ~/.local/share/amazon-q/data.sqlite3 on Linux, ~/Library/Application
// Support/amazon-q/data.sqlite3 on macOS, …/kiro-cli/data.sqlite3:
//
//   - conversations_v2(key = the working directory, conversation_id,
//     value JSON {conversation_id, history[{user{content, timestamp},
//     assistant}], transcript[]}, created_at, updated_at (ms)); the older
//     conversations(key, value) has the same values;
//   - chat_readline_history(id, input, cwd, timestamp (ms)): every line
//     typed;
//   - history (shell commands) and state; auth_kv (the login) is a
//     credential store, skipped by the container.
//
// Sources: aws/amazon-q-developer-cli crates/chat-cli/src/database/mod.rs
// @01b940e3, sqlite_migrations/008_multiple_conversations_per_path.sql
// @33494e8f, 008_chat_readline_history_table.sql @93a68796.
//
// A typed line names no conversation: it takes the conversation of its
// working directory that was open at its time.
package amazonq

import (
	"context"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
)

// Source is a row of Amazon Q's database.
var Source = &scanner.Source{
	Name: "amazon-q-chat", Agent: "Amazon Q", Store: scanner.StoreDatabase,
	Label:        "Amazon Q Developer CLI's chat history",
	Advice:       "Amazon Q keeps conversations and every line typed in its data.sqlite3: after rotating, clear the conversation (/clear, q chat --delete-session) or quit q and run `mcpscan redact`.",
	Fields:       []scanner.Field{scanner.FieldClient, scanner.FieldProject, scanner.FieldSession, scanner.FieldTimestamp, scanner.FieldRecordType},
	AgentWritten: true,
}

// Handler reads Amazon Q's rows.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Sources returns Source.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{Source} }

// Accepts takes the rows of data.sqlite3 in an amazon-q or kiro-cli directory.
func (Handler) Accepts(p string) bool {
	db, _, column, _, ok := sqlite.Item(p)
	dir := path.Base(path.Dir(db))
	return ok && column == "" && path.Base(db) == "data.sqlite3" && (dir == "amazon-q" || dir == "kiro-cli")
}

var captureKeys = []string{"key", "conversation_id", "created_at", "updated_at", "timestamp", "cwd"}

// Scan reads one row.
func (Handler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	_, table, _, _, _ := sqlite.Item(in.ClassPath)
	client := "Amazon Q"
	if strings.Contains(in.ClassPath, "/kiro-cli/") {
		client = "Kiro CLI"
	}
	return records.Document(in, env, records.Options{Capture: captureKeys}, func(places []records.Place) {
		for _, p := range places {
			row := p.Record(0)
			project, session, ts, kind := "", records.Get(row, "conversation_id"), "", ""
			switch table {
			case "conversations", "conversations_v2":
				project = records.Get(row, "key")
				ts = records.FirstOf(p.Field("timestamp"), records.Get(row, "updated_at"), records.Get(row, "created_at"))
				if p.Target != nil && strings.Contains(p.Target.Path, ".user.") {
					kind = "user"
				} else if p.Target != nil && strings.Contains(p.Target.Path, ".assistant.") {
					kind = "assistant"
				}
			case "chat_readline_history":
				project, ts, kind = records.Get(row, "cwd"), records.Get(row, "timestamp"), "user"
				session = sqlite.Lookup(ctx, in, `SELECT conversation_id FROM conversations_v2 WHERE key = ? AND created_at <= ? + 1000
					ORDER BY updated_at DESC LIMIT 1`, project, ts)
			default:
				ts = records.FirstOf(records.Get(row, "timestamp"), records.Get(row, "created_at"))
				kind = table
			}
			env.Report(records.Meta{
				Client:  client,
				Project: project,
				Session: session,
				Time:    ts,
				Role:    kind,
			}.Finding(in, Source, p))
		}
	})
}
