package archive_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/archive"
)

// fuzzLimits keep one fuzz input cheap: a hostile input may expand only
// this far.
var fuzzLimits = archive.Limits{MaxBytes: 4 << 20, MaxScanBytes: 8 << 20, MaxMembers: 200, MaxBuffer: 1 << 20, MaxZipBuffer: 1 << 20}

// iterate reads every member of data opened as format f, half of them
// whole and half partly (as a binary skip does), and checks what
// Members promises: Next ends with io.EOF or one *LimitError or
// *CorruptError, no content outgrows its declared size, and the bytes read
// stay within the budget.
func iterate(t *testing.T, f archive.Format, src archive.Source) {
	b := archive.NewBudget(fuzzLimits, nil)
	a, err := archive.Open(f, src, b)
	if err != nil {
		return
	}
	var total int64
	for i := 0; ; i++ {
		if i > fuzzLimits.MaxMembers+1 {
			t.Fatalf("more than %d members", fuzzLimits.MaxMembers)
		}
		m, err := a.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			var le *archive.LimitError
			var ce *archive.CorruptError
			if !errors.As(err, &le) && !errors.As(err, &ce) {
				t.Fatalf("Next: %T %v", err, err)
			}
			if _, err2 := a.Next(); err2 == nil {
				t.Fatalf("Next after %v returned a member", err)
			}
			return
		}
		archive.SafeName(m.Name)
		if m.Reader == nil {
			continue
		}
		r := m.Reader
		if i%2 == 1 {
			r = io.LimitReader(r, 100)
		}
		n, _ := io.Copy(io.Discard, r)
		total += n
		if m.Size >= 0 && n > m.Size {
			t.Fatalf("member %q: %d bytes, declared %d", m.Name, n, m.Size)
		}
		if total > fuzzLimits.MaxBytes+64<<10 {
			t.Fatalf("%d bytes read past the %d budget", total, fuzzLimits.MaxBytes)
		}
	}
}

func addSeeds(f *testing.F, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
}

func fuzzMembers() []member {
	return []member{
		envMember,
		{name: "package/a/README.md", body: "hello\n"},
		{name: "package/bin/tool", body: "\x00\x01binary"},
		{name: "package/link", typeflag: '2', link: "../../etc/passwd"},
	}
}

// FuzzTarMembers iterates over plain tar streams.
func FuzzTarMembers(f *testing.F) {
	addSeeds(f, tarBytes(f, fuzzMembers()), tarBytes(f, nil), []byte("ustar"))
	f.Fuzz(func(t *testing.T, data []byte) {
		iterate(t, archive.FormatTar, archive.Source{Name: "f.tar", Reader: bytes.NewReader(data), Size: int64(len(data))})
	})
}

// FuzzGzipMembers iterates over gzip streams: tarballs and single
// gzipped files.
func FuzzGzipMembers(f *testing.F) {
	addSeeds(f, tgzBytes(f, fuzzMembers()), gz(f, []byte(`{"type":"user"}`+"\n")), gz(f, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		iterate(t, archive.FormatGzip, archive.Source{Name: "f.jsonl.gz", Reader: bytes.NewReader(data), Size: -1})
	})
}

// FuzzZipMembers iterates over zips: with random access (the central
// directory, or the local headers when it is unusable) and streamed
// (held in memory, or walked when larger than the buffer).
func FuzzZipMembers(f *testing.F) {
	ms := fuzzMembers()[:3]
	deflated := zipWith(f, zip.Deflate, false, ms)
	stored := zipWith(f, zip.Store, false, ms)
	addSeeds(f, deflated, stored, zipWith(f, zip.Deflate, true, ms), zipWith(f, zip.Store, true, ms),
		deflated[:bytes.LastIndex(deflated, []byte("PK\x01\x02"))], stored[:len(stored)-10], []byte("PK\x05\x06"+string(make([]byte, 18))))
	f.Fuzz(func(t *testing.T, data []byte) {
		iterate(t, archive.FormatZip, archive.Source{Name: "f.zip", Reader: bytes.NewReader(data), ReaderAt: bytes.NewReader(data), Size: int64(len(data))})
		iterate(t, archive.FormatZip, archive.Source{Name: "f.zip", Reader: bytes.NewReader(data), Size: -1})
		if len(data) > 64 {
			// Larger than the zip buffer: walked as it streams.
			lim := fuzzLimits
			lim.MaxZipBuffer = 64
			a, err := archive.Open(archive.FormatZip, archive.Source{Reader: bytes.NewReader(data), Size: -1}, archive.NewBudget(lim, nil))
			for err == nil {
				var m *archive.Member
				if m, err = a.Next(); err == nil && m.Reader != nil {
					io.Copy(io.Discard, m.Reader)
				}
			}
		}
	})
}
