package mcpmodel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture is a test file and the path it is parsed as.
type fixture struct {
	file, path     string
	client, format string
	servers        []string // summary of each server, in order
}

var fixtures = []fixture{
	{"claude-code-user.claude.json", "/home/alice/.claude.json", ClaudeCode, FormatJSON, []string{
		"github|user||stdio|npx|-y,@modelcontextprotocol/server-github|GITHUB_PERSONAL_ACCESS_TOKEN=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d|||type=stdio",
		"sentry|user||http||||Authorization=Bearer ${SENTRY_TOKEN}|https://mcp.sentry.dev/mcp|type=http",
		"postgres|local|/home/alice/code/webapp|stdio|npx|-y,@modelcontextprotocol/server-postgres,postgresql://app:fake-pass-0001@localhost:5432/webapp||||type=stdio",
		"linear|local|/home/alice/code/café \"β\"|sse|||||https://mcp.linear.app/sse|type=sse",
	}},
	{"claude-code-project.mcp.json", "/home/alice/code/webapp/.mcp.json", ClaudeCode, FormatJSON, []string{
		"api-server|project||http||||Authorization=Bearer ${API_KEY}|${API_BASE_URL:-https://api.example.com}/mcp|type=http",
		"filesystem|project||stdio|npx|-y,@modelcontextprotocol/server-filesystem,/home/alice/code/webapp|LOG_LEVEL=debug|||",
	}},
	{"claude_desktop_config.json", "/Users/alice/Library/Application Support/Claude/claude_desktop_config.json", ClaudeDesktop, FormatJSON, []string{
		"filesystem|user||stdio|npx|-y,@modelcontextprotocol/server-filesystem,/Users/alice/Desktop,/Users/alice/Downloads||||",
		"brave-search|user||stdio|npx|-y,@modelcontextprotocol/server-brave-search|BRAVE_API_KEY=BSA-fake-8iS2G8NPRVdD53X83RZJ|||",
	}},
	{"cursor-mcp.json", "/home/alice/.cursor/mcp.json", Cursor, FormatJSON, []string{
		"stripe|user||stdio|npx|-y,@stripe/mcp,--tools=all,--api-key=${env:STRIPE_SECRET_KEY}||||",
		"remote-server|user||http||||API_KEY=${env:EXAMPLE_API_KEY}|https://mcp.example.com/mcp|",
		"python-tool|user||stdio|python|-m,mcp_server|API_KEY=ghp_KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFR|||envFile=${workspaceFolder}/.env",
	}},
	{"vscode-workspace-mcp.json", "/home/alice/code/webapp/.vscode/mcp.json", VSCode, FormatJSONC, []string{
		"Perplexity|project||stdio|docker|run,-i,--rm,-e,PERPLEXITY_API_KEY,mcp/perplexity-ask|PERPLEXITY_API_KEY=${input:perplexity-key}|||type=stdio",
		"github|project||http||||Authorization=Bearer ${input:github-token}|https://api.githubcopilot.com/mcp/|type=http",
		"fetch|project||stdio|uvx|mcp-server-fetch||||envFile=${workspaceFolder}/.env",
	}},
	{"vscode-user-settings.json", "/home/alice/.config/Code/User/settings.json", VSCode, FormatJSONC, []string{
		"memory|user||stdio|npx|-y,@modelcontextprotocol/server-memory|MEMORY_FILE_PATH=${userHome}/memory.json|||",
	}},
	{"copilot-mcp-config.json", "/home/alice/.copilot/mcp-config.json", CopilotCLI, FormatJSON, []string{
		"playwright|user||stdio|npx|@playwright/mcp@latest||||type=local;tools[0]=*",
		"context7|user||http||||CONTEXT7_API_KEY=ctx7sk-fake-CkhvMdgaKjIg8xNbe3nNyjOq|https://mcp.context7.com/mcp|type=http;tools[0]=*",
	}},
	{"windsurf-mcp_config.json", "/home/alice/.codeium/windsurf/mcp_config.json", Windsurf, FormatJSON, []string{
		"github|user||stdio|npx|-y,@modelcontextprotocol/server-github|GITHUB_PERSONAL_ACCESS_TOKEN=${env:GITHUB_TOKEN}|||",
		"figma|user||http||||X-Figma-Token=figd_fake_FDEEtfjgVvVqE1SkHbn88Hxj|https://mcp.figma.example/mcp|",
	}},
	{"cline_mcp_settings.json", "/home/alice/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json", Cline, FormatJSON, []string{
		"weather|user||stdio|node|/home/alice/Documents/Cline/MCP/weather-server/build/index.js|OPENWEATHER_API_KEY=fake-owm-3fS2qHx6kwXoIIXGvOoN|||disabled=false;autoApprove[0]=get_forecast",
		"remote|user||http||||Authorization=Bearer ${REMOTE_TOKEN}|https://mcp.example.com/mcp|type=streamableHttp;disabled=true;timeout=60",
	}},
	{"roo-mcp.json", "/home/alice/code/webapp/.roo/mcp.json", Roo, FormatJSON, []string{
		"context7|project||http||||CONTEXT7_API_KEY=${env:CONTEXT7_API_KEY}|https://mcp.context7.com/mcp|type=streamable-http;alwaysAllow[0]=resolve-library-id;disabled=false",
		"local-db|project||stdio|uvx|mcp-server-sqlite,--db-path,${env:HOME}/data.db|DEBUG=1|||cwd=/home/alice/code/webapp",
	}},
	{"continue-config.yaml", "/home/alice/.continue/config.yaml", Continue, FormatYAML, []string{
		"SQLite MCP|user||stdio|npx|-y,mcp-sqlite,/home/alice/data/app.db|LOG_LEVEL=debug|||",
		"Remote Docs|user||http||||Authorization=Bearer ${{ secrets.DOCS_TOKEN }}|https://docs.example.com/mcp|type=streamable-http",
		"anthropic/github-mcp|user||||||||with.GITHUB_PERSONAL_ACCESS_TOKEN=${{ secrets.GITHUB_TOKEN }}",
	}},
	{"continue-block-playwright.yaml", "/home/alice/code/webapp/.continue/mcpServers/playwright.yaml", Continue, FormatYAML, []string{
		"Browser search|project||stdio|npx|@playwright/mcp@latest||||",
	}},
	{"continue-single-postgres.yaml", "/home/alice/code/webapp/.continue/mcpServers/postgres.yml", Continue, FormatYAML, []string{
		"Postgres|project||stdio|docker|run,-i,--rm,-e,PGPASSWORD,mcp/postgres|PGPASSWORD=it's-a-fake;PGHOST=db.internal\tprimary|||",
	}},
	{"continue-copied-github.json", "/home/alice/code/webapp/.continue/mcpServers/github.json", Continue, FormatJSON, []string{
		"github|project||stdio|npx|-y,@modelcontextprotocol/server-github|GITHUB_PERSONAL_ACCESS_TOKEN=${GITHUB_TOKEN}|||",
	}},
	{"zed-settings.json", "/home/alice/.config/zed/settings.json", Zed, FormatJSONC, []string{
		"postgres-context-server|user||stdio|npx|-y,@zeddotdev/postgres-context-server|DATABASE_URL=postgresql://zed:${PGPASS}@localhost/app|||",
		"github|user||stdio|docker|run,-i,--rm,-e,GITHUB_PERSONAL_ACCESS_TOKEN,ghcr.io/github/github-mcp-server|GITHUB_PERSONAL_ACCESS_TOKEN=ghp_IBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj7|||source=custom",
		"remote-tools|user||http||||Authorization=Bearer ${TOOLS_TOKEN}|https://tools.example.com/mcp|",
		"mcp-server-github|user||||||||source=extension;settings.github_personal_access_token=${GH_TOKEN}",
	}},
	{"gemini-settings.json", "/home/alice/.gemini/settings.json", GeminiCLI, FormatJSONC, []string{
		"pythonTools|user||stdio|python|-m,my_mcp_server,--port,8080|DATABASE_URL=$DB_CONNECTION_STRING;API_KEY=${EXTERNAL_API_KEY}|||cwd=./mcp-servers/python;timeout=15000",
		"httpServer|user||http||||Authorization=Bearer ${API_TOKEN}|https://api.example.com/mcp|timeout=5000",
		"sseServer|user||sse||||X-Api-Key=ghp_FAc9QeWJKY40uvSwMFLZDe1f8rESQedUStPK|https://sse.example.com/sse|trust=false;oauth.enabled=true;oauth.clientId=gemini-cli;oauth.clientSecret=fake-client-secret-R0CsTy4Q",
	}},
	{"codex-config.toml", "/home/alice/.codex/config.toml", CodexCLI, FormatTOML, []string{
		"github|user||stdio|npx|-y,@modelcontextprotocol/server-github|GITHUB_PERSONAL_ACCESS_TOKEN=ghp_R0CsTy4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4|||startup_timeout_sec=20",
		"db|user||stdio|C:\\tools\\pg-mcp.exe|--dsn,postgres://app@db.internal:5432/app|PGPASSWORD=fake-été-pass;PG USER=app|||cwd=/home/alice/code/webapp",
		"figma|user||http||||X-Figma-Region=us-east-1|https://mcp.figma.example/mcp|bearer_token_env_var=FIGMA_OAUTH_TOKEN;env_http_headers[\"X-Api-Key\"]=FIGMA_API_KEY",
		"linear|user||http||||Authorization=Bearer lin_api_fake_8iS2G8NPRVdD53X83RZJ|https://mcp.linear.app/mcp|enabled=false",
		"docs|user||stdio|uvx|mcp-docs,--banner=\ntwo lines||||",
	}},
	{"goose-config.yaml", "/home/alice/.config/goose/config.yaml", Goose, FormatYAML, []string{
		"developer|user||builtin||||||bundled=true;display_name=Developer;enabled=true;name=developer;timeout=300;type=builtin",
		"github|user||stdio|npx|-y,@modelcontextprotocol/server-github|GITHUB_PERSONAL_ACCESS_TOKEN=ghp_i0B3JrTAwR4y9ojfljoQoaF1LlqsajAIxNKu|||description=GitHub repositories;enabled=true;env_keys[0]=GITHUB_PERSONAL_ACCESS_TOKEN;name=github;timeout=300;type=stdio",
		"remote-search|user||http||||Authorization=Bearer ${SEARCH_TOKEN}|https://search.example.com/mcp|enabled=false;name=remote-search;type=streamable_http;timeout=300",
	}},
	{"amazonq-mcp.json", "/home/alice/.aws/amazonq/mcp.json", AmazonQ, FormatJSON, []string{
		"aws-docs|user||stdio|uvx|awslabs.aws-documentation-mcp-server@latest|FASTMCP_LOG_LEVEL=ERROR;AWS_PROFILE=dev|||timeout=120000;disabled=false",
	}},
	{"kiro-mcp.json", "/home/alice/.kiro/settings/mcp.json", Kiro, FormatJSON, []string{
		"fetch|user||stdio|uvx|mcp-server-fetch||||disabled=false;autoApprove[0]=fetch",
		"remote|user||http||||Authorization=Bearer ${KIRO_TOKEN}|https://kiro-mcp.example.com/mcp|",
	}},
	{"lmstudio-mcp.json", "/home/alice/.lmstudio/mcp.json", LMStudio, FormatJSON, []string{
		"hf-mcp-server|user||http||||Authorization=Bearer <YOUR_HF_TOKEN>|https://huggingface.co/mcp|",
	}},
	{"junie-mcp.json", "/home/alice/.junie/mcp/mcp.json", Junie, FormatJSON, []string{
		"sqlite|user||stdio|uvx|mcp-server-sqlite,--db-path,/home/alice/junie.db||||",
	}},
	{"opencode.jsonc", "/home/alice/.config/opencode/opencode.jsonc", Opencode, FormatJSONC, []string{
		"my-local-mcp-server|user||stdio|bun|x,my-mcp-command|MY_ENV_VAR=my_env_var_value;API_KEY={env:MY_API_KEY}|||type=local;enabled=true",
		"my-remote-mcp|user||http||||Authorization=Bearer {env:MY_API_KEY}|https://my-mcp-server.com|type=remote;enabled=true",
	}},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestFixtures parses a realistic configuration of every client and checks
// each server and every position in it.
func TestFixtures(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.file, func(t *testing.T) {
			data := readFixture(t, f.file)
			client, format, ok := Detect(f.path)
			if !ok || client != f.client || format != f.format {
				t.Fatalf("Detect(%q) = %q, %q, %v; want %q, %q", f.path, client, format, ok, f.client, f.format)
			}
			cfg, err := Parse(f.path, data)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Client != f.client || cfg.Format != f.format {
				t.Errorf("Config is %q, %q", cfg.Client, cfg.Format)
			}
			checkConfig(t, f.format, data, cfg)
			var got []string
			for _, s := range cfg.Servers {
				if s.Client != f.client {
					t.Errorf("server %q: client %q", s.Name, s.Client)
				}
				got = append(got, summary(s))
			}
			if strings.Join(got, "\n") != strings.Join(f.servers, "\n") {
				t.Errorf("servers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(f.servers, "\n"))
			}
		})
	}
}
