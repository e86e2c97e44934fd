package reporters

import (
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/charmbracelet/lipgloss"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
	"github.com/muesli/termenv"
)

// terminalReporter writes the human-readable report, in the order of what
// to do first:
//
//   - a header line (tool, version, roots);
//   - the findings, one entry per secret (findings sharing a SecretID;
//     a finding without one is an entry of its own), most severe first,
//     then live provider keys before generic assignments, then by place
//     (groupEntries). An entry is a severity badge, its rule IDs and the
//     (redacted) secret, the rule's description the first time the rule
//     appears, and the secret's places: path:line:column and the record's
//     context (session · time · tool → field), the first few in full and
//     "and 9 more places (-v to list)";
//   - "How to fix": each piece of advice once, most severe first, with the
//     rules it applies to, then what to do about each kind of file;
//   - the errors (the first few; all with -v);
//   - a summary: counts per severity, distinct secrets and their places,
//     files and bytes scanned, what was skipped and suppressed, whether
//     the scan was complete; and a one-line verdict.
//
// With Options.Width every line fits in Width columns: prose is wrapped,
// long paths are shortened in the middle, context lines drop their least
// useful parts first. Options.Verbosity selects -q (summary and verdict)
// or -v (every place, every error). Every string that comes from scanned
// files is stripped of control and bidirectional-override characters
// before it reaches the terminal (clean).
type terminalReporter struct{ opt Options }

// placesShown is how many places of a secret the default report lists in
// full; -v lists them all.
const placesShown = 3

// errorsShown is how many errors the default report lists; -v lists them
// all.
const errorsShown = 10

// Report writes res as the terminal report.
func (t *terminalReporter) Report(w io.Writer, res *scanner.Result) error {
	if res == nil {
		res = &scanner.Result{}
	}
	r := lipgloss.NewRenderer(w)
	if !t.opt.Color {
		r.SetColorProfile(termenv.Ascii)
	} else if r.ColorProfile() == termenv.Ascii {
		// The caller asked for colour (--color=always into a pipe): the 16
		// basic colours are all the report uses.
		r.SetColorProfile(termenv.ANSI)
	}
	p := &printer{
		st:        newStyles(r, t.opt.Color),
		width:     t.opt.Width,
		reveal:    t.opt.Reveal,
		verbosity: t.opt.Verbosity,
		described: make(map[string]bool),
	}
	if p.width > 0 {
		p.width = max(p.width, minWidth)
	}
	for i := range p.st.badge {
		if bw := lipgloss.Width(p.st.badge[i].Render(severityLabel(rules.Severity(i)))); bw > p.badgeW {
			p.badgeW = bw
		}
	}

	entries := groupEntries(res.Findings)
	if p.verbosity > VerbosityQuiet {
		roots := t.opt.Roots
		if len(roots) == 0 {
			roots = res.Roots
		}
		p.header(t.opt.Version, roots)
		if len(entries) > 0 {
			p.findingsHeading(entries)
			for _, e := range entries {
				p.entry(e)
			}
		}
		p.fixes(entries)
		p.errors(res.Errors)
	}
	p.summary(res, entries)

	_, err := io.WriteString(w, p.b.String())
	return err
}

// printer accumulates one terminal report.
type printer struct {
	b         strings.Builder
	st        *styles
	width     int        // columns; <= 0 means unlimited
	reveal    secret.Key // print raw secrets (--show-secrets)
	verbosity int        // Options.Verbosity
	badgeW    int        // width of the widest severity badge
	// described records the rules whose description an entry printed;
	// "How to fix" prints the others'.
	described map[string]bool
}

// minWidth is the narrowest Width honoured: below it lines are laid out
// for minWidth columns.
const minWidth = 40

// minProse is the narrowest column wrapped prose is squeezed into.
const minProse = 20

// minPath is the narrowest a path is shortened to before its context
// moves to a line of its own.
const minPath = 40

// txt makes text from a scanned file safe for a terminal: control
// characters escaped (secrets were redacted by the scanner).
func (p *printer) txt(s string) string { return clean(s) }

func (p *printer) line(parts ...string) {
	for _, s := range parts {
		p.b.WriteString(s)
	}
	p.b.WriteByte('\n')
}

// avail returns the columns left after indent cells; 0 means unlimited.
func (p *printer) avail(indent int) int {
	if p.width <= 0 {
		return 0
	}
	return max(p.width-indent, minProse)
}

// fit truncates plain text s so that it fits in the columns left after
// indent cells.
func (p *printer) fit(s string, indent int) string {
	if p.width <= 0 {
		return s
	}
	return truncate(s, p.avail(indent))
}

// para prints text word-wrapped to the width, the first line after indent
// and label, the following lines aligned under the first line's text.
// A word wider than the line is cut.
func (p *printer) para(indent int, label string, labelStyle lipgloss.Style, text string, style lipgloss.Style) {
	prefix := strings.Repeat(" ", indent)
	head := prefix
	if label != "" {
		head += labelStyle.Render(label) + " "
	}
	hang := prefix
	if label != "" {
		hang += strings.Repeat(" ", lipgloss.Width(label)+1)
	}
	avail := p.avail(lipgloss.Width(hang))
	for i, l := range wrap(text, avail) {
		if avail > 0 {
			l = truncate(l, avail)
		}
		if i == 0 {
			p.line(head, style.Render(l))
		} else {
			p.line(hang, style.Render(l))
		}
	}
}

func (p *printer) header(version string, roots []string) {
	title := "mcpscan"
	if version != "" {
		title += " " + p.txt(version)
	}
	rest := ""
	if len(roots) > 0 {
		rs := make([]string, len(roots))
		for i, r := range roots {
			rs[i] = p.txt(r)
		}
		rest = " · " + strings.Join(rs, ", ")
	}
	full := p.fit(title+rest, 0)
	if len(full) > len(title) && strings.HasPrefix(full, title) {
		p.line(p.st.title.Render(title), p.st.context.Render(full[len(title):]))
	} else {
		p.line(p.st.title.Render(full))
	}
	p.line()
}

// findingsHeading introduces the list: how many secrets in how many
// places, and the order.
func (p *printer) findingsHeading(entries []*entry) {
	secrets, places, other := secretCounts(entries)
	var parts []string
	if secrets > 0 {
		parts = append(parts, count(secrets, "secret", "secrets")+" in "+count(places, "place", "places"))
	}
	if other > 0 {
		parts = append(parts, count(other, "other finding", "other findings"))
	}
	p.line(p.st.heading.Render("Findings"), p.st.groupCount.Render(p.fit(" · "+strings.Join(parts, ", ")+" · most severe first", len("Findings"))))
	p.line()
}

// severityLabel is the badge text of a severity: "CRITICAL" … "INFO".
func severityLabel(s rules.Severity) string {
	return strings.ToUpper(rules.Severity(sevIndex(s)).String())
}

// entry prints one secret (or one finding of another kind) and its places.
func (p *printer) entry(e *entry) {
	const indent = 4
	pad := strings.Repeat(" ", indent)
	f := e.head
	badge := p.st.badge[sevIndex(f.Severity)].Render(severityLabel(f.Severity))
	badge += strings.Repeat(" ", max(p.badgeW-lipgloss.Width(badge), 0))
	headW := 2 + p.badgeW + 1

	ids := p.txt(strings.Join(e.ruleIDs(), ", "))
	if p.width > 0 {
		ids = truncate(ids, max(p.width-headW, minProse))
	}
	label, value := "secret", secretText(f, p.reveal)
	if !f.HoldsSecret() {
		label = "match"
	}
	multiLine := strings.ContainsAny(value, "\r\n")
	where := ""
	if n := len(e.places); n > 1 {
		where = count(n, "place", "places")
		if nf := e.files(); nf > 1 {
			where += " in " + count(nf, "file", "files")
		}
	}

	// The first line: badge, rules, and the secret and its count of places
	// when they fit beside them.
	head := "  " + badge + " " + p.st.ruleID.Render(ids)
	used := headW + lipgloss.Width(ids)
	val := p.txt(value)
	fits := func(extra int) bool { return p.width <= 0 || used+extra <= p.width }
	switch {
	case value == "" || multiLine:
	case fits(2 + len(label) + 1 + lipgloss.Width(val)):
		head += "  " + p.st.label.Render(label) + " " + p.st.secret.Render(val)
		used += 2 + len(label) + 1 + lipgloss.Width(val)
		value = ""
	}
	if where != "" && value == "" && fits(3+len(where)) {
		head += p.st.groupCount.Render(" · " + where)
		where = ""
	}
	p.line(head)
	if value != "" {
		p.secretLines(indent, label, value, where)
	} else if where != "" {
		p.line(pad, p.st.groupCount.Render(p.fit(where, indent)))
	}

	if desc := p.txt(f.Description); desc != "" && !p.described[f.RuleID] {
		p.described[f.RuleID] = true
		p.para(indent, "", p.st.label, desc, p.st.description)
	}

	shown, rest := p.pickPlaces(e)
	for _, pl := range shown {
		p.place(pl, indent)
	}
	if len(rest) > 0 {
		more := "and " + count(len(rest), "more place", "more places")
		if nf := newFiles(shown, rest); nf > 0 {
			more += " in " + count(nf, "more file", "more files")
		}
		p.line(pad, p.st.groupCount.Render(p.fit(more+" (-v to list)", indent)))
	}
	p.line()
}

// secretLines prints a secret on lines of its own after its label (a
// multi-line secret, or one too wide to share the first line), hard-wrapped
// to the width, then where (the count of places), if any.
func (p *printer) secretLines(indent int, label, value, where string) {
	pad := strings.Repeat(" ", indent)
	hang := pad + strings.Repeat(" ", len(label)+1)
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(value, "\r\n", "\n"), "\n") {
		lines = append(lines, hardWrap(clean(l), p.avail(len(hang)))...)
	}
	for i, l := range lines {
		tail := ""
		if i == len(lines)-1 && where != "" && (p.width <= 0 || len(hang)+lipgloss.Width(l)+3+len(where) <= p.width) {
			tail, where = p.st.groupCount.Render(" · "+where), ""
		}
		if i == 0 {
			p.line(pad, p.st.label.Render(label), " ", p.st.secret.Render(l), tail)
		} else {
			p.line(hang, p.st.secret.Render(l), tail)
		}
	}
	if where != "" {
		p.line(pad, p.st.groupCount.Render(p.fit(where, indent)))
	}
}

// pickPlaces returns the places to print and those left out: every place
// with -v; else the first few, one per file first, so that a secret in a
// config, a history and a transcript shows all three before a second line
// of the same transcript.
func (p *printer) pickPlaces(e *entry) (shown, rest []*scanner.Finding) {
	if p.verbosity >= VerbosityVerbose || len(e.places) <= placesShown {
		return e.places, nil
	}
	picked := make(map[*scanner.Finding]bool, placesShown)
	files := make(map[string]bool)
	for _, f := range e.places {
		if len(picked) < placesShown && !files[f.Path()] {
			files[f.Path()] = true
			picked[f] = true
		}
	}
	for _, f := range e.places {
		if len(picked) < placesShown {
			picked[f] = true
		}
	}
	for _, f := range e.places { // keep the Result's order
		if picked[f] {
			shown = append(shown, f)
		} else {
			rest = append(rest, f)
		}
	}
	return shown, rest
}

// newFiles counts the files of rest that no place of shown is in.
func newFiles(shown, rest []*scanner.Finding) int {
	seen := make(map[string]bool)
	for _, f := range shown {
		seen[f.Path()] = true
	}
	n := 0
	for _, f := range rest {
		if !seen[f.Path()] {
			seen[f.Path()] = true
			n++
		}
	}
	return n
}

// place prints where a finding sits: "path:line:column · context" on one
// line when the context fits beside the path, shortened in the middle to
// no less than minPath cells and keeping the file's name whole; else the
// path on one line and the context on the next.
func (p *printer) place(f *scanner.Finding, indent int) {
	pad := strings.Repeat(" ", indent)
	pos := position(f.Line, f.Column)
	path := p.txt(f.Path())
	parts := p.contextParts(f, path)
	ctx := joinParts(parts)
	const sep = " · "
	if p.width <= 0 {
		if ctx == "" {
			p.line(pad, p.st.path.Render(path), p.st.position.Render(pos))
		} else {
			p.line(pad, p.st.path.Render(path), p.st.position.Render(pos), p.st.context.Render(sep+ctx))
		}
		return
	}
	avail := p.avail(indent)
	pathRoom := avail - len(pos)
	if ctx == "" {
		p.line(pad, p.st.path.Render(shortenMiddle(path, max(pathRoom, 1))), p.st.position.Render(pos))
		return
	}
	pathW := lipgloss.Width(path)
	if room := pathRoom - len(sep) - lipgloss.Width(ctx); room >= pathW ||
		room >= minPath && lipgloss.Width(baseName(path))+minHead+1 <= room {
		p.line(pad, p.st.path.Render(shortenMiddle(path, room)), p.st.position.Render(pos), p.st.context.Render(sep+ctx))
		return
	}
	p.line(pad, p.st.path.Render(shortenMiddle(path, max(pathRoom, 1))), p.st.position.Render(pos))
	p.line(pad, "  ", p.st.context.Render(fitParts(parts, p.avail(indent+2))))
}

// ctxPart is one piece of a context line, with how readily it is dropped
// when the line is too long (lower goes first).
type ctxPart struct {
	text string
	keep int
}

// Ranks of context parts: the time and where in the record the secret sat
// stay longest; the other fields of the same record, the project (often
// in the path already) and further fields go first.
const (
	keepAlso    = 0
	keepProject = 1
	keepField   = 2
	keepWhere   = 3
	keepTime    = 4
)

// contextParts returns a finding's context as the parts of one line:
// "2026-02-12 16:05 · session 4d5611e5 · agent a1b2c3d4 · Bash →
// toolUseResult.stdout · project /home/u/dev · (also message.content)",
// leaving out what is empty, what the source keeps quiet (Field.Quiet) and
// values the path already shows. Each value is labelled with its source's
// label for the key; ids are cut to 8 characters, times to the minute; the
// tool and the field are joined by an arrow.
func (p *printer) contextParts(f *scanner.Finding, path string) []ctxPart {
	var parts []ctxPart
	flatPath := flatten(path)
	seen := func(v string) bool {
		if strings.Contains(path, v) || len(v) >= 8 && strings.Contains(flatPath, flatten(v)) {
			return true
		}
		for _, q := range parts {
			if strings.Contains(q.text, v) {
				return true
			}
		}
		return false
	}
	tool, project := "", ""
	for _, a := range f.Context {
		v := a.Value
		switch {
		case v == "" || f.Source.FieldQuiet(a.Key):
			continue
		case a.Key == scanner.FieldTool.Key:
			tool = v
			continue
		case a.Key == scanner.FieldProject.Key:
			project = v
			continue
		case a.Key == scanner.FieldTimestamp.Key:
			parts = append([]ctxPart{{p.txt(shortTime(v)), keepTime}}, parts...)
			continue
		case strings.HasSuffix(a.Key, "_id"):
			v = short(v)
		}
		if seen(v) || strings.Contains(tool, v) {
			continue
		}
		if label := f.Source.FieldLabel(a.Key); label != "" {
			v = label + " " + v
		}
		parts = append(parts, ctxPart{p.txt(v), keepField})
	}
	where := p.txt(tool)
	if f.Field != "" {
		if where != "" {
			where += " → "
		}
		where += p.txt(f.Field)
	}
	if where != "" {
		parts = append(parts, ctxPart{where, keepWhere})
	}
	if project != "" && !seen(project) {
		label := f.Source.FieldLabel(scanner.FieldProject.Key)
		if label == "" {
			label = scanner.FieldProject.Label
		}
		parts = append(parts, ctxPart{label + " " + p.txt(project), keepProject})
	}
	if len(f.AlsoIn) > 0 {
		// The same secret in further fields of the record: name them (the
		// JSON report has them all).
		others := make([]string, len(f.AlsoIn))
		for i, o := range f.AlsoIn {
			others[i] = p.txt(o)
		}
		parts = append(parts, ctxPart{"(also " + strings.Join(others, ", ") + ")", keepAlso})
	}
	return parts
}

// flatten replaces every character of s that is not a letter or a digit
// by "-", so that a value is recognised inside a path that encodes it
// ("/home/u/dev/app" in ".../projects/-home-u-dev-app/...").
func flatten(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '-'
	}, s)
}

// joinParts joins context parts with " · ".
func joinParts(parts []ctxPart) string {
	texts := make([]string, len(parts))
	for i, q := range parts {
		texts[i] = q.text
	}
	return strings.Join(texts, " · ")
}

// fitParts joins parts into at most width cells: while too wide it drops
// the most readily dropped part (the last of equal rank first), keeping at
// least one, then shortens what is left in the middle (the end of a field
// path, "….env.AWS_ACCESS_KEY_ID", says most).
func fitParts(parts []ctxPart, width int) string {
	parts = append([]ctxPart(nil), parts...)
	for len(parts) > 1 && lipgloss.Width(joinParts(parts)) > width {
		drop := len(parts) - 1
		for i := len(parts) - 1; i >= 0; i-- {
			if parts[i].keep < parts[drop].keep {
				drop = i
			}
		}
		parts = append(parts[:drop], parts[drop+1:]...)
	}
	return shortenMiddle(joinParts(parts), width)
}

// ruleFix is one piece of advice in "How to fix".
type ruleFix struct {
	ids      []string
	severity rules.Severity
	n        int
	f        *scanner.Finding // a finding with the rule, preferably one with Rule set
}

// fixes prints each piece of advice once: rules that share the same why and
// fix texts (gitleaks' provider rules all do) are listed together, most
// severe first, then in the order of the entries. A rule whose description
// no entry printed (it only ever matched beside a more severe rule) gets
// its description here. Then the advice about each kind of file the
// findings sat in, once per kind.
func (p *printer) fixes(entries []*entry) {
	var list []*ruleFix
	byText := make(map[string]*ruleFix)
	seenID := make(map[string]bool)
	add := func(f *scanner.Finding, counted bool) {
		key := why(f) + "\x00" + ruleRemediation(f)
		if !p.described[f.RuleID] && f.Description != "" {
			key = f.RuleID // its description is shown here: keep it alone
		}
		rf, ok := byText[key]
		if !ok {
			rf = &ruleFix{severity: f.Severity, f: f}
			byText[key] = rf
			list = append(list, rf)
		}
		if !seenID[f.RuleID] {
			seenID[f.RuleID] = true
			rf.ids = append(rf.ids, f.RuleID)
		}
		if counted {
			rf.n++
		}
		rf.severity = max(rf.severity, f.Severity)
		if rf.f.Rule == nil && f.Rule != nil {
			rf.f = f
		}
	}
	for _, e := range entries {
		add(e.head, false) // the rule that speaks for the entry first
		for _, f := range e.places {
			add(f, true)
		}
	}
	if len(list) == 0 {
		return
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].severity > list[j].severity })

	p.line(p.st.heading.Render("How to fix"))
	for _, rf := range list {
		p.line()
		p.para(2, "", p.st.ruleID, p.txt(strings.Join(rf.ids, ", ")), p.st.ruleID)
		p.line("    ", p.st.groupCount.Render(count(rf.n, "finding", "findings")))
		if len(rf.ids) == 1 && !p.described[rf.ids[0]] && rf.f.Description != "" {
			p.para(4, "what", p.st.label, p.txt(rf.f.Description), p.st.description)
		}
		if w := why(rf.f); w != "" {
			p.para(4, "why ", p.st.label, p.txt(w), p.st.description)
		}
		p.para(4, "fix ", p.st.label, p.txt(ruleRemediation(rf.f)), p.st.description)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		for _, f := range e.places {
			if f.Source == nil || f.Source.Advice == "" || seen[f.Source.Name] {
				continue
			}
			seen[f.Source.Name] = true
			what := f.Source.Label
			if what == "" {
				what = f.Source.Name + " files"
			}
			p.line()
			p.para(2, "", p.st.ruleID, p.txt("In "+what), p.st.ruleID)
			p.para(4, "also", p.st.label, p.txt(f.Source.Advice), p.st.description)
		}
	}
	p.line()
}

func (p *printer) errors(errs []scanner.FileError) {
	if len(errs) == 0 {
		return
	}
	p.line(p.st.heading.Render("Errors"), p.st.groupCount.Render(" · "+groupDigits(int64(len(errs)))))
	p.line()
	shown := errs
	if p.verbosity < VerbosityVerbose && len(errs) > errorsShown {
		shown = errs[:errorsShown]
	}
	for _, e := range shown {
		pos := position(e.Line, 0) + ":"
		path := p.txt(e.Path)
		msg := p.txt(e.Error)
		if p.width <= 0 || 2+lipgloss.Width(path)+len(pos)+1+lipgloss.Width(msg) <= p.width {
			p.line("  ", p.st.path.Render(path+pos), " ", p.st.errorText.Render(msg))
			continue
		}
		p.line("  ", p.st.path.Render(shortenMiddle(path, max(p.avail(2)-len(pos), 1))+pos))
		p.para(4, "", p.st.label, msg, p.st.errorText)
	}
	if len(shown) < len(errs) {
		p.line("  ", p.st.groupCount.Render(p.fit("and "+count(len(errs)-len(shown), "more error", "more errors")+" (-v to list)", 2)))
	}
	p.line()
}

func (p *printer) summary(res *scanner.Result, entries []*entry) {
	const labelW = 11 // "suppressed" and a space
	label := func(s string) string {
		return "  " + p.st.label.Render(s) + strings.Repeat(" ", labelW-len(s))
	}
	// row prints a summary line whose plain text is wrapped under the
	// value column when it is too wide.
	row := func(name string, parts []string, styles []lipgloss.Style) {
		avail := p.avail(2 + labelW)
		var lines [][]int // indexes of parts per line
		cur, curW := []int(nil), 0
		for i, s := range parts {
			w := lipgloss.Width(s)
			if len(cur) > 0 && avail > 0 && curW+3+w > avail {
				lines = append(lines, cur)
				cur, curW = nil, 0
			}
			if len(cur) > 0 {
				curW += 3
			}
			cur = append(cur, i)
			curW += w
		}
		lines = append(lines, cur)
		for n, idx := range lines {
			var b strings.Builder
			for k, i := range idx {
				if k > 0 {
					b.WriteString(" · ")
				}
				s := parts[i]
				if avail > 0 {
					s = truncate(s, avail)
				}
				b.WriteString(styles[i].Render(s))
			}
			if n == 0 {
				p.line(label(name), b.String())
			} else {
				p.line(strings.Repeat(" ", 2+labelW), b.String())
			}
		}
	}
	plain := func(parts ...string) []lipgloss.Style {
		st := make([]lipgloss.Style, len(parts))
		for i := range st {
			st[i] = p.st.description
		}
		return st
	}
	p.line(p.st.heading.Render("Summary"))

	var bySev [numSeverities]int
	files := make(map[string]bool)
	for i := range res.Findings {
		bySev[sevIndex(res.Findings[i].Severity)]++
		files[res.Findings[i].Path()] = true
	}
	n := len(res.Findings)
	if n == 0 {
		p.line(label("findings"), "none")
	} else {
		parts := []string{count(n, "finding", "findings") + " in " + count(len(files), "file", "files")}
		styles := plain(parts[0])
		for s := numSeverities - 1; s >= 0; s-- {
			if bySev[s] > 0 {
				parts = append(parts, groupDigits(int64(bySev[s]))+" "+rules.Severity(s).String())
				styles = append(styles, p.st.severity[s])
			}
		}
		row("findings", parts, styles)
	}
	if n > 0 {
		secrets, places, other := secretCounts(entries)
		parts := []string{count(secrets, "distinct secret", "distinct secrets") + " in " + count(places, "place", "places")}
		if other > 0 {
			parts = append(parts, count(other, "other finding", "other findings"))
		}
		row("secrets", parts, plain(parts...))
	}
	st := res.Stats
	scanned := []string{count64(st.FilesScanned, "file", "files"), humanBytes(st.BytesScanned), humanDuration(st.DurationMS)}
	row("scanned", scanned, plain(scanned...))
	if st.FilesSkipped > 0 || len(st.SkippedBy) > 0 {
		parts := []string{count64(st.FilesSkipped, "file", "files")}
		for _, k := range sortedKeys(st.SkippedBy) {
			parts = append(parts, groupDigits(st.SkippedBy[k])+" "+p.txt(k))
		}
		row("skipped", parts, plain(parts...))
	}
	if st.SuppressedTotal > 0 {
		parts := []string{count64(st.SuppressedTotal, "finding", "findings")}
		for _, k := range sortedKeys(st.Suppressed) {
			parts = append(parts, groupDigits(st.Suppressed[k])+" "+p.txt(k))
		}
		row("suppressed", parts, plain(parts...))
	} else {
		p.line(label("suppressed"), "none")
	}
	incomplete := 0
	for i := range res.Errors {
		if res.Errors[i].Incomplete {
			incomplete++
		}
	}
	if len(res.Errors) > 0 {
		see := " (see Errors above)"
		if p.verbosity <= VerbosityQuiet {
			see = " (listed without -q)"
		}
		p.line(label("errors"), groupDigits(int64(len(res.Errors))), see)
	}
	if incomplete > 0 {
		p.line(label("complete"), p.st.bad.Render(p.fit("no: "+count(incomplete, "input was", "inputs were")+" not fully scanned", 2+labelW)))
	} else {
		p.line(label("complete"), p.fit("yes: everything asked for was read", 2+labelW))
	}
	p.line()

	hint := "Rotate the exposed credentials first, from the top of the list, then remove them from the files."
	if p.verbosity <= VerbosityQuiet {
		hint = "Rotate the exposed credentials first, then remove them from the files; run without -q for the list, most severe first."
	}
	v := makeVerdict(res, entries, hint)
	if v.kind == verdictNothing {
		v.text = p.txt(v.text)
	}
	switch v.kind {
	case verdictFound:
		p.para(0, "✗", p.st.bad, v.text, p.st.bad)
	case verdictIncomplete:
		p.para(0, "!", p.st.bad, v.text, p.st.bad)
	case verdictNothing:
		p.para(0, "·", p.st.label, v.text, p.st.label)
	default:
		p.para(0, "✓", p.st.good, v.text, p.st.good)
	}
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
