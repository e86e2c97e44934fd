package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mcpscan/mcpscan/internal/termtext"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/locations"
)

// ScanOptions are the root command's options: a scan of PATHs (or the
// user's agent locations), npm: specs and --from-file lists.
type ScanOptions struct {
	IO       *IOStreams
	Version  string
	Paths    []string
	Report   reportFlags
	Walk     walkFlags
	Suppress suppressFlags
	State    stateFlags
	FromFile string // npm specs to scan (npm.go)
}

// stateFlags are the flags of incremental scans.
type stateFlags struct {
	path    string
	newOnly bool
}

func (s *stateFlags) add(f *pflag.FlagSet) {
	f.StringVar(&s.path, "state", "", "remember per file how far it was scanned in `FILE` (mode 0600); re-scans then read only what changed or was appended, and carry earlier findings over")
	f.BoolVar(&s.newOnly, "new-only", false, "with --state: report only findings in what was read this time, not the ones carried over")
}

// load reads the state file; what it refuses is said on warn.
func (s *stateFlags) load(warn io.Writer) (*scanner.State, error) {
	st, err := scanner.LoadState(s.path)
	if err != nil {
		return nil, fmt.Errorf("--state: %w", err)
	}
	for _, w := range st.Warnings {
		fmt.Fprintln(warn, "mcpscan: warning:", termtext.Text(w))
	}
	return st, nil
}

func (o *ScanOptions) addFlags(cmd *cobra.Command) {
	o.Report.add(cmd, "info")
	f := cmd.Flags()
	o.Walk.add(f)
	o.Suppress.add(f)
	o.State.add(f)
	f.StringVar(&o.FromFile, "from-file", "", "also scan the published npm packages listed in `LIST`, one name[@version] per line (\"-\": stdin), a few at a time (-j; default 4, or the number of CPUs when more)")
}

// runScan runs the root command's scan.
func runScan(ctx context.Context, o *ScanOptions) error {
	if o.State.newOnly && o.State.path == "" {
		return fmt.Errorf("--new-only needs --state FILE")
	}
	roots, looked, err := o.scanRoots(ctx) // paths, npm: specs, or the well-known locations
	if err != nil {
		return err
	}
	j := &scanJob{
		io: o.IO, version: o.Version, paths: o.Paths, roots: roots, looked: looked,
		handlers: o.Walk.handlers(), engine: o.Walk.options(), report: &o.Report, suppress: &o.Suppress,
	}
	if o.State.path != "" {
		j.state = &o.State
	}
	out, err := runScanJob(ctx, j)
	if err != nil {
		return err
	}
	return j.verdict(out)
}

// defaultRoots returns the well-known locations of the current user, for a
// scan without PATH; when none of them exists, also their paths, which
// the report lists so that an empty scan says what it looked for.
func defaultRoots() ([]scanner.Root, []string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, nil, fmt.Errorf("no PATH given and no home directory to scan: %w", err)
	}
	roots := locations.Default(home, runtime.GOOS, os.Getenv)
	looked := make([]string, len(roots))
	for i, r := range roots {
		if _, err := os.Stat(r.Path); err == nil {
			return roots, nil, nil
		}
		looked[i] = r.Path
	}
	return roots, looked, nil
}
