// Package continuedev reads Continue's sessions (docs/agents.md §7):
// ~/.continue/sessions/<sessionId>.json ($CONTINUE_GLOBAL_DIR overrides
// ~/.continue), one Session {sessionId, title, workspaceDirectory,
// history[{message{role, content, toolCalls[{id, function{name,
// arguments}}], toolCallId}, contextItems, promptLogs, toolCallStates[{
// toolCallId, toolCall, parsedArgs, output[{content}]}]}]}, the index
// sessions/sessions.json [{sessionId, title, dateCreated, workspaceDirectory}],
// and dev_data/<version>/*.jsonl (chatInteraction holds prompts and
// completions).
//
// Sources: continuedev/continue core/util/history.ts @0808cf63 and
// core/index.d.ts (ChatHistoryItem, ToolCallState).
//
// A tool call's arguments are a JSON string (opened: "…function.arguments.
// command") and again an object in parsedArgs; a tool's output is in
// toolCallStates[].output and in the following tool message. Copies in
// one history item are one finding. Messages carry no time: a finding
// takes the session's dateCreated from sessions.json beside it.
package continuedev

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/internal/lazyre"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
)

// Source is a Continue session.
var Source = &scanner.Source{
	Name: "continue-session", Agent: "Continue", Store: scanner.StoreTranscript,
	Label:        "a Continue session",
	Advice:       "Continue keeps every session in ~/.continue/sessions: after rotating, run `mcpscan redact` (or delete the session from Continue's history).",
	Fields:       records.HistoryFields,
	AgentWritten: true,
}

// Handler reads Continue's sessions and dev data.
type Handler struct{ records.Lines }

// Sources returns Source.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{Source} }

// Accepts takes .continue/sessions/*.json and .continue/dev_data/**.jsonl.
func (Handler) Accepts(p string) bool {
	return strings.Contains(p, "/.continue/sessions/") && strings.HasSuffix(p, ".json") ||
		strings.Contains(p, "/.continue/dev_data/") && strings.HasSuffix(p, ".jsonl")
}

var captureKeys = []string{"sessionId", "workspaceDirectory", "role", "name", "toolCallId", "timestamp", "dateCreated"}

// Scan reads one session, the index, or a dev data log.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	if strings.HasSuffix(in.ClassPath, ".jsonl") {
		return records.JSONL(in, env, records.Options{Capture: captureKeys}, func(places []records.Place) {
			for _, p := range places {
				rec := p.Record(0)
				env.Report(records.Meta{
					Session: records.Get(rec, "sessionId"),
					Time:    records.Get(rec, "timestamp"),
					Role:    strings.TrimSuffix(path.Base(in.ClassPath), ".jsonl"),
				}.Finding(in, Source, p))
			}
		})
	}
	if path.Base(in.ClassPath) == "sessions.json" { // the index: [{sessionId, title, dateCreated, workspaceDirectory}]
		return records.Document(in, env, records.Options{Capture: captureKeys, Depth: 1}, func(places []records.Place) {
			for _, p := range places {
				e := p.Record(1)
				env.Report(records.Meta{
					Project: records.FilePath(records.Get(e, "workspaceDirectory")),
					Session: records.Get(e, "sessionId"),
					Time:    records.Get(e, "dateCreated"),
				}.Finding(in, Source, p))
			}
		})
	}
	var created string
	looked := false
	var fold records.Folder
	defer fold.Report(env)
	return records.Document(in, env, records.Options{Capture: captureKeys, Depth: 2, Skip: ignoredField}, func(places []records.Place) {
		for _, p := range places {
			root, item := p.Record(0), p.Record(2)
			session := records.FirstOf(records.Get(root, "sessionId"), strings.TrimSuffix(path.Base(in.ClassPath), ".json"))
			if !looked {
				created, looked = dateCreated(in, session), true
			}
			role := ""
			if msg := p.Record(3); msg != nil && p.Target.Frames[3].Key == "message" {
				role = records.Get(msg, "role")
			}
			if strings.Contains(p.Target.Path, ".toolCallStates[") {
				role = "tool"
			}
			f := records.Meta{
				Project: records.FilePath(records.Get(root, "workspaceDirectory")),
				Session: session,
				Time:    created,
				Role:    role,
				Tool:    toolOf(in, p, records.Get(item, "toolCallId")),
			}.Finding(in, Source, p)
			// A tool's output is in its tool state and again in the tool
			// message that follows: one finding per call and secret.
			if call := records.FirstOf(p.Field("toolCallId"), records.Get(p.Record(3), "toolCallId")); call != "" {
				fold.Copy(records.FoldKey(call, p), f)
			} else {
				fold.Add(f)
			}
		}
	})
}

// toolOf names the tool of a place: the function of a tool call, or the
// call a tool state or tool message answers (by its id, in the session's
// text before the place).
func toolOf(in *scanner.Input, p records.Place, itemCall string) string {
	if p.Target == nil {
		return ""
	}
	for _, f := range p.Target.Frames {
		if f.Key == "function" && f.Fields["name"] != "" {
			return f.Fields["name"]
		}
	}
	id := records.FirstOf(p.Field("toolCallId"), itemCall)
	if id == "" || in.ReaderAt == nil {
		return ""
	}
	start := max(0, p.Hit.Start-(1<<20))
	buf := make([]byte, p.Hit.Start-start)
	n, _ := in.ReaderAt.ReadAt(buf, start)
	needle := []byte(`"id":"` + id + `"`)
	i := bytes.LastIndex(buf[:n], needle)
	if i < 0 {
		return ""
	}
	if m := functionName.FindSubmatch(buf[i+len(needle) : n]); m != nil {
		return string(m[1])
	}
	return ""
}

// functionName follows a tool call's id: ,"type":"function","function":{"name":"…".
var functionName = lazyre.New(`^\s*,\s*"type"\s*:\s*"function"\s*,\s*"function"\s*:\s*\{\s*"name"\s*:\s*"([^"\\]{1,128})"`)

// dateCreated finds the session's dateCreated in sessions.json beside it.
func dateCreated(in *scanner.Input, session string) string {
	if in.Depth > 0 || session == "" {
		return ""
	}
	f, err := os.Open(path.Dir(in.ClassPath) + "/sessions.json")
	if err != nil {
		return ""
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return ""
	}
	for dec.More() {
		var e struct {
			SessionID   string          `json:"sessionId"`
			DateCreated json.RawMessage `json:"dateCreated"`
		}
		if dec.Decode(&e) != nil {
			return ""
		}
		if e.SessionID == session {
			return strings.Trim(string(e.DateCreated), `"`)
		}
	}
	return ""
}

// ignoredField reports ids.
func ignoredField(t *jsonloc.Target) bool {
	switch records.LastKey(t.Path) {
	case "id", "toolCallId", "sessionId":
		return !t.InKey
	}
	return false
}
