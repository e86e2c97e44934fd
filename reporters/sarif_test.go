package reporters

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
	"github.com/mcpscan/mcpscan/scanner/sources"
)

// demoHome is the scan of the demo home, fixtures/home, shared by the
// tests that check reports of real output.
var demoHome = sync.OnceValues(func() (*scanner.Result, error) {
	eng := scanner.New(rules.Default(), sources.Default(), scanner.Options{Workers: 2})
	return eng.Collect(context.Background(), []scanner.Root{{Path: filepath.Join("..", "fixtures", "home")}})
})

func demoHomeResult(t *testing.T) *scanner.Result {
	t.Helper()
	res, err := demoHome()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Fatal("no findings in the demo home")
	}
	return res
}

// compileSchema compiles the JSON schema in file (loc may add a fragment)
// with format assertions on; no network is used.
func compileSchema(t *testing.T, file, fragment string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "file:///schemas/" + filepath.Base(file)
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url + fragment)
	if err != nil {
		t.Fatalf("compile %s: %v", file, err)
	}
	return sch
}

func validate(t *testing.T, sch *jsonschema.Schema, name string, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: not JSON: %v", name, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s does not validate:\n%v", name, err)
	}
}

// sarifLog is the part of a SARIF log the tests look at.
type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name, Version, SemanticVersion string
				Rules                          []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct{ Text string }
					FullDescription  struct{ Text string }
					Help             struct{ Text, Markdown string }
					HelpURI          string `json:"helpUri"`
					Properties       struct {
						Tags             []string `json:"tags"`
						SecuritySeverity string   `json:"security-severity"`
					} `json:"properties"`
					DefaultConfiguration struct{ Level string } `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails *struct{ ID string } `json:"automationDetails"`
		ColumnKind        string               `json:"columnKind"`
		Invocations       []struct {
			ExecutionSuccessful        bool   `json:"executionSuccessful"`
			Machine                    string `json:"machine"`
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID              string `json:"ruleId"`
			RuleIndex           *int   `json:"ruleIndex"`
			Level               string `json:"level"`
			Message             struct{ Text string }
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Locations           []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine, StartColumn, EndLine, EndColumn int
						Snippet                                    *struct{ Text string }
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					Name, FullyQualifiedName, Kind string
				} `json:"logicalLocations"`
			} `json:"locations"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func renderSARIF(t *testing.T, r *sarifReporter, res *scanner.Result) ([]byte, *sarifLog) {
	t.Helper()
	var b bytes.Buffer
	if err := r.Report(&b, res); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	return b.Bytes(), &log
}

func schemaSARIF(t *testing.T) *jsonschema.Schema {
	return compileSchema(t, filepath.Join("testdata", "sarif-schema-2.1.0.json"), "")
}

// checkSARIF holds a SARIF log to what GitHub code scanning needs and to
// what mcpscan promises; res is what it was made from.
func checkSARIF(t *testing.T, data []byte, log *sarifLog, res *scanner.Result, show bool) {
	t.Helper()
	if log.Version != "2.1.0" || log.Schema == "" || len(log.Runs) != 1 {
		t.Fatalf("version %q, $schema %q, %d runs; want 2.1.0, a schema and one run", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q", run.ColumnKind)
	}
	if len(run.Invocations) != 1 || run.Invocations[0].ExecutionSuccessful != res.Complete() {
		t.Errorf("invocations: %+v", run.Invocations)
	}
	driver := run.Tool.Driver
	if driver.Name != "mcpscan" || driver.Version == "" || driver.Version[0] < '0' || driver.Version[0] > '9' {
		t.Errorf("driver name %q version %q", driver.Name, driver.Version)
	}
	referenced := map[string]bool{}
	for _, r := range run.Results {
		referenced[r.RuleID] = true
	}
	seen := map[string]bool{}
	scores := map[string]float64{"critical": 9.0, "high": 7.0, "medium": 4.0, "low": 0.0, "info": 0.0}
	for i, r := range driver.Rules {
		if seen[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		seen[r.ID] = true
		if !referenced[r.ID] {
			t.Errorf("rule %s listed but not referenced", r.ID)
		}
		if i > 0 && driver.Rules[i-1].ID > r.ID {
			t.Errorf("rules not sorted: %s before %s", driver.Rules[i-1].ID, r.ID)
		}
		if r.Name == "" || r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" || r.HelpURI == "" {
			t.Errorf("rule %s lacks name, descriptions, help or helpUri: %+v", r.ID, r)
		}
		if !strings.Contains(r.Help.Text, "How to fix") || !strings.Contains(r.Help.Markdown, "### How to fix") {
			t.Errorf("rule %s help does not say how to fix it", r.ID)
		}
		tags := r.Properties.Tags
		if len(tags) == 0 || len(tags) > 20 || tags[0] != "security" {
			t.Errorf("rule %s tags %v: want security first, at most 20", r.ID, tags)
		}
		score, err := strconv.ParseFloat(r.Properties.SecuritySeverity, 64)
		if err != nil || score < 0 || score > 10 {
			t.Errorf("rule %s security-severity %q", r.ID, r.Properties.SecuritySeverity)
		}
		// The score falls in GitHub's band of the most severe finding.
		var worst rules.Severity
		for _, f := range res.Findings {
			if f.RuleID == r.ID {
				worst = max(worst, f.Severity)
			}
		}
		lo := scores[worst.String()]
		hi := map[string]float64{"critical": 10, "high": 8.9, "medium": 6.9, "low": 3.9, "info": 3.9}[worst.String()]
		if score < lo || score > hi {
			t.Errorf("rule %s: security-severity %v is not in GitHub's %s band [%v, %v]", r.ID, score, worst, lo, hi)
		}
	}
	for i, r := range run.Results {
		if r.RuleIndex == nil || *r.RuleIndex < 0 || *r.RuleIndex >= len(driver.Rules) || driver.Rules[*r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d: ruleIndex %v does not point at %s", i, r.RuleIndex, r.RuleID)
		}
		switch r.Level {
		case "error", "warning", "note":
		default:
			t.Errorf("result %d: level %q", i, r.Level)
		}
		if fp := r.PartialFingerprints[SARIFFingerprintKey]; !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(fp) {
			t.Errorf("result %d: partialFingerprints %v", i, r.PartialFingerprints)
		}
		if !strings.HasSuffix(r.Message.Text, ".") {
			t.Errorf("result %d: message does not end with a period: %q", i, r.Message.Text)
		}
		if len(r.Locations) != 1 {
			t.Fatalf("result %d: %d locations", i, len(r.Locations))
		}
		pl := r.Locations[0].PhysicalLocation
		uri := pl.ArtifactLocation.URI
		if uri == "" || strings.Contains(uri, `\`) || strings.Contains(uri, "%SRCROOT%") {
			t.Errorf("result %d: uri %q", i, uri)
		}
		if !strings.HasPrefix(uri, "file://") && (strings.HasPrefix(uri, "/") || strings.HasPrefix(uri, "../") || strings.Contains(uri, " ")) {
			t.Errorf("result %d: uri %q is neither relative and encoded nor file://", i, uri)
		}
		if reg := pl.Region; reg != nil {
			if reg.StartLine < 1 || reg.StartColumn < 0 || (reg.StartColumn == 0 && reg.EndColumn != 0) || (reg.EndLine != 0 && reg.EndLine <= reg.StartLine) ||
				(reg.EndLine == 0 && reg.EndColumn != 0 && reg.EndColumn < reg.StartColumn) {
				t.Errorf("result %d: region %+v", i, *reg)
			}
		}
	}
	// No raw secret anywhere but properties.secret, and there only with show.
	for _, f := range res.Findings {
		raw := f.Secret.Reveal(secret.Unlock("test"))
		if len(raw) < 4 || !f.Kind.HoldsSecret() { // evidence such as "0.0.0.0" is shown as is
			continue
		}
		n := bytes.Count(data, []byte(jsonString(raw)))
		if !show && n > 0 {
			t.Errorf("raw secret of %s at %s:%d in the SARIF", f.RuleID, f.Path(), f.Line)
		}
	}
	for i, r := range run.Results {
		for _, f := range res.Findings {
			if raw := f.Secret.Reveal(secret.Unlock("test")); len(raw) >= 4 && f.Kind.HoldsSecret() && strings.Contains(r.Message.Text, raw) {
				t.Errorf("result %d: message holds a raw secret", i)
			}
		}
	}
}

// jsonString is s as it appears inside a JSON string (without quotes).
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n")[1:], `"`)
}

func TestSARIFGolden(t *testing.T) {
	got := render(t, "sarif", Options{Version: "1.2.3", SARIFRoot: "/home/u", SARIFCategory: "mcpscan", Host: "build-07"}, testResult())
	golden(t, "report.golden.sarif", got)
}

func TestSARIFHandBuilt(t *testing.T) {
	sch := schemaSARIF(t)
	for _, show := range []bool{false, true} {
		res := testResult()
		data, log := renderSARIF(t, &sarifReporter{opt: Options{Version: "v1.2.3", SARIFRoot: "/home/u", SARIFCategory: "ci/mcpscan", Reveal: revealIf(show)}}, res)
		validate(t, sch, fmt.Sprintf("hand-built SARIF (show %v)", show), data)
		checkSARIF(t, data, log, res, show)
		run := log.Runs[0]
		if run.AutomationDetails == nil || run.AutomationDetails.ID != "ci/mcpscan/" {
			t.Errorf("automationDetails %+v, want id ci/mcpscan/", run.AutomationDetails)
		}
		if v := run.Tool.Driver; v.Version != "1.2.3" || v.SemanticVersion != "1.2.3" {
			t.Errorf("driver version %q semanticVersion %q", v.Version, v.SemanticVersion)
		}
		// Findings with a rule and without; generic-credential-assignment
		// has a medium and a low finding: its score is the medium band's.
		byID := map[string]string{}
		for _, r := range run.Tool.Driver.Rules {
			byID[r.ID] = r.Properties.SecuritySeverity
		}
		want := map[string]string{"github-pat": "9.5", "mcp-env-literal": "8.0", "generic-credential-assignment": "5.5"}
		for id, score := range want {
			if byID[id] != score {
				t.Errorf("rule %s security-severity %q, want %q", id, byID[id], score)
			}
		}
		if len(byID) != 3 {
			t.Errorf("rules %v, want the 3 referenced", byID)
		}
		// URIs relative to the root, with the home's dot files.
		uris := map[string]bool{}
		for _, r := range run.Results {
			uris[r.Locations[0].PhysicalLocation.ArtifactLocation.URI] = true
		}
		for _, u := range []string{".claude.json", "dev/acme-api/CLAUDE.md", "dev/notes.txt", ".claude/projects/-home-u-dev-acme-api/4d5611e5-0b9e-4c1e-9a63-2f1c7ad0e1b2.jsonl"} {
			if !uris[u] {
				t.Errorf("no result at uri %q; have %v", u, uris)
			}
		}
		// Errors become notifications.
		notes := run.Invocations[0].ToolExecutionNotifications
		if len(notes) != 2 || !strings.Contains(notes[0].Message.Text, "broken.jsonl, line 7") {
			t.Errorf("notifications %+v", notes)
		}
		secrets := 0
		for _, r := range run.Results {
			if s, _ := r.Properties["secret"].(string); s != "" && !strings.Contains(s, "…") {
				secrets++
			}
		}
		if show && secrets != len(run.Results) {
			t.Errorf("show-secrets: %d of %d results carry the raw secret in properties.secret", secrets, len(run.Results))
		}
	}
}

func TestSARIFEmpty(t *testing.T) {
	for _, res := range []*scanner.Result{nil, {}} {
		data, log := renderSARIF(t, &sarifReporter{}, res)
		validate(t, schemaSARIF(t), "empty SARIF", data)
		if len(log.Runs) != 1 || len(log.Runs[0].Results) != 0 || len(log.Runs[0].Tool.Driver.Rules) != 0 {
			t.Errorf("empty scan: %s", data)
		}
		if !bytes.Contains(data, []byte(`"results": []`)) || !bytes.Contains(data, []byte(`"rules": []`)) {
			t.Errorf("results and rules are not empty arrays: %s", data)
		}
		if log.Runs[0].AutomationDetails != nil {
			t.Errorf("automationDetails without a category")
		}
		if v := log.Runs[0].Tool.Driver.Version; v != "0.0.0-dev" {
			t.Errorf("version %q, want 0.0.0-dev", v)
		}
	}
}

func TestSARIFDemoHome(t *testing.T) {
	res := demoHomeResult(t)
	sch := schemaSARIF(t)
	var warn bytes.Buffer
	// The repository root, as in CI: URIs start with fixtures/home/.
	data, log := renderSARIF(t, &sarifReporter{opt: Options{Version: "1.2.3", SARIFRoot: "..", SARIFCategory: "mcpscan", Warnings: &warn}}, res)
	validate(t, sch, "demo home SARIF", data)
	checkSARIF(t, data, log, res, false)
	if warn.Len() != 0 {
		t.Errorf("warnings for a scan inside the root: %s", warn.String())
	}
	run := log.Runs[0]
	if len(run.Results) != len(res.Findings) {
		t.Errorf("%d results for %d findings", len(run.Results), len(res.Findings))
	}
	for i, r := range run.Results {
		f := res.Findings[i]
		loc := r.Locations[0].PhysicalLocation
		want := escapeURIPath(filepath.ToSlash(strings.TrimPrefix(f.Path(), "../")))
		if loc.ArtifactLocation.URI != want || !strings.HasPrefix(want, "fixtures/home/") {
			t.Errorf("result %d: uri %q, want %q", i, loc.ArtifactLocation.URI, want)
		}
		if loc.Region == nil || loc.Region.StartLine != f.Line || loc.Region.StartColumn != f.Column {
			t.Errorf("result %d: region %+v for %s:%d:%d", i, loc.Region, f.Path(), f.Line, f.Column)
		}
		if r.PartialFingerprints[SARIFFingerprintKey] != f.Fingerprint {
			t.Errorf("result %d: fingerprint %v, want %s", i, r.PartialFingerprints, f.Fingerprint)
		}
		if loc.Region != nil && (loc.Region.Snippet == nil || loc.Region.Snippet.Text != f.Secret.String()) {
			t.Errorf("result %d: snippet %+v is not the redacted secret", i, loc.Region.Snippet)
		}
	}
	// With the default root (the current directory, reporters/), every
	// file is outside: absolute file:// URIs, and a warning.
	warn.Reset()
	data, log = renderSARIF(t, &sarifReporter{opt: Options{Warnings: &warn}}, res)
	validate(t, sch, "demo home SARIF outside the root", data)
	if u := log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; !strings.HasPrefix(u, "file:///") {
		t.Errorf("outside the root: uri %q, want file:///…", u)
	}
	if !strings.Contains(warn.String(), "outside the SARIF root") {
		t.Errorf("no warning for files outside the root: %q", warn.String())
	}
}

func TestSARIFTruncation(t *testing.T) {
	res := testResult() // 5 findings: 2 critical, 1 high, 1 medium, 1 low
	var warn bytes.Buffer
	data, log := renderSARIF(t, &sarifReporter{opt: Options{SARIFRoot: "/home/u", Warnings: &warn}, maxResults: 3}, res)
	validate(t, schemaSARIF(t), "truncated SARIF", data)
	run := log.Runs[0]
	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3", len(run.Results))
	}
	for _, r := range run.Results {
		if r.Level != "error" {
			t.Errorf("kept a %s result (%s) over a more severe one", r.Level, r.RuleID)
		}
	}
	if len(run.Tool.Driver.Rules) != 2 {
		t.Errorf("rules of dropped results listed: %d rules", len(run.Tool.Driver.Rules))
	}
	notes := run.Invocations[0].ToolExecutionNotifications
	if len(notes) == 0 || !strings.Contains(notes[0].Message.Text, "only the 3 most severe of 5 findings") || notes[0].Level != "warning" {
		t.Errorf("no truncation notification: %+v", notes)
	}
	if !strings.Contains(warn.String(), "SARIF report truncated") {
		t.Errorf("no truncation warning on stderr: %q", warn.String())
	}

	// The gzip limit: a log over it loses results until it fits.
	big := &scanner.Result{}
	for i := range 3000 {
		sev := rules.Severity(i % 5)
		big.Findings = append(big.Findings, scanner.Finding{
			RuleID: fmt.Sprintf("rule-%d", i%7), Severity: sev, Kind: rules.KindSecret, Source: scanner.SourceFile,
			Location: scanner.Location{File: fmt.Sprintf("/home/u/f%04d.env", i), Line: i + 1, Column: 1, EndLine: i + 1, EndColumn: 20},
			Secret:   secret.New(fmt.Sprintf("s3cr3t-%08x-%08x", i*7919, i*104729)), Fingerprint: fmt.Sprintf("%032x", i),
		})
	}
	warn.Reset()
	const limit = 40_000
	data, log = renderSARIF(t, &sarifReporter{opt: Options{SARIFRoot: "/home/u", Warnings: &warn}, maxGzip: limit}, big)
	if n, _ := gzipSize(data); n > limit {
		t.Errorf("gzipped size %d over the limit %d", n, limit)
	}
	kept := len(log.Runs[0].Results)
	if kept == 0 || kept >= len(big.Findings) {
		t.Fatalf("kept %d of %d results", kept, len(big.Findings))
	}
	min := "error"
	for _, r := range log.Runs[0].Results {
		if r.Level == "note" {
			min = "note"
		}
	}
	if kept <= 3000*2/5 && min == "note" { // 1200 critical and high findings come first
		t.Errorf("kept a low-severity result while dropping severe ones")
	}
	if !strings.Contains(warn.String(), "truncated") {
		t.Errorf("no warning: %q", warn.String())
	}
}

func TestSARIFArchiveMember(t *testing.T) {
	res := &scanner.Result{Findings: []scanner.Finding{{
		RuleID: "github-pat", Description: "GitHub Personal Access Token", Severity: rules.Critical, Kind: rules.KindSecret,
		Source: testSourceConfig,
		Location: scanner.Location{File: "/repo/dist/pkg-1.0.0.tgz", Steps: []scanner.Step{{Kind: scanner.StepMember, Name: "package/.mcp.json"}},
			Line: 3, Column: 7, EndLine: 3, EndColumn: 47},
		Secret: secret.New(secretGitHub), Fingerprint: "0123456789abcdef0123456789abcdef",
	}}}
	data, log := renderSARIF(t, &sarifReporter{opt: Options{SARIFRoot: "/repo"}}, res)
	validate(t, schemaSARIF(t), "archive SARIF", data)
	checkSARIF(t, data, log, res, false)
	r := log.Runs[0].Results[0]
	loc := r.Locations[0]
	if reg := loc.PhysicalLocation.Region; loc.PhysicalLocation.ArtifactLocation.URI != "dist/pkg-1.0.0.tgz" || reg == nil || reg.StartLine != 1 || reg.StartColumn != 0 {
		t.Errorf("archive member location %+v, want the archive's URI and line 1", loc.PhysicalLocation)
	}
	if len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].Name != "package/.mcp.json" {
		t.Errorf("logical locations %+v", loc.LogicalLocations)
	}
	if !strings.Contains(r.Message.Text, "Inside: package/.mcp.json, line 3, column 7.") {
		t.Errorf("message does not name the member: %q", r.Message.Text)
	}
}

// revealIf returns a key that reveals secrets when show is set.
func revealIf(show bool) secret.Key {
	if show {
		return secret.Unlock("test")
	}
	return secret.Key{}
}

func TestSARIFURIs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a b/c#d?.json", "a%20b/c%23d%3F.json"},
		{"c:x/%41", "c%3Ax/%2541"},
		{"-home-u/abc@v2", "-home-u/abc@v2"},
		{"über/ü.md", "%C3%BCber/%C3%BC.md"},
	} {
		if got := escapeURIPath(c.in); got != c.want {
			t.Errorf("escapeURIPath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := fileURI("/tmp/a b"); got != "file:///tmp/a%20b" {
		t.Errorf("fileURI = %q", got)
	}
	if got := dirURI("/"); got != "file:///" {
		t.Errorf("dirURI(/) = %q", got)
	}
}

func TestSARIFRegion(t *testing.T) {
	for _, c := range []struct {
		f    scanner.Finding
		want string
	}{
		{scanner.Finding{Location: scanner.Location{Line: 2, Column: 5, EndLine: 2, EndColumn: 9}}, `{"startLine":2,"startColumn":5,"endColumn":9}`},
		{scanner.Finding{Location: scanner.Location{Line: 2, Column: 5, EndLine: 4, EndColumn: 3}}, `{"startLine":2,"startColumn":5,"endLine":4,"endColumn":3}`},
		{scanner.Finding{Location: scanner.Location{Line: 2, Column: 0, EndLine: 1, EndColumn: 0}}, `{"startLine":2,"startColumn":1}`},
		{scanner.Finding{Location: scanner.Location{Line: 2, Column: 5, EndLine: 2, EndColumn: 5}}, `{"startLine":2,"startColumn":5}`},
	} {
		b, _ := json.Marshal(sarifRegion(&c.f, ""))
		if string(b) != c.want {
			t.Errorf("region of %+v = %s, want %s", c.f, b, c.want)
		}
	}
}

func TestSARIFHelpers(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{pascalCase("github-pat"), "GithubPat"},
		{pascalCase("1password-secret-key"), "1passwordSecretKey"},
		{pascalCase("---"), "Rule"},
		{sarifToolVersion("v1.2.3"), "1.2.3"},
		{sarifToolVersion("dev"), "0.0.0-dev"},
		{sarifToolVersion("1.2.3-SNAPSHOT-abc"), "1.2.3-SNAPSHOT-abc"},
		{sentence("a"), "a."},
		{sentence("a."), "a."},
		{sentence("(a)"), "(a)."},
		{shortDescription("One. Two."), "One."},
		{SARIFSecuritySeverity(rules.Critical), "9.5"},
		{SARIFSecuritySeverity(rules.Info), "1.0"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if tags := ruleTags(rules.KindSecret, "gitleaks"); strings.Join(tags, ",") != "security,secret,credentials,external/cwe/cwe-798,external/cwe/cwe-312,gitleaks" {
		t.Errorf("tags %v", tags)
	}
	if !isSemver("1.2.3-rc.1+b") || isSemver("1.2") || isSemver("dev") {
		t.Errorf("isSemver")
	}
}
