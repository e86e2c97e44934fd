package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/mcpscan/mcpscan/config"
	"github.com/mcpscan/mcpscan/internal/lazyre"
	"github.com/mcpscan/mcpscan/internal/termtext"
	"github.com/mcpscan/mcpscan/redact"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
	"github.com/mcpscan/mcpscan/scanner/sources"
)

// RedactOptions are the options of `mcpscan redact [PATH...]`.
type RedactOptions struct {
	IO          *IOStreams
	Version     string
	Paths       []string
	Walk        walkFlags
	Suppress    suppressFlags
	Rules       []string // --rule: only these rule IDs
	MinSeverity string   // --min-severity
	Configs     bool     // --configs: also rewrite MCP and agent configs (literal → env reference)
	Yes         bool     // --yes: no confirmation prompt
	DryRun      bool     // --dry-run: list what would change
	NoBackup    bool     // --no-backup
	Format      string   // terminal or json
	Undo        string   // --undo [RUN]: "" none, "last", or a run id
	Purge       string   // --purge-backups [RUN]: "" none, "all", or a run id
	StateDir    string   // the backup store (tests); "" the default
}

// newCmdRedact is `mcpscan redact`.
func newCmdRedact(ios *IOStreams, version string) *cobra.Command {
	o := &RedactOptions{IO: ios, Version: version}
	cmd := &cobra.Command{
		Use:   "redact [PATH...]",
		Short: "Remove found secrets from agent histories in place (backed up, undoable)",
		Long: `mcpscan redact scans like mcpscan (the same PATHs, defaults and filters), then
rewrites every file that holds a found credential, replacing each place of
each secret with a marker, [REDACTED:<rule-id>:<id>]: every occurrence of
the value in the scanned files, JSON-escaped or not, not only the reported
one. JSON Lines and JSON stay valid with the same structure; no line is
added or removed. Originals are backed up first (mode 0600, in
~/.local/state/mcpscan/redact/<run>/) and the change is atomic and safe
against an agent appending to the same transcript.

Rotate the credentials first: redaction removes copies, it does not make
a leaked key safe.

MCP and agent configs need their literal credential to run the server, so
they are left alone unless --configs is given; then the literal becomes
the client's environment reference (${VAR}, ${env:VAR} …) and mcpscan
prints which variable to set. Archives are never rewritten.

  mcpscan redact --dry-run        what would change
  mcpscan redact                  preview, then ask
  mcpscan redact --yes            no question (scripts)
  mcpscan redact --undo           restore the files of the last run
  mcpscan redact --purge-backups  delete the backups (they hold the secrets)`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			return runRedact(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	o.Walk.add(f)
	o.Suppress.add(f)
	f.StringArrayVar(&o.Rules, "rule", nil, "only redact findings of this rule `ID` (repeatable)")
	f.StringVar(&o.MinSeverity, "min-severity", "info", "only redact findings at or above this `SEVERITY`")
	f.BoolVar(&o.Configs, "configs", false, "also rewrite MCP and agent configs: the literal becomes the client's environment reference")
	f.BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation")
	f.BoolVar(&o.DryRun, "dry-run", false, "only list what would change")
	f.BoolVar(&o.NoBackup, "no-backup", false, "do not back up the originals (the run cannot be undone)")
	f.StringVarP(&o.Format, "format", "f", "terminal", "output format: terminal or json")
	f.StringVar(&o.Undo, "undo", "", "restore the files of the last redaction run, or of `RUN`")
	f.Lookup("undo").NoOptDefVal = "last"
	f.StringVar(&o.Purge, "purge-backups", "", "delete the backups of every run, or of `RUN` (they hold the secrets)")
	f.Lookup("purge-backups").NoOptDefVal = "all"
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion("terminal", "json"))
	_ = cmd.RegisterFlagCompletionFunc("min-severity", fixedCompletion("info", "low", "medium", "high", "critical"))
	return cmd
}

// errRemaining signals exit 1: secrets are still there after the run.
var errRemaining = fmt.Errorf("%w: secrets remain after redaction (see the report)", errFindings)

func runRedact(ctx context.Context, o *RedactOptions) error {
	switch o.Format {
	case "terminal", "text", "json":
	default:
		return fmt.Errorf("--format %q: mcpscan redact writes terminal or json", o.Format)
	}
	switch {
	case o.Undo != "":
		return runUndo(ctx, o)
	case o.Purge != "":
		return runPurge(o)
	}
	minSev, err := rules.ParseSeverity(o.MinSeverity)
	if err != nil {
		return fmt.Errorf("--min-severity: %w", err)
	}
	// 1. Scan, keeping the credential findings and the text files read.
	sc, err := o.scan(ctx, o.Paths)
	if err != nil {
		return err
	}
	plan, skipped := o.plan(sc, minSev)
	if len(plan.values) == 0 {
		o.printNothing(sc, skipped)
		return sc.verdict()
	}
	// 2. Every place of every value, in every text file the scan read.
	located, err := redact.Locate(ctx, sc.textFiles, plan.rawValues(), redact.LocateOptions{})
	if err != nil {
		return err
	}
	p := plan.build(located)
	// 3. Preview, confirm, apply.
	preview, err := redact.Apply(ctx, p.plan, redact.Options{DryRun: true, StateDir: o.StateDir})
	if err != nil {
		return err
	}
	if o.DryRun {
		return o.printResult(preview, plan, p, skipped, nil)
	}
	if !o.Yes {
		if !isTerminal(o.IO.ErrOut) || o.IO.In == nil {
			return errors.New("mcpscan redact rewrites files: run it in a terminal to confirm, or pass --yes (--dry-run lists what would change)")
		}
		o.printPreview(preview, plan, p, skipped)
		if !confirm(o.IO, fmt.Sprintf("Redact %d places of %d secrets in %d files? [y/N] ", preview.Totals.Places, len(preview.Secrets), countWouldChange(preview))) {
			fmt.Fprintln(o.IO.ErrOut, "mcpscan redact: nothing changed")
			return nil
		}
	}
	res, err := redact.Apply(ctx, p.plan, redact.Options{NoBackup: o.NoBackup, StateDir: o.StateDir})
	if err != nil {
		return err
	}
	// 4. Rescan what changed: every secret should be gone.
	var remaining []scanner.Finding
	if changed := res.Changed(); len(changed) > 0 {
		again, err := o.scan(ctx, changed)
		if err != nil {
			return err
		}
		for _, f := range again.findings {
			if plan.byID[f.SecretID] != nil {
				remaining = append(remaining, f)
			}
		}
	}
	if err := o.printResult(res, plan, p, skipped, remaining); err != nil {
		return err
	}
	if len(remaining) > 0 {
		return errRemaining
	}
	for _, f := range res.Files {
		if f.Outcome == redact.OutcomeError || f.Outcome == redact.OutcomeSkippedActive {
			return fmt.Errorf("%w: %d files could not be redacted (see the report)", errIncomplete, countOutcomes(res, redact.OutcomeError, redact.OutcomeSkippedActive))
		}
	}
	return nil
}

// redactScan is what redact's scan found.
type redactScan struct {
	findings  []scanner.Finding
	textFiles []string
	summary   *scanner.Summary
	errors    []scanner.FileError
}

// verdict: an incomplete scan is said, as for a scan.
func (s *redactScan) verdict() error {
	if s.summary != nil && !s.summary.Complete() {
		return fmt.Errorf("%w: %d of the inputs asked for could not be fully scanned", errIncomplete, s.summary.Incomplete)
	}
	return nil
}

// scan runs the scan of paths (no paths: the agent locations) with the
// config and suppressions, collecting findings and the text files read.
func (o *RedactOptions) scan(ctx context.Context, paths []string) (*redactScan, error) {
	var roots []scanner.Root
	if len(paths) == 0 {
		var err error
		if roots, _, err = defaultRoots(); err != nil {
			return nil, err
		}
	} else {
		for _, p := range paths {
			roots = append(roots, scanner.Root{Path: p})
		}
	}
	if err := scanner.ValidateExcludes(o.Walk.exclude); err != nil {
		return nil, err
	}
	lc, err := o.Suppress.load(paths, o.IO.ErrOut)
	if err != nil {
		return nil, err
	}
	out := &redactScan{}
	var mu sync.Mutex
	eopt := o.Walk.options()
	eopt.OnText = func(abs string) {
		mu.Lock()
		out.textFiles = append(out.textFiles, abs)
		mu.Unlock()
	}
	var sup *config.Suppressor
	if !o.Suppress.noSuppress {
		base, err := o.Suppress.baselineFile()
		if err != nil {
			return nil, err
		}
		sup = config.NewSuppressor(lc.cfg, base)
	}
	var col scanner.Collector
	sum, err := scanner.New(lc.set, sources.Default(), eopt).Run(ctx, roots, &col)
	if err != nil {
		return nil, err
	}
	for _, f := range col.Findings {
		if lc.cfg != nil && !lc.cfg.Adjust(&f) {
			continue
		}
		if sup != nil {
			if ok, _ := sup.Decide(&f); ok {
				continue
			}
		}
		out.findings = append(out.findings, f)
	}
	out.summary, out.errors = sum, col.Errors
	sort.Strings(out.textFiles)
	return out, nil
}

// redactValue is one secret value to remove.
type redactValue struct {
	id       string // the finding's SecretID: the marker's id
	raw      string
	ruleID   string
	display  string
	findings []*scanner.Finding
}

// redactPlan is the values to remove and where they were found.
type redactPlan struct {
	values []*redactValue
	byID   map[string]*redactValue
	// configs maps a config file's path to the env reference each value
	// gets there (--configs), by secret id.
	configs map[string]map[string]string
	// allowedIn lists, per config file, the secret ids it may lose: the
	// ones its own findings made redactable (a permissions.allow rule, or
	// anything with --configs). Other values found in a config are left.
	allowedIn map[string]map[string]bool
	// notes are messages for the person: variables to set, configs left
	// alone, archives to rebuild.
	notes []string
}

// isRunConfig reports whether f sits where a client or agent needs the
// literal to run (an MCP server entry, settings env), as opposed to a
// saved "always allow" command line, which nothing needs.
func isRunConfig(f *scanner.Finding) bool {
	return f.Source != nil && f.Source.Store == scanner.StoreConfig && !strings.HasPrefix(f.Field, "permissions.")
}

func (p *redactPlan) rawValues() []string {
	out := make([]string, len(p.values))
	for i, v := range p.values {
		out[i] = v.raw
	}
	return out
}

// skippedFinding is a finding redact leaves alone, and why.
type skippedFinding struct {
	f   *scanner.Finding
	why string
}

// plan picks the findings to act on: credentials (kind secret or
// hardcoded credential) at or above minSev, of the --rule IDs; not in
// archives (rebuild the package) or databases; not in configs without
// --configs.
func (o *RedactOptions) plan(sc *redactScan, minSev rules.Severity) (*redactPlan, []skippedFinding) {
	key := secret.Unlock("mcpscan redact: the values to replace")
	p := &redactPlan{byID: map[string]*redactValue{}, configs: map[string]map[string]string{}, allowedIn: map[string]map[string]bool{}}
	var skipped []skippedFinding
	wanted := map[string]bool{}
	for _, r := range o.Rules {
		wanted[r] = true
	}
	for i := range sc.findings {
		f := &sc.findings[i]
		if !f.Kind.HoldsSecret() || f.Severity < minSev || (len(wanted) > 0 && !wanted[f.RuleID]) || f.SecretID == "" {
			continue
		}
		switch {
		case len(f.Steps) > 0:
			skipped = append(skipped, skippedFinding{f, "inside " + f.File + ": archives and databases are not rewritten; rebuild the package without " + f.Inner()})
			continue
		case isRunConfig(f) && !o.Configs:
			skipped = append(skipped, skippedFinding{f, "an MCP or agent config needs its credential to run the server: move it to the environment (--configs does it)"})
			continue
		}
		raw := f.Secret.Reveal(key)
		if len(raw) < redact.MinValueLen {
			skipped = append(skipped, skippedFinding{f, fmt.Sprintf("shorter than %d characters: replacing every occurrence would hit other text; edit it by hand", redact.MinValueLen)})
			continue
		}
		v := p.byID[f.SecretID]
		if v == nil {
			v = &redactValue{id: f.SecretID, raw: raw, ruleID: f.RuleID, display: f.Secret.String()}
			p.byID[f.SecretID] = v
			p.values = append(p.values, v)
		}
		v.findings = append(v.findings, f)
		if f.Source != nil && f.Source.Store == scanner.StoreConfig {
			if p.allowedIn[absFile(f)] == nil {
				p.allowedIn[absFile(f)] = map[string]bool{}
			}
			p.allowedIn[absFile(f)][f.SecretID] = true
		}
		if isRunConfig(f) {
			if ref, variable, ok := envReference(f); ok {
				abs := absFile(f)
				if p.configs[abs] == nil {
					p.configs[abs] = map[string]string{}
				}
				p.configs[abs][f.SecretID] = ref
				p.notes = append(p.notes, fmt.Sprintf("%s: %s now reads %s; set %s in the environment the client starts with (the value to set is the rotated credential)", f.File, f.Field, ref, variable))
			} else {
				p.notes = append(p.notes, fmt.Sprintf("%s: %s: %s cannot expand an environment reference there; move the credential out by hand", f.File, f.Field, clientOf(f)))
			}
		}
	}
	return p, skipped
}

// builtPlan is the redact.Plan and how its files relate to findings.
type builtPlan struct {
	plan     redact.Plan
	kindOf   map[string]string // path → the store of its findings, for grouping
	unreadOf []string          // files Locate could not read to the end
}

// build turns the located values into a redact.Plan: every file holding a
// value gets all its values, configs only with --configs (and then the
// env reference instead of the marker).
func (p *redactPlan) build(located []redact.Located) *builtPlan {
	b := &builtPlan{kindOf: map[string]string{}}
	for _, v := range p.values {
		for _, f := range v.findings {
			if f.Source != nil && len(f.Steps) == 0 {
				b.kindOf[absFile(f)] = string(f.Source.Store)
			}
		}
	}
	for _, l := range located {
		if l.Err != nil {
			b.unreadOf = append(b.unreadOf, l.Path)
		}
		if len(l.Values) == 0 {
			continue
		}
		refs, isConfig := p.configs[l.Path]
		config := b.kindOf[l.Path] == string(scanner.StoreConfig)
		file := redact.File{Path: l.Path, Kind: redact.KindOf(l.Path)}
		for _, i := range l.Values {
			v := p.values[i]
			if config && !p.allowedIn[l.Path][v.id] {
				continue // a value found in a config only by its raw text: left there
			}
			s := redact.Secret{Value: v.raw, RuleID: v.ruleID, ID: v.id}
			if isConfig {
				s.Replacement = refs[v.id]
			}
			file.Secrets = append(file.Secrets, s)
		}
		if len(file.Secrets) > 0 {
			b.plan.Files = append(b.plan.Files, file)
		}
	}
	return b
}

// absFile returns the absolute real path of a finding's file (redact
// works on the paths the scan read, which are absolute).
func absFile(f *scanner.Finding) string {
	if a, err := filepath.Abs(f.RawFile()); err == nil {
		return a
	}
	return f.RawFile()
}

// envVarName is a variable name as clients expand them.
var envVarName = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// clientRefs is how each MCP client writes an environment reference in
// its config (the config rules recognise the same forms).
var clientRefs = map[string]string{
	"Claude Code": "${%s}", "Cursor": "${env:%s}", "VS Code": "${env:%s}", "Windsurf": "${env:%s}",
	"Gemini CLI": "${%s}", "opencode": "{env:%s}", "Cline": "${env:%s}", "Roo Code": "${env:%s}",
}

func clientOf(f *scanner.Finding) string {
	if c := f.Context.Get(scanner.FieldClient.Key); c != "" {
		return c
	}
	return "this client"
}

// envReference derives the environment variable for a config literal
// (the env key it sits under, else the server's name and _TOKEN) and the
// client's reference to it. ok is false for clients that expand none.
func envReference(f *scanner.Finding) (ref, variable string, ok bool) {
	tmpl, ok := clientRefs[f.Context.Get(scanner.FieldClient.Key)]
	if !ok {
		return "", "", false
	}
	last := f.Field
	if i := strings.LastIndexAny(last, ".]"); i >= 0 {
		last = last[i+1:]
	}
	switch {
	case envVarName.MatchString(last) && strings.ToUpper(last) == last:
		variable = last
	default:
		server := strings.ToUpper(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(f.Context.Get(scanner.FieldServer.Key), "_"))
		if server == "" {
			server = "MCP"
		}
		variable = strings.Trim(server, "_") + "_TOKEN"
	}
	return fmt.Sprintf(tmpl, variable), variable, true
}

// confirm asks a yes/no question on stderr and reads the answer.
func confirm(ios *IOStreams, question string) bool {
	fmt.Fprint(ios.ErrOut, question)
	line, _ := bufio.NewReader(ios.In).ReadString('\n')
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes"
}

func countWouldChange(r *redact.Result) int {
	return countOutcomes(r, redact.OutcomeWouldChange, redact.OutcomeChanged)
}

func countOutcomes(r *redact.Result, outs ...redact.Outcome) int {
	n := 0
	for _, f := range r.Files {
		for _, o := range outs {
			if f.Outcome == o {
				n++
			}
		}
	}
	return n
}

// printNothing says that nothing is to be redacted, and why findings were
// left alone.
func (o *RedactOptions) printNothing(sc *redactScan, skipped []skippedFinding) {
	if o.Format == "json" {
		_ = writeJSON(o.IO.Out, map[string]any{"files": []any{}, "secrets": []any{}, "skipped": skippedJSON(skipped), "errors": sc.errors})
		return
	}
	fmt.Fprintln(o.IO.Out, "mcpscan redact: no credential to remove in the files scanned.")
	o.printSkipped(skipped)
}

// printPreview lists, per secret, where it sits, before the question.
func (o *RedactOptions) printPreview(r *redact.Result, plan *redactPlan, b *builtPlan, skipped []skippedFinding) {
	w := o.IO.ErrOut
	fmt.Fprintf(w, "mcpscan redact will replace %s of %s in %s:\n\n", count(r.Totals.Places, "place", "places"), count(len(r.Secrets), "secret", "secrets"), count(countWouldChange(r), "file", "files"))
	o.printSecrets(w, r, plan, b)
	o.printSkipped(skipped)
	fmt.Fprintln(w, "\nRotate the credentials first: redaction removes copies, it does not make a leaked key safe.")
	if !o.NoBackup {
		fmt.Fprintln(w, "The originals are backed up (they hold the secrets): mcpscan redact --undo restores them, --purge-backups deletes them.")
	}
}

// printSecrets writes "this github-pat ghp_…(40 chars): 9 transcripts, 2
// file-history, 1 history" per secret, then the files.
func (o *RedactOptions) printSecrets(w io.Writer, r *redact.Result, plan *redactPlan, b *builtPlan) {
	storesOf := map[string]map[string]int{}
	for _, f := range r.Files {
		for _, s := range f.Secrets {
			if storesOf[s.ID] == nil {
				storesOf[s.ID] = map[string]int{}
			}
			kind := b.kindOf[f.Path]
			if kind == "" {
				kind = "other"
			}
			storesOf[s.ID][kind]++
		}
	}
	for _, s := range r.Secrets {
		v := plan.byID[s.ID]
		if v == nil {
			continue
		}
		var parts []string
		for k, n := range storesOf[s.ID] {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
		sort.Strings(parts)
		fmt.Fprintf(w, "  %s %s  %s in %s: %s\n", termtext.Text(v.ruleID), termtext.Text(v.display), count(s.Places, "place", "places"), count(s.Files, "file", "files"), strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	for _, f := range r.Files {
		if f.Places == 0 && f.Outcome != redact.OutcomeError && f.Outcome != redact.OutcomeSkippedActive {
			continue
		}
		fmt.Fprintf(w, "  %-14s %s  (%s)", f.Outcome, termtext.Text(scanner.SanitizeText(f.Path)), count(f.Places, "place", "places"))
		if f.Reason != "" {
			fmt.Fprintf(w, ": %s", termtext.Text(scanner.SanitizeText(f.Reason)))
		}
		fmt.Fprintln(w)
	}
	for _, n := range plan.notes {
		fmt.Fprintln(w, "  note:", termtext.Text(scanner.SanitizeText(n)))
	}
}

func (o *RedactOptions) printSkipped(skipped []skippedFinding) {
	if len(skipped) == 0 {
		return
	}
	fmt.Fprintf(o.IO.ErrOut, "\nLeft alone (%d findings):\n", len(skipped))
	for _, s := range skipped {
		fmt.Fprintf(o.IO.ErrOut, "  %s:%d %s: %s\n", termtext.Text(s.f.Path()), s.f.Line, termtext.Text(s.f.RuleID), termtext.Text(scanner.SanitizeText(s.why)))
	}
}

func skippedJSON(skipped []skippedFinding) []map[string]any {
	out := []map[string]any{}
	for _, s := range skipped {
		out = append(out, map[string]any{"path": s.f.Path(), "line": s.f.Line, "rule_id": s.f.RuleID, "secret_id": s.f.SecretID, "reason": scanner.SanitizeText(s.why)})
	}
	return out
}

// printResult writes the run's account: JSON (the redact.Result as it is,
// plus what was left alone and what remains), or for people.
func (o *RedactOptions) printResult(r *redact.Result, plan *redactPlan, b *builtPlan, skipped []skippedFinding, remaining []scanner.Finding) error {
	if o.Format == "json" {
		rem := []scanner.Finding{}
		rem = append(rem, remaining...)
		return writeJSON(o.IO.Out, struct {
			*redact.Result
			Skipped   []map[string]any  `json:"skipped"`
			Remaining []scanner.Finding `json:"remaining"`
			Notes     []string          `json:"notes,omitempty"`
		}{r, skippedJSON(skipped), rem, plan.notes})
	}
	w := o.IO.Out
	verb := "replaced"
	if r.DryRun {
		verb = "would replace"
	}
	fmt.Fprintf(w, "mcpscan redact %s %s of %s in %s.\n\n", verb, count(r.Totals.Places, "place", "places"), count(len(r.Secrets), "secret", "secrets"), count(countWouldChange(r), "file", "files"))
	o.printSecrets(w, r, plan, b)
	o.printSkipped(skipped)
	if r.BackupDir != "" {
		fmt.Fprintf(w, "\nOriginals backed up in %s (run %s); they hold the secrets.\n", termtext.Text(r.BackupDir), r.RunID)
		fmt.Fprintln(w, "Undo: mcpscan redact --undo "+r.RunID+"    Delete the backups: mcpscan redact --purge-backups "+r.RunID)
	}
	if !r.DryRun {
		if len(remaining) == 0 {
			fmt.Fprintln(w, "Rescanned the changed files: no redacted secret is left in them.")
		} else {
			fmt.Fprintf(w, "Rescanned the changed files: %d places still hold a secret:\n", len(remaining))
			for _, f := range remaining {
				fmt.Fprintf(w, "  %s:%d %s\n", termtext.Text(f.Path()), f.Line, f.RuleID)
			}
		}
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// runUndo restores the files of a run.
func runUndo(ctx context.Context, o *RedactOptions) error {
	run := o.Undo
	if run == "last" {
		run = ""
	}
	res, err := redact.Undo(ctx, run, redact.Options{StateDir: o.StateDir})
	if err != nil {
		return err
	}
	if o.Format == "json" {
		if err := writeJSON(o.IO.Out, res); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(o.IO.Out, "mcpscan redact --undo %s:\n", res.RunID)
		for _, f := range res.Files {
			fmt.Fprintf(o.IO.Out, "  %-14s %s", f.Outcome, termtext.Text(f.Path))
			if f.Tail > 0 {
				fmt.Fprintf(o.IO.Out, " (kept %d bytes appended since)", f.Tail)
			}
			if f.Reason != "" {
				fmt.Fprintf(o.IO.Out, ": %s", termtext.Text(scanner.SanitizeText(f.Reason)))
			}
			fmt.Fprintln(o.IO.Out)
		}
	}
	for _, f := range res.Files {
		if f.Outcome != redact.OutcomeRestored && f.Outcome != redact.OutcomeUnchanged {
			return fmt.Errorf("%w: some files were not restored (see above)", errIncomplete)
		}
	}
	return nil
}

// runPurge deletes backups.
func runPurge(o *RedactOptions) error {
	if o.Purge == "all" {
		runs, err := redact.Runs(o.StateDir)
		if err != nil {
			return err
		}
		if len(runs) > 0 && !o.Yes && !o.DryRun {
			if !isTerminal(o.IO.ErrOut) || !confirm(o.IO, fmt.Sprintf("Delete the backups of %d redaction runs (no undo after this)? [y/N] ", len(runs))) {
				return errors.New("--purge-backups: nothing deleted (pass --yes to delete without asking)")
			}
		}
		if err := redact.PurgeAll(o.StateDir); err != nil {
			return err
		}
		fmt.Fprintf(o.IO.Out, "mcpscan redact: deleted the backups of %d runs\n", len(runs))
		return nil
	}
	if err := redact.Purge(o.StateDir, o.Purge); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Out, "mcpscan redact: deleted the backups of run %s\n", termtext.Text(o.Purge))
	return nil
}

// count formats n with the singular or plural noun: "1 file", "3 files".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
