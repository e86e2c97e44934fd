package testrelease

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	mu    sync.Mutex
	built = map[string]buildResult{} // by version
	dirs  []string
)

type buildResult struct {
	bin string
	err error
}

// Binary builds mcpscan as release version (`-X main.version=version`, so
// `mcpscan --version` says "mcpscan version <version> …") once per test
// process, and returns the binary's path. The test is skipped with -short
// and when there is no go command. Call RemoveBinaries from TestMain.
func Binary(t testing.TB, version string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs mcpscan; skipped with -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	mu.Lock()
	defer mu.Unlock()
	r, ok := built[version]
	if !ok {
		r = build(version)
		built[version] = r
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.bin
}

func build(version string) buildResult {
	dir, err := os.MkdirTemp("", "mcpscan-test-bin-")
	if err != nil {
		return buildResult{err: err}
	}
	dirs = append(dirs, dir)
	bin := filepath.Join(dir, "mcpscan")
	cmd := exec.Command("go", "build", "-ldflags", "-X main.version="+version, "-o", bin, "github.com/mcpscan/mcpscan/cmd/mcpscan")
	if out, err := cmd.CombinedOutput(); err != nil {
		return buildResult{err: errors.New("go build: " + err.Error() + "\n" + string(out))}
	}
	return buildResult{bin: bin}
}

// RemoveBinaries deletes every binary Binary built.
func RemoveBinaries() {
	mu.Lock()
	defer mu.Unlock()
	for _, d := range dirs {
		os.RemoveAll(d)
	}
	dirs = nil
	built = map[string]buildResult{}
}
