package rules

// Structural rules have no pattern: a source handler raises them from the
// structure of a file it understands (a settings env map, an MCP server
// entry), where a value is a credential because of the field that holds
// it, whatever its format.

// IDs of structural rules, for handlers.
const (
	AgentSettingsEnvCredential = "agent-settings-env-credential"
)

func structuralRules() []*Rule {
	return []*Rule{
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
	for _, p := range parts {
		if credentialWords[p] {
			return true
		}
	}
	return false
}

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
