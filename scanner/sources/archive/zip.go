package archive

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"strings"
)

// openZip opens a zip archive (.zip, .whl, .jar …). Its central directory,
// at the end, is authoritative: a file on disk has random access to it;
// a zip inside another archive, or streamed, is held in memory up to
// Limits.MaxZipBuffer to reach it. When the directory cannot be used
// (missing, cut, or inconsistent: a wrong entry count or offset) or the
// zip is too large to hold, the members are read from their local file
// headers instead, front to back, as unzip and zip -FF recover damaged
// files and streaming unzippers read.
func openZip(src Source, b *Budget) (*Archive, error) {
	lim := b.lim
	ra, size := src.ReaderAt, src.Size
	if ra == nil || size < 0 {
		data, err := io.ReadAll(io.LimitReader(src.Reader, lim.MaxZipBuffer+1))
		switch {
		case err != nil:
			// The stream broke: read what arrived from its local headers;
			// the break is reported where the walk meets it.
			return localZip(io.MultiReader(bytes.NewReader(data), errReader{err}), b,
				errors.New("the stream ended before the central directory")), nil
		case int64(len(data)) > lim.MaxZipBuffer:
			// Too large to hold: walk it as it streams.
			return localZip(io.MultiReader(bytes.NewReader(data), src.Reader), b, nil), nil
		}
		ra, size = bytes.NewReader(data), int64(len(data))
	}
	if n, ok := zipEntries(ra, size); ok && n > int64(lim.MaxMembers-b.members) {
		// Refused before the directory is loaded (memory).
		b.err = &LimitError{Limit: LimitMembers, Max: int64(lim.MaxMembers)}
		return nil, fmt.Errorf("%d members declared, more than the %d allowed per archive (nested archives included): not opened", n, lim.MaxMembers)
	}
	zr, err := zip.NewReader(ra, size)
	if err == nil || errors.Is(err, zip.ErrInsecurePath) {
		err = checkDirectory(zr)
	}
	if err == nil {
		d := &zipDir{files: zr.File, b: b}
		return &Archive{Format: FormatZip, next: d.Next}, nil
	}
	a := localZip(io.NewSectionReader(ra, 0, size), b, fmt.Errorf("its central directory cannot be used (%v): members read from their local headers", err))
	return a, nil
}

// checkDirectory checks that every entry of a central directory points to
// a local header: a directory whose offsets lie (a wrong start offset
// shifts them all) is not used.
func checkDirectory(zr *zip.Reader) error {
	bad := 0
	for _, f := range zr.File {
		if _, err := f.DataOffset(); err != nil {
			bad++
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d of its %d entries point to no local header", bad, len(zr.File))
	}
	return nil
}

// errReader returns err once the data before it is read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// zipDir iterates over a zip's central directory. A damaged entry ends
// only itself.
type zipDir struct {
	files []*zip.File
	i     int
	b     *Budget
	pos   position
	rc    io.ReadCloser
}

func (d *zipDir) Next() (*Member, error) {
	if d.rc != nil {
		d.rc.Close()
		d.rc = nil
	}
	if d.b.err != nil {
		return nil, d.pos.fail(d.b.err)
	}
	if d.i >= len(d.files) {
		return nil, io.EOF
	}
	f := d.files[d.i]
	d.i++
	if err := d.b.member(); err != nil {
		return nil, d.pos.fail(err)
	}
	m := &Member{Name: f.Name, Size: int64(f.UncompressedSize64), Independent: true}
	if f.UncompressedSize64 > 1<<62 {
		m.Size = -1
	}
	mode := f.Mode()
	switch {
	case mode.IsDir() || strings.HasSuffix(f.Name, "/"):
		m.Kind = Dir
	case mode&fs.ModeSymlink != 0:
		m.Kind = Symlink
	case mode&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		m.Kind = Device
	case mode&fs.ModeNamedPipe != 0:
		m.Kind = FIFO
	case !mode.IsRegular():
		m.Kind = Other
	case f.Flags&0x1 != 0:
		m.Unreadable = errors.New("encrypted")
	default:
		rc, err := f.Open()
		if err != nil {
			m.Unreadable = err
			break
		}
		d.rc = rc
		m.Reader = &meter{r: rc, b: d.b}
	}
	d.pos.next(f.Name, m.Reader != nil)
	return m, nil
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

// Zip record signatures (APPNOTE.TXT 4.3).
const (
	sigLocal      = "PK\x03\x04"
	sigCentral    = "PK\x01\x02"
	sigEnd        = "PK\x05\x06"
	sigEnd64      = "PK\x06\x06"
	sigEnd64Loc   = "PK\x06\x07"
	sigDescriptor = "PK\x07\x08"
	sigSignature  = "PK\x05\x05" // central directory digital signature
	sigExtraData  = "PK\x06\x08" // archive extra data record
)

// zipLocal reads a zip front to back from its local file headers
// (APPNOTE.TXT 4.3.7), with data descriptors (4.3.9) for entries whose
// sizes follow their data.
type zipLocal struct {
	br     *bufio.Reader
	b      *Budget
	pos    position
	cur    *localEntry
	err    error // sticky
	opened bool  // the first header was found
}

// localZip returns an Archive that walks the local headers of r.
// degraded says why (nil: by choice, for a large streamed zip).
func localZip(r io.Reader, b *Budget, degraded error) *Archive {
	z := &zipLocal{br: bufio.NewReaderSize(r, 64<<10), b: b}
	return &Archive{Format: FormatZip, Degraded: degraded, next: z.Next}
}

// localEntry is the member being read.
type localEntry struct {
	z      *zipLocal
	raw    *countingByteReader // the compressed bytes (limited when the size is known)
	dd     bool                // sizes and CRC follow the data (data descriptor)
	zip64  bool                // the header had a zip64 extra field
	method uint16
	crc    uint32 // from the header (dd: from the descriptor)
	usize  int64  // from the header (dd: from the descriptor)
	csize  int64  // from the header, -1 with dd

	content io.Reader // decompressed, metered
	sum     hash.Hash32
	selfSum bool  // the content reader keeps sum itself (storedDescriptor)
	n       int64 // content bytes produced
	ended   bool  // content reached its end (and was checked)
	err     error // first content error
}

func (z *zipLocal) Next() (*Member, error) {
	if z.err != nil {
		return nil, z.err
	}
	if c := z.cur; c != nil {
		z.cur = nil
		if err := c.finish(); err != nil {
			if c.csize < 0 || !isCorruptContent(err) {
				z.err = z.pos.fail(err)
				return nil, z.err
			}
			// The entry's extent is known: the damage ended only it
			// (reported by the caller); go on with the next.
		}
	}
	z.pos.content = false
	if !z.opened {
		if err := z.seekFirst(); err != nil {
			z.err = err
			return nil, err
		}
		z.opened = true
	}
	sig, err := z.br.Peek(4)
	if err != nil {
		if len(sig) == 0 && err == io.EOF {
			// No central directory after the last entry: a cut zip.
			z.err = &CorruptError{Where: z.pos.where(), Truncated: true, Err: errors.New("no central directory")}
		} else {
			z.err = z.pos.fail(err)
		}
		return nil, z.err
	}
	switch string(sig) {
	case sigLocal:
	case sigCentral, sigEnd, sigEnd64, sigEnd64Loc, sigSignature, sigExtraData:
		z.err = io.EOF
		return nil, io.EOF
	default:
		z.err = &CorruptError{Where: z.pos.where(), Err: errors.New("unexpected data where a zip header should be")}
		return nil, z.err
	}
	m, err := z.header()
	if err != nil {
		z.err = z.pos.fail(err)
		return nil, z.err
	}
	return m, nil
}

// seekFirst skips data before the first local header (a self-extracting
// stub).
func (z *zipLocal) seekFirst() error {
	for {
		b, err := z.br.Peek(z.br.Size())
		if i := bytes.Index(b, []byte(sigLocal)); i >= 0 {
			z.br.Discard(i)
			return nil
		}
		if err != nil {
			if len(b) < 4 || err == io.EOF {
				return &CorruptError{Where: "before the first member", Err: errors.New("no zip header found")}
			}
			return z.pos.fail(err)
		}
		z.br.Discard(len(b) - 3)
	}
}

// header reads one local file header and sets up its entry.
func (z *zipLocal) header() (*Member, error) {
	var h [30]byte
	if _, err := io.ReadFull(z.br, h[:]); err != nil {
		return nil, noEOF(err)
	}
	le := binary.LittleEndian
	flags, method := le.Uint16(h[6:]), le.Uint16(h[8:])
	crc, csize32, usize32 := le.Uint32(h[14:]), le.Uint32(h[18:]), le.Uint32(h[22:])
	nameLen, extraLen := int(le.Uint16(h[26:])), int(le.Uint16(h[28:]))
	buf := make([]byte, nameLen+extraLen)
	if _, err := io.ReadFull(z.br, buf); err != nil {
		return nil, noEOF(err)
	}
	name, extra := string(buf[:nameLen]), buf[nameLen:]
	if err := z.b.member(); err != nil {
		return nil, err
	}
	e := &localEntry{z: z, dd: flags&0x8 != 0, method: method, crc: crc, usize: int64(usize32), csize: int64(csize32)}
	{
		// zip64 extended information (APPNOTE 4.5.3): the sizes whose
		// 32-bit fields are saturated, in this order.
		for len(extra) >= 4 {
			id, n := le.Uint16(extra), int(le.Uint16(extra[2:]))
			if 4+n > len(extra) {
				break
			}
			if id == 0x0001 {
				e.zip64 = true
				f := extra[4 : 4+n]
				if usize32 == 0xffffffff && len(f) >= 8 {
					e.usize, f = int64(le.Uint64(f)), f[8:]
				}
				if csize32 == 0xffffffff && len(f) >= 8 {
					e.csize = int64(le.Uint64(f))
				}
			}
			extra = extra[4+n:]
		}
	}
	if e.dd {
		e.csize, e.usize = -1, -1
	}
	if e.csize > 1<<62 || e.usize > 1<<62 || (!e.dd && (e.csize < 0 || e.usize < 0)) {
		return nil, errors.New("impossible entry size")
	}
	e.raw = &countingByteReader{br: z.br, left: e.csize}
	m := &Member{Name: name, Size: e.usize}
	z.pos.next(name, false)
	switch {
	case strings.HasSuffix(name, "/"):
		m.Kind = Dir
	case flags&0x1 != 0:
		m.Unreadable = errors.New("encrypted")
	case method != zip.Store && method != zip.Deflate:
		m.Unreadable = fmt.Errorf("compression method %d is not supported", method)
	default:
		if method == zip.Deflate {
			e.content = flate.NewReader(e.raw)
		} else if e.dd {
			e.content, e.selfSum = &storedDescriptor{e: e}, true
		} else {
			e.content = e.raw
		}
		e.content = &meter{r: e.content, b: z.b}
		e.sum = crc32.NewIEEE()
		m.Reader = e
		m.Independent = !e.dd
		z.pos.content = true
	}
	z.cur = e
	return m, nil
}

// noEOF turns io.EOF inside a record into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// errChecksum is a content whose CRC-32 or size does not match its
// header or data descriptor.
var errChecksum = errors.New("zip: checksum error")

// isCorruptContent reports whether err is damage to one entry's data
// (which a known extent lets the walk step over), not a broken stream or
// a limit.
func isCorruptContent(err error) bool {
	var le *LimitError
	if errors.As(err, &le) || errors.Is(err, io.ErrUnexpectedEOF) {
		return false
	}
	return true
}

// Read yields the entry's content and checks its CRC-32 and size at the
// end.
func (e *localEntry) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if e.ended {
		return 0, io.EOF
	}
	if e.usize >= 0 {
		// Never more than the declared size: at it, the content must end.
		rem := e.usize - e.n
		if rem == 0 {
			return 0, e.atDeclaredEnd()
		}
		if int64(len(p)) > rem {
			p = p[:rem]
		}
	}
	n, err := e.content.Read(p)
	if !e.selfSum {
		e.sum.Write(p[:n])
	}
	e.n += int64(n)
	if err == io.EOF {
		if err := e.end(); err != nil {
			e.err = err
			return n, err
		}
		e.ended = true
		return n, io.EOF
	}
	if err != nil {
		e.err = noEOF(err)
		return n, e.err
	}
	return n, nil
}

// atDeclaredEnd checks that the content ends where its size says: it
// returns io.EOF (after the end checks) or an error.
func (e *localEntry) atDeclaredEnd() error {
	var one [1]byte
	for range 100 {
		k, err := e.content.Read(one[:])
		switch {
		case k > 0:
			e.err = errChecksum // more than declared
			return e.err
		case err == io.EOF:
			if err := e.end(); err != nil {
				e.err = err
				return err
			}
			e.ended = true
			return io.EOF
		case err != nil:
			e.err = noEOF(err)
			return e.err
		}
	}
	e.err = io.ErrNoProgress
	return e.err
}

// end checks a finished entry: with a data descriptor, reads it first.
func (e *localEntry) end() error {
	if e.dd {
		if err := e.descriptor(); err != nil {
			return err
		}
	}
	if e.n != e.usize || e.sum.Sum32() != e.crc {
		return errChecksum
	}
	return nil
}

// descriptor reads the data descriptor after an entry's data: an optional
// signature, the CRC-32, then the compressed and uncompressed sizes in 4
// bytes each, or 8 in zip64 archives. Which width was used is not
// recorded anywhere reliable, so the one whose compressed size matches the
// bytes actually consumed wins.
func (e *localEntry) descriptor() error {
	br := e.z.br
	if b, _ := br.Peek(4); string(b) == sigDescriptor {
		br.Discard(4)
	}
	b, err := br.Peek(20)
	if len(b) < 12 {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	le := binary.LittleEndian
	e.crc = le.Uint32(b)
	consumed := e.raw.n
	narrow := func() bool {
		if consumed >= 1<<32 || int64(le.Uint32(b[4:])) != consumed {
			return false
		}
		e.usize = int64(le.Uint32(b[8:]))
		br.Discard(12)
		return true
	}
	wide := func() bool {
		if len(b) < 20 || int64(le.Uint64(b[4:])) != consumed {
			return false
		}
		e.usize = int64(le.Uint64(b[12:]))
		br.Discard(20)
		return true
	}
	ok := false
	if e.zip64 {
		ok = wide() || narrow()
	} else {
		ok = narrow() || wide()
	}
	if !ok {
		return errors.New("zip: data descriptor does not match the entry")
	}
	return nil
}

// finish discards what is left of the entry: with a known extent, by
// skipping the compressed bytes; with a data descriptor, by expanding the
// rest (the only way to find its end).
func (e *localEntry) finish() error {
	if e.content == nil {
		// Not readable (encrypted, unknown method): step over it when its
		// extent is known.
		if e.dd {
			return errors.New("an encrypted or unsupported entry with a data descriptor: the entries after it cannot be located")
		}
		return e.raw.skip()
	}
	if !e.dd {
		err := e.err
		if err == nil && !e.ended {
			// Unread content: skip the compressed bytes, unexpanded.
			e.ended = true
		}
		if serr := e.raw.skip(); serr != nil {
			return serr
		}
		return err
	}
	if _, err := io.Copy(io.Discard, e); err != nil {
		return err
	}
	return e.err
}

// countingByteReader reads an entry's compressed bytes from the archive
// stream, counting them and stopping at the entry's size when it is known
// (left >= 0). It is an io.ByteReader, so that flate reads no further than
// its stream's end: the data descriptor is right behind it.
type countingByteReader struct {
	br   *bufio.Reader
	n    int64 // bytes read
	left int64 // bytes left, -1: unknown
}

func (c *countingByteReader) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	if c.left > 0 && int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.br.Read(p)
	c.n += int64(n)
	if c.left > 0 {
		c.left -= int64(n)
	}
	return n, noEOF(err)
}

func (c *countingByteReader) ReadByte() (byte, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	b, err := c.br.ReadByte()
	if err != nil {
		return 0, noEOF(err)
	}
	c.n++
	if c.left > 0 {
		c.left--
	}
	return b, nil
}

// skip discards the bytes left (a known size).
func (c *countingByteReader) skip() error {
	if c.left <= 0 {
		return nil
	}
	n, err := c.br.Discard(int(min(c.left, 1<<30)))
	c.left -= int64(n)
	c.n += int64(n)
	if err != nil {
		return noEOF(err)
	}
	return c.skip()
}

// storedDescriptor yields a stored (uncompressed) entry whose size
// follows it in a data descriptor: the data ends where a descriptor
// signature appears whose CRC-32 and size match what came before it.
type storedDescriptor struct {
	e *localEntry
}

func (s *storedDescriptor) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	br, e := s.e.z.br, s.e
	for {
		b, err := br.Peek(br.Size())
		i := bytes.Index(b, []byte(sigDescriptor))
		switch {
		case i < 0 && err != nil:
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		case i < 0:
			// Keep 3 bytes: a signature may start there.
			return s.take(p, len(b)-3), nil
		case i > 0:
			return s.take(p, i), nil
		}
		// A signature right here: the end, if the descriptor matches.
		le := binary.LittleEndian
		if len(b) >= 16 && le.Uint32(b[4:]) == e.sum.Sum32() && int64(le.Uint32(b[8:])) == e.raw.n&0xffffffff {
			return 0, io.EOF // the descriptor is read by end
		}
		return s.take(p, 1), nil // a signature inside the data
	}
}

// take copies up to n bytes to p and consumes them.
func (s *storedDescriptor) take(p []byte, n int) int {
	n = min(n, len(p))
	if n <= 0 {
		n = min(1, len(p))
	}
	n, _ = s.e.z.br.Read(p[:n])
	s.e.raw.n += int64(n)
	// The running CRC is needed here, before localEntry.Read sees the
	// bytes, to recognise the descriptor.
	s.e.sum.Write(p[:n])
	return n
}
