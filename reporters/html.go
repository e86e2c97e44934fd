package reporters

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
)

// htmlReporter writes --format html: one self-contained page to read a
// scan in a browser, offline, from file://. It loads nothing: CSS and
// JavaScript are inline, the chart is SVG drawn here, and a Content
// Security Policy allows only this page's own script and style (by hash),
// so even text that escaped escaping could not load or run anything.
//
// The page has, top to bottom:
//
//   - the verdict (the terminal's one-line verdict) and the scan's
//     figures: findings per severity, distinct secrets and their places,
//     files, bytes, time, completeness, suppressions;
//   - counts per kind of store (Source.Store) and per agent (Source.Agent,
//     or the "client" context value of MCP configs);
//   - the secrets to rotate first: the first entries of the terminal's
//     order (groupEntries);
//   - a chart of when secrets entered the histories: findings per day
//     (week, month for long spans) by their context timestamp, stacked by
//     severity;
//   - a table of every secret grouped as in the terminal (one row per
//     secret, with all its places), filterable by severity, rule, store,
//     agent and text, and sortable by any column. The filters and the
//     sort live in the URL's fragment (#sev=critical&rule=github-pat&
//     sort=places&dir=desc), so a filtered view can be bookmarked;
//   - how to fix each rule, and what to do about each kind of file;
//   - the errors.
//
// Every value is rendered by html/template, so text from scanned files is
// escaped for its context (element, attribute); it is also stripped of
// control and bidirectional-override characters (clean), as in the
// terminal. Secrets come only from secretText: redacted unless
// Options.Reveal.
type htmlReporter struct{ opt Options }

// rotateShown is how many secrets "Rotate first" lists.
const rotateShown = 10

// Report writes res as one HTML document.
func (h *htmlReporter) Report(w io.Writer, res *scanner.Result) error {
	if res == nil {
		res = &scanner.Result{}
	}
	page := h.page(res)
	if err := htmlPage().Execute(w, page); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return nil
}

// htmlData is what the page template renders. Every string in it is plain
// text: the template escapes it.
type htmlData struct {
	Title    string
	CSP      string
	Version  string
	Roots    string
	Host     string
	User     string
	Started  string
	Revealed bool

	VerdictKind string // verdictFound …
	VerdictText string
	Severities  []htmlCount // findings per severity, most severe first, with zeros
	Findings    int
	Secrets     int
	Places      int
	Other       int
	Files       int
	Scanned     string
	Complete    bool
	Incomplete  int
	Suppressed  string
	Skipped     string
	Stores      []htmlTally
	Agents      []htmlTally
	Rotate      []*htmlEntry
	Chart       *htmlChart
	Entries     []*htmlEntry
	RuleOptions []string
	Fixes       []htmlFix
	Advice      []htmlAdvice
	Errors      []scanner.FileError
}

type htmlCount struct {
	Name string // "critical"
	N    int
}

// htmlTally counts the secrets and the places in one store or agent.
type htmlTally struct {
	Name    string
	Secrets int
	Places  int
}

// htmlEntry is one row of the table: one secret (or one finding of another
// kind) with all its places.
type htmlEntry struct {
	Anchor   string // "s12"
	Order    int    // position in the terminal's order
	Severity string // "critical"
	SevRank  int    // 4 for critical … 0 for info
	Rules    []string
	Kind     string // "secret" or "match"
	Secret   string
	SecretID string
	Places   []htmlPlace
	Files    int
	Stores   []string
	Agents   []string
	First    string // earliest context time, "2026-02-12 16:05", or ""
	FirstKey string // the same as RFC 3339 UTC for sorting, or ""

	// Joined lists for the data- attributes the filters read, one value
	// per line.
	RulesList, StoresList, AgentsList string
}

// htmlPlace is one place of an entry.
type htmlPlace struct {
	Path    string
	Pos     string // ":12:340"
	RuleID  string
	Context []htmlAttr
}

type htmlAttr struct {
	Label string
	Value string
}

// htmlFix is the advice for one rule.
type htmlFix struct {
	RuleID      string
	Severity    string
	Description string
	Why         string
	Fix         string
	N           int
}

// htmlAdvice is what to do about one kind of file.
type htmlAdvice struct {
	What   string
	Advice string
}

// htmlNoAgent names the agent of findings that have none, in counts and
// filters.
const htmlNoAgent = "(none)"

func (h *htmlReporter) page(res *scanner.Result) *htmlData {
	entries := groupEntries(res.Findings)
	secrets, places, other := secretCounts(entries)
	roots := h.opt.Roots
	if len(roots) == 0 {
		roots = res.Roots
	}
	cleanAll := func(ss []string) string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = clean(s)
		}
		return strings.Join(out, ", ")
	}
	d := &htmlData{
		Title:    "mcpscan report",
		CSP:      htmlCSP,
		Version:  clean(toolInfo(h.opt).Version),
		Roots:    cleanAll(roots),
		Host:     clean(scanner.SanitizeText(h.opt.Host)),
		User:     clean(scanner.SanitizeText(h.opt.User)),
		Revealed: h.opt.Reveal.Valid(),
		Findings: len(res.Findings),
		Secrets:  secrets,
		Places:   places,
		Other:    other,
		Complete: res.Complete(),
		Errors:   make([]scanner.FileError, len(res.Errors)),
	}
	if d.Roots != "" {
		d.Title += " · " + d.Roots
	}
	if !res.Started.IsZero() {
		d.Started = res.Started.UTC().Format("2006-01-02 15:04 UTC")
	}
	v := makeVerdict(res, entries, "Rotate the exposed credentials first, starting with the list below, then remove them from the files.")
	d.VerdictKind, d.VerdictText = v.kind, clean(v.text)

	var bySev [numSeverities]int
	files := map[string]bool{}
	for i := range res.Findings {
		bySev[sevIndex(res.Findings[i].Severity)]++
		files[res.Findings[i].Path()] = true
	}
	d.Files = len(files)
	for s := numSeverities - 1; s >= 0; s-- {
		d.Severities = append(d.Severities, htmlCount{rules.Severity(s).String(), bySev[s]})
	}
	st := res.Stats
	d.Scanned = count64(st.FilesScanned, "file", "files") + " · " + humanBytes(st.BytesScanned) + " · " + humanDuration(st.DurationMS)
	for i := range res.Errors {
		e := res.Errors[i]
		e.Path, e.Error, e.Reason = clean(e.Path), clean(e.Error), clean(e.Reason)
		d.Errors[i] = e
		if e.Incomplete {
			d.Incomplete++
		}
	}
	if st.SuppressedTotal > 0 {
		parts := []string{count64(st.SuppressedTotal, "finding", "findings")}
		for _, k := range sortedKeys(st.Suppressed) {
			parts = append(parts, groupDigits(st.Suppressed[k])+" "+clean(k))
		}
		d.Suppressed = strings.Join(parts, " · ")
	}
	if st.FilesSkipped > 0 {
		parts := []string{count64(st.FilesSkipped, "file", "files")}
		for _, k := range sortedKeys(st.SkippedBy) {
			parts = append(parts, groupDigits(st.SkippedBy[k])+" "+clean(k))
		}
		d.Skipped = strings.Join(parts, " · ")
	}

	ruleSet := map[string]bool{}
	stores, agents := map[string]*htmlTally{}, map[string]*htmlTally{}
	tally := func(m map[string]*htmlTally, name string, e *entry, places int) {
		t := m[name]
		if t == nil {
			t = &htmlTally{Name: name}
			m[name] = t
		}
		if e.holdsSecret() {
			t.Secrets++
		}
		t.Places += places
	}
	for i, e := range entries {
		he := h.entry(e, i)
		d.Entries = append(d.Entries, he)
		for _, r := range he.Rules {
			ruleSet[r] = true
		}
		perStore, perAgent := map[string]int{}, map[string]int{}
		for _, f := range e.places {
			perStore[storeOf(f)]++
			perAgent[agentName(f)]++
		}
		for s, n := range perStore {
			tally(stores, s, e, n)
		}
		for a, n := range perAgent {
			tally(agents, a, e, n)
		}
		if e.holdsSecret() && len(d.Rotate) < rotateShown {
			d.Rotate = append(d.Rotate, he)
		}
	}
	d.Stores, d.Agents = sortTallies(stores), sortTallies(agents)
	for r := range ruleSet {
		d.RuleOptions = append(d.RuleOptions, r)
	}
	sort.Strings(d.RuleOptions)
	d.Chart = newChart(res.Findings)
	d.Fixes, d.Advice = htmlFixes(entries)
	return d
}

// agentName is agentOf for display: htmlNoAgent when there is none.
func agentName(f *scanner.Finding) string {
	if a := clean(agentOf(f)); a != "" {
		return a
	}
	return htmlNoAgent
}

// sortTallies orders tallies by places, then name.
func sortTallies(m map[string]*htmlTally) []htmlTally {
	out := make([]htmlTally, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Places != out[j].Places {
			return out[i].Places > out[j].Places
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// entry turns an entry into a table row.
func (h *htmlReporter) entry(e *entry, i int) *htmlEntry {
	f := e.head
	he := &htmlEntry{
		Anchor:   "s" + strconv.Itoa(i+1),
		Order:    i,
		Severity: rules.Severity(sevIndex(f.Severity)).String(),
		SevRank:  sevIndex(f.Severity),
		Kind:     "secret",
		Secret:   clean(secretText(f, h.opt.Reveal)),
		SecretID: clean(f.SecretID),
		Files:    e.files(),
	}
	if !f.HoldsSecret() {
		he.Kind = "match"
	}
	for _, id := range e.ruleIDs() {
		he.Rules = append(he.Rules, clean(id))
	}
	seenStore, seenAgent := map[string]bool{}, map[string]bool{}
	var first time.Time
	for _, pl := range e.places {
		if s := storeOf(pl); !seenStore[s] {
			seenStore[s] = true
			he.Stores = append(he.Stores, s)
		}
		if a := agentName(pl); !seenAgent[a] {
			seenAgent[a] = true
			he.Agents = append(he.Agents, a)
		}
		if t, ok := findingTime(pl); ok && (first.IsZero() || t.Before(first)) {
			first = t
		}
		he.Places = append(he.Places, htmlPlaceOf(pl))
	}
	if !first.IsZero() {
		he.First = first.UTC().Format("2006-01-02 15:04")
		he.FirstKey = first.UTC().Format(time.RFC3339)
	}
	he.RulesList = strings.Join(he.Rules, "\n")
	he.StoresList = strings.Join(he.Stores, "\n")
	he.AgentsList = strings.Join(he.Agents, "\n")
	return he
}

// htmlPlaceOf describes one place: its path and position, and its whole
// context with the source's labels, the field that held the secret and
// the record's other fields that held it too.
func htmlPlaceOf(f *scanner.Finding) htmlPlace {
	pl := htmlPlace{Path: clean(f.Path()), Pos: position(f.Line, f.Column), RuleID: clean(f.RuleID)}
	for _, a := range f.Context {
		if a.Value == "" {
			continue
		}
		label := f.Source.FieldLabel(a.Key)
		v := a.Value
		if a.Key == scanner.FieldTimestamp.Key {
			label, v = "time", shortTime(v)
		}
		if label == "" {
			label = strings.ReplaceAll(a.Key, "_", " ")
		}
		pl.Context = append(pl.Context, htmlAttr{clean(label), clean(v)})
	}
	if f.Field != "" {
		pl.Context = append(pl.Context, htmlAttr{"field", clean(f.Field)})
	}
	if len(f.AlsoIn) > 0 {
		also := make([]string, len(f.AlsoIn))
		for i, o := range f.AlsoIn {
			also[i] = clean(o)
		}
		pl.Context = append(pl.Context, htmlAttr{"also in", strings.Join(also, ", ")})
	}
	return pl
}

// findingTime returns the time of a finding's record (its "timestamp"
// context value, RFC 3339), and false when it has none.
func findingTime(f *scanner.Finding) (time.Time, bool) {
	ts := f.Context.Get(scanner.FieldTimestamp.Key)
	if ts == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	return t, err == nil
}

// htmlFixes returns the advice of each rule, most severe first then in the
// entries' order, and what to do about each kind of file.
func htmlFixes(entries []*entry) ([]htmlFix, []htmlAdvice) {
	var fixes []htmlFix
	index := map[string]int{}
	var advice []htmlAdvice
	seenSource := map[string]bool{}
	add := func(f *scanner.Finding, counted bool) {
		i, ok := index[f.RuleID]
		if !ok {
			i = len(fixes)
			index[f.RuleID] = i
			fixes = append(fixes, htmlFix{
				RuleID: clean(f.RuleID), Severity: rules.Severity(sevIndex(f.Severity)).String(),
				Description: clean(f.Description), Why: clean(why(f)), Fix: clean(ruleRemediation(f)),
			})
		}
		if counted {
			fixes[i].N++
		}
		if f.Source != nil && f.Source.Advice != "" && !seenSource[f.Source.Name] {
			seenSource[f.Source.Name] = true
			what := f.Source.Label
			if what == "" {
				what = f.Source.Name + " files"
			}
			advice = append(advice, htmlAdvice{What: clean("In " + what), Advice: clean(f.Source.Advice)})
		}
	}
	for _, e := range entries {
		add(e.head, false) // the rule that speaks for the entry first
		for _, f := range e.places {
			add(f, true)
		}
	}
	return fixes, advice
}

// htmlChart is the SVG chart of findings over time, laid out in Go: the
// template only places the shapes.
type htmlChart struct {
	Width, Height int
	Bars          []htmlBar
	YTicks        []htmlTick
	XLabels       []htmlTick
	Unit          string // "day", "week" or "month"
	Timed         int    // findings with a time
	Untimed       int    // findings without one (configs, memory files)
	From, To      string
	PlotX, PlotY  int
	PlotW, PlotH  int
	Legend        []htmlLegend
}

type htmlBar struct {
	X, Y, W, H string
	Severity   string
	Title      string
}

type htmlTick struct {
	X, Y  string
	Label string
}

type htmlLegend struct {
	X        string
	Severity string
}

// Chart geometry, in SVG user units.
const (
	chartW      = 760
	chartH      = 240
	chartLeft   = 44
	chartRight  = 12
	chartTop    = 28
	chartBottom = 36
	maxBuckets  = 120
)

// newChart buckets the findings that have a time by day (by week when the
// span is over maxBuckets days, by month over maxBuckets weeks), stacked
// by severity. It returns a chart with no bars when no finding has a
// time.
func newChart(fs []scanner.Finding) *htmlChart {
	c := &htmlChart{Width: chartW, Height: chartH, PlotX: chartLeft, PlotY: chartTop,
		PlotW: chartW - chartLeft - chartRight, PlotH: chartH - chartTop - chartBottom}
	var times []time.Time
	var sevs []int
	for i := range fs {
		if t, ok := findingTime(&fs[i]); ok {
			times = append(times, t.UTC())
			sevs = append(sevs, sevIndex(fs[i].Severity))
		} else {
			c.Untimed++
		}
	}
	c.Timed = len(times)
	for s := numSeverities - 1; s >= 0; s-- {
		c.Legend = append(c.Legend, htmlLegend{X: strconv.Itoa(chartLeft + (numSeverities-1-s)*90), Severity: rules.Severity(s).String()})
	}
	if len(times) == 0 {
		return c
	}
	lo, hi := times[0], times[0]
	for _, t := range times {
		if t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	c.From, c.To = lo.Format("2006-01-02"), hi.Format("2006-01-02")
	start := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	next := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	label := func(t time.Time) string { return t.Format("Jan 2") }
	c.Unit = "day"
	days := int(start(hi).Sub(start(lo)).Hours()/24) + 1
	switch {
	case days > maxBuckets*7:
		c.Unit = "month"
		start = func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }
		next = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
		label = func(t time.Time) string { return t.Format("Jan 2006") }
	case days > maxBuckets:
		c.Unit = "week"
		day := start
		start = func(t time.Time) time.Time {
			d := day(t)
			return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)) // Monday
		}
		next = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	}
	var buckets []time.Time
	for b := start(lo); !b.After(hi); b = next(b) {
		buckets = append(buckets, b)
	}
	counts := make([][numSeverities]int, len(buckets))
	for i, t := range times {
		k := sort.Search(len(buckets), func(j int) bool { return buckets[j].After(t) }) - 1
		counts[max(k, 0)][sevs[i]]++
	}
	top := 1
	for _, cs := range counts {
		n := 0
		for _, v := range cs {
			n += v
		}
		top = max(top, n)
	}
	scale := niceCeil(top)
	slot := float64(c.PlotW) / float64(len(buckets))
	barW := max(slot*0.7, 1)
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	for i, cs := range counts {
		x := float64(chartLeft) + slot*float64(i) + (slot-barW)/2
		y := float64(chartTop + c.PlotH)
		total := 0
		for _, v := range cs {
			total += v
		}
		for s := 0; s < numSeverities; s++ { // least severe at the bottom
			if cs[s] == 0 {
				continue
			}
			h := float64(cs[s]) / float64(scale) * float64(c.PlotH)
			y -= h
			name := rules.Severity(s).String()
			c.Bars = append(c.Bars, htmlBar{X: f(x), Y: f(y), W: f(barW), H: f(h), Severity: name,
				Title: fmt.Sprintf("%s: %s (%d in all)", bucketName(buckets[i], c.Unit), count(cs[s], name+" finding", name+" findings"), total)})
		}
	}
	for _, v := range []int{0, scale / 2, scale} {
		y := float64(chartTop+c.PlotH) - float64(v)/float64(scale)*float64(c.PlotH)
		c.YTicks = append(c.YTicks, htmlTick{X: strconv.Itoa(chartLeft - 6), Y: f(y), Label: strconv.Itoa(v)})
	}
	every := max(1, (len(buckets)+9)/10) // at most about 10 labels
	for i := 0; i < len(buckets); i += every {
		c.XLabels = append(c.XLabels, htmlTick{X: f(float64(chartLeft) + slot*(float64(i)+0.5)), Y: strconv.Itoa(chartTop + c.PlotH + 16), Label: label(buckets[i])})
	}
	return c
}

// PlotBottom is the y of the plot's x axis.
func (c *htmlChart) PlotBottom() int { return c.PlotY + c.PlotH }

// PlotRight is the x of the plot's right edge.
func (c *htmlChart) PlotRight() int { return c.PlotX + c.PlotW }

// bucketName names a chart bucket for its tooltip.
func bucketName(t time.Time, unit string) string {
	switch unit {
	case "week":
		return "week of " + t.Format("2006-01-02")
	case "month":
		return t.Format("January 2006")
	}
	return t.Format("2006-01-02")
}

// niceCeil rounds n up to an even number that halves into a whole tick:
// 1 → 2, 7 → 8, 13 → 14.
func niceCeil(n int) int {
	if n < 2 {
		return 2
	}
	return n + n%2
}

// htmlCSS and htmlJS are the page's whole style and script. The Content
// Security Policy allows exactly these two by their hashes.
const htmlCSS = `
:root{--fg:#1d2329;--muted:#5d6a76;--bg:#fff;--panel:#f4f6f8;--line:#d8dee4;--link:#0b62c4;
--critical:#b3122e;--high:#d9480f;--medium:#b7791f;--low:#1c6fb8;--info:#6b7785;--good:#1a7f37}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ec;--muted:#9aa6b2;--bg:#14181c;--panel:#1d2329;--line:#333c45;--link:#6cb2ff;
--critical:#ff5c72;--high:#ff8a4c;--medium:#e6b450;--low:#5aa7ef;--info:#9aa6b2;--good:#4ac26b}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1280px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
.meta{color:var(--muted);margin:0 0 16px;overflow-wrap:anywhere}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.verdict{padding:12px 16px;border-radius:6px;border-left:6px solid;background:var(--panel);font-weight:600}
.verdict.found,.verdict.incomplete{border-color:var(--critical)}.verdict.clean{border-color:var(--good)}.verdict.nothing{border-color:var(--info)}
.warn{color:var(--critical);font-weight:600}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.card{background:var(--panel);border-radius:6px;padding:8px 14px;min-width:110px}
.card .n{font-size:22px;font-weight:700;display:block}.card .l{color:var(--muted)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:18px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right}
.sev{display:inline-block;min-width:66px;text-align:center;border-radius:4px;padding:1px 6px;color:#fff;font-size:11.5px;font-weight:700;text-transform:uppercase}
.sev.critical{background:var(--critical)}.sev.high{background:var(--high)}.sev.medium{background:var(--medium)}.sev.low{background:var(--low)}.sev.info{background:var(--info)}
.n.critical{color:var(--critical)}.n.high{color:var(--high)}.n.medium{color:var(--medium)}.n.low{color:var(--low)}.n.info{color:var(--info)}
.secret{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;overflow-wrap:anywhere}
.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
.ctx{color:var(--muted);font-size:12.5px;overflow-wrap:anywhere}
.ctx b{font-weight:600}
ol.places{margin:6px 0 0;padding-left:20px}ol.places li{margin:0 0 6px}
details summary{cursor:pointer;color:var(--link)}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:end;margin:0 0 10px}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
select,input{font:inherit;padding:3px 6px;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}
th[data-key]{cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
tr[hidden]{display:none}
svg.chart{width:100%;max-width:900px;height:auto;background:var(--panel);border-radius:6px}
svg.chart text{fill:var(--muted);font-size:11px}
svg.chart .axis{stroke:var(--line)}
svg.chart rect.critical{fill:var(--critical)}svg.chart rect.high{fill:var(--high)}svg.chart rect.medium{fill:var(--medium)}
svg.chart rect.low{fill:var(--low)}svg.chart rect.info{fill:var(--info)}
.note{color:var(--muted);font-size:12.5px}
dl.fix{margin:0}dl.fix dt{font-weight:600;margin-top:14px}dl.fix dd{margin:4px 0 0 0}
.lbl{color:var(--muted);display:inline-block;min-width:40px}
footer{margin-top:36px;color:var(--muted);font-size:12px}
`

const htmlJS = `
(function () {
  "use strict";
  var table = document.getElementById("secrets");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var shown = document.getElementById("shown");
  var filters = {
    sev: document.getElementById("f-sev"),
    rule: document.getElementById("f-rule"),
    store: document.getElementById("f-store"),
    agent: document.getElementById("f-agent"),
    q: document.getElementById("f-q")
  };
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sortKey = "", sortDir = "";

  function listHas(list, v) { return (list || "").split("\n").indexOf(v) >= 0; }

  function apply() {
    var sev = filters.sev.value, rule = filters.rule.value, store = filters.store.value,
        agent = filters.agent.value, q = filters.q.value.trim().toLowerCase(), n = 0;
    rows.forEach(function (r) {
      var ok = (!sev || r.getAttribute("data-sev") === sev) &&
        (!rule || listHas(r.getAttribute("data-rules"), rule)) &&
        (!store || listHas(r.getAttribute("data-stores"), store)) &&
        (!agent || listHas(r.getAttribute("data-agents"), agent)) &&
        (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) { n++; }
    });
    shown.textContent = n + " of " + rows.length;
  }

  function cellKey(r, i) {
    var c = r.cells[i];
    return c ? (c.hasAttribute("data-sort") ? c.getAttribute("data-sort") : c.textContent) : "";
  }

  function sortRows(key, dir) {
    var idx = -1;
    heads.forEach(function (h, i) {
      if (h.getAttribute("data-key") === key) { idx = i; }
      h.removeAttribute("aria-sort");
    });
    if (idx < 0) { key = ""; }
    sortKey = key; sortDir = dir === "desc" ? "desc" : "asc";
    var sign = sortDir === "desc" ? -1 : 1;
    rows.sort(function (a, b) {
      if (idx >= 0) {
        var x = cellKey(a, idx), y = cellKey(b, idx), c;
        var nx = parseFloat(x), ny = parseFloat(y);
        if (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y) {
          c = nx - ny;
        } else {
          c = x < y ? -1 : x > y ? 1 : 0;
        }
        if (c !== 0) { return sign * c; }
      }
      return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
    });
    rows.forEach(function (r) { body.appendChild(r); });
    if (idx >= 0) { heads[idx].setAttribute("aria-sort", sortDir === "desc" ? "descending" : "ascending"); }
  }

  function writeHash() {
    var p = [];
    ["sev", "rule", "store", "agent", "q"].forEach(function (k) {
      var v = filters[k].value;
      if (v) { p.push(k + "=" + encodeURIComponent(v)); }
    });
    if (sortKey) { p.push("sort=" + encodeURIComponent(sortKey), "dir=" + sortDir); }
    try { history.replaceState(null, "", p.length ? "#" + p.join("&") : location.pathname + location.search); } catch (e) { return; }
  }

  function readHash() {
    var h = location.hash.replace(/^#/, "");
    if (h.indexOf("=") < 0) { return; }
    var p = {};
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) {
        try { p[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " ")); } catch (e) { p[kv.slice(0, i)] = ""; }
      }
    });
    ["sev", "rule", "store", "agent", "q"].forEach(function (k) {
      var el = filters[k], v = p[k] || "";
      if (el.tagName === "SELECT") {
        el.value = "";
        Array.prototype.forEach.call(el.options, function (o) { if (o.value === v) { el.value = v; } });
      } else {
        el.value = v;
      }
    });
    sortRows(p.sort || "", p.dir || "asc");
  }

  ["sev", "rule", "store", "agent"].forEach(function (k) {
    filters[k].addEventListener("change", function () { apply(); writeHash(); });
  });
  filters.q.addEventListener("input", function () { apply(); writeHash(); });
  heads.forEach(function (h) {
    var key = h.getAttribute("data-key");
    if (!key) { return; }
    h.tabIndex = 0;
    var go = function () {
      sortRows(key, sortKey === key && sortDir === "asc" ? "desc" : "asc");
      writeHash();
    };
    h.addEventListener("click", go);
    h.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
  });
  document.getElementById("f-reset").addEventListener("click", function () {
    ["sev", "rule", "store", "agent", "q"].forEach(function (k) { filters[k].value = ""; });
    sortRows("", "asc"); apply(); writeHash();
  });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  readHash();
  apply();
  document.documentElement.setAttribute("data-ready", "1");
  document.documentElement.setAttribute("data-styled", getComputedStyle(table).borderCollapse === "collapse" ? "1" : "0");
})();
`

// htmlCSP is the page's Content Security Policy: nothing may load, and
// only the page's own style and script (by hash) apply.
var htmlCSP = "default-src 'none'; style-src '" + cspHash(htmlCSS) + "'; script-src '" + cspHash(htmlJS) +
	"'; img-src data:; base-uri 'none'; form-action 'none'"

// cspHash returns the CSP source expression of an inline block:
// "sha256-<base64>".
func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// htmlPage is the page template. The style and script are spliced in as
// template text (they are constants, and must stay byte-for-byte what the
// CSP hashes). It is parsed on first use (at start-up it cost every run
// half a millisecond).
var htmlPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"minus1": func(n int) int { return n - 1 },
	}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mcpscan {{.Version}}">
<title>{{.Title}}</title>
<style>` + htmlCSS + `</style>
</head>
<body>
<main>
<header>
<h1>mcpscan report</h1>
<p class="meta">{{if .Roots}}<span id="roots">{{.Roots}}</span> · {{end}}mcpscan {{.Version}}{{if .Host}} · host {{.Host}}{{end}}{{if .User}} · user {{.User}}{{end}}{{if .Started}} · {{.Started}}{{end}}</p>
{{if .Revealed}}<p class="warn" id="revealed">This report shows full secret values (--show-secrets): it is itself a credential store. Keep it private and delete it when done.</p>{{end}}
</header>

<section id="summary">
<p class="verdict {{.VerdictKind}}" id="verdict">{{.VerdictText}}</p>
<div class="cards" id="severities">
{{range .Severities}}<div class="card" data-severity="{{.Name}}"><span class="n {{.Name}}">{{.N}}</span><span class="l">{{.Name}}</span></div>
{{end}}<div class="card" id="secret-count"><span class="n">{{.Secrets}}</span><span class="l">distinct secrets in {{.Places}} places</span></div>
{{if .Other}}<div class="card"><span class="n">{{.Other}}</span><span class="l">other findings</span></div>
{{end}}</div>
<table class="facts">
<tr><th>findings</th><td>{{.Findings}} in {{.Files}} files</td></tr>
<tr><th>scanned</th><td>{{.Scanned}}</td></tr>
{{if .Skipped}}<tr><th>skipped</th><td>{{.Skipped}}</td></tr>
{{end}}<tr><th>suppressed</th><td>{{if .Suppressed}}{{.Suppressed}}{{else}}none{{end}}</td></tr>
<tr><th>complete</th><td id="complete">{{if .Complete}}yes: everything asked for was read{{else}}<span class="warn">no: {{.Incomplete}} inputs were not fully scanned (see Errors)</span>{{end}}</td></tr>
</table>

<div class="grid">
<div>
<h2>By store</h2>
<table id="by-store"><thead><tr><th>store</th><th class="num">secrets</th><th class="num">places</th></tr></thead><tbody>
{{range .Stores}}<tr><td>{{.Name}}</td><td class="num">{{.Secrets}}</td><td class="num">{{.Places}}</td></tr>
{{else}}<tr><td colspan="3">none</td></tr>
{{end}}</tbody></table>
</div>
<div>
<h2>By agent</h2>
<table id="by-agent"><thead><tr><th>agent or client</th><th class="num">secrets</th><th class="num">places</th></tr></thead><tbody>
{{range .Agents}}<tr><td>{{.Name}}</td><td class="num">{{.Secrets}}</td><td class="num">{{.Places}}</td></tr>
{{else}}<tr><td colspan="3">none</td></tr>
{{end}}</tbody></table>
</div>
</div>

{{if .Rotate}}<h2>Rotate first</h2>
<ol id="rotate">
{{range .Rotate}}<li><span class="sev {{.Severity}}">{{.Severity}}</span> <code>{{index .Rules 0}}</code> <span class="secret">{{.Secret}}</span> · {{len .Places}} place{{if ne (len .Places) 1}}s{{end}} in {{.Files}} file{{if ne .Files 1}}s{{end}} · {{range $i, $s := .Stores}}{{if $i}}, {{end}}{{$s}}{{end}} · <a href="#{{.Anchor}}">details</a></li>
{{end}}</ol>
{{end}}</section>

<section id="timeline">
<h2>When secrets entered the histories</h2>
{{with .Chart}}{{if .Bars}}<svg class="chart" id="chart" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="Findings per {{.Unit}} from {{.From}} to {{.To}}, by severity">
<title>Findings per {{.Unit}}, {{.From}} to {{.To}}</title>
{{range .Legend}}<rect class="{{.Severity}}" x="{{.X}}" y="8" width="10" height="10"></rect><text x="{{.X}}" dx="14" y="17">{{.Severity}}</text>
{{end}}<line class="axis" x1="{{.PlotX}}" y1="{{.PlotY}}" x2="{{.PlotX}}" y2="{{.PlotBottom}}"></line>
<line class="axis" x1="{{.PlotX}}" y1="{{.PlotBottom}}" x2="{{.PlotRight}}" y2="{{.PlotBottom}}"></line>
{{range .YTicks}}<text x="{{.X}}" y="{{.Y}}" dy="4" text-anchor="end">{{.Label}}</text>
{{end}}{{range .Bars}}<rect class="bar {{.Severity}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"><title>{{.Title}}</title></rect>
{{end}}{{range .XLabels}}<text x="{{.X}}" y="{{.Y}}" text-anchor="middle">{{.Label}}</text>
{{end}}</svg>
<p class="note">{{.Timed}} findings with a time, per {{.Unit}} (UTC){{if .Untimed}}; {{.Untimed}} findings in files without times (configs, memory files, backups) are not in the chart{{end}}.</p>
{{else}}<p class="note" id="chart">No finding has a time: none came from a history or transcript with timestamps.</p>
{{end}}{{end}}</section>

<section id="all">
<h2>Every secret</h2>
<div class="filters">
<label>severity<select id="f-sev"><option value="">all</option>{{range .Severities}}{{if .N}}<option value="{{.Name}}">{{.Name}}</option>{{end}}{{end}}</select></label>
<label>rule<select id="f-rule"><option value="">all</option>{{range .RuleOptions}}<option value="{{.}}">{{.}}</option>{{end}}</select></label>
<label>store<select id="f-store"><option value="">all</option>{{range .Stores}}<option value="{{.Name}}">{{.Name}}</option>{{end}}</select></label>
<label>agent<select id="f-agent"><option value="">all</option>{{range .Agents}}<option value="{{.Name}}">{{.Name}}</option>{{end}}</select></label>
<label>text<input id="f-q" type="search" placeholder="path, session, secret…"></label>
<button id="f-reset" type="button">reset</button>
<span class="note">showing <span id="shown">{{len .Entries}} of {{len .Entries}}</span></span>
</div>
<table id="secrets">
<thead><tr><th data-key="severity">severity</th><th data-key="rule">rule</th><th data-key="secret">secret</th><th data-key="places" class="num">places</th><th>where</th><th data-key="store">store</th><th data-key="agent">agent</th><th data-key="first">first seen</th></tr></thead>
<tbody>
{{range .Entries}}<tr id="{{.Anchor}}" data-order="{{.Order}}" data-sev="{{.Severity}}" data-rules="{{.RulesList}}" data-stores="{{.StoresList}}" data-agents="{{.AgentsList}}">
<td data-sort="{{.SevRank}}"><span class="sev {{.Severity}}">{{.Severity}}</span></td>
<td data-sort="{{index .Rules 0}}">{{range $i, $r := .Rules}}{{if $i}}<br>{{end}}<code>{{$r}}</code>{{end}}</td>
<td class="secret" data-sort="{{.Secret}}">{{.Secret}}{{if .SecretID}}<div class="ctx">id {{.SecretID}}</div>{{end}}</td>
<td class="num" data-sort="{{len .Places}}">{{len .Places}}</td>
<td>{{with index .Places 0}}<span class="path">{{.Path}}{{.Pos}}</span>{{end}}{{if gt (len .Places) 1}} <span class="ctx">and {{len .Places | minus1}} more</span>{{end}}
<details><summary>{{if eq (len .Places) 1}}context{{else}}all {{len .Places}} places in {{.Files}} files{{end}}</summary><ol class="places">
{{range .Places}}<li><span class="path">{{.Path}}{{.Pos}}</span> <span class="ctx">{{.RuleID}}</span>{{if .Context}}<div class="ctx">{{range $i, $a := .Context}}{{if $i}} · {{end}}<b>{{$a.Label}}</b> {{$a.Value}}{{end}}</div>{{end}}</li>
{{end}}</ol></details></td>
<td data-sort="{{index .Stores 0}}">{{range $i, $s := .Stores}}{{if $i}}<br>{{end}}{{$s}}{{end}}</td>
<td data-sort="{{index .Agents 0}}">{{range $i, $a := .Agents}}{{if $i}}<br>{{end}}{{$a}}{{end}}</td>
<td data-sort="{{.FirstKey}}">{{if .First}}{{.First}}{{else}}<span class="ctx">—</span>{{end}}</td>
</tr>
{{end}}</tbody>
</table>
{{if not .Entries}}<p class="note">No findings.</p>{{end}}
</section>

{{if .Fixes}}<section id="fix">
<h2>How to fix</h2>
<dl class="fix">
{{range .Fixes}}<dt><span class="sev {{.Severity}}">{{.Severity}}</span> <code>{{.RuleID}}</code> <span class="note">{{.N}} finding{{if ne .N 1}}s{{end}}</span></dt>
{{if .Description}}<dd><span class="lbl">what</span> {{.Description}}</dd>{{end}}
{{if .Why}}<dd><span class="lbl">why</span> {{.Why}}</dd>{{end}}
<dd><span class="lbl">fix</span> {{.Fix}}</dd>
{{end}}{{range .Advice}}<dt>{{.What}}</dt><dd>{{.Advice}}</dd>
{{end}}</dl>
</section>
{{end}}
{{if .Errors}}<section id="errors">
<h2>Errors</h2>
<table><thead><tr><th>path</th><th>problem</th><th>reason</th><th>complete</th></tr></thead><tbody>
{{range .Errors}}<tr><td class="path">{{.Path}}{{if .Line}}:{{.Line}}{{end}}</td><td>{{.Error}}</td><td>{{.Reason}}</td><td>{{if .Incomplete}}<span class="warn">not fully scanned</span>{{else}}scanned{{end}}</td></tr>
{{end}}</tbody></table>
</section>
{{end}}
<footer>Written by mcpscan {{.Version}}. {{if .Revealed}}Secrets are shown in full.{{else}}Secrets are redacted: no value in this page can be used as the credential.{{end}} This page loads nothing from the network.</footer>
</main>
<script>` + htmlJS + `</script>
</body>
</html>
`))
})
