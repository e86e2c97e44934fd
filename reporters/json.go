// Package reporters prints a finished scan (scanner.Result) for people and
// for programs, in the style of ripgrep's printers: one Reporter per
// format, chosen by New ("terminal" or its alias "text", "json", "jsonl"
// and "sarif").
//
// # JSON report
//
// The JSON report is a contract that fleet scripts rely on. Fields are only
// ever added, never renamed or removed, and their meaning does not change;
// an incompatible change bumps schema_version. The document is one object,
// indented with two spaces and followed by a newline:
//
//	{
//	  "schema_version": 1,
//	  "tool": {"name": "mcpscan", "version": "1.2.3"},
//	  "host": "build-07",                          // --host-id (default: the host name); omitted when empty
//	  "findings": [
//	    {
//	      "rule_id": "github-pat",                   // stable kebab-case rule ID
//	      "description": "GitHub Personal Access Token",
//	      "severity": "critical",                    // critical|high|medium|low|info
//	      "kind": "secret",                          // secret|hardcoded-credential|network-exposure|agent-artifact
//	      "path": "/home/u/.claude/projects/…/4d5611e5-….jsonl",
//	      "line": 12, "column": 340,                 // 1-based; columns count Unicode code points
//	      "end_line": 12, "end_column": 380,         // 1-based; end_column is exclusive
//	      "secret": "ghp_…a1B2 (40 chars)",          // redacted unless --show-secrets
//	      "fingerprint": "9f2c…",                    // 32 hex digits, stable across runs and machines
//	      "source": "claude-transcript",             // claude-transcript|agent-history|mcp-config|agent-settings|memory|file-history|jsonl|file
//	      "context": {                               // omitted when empty; each member omitted when empty
//	        "project": "/home/u/dev/acme", "session_id": "4d5611e5-…",
//	        "timestamp": "2026-02-12T16:05:33Z",     // RFC 3339, as recorded
//	        "record_type": "user", "tool": "Bash", "field": "toolUseResult.stdout",
//	        "other_fields": ["message.content[0].content"], "agent_id": "a1b2…"
//	      },
//	      "remediation": "Rotate the credential …",  // how to fix; never empty
//	      "offset": 48213                            // byte offset of the secret's first byte in the file
//	    }
//	  ],
//	  "errors": [{"path": "/home/u/x.jsonl", "error": "…", "line": 7}],  // line omitted when unknown
//	  "stats": {
//	    "files_scanned": 128, "bytes_scanned": 4404019, "files_skipped": 3,
//	    "skipped_by": {"binary": 2, "too-large": 1},  // omitted when empty
//	    "duration_ms": 1234
//	  }
//	}
//
// "findings" and "errors" are always arrays, empty rather than null. Their
// order is the order of the Result, which the caller sorts
// (scanner.Result.Sort: path, line, column, rule ID), so the same scan gives
// the same bytes. Without ShowSecrets, no raw secret appears anywhere in the
// document: "secret" holds the redacted form, and a secret of 8 or more
// characters that also occurs in another string (a path, a context field,
// an error message) is replaced there by its redacted form too.
package reporters

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/mcpscan/mcpscan/scanner"
)

// JSONSchemaVersion is the value of "schema_version" in the JSON report. It
// changes only when the report changes incompatibly.
const JSONSchemaVersion = 1

// toolName is the value of tool.name in the JSON report.
const toolName = "mcpscan"

// jsonReporter writes the JSON report described in the package doc.
type jsonReporter struct{ opt Options }

type jsonReport struct {
	SchemaVersion int           `json:"schema_version"`
	Tool          jsonTool      `json:"tool"`
	Host          string        `json:"host,omitempty"`
	Findings      []jsonFinding `json:"findings"`
	Errors        []jsonError   `json:"errors"`
	Stats         jsonStats     `json:"stats"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonFinding struct {
	RuleID      string       `json:"rule_id"`
	Description string       `json:"description"`
	Severity    string       `json:"severity"`
	Kind        string       `json:"kind"`
	Path        string       `json:"path"`
	Line        int          `json:"line"`
	Column      int          `json:"column"`
	EndLine     int          `json:"end_line"`
	EndColumn   int          `json:"end_column"`
	Secret      string       `json:"secret"`
	Fingerprint string       `json:"fingerprint"`
	Source      string       `json:"source"`
	Context     *jsonContext `json:"context,omitempty"`
	Remediation string       `json:"remediation"`
	Offset      int64        `json:"offset"`
	Carried     bool         `json:"carried,omitempty"` // from an earlier scan (--state), not read this time
}

type jsonContext struct {
	Project     string   `json:"project,omitempty"`
	SessionID   string   `json:"session_id,omitempty"`
	Timestamp   string   `json:"timestamp,omitempty"`
	RecordType  string   `json:"record_type,omitempty"`
	Tool        string   `json:"tool,omitempty"`
	Field       string   `json:"field,omitempty"`
	OtherFields []string `json:"other_fields,omitempty"`
	AgentID     string   `json:"agent_id,omitempty"`
	Server      string   `json:"server,omitempty"`
	Client      string   `json:"client,omitempty"`
}

type jsonError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
	Line  int    `json:"line,omitempty"`
}

type jsonStats struct {
	FilesScanned int64            `json:"files_scanned"`
	BytesScanned int64            `json:"bytes_scanned"`
	FilesSkipped int64            `json:"files_skipped"`
	SkippedBy    map[string]int64 `json:"skipped_by,omitempty"`
	DurationMS   int64            `json:"duration_ms"`
	// Suppressed counts suppressed findings by mechanism; omitted when none.
	Suppressed      map[string]int64 `json:"suppressed,omitempty"`
	SuppressedTotal int64            `json:"suppressed_total"`
}

// Report writes res as the JSON document described in the package doc.
func (j *jsonReporter) Report(w io.Writer, res *scanner.Result) error {
	doc := buildJSONReport(res, j.opt)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // keep "<", ">" and "&" in paths and secrets readable
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	return nil
}

// buildJSONReport converts res into the JSON report's document (also the
// source of the JSON Lines report's objects), scrubbed of raw secrets
// unless opt.ShowSecrets.
func buildJSONReport(res *scanner.Result, opt Options) jsonReport {
	if res == nil {
		res = &scanner.Result{}
	}
	scrub := newScrubber(res, opt.ShowSecrets)
	version := opt.Version
	if version == "" {
		version = "dev"
	}
	doc := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          jsonTool{Name: toolName, Version: version},
		Host:          scrub(opt.Host),
		Findings:      make([]jsonFinding, 0, len(res.Findings)),
		Errors:        make([]jsonError, 0, len(res.Errors)),
		Stats: jsonStats{
			FilesScanned: res.Stats.FilesScanned,
			BytesScanned: res.Stats.BytesScanned,
			FilesSkipped: res.Stats.FilesSkipped,
			DurationMS:   res.Stats.DurationMS,
		},
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		jf := jsonFinding{
			RuleID:      scrub(f.RuleID),
			Description: scrub(f.Description),
			Severity:    f.Severity.String(),
			Kind:        scrub(string(f.Kind)),
			Path:        scrub(f.Path),
			Line:        f.Line,
			Column:      f.Column,
			EndLine:     f.EndLine,
			EndColumn:   f.EndColumn,
			Secret:      secretText(f, opt.ShowSecrets),
			Fingerprint: f.Fingerprint,
			Source:      scrub(string(f.Source)),
			Remediation: scrub(remediation(f)),
			Offset:      f.Offset,
			Carried:     f.Carried,
		}
		if c := f.Context; !c.IsZero() {
			jc := &jsonContext{
				Project:    scrub(c.Project),
				SessionID:  scrub(c.SessionID),
				Timestamp:  scrub(c.Timestamp),
				RecordType: scrub(c.RecordType),
				Tool:       scrub(c.Tool),
				Field:      scrub(c.Field),
				AgentID:    scrub(c.AgentID),
				Server:     scrub(c.Server),
				Client:     scrub(c.Client),
			}
			for _, o := range c.OtherFields {
				jc.OtherFields = append(jc.OtherFields, scrub(o))
			}
			jf.Context = jc
		}
		doc.Findings = append(doc.Findings, jf)
	}
	for _, e := range res.Errors {
		doc.Errors = append(doc.Errors, jsonError{Path: scrub(e.Path), Error: scrub(e.Error), Line: e.Line})
	}
	doc.Stats.SuppressedTotal = res.Stats.SuppressedTotal
	if len(res.Stats.Suppressed) > 0 {
		doc.Stats.Suppressed = make(map[string]int64, len(res.Stats.Suppressed))
		for k, v := range res.Stats.Suppressed {
			doc.Stats.Suppressed[k] = v
		}
	}
	if len(res.Stats.SkippedBy) > 0 {
		doc.Stats.SkippedBy = make(map[string]int64, len(res.Stats.SkippedBy))
		for k, v := range res.Stats.SkippedBy {
			doc.Stats.SkippedBy[k] = v // encoding/json sorts map keys
		}
	}
	return doc
}
