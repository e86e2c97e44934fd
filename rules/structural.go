package rules

import "strings"

// Structural rules have no pattern: a source handler raises them from the
// structure of a file it understands (a settings env map, an MCP server
// entry), where a value is a credential because of the field that holds
// it, whatever its format.

// IDs of structural rules, for handlers.
const (
	AgentSettingsEnvCredential   = "agent-settings-env-credential"
	AgentSettingsAllowCredential = "agent-settings-allow-credential"
	MCPHardcodedCredential       = "mcp-hardcoded-credential"
	MCPNetworkExposure           = "mcp-network-exposure"
	MCPPlaintextRemote           = "mcp-plaintext-remote"
	MCPKnownVulnerableServer     = "mcp-known-vulnerable-server"
	MCPUnpinnedServer            = "mcp-unpinned-server"
)

// mcpRefFix is the advice shared by MCP credential rules.
const mcpRefFix = "Rotate the credential, then replace the literal with a reference the client expands at start-up: ${VAR} (Claude Code, Cursor, Windsurf, Gemini CLI), ${env:VAR} or ${input:id} (VS Code), {env:VAR} (opencode), bearer_token_env_var / env_http_headers (Codex CLI), and keep the value in your shell environment or a secret manager."

func structuralRules() []*Rule {
	return []*Rule{
		credentialCommandSignal(),
		{
			// Source: Claude Code settings reference, "env" — environment
			// variables applied to every session
			// (https://docs.anthropic.com/en/docs/claude-code/settings).
			ID:          AgentSettingsEnvCredential,
			Description: "A literal credential in the env map of Claude Code settings (settings.json / settings.local.json).",
			Severity:    High,
			Kind:        KindHardcodedCredential,
			Origin:      OriginMcpscan,
			Priority:    PriorityGeneric,
			Why:         "Claude Code settings files are plain JSON, often committed or published with a project (.claude/settings.local.json shipped in npm packages), and every session and tool sees the variable.",
			Remediation: "Rotate the credential, delete it from the settings file, and let Claude Code inherit it from your shell environment or a secret manager instead; add .claude/settings.local.json to .gitignore and .npmignore.",
			References:  []string{"https://docs.anthropic.com/en/docs/claude-code/settings"},
		},
		{
			// Source: Claude Code permission rules, Bash(command) form
			// (https://docs.anthropic.com/en/docs/claude-code/iam); "always
			// allow" saves the whole command line.
			ID:          AgentSettingsAllowCredential,
			Description: "A Claude Code permissions.allow rule that saved a whole command line with a credential in it.",
			Severity:    High,
			Kind:        KindHardcodedCredential,
			Origin:      OriginMcpscan,
			Priority:    PriorityGeneric,
			Why:         "\"Always allow\" stores the exact command, so an inline token now sits in settings.local.json, which is routinely committed and was found in hundreds of published npm packages.",
			Remediation: "Rotate the credential, then rewrite the rule to a prefix without the value (Bash(curl:*)) and pass the token through an environment variable.",
			References:  []string{"https://docs.anthropic.com/en/docs/claude-code/iam"},
		},
		{
			// Source: MCP client config formats (env, headers, args, url
			// fields of each client's server entries).
			ID:          MCPHardcodedCredential,
			Description: "A literal credential in an MCP server entry (env value, header, --token argument or URL), where a reference belongs.",
			Severity:    High,
			Kind:        KindHardcodedCredential,
			Origin:      OriginMcpscan,
			Priority:    PriorityGeneric,
			Why:         "MCP configs are plain files that get synced, shared and committed (.mcp.json is meant to be checked in); a literal token there is readable by every tool and person with the file.",
			Remediation: mcpRefFix,
			References:  []string{"https://modelcontextprotocol.io/docs/develop/connect-local-servers", "https://code.visualstudio.com/docs/copilot/customization/mcp-servers#_input-variables-for-sensitive-data"},
		},
		{
			// Source: MCP transports spec, security warning for HTTP
			// servers: bind to localhost only.
			ID:          MCPNetworkExposure,
			Description: "An MCP server told to listen on every network interface (0.0.0.0 or ::) through its arguments, environment or URL, or a docker run -p that publishes its port on every interface of the host.",
			Severity:    High,
			Kind:        KindNetworkExposure,
			Origin:      OriginMcpscan,
			Priority:    PriorityStructural,
			Why:         bindWhy,
			Remediation: "Use 127.0.0.1 (or ::1) in --host/--bind and HOST-style variables, and publish container ports on loopback (-p 127.0.0.1:3000:8000); expose a server to the network only behind authentication and TLS.",
			References:  []string{"https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#security-warning"},
		},
		{
			// Source: MCP authorization spec (HTTPS required for remote
			// servers).
			ID:          MCPPlaintextRemote,
			Description: "A remote MCP server reached over plain http:// on a non-loopback host.",
			Severity:    Medium,
			Kind:        KindNetworkExposure,
			Origin:      OriginMcpscan,
			Priority:    PriorityStructural,
			Why:         "Without TLS, tokens in headers and every tool call and result travel readable and modifiable by anyone on the path.",
			Remediation: "Use https:// for remote servers; plain http is only acceptable on loopback (localhost, 127.0.0.1, ::1).",
			References:  []string{"https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization#communication-security"},
		},
		{
			// Source: rules/data/advisories.json (each entry lists its CVE
			// and GHSA sources).
			ID:          MCPKnownVulnerableServer,
			Description: "An MCP server pinned to a package version with a published advisory.",
			Severity:    High,
			Kind:        KindVulnerableServer,
			Origin:      OriginMcpscan,
			Priority:    PriorityProvider,
			Why:         "The client launches this exact vulnerable version every time it starts the server.",
			Remediation: "Upgrade the pinned version to one that includes the fix (see the advisory), or remove the server.",
			References:  []string{"https://github.com/advisories?query=ecosystem%3Anpm+mcp"},
		},
		{
			// Source: the documentation of each command in
			// credentialCommands (bare.go): gh auth token, aws configure
			// get, op read, security find-generic-password -w, vault read
			// -field, …; raised by a transcript handler for the command's
			// output (CredentialCommand, BareToken).
			ID:          CommandOutputCredential,
			Description: "A credential printed by a command that outputs credentials (gh auth token, aws configure get, op read, security find-generic-password -w, vault read -field …), saved in an agent transcript.",
			Severity:    High,
			Kind:        KindSecret,
			Origin:      OriginMcpscan,
			Priority:    PriorityStructural,
			Why:         "The agent ran the command and its output, the credential itself, went into the transcript, which is kept forever and sent to the model provider.",
			Remediation: fixTranscript + " Let tools read credentials themselves (gh, aws and op use them without printing), or pipe them straight into the command that needs them instead of printing them.",
		},
		{
			// Source: npm exec / npx, uvx and docker run semantics: an
			// unversioned spec resolves to the newest release at start-up.
			ID:          MCPUnpinnedServer,
			Description: "An MCP server launched without a pinned version (npx -y pkg, pkg@latest, uvx pkg, an untagged image), so whatever is newest runs.",
			Severity:    Low,
			Kind:        KindUnpinnedServer,
			Origin:      OriginMcpscan,
			Priority:    PriorityStructural,
			Why:         "A compromised or typo-squatted release runs with your credentials the next time the client starts, without any change on your side.",
			Remediation: "Pin an exact version (npx -y pkg@1.2.3, uvx pkg==1.2.3, image@sha256:…) and update it deliberately.",
		},
	}
}

// credentialWords are name parts that mark a field as credential-bearing.
var credentialWords = map[string]bool{
	"token": true, "key": true, "apikey": true, "secret": true, "password": true, "passwd": true,
	"pass": true, "pwd": true, "pat": true, "auth": true, "credential": true, "credentials": true,
	"passphrase": true, "bearer": true, "authorization": true,
}

// metadataWords end names that describe a credential rather than hold it
// (TOKEN_URL, API_KEY_FILE, AUTH_HOST).
var metadataWords = map[string]bool{
	"url": true, "uri": true, "host": true, "port": true, "path": true, "file": true, "dir": true,
	"name": true, "id": true, "user": true, "username": true, "region": true, "endpoint": true,
	"model": true, "version": true, "mode": true, "timeout": true, "type": true, "helper": true,
	"retries": true, "enabled": true, "disabled": true, "provider": true, "method": true, "scope": true,
	"scopes": true, "header": true, "env": true, "var": true, "expiry": true, "expires": true, "ttl": true,
}

// IsCredentialName reports whether an environment variable, header or
// field name says it holds a credential: one of its parts (split at '_',
// '-', '.' and lower-to-upper case changes) is TOKEN, KEY, SECRET,
// PASSWORD, PASS, PWD, PAT, AUTH, CREDENTIAL … and its last part is not a
// metadata word such as URL, FILE or ID.
func IsCredentialName(name string) bool {
	parts := splitName(name)
	if len(parts) == 0 || metadataWords[parts[len(parts)-1]] {
		return false
	}
	if len(parts) == 1 && (parts[0] == "pwd" || parts[0] == "oldpwd") {
		return false // the shell's working directory
	}
	for _, p := range parts {
		if credentialWords[p] {
			return true
		}
		// Run-together names: PGPASSWORD, GITHUBTOKEN, MYAPIKEY.
		for _, suf := range credentialSuffixes {
			if len(p) > len(suf) && strings.HasSuffix(p, suf) {
				return true
			}
		}
	}
	return false
}

// credentialSuffixes end run-together names that hold a credential.
var credentialSuffixes = []string{"password", "passwd", "secret", "token", "apikey", "accesskey", "authkey"}

// splitName splits a name into lower-case parts at separators and case
// changes: "GITHUB_PERSONAL_ACCESS_TOKEN" → github personal access token,
// "apiKey" → api key.
func splitName(name string) []string {
	var parts []string
	cur := make([]byte, 0, len(name))
	flush := func() {
		if len(cur) > 0 {
			parts = append(parts, string(cur))
			cur = cur[:0]
		}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_' || c == '-' || c == '.' || c == ' ':
			flush()
		case c >= 'A' && c <= 'Z':
			if i > 0 && name[i-1] >= 'a' && name[i-1] <= 'z' {
				flush()
			}
			cur = append(cur, c+'a'-'A')
		default:
			cur = append(cur, c)
		}
	}
	flush()
	return parts
}
