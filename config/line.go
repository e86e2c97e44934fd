package config

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
)

// MaxLineContext is how many bytes either side of an offset ReadLine
// looks at: a longer line is cut there (an inline allow further away is
// not seen).
const MaxLineContext = 64 << 10

// ErrNotOnDisk is returned by ReadLine for a path that names an archive
// member ("outer.tgz!member") rather than a file.
var ErrNotOnDisk = errors.New("not a file on disk (archive member): pass the member's line text")

// ReadLine returns the line of the file at path that holds byte offset
// (a Finding's Offset), without its line ending ("\n" or "\r\n"), cut at
// MaxLineContext bytes either side of offset. It reads only that part of
// the file. It returns ErrNotOnDisk for an archive member path, and the
// open or read error otherwise.
func ReadLine(path string, offset int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		if _, member, ok := strings.Cut(path, "!"); ok && member != "" {
			return "", ErrNotOnDisk
		}
		return "", err
	}
	defer f.Close()
	if offset < 0 {
		offset = 0
	}
	start := max(offset-MaxLineContext, 0)
	buf := make([]byte, offset-start+MaxLineContext)
	n, err := f.ReadAt(buf, start)
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	buf = buf[:n]
	at := int(offset - start)
	if at > len(buf) {
		return "", io.ErrUnexpectedEOF
	}
	lo := bytes.LastIndexByte(buf[:at], '\n') + 1
	hi := len(buf)
	if i := bytes.IndexByte(buf[at:], '\n'); i >= 0 {
		hi = at + i
	}
	return string(bytes.TrimSuffix(buf[lo:hi], []byte("\r"))), nil
}
