// Command mcpscan finds credentials exposed by AI coding agents and MCP
// setups: Claude Code transcripts, prompt history, memory files, agent
// settings and MCP client configs. See README.md.
package main

import (
	"os"
	"runtime/debug"
)

// softMemoryLimit keeps the heap small: the scan streams, so a tight
// collector costs little time and keeps peak RSS flat on big histories
// (with every core on the segments of one 625 MB transcript, peak RSS is
// about 60 MiB; it was 64 MiB at a 52 MiB limit). GOMEMLIMIT, when set,
// wins.
const softMemoryLimit = 48 << 20

func main() {
	ownLimit := os.Getenv("GOMEMLIMIT") == ""
	if ownLimit {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		if ownLimit {
			// The memory limit alone paces the collector: it runs as the
			// heap nears the limit, so a small home is scanned without
			// one collection (7% less CPU) and a large history at the
			// same peak RSS as with GOGC=200 (measured on the benchmark
			// shapes and one 625 MB file).
			debug.SetGCPercent(-1)
		} else {
			// The user's GOMEMLIMIT (perhaps none, or a large one):
			// collect less often than the default while the heap is small.
			debug.SetGCPercent(200)
		}
	}
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
