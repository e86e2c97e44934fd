package archive_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/archive"
)

// envMember is a first member whose finding must survive whatever comes
// after it.
var envMember = member{name: "package/.env", body: "GITHUB_TOKEN=" + ghToken + "\n"}

// noise returns n bytes that do not compress.
func noise(n int) string {
	b := make([]byte, n)
	r := rand.New(rand.NewSource(1))
	for i := range b {
		b[i] = byte('a' + r.Intn(26))
	}
	return string(b)
}

func countErrors(res *scanner.Result, substr string) int {
	n := 0
	for _, e := range res.Errors {
		if strings.Contains(e.Error, substr) {
			n++
		}
	}
	return n
}

// TestBudgets checks the absolute budgets: an archive (with the archives
// inside it) stops after Limits.MaxBytes expanded bytes, with one error
// naming the flag; the findings before it are kept.
func TestBudgets(t *testing.T) {
	zeros := strings.Repeat("\x00", 4<<20)
	text := noise(4 << 20)
	tgz := tgzBytes(t, []member{envMember, {name: "package/zeros.bin", body: zeros}, {name: "package/after.txt", body: "x\n"}})
	tgzText := tgzBytes(t, []member{envMember, {name: "package/big.txt", body: text}})
	zipped := zipBytes(t, []member{envMember, {name: "package/big.txt", body: text}})
	nested := tgzBytes(t, []member{envMember, {name: "package/inner.zip", body: string(zipped)}})
	cases := []struct {
		name, file string
		data       []byte
		limit      int64
		errPath    string // relative to the file
		where      string
	}{
		{"tgz skipped member", "bomb.tgz", tgz, 1 << 20, "", `inside member "package/zeros.bin"`},
		{"tgz scanned member", "big.tgz", tgzText, 1 << 20, "", `inside member "package/big.txt"`},
		{"zip", "bomb.zip", zipped, 1 << 20, "", `inside member "package/big.txt"`},
		// The inner zip's 2.4 MiB count for the outer archive, its
		// expansion for both.
		{"nested", "nested.tgz", nested, 3 << 20, "!package/inner.zip", `inside member "package/big.txt"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, c.file, c.data)
			res := scan(t, archive.Limits{MaxBytes: c.limit}, scanner.Options{}, scanner.Root{Path: p})
			want := fmt.Sprintf("more than %d bytes expanded", c.limit) + " from this archive and the archives inside it (--max-archive-bytes); stopped " + c.where
			if !hasError(res, p+c.errPath, want) || countErrors(res, "archive budget spent") != 1 {
				t.Errorf("want one error %q at %s:\n%s", want, p+c.errPath, dump(res))
			}
			if len(find(res, p+"!package/.env", "github-pat")) != 1 {
				t.Errorf("the finding before the limit is lost:\n%s", dump(res))
			}
		})
	}
}

// TestScanBudget checks the budget shared by the archives of one scan:
// once it is spent, the archives after it are reported, not opened.
func TestScanBudget(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.tgz", "b.tgz", "c.tgz"} {
		body := tgzBytes(t, []member{{name: "package/data.txt", body: noise(600 << 10)}, envMember})
		if err := os.WriteFile(dir+"/"+n, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := scan(t, archive.Limits{MaxScanBytes: 1 << 20}, scanner.Options{Workers: 1}, scanner.Root{Path: dir})
	if len(find(res, dir+"/a.tgz!package/.env", "github-pat")) != 1 {
		t.Errorf("the first archive fits the budget:\n%s", dump(res))
	}
	if !hasError(res, dir+"/b.tgz", "(--max-archive-bytes-total); stopped inside member") {
		t.Errorf("the second archive spends the budget:\n%s", dump(res))
	}
	if !hasError(res, dir+"/c.tgz", "(--max-archive-bytes-total); stopped before the first member") {
		t.Errorf("the third archive must be reported, not opened:\n%s", dump(res))
	}
}

// TestZeroFilledMember is an ordinary package with a large zero-filled
// member (a disk image among test fixtures) that compresses a
// thousandfold: it is skipped as binary, and every member after it is
// read, in each format.
func TestZeroFilledMember(t *testing.T) {
	img := strings.Repeat("\x00", 48<<20)
	ms := []member{envMember, {name: "package/test/fixtures/disk.img", body: img}, {name: "package/.env.local", body: "GITHUB_TOKEN=" + ghToken2 + "\n"}}
	for _, c := range []struct {
		file string
		data []byte
	}{
		{"pkg.tgz", tgzBytes(t, ms)},
		{"pkg.zip", zipBytes(t, ms)},
	} {
		t.Run(c.file, func(t *testing.T) {
			p := writeFile(t, c.file, c.data)
			res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
			if len(res.Errors) != 0 || len(find(res, p+"!package/.env.local", "github-pat")) != 1 || len(find(res, p+"!package/.env", "github-pat")) != 1 {
				t.Errorf("want both findings and no error:\n%s", dump(res))
			}
			if res.Stats.SkippedBy[scanner.SkipBinary] != 1 {
				t.Errorf("the image counts as a skipped binary file: %v", res.Stats.SkippedBy)
			}
			res = scan(t, archive.Limits{}, scanner.Options{}, streamed("npm:"+c.file, c.data))
			if len(res.Errors) != 0 || len(find(res, "npm:"+c.file+"!package/.env.local", "github-pat")) != 1 {
				t.Errorf("streamed: want the finding after the image and no error:\n%s", dump(res))
			}
		})
	}
}

func TestMemberCount(t *testing.T) {
	var ms []member
	for i := range 50 {
		ms = append(ms, member{name: fmt.Sprintf("package/f%02d.txt", i), body: "x\n"})
	}
	lim := archive.Limits{MaxMembers: 10}
	p := writeFile(t, "many.tgz", tgzBytes(t, ms))
	res := scan(t, lim, scanner.Options{}, scanner.Root{Path: p})
	if !hasError(res, p, "more than 10 members") || res.Stats.FilesScanned > 11 {
		t.Errorf("tar: %d files scanned\n%s", res.Stats.FilesScanned, dump(res))
	}
	p = writeFile(t, "many.zip", zipBytes(t, ms))
	res = scan(t, lim, scanner.Options{}, scanner.Root{Path: p})
	if !hasError(res, p, "50 members declared, more than the 10 allowed") || res.Stats.FilesScanned > 1 {
		t.Errorf("zip: %d files scanned\n%s", res.Stats.FilesScanned, dump(res))
	}
}

func TestUnsafeNames(t *testing.T) {
	body := "GITHUB_TOKEN=" + ghToken + "\n"
	for _, c := range []struct {
		file string
		data []byte
		name string
	}{
		{"slip.tgz", tgzBytes(t, []member{{name: "../../home/u/.env", body: body}}), "../../home/u/.env"},
		{"abs.tar", tarBytes(t, []member{{name: "/etc/cron.d/.env", body: body}}), "/etc/cron.d/.env"},
		{"slip.zip", zipBytes(t, []member{{name: "a/../../.env", body: body}}), "a/../../.env"},
		{"win.zip", zipBytes(t, []member{{name: `..\..\.env`, body: body}}), `..\..\.env`},
		{"drive.zip", zipBytes(t, []member{{name: `C:/Users/u/.env`, body: body}}), `C:/Users/u/.env`},
	} {
		t.Run(c.file, func(t *testing.T) {
			p := writeFile(t, c.file, c.data)
			res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
			if !hasError(res, p, fmt.Sprintf("member %q has an unsafe name", c.name)) {
				t.Errorf("no error naming the member:\n%s", dump(res))
			}
			// The content is still scanned, as plain text; the name is
			// not used to classify it (no agent-artifact finding).
			if len(find(res, p+"!"+c.name, "github-pat")) != 1 {
				t.Errorf("content not scanned:\n%s", dump(res))
			}
			for _, f := range res.Findings {
				if f.Kind == rules.KindAgentArtifact {
					t.Errorf("unsafe name classified: %s", f.RuleID)
				}
			}
		})
	}
}

func TestLinksAndDevices(t *testing.T) {
	p := writeFile(t, "links.tar", tarBytes(t, []member{
		{name: "package/passwd", typeflag: tar.TypeSymlink, link: "/etc/passwd"},
		{name: "package/hard", typeflag: tar.TypeLink, link: "package/.env"},
		{name: "package/null", typeflag: tar.TypeChar},
		{name: "package/disk", typeflag: tar.TypeBlock},
		{name: "package/pipe", typeflag: tar.TypeFifo},
		{name: "package/", typeflag: tar.TypeDir},
		envMember,
	}))
	res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
	for _, want := range []string{
		`member "package/passwd" is a symbolic link to "/etc/passwd", not followed: skipped`,
		`member "package/hard" is a hard link`,
		`member "package/null" is a device`,
		`member "package/disk" is a device`,
		`member "package/pipe" is a FIFO`,
	} {
		if !hasError(res, p, want) {
			t.Errorf("want error %q:\n%s", want, dump(res))
		}
	}
	if len(res.Errors) != 5 || len(find(res, p+"!package/.env", "github-pat")) != 1 {
		t.Errorf("want 5 errors and the .env finding:\n%s", dump(res))
	}

	p = writeFile(t, "links.zip", zipBytes(t, []member{{name: "package/passwd", body: "/etc/passwd", mode: int64(os.ModeSymlink | 0o777)}, envMember}))
	res = scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
	if !hasError(res, p, `member "package/passwd" is a symbolic link`) || len(find(res, p+"!package/.env", "github-pat")) != 1 {
		t.Errorf("zip symlink:\n%s", dump(res))
	}
}

func TestTruncatedAndCorrupt(t *testing.T) {
	big := member{name: "package/data.txt", body: noise(256 << 10)}
	tgz := tgzBytes(t, []member{envMember, big})
	tarball := tarBytes(t, []member{envMember, big})
	zipped := zipBytes(t, []member{envMember, big})

	corruptGz := append([]byte(nil), tgz...)
	for i := len(corruptGz) / 2; i < len(corruptGz)/2+64; i++ {
		corruptGz[i] ^= 0x5a
	}
	// A stored (uncompressed) zip entry whose bytes changed: CRC error.
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for _, m := range []member{{name: "package/a.txt", body: "hello world, unchanged\n"}, envMember} {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Store})
		w.Write([]byte(m.body))
	}
	zw.Close()
	badCRC := bytes.Replace(zbuf.Bytes(), []byte("unchanged"), []byte("UNCHANGED"), 1)
	garbage := []byte("PK\x03\x04\x00\x00garbage that is not a zip at all")

	cases := []struct {
		name, file string
		data       []byte
		want       string
		keepEnv    bool
	}{
		{"tgz cut in a member", "cut.tgz", tgz[:len(tgz)*2/3], "truncated archive: the data ends inside member \"package/data.txt\"", true},
		{"tgz cut in the trailer", "cut2.tgz", tgz[:len(tgz)-4], "truncated archive", true},
		{"tar cut", "cut.tar", tarball[:len(tarball)/2], "truncated archive", true},
		{"tgz corrupt", "corrupt.tgz", corruptGz, "archive", true},
		{"gzip header only", "empty.tgz", tgz[:10], "truncated archive: the data ends before the first member", false},
		{"zip cut", "cut.zip", zipped[:len(zipped)/2], `truncated archive: the data ends inside member "package/data.txt"`, true},
		{"zip bad crc", "crc.zip", badCRC, `corrupt archive inside member "package/a.txt" (zip: checksum error)`, true},
		{"zip garbage", "garbage.zip", garbage, "truncated archive: the data ends before the first member", false},
		{"binary garbage named .tgz", "garbage.tgz", []byte("\x00\x01\x02 not gzip"), "not a valid gzip stream", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, c.file, c.data)
			res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
			if !hasError(res, p, c.want) {
				t.Errorf("want error %q:\n%s", c.want, dump(res))
			}
			if c.keepEnv && len(find(res, p+"!package/.env", "github-pat")) != 1 {
				t.Errorf("the finding before the damage is lost:\n%s", dump(res))
			}
			// Streamed, the same archive gives the same error.
			res = scan(t, archive.Limits{}, scanner.Options{}, streamed("npm:"+c.file, c.data))
			if !hasError(res, "npm:"+c.file, "") || len(res.Errors) == 0 {
				t.Errorf("streamed: no error:\n%s", dump(res))
			}
		})
	}
}

// TestMutations scans damaged variants of valid archives: whatever the
// damage, the scan ends (under the test's timeout) without a panic.
func TestMutations(t *testing.T) {
	inner := zipBytes(t, npmPackage())
	seeds := map[string][]byte{
		"m.tgz": tgzBytes(t, append(npmPackage(), member{name: "package/inner.zip", body: string(inner)})),
		"m.tar": tarBytes(t, npmPackage()),
		"m.zip": inner,
	}
	r := rand.New(rand.NewSource(7))
	n := 60
	if testing.Short() {
		n = 10
	}
	for name, seed := range seeds {
		var roots []scanner.Root
		for i := range n {
			b := append([]byte(nil), seed...)
			for range 1 + r.Intn(8) {
				b[r.Intn(len(b))] = byte(r.Intn(256))
			}
			if r.Intn(3) == 0 {
				b = b[:r.Intn(len(b))]
			}
			roots = append(roots, streamed(fmt.Sprintf("npm:%d-%s", i, name), b))
		}
		scan(t, archive.Limits{}, scanner.Options{}, roots...)
	}
}

// sparseTar returns a GNU tar whose first member, name, is a sparse file
// declaring size bytes, with data (physically stored) at its start and a
// hole after it; envMember follows.
func sparseTar(t *testing.T, name string, size int64, data string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg, Format: tar.FormatGNU}); err != nil {
		t.Fatal(err)
	}
	tw.Write([]byte(data))
	tw.Flush()
	hdr := buf.Bytes()[:512]
	hdr[156] = tar.TypeGNUSparse
	octal := func(b []byte, v int64) { copy(b, fmt.Sprintf("%0*o\x00", len(b)-1, v)) }
	octal(hdr[386:398], 0)                // sparse[0].offset
	octal(hdr[398:410], int64(len(data))) // sparse[0].numbytes
	real := hdr[483:495]                  // realsize, base-256 for large values
	clear(real)
	real[0] = 0x80
	binary.BigEndian.PutUint64(real[4:], uint64(size))
	checksum(hdr)
	if err := tw.WriteHeader(&tar.Header{Name: envMember.name, Mode: 0o644, Size: int64(len(envMember.body)), Typeflag: tar.TypeReg, Format: tar.FormatGNU}); err != nil {
		t.Fatal(err)
	}
	tw.Write([]byte(envMember.body))
	tw.Close()
	return buf.Bytes()
}

// TestHugeMembers checks members that declare huge or sparse sizes: they
// are never skipped for their size. A sparse member of 1 TiB whose first
// bytes are binary (a disk image) is skipped as binary without expanding
// its hole, and the member after it is read; one whose first bytes are
// text is streamed until the budget stops it, with an error; a member
// whose declared size is larger than its data is a truncated archive.
func TestHugeMembers(t *testing.T) {
	const tib = 1 << 40
	p := writeFile(t, "sparse.tar", sparseTar(t, "package/disk.img", tib, "\x00\x01boot sector"))
	res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
	if len(res.Errors) != 0 || len(find(res, p+"!package/.env", "github-pat")) != 1 {
		t.Errorf("binary sparse member: want the next member read and no error:\n%s", dump(res))
	}

	p = writeFile(t, "sparse-text.tar", sparseTar(t, "package/log.txt", tib, strings.Repeat("log line\n", 2000)))
	res = scan(t, archive.Limits{MaxBytes: 8 << 20}, scanner.Options{}, scanner.Root{Path: p})
	if !hasError(res, p, `(--max-archive-bytes); stopped inside member "package/log.txt"`) {
		t.Errorf("text sparse member: want the budget error:\n%s", dump(res))
	}

	tb := tarBytes(t, []member{envMember, {name: "package/big.bin", body: "declared far larger than this"}})
	// Declare 1 TiB for the second member (base-256 size field).
	i := bytes.Index(tb, []byte("package/big.bin"))
	hdr := tb[i : i+512]
	clear(hdr[124:136])
	hdr[124] = 0x80
	binary.BigEndian.PutUint64(hdr[128:], tib)
	checksum(hdr)
	p = writeFile(t, "liar.tar", tb)
	res = scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
	if !hasError(res, p, `truncated archive: the data ends inside member "package/big.bin"`) || len(find(res, p+"!package/.env", "github-pat")) != 1 {
		t.Errorf("declared size beyond the data: want a truncation error:\n%s", dump(res))
	}
}

// checksum sets the checksum of a tar header block that was changed.
func checksum(hdr []byte) {
	sum := int64(0)
	for i, c := range hdr[:512] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int64(c)
	}
	copy(hdr[148:156], fmt.Sprintf("%06o\x00 ", sum))
}
