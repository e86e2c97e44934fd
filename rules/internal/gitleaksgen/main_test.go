package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestGenerateReproducesCheckedInFile guards against drift between the
// checked-in rules/gitleaks_gen.go and the gitleaks version in go.mod: after
// a gitleaks upgrade (or a change to the generator) run `go generate ./rules`.
func TestGenerateReproducesCheckedInFile(t *testing.T) {
	got, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../gitleaks_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("rules/gitleaks_gen.go is stale (run `go generate ./rules`); first difference at line %d:\n generated: %q\nchecked in: %q", i+1, g, w)
		}
	}
	t.Fatal("rules/gitleaks_gen.go is stale (run `go generate ./rules`)")
}

// TestVersionMatchesGoMod checks that the generator reads the gitleaks
// version from the build (not "unknown"), and that it is the one go.mod
// requires.
func TestVersionMatchesGoMod(t *testing.T) {
	mod, err := os.ReadFile("../../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?github\.com/zricethezav/gitleaks/v8\s+(v\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod does not require github.com/zricethezav/gitleaks/v8")
	}
	if got, want := gitleaksModuleVersion(), string(m[1]); got != want {
		t.Fatalf("gitleaksModuleVersion() = %q, go.mod requires %q", got, want)
	}
}

func TestGoRaw(t *testing.T) {
	for in, want := range map[string]string{
		`a\b`:   "`a\\b`",
		"a`b":   `"a` + "`" + `b"`,
		"a\rb":  `"a\rb"`,
		`(?i)x`: "`(?i)x`",
	} {
		if got := goRaw(in); got != want {
			t.Errorf("goRaw(%q) = %s, want %s", in, got, want)
		}
	}
}
