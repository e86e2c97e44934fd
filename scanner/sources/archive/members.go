package archive

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Members iterates over the members of one archive. It knows nothing of
// the scan engine: a caller (the Handler, or an engine that treats
// containers as sources of inputs) takes each member's name, size and
// content and decides what to do with it.
type Members interface {
	// Next returns the next member, or io.EOF after the last one. Any
	// other error ends the iteration: a *LimitError when a budget ran
	// out, a *CorruptError when the archive is damaged. What was read
	// before stays valid. Next discards what is left of the previous
	// member's content (cheaply where the format allows it).
	Next() (*Member, error)
}

// Kind is what a member is.
type Kind int

// Member kinds.
const (
	Regular  Kind = iota // a file, with content
	Dir                  // a directory
	Symlink              // a symbolic link (Link: its target)
	HardLink             // a hard link (Link: the member it repeats)
	Device               // a character or block device
	FIFO                 // a named pipe
	Other                // a socket, or a type this reader does not know
)

// Member is one entry of an archive.
type Member struct {
	// Name is the member's name as stored: not cleaned, possibly
	// absolute or with ../ elements (see SafeName).
	Name string
	// Kind is what the member is; only Regular members have content.
	Kind Kind
	// TypeFlag is the tar type flag of an Other member, for messages.
	TypeFlag byte
	// Size is the declared size of the content in bytes, after expansion;
	// -1 when the format does not say (a gzip stream, a zip entry with a
	// data descriptor). A declared size is a claim: the content may end
	// earlier (an error) but never yields more.
	Size int64
	// Link is the target of a Symlink or HardLink.
	Link string
	// Unreadable, when not nil, says why the content of a Regular member
	// cannot be read (encrypted, an unsupported compression method, a
	// damaged header); Reader is then nil and the next member can be read.
	Unreadable error
	// Reader yields the content of a Regular member; it is valid until the
	// next call to Next. A read error other than io.EOF ends the member;
	// see Independent.
	Reader io.Reader
	// Independent is true when damaged content ends only this member (a
	// zip entry whose extent is known): the members after it are still
	// read. Otherwise the damage ends the archive, and Next reports it as
	// a *CorruptError.
	Independent bool
}

// SafeName checks a member's name: it returns the cleaned slash path
// ("./package/a" → "package/a") and whether the name is safe to classify
// by: not absolute (no drive letter either), no ".." element, not empty.
func SafeName(raw string) (string, bool) {
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

// CorruptError is the damage that ended an archive: a truncated or
// corrupt stream, or a header that cannot be read.
type CorruptError struct {
	// Where says where the damage is: "before the first member",
	// "inside member \"x\"", "after 3 members".
	Where string
	// Truncated is true when the data simply ends early.
	Truncated bool
	// Err is the underlying error.
	Err error
}

func (e *CorruptError) Error() string {
	if e.Truncated {
		return fmt.Sprintf("truncated archive: the data ends %s; scanned what is there", e.Where)
	}
	return fmt.Sprintf("corrupt archive %s (%v); scanned what is there", e.Where, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// truncated reports whether err means the data ended early.
func truncated(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// position remembers where an iterator is, to say where it stopped.
type position struct {
	count   int    // members returned so far
	name    string // the current member
	content bool   // the current member's content was being read
}

// next moves to a member; content says whether it has content to read
// (until its reader returns io.EOF, a failure is "inside" it).
func (p *position) next(name string, content bool) {
	p.count++
	p.name = name
	p.content = content
}

func (p *position) where() string {
	switch {
	case p.content && p.name != "":
		return fmt.Sprintf("inside member %q", p.name)
	case p.count == 0:
		return "before the first member"
	case p.count == 1 && p.name != "":
		return fmt.Sprintf("after member %q", p.name)
	}
	return fmt.Sprintf("after %d members", p.count)
}

// fail turns an error met while reading an archive into what Next
// returns: a *LimitError or *CorruptError saying where it happened.
func (p *position) fail(err error) error {
	var le *LimitError
	if errors.As(err, &le) {
		c := *le
		c.Where = p.where()
		return &c
	}
	var ce *CorruptError
	if errors.As(err, &ce) {
		return err
	}
	return &CorruptError{Where: p.where(), Truncated: truncated(err), Err: err}
}

// trap records the first read error of a member's content (other than
// io.EOF), so that the iterator can report where the archive broke.
type trap struct {
	r   io.Reader
	pos *position
	err error
}

func (t *trap) Read(p []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	n, err := t.r.Read(p)
	switch {
	case err == io.EOF:
		t.pos.content = false // read to its end
	case err != nil:
		t.err = err
	}
	return n, err
}

// Source is an archive to open.
type Source struct {
	// Name is the archive's file name or path, used to tell formats by
	// name and to name the content of a single gzipped file.
	Name string
	// Reader yields the archive's bytes from the start.
	Reader io.Reader
	// ReaderAt gives random access to the same bytes, or is nil.
	ReaderAt io.ReaderAt
	// Size is the archive's size in bytes, -1 when unknown.
	Size int64
}

// Format is an archive format.
type Format int

// Archive formats.
const (
	FormatNone Format = iota
	FormatGzip        // .tgz, .tar.gz, .crate, .gz
	FormatTar         // .tar, .gem
	FormatZip         // .zip, .whl, .jar …
)

// nameFormats maps file name endings to formats.
var nameFormats = []struct {
	suffix string
	f      Format
}{
	{".tar.gz", FormatGzip}, {".tgz", FormatGzip}, {".crate", FormatGzip}, {".gz", FormatGzip},
	{".tar", FormatTar}, {".gem", FormatTar},
	{".zip", FormatZip}, {".whl", FormatZip}, {".jar", FormatZip}, {".war", FormatZip}, {".ear", FormatZip},
	{".egg", FormatZip}, {".nupkg", FormatZip}, {".vsix", FormatZip}, {".xpi", FormatZip},
}

// FormatByName tells an archive format by file name (FormatNone: not an
// archive name).
func FormatByName(p string) Format {
	lower := strings.ToLower(p)
	for _, nf := range nameFormats {
		if strings.HasSuffix(lower, nf.suffix) {
			return nf.f
		}
	}
	return FormatNone
}

// FormatByContent tells an archive format by the first bytes of a file:
// gzip 1f 8b, zip "PK\x03\x04" (or an empty zip's "PK\x05\x06"), a ustar
// header (POSIX or GNU) at offset 257.
func FormatByContent(head []byte) Format {
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		return FormatGzip
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return FormatZip
	case isTarHeader(head):
		return FormatTar
	}
	return FormatNone
}

// isTarHeader reports whether head starts with a ustar (POSIX or GNU)
// header.
func isTarHeader(head []byte) bool {
	return len(head) >= 262 && string(head[257:262]) == "ustar"
}

// Archive is an open archive: a Members iterator with what was learnt
// opening it.
type Archive struct {
	// Format is the archive's format.
	Format Format
	// Degraded, when not nil, says why the archive is read in a fallback
	// way: a zip whose central directory is missing, cut or inconsistent
	// is read from its local file headers, as unzip and zip -FF recover
	// such files. It is worth reporting; the members are still read.
	Degraded error
	next     func() (*Member, error)
}

// Next returns the next member (see Members).
func (a *Archive) Next() (*Member, error) { return a.next() }

// Open opens an archive of format f (FormatNone: tell it from the first
// bytes, then the name) for iteration, with its expansion counted against
// b. A format that cannot be told is an error.
func Open(f Format, src Source, b *Budget) (*Archive, error) {
	if f == FormatNone {
		br := bufio.NewReaderSize(src.Reader, 4096)
		head, _ := br.Peek(512)
		if f = FormatByContent(head); f == FormatNone {
			f = FormatByName(src.Name)
		}
		src.Reader = br
	}
	switch f {
	case FormatGzip:
		return openGzip(src, b)
	case FormatTar:
		return openTar(src.Reader, b), nil
	case FormatZip:
		return openZip(src, b)
	}
	return nil, errors.New("not an archive of a known format")
}
