package scanner

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"sync"

	"github.com/mcpscan/mcpscan/internal/atomicfile"
)

// IDKey returns the key of secret ids (Finding.SecretID): 32 random bytes
// kept in the user's state directory ($XDG_STATE_HOME/mcpscan/secret-id.key,
// mode 0600), created on first use, so that ids are stable across scans on
// one machine but are no help in guessing a secret elsewhere. When the key
// cannot be read or stored, a key for this process only is used (ids are
// then stable within one report). MCPSCAN_SECRET_ID_KEY, when set, is used
// as the key (tests, fleets that want ids comparable across machines).
func IDKey() []byte {
	idKeyOnce.Do(func() { idKey = loadIDKey() })
	return idKey
}

var (
	idKeyOnce sync.Once
	idKey     []byte
)

func defaultIDKey() []byte { return IDKey() }

func loadIDKey() []byte {
	if k := os.Getenv("MCPSCAN_SECRET_ID_KEY"); k != "" {
		return []byte(k)
	}
	dir := StateDir()
	if dir != "" {
		p := filepath.Join(dir, "secret-id.key")
		if b, err := os.ReadFile(p); err == nil && len(b) == 32 {
			return b
		}
		k := make([]byte, 32)
		if _, err := rand.Read(k); err == nil {
			if os.MkdirAll(dir, 0o700) == nil && atomicfile.WriteFile(p, k, 0o600) == nil {
				return k
			}
			return k
		}
	}
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

// StateDir returns mcpscan's directory for state that belongs to this
// user and machine: $XDG_STATE_HOME/mcpscan, else ~/.local/state/mcpscan
// (on every OS, as XDG prescribes; Windows: %LOCALAPPDATA%\mcpscan). "" when
// no home directory is known.
func StateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "mcpscan")
	}
	if d := os.Getenv("LOCALAPPDATA"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "mcpscan")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, ".local", "state", "mcpscan")
}
