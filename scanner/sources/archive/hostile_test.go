package archive_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
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

func TestDecompressionBombs(t *testing.T) {
	zeros := strings.Repeat("\x00", 4<<20)
	tgz := tgzBytes(t, []member{envMember, {name: "package/zeros.bin", body: zeros}})
	zipped := zipBytes(t, []member{envMember, {name: "package/zeros.bin", body: zeros}})
	nested := tgzBytes(t, []member{envMember, {name: "package/inner.zip", body: string(zipped)}})
	cases := []struct {
		name, file string
		data       []byte
		lim        archive.Limits
		errPath    string // relative to the file
		want       string
	}{
		{"tgz total", "bomb.tgz", tgz, archive.Limits{MaxExpanded: 1 << 20}, "", "decompression bomb? expanded past 1048576 bytes"},
		{"tgz ratio", "bomb.tgz", tgz, archive.Limits{MaxRatio: 10, RatioFloor: 64 << 10}, "", "more than 10:1"},
		{"zip total", "bomb.zip", zipped, archive.Limits{MaxExpanded: 1 << 20}, "", "decompression bomb? expanded past 1048576 bytes"},
		{"zip ratio", "bomb.zip", zipped, archive.Limits{MaxRatio: 10, RatioFloor: 64 << 10}, "", "more than 10:1"},
		{"nested total", "nested.tgz", nested, archive.Limits{MaxExpanded: 3 << 20}, "!package/inner.zip", "decompression bomb? expanded past"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, c.file, c.data)
			res := scan(t, c.lim, scanner.Options{}, scanner.Root{Path: p})
			if !hasError(res, p+c.errPath, c.want) || countErrors(res, "decompression bomb") != 1 {
				t.Errorf("want one error %q at %s:\n%s", c.want, p+c.errPath, dump(res))
			}
			if len(find(res, p+"!package/.env", "github-pat")) != 1 {
				t.Errorf("the finding before the bomb is lost:\n%s", dump(res))
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
	if !hasError(res, p, "50 members, more than the 10 allowed") || res.Stats.FilesScanned > 1 {
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
		{"zip cut", "cut.zip", zipped[:len(zipped)/2], "not a valid zip archive", false},
		{"zip bad crc", "crc.zip", badCRC, `member "package/a.txt" is corrupt or truncated (zip: checksum error)`, true},
		{"zip garbage", "garbage.zip", garbage, "not a valid zip archive", false},
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
