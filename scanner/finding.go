package scanner

import (
	"sort"
	"time"

	"github.com/mcpscan/mcpscan/rules"
)

// Source names the kind of file a finding came from. The values are part
// of the JSON contract.
type Source string

// Source kinds.
const (
	SourceClaudeTranscript Source = "claude-transcript" // ~/.claude/projects/<cwd>/<session>.jsonl and sub-agents
	SourceAgentHistory     Source = "agent-history"     // ~/.claude/history.jsonl: every prompt typed
	SourceAgentSettings    Source = "agent-settings"    // ~/.claude/settings*.json, .claude/settings*.json
	SourceMCPConfig        Source = "mcp-config"        // ~/.claude.json, .mcp.json and other MCP client configs
	SourceMemory           Source = "memory"            // CLAUDE.md, AGENTS.md, plans/*.md
	SourceFileHistory      Source = "file-history"      // ~/.claude/file-history/<session>/<hash>@vN
	SourceJSONL            Source = "jsonl"             // other JSON Lines files
	SourceFile             Source = "file"              // any other text file
)

// Context locates a finding inside a structured record. Empty fields are
// omitted from reports.
type Context struct {
	Project    string `json:"project,omitempty"`     // the project directory the session ran in
	SessionID  string `json:"session_id,omitempty"`  // Claude Code session id
	Timestamp  string `json:"timestamp,omitempty"`   // record time, RFC 3339
	RecordType string `json:"record_type,omitempty"` // "user", "assistant", "progress" …
	Tool       string `json:"tool,omitempty"`        // tool name: "Bash", "Read", "mcp__github__create_issue" …
	Field      string `json:"field,omitempty"`       // where the secret sat: "toolUseResult.stdout", "env.API_KEY"
	// OtherFields lists further fields of the same record that held the
	// same secret (a tool output is stored twice in a transcript record).
	OtherFields []string `json:"other_fields,omitempty"`
	AgentID     string   `json:"agent_id,omitempty"` // sub-agent id, for sub-agent transcripts
	// Server and Client name the MCP server entry and the MCP client whose
	// config held the finding ("github", "Cursor").
	Server string `json:"server,omitempty"`
	Client string `json:"client,omitempty"`
}

// IsZero reports whether no field is set.
func (c *Context) IsZero() bool {
	return c == nil || (c.Project == "" && c.SessionID == "" && c.Timestamp == "" && c.RecordType == "" &&
		c.Tool == "" && c.Field == "" && len(c.OtherFields) == 0 && c.AgentID == "" && c.Server == "" && c.Client == "")
}

// Finding is one secret (or other problem) found in one place. Secret holds
// the full value in memory only; reporters print Redacted unless the user
// asked for full values.
type Finding struct {
	RuleID      string
	Description string
	Severity    rules.Severity
	Kind        rules.Kind
	Source      Source

	// Path is the scanned argument joined with the file's path below it;
	// archive members use "archive.tgz!member/path".
	Path string
	// Line and EndLine are 1-based. Column and EndColumn are 1-based and
	// count Unicode code points of the raw line; EndColumn is exclusive.
	Line, Column, EndLine, EndColumn int
	// Offset is the byte offset of the secret's first raw byte in the file.
	Offset int64

	Secret      string // full value; never printed unless explicitly asked for
	Redacted    string // what reports print
	Fingerprint string // stable across runs and machines for (rule, file, secret)

	// Remediation says how to fix this finding: the rule's advice plus
	// advice for where it sat (SourceAdvice).
	Remediation string

	// Carried marks a finding carried over from an earlier scan by the
	// state file (--state) rather than found in bytes read by this scan.
	// Its Secret is empty; Redacted and Fingerprint are kept.
	Carried bool

	Context *Context
	Rule    *rules.Rule // for remediation text; nil only in tests
}

// GenericRemediation is the advice for rules that carry none.
const GenericRemediation = "Rotate the credential (revoke it at the provider and issue a new one), remove it from the file, and keep the new one out of files: reference it instead (${VAR}, a secret manager, the OS keychain)."

// SourceAdvice returns what to do about the file a secret sat in, beyond
// rotating the secret, or "" when the rule's advice is enough.
func SourceAdvice(src Source) string {
	switch src {
	case SourceClaudeTranscript:
		return "Claude Code keeps transcripts forever: after rotating, delete the session file (or scrub the line) so the secret stops travelling with backups, syncs and published folders."
	case SourceAgentHistory:
		return "~/.claude/history.jsonl keeps every prompt typed: after rotating, delete the line holding the secret (or the file)."
	case SourceFileHistory:
		return "This is Claude Code's backup of a file before an edit (~/.claude/file-history): after rotating, delete the backup."
	case SourceAgentSettings:
		return "\"Always allow\" saves whole command lines, tokens included: after rotating, edit the permissions.allow rule down to a prefix such as Bash(curl:*), and keep .claude/settings.local.json out of git and npm packages."
	case SourceMCPConfig:
		return "In MCP configs, replace the literal with a reference the client expands (${VAR}, ${env:VAR} or ${input:id}, depending on the client)."
	case SourceMemory:
		return "Memory files (CLAUDE.md, AGENTS.md) are read into every session and often committed: keep only the name of the variable there, never its value."
	}
	return ""
}

// FileError is a problem with one input that did not stop the scan.
type FileError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
	// Line is the 1-based line the problem is on, when it has one.
	Line int `json:"line,omitempty"`
}

// Stats counts what a scan did.
type Stats struct {
	FilesScanned int64 `json:"files_scanned"`
	BytesScanned int64 `json:"bytes_scanned"`
	FilesSkipped int64 `json:"files_skipped"`
	// SkippedBy breaks FilesSkipped down by reason ("binary", "symlink",
	// "special", "excluded", "too-large").
	SkippedBy  map[string]int64 `json:"skipped_by,omitempty"`
	DurationMS int64            `json:"duration_ms"`
	// Suppressed counts findings taken out because the user vouched for
	// them, by mechanism ("inline-allow", "ignore-file", "gitleaksignore",
	// "config-allowlist", "baseline"); SuppressedTotal is their sum.
	Suppressed      map[string]int64 `json:"suppressed,omitempty"`
	SuppressedTotal int64            `json:"suppressed_total"`
}

// Result is a finished scan, sorted for deterministic output.
type Result struct {
	Roots    []string
	Findings []Finding
	Errors   []FileError
	Stats    Stats
	Started  time.Time
}

// Sort orders findings by path, line, column and rule ID, and errors by
// path and line, so that reports are stable across runs.
func (r *Result) Sort() {
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := &r.Findings[i], &r.Findings[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.RuleID < b.RuleID
	})
	sort.SliceStable(r.Errors, func(i, j int) bool {
		a, b := &r.Errors[i], &r.Errors[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Line < b.Line
	})
}

// MaxSeverity returns the highest severity among the findings, and false
// when there are none.
func (r *Result) MaxSeverity() (rules.Severity, bool) {
	if len(r.Findings) == 0 {
		return rules.Info, false
	}
	max := rules.Info
	for i := range r.Findings {
		if r.Findings[i].Severity > max {
			max = r.Findings[i].Severity
		}
	}
	return max, true
}

// YieldToProvider settles a structural credential finding planned at raw
// bytes [start, end) against the pattern findings of the same file: when a
// provider-specific rule (rules.PriorityProvider) already reports a secret
// there, it returns provider true and the structural finding should be
// dropped; otherwise it removes the generic and structural pattern findings
// overlapping the span (the structural rule, which knows the field, says
// more) and returns the rest.
func YieldToProvider(found []Finding, start, end int64) (rest []Finding, provider bool) {
	overlapping := func(f *Finding) bool {
		return f.Offset < end && f.Offset+int64(len(f.Secret)) > start
	}
	for i := range found {
		if overlapping(&found[i]) && found[i].Rule != nil && found[i].Rule.Priority >= rules.PriorityProvider {
			return found, true
		}
	}
	rest = found[:0:0]
	for i := range found {
		if !overlapping(&found[i]) {
			rest = append(rest, found[i])
		}
	}
	return rest, false
}
