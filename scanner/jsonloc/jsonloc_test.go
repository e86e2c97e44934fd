package jsonloc

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

var transcriptCapture = Options{Capture: []string{
	"type", "name", "id", "tool_use_id", "sessionId", "timestamp", "cwd",
	"agentId", "parentToolUseID", "toolUseID", "sourceToolAssistantUUID",
}}

// Small hand-written records shaped like Claude Code transcript lines.
const (
	recUserString = `{"parentUuid":null,"isSidechain":false,"cwd":"/home/u/proj","sessionId":"s-1","type":"user",` +
		`"message":{"role":"user","content":"export API_KEY=SECRET_A now"},"uuid":"u-1","timestamp":"2026-01-01T00:00:00Z"}`

	recAssistant = `{"parentUuid":"u-1","sessionId":"s-1","message":{"model":"m","id":"msg_1","type":"message","role":"assistant",` +
		`"content":[{"type":"text","text":"the key is SECRET_B"},` +
		`{"type":"tool_use","id":"toolu_1","input":{"command":"curl -H \"Authorization: Bearer SECRET_C\" https://x","description":"d"},"name":"Bash","caller":{"type":"direct"}}],` +
		`"usage":{"input_tokens":3,"output_tokens":27}},"requestId":"req_1","type":"assistant","uuid":"a-1","timestamp":"2026-01-01T00:00:01Z"}`

	recToolResult = `{"parentUuid":"a-1","sessionId":"s-1","type":"user","message":{"role":"user","content":[` +
		`{"tool_use_id":"toolu_1","type":"tool_result","content":"token=SECRET_D","is_error":false},` +
		`{"tool_use_id":"toolu_2","type":"tool_result","content":[{"type":"text","text":"pw SECRET_E"}]}]},` +
		`"uuid":"u-2","timestamp":"2026-01-01T00:00:02Z",` +
		`"toolUseResult":{"stdout":"AWS_SECRET=SECRET_F\n","stderr":"","interrupted":false},"sourceToolAssistantUUID":"a-1"}`

	recReadResult = `{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_3","type":"tool_result","content":"     1\u2192A=SECRET_G"}]},` +
		`"toolUseResult":{"type":"text","file":{"filePath":"/p/.env","content":"A=SECRET_G\nB=2","numLines":2,"startLine":1}},"sourceToolAssistantUUID":"a-2","timestamp":"T3"}`

	recProgress = `{"parentUuid":"x","cwd":"/home/u/proj","sessionId":"s-1","type":"progress",` +
		`"data":{"type":"bash_progress","output":"printenv\nTOKEN=SECRET_H","fullOutput":"TOKEN=SECRET_H","elapsedTimeSeconds":3},` +
		`"toolUseID":"bash-progress-0","parentToolUseID":"toolu_9","uuid":"p-1","timestamp":"2026-01-01T00:00:03Z"}`

	recNested = `{"type":"user","message":{"role":"user","content":"{\"mcpServers\":{\"gh\":{\"env\":{\"GITHUB_TOKEN\":\"SECRET_I\"}}}}"},"timestamp":"T4"}`

	recConfig = `{"numStartups":3,"projects":{"/home/a/x":{"mcpServers":{"gh":{"type":"stdio","env":{"API_KEY":"SECRET_J"}}}}}}`

	recUnicode = `{"k\u00e9y":"h\u00e9llo \ud83d\ude00 日本語 ü SECRET_K","name":"\u00e9\ud83d\ude00x","tab\tkey":"SECRET_L"}`
)

// at returns the offset of the first occurrence of needle in rec plus
// delta; it panics when needle is missing so that typos fail loudly.
func at(rec, needle string, delta int) int64 {
	i := strings.Index(rec, needle)
	if i < 0 {
		panic("needle not found: " + needle)
	}
	return int64(i + delta)
}

type want struct {
	off    int64
	found  bool
	inKey  bool
	path   string
	fields []map[string]string // per frame; nil: don't check
	keys   []string            // Frame.Key per frame; nil: don't check
	index  []int               // Frame.Index per frame; nil: don't check
}

func TestLocate(t *testing.T) {
	root := func(m map[string]string) map[string]string { return m }
	tests := []struct {
		name  string
		rec   string
		opt   Options
		wants []want
	}{
		{
			name: "user string content, timestamp after target",
			rec:  recUserString,
			opt:  transcriptCapture,
			wants: []want{{
				off: at(recUserString, "SECRET_A", 0), found: true, path: "message.content",
				fields: []map[string]string{
					root(map[string]string{"cwd": "/home/u/proj", "sessionId": "s-1", "type": "user", "timestamp": "2026-01-01T00:00:00Z"}),
					nil,
				},
				keys: []string{"", "message"}, index: []int{-1, -1},
			}},
		},
		{
			name: "assistant text and tool_use with name after input",
			rec:  recAssistant,
			opt:  transcriptCapture,
			wants: []want{
				{
					off: at(recAssistant, "SECRET_B", 3), found: true, path: "message.content[0].text",
					fields: []map[string]string{
						{"sessionId": "s-1", "type": "assistant", "timestamp": "2026-01-01T00:00:01Z"},
						{"id": "msg_1", "type": "message"},
						nil,
						{"type": "text"},
					},
					keys: []string{"", "message", "content", ""}, index: []int{-1, -1, -1, 0},
				},
				{
					off: at(recAssistant, "SECRET_C", 0), found: true, path: "message.content[1].input.command",
					fields: []map[string]string{
						{"sessionId": "s-1", "type": "assistant", "timestamp": "2026-01-01T00:00:01Z"},
						{"id": "msg_1", "type": "message"},
						nil,
						{"type": "tool_use", "id": "toolu_1", "name": "Bash"},
						nil,
					},
					keys: []string{"", "message", "content", "", "input"}, index: []int{-1, -1, -1, 1, -1},
				},
				// On the backslash and the quote of the escaped \" in the command.
				{off: at(recAssistant, `\"Authorization`, 0), found: true, path: "message.content[1].input.command"},
				{off: at(recAssistant, `\"Authorization`, 1), found: true, path: "message.content[1].input.command"},
				// The opening and closing quotes of the command string count.
				{off: at(recAssistant, `"curl`, 0), found: true, path: "message.content[1].input.command"},
				{off: at(recAssistant, `https://x"`, 9), found: true, path: "message.content[1].input.command"},
				{off: at(recAssistant, `,"description"`, 0), found: false},
				{off: at(recAssistant, `"direct"`, 1), found: true, path: "message.content[1].caller.type",
					fields: []map[string]string{nil, nil, nil, {"type": "tool_use", "id": "toolu_1", "name": "Bash"}, {"type": "direct"}}},
			},
		},
		{
			name: "tool_result string and array content, toolUseResult.stdout",
			rec:  recToolResult,
			opt:  transcriptCapture,
			wants: []want{
				{
					off: at(recToolResult, "SECRET_D", 0), found: true, path: "message.content[0].content",
					fields: []map[string]string{
						{"sessionId": "s-1", "type": "user", "timestamp": "2026-01-01T00:00:02Z", "sourceToolAssistantUUID": "a-1"},
						nil, nil,
						{"tool_use_id": "toolu_1", "type": "tool_result"},
					},
				},
				{
					off: at(recToolResult, "SECRET_E", 7), found: true, path: "message.content[1].content[0].text",
					fields: []map[string]string{nil, nil, nil, {"tool_use_id": "toolu_2", "type": "tool_result"}, nil, {"type": "text"}},
					index:  []int{-1, -1, -1, 1, -1, 0},
				},
				{
					off: at(recToolResult, "SECRET_F", 0), found: true, path: "toolUseResult.stdout",
					fields: []map[string]string{{"sessionId": "s-1", "type": "user", "timestamp": "2026-01-01T00:00:02Z", "sourceToolAssistantUUID": "a-1"}, nil},
				},
			},
		},
		{
			name: "toolUseResult.file.content",
			rec:  recReadResult,
			opt:  transcriptCapture,
			wants: []want{
				{off: at(recReadResult, "SECRET_G", 0), found: true, path: "message.content[0].content"},
				{
					off: at(recReadResult, "A=SECRET_G\\n", 2), found: true, path: "toolUseResult.file.content",
					fields: []map[string]string{{"type": "user", "sourceToolAssistantUUID": "a-2", "timestamp": "T3"}, {"type": "text"}, nil},
					keys:   []string{"", "toolUseResult", "file"},
				},
			},
		},
		{
			name: "progress data.output",
			rec:  recProgress,
			opt:  transcriptCapture,
			wants: []want{
				{
					off: at(recProgress, "SECRET_H", 0), found: true, path: "data.output",
					fields: []map[string]string{
						{"cwd": "/home/u/proj", "sessionId": "s-1", "type": "progress", "toolUseID": "bash-progress-0", "parentToolUseID": "toolu_9", "timestamp": "2026-01-01T00:00:03Z"},
						{"type": "bash_progress"},
					},
				},
				{off: at(recProgress, `"TOKEN=SECRET_H"`, 5), found: true, path: "data.fullOutput"},
				{off: at(recProgress, `3}`, 0), found: false}, // a number
			},
		},
		{
			name: "JSON inside a JSON string",
			rec:  recNested,
			opt:  transcriptCapture,
			wants: []want{
				{off: at(recNested, `\"GITHUB_TOKEN`, 0), found: true, path: "message.content"},
				{off: at(recNested, `\"GITHUB_TOKEN`, 1), found: true, path: "message.content"},
				{off: at(recNested, `SECRET_I`, 0), found: true, path: "message.content",
					fields: []map[string]string{{"type": "user", "timestamp": "T4"}, nil}},
				{off: at(recNested, `SECRET_I\"`, 8), found: true, path: "message.content"},
				{off: at(recNested, `SECRET_I\"`, 9), found: true, path: "message.content"},
			},
		},
		{
			name: "non-identifier keys and InKey",
			rec:  recConfig,
			opt:  transcriptCapture,
			wants: []want{
				{off: at(recConfig, "SECRET_J", 1), found: true, path: `projects["/home/a/x"].mcpServers.gh.env.API_KEY`,
					keys:   []string{"", "projects", "/home/a/x", "mcpServers", "gh", "env"},
					fields: []map[string]string{nil, nil, nil, nil, {"type": "stdio"}, nil}},
				{off: at(recConfig, `"API_KEY"`, 1), found: true, inKey: true, path: `projects["/home/a/x"].mcpServers.gh.env.API_KEY`},
				{off: at(recConfig, `"/home/a/x"`, 0), found: true, inKey: true, path: `projects["/home/a/x"]`},
				{off: at(recConfig, `"numStartups"`, 11), found: true, inKey: true, path: `numStartups`},
				{off: at(recConfig, `3,`, 0), found: false},
				{off: at(recConfig, `:{"/home`, 0), found: false},
			},
		},
		{
			name: "unicode escapes and multi-byte UTF-8 before the offset",
			rec:  recUnicode,
			opt:  Options{Capture: []string{"name"}},
			wants: []want{
				{off: at(recUnicode, "SECRET_K", 0), found: true, path: `["kéy"]`,
					fields: []map[string]string{{"name": "é😀x"}}},
				{off: at(recUnicode, `"k\u00e9y"`, 4), found: true, inKey: true, path: `["kéy"]`},
				{off: at(recUnicode, "SECRET_L", 0), found: true, path: `["tab\tkey"]`},
			},
		},
		{
			name: "offsets outside any string",
			rec:  ` {"a": [1, true, null, "x"], "b": -2.5e3}` + "\n",
			wants: []want{
				{off: -1}, {off: 0}, {off: 1}, {off: 2, found: true, inKey: true, path: "a"},
				{off: 5}, {off: 7}, {off: 8}, {off: 11}, {off: 17},
				{off: 23, found: true, path: "a[3]"}, {off: 24, found: true, path: "a[3]"}, {off: 25, found: true, path: "a[3]"},
				{off: 26}, {off: 36}, {off: 41}, {off: 42}, {off: 1000},
			},
		},
		{
			name: "top-level string and array",
			rec:  `"just a SECRET"`,
			wants: []want{
				{off: 0, found: true, path: "", fields: []map[string]string{}},
				{off: 8, found: true, path: "", fields: []map[string]string{}},
			},
		},
		{
			name: "root array",
			rec:  `[{"type":"a","v":"x"},["y",{"z":"SECRET"}]]`,
			opt:  Options{Capture: []string{"type", "v"}},
			wants: []want{
				{off: at(`[{"type":"a","v":"x"},["y",{"z":"SECRET"}]]`, "x", 0), found: true, path: "[0].v",
					fields: []map[string]string{nil, {"type": "a", "v": "x"}}, index: []int{-1, 0}},
				{off: at(`[{"type":"a","v":"x"},["y",{"z":"SECRET"}]]`, "SECRET", 0), found: true, path: "[1][1].z",
					index: []int{-1, 1, 1}},
			},
		},
		{
			name: "captured numbers, booleans, duplicates, null and long values",
			rec:  `{"id":12.5e-1,"ok":true,"type":"first","type":"second","name":null,"long":"` + strings.Repeat("é", 10) + `","v":"SECRET","big":123456789}`,
			opt:  Options{Capture: []string{"id", "ok", "type", "name", "long", "big"}, MaxValueLen: 7},
			wants: []want{{
				off: at(`{"id":12.5e-1,"ok":true,"type":"first","type":"second","name":null,"long":"`, `"long"`, 2), found: true, inKey: true, path: "long",
				fields: []map[string]string{{"id": "12.5e-1", "ok": "true", "type": "second", "long": "ééé…", "big": "1234567…"}},
			}},
		},
		{
			name: "long key is cut",
			rec:  `{"` + strings.Repeat("k", 300) + `":"SECRET"}`,
			wants: []want{{
				off: 305, found: true, path: `["` + strings.Repeat("k", 256) + `…"]`,
			}},
		},
		{
			name: "deeper than MaxDepth",
			rec:  `{"a":{"b":[{"c":{"d":"SECRET"}}]},"e":"x"}`,
			opt:  Options{MaxDepth: 3, Capture: []string{"e", "d"}},
			wants: []want{
				{off: at(`{"a":{"b":[{"c":{"d":"SECRET"}}]},"e":"x"}`, "SECRET", 0), found: true, path: "a.b…",
					fields: []map[string]string{{"e": "x"}, nil, nil}, keys: []string{"", "a", "b"}},
				{off: at(`{"a":{"b":[{"c":{"d":"SECRET"}}]},"e":"x"}`, `"x"`, 0), found: true, path: "e"},
			},
		},
		{
			name: "unsorted and duplicate offsets",
			rec:  `{"a":"xxxx","b":"yyyy"}`,
			wants: []want{
				{off: 18, found: true, path: "b"},
				{off: 7, found: true, path: "a"},
				{off: 18, found: true, path: "b"},
				{off: 0},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			offs := make([]int64, len(tc.wants))
			for i, w := range tc.wants {
				offs[i] = w.off
			}
			for _, rd := range readers(tc.rec) {
				got, err := Locate(rd.r, offs, tc.opt)
				if err != nil {
					t.Fatalf("%s: Locate: %v", rd.name, err)
				}
				checkWants(t, rd.name, got, tc.wants)
				if ref, ok := reference([]byte(tc.rec), offs, tc.opt); !ok {
					t.Fatalf("reference rejects the record")
				} else if d := sameTargets(got, ref); d != "" {
					t.Errorf("%s: differs from reference: %s", rd.name, d)
				}
			}
		})
	}
}

type namedReader struct {
	name string
	r    io.Reader
}

// readers returns s behind readers that split it in different ways, to
// exercise every refill path.
func readers(s string) []namedReader {
	return []namedReader{
		{"bytes", strings.NewReader(s)},
		{"one-byte", iotest.OneByteReader(strings.NewReader(s))},
		{"half", iotest.HalfReader(strings.NewReader(s))},
		{"data-err", iotest.DataErrReader(strings.NewReader(s))},
		{"empty-reads", &stutterReader{r: strings.NewReader(s)}},
	}
}

// stutterReader returns no data on every other call.
type stutterReader struct {
	r io.Reader
	n int
}

func (s *stutterReader) Read(p []byte) (int, error) {
	s.n++
	if s.n%2 == 0 {
		return 0, nil
	}
	if len(p) > 3 {
		p = p[:3]
	}
	return s.r.Read(p)
}

func checkWants(t *testing.T, name string, got []Target, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("%s: got %d targets, want %d", name, len(got), len(wants))
	}
	for i, w := range wants {
		g := got[i]
		if g.Offset != w.off || g.Found != w.found || g.InKey != w.inKey || g.Path != w.path {
			t.Errorf("%s: offset %d: got %s, want found=%v inKey=%v path=%q", name, w.off, fmtTarget(g), w.found, w.inKey, w.path)
			continue
		}
		if !w.found {
			if g.Frames != nil {
				t.Errorf("%s: offset %d: not found but has frames", name, w.off)
			}
			continue
		}
		if w.fields != nil {
			if len(g.Frames) != len(w.fields) {
				t.Errorf("%s: offset %d: got %d frames, want %d", name, w.off, len(g.Frames), len(w.fields))
				continue
			}
			for j, f := range w.fields {
				if f == nil {
					continue // not checked
				}
				if !maps.Equal(g.Frames[j].Fields, f) {
					t.Errorf("%s: offset %d frame %d: fields %v, want %v", name, w.off, j, g.Frames[j].Fields, f)
				}
			}
		}
		for j, k := range w.keys {
			if j >= len(g.Frames) || g.Frames[j].Key != k {
				t.Errorf("%s: offset %d frame %d: key mismatch, want %q", name, w.off, j, k)
			}
		}
		for j, x := range w.index {
			if j >= len(g.Frames) || g.Frames[j].Index != x {
				t.Errorf("%s: offset %d frame %d: index mismatch, want %d", name, w.off, j, x)
			}
		}
	}
}

func TestFramesShared(t *testing.T) {
	rec := recAssistant
	offs := []int64{at(rec, "SECRET_C", 0), at(rec, "SECRET_C", 2), at(rec, `"description":"d"`, 16)}
	got, err := Locate(strings.NewReader(rec), offs, transcriptCapture)
	if err != nil {
		t.Fatal(err)
	}
	for j := range got[0].Frames {
		if got[0].Frames[j] != got[1].Frames[j] || got[0].Frames[j] != got[2].Frames[j] {
			t.Errorf("frame %d is not shared", j)
		}
	}
	if got[2].Path != "message.content[1].input.description" {
		t.Errorf("path %q", got[2].Path)
	}
}

func TestTruncated(t *testing.T) {
	rec := recAssistant
	cut := int(at(rec, "SECRET_C", 4)) // inside the command string
	offs := []int64{
		at(rec, "SECRET_B", 0),
		at(rec, "SECRET_C", 0),
		at(rec, "SECRET_C", 4), // at the cut: not read
		at(rec, "description", 0),
	}
	for _, rd := range readers(rec[:cut]) {
		got, err := Locate(rd.r, offs, transcriptCapture)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, io.ErrUnexpectedEOF) || e.Offset != int64(cut) {
			t.Fatalf("%s: err = %v, want unexpected end of input at %d", rd.name, err, cut)
		}
		checkWants(t, rd.name, got, []want{
			{off: offs[0], found: true, path: "message.content[0].text",
				fields: []map[string]string{{"sessionId": "s-1"}, {"id": "msg_1", "type": "message"}, nil, {"type": "text"}}},
			// Answered from the unterminated string; "name" was never read.
			{off: offs[1], found: true, path: "message.content[1].input.command",
				fields: []map[string]string{{"sessionId": "s-1"}, {"id": "msg_1", "type": "message"}, nil, {"type": "tool_use", "id": "toolu_1"}, nil}},
			{off: offs[2]},
			{off: offs[3]},
		})
	}

	// Every prefix of a record is an error (the records end in '}'), and
	// every target answered for a prefix is answered the same way for the
	// whole record.
	for _, rec := range []string{recUserString, recAssistant, recToolResult, recReadResult, recProgress, recNested, recConfig, recUnicode} {
		offs := make([]int64, len(rec))
		for i := range offs {
			offs[i] = int64(i)
		}
		full, err := Locate(strings.NewReader(rec), offs, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < len(rec); n++ {
			got, err := Locate(strings.NewReader(rec[:n]), offs, Options{})
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, io.ErrUnexpectedEOF) || e.Offset != int64(n) {
				t.Fatalf("prefix %d of %.30q: err = %v", n, rec, err)
			}
			for i, g := range got {
				if g.Found && (int64(i) >= int64(n) || g.Path != full[i].Path && !g.InKey) {
					t.Fatalf("prefix %d of %.30q: offset %d: got %s, full record gives %s", n, rec, i, fmtTarget(g), fmtTarget(full[i]))
				}
				if !g.Found && i < n && full[i].Found {
					// Targets before the cut inside strings are answered.
					t.Fatalf("prefix %d of %.30q: offset %d not answered, full record gives %s", n, rec, i, fmtTarget(full[i]))
				}
			}
		}
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		in    string
		off   int64
		msg   string
		eof   bool
		found []int64 // offsets that are still answered
	}{
		{in: ``, off: 0, eof: true},
		{in: "  \n", off: 3, eof: true},
		{in: `x`, off: 0, msg: "looking for beginning of value"},
		{in: `{"a":1`, off: 6, eof: true},
		{in: `{"a":[1}`, off: 7, msg: "after array element"},
		{in: `{"a":1]`, off: 6, msg: "after object member"},
		{in: `[1,]`, off: 3, msg: "beginning of value"},
		{in: `{"a":1,}`, off: 7, msg: "object key"},
		{in: `{,}`, off: 1, msg: "object key"},
		{in: `{"a"}`, off: 4, msg: "after object key"},
		{in: `{"a":}`, off: 5, msg: "beginning of value"},
		{in: `{"a" "b"}`, off: 5, msg: "after object key"},
		{in: `{"a":"x\qy"}`, off: 7, msg: "invalid escape", found: []int64{6}},
		{in: `{"a":"x\u12G4"}`, off: 11, msg: `\u escape`, found: []int64{6, 10}},
		{in: `{"a":"x\u12`, off: 11, eof: true, found: []int64{8, 10}},
		{in: `{"a":"x\`, off: 8, eof: true, found: []int64{7}},
		{in: "{\"a\":\"x\xffy\"}", off: 7, msg: "invalid UTF-8", found: []int64{6}},
		{in: "{\"a\":\"x\xe2\x82\"}", off: 7, msg: "invalid UTF-8"},
		{in: "{\"a\":\"x\xed\xa0\x80\"}", off: 7, msg: "invalid UTF-8"}, // UTF-8 encoded surrogate
		{in: "{\"a\":\"x\xe2\x82", off: 9, eof: true, found: []int64{7}},
		{in: "{\"a\":\"x\x00y\"}", off: 7, msg: "control character"},
		{in: "{\"a\":\"x\ny\"}", off: 7, msg: "control character"},
		{in: "\x00", off: 0, msg: "beginning of value"},
		{in: "{\"a\":1\x00}", off: 6, msg: "after object member"},
		{in: `{"a":01}`, off: 6, msg: "after object member"},
		{in: `{"a":-}`, off: 6, msg: "in number"},
		{in: `{"a":1.}`, off: 7, msg: "in number"},
		{in: `{"a":1.e3}`, off: 7, msg: "in number"},
		{in: `{"a":1e}`, off: 7, msg: "in number"},
		{in: `{"a":1e+}`, off: 8, msg: "in number"},
		{in: `{"a":+1}`, off: 5, msg: "beginning of value"},
		{in: `-`, off: 1, eof: true},
		{in: `{"a":tru}`, off: 8, msg: "in literal true"},
		{in: `{"a":nul`, off: 8, eof: true},
		{in: `[[[[[`, off: 5, eof: true},
		{in: `]`, off: 0, msg: "beginning of value"},
		{in: "{\"a\":\"\xef\xbb\xbf\"}\xef\xbb\xbf", off: -1}, // BOM inside a string is fine; trailing bytes ignored
		{in: "\xef\xbb\xbf{}", off: 0, msg: "beginning of value"},
	}
	for _, tc := range tests {
		offs := []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
		for _, rd := range readers(tc.in) {
			got, err := Locate(rd.r, offs, Options{Capture: []string{"a"}})
			if tc.off < 0 {
				if err != nil {
					t.Errorf("%q (%s): unexpected error %v", tc.in, rd.name, err)
				}
				continue
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("%q (%s): err = %v, want *Error", tc.in, rd.name, err)
				continue
			}
			if e.Offset != tc.off || !strings.Contains(e.Msg, tc.msg) || errors.Is(err, io.ErrUnexpectedEOF) != tc.eof {
				t.Errorf("%q (%s): err = %v (eof %v), want offset %d, message with %q, eof %v", tc.in, rd.name, err, errors.Is(err, io.ErrUnexpectedEOF), tc.off, tc.msg, tc.eof)
			}
			for _, g := range got {
				if g.Found && g.Offset >= e.Offset {
					t.Errorf("%q (%s): offset %d answered at or after the error", tc.in, rd.name, g.Offset)
				}
			}
			for _, o := range tc.found {
				if !got[o].Found || got[o].Path != "a" {
					t.Errorf("%q (%s): offset %d: got %s, want path a", tc.in, rd.name, o, fmtTarget(got[o]))
				}
			}
		}
	}
}

func TestTrailingBytesIgnored(t *testing.T) {
	for _, in := range []string{`{"a":"b"}garbage`, `{"a":"b"}` + "\n" + `{"c":`, `12x`, `"s"]`, `true false`} {
		if _, err := Locate(strings.NewReader(in), []int64{1, 100}, Options{}); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
}

type errReader struct{ data []byte }

var errBoom = errors.New("boom")

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errBoom
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { return 0, nil }

type badReader struct{}

func (badReader) Read(p []byte) (int, error) { return len(p) + 1, nil }

func TestReaderErrors(t *testing.T) {
	rec := `{"a":"SECRET","b":1`
	got, err := Locate(&errReader{data: []byte(rec)}, []int64{7, 17}, Options{})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, errBoom) || e.Offset != int64(len(rec)) {
		t.Fatalf("err = %v", err)
	}
	if !got[0].Found || got[0].Path != "a" || got[1].Found {
		t.Errorf("got %s %s", fmtTarget(got[0]), fmtTarget(got[1]))
	}
	// A reader error right after a top-level number is not taken as its end.
	if _, err := Locate(&errReader{data: []byte(`12`)}, nil, Options{}); !errors.Is(err, errBoom) {
		t.Errorf("number then read error: err = %v", err)
	}
	if _, err := Locate(zeroReader{}, nil, Options{}); !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("zero reader: err = %v", err)
	}
	if _, err := Locate(badReader{}, nil, Options{}); err == nil {
		t.Errorf("bad reader: no error")
	}
}

// patternReader yields head, then n bytes of a repeating pattern, then
// tail, without ever holding more than one pattern in memory.
type patternReader struct {
	head, pattern, tail []byte
	n, done             int64
}

func (r *patternReader) Read(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		switch {
		case len(r.head) > 0:
			k := copy(p, r.head)
			r.head = r.head[k:]
			p = p[k:]
			total += k
		case r.done < r.n:
			i := r.done % int64(len(r.pattern))
			k := copy(p, r.pattern[i:])
			if rem := r.n - r.done; int64(k) > rem {
				k = int(rem)
			}
			r.done += int64(k)
			p = p[k:]
			total += k
		case len(r.tail) > 0:
			k := copy(p, r.tail)
			r.tail = r.tail[k:]
			p = p[k:]
			total += k
		default:
			if total == 0 {
				return 0, io.EOF
			}
			return total, nil
		}
	}
	return total, nil
}

func TestHugeStringConstantMemory(t *testing.T) {
	size := int64(100 << 20)
	if testing.Short() {
		size = 8 << 20
	}
	head := `{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_1","type":"tool_result","content":"`
	pattern := `line of output with \"quotes\" and a tab\t and caf\u00e9 and 日本 ` + "\\n"
	n := size / int64(len(pattern)) * int64(len(pattern))
	tail := `"}]},"timestamp":"T","sessionId":"s"}`
	offs := []int64{int64(len(head)) + 10, int64(len(head)) + n/2, int64(len(head)) + n - 1, int64(len(head)) + n + 5}

	var before, after runtimeMem
	before.read()
	got, err := Locate(&patternReader{head: []byte(head), pattern: []byte(pattern), tail: []byte(tail), n: n}, offs, transcriptCapture)
	after.read()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if !got[i].Found || got[i].Path != "message.content[0].content" {
			t.Errorf("offset %d: %s", got[i].Offset, fmtTarget(got[i]))
		}
		if f := got[i].Frames[0].Fields; f["timestamp"] != "T" || f["sessionId"] != "s" {
			t.Errorf("root fields %v", f)
		}
	}
	if !got[3].Found || got[3].Path != "timestamp" {
		t.Errorf("offset %d: %s", got[3].Offset, fmtTarget(got[3]))
	}
	if alloc := after.total - before.total; alloc > 1<<20 {
		t.Errorf("allocated %d bytes for a %d-byte string", alloc, n)
	}
}

func TestPathQuoting(t *testing.T) {
	rec := `{"a b":{"x.y":{"0":{"_ok$1":{"":{"q\"\\\u2028\u0001\b":"S"}}}}}}`
	got, err := Locate(strings.NewReader(rec), []int64{int64(strings.Index(rec, `"S"`))}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `["a b"]["x.y"]["0"]._ok$1[""]["q\"\\\u2028\u0001\b"]`
	if got[0].Path != want {
		t.Errorf("path %s, want %s", got[0].Path, want)
	}
	ref, _ := reference([]byte(rec), []int64{got[0].Offset}, Options{})
	if d := sameTargets(got, ref); d != "" {
		t.Error(d)
	}
}

func TestFindSpecial(t *testing.T) {
	// Every position and every byte value, in words of every alignment.
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 40; pos++ {
			b := bytes.Repeat([]byte("a"), 40)
			b[pos] = byte(c)
			// Special bytes after the first must not matter.
			if pos+1 < len(b) {
				b[pos+1] = '"'
			}
			want := len(b)
			if special[c] {
				want = pos
			} else if pos+1 < len(b) {
				want = pos + 1
			}
			want2 := want
			if c >= 0x80 {
				want2 = pos + 1
			}
			for start := 0; start <= pos; start++ {
				if got := findSpecial(b, start); got != want {
					t.Fatalf("findSpecial: byte %#x at %d from %d: got %d, want %d", c, pos, start, got, want)
				}
				if got := findQuoteEscCtl(b, start); got != want2 {
					t.Fatalf("findQuoteEscCtl: byte %#x at %d from %d: got %d, want %d", c, pos, start, got, want2)
				}
			}
		}
	}
}

type runtimeMem struct{ total uint64 }

func (m *runtimeMem) read() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m.total = ms.TotalAlloc
}

func TestDeepNesting(t *testing.T) {
	// 1000 levels alternating objects and arrays, past MaxDepth and across
	// several words of the bitset that tracks untracked levels.
	const n = 1000
	var open, close strings.Builder
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			open.WriteString(`{"k":`)
			close.WriteString(`}`)
		} else {
			open.WriteString(`[`)
			close.WriteString(`]`)
		}
	}
	closing := []byte(close.String())
	slices.Reverse(closing)
	rec := open.String() + `"SECRET"` + string(closing)
	off := int64(strings.Index(rec, "SECRET"))
	got, err := Locate(strings.NewReader(rec), []int64{off}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !got[0].Found || len(got[0].Frames) != DefaultMaxDepth || !strings.HasSuffix(got[0].Path, Ellipsis) ||
		!strings.HasPrefix(got[0].Path, "k[0].k[0].k") {
		t.Errorf("got %s with %d frames", fmtTarget(got[0]), len(got[0].Frames))
	}
	// A bracket mismatch deep down is still found.
	bad := []byte(rec)
	i := len(bad) - n/2
	if bad[i] == '}' {
		bad[i] = ']'
	} else {
		bad[i] = '}'
	}
	if _, err := Locate(bytes.NewReader(bad), nil, Options{}); err == nil {
		t.Errorf("mismatched bracket at %d not reported", i)
	} else if e := (*Error)(nil); !errors.As(err, &e) || e.Offset != int64(i) {
		t.Errorf("err = %v, want offset %d", err, i)
	}
}
