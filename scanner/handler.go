package scanner

import (
	"context"
	"fmt"
	"io"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Input is one file (or archive member) handed to a Handler. The engine
// opens and closes it; a handler only reads.
type Input struct {
	// Path is the display path: the scanned argument joined with the file's
	// path below it.
	Path string
	// ClassPath is the slash-separated path used to classify the file:
	// absolute for files on disk, so that "projects/<cwd>/<id>.jsonl" is
	// recognised whatever directory the user named.
	ClassPath string
	// Size is the file's size in bytes when it was opened; the engine reads
	// no further, so a file that grows during the scan is scanned as it was.
	Size int64
	// Reader yields the file's bytes from the start.
	Reader io.Reader
	// ReaderAt gives random access to the same bytes, for handlers that
	// re-read a record to describe a finding; nil when not seekable.
	ReaderAt io.ReaderAt
	// Head holds the first bytes of the input (up to 8 KiB), read by the
	// engine to tell text from binary; Reader still yields them.
	Head []byte
	// Depth is 0 for files on disk, 1 for archive members, 2 for members
	// of archives inside archives, and so on.
	Depth int
	// Start and StartLine are set when the scan resumes an append-only
	// file at a line start (--state): Reader then yields the file from
	// byte Start on, which is on line StartLine; ReaderAt still covers the
	// whole file.
	Start     int64
	StartLine int
}

// Resumer is implemented by handlers of append-only files (JSON Lines
// transcripts) that can scan from a line start of a file scanned before,
// using Input.Start and Input.StartLine.
type Resumer interface {
	Handler
	Resumes() bool
}

// Handler scans one kind of file. Handlers are small and separate, one per
// source kind (osv-scalibr's extractor plugins): the engine walks, opens
// and classifies; the handler only reads and reports.
type Handler interface {
	// Source names the source kind the handler reports.
	Source() Source
	// Accepts reports, from the slash path alone (no reads), whether the
	// handler takes the file. The engine asks handlers in registry order
	// and gives the file to the first that accepts it.
	Accepts(classPath string) bool
	// Scan reads in.Reader and reports findings and per-line problems
	// through env. An error return is recorded as the file's error; the
	// scan of other files goes on.
	Scan(ctx context.Context, in *Input, env *Env) error
}

// Env is what a handler reports to. It belongs to one worker goroutine.
type Env struct {
	// Matcher is the worker's streaming matcher.
	Matcher *match.Scanner
	// Rules is the rule set in use.
	Rules *rules.Set
	// MaxArchiveDepth is Options.MaxArchiveDepth, for the archive handler:
	// 0 means DefaultMaxArchiveDepth, negative opens no archive.
	MaxArchiveDepth int

	findings func(Finding)
	errors   func(FileError)
	nested   func(ctx context.Context, in *Input) (int64, bool)
	engine   *match.Engine
	workers  int
}

// Match runs the matcher over in from in.Start on, calling fn for each
// hit in order. A file on disk of match.ParallelMin bytes or more, read
// from its start, is split across the engine's workers (match.ScanAt);
// anything else streams through the worker's own Matcher. The bytes of
// in.Reader are always read through (for stats and for readers that
// check what passes, such as a JSON Lines record checker).
func (e *Env) Match(in *Input, mode match.Mode, fn func(*match.Hit) error) error {
	opt := MatchOptions(in, mode)
	if e.engine == nil || e.workers < 2 || in.ReaderAt == nil || in.Start != 0 || in.Size < match.ParallelMin {
		_, err := e.Matcher.Scan(in.Reader, opt, fn)
		return err
	}
	drained := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, in.Reader)
		drained <- err
	}()
	_, err := e.engine.ScanAt(in.ReaderAt, in.Size, opt, e.workers, fn)
	if derr := <-drained; err == nil {
		err = derr
	}
	return err
}

// Nested scans one member of an archive (or any input a handler opens
// inside another) exactly as a file on disk: sniffed, classified by
// in.ClassPath (the member's path inside the archive) or its content, and
// given to its handler. in.Path is the display path, "outer.tgz!member".
// It returns the bytes read and whether the member counted as scanned.
// Without an engine (tests) it does nothing.
func (e *Env) Nested(ctx context.Context, in *Input) (int64, bool) {
	if e.nested == nil {
		return 0, false
	}
	return e.nested(ctx, in)
}

// NewEnv returns an Env that passes findings and errors to the given
// functions. The engine builds one per worker; tests build their own.
func NewEnv(m *match.Scanner, set *rules.Set, findings func(Finding), errors func(FileError)) *Env {
	return &Env{Matcher: m, Rules: set, findings: findings, errors: errors}
}

// Report records a finding, filling in Redacted, Fingerprint, Description,
// Severity and Kind from the rule where they are empty.
func (e *Env) Report(f Finding) {
	if f.Rule != nil {
		if f.RuleID == "" {
			f.RuleID = f.Rule.ID
		}
		if f.Description == "" {
			f.Description = f.Rule.Description
		}
		if f.Kind == "" {
			f.Kind = f.Rule.Kind
			f.Severity = f.Rule.Severity
		}
	}
	if f.Remediation == "" {
		f.Remediation = GenericRemediation
		if f.Rule != nil && f.Rule.Remediation != "" {
			f.Remediation = f.Rule.Remediation
		}
		if a := SourceAdvice(f.Source); a != "" {
			f.Remediation += " " + a
		}
	}
	if f.Redacted == "" && f.Secret != "" {
		f.Redacted = Redact(f.Secret)
		if !f.Kind.HoldsSecret() {
			f.Redacted = f.Secret // evidence such as "0.0.0.0", not a credential
		}
	}
	if f.Fingerprint == "" {
		f.Fingerprint = Fingerprint(f.RuleID, f.Path, f.Secret)
	}
	if f.Context.IsZero() {
		f.Context = nil
	}
	e.findings(f)
}

// Problem records a per-file problem that did not stop the file's scan,
// such as a malformed record on one line (line 0: no line).
func (e *Env) Problem(path string, line int, format string, args ...any) {
	e.errors(FileError{Path: path, Line: line, Error: fmt.Sprintf(format, args...)})
}

// FindingFromHit turns a matcher hit in in into a Finding of source src,
// without context.
func FindingFromHit(in *Input, src Source, h *match.Hit) Finding {
	return Finding{
		Rule:      h.Rule,
		RuleID:    h.Rule.ID,
		Source:    src,
		Path:      in.Path,
		Line:      h.Line,
		Column:    h.Column,
		EndLine:   h.EndLine,
		EndColumn: h.EndColumn,
		Offset:    h.Start,
		Secret:    h.Secret,
	}
}

// MatchOptions returns matcher options for in in the given mode.
func MatchOptions(in *Input, mode match.Mode) match.Options {
	return match.Options{Mode: mode, Path: in.ClassPath, Start: in.Start, StartLine: in.StartLine}
}
