package mcpconfig_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/secret"
	"github.com/mcpscan/mcpscan/scanner/sources"
)

// Randomly generated, format-valid test values; never live.
const (
	ghToken = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"
	pgPass  = "wK8#pL2vQ9xR"
	apiTok  = "Kp9Lm2Xq7Rt4Vw8Nb3Jh6Gf1Dz5Sa0Qe"
)

// scan writes files under a temp dir and scans it with every handler.
func scan(t *testing.T, files map[string]string) (*scanner.Result, string) {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := scanner.New(rules.Default(), sources.Default(), scanner.Options{}).Collect(context.Background(), []scanner.Root{{Path: dir}})
	if err != nil {
		t.Fatal(err)
	}
	return res, dir
}

// got lists findings as "rule@line:col=evidence", sorted, and checks that
// every finding's offset points at its evidence in the file.
func got(t *testing.T, res *scanner.Result, dir string) []string {
	t.Helper()
	var out []string
	for _, f := range res.Findings {
		raw, err := os.ReadFile(f.Path())
		if err != nil {
			t.Fatal(err)
		}
		sec := f.Secret.Reveal(secret.Unlock("test"))
		if int(f.Offset)+len(sec) > len(raw) || string(raw[f.Offset:int(f.Offset)+len(sec)]) != sec {
			t.Errorf("%s: offset %d does not point at %q", f.RuleID, f.Offset, sec)
		}
		line := strings.Split(string(raw), "\n")[f.Line-1]
		col := 0
		for i := range line {
			col++
			if strings.HasPrefix(line[i:], sec) {
				break
			}
		}
		if col != f.Column {
			t.Errorf("%s: column %d, the secret starts at column %d of line %d", f.RuleID, f.Column, col, f.Line)
		}
		out = append(out, f.RuleID+"@"+itoa(f.Line)+"="+sec)
	}
	sort.Strings(out)
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func expect(t *testing.T, name string, res *scanner.Result, dir string, want ...string) {
	t.Helper()
	g := got(t, res, dir)
	sort.Strings(want)
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot  %q\nwant %q", name, g, want)
	}
}

func TestClaudeCodeMCPJSON(t *testing.T) {
	res, dir := scan(t, map[string]string{".mcp.json": `{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "` + ghToken + `"}
    },
    "postgres": {
      "command": "uvx",
      "args": ["postgres-mcp==0.3.0", "--access-mode", "restricted"],
      "env": {"PGPASSWORD": "` + pgPass + `", "PGUSER": "app", "PGHOST": "db.internal"}
    },
    "refs": {
      "command": "node",
      "args": ["server.js", "--token", "${API_TOKEN}", "--api-key=$KEY"],
      "env": {"A_TOKEN": "${A_TOKEN}", "B_TOKEN": "${B_TOKEN:-dev}", "C_SECRET": "{env:C}", "D_KEY": "${input:d-key}", "E_PASSWORD": "", "F_TOKEN": "<YOUR_TOKEN>"}
    },
    "remote": {
      "type": "http",
      "url": "https://mcp.example.net/mcp",
      "headers": {"Authorization": "Bearer ${REMOTE_TOKEN}", "X-Api-Key": "` + apiTok + `"}
    }
  }
}`})
	expect(t, ".mcp.json", res, dir,
		"github-pat@6="+ghToken,
		"mcp-hardcoded-credential@11="+pgPass,
		"mcp-hardcoded-credential@21="+apiTok,
	)
	for _, f := range res.Findings {
		if f.Context.Get("server") == "" || f.Context.Get("client") != "Claude Code" || !strings.HasPrefix(f.Field, "mcpServers.") {
			t.Errorf("%s: context %+v", f.RuleID, f.Context)
		}
	}
}

func TestExposureVulnerableUnpinned(t *testing.T) {
	res, dir := scan(t, map[string]string{".cursor/mcp.json": `{
  "mcpServers": {
    "bound": {"command": "python", "args": ["-m", "server", "--host", "0.0.0.0", "--port", "8000"]},
    "bound-env": {"command": "python", "args": ["server.py"], "env": {"FASTMCP_HOST": "0.0.0.0"}},
    "local": {"command": "python", "args": ["-m", "server", "--host", "127.0.0.1"]},
    "old-remote": {"command": "npx", "args": ["-y", "mcp-remote@0.1.10", "https://mcp.example.net/sse"]},
    "new-remote": {"command": "npx", "args": ["-y", "mcp-remote@0.1.16", "https://mcp.example.net/sse"]},
    "latest": {"command": "npx", "args": ["-y", "@upstash/context7-mcp@latest"]},
    "bare": {"command": "npx", "args": ["-y", "@upstash/context7-mcp"]},
    "image": {"command": "docker", "args": ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server"]},
    "plain": {"url": "http://mcp.internal.example:8080/mcp"},
    "loop": {"url": "http://localhost:3000/mcp"},
    "wild": {"url": "http://0.0.0.0:9000/sse"}
  }
}`})
	expect(t, "cursor", res, dir,
		"mcp-network-exposure@3=0.0.0.0",
		"mcp-network-exposure@4=0.0.0.0",
		"mcp-known-vulnerable-server@6=mcp-remote@0.1.10",
		"mcp-unpinned-server@8=@upstash/context7-mcp@latest",
		"mcp-unpinned-server@9=@upstash/context7-mcp",
		"mcp-unpinned-server@10=ghcr.io/github/github-mcp-server",
		"mcp-plaintext-remote@11=http://mcp.internal.example:8080/mcp",
		"mcp-network-exposure@13=0.0.0.0",
	)
	for _, f := range res.Findings {
		if f.RuleID == rules.MCPKnownVulnerableServer && (f.Severity != rules.Critical || !strings.Contains(f.Description, "CVE-2025-6514")) {
			t.Errorf("advisory finding: %s %q", f.Severity, f.Description)
		}
	}
}

func TestOtherFormats(t *testing.T) {
	res, dir := scan(t, map[string]string{
		".vscode/mcp.json": `{
  // VS Code: JSONC with comments and trailing commas
  "inputs": [{"type": "promptString", "id": "gh-token", "description": "GitHub token", "password": true},],
  "servers": {
    "github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"], "env": {"GITHUB_TOKEN": "${input:gh-token}"}},
    "db": {"command": "mcp-db", "env": {"DB_PASSWORD": "` + pgPass + `"},}, // a literal
  },
}`,
		".codex/config.toml": `[mcp_servers.linear]
command = "npx"
args = ["-y", "mcp-remote@0.1.18", "https://mcp.linear.app/sse", "--header", "Authorization: Bearer ` + apiTok + `"]

[mcp_servers.db]
command = "mcp-db"
env = { DB_PASSWORD = "` + pgPass + `" }
`,
		".continue/config.yaml": `name: assistant
mcpServers:
  - name: db
    command: mcp-db
    env:
      DB_PASSWORD: "` + pgPass + `"
  - name: ok
    command: mcp-db
    env:
      DB_PASSWORD: ${{ secrets.DB_PASSWORD }}
`,
	})
	expect(t, "jsonc/toml/yaml", res, dir,
		"mcp-hardcoded-credential@3="+apiTok,
		"mcp-hardcoded-credential@6="+pgPass,
		"mcp-hardcoded-credential@6="+pgPass,
		"mcp-hardcoded-credential@7="+pgPass,
	)
	clients := map[string]bool{}
	for _, f := range res.Findings {
		clients[f.Context.Get("client")] = true
	}
	for _, c := range []string{"VS Code", "Codex CLI", "Continue"} {
		if !clients[c] {
			t.Errorf("no finding names client %s: %v", c, clients)
		}
	}
}

func TestBrokenConfig(t *testing.T) {
	res, _ := scan(t, map[string]string{".mcp.json": `{"mcpServers": {"gh": {"env": {"GITHUB_TOKEN": "` + ghToken + `"}}`})
	if len(res.Findings) != 1 || res.Findings[0].RuleID != "github-pat" {
		t.Errorf("pattern scan of a broken config: %+v", res.Findings)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error, "not a valid") {
		t.Errorf("errors %+v", res.Errors)
	}
}

func TestSettingsEnvAndAllow(t *testing.T) {
	res, dir := scan(t, map[string]string{".claude/settings.local.json": `{
  "env": {"PGPASSWORD": "` + pgPass + `", "GITHUB_TOKEN": "${GITHUB_TOKEN}", "PWD": "/home/a", "ANTHROPIC_MODEL": "claude-opus-4"},
  "permissions": {
    "allow": [
      "Bash(npm test:*)",
      "Bash(curl -s -H \"X-Api-Key: ` + apiTok + `\" https://api.example.net/v1/items)",
      "Bash(vercel deploy --prod --token ` + apiTok + `:*)",
      "Bash(gh auth status --token ` + ghToken + `)"
    ]
  }
}`})
	expect(t, "settings", res, dir,
		"agent-settings-env-credential@2="+pgPass,
		"curl-auth-header@6="+apiTok, // gitleaks' rule for curl headers keeps the finding
		"agent-settings-allow-credential@7="+apiTok,
		"github-pat@8="+ghToken,
	)
}

func TestDockerPublishExposure(t *testing.T) {
	res, dir := scan(t, map[string]string{".mcp.json": `{
  "mcpServers": {
    "all": {"command": "docker", "args": ["run", "-i", "--rm", "-p", "3000:8000", "example/mcp-server:1.2.0"]},
    "loop": {"command": "docker", "args": ["run", "-i", "--rm", "-p", "127.0.0.1:3001:8000", "example/mcp-server:1.2.0"]},
    "joined": {"command": "podman", "args": ["run", "--publish=0.0.0.0:3002:8000", "-p3003:8000/tcp", "example/mcp-server:1.2.0"]},
    "every": {"command": "docker", "args": ["run", "-P", "example/mcp-server:1.2.0"]},
    "v6loop": {"command": "docker", "args": ["run", "-p", "[::1]:3004:8000", "example/mcp-server:1.2.0"]},
    "after-image": {"command": "docker", "args": ["run", "-e", "P=1", "example/mcp-server:1.2.0", "-p", "3005:8000"]}
  }
}`})
	var got []string
	for _, f := range res.Findings {
		if f.RuleID == rules.MCPNetworkExposure {
			got = append(got, f.Secret.String())
			if !strings.Contains(f.Description, "127.0.0.1:HOST_PORT") {
				t.Errorf("%s: description %q does not give the fix", f.Secret, f.Description)
			}
		}
	}
	want := []string{"3000:8000", "0.0.0.0:3002:8000", "3003:8000/tcp", "-P"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("docker publish findings in %s: %q, want %q", dir, got, want)
	}
}

// TestPackageSpecs checks how launched packages are read: PyPI
// requirements (PEP 508, uv's pkg@version, PEP 440 versions such as
// release candidates) and npm specs, for advisories and pinning.
func TestPackageSpecs(t *testing.T) {
	res, dir := scan(t, map[string]string{".mcp.json": `{
  "mcpServers": {
    "git-old": {"command": "uvx", "args": ["mcp-server-git==2025.7.1", "--repository", "."]},
    "git-rc": {"command": "uvx", "args": ["mcp_server_git@2026.1.14rc1"]},
    "git-new": {"command": "uvx", "args": ["mcp-server-git==2026.1.14"]},
    "git-range": {"command": "uvx", "args": ["mcp-server-git>=1.0"]},
    "git-from": {"command": "uvx", "args": ["--from", "mcp-server-git[extra]==2025.7.1; python_version>'3.9'", "mcp-server-git"]},
    "fetch-bare": {"command": "pipx", "args": ["run", "mcp-server-fetch"]},
    "npm-short": {"command": "npx", "args": ["-y", "mcp-remote@0.1"]},
    "npm-pre": {"command": "npx", "args": ["-y", "mcp-remote@0.1.16-rc.1"]}
  }
}`})
	expect(t, "specs", res, dir,
		"mcp-known-vulnerable-server@3=mcp-server-git==2025.7.1",
		"mcp-known-vulnerable-server@4=mcp_server_git@2026.1.14rc1",
		"mcp-unpinned-server@6=mcp-server-git>=1.0",
		"mcp-known-vulnerable-server@7=mcp-server-git[extra]==2025.7.1; python_version>'3.9'",
		"mcp-unpinned-server@8=mcp-server-fetch",
		"mcp-unpinned-server@9=mcp-remote@0.1",
		"mcp-known-vulnerable-server@10=mcp-remote@0.1.16-rc.1",
	)
}
