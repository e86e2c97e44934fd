// Package gemini reads Gemini CLI's per-project stores under
// ~/.gemini/tmp/<project>/ (docs/agents.md §2; $GEMINI_CLI_HOME/.gemini
// when set). <project> is a short slug since 2026-02 (its .project_root
// file holds the project path) and the SHA-256 of the path before.
//
//   - chats/session-<time>-<id>.json: one ConversationRecord {sessionId,
//     projectHash, startTime, messages[{id, timestamp, type, content,
//     toolCalls[{id, name, args, result, resultDisplay}]}]}, rewritten whole
//     (≤ 2026-04);
//   - chats/session-<time>-<id>.jsonl (2026-04 →; sub-agents in
//     chats/<parent>/<id>.jsonl): a metadata line, then one message per
//     line — a message is appended again, whole, each time it changes;
//   - logs.json: [{sessionId, messageId, timestamp, type, message}], every
//     prompt typed;
//   - checkpoint-<tag>.json (/chat save): {history: Content[]} or a bare
//     Content[]; checkpoints/<time>-<file>-<tool>.json (restore points):
//     {history, clientHistory, toolCall, messageId};
//   - logs/session-<id>.jsonl (activity log), tool-outputs/session-<id>/
//     <tool>_<call>.txt (truncated tool output), shell_history (text).
//
// Sources: google-gemini/gemini-cli packages/core/src/services/
// chatRecordingService.ts and chatRecordingTypes.ts (chats, JSONL since
// f744913584), core/logger.ts (logs.json, checkpoints), utils/
// checkpointUtils.ts, config/storage.ts, utils/fileUtils.ts (tool-outputs)
// at 5411f113; a real legacy chat (yoavf/ai-sessions).
//
// A re-appended message is folded into its first copy (one finding per
// message id and secret, the later lines in AlsoIn); a tool's output,
// stored in result[0].functionResponse.response.output and again in
// resultDisplay, is one finding with the other field in AlsoIn. A /chat
// save checkpoint names no session: the session and time are those of
// the "/chat save <tag>" prompt in logs.json beside it.
package gemini

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/match"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
)

// Sources of Gemini CLI files.
var (
	// SourceChat is a Gemini CLI chat, checkpoint or tool log.
	SourceChat = &scanner.Source{
		Name: "gemini-chat", Agent: "Gemini CLI", Store: scanner.StoreTranscript,
		Label:        "a Gemini CLI chat",
		Advice:       "Gemini CLI keeps chats, checkpoints and tool output in ~/.gemini/tmp/<project>: after rotating, run `mcpscan redact` (or delete the file).",
		Fields:       records.HistoryFields,
		AgentWritten: true,
	}
	// SourceHistory is Gemini CLI's prompt log (logs.json) and shell history.
	SourceHistory = &scanner.Source{
		Name: "gemini-history", Agent: "Gemini CLI", Store: scanner.StoreHistory,
		Label:        "Gemini CLI's prompt history",
		Advice:       "~/.gemini/tmp/<project>/logs.json and shell_history keep every prompt and shell command typed: after rotating, run `mcpscan redact` (or delete the entry).",
		Fields:       []scanner.Field{scanner.FieldClient, scanner.FieldProject, scanner.FieldSession, scanner.FieldTimestamp},
		AgentWritten: true,
	}
)

// Handler reads Gemini CLI's project stores.
type Handler struct{ records.Lines }

// Sources returns the Gemini CLI sources.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{SourceChat, SourceHistory} }

// kind is what a file under tmp/<project>/ is.
type kind int

const (
	kindNone kind = iota
	kindChatJSON
	kindChatJSONL
	kindLogs
	kindSaved      // checkpoint-<tag>.json
	kindRestore    // checkpoints/*.json
	kindActivity   // logs/session-*.jsonl
	kindToolOutput // tool-outputs/**
	kindShell      // shell_history
)

// classify returns the kind of p and the project directory (…/tmp/<id>).
func classify(p string) (kind, string) {
	i := strings.LastIndex(p, "/.gemini/tmp/")
	if i < 0 {
		return kindNone, ""
	}
	rest := p[i+len("/.gemini/tmp/"):]
	j := strings.IndexByte(rest, '/')
	if j < 0 {
		return kindNone, ""
	}
	dir, rel := p[:i+len("/.gemini/tmp/")+j], rest[j+1:]
	base := path.Base(rel)
	switch {
	case strings.HasPrefix(rel, "chats/") && strings.HasSuffix(base, ".jsonl"):
		return kindChatJSONL, dir
	case strings.HasPrefix(rel, "chats/") && strings.HasSuffix(base, ".json"):
		return kindChatJSON, dir
	case rel == "logs.json":
		return kindLogs, dir
	case !strings.Contains(rel, "/") && strings.HasPrefix(base, "checkpoint-") && strings.HasSuffix(base, ".json"):
		return kindSaved, dir
	case strings.HasPrefix(rel, "checkpoints/") && strings.HasSuffix(base, ".json"):
		return kindRestore, dir
	case strings.HasPrefix(rel, "logs/") && strings.HasSuffix(base, ".jsonl"):
		return kindActivity, dir
	case strings.HasPrefix(rel, "tool-outputs/"):
		return kindToolOutput, dir
	case rel == "shell_history":
		return kindShell, dir
	}
	return kindNone, dir
}

// Accepts takes the chats, logs, checkpoints, tool output and shell
// history under ~/.gemini/tmp/<project>/.
func (Handler) Accepts(p string) bool {
	k, _ := classify(p)
	return k != kindNone
}

// captureKeys are the scalar fields kept for context.
var captureKeys = []string{"sessionId", "id", "messageId", "timestamp", "type", "name", "role", "startTime"}

// Scan reads one Gemini CLI file.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	k, dir := classify(in.ClassPath)
	s := &scan{in: in, env: env, project: projectOf(in, dir)}
	switch k {
	case kindChatJSONL, kindActivity:
		return s.chatJSONL(k)
	case kindChatJSON:
		return records.Document(in, env, records.Options{Capture: captureKeys, Depth: 2}, func(places []records.Place) {
			for _, p := range places {
				root, msg := p.Record(0), p.Record(2)
				s.report(SourceChat, p, records.Get(root, "sessionId"), records.FirstOf(records.Get(msg, "timestamp"), records.Get(root, "startTime")), records.Get(msg, "type"), p.Field("name"))
			}
		})
	case kindLogs:
		return records.Document(in, env, records.Options{Capture: captureKeys, Depth: 1}, func(places []records.Place) {
			for _, p := range places {
				e := p.Record(1)
				s.report(SourceHistory, p, records.Get(e, "sessionId"), records.Get(e, "timestamp"), records.Get(e, "type"), "")
			}
		})
	case kindSaved, kindRestore:
		session, ts := "", ""
		if k == kindSaved {
			session, ts = savedBy(in, dir)
		} else {
			ts = timeFromRestoreName(path.Base(in.ClassPath))
		}
		return records.Document(in, env, records.Options{Capture: captureKeys}, func(places []records.Place) {
			for _, p := range places {
				s.report(SourceChat, p, session, ts, p.Field("role"), p.Field("name"))
			}
		})
	case kindToolOutput:
		session := strings.TrimPrefix(path.Base(path.Dir(in.ClassPath)), "session-")
		tool := path.Base(in.ClassPath)
		if i := strings.LastIndexByte(tool, '_'); i > 0 {
			tool = tool[:i]
		}
		return s.text(SourceChat, scanner.Context{{Key: scanner.FieldSession.Key, Value: session},
			{Key: scanner.FieldRecordType.Key, Value: "tool"}, {Key: scanner.FieldTool.Key, Value: tool}})
	case kindShell:
		return s.text(SourceHistory, nil)
	}
	return nil
}

// scan is one file being read.
type scan struct {
	in      *scanner.Input
	env     *scanner.Env
	project string
}

func (s *scan) report(src *scanner.Source, p records.Place, session, ts, role, tool string) {
	s.env.Report(s.finding(src, p, session, ts, role, tool))
}

func (s *scan) finding(src *scanner.Source, p records.Place, session, ts, role, tool string) scanner.Finding {
	return records.Meta{
		Project: s.project,
		Session: session,
		Time:    ts,
		Role:    role,
		Tool:    tool,
	}.Finding(s.in, src, p)
}

// chatJSONL reads a JSONL chat (or activity log): the session id is on
// the metadata line (or every line of an activity log); a message
// appended again under its id folds into its first copy.
func (s *scan) chatJSONL(k kind) error {
	session := ""
	var meta struct {
		SessionID string `json:"sessionId"`
	}
	if line := records.FirstLine(s.in, 1<<20); line != nil && json.Unmarshal(line, &meta) == nil {
		session = meta.SessionID
	}
	if session == "" && k == kindChatJSONL && strings.Count(path.Base(s.in.ClassPath), "-") == 4 {
		session = strings.TrimSuffix(path.Base(s.in.ClassPath), ".jsonl") // sub-agent chats/<parent>/<id>.jsonl
	}
	var fold records.Folder
	err := records.JSONL(s.in, s.env, records.Options{Capture: captureKeys}, func(places []records.Place) {
		for _, p := range places {
			rec := p.Record(0)
			f := s.finding(SourceChat, p, records.FirstOf(records.Get(rec, "sessionId"), session), records.Get(rec, "timestamp"),
				records.Get(rec, "type"), p.Field("name"))
			if id := records.Get(rec, "id"); id != "" {
				fold.Copy(records.FoldKey(id, p), f)
			} else {
				fold.Add(f)
			}
		}
	})
	fold.Report(s.env)
	return err
}

// text scans a plain text file of the project.
func (s *scan) text(src *scanner.Source, ctx scanner.Context) error {
	c := append(scanner.Context{{Key: scanner.FieldClient.Key, Value: src.Agent}, {Key: scanner.FieldProject.Key, Value: s.project}}, ctx...)
	return records.Text(s.in, s.env, src, func(*match.Hit) scanner.Context { return c })
}

// projectOf reads the project path from <dir>/.project_root (slug
// directories, 2026-02 →), for files on disk.
func projectOf(in *scanner.Input, dir string) string {
	if in.Depth > 0 || dir == "" {
		return ""
	}
	b, err := records.ReadSmall(dir+"/.project_root", 4096)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// savedBy finds the "/chat save <tag>" prompt that wrote a checkpoint in
// the project's logs.json, streaming its entries: the session and time
// of the save.
func savedBy(in *scanner.Input, dir string) (session, ts string) {
	if in.Depth > 0 {
		return "", ""
	}
	tag := strings.TrimSuffix(strings.TrimPrefix(path.Base(in.ClassPath), "checkpoint-"), ".json")
	if t, err := url.PathUnescape(tag); err == nil {
		tag = t
	}
	f, err := os.Open(dir + "/logs.json")
	if err != nil {
		return "", ""
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return "", ""
	}
	for dec.More() {
		var e struct {
			SessionID string `json:"sessionId"`
			Timestamp string `json:"timestamp"`
			Message   string `json:"message"`
		}
		if dec.Decode(&e) != nil {
			break
		}
		if fields := strings.Fields(e.Message); len(fields) == 3 && fields[0] == "/chat" && fields[1] == "save" && fields[2] == tag {
			session, ts = e.SessionID, e.Timestamp // the last save of the tag wrote the file
		}
	}
	return session, ts
}

// timeFromRestoreName reads the ISO time that starts a restore
// checkpoint's name (2026-01-12T09-14-03_000Z-file-tool.json).
func timeFromRestoreName(base string) string {
	if len(base) < 19 {
		return ""
	}
	t := base[:19]
	if t[10] != 'T' {
		return ""
	}
	return t[:13] + ":" + t[14:16] + ":" + t[17:19] + "Z"
}
