// Package copilotchat reads VS Code chat sessions — GitHub Copilot Chat's
// history — in every VS Code-family user directory (docs/agents.md §4):
//
//   - workspaceStorage/<id>/chatSessions/<sessionId>.json (≤ 2025): one
//     ISerializableChatData {version: 3, sessionId, creationDate,
//     requests[{requestId, timestamp (ms), message{text}, response[],
//     result{metadata{renderedUserMessage, toolCallRounds[{toolCalls[{id,
//     name, arguments}]}], toolCallResults{<id>: {content[{value}]}}}}}]};
//   - chatSessions/<sessionId>.jsonl (2025-12 →): a mutation log, one
//     entry per line — {kind: 0, v: <whole session>}, {kind: 1, k: [path],
//     v} (set), {kind: 2, k: [path], v: [items], i?} (push), {kind: 3, k}
//     (delete);
//   - globalStorage/emptyWindowChatSessions/ and transferredChatSessions/
//     (windows with no folder), workspaceStorage/no-workspace/chatSessions/.
//
// Sources: microsoft/vscode src/vs/workbench/contrib/chat/common/model/
// objectMutationLog.ts @047238f9 (entry kinds) and chatSessionStore.ts
// (storage roots); request fields cross-checked with four third-party
// readers' fixtures.
//
// The project is the folder in workspace.json beside chatSessions. Tool
// arguments are JSON inside a JSON string, opened so that a finding names
// "…toolCalls[0].arguments.command". A mutation log repeats a request each
// time part of it is set and again when it is compacted: a secret is
// reported once per file, at its first line, with the later lines in
// AlsoIn; the field path is the line's own ("v[0].message.text" in a push).
package copilotchat

import (
	"context"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/internal/lazyre"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
)

// Source is a VS Code chat session.
var Source = &scanner.Source{
	Name: "copilot-chat-session", Agent: "Copilot Chat", Store: scanner.StoreTranscript,
	Label:        "a VS Code Copilot Chat session",
	Advice:       "VS Code keeps chat sessions in its workspaceStorage/<id>/chatSessions: after rotating, run `mcpscan redact` (or delete the session from the chat history view).",
	Fields:       records.HistoryFields,
	AgentWritten: true,
}

// Handler reads VS Code chat sessions.
type Handler struct{ records.Lines }

// Sources returns Source.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{Source} }

// Accepts takes *.json and *.jsonl in a chatSessions,
// emptyWindowChatSessions or transferredChatSessions directory.
func (Handler) Accepts(p string) bool {
	switch path.Base(path.Dir(p)) {
	case "chatSessions", "emptyWindowChatSessions", "transferredChatSessions":
		return strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".jsonl")
	}
	return false
}

var captureKeys = []string{"sessionId", "requestId", "timestamp", "name", "toolId"}

// Scan reads one chat session.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	s := &session{in: in, id: strings.TrimSuffix(strings.TrimSuffix(path.Base(in.ClassPath), ".jsonl"), ".json")}
	if dir := path.Dir(path.Dir(in.ClassPath)); in.Depth == 0 && path.Base(path.Dir(dir)) == "workspaceStorage" {
		s.project = records.VSCodeWorkspace(dir)
	}
	if strings.HasSuffix(in.ClassPath, ".json") {
		return records.Document(in, env, records.Options{Capture: captureKeys, Skip: ignoredField, Depth: 2}, func(places []records.Place) {
			for _, p := range places {
				env.Report(s.finding(p, records.Get(p.Record(0), "sessionId")))
			}
		})
	}
	var fold records.Folder
	err := records.JSONL(in, env, records.Options{Capture: captureKeys, Skip: ignoredField}, func(places []records.Place) {
		for _, p := range places {
			fold.Copy(records.FoldKey("", p), s.finding(p, p.Field("sessionId")))
		}
	})
	fold.Report(env)
	return err
}

// session is one session file being read.
type session struct {
	in          *scanner.Input
	id, project string
}

func (s *session) finding(p records.Place, sessionID string) scanner.Finding {
	role, tool, field := "", "", ""
	if p.Target != nil {
		field = p.Target.Path
	}
	switch {
	case strings.Contains(field, "toolCallResults"):
		role, tool = "tool", s.resultTool(p)
	case strings.Contains(field, "toolCallRounds"):
		role, tool = "assistant", p.Field("name")
	case strings.Contains(field, "response"):
		role, tool = "assistant", p.Field("toolId")
	case strings.Contains(field, "message") || strings.Contains(field, "renderedUserMessage") || strings.Contains(field, "variableData"):
		role = "user"
	}
	ts := p.Field("timestamp")
	if ts == "" {
		ts = timestampBefore(s.in, p.Hit.LineStart)
	}
	return records.Meta{
		Project: s.project,
		Session: records.FirstOf(sessionID, s.id),
		Time:    ts,
		Role:    role,
		Tool:    tool,
	}.Finding(s.in, Source, p)
}

// resultTool names the tool whose result held the place: the key under
// toolCallResults is the call id, and the call ({name, arguments, id} or
// {id, name, …}) comes before it in the request.
func (s *session) resultTool(p records.Place) string {
	var id string
	for i, f := range p.Target.Frames {
		if f.Key == "toolCallResults" && i+1 < len(p.Target.Frames) {
			id = p.Target.Frames[i+1].Key
		}
	}
	if id == "" || s.in.ReaderAt == nil {
		return ""
	}
	end := p.Hit.Start
	start := max(0, end-(1<<20))
	buf := make([]byte, end-start)
	n, _ := s.in.ReaderAt.ReadAt(buf, start)
	buf = buf[:n]
	i, j := records.LastKeyValue(buf, "id", id)
	if i < 0 {
		return ""
	}
	if m := nameAfter.FindSubmatch(buf[j:]); m != nil {
		return string(m[1])
	}
	if ms := nameBefore.FindAllSubmatch(buf[max(0, i-(64<<10)):i], -1); len(ms) > 0 {
		return string(ms[len(ms)-1][1])
	}
	return ""
}

var (
	nameAfter  = lazyre.New(`^\s*,\s*"name"\s*:\s*"([^"\\]{1,128})"`)
	nameBefore = lazyre.New(`"name"\s*:\s*"([^"\\]{1,128})"\s*,\s*"arguments"`)
	lastTime   = lazyre.New(`"timestamp"\s*:\s*(\d{12,14})`)
)

// timestampBefore returns the last request timestamp written before raw
// offset off (within 1 MiB): a mutation log entry that sets part of a
// request ({kind: 1, k: ["requests", 0, "result"]}) does not repeat its
// time, which its push or the session's first entry wrote.
func timestampBefore(in *scanner.Input, off int64) string {
	if in.ReaderAt == nil || off <= 0 {
		return ""
	}
	start := max(0, off-(1<<20))
	buf := make([]byte, off-start)
	n, _ := in.ReaderAt.ReadAt(buf, start)
	ms := lastTime.FindAllSubmatch(buf[:n], -1)
	if len(ms) == 0 {
		return ""
	}
	return string(ms[len(ms)-1][1])
}

// ignoredField reports ids, never credentials.
func ignoredField(t *jsonloc.Target) bool {
	switch records.LastKey(t.Path) {
	case "requestId", "sessionId", "id", "responseId", "toolCallId":
		return !t.InKey
	}
	return false
}
