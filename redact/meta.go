package redact

import "time"

// fileMeta is what the protocol keeps of a file beyond os.FileInfo.
type fileMeta struct {
	uid, gid int // -1 when the system has none
	nlink    uint64
	atime    time.Time
	dev, ino uint64 // 0 when unknown
}
