package reporters

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
)

func TestHTMLGolden(t *testing.T) {
	got := render(t, "html", Options{Version: "1.2.3"}, groupedResult())
	golden(t, "report.golden.html", got)
}

// TestHTMLSelfContained: the page loads nothing (no external scripts,
// styles, fonts or images) and its policy allows exactly its own inline
// style and script.
func TestHTMLSelfContained(t *testing.T) {
	got := render(t, "html", Options{}, demoHomeResult(t))
	for _, bad := range []string{"<link", "<img", "<iframe", "<object", "<embed", "@import", "url(", "src=", `href="http`, "@font-face"} {
		if strings.Contains(got, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	if n := strings.Count(got, "<script"); n != 1 {
		t.Errorf("%d script elements, want 1", n)
	}
	// The style and script are byte-for-byte what the CSP hashes
	// (html/template must not have touched them).
	if !strings.Contains(got, "<style>"+htmlCSS+"</style>") || !strings.Contains(got, "<script>"+htmlJS+"</script>") {
		t.Errorf("the inline style or script differs from what the CSP hashes")
	}
	csp := regexp.MustCompile(`http-equiv="Content-Security-Policy" content="([^"]*)"`).FindStringSubmatch(got)
	if csp == nil {
		t.Fatal("no Content-Security-Policy")
	}
	policy := strings.NewReplacer("&#39;", "'", "&#43;", "+").Replace(csp[1])
	for _, want := range []string{"default-src 'none'", "script-src '" + cspHash(htmlJS) + "'", "style-src '" + cspHash(htmlCSS) + "'"} {
		if !strings.Contains(policy, want) {
			t.Errorf("CSP %q lacks %q", policy, want)
		}
	}
}

// TestHTMLRedacted: secrets are redacted exactly as in the other formats,
// and shown in full only with Reveal.
func TestHTMLRedacted(t *testing.T) {
	res := groupedResult()
	res.Errors = append(res.Errors, scanner.FileError{Path: "/tmp/x", Error: "bad line: TOKEN=" + secretGitHub})
	got := render(t, "html", Options{}, res)
	for _, s := range allSecrets() {
		if strings.Contains(got, s) {
			t.Errorf("raw secret %q in the page", s)
		}
	}
	for _, s := range []string{secretGitHub, secretMCP, secretAssign} {
		if !strings.Contains(got, secret.Redact(s)) {
			t.Errorf("redacted form %q missing", secret.Redact(s))
		}
	}
	if strings.Contains(got, `id="revealed"`) {
		t.Errorf("a redacted page warns that it shows secrets")
	}
	shown := render(t, "html", Options{Reveal: secret.Unlock("test")}, res)
	for _, s := range allSecrets() {
		if !strings.Contains(shown, s) {
			t.Errorf("Reveal is set but %q is not shown", s)
		}
	}
	if !strings.Contains(shown, `id="revealed"`) {
		t.Errorf("a page with full secrets does not say so")
	}
}

// TestHTMLHostile: text from scanned files (file names, context values,
// rule IDs, errors, roots) cannot become markup, break out of attributes
// or reorder the page's text.
func TestHTMLHostile(t *testing.T) {
	const (
		tag   = `<script>alert(1)</script>`
		quote = `"><img src=x onerror=alert(2)>`
		squot = `' onmouseover='alert(3)`
		bidi  = "invoice\u202egpj.exe"
	)
	res := groupedResult()
	f := &res.Findings[0]
	f.File = "/home/u/" + tag + "/" + quote + ".json"
	f.Field = "env." + squot
	f.Context = f.Context.With("session_id", bidi).With(scanner.FieldClient.Key, quote).With("timestamp", tag)
	f.RuleID = "rule-" + quote
	f.Description = "desc " + tag
	f.Source = &scanner.Source{Name: "hostile", Agent: squot, Store: scanner.Store(quote), Label: tag, Advice: quote}
	res.Roots = []string{tag}
	res.Errors = append(res.Errors, scanner.FileError{Path: quote, Error: tag + bidi, Reason: squot, Incomplete: true})
	got := render(t, "html", Options{Roots: []string{tag, quote}, Host: quote, User: squot}, res)
	for _, bad := range []string{"<script>alert", "<img", "onerror=alert(2)>", "' onmouseover='", "\u202e"} {
		if strings.Contains(got, bad) {
			t.Errorf("hostile text %q reached the page unescaped", bad)
		}
	}
	if n := strings.Count(got, "<script"); n != 1 {
		t.Errorf("%d script elements, want 1", n)
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", `invoice\u202egpj.exe`} {
		if !strings.Contains(got, want) {
			t.Errorf("escaped form %q missing", want)
		}
	}
}

func TestHTMLChart(t *testing.T) {
	at := func(ts string, sev rules.Severity) scanner.Finding {
		return scanner.Finding{Severity: sev, Source: scanner.SourceFile, Context: scanner.Context{{Key: "timestamp", Value: ts}}}
	}
	c := newChart([]scanner.Finding{
		at("2026-02-10T23:30:00-02:00", rules.Critical), // 2026-02-11 UTC
		at("2026-02-11T08:00:00Z", rules.Low),
		at("2026-02-13T08:00:00Z", rules.High),
		{Severity: rules.High, Source: scanner.SourceFile},
	})
	if c.Unit != "day" || c.Timed != 3 || c.Untimed != 1 || c.From != "2026-02-11" || c.To != "2026-02-13" {
		t.Errorf("chart = %s %d timed %d untimed, %s … %s", c.Unit, c.Timed, c.Untimed, c.From, c.To)
	}
	if len(c.Bars) != 3 || len(c.XLabels) != 3 {
		t.Errorf("%d bars and %d labels, want 3 each (two on the first day, none on the empty second)", len(c.Bars), len(c.XLabels))
	}
	// The two findings of one day stack: same x, the low one below.
	if c.Bars[0].X != c.Bars[1].X || c.Bars[0].Severity != "low" || c.Bars[1].Severity != "critical" {
		t.Errorf("first day's bars: %+v", c.Bars[:2])
	}
	weeks := newChart([]scanner.Finding{at("2024-01-01T00:00:00Z", rules.Low), at("2026-01-01T00:00:00Z", rules.Low)})
	if weeks.Unit != "week" || len(weeks.XLabels) > 11 {
		t.Errorf("two years: unit %s, %d labels", weeks.Unit, len(weeks.XLabels))
	}
	months := newChart([]scanner.Finding{at("2020-01-01T00:00:00Z", rules.Low), at("2026-01-01T00:00:00Z", rules.Low)})
	if months.Unit != "month" || len(months.XLabels) > 11 {
		t.Errorf("six years: unit %s, %d labels", months.Unit, len(months.XLabels))
	}
	if none := newChart(nil); len(none.Bars) != 0 {
		t.Errorf("bars without findings")
	}
}

// chromium returns the path of a headless-capable Chromium or Chrome, or
// "" when there is none.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browse runs headless Chromium on url with args (--dump-dom,
// --screenshot=…) and returns its standard output.
func browse(t *testing.T, bin, url string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--window-size=1280,2400"}
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), url)...)
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, errb.String())
	}
	return string(out)
}

// domRow is a row of the secrets table as the browser left it.
type domRow struct {
	id            string
	hidden        bool
	sev           string
	rules, agents []string
	places        int
}

var (
	rowTag    = regexp.MustCompile(`<tr id="(s\d+)"([^>]*)>`)
	sevAttr   = regexp.MustCompile(`data-sev="([a-z]+)"`)
	listAttr  = regexp.MustCompile(`data-(rules|agents)="([^"]*)"`)
	placesTD  = regexp.MustCompile(`<td class="num" data-sort="(\d+)">`)
	shownSpan = regexp.MustCompile(`<span id="shown">(\d+) of (\d+)</span>`)
)

// domRows returns the secrets table's rows in the browser's order.
func domRows(dom string) []domRow {
	var rows []domRow
	locs := rowTag.FindAllStringSubmatchIndex(dom, -1)
	for i, l := range locs {
		attrs := dom[l[4]:l[5]]
		end := len(dom)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		r := domRow{id: dom[l[2]:l[3]], hidden: strings.Contains(attrs, " hidden")}
		if m := sevAttr.FindStringSubmatch(attrs); m != nil {
			r.sev = m[1]
		}
		for _, m := range listAttr.FindAllStringSubmatch(attrs, -1) {
			vals := strings.Split(m[2], "\n")
			if m[1] == "rules" {
				r.rules = vals
			} else {
				r.agents = vals
			}
		}
		if m := placesTD.FindStringSubmatch(dom[l[1]:end]); m != nil {
			r.places, _ = strconv.Atoi(m[1])
		}
		rows = append(rows, r)
	}
	return rows
}

// TestHTMLInBrowser renders the demo home's HTML report in headless
// Chromium and checks the page the browser built: the summary, the
// chart's SVG, a row per secret, the filters and the sort (driven through
// the URL fragment, as a bookmark would), and a screenshot. It skips
// where Chromium is absent (apt-get install chromium).
func TestHTMLInBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no chromium on PATH (apt-get install chromium): skipping the browser test of the HTML report")
	}
	if testing.Short() {
		t.Skip("-short: skipping the browser test")
	}
	res := demoHomeResult(t)
	entries := groupEntries(res.Findings)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(render(t, "html", Options{Version: "test"}, res)), 0o600); err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(page)

	// One load each, as Chromium is slow to start: the page as written
	// (and its screenshot), then filters and a sort set in the fragment.
	shot := filepath.Join(dir, "report.png")
	if keep := os.Getenv("MCPSCAN_SCREENSHOT_DIR"); keep != "" {
		shot = filepath.Join(keep, "mcpscan-report.png")
	}
	dom := browse(t, bin, url, "--dump-dom", "--screenshot="+shot, "--hide-scrollbars")
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		t.Errorf("screenshot %s: %v", shot, err)
	} else {
		t.Logf("screenshot of the demo home's HTML report: %s", shot)
	}
	if !strings.Contains(dom, `data-ready="1"`) || !strings.Contains(dom, `data-styled="1"`) {
		t.Fatalf("the page's script or style did not apply (CSP?): %.300s", dom)
	}
	secrets, places, _ := secretCounts(entries)
	for _, want := range []string{
		`id="verdict"`, fmt.Sprintf("%d secrets in %d places", secrets, places),
		`id="severities"`, `id="by-store"`, `id="by-agent"`, `id="rotate"`,
		`<svg class="chart" id="chart"`, `<rect class="bar critical"`,
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	rows := domRows(dom)
	if len(rows) != len(entries) {
		t.Fatalf("%d table rows, want one per secret or other finding: %d", len(rows), len(entries))
	}
	for _, r := range rows {
		if r.hidden {
			t.Errorf("row %s hidden without a filter", r.id)
		}
	}

	// visible returns the rows left visible, checking the page's count.
	visible := func(fragment string) []domRow {
		t.Helper()
		dom := browse(t, bin, url+fragment, "--dump-dom")
		m := shownSpan.FindStringSubmatch(dom)
		if m == nil {
			t.Fatalf("%s: no 'showing N of M'", fragment)
		}
		var vis []domRow
		for _, r := range domRows(dom) {
			if !r.hidden {
				vis = append(vis, r)
			}
		}
		if strconv.Itoa(len(vis)) != m[1] || m[2] != strconv.Itoa(len(entries)) {
			t.Errorf("%s: %d rows visible, the page says %s of %s", fragment, len(vis), m[1], m[2])
		}
		return vis
	}
	contains := func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	}

	// Severity and store, sorted by places, most first.
	want := 0
	for _, e := range entries {
		for _, f := range e.places {
			if e.head.Severity == rules.Critical && storeOf(f) == string(scanner.StoreTranscript) {
				want++
				break
			}
		}
	}
	vis := visible("#sev=critical&store=transcript&sort=places&dir=desc")
	if len(vis) != want || want == 0 {
		t.Errorf("severity and store filter: %d rows visible, want %d", len(vis), want)
	}
	for i, r := range vis {
		if r.sev != "critical" {
			t.Errorf("severity filter: row %s of severity %s shown", r.id, r.sev)
		}
		if i > 0 && r.places > vis[i-1].places {
			t.Errorf("rows not sorted by places, descending: %s (%d) after %s (%d)", r.id, r.places, vis[i-1].id, vis[i-1].places)
		}
	}

	// Rule, agent (a value with a space) and text. generic-api-key: gitleaks' ID
	// is reported for the NAME=value secrets of the demo home.
	ruleAgent := 0
	for _, r := range rows {
		if contains(r.rules, "generic-api-key") && contains(r.agents, "Claude Code") {
			ruleAgent++
		}
	}
	vis = visible("#rule=generic-api-key&agent=Claude%20Code&q=webapp")
	if len(vis) == 0 || len(vis) >= ruleAgent {
		t.Errorf("rule, agent and text filter: %d rows visible, want some and fewer than the %d of the rule and agent", len(vis), ruleAgent)
	}
	for _, r := range vis {
		if !contains(r.rules, "generic-api-key") || !contains(r.agents, "Claude Code") {
			t.Errorf("rule and agent filter: row %s (%v, %v) shown", r.id, r.rules, r.agents)
		}
	}
}
