package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// revealCallers are the only non-test files allowed to unlock raw secret
// values (secret.Unlock): the --show-secrets path of the report and the
// redact command, which must write what it removes into its private
// backup store. Everything else works on secret.Value without seeing it.
var revealCallers = map[string]bool{
	"cmd/mcpscan/run.go":    true, // --show-secrets
	"cmd/mcpscan/redact.go": true, // mcpscan redact
	"redact/redact.go":      true, // the redaction engine (replaces spans)
}

var unlockCall = regexp.MustCompile(`secret\.Unlock\(`)

// TestRevealCallers keeps redaction by construction: no other file may
// reach a raw secret.
func TestRevealCallers(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if unlockCall.Match(b) && !revealCallers[rel] && !strings.HasPrefix(rel, "scanner/sources/internal/handlertest/") {
			t.Errorf("%s calls secret.Unlock: only %v may", rel, keys(revealCallers))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
