package archive_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/archive"
)

// zipWith writes members with one compression method; raw members are
// written with their sizes in the local header (no data descriptor), the
// others as zip.Writer streams them (sizes in a data descriptor).
func zipWith(t testing.TB, method uint16, raw bool, ms []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range ms {
		fh := &zip.FileHeader{Name: m.name, Method: method}
		if !raw {
			w, err := zw.CreateHeader(fh)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(w, m.body)
			continue
		}
		var data bytes.Buffer
		if method == zip.Deflate {
			fw, _ := flateWriter(&data)
			io.WriteString(fw, m.body)
			fw.Close()
		} else {
			data.WriteString(m.body)
		}
		fh.CRC32 = crc(m.body)
		fh.CompressedSize64 = uint64(data.Len())
		fh.UncompressedSize64 = uint64(len(m.body))
		w, err := zw.CreateRaw(fh)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// eocd returns the offset of the end of central directory record.
func eocd(t *testing.T, z []byte) int {
	i := bytes.LastIndex(z, []byte("PK\x05\x06"))
	if i < 0 {
		t.Fatal("no end record")
	}
	return i
}

// cdOffset returns where the central directory starts.
func cdOffset(t *testing.T, z []byte) int {
	return int(binary.LittleEndian.Uint32(z[eocd(t, z)+16:]))
}

func patched(z []byte, off int, v uint32, width int) []byte {
	c := append([]byte(nil), z...)
	if width == 2 {
		binary.LittleEndian.PutUint16(c[off:], uint16(v))
	} else {
		binary.LittleEndian.PutUint32(c[off:], v)
	}
	return c
}

var zipMembers = []member{
	envMember,
	{name: "package/README.md", body: strings.Repeat("Docs, no secrets here.\n", 300)},
	{name: "package/PK\x07\x08.txt", body: "a name and body with a descriptor signature PK\x07\x08 inside\n"},
	{name: "package/b/.env.local", body: "GITHUB_TOKEN=" + ghToken2 + "\n"},
}

// TestZipDirectoryLies reads zips whose central directory is wrong,
// missing or cut from their local file headers, with and without data
// descriptors, compressed or stored: every member is read.
func TestZipDirectoryLies(t *testing.T) {
	layouts := map[string][]byte{
		"deflate+descriptor": zipWith(t, zip.Deflate, false, zipMembers),
		"stored+descriptor":  zipWith(t, zip.Store, false, zipMembers),
		"deflate+sizes":      zipWith(t, zip.Deflate, true, zipMembers),
		"stored+sizes":       zipWith(t, zip.Store, true, zipMembers),
	}
	for layout, z := range layouts {
		end := eocd(t, z)
		damaged := map[string][]byte{
			"entry count":       patched(patched(z, end+8, 2, 2), end+10, 2, 2),
			"directory offset":  patched(z, end+16, uint32(len(z)+100), 4),
			"directory missing": z[:cdOffset(t, z)],
			"directory cut":     z[:cdOffset(t, z)+30],
			"end record cut":    z[:end+10],
		}
		for how, data := range damaged {
			t.Run(layout+"/"+how, func(t *testing.T) {
				for _, mode := range []string{"disk", "streamed"} {
					var res *scanner.Result
					var p string
					if mode == "disk" {
						p = writeFile(t, "lies.zip", data)
						res = scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
					} else {
						p = "npm:lies.zip"
						res = scan(t, archive.Limits{}, scanner.Options{}, streamed(p, data))
					}
					if len(find(res, p+"!package/.env", "github-pat")) != 1 || len(find(res, p+"!package/b/.env.local", "github-pat")) != 1 {
						t.Errorf("%s: want both findings:\n%s", mode, dump(res))
					}
					if !hasError(res, p, "central directory") {
						t.Errorf("%s: want an error about the central directory:\n%s", mode, dump(res))
					}
				}
			})
		}
	}
}

// TestZipPrefixed reads a zip behind a stub (a self-extracting archive).
func TestZipPrefixed(t *testing.T) {
	z := zipWith(t, zip.Deflate, false, zipMembers)
	data := append([]byte("MZ\x90\x00"+strings.Repeat("\x00stub", 400)), z...)
	p := writeFile(t, "setup.zip", data)
	res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
	if len(find(res, p+"!package/.env", "github-pat")) != 1 || len(find(res, p+"!package/b/.env.local", "github-pat")) != 1 {
		t.Errorf("want both findings:\n%s", dump(res))
	}
}

// TestZipUnsupportedMethod reports a member whose compression method is
// not supported and reads the members after it.
func TestZipUnsupportedMethod(t *testing.T) {
	z := zipWith(t, zip.Store, true, zipMembers)
	// Member 2's method becomes 12 (bzip2), in its local header and in
	// the central directory.
	loc := bytes.Index(z, []byte("package/README.md")) - 30
	z = patched(z, loc+8, 12, 2)
	cd := bytes.LastIndex(z, []byte("package/README.md")) - 46
	z = patched(z, cd+10, 12, 2)
	for _, data := range [][]byte{z, z[:cdOffset(t, z)]} {
		p := writeFile(t, "m.zip", data)
		res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
		if !hasError(res, p, `member "package/README.md" cannot be read`) || len(find(res, p+"!package/b/.env.local", "github-pat")) != 1 {
			t.Errorf("want the member reported and the next read:\n%s", dump(res))
		}
	}
}

// TestMembers iterates over archives without the engine: names, kinds,
// sizes and contents, in order.
func TestMembers(t *testing.T) {
	want := []string{"package/.env", "package/README.md", "package/PK\x07\x08.txt", "package/b/.env.local"}
	z := zipWith(t, zip.Deflate, false, zipMembers)
	for name, src := range map[string]archive.Source{
		"tgz":            {Name: "a.tgz", Reader: bytes.NewReader(tgzBytes(t, zipMembers)), Size: -1},
		"tar":            {Name: "a.tar", Reader: bytes.NewReader(tarBytes(t, zipMembers)), Size: -1},
		"zip":            {Name: "a.zip", Reader: bytes.NewReader(z), ReaderAt: bytes.NewReader(z), Size: int64(len(z))},
		"zip streamed":   {Name: "a.zip", Reader: bytes.NewReader(z), Size: -1},
		"zip local only": {Name: "a.zip", Reader: bytes.NewReader(z[:cdOffset(t, z)]), Size: -1},
	} {
		t.Run(name, func(t *testing.T) {
			a, err := archive.Open(archive.FormatNone, src, archive.NewBudget(archive.Limits{}, nil))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i := 0; ; i++ {
				m, err := a.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					var ce *archive.CorruptError
					if name == "zip local only" && errors.As(err, &ce) && ce.Truncated {
						break // no central directory: said at the end
					}
					t.Fatal(err)
				}
				got = append(got, m.Name)
				if m.Kind != archive.Regular {
					t.Fatalf("%s: kind %v", m.Name, m.Kind)
				}
				if i%2 == 1 {
					continue // leave it unread: Next skips it
				}
				body, err := io.ReadAll(m.Reader)
				if err != nil || string(body) != zipMembers[i].body {
					t.Errorf("%s: content %q, %v", m.Name, body, err)
				}
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("members %q, want %q", got, want)
			}
		})
	}
}

func flateWriter(w io.Writer) (*flate.Writer, error) {
	return flate.NewWriter(w, flate.DefaultCompression)
}

func crc(s string) uint32 { return crc32.ChecksumIEEE([]byte(s)) }
