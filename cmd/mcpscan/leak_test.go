package main

import (
	"crypto/rand"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/reporters"
)

// The leak matrix (issue: trust). Random secrets are planted in every
// shape a rule reports — a finding's secret, the evidence of structural
// findings (package specs with credentials, URLs with userinfo and
// credential query parameters), a PEM block with key material on its
// BEGIN line, a JSON key and an MCP server name that are tokens, a file
// name holding a token, and a config that does not parse and would echo
// its values — and every output is searched for each secret and for every
// 8-character part of it: each report format, the baseline, the state
// file (and the report of the next, incremental run), and stderr. The
// only place a secret may show is SARIF's artifactLocation.uri for the
// file whose name holds it (GitHub must find the file; README: Security
// and failure behaviour).

const (
	alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lower = "abcdefghijklmnopqrstuvwxyz0123456789"
)

func randString(t *testing.T, alphabet string, n int) string {
	t.Helper()
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			t.Fatal(err)
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}

// plantedSecrets is what TestLeakMatrix plants, by shape.
type plantedSecrets map[string]string

func leakTree(t *testing.T) (string, plantedSecrets) {
	t.Helper()
	s := plantedSecrets{
		"gh-token-in-git-url":     "ghp_" + randString(t, alnum, 36),
		"docker-registry-pass":    randString(t, alnum, 18),
		"remote-url-password":     randString(t, alnum, 16),
		"remote-url-api-key":      randString(t, alnum, 32),
		"pem-first-line":          randString(t, alnum, 48),
		"token-as-server-name":    "ghp_" + randString(t, alnum, 36),
		"token-as-json-key":       "ghp_" + randString(t, alnum, 36),
		"token-in-file-name":      "ghp_" + randString(t, alnum, 36),
		"toml-unparsable-literal": randString(t, lower, 20),
		"transcript-token":        "ghp_" + randString(t, alnum, 36),
		"env-password":            randString(t, alnum, 14) + "#!",
	}
	files := map[string]string{
		".mcp.json": `{"mcpServers": {
  "repo": {"command": "npx", "args": ["-y", "git+https://` + s["gh-token-in-git-url"] + `@github.com/o/r"]},
  "img": {"command": "docker", "args": ["run", "-i", "deploy:` + s["docker-registry-pass"] + `@registry.example.com/team/img"]},
  "remote": {"url": "http://svc:` + s["remote-url-password"] + `@mcp.example.com/mcp?api_key=` + s["remote-url-api-key"] + `"},
  "` + s["token-as-server-name"] + `": {"command": "uvx", "args": ["some-server"]}
}}`,
		"keys/deploy.pem":                                 "-----BEGIN RSA PRIVATE KEY-----" + s["pem-first-line"] + "\n" + randString(t, alnum, 64) + "\n-----END RSA PRIVATE KEY-----\n",
		".claude/settings.local.json":                     `{"permissions": {"allow": ["Bash(ls)"]}, "env": {"` + s["token-as-json-key"] + `": "x"}}`,
		"notes/creds-" + s["token-in-file-name"] + ".txt": "GITHUB_TOKEN=" + s["token-in-file-name"] + "\n",
		".codex/config.toml":                              "[mcp_servers.db]\ncommand = \"psql\"\npassword = " + s["toml-unparsable-literal"] + "\n",
		".claude/projects/-home-u-web/s1.jsonl":           `{"type":"user","sessionId":"s1","message":{"role":"user","content":"export GITHUB_TOKEN=` + s["transcript-token"] + `"}}` + "\n",
		".env":                                            "DB_PASSWORD=" + s["env-password"] + "\n",
	}
	return tree(t, files), s
}

// leaks returns the secrets of s that show in text, whole or as an
// 8-character part.
func (s plantedSecrets) leaks(text string) []string {
	var out []string
	for shape, v := range s {
		for i := 0; i+8 <= len(v); i++ {
			if strings.Contains(text, v[i:i+8]) {
				out = append(out, shape+" ("+v[i:i+8]+")")
				break
			}
		}
	}
	return out
}

var sarifURI = regexp.MustCompile(`"uri": "[^"]*"`)

func TestLeakMatrix(t *testing.T) {
	root, secrets := leakTree(t)
	work := t.TempDir()
	check := func(what, text string) {
		t.Helper()
		if l := secrets.leaks(text); len(l) > 0 {
			t.Errorf("%s leaks: %s", what, strings.Join(l, ", "))
		}
	}

	// Every format, to stdout and through -o, with the baseline written.
	for _, format := range reporters.Formats() {
		baseline := filepath.Join(work, format+"-baseline.json")
		out := filepath.Join(work, "report."+format)
		code, stdout, stderr := mcpscan(t, "--format", format, "--write-baseline", baseline, root)
		if code != exitFindings {
			t.Errorf("%s: exit %d, want %d (findings): %s", format, code, exitFindings, stderr)
		}
		if format == "sarif" {
			stdout = sarifURI.ReplaceAllString(stdout, `"uri": ""`)
		}
		check(format+" report", stdout)
		check(format+" stderr", stderr)
		b, err := os.ReadFile(baseline)
		if err != nil {
			t.Fatal(err)
		}
		check(format+" baseline", string(b))
		if _, _, stderr := mcpscan(t, "--format", format, "-o", out, root); stderr != "" {
			check(format+" -o stderr", stderr)
		}
		b, err = os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if format == "sarif" {
			text = sarifURI.ReplaceAllString(text, `"uri": ""`)
		}
		check(format+" -o file", text)
	}
	// The structural findings were raised (the matrix is only as good as
	// what it plants).
	_, js, _ := mcpscan(t, "--format", "json", root)
	for _, rule := range []string{"mcp-unpinned-server", "mcp-plaintext-remote", "private-key", "github-pat"} {
		if !strings.Contains(js, `"rule_id": "`+rule) {
			t.Errorf("no %s finding: the matrix misses a shape", rule)
		}
	}
	if !strings.Contains(js, "not a valid Codex CLI config") {
		t.Errorf("the unparsable config gave no parse error")
	}

	// The state file and the next, incremental run (carried findings).
	state := filepath.Join(work, "state.json")
	for run := 1; run <= 2; run++ {
		code, stdout, stderr := mcpscan(t, "--state", state, "--format", "json", root)
		if code != exitFindings {
			t.Errorf("state run %d: exit %d: %s", run, code, stderr)
		}
		check("state run report", stdout)
		check("state run stderr", stderr)
		b, err := os.ReadFile(state)
		if err != nil {
			t.Fatal(err)
		}
		check("state file", string(b))
		if run == 2 && !strings.Contains(stdout, `"carried": true`) {
			t.Errorf("second state run carried nothing over")
		}
	}

	// Errors on stderr: a config file that does not parse echoes nothing.
	cfg := filepath.Join(work, "bad.toml")
	if err := os.WriteFile(cfg, []byte("[[allowlists]]\nregexes = "+secrets["toml-unparsable-literal"]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := mcpscan(t, "--config", cfg, root)
	if code != exitError {
		t.Errorf("bad config: exit %d", code)
	}
	check("bad config stderr", stderr)
	check("bad config stdout", stdout)
	// A path argument holding a secret is redacted where it is echoed.
	missing := filepath.Join(work, "missing-"+secrets["transcript-token"])
	_, _, stderr = mcpscan(t, missing)
	check("missing path stderr", stderr)
}
