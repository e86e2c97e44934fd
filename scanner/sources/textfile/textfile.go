// Package textfile scans plain text files line-accurately: agent memory
// and instruction files (CLAUDE.md, AGENTS.md, GEMINI.md, plans/*.md),
// Claude Code's file-history copies, .env files and any other text.
package textfile

import (
	"context"
	"path"
	"strings"

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

// memoryFiles are the base names of agent memory and instruction files.
var memoryFiles = map[string]bool{
	"claude.md": true, "claude.local.md": true, "agents.md": true, "gemini.md": true,
	"copilot-instructions.md": true, ".cursorrules": true, ".windsurfrules": true, ".clinerules": true,
}

// SourceOf classifies a text file by its slash path: memory files and
// ~/.claude/plans/*.md → memory, ~/.claude/file-history/** → file-history,
// anything else → file.
func SourceOf(classPath string) *scanner.Source {
	base := strings.ToLower(path.Base(classPath))
	switch {
	case strings.Contains(classPath, "/.claude/file-history/"):
		return SourceFileHistory
	case memoryFiles[base]:
		return SourceMemory
	case strings.Contains(classPath, "/.claude/plans/") && strings.HasSuffix(base, ".md"):
		return SourceMemory
	case strings.Contains(classPath, "/.claude/memory/") || strings.Contains(classPath, "/.claude/rules/"):
		return SourceMemory
	}
	return scanner.SourceFile
}

// Scan runs the matcher over the raw bytes and reports every hit.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	src := SourceOf(in.ClassPath)
	return env.Match(in, match.Text, func(h *match.Hit) error {
		env.Report(scanner.FindingFromHit(in, src, h))
		return nil
	})
}
