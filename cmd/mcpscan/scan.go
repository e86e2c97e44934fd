package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mcpscan/mcpscan/reporters"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/locations"
)

// scanOptions are the flags of a scan.
type scanOptions struct {
	*streams
	paths    []string
	version  string
	suppress suppressFlags

	format            string
	output            string
	showSecrets       bool
	failOn            string
	noColor           bool
	followSymlinks    bool
	exclude           []string
	noDefaultExcludes bool
	workers           int
	maxFileSize       int64
	cpuProfile        string
	noProgress        bool
	statePath         string
	newOnly           bool
	sarifCategory     string
	sarifRoot         string
	hostID            string
	flags             *pflag.FlagSet // to tell a --host-id "" from no --host-id
	maxArchiveDepth   int
	fromFile          string   // npm specs to scan (npm.go)
	pack              *packRun // set by `mcpscan pack` (pack.go)
}

func (o *scanOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	o.suppress.add(f)
	f.StringVarP(&o.format, "format", "f", "terminal", "report format: "+strings.Join(reporters.Formats(), ", "))
	f.StringVarP(&o.output, "output", "o", "", "write the report to `FILE` (created with mode 0600) instead of stdout")
	f.BoolVar(&o.showSecrets, "show-secrets", false, "print full secret values instead of redacted ones (the report then holds live credentials)")
	f.StringVar(&o.failOn, "fail-on", "info", "exit 1 only for findings at or above this `SEVERITY` (info, low, medium, high, critical)")
	f.BoolVar(&o.noColor, "no-color", false, "no colour in the terminal report (also: NO_COLOR=1)")
	f.BoolVar(&o.followSymlinks, "follow-symlinks", false, "follow symbolic links below the scanned paths (loops are detected)")
	f.StringArrayVar(&o.exclude, "exclude", nil, "skip files and directories matching this doublestar `GLOB` (repeatable), e.g. '**/testdata/**'")
	f.BoolVar(&o.noDefaultExcludes, "no-default-excludes", false, "also scan .git and node_modules directories")
	f.IntVarP(&o.workers, "jobs", "j", 0, "files scanned in parallel (default: number of CPUs)")
	f.Int64Var(&o.maxFileSize, "max-file-size", 0, "skip files larger than this many `BYTES` (0: no limit)")
	f.StringVar(&o.sarifCategory, "sarif-category", "mcpscan", "SARIF: the run's automationDetails.id (GitHub code scanning's `CATEGORY`; empty: none)")
	f.StringVar(&o.sarifRoot, "sarif-root", "", "SARIF: make file URIs relative to this `DIR`, the repository root (default: the current directory)")
	f.StringVar(&o.hostID, "host-id", "", "name this machine in the report (\"host\" in json and jsonl, invocation.machine in sarif; default: the host name; \"\": none)")
	o.flags = f
	f.StringVar(&o.statePath, "state", "", "remember per file how far it was scanned in `FILE` (mode 0600); re-scans then read only what changed or was appended, and carry earlier findings over")
	f.BoolVar(&o.newOnly, "new-only", false, "with --state: report only findings in what was read this time, not the ones carried over")
	f.IntVar(&o.maxArchiveDepth, "max-archive-depth", scanner.DefaultMaxArchiveDepth, "open archives (.tgz, .tar, .zip, .whl, .jar, .crate, .gem) up to this many levels deep, archives inside archives included (0: do not open archives)")
	f.StringVar(&o.fromFile, "from-file", "", "also scan the published npm packages listed in `LIST`, one name[@version] per line (\"-\": stdin), a few at a time (-j; default 4, or the number of CPUs when more)")
	f.BoolVar(&o.noProgress, "no-progress", false, "no progress display on stderr (it is only shown when stderr is a terminal)")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile to `FILE` (for benchmarking)")
	_ = f.MarkHidden("cpuprofile")
}

func runScan(ctx context.Context, o *scanOptions) error {
	failOn, err := rules.ParseSeverity(o.failOn)
	if err != nil {
		return fmt.Errorf("--fail-on: %w", err)
	}
	if o.cpuProfile != "" {
		stop, err := startCPUProfile(o.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	roots, err := o.scanRoots(ctx) // paths, npm: specs, or `mcpscan pack`'s files (npm.go)
	if err != nil {
		return err
	}
	// Config files: rules, allowlists, ignore files, defaults for
	// --fail-on and --format (flags win).
	lc, err := o.suppress.load(o.paths, o.err)
	if err != nil {
		return err
	}
	if lc.cfg != nil && lc.cfg.FailOn != nil && (o.flags == nil || !o.flags.Changed("fail-on")) && o.pack == nil {
		failOn = *lc.cfg.FailOn
	}
	if lc.cfg != nil && lc.cfg.Format != "" && (o.flags == nil || !o.flags.Changed("format")) {
		o.format = lc.cfg.Format
	}
	out, color, closeOut, err := o.openOutput()
	if err != nil {
		return err
	}
	rep, err := reporters.New(o.format, reporters.Options{
		Version:       o.version,
		ShowSecrets:   o.showSecrets,
		Color:         color,
		Roots:         o.paths,
		Host:          o.host(),
		SARIFCategory: o.sarifCategory,
		SARIFRoot:     o.sarifRoot,
		Warnings:      o.err,
	})
	if err != nil {
		closeOut(false)
		return err
	}
	prog := newProgress(o.err, o.noProgress)
	var progressFn func(scanner.Progress)
	if prog != nil {
		progressFn = prog.update
	}
	var state *scanner.State
	if o.statePath != "" {
		if state, err = scanner.LoadState(o.statePath); err != nil {
			closeOut(false)
			return err
		}
	} else if o.newOnly {
		closeOut(false)
		return fmt.Errorf("--new-only needs --state FILE")
	}
	eng := scanner.New(lc.set, o.handlers(), scanner.Options{
		MaxArchiveDepth:   o.archiveDepth(),
		State:             state,
		Progress:          progressFn,
		Workers:           o.workers,
		FollowSymlinks:    o.followSymlinks,
		Exclude:           o.exclude,
		NoDefaultExcludes: o.noDefaultExcludes,
		MaxFileSize:       o.maxFileSize,
	})
	res, err := eng.Run(ctx, roots)
	if prog != nil {
		prog.finish()
	}
	if err != nil {
		closeOut(false)
		if errors.Is(err, scanner.ErrMissingRoot) {
			return err
		}
		return fmt.Errorf("scan: %w", err)
	}
	if state != nil {
		if err := state.Save(o.statePath); err != nil {
			closeOut(false)
			return fmt.Errorf("--state: %w", err)
		}
		if o.newOnly {
			kept := res.Findings[:0]
			for _, f := range res.Findings {
				if !f.Carried {
					kept = append(kept, f)
				}
			}
			res.Findings = kept
		}
	}
	if err := o.suppress.apply(lc, res); err != nil {
		closeOut(false)
		return err
	}
	if err := rep.Report(out, res); err != nil {
		closeOut(false)
		return fmt.Errorf("write report: %w", err)
	}
	if err := closeOut(true); err != nil {
		return err
	}
	if o.pack != nil {
		return o.pack.verdict(res, failOn)
	}
	for i := range res.Findings {
		if res.Findings[i].Severity >= failOn {
			return errFindings
		}
	}
	return nil
}

// host returns the --host-id value, or this machine's host name when the
// flag was not given.
func (o *scanOptions) host() string {
	if o.hostID != "" || (o.flags != nil && o.flags.Changed("host-id")) {
		return o.hostID
	}
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	return h
}

// roots returns the scan roots: the named paths, or the well-known
// locations of the current user when none are named.
func (o *scanOptions) roots() ([]scanner.Root, error) {
	if len(o.paths) > 0 {
		roots := make([]scanner.Root, len(o.paths))
		for i, p := range o.paths {
			roots[i] = scanner.Root{Path: p}
		}
		return roots, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, fmt.Errorf("no PATH given and no home directory to scan: %w", err)
	}
	return locations.Default(home, runtime.GOOS, os.Getenv), nil
}

// openOutput returns where the report goes, whether to colour it, and a
// function that finishes the output (commit true: keep the file).
func (o *scanOptions) openOutput() (io.Writer, bool, func(commit bool) error, error) {
	if o.output == "" {
		color := !o.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(o.out)
		return o.out, color, func(bool) error { return nil }, nil
	}
	f, err := newPrivateFile(o.output)
	if err != nil {
		return nil, false, nil, fmt.Errorf("--output: %w", err)
	}
	return f, false, f.finish, nil
}

// isTerminal reports whether w is a character device (a TTY).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
