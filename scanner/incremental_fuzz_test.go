package scanner_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
)

// FuzzStateFile feeds arbitrary --state files to an incremental scan of
// a real transcript: whatever the state says (negative or oversized
// offsets, a wrong line, stored findings of any shape), the scan must not
// panic or fail. In the input, "@F@" stands for the transcript's key in
// the state (a SHA-256 of its absolute path), so that entries can name it.
func FuzzStateFile(f *testing.F) {
	dir := f.TempDir()
	transcript := filepath.Join(dir, "projects", "-home-u-app", "4d5611e5-241a-462a-8d15-5122611a9569.jsonl")
	os.MkdirAll(filepath.Dir(transcript), 0o755)
	rec := `{"type":"user","sessionId":"4d5611e5-241a-462a-8d15-5122611a9569","message":{"role":"user","content":"GITHUB_TOKEN=ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"}}` + "\n"
	if err := os.WriteFile(transcript, []byte(rec+rec), 0o600); err != nil {
		f.Fatal(err)
	}
	statePath := filepath.Join(dir, "state.json")
	sum := sha256.Sum256([]byte(transcript))
	abs := []byte(hex.EncodeToString(sum[:]))

	// A real state, from a real scan, as the main seed.
	st := scanner.NewState()
	scanner.New(rules.Default(), sources.Default(), scanner.Options{State: st}).Collect(context.Background(), []scanner.Root{{Path: dir}})
	st.Save(statePath)
	real, _ := os.ReadFile(statePath)
	f.Add(bytes.ReplaceAll(real, abs, []byte("@F@")))
	// The real entry (right identity and check) with damaged numbers.
	var doc map[string]any
	json.Unmarshal(real, &doc)
	for _, bad := range []map[string]any{
		{"scanned": -5}, {"scanned": 1 << 40}, {"line": -7}, {"size": -1, "scanned": 0},
		{"scanned": 3, "line": 0}, {"mod_ns": 0, "size": 1 << 40},
	} {
		files, _ := doc["files"].(map[string]any)
		for _, v := range files {
			entry, _ := v.(map[string]any)
			saved := map[string]any{}
			for k, val := range bad {
				saved[k] = entry[k]
				entry[k] = val
			}
			b, _ := json.Marshal(doc)
			f.Add(bytes.ReplaceAll(b, abs, []byte("@F@")))
			for k, val := range saved {
				entry[k] = val
			}
		}
	}
	for _, s := range []string{
		`{"version":1,"files":{"@F@":{"size":400,"scanned":-5,"line":-1,"resumes":true}}}`,
		`{"version":1,"files":{"@F@":{"size":1,"scanned":99999999,"line":3,"resumes":true}}}`,
		`{"version":1,"files":{"@F@":null}}`,
		`{"version":1,"files":{"@F@":{"findings":[{"rule_id":"nope","severity":"extreme","line":-3}]}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(statePath, bytes.ReplaceAll(data, []byte("@F@"), abs), 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := scanner.LoadState(statePath)
		if err != nil {
			return
		}
		res, err := scanner.New(rules.Default(), sources.Default(), scanner.Options{State: st, Workers: 1}).Collect(context.Background(), []scanner.Root{{Path: transcript}})
		if err != nil {
			t.Fatal(err)
		}
		_ = res
	})
}
