package scanner

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadState: a state file is untrusted input. Whatever its bytes,
// LoadState does not panic, and every entry it keeps is consistent.
func FuzzLoadState(f *testing.F) {
	f.Add([]byte(`{"version":2,"files":{}}`))
	f.Add([]byte(`{"version":2,"files":{"` + stateKey("/a") + `":{"size":10,"scanned":5,"line":2,"head":"` + zeros64 + `","check":"` + zeros64 + `","samples":"` + zeros64 + `","findings":[{"rule_id":"x","line":1,"offset":3}]}}}`))
	f.Add([]byte(`{"version":2,"files":{"x":{"scanned":-1}}}`))
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`not json`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "state.json")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := LoadState(p)
		if err != nil {
			t.Fatalf("LoadState: %v (only an unreadable file is an error)", err)
		}
		for k, fs := range s.files {
			if !validKey(k) || !fs.valid() {
				t.Fatalf("kept an inconsistent entry %q: %+v", k, fs)
			}
		}
	})
}

const zeros64 = "0000000000000000000000000000000000000000000000000000000000000000"
