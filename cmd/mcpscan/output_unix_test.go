//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOutputFIFO checks that -o into a FIFO writes into it (a reader gets
// the report) and leaves it a FIFO.
func TestOutputFIFO(t *testing.T) {
	dir := tree(t, map[string]string{".env": "GITHUB_TOKEN=" + ghToken + "\n"})
	fifo := filepath.Join(t.TempDir(), "report.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	code, _, errOut := mcpscan(t, "--format", "json", "-o", fifo, dir)
	report := <-got
	st, _ := os.Lstat(fifo)
	if code != exitFindings || !strings.Contains(report, `"rule_id": "github-pat"`) || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("exit %d, stderr %q, read %q, mode %v", code, errOut, report, st.Mode())
	}
}
