package main

import (
	"runtime"
	"testing"
)

func TestVersionLine(t *testing.T) {
	gv := runtime.Version()
	for _, c := range []struct{ v, c, d, want string }{
		{"1.2.3", "81fc211db551e1e0e7adcf3a1007a64d4c4a6852", "2026-11-22T04:22:33Z",
			"1.2.3 (commit 81fc211db551e1e0e7adcf3a1007a64d4c4a6852, built 2026-11-22T04:22:33Z, " + gv + ")"},
		{"v0.0.0-20261122042233-81fc211db551+dirty", "81fc211db551e1e0e7adcf3a1007a64d4c4a6852", "2026-11-22T04:22:33Z",
			"v0.0.0-20261122042233-81fc211db551+dirty (commit 81fc211db551e1e0e7adcf3a1007a64d4c4a6852, built 2026-11-22T04:22:33Z, " + gv + ")"},
		{"v1.2.3", "", "", "v1.2.3 (" + gv + ")"},
		{"dev", "", "", "dev (" + gv + ", built without VCS information: outside a git checkout, in a git worktree, or with -buildvcs=false)"},
	} {
		if got := versionLine(c.v, c.c, c.d); got != c.want {
			t.Errorf("versionLine(%q, %q, %q)\n got %q\nwant %q", c.v, c.c, c.d, got, c.want)
		}
	}
}
