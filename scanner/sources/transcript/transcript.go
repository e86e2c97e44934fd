// Package transcript scans agent transcripts and other JSON Lines files:
// Claude Code sessions (~/.claude/projects/<encoded-cwd>/<session>.jsonl,
// sub-agents in <session>/subagents/agent-*.jsonl), the prompt history
// (~/.claude/history.jsonl), and any other *.jsonl.
//
// The matcher runs over the raw bytes in JSON mode (escapes decoded only
// around keyword hits). Only the records that hold a finding are parsed,
// to tell the session, time, record type, tool and field of the secret.
// The same secret in several fields of one record (a tool's output is
// stored in both message.content and toolUseResult) is one finding.
package transcript

import (
	"context"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/match"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
)

// Sources of JSON Lines files.
var (
	// SourceTranscript is a Claude Code session transcript.
	SourceTranscript = &scanner.Source{
		Name: "claude-transcript", Agent: "Claude Code", Store: scanner.StoreTranscript,
		Label:  "a Claude Code transcript",
		Advice: "Claude Code keeps transcripts forever: after rotating, run `mcpscan redact` (or delete the session file) so the secret stops travelling with backups, syncs and published folders.",
		Fields: []scanner.Field{scanner.FieldClient, scanner.FieldProject, scanner.FieldSession, scanner.FieldAgentID, scanner.FieldTimestamp,
			scanner.FieldRecordType, scanner.FieldTool},
		AgentWritten: true,
	}
	// SourceHistory is Claude Code's prompt history, ~/.claude/history.jsonl.
	SourceHistory = &scanner.Source{
		Name: "agent-history", Agent: "Claude Code", Store: scanner.StoreHistory,
		Label:        "Claude Code's prompt history",
		Advice:       "~/.claude/history.jsonl keeps every prompt typed: after rotating, run `mcpscan redact` (or delete the line holding the secret).",
		Fields:       []scanner.Field{scanner.FieldClient, scanner.FieldProject, scanner.FieldSession, scanner.FieldTimestamp},
		AgentWritten: true,
	}
)

// Handler scans JSON Lines files.
type Handler struct{}

var (
	_ scanner.Resumer      = Handler{}
	_ scanner.LineOriented = Handler{}
)

// Resumes reports that JSON Lines files are append-only: a scan can resume
// at a line start (scanner.Resumer).
func (Handler) Resumes() bool { return true }

// LineOriented reports that records are judged one by one: a NUL byte in
// one record does not make the file binary.
func (Handler) LineOriented() bool { return true }

// Sources returns the sources of JSON Lines files.
func (Handler) Sources() []*scanner.Source {
	return []*scanner.Source{SourceTranscript, SourceHistory, scanner.SourceJSONL}
}

// Accepts takes *.jsonl and *.ndjson files.
func (Handler) Accepts(p string) bool {
	lower := strings.ToLower(p)
	return strings.HasSuffix(lower, ".jsonl") || strings.HasSuffix(lower, ".ndjson")
}

// SourceOf classifies a JSON Lines file by its slash path.
func SourceOf(classPath string) *scanner.Source {
	switch {
	case path.Base(classPath) == "history.jsonl" && path.Base(path.Dir(classPath)) == ".claude":
		return SourceHistory
	case isClaudeSession(classPath):
		return SourceTranscript
	}
	return scanner.SourceJSONL
}

// isClaudeSession reports whether p is projects/<dir>/<session>.jsonl or
// projects/<dir>/<session>/subagents/<agent>.jsonl.
func isClaudeSession(p string) bool {
	i := strings.LastIndex(p, "/projects/")
	if i < 0 {
		return false
	}
	parts := strings.Split(p[i+len("/projects/"):], "/")
	switch len(parts) {
	case 2:
		return true
	case 4:
		return parts[2] == "subagents"
	}
	return false
}

// captureKeys are the scalar fields kept for context.
var captureKeys = []string{
	"type", "name", "id", "tool_use_id", "sessionId", "timestamp", "cwd", "agentId",
	"parentToolUseID", "project",
}

// Scan scans one JSON Lines file.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	d := &describer{in: in, src: SourceOf(in.ClassPath), tools: records.NewToolNames(in.ReaderAt, in.Size),
		signalled: map[int64]bool{}, reported: map[string]bool{}}
	err := records.ScanJSONL(in, env, func(hits []match.Hit) {
		kept := hits[:0:0]
		for i := range hits {
			if hits[i].Rule.Kind == rules.KindSignal {
				d.signal(&hits[i])
				continue
			}
			d.reported[hits[i].Secret] = true
			kept = append(kept, hits[i])
		}
		if len(kept) == 0 {
			return
		}
		for _, f := range d.record(kept) {
			env.Report(f)
		}
	})
	d.bareTokens(env)
	return err
}

// describer builds findings with record context for one file.
type describer struct {
	in    *scanner.Input
	src   *scanner.Source
	tools *records.ToolNames // tool_use id → tool name
	// The bare-token tier (bare.go): records already read for signals,
	// the credential commands whose output is to be read, and the
	// secrets other rules reported in this file.
	signalled map[int64]bool
	pending   []pendingCommand
	reported  map[string]bool
}

// record turns the hits of one record (one line) into findings: one per
// (rule, secret), with context from the parsed record.
func (d *describer) record(hits []match.Hit) []scanner.Finding {
	targets := records.Locate(d.in, hits[0].LineStart, hits, captureKeys)
	places := records.Dedupe(hits, targets, ignoredField)
	out := make([]scanner.Finding, 0, len(places))
	for _, p := range places {
		f := scanner.FindingFromHit(d.in, d.src, p.Hit)
		f.Context = d.context(p.Target, p.Hit.Start)
		for _, o := range p.Others {
			if f.Context.Get(scanner.FieldTool.Key) != "" {
				break
			}
			f.Context = f.Context.With(scanner.FieldTool.Key, d.toolOf(o, p.Hit.Start))
		}
		if p.Target != nil {
			f.Field = p.Target.Path
			f.AlsoIn = p.Also
		}
		out = append(out, f)
	}
	return out
}

// ignoredField reports fields whose values are opaque data, never
// credentials: thinking-block signatures, base64 image data, record ids.
func ignoredField(t *jsonloc.Target) bool {
	if t.InKey {
		return false
	}
	switch records.LastKey(t.Path) {
	case "signature", "uuid", "parentUuid", "requestId", "sessionId", "tool_use_id", "toolUseID", "parentToolUseID", "sourceToolAssistantUUID", "messageId":
		return true
	case "data":
		if n := len(t.Frames); n > 0 && t.Frames[n-1].Fields["type"] == "base64" {
			return true
		}
	}
	return false
}

// context builds the finding context from the record's fields.
func (d *describer) context(t *jsonloc.Target, off int64) scanner.Context {
	var project, session, agent, recType, ts string
	if strings.Contains(d.in.ClassPath, "/subagents/") {
		agent = strings.TrimSuffix(path.Base(d.in.ClassPath), ".jsonl")
	}
	if d.src == SourceTranscript {
		session = sessionFromPath(d.in.ClassPath)
		project = projectFromPath(d.in.ClassPath)
	}
	tool := ""
	if t != nil {
		if len(t.Frames) > 0 {
			top := t.Frames[0].Fields
			session = records.FirstOf(top["sessionId"], session)
			project = records.FirstOf(top["project"], top["cwd"], project)
			agent = records.FirstOf(top["agentId"], agent)
			recType = top["type"]
			ts = records.Time(top["timestamp"])
		}
		tool = d.toolOf(t, off)
	}
	return scanner.Context{
		{Key: scanner.FieldClient.Key, Value: d.src.Agent},
		{Key: scanner.FieldProject.Key, Value: project},
		{Key: scanner.FieldSession.Key, Value: session},
		{Key: scanner.FieldAgentID.Key, Value: agent},
		{Key: scanner.FieldTimestamp.Key, Value: ts},
		{Key: scanner.FieldRecordType.Key, Value: recType},
		{Key: scanner.FieldTool.Key, Value: tool},
	}.Compact()
}

// toolOf names the tool whose input or output held the secret.
func (d *describer) toolOf(t *jsonloc.Target, off int64) string {
	for i := len(t.Frames) - 1; i >= 0; i-- {
		f := t.Frames[i].Fields
		switch f["type"] {
		case "tool_use":
			if f["name"] != "" {
				return f["name"]
			}
		case "tool_result":
			return d.tools.ByID(f["tool_use_id"], off)
		case "bash_progress":
			return "Bash"
		}
	}
	if strings.HasPrefix(t.Path, "toolUseResult") {
		return toolFromResultField(t.Path)
	}
	if len(t.Frames) > 0 {
		if id := t.Frames[0].Fields["parentToolUseID"]; id != "" {
			return d.tools.ByID(id, off)
		}
	}
	return ""
}

// toolFromResultField infers the tool from the shape of toolUseResult,
// which Claude Code writes per tool.
func toolFromResultField(p string) string {
	switch {
	case strings.HasPrefix(p, "toolUseResult.stdout"), strings.HasPrefix(p, "toolUseResult.stderr"):
		return "Bash"
	case strings.HasPrefix(p, "toolUseResult.file."):
		return "Read"
	case strings.HasPrefix(p, "toolUseResult.oldString"), strings.HasPrefix(p, "toolUseResult.newString"),
		strings.HasPrefix(p, "toolUseResult.originalFile"), strings.HasPrefix(p, "toolUseResult.structuredPatch"):
		return "Edit"
	case strings.HasPrefix(p, "toolUseResult.edits"):
		return "MultiEdit"
	case strings.HasPrefix(p, "toolUseResult.content"):
		return "Write"
	}
	return ""
}

func sessionFromPath(p string) string {
	i := strings.LastIndex(p, "/projects/")
	if i < 0 {
		return ""
	}
	parts := strings.Split(p[i+len("/projects/"):], "/")
	if len(parts) >= 2 {
		return strings.TrimSuffix(parts[1], ".jsonl")
	}
	return ""
}

func projectFromPath(p string) string {
	i := strings.LastIndex(p, "/projects/")
	if i < 0 {
		return ""
	}
	parts := strings.Split(p[i+len("/projects/"):], "/")
	return parts[0]
}
