package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/reporters"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
)

var update = flag.Bool("update", false, "rewrite golden files")

const fixtureHome = "../../fixtures/home"

// expected is fixtures/expected.json: every planted secret and look-alike
// of the demo home.
type expected struct {
	Secrets []struct {
		Path   string   `json:"path"`
		Line   int      `json:"line"`
		Rules  []string `json:"rules"`
		What   string   `json:"what"`
		Secret string   `json:"secret"`
	} `json:"secrets"`
	Lookalikes []struct {
		Path string `json:"path"`
		Line int    `json:"line"`
		What string `json:"what"`
	} `json:"lookalikes"`
}

type reportFinding struct {
	RuleID string `json:"rule_id"`
	Kind   string `json:"kind"`
	Path   string `json:"path"`
	Line   int    `json:"line"`
	Secret string `json:"secret"`
}

func loadExpected(t *testing.T) *expected {
	t.Helper()
	b, err := os.ReadFile("../../fixtures/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var e expected
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	return &e
}

// TestDemoHomeFindings scans fixtures/home end to end and holds the result
// to fixtures/expected.json: every planted secret is found on its line by
// one of its rules, no other secret is reported, no look-alike is
// reported. (Findings of other kinds, such as unpinned MCP servers, are
// pinned by the golden test.)
func TestDemoHomeFindings(t *testing.T) {
	exp := loadExpected(t)
	code, out, errOut := mcpscan(t, "--format", "json", "--show-secrets", fixtureHome)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Findings []reportFinding `json:"findings"`
		Errors   []any           `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	type at struct {
		path string
		line int
	}
	found := map[at][]reportFinding{}
	for _, f := range rep.Findings {
		if f.Kind != "secret" && f.Kind != "hardcoded-credential" {
			continue // config hygiene findings (unpinned servers …) are not in the secrets manifest
		}
		rel := filepath.ToSlash(strings.TrimPrefix(f.Path, fixtureHome+"/"))
		found[at{rel, f.Line}] = append(found[at{rel, f.Line}], f)
	}
	planted := map[at]bool{}
	for _, s := range exp.Secrets {
		planted[at{s.Path, s.Line}] = true
		ok := false
		for _, f := range found[at{s.Path, s.Line}] {
			for _, r := range s.Rules {
				if f.RuleID == r && (s.Secret == "" || f.Secret == s.Secret) {
					ok = true
				}
			}
		}
		if !ok {
			t.Errorf("missed %s:%d (%s), want one of %v; found there: %+v", s.Path, s.Line, s.What, s.Rules, found[at{s.Path, s.Line}])
		}
	}
	for k, fs := range found {
		if !planted[k] {
			for _, f := range fs {
				t.Errorf("unexpected finding %s at %s:%d", f.RuleID, k.path, k.line)
			}
		}
	}
	for _, l := range exp.Lookalikes {
		if fs := found[at{l.Path, l.Line}]; len(fs) > 0 && !planted[at{l.Path, l.Line}] {
			t.Errorf("look-alike reported at %s:%d (%s): %+v", l.Path, l.Line, l.What, fs)
		}
	}
	if len(rep.Errors) != 0 {
		t.Errorf("errors on the demo home: %v", rep.Errors)
	}
}

// TestDemoHomeRedacted: no planted secret appears in any default output.
func TestDemoHomeRedacted(t *testing.T) {
	exp := loadExpected(t)
	for _, format := range []string{"terminal", "json"} {
		_, out, _ := mcpscan(t, "--format", format, fixtureHome)
		for _, s := range exp.Secrets {
			if s.Secret != "" && strings.Contains(out, s.Secret) {
				t.Errorf("%s report leaks the secret of %s:%d", format, s.Path, s.Line)
			}
		}
	}
}

var (
	durationField = regexp.MustCompile(`"duration_ms": \d+`)
	timeField     = regexp.MustCompile(`"(started_at|finished_at)": "[^"]*"`)
)

// TestDemoHomeGolden pins the JSON report contract on the demo home
// (fixtures/golden/home.json; go test ./cmd/mcpscan -update rewrites it).
func TestDemoHomeGolden(t *testing.T) {
	_, out, _ := mcpscan(t, "--format", "json", "--host-id=", fixtureHome) // no host: the same bytes on every machine
	out = durationField.ReplaceAllString(out, `"duration_ms": 0`)
	out = timeField.ReplaceAllString(out, `"$1": "2026-01-01T00:00:00Z"`)
	out = strings.Replace(out, `"version": "`+versionString()+`"`, `"version": "test"`, 1)
	golden := "../../fixtures/golden/home.json"
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/mcpscan -update)", err)
	}
	if out != string(want) {
		t.Errorf("JSON report differs from %s (run go test ./cmd/mcpscan -update and review the diff)", golden)
	}
}

func versionString() string {
	v, _, _ := versionInfo()
	return v
}

// TestReportSchemaFromRegistry keeps reporters/report.schema.json equal
// to the schema generated from the registry's source descriptors (go test
// ./cmd/mcpscan -update rewrites it): a new source documents its context
// keys without anyone editing the schema by hand.
func TestReportSchemaFromRegistry(t *testing.T) {
	var all []*scanner.Source
	for _, h := range sources.Default() {
		all = append(all, h.Sources()...)
	}
	got, err := reporters.Schema(all)
	if err != nil {
		t.Fatal(err)
	}
	file := "../../reporters/report.schema.json"
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s is not the schema generated from the registry (run go test ./cmd/mcpscan -update)", file)
	}
}
