package transcript

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/match"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
)

// The bare-token tier: a credential printed by a command with no name near
// it (gh auth token, aws configure get aws_secret_access_key, op read …,
// security find-generic-password -w, cat ~/.config/…/token). No pattern
// can tell such an output from any other string; the transcript can, since
// it holds the command. The signal rule (rules.CredentialCommandSignal)
// marks records whose text has a credential command's words; for each
// Bash tool_use there whose whole command rules.CredentialCommand accepts,
// the matching tool_result record (Claude Code writes it after the
// tool_use, with "tool_use_id") is read, and a single token-shaped line of
// output (rules.BareToken) is reported as command-output-credential.

// maxResultLookahead bounds how far after a tool_use its result is looked
// for, and maxRecordBytes the records read whole for this.
const (
	maxResultLookahead = 8 << 20
	maxRecordBytes     = 1 << 20
)

// pendingCommand is a credential command whose output is still to be read.
type pendingCommand struct {
	id        string // the tool_use id
	src       rules.CredentialSource
	lineStart int64 // the tool_use record's first byte
	lineEnd   int64 // just after its newline
	line      int   // its 1-based line
}

// toolRecord is what the bare-token tier reads of a Claude Code record.
type toolRecord struct {
	Type      string `json:"type"`
	SessionID string `json:"sessionId"`
	Cwd       string `json:"cwd"`
	Timestamp string `json:"timestamp"`
	Message   struct {
		Content json.RawMessage `json:"content"`
	} `json:"message"`
	ToolUseResult json.RawMessage `json:"toolUseResult"`
}

type contentBlock struct {
	Type      string          `json:"type"`
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	ToolUseID string          `json:"tool_use_id"`
	Content   json.RawMessage `json:"content"`
}

// readRecord returns the record (line) starting at off, without its
// newline, and the offset after the newline; nil when it is too long.
func (d *describer) readRecord(off int64) ([]byte, int64) {
	if d.in.ReaderAt == nil {
		return nil, 0
	}
	var buf []byte
	chunk := make([]byte, 64<<10)
	for pos := off; pos-off < maxRecordBytes; {
		n, err := d.in.ReaderAt.ReadAt(chunk, pos)
		if i := bytes.IndexByte(chunk[:n], '\n'); i >= 0 {
			return append(buf, chunk[:i]...), pos + int64(i) + 1
		}
		buf = append(buf, chunk[:n]...)
		pos += int64(n)
		if err != nil || n == 0 {
			return buf, pos
		}
	}
	return nil, 0
}

// signal notes the credential commands of a record holding signal hits.
func (d *describer) signal(h *match.Hit) {
	if d.signalled[h.LineStart] || !inCommand(h) {
		return
	}
	d.signalled[h.LineStart] = true
	rec, end := d.readRecord(h.LineStart)
	var r toolRecord
	if rec == nil || json.Unmarshal(rec, &r) != nil {
		return
	}
	var blocks []contentBlock
	if json.Unmarshal(r.Message.Content, &blocks) != nil {
		return
	}
	for _, b := range blocks {
		if b.Type != "tool_use" || b.ID == "" {
			continue
		}
		var in struct {
			Command string `json:"command"`
		}
		if json.Unmarshal(b.Input, &in) != nil || in.Command == "" {
			continue
		}
		if src, ok := rules.CredentialCommand(in.Command); ok {
			d.pending = append(d.pending, pendingCommand{id: b.ID, src: src, lineStart: h.LineStart, lineEnd: end, line: h.Line})
		}
	}
}

// bareTokens reports the bare credentials the pending commands printed.
func (d *describer) bareTokens(env *scanner.Env) {
	rule := env.Rules.Lookup(rules.CommandOutputCredential)
	if rule == nil {
		return
	}
	for _, p := range d.pending {
		d.bareToken(env, rule, p)
	}
}

func (d *describer) bareToken(env *scanner.Env, rule *rules.Rule, p pendingCommand) {
	needle := []byte(`"tool_use_id":"` + p.id + `"`)
	start, line, ok := d.findForward(p.lineEnd, p.line+1, needle)
	if !ok {
		return
	}
	rec, _ := d.readRecord(start)
	var r toolRecord
	if rec == nil || json.Unmarshal(rec, &r) != nil {
		return
	}
	type output struct{ text, field string }
	var outs []output
	var blocks []contentBlock
	if json.Unmarshal(r.Message.Content, &blocks) == nil {
		for i, b := range blocks {
			if b.Type != "tool_result" || b.ToolUseID != p.id {
				continue
			}
			var s string
			if json.Unmarshal(b.Content, &s) == nil {
				outs = append(outs, output{s, "message.content[" + strconv.Itoa(i) + "].content"})
				continue
			}
			var parts []struct {
				Type, Text string
			}
			if json.Unmarshal(b.Content, &parts) == nil {
				for j, pt := range parts {
					if pt.Type == "text" {
						outs = append(outs, output{pt.Text, "message.content[" + strconv.Itoa(i) + "].content[" + strconv.Itoa(j) + "].text"})
					}
				}
			}
		}
	}
	var tur struct{ Stdout string }
	if json.Unmarshal(r.ToolUseResult, &tur) == nil && tur.Stdout != "" {
		outs = append(outs, output{tur.Stdout, "toolUseResult.stdout"})
	}
	var found *output
	var token string
	var also []string
	for i := range outs {
		a, b, ok := rules.BareToken(outs[i].text, p.src)
		if !ok {
			continue
		}
		t := outs[i].text[a:b]
		switch {
		case found == nil:
			found, token = &outs[i], t
		case t == token:
			also = append(also, outs[i].field)
		}
	}
	if found == nil || d.reported[token] {
		return
	}
	at := bytes.Index(rec, []byte(token))
	if at < 0 {
		return // written with escapes: the pattern rules see what they can
	}
	d.reported[token] = true
	loc := d.in.Loc
	loc.Line, loc.EndLine = line, line
	loc.Column = utf8.RuneCount(rec[:at]) + 1
	loc.EndColumn = loc.Column + utf8.RuneCountInString(token)
	loc.Offset = start + int64(at)
	loc.Field, loc.AlsoIn = found.field, also
	f := scanner.Finding{Rule: rule, Source: d.src, Location: loc, Secret: scanner.NewSecret(rule, token)}
	f.Description = rule.Description + " Printed by `" + p.src.Tool + "` (" + p.src.What + ")."
	f.SetMatchedLine(string(rec[max(0, at-match.LineContext):min(len(rec), at+len(token)+match.LineContext)]))
	f.Context = scanner.Context{
		{Key: scanner.FieldProject.Key, Value: records.FirstOf(r.Cwd, projectFromPath(d.in.ClassPath))},
		{Key: scanner.FieldSession.Key, Value: records.FirstOf(r.SessionID, sessionFromPath(d.in.ClassPath))},
		{Key: scanner.FieldTimestamp.Key, Value: records.Time(r.Timestamp)},
		{Key: scanner.FieldRecordType.Key, Value: r.Type},
		{Key: scanner.FieldTool.Key, Value: "Bash"},
	}.Compact()
	env.Report(f)
}

// findForward finds needle after offset from (on line fromLine), within
// maxResultLookahead bytes, and returns the start of the line holding it
// and that line's number.
func (d *describer) findForward(from int64, fromLine int, needle []byte) (int64, int, bool) {
	if d.in.ReaderAt == nil {
		return 0, 0, false
	}
	const block = 256 << 10
	buf := make([]byte, block+len(needle))
	lineStart, line := from, fromLine
	for pos := from; pos-from < maxResultLookahead; pos += block {
		n, err := d.in.ReaderAt.ReadAt(buf, pos)
		b := buf[:n]
		if i := bytes.Index(b, needle); i >= 0 {
			if nl := bytes.LastIndexByte(b[:i], '\n'); nl >= 0 {
				lineStart = pos + int64(nl) + 1
			}
			return lineStart, line + bytes.Count(b[:i], []byte{'\n'}), true
		}
		keep := min(n, block)
		if nl := bytes.LastIndexByte(b[:keep], '\n'); nl >= 0 {
			lineStart = pos + int64(nl) + 1
		}
		line += bytes.Count(b[:keep], []byte{'\n'})
		if err == io.EOF || n == 0 {
			break
		}
	}
	return 0, 0, false
}

// lastCommandKey is strings.LastIndex(s, `"command"`), stepping back from
// quote to quote (strings.LastIndex hashes every byte).
func lastCommandKey(s string) int {
	for j := len(s); j > 0; {
		k := strings.LastIndexByte(s[:j], '"')
		if k < 0 {
			return -1
		}
		if strings.HasPrefix(s[k:], `"command"`) {
			return k
		}
		j = k
	}
	return -1
}

// inCommand reports, from the hit's line alone, whether the signal's words
// sit inside a JSON "command" string (a shell tool's input), so that a
// record is only read whole when it may hold a credential command: the
// words are frequent in code and logs (minified bundles, Read results).
func inCommand(h *match.Hit) bool {
	line := h.LineText
	at := strings.Index(line, h.Secret)
	if at < 0 {
		at = len(line)
	}
	from := max(0, at-1024)
	k := lastCommandKey(line[from:at])
	if k < 0 {
		return false
	}
	rest := line[from+k+len(`"command"`) : at]
	rest = strings.TrimLeft(rest, " \t")
	if !strings.HasPrefix(rest, ":") {
		return false
	}
	rest = strings.TrimLeft(rest[1:], " \t")
	if !strings.HasPrefix(rest, `"`) {
		return false
	}
	// No unescaped quote between the command's opening quote and the
	// words: they are inside the string.
	for i := 1; i < len(rest); i++ {
		if rest[i] == '"' && rest[i-1] != '\\' {
			return false
		}
	}
	return true
}
