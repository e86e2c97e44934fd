package scanner_test

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
)

// rowsContainer is a container test double: a ".rows" file whose lines
// are "key=value" rows; each value is an item scanned as a JSON document.
type rowsContainer struct{}

func (rowsContainer) Sources() []*scanner.Source { return nil }
func (rowsContainer) Accepts(p string) bool      { return strings.HasSuffix(p, ".rows") }
func (rowsContainer) Scan(context.Context, *scanner.Input, *scanner.Env) error {
	panic("the engine never calls Scan on a container")
}

func (rowsContainer) Open(_ context.Context, in *scanner.Input, env *scanner.Env) (scanner.Items, error) {
	data, err := io.ReadAll(in.Reader)
	if err != nil {
		return nil, err
	}
	var items []*scanner.Input
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			env.Problem(in, 0, scanner.ReasonMalformed, "row without a key")
			continue
		}
		items = append(items, &scanner.Input{
			Loc:       in.Loc.Nested(scanner.StepRow, "kv/"+key),
			ClassPath: in.ClassPath + "/kv/" + key + ".json",
			Size:      int64(len(val)),
			Reader:    strings.NewReader(val),
			ReaderAt:  strings.NewReader(val),
		})
	}
	return &sliceItems{items: items}, nil
}

type sliceItems struct{ items []*scanner.Input }

func (s *sliceItems) Next() (*scanner.Input, error) {
	if len(s.items) == 0 {
		return nil, io.EOF
	}
	it := s.items[0]
	s.items = s.items[1:]
	return it, nil
}
func (s *sliceItems) Close() error { return nil }

// TestContainer: the engine iterates a container's items and scans each
// like a file (here as a JSON document, by its class path), its findings
// located at the row, its problems reported against the container.
func TestContainer(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "state.rows", `a={"chat":{"text":"token `+ghToken+`"}}`+"\nbroken\n"+`b={"x":1}`+"\n")
	eng := scanner.New(rules.Default(), append([]scanner.Handler{rowsContainer{}}, sources.Default()...), scanner.Options{})
	res, err := eng.Collect(context.Background(), []scanner.Root{{Path: dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 {
		t.Fatalf("findings %d: %v", len(res.Findings), res.Findings)
	}
	f := res.Findings[0]
	if f.File != p || len(f.Steps) != 1 || f.Steps[0] != (scanner.Step{Kind: scanner.StepRow, Name: "kv/a"}) ||
		f.Field != "chat.text" || f.Path() != p+"!kv/a" || f.Line != 1 {
		t.Errorf("finding at %q steps %+v field %q line %d", f.File, f.Steps, f.Field, f.Line)
	}
	if len(res.Errors) != 1 || res.Errors[0].Reason != scanner.ReasonMalformed || filepath.Base(res.Errors[0].Path) != "state.rows" {
		t.Errorf("errors %+v", res.Errors)
	}
	if res.Stats.FilesScanned != 3 { // the container and its two rows
		t.Errorf("files scanned %d, want 3", res.Stats.FilesScanned)
	}
}

func TestIsCredentialStore(t *testing.T) {
	for p, want := range map[string]bool{
		"/home/u/.codex/auth.json":                true,
		"/home/u/.claude/ide/43123.lock":          true,
		"/home/u/.claude/ide/sub/43123.lock":      false,
		"/home/u/.cline/data/secrets.json":        true,
		"/home/u/.local/share/opencode/auth.json": true,
		"/home/u/.config/Cursor/User/globalStorage/state.vscdb!ItemTable/cursorAuth/accessToken": true,
		"/home/u/.config/Cursor/User/globalStorage/state.vscdb!ItemTable/composer.composerData":  false,
		"/home/u/.local/share/amazon-q/data.sqlite3!auth_kv/codewhisperer:odic:token":            true,
		"/home/u/.local/share/amazon-q/data.sqlite3!conversations_v2//home/u/api":                false,
		"/home/u/code/auth.json": false,
	} {
		if got := scanner.IsCredentialStore(p); got != want {
			t.Errorf("IsCredentialStore(%s) = %v", p, got)
		}
	}
}

// TestSplitEverywhere: with every input split into segments shared by
// the workers (ParallelMin 1), several transcripts and the items of a
// container (not files on disk: read through on the side) give the
// findings, problems and byte counts of a scan on one worker, whatever
// order the segments run in.
func TestSplitEverywhere(t *testing.T) {
	home := t.TempDir()
	for s := 0; s < 5; s++ {
		var b strings.Builder
		for i := 0; i < 400+300*s; i++ {
			fmt.Fprintf(&b, `{"type":"user","sessionId":"s%d","cwd":"/home/a/web","message":{"role":"user","content":"line %d é token pad"}}`+"\n", s, i)
			if i%150 == 7 {
				fmt.Fprintf(&b, `{"type":"user","sessionId":"s%d","message":{"role":"user","content":"export API_KEY=\"%s%02d%02d\""}}`+"\n", s, apiValue[:28], s, i%100)
			}
			if i%211 == 5 {
				b.WriteString("[not a record]\n")
			}
		}
		write(t, home, fmt.Sprintf(".claude/projects/-home-a-web/s%d.jsonl", s), b.String())
	}
	var rows strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&rows, `r%d={"chat":{"text":"%s token %s"}}`+"\n", i, strings.Repeat("pad ", 200*i), ghToken)
	}
	write(t, home, "state.rows", rows.String())
	handlers := append([]scanner.Handler{rowsContainer{}}, sources.Default()...)
	scan := func(workers int) *scanner.Result {
		eng := scanner.New(rules.Default(), handlers, scanner.Options{Workers: workers, ParallelMin: 1})
		res, err := eng.Collect(context.Background(), []scanner.Root{{Path: home}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	seq := scan(1)
	if len(seq.Findings) < 20 || len(seq.Errors) < 5 {
		t.Fatalf("sequential scan: %d findings, %d errors", len(seq.Findings), len(seq.Errors))
	}
	for _, workers := range []int{2, 3} {
		for round := 0; round < 3; round++ {
			par := scan(workers)
			if par.Stats.SplitFiles < 5 {
				t.Errorf("%d workers: %d inputs split", workers, par.Stats.SplitFiles)
			}
			if !reflect.DeepEqual(seq.Findings, par.Findings) || !reflect.DeepEqual(seq.Errors, par.Errors) ||
				seq.Stats.BytesScanned != par.Stats.BytesScanned || seq.Stats.FilesScanned != par.Stats.FilesScanned {
				t.Fatalf("%d workers: %d findings, %d errors, %d bytes; sequential %d, %d, %d", workers,
					len(par.Findings), len(par.Errors), par.Stats.BytesScanned, len(seq.Findings), len(seq.Errors), seq.Stats.BytesScanned)
			}
		}
	}
}
