// Package testkit holds what the project's tests share: files written in a
// temporary tree, and fake credentials in real formats (randomly made,
// never live, split where a literal would trip secret scanners).
package testkit

import (
	"os"
	"path/filepath"
	"testing"
)

// Fake, format-valid credentials.
const (
	// GitHubToken is a classic GitHub personal access token (ghp_ + 36).
	GitHubToken = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"
	// GitHubToken2 is a second one, for tests that need two.
	GitHubToken2 = "ghp_T3k9Wq2Lx7Rm4Vb8Nz1Jh6Gf5Dp0Sa2Qe9Ck"
	// DBPassword is a human-chosen password no provider pattern knows.
	DBPassword = "wK8#pL2vQ9xR"
)

// Write writes content to rel (slash-separated) below root, creating
// directories, and returns the file's path.
func Write(t testing.TB, root, rel, content string) string {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Tree writes files (relative path → content) into a new temporary
// directory and returns it.
func Tree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		Write(t, dir, rel, content)
	}
	return dir
}
