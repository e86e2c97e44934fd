package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/mcpscan/mcpscan/internal/npm"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/artifact"
)

// packFailOn is `mcpscan pack`'s default --fail-on.
const packFailOn = "medium"

// packIgnoredFlags are scan flags that mean nothing for `mcpscan pack`:
// npm decides which files are scanned.
var packIgnoredFlags = []string{"exclude", "no-default-excludes", "follow-symlinks", "max-file-size", "state", "new-only", "from-file"}

// newCmdPack is `mcpscan pack [DIR]`, the npm prepublish hook.
func newCmdPack(s *streams) *cobra.Command {
	v, _, _ := versionInfo()
	opts := &scanOptions{streams: s}
	cmd := &cobra.Command{
		Use:   "pack [DIR]",
		Short: "Scan exactly the files `npm publish` would ship from DIR (the npm prepublish hook)",
		Long: `mcpscan pack scans the files that ` + "`npm publish`" + ` would ship from DIR (default:
the current directory), as listed by ` + "`npm pack --dry-run --json --ignore-scripts`" + `.
Besides secrets, it reports agent files that should never ship, even when no
secret is found in them: .claude/ (settings.local.json with "always allow"
rules), .cursor/, .codex/, .gemini/, .windsurf/, .continue/, .mcp.json, agent
transcripts, .env files, an .npmrc with a token, private keys, .credentials.json
(CLAUDE.md alone is info).

Wire it into package.json so that npm refuses to publish such a package:

  "scripts": { "prepublishOnly": "mcpscan pack" }

It needs npm (on PATH, or $npm_execpath when run from an npm script): npm's
inclusion rules ("files", .npmignore, .gitignore, files npm always or never
ships) are npm's own, and mcpscan does not guess them.

Exit status: 0 nothing at or above --fail-on (default medium), 1 findings (each
file is named, with how to exclude it), 2 error (no npm, no package.json).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, name := range packIgnoredFlags {
				if cmd.Flags().Changed(name) {
					return fmt.Errorf("--%s does not apply to mcpscan pack: npm decides which files ship", name)
				}
			}
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			opts.pack = &packRun{dir: dir, out: s.err}
			opts.paths = []string{dir}
			opts.version = v
			return runScan(cmd.Context(), opts)
		},
	}
	opts.addFlags(cmd)
	f := cmd.Flags()
	if fl := f.Lookup("fail-on"); fl != nil {
		_ = fl.Value.Set(packFailOn)
		fl.DefValue = packFailOn
	}
	for _, name := range packIgnoredFlags {
		if f.Lookup(name) != nil {
			_ = f.MarkHidden(name)
		}
	}
	return cmd
}

// packRun is one `mcpscan pack`.
type packRun struct {
	dir   string
	out   io.Writer // where the verdict goes (stderr)
	files []npm.PackFile
}

// roots lists the files npm would publish, as roots opened as package
// members: their path in the package classifies them.
func (p *packRun) roots(ctx context.Context) ([]scanner.Root, error) {
	st, err := os.Stat(p.dir)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("mcpscan pack %s: not a directory", p.dir)
	}
	if _, err := os.Stat(filepath.Join(p.dir, "package.json")); err != nil {
		return nil, fmt.Errorf("mcpscan pack %s: no package.json there: not an npm package", p.dir)
	}
	cmdNPM, err := npm.Command(nil)
	if err != nil {
		return nil, fmt.Errorf("mcpscan pack needs npm to list the files `npm publish` would ship (%v); install Node.js and npm, or scan the packed tarball instead: npm pack && mcpscan <name>-<version>.tgz", err)
	}
	files, err := npm.PackFiles(ctx, cmdNPM, p.dir)
	if err != nil {
		return nil, fmt.Errorf("mcpscan pack %s: %w", p.dir, err)
	}
	p.files = files
	roots := make([]scanner.Root, 0, len(files))
	for _, f := range files {
		display := filepath.Join(p.dir, filepath.FromSlash(f.Path))
		roots = append(roots, scanner.Root{Path: display, Open: openPackFile(display, "/"+f.Path)})
	}
	return roots, nil
}

// openPackFile opens one file of the package for the scan, without
// blocking (a FIFO is refused).
func openPackFile(display, classPath string) func(context.Context) (*scanner.Input, io.Closer, error) {
	return func(context.Context) (*scanner.Input, io.Closer, error) {
		f, err := os.OpenFile(display, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return nil, nil, err
		}
		info, err := f.Stat()
		if err != nil {
			return nil, f, err
		}
		if !info.Mode().IsRegular() {
			return nil, f, errors.New("not a regular file")
		}
		size := info.Size()
		return &scanner.Input{
			Path:      display,
			ClassPath: classPath,
			Size:      size,
			Reader:    io.LimitReader(f, size),
			ReaderAt:  io.NewSectionReader(f, 0, size),
		}, f, nil
	}
}

// verdict tells the person publishing which files hold findings at or
// above failOn and how to keep them out of the package; it returns
// errFindings when there are any.
func (p *packRun) verdict(res *scanner.Result, failOn rules.Severity) error {
	type shipped struct {
		path  string
		worst rules.Severity
		rules []string
	}
	byFile := map[string]*shipped{}
	var order []string
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Severity < failOn {
			continue
		}
		file, _, _ := strings.Cut(f.Path, "!") // a member of a shipped archive: the archive
		s := byFile[file]
		if s == nil {
			s = &shipped{path: file}
			byFile[file] = s
			order = append(order, file)
		}
		s.worst = max(s.worst, f.Severity)
		what := fmt.Sprintf("%s (%s)", f.RuleID, f.Severity)
		if !containsString(s.rules, what) {
			s.rules = append(s.rules, what)
		}
	}
	if len(order) == 0 {
		fmt.Fprintf(p.out, "mcpscan pack: the %d files npm would publish from %s hold nothing at or above %s\n", len(p.files), p.dir, failOn)
		return nil
	}
	sort.Strings(order)
	width := 0
	for _, f := range order {
		width = max(width, len(f))
	}
	fmt.Fprintf(p.out, "\nmcpscan pack: %d of the %d files npm would publish from %s hold findings at or above %s:\n", len(order), len(p.files), p.dir, failOn)
	var ignore []string
	for _, f := range order {
		s := byFile[f]
		fmt.Fprintf(p.out, "  %-*s  %s\n", width, clean(f), strings.Join(s.rules, ", "))
		if e := npmignoreEntry(p.dir, f); !containsString(ignore, e) {
			ignore = append(ignore, e)
		}
	}
	fmt.Fprintf(p.out, `
Keep them out of the package: list only what you ship in package.json "files"
(e.g. "files": ["dist/"]), or add them to .npmignore:

    %s

(an .npmignore replaces .gitignore for npm: repeat .gitignore's entries there).
Check with: npm pack --dry-run. If a published version already shipped a
credential, rotate it: unpublishing does not recall copies already downloaded.
`, strings.Join(ignore, "\n    "))
	return errFindings
}

// npmignoreEntry suggests the .npmignore line for a shipped file: its
// agent directory ("/.claude/"), else its path in the package.
func npmignoreEntry(dir, file string) string {
	rel, err := filepath.Rel(dir, file)
	if err != nil {
		rel = file
	}
	rel = filepath.ToSlash(rel)
	parts := strings.Split(rel, "/")
	for i, seg := range parts[:len(parts)-1] {
		for _, d := range artifact.AgentDirs {
			if seg == d {
				return "/" + strings.Join(parts[:i+1], "/") + "/"
			}
		}
	}
	return "/" + rel
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// clean drops control characters from a file name before it reaches the
// terminal.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return '?'
		}
		return r
	}, s)
}
