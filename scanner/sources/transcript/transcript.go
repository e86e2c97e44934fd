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
	"bytes"
	"context"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Handler scans JSON Lines files.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Resumes reports that JSON Lines files are append-only: a scan can resume
// at a line start (scanner.Resumer).
func (Handler) Resumes() bool { return true }

// Source returns scanner.SourceClaudeTranscript; see SourceOf for the
// kind each file gets.
func (Handler) Source() scanner.Source { return scanner.SourceClaudeTranscript }

// Accepts takes *.jsonl and *.ndjson files.
func (Handler) Accepts(p string) bool {
	lower := strings.ToLower(p)
	return strings.HasSuffix(lower, ".jsonl") || strings.HasSuffix(lower, ".ndjson")
}

// SourceOf classifies a JSON Lines file by its slash path.
func SourceOf(classPath string) scanner.Source {
	switch {
	case path.Base(classPath) == "history.jsonl" && path.Base(path.Dir(classPath)) == ".claude":
		return scanner.SourceAgentHistory
	case isClaudeSession(classPath):
		return scanner.SourceClaudeTranscript
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
	src := SourceOf(in.ClassPath)
	checker := newRecordChecker(in.Reader)
	checker.line = max(in.StartLine, 1)
	var hits []match.Hit
	in2 := *in
	in2.Reader = checker
	err := env.Match(&in2, match.JSON, func(h *match.Hit) error {
		hits = append(hits, *h)
		return nil
	})
	checker.finish()
	for _, p := range checker.problems {
		env.Problem(in.Path, p.line, "%s", p.msg)
	}
	if extra := checker.malformed - len(checker.problems); extra > 0 {
		env.Problem(in.Path, 0, "%d more malformed records not listed", extra)
	}
	d := &describer{in: in, src: src, tools: map[string]string{}}
	for start := 0; start < len(hits); {
		end := start + 1
		for end < len(hits) && hits[end].LineStart == hits[start].LineStart {
			end++
		}
		for _, f := range d.record(hits[start:end]) {
			env.Report(f)
		}
		start = end
	}
	return err
}

// describer builds findings with record context for one file.
type describer struct {
	in    *scanner.Input
	src   scanner.Source
	tools map[string]string // tool_use id → tool name, found so far
}

// record turns the hits of one record (one line) into findings: one per
// (rule, secret), with context from the parsed record.
func (d *describer) record(hits []match.Hit) []scanner.Finding {
	var targets []jsonloc.Target
	lineStart := hits[0].LineStart
	if d.in.ReaderAt != nil {
		offsets := make([]int64, len(hits))
		for i, h := range hits {
			offsets[i] = h.Start - lineStart
		}
		r := io.NewSectionReader(d.in.ReaderAt, lineStart, d.in.Size-lineStart)
		targets, _ = jsonloc.Locate(r, offsets, jsonloc.Options{Capture: captureKeys})
		// A malformed record was reported by the checker; partial targets
		// still give what context there is.
	}
	var out []scanner.Finding
	index := map[string]int{} // rule + secret → position in out
	for i := range hits {
		h := &hits[i]
		var t *jsonloc.Target
		if i < len(targets) && targets[i].Found {
			t = &targets[i]
			if ignoredField(t) {
				continue
			}
		}
		key := h.Rule.ID + "\x00" + h.Secret
		if j, ok := index[key]; ok {
			if t != nil && out[j].Context != nil && t.Path != out[j].Context.Field {
				out[j].Context.OtherFields = appendUnique(out[j].Context.OtherFields, t.Path)
				if out[j].Context.Tool == "" {
					out[j].Context.Tool = d.toolOf(t, h.Start)
				}
			}
			continue
		}
		f := scanner.FindingFromHit(d.in, d.src, h)
		f.Context = d.context(t, h.Start)
		index[key] = len(out)
		out = append(out, f)
	}
	return out
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// ignoredField reports fields whose values are opaque data, never
// credentials: thinking-block signatures, base64 image data, record ids.
func ignoredField(t *jsonloc.Target) bool {
	if t.InKey {
		return false
	}
	last := t.Path
	if i := strings.LastIndexAny(last, ".]"); i >= 0 {
		last = last[i+1:]
	}
	switch last {
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
func (d *describer) context(t *jsonloc.Target, off int64) *scanner.Context {
	c := &scanner.Context{}
	if strings.Contains(d.in.ClassPath, "/subagents/") {
		c.AgentID = strings.TrimSuffix(path.Base(d.in.ClassPath), ".jsonl")
	}
	if d.src == scanner.SourceClaudeTranscript {
		c.SessionID = sessionFromPath(d.in.ClassPath)
		c.Project = projectFromPath(d.in.ClassPath)
	}
	if t == nil {
		return c
	}
	c.Field = t.Path
	if len(t.Frames) > 0 {
		top := t.Frames[0].Fields
		if v := top["sessionId"]; v != "" {
			c.SessionID = v
		}
		if v := top["cwd"]; v != "" {
			c.Project = v
		}
		if v := top["project"]; v != "" {
			c.Project = v
		}
		if v := top["agentId"]; v != "" {
			c.AgentID = v
		}
		c.RecordType = top["type"]
		c.Timestamp = normalizeTime(top["timestamp"])
	}
	c.Tool = d.toolOf(t, off)
	return c
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
			return d.toolByID(f["tool_use_id"], off)
		case "bash_progress":
			return "Bash"
		}
	}
	if strings.HasPrefix(t.Path, "toolUseResult") {
		return toolFromResultField(t.Path)
	}
	if len(t.Frames) > 0 {
		if id := t.Frames[0].Fields["parentToolUseID"]; id != "" {
			return d.toolByID(id, off)
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

// maxToolLookback bounds how far back a tool_use is looked for.
const maxToolLookback = 8 << 20

var nameAfterID = regexp.MustCompile(`^"\s*,\s*"name"\s*:\s*"([^"\\]{1,128})"`)

// toolByID finds the tool_use block with the given id before offset off
// (it precedes its result in the transcript) and returns its name.
func (d *describer) toolByID(id string, off int64) string {
	if id == "" || d.in.ReaderAt == nil {
		return ""
	}
	if name, ok := d.tools[id]; ok {
		return name
	}
	needle := []byte(`"id":"` + id)
	const block = 256 << 10
	buf := make([]byte, block+len(needle)+160)
	name := ""
	for end := off; end > 0 && off-end < maxToolLookback && name == ""; end -= block {
		start := max(0, end-block)
		n, _ := d.in.ReaderAt.ReadAt(buf[:min(int64(len(buf)), d.in.Size-start)], start)
		b := buf[:n]
		if i := bytes.LastIndex(b, needle); i >= 0 {
			if m := nameAfterID.FindSubmatch(b[i+len(needle):]); m != nil {
				name = string(m[1])
			}
			break
		}
	}
	d.tools[id] = name
	return name
}

// normalizeTime returns RFC 3339 for an RFC 3339 string or a Unix time in
// milliseconds (history.jsonl), or the input unchanged.
func normalizeTime(v string) string {
	if v == "" {
		return ""
	}
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms > 1e11 {
		return time.UnixMilli(ms).UTC().Format(time.RFC3339)
	}
	return v
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
