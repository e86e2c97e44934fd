package redact

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Open writers.
//
// Replacing a file by rename is safe against writers that open the path
// for each write (Claude Code appends with fs.appendFileSync: open with
// O_APPEND, write, close). A process that keeps a descriptor open would
// go on writing to the replaced inode, and its records would vanish from
// the file. Before a swap, the protocol therefore asks the OS which
// processes hold the file open for writing and leaves the file alone if
// any does. Linux answers from /proc/<pid>/fd and fdinfo; macOS from
// lsof(8), asked only for files written recently (it takes ~0.1 s); other
// systems cannot tell, and there a recently written file is left alone.

// checkWriters returns an active error when another process holds the
// file open for writing, or when that cannot be known for a live file.
func (p *protocol) checkWriters(path string, fi os.FileInfo, live bool) error {
	var holders []string
	var known bool
	if p.fs != nil && p.fs.writers != nil {
		holders, known = p.fs.writers(path, fi, live)
	} else {
		holders, known = p.writers.holders(path, fi, live)
	}
	// A writer that opens the file for each record holds it for an
	// instant: look again for up to the settle time before calling the
	// file active.
	for end := time.Now().Add(p.settle); len(holders) > 0 && time.Now().Before(end); {
		time.Sleep(p.poll)
		holders, known = p.holders(path, fi)
	}
	if len(holders) > 0 {
		return active("open for writing by %s; left unchanged, retry when it has finished", strings.Join(holders, ", "))
	}
	if !known && live {
		return active("written %s ago, and this system cannot tell whether a program still has it open for writing; left unchanged, retry when the agent is idle",
			p.now().Sub(fi.ModTime()).Round(1e9))
	}
	return nil
}

func holderName(pid int, comm string) string {
	if comm = strings.TrimSpace(comm); comm != "" {
		return fmt.Sprintf("%s (pid %d)", comm, pid)
	}
	return fmt.Sprintf("pid %d", pid)
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
