// Package mcpconfig scans MCP client configuration files (Claude Code's
// ~/.claude.json and .mcp.json, Claude Desktop, Cursor, VS Code, Windsurf,
// Gemini CLI, Codex CLI, Continue …). JSON configs are scanned as JSON
// documents, so each finding names its server and field; TOML and YAML
// configs are scanned line by line.
package mcpconfig

import (
	"context"
	"path"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/match"
	"github.com/mcpscan/mcpscan/scanner/sources/jsondoc"
)

// Handler scans MCP client configs.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Source returns scanner.SourceMCPConfig.
func (Handler) Source() scanner.Source { return scanner.SourceMCPConfig }

// configNames are base names that are MCP client configs wherever they are.
var configNames = map[string]bool{
	".claude.json": true, ".mcp.json": true, "managed-mcp.json": true,
	"claude_desktop_config.json": true, "mcp_config.json": true, "cline_mcp_settings.json": true,
	"mcp_settings.json": true, "mcp-config.json": true, "opencode.json": true, "opencode.jsonc": true,
}

// configInDir are (parent directory, base name) pairs of client configs
// whose base name alone is too common.
var configInDir = map[string]string{
	".cursor/mcp.json": "", ".vscode/mcp.json": "", "amazonq/mcp.json": "", "settings/mcp.json": "",
	".lmstudio/mcp.json": "", "mcp/mcp.json": "", "User/mcp.json": "", ".roo/mcp.json": "",
	".gemini/settings.json": "", "zed/settings.json": "", ".zed/settings.json": "",
	".codex/config.toml": "", ".continue/config.yaml": "", ".continue/config.json": "",
	"goose/config.yaml": "", "opencode/opencode.json": "",
}

// Accepts takes the known MCP client config paths.
func (Handler) Accepts(p string) bool {
	base := path.Base(p)
	if configNames[base] {
		return true
	}
	if _, ok := configInDir[path.Base(path.Dir(p))+"/"+base]; ok {
		return true
	}
	return strings.Contains(p, "/.continue/mcpServers/")
}

// Scan scans JSON configs as documents and the others as text.
func (Handler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	lower := strings.ToLower(in.ClassPath)
	if strings.HasSuffix(lower, ".json") || strings.HasSuffix(lower, ".jsonc") {
		return jsondoc.ScanDocument(ctx, in, env, scanner.SourceMCPConfig, describe)
	}
	_, err := env.Matcher.Scan(in.Reader, scanner.MatchOptions(in, match.Text), func(h *match.Hit) error {
		env.Report(scanner.FindingFromHit(in, scanner.SourceMCPConfig, h))
		return nil
	})
	return err
}

// describe sets the project of ~/.claude.json's local-scope entries
// (projects["/abs/path"]…) and names the MCP server as the tool.
func describe(f *scanner.Finding, t *jsonloc.Target) {
	for i, fr := range t.Frames {
		if i+1 >= len(t.Frames) {
			break
		}
		next := t.Frames[i+1].Key
		switch {
		case i == 1 && fr.Key == "projects" && next != "":
			f.Context.Project = next
		case serverMaps[fr.Key] && next != "":
			f.Context.Tool = "mcp server " + next
		}
	}
}

// serverMaps are the keys under which clients keep their MCP servers.
var serverMaps = map[string]bool{
	"mcpServers": true, "servers": true, "context_servers": true, "mcp_servers": true, "mcp": true, "extensions": true,
}
