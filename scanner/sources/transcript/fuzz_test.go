package transcript_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
)

// FuzzTranscriptRecords scans arbitrary bytes as a Claude Code transcript
// (projects/<cwd>/<session>.jsonl), with and without random access: the
// record checker, the record decoder and the field locator must not
// panic, and every finding and problem must point inside the input.
func FuzzTranscriptRecords(f *testing.F) {
	tok := "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"
	for _, s := range []string{
		`{"parentUuid":null,"sessionId":"s1","type":"user","timestamp":"2026-02-12T16:02:30.658Z","message":{"role":"user","content":"token ` + tok + `"}}` + "\n",
		`{"type":"assistant","message":{"content":[{"type":"tool_use","input":{"command":"export GITHUB_TOKEN=\"` + tok + `\""}}]}}` + "\n" + `{"type":"summary"}`,
		`{"type":"user","toolUseResult":{"stdout":"{\"key\":\"` + tok + `\"}"}}` + "\n{broken\n\x00\x00\n",
		"\n\n   \n{}\n[1,2]\n\"str\"\n",
	} {
		f.Add([]byte(s))
	}
	eng := scanner.New(rules.Default(), sources.Default(), scanner.Options{Workers: 1})
	const name = "/home/u/.claude/projects/-home-u-app/4d5611e5-241a-462a-8d15-5122611a9569.jsonl"
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, random := range []bool{true, false} {
			root := scanner.Root{Path: "t.jsonl", Open: func(context.Context) (*scanner.Input, io.Closer, error) {
				in := &scanner.Input{Loc: scanner.Location{File: "t.jsonl"}, ClassPath: name, Size: int64(len(data)), Reader: bytes.NewReader(data)}
				if random {
					in.ReaderAt = bytes.NewReader(data)
				} else {
					in.Size = -1
				}
				return in, nil, nil
			}}
			res, err := eng.Collect(context.Background(), []scanner.Root{root})
			if err != nil {
				t.Fatal(err)
			}
			for _, fd := range res.Findings {
				if fd.Line < 0 || fd.Line > lines || fd.Offset < 0 || fd.Offset > int64(len(data)) {
					t.Fatalf("finding outside the input: %s line %d offset %d", fd.RuleID, fd.Line, fd.Offset)
				}
			}
			for _, e := range res.Errors {
				if e.Line < 0 || e.Line > lines {
					t.Fatalf("problem outside the input: line %d: %s", e.Line, e.Error)
				}
			}
		}
	})
}
