// Package reporters prints a scan for people and for programs, in the
// style of ripgrep's printers: one Reporter per format, chosen by New
// ("terminal" or its alias "text", "json", "jsonl", "sarif" and "html"), and a
// Sink (NewSink) that receives the scan as it runs.
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
//	  "user": "alice",                             // the account whose files were scanned; omitted when unknown
//	  "started_at": "2026-12-06T22:16:38Z",        // RFC 3339, UTC
//	  "finished_at": "2026-12-06T22:16:39Z",
//	  "complete": true,                            // false: something asked for was not scanned (see errors[].incomplete)
//	  "findings": [
//	    {
//	      "rule_id": "github-pat",                   // stable kebab-case rule ID
//	      "description": "GitHub Personal Access Token",
//	      "severity": "critical",                    // critical|high|medium|low|info
//	      "kind": "secret",                          // secret|hardcoded-credential|network-exposure|agent-artifact|…
//	      "path": "/home/u/.claude/projects/…/4d5611e5-….jsonl",  // archive members: "pkg.tgz!package/.mcp.json"
//	      "line": 12, "column": 340,                 // 1-based; columns count Unicode code points
//	      "end_line": 12, "end_column": 380,         // 1-based; end_column is exclusive
//	      "secret": "ghp_…a1B2 (40 chars)",          // redacted unless --show-secrets
//	      "secret_id": "3f9a0c12be77",               // the same for every place of one secret value; omitted for evidence
//	      "fingerprint": "9f2c…",                    // 32 hex digits, stable across runs and machines
//	      "source": "claude-transcript",             // the kind of file (see the schema for every source)
//	      "context": {                               // omitted when empty; keys per source, see the schema
//	        "project": "/home/u/dev/acme", "session_id": "4d5611e5-…",
//	        "timestamp": "2026-02-12T16:05:33Z",     // RFC 3339, as recorded
//	        "record_type": "user", "tool": "Bash", "field": "toolUseResult.stdout",
//	        "other_fields": ["message.content[0].content"], "agent_id": "a1b2…"
//	      },
//	      "remediation": "Rotate the credential …",  // how to fix; never empty
//	      "offset": 48213,                           // byte offset of the secret's first byte in the file (or member)
//	      "steps": [{"kind": "member", "name": "package/.mcp.json"}]  // inside an archive or database; omitted otherwise
//	    }
//	  ],
//	  "errors": [{"path": "/home/u/x.jsonl", "error": "…", "line": 7, "reason": "malformed", "incomplete": false}],
//	  "stats": {
//	    "files_scanned": 128, "bytes_scanned": 4404019, "files_skipped": 3,
//	    "skipped_by": {"binary": 2, "unchanged": 1},  // omitted when empty
//	    "duration_ms": 1234, "suppressed_total": 0
//	  }
//	}
//
// "findings" and "errors" are always arrays, empty rather than null. Their
// order is the order of the Result, which the caller sorts
// (scanner.Result.Sort: path, line, column, rule ID), so the same scan gives
// the same bytes. Without Options.Reveal no raw secret appears anywhere in
// the document (see package secret and the scanner's sanitizer).
package reporters

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/mcpscan/mcpscan/scanner"
)

// JSONSchemaVersion is the value of "schema_version" in the JSON report. It
// changes only when the report changes incompatibly.
const JSONSchemaVersion = 1

// toolName is the value of tool.name in the JSON report.
const toolName = "mcpscan"

// jsonReporter writes the JSON report described in the package doc.
type jsonReporter struct{ opt Options }

// jsonHeader is what the JSON report and every JSON Lines line share about
// the run: who and where.
type jsonHeader struct {
	Host       string `json:"host,omitempty"`
	User       string `json:"user,omitempty"`
	StartedAt  string `json:"started_at,omitempty"`
	FinishedAt string `json:"finished_at,omitempty"`
}

type jsonReport struct {
	SchemaVersion int      `json:"schema_version"`
	Tool          jsonTool `json:"tool"`
	jsonHeader
	Complete bool                `json:"complete"`
	Findings []json.RawMessage   `json:"findings"`
	Errors   []scanner.FileError `json:"errors"`
	Stats    scanner.Stats       `json:"stats"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Report writes res as the JSON document described in the package doc.
func (j *jsonReporter) Report(w io.Writer, res *scanner.Result) error {
	if res == nil {
		res = &scanner.Result{}
	}
	doc := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          toolInfo(j.opt),
		jsonHeader:    header(j.opt, res.Started, res.Finished),
		Complete:      res.Complete(),
		Findings:      make([]json.RawMessage, 0, len(res.Findings)),
		Errors:        res.Errors,
		Stats:         res.Stats,
	}
	if doc.Errors == nil {
		doc.Errors = []scanner.FileError{}
	}
	for i := range res.Findings {
		b, err := res.Findings[i].MarshalJSONRevealed(j.opt.Reveal)
		if err != nil {
			return fmt.Errorf("json report: %w", err)
		}
		doc.Findings = append(doc.Findings, b)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // keep "<", ">" and "&" in paths readable
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	return nil
}

func toolInfo(opt Options) jsonTool {
	v := opt.Version
	if v == "" {
		v = "dev"
	}
	return jsonTool{Name: toolName, Version: v}
}

// header builds the run's who and where; host and user come from the
// command line and the environment, not from scanned content, but are
// sanitized like everything else.
func header(opt Options, started, finished time.Time) jsonHeader {
	h := jsonHeader{Host: scanner.SanitizeText(opt.Host), User: scanner.SanitizeText(opt.User)}
	if !started.IsZero() {
		h.StartedAt = started.UTC().Format(time.RFC3339)
	}
	if !finished.IsZero() {
		h.FinishedAt = finished.UTC().Format(time.RFC3339)
	}
	return h
}
