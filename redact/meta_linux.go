package redact

import (
	"os"
	"syscall"
	"time"
)

// metaOf reads owner, link count and access time from a stat result.
func metaOf(fi os.FileInfo) fileMeta {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileMeta{uid: -1, gid: -1, nlink: 1, atime: fi.ModTime()}
	}
	return fileMeta{uid: int(st.Uid), gid: int(st.Gid), nlink: uint64(st.Nlink),
		atime: time.Unix(int64(st.Atim.Sec), int64(st.Atim.Nsec)), dev: uint64(st.Dev), ino: uint64(st.Ino)}
}
