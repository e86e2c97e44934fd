// Package jsondoc scans JSON documents: string values are decoded before
// rules see them, and each finding names the field that held the secret
// ("mcpServers.github.env.GITHUB_TOKEN"). Source kinds built on JSON
// documents (agent settings, MCP client configs) reuse ScanDocument and
// add their own context.
package jsondoc

import (
	"context"
	"io"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Handler scans *.json files that no more specific handler took.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Sources returns scanner.SourceFile.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{scanner.SourceFile} }

// Accepts takes paths ending in .json.
func (Handler) Accepts(p string) bool { return strings.HasSuffix(strings.ToLower(p), ".json") }

// Scan scans the document; see ScanDocument.
func (Handler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	return ScanDocument(ctx, in, env, scanner.SourceFile, nil)
}

// Describer adds source-specific context to a finding from the JSON
// location of its secret (t.Frames: root first).
type Describer func(f *scanner.Finding, t *jsonloc.Target)

// captureKeys are the scalar fields kept for describers.
var captureKeys = []string{"type", "name", "command", "url", "serverUrl", "httpUrl"}

// ScanDocument runs Collect, reports what it found, and reports a
// document that is not valid JSON as a per-file problem.
func ScanDocument(ctx context.Context, in *scanner.Input, env *scanner.Env, src *scanner.Source, describe Describer) error {
	found, invalid, err := Collect(ctx, in, env, src, describe)
	if invalid != nil {
		env.Problem(in, 0, scanner.ReasonParse, "not valid JSON (%v); scanned as text", invalid)
	}
	for _, f := range found {
		env.Report(f)
	}
	return err
}

// Collect runs the matcher in JSON mode over the document, locates each
// hit's field, and returns findings of source src without reporting them;
// describe (may be nil) adds context. A document that is not valid JSON is
// still scanned (string decoding is best-effort); invalid then holds the
// parse error (only looked for when there are findings to locate). err is
// the read error.
func Collect(_ context.Context, in *scanner.Input, env *scanner.Env, src *scanner.Source, describe Describer) (found []scanner.Finding, invalid, err error) {
	err = env.Match(in, match.JSON, func(h *match.Hit) error {
		found = append(found, scanner.FindingFromHit(in, src, h))
		return nil
	})
	if len(found) > 0 && in.ReaderAt != nil {
		offsets := make([]int64, len(found))
		for i := range found {
			offsets[i] = found[i].Offset
		}
		var targets []jsonloc.Target
		size := in.Size
		if size < 0 {
			size = 1<<63 - 1
		}
		targets, invalid = jsonloc.Locate(io.NewSectionReader(in.ReaderAt, 0, size), offsets, jsonloc.Options{Capture: captureKeys})
		for i := range found {
			if i < len(targets) && targets[i].Found {
				f := &found[i]
				f.Field = targets[i].Path
				if describe != nil {
					describe(f, &targets[i])
				}
			}
		}
	}
	return found, invalid, err
}
