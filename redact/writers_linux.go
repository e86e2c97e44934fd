package redact

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// writerIndex maps open regular files to the processes that hold them,
// from one walk of /proc, renewed when older than a second or when a
// live file needs a fresh answer.
type writerIndex struct {
	mu     sync.Mutex
	at     time.Time
	ok     bool
	byFile map[[2]uint64][]procFD
}

type procFD struct {
	pid int
	fd  string
}

func (w *writerIndex) holders(_ string, fi os.FileInfo, fresh bool) ([]string, bool) {
	m := metaOf(fi)
	if m.ino == 0 {
		return nil, false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if fresh || !w.ok || time.Since(w.at) > time.Second {
		w.refresh()
	}
	if !w.ok {
		return nil, false
	}
	var out []string
	for _, h := range w.byFile[[2]uint64{m.dev, m.ino}] {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(h.pid) + "/fdinfo/" + h.fd)
		if err != nil {
			continue // closed since
		}
		if !fdinfoWritable(string(b)) {
			continue
		}
		comm, _ := os.ReadFile("/proc/" + strconv.Itoa(h.pid) + "/comm")
		out = append(out, holderName(h.pid, string(comm)))
	}
	return out, true
}

// fdinfoWritable reads the "flags:" line of /proc/<pid>/fdinfo/<fd>
// (octal open flags) and reports whether the access mode allows writing.
func fdinfoWritable(s string) bool {
	for _, line := range strings.Split(s, "\n") {
		if v, ok := strings.CutPrefix(line, "flags:"); ok {
			f, err := strconv.ParseUint(strings.TrimSpace(v), 8, 64)
			if err != nil {
				return true // cannot tell: assume the worst
			}
			return f&syscall.O_ACCMODE != syscall.O_RDONLY
		}
	}
	return true
}

func (w *writerIndex) refresh() {
	w.byFile = map[[2]uint64][]procFD{}
	w.ok = false
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	self := os.Getpid()
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil || pid == self {
			continue
		}
		dir := "/proc/" + p.Name() + "/fd/"
		fds, err := os.ReadDir(dir)
		if err != nil {
			continue // another user's process, or gone
		}
		for _, fd := range fds {
			fi, err := os.Stat(dir + fd.Name())
			if err != nil || !fi.Mode().IsRegular() {
				continue
			}
			m := metaOf(fi)
			k := [2]uint64{m.dev, m.ino}
			w.byFile[k] = append(w.byFile[k], procFD{pid, fd.Name()})
		}
	}
	w.ok = true
	w.at = time.Now()
}
