// Package artifact raises the agent-artifact rules (rules/artifacts.go)
// for files that ship inside a package: members of archives (package
// scanner/sources/archive calls Check for each member) and the files
// `npm publish` would ship from a directory (`mcpscan pack`, through
// ForPackage). A file is reported for what it is (Claude Code settings
// with permission rules, a .env file, an .npmrc with a token, a private
// key, an agent transcript …), whether or not a secret is found in it;
// secrets inside it are reported separately by the file's own handler.
//
// Files on disk in an ordinary scan are never classified here: in a home
// directory or a project these files are expected where they are.
package artifact

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/mcpscan/mcpscan/internal/lazyre"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/mcpconfig"
	"github.com/mcpscan/mcpscan/scanner/sources/settings"
	"github.com/mcpscan/mcpscan/scanner/sources/textfile"
	"github.com/mcpscan/mcpscan/scanner/sources/transcript"
)

// maxParse bounds how much of a member is read to classify it (settings
// JSON, .env and .npmrc files are kilobytes); beyond it, Input.Head is
// used.
const maxParse = 1 << 20

// Match is the agent-artifact rule that applies to one file.
type Match struct {
	// RuleID is one of the rules.AgentArtifact* IDs.
	RuleID string
	// Detail says what was seen ("permissions.allow has 2 rules; env sets
	// API_KEY"); it never holds a secret value.
	Detail string
	// Source is the source kind of the file.
	Source *scanner.Source
}

// Classify returns the agent-artifact rule for a file that ships in a
// package. name is the file's slash path inside the package (a leading
// "/" and a "package/" prefix do not matter); head holds its first bytes
// (may be empty); ra, when not nil, reads the whole file of size bytes.
// Kinds are tried most severe first: agent credential stores, private
// keys, .npmrc with a token, .env files, transcripts, Claude Code
// settings with permission rules or env, .mcp.json, memory files, then
// any other file in an agent directory.
func Classify(name string, head []byte, ra io.ReaderAt, size int64) (Match, bool) {
	name = "/" + strings.TrimPrefix(strings.ReplaceAll(name, "\\", "/"), "/")
	base := path.Base(name)
	lower := strings.ToLower(base)
	content := func() []byte {
		if ra != nil && size >= 0 && size <= maxParse {
			b, err := io.ReadAll(io.NewSectionReader(ra, 0, size))
			if err == nil {
				return b
			}
		}
		return head
	}
	switch {
	case isCredentialStore(name):
		return Match{rules.AgentArtifactCredentials, base, scanner.SourceFile}, true
	}
	if d, ok := privateKey(lower, head); ok {
		return Match{rules.AgentArtifactPrivateKey, d, scanner.SourceFile}, true
	}
	if lower == ".npmrc" {
		if d, ok := npmrcToken(content()); ok {
			return Match{rules.AgentArtifactNpmrcToken, d, scanner.SourceFile}, true
		}
	}
	if isEnvFile(lower) {
		if d, ok := envVariables(content()); ok {
			return Match{rules.AgentArtifactEnvFile, d, scanner.SourceFile}, true
		}
	}
	if strings.HasSuffix(lower, ".jsonl") {
		if d, src, ok := transcriptShape(head); ok {
			return Match{rules.AgentArtifactTranscript, d, src}, true
		}
	}
	inAgentDir := agentDir(name)
	if (base == "settings.local.json" || base == "settings.json") && path.Base(path.Dir(name)) == ".claude" {
		if d, ok := claudeSettings(content()); ok {
			return Match{rules.AgentArtifactClaudeSettings, d, settings.Source}, true
		}
	}
	switch {
	case base == ".mcp.json":
		return Match{rules.AgentArtifactMCPConfig, base, mcpconfig.Source}, true
	case lower == "claude.md" || lower == "claude.local.md" || lower == "gemini.md":
		return Match{rules.AgentArtifactMemoryFile, base, textfile.SourceMemory}, true
	case inAgentDir != "":
		return Match{rules.AgentArtifactAgentDir, inAgentDir + "/", scanner.SourceFile}, true
	}
	return Match{}, false
}

// Check raises the agent-artifact finding for in, a file that ships in a
// package, when it is one (see Classify). in.ClassPath is its path inside
// the package, rooted at "/"; in.Head, when set, holds its first bytes and
// in.ReaderAt, when not nil, its whole content. The finding is about the
// whole file: no line, no secret.
func Check(env *scanner.Env, in *scanner.Input) {
	m, ok := Classify(in.ClassPath, in.Head, in.ReaderAt, in.Size)
	if !ok {
		return
	}
	r := env.Rules.Lookup(m.RuleID)
	if r == nil {
		return
	}
	f := scanner.Finding{Rule: r, Source: m.Source, Location: in.Loc, Remediation: r.Remediation}
	if m.Detail != "" {
		f.Description = strings.TrimSuffix(r.Description, ".") + ": " + m.Detail + "."
	}
	env.Report(f)
}

// isCredentialStore reports whether name is an agent's own login file.
func isCredentialStore(name string) bool {
	return path.Base(name) == ".credentials.json" || scanner.IsCredentialStore("/"+name)
}

// sshKeyNames are the default file names of OpenSSH private keys.
var sshKeyNames = map[string]bool{
	"id_rsa": true, "id_dsa": true, "id_ecdsa": true, "id_ed25519": true, "id_ecdsa_sk": true, "id_ed25519_sk": true,
}

// keystoreExts are binary key containers, recognised by name alone.
var keystoreExts = map[string]string{
	".p12": "PKCS#12 key store", ".pfx": "PKCS#12 key store", ".jks": "Java key store", ".keystore": "Java key store",
}

// privateKey recognises private key files: a PEM or OpenSSH block at the
// start of the file (whatever its name), default SSH key names, *.pem,
// *.key, *.p8 with a PRIVATE KEY block, PuTTY keys and binary key stores.
func privateKey(lower string, head []byte) (string, bool) {
	first := firstLine(head)
	if bytes.HasPrefix(first, []byte("-----BEGIN ")) && bytes.Contains(first, []byte("PRIVATE KEY")) {
		return string(first), true
	}
	if bytes.HasPrefix(first, []byte("PuTTY-User-Key-File-")) {
		return "PuTTY private key", true
	}
	ext := path.Ext(lower)
	if d, ok := keystoreExts[ext]; ok {
		return d, true
	}
	if sshKeyNames[lower] || ext == ".pem" || ext == ".key" || ext == ".p8" {
		// A PEM bundle may hold certificates before the key.
		if i := bytes.Index(head, []byte("PRIVATE KEY-----")); i >= 0 {
			if j := bytes.LastIndex(head[:i], []byte("-----BEGIN ")); j >= 0 {
				return string(firstLine(head[j:])), true
			}
		}
	}
	return "", false
}

// firstLine returns the first line of b, without its line ending and
// leading white space, at most 100 bytes.
func firstLine(b []byte) []byte {
	b = bytes.TrimLeft(b, " \t\r\n\ufeff")
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	b = bytes.TrimRight(b, "\r ")
	if len(b) > 100 {
		b = b[:100]
	}
	return b
}

// npmrcCredential finds literal registry credentials in an .npmrc:
// "//registry.npmjs.org/:_authToken=npm_…", "_auth=…", "_password=…".
var npmrcCredential = lazyre.New(`(?m)^\s*([^\s#;=]*?)(_authToken|_auth|_password)\s*=\s*("?)([^\s"]*)`)

// npmrcToken reports the literal credentials of an .npmrc, by key and
// registry; references (${NPM_TOKEN}) are not credentials.
func npmrcToken(b []byte) (string, bool) {
	var found []string
	for _, m := range npmrcCredential.FindAllSubmatch(b, -1) {
		val := string(m[4])
		if val == "" || strings.HasPrefix(val, "${") || strings.HasPrefix(val, "$") {
			continue
		}
		what := string(m[2])
		if scope := strings.TrimSuffix(string(m[1]), ":"); scope != "" {
			what += " for " + scope
		}
		found = append(found, what)
	}
	if len(found) == 0 {
		return "", false
	}
	return strings.Join(found, ", "), true
}

// envTemplateWords mark .env files that are templates, meant to ship.
var envTemplateWords = []string{"example", "sample", "template", "dist", "defaults", "schema"}

// isEnvFile recognises dotenv files: .env, .env.local, .env.production,
// production.env; not templates (.env.example, .env.sample …).
func isEnvFile(lower string) bool {
	if lower != ".env" && !strings.HasPrefix(lower, ".env.") && !(strings.HasSuffix(lower, ".env") && len(lower) > 4) {
		return false
	}
	for _, w := range envTemplateWords {
		if strings.Contains(lower, w) {
			return false
		}
	}
	return true
}

// envAssignment is a dotenv line: NAME=value, export NAME=value.
var envAssignment = lazyre.New(`(?m)^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*(\S?)`)

// envVariables names the variables a .env file sets to a value.
func envVariables(b []byte) (string, bool) {
	var names []string
	seen := map[string]bool{}
	for _, m := range envAssignment.FindAllSubmatch(b, -1) {
		n := string(m[1])
		if len(m[2]) == 0 || seen[n] {
			continue
		}
		seen[n] = true
		names = append(names, n)
	}
	if len(names) == 0 {
		return "", false
	}
	return "sets " + listNames(names, 6), true
}

// listNames joins names, at most max of them, with a count of the rest.
func listNames(names []string, max int) string {
	s := strings.Join(names[:min(len(names), max)], ", ")
	if len(names) > max {
		s += fmt.Sprintf(" and %d more", len(names)-max)
	}
	return s
}

// transcriptMarkers are JSON keys and values that only agent session
// records carry: Claude Code transcripts (sessionId, parentUuid,
// file-history snapshots, summaries), the prompt history (display +
// pastedContents) and Codex CLI sessions (session_meta, response_item).
var transcriptMarkers = []struct {
	marker string
	what   string
	src    *scanner.Source
}{
	{`"sessionId":`, "Claude Code session", transcript.SourceTranscript},
	{`"parentUuid":`, "Claude Code session", transcript.SourceTranscript},
	{`"type":"file-history-snapshot"`, "Claude Code session", transcript.SourceTranscript},
	{`"type":"summary","summary":`, "Claude Code session", transcript.SourceTranscript},
	{`"pastedContents":`, "Claude Code prompt history", transcript.SourceHistory},
	{`"type":"session_meta"`, "Codex CLI session", scanner.SourceJSONL},
	{`"type":"response_item"`, "Codex CLI session", scanner.SourceJSONL},
}

// transcriptShape recognises agent transcripts by their first records.
func transcriptShape(head []byte) (string, *scanner.Source, bool) {
	compact := bytes.ReplaceAll(head, []byte(`": `), []byte(`":`))
	for _, m := range transcriptMarkers {
		if bytes.Contains(compact, []byte(m.marker)) {
			return m.what, m.src, true
		}
	}
	return "", nil, false
}

// claudeSettings reports what a Claude Code settings file configures
// that should not ship: permission rules, env variables, an apiKeyHelper.
// A file with none of them is only an agent-directory file.
func claudeSettings(b []byte) (string, bool) {
	var doc struct {
		Env         map[string]any `json:"env"`
		Permissions struct {
			Allow []any `json:"allow"`
			Ask   []any `json:"ask"`
		} `json:"permissions"`
		APIKeyHelper any `json:"apiKeyHelper"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		// Not valid JSON (or only its start in head): judge by its keys.
		if bytes.Contains(b, []byte(`"allow"`)) || bytes.Contains(b, []byte(`"env"`)) {
			return "permission rules or env", true
		}
		return "", false
	}
	var parts []string
	if n := len(doc.Permissions.Allow) + len(doc.Permissions.Ask); n > 0 {
		parts = append(parts, plural(n, "permission rule")+" (permissions.allow/ask)")
	}
	if len(doc.Env) > 0 {
		names := make([]string, 0, len(doc.Env))
		for k := range doc.Env {
			names = append(names, k)
		}
		sort.Strings(names)
		parts = append(parts, "env sets "+listNames(names, 6))
	}
	if doc.APIKeyHelper != nil {
		parts = append(parts, "an apiKeyHelper")
	}
	if len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, "; "), true
}

// agentDir returns the agent directory name is in, or "".
func agentDir(name string) string {
	dir := path.Dir(name)
	for _, seg := range strings.Split(dir, "/") {
		if scanner.IsAgentDir(seg) {
			return seg
		}
	}
	return ""
}

// ForPackage returns the handlers for scanning the files of a package
// from disk (`mcpscan pack`): one handler in front of hs that raises the
// agent-artifact finding of every top-level input (Check; its ClassPath
// must be its path in the package, rooted at "/"), then hands the input to
// the first of hs that takes it, as the engine would. Binary files that
// no handler takes are still classified (a .p12 key store). Archive
// members (Depth > 0) are classified by the archive handler itself.
func ForPackage(hs []scanner.Handler) []scanner.Handler {
	return []scanner.Handler{&packageHandler{hs: hs}}
}

// packageHandler is the handler ForPackage returns.
type packageHandler struct{ hs []scanner.Handler }

var _ scanner.ContentHandler = (*packageHandler)(nil)

// Sources returns the sources of the wrapped handlers.
func (p *packageHandler) Sources() []*scanner.Source {
	var out []*scanner.Source
	for _, h := range p.hs {
		out = append(out, h.Sources()...)
	}
	return out
}

// Accepts takes what one of the wrapped handlers takes.
func (p *packageHandler) Accepts(classPath string) bool { return p.byPath(classPath) != nil }

// AcceptsContent takes every binary input, to classify it by name.
func (p *packageHandler) AcceptsContent(string, []byte) bool { return true }

// Scan classifies a top-level input, then scans it with its handler.
func (p *packageHandler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	if in.Depth == 0 {
		Check(env, in)
	}
	var h scanner.Handler
	if scanner.IsBinary(in.Head) {
		for _, c := range p.hs {
			if ch, ok := c.(scanner.ContentHandler); ok && ch.AcceptsContent(in.ClassPath, in.Head) {
				h = c
				break
			}
		}
	} else {
		h = p.byPath(in.ClassPath)
	}
	if h == nil {
		return nil
	}
	return h.Scan(ctx, in, env)
}

func (p *packageHandler) byPath(classPath string) scanner.Handler {
	for _, h := range p.hs {
		if h.Accepts(classPath) {
			return h
		}
	}
	return nil
}

// plural returns "1 rule", "2 rules".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
