// Package aider reads Aider's histories, which it keeps in each project
// directory (the git root, or where aider ran; docs/agents.md §8):
//
//   - .aider.chat.history.md: appended Markdown; each run starts with
//     "# aider chat started at YYYY-MM-DD HH:MM:SS", user messages are
//     lines starting "#### ", tool and command output (/run) is quoted
//     ("> …"), the model's replies are plain Markdown;
//   - .aider.input.history: prompt_toolkit's FileHistory, each entry a
//     "# YYYY-MM-DD HH:MM:SS.ffffff" line then the input's lines, each
//     prefixed "+";
//   - .aider.llm.history (--llm-history-file): the raw exchange with the
//     model, in the same sectioned shape.
//
// Sources: Aider-AI/aider aider/io.py (append_chat_history, "aider chat
// started at"); prompt_toolkit FileHistory.store_string; two third-party
// parsers' fixtures.
//
// There is no session id: a finding names the project directory and the
// time of the section (chat) or entry (input) that holds it, and its role
// from the line's Markdown prefix.
package aider

import (
	"bytes"
	"context"
	"path"
	"regexp"
	"strings"

	"github.com/mcpscan/mcpscan/internal/lazyre"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/match"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
)

// Sources of Aider files.
var (
	// SourceChat is .aider.chat.history.md (and .aider.llm.history).
	SourceChat = &scanner.Source{
		Name: "aider-chat", Agent: "Aider", Store: scanner.StoreTranscript,
		Label:        "Aider's chat history",
		Advice:       "Aider appends every chat to .aider.chat.history.md in the project (often committed or shared): after rotating, run `mcpscan redact` or delete the file, and add .aider* to .gitignore.",
		Fields:       []scanner.Field{scanner.FieldClient, scanner.FieldProject, scanner.FieldTimestamp, scanner.FieldRecordType},
		AgentWritten: true,
	}
	// SourceInput is .aider.input.history.
	SourceInput = &scanner.Source{
		Name: "aider-input-history", Agent: "Aider", Store: scanner.StoreHistory,
		Label:        "Aider's input history",
		Advice:       "Aider keeps every line typed in .aider.input.history in the project: after rotating, run `mcpscan redact` or delete the entry, and add .aider* to .gitignore.",
		Fields:       []scanner.Field{scanner.FieldClient, scanner.FieldProject, scanner.FieldTimestamp},
		AgentWritten: true,
	}
)

// Handler reads Aider's history files.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Sources returns the Aider sources.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{SourceChat, SourceInput} }

// Accepts takes .aider.chat.history.md, .aider.input.history and
// .aider.llm.history by name.
func (Handler) Accepts(p string) bool {
	switch path.Base(p) {
	case ".aider.chat.history.md", ".aider.input.history", ".aider.llm.history":
		return true
	}
	return false
}

// Section headers: a chat run, an input history entry, an LLM exchange.
var (
	chatHeader  = lazyre.New(`(?m)^# aider chat started at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)`)
	inputHeader = lazyre.New(`(?m)^# (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\r?$`)
	llmHeader   = lazyre.New(`(?m)^(?:TO|FROM) LLM (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)`)
)

// Scan reads one history file.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	src, header := SourceChat, chatHeader
	switch path.Base(in.ClassPath) {
	case ".aider.input.history":
		src, header = SourceInput, inputHeader
	case ".aider.llm.history":
		header = llmHeader
	}
	project := ""
	if in.Depth == 0 {
		project = path.Dir(in.ClassPath)
	}
	sec := &sections{in: in, header: header.Get()}
	return records.Text(in, env, src, func(h *match.Hit) scanner.Context {
		role := ""
		if src == SourceChat {
			role = roleOf(h.LineText)
		}
		return scanner.Context{
			{Key: scanner.FieldClient.Key, Value: src.Agent},
			{Key: scanner.FieldProject.Key, Value: project},
			{Key: scanner.FieldTimestamp.Key, Value: records.Time(sec.before(h.Start))},
			{Key: scanner.FieldRecordType.Key, Value: role},
		}
	})
}

// roleOf tells who wrote a line of the chat history by its Markdown
// prefix: "#### " the user, "> " aider's own output (tool and command
// output), anything else the model.
func roleOf(line string) string {
	switch {
	case strings.HasPrefix(line, "#### "):
		return "user"
	case strings.HasPrefix(line, ">"):
		return "tool"
	}
	return "assistant"
}

// sections finds the header above a raw offset through ReaderAt. Hits
// come in file order, so each call reads only the bytes since the last
// one (and, the first time, back to the nearest header).
type sections struct {
	in      *scanner.Input
	header  *regexp.Regexp
	last    string // the last header's time before upTo
	upTo    int64  // bytes before it have been searched
	started bool
}

// headerBlock is how much is read at a time.
const headerBlock = 256 << 10

func (s *sections) before(off int64) string {
	if s.in.ReaderAt == nil || off <= 0 {
		return ""
	}
	if !s.started {
		s.started = true
		// Back from off to the nearest header.
		for end := off; end > 0; end -= headerBlock {
			start := max(0, end-headerBlock)
			if t := s.lastIn(start, min(off, end+256)); t != "" {
				s.last = t
				break
			}
		}
		s.upTo = off
		return s.last
	}
	if off > s.upTo {
		if t := s.lastIn(max(0, s.upTo-256), off); t != "" {
			s.last = t
		}
		s.upTo = off
	}
	return s.last
}

// lastIn returns the time of the last header starting in [start, end).
func (s *sections) lastIn(start, end int64) string {
	buf := make([]byte, end-start)
	n, _ := s.in.ReaderAt.ReadAt(buf, start)
	buf = buf[:n]
	if start > 0 { // a header starts a line: skip the partial first line
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			buf = buf[i+1:]
		} else {
			return ""
		}
	}
	ms := s.header.FindAllSubmatch(buf, -1)
	if len(ms) == 0 {
		return ""
	}
	return string(ms[len(ms)-1][1])
}
