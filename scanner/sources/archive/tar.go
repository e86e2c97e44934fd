package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// tarMembers iterates over a tar stream.
type tarMembers struct {
	tr *tar.Reader
	b  *Budget
	// metered: member content is counted here (a plain tar); for a tar
	// inside gzip the decompressed stream is counted instead.
	metered bool
	// finish, when set, runs after the last member (gzip: read the
	// padding so that gzip checks its trailer).
	finish func() error
	pos    position
	cur    *trap
	done   bool
}

// openTar iterates over a plain tar stream.
func openTar(r io.Reader, b *Budget) *Archive {
	t := &tarMembers{tr: tar.NewReader(r), b: b, metered: true}
	return &Archive{Format: FormatTar, next: t.Next}
}

// Next returns the next tar member. Tar readers discard the rest of the
// previous member by reading (by seeking past it when the stream allows);
// sparse holes are skipped without being expanded.
func (t *tarMembers) Next() (*Member, error) {
	if t.done {
		return nil, io.EOF
	}
	if t.cur != nil && t.cur.err != nil {
		return nil, t.pos.fail(t.cur.err)
	}
	hdr, err := t.tr.Next()
	if err == io.EOF {
		t.done = true
		if t.finish != nil {
			t.pos.content = false
			if err := t.finish(); err != nil {
				return nil, t.pos.fail(err)
			}
		}
		return nil, io.EOF
	}
	if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
		return nil, t.pos.fail(err)
	}
	if err := t.b.member(); err != nil {
		return nil, t.pos.fail(err)
	}
	m := &Member{Name: hdr.Name, Size: hdr.Size, Link: hdr.Linkname}
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeGNUSparse, tar.TypeCont:
		m.Kind = Regular
		var r io.Reader = t.tr
		if t.metered {
			r = &meter{r: r, b: t.b}
		}
		t.cur = &trap{r: r, pos: &t.pos}
		m.Reader = t.cur
	case tar.TypeDir:
		m.Kind, m.Size = Dir, 0
	case tar.TypeSymlink:
		m.Kind, m.Size = Symlink, 0
	case tar.TypeLink:
		m.Kind, m.Size = HardLink, 0
	case tar.TypeChar, tar.TypeBlock:
		m.Kind, m.Size = Device, 0
	case tar.TypeFifo:
		m.Kind, m.Size = FIFO, 0
	case tar.TypeXGlobalHeader:
		// pax global header: metadata, not a member.
		return t.Next()
	default:
		m.Kind, m.TypeFlag = Other, hdr.Typeflag
	}
	t.pos.next(hdr.Name, m.Kind == Regular && hdr.Size > 0)
	return m, nil
}

// openGzip opens a gzip stream: a tarball (.tgz, .crate, npm packages),
// whose members are the tar's, or a single gzipped file, which is one
// member named after the file (gunzippedName). The decompressed stream is
// counted against the budget.
func openGzip(src Source, b *Budget) (*Archive, error) {
	zr, err := gzip.NewReader(bufio.NewReader(src.Reader))
	if err != nil {
		if truncated(err) {
			return nil, &CorruptError{Where: "before the first member", Truncated: true, Err: err}
		}
		return nil, fmt.Errorf("not a valid gzip stream (%v)", err)
	}
	br := bufio.NewReaderSize(&meter{r: zr, b: b}, 64<<10)
	head, perr := br.Peek(512)
	if isTarHeader(head) {
		t := &tarMembers{tr: tar.NewReader(br), b: b, finish: func() error {
			_, err := io.Copy(io.Discard, br)
			return err
		}}
		return &Archive{Format: FormatGzip, next: t.Next}, nil
	}
	s := &singleMember{b: b, name: gunzippedName(zr.Name, src.Name), r: br}
	if perr != nil && perr != io.EOF && len(head) == 0 {
		s.err = perr
	}
	return &Archive{Format: FormatGzip, next: s.Next}, nil
}

// singleMember is the content of a gzipped file that is not a tarball.
type singleMember struct {
	b    *Budget
	name string
	r    io.Reader
	err  error // the stream failed before its content
	pos  position
	cur  *trap
}

func (s *singleMember) Next() (*Member, error) {
	switch {
	case s.err != nil:
		return nil, s.pos.fail(s.err)
	case s.cur != nil && s.cur.err != nil:
		return nil, s.pos.fail(s.cur.err)
	case s.cur != nil:
		return nil, io.EOF
	}
	if err := s.b.member(); err != nil {
		return nil, s.pos.fail(err)
	}
	s.pos.next(s.name, true)
	s.cur = &trap{r: s.r, pos: &s.pos}
	return &Member{Name: s.name, Kind: Regular, Size: -1, Reader: s.cur}, nil
}

// gunzippedName names the content of a single gzipped file: the name
// stored in the gzip header when it is a plain base name, else the
// file's name without .gz (.tgz: .tar).
func gunzippedName(stored, file string) string {
	if stored != "" && !strings.ContainsAny(stored, "/\\") && stored != ".." && stored != "." {
		return stored
	}
	base := path.Base(strings.ReplaceAll(file, "\\", "/"))
	lower := strings.ToLower(base)
	switch {
	case strings.HasSuffix(lower, ".tgz"):
		return base[:len(base)-4] + ".tar"
	case strings.HasSuffix(lower, ".gz") && len(base) > 3:
		return base[:len(base)-3]
	}
	return "content"
}
