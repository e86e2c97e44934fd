package reporters

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

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
// Splunk, a SIEM); every line stands alone and has a "type" member first.
//
//		{"type":"finding","rule_id":"github-pat",…,"offset":48213,"host":"build-07","user":"alice","started_at":"2026-12-06T22:16:38Z"}
//		{"type":"error","path":"/home/u/x.jsonl","error":"…","line":7,"reason":"malformed","incomplete":false,"host":"build-07",…}
//		{"type":"summary","schema_version":1,"tool":{…},"host":"build-07","user":"alice","started_at":"…","finished_at":"…","complete":true,"findings":1,"errors":1,"stats":{…}}
//
//	  - "finding" lines carry exactly the members of a finding of the JSON
//	    report (same names, types, redaction and order), plus "type",
//	    "host", "user" and "started_at" (each omitted when empty), so each
//	    line can be shipped on its own.
//	  - "error" lines are the JSON report's errors with the same additions.
//	  - The "summary" line comes last, exactly once: schema_version, tool,
//	    host, user, started_at and finished_at, complete, the number of
//	    finding and error lines, and the JSON report's stats. A stream
//	    without it was cut short.
//
// Lines are written as the scan runs (Stream): findings and errors in the
// order inputs finish, which is not sorted. Report, for a finished scan,
// writes findings in the Result's order, then errors, then the summary.
// Like the JSON report, fields are only ever added.
// reporters/report.schema.json describes both formats.
type jsonlReporter struct{ opt Options }

type jsonlSummary struct {
	Type          string   `json:"type"`
	SchemaVersion int      `json:"schema_version"`
	Tool          jsonTool `json:"tool"`
	jsonHeader
	Complete bool          `json:"complete"`
	Findings int           `json:"findings"`
	Errors   int           `json:"errors"`
	Stats    scanner.Stats `json:"stats"`
}

// Report writes res as JSON Lines: findings, errors, then one summary.
func (j *jsonlReporter) Report(w io.Writer, res *scanner.Result) error {
	if res == nil {
		res = &scanner.Result{}
	}
	s := &jsonlSink{opt: j.opt, w: w, started: res.Started}
	for i := range res.Findings {
		if err := s.Finding(&res.Findings[i]); err != nil {
			return err
		}
	}
	for i := range res.Errors {
		if err := s.Error(&res.Errors[i]); err != nil {
			return err
		}
	}
	return s.end(res.Finished, res.Complete(), res.Stats)
}

// Stream returns a Sink that writes each line as the scan runs.
func (j *jsonlReporter) Stream(w io.Writer) Sink {
	return &jsonlSink{opt: j.opt, w: w, started: time.Now()}
}

// jsonlSink writes JSON Lines as findings and errors arrive.
type jsonlSink struct {
	opt              Options
	w                io.Writer
	started          time.Time
	findings, errors int
	incomplete       bool
	tail             []byte // the members every line ends with: host, user, started_at
}

func (s *jsonlSink) suffix() []byte {
	if s.tail == nil {
		h := header(s.opt, s.started, time.Time{})
		b, _ := json.Marshal(h)
		s.tail = bytes.TrimSuffix(bytes.TrimPrefix(b, []byte("{")), []byte("}"))
	}
	return s.tail
}

// line writes {"type":typ, <members of obj>, <suffix>}.
func (s *jsonlSink) line(typ string, obj []byte) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"type":%q`, typ)
	if inner := bytes.TrimSpace(obj[1 : len(obj)-1]); len(inner) > 0 {
		b.WriteByte(',')
		b.Write(inner)
	}
	if t := s.suffix(); len(t) > 0 {
		b.WriteByte(',')
		b.Write(t)
	}
	b.WriteString("}\n")
	if _, err := s.w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("jsonl report: %w", err)
	}
	return nil
}

func (s *jsonlSink) Finding(f *scanner.Finding) error {
	obj, err := f.MarshalJSONRevealed(s.opt.Reveal)
	if err != nil {
		return fmt.Errorf("jsonl report: %w", err)
	}
	s.findings++
	return s.line(jsonlTypeFinding, obj)
}

func (s *jsonlSink) Error(e *scanner.FileError) error {
	obj, err := marshalCompact(e)
	if err != nil {
		return fmt.Errorf("jsonl report: %w", err)
	}
	s.errors++
	s.incomplete = s.incomplete || e.Incomplete
	return s.line(jsonlTypeError, obj)
}

func (s *jsonlSink) End(sum *scanner.Summary) error {
	if sum == nil {
		sum = &scanner.Summary{}
	}
	return s.end(sum.Finished, !s.incomplete, sum.Stats)
}

func (s *jsonlSink) end(finished time.Time, complete bool, stats scanner.Stats) error {
	sum := jsonlSummary{
		Type: jsonlTypeSummary, SchemaVersion: JSONSchemaVersion, Tool: toolInfo(s.opt),
		jsonHeader: header(s.opt, s.started, finished),
		Complete:   complete, Findings: s.findings, Errors: s.errors, Stats: stats,
	}
	b, err := marshalCompact(sum)
	if err != nil {
		return fmt.Errorf("jsonl report: %w", err)
	}
	if _, err := s.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("jsonl report: %w", err)
	}
	return nil
}

// marshalCompact encodes v as one line of JSON without HTML escaping.
func marshalCompact(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
