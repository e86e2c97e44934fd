package reporters

import (
	"fmt"
	"io"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
)

// Options configures a Reporter. The zero value gives a plain terminal
// report: no colour, no width limit, redacted secrets.
type Options struct {
	// Version is mcpscan's version string ("1.2.3"), printed in the
	// terminal header and as tool.version in JSON ("dev" when empty).
	Version string
	// Reveal, when valid (secret.Unlock, for --show-secrets), prints full
	// secret values instead of their redacted form. Without it no raw
	// secret appears anywhere in a report: findings render redacted by
	// construction (package secret) and every other string from scanned
	// content was sanitized by the scanner.
	Reveal secret.Key
	// Color turns on ANSI colours and text attributes in the terminal
	// report. The caller decides: it should be false when stdout is not a
	// terminal or NO_COLOR is set. The JSON report ignores it.
	Color bool
	// Width is the terminal width in columns. When > 0 the terminal report
	// wraps prose (descriptions, remediation, errors) and truncates
	// one-line details to fit. 0 or less means no limit. Other formats
	// ignore it.
	Width int
	// Verbosity says how much the terminal report prints: VerbosityQuiet
	// only the summary and the verdict (-q); VerbosityNormal every secret
	// once with its first few places, the first errors; VerbosityVerbose
	// every place and every error (-v). Other formats ignore it: they are
	// always complete.
	Verbosity int
	// Roots are the paths the user asked to scan, shown in the terminal
	// report's header; when empty, Result.Roots is shown.
	Roots []string
	// Host identifies the machine scanned: "host" in the JSON and JSON
	// Lines reports, invocation.machine in SARIF. Omitted when empty.
	Host string
	// User is the account whose files were scanned: "user" in JSON and
	// JSON Lines, invocation.account in SARIF. Omitted when empty.
	User string
	// SARIFCategory becomes the SARIF run's automationDetails.id (with a
	// trailing "/" added, as GitHub's upload-sarif does), which GitHub code
	// scanning uses to tell analyses of one commit apart. Empty: none.
	SARIFCategory string
	// SARIFRoot is the directory SARIF artifact URIs are made relative to:
	// the repository root, since GitHub ignores uriBaseId. Empty: the
	// current directory.
	SARIFRoot string
	// Warnings receives notes for the person running mcpscan that are not
	// part of the report (a SARIF report truncated to GitHub's limits,
	// files outside SARIFRoot). Nil discards them.
	Warnings io.Writer
}

// Verbosity levels of the terminal report (Options.Verbosity).
const (
	VerbosityQuiet   = -1 // -q: the summary and the verdict only
	VerbosityNormal  = 0  // every secret once, with its first few places
	VerbosityVerbose = 1  // -v: every place of every secret, every error
)

// Reporter writes a finished scan in one output format.
type Reporter interface {
	// Report writes res to w. res should already be sorted
	// (scanner.Result.Sort): reporters do not re-order findings or errors.
	// A nil res is reported as an empty scan. The error is w's write error.
	Report(w io.Writer, res *scanner.Result) error
}

// Sink is a report written while the scan runs (ripgrep's Sink): it
// receives findings and errors as inputs finish, then End once. Formats
// that need the whole scan (terminal grouping, JSON, SARIF) keep what they
// receive and write it at End; JSON Lines writes each line at once.
type Sink interface {
	scanner.Sink
	// End finishes the report with the scan's summary (statistics,
	// suppression counts, times) and writes what is left.
	End(sum *scanner.Summary) error
}

// Format names accepted by New.
const (
	FormatTerminal = "terminal" // human-readable report, see terminal.go
	FormatText     = "text"     // alias of FormatTerminal
	FormatJSON     = "json"     // machine-readable report, see json.go
	FormatJSONL    = "jsonl"    // one JSON object per line, see jsonl.go
	FormatSARIF    = "sarif"    // SARIF 2.1.0 for GitHub code scanning, see sarif.go
	FormatHTML     = "html"     // one self-contained page for a browser, see html.go
)

// formats lists the canonical format names, in the order shown to users,
// with the constructor of each. Adding a format is one file and one line
// here.
var formats = []struct {
	name string
	new  func(opt Options) Reporter
}{
	{FormatTerminal, func(opt Options) Reporter { return &terminalReporter{opt: opt} }},
	{FormatJSON, func(opt Options) Reporter { return &jsonReporter{opt: opt} }},
	{FormatJSONL, func(opt Options) Reporter { return &jsonlReporter{opt: opt} }},
	{FormatSARIF, func(opt Options) Reporter { return &sarifReporter{opt: opt} }},
	{FormatHTML, func(opt Options) Reporter { return &htmlReporter{opt: opt} }},
}

// aliases maps other accepted names to canonical ones.
var aliases = map[string]string{FormatText: FormatTerminal}

// Formats returns the canonical names of the supported report formats
// ("terminal", "json", "jsonl", "sarif", "html"), for flag help and completion.
// Aliases such as "text" are not listed.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return names
}

// New returns the reporter for format, matched case-insensitively:
// "terminal" (alias "text"), "json", "jsonl", "sarif" or "html". Any other name is
// an error that lists the valid ones.
func New(format string, opt Options) (Reporter, error) {
	opt.Roots = append([]string(nil), opt.Roots...)
	name := strings.ToLower(strings.TrimSpace(format))
	if a, ok := aliases[name]; ok {
		name = a
	}
	for _, f := range formats {
		if f.name == name {
			return &scrubbing{rep: f.new(opt), opt: opt}, nil
		}
	}
	return nil, fmt.Errorf("unknown report format %q (want one of %s; %q is an alias of %q)",
		format, strings.Join(Formats(), ", "), FormatText, FormatTerminal)
}

// NewSink returns a Sink writing format to w: the format's own streaming
// sink when it has one (JSON Lines), else one that collects the scan and
// calls the Reporter at End.
func NewSink(format string, w io.Writer, opt Options) (Sink, error) {
	rep, err := New(format, opt)
	if err != nil {
		return nil, err
	}
	if st, ok := rep.(*scrubbing).rep.(interface{ Stream(io.Writer) Sink }); ok {
		return st.Stream(w), nil
	}
	return &bufferSink{rep: rep, w: w}, nil
}

// bufferSink collects a scan for a Reporter that needs all of it.
type bufferSink struct {
	scanner.Collector
	rep Reporter
	w   io.Writer
}

func (b *bufferSink) End(sum *scanner.Summary) error {
	return b.rep.Report(b.w, b.Collector.Result(sum))
}

// scrubbing renders a report into memory and replaces any raw secret of
// the scan's findings that reached it through some other string by the
// secret's redacted form (secret.Scrubber), unless Options.Reveal asks for
// secrets. The scanner's sanitizer already redacts every such string: this
// is the last line of defence.
type scrubbing struct {
	rep Reporter
	opt Options
}

// minScrubRunes is the shortest secret looked for in the whole report.
const minScrubRunes = 8

func (s *scrubbing) Report(w io.Writer, res *scanner.Result) error {
	if s.opt.Reveal.Valid() || res == nil {
		return s.rep.Report(w, res)
	}
	var buf strings.Builder
	if err := s.rep.Report(&buf, res); err != nil {
		return err
	}
	vals := make([]secret.Value, 0, len(res.Findings))
	for i := range res.Findings {
		if res.Findings[i].Kind.HoldsSecret() {
			vals = append(vals, res.Findings[i].Secret)
		}
	}
	_, err := io.WriteString(w, secret.NewScrubber(vals, minScrubRunes).String(buf.String()))
	return err
}

// genericRemediation is shown for findings whose rule has no Remediation
// (or no rule at all).
const genericRemediation = scanner.GenericRemediation

// remediation returns how to fix f: the finding's own Remediation (rule
// advice plus advice for its source) when the scanner set it, else its
// rule's, else the generic text.
func remediation(f *scanner.Finding) string {
	if strings.TrimSpace(f.Remediation) != "" {
		return f.Remediation
	}
	return ruleRemediation(f)
}

// ruleRemediation returns the advice of f's rule alone, or the generic
// text.
func ruleRemediation(f *scanner.Finding) string {
	if f.Rule != nil && strings.TrimSpace(f.Rule.Remediation) != "" {
		return f.Rule.Remediation
	}
	return genericRemediation
}

// why returns why f matters (its rule's Why), or "".
func why(f *scanner.Finding) string {
	if f.Rule != nil {
		return strings.TrimSpace(f.Rule.Why)
	}
	return ""
}

// secretText returns what a report prints as f's secret: the full value
// with a valid reveal key, otherwise the redacted (or, for evidence,
// sanitized) form.
func secretText(f *scanner.Finding, k secret.Key) string {
	return f.Secret.Reveal(k)
}
