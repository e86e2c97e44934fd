package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArchiveBudgetFlags checks --max-archive-bytes: an archive that
// expands past it is reported with the flag's name, and the findings
// read before the limit are kept; with the default, the same archive is
// read to its end.
func TestArchiveBudgetFlags(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pkg.tgz")
	body := tgz(t, map[string]string{
		".env":      "GITHUB_TOKEN=" + ghToken + "\n",
		"notes.txt": strings.Repeat("nothing to see here\n", 20000),
	})
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := mcpscan(t, "--format", "json", "--max-archive-bytes", "64KiB", p)
	r := parseReport(t, out)
	if !r.has(p+"!package/.env", "github-pat") && !strings.Contains(out, "--max-archive-bytes") {
		t.Errorf("want the finding or the limit error:\n%s", out)
	}
	found := false
	for _, e := range r.Errors {
		found = found || strings.Contains(e.Error, "(--max-archive-bytes)")
	}
	if !found {
		t.Errorf("want an error naming --max-archive-bytes:\n%s", out)
	}
	_, out, _ = mcpscan(t, "--format", "json", p)
	if r := parseReport(t, out); len(r.Errors) != 0 || !r.has(p+"!package/.env", "github-pat") {
		t.Errorf("default budget: want the finding and no error:\n%s", out)
	}
	if code, _, errOut := mcpscan(t, "--max-archive-bytes", "lots", p); code != exitError || !strings.Contains(errOut, "not a size") {
		t.Errorf("bad size: exit %d, %q", code, errOut)
	}
}

// TestConfigMistakesAllReported checks that mcpscan reports every mistake
// of a config at once (unknown keys, a bad regex, an unknown rule ID),
// each with file, line and column, and exits 2.
func TestConfigMistakesAllReported(t *testing.T) {
	dir := tree(t, map[string]string{
		".env":          "GITHUB_TOKEN=" + ghToken + "\n",
		".mcpscan.toml": "fail_onn = \"high\"\ndisabled_rules = [\"gitub-pat\"]\n[[allowlists]]\nregexes = ['''(x''']\n",
	})
	code, _, errOut := mcpscan(t, "--config", filepath.Join(dir, ".mcpscan.toml"), dir)
	cfg := filepath.Join(dir, ".mcpscan.toml")
	for _, want := range []string{cfg + ":1:1: fail_onn: unknown key", cfg + ":2:19: disabled_rules[0]: unknown rule id", cfg + ":4:12: allowlists[0].regexes[0]: invalid regex"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if code != exitError {
		t.Errorf("exit %d", code)
	}
}

// TestOutputDestinations checks -o with what is not a plain new file:
// standard output by name, a symbolic link (refused, untouched), a
// missing directory (the error names the user's path) and a character
// device (written into, never replaced).
func TestOutputDestinations(t *testing.T) {
	dir := tree(t, map[string]string{".env": "GITHUB_TOKEN=" + ghToken + "\n"})
	for _, dest := range []string{"-", "/dev/stdout", "/dev/fd/1"} {
		code, out, errOut := mcpscan(t, "--format", "json", "-o", dest, dir)
		if code != exitFindings || !strings.Contains(out, `"rule_id": "github-pat"`) {
			t.Errorf("-o %s: exit %d, stdout %q, stderr %q", dest, code, out, errOut)
		}
	}

	tmp := t.TempDir()
	target := filepath.Join(tmp, "target.json")
	os.WriteFile(target, []byte("keep"), 0o644)
	link := filepath.Join(tmp, "link.json")
	if err := os.Symlink(target, link); err == nil {
		code, _, errOut := mcpscan(t, "--format", "json", "-o", link, dir)
		st, _ := os.Lstat(link)
		b, _ := os.ReadFile(target)
		if code != exitError || !strings.Contains(errOut, "symbolic link") || st.Mode()&os.ModeSymlink == 0 || string(b) != "keep" {
			t.Errorf("symlink: exit %d, stderr %q, link mode %v, target %q", code, errOut, st.Mode(), b)
		}
	}

	missing := filepath.Join("no-such-dir", "report.json")
	code, _, errOut := mcpscan(t, "-o", missing, dir)
	if code != exitError || !strings.Contains(errOut, "--output "+missing+": no such directory: no-such-dir") || strings.Contains(errOut, ".tmp") {
		t.Errorf("missing directory: exit %d, stderr %q", code, errOut)
	}

	if st, err := os.Stat(os.DevNull); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		code, _, errOut := mcpscan(t, "--format", "json", "-o", os.DevNull, dir)
		if st2, _ := os.Stat(os.DevNull); code != exitFindings || st2.Mode()&os.ModeCharDevice == 0 {
			t.Errorf("%s: exit %d, stderr %q; still a device: %v", os.DevNull, code, errOut, st2.Mode())
		}
	}
}

// TestStderrEscaped checks that nothing from arguments or config files
// reaches stderr raw: an OSC sequence (retitles the terminal), a CSI
// sequence (clears it), a bidi override and a carriage return in a path
// argument and in a .gitleaks.toml [extend] path come out escaped.
func TestStderrEscaped(t *testing.T) {
	hostile := "x\x1b]0;pwned\x07\x1b[2J\u202eevil\rz"
	dir := tree(t, map[string]string{".env": "A=1\n"})
	for name, args := range map[string][]string{
		"missing path":    {filepath.Join(dir, hostile)},
		"bad glob":        {"--exclude", "[" + hostile, dir},
		"bad config path": {"--config", filepath.Join(dir, hostile+".toml"), dir},
		"extend path": {"--gitleaks-config", write(t, dir, "gl.toml",
			"[extend]\npath = \""+strings.NewReplacer("\x1b", `\u001b`, "\x07", `\u0007`, "\r", `\r`).Replace(hostile)+"\"\n"), dir},
	} {
		code, _, errOut := mcpscan(t, args...)
		if code != exitError {
			t.Errorf("%s: exit %d, stderr %q", name, code, errOut)
		}
		for _, raw := range []string{"\x1b", "\x07", "\u202e", "\r"} {
			if strings.Contains(errOut, raw) {
				t.Errorf("%s: stderr holds %q raw: %q", name, raw, errOut)
			}
		}
		if !strings.Contains(errOut, `\x1b]0;pwned`) {
			t.Errorf("%s: the hostile text is not shown escaped: %q", name, errOut)
		}
	}
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
