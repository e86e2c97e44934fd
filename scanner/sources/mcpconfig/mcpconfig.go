// Package mcpconfig scans MCP client configuration files (Claude Code's
// ~/.claude.json and .mcp.json, Claude Desktop, Cursor, VS Code, Windsurf,
// Cline, Roo, Continue, Zed, Gemini CLI, Codex CLI, Goose, Amazon Q, Kiro,
// LM Studio, Junie, opencode).
//
// Every file gets the pattern scan (provider tokens anywhere). Then the
// file is parsed with its client's format (package mcpmodel: JSONC, TOML,
// YAML, with exact positions) and each server entry is checked by the
// config rules (checks.go): literal credentials in env, headers, args and
// URLs; binds to every interface; plain-http remotes; vulnerable and
// unpinned server packages. A pattern finding at the same place keeps its
// provider rule ID; no duplicate is raised. A file that does not parse
// keeps its pattern findings and gets a per-file error naming the problem.
package mcpconfig

import (
	"bytes"
	"context"
	"errors"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/match"
	"github.com/mcpscan/mcpscan/scanner/secret"
	"github.com/mcpscan/mcpscan/scanner/sources/jsondoc"
	"github.com/mcpscan/mcpscan/scanner/sources/mcpconfig/mcpmodel"
)

// maxConfigSize bounds the structural parse (configs are kilobytes; a
// larger file still gets the pattern scan).
const maxConfigSize = 16 << 20

// Source is an MCP client config.
var Source = &scanner.Source{
	Name: "mcp-config", Store: scanner.StoreConfig, Label: "an MCP client config",
	Advice: "In MCP configs, replace the literal with a reference the client expands (${VAR}, ${env:VAR} or ${input:id}, depending on the client).",
	Fields: []scanner.Field{scanner.FieldClient, scanner.FieldServer, scanner.FieldProject},
}

// Handler scans MCP client configs.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Sources returns Source.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{Source} }

// Accepts takes the paths mcpmodel.Detect recognises.
func (Handler) Accepts(p string) bool {
	_, _, ok := mcpmodel.Detect(p)
	return ok
}

// Scan runs the pattern scan and the config rules. The file is read once:
// into memory when it is at most maxConfigSize bytes (configs are
// kilobytes), for both the pattern scan and the parse; a larger one only
// gets the streamed pattern scan, and a problem saying the config rules
// were skipped.
func (Handler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	client, format, _ := mcpmodel.Detect(in.ClassPath)
	data, loaded, err := in.Load(maxConfigSize)
	if err != nil {
		return err
	}
	var found []scanner.Finding
	if format == mcpmodel.FormatJSON {
		// Strict JSON: jsonloc names the field of findings outside server
		// entries too (~/.claude.json holds much more than servers).
		found, _, err = jsondoc.Collect(ctx, in, env, Source, nil)
	} else {
		mode := match.Text
		if format == mcpmodel.FormatJSONC {
			mode = match.JSON
		}
		err = env.Match(in, mode, func(h *match.Hit) error {
			found = append(found, scanner.FindingFromHit(in, Source, h))
			return nil
		})
	}

	var cfg *mcpmodel.Config
	if !loaded {
		env.Problem(in, 0, scanner.ReasonLimit, "larger than %d bytes: scanned for patterns only, config rules skipped", maxConfigSize)
	} else {
		var perr error
		cfg, perr = mcpmodel.Parse(in.ClassPath, data)
		if perr != nil {
			env.Problem(in, parseErrorLine(perr), scanner.ReasonParse, "not a valid %s config (%s); scanned as text, config rules skipped", clientName(client), describeParseError(perr))
			cfg = nil
		}
	}
	if cfg != nil {
		idx := newValueIndex(cfg)
		for i := range found {
			idx.describe(&found[i])
		}
		for si := range cfg.Servers {
			s := &cfg.Servers[si]
			for _, is := range checkServer(s) {
				if is.rule == rules.MCPHardcodedCredential {
					var provider bool
					found, provider = scanner.YieldToProvider(found, is.pos.Offset, is.pos.EndOffset)
					if provider {
						continue // the provider's rule already reports it
					}
				}
				found = append(found, issueFinding(in, env, data, s, is))
			}
		}
	}
	for _, f := range found {
		env.Report(f)
	}
	return err
}

// issueFinding turns a config-rule issue into a finding.
func issueFinding(in *scanner.Input, env *scanner.Env, data []byte, s *mcpmodel.Server, is issue) scanner.Finding {
	r := env.Rules.Lookup(is.rule)
	loc := in.Loc
	loc.Line, loc.Column, loc.EndLine, loc.EndColumn = is.pos.Line, is.pos.Column, is.pos.EndLine, is.pos.EndColumn
	loc.Offset, loc.Field = is.pos.Offset, is.field
	f := scanner.Finding{
		Rule: r, Source: Source, Location: loc, Secret: scanner.NewSecret(r, is.evidence),
		Context: serverContext(s),
	}
	f.SetMatchedLine(lineAt(data, is.pos.Offset))
	if is.note != "" {
		f.Description = r.Description + " " + is.note
	}
	if is.severity > 0 {
		f.Severity, f.Kind = is.severity, r.Kind
	}
	return f
}

// lineAt returns the text of the line of data holding offset off.
func lineAt(data []byte, off int64) string {
	if off < 0 || off > int64(len(data)) {
		return ""
	}
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	end := len(data)
	if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
		end = int(off) + i
	}
	return string(bytes.TrimSuffix(data[start:end], []byte("\r")))
}

// serverContext names the server, its client and scope.
func serverContext(s *mcpmodel.Server) scanner.Context {
	return scanner.Context{
		{Key: scanner.FieldProject.Key, Value: s.Project},
		{Key: scanner.FieldTool.Key, Value: "mcp server " + s.Name},
		{Key: scanner.FieldServer.Key, Value: s.Name},
		{Key: scanner.FieldClient.Key, Value: clientName(s.Client)},
	}.Compact()
}

// valueIndex maps byte offsets to the server values that hold them.
type valueIndex struct {
	spans []valueSpan
}

type valueSpan struct {
	pos    mcpmodel.Pos
	path   string
	server *mcpmodel.Server
}

func newValueIndex(cfg *mcpmodel.Config) *valueIndex {
	idx := &valueIndex{}
	for si := range cfg.Servers {
		s := &cfg.Servers[si]
		add := func(v *mcpmodel.Value) {
			if v != nil && !v.Pos.IsZero() {
				idx.spans = append(idx.spans, valueSpan{v.Pos, v.Path, s})
			}
		}
		add(s.Command)
		add(s.URL)
		for i := range s.Args {
			add(&s.Args[i])
		}
		for _, kvs := range [][]mcpmodel.KV{s.Env, s.Headers, s.Other} {
			for i := range kvs {
				add(&kvs[i].Value)
			}
		}
	}
	return idx
}

// describe sets the server, client and field of a pattern finding that
// sits in a server entry.
func (x *valueIndex) describe(f *scanner.Finding) {
	for _, sp := range x.spans {
		if f.Offset >= sp.pos.Offset && f.Offset < sp.pos.EndOffset {
			f.Context = serverContext(sp.server)
			if f.Field == "" {
				f.Field = sp.path // else jsonloc's path, same value
			}
			return
		}
	}
}

// clientNames are the display names of mcpmodel's client constants.
var clientNames = map[string]string{
	"claude-code": "Claude Code", "claude-desktop": "Claude Desktop", "cursor": "Cursor", "vscode": "VS Code",
	"copilot-cli": "Copilot CLI", "windsurf": "Windsurf", "cline": "Cline", "roo": "Roo Code",
	"continue": "Continue", "zed": "Zed", "gemini-cli": "Gemini CLI", "codex-cli": "Codex CLI",
	"goose": "Goose", "amazon-q": "Amazon Q", "kiro": "Kiro", "lm-studio": "LM Studio", "junie": "Junie",
	"opencode": "opencode",
}

func clientName(c string) string {
	if n, ok := clientNames[c]; ok {
		return n
	}
	return c
}

// describeParseError says what is wrong with a config without quoting
// any value from it: parsers echo literals ("invalid literal: hunter2"),
// so only the position and the kind of mistake are kept.
func describeParseError(err error) string {
	var se *mcpmodel.SyntaxError
	if errors.As(err, &se) {
		return se.Describe()
	}
	return secret.StripLiterals(err.Error())
}

// parseErrorLine returns the line of a syntax error, or 0.
func parseErrorLine(err error) int {
	var se *mcpmodel.SyntaxError
	if errors.As(err, &se) {
		return se.Line
	}
	return 0
}
