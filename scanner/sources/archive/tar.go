package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// gzip reads a gzip stream: a tarball (.tgz, .crate, npm packages) or a
// single gzipped file, scanned as one member named after the file.
func (lv *level) gzip(ctx context.Context) {
	raw := &countingReader{r: lv.in.Reader}
	lv.compressed = func() int64 { return raw.n }
	zr, err := gzip.NewReader(bufio.NewReader(raw))
	if err != nil {
		lv.fail("not a valid gzip stream (%v)", describe(err))
		return
	}
	defer zr.Close()
	br := bufio.NewReaderSize(&meter{r: zr, lv: lv}, 64<<10)
	head, err := br.Peek(512)
	if isTarHeader(head) {
		if lv.tar(ctx, br) {
			// Read the rest (tar padding) so that gzip checks its
			// trailer: a cut or corrupt end is reported.
			if _, err := io.Copy(io.Discard, br); err != nil {
				lv.readFailed("", err)
			}
		}
		return
	}
	if err != nil && err != io.EOF && len(head) == 0 {
		lv.readFailed("", err)
		return
	}
	if !lv.countMember() {
		return
	}
	lv.member(ctx, gunzippedName(zr.Name, lv.in.ClassPath), -1, br)
}

// gunzippedName names the content of a single gzipped file: the name
// stored in the gzip header when it is a plain base name, else the
// file's name without .gz (.tgz: .tar).
func gunzippedName(stored, classPath string) string {
	if stored != "" && !strings.ContainsAny(stored, "/\\") && stored != ".." && stored != "." {
		return stored
	}
	base := path.Base(classPath)
	lower := strings.ToLower(base)
	switch {
	case strings.HasSuffix(lower, ".tgz"):
		return base[:len(base)-4] + ".tar"
	case strings.HasSuffix(lower, ".gz") && len(base) > 3:
		return base[:len(base)-3]
	}
	return "content"
}

// tar reads a tar stream (already decompressed, and metered). It
// returns true when it read to the end of the archive.
func (lv *level) tar(ctx context.Context, r io.Reader) bool {
	tr := tar.NewReader(r)
	for {
		if ctx.Err() != nil || lv.b.stopped {
			return false
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return true
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			lv.readFailed("", err)
			return false
		}
		if !lv.countMember() {
			return false
		}
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeGNUSparse, tar.TypeCont:
			if !lv.member(ctx, hdr.Name, hdr.Size, tr) {
				return false
			}
		case tar.TypeDir, tar.TypeXGlobalHeader:
		case tar.TypeSymlink:
			lv.special(hdr.Name, fmt.Sprintf("a symbolic link to %q, not followed", hdr.Linkname))
		case tar.TypeLink:
			lv.special(hdr.Name, fmt.Sprintf("a hard link to %q (scanned as its own member)", hdr.Linkname))
		case tar.TypeChar, tar.TypeBlock:
			lv.special(hdr.Name, "a device")
		case tar.TypeFifo:
			lv.special(hdr.Name, "a FIFO")
		default:
			lv.special(hdr.Name, fmt.Sprintf("of unknown type %q", hdr.Typeflag))
		}
	}
}

// describe shortens errors of the compress and archive packages.
func describe(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "the data ends early"
	}
	return err.Error()
}
