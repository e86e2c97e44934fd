package main

import (
	"fmt"
	"strconv"
	"strings"
)

// byteSize is a flag value in bytes, written as a number with an optional
// binary unit: 4096, 512KiB, 64MiB, 8GiB, 1TiB (K, KB, M, MB, G, GB, T
// and TB mean the same powers of 1024).
type byteSize int64

var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"t", 40}, {"g", 30}, {"m", 20}, {"k", 10}}

func (s *byteSize) Set(v string) error {
	t := strings.ToLower(strings.TrimSpace(v))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "b"), "i")
	shift := uint(0)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, shift = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.shift
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<63-1)>>shift {
		return fmt.Errorf("%q is not a size (want bytes, or a number with KiB, MiB, GiB or TiB)", v)
	}
	*s = byteSize(n << shift)
	return nil
}

func (s *byteSize) String() string {
	n := int64(*s)
	for _, u := range sizeUnits {
		if n != 0 && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + strings.ToUpper(u.suffix) + "iB"
		}
	}
	return strconv.FormatInt(n, 10)
}

func (s *byteSize) Type() string { return "SIZE" }
