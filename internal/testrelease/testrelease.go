// Package testrelease writes a GitHub release of mcpscan to a directory,
// for tests of the installers (scripts/install.sh, the GitHub Action, the
// fleet recipes) that must not use the network: the directory is served
// as a file:// URL through MCPSCAN_RELEASES_URL.
package testrelease

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Write lays out a release of version (X.Y.Z) under a new temporary
// directory and returns its file:// URL, the base that scripts/install.sh
// reads as it reads https://github.com/mcpscan/mcpscan/releases:
//
//	download/v<version>/mcpscan_<version>_<os>_<arch>.tar.gz   linux, darwin × amd64, arm64
//	download/v<version>/mcpscan_<version>_windows_<arch>.zip
//	download/v<version>/checksums.txt                          SHA-256, as GoReleaser writes it
//	latest/download/checksums.txt
//
// Each archive holds the file bin (as mcpscan, or mcpscan.exe in the zips)
// and a README.md, named and laid out as .goreleaser.yaml makes them.
// checksums.txt gets a wrong SHA-256 for the archive named corrupt, if any.
func Write(t testing.TB, bin, version, corrupt string) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "download", "v"+version)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	readme := []byte("# mcpscan\n")
	var sums []string
	for _, goos := range []string{"linux", "darwin", "windows"} {
		for _, goarch := range []string{"amd64", "arm64"} {
			name := fmt.Sprintf("mcpscan_%s_%s_%s", version, goos, goarch)
			var data []byte
			if goos == "windows" {
				name += ".zip"
				data = zipOf(t, map[string][]byte{"mcpscan.exe": exe, "README.md": readme})
			} else {
				name += ".tar.gz"
				data = tgzOf(t, map[string][]byte{"mcpscan": exe, "README.md": readme})
			}
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if name == corrupt {
				sum[0] ^= 0xff
			}
			sums = append(sums, hex.EncodeToString(sum[:])+"  "+name)
		}
	}
	// GoReleaser lists the Linux packages too.
	sums = append(sums, strings.Repeat("ab", 32)+"  mcpscan_"+version+"_amd64.deb", strings.Repeat("cd", 32)+"  mcpscan-"+version+"-1.x86_64.rpm")
	sort.Strings(sums)
	text := []byte(strings.Join(sums, "\n") + "\n")
	if err := os.WriteFile(filepath.Join(dir, "checksums.txt"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	latest := filepath.Join(root, "latest", "download")
	if err := os.MkdirAll(latest, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(latest, "checksums.txt"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(root)}).String()
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func tgzOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	// Stored, not compressed: a valid .tar.gz all the same, and fast even
	// under the race detector.
	gz, err := gzip.NewWriterLevel(&buf, gzip.NoCompression)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(gz)
	for _, name := range sortedNames(files) {
		mode := int64(0o644)
		if !strings.HasSuffix(name, ".md") {
			mode = 0o755
		}
		data := files[name]
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: mode, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedNames(files) {
		h := &zip.FileHeader{Name: name, Method: zip.Store}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
