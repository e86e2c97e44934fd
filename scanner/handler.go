package scanner

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Input is one file (or archive member, or database row) handed to a
// Handler. The engine opens and closes it; a handler only reads.
type Input struct {
	// Loc is where the input is: the file as displayed (the scanned
	// argument joined with the file's path below it) and, for an item
	// inside a container, the steps to it. Positions are unset.
	Loc Location
	// ClassPath is the slash-separated path used to classify the input:
	// absolute for files on disk, so that "projects/<cwd>/<id>.jsonl" is
	// recognised whatever directory the user named; the member's path
	// inside its archive for a member.
	ClassPath string
	// Size is the input's size in bytes when it was opened (-1 when
	// unknown); the engine reads no further, so a file that grows during
	// the scan is scanned as it was.
	Size int64
	// Reader yields the input's bytes from the start (from Start when
	// resuming).
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

// Path returns the input's displayed location ("pkg.tgz!package/.mcp.json").
func (in *Input) Path() string { return in.Loc.String() }

// Handler scans one kind of file. Handlers are small and separate, one per
// kind of input (osv-scalibr's extractor plugins): the engine walks, opens
// and classifies; the handler only reads and reports.
type Handler interface {
	// Sources lists the sources the handler's findings can carry, for the
	// registry (reporters, the JSON schema, state files read back).
	Sources() []*Source
	// Accepts reports, from the slash path alone (no reads), whether the
	// handler takes the file. The engine asks handlers in registry order
	// and gives the file to the first that accepts it.
	Accepts(classPath string) bool
	// Scan reads in.Reader and reports findings and per-line problems
	// through env. An error return is recorded as the file's error; the
	// scan of other files goes on.
	Scan(ctx context.Context, in *Input, env *Env) error
}

// Resumer is implemented by handlers of append-only files (JSON Lines
// transcripts) that can scan from a line start of a file scanned before,
// using Input.Start and Input.StartLine.
type Resumer interface {
	Handler
	Resumes() bool
}

// LineOriented is implemented by handlers of line-oriented text (JSON
// Lines) that judge binary content per record rather than per file: a
// stray NUL byte in one record does not make the engine skip the file as
// binary.
type LineOriented interface {
	Handler
	LineOriented() bool
}

// Container is implemented by handlers of inputs that hold other inputs:
// archives (members) and databases (rows). The engine opens the
// container and scans each item it yields exactly as it scans a file:
// sniffed, classified by the item's ClassPath, handed to its handler (a
// container again, for an archive inside an archive), its findings
// located at the item's Loc (in.Loc.Nested(…)). The engine's Scan of a
// container is never called: it calls Open and iterates, so no handler
// calls back into the engine.
type Container interface {
	Handler
	// Open returns the items of in. Problems with single items (a member
	// too large, a row that cannot be read) are reported with
	// env.Problem against in, and iteration goes on; an error from Open
	// or Items.Next ends the container and is recorded as in's problem.
	Open(ctx context.Context, in *Input, env *Env) (Items, error)
}

// Items iterates over the items of a container.
type Items interface {
	// Next returns the next item: Loc, ClassPath, Size (-1 unknown),
	// Reader and, when the container can give it, ReaderAt. The item's
	// readers are valid until the next call to Next. At the end Next
	// returns nil, io.EOF.
	Next() (*Input, error)
	// Close releases the container.
	Close() error
}

// ContentHandler is implemented by handlers that take binary inputs by
// their content (archives by magic bytes), whatever their name.
type ContentHandler interface {
	Handler
	// AcceptsContent reports whether the handler takes an input whose
	// first bytes (up to 8 KiB) are head.
	AcceptsContent(classPath string, head []byte) bool
}

// Env is what a handler reports to. It belongs to one worker goroutine.
type Env struct {
	// Rules is the rule set in use.
	Rules *rules.Set
	// MaxArchiveDepth is Options.MaxArchiveDepth, for the archive handler:
	// 0 means DefaultMaxArchiveDepth, negative opens no archive.
	MaxArchiveDepth int

	matcher *match.Scanner
	engine  *match.Engine
	pool    *pool
	// parallelMin is the smallest input cut into segments for every
	// worker to scan; split counts the inputs that were.
	parallelMin int64
	split       *atomic.Int64
	san         *sanitizer
	idKey       []byte
	out         func(findings []Finding, errs []FileError)
	frames      []*frame
	// itemCount counts a container item in the scan's statistics.
	itemCount func(n int64, scanned bool)
	// skip counts an input left out on purpose (Stats.SkippedBy).
	skip func(reason string)
}

// frame collects the findings and problems of one input until it is done:
// they are sanitized together (a secret found anywhere in the input is
// redacted wherever else it shows) and then passed on.
type frame struct {
	in       *Input
	findings []Finding
	errs     []FileError
	dropped  int // findings past MaxFindingsPerInput
}

// MaxFindingsPerInput caps the findings kept for one input (a file, an
// archive member or a database), so that a hostile file cannot make the
// report or memory explode. Past it, further findings are counted and the
// input gets a problem of ReasonLimit naming how many were not reported,
// so the scan is incomplete, never quietly short. A real agent history
// stays far below it: a 625 MB generated transcript with a planted secret
// every few hundred kilobytes holds about 2,200.
const MaxFindingsPerInput = 10000

// NewEnv returns an Env for handler tests: findings and problems of each
// input go to out once the input is done (see Env.Scan), sanitized as in
// a scan. set may be nil (rules.Default()).
func NewEnv(set *rules.Set, out func(findings []Finding, errs []FileError)) *Env {
	if set == nil {
		set = rules.Default()
	}
	eng := matchEngine(set)
	return &Env{
		Rules:   set,
		matcher: eng.NewScanner(),
		engine:  eng,
		san:     newSanitizer(eng),
		idKey:   defaultIDKey(),
		out:     out,
	}
}

// Scan runs h over in as the engine does for a file (tests): findings and
// problems are collected for in, sanitized, and passed to the Env's out.
func (e *Env) Scan(ctx context.Context, h Handler, in *Input) error {
	e.begin(in)
	err := h.Scan(ctx, in, e)
	if err != nil {
		e.Problem(in, 0, ReasonOther, "%s", describe(err))
	}
	e.end()
	return err
}

// Skip counts an item a container leaves out on purpose, under reason
// (one of the Skip* constants): a database row that is an agent's own
// login (SkipCredentialStore), say. Skipping is a decision, not a
// failure: it does not make the scan incomplete.
func (e *Env) Skip(reason string) {
	if e.skip != nil {
		e.skip(reason)
	}
}

func (e *Env) itemDone(n int64, scanned bool) {
	if e.itemCount != nil {
		e.itemCount(n, scanned)
	}
}

func (e *Env) begin(in *Input) { e.frames = append(e.frames, &frame{in: in}) }

func (e *Env) end() {
	n := len(e.frames)
	f := e.frames[n-1]
	if f.dropped > 0 {
		e.Problem(f.in, 0, ReasonLimit, "%d more findings in this file were not reported (at most %d per file)", f.dropped, MaxFindingsPerInput)
	}
	e.frames = e.frames[:n-1]
	e.san.frame(f)
	if e.out != nil && (len(f.findings) > 0 || len(f.errs) > 0) {
		e.out(f.findings, f.errs)
	}
}

func (e *Env) current() *frame {
	if len(e.frames) == 0 {
		e.begin(&Input{}) // a handler test that did not go through Scan
	}
	return e.frames[len(e.frames)-1]
}

// Match runs the matcher over in from in.Start on, calling fn for each
// hit in order. It is the one way handlers reach the matcher. An input on
// disk of match.ParallelMin bytes or more, read from its start, is cut
// into segments that every worker of the scan helps scan
// (match.ScanSplit); anything else streams through the worker's own
// matcher.
//
// in.Reader is always read through to the end (for statistics and for
// readers that check what passes, such as a JSON Lines record checker),
// or, for a split input whose readers are all Taps, stands as if it had
// been: each Tap watches the bytes the segments read.
func (e *Env) Match(in *Input, mode match.Mode, fn func(*match.Hit) error) error {
	opt := match.Options{Mode: mode, Path: in.ClassPath, Start: in.Start, StartLine: in.StartLine}
	if e.engine != nil && e.pool != nil && e.pool.workers > 1 && in.ReaderAt != nil && in.Start == 0 && in.Size >= e.parallelMin && in.Size >= 1 {
		e.split.Add(1)
		return e.matchSplit(in, opt, fn)
	}
	_, err := e.matcher.Scan(in.Reader, opt, fn)
	return err
}

// matchSplit scans in in segments run by the pool's workers. The bytes
// the segments' line counts read are shown to in.Reader's Taps; a reader
// that is not a Tap is read through on a goroutine of its own (a second
// read of the input).
func (e *Env) matchSplit(in *Input, opt match.Options, fn func(*match.Hit) error) error {
	segs := match.Segments(in.Size, e.pool.workers)
	g := e.pool.group()
	sp := match.Split{Segments: segs, Group: g, Scratch: &e.pool.scratch}
	taps := tapsOf(in.Reader)
	if taps == nil {
		drained := make(chan error, 1)
		go func() {
			_, err := io.Copy(io.Discard, in.Reader)
			drained <- err
		}()
		_, err := e.engine.ScanSplit(in.ReaderAt, in.Size, opt, sp, fn)
		if derr := <-drained; err == nil {
			err = derr
		}
		return err
	}
	parts := make([][]TapPart, len(taps)) // per tap, per piece
	for i := range parts {
		parts[i] = make([]TapPart, max(segs, 1))
	}
	sp.Observe = func(piece int, off int64, b []byte) {
		for i, t := range taps {
			if parts[i][piece] == nil {
				parts[i][piece] = t.Part(off)
			}
			parts[i][piece].Watch(b)
		}
	}
	_, err := e.engine.ScanSplit(in.ReaderAt, in.Size, opt, sp, fn)
	for i, t := range taps {
		var ps []TapPart
		for _, p := range parts[i] {
			if p != nil {
				ps = append(ps, p)
			}
		}
		t.Join(ps)
	}
	return err
}

// Tap is implemented by readers that pass an input's bytes through
// unchanged while watching them (a JSON Lines record checker). When
// Env.Match splits an input whose reader is a chain of Taps down to the
// engine's own reader of a file on disk, it reads none of them: it cuts
// the input into consecutive pieces, shows each piece's bytes to a
// TapPart of every Tap (several pieces at once, on several goroutines),
// and then joins each Tap's parts in input order. A Tap must then stand
// as if it had read every byte.
type Tap interface {
	io.Reader
	// Under returns the reader the tap reads from.
	Under() io.Reader
	// Part returns a watcher of a piece starting at raw offset off.
	Part(off int64) TapPart
	// Join takes the parts of every piece, in input order, after each
	// saw all of its piece's bytes.
	Join(parts []TapPart)
}

// TapPart watches one piece of an input (see Tap).
type TapPart interface {
	// Watch is given the piece's bytes in order; b is valid only during
	// the call.
	Watch(b []byte)
}

// tapsOf returns the Taps of r's chain, or nil when the chain does not
// end at the engine's unread reader of a file on disk.
func tapsOf(r io.Reader) []Tap {
	var taps []Tap
	for {
		switch t := r.(type) {
		case *countingReader:
			if !t.plain || t.n != 0 {
				return nil
			}
			return append(taps, t)
		case Tap:
			taps = append(taps, t)
			r = t.Under()
		default:
			return nil
		}
	}
}

// Report records a finding of the input being scanned, filling in what
// the handler left empty: RuleID, Description, Kind and Severity from the
// rule; Remediation from the rule and the source; Fingerprint and
// SecretID from the raw secret. The finding is sanitized with the rest of
// the input's output when the input is done.
func (e *Env) Report(f Finding) {
	if f.Rule != nil && f.Rule.Kind == rules.KindSignal {
		return // a signal for a handler, never a finding
	}
	fr := e.current()
	if len(fr.findings) >= MaxFindingsPerInput {
		fr.dropped++ // counted before any work is spent on it
		return
	}
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
	if f.Source == nil {
		f.Source = SourceFile
	}
	e.refineEncoded(&f)
	if f.Remediation == "" {
		f.staticRemediation = true // the rule's and the source's own words
		f.Remediation = GenericRemediation
		if f.Rule != nil && f.Rule.Remediation != "" {
			f.Remediation = f.Rule.Remediation
		}
		if a := f.Source.Advice; a != "" {
			f.Remediation += " " + a
		}
	}
	if f.Fingerprint == "" {
		f.Fingerprint = f.Secret.Fingerprint(f.RuleID, f.Location.Portable())
	}
	if f.SecretID == "" && f.Kind.HoldsSecret() {
		f.SecretID = f.Secret.ID(e.idKey)
	}
	fr.findings = append(fr.findings, f)
}

// Problem records a problem with the input being scanned (or, for a
// member, with in) that did not stop the scan of other files, such as a
// malformed record on one line (line 0: no line). reason is one of the
// Reason* constants and decides whether the scan counts as incomplete.
// The message is sanitized like findings: it never shows a secret.
func (e *Env) Problem(in *Input, line int, reason, format string, args ...any) {
	fr := e.current()
	path := ""
	if in != nil {
		path = in.Path()
	}
	fr.errs = append(fr.errs, FileError{Path: path, Line: line, Error: fmt.Sprintf(format, args...),
		Reason: reason, Incomplete: IncompleteReason(reason)})
}

// FindingFromHit turns a matcher hit in in into a Finding of source src,
// without context: the rule, location and secret of the hit, and the
// line around it.
func FindingFromHit(in *Input, src *Source, h *match.Hit) Finding {
	loc := in.Loc
	loc.Line, loc.Column, loc.EndLine, loc.EndColumn, loc.Offset = h.Line, h.Column, h.EndLine, h.EndColumn, h.Start
	f := Finding{
		Rule:     h.Rule,
		RuleID:   h.Rule.ID,
		Source:   src,
		Location: loc,
		Secret:   NewSecret(h.Rule, h.Secret),
		line:     h.LineText,
	}
	if f.line == "" && in.ReaderAt != nil {
		f.line = match.LineTextAt(in.ReaderAt, h) // a hit of a file split across CPUs
	}
	return f
}

// Load reads the rest of in.Reader into memory when in is at most max
// bytes and starts at its beginning, and points in.Reader and in.ReaderAt
// at the bytes, so that a handler that needs both a pattern scan and a
// structural parse (configs, settings) reads the file once. It returns
// the bytes, or false (in unchanged) for a larger input or one of unknown
// size, which the handler then streams.
func (in *Input) Load(max int64) ([]byte, bool, error) {
	if in.Size < 0 || in.Size > max || in.Start != 0 {
		return nil, false, nil
	}
	data, err := io.ReadAll(io.LimitReader(in.Reader, max+1))
	if err != nil {
		return nil, false, err
	}
	r := bytes.NewReader(data)
	in.Reader, in.ReaderAt, in.Size = bytes.NewReader(data), r, int64(len(data))
	return data, true, nil
}
