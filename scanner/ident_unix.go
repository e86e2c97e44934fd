//go:build unix

package scanner

import (
	"io/fs"
	"syscall"
)

// identOf returns the device, inode and status-change time of a file.
func identOf(info fs.FileInfo) FileIdent {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return FileIdent{Dev: uint64(st.Dev), Ino: uint64(st.Ino), CtimeNS: ctimeNS(st)}
	}
	return FileIdent{}
}
