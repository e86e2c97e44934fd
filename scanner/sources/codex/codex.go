// Package codex reads OpenAI Codex CLI's session rollouts and prompt
// history (docs/agents.md §1):
//
//   - $CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<uuid>.jsonl (and
//     archived_sessions/; .jsonl.zst when compressed, read decompressed): one {"timestamp","type","payload"} record per
//     line — session_meta, response_item, event_msg, turn_context,
//     compacted; the early Rust CLI (mid-2025) wrote bare items with no
//     envelope, its first line a bare {"id","timestamp"};
//   - the TypeScript CLI's (April–May 2025) rollout-<date>-<uuid>.json, one
//     {"session","items"} document, and history.json;
//   - $CODEX_HOME/history.jsonl: {"session_id","ts" (s),"text"} per prompt;
//   - $CODEX_HOME/state_<N>.sqlite (rows, through the sqlite container):
//     threads(id, cwd, title = the first prompt, updated_at (s), …) and
//     thread_messages(thread_id, source, content, queued_at (ms)).
//
// Sources: openai/codex codex-rs/rollout/src/policy.rs (persisted items in
// both history modes), codex-rs/state/migrations (state DB tables), codex-rs/protocol (RolloutLine, ResponseItem),
// codex-rs/message-history/src/lib.rs (HistoryEntry),
// codex-cli/src/utils/storage/save-rollout.ts (TypeScript CLI); a real
// rollout of CLI 0.77 (simonw/claude-code-transcripts).
//
// A function call's arguments are JSON serialized into a string; they are
// opened, so a finding names "payload.arguments.command[2]". Codex stores
// each message twice, as a response_item and, on the next line, as an
// event_msg (user_message, agent_message, agent_reasoning; item_completed
// in paginated files), and compaction copies earlier messages a third
// time: such a copy is folded into the finding of the response_item it
// mirrors, listed in its AlsoIn as "line N: payload.message", so one
// pasted key is one finding per place it was typed.
package codex

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/mcpscan/mcpscan/internal/lazyre"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
)

// Sources of Codex CLI files.
var (
	// SourceRollout is a Codex CLI session rollout.
	SourceRollout = &scanner.Source{
		Name: "codex-rollout", Agent: "Codex CLI", Store: scanner.StoreTranscript,
		Label:        "a Codex CLI session rollout",
		Advice:       "Codex keeps every session in ~/.codex/sessions (and archived_sessions): after rotating, run `mcpscan redact` (or delete the rollout file).",
		Fields:       records.HistoryFields,
		AgentWritten: true,
	}
	// SourceHistory is Codex CLI's prompt history.
	SourceHistory = &scanner.Source{
		Name: "codex-history", Agent: "Codex CLI", Store: scanner.StoreHistory,
		Label:        "Codex CLI's prompt history",
		Advice:       "~/.codex/history.jsonl keeps every prompt typed: after rotating, run `mcpscan redact` (or delete the line holding the secret).",
		Fields:       []scanner.Field{scanner.FieldClient, scanner.FieldSession, scanner.FieldTimestamp},
		AgentWritten: true,
	}
)

// Handler reads Codex CLI rollouts and histories.
type Handler struct{ records.AppendOnly }

// Sources returns the Codex sources.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{SourceRollout, SourceHistory} }

// Accepts takes rollout-*.jsonl anywhere (CODEX_HOME can be any
// directory), the TypeScript CLI's rollout-*.json in a sessions
// directory, and history.jsonl / history.json in a .codex directory.
func (Handler) Accepts(p string) bool {
	if db, table, column, _, ok := sqlite.Item(p); ok {
		return column == "" && strings.HasPrefix(path.Base(db), "state_") && path.Ext(db) == ".sqlite" &&
			(table == "threads" || table == "thread_messages")
	}
	base := path.Base(p)
	switch {
	case strings.HasPrefix(base, "rollout-") && (strings.HasSuffix(base, ".jsonl") || strings.HasSuffix(base, ".jsonl.zst")):
		return true
	case strings.HasPrefix(base, "rollout-") && strings.HasSuffix(base, ".json"):
		return path.Base(path.Dir(p)) == "sessions"
	case base == "history.jsonl" || base == "history.json":
		return path.Base(path.Dir(p)) == ".codex"
	}
	return false
}

// captureKeys are the scalar fields kept for context.
var captureKeys = []string{"timestamp", "type", "role", "name", "call_id", "id", "session_id", "ts", "turn_id",
	"thread_id", "source", "queued_at", "updated_at", "cwd"}

// Scan reads one Codex file.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	if _, table, _, _, ok := sqlite.Item(in.ClassPath); ok {
		return scanState(in, env, table)
	}
	base := path.Base(in.ClassPath)
	switch {
	case base == "history.jsonl":
		return records.JSONL(in, env, records.Options{Capture: captureKeys}, func(places []records.Place) {
			for _, p := range places {
				top := p.Record(0)
				env.Report(records.Meta{
					Session: records.Get(top, "session_id"),
					Time:    records.Get(top, "ts"),
				}.Finding(in, SourceHistory, p))
			}
		})
	case base == "history.json": // TypeScript CLI: [{command, timestamp (ms)}]
		return records.Document(in, env, records.Options{Capture: captureKeys, Depth: 1}, func(places []records.Place) {
			for _, p := range places {
				env.Report(records.Meta{
					Time: records.Get(p.Record(1), "timestamp"),
				}.Finding(in, SourceHistory, p))
			}
		})
	case strings.HasSuffix(base, ".json"):
		return scanTypeScript(in, env)
	case strings.HasSuffix(base, ".zst"):
		plain, err := decompress(in, env)
		if plain == nil {
			return err
		}
		in = plain
	}
	r := &rollout{in: in, tools: map[string]string{}}
	r.readMeta()
	var fold records.Folder
	err := records.JSONL(in, env, records.Options{Capture: captureKeys, Skip: ignoredField}, func(places []records.Place) {
		for _, p := range places {
			f, mirror := r.finding(p)
			key := records.FoldKey("", p)
			if mirror {
				fold.Copy(key, f)
			} else {
				fold.Original(key, f)
			}
		}
	})
	fold.Report(env)
	return err
}

// MaxDecompressed is the largest compressed rollout read, decompressed.
const MaxDecompressed = 512 << 20

// decompress returns a .jsonl.zst rollout as JSON Lines in memory (lines
// and fields then count in the decompressed text), or nil with the
// problem reported. A plain .jsonl beside it is the same session, which
// Codex reads first; both are scanned.
func decompress(in *scanner.Input, env *scanner.Env) (*scanner.Input, error) {
	dec, err := zstd.NewReader(in.Reader, zstd.WithDecoderMaxMemory(MaxDecompressed), zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	data, err := io.ReadAll(io.LimitReader(dec, MaxDecompressed+1))
	switch {
	case err != nil:
		env.Problem(in, 0, scanner.ReasonUnreadable, "not a zstd-compressed rollout (%v): not scanned", err)
		return nil, nil
	case len(data) > MaxDecompressed:
		env.Problem(in, 0, scanner.ReasonLimit, "more than %d MiB decompressed: not scanned", MaxDecompressed>>20)
		return nil, nil
	}
	return &scanner.Input{Loc: in.Loc, ClassPath: strings.TrimSuffix(in.ClassPath, ".zst"), Size: int64(len(data)),
		Reader: bytes.NewReader(data), ReaderAt: bytes.NewReader(data), Depth: in.Depth}, nil
}

// rollout holds what one rollout file says about all its records.
type rollout struct {
	in                *scanner.Input
	session, cwd, ts0 string
	tools             map[string]string // call_id → tool name, looked up so far
}

// readMeta reads the session_meta record (or the early CLI's bare first
// line): session id, working directory and start time. The file name's
// uuid stands in when the first line is too long or unreadable.
func (r *rollout) readMeta() {
	if line := records.FirstLine(r.in, 4<<20); line != nil {
		var meta struct {
			Type      string `json:"type"`
			ID        string `json:"id"`
			Timestamp string `json:"timestamp"`
			Payload   struct {
				ID        string `json:"id"`
				SessionID string `json:"session_id"`
				Cwd       string `json:"cwd"`
				Timestamp string `json:"timestamp"`
			} `json:"payload"`
		}
		if json.Unmarshal(line, &meta) == nil {
			if meta.Type == "session_meta" {
				r.session = records.FirstOf(meta.Payload.SessionID, meta.Payload.ID)
				r.cwd = meta.Payload.Cwd
				r.ts0 = records.FirstOf(meta.Payload.Timestamp, meta.Timestamp)
			} else if meta.Type == "" {
				r.session, r.ts0 = meta.ID, meta.Timestamp
			}
		}
	}
	if r.session == "" {
		r.session = sessionFromName(path.Base(r.in.ClassPath))
	}
}

// sessionFromName returns the uuid at the end of a rollout file name
// (rollout-2026-01-12T09-14-03-<uuid>.jsonl; forks: …-<thread>_<rollout>).
func sessionFromName(base string) string {
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".jsonl"), ".json")
	if i := strings.LastIndexByte(base, '_'); i >= 0 {
		base = base[:i]
	}
	if len(base) >= 36 {
		if id := base[len(base)-36:]; strings.Count(id, "-") == 4 {
			return id
		}
	}
	return ""
}

// mirrorEvents are the event_msg types that repeat a response_item.
var mirrorEvents = map[string]bool{"user_message": true, "agent_message": true, "agent_reasoning": true,
	"agent_reasoning_raw_content": true, "item_completed": true}

// finding builds the finding of one place, and reports whether the record
// is a copy of an earlier one (an event_msg mirror or a compaction).
func (r *rollout) finding(p records.Place) (scanner.Finding, bool) {
	top := p.Record(0)
	item := top // the early CLI's bare items have no envelope
	if p.Target != nil && len(p.Target.Frames) > 1 && p.Target.Frames[1].Key == "payload" {
		item = p.Target.Frames[1]
	}
	recType, itemType := records.Get(top, "type"), records.Get(item, "type")
	mirror := recType == "compacted" || recType == "event_msg" && mirrorEvents[itemType]
	kind := itemType
	switch {
	case recType == "session_meta" || recType == "turn_context" || recType == "compacted":
		kind = recType
	case itemType == "message":
		kind = records.Get(item, "role")
	case recType == "event_msg":
		kind = "event_msg/" + itemType
	}
	tool := ""
	switch itemType {
	case "function_call", "custom_tool_call", "local_shell_call":
		tool = records.FirstOf(records.Get(item, "name"), "shell")
	case "function_call_output", "custom_tool_call_output":
		tool = r.toolOf(records.Get(item, "call_id"), p.Hit.LineStart)
	}
	ts := records.FirstOf(records.Get(top, "timestamp"), r.ts0)
	return records.Meta{
		Project: r.cwd,
		Session: r.session,
		Time:    ts,
		Role:    kind,
		Tool:    tool,
	}.Finding(r.in, SourceRollout, p), mirror
}

// callName finds the tool name at the start of the record that holds a
// call: {"type":"function_call","name":"shell",…,"call_id":…}, enveloped
// or bare.
var callName = lazyre.New(`"type":"(?:function_call|custom_tool_call|local_shell_call)",(?:"id":(?:null|"[^"]*"),)?(?:"status":"[^"]*",)?(?:"call_id":"[^"]*",)?"name":"([^"\\]{1,128})"`)

// maxLookback bounds how far before an output its call is looked for.
const maxLookback = 8 << 20

// toolOf names the tool of the call whose id is callID, looking in the
// lines before the output's line (at raw offset before).
func (r *rollout) toolOf(callID string, before int64) string {
	if callID == "" || r.in.ReaderAt == nil {
		return ""
	}
	if name, ok := r.tools[callID]; ok {
		return name
	}
	needle := []byte(`"call_id":"` + callID + `"`)
	const block = 256 << 10
	name := ""
	for end := before; end > 0 && before-end < maxLookback; end -= block {
		start := max(0, end-block-int64(len(needle)))
		buf := make([]byte, end-start)
		n, _ := r.in.ReaderAt.ReadAt(buf, start)
		buf = buf[:n]
		i := bytes.LastIndex(buf, needle)
		if i < 0 {
			continue
		}
		// The call's record starts after the last newline before the id
		// (within the block: names come first in the record).
		ls := bytes.LastIndexByte(buf[:i], '\n') + 1
		if m := callName.FindSubmatch(buf[ls:i]); m != nil {
			name = string(m[1])
		}
		break
	}
	r.tools[callID] = name
	return name
}

// ignoredField reports fields whose values are opaque data or ids.
func ignoredField(t *jsonloc.Target) bool {
	if t.InKey {
		return false
	}
	switch records.LastKey(t.Path) {
	case "encrypted_content", "call_id", "id", "session_id", "turn_id", "thread_id", "commit_hash":
		return true
	}
	return false
}

// tsSession reads the TypeScript CLI's session header: the document
// starts with "session": {"timestamp", "id", "instructions"}.
var tsSession = lazyre.New(`"session"\s*:\s*\{\s*"timestamp"\s*:\s*"([^"]*)"\s*,\s*"id"\s*:\s*"([^"]*)"`)

// scanTypeScript reads a TypeScript CLI rollout: {"session", "items": [ResponseItem…]}.
func scanTypeScript(in *scanner.Input, env *scanner.Env) error {
	session, ts := sessionFromName(path.Base(in.ClassPath)), ""
	if in.ReaderAt != nil {
		head := make([]byte, 64<<10)
		n, _ := in.ReaderAt.ReadAt(head, 0)
		if m := tsSession.FindSubmatch(head[:n]); m != nil {
			ts, session = string(m[1]), records.FirstOf(string(m[2]), session)
		}
	}
	return records.Document(in, env, records.Options{Capture: captureKeys, Skip: ignoredField, Depth: 2}, func(places []records.Place) {
		for _, p := range places {
			item := p.Record(2)
			kind, tool := records.Get(item, "type"), ""
			switch kind {
			case "message", "":
				kind = records.Get(item, "role")
			case "function_call":
				tool = records.Get(item, "name")
			}
			env.Report(records.Meta{
				Session: session,
				Time:    ts,
				Role:    kind,
				Tool:    tool,
			}.Finding(in, SourceRollout, p))
		}
	})
}

// scanState reads a row of the state database.
func scanState(in *scanner.Input, env *scanner.Env, table string) error {
	return records.Document(in, env, records.Options{Capture: captureKeys}, func(places []records.Place) {
		for _, p := range places {
			row := p.Record(0)
			ctx := scanner.Context{{Key: scanner.FieldClient.Key, Value: SourceRollout.Agent}}
			if table == "threads" {
				ctx = append(ctx, scanner.Attr{Key: scanner.FieldProject.Key, Value: records.Get(row, "cwd")},
					scanner.Attr{Key: scanner.FieldSession.Key, Value: records.Get(row, "id")},
					scanner.Attr{Key: scanner.FieldTimestamp.Key, Value: records.Time(records.Get(row, "updated_at"))},
					scanner.Attr{Key: scanner.FieldRecordType.Key, Value: "thread"})
			} else {
				ctx = append(ctx, scanner.Attr{Key: scanner.FieldSession.Key, Value: records.Get(row, "thread_id")},
					scanner.Attr{Key: scanner.FieldTimestamp.Key, Value: records.Time(records.Get(row, "queued_at"))},
					scanner.Attr{Key: scanner.FieldRecordType.Key, Value: records.Get(row, "source")})
			}
			env.Report(records.Finding(in, SourceRollout, p, ctx))
		}
	})
}
