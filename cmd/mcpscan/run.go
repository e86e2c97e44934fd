package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"

	"github.com/mcpscan/mcpscan/config"
	"github.com/mcpscan/mcpscan/internal/termtext"
	"github.com/mcpscan/mcpscan/reporters"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
)

// scanJob is one scan as a command sets it up: what to read, how, and
// where the report goes. Every command that scans (the root command,
// pack, redact) runs one through runScanJob.
type scanJob struct {
	io       *IOStreams
	version  string
	paths    []string // as the user named them, for the report header and config discovery
	roots    []scanner.Root
	looked   []string // a scan without PATH: the locations looked for
	handlers []scanner.Handler
	engine   scanner.Options
	report   *reportFlags
	suppress *suppressFlags
	state    *stateFlags // nil: no --state
	// extra, when set, sees every finding that reaches the report (pack's
	// verdict, redact's plan).
	extra func(f *scanner.Finding)
}

// scanOutcome is what a finished scan tells the command.
type scanOutcome struct {
	summary *scanner.Summary
	failing int // findings at or above --fail-on
}

// errIncomplete signals exit status 2 for a scan that could not read
// everything it was asked to (without --allow-incomplete).
var errIncomplete = errors.New("scan incomplete")

// runScanJob runs the scan through the pipeline: engine → config
// adjustments → baseline writer → suppressions → the report's sink, and
// returns what the exit status depends on. The error is a fatal one (exit
// 2); findings and incompleteness are for the caller to judge (verdict).
func runScanJob(ctx context.Context, j *scanJob) (*scanOutcome, error) {
	failOn, err := j.report.severity()
	if err != nil {
		return nil, err
	}
	if err := scanner.ValidateExcludes(j.engine.Exclude); err != nil {
		return nil, err
	}
	if j.report.cpuProfile != "" {
		stop, err := startCPUProfile(j.report.cpuProfile)
		if err != nil {
			return nil, err
		}
		defer stop()
	}
	if j.report.memProfile != "" {
		stop, err := startMemProfile(j.report.memProfile)
		if err != nil {
			return nil, err
		}
		defer stop()
	}
	lc, err := j.suppress.load(j.paths, j.io.ErrOut)
	if err != nil {
		return nil, err
	}
	if lc.cfg != nil && lc.cfg.FailOn != nil && !j.report.flags.Changed("fail-on") {
		failOn = *lc.cfg.FailOn
	}
	if lc.cfg != nil && lc.cfg.Format != "" && !j.report.flags.Changed("format") {
		j.report.format = lc.cfg.Format
	}
	var state *scanner.State
	if j.state != nil {
		if state, err = j.state.load(j.io.ErrOut); err != nil {
			return nil, err
		}
	}
	out, color, closeOut, err := j.openOutput()
	if err != nil {
		return nil, err
	}
	opt := reporters.Options{
		Version:       j.version,
		Color:         color,
		Verbosity:     j.report.verbosity(),
		Roots:         j.paths,
		Host:          j.report.host(),
		User:          currentUser(),
		SARIFCategory: j.report.sarifCategory,
		SARIFRoot:     j.report.sarifRoot,
		Warnings:      termtext.Writer{W: j.io.ErrOut}, // escaped, like every line on stderr
	}
	if j.report.showSecrets {
		opt.Reveal = secret.Unlock("--show-secrets")
	}
	if j.report.output == "" {
		opt.Width = j.io.TerminalWidth()
	}
	sink, err := reporters.NewSink(j.report.format, out, opt)
	if err != nil {
		closeOut(false)
		return nil, err
	}
	p := &pipeline{next: sink, failOn: failOn, extra: j.extra, newOnly: j.state != nil && j.state.newOnly}
	if lc.cfg != nil {
		p.cfg = lc.cfg
	}
	if j.suppress.writeBaseline != "" {
		p.keepForBaseline = true
	}
	if !j.suppress.noSuppress {
		base, err := j.suppress.baselineFile()
		if err != nil {
			closeOut(false)
			return nil, err
		}
		p.suppressor = config.NewSuppressor(lc.cfg, base)
	}

	prog := newProgress(j.io.ErrOut, j.report.noProgress)
	eopt := j.engine
	eopt.State = state
	if prog != nil {
		eopt.Progress = prog.update
	}
	eng := scanner.New(lc.set, j.handlers, eopt)
	sum, err := eng.Run(ctx, j.roots, p)
	if prog != nil {
		prog.finish()
	}
	if err != nil {
		closeOut(false)
		if errors.Is(err, scanner.ErrMissingRoot) {
			return nil, err
		}
		return nil, fmt.Errorf("scan: %w", err)
	}
	sum.Looked = j.looked
	if len(p.counts) > 0 {
		sum.Stats.Suppressed = map[string]int64{}
		for k, v := range p.counts {
			sum.Stats.Suppressed[k] = int64(v)
		}
	}
	sum.Stats.SuppressedTotal = int64(p.counts.Total())
	if err := sink.End(sum); err != nil {
		closeOut(false)
		return nil, fmt.Errorf("write report: %w", err)
	}
	if err := closeOut(true); err != nil {
		return nil, err
	}
	if p.keepForBaseline {
		if err := writeBaseline(j.suppress.writeBaseline, p.baseline, j.io); err != nil {
			return nil, err
		}
	}
	if state != nil {
		if err := state.Save(j.state.path); err != nil {
			return nil, fmt.Errorf("--state: %w", err)
		}
	}
	return &scanOutcome{summary: sum, failing: p.failing}, nil
}

// verdict turns an outcome into the exit status: errFindings (1) for
// findings at or above --fail-on, errIncomplete (2) for a scan that missed
// content, unless --allow-incomplete; nil (0) otherwise.
func (j *scanJob) verdict(o *scanOutcome) error {
	if o.failing > 0 {
		return errFindings
	}
	if !o.summary.Complete() && !j.report.allowIncomplete {
		return fmt.Errorf("%w: %d of the inputs asked for could not be fully scanned (the report lists them); fix the cause, or pass --allow-incomplete to accept a partial scan", errIncomplete, o.summary.Incomplete)
	}
	return nil
}

// pipeline is the chain between the engine and the report: config
// adjustments (disabled rules, severities), the baseline being written,
// suppressions (counted by mechanism), the --fail-on count, then the
// report's sink.
type pipeline struct {
	next            reporters.Sink
	cfg             *config.Config
	suppressor      *config.Suppressor
	counts          config.Counts
	newOnly         bool
	keepForBaseline bool
	baseline        []scanner.Finding
	failOn          rules.Severity
	failing         int
	extra           func(f *scanner.Finding)
}

func (p *pipeline) Finding(f *scanner.Finding) error {
	if p.newOnly && f.Carried {
		return nil
	}
	if p.cfg != nil && !p.cfg.Adjust(f) {
		return nil
	}
	if p.keepForBaseline {
		p.baseline = append(p.baseline, *f)
	}
	if p.suppressor != nil {
		if ok, mech := p.suppressor.Decide(f); ok {
			if p.counts == nil {
				p.counts = config.Counts{}
			}
			p.counts[mech]++
			return nil
		}
	}
	if f.Severity >= p.failOn {
		p.failing++
	}
	if p.extra != nil {
		p.extra(f)
	}
	return p.next.Finding(f)
}

func (p *pipeline) Error(e *scanner.FileError) error { return p.next.Error(e) }

// writeBaseline writes the findings as a baseline file (mode 0600; see
// openOutput).
func writeBaseline(path string, findings []scanner.Finding, io *IOStreams) error {
	f, err := openOutput(path, io.Out, io.ErrOut)
	if err != nil {
		return fmt.Errorf("--write-baseline %w", err)
	}
	if err := config.WriteBaseline(f, findings); err != nil {
		f.finish(false)
		return fmt.Errorf("--write-baseline %s: %w", path, err)
	}
	if err := f.finish(true); err != nil {
		return fmt.Errorf("--write-baseline %w", err)
	}
	return nil
}

// openOutput returns where the report goes, whether to colour it, and a
// function that finishes the output (commit true: keep the file).
func (j *scanJob) openOutput() (io.Writer, bool, func(commit bool) error, error) {
	if j.report.output == "" {
		return j.io.Out, j.io.ColorEnabled(j.report.noColor), func(bool) error { return nil }, nil
	}
	out, err := openOutput(j.report.output, j.io.Out, j.io.ErrOut)
	if err != nil {
		return nil, false, nil, fmt.Errorf("--output %w", err)
	}
	color := out.stdout && j.io.ColorEnabled(j.report.noColor)
	finish := func(commit bool) error {
		if err := out.finish(commit); err != nil {
			return fmt.Errorf("--output %w", err)
		}
		return nil
	}
	return out.Writer, color, finish, nil
}

// currentUser names the account whose files are scanned, for fleet
// reports: $USER (or $USERNAME), else the OS's name for the process owner.
func currentUser() string {
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}
