package main

import (
	"os"
	"testing"
)

// TestMain gives every test the same secret-id key and user name, and a
// private state directory, so that reports are the same bytes on every
// machine and no test writes to the real ~/.local/state.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mcpscan-test-state-")
	if err != nil {
		panic(err)
	}
	os.Setenv("MCPSCAN_SECRET_ID_KEY", "mcpscan-test-key")
	os.Setenv("XDG_STATE_HOME", dir)
	os.Setenv("USER", "tester")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
