package artifact_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
	"github.com/mcpscan/mcpscan/scanner/sources/artifact"
)

// Format-valid test credentials, randomly generated, never live.
const (
	ghToken  = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"
	npmToken = "npm_Kp9Lm2Xq7Rt4Vw8Nb3Jh6Gf1Dz5Sa0QeT4uV"
)

const pemKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n"

func TestClassify(t *testing.T) {
	cases := []struct {
		name, content string
		want          string // rule ID; "" for none
		detail        string // substring of the detail
	}{
		// Agent credential stores.
		{"package/.claude/.credentials.json", `{"claudeAiOauth":{}}`, rules.AgentArtifactCredentials, ".credentials.json"},
		{"package/.credentials.json", `{}`, rules.AgentArtifactCredentials, ""},
		{"package/.codex/auth.json", `{}`, rules.AgentArtifactCredentials, ""},
		{"package/.gemini/oauth_creds.json", `{}`, rules.AgentArtifactCredentials, ""},
		// Private keys.
		{"package/id_ed25519", pemKey, rules.AgentArtifactPrivateKey, "OPENSSH PRIVATE KEY"},
		{"package/certs/server.key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n", rules.AgentArtifactPrivateKey, "RSA PRIVATE KEY"},
		{"package/bundle.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN EC PRIVATE KEY-----\nMHc\n", rules.AgentArtifactPrivateKey, "EC PRIVATE KEY"},
		{"package/anything.txt", "\n-----BEGIN PRIVATE KEY-----\nMIIE\n", rules.AgentArtifactPrivateKey, ""},
		{"package/deploy.ppk", "PuTTY-User-Key-File-3: ssh-ed25519\n", rules.AgentArtifactPrivateKey, "PuTTY"},
		{"package/signing.p12", "\x30\x82\x00", rules.AgentArtifactPrivateKey, "PKCS#12"},
		{"package/cert.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "", ""},
		{"package/id_ed25519.pub", "ssh-ed25519 AAAAC3Nza user@host\n", "", ""},
		// .npmrc with a literal token; references are fine.
		{"package/.npmrc", "//registry.npmjs.org/:_authToken=" + npmToken + "\n", rules.AgentArtifactNpmrcToken, "_authToken for //registry.npmjs.org/"},
		{"package/.npmrc", "_auth = dXNlcjpwYXNz\n", rules.AgentArtifactNpmrcToken, "_auth"},
		{"package/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", "", ""},
		{"package/.npmrc", "save-exact=true\n", "", ""},
		// .env files, not templates.
		{"package/.env", "# x\nAPI_KEY=abc\nexport DB_URL=postgres://x\n", rules.AgentArtifactEnvFile, "sets API_KEY, DB_URL"},
		{"package/.env.local", "A=1\n", rules.AgentArtifactEnvFile, "sets A"},
		{"package/config/.env.production", "A=1\nB=2\nC=3\nD=4\nE=5\nF=6\nG=7\nH=8\n", rules.AgentArtifactEnvFile, "and 2 more"},
		{"package/docker/prod.env", "A=1\n", rules.AgentArtifactEnvFile, ""},
		{"package/.env.example", "API_KEY=abc\n", "", ""},
		{"package/.env.sample", "API_KEY=abc\n", "", ""},
		{"package/.env.template", "API_KEY=abc\n", "", ""},
		{"package/.env", "# nothing set\nAPI_KEY=\n", "", ""},
		// Transcripts by shape.
		{"package/logs/4d5611e5.jsonl", `{"parentUuid":null,"sessionId":"4d5611e5","type":"user"}` + "\n", rules.AgentArtifactTranscript, "Claude Code session"},
		{"package/x.jsonl", `{"type":"file-history-snapshot","messageId":"m1"}` + "\n", rules.AgentArtifactTranscript, ""},
		{"package/history.jsonl", `{"display":"fix it","pastedContents":{},"timestamp":1}` + "\n", rules.AgentArtifactTranscript, "prompt history"},
		{"package/rollout.jsonl", `{"timestamp":"2025-01-01T00:00:00.000Z","type":"session_meta","payload":{}}` + "\n", rules.AgentArtifactTranscript, "Codex"},
		{"package/data/events.jsonl", `{"event":"click","ts":1}` + "\n", "", ""},
		// Claude Code settings: with rules or env high, without medium.
		{"package/.claude/settings.local.json", `{"permissions":{"allow":["Bash(npm test:*)","Bash(git log:*)"]}}`, rules.AgentArtifactClaudeSettings, "2 permission rules"},
		{"package/.claude/settings.json", `{"env":{"API_KEY":"x","DEBUG":"1"}}`, rules.AgentArtifactClaudeSettings, "env sets API_KEY, DEBUG"},
		{"package/.claude/settings.json", `{"model":"opus"}`, rules.AgentArtifactAgentDir, ".claude/"},
		{"package/settings.json", `{"permissions":{"allow":["x"]}}`, "", ""},
		// .mcp.json, memory files, agent directories.
		{"package/.mcp.json", `{"mcpServers":{}}`, rules.AgentArtifactMCPConfig, ""},
		{"package/CLAUDE.md", "# Notes\n", rules.AgentArtifactMemoryFile, "CLAUDE.md"},
		{"package/.claude/CLAUDE.md", "# Notes\n", rules.AgentArtifactMemoryFile, ""},
		{"package/GEMINI.md", "# Notes\n", rules.AgentArtifactMemoryFile, ""},
		{"package/.claude/commands/deploy.md", "Deploy\n", rules.AgentArtifactAgentDir, ".claude/"},
		{"package/.cursor/rules/style.mdc", "x\n", rules.AgentArtifactAgentDir, ".cursor/"},
		{"package/.codex/config.toml", "x\n", rules.AgentArtifactAgentDir, ".codex/"},
		{"package/.gemini/settings.json", "{}", rules.AgentArtifactAgentDir, ".gemini/"},
		{"package/.windsurf/rules/a.md", "x\n", rules.AgentArtifactAgentDir, ".windsurf/"},
		{"package/.continue/config.yaml", "x\n", rules.AgentArtifactAgentDir, ".continue/"},
		// Ordinary package files.
		{"package/README.md", "# demo\n", "", ""},
		{"package/index.js", "module.exports = 1\n", "", ""},
		{"package/.claude", "not a directory\n", "", ""},
		{"package/docs/claude.md.txt", "x\n", "", ""},
	}
	for _, c := range cases {
		data := []byte(c.content)
		for _, ra := range []bool{true, false} {
			var r io.ReaderAt
			if ra {
				r = bytes.NewReader(data)
			}
			m, ok := artifact.Classify(c.name, data, r, int64(len(data)))
			if c.want == "" {
				if ok {
					t.Errorf("%s (readerAt %v): %s (%s), want none", c.name, ra, m.RuleID, m.Detail)
				}
				continue
			}
			if !ok || m.RuleID != c.want || !strings.Contains(m.Detail, c.detail) {
				t.Errorf("%s (readerAt %v): %q %q, want %q with %q", c.name, ra, m.RuleID, m.Detail, c.want, c.detail)
			}
			if strings.Contains(m.Detail, npmToken) || strings.Contains(m.Detail, "abc") {
				t.Errorf("%s: detail holds a value: %q", c.name, m.Detail)
			}
		}
	}
}

// TestSeverities checks the severity of each agent-artifact rule.
func TestSeverities(t *testing.T) {
	want := map[string]rules.Severity{
		rules.AgentArtifactCredentials: rules.Critical, rules.AgentArtifactPrivateKey: rules.Critical,
		rules.AgentArtifactNpmrcToken: rules.Critical, rules.AgentArtifactEnvFile: rules.High,
		rules.AgentArtifactTranscript: rules.High, rules.AgentArtifactClaudeSettings: rules.High,
		rules.AgentArtifactMCPConfig: rules.Medium, rules.AgentArtifactAgentDir: rules.Medium,
		rules.AgentArtifactMemoryFile: rules.Info,
	}
	for id, sev := range want {
		r := rules.Default().Lookup(id)
		if r == nil || r.Severity != sev || r.Kind != rules.KindAgentArtifact || !strings.Contains(r.Remediation, ".npmignore") || !strings.Contains(r.Remediation, `"files"`) {
			t.Errorf("%s: %+v", id, r)
		}
	}
}

// TestForPackage scans files given as package members (as `mcpscan pack`
// does): each is classified once, binary ones included, and scanned by
// its own handler.
func TestForPackage(t *testing.T) {
	files := map[string]string{
		".claude/settings.local.json": `{"permissions":{"allow":["Bash(export GITHUB_TOKEN=` + ghToken + `)"]}}`,
		"signing.p12":                 "\x30\x82\x00\x00binary",
		"index.js":                    "module.exports = 1\n",
		".claude/.credentials.json":   `{"claudeAiOauth":{}}`,
	}
	var roots []scanner.Root
	for rel, content := range files {
		rel, data := rel, []byte(content)
		roots = append(roots, scanner.Root{Path: "pkg/" + rel, Open: func(context.Context) (*scanner.Input, io.Closer, error) {
			return &scanner.Input{ClassPath: "/" + rel, Size: int64(len(data)), Reader: bytes.NewReader(data), ReaderAt: bytes.NewReader(data)}, nil, nil
		}})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := scanner.New(rules.Default(), artifact.ForPackage(sources.Default()), scanner.Options{}).Collect(ctx, roots)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range res.Findings {
		got[f.Path()+" "+f.RuleID]++
	}
	for _, want := range []string{
		"pkg/.claude/settings.local.json " + rules.AgentArtifactClaudeSettings,
		"pkg/.claude/settings.local.json github-pat",
		"pkg/signing.p12 " + rules.AgentArtifactPrivateKey,
		"pkg/signing.p12 pkcs12-file", // gitleaks' path rule: the file is a key store whatever it holds
		"pkg/.claude/.credentials.json " + rules.AgentArtifactCredentials,
	} {
		if got[want] != 1 {
			t.Errorf("want one %q; got %v", want, got)
		}
	}
	if len(res.Findings) != 5 || len(res.Errors) != 0 {
		t.Errorf("findings %v, errors %v", got, res.Errors)
	}
}
