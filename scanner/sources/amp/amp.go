// Package amp reads Sourcegraph Amp's threads (docs/agents.md §12):
// $XDG_DATA_HOME/amp/threads/T-<uuid>.json (~/.local/share/amp), and the
// older VS Code extension's globalStorage/sourcegraph.amp/threads/. A
// thread is {id, created (ms), title, env.initial.trees[{uri}],
// messages[{role, messageId, content: Anthropic blocks (text, tool_use
// {id, name, input}, tool_result {toolUseID, run})}]}.
//
// Sources: noamsto/houston docs/AMP_AGENT_SUPPORT.md and a Rust reader
// ("casr") that also names the legacy path; threads are also kept
// server-side, where mcpscan cannot reach them.
package amp

import (
	"context"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/internal/lazyre"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
)

// Source is an Amp thread.
var Source = &scanner.Source{
	Name: "amp-thread", Agent: "Amp", Store: scanner.StoreTranscript,
	Label:        "an Amp thread",
	Advice:       "Amp keeps threads in ~/.local/share/amp/threads and on ampcode.com: after rotating, run `mcpscan redact` (or delete the thread, locally and on the server).",
	Fields:       records.HistoryFields,
	AgentWritten: true,
}

// Handler reads Amp threads.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Sources returns Source.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{Source} }

// Accepts takes T-*.json in an amp threads directory.
func (Handler) Accepts(p string) bool {
	dir := path.Dir(p)
	return path.Base(dir) == "threads" && strings.HasPrefix(path.Base(p), "T-") && strings.HasSuffix(p, ".json") &&
		(path.Base(path.Dir(dir)) == "amp" || path.Base(path.Dir(dir)) == "sourcegraph.amp")
}

var captureKeys = []string{"id", "created", "role", "type", "name", "toolUseID"}

// treeURI finds the thread's first workspace tree near its start.
var treeURI = lazyre.New(`"trees"\s*:\s*\[\s*\{[^{}\]]*"uri"\s*:\s*"([^"\\]{1,1000})"`)

// Scan reads one thread.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	project := ""
	if in.ReaderAt != nil {
		head := make([]byte, 64<<10)
		n, _ := in.ReaderAt.ReadAt(head, 0)
		if m := treeURI.FindSubmatch(head[:n]); m != nil {
			project = records.FilePath(string(m[1]))
		}
	}
	tools := records.NewToolNames(in.ReaderAt, in.Size)
	return records.Document(in, env, records.Options{Capture: captureKeys, Depth: 2}, func(places []records.Place) {
		for _, p := range places {
			root, msg := p.Record(0), p.Record(2)
			tool := ""
			if p.Field("type") == "tool_use" {
				tool = p.Field("name")
			} else if id := p.Field("toolUseID"); id != "" {
				tool = tools.ByID(id, p.Hit.Start)
			}
			env.Report(records.Meta{
				Project: project,
				Session: records.FirstOf(records.Get(root, "id"), strings.TrimSuffix(path.Base(in.ClassPath), ".json")),
				Time:    records.Get(root, "created"),
				Role:    records.Get(msg, "role"),
				Tool:    tool,
			}.Finding(in, Source, p))
		}
	})
}
