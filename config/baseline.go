package config

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
)

// BaselineSchemaVersion is the JSON report schema_version a baseline must
// have (and WriteBaseline writes).
const BaselineSchemaVersion = 1

// Baseline is the set of findings of an earlier scan, by fingerprint: the
// findings --baseline suppresses (mechanism MechBaseline). It is read-only
// and safe for concurrent use.
type Baseline struct {
	// Path is the file it was read from ("" when parsed from a reader
	// without a name).
	Path string
	fps  map[string]struct{}
}

// Len returns the number of distinct fingerprints in the baseline.
func (b *Baseline) Len() int {
	if b == nil {
		return 0
	}
	return len(b.fps)
}

// Contains reports whether the baseline holds fingerprint fp (compared
// case-insensitively).
func (b *Baseline) Contains(fp string) bool {
	if b == nil {
		return false
	}
	_, ok := b.fps[strings.ToLower(fp)]
	return ok
}

// ReadBaseline reads a baseline from a file: an mcpscan JSON report
// (--format json, or one written by WriteBaseline) or JSON Lines report
// (--format jsonl) of schema_version 1. Only findings[].fingerprint is
// used. A file that is not such a report, or a finding without a valid
// fingerprint, is an *Error.
func ReadBaseline(path string) (*Baseline, error) {
	data, err := readFile(path, maxBaselineFile)
	if err != nil {
		return nil, err
	}
	return ParseBaseline(bytes.NewReader(data), path)
}

// ParseBaseline reads a baseline (see ReadBaseline) from r; name is the
// file name for errors and Baseline.Path.
func ParseBaseline(r io.Reader, name string) (*Baseline, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fileError(name, err)
	}
	b := &Baseline{Path: name, fps: map[string]struct{}{}}
	if isJSONLReport(data) {
		if err := b.parseJSONL(data, name); err != nil {
			return nil, err
		}
		return b, nil
	}
	var doc struct {
		SchemaVersion *int `json:"schema_version"`
		Findings      *[]struct {
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		e := &Error{File: name, Err: fmt.Errorf("not an mcpscan JSON report: %s", scrubParserMessage(err.Error()))}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			e.Line, e.Column = lineCol(data, se.Offset)
		}
		return nil, e
	}
	if err := checkSchema(doc.SchemaVersion, name); err != nil {
		return nil, err
	}
	if doc.Findings == nil {
		return nil, &Error{File: name, Key: "findings", Err: errors.New("missing: not an mcpscan JSON report")}
	}
	for i, f := range *doc.Findings {
		if err := b.add(f.Fingerprint); err != nil {
			return nil, &Error{File: name, Key: fmt.Sprintf("findings[%d].fingerprint", i), Err: err}
		}
	}
	return b, nil
}

// lineCol returns the 1-based line and column of byte offset off.
func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	nl := bytes.LastIndexByte(before, '\n')
	return bytes.Count(before, []byte{'\n'}) + 1, len(before) - nl
}

func checkSchema(v *int, name string) error {
	switch {
	case v == nil:
		return &Error{File: name, Key: "schema_version", Err: errors.New("missing: not an mcpscan JSON report")}
	case *v != BaselineSchemaVersion:
		return &Error{File: name, Key: "schema_version", Err: fmt.Errorf("%d is not supported (want %d)", *v, BaselineSchemaVersion)}
	}
	return nil
}

func (b *Baseline) add(fp string) error {
	if !isFingerprint(fp) {
		return errors.New("not a fingerprint (32 hex digits)")
	}
	b.fps[strings.ToLower(fp)] = struct{}{}
	return nil
}

// isJSONLReport tells a JSON Lines report (first line an object with a
// "type") from a JSON report.
func isJSONLReport(data []byte) bool {
	first, _, _ := bytes.Cut(bytes.TrimSpace(data), []byte("\n"))
	var probe struct {
		Type *string `json:"type"`
	}
	return json.Unmarshal(first, &probe) == nil && probe.Type != nil
}

func (b *Baseline) parseJSONL(data []byte, name string) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 64<<20)
	summary := false
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var rec struct {
			Type          string `json:"type"`
			Fingerprint   string `json:"fingerprint"`
			SchemaVersion *int   `json:"schema_version"`
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			return &Error{File: name, Line: n, Err: fmt.Errorf("not an mcpscan JSON Lines report: %s", scrubParserMessage(err.Error()))}
		}
		switch rec.Type {
		case "finding":
			if err := b.add(rec.Fingerprint); err != nil {
				return &Error{File: name, Line: n, Key: "fingerprint", Err: err}
			}
		case "summary":
			if err := checkSchema(rec.SchemaVersion, name); err != nil {
				return err
			}
			summary = true
		}
	}
	if err := sc.Err(); err != nil {
		return fileError(name, err)
	}
	if !summary {
		return &Error{File: name, Err: errors.New("no summary line: the JSON Lines report was cut short")}
	}
	return nil
}

// baselineDoc is what WriteBaseline writes: the JSON report's document
// with the members a baseline needs; findings have the one serialized
// shape of a finding (scanner.Finding's JSON), redacted by construction.
type baselineDoc struct {
	SchemaVersion int               `json:"schema_version"`
	Tool          baselineTool      `json:"tool"`
	Baseline      bool              `json:"baseline"`
	Findings      []scanner.Finding `json:"findings"`
	Errors        []struct{}        `json:"errors"`
}

type baselineTool struct {
	Name string `json:"name"`
}

// WriteBaseline writes findings as a baseline: a JSON report
// (schema_version 1, "baseline": true) whose findings are serialized as in
// every report (redacted secrets, sanitized paths and context);
// ReadBaseline reads it back by fingerprint. Write it from the findings
// after Config.Adjust and before suppression by the old baseline, so that
// a new baseline keeps the old one's findings.
func WriteBaseline(w io.Writer, findings []scanner.Finding) error {
	doc := baselineDoc{SchemaVersion: BaselineSchemaVersion, Tool: baselineTool{Name: "mcpscan"}, Baseline: true,
		Findings: findings, Errors: []struct{}{}}
	if doc.Findings == nil {
		doc.Findings = []scanner.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}
