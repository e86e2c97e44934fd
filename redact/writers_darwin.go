package redact

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
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

// parseLsof reads lsof -F pca output: p<pid>, c<command>, then per
// descriptor a<mode> (r, w or u).
func parseLsof(s string, self int) []string {
	var out []string
	pid, comm := 0, ""
	added := false
	for _, line := range strings.Split(s, "\n") {
		if line == "" {
			continue
		}
		switch line[0] {
		case 'p':
			pid, _ = strconv.Atoi(line[1:])
			comm, added = "", false
		case 'c':
			comm = line[1:]
		case 'a':
			if pid != self && !added && (strings.Contains(line[1:], "w") || strings.Contains(line[1:], "u")) {
				out = append(out, holderName(pid, comm))
				added = true
			}
		}
	}
	return out
}
