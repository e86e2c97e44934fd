package reporters

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/mcpscan/mcpscan/scanner"
)

// JSON Lines record types, the value of each line's "type".
const (
	jsonlTypeFinding = "finding"
	jsonlTypeError   = "error"
	jsonlTypeSummary = "summary"
)

// jsonlReporter writes the JSON Lines report: --format jsonl writes one
// JSON object per line, for log pipelines (Fluent Bit, Vector, Loki,
// Splunk, jq); every line stands alone and has a "type" member first.
//
//		{"type":"finding","rule_id":"github-pat",…,"offset":48213,"host":"build-07"}
//		{"type":"error","path":"/home/u/x.jsonl","error":"…","line":7,"host":"build-07"}
//		{"type":"summary","schema_version":1,"tool":{"name":"mcpscan","version":"1.2.3"},"host":"build-07","findings":1,"errors":1,"stats":{…}}
//
//	  - "finding" lines carry exactly the members of a finding of the JSON
//	    report (same names, types, redaction and order), plus "type" and
//	    "host" (omitted when empty), so each line can be shipped on its own.
//	  - "error" lines are the JSON report's errors, plus "type" and "host".
//	  - The "summary" line comes last, exactly once: schema_version, tool and
//	    host as in the JSON report, the number of finding and error lines,
//	    and the JSON report's stats. A stream without it was cut short.
//
// Findings come first, in the Result's order, then errors, then the summary.
// Like the JSON report, fields are only ever added. reporters/report.schema.json
// describes both formats.
type jsonlReporter struct{ opt Options }

type jsonlFinding struct {
	Type string `json:"type"`
	jsonFinding
	Host string `json:"host,omitempty"`
}

type jsonlError struct {
	Type string `json:"type"`
	jsonError
	Host string `json:"host,omitempty"`
}

type jsonlSummary struct {
	Type          string    `json:"type"`
	SchemaVersion int       `json:"schema_version"`
	Tool          jsonTool  `json:"tool"`
	Host          string    `json:"host,omitempty"`
	Findings      int       `json:"findings"`
	Errors        int       `json:"errors"`
	Stats         jsonStats `json:"stats"`
}

// Report writes res as JSON Lines: findings, errors, then one summary.
func (j *jsonlReporter) Report(w io.Writer, res *scanner.Result) error {
	doc := buildJSONReport(res, j.opt)
	enc := json.NewEncoder(w) // Encode writes compact JSON and a newline
	enc.SetEscapeHTML(false)
	for _, f := range doc.Findings {
		if err := enc.Encode(jsonlFinding{Type: jsonlTypeFinding, jsonFinding: f, Host: doc.Host}); err != nil {
			return fmt.Errorf("jsonl report: %w", err)
		}
	}
	for _, e := range doc.Errors {
		if err := enc.Encode(jsonlError{Type: jsonlTypeError, jsonError: e, Host: doc.Host}); err != nil {
			return fmt.Errorf("jsonl report: %w", err)
		}
	}
	sum := jsonlSummary{
		Type:          jsonlTypeSummary,
		SchemaVersion: doc.SchemaVersion,
		Tool:          doc.Tool,
		Host:          doc.Host,
		Findings:      len(doc.Findings),
		Errors:        len(doc.Errors),
		Stats:         doc.Stats,
	}
	if err := enc.Encode(sum); err != nil {
		return fmt.Errorf("jsonl report: %w", err)
	}
	return nil
}
