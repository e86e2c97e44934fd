package reporters

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
	"github.com/muesli/termenv"
)

// terminalReporter writes the human-readable report:
//
//   - a header line (tool, version, roots);
//   - the findings, grouped by project (Context.Project) when the finding
//     has one, else by file path, groups in order of first appearance; each
//     finding is a severity badge with rule ID and description, the
//     location path:line:column, a context line for structured records
//     (session · time · tool → field), and the (redacted) secret;
//   - "How to fix": each rule once, most severe first, with its Why and
//     Remediation (or a generic text), so that 50 findings of one rule do
//     not repeat the same advice 50 times;
//   - the errors (path:line: error);
//   - a summary (counts per severity, files, bytes, skipped files,
//     duration) and a final line saying whether anything was found.
//
// Every string that comes from scanned files is stripped of control and
// bidirectional-override characters before it reaches the terminal.
type terminalReporter struct{ opt Options }

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
		st:      newStyles(r, t.opt.Color),
		width:   t.opt.Width,
		reveal:  t.opt.Reveal,
		cutDesc: make(map[string]bool),
	}
	for i := range p.st.badge {
		if bw := lipgloss.Width(p.st.badge[i].Render(severityLabel(rules.Severity(i)))); bw > p.badgeW {
			p.badgeW = bw
		}
	}

	roots := t.opt.Roots
	if len(roots) == 0 {
		roots = res.Roots
	}
	p.header(t.opt.Version, roots)
	groups := groupFindings(res.Findings)
	for _, g := range groups {
		p.group(g)
	}
	p.fixes(groups)
	p.errors(res.Errors)
	p.summary(res)

	_, err := io.WriteString(w, p.b.String())
	return err
}

// printer accumulates one terminal report.
type printer struct {
	b      strings.Builder
	st     *styles
	width  int        // columns; <= 0 means unlimited
	reveal secret.Key // print raw secrets (--show-secrets)
	badgeW int        // width of the widest severity badge
	// cutDesc records the rules whose description a finding line had to
	// truncate; "How to fix" then prints it in full.
	cutDesc map[string]bool
}

// minProse is the narrowest column wrapped prose is squeezed into, however
// small Width is.
const minProse = 20

// txt makes text from a scanned file safe for a terminal: control
// characters escaped (secrets were redacted by the scanner).
func (p *printer) txt(s string) string { return clean(s) }

func (p *printer) line(parts ...string) {
	for _, s := range parts {
		p.b.WriteString(s)
	}
	p.b.WriteByte('\n')
}

// fit truncates plain text s so that it fits in the columns left after
// indent cells; it never cuts below minProse cells.
func (p *printer) fit(s string, indent int) string {
	if p.width <= 0 {
		return s
	}
	return truncate(s, max(p.width-indent, minProse))
}

// para prints text word-wrapped to the width, the first line after indent
// and label, the following lines aligned under the first line's text.
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
	avail := 0
	if p.width > 0 {
		avail = max(p.width-lipgloss.Width(hang), minProse)
	}
	for i, l := range wrap(text, avail) {
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

// group is the findings shown under one heading.
type group struct {
	project  string // the "project" context value, or "" for a file group
	path     string // the file, for a file group
	findings []*scanner.Finding
}

// groupFindings groups findings by project, or by path when they have no
// project, keeping the order of first appearance.
func groupFindings(fs []scanner.Finding) []*group {
	var groups []*group
	index := make(map[string]*group)
	for i := range fs {
		f := &fs[i]
		key := "f\x00" + f.Path()
		g := &group{path: f.Path()}
		if proj := f.Context.Get(scanner.FieldProject.Key); proj != "" {
			key = "p\x00" + proj
			g = &group{project: proj}
		}
		if have, ok := index[key]; ok {
			g = have
		} else {
			index[key] = g
			groups = append(groups, g)
		}
		g.findings = append(g.findings, f)
	}
	return groups
}

func (p *printer) group(g *group) {
	kind, name := "file", g.path
	if g.project != "" {
		kind, name = "project", g.project
	}
	p.line(p.st.label.Render(kind), " ", p.st.group.Render(p.txt(name)),
		p.st.groupCount.Render(" · "+count(len(g.findings), "finding", "findings")))
	for _, f := range g.findings {
		p.line()
		p.finding(f)
	}
	p.line()
}

// severityLabel is the badge text of a severity: "CRITICAL" … "INFO".
func severityLabel(s rules.Severity) string {
	return strings.ToUpper(rules.Severity(sevIndex(s)).String())
}

func (p *printer) finding(f *scanner.Finding) {
	const indent = 4
	sev := sevIndex(f.Severity)
	badge := p.st.badge[sev].Render(severityLabel(f.Severity))
	badge += strings.Repeat(" ", max(p.badgeW-lipgloss.Width(badge), 0))
	id := p.txt(f.RuleID)
	head := "  " + badge + " " + p.st.ruleID.Render(id)
	used := 2 + p.badgeW + 1 + lipgloss.Width(id)
	desc := p.txt(f.Description)
	switch {
	case desc == "":
		p.line(head)
	case p.width <= 0 || p.width-used-2 >= minProse:
		if p.width > 0 {
			desc = p.fitDesc(f.RuleID, desc, p.width-used-2)
		}
		p.line(head, "  ", p.st.description.Render(desc))
	default: // too narrow to share the line with a long rule ID
		p.line(head)
		p.line(strings.Repeat(" ", indent), p.st.description.Render(p.fitDesc(f.RuleID, desc, max(p.width-indent, minProse))))
	}

	pad := strings.Repeat(" ", indent)
	p.line(pad, p.st.path.Render(p.txt(f.Path())), p.st.position.Render(position(f.Line, f.Column)))
	if c := p.contextLine(f, indent); c != "" {
		p.line(pad, p.st.context.Render(c))
	}

	value := secretText(f, p.reveal)
	if value == "" {
		return
	}
	label := "secret"
	if !f.Kind.HoldsSecret() {
		label = "match"
	}
	lines := strings.Split(strings.ReplaceAll(value, "\r\n", "\n"), "\n")
	hang := pad + strings.Repeat(" ", len(label)+1)
	for i, l := range lines {
		l = clean(l)
		if i == 0 {
			p.line(pad, p.st.label.Render(label), " ", p.st.secret.Render(l))
		} else {
			p.line(hang, p.st.secret.Render(l))
		}
	}
}

// fitDesc truncates a rule description to width cells, and remembers
// when it had to.
func (p *printer) fitDesc(ruleID, desc string, width int) string {
	cut := truncate(desc, width)
	if cut != desc {
		p.cutDesc[ruleID] = true
	}
	return cut
}

// position formats ":line:column", leaving out what is unknown (0).
func position(line, col int) string {
	switch {
	case line <= 0:
		return ""
	case col <= 0:
		return ":" + strconv.Itoa(line)
	}
	return ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

// contextLine formats a finding's context as
// "session 4d5611e5 · agent a1b2c3d4 · 2026-02-12 16:05 · Bash → toolUseResult.stdout (also message.content)",
// leaving out what is empty, fitted to the columns left after indent.
// Each value is shown with its source's label for the key (ids cut to 8
// characters, times to the minute); the tool and the field are joined by
// an arrow. The project is the group heading and is not repeated, nor is a
// value already shown.
func (p *printer) contextLine(f *scanner.Finding, indent int) string {
	var parts []string
	tool := ""
	for _, a := range f.Context {
		v := a.Value
		switch {
		case a.Key == scanner.FieldProject.Key || f.Source.FieldQuiet(a.Key):
			continue
		case a.Key == scanner.FieldTool.Key:
			tool = v
			continue
		case a.Key == scanner.FieldTimestamp.Key:
			v = shortTime(v)
		case strings.HasSuffix(a.Key, "_id"):
			v = short(v)
		}
		if tool != "" && strings.Contains(tool, v) || containsPart(parts, v) {
			continue
		}
		if label := f.Source.FieldLabel(a.Key); label != "" {
			v = label + " " + v
		}
		parts = append(parts, p.txt(v))
	}
	where := p.txt(tool)
	if f.Field != "" {
		if where != "" {
			where += " → "
		}
		where += p.txt(f.Field)
	}
	if where != "" {
		parts = append(parts, where)
	}
	line := strings.Join(parts, " · ")
	if len(f.AlsoIn) == 0 {
		return p.fit(line, indent)
	}
	// The same secret in further fields of the record: name them when
	// they fit, else only count them (the JSON report has the names).
	others := make([]string, len(f.AlsoIn))
	for i, o := range f.AlsoIn {
		others[i] = p.txt(o)
	}
	sep := " "
	if line == "" {
		sep = ""
	}
	full := line + sep + "(also " + strings.Join(others, ", ") + ")"
	counted := line + sep + "(+" + count(len(others), "more field", "more fields") + ")"
	switch {
	case p.width <= 0 || lipgloss.Width(full)+indent <= p.width:
		return full
	case lipgloss.Width(counted)+indent <= p.width:
		return counted
	case line == "":
		return p.fit(counted, indent)
	}
	return p.fit(line, indent)
}

// containsPart reports whether a part already shown contains v.
func containsPart(parts []string, v string) bool {
	for _, p := range parts {
		if strings.Contains(p, v) {
			return true
		}
	}
	return false
}

// short returns the first 8 characters of an ID.
func short(id string) string {
	if r := []rune(id); len(r) > 8 {
		return string(r[:8])
	}
	return id
}

// shortTime formats an RFC 3339 timestamp to the minute in its own zone,
// "2026-02-12 16:05", adding the offset unless it is UTC. Anything else is
// returned unchanged.
func shortTime(ts string) string {
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return ts
	}
	s := t.Format("2006-01-02 15:04")
	if _, off := t.Zone(); off != 0 {
		s += t.Format(" -07:00")
	}
	return s
}

// ruleFix is the advice for one rule in "How to fix".
type ruleFix struct {
	ids      []string
	severity rules.Severity
	n        int
	f        *scanner.Finding // a finding with the rule, preferably one with Rule set
}

// fixes prints each piece of advice once: rules that share the same why and
// fix texts (gitleaks' provider rules all do) are listed together, most
// severe first, then in order of appearance.
func (p *printer) fixes(groups []*group) {
	var list []*ruleFix
	byText := make(map[string]*ruleFix)
	seenID := make(map[string]bool)
	for _, g := range groups {
		for _, f := range g.findings {
			key := why(f) + "\x00" + ruleRemediation(f)
			if p.cutDesc[f.RuleID] {
				key = f.RuleID // its full description is shown: keep it alone
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
			rf.n++
			if f.Severity > rf.severity {
				rf.severity = f.Severity
			}
			if rf.f.Rule == nil && f.Rule != nil {
				rf.f = f
			}
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
		if len(rf.ids) == 1 && p.cutDesc[rf.ids[0]] {
			p.para(4, "what", p.st.label, p.txt(rf.f.Description), p.st.description)
		}
		if w := why(rf.f); w != "" {
			p.para(4, "why ", p.st.label, p.txt(w), p.st.description)
		}
		p.para(4, "fix ", p.st.label, p.txt(ruleRemediation(rf.f)), p.st.description)
	}
	// Advice about the kinds of files the secrets sat in, once per kind.
	seen := map[string]bool{}
	for _, g := range groups {
		for _, f := range g.findings {
			if a := f.Source.Advice; a != "" && !seen[f.Source.Name] {
				seen[f.Source.Name] = true
				p.line()
				p.line("  ", p.st.ruleID.Render(p.txt("in "+f.Source.Name+" files")))
				p.para(4, "also", p.st.label, p.txt(a), p.st.description)
			}
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
	for _, e := range errs {
		loc := p.txt(e.Path) + position(e.Line, 0) + ":"
		msg := p.txt(e.Error)
		if p.width <= 0 || 2+lipgloss.Width(loc)+1+lipgloss.Width(msg) <= p.width {
			p.line("  ", p.st.path.Render(loc), " ", p.st.errorText.Render(msg))
			continue
		}
		p.line("  ", p.st.path.Render(loc))
		p.para(4, "", p.st.label, msg, p.st.errorText)
	}
	p.line()
}

func (p *printer) summary(res *scanner.Result) {
	const labelW = 11 // "suppressed" and a space
	label := func(s string) string {
		return "  " + p.st.label.Render(s) + strings.Repeat(" ", labelW-len(s))
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
		parts := []string{groupDigits(int64(n))}
		for s := numSeverities - 1; s >= 0; s-- {
			if bySev[s] > 0 {
				parts = append(parts, p.st.severity[s].Render(groupDigits(int64(bySev[s]))+" "+rules.Severity(s).String()))
			}
		}
		p.line(label("findings"), strings.Join(parts, " · "))
	}
	st := res.Stats
	p.line(label("scanned"), count64(st.FilesScanned, "file", "files"), " · ", humanBytes(st.BytesScanned),
		" · ", humanDuration(st.DurationMS))
	if st.FilesSkipped > 0 || len(st.SkippedBy) > 0 {
		parts := []string{count64(st.FilesSkipped, "file", "files")}
		reasons := make([]string, 0, len(st.SkippedBy))
		for k := range st.SkippedBy {
			reasons = append(reasons, k)
		}
		sort.Strings(reasons)
		for _, k := range reasons {
			parts = append(parts, groupDigits(st.SkippedBy[k])+" "+p.txt(k))
		}
		p.line(label("skipped"), strings.Join(parts, " · "))
	}
	if st.SuppressedTotal > 0 {
		parts := []string{count64(st.SuppressedTotal, "finding", "findings")}
		mechs := make([]string, 0, len(st.Suppressed))
		for k := range st.Suppressed {
			mechs = append(mechs, k)
		}
		sort.Strings(mechs)
		for _, k := range mechs {
			parts = append(parts, groupDigits(st.Suppressed[k])+" "+p.txt(k))
		}
		p.line(label("suppressed"), strings.Join(parts, " · "))
	}
	incomplete := 0
	for i := range res.Errors {
		if res.Errors[i].Incomplete {
			incomplete++
		}
	}
	if len(res.Errors) > 0 {
		p.line(label("errors"), groupDigits(int64(len(res.Errors))), " (see Errors above)")
	}
	if incomplete > 0 {
		p.line(label("complete"), p.st.bad.Render("no: "+count(incomplete, "input was", "inputs were")+" not fully scanned"))
	}
	p.line()

	if n == 0 {
		switch {
		case incomplete > 0:
			msg := "Scan incomplete: no secrets found in what was read, but " + count(incomplete, "input", "inputs") +
				" could not be fully scanned (see Errors). This is not a clean result."
			p.para(0, "!", p.st.bad, msg, p.st.bad)
		case st.FilesScanned == 0 && len(res.Looked) > 0:
			p.para(0, "·", p.st.label, "Nothing to scan: none of the agent locations mcpscan knows exists here. Looked for: "+
				p.txt(strings.Join(res.Looked, ", "))+".", p.st.label)
		default:
			msg := "No secrets found in " + count64(st.FilesScanned, "file", "files") + "."
			if len(res.Errors) > 0 {
				msg += " " + count(len(res.Errors), "problem", "problems") + " noted above did not stop the scan."
			}
			p.para(0, "✓", p.st.good, msg, p.st.good)
		}
		return
	}
	top, _ := res.MaxSeverity()
	msg := fmt.Sprintf("%s in %s (highest severity: %s). Rotate the exposed credentials first, then remove them from the files.",
		count(n, "finding", "findings"), count(len(files), "file", "files"), rules.Severity(sevIndex(top)))
	if incomplete > 0 {
		msg += " The scan was incomplete: " + count(incomplete, "input", "inputs") + " could not be fully scanned (see Errors)."
	}
	p.para(0, "✗", p.st.bad, msg, p.st.bad)
}

// count formats n with the singular or plural noun: "1 file", "2,048 files".
func count(n int, one, many string) string { return count64(int64(n), one, many) }

func count64(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return groupDigits(n) + " " + many
}

// groupDigits formats n with commas between groups of three digits.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// humanBytes formats a byte count in binary units: "512 B", "4.2 MiB".
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v := float64(n)
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := -1
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[i]
}

// humanDuration formats milliseconds: "850ms", "1.2s", "2m3s".
func humanDuration(ms int64) string {
	switch {
	case ms < 1000:
		return strconv.FormatInt(max(ms, 0), 10) + "ms"
	case ms < 60_000:
		return strconv.FormatFloat(float64(ms)/1000, 'f', 1, 64) + "s"
	}
	return (time.Duration(ms) * time.Millisecond).Round(time.Second).String()
}

// clean makes s safe for a terminal: tabs and line breaks become spaces,
// other control characters, bidirectional overrides and invalid UTF-8 are
// escaped (\x1b, \u202e, \xff), so that a scanned file cannot move the
// cursor, recolour the screen or reorder the text.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// wrap splits plain text into lines of at most width cells, breaking at
// spaces (runs of white space collapse to one). A word wider than width
// gets a line of its own. width <= 0 means one line.
func wrap(text string, width int) []string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return []string{""}
	}
	if width <= 0 {
		return []string{strings.Join(words, " ")}
	}
	var lines []string
	cur, curW := "", 0
	for _, w := range words {
		ww := lipgloss.Width(w)
		switch {
		case curW == 0:
			cur, curW = w, ww
		case curW+1+ww <= width:
			cur += " " + w
			curW += 1 + ww
		default:
			lines = append(lines, cur)
			cur, curW = w, ww
		}
	}
	return append(lines, cur)
}

// truncate shortens plain text to at most width cells, ending it with "…"
// when it cut something.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if lipgloss.Width(s) <= width {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := lipgloss.Width(string(r))
		if w+rw > width-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return strings.TrimRight(b.String(), " ") + "…"
}
