package redact

import (
	"syscall"
	"time"
)

func atime(st *syscall.Stat_t) time.Time { return time.Unix(int64(st.Atim.Sec), int64(st.Atim.Nsec)) }
