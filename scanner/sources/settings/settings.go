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

// Source is a Claude Code settings file.
var Source = &scanner.Source{
	Name: "agent-settings", Agent: "Claude Code", Store: scanner.StoreConfig,
	Label:  "an agent settings file",
	Advice: "\"Always allow\" saves whole command lines, tokens included: after rotating, edit the permissions.allow rule down to a prefix such as Bash(curl:*), and keep .claude/settings.local.json out of git and npm packages.",
}

// Handler scans agent settings files.
type Handler struct{}

var _ scanner.Handler = Handler{}

// Sources returns Source.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{Source} }

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
	raw, loaded, err := in.Load(maxStructuralSize)
	if err != nil {
		return err
	}
	found, invalid, err := jsondoc.Collect(ctx, in, env, Source, nil)
	if invalid != nil {
		env.Problem(in, 0, scanner.ReasonParse, "not valid JSON (%v); scanned as text", invalid)
	}
	defer func() {
		for _, f := range found {
			env.Report(f)
		}
	}()
	if !loaded {
		return err
	}
	var doc struct {
		Env         map[string]any `json:"env"`
		Permissions struct {
			Allow []string `json:"allow"`
		} `json:"permissions"`
	}
	if jerr := json.Unmarshal(raw, &doc); jerr != nil {
		if invalid == nil { // else already reported
			env.Problem(in, 0, scanner.ReasonParse, "not valid JSON (%v); scanned as text", jerr)
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
	loc := in.Loc
	loc.Line, loc.Column = position(raw, off)
	loc.EndLine, loc.EndColumn = position(raw, end)
	loc.Offset, loc.Field = int64(off), field
	f := scanner.Finding{Rule: rule, Source: Source, Location: loc, Secret: scanner.NewSecret(rule, secret)}
	f.SetMatchedLine(lineOf(raw, off))
	return append(found, f)
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

// lineOf returns the text of the line holding offset off.
func lineOf(raw []byte, off int) string {
	start := bytes.LastIndexByte(raw[:off], '\n') + 1
	end := len(raw)
	if i := bytes.IndexByte(raw[off:], '\n'); i >= 0 {
		end = off + i
	}
	return string(bytes.TrimSuffix(raw[start:end], []byte("\r")))
}

// position returns the 1-based line and code-point column of offset off.
func position(raw []byte, off int) (int, int) {
	line := 1 + bytes.Count(raw[:off], []byte{'\n'})
	start := bytes.LastIndexByte(raw[:off], '\n') + 1
	return line, utf8.RuneCount(raw[start:off]) + 1
}
