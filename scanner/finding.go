package scanner

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner/secret"
)

// Finding is one secret (or other problem) found in one place.
//
// Every string a finding holds is safe to print: Secret renders redacted
// (package secret), and the scanner sanitizes Location.File, the steps,
// Context and Description before a finding leaves it (Env.Report), so that
// a secret that also sits in a file name, a JSON key or a server name is
// redacted there too. The one raw string kept is the file's real path
// (Location.RawFile), which SARIF needs for GitHub to show the file.
type Finding struct {
	RuleID      string
	Description string
	Severity    rules.Severity
	Kind        rules.Kind
	// Source is the kind of file the finding came from, as declared by its
	// handler (never nil once reported).
	Source *Source

	// Location is where the finding sits.
	Location

	// Secret is the credential, or the evidence of a finding of another
	// kind ("0.0.0.0", a package spec). It renders redacted, or sanitized
	// for evidence; see package secret.
	Secret secret.Value
	// SecretID is the same for every finding of one secret value, across
	// files and rules (secret.Value.ID): reports group places by it and
	// `mcpscan redact` writes it into its markers. "" for evidence.
	SecretID string
	// Fingerprint is stable across runs and machines for (rule, file,
	// secret).
	Fingerprint string

	// Remediation says how to fix this finding: the rule's advice plus
	// the source's (Source.Advice).
	Remediation string

	// Context is the record context (session, time, tool, server …).
	Context Context

	// Carried marks a finding carried over from an earlier scan by the
	// state file (--state) rather than found in bytes read by this scan.
	// Its Secret is Carried (display form only).
	Carried bool

	// Rule is the rule that found it; nil for findings read back from a
	// report or state file whose rule is gone.
	Rule *rules.Rule

	// staticRemediation marks a Remediation composed by Env.Report from
	// the rule's and the source's own texts (nothing from scanned content).
	staticRemediation bool

	// line is the raw text of the finding's line around the secret (at most
	// match.LineContext bytes either side), for inline allows and
	// allowlists on the line; it never leaves the process (not
	// serialized, see MatchedLine).
	line string
}

// Path returns the displayed location (Location.String):
// "pkg.tgz!package/.mcp.json" for an archive member.
func (f *Finding) Path() string { return f.Location.String() }

// MatchedLine returns the raw text of the finding's line around the
// secret, for suppressions (inline allows, allowlists on the line). It
// holds the secret: never print it. "" when unknown (carried findings).
func (f *Finding) MatchedLine() string { return f.line }

// SetMatchedLine sets the text MatchedLine returns (handlers that build
// findings without a matcher hit, and tests).
func (f *Finding) SetMatchedLine(s string) { f.line = s }

// HoldsSecret reports whether the finding's Secret is a credential (kind
// secret or hardcoded credential) rather than evidence.
func (f *Finding) HoldsSecret() bool { return f.Kind.HoldsSecret() }

// GenericRemediation is the advice for rules that carry none.
const GenericRemediation = "Rotate the credential (revoke it at the provider and issue a new one), remove it from the file, and keep the new one out of files: reference it instead (${VAR}, a secret manager, the OS keychain)."

// FileError is a problem with one input that did not stop the scan.
type FileError struct {
	// Path is the input's displayed location (sanitized).
	Path string `json:"path"`
	// Error says what went wrong, in words (sanitized: never a literal
	// from the file).
	Error string `json:"error"`
	// Line is the 1-based line the problem is on, when it has one.
	Line int `json:"line,omitempty"`
	// Reason classifies the problem (Reason* constants).
	Reason string `json:"reason"`
	// Incomplete says that content the user asked for was not scanned
	// (an unreadable file, a skipped archive member, a limit reached, a
	// package that did not resolve); a problem that still let the content
	// be scanned (a malformed record scanned as text) leaves it false.
	Incomplete bool `json:"incomplete"`
}

// Reasons of FileErrors. Those marked "incomplete" make the scan
// incomplete (FileError.Incomplete).
const (
	ReasonUnreadable = "unreadable"   // incomplete: the file or directory could not be read
	ReasonLimit      = "limit"        // incomplete: a limit (size, depth, budget) stopped reading
	ReasonSkipped    = "skipped"      // incomplete: content that was asked for was left out (an archive member)
	ReasonUnresolved = "unresolved"   // incomplete: a package or remote input could not be fetched
	ReasonLoop       = "symlink-loop" // not incomplete: the directory was already scanned through another path
	ReasonNotRegular = "not-regular"  // not incomplete: an archive member that is a link, directory or device (no content)
	ReasonMalformed  = "malformed"    // not incomplete: a record or document that did not parse; scanned as text
	ReasonParse      = "parse"        // not incomplete: a structured file that did not parse; its text was scanned
	ReasonState      = "state"        // not incomplete: an entry of the --state file was unusable; the file was rescanned
	ReasonOther      = "other"        // incomplete: anything else that stopped a file's scan
)

// IncompleteReason reports whether errors of reason leave content
// unscanned.
func IncompleteReason(reason string) bool {
	switch reason {
	case ReasonLoop, ReasonMalformed, ReasonParse, ReasonState, ReasonNotRegular:
		return false
	}
	return true
}

// Stats counts what a scan did.
type Stats struct {
	FilesScanned int64 `json:"files_scanned"`
	BytesScanned int64 `json:"bytes_scanned"`
	FilesSkipped int64 `json:"files_skipped"`
	// SkippedBy breaks FilesSkipped down by reason ("binary", "symlink",
	// "special", "excluded", "too-large" …).
	SkippedBy  map[string]int64 `json:"skipped_by,omitempty"`
	DurationMS int64            `json:"duration_ms"`
	// SplitFiles counts the files large enough to be split across idle
	// CPUs (match.ScanAt).
	SplitFiles int64 `json:"split_files,omitempty"`
	// Suppressed counts findings taken out because the user vouched for
	// them, by mechanism ("inline-allow", "ignore-file", "gitleaksignore",
	// "config-allowlist", "baseline"); SuppressedTotal is their sum.
	Suppressed      map[string]int64 `json:"suppressed,omitempty"`
	SuppressedTotal int64            `json:"suppressed_total"`
}

// Result is a finished scan, sorted for deterministic output.
type Result struct {
	Roots    []string
	Findings []Finding
	Errors   []FileError
	Stats    Stats
	Started  time.Time
	Finished time.Time
	// Looked lists the locations a scan without PATH looked for, when none
	// of them existed (so that an empty report says what was looked for).
	Looked []string
}

// Complete reports whether everything the scan was asked to read was read:
// no FileError is Incomplete.
func (r *Result) Complete() bool {
	for i := range r.Errors {
		if r.Errors[i].Incomplete {
			return false
		}
	}
	return true
}

// Sort orders findings by location (file, steps, line, column) and rule
// ID, and errors by path and line, so that reports are stable across runs.
func (r *Result) Sort() {
	sort.SliceStable(r.Findings, func(i, j int) bool { return lessFinding(&r.Findings[i], &r.Findings[j]) })
	sort.SliceStable(r.Errors, func(i, j int) bool {
		a, b := &r.Errors[i], &r.Errors[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Line < b.Line
	})
}

func lessFinding(a, b *Finding) bool {
	if pa, pb := a.Path(), b.Path(); pa != pb {
		return pa < pb
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Column != b.Column {
		return a.Column < b.Column
	}
	return a.RuleID < b.RuleID
}

// MaxSeverity returns the highest severity among the findings, and false
// when there are none.
func (r *Result) MaxSeverity() (rules.Severity, bool) {
	if len(r.Findings) == 0 {
		return rules.Info, false
	}
	top := rules.Info
	for i := range r.Findings {
		top = max(top, r.Findings[i].Severity)
	}
	return top, true
}

// YieldToProvider settles a structural credential finding planned at raw
// bytes [start, end) against the pattern findings of the same file: when a
// provider-specific rule (rules.PriorityProvider) already reports a secret
// there, it returns provider true and the structural finding should be
// dropped; otherwise it removes the generic and structural pattern findings
// overlapping the span (the structural rule, which knows the field, says
// more) and returns the rest.
func YieldToProvider(found []Finding, start, end int64) (rest []Finding, provider bool) {
	overlapping := func(f *Finding) bool {
		return f.Offset < end && f.Offset+int64(f.Secret.Bytes()) > start
	}
	for i := range found {
		if overlapping(&found[i]) && found[i].Rule != nil && found[i].Rule.Priority >= rules.PriorityProvider {
			return found, true
		}
	}
	rest = found[:0:0]
	for i := range found {
		if !overlapping(&found[i]) {
			rest = append(rest, found[i])
		}
	}
	return rest, false
}

// wireFinding is the one serialized shape of a finding: the JSON report,
// each JSON Lines finding line, baselines and the state file all use it.
// Member order and names are the JSON contract (reporters/report.schema.json).
type wireFinding struct {
	RuleID      string          `json:"rule_id"`
	Description string          `json:"description"`
	Severity    string          `json:"severity"`
	Kind        string          `json:"kind"`
	Path        string          `json:"path"`
	Line        int             `json:"line"`
	Column      int             `json:"column"`
	EndLine     int             `json:"end_line"`
	EndColumn   int             `json:"end_column"`
	Secret      secret.Value    `json:"secret"`
	SecretID    string          `json:"secret_id,omitempty"`
	Fingerprint string          `json:"fingerprint"`
	Source      string          `json:"source"`
	Context     json.RawMessage `json:"context,omitempty"`
	Remediation string          `json:"remediation"`
	Offset      int64           `json:"offset"`
	Carried     bool            `json:"carried,omitempty"`
	Steps       []Step          `json:"steps,omitempty"`
}

// contextOrder is the order of well-known context keys in JSON; other keys
// follow in the order their source set them.
var contextOrder = []string{"project", "session_id", "timestamp", "record_type", "tool", "field", "other_fields", "agent_id", "server", "client"}

// MarshalJSON writes the finding in its one serialized shape (see the
// JSON report in package reporters). Secret is redacted; everything else
// was sanitized when the finding was reported.
func (f Finding) MarshalJSON() ([]byte, error) {
	return marshalNoEscape(f.wire(secret.Key{}))
}

// MarshalJSONRevealed writes the finding like MarshalJSON, with the raw
// secret when k is valid (--show-secrets).
func (f *Finding) MarshalJSONRevealed(k secret.Key) ([]byte, error) {
	return marshalNoEscape(f.wire(k))
}

func (f *Finding) wire(k secret.Key) wireFinding {
	w := wireFinding{
		RuleID: f.RuleID, Description: f.Description, Severity: f.Severity.String(), Kind: string(f.Kind),
		Path: f.Path(), Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn,
		Secret: f.Secret, SecretID: f.SecretID, Fingerprint: f.Fingerprint, Remediation: f.Remediation,
		Offset: f.Offset, Carried: f.Carried, Steps: f.Steps,
	}
	if w.Remediation == "" { // a finding built by hand (tests) or read back
		w.Remediation = GenericRemediation
		if f.Rule != nil && f.Rule.Remediation != "" {
			w.Remediation = f.Rule.Remediation
		}
	}
	if k.Valid() && f.Secret.Known() {
		w.Secret = secret.NewEvidence(f.Secret.Reveal(k), f.Secret.Reveal(k))
	}
	if f.Source != nil {
		w.Source = f.Source.Name
	}
	w.Context = f.contextJSON()
	return w
}

// contextJSON encodes Context plus the location's field and other fields
// as the JSON report's "context" object, or nil when empty.
func (f *Finding) contextJSON() json.RawMessage {
	vals := map[string]any{}
	var order []string
	put := func(k string, v any) {
		if _, dup := vals[k]; !dup {
			order = append(order, k)
		}
		vals[k] = v
	}
	for _, a := range f.Context {
		if a.Value != "" {
			put(a.Key, a.Value)
		}
	}
	if f.Field != "" {
		put("field", f.Field)
	}
	if len(f.AlsoIn) > 0 {
		put("other_fields", f.AlsoIn)
	}
	if len(vals) == 0 {
		return nil
	}
	rank := func(k string) int {
		for i, o := range contextOrder {
			if o == k {
				return i
			}
		}
		return len(contextOrder)
	}
	sort.SliceStable(order, func(i, j int) bool { return rank(order[i]) < rank(order[j]) })
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range order {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := marshalNoEscape(vals[k])
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return json.RawMessage(b.String())
}

// marshalNoEscape encodes v as compact JSON without HTML escaping.
func marshalNoEscape(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}

// UnmarshalJSON reads a finding back from its serialized shape (a state
// file, a baseline, a report). The secret comes back as its display form
// only (secret.Carried); Source holds the name only (resolve it with a
// registry); Rule is nil.
func (f *Finding) UnmarshalJSON(b []byte) error {
	var w wireFinding
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	sev, _ := rules.ParseSeverity(w.Severity)
	loc := ParseLocation(w.Path)
	if len(w.Steps) > 0 {
		loc.Steps = w.Steps
		loc.File = strings.TrimSuffix(w.Path, locSep+loc.InnerPath())
	}
	loc.Line, loc.Column, loc.EndLine, loc.EndColumn, loc.Offset = w.Line, w.Column, w.EndLine, w.EndColumn, w.Offset
	*f = Finding{
		RuleID: w.RuleID, Description: w.Description, Severity: sev, Kind: rules.Kind(w.Kind),
		Location: loc, Secret: w.Secret, SecretID: w.SecretID, Fingerprint: w.Fingerprint,
		Remediation: w.Remediation, Carried: w.Carried,
	}
	if w.Source != "" {
		f.Source = &Source{Name: w.Source}
	}
	if len(w.Context) > 0 {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(w.Context, &raw); err != nil {
			return err
		}
		keys := make([]string, 0, len(raw))
		for k := range raw {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			switch k {
			case "field":
				_ = json.Unmarshal(raw[k], &f.Field)
			case "other_fields":
				_ = json.Unmarshal(raw[k], &f.AlsoIn)
			default:
				var s string
				if json.Unmarshal(raw[k], &s) == nil && s != "" {
					f.Context = append(f.Context, Attr{k, s})
				}
			}
		}
	}
	return nil
}
