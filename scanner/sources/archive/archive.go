// Package archive scans package archives without extracting them: npm
// tarballs (.tgz, .tar.gz), .tar, .zip, Python wheels (.whl), Java
// archives (.jar, .war, .ear), Rust crates (.crate), Ruby gems (.gem, a
// tar of gzipped tars) and single gzipped files (.gz). The format is
// recognised by content (gzip 1f 8b, zip "PK\x03\x04", "ustar" at offset
// 257) as well as by name.
//
// The package has two layers. Open and Members iterate over the members
// of one archive (name, kind, declared size, content reader) and know
// nothing of the scan engine. Handler is the scanner.ContentHandler that
// yields each member to the engine (a scanner.Container) to be scanned
// exactly like a file on disk: classified by its path inside the archive,
// so .claude/settings.local.json gets the agent-settings handler and
// .mcp.json the MCP config handler. A member is reported as
// "archive.tgz!package/.claude/settings.local.json", with line and column
// inside the member. Archives inside archives are opened too, up to
// scanner.Options.MaxArchiveDepth levels. Every member is also checked by
// the agent-artifact rules (package scanner/sources/artifact): a file that
// should not ship is reported even when no secret is found in it.
//
// Members are streamed, never written to disk. Binary members (a NUL in
// their first 8 KiB, not an archive) are skipped cheaply and the members
// after them are read. Hostile archives get a per-archive error, never a
// crash or a hang: absolute budgets (Limits) bound the bytes expanded per
// archive and per scan and the members per archive; whatever a limit
// stops is reported as an error, never dropped quietly. Members with
// absolute or ../ names are reported, and their content is scanned as
// plain text (their name is not used to classify them); symbolic links,
// hard links and devices are reported and skipped; truncated and corrupt
// streams are reported, and what was read before is scanned and its
// findings kept. A zip whose central directory is missing, cut or
// inconsistent is read from its local file headers.
package archive

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/artifact"
)

// Handler opens archives for the engine (a scanner.Container): the engine
// scans each member it yields as a file. The zero value uses
// DefaultLimits without a per-scan budget; New adds one.
type Handler struct {
	// Limits bound each archive; zero fields take DefaultLimits.
	Limits Limits
	// scan is the budget shared by every archive of one scan (nil: none).
	scan *ScanBudget
	// trees holds the budget of each archive tree being read, by the
	// file on disk it comes from: an archive inside an archive spends
	// its outermost archive's budget (nil: one budget per archive).
	trees *sync.Map
}

// New returns a handler for one scan, with lim (zero fields: defaults)
// and a budget of lim.MaxScanBytes shared by all the archives the scan
// opens.
func New(lim Limits) Handler {
	lim = lim.withDefaults()
	return Handler{Limits: lim, scan: NewScanBudget(lim.MaxScanBytes), trees: &sync.Map{}}
}

var (
	_ scanner.ContentHandler = Handler{}
	_ scanner.Container      = Handler{}
)

// Sources returns none: members report their own sources.
func (Handler) Sources() []*scanner.Source { return nil }

// Accepts takes archive file names (.tgz, .tar.gz, .tar, .zip, .whl, .jar,
// .crate, .gem, .gz …).
func (Handler) Accepts(p string) bool { return FormatByName(p) != FormatNone }

// AcceptsContent takes inputs that start like a gzip, zip or tar archive,
// and binary inputs with an archive's name (so that a corrupt archive is
// reported rather than skipped as binary).
func (h Handler) AcceptsContent(p string, head []byte) bool {
	return FormatByContent(head) != FormatNone || h.Accepts(p)
}

// Scan is never called by the engine (Open is, see scanner.Container).
func (h Handler) Scan(context.Context, *scanner.Input, *scanner.Env) error {
	return errors.New("archive: the engine opens archives as containers")
}

// Open opens the archive in and returns its members.
func (h Handler) Open(_ context.Context, in *scanner.Input, env *scanner.Env) (scanner.Items, error) {
	f := FormatByContent(in.Head)
	if f == FormatNone {
		f = FormatByName(in.ClassPath)
		if !scanner.IsBinary(in.Head) {
			// Named like an archive, but text: the one item is the file
			// itself, scanned as text.
			asText := *in
			asText.ClassPath += ".txt"
			return &oneItem{in: &asText}, nil
		}
	}
	maxDepth := env.MaxArchiveDepth
	if maxDepth == 0 {
		maxDepth = scanner.DefaultMaxArchiveDepth
	}
	if maxDepth < 0 {
		return noItems{}, nil // archives are not opened
	}
	if in.Depth >= maxDepth {
		env.Problem(in, 0, scanner.ReasonLimit, "archive inside %d other archives: not opened (--max-archive-depth %d)", in.Depth, maxDepth)
		return noItems{}, nil
	}
	top := len(in.Loc.Steps) == 0
	var b *Budget
	if !top && h.trees != nil {
		if v, ok := h.trees.Load(in.Loc.RawFile()); ok {
			b = v.(*Budget)
		}
	}
	if b == nil {
		if h.scan.Spent() {
			env.Problem(in, 0, scanner.ReasonLimit, "%s", (&LimitError{Limit: LimitScanBytes, Max: h.scan.max, Where: "before the first member"}).Error())
			return noItems{}, nil
		}
		b = NewBudget(h.Limits, h.scan)
		if top && h.trees != nil {
			h.trees.Store(in.Loc.RawFile(), b)
		}
	}
	it := &members{h: h, env: env, in: in, b: b, top: top}
	if b.err != nil {
		return it, nil // the tree stopped; the archive that hit the limit said so
	}
	a, err := Open(f, Source{Name: in.ClassPath, Reader: in.Reader, ReaderAt: in.ReaderAt, Size: in.Size}, b)
	if err != nil {
		h.report(env, in, b, err)
		return it, nil
	}
	if a.Degraded != nil {
		env.Problem(in, 0, scanner.ReasonMalformed, "damaged zip archive: %v", a.Degraded)
	}
	it.a = a
	return it, nil
}

// noItems is an archive that is not opened.
type noItems struct{}

func (noItems) Next() (*scanner.Input, error) { return nil, io.EOF }
func (noItems) Close() error                  { return nil }

// oneItem yields one input.
type oneItem struct{ in *scanner.Input }

func (o *oneItem) Next() (*scanner.Input, error) {
	if o.in == nil {
		return nil, io.EOF
	}
	in := o.in
	o.in = nil
	return in, nil
}
func (o *oneItem) Close() error { return nil }

// report records the error that ended an archive. A limit is reported once
// per archive tree, on the archive that hit it.
func (h Handler) report(env *scanner.Env, in *scanner.Input, b *Budget, err error) {
	var le *LimitError
	if errors.As(err, &le) {
		if b.reported {
			return
		}
		b.reported = true
		env.Problem(in, 0, scanner.ReasonLimit, "%s", err.Error())
		return
	}
	env.Problem(in, 0, scanner.ReasonUnreadable, "%s", err.Error())
}

// members yields the members of one archive to the engine.
type members struct {
	h   Handler
	env *scanner.Env
	in  *scanner.Input
	b   *Budget
	a   *Archive
	top bool
	// last is the previous member's reader: its read error, known once the
	// engine read it, is reported at the next call.
	last            *guard
	lastName        string
	lastIndependent bool
}

// unsafeClassPath classifies members whose name cannot be trusted: as
// plain text (or by content), never by their name.
const unsafeClassPath = "/unsafe-member-name"

// Next returns the next regular member; others are reported and skipped.
func (s *members) Next() (*scanner.Input, error) {
	s.settle()
	if s.a == nil {
		return nil, io.EOF
	}
	for {
		m, err := s.a.Next()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			s.h.report(s.env, s.in, s.b, err)
			return nil, io.EOF
		}
		if mi := s.member(m); mi != nil {
			return mi, nil
		}
	}
}

// Close forgets the tree's budget once its outermost archive is done.
func (s *members) Close() error {
	s.settle()
	if s.top && s.h.trees != nil {
		s.h.trees.Delete(s.in.Loc.RawFile())
	}
	return nil
}

// settle reports damage that ended the previous member only.
func (s *members) settle() {
	g := s.last
	s.last = nil
	if g != nil && g.err != nil && s.lastIndependent && !isLimit(g.err) {
		s.env.Problem(s.in, 0, scanner.ReasonUnreadable, "%s", &CorruptError{Where: fmt.Sprintf("inside member %q", s.lastName), Truncated: truncated(g.err), Err: g.err})
	}
}

// member returns the input of one regular member, or reports why it is
// skipped and returns nil.
func (s *members) member(m *Member) *scanner.Input {
	switch m.Kind {
	case Dir:
		return nil
	case Symlink:
		s.special(m.Name, fmt.Sprintf("a symbolic link to %q, not followed", m.Link))
		return nil
	case HardLink:
		s.special(m.Name, fmt.Sprintf("a hard link to %q (scanned as its own member)", m.Link))
		return nil
	case Device:
		s.special(m.Name, "a device")
		return nil
	case FIFO:
		s.special(m.Name, "a FIFO")
		return nil
	case Other:
		if m.TypeFlag != 0 {
			s.special(m.Name, fmt.Sprintf("of unknown type %q", m.TypeFlag))
		} else {
			s.special(m.Name, "a device, FIFO or socket")
		}
		return nil
	}
	if m.Unreadable != nil {
		s.env.Problem(s.in, 0, scanner.ReasonSkipped, "member %q cannot be read (%v): skipped", m.Name, m.Unreadable)
		return nil
	}
	name, safe := SafeName(m.Name)
	mi := &scanner.Input{
		Loc:       s.in.Loc.Nested(scanner.StepMember, name),
		ClassPath: "/" + name,
		Size:      m.Size,
		Depth:     s.in.Depth + 1,
	}
	if !safe {
		s.env.Problem(s.in, 0, scanner.ReasonMalformed, "member %q has an unsafe name (absolute, or with ../ elements, as in a zip-slip attack); its content is scanned as plain text, its name is not trusted", m.Name)
		mi.ClassPath = unsafeClassPath
	}
	g := &guard{r: m.Reader}
	s.last, s.lastName, s.lastIndependent = g, m.Name, m.Independent
	s.content(mi, safe, g)
	return mi
}

func isLimit(err error) bool {
	var le *LimitError
	return errors.As(err, &le)
}

// content readies a member's content for the engine. Members up to
// MaxBuffer bytes are held in memory, which gives their handler random
// access; larger ones are streamed, and so are binary ones of unknown size
// or over 1 MiB (which the engine skips after their first bytes, unless
// they are archives or line-oriented text): a zero-filled disk image is
// never copied into memory.
func (s *members) content(mi *scanner.Input, safe bool, r io.Reader) {
	lim := s.b.lim
	br := bufio.NewReaderSize(r, 8<<10)
	head, _ := br.Peek(8 << 10)
	binary := scanner.IsBinary(head) && FormatByContent(head) == FormatNone
	if mi.Size > lim.MaxBuffer || binary && (mi.Size < 0 || mi.Size > 1<<20) {
		s.stream(mi, safe, br, head)
		return
	}
	var buf bytes.Buffer
	if mi.Size >= 0 {
		buf.Grow(int(min(mi.Size, 1<<20)))
	}
	if _, err := io.Copy(&buf, io.LimitReader(br, lim.MaxBuffer+1)); err == nil && int64(buf.Len()) > lim.MaxBuffer {
		// Unknown size, larger than the buffer: stream the rest.
		s.stream(mi, safe, bufio.NewReaderSize(io.MultiReader(bytes.NewReader(buf.Bytes()), br), 8<<10), head)
		return
	}
	data := buf.Bytes()
	mi.Size = int64(len(data))
	mi.Reader = bytes.NewReader(data)
	mi.ReaderAt = bytes.NewReader(data)
	mi.Head = data[:min(len(data), 8<<10)]
	if safe {
		artifact.Check(s.env, mi)
	}
}

// stream readies a member for the engine without random access.
func (s *members) stream(mi *scanner.Input, safe bool, br *bufio.Reader, head []byte) {
	mi.Head = append([]byte(nil), head...)
	mi.Reader = br
	mi.ReaderAt = nil
	if safe {
		artifact.Check(s.env, mi)
	}
}

// special reports a member that is not a regular file and is skipped.
func (s *members) special(name, what string) {
	s.env.Problem(s.in, 0, scanner.ReasonNotRegular, "member %q is %s: skipped", name, what)
}

// guard hands a member's content to its handler: a read error ends the
// member (io.EOF) and is kept, so that the archive reports it once.
type guard struct {
	r   io.Reader
	err error
}

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, io.EOF
	}
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		g.err = err
		err = io.EOF
	}
	return n, err
}
