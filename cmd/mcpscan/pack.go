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
	"github.com/mcpscan/mcpscan/internal/termtext"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
	"github.com/mcpscan/mcpscan/scanner/sources/artifact"
)

// packFailOn is `mcpscan pack`'s default --fail-on.
const packFailOn = "medium"

// PackOptions are the options of `mcpscan pack [DIR]`: the report and
// suppression flags of a scan; which files are read is npm's decision.
type PackOptions struct {
	IO       *IOStreams
	Version  string
	Dir      string
	Report   reportFlags
	Suppress suppressFlags
	Jobs     int
}

// newCmdPack is `mcpscan pack [DIR]`, the npm prepublish hook.
func newCmdPack(ios *IOStreams, version string) *cobra.Command {
	opts := &PackOptions{IO: ios, Version: version}
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
file is named, with how to exclude it), 2 error (no npm, no package.json, or
a file that could not be read).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = "."
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return runPack(cmd.Context(), opts)
		},
	}
	opts.Report.add(cmd, packFailOn)
	opts.Suppress.add(cmd.Flags())
	cmd.Flags().IntVarP(&opts.Jobs, "jobs", "j", 0, "CPUs to use (default: number of CPUs)")
	return cmd
}

// runPack scans the files npm would publish, as package members (the
// agent-artifact rules judge each one), and tells the person publishing
// which files to keep out.
func runPack(ctx context.Context, o *PackOptions) error {
	p := &packRun{dir: o.Dir, out: o.IO.ErrOut}
	roots, err := p.roots(ctx)
	if err != nil {
		return err
	}
	failOn, err := o.Report.severity()
	if err != nil {
		return err
	}
	j := &scanJob{
		io: o.IO, version: o.Version, paths: []string{o.Dir}, roots: roots,
		handlers: artifact.ForPackage(sources.Default()),
		engine:   scanner.Options{Workers: o.Jobs},
		report:   &o.Report, suppress: &o.Suppress,
		extra: func(f *scanner.Finding) {
			if f.Severity >= failOn {
				p.found = append(p.found, *f)
			}
		},
	}
	out, err := runScanJob(ctx, j)
	if err != nil {
		return err
	}
	if verr := p.verdict(failOn); verr != nil {
		return verr
	}
	return j.verdict(out)
}

// packRun is one `mcpscan pack`.
type packRun struct {
	dir   string
	out   io.Writer // where the verdict goes (stderr)
	files []npm.PackFile
	found []scanner.Finding // at or above --fail-on
}

// roots lists the files npm would publish, as roots opened as package
// members: their path in the package classifies them.
func (p *packRun) roots(ctx context.Context) ([]scanner.Root, error) {
	st, err := os.Stat(p.dir)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("mcpscan pack %s: not a directory", termtext.Text(p.dir))
	}
	if _, err := os.Stat(filepath.Join(p.dir, "package.json")); err != nil {
		return nil, fmt.Errorf("mcpscan pack %s: no package.json there: not an npm package", termtext.Text(p.dir))
	}
	cmdNPM, err := npm.Command(nil)
	if err != nil {
		return nil, fmt.Errorf("mcpscan pack needs npm to list the files `npm publish` would ship (%v); install Node.js and npm, or scan the packed tarball instead: npm pack && mcpscan <name>-<version>.tgz", err)
	}
	files, err := npm.PackFiles(ctx, cmdNPM, p.dir)
	if err != nil {
		return nil, fmt.Errorf("mcpscan pack %s: %w", termtext.Text(p.dir), err)
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
			Loc:       scanner.Location{File: display},
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
func (p *packRun) verdict(failOn rules.Severity) error {
	type shipped struct {
		path  string
		worst rules.Severity
		rules []string
	}
	byFile := map[string]*shipped{}
	var order []string
	for i := range p.found {
		f := &p.found[i]
		file := f.File // a member of a shipped archive: the archive
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
		fmt.Fprintf(p.out, "  %-*s  %s\n", width, termtext.Line(f), strings.Join(s.rules, ", "))
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
		if scanner.IsAgentDir(seg) {
			return "/" + strings.Join(parts[:i+1], "/") + "/"
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
