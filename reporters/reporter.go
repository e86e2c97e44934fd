package reporters

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/scanner"
)

// Options configures a Reporter. The zero value gives a plain terminal
// report: no colour, no width limit, redacted secrets.
type Options struct {
	// Version is mcpscan's version string ("1.2.3"), printed in the
	// terminal header and as tool.version in JSON ("dev" when empty).
	Version string
	// ShowSecrets prints full secret values instead of their redacted form.
	// When false, no raw secret appears anywhere in a report.
	ShowSecrets bool
	// Color turns on ANSI colours and text attributes in the terminal
	// report. The caller decides: it should be false when stdout is not a
	// terminal or NO_COLOR is set. The JSON report ignores it.
	Color bool
	// Width is the terminal width in columns. When > 0 the terminal report
	// wraps prose (descriptions, remediation, errors) and truncates
	// one-line details to fit; paths and secrets are never cut. 0 or less
	// means no limit. The JSON report ignores it.
	Width int
	// Roots are the paths the user asked to scan, shown in the terminal
	// report's header; when empty, Result.Roots is shown.
	Roots []string
	// Host identifies the machine scanned: "host" in the JSON and JSON
	// Lines reports, invocation.machine in SARIF. Omitted when empty.
	Host string
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

// Reporter writes a finished scan in one output format.
type Reporter interface {
	// Report writes res to w. res should already be sorted
	// (scanner.Result.Sort): reporters do not re-order findings or errors.
	// A nil res is reported as an empty scan. The error is w's write error.
	Report(w io.Writer, res *scanner.Result) error
}

// Format names accepted by New.
const (
	FormatTerminal = "terminal" // human-readable report, see terminal.go
	FormatText     = "text"     // alias of FormatTerminal
	FormatJSON     = "json"     // machine-readable report, see json.go
	FormatJSONL    = "jsonl"    // one JSON object per line, see jsonl.go
	FormatSARIF    = "sarif"    // SARIF 2.1.0 for GitHub code scanning, see sarif.go
)

// formats lists the canonical format names, in the order shown to users.
var formats = []string{FormatTerminal, FormatJSON, FormatJSONL, FormatSARIF}

// Formats returns the canonical names of the supported report formats
// ("terminal", "json", "jsonl", "sarif"), for flag help and completion. Aliases such as
// "text" are not listed.
func Formats() []string { return append([]string(nil), formats...) }

// New returns the reporter for format, matched case-insensitively:
// "terminal" (alias "text"), "json", "jsonl" or "sarif". Any other name is an error that
// lists the valid ones.
func New(format string, opt Options) (Reporter, error) {
	opt.Roots = append([]string(nil), opt.Roots...)
	switch strings.ToLower(strings.TrimSpace(format)) {
	case FormatTerminal, FormatText:
		return &terminalReporter{opt: opt}, nil
	case FormatJSON:
		return &jsonReporter{opt: opt}, nil
	case FormatJSONL:
		return &jsonlReporter{opt: opt}, nil
	case FormatSARIF:
		return &sarifReporter{opt: opt}, nil
	}
	return nil, fmt.Errorf("unknown report format %q (want one of %s; %q is an alias of %q)",
		format, strings.Join(formats, ", "), FormatText, FormatTerminal)
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
// when show is set, otherwise the redacted form (computed here when the
// scanner left Redacted empty).
func secretText(f *scanner.Finding, show bool) string {
	if show {
		return f.Secret
	}
	if f.Redacted != "" {
		return f.Redacted
	}
	return scanner.Redact(f.Secret)
}

// minScrubRunes is the shortest secret that scrubbing looks for in other
// text: shorter values match too much innocent text (paths, field names).
const minScrubRunes = 8

// newScrubber returns a function that replaces every raw secret of res
// (of at least minScrubRunes code points) in a piece of free text with
// its redacted form, so that a secret that also sits in a path, a context
// field or an error message cannot leak through it. With show set, or no
// secrets, it returns the text unchanged.
func newScrubber(res *scanner.Result, show bool) func(string) string {
	identity := func(s string) string { return s }
	if show || res == nil {
		return identity
	}
	seen := make(map[string]string)
	for i := range res.Findings {
		f := &res.Findings[i]
		if utf8.RuneCountInString(f.Secret) < minScrubRunes {
			continue
		}
		if _, ok := seen[f.Secret]; !ok {
			seen[f.Secret] = secretText(f, false)
		}
	}
	if len(seen) == 0 {
		return identity
	}
	secrets := make([]string, 0, len(seen))
	for s := range seen {
		secrets = append(secrets, s)
	}
	// Longest first, so that a secret containing another is replaced whole.
	sort.Slice(secrets, func(i, j int) bool {
		if len(secrets[i]) != len(secrets[j]) {
			return len(secrets[i]) > len(secrets[j])
		}
		return secrets[i] < secrets[j]
	})
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, seen[s])
	}
	r := strings.NewReplacer(pairs...)
	return r.Replace
}
