// Package sources is the registry of source handlers: the one place that
// knows every file kind mcpscan understands. Handlers are listed
// explicitly (no init-time registration) in the order the engine asks
// them; the first that accepts a file scans it.
package sources

import (
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/aider"
	"github.com/mcpscan/mcpscan/scanner/sources/amazonq"
	"github.com/mcpscan/mcpscan/scanner/sources/amp"
	"github.com/mcpscan/mcpscan/scanner/sources/archive"
	"github.com/mcpscan/mcpscan/scanner/sources/claudestores"
	"github.com/mcpscan/mcpscan/scanner/sources/cline"
	"github.com/mcpscan/mcpscan/scanner/sources/codex"
	"github.com/mcpscan/mcpscan/scanner/sources/continuedev"
	"github.com/mcpscan/mcpscan/scanner/sources/copilotchat"
	"github.com/mcpscan/mcpscan/scanner/sources/copilotcli"
	"github.com/mcpscan/mcpscan/scanner/sources/cursor"
	"github.com/mcpscan/mcpscan/scanner/sources/gemini"
	"github.com/mcpscan/mcpscan/scanner/sources/goose"
	"github.com/mcpscan/mcpscan/scanner/sources/jsondoc"
	"github.com/mcpscan/mcpscan/scanner/sources/junie"
	"github.com/mcpscan/mcpscan/scanner/sources/mcpconfig"
	"github.com/mcpscan/mcpscan/scanner/sources/opencode"
	"github.com/mcpscan/mcpscan/scanner/sources/settings"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
	"github.com/mcpscan/mcpscan/scanner/sources/textfile"
	"github.com/mcpscan/mcpscan/scanner/sources/transcript"
	"github.com/mcpscan/mcpscan/scanner/sources/zed"
)

// Options tune the handlers of one scan.
type Options struct {
	// Archive bounds what archives may cost; zero fields take
	// archive.DefaultLimits.
	Archive archive.Limits
}

// New returns the handlers of one scan for every source kind, most
// specific first: archives and databases, agent settings, MCP client
// configs, each agent's history, Claude Code transcripts, database rows no
// agent took, other JSON documents, then plain text (which accepts
// everything). Build one list per scan: the archive handler carries the
// scan's expansion budget.
func New(opt Options) []scanner.Handler {
	return []scanner.Handler{
		archive.New(opt.Archive), // archives by name and by content; members come back through the registry
		sqlite.Container{},       // databases by name and content; rows come back through the registry
		settings.Handler{},
		mcpconfig.Handler{},
		codex.Handler{},
		gemini.Handler{},
		copilotchat.Handler{},
		copilotcli.Handler{},
		cline.Handler{},
		continuedev.Handler{},
		aider.Handler{},
		claudestores.Handler{},
		amp.Handler{},
		junie.Handler{},
		cursor.Handler{},
		opencode.Handler{},
		goose.Handler{},
		amazonq.Handler{},
		zed.Handler{},
		transcript.Handler{},
		sqlite.Rows{}, // database rows no agent handler took
		jsondoc.Handler{},
		textfile.Handler{},
	}
}

// Default returns New with default options.
func Default() []scanner.Handler { return New(Options{}) }
