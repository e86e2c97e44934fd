package main

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// Set by the release build through -ldflags "-X main.version=… -X main.commit=… -X main.date=…".
var (
	version = ""
	commit  = ""
	date    = ""
)

// versionInfo returns the version, commit and build date, falling back to
// the module build information for `go install` and `go build` builds: the
// module version (v1.2.3 for `go install …@v1.2.3`, a pseudo-version such as
// v0.0.0-20261122042233-81fc211db551 for a build in a git checkout), and the
// VCS revision and commit time that the go command stamps. Empty strings
// mean unknown; the version is "dev" when nothing is known.
func versionInfo() (v, c, d string) {
	v, c, d = version, commit, date
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if c == "" {
					c = s.Value
				}
			case "vcs.time":
				if d == "" {
					d = s.Value
				}
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	return v, c, d
}

// versionLine is what `mcpscan --version` prints after "mcpscan version ":
// the version, then what is known of the build, e.g.
//
//	1.2.3 (commit 81fc211db551e1e0e7adcf3a1007a64d4c4a6852, built 2026-11-22T04:22:33Z, go1.26.8)
//	v1.2.3 (go1.26.8)       go install github.com/mcpscan/mcpscan/cmd/mcpscan@v1.2.3
//	dev (go1.26.8, built without VCS information: …)
func versionLine(v, c, d string) string {
	var parts []string
	if c != "" {
		parts = append(parts, "commit "+c)
	}
	if d != "" {
		parts = append(parts, "built "+d)
	}
	parts = append(parts, runtime.Version())
	if c == "" && v == "dev" {
		parts = append(parts, "built without VCS information: outside a git checkout, in a git worktree, or with -buildvcs=false")
	}
	return v + " (" + strings.Join(parts, ", ") + ")"
}
