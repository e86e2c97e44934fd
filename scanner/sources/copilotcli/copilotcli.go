// Package copilotcli reads GitHub Copilot CLI sessions (docs/agents.md
// §5): ~/.copilot/session-state/<sessionId>/events.jsonl (older builds:
// session-state/<sessionId>.jsonl), one event per line:
// {type, data, id, timestamp, parentId} with session.start
// (data.sessionId, data.context.cwd), user.message (data.content),
// assistant.message (data.toolRequests[{toolCallId, name, arguments}]),
// tool.execution_start (data.toolCallId, toolName, arguments) and
// tool.execution_complete (data.result.content, detailedContent).
//
// Sources: github/copilot-sdk nodejs/src/generated/session-events.ts
// @01396124 (the CLI runtime's event union); a real-shaped sample
// (yoavf/ai-sessions @64507e70); the directory layout from third-party
// readers.
//
// A tool call's arguments are written twice, in assistant.message and
// again in tool.execution_start: the second copy folds into the first (one
// finding per tool call id and secret, "line N: data.arguments.…" in
// AlsoIn). A result's content and detailedContent are one finding.
package copilotcli

import (
	"context"
	"encoding/json"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
)

// Source is a Copilot CLI session log.
var Source = &scanner.Source{
	Name: "copilot-cli-session", Agent: "Copilot CLI", Store: scanner.StoreTranscript,
	Label:        "a GitHub Copilot CLI session",
	Advice:       "Copilot CLI keeps every session in ~/.copilot/session-state: after rotating, run `mcpscan redact` (or delete the session's directory).",
	Fields:       records.HistoryFields,
	AgentWritten: true,
}

// Handler reads Copilot CLI session logs.
type Handler struct{ records.AppendOnly }

// Sources returns Source.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{Source} }

// Accepts takes *.jsonl below a .copilot/session-state directory.
func (Handler) Accepts(p string) bool {
	return strings.Contains(p, "/.copilot/session-state/") && strings.HasSuffix(p, ".jsonl")
}

var captureKeys = []string{"type", "id", "timestamp", "toolCallId", "toolName", "name", "sessionId", "mcpServerName"}

// Scan reads one session log.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	session, cwd := sessionOf(in)
	tools := records.NewToolNamesBy(in.ReaderAt, in.Size, "toolCallId", "toolName", "name")
	var fold records.Folder
	err := records.JSONL(in, env, records.Options{Capture: captureKeys, Skip: ignoredField}, func(places []records.Place) {
		for _, p := range places {
			ev := p.Record(0)
			typ := records.Get(ev, "type")
			call := p.Field("toolCallId")
			tool := records.FirstOf(p.Field("toolName"), toolRequestName(p))
			if tool == "" && call != "" {
				tool = tools.ByID(call, p.Hit.LineStart)
			}
			f := records.Meta{
				Project: cwd,
				Session: records.FirstOf(p.Field("sessionId"), session),
				Time:    records.Get(ev, "timestamp"),
				Role:    typ,
				Tool:    tool,
			}.Finding(in, Source, p)
			if call != "" && (typ == "assistant.message" || typ == "tool.execution_start") {
				fold.Copy(records.FoldKey(call, p), f)
			} else {
				fold.Add(f)
			}
		}
	})
	fold.Report(env)
	return err
}

// toolRequestName is the name of the tool request holding the place
// (assistant.message data.toolRequests[i]), "" elsewhere.
func toolRequestName(p records.Place) string {
	if p.Target == nil || !strings.Contains(p.Target.Path, "toolRequests[") {
		return ""
	}
	return p.Field("name")
}

// sessionOf returns the session id (the directory or file name) and the
// working directory from the session.start event on the first line.
func sessionOf(in *scanner.Input) (session, cwd string) {
	session = path.Base(path.Dir(in.ClassPath))
	if path.Base(session) == "session-state" {
		session = strings.TrimSuffix(path.Base(in.ClassPath), ".jsonl")
	}
	var start struct {
		Type string `json:"type"`
		Data struct {
			SessionID string `json:"sessionId"`
			Context   struct {
				Cwd string `json:"cwd"`
			} `json:"context"`
		} `json:"data"`
	}
	if line := records.FirstLine(in, 1<<20); line != nil && json.Unmarshal(line, &start) == nil && start.Type == "session.start" {
		session = records.FirstOf(start.Data.SessionID, session)
		cwd = start.Data.Context.Cwd
	}
	return session, cwd
}

// ignoredField reports id fields, never credentials.
func ignoredField(t *jsonloc.Target) bool {
	switch records.LastKey(t.Path) {
	case "id", "parentId", "toolCallId", "messageId", "sessionId":
		return !t.InKey
	}
	return false
}
