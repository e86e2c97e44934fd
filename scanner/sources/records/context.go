package records

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Time returns a record's time as RFC 3339 UTC: an RFC 3339 string is
// kept as written; a Unix time is read as milliseconds (Claude Code's and
// Codex's history, VS Code, Cline) or seconds (Codex's history.jsonl,
// Goose) by its size; a time without a zone, "YYYY-MM-DD HH:MM:SS[.ffffff]"
// (Aider and Junie write the local time, SQLite CURRENT_TIMESTAMP is
// UTC), is written in RFC 3339's shape without an offset, since the zone
// is not known. Anything else is returned unchanged, "" as "".
func Time(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n > 0 {
		switch {
		case n > 1e11: // milliseconds (after 1973)
			return time.UnixMilli(int64(n)).UTC().Format(msLayout)
		case n > 1e8: // seconds
			return time.Unix(int64(n), int64((n-float64(int64(n)))*1e9)).UTC().Format(time.RFC3339)
		}
		return v
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Format("2006-01-02T15:04:05.999999999")
		}
	}
	return v
}

// msLayout writes a time with its milliseconds, if any.
const msLayout = "2006-01-02T15:04:05.999Z07:00"

// FirstOf returns the first non-empty value.
func FirstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// ToolNames finds the name of the tool a tool result answers, by its id,
// in the raw bytes before the result: transcripts write the call, naming
// its id and then its tool, before the result that names it by id only —
// Anthropic-style {"type":"tool_use","id":"toolu_…","name":"Bash",…}
// (Claude Code, Cline, Amp), Copilot CLI's {"toolCallId":…,"toolName":…}.
// Names found are cached per file.
type ToolNames struct {
	r     io.ReaderAt
	size  int64
	idKey string
	after *regexp.Regexp
	names map[string]string
	buf   []byte // ByID's read buffer, kept between lookups
}

// NewToolNames returns a ToolNames for Anthropic-style tool_use blocks
// ("id" then "name") reading r, of size bytes (nil r: no lookups).
func NewToolNames(r io.ReaderAt, size int64) *ToolNames {
	return NewToolNamesBy(r, size, "id", "name")
}

// NewToolNamesBy returns a ToolNames for calls that write the id under
// idKey followed directly by the tool name under one of nameKeys.
func NewToolNamesBy(r io.ReaderAt, size int64, idKey string, nameKeys ...string) *ToolNames {
	return &ToolNames{r: r, size: size, idKey: idKey, after: nameAfterPattern(nameKeys), names: map[string]string{}}
}

// nameAfterPatterns caches nameAfterPattern's expressions by key list:
// handlers build a ToolNames per file, and compiling costs more than
// scanning a small file.
var nameAfterPatterns sync.Map // strings.Join(keys, "\x00") → *regexp.Regexp

// nameAfterPattern matches `, "<one of keys>": "<name>"` at the start of
// its input, the name in group 1.
func nameAfterPattern(keys []string) *regexp.Regexp {
	k := strings.Join(keys, "\x00")
	if re, ok := nameAfterPatterns.Load(k); ok {
		return re.(*regexp.Regexp)
	}
	alt := make([]string, len(keys))
	for i, key := range keys {
		alt[i] = regexp.QuoteMeta(key)
	}
	re := regexp.MustCompile(`^\s*,\s*"(?:` + strings.Join(alt, "|") + `)"\s*:\s*"([^"\\]{1,128})"`)
	nameAfterPatterns.Store(k, re)
	return re
}

// maxToolLookback bounds how far back a tool_use is looked for.
const maxToolLookback = 8 << 20

// ByID returns the name of the tool_use block with id before raw offset
// off, or "".
func (tn *ToolNames) ByID(id string, off int64) string {
	if id == "" || tn == nil || tn.r == nil {
		return ""
	}
	if name, ok := tn.names[id]; ok {
		return name
	}
	// The call is usually a few kilobytes before its result: read back in
	// blocks that grow from 16 KiB to 256 KiB.
	const maxBlock = 256 << 10
	if need := maxBlock + len(id) + 256; cap(tn.buf) < need {
		tn.buf = make([]byte, need)
	}
	name := ""
	for end, block := off, int64(16<<10); end > 0 && off-end < maxToolLookback && name == ""; end, block = end-block, min(2*block, maxBlock) {
		start := max(0, end-block)
		buf := tn.buf[:block+int64(len(id))+256]
		n, _ := tn.r.ReadAt(buf[:min(int64(len(buf)), tn.size-start)], start)
		b := buf[:n]
		// Only an id that starts before end: the window reads on past it
		// (for the name after the id), into the result's own record.
		if _, e := lastKeyValueBefore(b, tn.idKey, id, int(end-start)); e >= 0 {
			if m := tn.after.FindSubmatch(b[e:]); m != nil {
				name = string(m[1])
			}
			break
		}
	}
	tn.names[id] = name
	return name
}

// LastKeyValue returns the span of the last `"key": "value"` pair in b
// (JSON white space around the colon allowed; key and value as written,
// without escapes), or -1, -1. It searches for the value literally, then
// checks the key before it: no regexp to build per lookup.
func LastKeyValue(b []byte, key, value string) (start, end int) {
	return lastKeyValueBefore(b, key, value, len(b))
}

// lastKeyValueBefore is LastKeyValue for pairs that start before limit.
func lastKeyValueBefore(b []byte, key, value string, limit int) (start, end int) {
	quoted := []byte(`"` + value + `"`)
	k := []byte(`"` + key + `"`)
	start, end = -1, -1
	for i := 0; ; {
		j := bytes.Index(b[i:], quoted)
		if j < 0 {
			return start, end
		}
		p := i + j
		if ks := keyBefore(b[:p], k); ks >= 0 && ks < limit {
			start, end = ks, p+len(quoted)
		}
		i = p + 1
	}
}

// keyBefore returns where key starts when b ends with key, optional
// JSON white space, a colon and optional white space (`"id" : `), or -1.
func keyBefore(b, key []byte) int {
	i := len(b)
	for i > 0 && isJSONSpace(b[i-1]) {
		i--
	}
	if i == 0 || b[i-1] != ':' {
		return -1
	}
	i--
	for i > 0 && isJSONSpace(b[i-1]) {
		i--
	}
	if !bytes.HasSuffix(b[:i], key) {
		return -1
	}
	return i - len(key)
}

// isJSONSpace is regexp's \s: tab, newline, form feed, carriage return, space.
func isJSONSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// FirstLine returns the first line of in, read through ReaderAt, without
// its line ending, when it is at most max bytes long (the metadata record
// agents write first: Codex's session_meta, Gemini's and Goose's session
// header); nil when longer or unreadable.
func FirstLine(in *scanner.Input, max int) []byte {
	if in.ReaderAt == nil {
		return nil
	}
	n := int64(max) + 1
	if in.Size >= 0 && in.Size < n {
		n = in.Size
	}
	buf := make([]byte, n)
	m, _ := in.ReaderAt.ReadAt(buf, 0)
	buf = buf[:m]
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		return bytes.TrimRight(buf[:i], "\r")
	}
	if len(buf) > max {
		return nil
	}
	return buf
}

// ReadSmall reads at most max bytes of the file at path: a small file
// beside a store that names its project (VS Code's workspace.json, Gemini
// CLI's .project_root).
func ReadSmall(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, max))
}

// Text scans a plain text store of an agent (a paste cache, a shell
// history, a debug log) and reports every hit as a finding of src, with
// the context ctx returns for it (empty values dropped).
func Text(in *scanner.Input, env *scanner.Env, src *scanner.Source, ctx func(h *match.Hit) scanner.Context) error {
	return env.Match(in, match.Text, func(h *match.Hit) error {
		f := scanner.FindingFromHit(in, src, h)
		f.Context = append(scanner.Context(nil), ctx(h)...).Compact()
		env.Report(f)
		return nil
	})
}

// VSCodeWorkspace returns the folder a VS Code-family workspace storage
// directory (…/User/workspaceStorage/<id>) belongs to, from its
// workspace.json ({"folder": "file:///…"} or {"workspace": "…"}), as a
// path; "" when unknown. Used for Copilot Chat sessions and Cursor's
// per-workspace state.vscdb.
func VSCodeWorkspace(storageDir string) string {
	b, err := ReadSmall(storageDir+"/workspace.json", 64<<10)
	if err != nil {
		return ""
	}
	var ws struct {
		Folder    string `json:"folder"`
		Workspace string `json:"workspace"`
	}
	if json.Unmarshal(b, &ws) != nil {
		return ""
	}
	return FilePath(FirstOf(ws.Folder, ws.Workspace))
}

// FilePath turns a file:// URI (VS Code's workspace folders, Continue's
// workspaceDirectory, Amp's trees) into a path; anything else is
// returned as it is.
func FilePath(u string) string {
	if !strings.HasPrefix(u, "file://") {
		return u
	}
	p, err := url.PathUnescape(strings.TrimPrefix(u, "file://"))
	if err != nil {
		return u
	}
	if len(p) > 2 && p[0] == '/' && p[2] == ':' { // file:///c:/Users/… on Windows
		p = p[1:]
	}
	return p
}
