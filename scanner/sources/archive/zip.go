package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
)

// zip reads a zip archive (.zip, .whl, .jar …). zip keeps its directory at
// the end, so it needs random access: a file on disk has it; a zip inside
// another archive, or streamed, is held in memory up to MaxZipBuffer.
func (lv *level) zip(ctx context.Context) {
	in, lim := lv.in, lv.b.lim
	ra, size := in.ReaderAt, in.Size
	if ra == nil || size < 0 {
		if size > lim.MaxZipBuffer {
			lv.fail("zip archive of %d bytes without random access (inside another archive, or streamed): more than %d bytes, not opened", size, lim.MaxZipBuffer)
			return
		}
		data, err := io.ReadAll(io.LimitReader(in.Reader, lim.MaxZipBuffer+1))
		if err != nil {
			lv.readFailed("", err)
			return
		}
		if int64(len(data)) > lim.MaxZipBuffer {
			lv.fail("zip archive without random access (inside another archive, or streamed): more than %d bytes, not opened", lim.MaxZipBuffer)
			return
		}
		ra, size = bytes.NewReader(data), int64(len(data))
	}
	if n, ok := zipEntries(ra, size); ok && n > int64(lim.MaxMembers-lv.b.members) {
		lv.stop("%d members, more than the %d allowed per archive (nested archives included): not opened", n, lim.MaxMembers)
		return
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		lv.fail("not a valid zip archive (%v)", describe(err))
		return
	}
	lv.compressed = func() int64 { return size }
	lv.independent = true
	for _, f := range zr.File {
		if ctx.Err() != nil || lv.b.stopped {
			return
		}
		if !lv.countMember() {
			return
		}
		mode := f.Mode()
		switch {
		case mode.IsDir() || strings.HasSuffix(f.Name, "/"):
			continue
		case mode&fs.ModeSymlink != 0:
			lv.special(f.Name, "a symbolic link, not followed")
			continue
		case !mode.IsRegular():
			lv.special(f.Name, "a device, FIFO or socket")
			continue
		case f.Flags&0x1 != 0:
			lv.special(f.Name, "encrypted")
			continue
		}
		rc, err := f.Open()
		if err != nil {
			lv.env.Problem(lv.in, 0, scanner.ReasonUnreadable, "member %q cannot be read (%v): skipped", f.Name, describe(err))
			continue
		}
		size := int64(f.UncompressedSize64)
		if f.UncompressedSize64 > 1<<62 {
			size = -1
		}
		lv.member(ctx, f.Name, size, &meter{r: rc, lv: lv})
		rc.Close()
	}
}

// zipEntries reads the number of entries from a zip's end of central
// directory record (or its zip64 record), so that an archive declaring
// millions of entries is refused before its directory is loaded.
func zipEntries(ra io.ReaderAt, size int64) (int64, bool) {
	const eocdLen = 22
	n := min(size, 0xffff+eocdLen)
	if n < eocdLen {
		return 0, false
	}
	buf := make([]byte, n)
	if _, err := ra.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return 0, false
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || i+eocdLen > len(buf) {
		return 0, false
	}
	if count := binary.LittleEndian.Uint16(buf[i+10:]); count != 0xffff {
		return int64(count), true
	}
	// zip64: the locator sits just before the end record.
	if i < 20 || string(buf[i-20:i-16]) != "PK\x06\x07" {
		return 0, false
	}
	off := int64(binary.LittleEndian.Uint64(buf[i-20+8:]))
	rec := make([]byte, 56)
	if off < 0 || off > size-56 {
		return 0, false
	}
	if _, err := ra.ReadAt(rec, off); err != nil || string(rec[:4]) != "PK\x06\x06" {
		return 0, false
	}
	count := binary.LittleEndian.Uint64(rec[32:])
	if count > 1<<62 {
		return 1 << 62, true
	}
	return int64(count), true
}
