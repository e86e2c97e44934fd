// Package mcpmodel parses the MCP server configurations of the major MCP
// clients (Claude Code, Claude Desktop, Cursor, VS Code and Copilot CLI,
// Windsurf, Cline, Roo, Continue, Zed, Gemini CLI, Codex CLI, Goose, Amazon
// Q, Kiro, LM Studio, Junie, opencode) into one normalized model, with the
// exact source position of every value and key.
//
// Detect names the client and format of a file from its path; Parse turns
// the file's bytes into a Config.
//
// # Positions
//
// Positions follow the rest of mcpscan: lines are counted by '\n' (a
// "\r\n" line ends at its '\n'), columns count Unicode code points of the
// raw line from its first byte (a byte that is not valid UTF-8 counts as
// one, and so does a byte-order mark), and offsets are bytes from the start
// of the file. Each format's library gives byte offsets, and Pos is
// computed from them:
//
//   - JSON and JSONC: github.com/tailscale/hujson's syntax tree holds the
//     start and end offset of every value and member name.
//   - TOML: github.com/pelletier/go-toml/v2's unstable parser gives the
//     byte range of every key and value.
//   - YAML: go.yaml.in/yaml/v4's nodes give the line and column (in code
//     points, lines broken as libyaml breaks them) where a node's text
//     starts, at its anchor or tag if any. The span of the scalar is then
//     found in the raw text: past the anchor and tag, inside the quotes of
//     a quoted scalar, and as far as the decoded value runs for a plain or
//     block scalar. A value that cannot be located this way makes Parse
//     fail rather than guess.
//
// # Duplicates and leniency
//
// Every JSON file is read as JSONC. Duplicate keys are all kept in file
// order, in every format, although JSON clients use the last and TOML and
// YAML clients reject the file: the typed fields of a Server hold what the
// client uses, earlier duplicates go to Server.Other. Likewise TOML's rules
// beyond syntax (a table defined twice) are not enforced.
package mcpmodel

// Client identifiers, as found in Server.Client and Config.Client, with
// the files Detect gives each.
const (
	ClaudeCode    = "claude-code"    // ~/.claude.json (and its backups), .mcp.json, managed-mcp.json
	ClaudeDesktop = "claude-desktop" // claude_desktop_config.json
	Cursor        = "cursor"         // .cursor/mcp.json, Cursor/User/mcp.json
	VSCode        = "vscode"         // .vscode/mcp.json, User/mcp.json, settings.json ("mcp")
	CopilotCLI    = "copilot-cli"    // ~/.copilot/mcp-config.json
	Windsurf      = "windsurf"       // ~/.codeium/windsurf/mcp_config.json
	Cline         = "cline"          // cline_mcp_settings.json
	Roo           = "roo"            // mcp_settings.json, .roo/mcp.json
	Continue      = "continue"       // .continue/config.yaml, config.json, mcpServers/*.yaml|yml|json
	Zed           = "zed"            // zed/settings.json, .zed/settings.json
	GeminiCLI     = "gemini-cli"     // .gemini/settings.json, /etc/gemini-cli/settings.json
	CodexCLI      = "codex-cli"      // .codex/config.toml
	Goose         = "goose"          // goose/config.yaml
	AmazonQ       = "amazon-q"       // ~/.aws/amazonq/mcp.json, .amazonq/mcp.json
	Kiro          = "kiro"           // .kiro/settings/mcp.json
	LMStudio      = "lm-studio"      // ~/.lmstudio/mcp.json
	Junie         = "junie"          // .junie/mcp/mcp.json
	Opencode      = "opencode"       // opencode.json, opencode.jsonc
)

// File formats, as returned by Detect and found in Config.Format. JSONC is
// JSON with comments and trailing commas; every JSON file is read as JSONC
// (a superset), Format tells what the client itself accepts.
const (
	FormatJSON  = "json"
	FormatJSONC = "jsonc"
	FormatYAML  = "yaml"
	FormatTOML  = "toml"
)

// Scopes, as found in Server.Scope.
const (
	ScopeUser    = "user"    // the user's own, global configuration
	ScopeProject = "project" // a file inside a project or workspace, often committed
	ScopeLocal   = "local"   // Claude Code's per-project entries in ~/.claude.json
	ScopeManaged = "managed" // a system-wide file installed by an administrator
)

// Transports, as found in Server.Transport. Other declared values (Goose's
// "builtin", "platform", …) are kept lower-cased as written.
const (
	TransportStdio = "stdio"
	TransportHTTP  = "http" // streamable HTTP, or remote with no more detail
	TransportSSE   = "sse"
)

// Pos locates a value's or key's text in the original file. Line and
// EndLine are 1-based line numbers; Column and EndColumn are 1-based
// columns counted in Unicode code points of the raw line; Offset and
// EndOffset are byte offsets from the start of the file. The End fields are
// exclusive: data[Offset:EndOffset] is the located text, and (EndLine,
// EndColumn) is the position of the byte at EndOffset.
//
// For a quoted string (JSON, YAML single or double quoted, TOML basic or
// literal, single or multi-line) the span is the raw text between the
// quotes, escapes undecoded. For a bare value (number, boolean, TOML bare
// key, YAML plain scalar, over several lines if it folds) it is the
// value's text. For a YAML block scalar (| or >) it runs from the first to
// the end of the last non-blank content character, indentation and line
// breaks between included; for an empty value it is empty, just after the
// indicator, tag or quote. The zero Pos (Line 0) means "no position".
type Pos struct {
	Line, Column, EndLine, EndColumn int
	Offset, EndOffset                int64
}

// IsZero reports whether p is the zero Pos, which means "no position".
func (p Pos) IsZero() bool { return p == Pos{} }

// Value is one scalar of the configuration as the client sees it: Text is
// decoded (JSON escapes, YAML quoting and folding, TOML escapes resolved).
// Numbers, booleans and dates keep their text as written; nulls are never
// reported.
type Value struct {
	Text string
	Pos  Pos
	// Path is the full path of the value from the root of the file:
	// `mcpServers.github.env.GITHUB_TOKEN`,
	// `projects["/home/a/x"].mcpServers.db.args[3]`,
	// `mcp_servers.db.env.PGPASSWORD`, `mcpServers[0].command` (a YAML list).
	// Keys that are not ASCII identifiers ([A-Za-z_$][A-Za-z0-9_$]*) are
	// written as JSON strings in brackets; array elements as [i], 0-based.
	Path string
}

// KV is a key and its scalar value: an environment variable, a header, or
// one of Server.Other's flattened fields.
type KV struct {
	// Key is the decoded key: the variable or header name, or for
	// Server.Other and Input.Fields the path relative to the entry
	// (`type`, `oauth.clientSecret`, `env_keys[0]`).
	Key string
	// KeyPos is the position of the key's text; for a relative path, of
	// its last key (`env_keys` for `env_keys[0]`). It is zero when the key
	// has no text of its own.
	KeyPos Pos
	Value  Value
}

// Server is one MCP server entry.
type Server struct {
	// Name is the server's name: its key in the server map, or its "name"
	// field in a list (Continue). NamePos is the position of that text
	// (zero when the entry has no name).
	Name    string
	NamePos Pos
	// Client is one of the client constants (ClaudeCode, VSCode, …).
	Client string
	// Scope is ScopeUser, ScopeProject, ScopeLocal or ScopeManaged: the best
	// knowledge the file's path and place in the file give.
	Scope string
	// Project is the project path of a Claude Code local-scope entry
	// (~/.claude.json's projects["/abs/path"]); empty otherwise.
	Project string
	// Transport is TransportStdio, TransportHTTP, TransportSSE or another
	// declared type, lower-cased: as declared ("type", "transportType"),
	// normalized ("streamable-http", "streamableHttp", "remote" → http;
	// "local" → stdio), or else inferred (a command → stdio, a URL → http,
	// Gemini CLI's "url" → sse); empty when nothing tells.
	Transport string
	// Command is the program to run (opencode: the first element of its
	// command array; Zed: command.path in the older shape; Goose: cmd).
	Command *Value
	// Args are the program's arguments, in order.
	Args []Value
	// Env are the environment variables given to the program ("env",
	// Goose's "envs", opencode's "environment"), in file order; duplicate
	// keys are all kept (JSON clients use the last).
	Env []KV
	// Headers are the HTTP headers of a remote server ("headers", Codex's
	// "http_headers", Continue's requestOptions.headers).
	Headers []KV
	// URL is the endpoint of a remote server ("url", Windsurf's
	// "serverUrl", Gemini's "httpUrl", Goose's "uri").
	URL *Value
	// Other holds every other scalar of the entry, flattened, in file
	// order: type, cwd, bearer_token_env_var, env_http_headers.X,
	// env_keys[0], oauth.clientSecret, disabled…, and any value of the
	// fields above that the client does not use (an earlier duplicate, an
	// object where a string belongs). Key is the path relative to the
	// entry.
	Other []KV
}

// Input is one entry of VS Code's "inputs": a value VS Code prompts for
// and keeps in its secret storage, referenced as ${input:<id>}.
type Input struct {
	// ID is the entry's "id" value.
	ID Value
	// Password reports "password": true (VS Code masks the prompt).
	Password bool
	// Fields holds every scalar of the entry (id, type, description,
	// password, default, options[0] …), keys relative to the entry.
	Fields []KV
}

// Config is the normalized content of one MCP client configuration file.
type Config struct {
	// Client is the client Detect named; Format its format constant.
	Client, Format string
	// Servers are the MCP server entries in file order.
	Servers []Server
	// Inputs are VS Code's input variables, in file order.
	Inputs []Input
}
