//go:build !unix

package scanner

import "io/fs"

// identOf returns no identity where the OS offers no inode; the state then
// relies on size, time and the content check.
func identOf(info fs.FileInfo) FileIdent { return FileIdent{} }
