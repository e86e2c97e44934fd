package reporters

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
)

const reportSchemaFile = "report.schema.json"

func TestJSONLGolden(t *testing.T) {
	got := render(t, "jsonl", Options{Version: "1.2.3", Host: "build-07"}, testResult())
	golden(t, "report.golden.jsonl", got)
}

// TestJSONLMatchesJSON: every finding line is the JSON report's finding
// plus "type" and "host"; errors likewise; one summary, last.
func TestJSONLMatchesJSON(t *testing.T) {
	for _, opt := range []Options{{Version: "1.2.3", Host: "build-07"}, {}, {Reveal: secret.Unlock("test")}} {
		res := testResult()
		var doc map[string]any
		if err := json.Unmarshal([]byte(render(t, "json", opt, res)), &doc); err != nil {
			t.Fatal(err)
		}
		out := render(t, "jsonl", opt, res)
		if !strings.HasSuffix(out, "\n") {
			t.Fatalf("output does not end with a newline")
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		findings, errs := doc["findings"].([]any), doc["errors"].([]any)
		if len(lines) != len(findings)+len(errs)+1 {
			t.Fatalf("%d lines for %d findings and %d errors", len(lines), len(findings), len(errs))
		}
		for i, l := range lines {
			if !strings.HasPrefix(l, `{"type":"`) {
				t.Errorf("line %d does not start with its type: %s", i+1, l)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("line %d: %v", i+1, err)
			}
			if opt.Host != "" && m["host"] != opt.Host {
				t.Errorf("line %d: host %v", i+1, m["host"])
			}
			var want map[string]any
			switch {
			case i < len(findings):
				want = findings[i].(map[string]any)
			case i < len(findings)+len(errs):
				want = errs[i-len(findings)].(map[string]any)
			default:
				want = map[string]any{"schema_version": doc["schema_version"], "tool": doc["tool"], "complete": doc["complete"],
					"findings": float64(len(findings)), "errors": float64(len(errs)), "stats": doc["stats"]}
				for _, k := range []string{"user", "started_at", "finished_at"} {
					if v, ok := doc[k]; ok {
						want[k] = v
					}
				}
			}
			wantType := []string{"finding", "error", "summary"}[min(2, boolInt(i >= len(findings))+boolInt(i >= len(findings)+len(errs)))]
			if m["type"] != wantType {
				t.Errorf("line %d: type %v, want %s", i+1, m["type"], wantType)
			}
			delete(m, "type")
			delete(m, "host")
			if i < len(findings)+len(errs) { // the run's who and when, on every line
				delete(m, "user")
				delete(m, "started_at")
			}
			if !reflect.DeepEqual(m, want) {
				t.Errorf("line %d differs from the JSON report:\n got %v\nwant %v", i+1, m, want)
			}
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestJSONLEmpty(t *testing.T) {
	got := render(t, "jsonl", Options{}, nil)
	if strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, `{"type":"summary","schema_version":1,`) || !strings.Contains(got, `"findings":0,"errors":0`) {
		t.Errorf("empty scan: %q", got)
	}
}

func TestJSONLRedacted(t *testing.T) {
	res := testResult()
	res.Errors = append(res.Errors, scanner.FileError{Path: "/tmp/x", Error: "bad line: TOKEN=" + secretGitHub})
	got := render(t, "jsonl", Options{}, res)
	for _, s := range allSecrets() {
		if strings.Contains(got, s) {
			t.Errorf("raw secret %q in JSON Lines output", s)
		}
	}
	got = render(t, "jsonl", Options{Reveal: secret.Unlock("test")}, res)
	for _, s := range allSecrets() {
		if !strings.Contains(got, s) {
			t.Errorf("ShowSecrets: %q not shown", s)
		}
	}
}

// TestReportSchema holds the JSON and JSON Lines reports, of the
// hand-built scan and of the demo home, to report.schema.json.
func TestReportSchema(t *testing.T) {
	doc := compileSchema(t, reportSchemaFile, "")
	line := compileSchema(t, reportSchemaFile, "#/$defs/jsonl_line")
	for name, res := range map[string]*scanner.Result{"hand-built": testResult(), "demo home": demoHomeResult(t), "empty": nil} {
		for _, opt := range []Options{{Version: "1.2.3", Host: "build-07"}, {Reveal: secret.Unlock("test")}} {
			validate(t, doc, name+" JSON report", []byte(render(t, "json", opt, res)))
			out := render(t, "jsonl", opt, res)
			for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				validate(t, line, fmt.Sprintf("%s JSON Lines line %d", name, i+1), []byte(l))
			}
		}
	}
	// The schema is strict: an undocumented member is an error.
	bad := strings.Replace(render(t, "json", Options{}, testResult()), `"rule_id":`, `"surprise": 1, "rule_id":`, 1)
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
	if doc.Validate(inst) == nil {
		t.Errorf("the schema accepts an undocumented finding member")
	}
	badLine := `{"type":"summary","schema_version":1,"tool":{"name":"mcpscan","version":"1"},"findings":0,"errors":0,"stats":{"files_scanned":0,"bytes_scanned":0,"files_skipped":0,"duration_ms":0},"x":1}`
	inst, _ = jsonschema.UnmarshalJSON(strings.NewReader(badLine))
	if line.Validate(inst) == nil {
		t.Errorf("the schema accepts an undocumented summary member")
	}
}
