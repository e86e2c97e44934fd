package mcpmodel

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// fileKind is what a path tells about a file: its client and format, which
// document shape to read, and its scope.
type fileKind struct {
	client, format string
	shape          shape
	scope          string
}

// shape names the document layout a file has.
type shape int

const (
	shapeMCPServers     shape = iota // top-level "mcpServers" map
	shapeClaudeJSON                  // ~/.claude.json: "mcpServers" (user) and projects[p].mcpServers (local)
	shapeVSCodeMCP                   // mcp.json: "servers" and "inputs"
	shapeVSCodeSettings              // settings.json: "mcp": {"servers", "inputs"}
	shapeZed                         // "context_servers"
	shapeCodex                       // [mcp_servers.<name>]
	shapeGoose                       // extensions: <name>: {cmd, …}
	shapeOpencode                    // "mcp": {<name>: {type, command: […], environment}}
	shapeContinueYAML                // "mcpServers" list, one server, or a list of servers
	shapeContinueJSON                // .continue/config.json or a copied JSON file in .continue/mcpServers
)

// Detect tells, from a slash-separated path alone (filepath.ToSlash of the
// real one), which client's MCP configuration the file is and its format
// (FormatJSON, FormatJSONC, FormatYAML, FormatTOML), or ok=false.
func Detect(p string) (client, format string, ok bool) {
	k, ok := detect(p)
	return k.client, k.format, ok
}

// detect classifies p by its base name and the names of its parent
// directories.
func detect(p string) (fileKind, bool) {
	base := path.Base(p)
	dir := path.Dir(p)
	parent := path.Base(dir)
	grand := path.Base(path.Dir(dir))
	home := isHome(path.Dir(dir)) // the directory holding parent
	userOr := func(user bool) string {
		if user {
			return ScopeUser
		}
		return ScopeProject
	}
	switch {
	case base == ".claude.json" || strings.HasPrefix(base, ".claude.json.backup"):
		return fileKind{ClaudeCode, FormatJSON, shapeClaudeJSON, ScopeUser}, true
	case base == ".mcp.json":
		return fileKind{ClaudeCode, FormatJSON, shapeMCPServers, ScopeProject}, true
	case base == "managed-mcp.json":
		return fileKind{ClaudeCode, FormatJSON, shapeMCPServers, ScopeManaged}, true
	case base == "claude_desktop_config.json":
		return fileKind{ClaudeDesktop, FormatJSON, shapeMCPServers, ScopeUser}, true
	case base == "mcp_config.json":
		return fileKind{Windsurf, FormatJSON, shapeMCPServers, ScopeUser}, true
	case base == "cline_mcp_settings.json":
		return fileKind{Cline, FormatJSON, shapeMCPServers, ScopeUser}, true
	case base == "mcp_settings.json":
		if strings.Contains(p, "/saoudrizwan.claude-dev/") {
			return fileKind{Cline, FormatJSON, shapeMCPServers, ScopeUser}, true
		}
		return fileKind{Roo, FormatJSON, shapeMCPServers, ScopeUser}, true
	case base == "mcp-config.json":
		return fileKind{CopilotCLI, FormatJSON, shapeMCPServers, ScopeUser}, true
	case base == "opencode.json" || base == "opencode.jsonc":
		return fileKind{Opencode, FormatJSONC, shapeOpencode, userOr(parent == "opencode")}, true
	case base == "config.json" && parent == "opencode":
		return fileKind{Opencode, FormatJSONC, shapeOpencode, ScopeUser}, true
	case base == "mcp.json":
		switch {
		case parent == ".cursor":
			return fileKind{Cursor, FormatJSON, shapeMCPServers, userOr(home)}, true
		case parent == ".vscode":
			return fileKind{VSCode, FormatJSONC, shapeVSCodeMCP, ScopeProject}, true
		case parent == "User" || grand == "profiles" && path.Base(path.Dir(path.Dir(dir))) == "User":
			// Code, Code - Insiders, VSCodium, .vscode-server/data …;
			// Cursor/User/mcp.json has the same layout.
			if strings.Contains(p, "/Cursor/User/") {
				return fileKind{Cursor, FormatJSONC, shapeVSCodeMCP, ScopeUser}, true
			}
			return fileKind{VSCode, FormatJSONC, shapeVSCodeMCP, ScopeUser}, true
		case parent == ".roo":
			return fileKind{Roo, FormatJSON, shapeMCPServers, ScopeProject}, true
		case parent == "amazonq": // ~/.aws/amazonq/mcp.json
			return fileKind{AmazonQ, FormatJSON, shapeMCPServers, ScopeUser}, true
		case parent == ".amazonq": // a workspace's .amazonq/mcp.json
			return fileKind{AmazonQ, FormatJSON, shapeMCPServers, ScopeProject}, true
		case parent == "settings" && grand == ".kiro":
			return fileKind{Kiro, FormatJSON, shapeMCPServers, userOr(isHome(path.Dir(path.Dir(dir))))}, true
		case parent == ".lmstudio" || parent == "lm-studio":
			return fileKind{LMStudio, FormatJSON, shapeMCPServers, ScopeUser}, true
		case parent == "mcp" && grand == ".junie":
			return fileKind{Junie, FormatJSON, shapeMCPServers, userOr(isHome(path.Dir(path.Dir(dir))))}, true
		}
	case base == "settings.json":
		switch {
		case parent == ".vscode":
			return fileKind{VSCode, FormatJSONC, shapeVSCodeSettings, ScopeProject}, true
		case parent == "User" || grand == "profiles" && path.Base(path.Dir(path.Dir(dir))) == "User":
			return fileKind{VSCode, FormatJSONC, shapeVSCodeSettings, ScopeUser}, true
		case parent == "zed":
			return fileKind{Zed, FormatJSONC, shapeZed, ScopeUser}, true
		case parent == ".zed":
			return fileKind{Zed, FormatJSONC, shapeZed, ScopeProject}, true
		case parent == ".gemini":
			return fileKind{GeminiCLI, FormatJSONC, shapeMCPServers, userOr(home)}, true
		case parent == "gemini-cli" || parent == "GeminiCli": // /etc/gemini-cli, C:/ProgramData/gemini-cli, /Library/Application Support/GeminiCli
			return fileKind{GeminiCLI, FormatJSONC, shapeMCPServers, ScopeManaged}, true
		}
	case base == "config.toml" && parent == ".codex":
		return fileKind{CodexCLI, FormatTOML, shapeCodex, userOr(home)}, true
	case base == "config.yaml" && parent == ".continue":
		return fileKind{Continue, FormatYAML, shapeContinueYAML, userOr(home)}, true
	case base == "config.json" && parent == ".continue":
		return fileKind{Continue, FormatJSON, shapeContinueJSON, userOr(home)}, true
	case parent == "mcpServers" && grand == ".continue":
		scope := userOr(isHome(path.Dir(path.Dir(dir))))
		switch strings.ToLower(path.Ext(base)) {
		case ".yaml", ".yml":
			return fileKind{Continue, FormatYAML, shapeContinueYAML, scope}, true
		case ".json":
			return fileKind{Continue, FormatJSON, shapeContinueJSON, scope}, true
		}
	case base == "config.yaml" && (parent == "goose" || parent == "config" && grand == "goose"):
		return fileKind{Goose, FormatYAML, shapeGoose, ScopeUser}, true
	}
	return fileKind{}, false
}

// isHome reports whether slash path d looks like a user's home directory:
// /home/<u>, /Users/<u>, <drive>:/Users/<u>, /root, /var/root, or the
// current user's home directory.
func isHome(d string) bool {
	parts := strings.Split(strings.TrimSuffix(d, "/"), "/")
	switch {
	case d == "/root" || d == "/var/root":
		return true
	case len(parts) == 3 && parts[0] == "" && (parts[1] == "home" || parts[1] == "Users") && parts[2] != "":
		return true
	case len(parts) == 3 && len(parts[0]) == 2 && parts[0][1] == ':' && strings.EqualFold(parts[1], "Users") && parts[2] != "":
		return true
	}
	h := userHome()
	return h != "" && h == strings.TrimSuffix(d, "/")
}

// userHome is the current user's home directory as a slash path without a
// trailing slash, or "".
var userHome = sync.OnceValue(func() string {
	h, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(filepath.ToSlash(h), "/")
})
