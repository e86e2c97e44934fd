// Package handlertest runs one source handler over in-memory content the
// way the engine does (sanitized findings and problems per input), for the
// handlers' own tests.
package handlertest

import (
	"context"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
)

// Run scans content as the file at classPath (an absolute slash path,
// which classifies it) with h, and returns the findings and problems.
func Run(t testing.TB, h scanner.Handler, classPath, content string) ([]scanner.Finding, []scanner.FileError) {
	t.Helper()
	var fs []scanner.Finding
	var errs []scanner.FileError
	env := scanner.NewEnv(nil, func(f []scanner.Finding, e []scanner.FileError) {
		fs = append(fs, f...)
		errs = append(errs, e...)
	})
	in := &scanner.Input{
		Loc:       scanner.Location{File: classPath},
		ClassPath: classPath,
		Size:      int64(len(content)),
		Reader:    strings.NewReader(content),
		ReaderAt:  strings.NewReader(content),
	}
	if err := env.Scan(context.Background(), h, in); err != nil {
		t.Fatalf("scan %s: %v", classPath, err)
	}
	return fs, errs
}

// Raw returns a finding's raw secret, for assertions.
func Raw(f *scanner.Finding) string { return f.Secret.Reveal(secret.Unlock("test")) }

// ByRule returns the findings of rule id.
func ByRule(fs []scanner.Finding, id string) []scanner.Finding {
	var out []scanner.Finding
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}
