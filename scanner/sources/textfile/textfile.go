// Package textfile scans plain text files line-accurately: agent memory
// files (CLAUDE.md, AGENTS.md, GEMINI.md, plans/*.md), Claude Code's
// file-history copies, .env files and any other text.
package textfile

import (
	"context"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Handler scans text files. It accepts every path, so it goes last in the
// registry.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Source returns scanner.SourceFile; findings of memory files and
// file-history copies carry their own source kind (see SourceOf).
func (Handler) Source() scanner.Source { return scanner.SourceFile }

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
func SourceOf(classPath string) scanner.Source {
	base := strings.ToLower(path.Base(classPath))
	switch {
	case strings.Contains(classPath, "/.claude/file-history/"):
		return scanner.SourceFileHistory
	case memoryFiles[base]:
		return scanner.SourceMemory
	case strings.Contains(classPath, "/.claude/plans/") && strings.HasSuffix(base, ".md"):
		return scanner.SourceMemory
	case strings.Contains(classPath, "/.claude/memory/") || strings.Contains(classPath, "/.claude/rules/"):
		return scanner.SourceMemory
	}
	return scanner.SourceFile
}

// Scan runs the matcher over the raw bytes and reports every hit.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	src := SourceOf(in.ClassPath)
	_, err := env.Matcher.Scan(in.Reader, scanner.MatchOptions(in, match.Text), func(h *match.Hit) error {
		env.Report(scanner.FindingFromHit(in, src, h))
		return nil
	})
	return err
}
