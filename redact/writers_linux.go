package redact

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// writerIndex lists the regular files other processes hold open for
// writing, from one walk of /proc, renewed when older than a second or
// when a live file needs a fresh answer. It reads only procfs: the link
// text of each descriptor (pipes and sockets are skipped by it) and its
// fdinfo (open flags, mount id, inode; Linux 5.14+ has the inode there).
// It never stats the files themselves, so a dead network mount held by
// some process cannot hang it. Without inodes in fdinfo it falls back to
// stat.
type writerIndex struct {
	mu    sync.Mutex
	at    time.Time
	ok    bool
	byIno map[uint64][]fdHolder
}

type fdHolder struct {
	pid    int
	dev    uint64
	devSet bool // false: the mount is not in our namespace; match by inode
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
	seen := map[int]bool{}
	for _, h := range w.byIno[m.ino] {
		if h.devSet && h.dev != m.dev || seen[h.pid] {
			continue
		}
		seen[h.pid] = true
		comm, _ := os.ReadFile("/proc/" + strconv.Itoa(h.pid) + "/comm")
		out = append(out, holderName(h.pid, string(comm)))
	}
	return out, true
}

// mountDevs maps mount ids to device numbers, from /proc/self/mountinfo.
func mountDevs() map[int]uint64 {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil
	}
	defer f.Close()
	out := map[int]uint64{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		// 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw
		fs := strings.Fields(sc.Text())
		if len(fs) < 3 {
			continue
		}
		id, err := strconv.Atoi(fs[0])
		maj, min, ok := strings.Cut(fs[2], ":")
		if err != nil || !ok {
			continue
		}
		a, err1 := strconv.ParseUint(maj, 10, 32)
		b, err2 := strconv.ParseUint(min, 10, 32)
		if err1 == nil && err2 == nil {
			out[id] = unix.Mkdev(uint32(a), uint32(b))
		}
	}
	return out
}

// fdinfo reads the open flags, mount id and inode of one descriptor.
func fdinfo(s string) (flags uint64, mnt int, ino uint64, hasIno bool) {
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "flags":
			flags, _ = strconv.ParseUint(v, 8, 64)
		case "mnt_id":
			mnt, _ = strconv.Atoi(v)
		case "ino":
			ino, _ = strconv.ParseUint(v, 10, 64)
			hasIno = true
		}
	}
	return
}

func (w *writerIndex) refresh() {
	w.byIno = map[uint64][]fdHolder{}
	w.ok = false
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	devs := mountDevs()
	self := os.Getpid()
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil || pid == self {
			continue
		}
		base := "/proc/" + p.Name()
		fds, err := os.ReadDir(base + "/fd")
		if err != nil {
			continue // another user's process, or gone
		}
		for _, fd := range fds {
			target, err := os.Readlink(base + "/fd/" + fd.Name())
			if err != nil || !strings.HasPrefix(target, "/") {
				continue // pipe:[…], socket:[…], anon_inode:…
			}
			info, err := os.ReadFile(base + "/fdinfo/" + fd.Name())
			if err != nil {
				continue
			}
			flags, mnt, ino, hasIno := fdinfo(string(info))
			if flags&syscall.O_ACCMODE == syscall.O_RDONLY {
				continue
			}
			h := fdHolder{pid: pid}
			if hasIno {
				h.dev, h.devSet = devs[mnt]
			} else {
				fi, err := os.Stat(base + "/fd/" + fd.Name())
				if err != nil || !fi.Mode().IsRegular() {
					continue
				}
				m := metaOf(fi)
				ino, h.dev, h.devSet = m.ino, m.dev, true
			}
			w.byIno[ino] = append(w.byIno[ino], h)
		}
	}
	w.ok = true
	w.at = time.Now()
}
