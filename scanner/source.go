package scanner

import "strings"

// Source says what the findings of one kind of file mean: a Claude Code
// transcript, an MCP client config, a Codex rollout. Each source handler
// declares the sources it reports (Handler.Sources) and the registry
// (package scanner/sources) lists the handlers, so a new agent, store or
// client is one handler file plus one registration line: reporters,
// config and the JSON schema render sources generically from these
// fields and name none of them.
type Source struct {
	// Name is the source kind in reports ("claude-transcript"): stable,
	// kebab-case, part of the JSON contract.
	Name string
	// Agent names the agent or client that wrote the file ("Claude
	// Code"), "" when none in particular.
	Agent string
	// Store says what kind of store the file is, for summaries and
	// filters.
	Store Store
	// Label says in words what the file is, to complete "a secret in …"
	// ("a Claude Code transcript").
	Label string
	// Advice says what to do about the file, beyond rotating the secret
	// ("delete the session file, or run mcpscan redact"), "" when the
	// rule's advice is enough.
	Advice string
	// Fields lists the context keys the source fills, in display order.
	Fields []Field
	// AgentWritten marks files an agent wrote (transcripts, histories,
	// file-history backups): a user cannot vouch for a line there, so
	// inline allows (mcpscan:allow) are not honoured.
	AgentWritten bool
}

// Store is the kind of store a source is.
type Store string

// Stores.
const (
	StoreTranscript  Store = "transcript"   // agent session transcripts
	StoreHistory     Store = "history"      // prompt histories
	StoreFileHistory Store = "file-history" // an agent's backups of edited files
	StoreConfig      Store = "config"       // MCP client configs and agent settings
	StoreMemory      Store = "memory"       // instruction and memory files, plans, skills
	StorePackage     Store = "package"      // files inside packages and archives
	StoreDatabase    Store = "database"     // agent state databases (SQLite)
	StoreOther       Store = "other"        // any other file
)

// Field is a context key a source fills.
type Field struct {
	// Key is the JSON key under "context" ("session_id").
	Key string
	// Label is how the terminal report names it ("session").
	Label string
	// Doc says what the value is, for the JSON schema.
	Doc string
	// Quiet keeps the value off the terminal's one-line context (it is in
	// JSON, SARIF and HTML): detail that would crowd the line.
	Quiet bool
}

// Context keys shared by many sources. A source may define its own; these
// keep the JSON report uniform across agents.
var (
	FieldClient     = Field{Key: "client", Doc: "the agent or MCP client that wrote the file (\"Claude Code\", \"Cursor\")"}
	FieldProject    = Field{Key: "project", Label: "project", Doc: "the project or workspace directory the session ran in"}
	FieldSession    = Field{Key: "session_id", Label: "session", Doc: "the session id"}
	FieldAgentID    = Field{Key: "agent_id", Label: "agent", Doc: "the sub-agent id, for sub-agent transcripts"}
	FieldTimestamp  = Field{Key: "timestamp", Doc: "the record's time, RFC 3339"}
	FieldRecordType = Field{Key: "record_type", Label: "record", Doc: "the record type or role (\"user\", \"assistant\", \"tool\" …)", Quiet: true}
	FieldTool       = Field{Key: "tool", Doc: "the tool whose input or output held the secret (\"Bash\", \"shell\")"}
	FieldServer     = Field{Key: "server", Label: "mcp server", Doc: "the MCP server entry that held the finding"}
)

// Attr is one context value of a finding.
type Attr struct {
	Key   string
	Value string
}

// Context is the ordered context of a finding: session, time, tool,
// server …, as the finding's source declares them. Reporters render it
// generically: the keys in JSON, the source's field labels in the
// terminal. Values are sanitized by the scanner before a finding leaves
// it (see Env.Report): they never hold a raw secret.
type Context []Attr

// Get returns the value of key, or "".
func (c Context) Get(key string) string {
	for _, a := range c {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// With returns c with key set to value: replaced in place when present,
// appended otherwise; an empty value removes the key.
func (c Context) With(key, value string) Context {
	for i, a := range c {
		if a.Key == key {
			if value == "" {
				return append(c[:i:i], c[i+1:]...)
			}
			c[i].Value = value
			return c
		}
	}
	if value == "" {
		return c
	}
	return append(c, Attr{key, value})
}

// Generic sources: files no agent-specific handler claims.
var (
	// SourceFile is any other text or JSON file.
	SourceFile = &Source{Name: "file", Store: StoreOther, Label: "a file", Fields: []Field{FieldClient, FieldServer}}
	// SourceJSONL is any other JSON Lines file.
	SourceJSONL = &Source{Name: "jsonl", Store: StoreOther, Label: "a JSON Lines file"}
)

// label returns the display label of key for src: the field's label, or
// the key with "_" as " " when src does not declare it.
func (src *Source) label(key string) string {
	if src != nil {
		for _, f := range src.Fields {
			if f.Key == key {
				return f.Label
			}
		}
	}
	return strings.ReplaceAll(key, "_", " ")
}

// FieldLabel returns how the terminal names context key for this source
// ("" for keys shown without a label, such as the timestamp).
func (src *Source) FieldLabel(key string) string { return src.label(key) }

// FieldQuiet reports whether the source keeps key off the terminal's
// context line (Field.Quiet).
func (src *Source) FieldQuiet(key string) bool {
	if src != nil {
		for _, f := range src.Fields {
			if f.Key == key {
				return f.Quiet
			}
		}
	}
	return false
}

// Compact returns c without its empty values.
func (c Context) Compact() Context {
	out := c[:0]
	for _, a := range c {
		if a.Value != "" {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// agentDirs are the directories coding agents keep sessions, logs, plans,
// settings and rules in, in a home directory or a project. Files below
// them are agent-written (see Source.AgentWritten) or agent
// configuration; none of them should ship in a package.
var agentDirs = map[string]bool{
	".claude": true, ".codex": true, ".gemini": true, ".copilot": true, ".cursor": true, ".continue": true,
	".codeium": true, ".windsurf": true, ".aider": true, ".goose": true, ".opencode": true, ".kiro": true,
	".junie": true, ".amazonq": true, ".lmstudio": true, ".roo": true, ".cline": true, ".kilocode": true,
	".zed": true, ".amp": true,
}

// IsAgentDir reports whether a directory name is one coding agents keep
// their files in (".claude", ".cursor", ".codex" …).
func IsAgentDir(name string) bool { return agentDirs[name] }

// InAgentDir reports whether l's file, or any step inside it (an archive
// member's path), runs through an agent directory.
func (l Location) InAgentDir() bool {
	names := []string{l.RawFile()}
	for _, s := range l.Steps {
		names = append(names, s.Name)
	}
	for _, n := range names {
		for _, seg := range strings.FieldsFunc(n, func(r rune) bool { return r == '/' || r == '\\' }) {
			if agentDirs[seg] {
				return true
			}
		}
	}
	return false
}
