// Package settings scans Claude Code settings files (settings.json,
// settings.local.json, managed-settings.json). Besides pattern findings
// in every string (permissions.allow rules that saved a whole command line,
// apiKeyHelper commands), it raises agent-settings-env-credential for
// literal values of credential-named variables in the "env" map, which no
// provider pattern may match (DB_PASSWORD: "wK8#pL2v").
package settings

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/jsondoc"
)

// maxStructuralSize bounds the file size for the structural env check; a
// larger settings file still gets the pattern scan.
const maxStructuralSize = 8 << 20

// Handler scans agent settings files.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Source returns scanner.SourceAgentSettings.
func (Handler) Source() scanner.Source { return scanner.SourceAgentSettings }

// Accepts takes settings.json and settings.local.json inside a .claude
// directory, and managed-settings.json anywhere.
func (Handler) Accepts(p string) bool {
	base := path.Base(p)
	switch base {
	case "managed-settings.json":
		return true
	case "settings.json", "settings.local.json":
		return path.Base(path.Dir(p)) == ".claude"
	}
	return false
}

// Scan reports pattern findings and hardcoded env credentials.
func (Handler) Scan(ctx context.Context, in *scanner.Input, env *scanner.Env) error {
	found, invalid, err := jsondoc.Collect(ctx, in, env, scanner.SourceAgentSettings, nil)
	if invalid != nil {
		env.Problem(in.Path, 0, "not valid JSON (%v); scanned as text", invalid)
	}
	defer func() {
		for _, f := range found {
			env.Report(f)
		}
	}()
	if in.ReaderAt == nil || in.Size > maxStructuralSize {
		return err
	}
	raw, rerr := io.ReadAll(io.NewSectionReader(in.ReaderAt, 0, in.Size))
	if rerr != nil {
		return rerr
	}
	var doc struct {
		Env         map[string]any `json:"env"`
		Permissions struct {
			Allow []string `json:"allow"`
		} `json:"permissions"`
	}
	if jerr := json.Unmarshal(raw, &doc); jerr != nil {
		if invalid == nil { // else already reported
			env.Problem(in.Path, 0, "not valid JSON (%v); scanned as text", jerr)
		}
		return err
	}
	rule := env.Rules.Lookup(rules.AgentSettingsEnvCredential)
	names := make([]string, 0, len(doc.Env))
	for k := range doc.Env {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		v, ok := doc.Env[name].(string)
		if !ok || !rules.IsCredentialName(name) || !rules.IsLiteralCredential(v) {
			continue
		}
		off := locateValue(raw, name)
		if off < 0 {
			continue
		}
		found = addStructural(found, in, raw, rule, off, off+len(jsonQuoted(v))-2, v, "env."+name)
	}
	found = allowRuleCredentials(in, env, raw, doc.Permissions.Allow, found)
	return err
}

// allowRuleCredentials raises agent-settings-allow-credential for literal
// credentials in permissions.allow rules that saved a whole command line
// (Bash(curl -H "Authorization: Bearer …" …), Bash(gh auth login --with-token X:*)).
// A provider pattern at the same place keeps its rule.
func allowRuleCredentials(in *scanner.Input, env *scanner.Env, raw []byte, allow []string, found []scanner.Finding) []scanner.Finding {
	rule := env.Rules.Lookup(rules.AgentSettingsAllowCredential)
	from := 0
	for i, entry := range allow {
		// Where this entry's string sits in the file, to place findings.
		q := jsonQuoted(entry)
		k := bytes.Index(raw[from:], q)
		if k < 0 {
			continue
		}
		strStart, strEnd := from+k+1, from+k+len(q)-1
		from = strEnd
		open := strings.IndexByte(entry, '(')
		if open < 0 || !strings.HasSuffix(entry, ")") {
			continue
		}
		cmd := strings.TrimSuffix(entry[open+1:len(entry)-1], ":*")
		cmd = strings.TrimSuffix(cmd, "*")
		words, _ := rules.SplitCommand(cmd)
		for _, sp := range rules.ArgCredentials(words) {
			secret := words[sp.Arg][sp.Start:sp.End]
			j := bytes.Index(raw[strStart:strEnd], []byte(secret))
			if j < 0 {
				continue // escaped in the file; the pattern scan sees the decoded text
			}
			off := strStart + j
			found = addStructural(found, in, raw, rule, off, off+len(secret), secret, fmt.Sprintf("permissions.allow[%d]", i))
		}
	}
	return found
}

// addStructural adds a structural finding of rule for raw bytes [off, end)
// of the settings file, unless a provider pattern already reports a secret
// there (generic pattern findings at the same place give way).
func addStructural(found []scanner.Finding, in *scanner.Input, raw []byte, rule *rules.Rule, off, end int, secret, field string) []scanner.Finding {
	found, provider := scanner.YieldToProvider(found, int64(off), int64(end))
	if provider {
		return found
	}
	line, col := position(raw, off)
	endLine, endCol := position(raw, end)
	return append(found, scanner.Finding{
		Rule: rule, Source: scanner.SourceAgentSettings, Path: in.Path,
		Line: line, Column: col, EndLine: endLine, EndColumn: endCol, Offset: int64(off),
		Secret:  secret,
		Context: &scanner.Context{Field: field},
	})
}

// locateValue returns the byte offset of the first character of the
// string value of key name in raw, or -1.
func locateValue(raw []byte, name string) int {
	key := jsonQuoted(name)
	from := 0
	for {
		i := bytes.Index(raw[from:], key)
		if i < 0 {
			return -1
		}
		j := from + i + len(key)
		for j < len(raw) && (raw[j] == ' ' || raw[j] == '\t' || raw[j] == '\n' || raw[j] == '\r') {
			j++
		}
		if j < len(raw) && raw[j] == ':' {
			j++
			for j < len(raw) && (raw[j] == ' ' || raw[j] == '\t' || raw[j] == '\n' || raw[j] == '\r') {
				j++
			}
			if j < len(raw) && raw[j] == '"' {
				return j + 1
			}
		}
		from += i + 1
	}
}

func jsonQuoted(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

// position returns the 1-based line and code-point column of offset off.
func position(raw []byte, off int) (int, int) {
	line := 1 + bytes.Count(raw[:off], []byte{'\n'})
	start := bytes.LastIndexByte(raw[:off], '\n') + 1
	return line, utf8.RuneCount(raw[start:off]) + 1
}
