//go:build race

package match

// raceEnabled: the race detector allocates on its own and slows scans
// tenfold, so allocation and size-heavy tests skip under it.
const raceEnabled = true
