package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func needNPM(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH: mcpscan pack lists the files to scan with `npm pack --dry-run` (CI has npm)")
	}
	t.Setenv("npm_config_cache", t.TempDir())
	t.Setenv("npm_config_update_notifier", "false")
}

// TestPack is the prepublish hook end to end: a real npm package directory
// with .claude/settings.local.json (a token in an allow rule), a .env and
// clean code. mcpscan pack fails and names both files; once package.json
// lists only what ships ("files"), it passes.
func TestPack(t *testing.T) {
	needNPM(t)
	dir := tree(t, map[string]string{
		"package.json":                `{"name":"leaky-demo","version":"1.0.0","main":"index.js","scripts":{"prepublishOnly":"mcpscan pack"}}`,
		"index.js":                    "module.exports = () => process.env.API_KEY\n",
		"README.md":                   "# leaky-demo\n",
		".claude/settings.local.json": settingsWithToken,
		".env":                        "DB_PASSWORD=" + dbPassword + "\n",
	})

	code, out, errOut := mcpscan(t, "pack", "--no-color", dir)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFindings, out, errOut)
	}
	for _, want := range []string{
		filepath.Join(dir, ".claude/settings.local.json") + "  agent-artifact-claude-settings (high)",
		filepath.Join(dir, ".env"),
		"agent-artifact-env-file (high)",
		`package.json "files"`,
		".npmignore",
		"/.claude/",
		"/.env",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not say %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(out, "github-pat") || strings.Contains(out+errOut, ghToken) || strings.Contains(out+errOut, dbPassword) {
		t.Errorf("report: want the redacted github-pat finding:\n%s", out)
	}
	if strings.Contains(errOut, "index.js") || strings.Contains(errOut, "README.md") {
		t.Errorf("clean files named:\n%s", errOut)
	}

	// Ship only what is meant to ship.
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"leaky-demo","version":"1.0.0","main":"index.js","files":["index.js"]}`), 0o644)
	code, out, errOut = mcpscan(t, "pack", "--no-color", dir)
	if code != exitClean {
		t.Fatalf("with \"files\": exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "nothing at or above medium") {
		t.Errorf("stderr: %s", errOut)
	}
}

// TestPackThreshold checks --fail-on and that an info finding (CLAUDE.md
// alone) does not fail the default threshold.
func TestPackThreshold(t *testing.T) {
	needNPM(t)
	dir := tree(t, map[string]string{
		"package.json": `{"name":"memo","version":"1.0.0"}`,
		"index.js":     "module.exports = 1\n",
		"CLAUDE.md":    "# Notes\nRun npm test before committing.\n",
	})
	if code, out, errOut := mcpscan(t, "pack", dir); code != exitClean {
		t.Errorf("CLAUDE.md alone, default --fail-on medium: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := mcpscan(t, "pack", "--fail-on", "info", "--format", "json", dir); code != exitFindings || !strings.Contains(out, "agent-artifact-memory-file") {
		t.Errorf("--fail-on info: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestPackErrors(t *testing.T) {
	empty := t.TempDir()
	if code, _, errOut := mcpscan(t, "pack", empty); code != exitError || !strings.Contains(errOut, "no package.json") {
		t.Errorf("no package.json: exit %d, %q", code, errOut)
	}
	if code, _, errOut := mcpscan(t, "pack", "--exclude", "x", empty); code != exitError || !strings.Contains(errOut, "unknown flag: --exclude") {
		t.Errorf("--exclude: exit %d, %q", code, errOut)
	}
	// Without npm, pack fails with a clear message rather than guessing.
	pkg := tree(t, map[string]string{"package.json": `{"name":"x","version":"1.0.0"}`})
	t.Setenv("PATH", t.TempDir())
	t.Setenv("npm_execpath", "")
	if code, _, errOut := mcpscan(t, "pack", pkg); code != exitError || !strings.Contains(errOut, "mcpscan pack needs npm") {
		t.Errorf("no npm: exit %d, %q", code, errOut)
	}
}
