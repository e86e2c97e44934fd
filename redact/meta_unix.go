//go:build linux || darwin

package redact

import (
	"os"
	"syscall"
)

// metaOf reads owner, link count, access time and file id from a stat
// result.
func metaOf(fi os.FileInfo) fileMeta {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileMeta{uid: -1, gid: -1, nlink: 1, atime: fi.ModTime()}
	}
	return fileMeta{uid: int(st.Uid), gid: int(st.Gid), nlink: uint64(st.Nlink),
		atime: atime(st), dev: uint64(st.Dev), ino: uint64(st.Ino)}
}
