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
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		// Collect less often while the heap is small: the memory limit
		// above still bounds it (measured ~20% faster at the same peak
		// RSS on the benchmark shapes).
		debug.SetGCPercent(200)
	}
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
