package reporters

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
)

// # SARIF report
//
// --format sarif writes SARIF 2.1.0 (built with go-sarif) for GitHub code
// scanning (github/codeql-action/upload-sarif) and other SARIF viewers:
//
//   - One run per file. run.automationDetails.id is Options.SARIFCategory
//     with a "/" appended (GitHub's category; omitted when empty).
//     run.columnKind is "unicodeCodePoints", the unit of our columns.
//   - tool.driver.rules holds each rule referenced by a result, once,
//     sorted by ID, with id, name, shortDescription, fullDescription,
//     help (text and markdown: what it is, why it matters, how to fix and
//     rotate), helpUri, defaultConfiguration.level and properties: tags
//     ("security", the finding kind, CWE tags; at most 20) and
//     security-severity (SARIFSecuritySeverity).
//   - Each result has ruleId, ruleIndex, level (critical and high: error,
//     medium: warning, low and info: note), a message that names where the
//     secret sat and how to fix it, with the secret always redacted, and
//     partialFingerprints[SARIFFingerprintKey] = the finding's fingerprint
//     (stable across edits above it; GitHub tracks alerts with it).
//   - Locations: artifactLocation.uri is relative to Options.SARIFRoot
//     (default: the current directory), with forward slashes and
//     percent-encoding, plus uriBaseId "%SRCROOT%" (defined in
//     run.originalUriBaseIds for local viewers; GitHub ignores both, which
//     is why the URI itself is relative). A file outside the root keeps an
//     absolute file:// URI, which GitHub cannot show: a warning says so.
//     Regions are 1-based: startLine, startColumn, endColumn, and endLine
//     when it differs; region.snippet is the redacted secret.
//   - An archive member ("pkg.tgz!package/.mcp.json") gets the archive's
//     URI and region line 1 (GitHub wants a startLine); the member path (and its line and column) are in
//     the message and in a logical location of kind "resource".
//   - GitHub accepts at most SARIFMaxResults results per run and
//     SARIFMaxGzipBytes gzipped. Beyond either, the least severe findings
//     are left out, and the run's invocation says so in a
//     toolExecutionNotification (and Options.Warnings gets a line).
//   - Scan errors (unreadable files, malformed records) are
//     toolExecutionNotifications of level "warning"; stats are in
//     run.properties.
//
// Without Options.ShowSecrets no raw secret appears anywhere in the
// document; with it, only result.properties.secret holds the full value.

// SARIF constants.
const (
	// SARIFFingerprintKey names our fingerprint in result.partialFingerprints.
	SARIFFingerprintKey = "mcpscan/v1"
	// SARIFMaxResults is GitHub code scanning's limit of results per run.
	SARIFMaxResults = 25000
	// SARIFMaxGzipBytes is GitHub code scanning's limit on the size of an
	// uploaded SARIF file, gzipped.
	SARIFMaxGzipBytes = 10_000_000

	sarifSchemaURI     = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifInfoURI       = "https://github.com/mcpscan/mcpscan"
	sarifRulesHelpURI  = "https://github.com/mcpscan/mcpscan#rules"
	sarifSrcRoot       = "%SRCROOT%"
	sarifMaxTags       = 20
	sarifMaxErrorNotes = 1000
)

// SARIFSecuritySeverity returns the "security-severity" score GitHub shows
// for a severity: over 9.0 is critical, 7.0–8.9 high, 4.0–6.9 medium and
// under 4.0 low on GitHub's scale.
func SARIFSecuritySeverity(s rules.Severity) string {
	switch {
	case s >= rules.Critical:
		return "9.5"
	case s == rules.High:
		return "8.0"
	case s == rules.Medium:
		return "5.5"
	case s == rules.Low:
		return "3.0"
	}
	return "1.0"
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s rules.Severity) string {
	switch {
	case s >= rules.High:
		return "error"
	case s == rules.Medium:
		return "warning"
	}
	return "note"
}

// sarifReporter writes the SARIF report described above.
type sarifReporter struct {
	opt Options
	// maxResults and maxGzip override GitHub's limits (tests); 0: the limit.
	maxResults int
	maxGzip    int
}

// Report writes res as a SARIF 2.1.0 log with one run.
func (s *sarifReporter) Report(w io.Writer, res *scanner.Result) error {
	if res == nil {
		res = &scanner.Result{}
	}
	maxResults, maxGzip := s.maxResults, s.maxGzip
	if maxResults <= 0 {
		maxResults = SARIFMaxResults
	}
	if maxGzip <= 0 {
		maxGzip = SARIFMaxGzipBytes
	}
	b, err := newSARIFBuilder(res, s.opt)
	if err != nil {
		return err
	}

	// The findings by severity, most severe first (stable: report order
	// within a severity), to cut from the end when over a limit.
	bySeverity := make([]int, len(res.Findings))
	for i := range bySeverity {
		bySeverity[i] = i
	}
	sort.SliceStable(bySeverity, func(i, j int) bool {
		return res.Findings[bySeverity[i]].Severity > res.Findings[bySeverity[j]].Severity
	})
	n := min(len(bySeverity), maxResults)
	var data []byte
	for {
		data, err = b.encode(bySeverity[:n])
		if err != nil {
			return err
		}
		size, err := gzipSize(data)
		if err != nil {
			return err
		}
		if size <= maxGzip || n == 0 {
			break
		}
		// Shrink in proportion, with a margin, and at least by one.
		next := int(float64(n) * float64(maxGzip) / float64(size) * 0.95)
		n = max(0, min(next, n-1))
	}
	if n < len(res.Findings) {
		b.warn(b.truncationNote(n))
	}
	for _, note := range b.outside {
		b.warn(note)
	}
	_, err = w.Write(data)
	return err
}

// gzipSize returns the length of data gzipped.
func gzipSize(data []byte) (int, error) {
	var c countingWriter
	zw := gzip.NewWriter(&c)
	if _, err := zw.Write(data); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return c.n, nil
}

type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

// sarifBuilder turns a Result into SARIF documents.
type sarifBuilder struct {
	res     *scanner.Result
	opt     Options
	rootAbs string
	// outside lists the warnings for files outside the root, once each.
	outside     []string
	outsideSeen map[string]bool
	locs        []sarifLoc // per finding, computed once
}

// sarifLoc is where one finding is, in SARIF terms.
type sarifLoc struct {
	uri      string // relative (to the root) or absolute file:// URI
	relative bool
	member   string // archive member path, or ""
}

func newSARIFBuilder(res *scanner.Result, opt Options) (*sarifBuilder, error) {
	root := opt.SARIFRoot
	if root == "" {
		root = "."
	}
	rootAbs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("sarif root %q: %w", root, err)
	}
	b := &sarifBuilder{
		res:         res,
		opt:         opt,
		rootAbs:     rootAbs,
		outsideSeen: map[string]bool{},
		locs:        make([]sarifLoc, len(res.Findings)),
	}
	for i := range res.Findings {
		b.locs[i] = b.locate(&res.Findings[i].Location)
	}
	return b, nil
}

// warn writes one line to Options.Warnings.
func (b *sarifBuilder) warn(msg string) {
	if b.opt.Warnings != nil {
		fmt.Fprintf(b.opt.Warnings, "mcpscan: warning: %s\n", msg)
	}
}

func (b *sarifBuilder) truncationNote(kept int) string {
	return fmt.Sprintf("SARIF report truncated: only the %d most severe of %d findings are in it, because GitHub code scanning accepts at most %d results and %d MB gzipped per run; use --format json for the full report.",
		kept, len(b.res.Findings), SARIFMaxResults, SARIFMaxGzipBytes/1_000_000)
}

// locate computes the artifact URI of a finding's file. The URI uses the
// file's real path (Location.RawFile): GitHub must find the file, so a
// secret in a file name shows there (the one documented exception to
// redaction, see the README); every message and property uses the
// sanitized name.
func (b *sarifBuilder) locate(loc *scanner.Location) sarifLoc {
	file := loc.RawFile()
	member := loc.InnerPath()
	abs, err := filepath.Abs(file)
	if err != nil {
		abs = file
	}
	rel, err := filepath.Rel(b.rootAbs, abs)
	if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
		return sarifLoc{uri: escapeURIPath(filepath.ToSlash(rel)), relative: true, member: member}
	}
	if !b.outsideSeen[abs] {
		b.outsideSeen[abs] = true
		if len(b.outside) < 10 {
			b.outside = append(b.outside, fmt.Sprintf("%s is outside the SARIF root %s: its SARIF location is an absolute file:// URI, which GitHub code scanning cannot show (set --sarif-root to the repository root)",
				loc.File, b.rootAbs))
		} else if len(b.outside) == 10 {
			b.outside = append(b.outside, "more files are outside the SARIF root")
		}
	}
	return sarifLoc{uri: fileURI(abs), member: member}
}

// escapeURIPath percent-encodes each segment of a slash path for use as a
// relative URI reference (":" too, so that a first segment is never read
// as a scheme).
func escapeURIPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return strings.Join(segs, "/")
}

// fileURI returns the file:// URI of an absolute path.
func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	drive := ""
	if len(p) >= 2 && p[1] == ':' && unicode.IsLetter(rune(p[0])) { // C:/…
		drive, p = "/"+p[:2], p[2:]
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return "file://" + drive + escapeURIPath(p)
}

// dirURI returns the file:// URI of a directory, with the trailing slash
// SARIF requires of a base URI.
func dirURI(abs string) string {
	u := fileURI(abs)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// encode builds the SARIF log holding the findings at the given indices
// (in any order; results keep the Result's order) and serialises it.
func (b *sarifBuilder) encode(keep []int) ([]byte, error) {
	idx := append([]int(nil), keep...)
	sort.Ints(idx)

	version := b.opt.Version
	if version == "" {
		version = "dev"
	}
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return nil, err
	}
	log.Schema = sarifSchemaURI

	driver := sarif.NewDriver(toolName).
		WithVersion(sarifToolVersion(version)).
		WithInformationURI(sarifInfoURI).
		WithOrganization("mcpscan").
		WithFullName("mcpscan " + version).
		WithShortDescription(sarif.NewMultiformatMessageString("Finds credentials exposed by AI coding agents and MCP setups."))
	if semver := strings.TrimPrefix(version, "v"); isSemver(semver) {
		driver.WithSemanticVersion(semver)
	}
	run := sarif.NewRun(*sarif.NewTool(driver))
	run.ColumnKind = "unicodeCodePoints"
	if cat := strings.TrimSpace(b.opt.SARIFCategory); cat != "" {
		if !strings.HasSuffix(cat, "/") {
			cat += "/"
		}
		run.AutomationDetails = sarif.NewRunAutomationDetails().WithID(cat)
	}
	run.OriginalUriBaseIDs = map[string]*sarif.ArtifactLocation{
		sarifSrcRoot: sarif.NewSimpleArtifactLocation(dirURI(b.rootAbs)),
	}

	// Rules: the ones referenced, sorted by ID; a rule's severity is the
	// highest of its findings here.
	type ruleInfo struct {
		f   *scanner.Finding // a finding of the rule, one with a Rule if any
		sev rules.Severity
	}
	ruleByID := map[string]*ruleInfo{}
	for _, i := range idx {
		f := &b.res.Findings[i]
		ri := ruleByID[f.RuleID]
		if ri == nil {
			ruleByID[f.RuleID] = &ruleInfo{f: f, sev: f.Severity}
			continue
		}
		if ri.f.Rule == nil && f.Rule != nil {
			ri.f = f
		}
		ri.sev = max(ri.sev, f.Severity)
	}
	ids := make([]string, 0, len(ruleByID))
	for id := range ruleByID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	ruleIndex := make(map[string]int, len(ids))
	for i, id := range ids {
		ruleIndex[id] = i
		driver.Rules = append(driver.Rules, b.rule(ruleByID[id].f, ruleByID[id].sev))
	}

	for _, i := range idx {
		run.Results = append(run.Results, b.result(i, ruleIndex[b.res.Findings[i].RuleID]))
	}

	// executionSuccessful is false when the scan could not read
	// everything it was asked to: the notifications say what.
	inv := sarif.NewInvocation().WithExecutionSuccess(b.res.Complete())
	hdr := header(b.opt, b.res.Started, b.res.Finished)
	if hdr.Host != "" {
		inv.WithMachine(hdr.Host)
	}
	if hdr.User != "" {
		inv.WithAccount(hdr.User)
	}
	if !b.res.Started.IsZero() {
		start := b.res.Started.UTC()
		inv.WithStartTimeUTC(start)
		end := b.res.Finished.UTC()
		if b.res.Finished.IsZero() {
			end = start.Add(time.Duration(b.res.Stats.DurationMS) * time.Millisecond)
		}
		inv.WithEndTimeUTC(end)
	}
	if len(idx) < len(b.res.Findings) {
		inv.AddTToolExecutionNotification(sarif.NewNotification().
			WithLevel("warning").
			WithMessage(sarif.NewTextMessage(b.truncationNote(len(idx)))).
			WithDescriptor(sarif.NewReportingDescriptorReference().WithId("mcpscan/results-truncated")))
	}
	for n, e := range b.res.Errors {
		if n == sarifMaxErrorNotes {
			inv.AddTToolExecutionNotification(sarif.NewNotification().
				WithLevel("warning").
				WithMessage(sarif.NewTextMessage(fmt.Sprintf("%d more files could not be fully scanned; see --format json for all errors.", len(b.res.Errors)-n))).
				WithDescriptor(sarif.NewReportingDescriptorReference().WithId("mcpscan/scan-error")))
			break
		}
		where := e.Path
		if e.Line > 0 {
			where += fmt.Sprintf(", line %d", e.Line)
		}
		level, verb := "warning", "Scanned with a problem"
		if e.Incomplete {
			level, verb = "error", "Could not fully scan"
		}
		note := sarif.NewNotification().
			WithLevel(level).
			WithMessage(sarif.NewTextMessage(sentence(fmt.Sprintf("%s %s: %s", verb, where, e.Error)))).
			WithDescriptor(sarif.NewReportingDescriptorReference().WithId("mcpscan/scan-error"))
		note.Properties = sarif.Properties{"reason": e.Reason, "incomplete": e.Incomplete}
		inv.AddTToolExecutionNotification(note)
	}
	run.AddInvocations(inv)

	st := b.res.Stats
	stats := map[string]any{
		"files_scanned": st.FilesScanned,
		"bytes_scanned": st.BytesScanned,
		"files_skipped": st.FilesSkipped,
		"duration_ms":   st.DurationMS,
		"findings":      len(b.res.Findings),
		"errors":        len(b.res.Errors),
		"complete":      b.res.Complete(),
	}
	if len(st.SkippedBy) > 0 {
		stats["skipped_by"] = st.SkippedBy
	}
	stats["suppressed_total"] = st.SuppressedTotal
	if len(st.Suppressed) > 0 {
		stats["suppressed"] = st.Suppressed
	}
	run.Properties = sarif.Properties{"stats": stats}

	log.AddRun(run)

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		return nil, fmt.Errorf("sarif report: %w", err)
	}
	return buf.Bytes(), nil
}

// result builds the SARIF result of finding i.
func (b *sarifBuilder) result(i, ruleIndex int) *sarif.Result {
	f := &b.res.Findings[i]
	loc := b.locs[i]
	r := sarif.NewRuleResult(f.RuleID).
		WithRuleIndex(ruleIndex).
		WithLevel(sarifLevel(f.Severity)).
		WithMessage(sarif.NewTextMessage(b.message(f, loc)))
	if f.Fingerprint != "" {
		r.PartialFingerprints = map[string]any{SARIFFingerprintKey: f.Fingerprint}
	}

	art := sarif.NewSimpleArtifactLocation(loc.uri)
	if loc.relative {
		art.WithUriBaseId(sarifSrcRoot)
	}
	phys := sarif.NewPhysicalLocation().WithArtifactLocation(art)
	switch {
	case loc.member != "":
		// Line 1 of the archive: GitHub wants a startLine, and the
		// member's own line and column are in the message.
		phys.WithRegion(sarif.NewRegion().WithStartLine(1))
	case f.Line >= 1:
		phys.WithRegion(sarifRegion(f, secretText(f, secret.Key{})))
	}
	l := sarif.NewLocationWithPhysicalLocation(phys)
	if loc.member != "" {
		l.AddLogicalLocations(sarif.NewLogicalLocation().
			WithName(f.Inner()).
			WithFullyQualifiedName(f.Path()).
			WithKind("resource"))
	}
	r.AddLocation(l)

	props := sarif.Properties{
		"severity": f.Severity.String(),
		"kind":     string(f.Kind),
		"source":   f.Source.Name,
		"secret":   secretText(f, b.opt.Reveal),
	}
	if f.SecretID != "" {
		props["secret_id"] = f.SecretID
	}
	if f.Offset > 0 || f.Line >= 1 {
		props["offset"] = f.Offset
	}
	if ctx := contextMap(f); len(ctx) > 0 {
		props["context"] = ctx
	}
	r.Properties = props
	return r
}

// sarifRegion returns the 1-based region of a finding whose Line is
// known, clamped to what SARIF allows; snippet is what to show as its text.
func sarifRegion(f *scanner.Finding, snippet string) *sarif.Region {
	startCol := max(f.Column, 1)
	reg := sarif.NewRegion().WithStartLine(f.Line).WithStartColumn(startCol)
	switch {
	case f.EndLine > f.Line:
		reg.WithEndLine(f.EndLine)
		if f.EndColumn >= 1 {
			reg.WithEndColumn(f.EndColumn)
		}
	case f.EndColumn > startCol:
		reg.WithEndColumn(f.EndColumn)
	}
	if snippet != "" {
		reg.WithSnippet(sarif.NewArtifactContent().WithText(snippet))
	}
	return reg
}

// contextMap returns f's context as the JSON report has it: its context
// values plus the field and other fields of its location.
func contextMap(f *scanner.Finding) map[string]any {
	ctx := map[string]any{}
	for _, a := range f.Context {
		ctx[a.Key] = a.Value
	}
	if f.Field != "" {
		ctx["field"] = f.Field
	}
	if len(f.AlsoIn) > 0 {
		ctx["other_fields"] = f.AlsoIn
	}
	return ctx
}

// message is a result's text: what was found (redacted), where, and how
// to fix it. It never holds a raw secret, whatever ShowSecrets says.
func (b *sarifBuilder) message(f *scanner.Finding, loc sarifLoc) string {
	var m strings.Builder
	desc := strings.TrimSpace(f.Description)
	if desc == "" {
		desc = f.RuleID
	}
	m.WriteString(sentence(desc))
	what := "Secret"
	if !f.Kind.HoldsSecret() {
		what = "Evidence"
	}
	fmt.Fprintf(&m, " %s: %s", what, secretText(f, secret.Key{}))
	if f.Source != nil && f.Source.Label != "" {
		fmt.Fprintf(&m, ", in %s", f.Source.Label)
	}
	m.WriteString(".")
	if loc.member != "" {
		fmt.Fprintf(&m, " Inside: %s", loc.member)
		if f.Line >= 1 {
			fmt.Fprintf(&m, ", line %d, column %d", f.Line, max(f.Column, 1))
		}
		m.WriteString(".")
	}
	var parts []string
	if f.Field != "" {
		parts = append(parts, "field "+f.Field)
	}
	if len(f.AlsoIn) > 0 {
		parts = append(parts, "also in "+strings.Join(f.AlsoIn, ", "))
	}
	for _, a := range f.Context {
		label := f.Source.FieldLabel(a.Key)
		if label == "" {
			label = strings.ReplaceAll(a.Key, "_", " ")
		}
		parts = append(parts, label+" "+a.Value)
	}
	if len(parts) > 0 {
		m.WriteString(" " + sentence(upperFirst(strings.Join(parts, "; "))))
	}
	m.WriteString(" Fix: " + sentence(remediation(f)))
	return m.String()
}

// rule builds the reporting descriptor of f's rule; sev is the highest
// severity of its findings in the report.
func (b *sarifBuilder) rule(f *scanner.Finding, sev rules.Severity) *sarif.ReportingDescriptor {
	r := f.Rule
	desc := strings.TrimSpace(f.Description)
	kind := f.Kind
	var refs []string
	origin := ""
	if r != nil {
		if strings.TrimSpace(r.Description) != "" {
			desc = strings.TrimSpace(r.Description)
		}
		if r.Kind != "" {
			kind = r.Kind
		}
		refs = r.References
		origin = string(r.Origin)
	}
	if desc == "" {
		desc = f.RuleID
	}
	whyText := why(f)
	if whyText == "" {
		whyText = kindWhy(kind)
	}
	fix := ruleRemediation(f)

	// gitleaks' references point at its rule file, not at help.
	helpURI := sarifRulesHelpURI
	if len(refs) > 0 && origin != string(rules.OriginGitleaks) {
		helpURI = refs[0]
	}

	var text strings.Builder
	fmt.Fprintf(&text, "%s\n\nWhy it matters: %s\n\nHow to fix: %s\n", sentence(desc), sentence(whyText), sentence(fix))
	if kind.HoldsSecret() {
		fmt.Fprintf(&text, "\nRotate: %s\n", strings.ReplaceAll(strings.Join(rotateSteps, " "), "`", ""))
	}
	fmt.Fprintf(&text, "\nSeverity: %s (security-severity %s). Kind: %s.", sev, SARIFSecuritySeverity(sev), kindName(kind))
	if origin != "" {
		fmt.Fprintf(&text, " Rule origin: %s.", origin)
	}
	text.WriteString("\n")

	var md strings.Builder
	fmt.Fprintf(&md, "**%s**\n\n", markdownEscape(sentence(desc)))
	fmt.Fprintf(&md, "### Why it matters\n\n%s\n\n", markdownEscape(sentence(whyText)))
	fmt.Fprintf(&md, "### How to fix\n\n%s\n\n", markdownEscape(sentence(fix)))
	if kind.HoldsSecret() {
		md.WriteString("### Rotate\n\n")
		for _, step := range rotateSteps {
			fmt.Fprintf(&md, "1. %s\n", step)
		}
		md.WriteString("\n")
	}
	fmt.Fprintf(&md, "Severity: **%s** (security-severity %s). Kind: `%s`. Rule: `%s`", sev, SARIFSecuritySeverity(sev), kindName(kind), f.RuleID)
	if origin != "" {
		fmt.Fprintf(&md, " (%s)", origin)
	}
	md.WriteString(".\n")
	if len(refs) > 0 {
		md.WriteString("\n### References\n\n")
		for _, ref := range refs {
			fmt.Fprintf(&md, "- <%s>\n", ref)
		}
	}
	fmt.Fprintf(&md, "\nReported by [mcpscan](%s).\n", sarifInfoURI)

	rd := sarif.NewRule(f.RuleID).
		WithName(pascalCase(f.RuleID)).
		WithShortDescription(sarif.NewMultiformatMessageString(shortDescription(desc))).
		WithFullDescription(sarif.NewMultiformatMessageString(sentence(desc) + " " + sentence(whyText))).
		WithHelpURI(helpURI).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(sev)))
	rd.Help = &sarif.MultiformatMessageString{Text: ptr(text.String()), Markdown: ptr(md.String())}
	rd.Properties = sarif.Properties{
		"tags":              ruleTags(kind, origin),
		"security-severity": SARIFSecuritySeverity(sev),
		"precision":         rulePrecision(f.RuleID),
	}
	return rd
}

func ptr[T any](v T) *T { return &v }

// rotateSteps say how to rotate a leaked credential (help.markdown lists
// them; help.text joins them).

var rotateSteps = []string{
	"Assume the credential has been read: agent transcripts, configs and memory files are synced, backed up, shared and published.",
	"Revoke it where it was issued (the provider's console or API) and create a new one with the least access needed.",
	"Check the provider's audit log for use you do not recognise.",
	"Remove the old value from the file, and from backups, caches and published packages.",
	"Give the new credential to the agent by reference (`${VAR}`, a secret manager, the OS keychain), never as a literal.",
}

// kindWhy is the generic "why it matters" of a finding kind, for rules
// without their own.
func kindWhy(k rules.Kind) string {
	switch k {
	case rules.KindNetworkExposure:
		return "A server reachable from every network the machine is on can be called by anyone who can reach it; MCP servers rarely authenticate."
	case rules.KindAgentArtifact:
		return "Agent files hold transcripts, settings and credentials of the person who used the agent; shipped in a package or repository, they are public."
	case rules.KindVulnerableServer:
		return "The client launches a version of this MCP server with a published vulnerability every time it starts."
	case rules.KindUnpinnedServer:
		return "The client runs whatever version of this MCP server is newest when it starts, so a compromised release runs with the agent's access."
	}
	return "Anyone who can read this file can use the credential: agent transcripts, configs and memory files are synced, backed up, shared and published, and every agent session reads them."
}

// kindName is a kind as shown to users ("secret" for the empty kind).
func kindName(k rules.Kind) string {
	if k == "" {
		return string(rules.KindSecret)
	}
	return string(k)
}

// kindCWEs are the CWE tags of each finding kind.
var kindCWEs = map[rules.Kind][]string{
	rules.KindSecret:              {"external/cwe/cwe-798", "external/cwe/cwe-312"},
	rules.KindHardcodedCredential: {"external/cwe/cwe-798"},
	rules.KindNetworkExposure:     {"external/cwe/cwe-1327"},
	rules.KindAgentArtifact:       {"external/cwe/cwe-538"},
	rules.KindVulnerableServer:    {"external/cwe/cwe-1395"},
	rules.KindUnpinnedServer:      {"external/cwe/cwe-1357"},
}

// ruleTags returns a rule's tags: "security", its kind, its kind's CWEs
// and its origin, at most sarifMaxTags, without duplicates.
func ruleTags(k rules.Kind, origin string) []string {
	kn := kindName(k)
	tags := []string{"security", kn}
	if kn == string(rules.KindSecret) || kn == string(rules.KindHardcodedCredential) {
		tags = append(tags, "credentials")
	}
	tags = append(tags, kindCWEs[rules.Kind(kn)]...)
	if origin != "" {
		tags = append(tags, origin)
	}
	seen := map[string]bool{}
	out := tags[:0]
	for _, t := range tags {
		if !seen[t] && len(out) < sarifMaxTags {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// rulePrecision is how often a rule's findings are real: provider formats
// are precise, name=value guesses less so.
func rulePrecision(id string) string {
	if strings.HasPrefix(id, "generic-") {
		return "medium"
	}
	return "high"
}

// pascalCase turns a rule ID ("github-pat") into a SARIF rule name
// ("GithubPat").
func pascalCase(id string) string {
	var b strings.Builder
	up := true
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "Rule"
	}
	return b.String()
}

// sentence trims s and ends it with a period (unless it ends with other
// final punctuation).
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', '!', '?':
		return s
	case ')', ']', '"', '\'', '`', '…':
		return s + "."
	}
	return s + "."
}

// shortDescription is the first sentence of a description, ended with a
// period (SARIF's shortDescription is one sentence).
func shortDescription(desc string) string {
	desc = strings.TrimSpace(desc)
	if i := strings.Index(desc, ". "); i > 0 {
		desc = desc[:i+1]
	}
	return sentence(desc)
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// markdownEscape escapes the characters that would start markup in a
// paragraph of GitHub-flavoured Markdown. "_" and "#" are left alone:
// intraword underscores (SLACK_BOT_TOKEN) and "#" inside a line are text,
// and URLs keep working.
func markdownEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "`", "\\`", "<", `\<`, "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

// sarifToolVersion is the version as SARIF wants it, starting with a
// digit: "v1.2.3" → "1.2.3", "dev" → "0.0.0-dev".
func sarifToolVersion(v string) string {
	if len(v) > 1 && (v[0] == 'v' || v[0] == 'V') && v[1] >= '0' && v[1] <= '9' {
		return v[1:]
	}
	if v == "" || v[0] < '0' || v[0] > '9' {
		return "0.0.0-" + v
	}
	return v
}

// isSemver reports whether v (without a leading "v") looks like a semantic
// version: MAJOR.MINOR.PATCH with an optional -pre-release and +build.
func isSemver(v string) bool {
	core := v
	if i := strings.IndexAny(core, "-+"); i >= 0 {
		core = core[:i]
	}
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}
