package records

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Nest follows a hit into JSON held in a string, two levels deep, and
// keeps the inner objects' captured fields.
func TestNest(t *testing.T) {
	rec := `{"type":"function_call","arguments":"{\"command\":[\"bash\",\"-lc\",\"X=SECRET\"],\"inner\":\"{\\\"k\\\":\\\"SECRET2\\\"}\",\"name\":\"sh\"}"}`
	r := strings.NewReader(rec)
	offs := []int64{int64(strings.Index(rec, "SECRET")), int64(strings.Index(rec, "SECRET2"))}
	targets, err := jsonloc.Locate(strings.NewReader(rec), offs, jsonloc.Options{Capture: []string{"type", "name"}})
	if err != nil {
		t.Fatal(err)
	}
	Nest(r, 0, targets, offs, []string{"type", "name"})
	if targets[0].Path != "arguments.command[2]" || targets[1].Path != "arguments.inner.k" {
		t.Fatalf("paths %q %q", targets[0].Path, targets[1].Path)
	}
	p := Place{Target: &targets[0]}
	if p.Field("name") != "sh" || p.Field("type") != "function_call" || p.Record(0).Fields["type"] != "function_call" {
		t.Errorf("fields: %+v", targets[0].Frames)
	}
	// Not JSON, or cut: left as it is.
	rec = `{"text":"plain SECRET here"}`
	targets, _ = jsonloc.Locate(strings.NewReader(rec), []int64{10}, jsonloc.Options{})
	Nest(strings.NewReader(rec), 0, targets, []int64{10}, nil)
	if targets[0].Path != "text" {
		t.Errorf("plain string: %q", targets[0].Path)
	}
}

func TestJoinPathAndTime(t *testing.T) {
	for _, c := range [][3]string{{"a", "b[1]", "a.b[1]"}, {"v", "[0].x", "v[0].x"}, {"", "x", "x"}, {"a", "", "a"}} {
		if got := JoinPath(c[0], c[1]); got != c[2] {
			t.Errorf("JoinPath(%q, %q) = %q", c[0], c[1], got)
		}
	}
	for in, want := range map[string]string{
		"1768209305":                "2026-01-12T09:15:05Z",
		"1768209305612":             "2026-01-12T09:15:05.612Z",
		"2026-01-12T09:15:05.612Z":  "2026-01-12T09:15:05.612Z",
		"2026-01-12 09:15:05":       "2026-01-12T09:15:05",
		"2026-01-12 09:15:05.25000": "2026-01-12T09:15:05.25",
		"":                          "",
		"soon":                      "soon",
	} {
		if got := Time(in); got != want {
			t.Errorf("Time(%q) = %q, want %q", in, got, want)
		}
	}
}

// A value three JSON levels down whose closing quote the matcher sees
// still escaped is found by the deep pass, at its raw place, once.
func TestDeep(t *testing.T) {
	key := "sk-proj-" + strings.Repeat("Ab3dE", 14) + "xyzw" + "T3BlbkFJ" + strings.Repeat("Qr7sT", 14) + "uvwx"
	ghp := "ghp_" + strings.Repeat("aB3dEfG8", 4) + "kLm9"
	inner := `{"body":"key ` + key + `","gh":"` + ghp + `"}`
	mid := `{"serverName":"github","toolName":"create_issue","arguments":` + quote(inner) + `}`
	doc := `[{"ts":1,"type":"ask","ask":"use_mcp_server","text":` + quote(mid) + `}]`
	if !strings.Contains(doc, `\\\"`) {
		t.Fatal("fixture is not three levels deep")
	}
	var found []scanner.Finding
	env := scanner.NewEnv(rules.Default(), func(f []scanner.Finding, _ []scanner.FileError) { found = append(found, f...) })
	in := &scanner.Input{Loc: scanner.Location{File: "/x/ui_messages.json"}, ClassPath: "/x/ui_messages.json", Size: int64(len(doc)),
		Reader: strings.NewReader(doc), ReaderAt: strings.NewReader(doc)}
	h := docHandler{}
	if err := env.Scan(t.Context(), h, in); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range found {
		paths = append(paths, f.RuleID+"@"+f.Field)
		if f.Secret.EqualString(key) {
			if f.Field != "[0].text.arguments.body" || f.Line != 1 || f.Column != strings.Index(doc, key)+1 {
				t.Errorf("deep finding at %d:%d field %q", f.Line, f.Column, f.Field)
			}
		}
	}
	want := "openai-api-key@[0].text.arguments.body github-pat@[0].text.arguments.gh"
	if strings.Join(paths, " ") != want {
		t.Errorf("findings %v, want %s", paths, want)
	}
}

type docHandler struct{}

func (docHandler) Sources() []*scanner.Source { return nil }
func (docHandler) Accepts(string) bool        { return true }
func (docHandler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	return Document(in, env, Options{Depth: 1}, func(places []Place) {
		for _, p := range places {
			env.Report(Finding(in, scanner.SourceFile, p, nil))
		}
	})
}

func quote(s string) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, c := range []byte(s) {
		if c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}

// The watcher notes a marker split across reads, with its line.
func TestWatcher(t *testing.T) {
	data := "{\"a\":1}\n{\"b\":\"x\\\\\\\"y\"}\n"
	w := newWatcher(&oneByte{strings.NewReader(data)}, 0, 1)
	buf := make([]byte, 64)
	for {
		if _, err := w.Read(buf); err != nil {
			break
		}
	}
	if len(w.marks) != 1 || w.marks[0].line != 2 || w.marks[0].off != int64(strings.Index(data, `\\\"`)) || w.marks[0].lineStart != 8 {
		t.Fatalf("marks %+v", w.marks)
	}
}

type oneByte struct{ r *strings.Reader }

func (o *oneByte) Read(p []byte) (int, error) { return o.r.Read(p[:1]) }

// Folder: a copy folds into its original, naming its line; a later
// original takes later copies.
func TestFolder(t *testing.T) {
	r := &rules.Rule{ID: "github-pat"}
	h := match.Hit{Rule: r, Secret: "s"}
	p := Place{Hit: &h}
	var fo Folder
	fo.Original(FoldKey("", p), scanner.Finding{Location: scanner.Location{Line: 2, Field: "payload.content[0].text"}})
	fo.Copy(FoldKey("", p), scanner.Finding{Location: scanner.Location{Line: 3, Field: "payload.message"}})
	fo.Original(FoldKey("", p), scanner.Finding{Location: scanner.Location{Line: 9, Field: "payload.content[0].text"}})
	fo.Copy(FoldKey("", p), scanner.Finding{Location: scanner.Location{Line: 10, Field: "payload.message"}})
	if len(fo.findings) != 2 || strings.Join(fo.findings[0].AlsoIn, ",") != "line 3: payload.message" ||
		strings.Join(fo.findings[1].AlsoIn, ",") != "line 10: payload.message" {
		t.Fatalf("%+v", fo.findings)
	}
	if fo.Copy("other", scanner.Finding{}) {
		t.Error("a first copy is an original")
	}
}

var (
	_ scanner.Resumer = struct {
		scanner.Handler
		AppendOnly
	}{}
	_ scanner.LineOriented = struct {
		scanner.Handler
		Lines
	}{}
)
