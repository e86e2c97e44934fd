// Package claudestores reads Claude Code's stores beside its transcripts
// (docs/agents.md §11), under ~/.claude or $CLAUDE_CONFIG_DIR:
//
//   - paste-cache/<contentHash>.txt: the text of large pastes, which
//     history.jsonl names by pastedContents[n].contentHash;
//   - shell-snapshots/snapshot-<shell>-<ms>-<rand>.sh: the user's shell
//     functions, aliases and exported variables at session start;
//   - session-env/<session>/…: per-session environment scripts;
//   - todos/<session>-agent-<agent>.json: [{content, status, activeForm, id}];
//   - debug/<session>.txt: debug log lines "<RFC 3339> [LEVEL] …" (MCP
//     server stderr, spawn environments, hook output);
//   - projects/<cwd>/<session>/tool-results/<id>.txt: tool outputs too
//     large for the transcript.
//
// No Claude Code source is public: these shapes come from observed files
// (docs/agents.md §11 lists the third-party sources). A paste's session,
// time and project are those of the history.jsonl entry that names its
// hash; a snapshot's time is in its name; a debug line's time starts it.
package claudestores

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/match"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
)

// Sources of Claude Code's side stores.
var (
	// SourcePaste is a paste-cache entry.
	SourcePaste = &scanner.Source{
		Name: "claude-paste-cache", Agent: "Claude Code", Store: scanner.StoreHistory,
		Label:        "a Claude Code paste-cache entry",
		Advice:       "Claude Code keeps the text of every large paste in ~/.claude/paste-cache: after rotating, delete the file (or run `mcpscan redact`).",
		Fields:       []scanner.Field{scanner.FieldClient, scanner.FieldProject, scanner.FieldSession, scanner.FieldTimestamp},
		AgentWritten: true,
	}
	// SourceShell is a shell snapshot or session environment script.
	SourceShell = &scanner.Source{
		Name: "claude-shell-snapshot", Agent: "Claude Code", Store: scanner.StoreOther,
		Label:        "a Claude Code shell snapshot",
		Advice:       "Claude Code copies your shell's exported variables into ~/.claude/shell-snapshots at every session start: keep credentials out of your shell profile (load them from a secret manager on demand), then delete the snapshots.",
		Fields:       []scanner.Field{scanner.FieldClient, scanner.FieldSession, scanner.FieldTimestamp},
		AgentWritten: true,
	}
	// SourceLog is a debug log, todo list or spilled tool output.
	SourceLog = &scanner.Source{
		Name: "claude-session-file", Agent: "Claude Code", Store: scanner.StoreTranscript,
		Label:        "a Claude Code session file",
		Advice:       "Claude Code keeps debug logs, todo lists and large tool outputs per session under ~/.claude: after rotating, run `mcpscan redact` (or delete the file).",
		Fields:       []scanner.Field{scanner.FieldClient, scanner.FieldProject, scanner.FieldSession, scanner.FieldAgentID, scanner.FieldTimestamp, scanner.FieldRecordType},
		AgentWritten: true,
	}
)

// Handler reads Claude Code's side stores.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Sources returns the side stores' sources.
func (Handler) Sources() []*scanner.Source {
	return []*scanner.Source{SourcePaste, SourceShell, SourceLog}
}

// store names the kinds of side store.
type store int

const (
	none store = iota
	paste
	snapshot
	sessionEnv
	todos
	debug
	toolResult
)

// classify returns the kind of p and the Claude directory it is in.
func classify(p string) (store, string, []string) {
	for _, marker := range []string{"/.claude/"} {
		i := strings.LastIndex(p, marker)
		if i < 0 {
			continue
		}
		dir := p[:i+len(marker)-1]
		parts := strings.Split(p[i+len(marker):], "/")
		switch {
		case len(parts) == 2 && parts[0] == "paste-cache":
			return paste, dir, parts
		case len(parts) == 2 && parts[0] == "shell-snapshots":
			return snapshot, dir, parts
		case len(parts) >= 3 && parts[0] == "session-env":
			return sessionEnv, dir, parts
		case len(parts) == 2 && parts[0] == "todos" && strings.HasSuffix(parts[1], ".json"):
			return todos, dir, parts
		case len(parts) == 2 && parts[0] == "debug":
			return debug, dir, parts
		case len(parts) == 5 && parts[0] == "projects" && parts[3] == "tool-results":
			return toolResult, dir, parts
		}
	}
	return none, "", nil
}

// Accepts takes the side stores by their place under the Claude directory.
func (Handler) Accepts(p string) bool {
	k, _, _ := classify(p)
	return k != none
}

// Scan reads one side store file.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	k, dir, parts := classify(in.ClassPath)
	client := scanner.Attr{Key: scanner.FieldClient.Key, Value: "Claude Code"}
	switch k {
	case paste:
		var e *pasteEntry
		looked := false
		return records.Text(in, env, SourcePaste, func(*match.Hit) scanner.Context {
			if !looked {
				e, looked = findPaste(in, dir, strings.TrimSuffix(parts[1], path.Ext(parts[1]))), true
			}
			if e == nil {
				return scanner.Context{client}
			}
			return scanner.Context{client, {Key: scanner.FieldProject.Key, Value: e.Project},
				{Key: scanner.FieldSession.Key, Value: e.SessionID}, {Key: scanner.FieldTimestamp.Key, Value: records.Time(e.Timestamp.String())}}
		})
	case snapshot:
		ts := snapshotTime(parts[1])
		return records.Text(in, env, SourceShell, func(*match.Hit) scanner.Context {
			return scanner.Context{client, {Key: scanner.FieldTimestamp.Key, Value: ts}}
		})
	case sessionEnv:
		return records.Text(in, env, SourceShell, func(*match.Hit) scanner.Context {
			return scanner.Context{client, {Key: scanner.FieldSession.Key, Value: parts[1]}}
		})
	case debug:
		session := strings.TrimSuffix(parts[1], path.Ext(parts[1]))
		return records.Text(in, env, SourceLog, func(h *match.Hit) scanner.Context {
			return scanner.Context{client, {Key: scanner.FieldSession.Key, Value: session},
				{Key: scanner.FieldTimestamp.Key, Value: lineTime(h.LineText)}, {Key: scanner.FieldRecordType.Key, Value: "debug"}}
		})
	case toolResult:
		return records.Text(in, env, SourceLog, func(*match.Hit) scanner.Context {
			return scanner.Context{client, {Key: scanner.FieldProject.Key, Value: parts[1]}, {Key: scanner.FieldSession.Key, Value: parts[2]},
				{Key: scanner.FieldRecordType.Key, Value: "tool-result"}}
		})
	}
	// todos/<session>-agent-<agent>.json
	name := strings.TrimSuffix(parts[1], ".json")
	session, agent, _ := strings.Cut(name, "-agent-")
	return records.Document(in, env, records.Options{Depth: 1}, func(places []records.Place) {
		for _, p := range places {
			env.Report(records.Finding(in, SourceLog, p, scanner.Context{client,
				{Key: scanner.FieldSession.Key, Value: session}, {Key: scanner.FieldAgentID.Key, Value: agent},
				{Key: scanner.FieldRecordType.Key, Value: "todo"}}))
		}
	})
}

// pasteEntry is the history.jsonl entry naming a paste.
type pasteEntry struct {
	SessionID string      `json:"sessionId"`
	Project   string      `json:"project"`
	Timestamp json.Number `json:"timestamp"`
}

// findPaste streams <dir>/history.jsonl for the entry whose pasted
// contents name hash (the last one: a paste reused keeps its hash).
func findPaste(in *scanner.Input, dir, hash string) *pasteEntry {
	if in.Depth > 0 || hash == "" {
		return nil
	}
	f, err := os.Open(dir + "/history.jsonl")
	if err != nil {
		return nil
	}
	defer f.Close()
	needle := []byte(`"contentHash":"` + hash + `"`)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	var found *pasteEntry
	for sc.Scan() {
		if line := sc.Bytes(); bytes.Contains(line, needle) {
			var e pasteEntry
			if json.Unmarshal(line, &e) == nil {
				found = &e
			}
		}
	}
	return found
}

// snapshotTime reads the milliseconds in snapshot-<shell>-<ms>-<rand>.sh.
func snapshotTime(name string) string {
	for _, part := range strings.Split(strings.TrimSuffix(name, ".sh"), "-") {
		if len(part) == 13 {
			if _, err := strconv.ParseInt(part, 10, 64); err == nil {
				return records.Time(part)
			}
		}
	}
	return ""
}

// lineTime returns the RFC 3339 time that starts a debug log line.
func lineTime(line string) string {
	if i := strings.IndexByte(line, ' '); i >= 20 && line[4] == '-' && line[10] == 'T' {
		return line[:i]
	}
	return ""
}
