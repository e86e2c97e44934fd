package transcript

import (
	"strings"
	"testing"
)

// TestLastCommandKey: lastCommandKey is strings.LastIndex of "command".
func TestLastCommandKey(t *testing.T) {
	for _, s := range []string{``, `"`, `"command"`, `x"command"y"command`, `"command""command"`, `""command"`, `"comman"`, `{"command": "gh auth token", "x": "command"}`} {
		if got, want := lastCommandKey(s), strings.LastIndex(s, `"command"`); got != want {
			t.Errorf("lastCommandKey(%q) = %d, want %d", s, got, want)
		}
	}
}
