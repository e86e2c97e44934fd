package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mcpscan/mcpscan/reporters"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
	"github.com/mcpscan/mcpscan/scanner/sources/archive"
)

// reportFlags are the flags of what a scan writes and when it fails,
// shared by every command that scans.
type reportFlags struct {
	format          string
	output          string
	showSecrets     bool
	failOn          string
	noColor         bool
	allowIncomplete bool
	sarifCategory   string
	sarifRoot       string
	hostID          string
	noProgress      bool
	verbose         bool
	quiet           bool
	cpuProfile      string
	memProfile      string
	flags           *pflag.FlagSet // to tell a --host-id "" from no --host-id
}

// add registers the flags; failOnDefault is the command's default
// --fail-on.
func (r *reportFlags) add(cmd *cobra.Command, failOnDefault string) {
	f := cmd.Flags()
	r.flags = f
	f.StringVarP(&r.format, "format", "f", "terminal", "report format: "+strings.Join(reporters.Formats(), ", "))
	f.StringVarP(&r.output, "output", "o", "", "write the report to `FILE` (created with mode 0600) instead of stdout")
	f.BoolVar(&r.showSecrets, "show-secrets", false, "print full secret values instead of redacted ones (the report then holds live credentials)")
	f.StringVar(&r.failOn, "fail-on", failOnDefault, "exit 1 only for findings at or above this `SEVERITY` (info, low, medium, high, critical)")
	f.BoolVar(&r.noColor, "no-color", false, "no colour in the terminal report (also: NO_COLOR=1)")
	f.BoolVar(&r.allowIncomplete, "allow-incomplete", false, "exit 0 rather than 2 when the scan could not read everything it was asked to (the report still says what was missed)")
	f.StringVar(&r.sarifCategory, "sarif-category", "mcpscan", "SARIF: the run's automationDetails.id (GitHub code scanning's `CATEGORY`; empty: none)")
	f.StringVar(&r.sarifRoot, "sarif-root", "", "SARIF: make file URIs relative to this `DIR`, the repository root (default: the current directory)")
	f.StringVar(&r.hostID, "host-id", "", "name this machine in the report (\"host\" in json and jsonl, invocation.machine in sarif; default: the host name; \"\": none)")
	f.BoolVar(&r.noProgress, "no-progress", false, "no progress display on stderr (it is only shown when stderr is a terminal)")
	f.BoolVarP(&r.verbose, "verbose", "v", false, "terminal report: list every place of every secret and every error")
	f.BoolVarP(&r.quiet, "quiet", "q", false, "terminal report: print only the summary and the verdict (the exit status says the rest)")
	cmd.MarkFlagsMutuallyExclusive("verbose", "quiet")
	f.StringVar(&r.cpuProfile, "cpuprofile", "", "write a CPU profile to `FILE` (for benchmarking)")
	_ = f.MarkHidden("cpuprofile")
	f.StringVar(&r.memProfile, "memprofile", "", "write an allocation profile to `FILE` when the scan ends (for benchmarking)")
	_ = f.MarkHidden("memprofile")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion(reporters.Formats()...))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", fixedCompletion("info", "low", "medium", "high", "critical"))
}

// fixedCompletion completes a flag from a fixed list.
func fixedCompletion(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// severity parses --fail-on.
func (r *reportFlags) severity() (rules.Severity, error) {
	s, err := rules.ParseSeverity(r.failOn)
	if err != nil {
		return 0, fmt.Errorf("--fail-on: %w", err)
	}
	return s, nil
}

// verbosity returns the terminal report's reporters.Verbosity* level for
// -v and -q.
func (r *reportFlags) verbosity() int {
	switch {
	case r.quiet:
		return reporters.VerbosityQuiet
	case r.verbose:
		return reporters.VerbosityVerbose
	}
	return reporters.VerbosityNormal
}

// host returns the --host-id value, or this machine's host name when the
// flag was not given.
func (r *reportFlags) host() string {
	if r.hostID != "" || (r.flags != nil && r.flags.Changed("host-id")) {
		return r.hostID
	}
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	return h
}

// walkFlags are the flags of what a scan of paths reads.
type walkFlags struct {
	followSymlinks    bool
	exclude           []string
	noDefaultExcludes bool
	workers           int
	maxFileSize       int64
	maxArchiveDepth   int
	maxArchiveBytes   byteSize // per archive, nested included
	maxArchiveTotal   byteSize // per scan
}

func (w *walkFlags) add(f *pflag.FlagSet) {
	f.BoolVar(&w.followSymlinks, "follow-symlinks", false, "follow symbolic links below the scanned paths (loops are detected)")
	f.StringArrayVar(&w.exclude, "exclude", nil, "skip files and directories matching this doublestar `GLOB` (repeatable), e.g. '**/testdata/**'")
	f.BoolVar(&w.noDefaultExcludes, "no-default-excludes", false, "also scan .git and node_modules directories")
	f.IntVarP(&w.workers, "jobs", "j", 0, "CPUs to use: files scanned in parallel, and segments of large files (default: number of CPUs)")
	f.Int64Var(&w.maxFileSize, "max-file-size", 0, "do not read files larger than this many `BYTES` (0: no limit); each is reported and makes the scan incomplete")
	f.IntVar(&w.maxArchiveDepth, "max-archive-depth", scanner.DefaultMaxArchiveDepth, "open archives (.tgz, .tar, .zip, .whl, .jar, .crate, .gem) up to this many levels deep, archives inside archives included (0: do not open archives)")
	w.maxArchiveBytes, w.maxArchiveTotal = archive.DefaultMaxBytes, archive.DefaultMaxScanBytes
	f.Var(&w.maxArchiveBytes, "max-archive-bytes", "stop reading an archive (with the archives inside it) after expanding this much, whether members are scanned or skipped; what is not read is reported as an error")
	f.Var(&w.maxArchiveTotal, "max-archive-bytes-total", "stop opening archives once all the archives of the scan have expanded this much; each archive not read is reported as an error")
}

// handlers returns the source handlers of one scan, with the archive
// budgets of the flags.
func (w *walkFlags) handlers() []scanner.Handler {
	return sources.New(sources.Options{Archive: archive.Limits{MaxBytes: int64(w.maxArchiveBytes), MaxScanBytes: int64(w.maxArchiveTotal)}})
}

// options turns the flags into engine options.
func (w *walkFlags) options() scanner.Options {
	depth := w.maxArchiveDepth
	if depth <= 0 {
		depth = -1
	}
	return scanner.Options{
		Workers:           w.workers,
		FollowSymlinks:    w.followSymlinks,
		Exclude:           w.exclude,
		NoDefaultExcludes: w.noDefaultExcludes,
		MaxFileSize:       w.maxFileSize,
		MaxArchiveDepth:   depth,
	}
}
