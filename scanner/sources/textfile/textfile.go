// Package textfile scans plain text files line-accurately: agent memory
// and instruction files (CLAUDE.md, AGENTS.md, GEMINI.md, plans/*.md,
// rules, skills and their scripts, commands, sub-agents, plugins),
// Claude Code's file-history copies, .env files and any other text,
// source code included (which also gets the every-interface bind
// analysis, see reportBinds).
package textfile

import (
	"context"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/rules/bindcheck"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Sources of text files.
var (
	// SourceMemory is an agent memory or instruction file.
	SourceMemory = &scanner.Source{
		Name: "memory", Store: scanner.StoreMemory, Label: "an agent memory file",
		Advice: "Memory files (CLAUDE.md, AGENTS.md) are read into every session and often committed: keep only the name of the variable there, never its value.",
	}
	// SourceFileHistory is Claude Code's copy of a file before an edit.
	SourceFileHistory = &scanner.Source{
		Name: "file-history", Agent: "Claude Code", Store: scanner.StoreFileHistory,
		Label:        "a Claude Code file-history backup",
		Advice:       "This is Claude Code's backup of a file before an edit (~/.claude/file-history): after rotating, run `mcpscan redact` (or delete the backup).",
		AgentWritten: true,
	}
)

// Handler scans text files. It accepts every path, so it goes last in the
// registry.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Sources returns the sources of text files.
func (Handler) Sources() []*scanner.Source {
	return []*scanner.Source{SourceMemory, SourceFileHistory, scanner.SourceFile}
}

// Accepts accepts every file.
func (Handler) Accepts(string) bool { return true }

// memoryFiles are the base names of agent memory and instruction files:
// Claude Code (CLAUDE.md), Codex and others (AGENTS.md, AGENTS.override.md),
// Gemini CLI (GEMINI.md), GitHub Copilot (copilot-instructions.md), Cursor
// (.cursorrules), Windsurf (.windsurfrules, memories/global_rules.md), Cline
// (.clinerules), Roo Code (.roorules), Aider (CONVENTIONS.md, loaded with
// --read).
var memoryFiles = map[string]bool{
	"claude.md": true, "claude.local.md": true, "agents.md": true, "agents.override.md": true, "gemini.md": true,
	"copilot-instructions.md": true, ".cursorrules": true, ".windsurfrules": true, ".clinerules": true, ".roorules": true,
	"conventions.md": true, "global_rules.md": true,
}

// memoryDirs are directories whose files agents load as instructions,
// rules, skills (with their scripts), commands, sub-agents and plugins.
var memoryDirs = []string{
	"/.claude/memory/", "/.claude/rules/", "/.claude/skills/", "/.claude/commands/", "/.claude/agents/", "/.claude/plugins/",
	"/.cursor/rules/", "/.clinerules/", "/.roo/rules", "/.windsurf/rules/", "/.kiro/steering/", "/.continue/rules/",
	"/.github/instructions/", "/.github/prompts/", "/.codeium/windsurf/memories/", "/.amazonq/rules/", "/.junie/guidelines",
	"/.codex/prompts/", "/.gemini/commands/",
}

// SourceOf classifies a text file by its slash path: agent memory,
// instruction, rule, skill, command and plugin files, ~/.claude/plans/*.md
// and auto-memory (projects/<cwd>/memory/) → memory;
// ~/.claude/file-history/** → file-history; anything else → file.
func SourceOf(classPath string) *scanner.Source {
	base := strings.ToLower(path.Base(classPath))
	switch {
	case strings.Contains(classPath, "/.claude/file-history/"):
		return SourceFileHistory
	case memoryFiles[base]:
		return SourceMemory
	case strings.Contains(classPath, "/.claude/plans/") && strings.HasSuffix(base, ".md"):
		return SourceMemory
	case strings.Contains(classPath, "/.claude/projects/") && strings.Contains(classPath, "/memory/"):
		return SourceMemory
	}
	for _, d := range memoryDirs {
		if strings.Contains(classPath, d) {
			return SourceMemory
		}
	}
	return scanner.SourceFile
}

// Scan runs the matcher over the raw bytes and reports every hit. Source
// code and Compose files also stream through the bind analysis on their
// way to the matcher (see reportBinds).
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	src := SourceOf(in.ClassPath)
	binds := bindAnalyzer(in, env)
	if binds != nil {
		teed := *in
		teed.Reader = io.TeeReader(in.Reader, binds)
		in = &teed
	}
	err := env.Match(in, match.Text, func(h *match.Hit) error {
		env.Report(scanner.FindingFromHit(in, src, h))
		return nil
	})
	if err == nil && binds != nil {
		reportBinds(in, env, src, binds)
	}
	return err
}

// bindAnalyzer returns a bindcheck.Analyzer for a Go, Python, JS/TS or
// Compose file read from its start, when the rule it raises is in use.
func bindAnalyzer(in *scanner.Input, env *scanner.Env) *bindcheck.Analyzer {
	if in.Start != 0 || env.Rules == nil {
		return nil
	}
	a := bindcheck.NewAnalyzer(in.ClassPath)
	if a == nil || env.Rules.Lookup(bindRule(a)) == nil {
		return nil
	}
	return a
}

func bindRule(a *bindcheck.Analyzer) string {
	if a.Compose() {
		return rules.ContainerBindsAllInterfaces
	}
	return rules.ServerBindsAllInterfaces
}

// reportBinds reports one finding per every-interface bind, at the
// listening call (or Compose ports entry), naming the call and where the
// host came from in the description and the evidence. Published Compose
// ports are medium: they expose the host, unlike a bind inside a container.
func reportBinds(in *scanner.Input, env *scanner.Env, src *scanner.Source, a *bindcheck.Analyzer) {
	r := env.Rules.Lookup(bindRule(a))
	for _, b := range a.Binds() {
		host := b.Value
		if host == "" {
			host = "no host"
		}
		loc := in.Loc
		loc.Line, loc.Column, loc.EndLine, loc.EndColumn, loc.Offset = b.Line, b.Column, b.EndLine, b.EndColumn, b.Offset
		f := scanner.Finding{Rule: r, RuleID: r.ID, Source: src, Location: loc, Secret: scanner.NewSecret(r, b.Call+" ("+host+")")}
		if a.Compose() {
			f.Description = fmt.Sprintf("%s publishes %s on every interface of the host: %s.", b.Call, b.Value, b.Origin)
			f.Kind, f.Severity = r.Kind, rules.Medium
		} else {
			f.Description = bindDescription(b)
		}
		env.Report(f)
	}
}

// bindDescription says which call listens on every interface and where
// its host came from.
func bindDescription(b bindcheck.Bind) string {
	origin := b.Origin
	if origin == "literal" {
		origin = "written at the call"
	}
	switch {
	case b.Value == "":
		return fmt.Sprintf("%s listens on every interface: %s.", b.Call, origin)
	case b.Host == "":
		return fmt.Sprintf("%s listens on every interface (%s has an empty host): %s.", b.Call, strconv.Quote(b.Value), origin)
	}
	return fmt.Sprintf("%s listens on every interface (%s): %s.", b.Call, strconv.Quote(b.Value), origin)
}
