// Package cline reads the task histories of Cline and its forks Roo Code
// and Kilo Code (docs/agents.md §6), kept by the VS Code extension in
// <VS Code-family user dir>/globalStorage/<extension id>/ and by the Cline
// CLI in ~/.cline/data/:
//
//   - tasks/<taskId>/api_conversation_history.json: a JSON array of
//     Anthropic messages {role, content: string | [{type: text, text} |
//     {type: tool_use, id, name, input} | {type: tool_result, tool_use_id,
//     content}], ts (ms)};
//   - tasks/<taskId>/ui_messages.json: a JSON array of {ts, type: ask|say,
//     ask?, say?, text}, where text is itself JSON for api_req_started
//     ({request, …}), tool ({tool, path, diff, content}) and use_mcp_server
//     ({serverName, toolName, arguments}, arguments a JSON string again);
//   - tasks/<taskId>/{context_history,task_metadata,history_item}.json,
//     state/taskHistory.json, tasks/_index.json, task_history.json and the
//     CLI's sessions/<id>/<id>.messages.json.
//
// Sources: cline/cline apps/vscode/src/core/storage/disk.ts
// (GlobalFileNames), apps/vscode/src/shared/ExtensionMessage.ts
// (ClineMessage, ClineSayTool, ClineAskUseMcpServer) at 21cb8d25;
// RooCodeInc/Roo-Code src/shared/globalFileNames.ts @1b629c06;
// Kilo-Org/kilocode src/shared/globalFileNames.ts @74d6e483.
//
// These histories can be hundreds of MB in one JSON array: the matcher
// streams over the file and only a file with hits is parsed, as a stream,
// to locate them (records.Document). Each array element is a record; a
// secret stored twice in one element is one finding. JSON held in a UI
// message's text is opened, three levels deep for an MCP call's
// arguments ("[4].text.arguments.body").
package cline

import (
	"context"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/internal/lazyre"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
)

// Sources, one per extension.
var (
	// SourceCline is a Cline task.
	SourceCline = newSource("cline-task", "Cline")
	// SourceRoo is a Roo Code task.
	SourceRoo = newSource("roo-code-task", "Roo Code")
	// SourceKilo is a Kilo Code task.
	SourceKilo = newSource("kilo-code-task", "Kilo Code")
)

func newSource(name, agent string) *scanner.Source {
	return &scanner.Source{
		Name: name, Agent: agent, Store: scanner.StoreTranscript,
		Label: "a " + agent + " task history",
		Advice: agent + " keeps every task's conversation in its tasks/<id>/ directory (api_conversation_history.json, ui_messages.json): " +
			"after rotating, run `mcpscan redact`, or delete the task from " + agent + "'s history view.",
		Fields:       records.HistoryFields,
		AgentWritten: true,
	}
}

// extensions maps a storage directory name to its source.
var extensions = map[string]*scanner.Source{
	"saoudrizwan.claude-dev":     SourceCline,
	"rooveterinaryinc.roo-cline": SourceRoo,
	"kilocode.kilo-code":         SourceKilo,
}

// Handler reads Cline, Roo Code and Kilo Code task files.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Sources returns the three sources.
func (Handler) Sources() []*scanner.Source {
	return []*scanner.Source{SourceCline, SourceRoo, SourceKilo}
}

// sourceOf returns the source of p and the extension's storage root (""
// when p is not in one).
func sourceOf(p string) (*scanner.Source, string) {
	if i := strings.Index(p, "/.cline/data/"); i >= 0 {
		return SourceCline, p[:i+len("/.cline/data")]
	}
	if i := strings.Index(p, "/globalStorage/"); i >= 0 {
		rest := p[i+len("/globalStorage/"):]
		if j := strings.IndexByte(rest, '/'); j > 0 {
			if src := extensions[strings.ToLower(rest[:j])]; src != nil {
				return src, p[:i+len("/globalStorage/")+j]
			}
		}
	}
	return nil, ""
}

// Accepts takes the .json files of an extension's storage (tasks, state,
// the CLI's sessions), except its settings.
func (Handler) Accepts(p string) bool {
	src, root := sourceOf(p)
	if src == nil || !strings.HasSuffix(p, ".json") {
		return false
	}
	rel := p[len(root)+1:]
	return strings.HasPrefix(rel, "tasks/") || strings.HasPrefix(rel, "state/") || strings.HasPrefix(rel, "sessions/") ||
		rel == "task_history.json"
}

var captureKeys = []string{"role", "ts", "type", "say", "ask", "name", "id", "tool_use_id", "tool", "serverName", "toolName",
	"task", "workspace", "cwdOnTaskInitialization", "number"}

// Scan reads one task file.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	src, root := sourceOf(in.ClassPath)
	rel := in.ClassPath[len(root)+1:]
	task := ""
	if parts := strings.Split(rel, "/"); len(parts) >= 3 && (parts[0] == "tasks" || parts[0] == "sessions") {
		task = parts[1]
	}
	base := path.Base(in.ClassPath)
	depth := 1 // elements of a top-level array
	if base == "history_item.json" || base == "task_metadata.json" {
		depth = 0
	}
	t := &taskFile{in: in, src: src, id: task, tools: records.NewToolNames(in.ReaderAt, in.Size)}
	looked := false
	return records.Document(in, env, records.Options{Capture: captureKeys, Skip: ignoredField, Depth: depth}, func(places []records.Place) {
		if !looked {
			t.project, looked = t.workingDir(), true
		}
		for _, p := range places {
			env.Report(t.finding(p, depth))
		}
	})
}

// taskFile is one task file being read.
type taskFile struct {
	in          *scanner.Input
	src         *scanner.Source
	id, project string
	tools       *records.ToolNames
}

func (t *taskFile) finding(p records.Place, depth int) scanner.Finding {
	rec := p.Record(depth)
	kind := records.Get(rec, "role")
	if typ := records.Get(rec, "type"); typ == "ask" || typ == "say" {
		kind = typ + ":" + records.FirstOf(records.Get(rec, "say"), records.Get(rec, "ask"))
	}
	tool := t.toolOf(p)
	return records.Meta{
		Project: records.FirstOf(records.Get(rec, "workspace"), records.Get(rec, "cwdOnTaskInitialization"), t.project),
		Session: records.FirstOf(t.id, records.Get(rec, "id")),
		Time:    records.Get(rec, "ts"),
		Role:    kind,
		Tool:    tool,
	}.Finding(t.in, t.src, p)
}

// toolOf names the tool of a place: a tool_use block's name, the tool a
// tool_result answers, the tool or MCP server/tool of a UI message.
func (t *taskFile) toolOf(p records.Place) string {
	if p.Target == nil {
		return ""
	}
	for i := len(p.Target.Frames) - 1; i >= 0; i-- {
		f := p.Target.Frames[i].Fields
		switch {
		case f["type"] == "tool_use" && f["name"] != "":
			return f["name"]
		case f["type"] == "tool_result":
			return t.tools.ByID(f["tool_use_id"], p.Hit.Start)
		case f["serverName"] != "" && f["toolName"] != "":
			return f["serverName"] + "/" + f["toolName"]
		case f["tool"] != "":
			return f["tool"]
		}
	}
	return ""
}

// cwdLine is how Cline's environment details name the working directory.
var cwdLine = lazyre.New(`# Current Working Directory \(([^)\\]{1,1000})\)`)

// workingDir reads the working directory from the environment details
// Cline appends to the first prompt (the file's first 256 KiB), or from a
// Roo Code history_item.json beside the file.
func (t *taskFile) workingDir() string {
	if t.in.ReaderAt != nil {
		head := make([]byte, 256<<10)
		n, _ := t.in.ReaderAt.ReadAt(head, 0)
		if m := cwdLine.FindSubmatch(head[:n]); m != nil {
			return string(m[1])
		}
	}
	if t.in.Depth == 0 && t.id != "" {
		if b, err := records.ReadSmall(path.Dir(t.in.ClassPath)+"/history_item.json", 1<<20); err == nil {
			if m := workspaceField.FindSubmatch(b); m != nil {
				return string(m[1])
			}
		}
	}
	return ""
}

var workspaceField = lazyre.New(`"workspace"\s*:\s*"([^"\\]{1,1000})"`)

// ignoredField reports opaque data and ids.
func ignoredField(t *jsonloc.Target) bool {
	if t.InKey {
		return false
	}
	switch records.LastKey(t.Path) {
	case "signature", "id", "tool_use_id", "ulid":
		return true
	case "data":
		if n := len(t.Frames); n > 0 && t.Frames[n-1].Fields["type"] == "base64" {
			return true
		}
	}
	return false
}
