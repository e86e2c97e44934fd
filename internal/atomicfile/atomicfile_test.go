package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWriteReplaceAbort(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.json")
	if err := WriteFile(p, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Create(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("two, half-written"))
	if b, _ := os.ReadFile(p); string(b) != "one" {
		t.Errorf("visible before Commit: %q", b)
	}
	f.Abort()
	f.Abort()
	if b, _ := os.ReadFile(p); string(b) != "one" {
		t.Errorf("after Abort: %q", b)
	}
	if err := WriteFile(p, []byte("three"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	if b, _ := os.ReadFile(p); string(b) != "three" || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o600) {
		t.Errorf("content %q mode %v", b, st.Mode())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
}

func TestErrorsNameTheDestination(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing", "report.json")
	err := WriteFile(p, []byte("x"), 0o600)
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != p || !errors.Is(err, fs.ErrNotExist) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("err = %v", err)
	}
}
