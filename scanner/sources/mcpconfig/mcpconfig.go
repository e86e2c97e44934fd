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
	"context"
	"errors"
	"io"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/match"
	"github.com/mcpscan/mcpscan/scanner/sources/jsondoc"
	"github.com/mcpscan/mcpscan/scanner/sources/mcpconfig/mcpmodel"
)

// maxConfigSize bounds the structural parse (configs are kilobytes; a
// larger file still gets the pattern scan).
const maxConfigSize = 16 << 20

// Handler scans MCP client configs.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Source returns scanner.SourceMCPConfig.
func (Handler) Source() scanner.Source { return scanner.SourceMCPConfig }

// Accepts takes the paths mcpmodel.Detect recognises.
func (Handler) Accepts(p string) bool {
	_, _, ok := mcpmodel.Detect(p)
	return ok
}

// Scan runs the pattern scan and the config rules.
func (Handler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	client, format, _ := mcpmodel.Detect(in.ClassPath)
	var found []scanner.Finding
	var err error
	if format == mcpmodel.FormatJSON {
		// Strict JSON: jsonloc names the field of findings outside server
		// entries too (~/.claude.json holds much more than servers).
		found, _, err = jsondoc.Collect(ctx, in, env, scanner.SourceMCPConfig, nil)
	} else {
		mode := match.Text
		if format == mcpmodel.FormatJSONC {
			mode = match.JSON
		}
		_, err = env.Matcher.Scan(in.Reader, scanner.MatchOptions(in, mode), func(h *match.Hit) error {
			found = append(found, scanner.FindingFromHit(in, scanner.SourceMCPConfig, h))
			return nil
		})
	}

	var cfg *mcpmodel.Config
	if in.ReaderAt != nil && in.Size <= maxConfigSize {
		data, rerr := io.ReadAll(io.NewSectionReader(in.ReaderAt, 0, in.Size))
		if rerr != nil {
			return rerr
		}
		var perr error
		cfg, perr = mcpmodel.Parse(in.ClassPath, data)
		if perr != nil {
			env.Problem(in.Path, parseErrorLine(perr), "not a valid %s config (%v); scanned as text, config rules skipped", clientName(client), perr)
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
				found = append(found, issueFinding(in, env, s, is))
			}
		}
	}
	for _, f := range found {
		env.Report(f)
	}
	return err
}

// issueFinding turns a config-rule issue into a finding.
func issueFinding(in *scanner.Input, env *scanner.Env, s *mcpmodel.Server, is issue) scanner.Finding {
	r := env.Rules.Lookup(is.rule)
	f := scanner.Finding{
		Rule: r, Source: scanner.SourceMCPConfig, Path: in.Path,
		Line: is.pos.Line, Column: is.pos.Column, EndLine: is.pos.EndLine, EndColumn: is.pos.EndColumn,
		Offset: is.pos.Offset, Secret: is.evidence,
		Context: serverContext(s, is.field),
	}
	if is.note != "" {
		f.Description = r.Description + " " + is.note
	}
	if is.severity > 0 {
		f.Severity, f.Kind = is.severity, r.Kind
	}
	return f
}

// serverContext names the server, its client and scope.
func serverContext(s *mcpmodel.Server, field string) *scanner.Context {
	return &scanner.Context{
		Project: s.Project,
		Tool:    "mcp server " + s.Name,
		Server:  s.Name,
		Client:  clientName(s.Client),
		Field:   field,
	}
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
			c := serverContext(sp.server, sp.path)
			if f.Context != nil && f.Context.Field != "" {
				c.Field = f.Context.Field // jsonloc's path, same value
			}
			f.Context = c
			return
		}
	}
	if f.Context == nil {
		f.Context = &scanner.Context{}
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

// parseErrorLine returns the line of a syntax error, or 0.
func parseErrorLine(err error) int {
	var se *mcpmodel.SyntaxError
	if errors.As(err, &se) {
		return se.Line
	}
	return 0
}
