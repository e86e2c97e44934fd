package textfile_test

import (
	"testing"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
	"github.com/mcpscan/mcpscan/scanner/sources/textfile"
)

const ghToken = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"

func TestSourcesByPath(t *testing.T) {
	for p, want := range map[string]*scanner.Source{
		"/home/a/web/CLAUDE.md":                                textfile.SourceMemory,
		"/home/a/web/AGENTS.md":                                textfile.SourceMemory,
		"/home/a/.claude/plans/calm-plan.md":                   textfile.SourceMemory,
		"/home/a/.claude/file-history/s1/0a1b2c3d@v2":          textfile.SourceFileHistory,
		"/home/a/web/.cursorrules":                             textfile.SourceMemory,
		"/home/a/web/.cursor/rules/api.mdc":                    textfile.SourceMemory,
		"/home/a/web/.windsurfrules":                           textfile.SourceMemory,
		"/home/a/web/.clinerules":                              textfile.SourceMemory,
		"/home/a/web/.clinerules/deploy.md":                    textfile.SourceMemory,
		"/home/a/web/.github/copilot-instructions.md":          textfile.SourceMemory,
		"/home/a/web/.github/instructions/go.instructions.md":  textfile.SourceMemory,
		"/home/a/web/GEMINI.md":                                textfile.SourceMemory,
		"/home/a/web/CONVENTIONS.md":                           textfile.SourceMemory,
		"/home/a/web/.claude/skills/deploy/SKILL.md":           textfile.SourceMemory,
		"/home/a/web/.claude/skills/deploy/scripts/push.sh":    textfile.SourceMemory,
		"/home/a/.claude/commands/release.md":                  textfile.SourceMemory,
		"/home/a/.claude/agents/reviewer.md":                   textfile.SourceMemory,
		"/home/a/.claude/plugins/marketplaces/x/hooks/run.py":  textfile.SourceMemory,
		"/home/a/.claude/projects/-home-a-web/memory/notes.md": textfile.SourceMemory,
		"/home/a/.codeium/windsurf/memories/global_rules.md":   textfile.SourceMemory,
		"/home/a/web/.env":                                     scanner.SourceFile,
		"/home/a/web/README.md":                                scanner.SourceFile,
	} {
		if got := textfile.SourceOf(p); got != want {
			t.Errorf("SourceOf(%s) = %s, want %s", p, got.Name, want.Name)
		}
	}
}

// TestPositions: line and column (code points) of a secret after
// multi-byte text, in a memory file as people write them.
func TestPositions(t *testing.T) {
	doc := "# Projet café\n\n- **Token GitHub** : `" + ghToken + "`\n"
	fs, errs := handlertest.Run(t, textfile.Handler{}, "/home/a/web/CLAUDE.md", doc)
	if len(errs) != 0 || len(fs) != 1 {
		t.Fatalf("findings %d problems %+v", len(fs), errs)
	}
	f := fs[0]
	if f.RuleID != "github-pat" || f.Line != 3 || f.Column != 23 || f.EndColumn != 23+40 || f.Source != textfile.SourceMemory {
		t.Errorf("%s at %d:%d-%d source %s", f.RuleID, f.Line, f.Column, f.EndColumn, f.Source.Name)
	}
	if f.Offset != int64(len("# Projet café\n\n- **Token GitHub** : `")) {
		t.Errorf("offset %d", f.Offset)
	}
}
