package rules

// Agent-artifact rules have no pattern either: they are raised for a file
// that ships inside a package (an archive member, or a file `npm publish`
// would ship, see `mcpscan pack`) because of what the file is, whether or
// not a secret is found in it. Shipping it is the mistake: Claude Code's
// "always allow" saves whole command lines into
// .claude/settings.local.json, and npm publishes dotfiles unless told
// otherwise. Secrets inside such a file are reported as separate findings
// by the file's own handler. In a scan of a home directory or a project on
// disk these files are expected where they are, so the rules are not
// raised there.

// IDs of agent-artifact rules, most severe first.
const (
	AgentArtifactCredentials    = "agent-artifact-credentials"
	AgentArtifactPrivateKey     = "agent-artifact-private-key"
	AgentArtifactNpmrcToken     = "agent-artifact-npmrc-token"
	AgentArtifactEnvFile        = "agent-artifact-env-file"
	AgentArtifactTranscript     = "agent-artifact-transcript"
	AgentArtifactClaudeSettings = "agent-artifact-claude-settings"
	AgentArtifactMCPConfig      = "agent-artifact-mcp-config"
	AgentArtifactAgentDir       = "agent-artifact-agent-dir"
	AgentArtifactMemoryFile     = "agent-artifact-memory-file"
)

// ExcludeFromPackage is the advice every agent-artifact rule shares: how
// to keep a file out of a package, and what to do if it already shipped.
const ExcludeFromPackage = "Keep it out of the package: list only what you ship in package.json \"files\" (e.g. \"files\": [\"dist/\"]), or add the path to .npmignore (an .npmignore replaces .gitignore for npm, so repeat your .gitignore entries there); for other formats use MANIFEST.in (Python), \"exclude\"/\"include\" in Cargo.toml, or the gemspec's files list. Check with `mcpscan pack` (or `npm pack --dry-run`) before publishing. If a published version shipped it, rotate every credential it held: unpublishing does not recall copies already downloaded or mirrored."

func artifactRules() []*Rule {
	rule := func(id, desc string, sev Severity, why, fix string) *Rule {
		return &Rule{
			// Source (no pattern): npm's package.json "files" and
			// .npmignore rules (https://docs.npmjs.com/cli/configuring-npm/package-json#files),
			// and the files Claude Code, Cursor, Codex, Gemini CLI,
			// Windsurf and Continue keep in a project.
			ID: id, Description: desc, Severity: sev, Kind: KindAgentArtifact, Origin: OriginMcpscan,
			Priority: PriorityStructural, Why: why, Remediation: fix + " " + ExcludeFromPackage,
			References: []string{"https://docs.npmjs.com/cli/configuring-npm/package-json#files"},
		}
	}
	return []*Rule{
		rule(AgentArtifactCredentials,
			"An agent's own login file (.credentials.json, .codex/auth.json, .gemini/oauth_creds.json) ships in the package.",
			Critical,
			"These files hold the agent's OAuth access and refresh tokens or API key: whoever installs the package can use the account.",
			"Sign out of the agent (or revoke the session at the provider) so the shipped tokens stop working, then sign in again."),
		rule(AgentArtifactPrivateKey,
			"A private key file (id_rsa, id_ed25519, *.pem or *.key holding a PRIVATE KEY, *.p12, *.pfx, *.ppk …) ships in the package.",
			Critical,
			"A private key grants whatever it is trusted for (SSH hosts, TLS, code signing) to everyone who downloads the package.",
			"Revoke the key (remove it from authorized_keys, the CA or the signing service) and issue a new one."),
		rule(AgentArtifactNpmrcToken,
			"An .npmrc with a literal registry credential (_authToken, _auth or _password) ships in the package.",
			Critical,
			"An npm token lets anyone publish new versions of every package its owner maintains: the classic route of supply-chain attacks.",
			"Revoke the token (npm token revoke, or the registry's settings page) and reference it as ${NPM_TOKEN} in .npmrc instead of writing it there."),
		rule(AgentArtifactEnvFile,
			"A .env file (not .env.example or .env.sample) ships in the package.",
			High,
			"npm publishes dotfiles by default; .env files hold the developer's local API keys, database URLs and passwords.",
			"Rotate every credential defined in it; ship a .env.example with placeholder values if users need a template."),
		rule(AgentArtifactTranscript,
			"An agent transcript (a Claude Code or Codex session, or the prompt history) ships in the package.",
			High,
			"Transcripts hold everything the agent saw: pasted .env contents, command output with tokens, file contents, internal paths and prompts.",
			"Rotate any credential that appears in the session, and delete the file from the project."),
		rule(AgentArtifactClaudeSettings,
			"Claude Code settings with permission rules or environment variables (.claude/settings.local.json or settings.json) ship in the package.",
			High,
			"\"Always allow\" saves whole command lines, tokens included, into permissions.allow, and env holds variables for every session; this is how credentials reached published npm packages.",
			"Rotate any credential in permissions.allow or env, and edit the rules down to prefixes such as Bash(curl:*)."),
		rule(AgentArtifactMCPConfig,
			"An MCP client config (.mcp.json) ships in the package.",
			Medium,
			"It names the MCP servers of the developer's setup, often with tokens in env or headers and internal URLs.",
			"Replace literal values with ${VAR} references if the file is meant to be shared."),
		rule(AgentArtifactAgentDir,
			"A file from a coding agent's project directory (.claude/, .cursor/, .codex/, .gemini/, .windsurf/, .continue/) ships in the package.",
			Medium,
			"Agent directories hold local settings, rules, commands and MCP configs of the developer's machine; users of the package never need them.",
			"Check the file for credentials and internal details."),
		rule(AgentArtifactMemoryFile,
			"An agent memory file (CLAUDE.md, CLAUDE.local.md, GEMINI.md) ships in the package.",
			Info,
			"Memory files are instructions for the developer's agent; they sometimes hold connection strings, hostnames or internal conventions.",
			"Ship it only if you mean to; make sure it holds no credentials or internal details."),
	}
}
