package scanner_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/scanner"
)

// TestRootOpen scans roots that are not on disk (Root.Open): a stream
// without random access is scanned like a file, and an Open error is that
// root's error while the other roots are scanned.
func TestRootOpen(t *testing.T) {
	closed := false
	ok := scanner.Root{Path: "stream:a", Open: func(context.Context) (*scanner.Input, io.Closer, error) {
		r := io.NopCloser(strings.NewReader("GITHUB_TOKEN=" + ghToken + "\n"))
		return &scanner.Input{ClassPath: "/a/.env", Size: -1, Reader: r}, closerFunc(func() error { closed = true; return nil }), nil
	}}
	bad := scanner.Root{Path: "stream:b", Open: func(context.Context) (*scanner.Input, io.Closer, error) {
		return nil, nil, errors.New("registry unreachable")
	}}
	res := run(t, scanner.Options{}, ok, bad)
	if len(res.Findings) != 1 || res.Findings[0].Path() != "stream:a" || res.Findings[0].Line != 1 || res.Findings[0].Column != 14 {
		t.Errorf("findings: %+v", res.Findings)
	}
	if len(res.Errors) != 1 || res.Errors[0].Path != "stream:b" || res.Errors[0].Error != "registry unreachable" {
		t.Errorf("errors: %+v", res.Errors)
	}
	if !closed {
		t.Error("the stream was not closed")
	}
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }
