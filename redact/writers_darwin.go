package redact

import (
	"os"
	"os/exec"
)

// writerIndex asks lsof(8) about one file at a time.
type writerIndex struct{}

// holders runs `lsof -F pca` on the file when fresh is set (a live
// file); for other files it does not know.
func (w *writerIndex) holders(path string, _ os.FileInfo, fresh bool) ([]string, bool) {
	if !fresh {
		return nil, false
	}
	lsof, err := exec.LookPath("lsof")
	if err != nil {
		if _, err2 := os.Stat("/usr/sbin/lsof"); err2 != nil {
			return nil, false
		}
		lsof = "/usr/sbin/lsof"
	}
	out, err := exec.Command(lsof, "-nP", "-w", "-F", "pca", "--", path).Output()
	if err != nil && len(out) == 0 {
		// lsof exits 1 when no process has the file open.
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
			return nil, true
		}
		return nil, false
	}
	return parseLsof(string(out), os.Getpid()), true
}
