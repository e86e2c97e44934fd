package redact

import "testing"

func TestFdinfo(t *testing.T) {
	flags, mnt, ino, ok := fdinfo("pos:\t12\nflags:\t0102001\nmnt_id:\t29\nino:\t7340077\n")
	if flags != 0o102001 || mnt != 29 || ino != 7340077 || !ok {
		t.Fatal(flags, mnt, ino, ok)
	}
	if _, _, _, ok := fdinfo("pos:\t0\nflags:\t02\nmnt_id:\t1\n"); ok {
		t.Fatal("old kernels have no ino")
	}
}
