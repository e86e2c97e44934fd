// Package archive scans package archives without extracting them: npm
// tarballs (.tgz, .tar.gz), .tar, .zip, Python wheels (.whl), Java
// archives (.jar, .war, .ear), Rust crates (.crate), Ruby gems (.gem, a
// tar of gzipped tars) and single gzipped files (.gz). The format is
// recognised by content (gzip 1f 8b, zip "PK\x03\x04", "ustar" at offset
// 257) as well as by name.
//
// Members are streamed, never written to disk, and each is scanned exactly
// like a file on disk (scanner.Env.Nested): classified by its path inside
// the archive, so .claude/settings.local.json gets the agent-settings
// handler and .mcp.json the MCP config handler. A member is reported as
// "archive.tgz!package/.claude/settings.local.json", with line and column
// inside the member. Archives inside archives are opened too, up to
// scanner.Options.MaxArchiveDepth levels. Every member is also checked by
// the agent-artifact rules (package scanner/sources/artifact): a file that
// should not ship is reported even when no secret is found in it.
//
// Hostile archives get a per-archive error, never a crash or a hang (see
// Limits): decompression bombs (total expanded size, expansion ratio),
// huge member counts, members with absolute or ../ names (reported; their
// content is scanned as plain text, their name is not used to classify
// them), symbolic links, hard links and devices (reported and skipped),
// truncated and corrupt streams (reported; what was read before is
// scanned and its findings kept).
package archive

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/artifact"
	"github.com/mcpscan/mcpscan/scanner/sources/textfile"
)

// Limits bound what one archive may cost. A zero field means its default
// (DefaultLimits).
type Limits struct {
	// MaxExpanded bounds the bytes decompressed for one archive found on
	// disk (or streamed), archives inside it included.
	MaxExpanded int64
	// MaxRatio bounds expanded ÷ compressed bytes of one archive, checked
	// once more than RatioFloor bytes were expanded from it.
	MaxRatio int64
	// RatioFloor is how much an archive may expand before MaxRatio is
	// checked (small archives of repetitive text compress very well).
	RatioFloor int64
	// MaxMembers bounds the members of one archive, nested ones included.
	MaxMembers int
	// MaxMemberSize skips larger members (reported).
	MaxMemberSize int64
	// MaxBuffer: members up to this size are held in memory, which gives
	// their handler random access (Input.ReaderAt); larger ones are
	// streamed without it.
	MaxBuffer int64
	// MaxZipBuffer: a zip read without random access (inside another
	// archive, or streamed) is held in memory up to this size, since zip
	// keeps its directory at the end; a larger one is reported, not opened.
	MaxZipBuffer int64
}

// DefaultLimits returns the limits used for zero fields: 1 GiB expanded,
// a ratio of 100 beyond 8 MiB, 100,000 members, members up to 512 MiB,
// 32 MiB held in memory per member, zips without random access up to
// 128 MiB.
func DefaultLimits() Limits {
	return Limits{
		MaxExpanded:   1 << 30,
		MaxRatio:      100,
		RatioFloor:    8 << 20,
		MaxMembers:    100_000,
		MaxMemberSize: 512 << 20,
		MaxBuffer:     32 << 20,
		MaxZipBuffer:  128 << 20,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxExpanded <= 0 {
		l.MaxExpanded = d.MaxExpanded
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.RatioFloor <= 0 {
		l.RatioFloor = d.RatioFloor
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = d.MaxMembers
	}
	if l.MaxMemberSize <= 0 {
		l.MaxMemberSize = d.MaxMemberSize
	}
	if l.MaxBuffer <= 0 {
		l.MaxBuffer = d.MaxBuffer
	}
	if l.MaxZipBuffer <= 0 {
		l.MaxZipBuffer = d.MaxZipBuffer
	}
	return l
}

// Handler scans archives. The zero value uses DefaultLimits.
type Handler struct {
	// Limits bound each archive; zero fields take DefaultLimits.
	Limits Limits
}

var _ scanner.ContentHandler = Handler{}

// Sources returns none: members report their own sources.
func (Handler) Sources() []*scanner.Source { return nil }

// format is an archive format.
type format int

const (
	formatNone format = iota
	formatGzip        // .tgz, .tar.gz, .crate, .gz
	formatTar         // .tar, .gem
	formatZip         // .zip, .whl, .jar …
)

// nameFormats maps file name endings to formats.
var nameFormats = []struct {
	suffix string
	f      format
}{
	{".tar.gz", formatGzip}, {".tgz", formatGzip}, {".crate", formatGzip}, {".gz", formatGzip},
	{".tar", formatTar}, {".gem", formatTar},
	{".zip", formatZip}, {".whl", formatZip}, {".jar", formatZip}, {".war", formatZip}, {".ear", formatZip},
	{".egg", formatZip}, {".nupkg", formatZip}, {".vsix", formatZip}, {".xpi", formatZip},
}

func byName(p string) format {
	lower := strings.ToLower(p)
	for _, nf := range nameFormats {
		if strings.HasSuffix(lower, nf.suffix) {
			return nf.f
		}
	}
	return formatNone
}

func byContent(head []byte) format {
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		return formatGzip
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return formatZip
	case isTarHeader(head):
		return formatTar
	}
	return formatNone
}

// isTarHeader reports whether head starts with a ustar (POSIX or GNU)
// header.
func isTarHeader(head []byte) bool {
	return len(head) >= 262 && string(head[257:262]) == "ustar"
}

// Accepts takes archive file names (.tgz, .tar.gz, .tar, .zip, .whl, .jar,
// .crate, .gem, .gz …).
func (Handler) Accepts(p string) bool { return byName(p) != formatNone }

// AcceptsContent takes inputs that start like a gzip, zip or tar archive,
// and binary inputs with an archive's name (so that a corrupt archive is
// reported rather than skipped as binary).
func (h Handler) AcceptsContent(p string, head []byte) bool {
	return byContent(head) != formatNone || h.Accepts(p)
}

// Scan opens the archive and scans its members.
func (h Handler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	f := byContent(in.Head)
	if f == formatNone {
		f = byName(in.ClassPath)
		if !scanner.IsBinary(in.Head) {
			// Named like an archive, but text: scan it as text.
			return textfile.Handler{}.Scan(ctx, in, env)
		}
	}
	maxDepth := env.MaxArchiveDepth
	if maxDepth == 0 {
		maxDepth = scanner.DefaultMaxArchiveDepth
	}
	if maxDepth < 0 {
		return nil // archives are not opened
	}
	if in.Depth >= maxDepth {
		env.Problem(in, 0, scanner.ReasonLimit, "archive inside %d other archives: not opened (--max-archive-depth %d)", in.Depth, maxDepth)
		return nil
	}
	b, top := ctx.Value(budgetKey{}).(*budget)
	if !top {
		b = &budget{lim: h.Limits.withDefaults()}
		ctx = context.WithValue(ctx, budgetKey{}, b)
	}
	if b.stopped {
		return nil
	}
	lv := &level{env: env, in: in, b: b}
	switch f {
	case formatGzip:
		lv.gzip(ctx)
	case formatTar:
		raw := &countingReader{r: in.Reader}
		lv.compressed = func() int64 { return raw.n }
		lv.tar(ctx, &meter{r: raw, lv: lv})
	case formatZip:
		lv.zip(ctx)
	}
	if lv.problem != "" {
		env.Problem(in, 0, lv.reason, "%s", lv.problem)
	}
	return ctx.Err()
}

// budgetKey keys the budget of the outermost archive in a context.
type budgetKey struct{}

// budget is what is left to one archive found on disk (or streamed), its
// nested archives included. It belongs to one worker goroutine.
type budget struct {
	lim      Limits
	expanded int64
	members  int
	// stopped is set when a limit was hit: every archive of the tree
	// stops, and only the one that hit it reports it.
	stopped bool
}

// level is one archive being read.
type level struct {
	env        *scanner.Env
	in         *scanner.Input
	b          *budget
	members    int          // members seen in this archive
	expanded   int64        // bytes expanded from this archive
	compressed func() int64 // compressed bytes read so far, for the ratio
	// problem is the archive's error, reported once when it is done, and
	// reason its scanner.Reason*.
	problem, reason string
	// independent members (zip): a member that cannot be read is
	// reported on its own and the next one is read.
	independent bool
}

// fail records the archive's first problem.
func (lv *level) fail(format string, args ...any) {
	if lv.problem == "" {
		lv.problem, lv.reason = fmt.Sprintf(format, args...), scanner.ReasonUnreadable
	}
}

// stop records a limit that was hit; every archive of the tree stops.
func (lv *level) stop(format string, args ...any) {
	if lv.problem == "" {
		lv.problem, lv.reason = fmt.Sprintf(format, args...), scanner.ReasonLimit
	}
	lv.b.stopped = true
}

// errLimit is returned by readers once a limit was hit (and recorded).
var errLimit = errors.New("archive limit reached")

// countMember counts one member against the limits; false: stop.
func (lv *level) countMember() bool {
	lv.members++
	lv.b.members++
	if lv.b.members > lv.b.lim.MaxMembers {
		lv.stop("more than %d members (the limit per archive, nested archives included); stopped", lv.b.lim.MaxMembers)
		return false
	}
	return true
}

// readFailed records a read error of the archive stream (not a limit).
func (lv *level) readFailed(member string, err error) {
	if errors.Is(err, errLimit) || lv.b.stopped {
		return
	}
	if lv.independent {
		lv.env.Problem(lv.in, 0, scanner.ReasonUnreadable, "member %q is corrupt or truncated (%v); scanned what was read", member, describe(err))
		return
	}
	where := fmt.Sprintf("after %d members", max(lv.members-1, 0))
	switch {
	case lv.members <= 1 && member == "":
		where = "before the first member"
	case member != "":
		where = fmt.Sprintf("inside member %q", member)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		lv.fail("truncated archive: the data ends %s; scanned what is there", where)
		return
	}
	lv.fail("corrupt archive %s (%v); scanned what is there", where, err)
}

// meter counts the bytes expanded from an archive and stops the read when
// a limit is hit.
type meter struct {
	r  io.Reader
	lv *level
}

func (m *meter) Read(p []byte) (int, error) {
	lv, b := m.lv, m.lv.b
	if b.stopped {
		return 0, errLimit
	}
	n, err := m.r.Read(p)
	b.expanded += int64(n)
	lv.expanded += int64(n)
	switch {
	case b.expanded > b.lim.MaxExpanded:
		lv.stop("decompression bomb? expanded past %d bytes (the limit per archive, nested archives included); stopped", b.lim.MaxExpanded)
		return n, errLimit
	case lv.compressed != nil && lv.expanded > b.lim.RatioFloor:
		if c := lv.compressed(); c > 0 && lv.expanded/c > b.lim.MaxRatio {
			lv.stop("decompression bomb? %d bytes expanded from %d compressed (more than %d:1); stopped", lv.expanded, c, b.lim.MaxRatio)
			return n, errLimit
		}
	}
	return n, err
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// guard hands a streamed member to its handler: a read error of the
// archive ends the member (io.EOF) and is kept for the archive's report,
// so that one problem is reported once, on the archive.
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

// memberName checks a member's name: it returns the cleaned slash path
// ("./package/a" → "package/a") and whether the name is safe: not
// absolute, no ".." element, not empty.
func memberName(raw string) (string, bool) {
	n := strings.ReplaceAll(raw, "\\", "/")
	if n == "" || strings.HasPrefix(n, "/") || len(n) >= 2 && n[1] == ':' && (n[0]|0x20 >= 'a' && n[0]|0x20 <= 'z') {
		return raw, false
	}
	for _, seg := range strings.Split(n, "/") {
		if seg == ".." {
			return raw, false
		}
	}
	c := path.Clean(n)
	if c == "." {
		return raw, false
	}
	return c, true
}

// unsafeClassPath classifies members whose name cannot be trusted: as
// plain text (or by content), never by their name.
const unsafeClassPath = "/unsafe-member-name"

// member scans one regular member of size bytes (-1: unknown) read from
// r. It returns false when the archive stream failed and reading must
// stop.
func (lv *level) member(ctx context.Context, rawName string, size int64, r io.Reader) bool {
	lim := lv.b.lim
	name, safe := memberName(rawName)
	mi := &scanner.Input{
		Loc:       lv.in.Loc.Nested(scanner.StepMember, name),
		ClassPath: "/" + name,
		Size:      size,
		Depth:     lv.in.Depth + 1,
	}
	if !safe {
		lv.env.Problem(lv.in, 0, scanner.ReasonMalformed, "member %q has an unsafe name (absolute, or with ../ elements, as in a zip-slip attack); its content is scanned as plain text, its name is not trusted", rawName)
		mi.ClassPath = unsafeClassPath
	}
	if size > lim.MaxMemberSize {
		lv.env.Problem(lv.in, 0, scanner.ReasonLimit, "member %q is %d bytes, more than the %d-byte limit per member: skipped", name, size, lim.MaxMemberSize)
		return true
	}
	if size >= 0 && size <= lim.MaxBuffer || size < 0 {
		// Held in memory: the handler gets random access.
		// Tar and zip readers end at the member's end (zip checks its CRC
		// there), so the member is read to its EOF.
		var buf bytes.Buffer
		if size >= 0 {
			buf.Grow(int(min(size, 1<<20)))
		}
		_, err := io.Copy(&buf, io.LimitReader(r, lim.MaxBuffer+1))
		if int64(buf.Len()) > lim.MaxBuffer && err == nil {
			// Unknown size, larger than the buffer: stream the rest.
			return lv.stream(ctx, mi, safe, io.MultiReader(bytes.NewReader(buf.Bytes()), r))
		}
		data := buf.Bytes()
		if err == nil && size >= 0 && int64(len(data)) < size {
			err = io.ErrUnexpectedEOF
		}
		mi.Size = int64(len(data))
		mi.Reader = bytes.NewReader(data)
		mi.ReaderAt = bytes.NewReader(data)
		mi.Head = data[:min(len(data), 8<<10)]
		if safe {
			artifact.Check(lv.env, mi)
		}
		if len(data) > 0 || err == nil {
			lv.env.Nested(ctx, mi)
		}
		if err != nil {
			lv.readFailed(name, err)
			return false
		}
		return true
	}
	return lv.stream(ctx, mi, safe, r)
}

// stream scans a member too large to hold in memory, without random
// access.
func (lv *level) stream(ctx context.Context, mi *scanner.Input, safe bool, r io.Reader) bool {
	g := &guard{r: r}
	br := bufio.NewReaderSize(g, 8<<10)
	head, _ := br.Peek(8 << 10)
	mi.Head = append([]byte(nil), head...)
	mi.Reader = br
	mi.ReaderAt = nil
	if safe {
		artifact.Check(lv.env, mi)
	}
	lv.env.Nested(ctx, mi)
	if g.err != nil {
		lv.readFailed(mi.Loc.Inner(), g.err)
		return false
	}
	return true
}

// special reports a member that is not a regular file and is skipped.
func (lv *level) special(name, what string) {
	lv.env.Problem(lv.in, 0, scanner.ReasonNotRegular, "member %q is %s: skipped", name, what)
}
