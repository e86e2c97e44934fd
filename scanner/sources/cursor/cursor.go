// Package cursor reads Cursor's chat history (docs/agents.md §3): the rows
// of its state.vscdb databases, which the sqlite container opens —
// <Cursor user dir>/globalStorage/state.vscdb and workspaceStorage/<md5>/
// state.vscdb, tables cursorDiskKV and ItemTable (key TEXT, value BLOB):
//
//   - cursorDiskKV "composerData:<composerId>" → {composerId, name,
//     createdAt, conversation[], workspaceIdentifier{uri{fsPath}}};
//   - cursorDiskKV "bubbleId:<composerId>:<bubbleId>" → one message
//     {type: 1 user | 2 assistant, text, richText (Lexical JSON in a
//     string), createdAt, toolFormerData{name, rawArgs, params, result}
//     (JSON in strings), thinking{text}};
//   - ItemTable "workbench.panel.aichat.view.aichat.chatdata" (the chat
//     before composers) {tabs[{tabId, bubbles[{type, text}]}]}, and
//     aiService.prompts / aiService.generations;
//
// and the Cursor CLI's ~/.cursor/projects/<slug>/agent-transcripts/<id>/
// *.jsonl ({role, message{content[{type, text}]}}). Cursor's own login
// (ItemTable cursorAuth/*) is a credential store, skipped by the container.
//
// Sources: S2thend/cursor-history @aa0d4698 src/core/storage.ts
// (ToolFormerData), src/lib/platform.ts, src/core/store-stack/*; a user's
// survey of a real 49,648-row cursorDiskKV; other readers' fixtures.
//
// A finding's session is the composer (or pre-composer tab), its time the
// bubble's createdAt, its tool toolFormerData.name, its project the
// workspace folder (workspace.json beside a workspace database, or the
// composer's workspaceIdentifier). JSON held in rawArgs, params, result and
// richText is opened; text and richText, rawArgs and params repeat each
// other in one bubble and are one finding.
package cursor

import (
	"context"
	"encoding/json"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
)

// Sources of Cursor's stores.
var (
	// SourceChat is a row of Cursor's state.vscdb.
	SourceChat = &scanner.Source{
		Name: "cursor-chat", Agent: "Cursor", Store: scanner.StoreDatabase,
		Label:        "Cursor's chat history (state.vscdb)",
		Advice:       "Cursor keeps every chat in its state.vscdb: after rotating, delete the chat in Cursor (or quit Cursor and run `mcpscan redact`).",
		Fields:       records.HistoryFields,
		AgentWritten: true,
	}
	// SourceAgent is a Cursor CLI agent transcript.
	SourceAgent = &scanner.Source{
		Name: "cursor-agent-transcript", Agent: "Cursor", Store: scanner.StoreTranscript,
		Label:        "a Cursor CLI agent transcript",
		Advice:       "cursor-agent keeps transcripts in ~/.cursor/projects/<project>/agent-transcripts: after rotating, run `mcpscan redact` (or delete the file).",
		Fields:       []scanner.Field{scanner.FieldClient, scanner.FieldProject, scanner.FieldSession, scanner.FieldRecordType},
		AgentWritten: true,
	}
)

// Handler reads Cursor's database rows and CLI transcripts.
type Handler struct{ records.Lines }

// Sources returns the Cursor sources.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{SourceChat, SourceAgent} }

// Accepts takes the rows of a state.vscdb in a Cursor user directory
// (and cursorDiskKV rows of any state.vscdb), and agent transcripts.
func (Handler) Accepts(p string) bool {
	if db, table, column, _, ok := sqlite.Item(p); ok {
		return column == "" && path.Base(db) == "state.vscdb" &&
			(table == "cursorDiskKV" || table == "ItemTable" && strings.Contains(db, "/Cursor/User/"))
	}
	return strings.Contains(p, "/.cursor/projects/") && strings.Contains(p, "/agent-transcripts/") && strings.HasSuffix(p, ".jsonl")
}

var captureKeys = []string{"key", "composerId", "createdAt", "type", "name", "tabId", "role", "bubbleId", "unixMs"}

// Scan reads one row or transcript.
func (Handler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	if strings.HasSuffix(in.ClassPath, ".jsonl") {
		return scanTranscript(in, env)
	}
	db, _, _, _, _ := sqlite.Item(in.ClassPath)
	key := sqlite.Key(in)
	var session, project string
	switch {
	case strings.HasPrefix(key, "bubbleId:"):
		parts := strings.Split(key, ":")
		if len(parts) >= 2 {
			session = parts[1]
		}
	case strings.HasPrefix(key, "composerData:"):
		session = strings.TrimPrefix(key, "composerData:")
	}
	looked := false // the project is looked up for rows with findings only
	return records.Document(in, env, records.Options{Capture: captureKeys}, func(places []records.Place) {
		for _, p := range places {
			if !looked {
				looked = true
				if in.Depth <= 1 && path.Base(path.Dir(path.Dir(db))) == "workspaceStorage" {
					project = records.VSCodeWorkspace(path.Dir(db))
				} else if session != "" {
					project = composerProject(ctx, in, session)
				}
			}
			msg := p.Record(1) // the value
			role := ""
			switch records.FirstOf(records.Get(msg, "type"), p.Field("type")) {
			case "1", "user":
				role = "user"
			case "2", "ai":
				role = "assistant"
			}
			tool := ""
			if p.Target != nil {
				for _, f := range p.Target.Frames {
					if f.Key == "toolFormerData" {
						tool = f.Fields["name"]
					}
				}
			}
			env.Report(records.Meta{
				Project: project,
				Session: records.FirstOf(session, p.Field("tabId"), p.Field("composerId")),
				Time:    records.FirstOf(records.Get(msg, "createdAt"), p.Field("unixMs")),
				Role:    role,
				Tool:    tool,
			}.Finding(in, SourceChat, p))
		}
	})
}

// composerProject reads the workspace folder of a composer from its
// composerData row in the same database.
func composerProject(ctx context.Context, in *scanner.Input, composer string) string {
	v := sqlite.Lookup(ctx, in, "SELECT CAST(value AS TEXT) FROM cursorDiskKV WHERE key = ?", "composerData:"+composer)
	if v == "" {
		return ""
	}
	var c struct {
		Workspace struct {
			URI struct {
				FsPath string `json:"fsPath"`
			} `json:"uri"`
		} `json:"workspaceIdentifier"`
	}
	if json.Unmarshal([]byte(v), &c) != nil {
		return ""
	}
	return c.Workspace.URI.FsPath
}

// scanTranscript reads a Cursor CLI agent transcript: the session is its
// directory (or file) name, the project the projects/<slug> directory.
func scanTranscript(in *scanner.Input, env *scanner.Env) error {
	rest := in.ClassPath[strings.Index(in.ClassPath, "/.cursor/projects/")+len("/.cursor/projects/"):]
	project, _, _ := strings.Cut(rest, "/")
	session := strings.TrimSuffix(path.Base(in.ClassPath), ".jsonl")
	if d := path.Base(path.Dir(in.ClassPath)); d != "agent-transcripts" {
		session = d
	}
	return records.JSONL(in, env, records.Options{Capture: captureKeys}, func(places []records.Place) {
		for _, p := range places {
			env.Report(records.Meta{
				Project: project,
				Session: session,
				Role:    records.Get(p.Record(0), "role"),
			}.Finding(in, SourceAgent, p))
		}
	})
}
