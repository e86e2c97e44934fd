package redact

import (
	"crypto/rand"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Kind says how a file is read: JSON Lines, one JSON document, or plain
// text. It decides where a replacement may go (see the package doc).
type Kind int

// File kinds.
const (
	// KindText is any text file: memory files, plans, file-history copies,
	// .env files, shell snapshots, logs.
	KindText Kind = iota
	// KindJSONL is JSON Lines: one JSON value per line (Claude Code
	// transcripts and history.jsonl, Codex rollouts).
	KindJSONL
	// KindJSON is one JSON document, possibly with comments (JSONC):
	// settings.json, .mcp.json, ~/.claude.json.
	KindJSON
)

var kindNames = [...]string{KindText: "text", KindJSONL: "jsonl", KindJSON: "json"}

// String returns "text", "jsonl" or "json".
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// MarshalText writes the String form, so JSON reports say "jsonl".
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads the String form.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if string(b) == n {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("redact: unknown file kind %q", b)
}

// KindOf guesses a file's kind from its name: *.jsonl and *.ndjson are
// JSON Lines, *.json is a JSON document, anything else is text. The
// command layer may know better (the scanner's handler for the file).
func KindOf(path string) Kind {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson":
		return KindJSONL
	case ".json":
		return KindJSON
	}
	return KindText
}

// MinValueLen is the shortest secret value, in bytes, that Apply and
// Locate accept. Every occurrence of a value is replaced, so a very short
// value would also hit unrelated text.
const MinValueLen = 6

// MaxValueLen is the longest secret value, in bytes (a private key block
// is about 3.3 KB).
const MaxValueLen = 64 << 10

// Secret is one secret value to remove.
type Secret struct {
	// Value is the secret as the scanner reported it (JSON escapes already
	// decoded). It is never written anywhere by this package.
	Value string
	// RuleID is the ID of the rule that found it ("github-pat"). It goes
	// into the marker; characters outside [A-Za-z0-9._-] become '-'.
	RuleID string
	// ID is the short id that ties every place of this value together in
	// markers and in the manifest. Empty means: generate one with
	// crypto/rand (8 characters of [a-z2-7]). Given ids must match
	// [A-Za-z0-9_-]{1,32}.
	ID string
	// Replacement, when set, is written instead of the marker, in this
	// file only: for an MCP or agent config, the client's environment
	// reference that takes the literal's place ("${GITHUB_TOKEN}",
	// "${env:GITHUB_TOKEN}"). It must be printable ASCII without '"' or
	// '\', so that it needs no escape in JSON.
	Replacement string
}

// File is one file to rewrite and the secrets to remove from it.
type File struct {
	Path    string
	Kind    Kind
	Secrets []Secret
}

// Plan lists the files to rewrite. The same Value may appear under
// several files: Apply gives it one ID and one rule ID everywhere (the
// first ones given in plan order), so that one secret has one marker.
type Plan struct {
	Files []File
}

// ErrInvalidPlan wraps every problem Apply finds in a Plan before it
// changes anything.
var ErrInvalidPlan = errors.New("redact: invalid plan")

// secretInfo is one distinct secret value of a run.
type secretInfo struct {
	value  string
	ruleID string
	id     string
	marker []byte
	idx    int // position in secretTable.list
}

// secretTable gives every distinct value of a plan one id and one marker.
type secretTable struct {
	list    []*secretInfo
	byValue map[string]*secretInfo
	byID    map[string]*secretInfo
}

// normalize checks the plan and assigns ids. It returns, per file, the
// indexes into table.list of that file's secrets.
func normalize(p Plan) (*secretTable, [][]int, error) {
	t, per, _, err := normalizeAll(p)
	return t, per, err
}

// normalizeAll is normalize that also returns, per file and secret, the
// replacement to write ("" for the marker).
func normalizeAll(p Plan) (*secretTable, [][]int, [][]string, error) {
	t := &secretTable{byValue: map[string]*secretInfo{}, byID: map[string]*secretInfo{}}
	var problems []string
	seenPath := map[string]bool{}
	perFile := make([][]int, len(p.Files))
	repl := make([][]string, len(p.Files))
	for fi, f := range p.Files {
		if f.Path == "" {
			problems = append(problems, fmt.Sprintf("file %d: empty path", fi))
			continue
		}
		if f.Kind < KindText || f.Kind > KindJSON {
			problems = append(problems, fmt.Sprintf("%s: unknown kind %d", f.Path, int(f.Kind)))
		}
		clean := filepath.Clean(f.Path)
		if seenPath[clean] {
			problems = append(problems, fmt.Sprintf("%s: listed twice", f.Path))
		}
		seenPath[clean] = true
		seen := map[int]bool{}
		for si, s := range f.Secrets {
			switch {
			case len(s.Value) < MinValueLen:
				problems = append(problems, fmt.Sprintf("%s: secret %d (rule %s) is shorter than %d bytes", f.Path, si, s.RuleID, MinValueLen))
				continue
			case len(s.Value) > MaxValueLen:
				problems = append(problems, fmt.Sprintf("%s: secret %d (rule %s) is longer than %d bytes", f.Path, si, s.RuleID, MaxValueLen))
				continue
			case s.ID != "" && !validID(s.ID):
				problems = append(problems, fmt.Sprintf("%s: secret id %q must match [A-Za-z0-9_-]{1,32}", f.Path, s.ID))
				continue
			case !validReplacement(s.Replacement):
				problems = append(problems, fmt.Sprintf("%s: replacement %q must be printable ASCII without quote or backslash", f.Path, s.Replacement))
				continue
			}
			info := t.byValue[s.Value]
			if info == nil {
				if s.ID != "" {
					if other := t.byID[s.ID]; other != nil {
						problems = append(problems, fmt.Sprintf("%s: secret id %q is given to two different values", f.Path, s.ID))
						continue
					}
				}
				info = &secretInfo{value: s.Value, ruleID: cleanRuleID(s.RuleID), id: s.ID, idx: len(t.list)}
				t.byValue[s.Value] = info
				if info.id != "" {
					t.byID[info.id] = info
				}
				t.list = append(t.list, info)
			} else if s.ID != "" && info.id != "" && s.ID != info.id {
				problems = append(problems, fmt.Sprintf("%s: one secret value carries two ids (%q, %q)", f.Path, info.id, s.ID))
				continue
			} else if s.ID != "" && info.id == "" {
				if other := t.byID[s.ID]; other != nil {
					problems = append(problems, fmt.Sprintf("%s: secret id %q is given to two different values", f.Path, s.ID))
					continue
				}
				info.id = s.ID
				t.byID[s.ID] = info
			}
			idx := info.idx
			if !seen[idx] {
				seen[idx] = true
				perFile[fi] = append(perFile[fi], idx)
				repl[fi] = append(repl[fi], s.Replacement)
			}
		}
	}
	if len(problems) > 0 {
		return nil, nil, nil, fmt.Errorf("%w: %s", ErrInvalidPlan, strings.Join(problems, "; "))
	}
	for _, info := range t.list {
		for info.id == "" {
			id, err := newShortID()
			if err != nil {
				return nil, nil, nil, err
			}
			if t.byID[id] == nil {
				info.id = id
				t.byID[id] = info
			}
		}
		info.marker = []byte(Marker(info.ruleID, info.id))
	}
	return t, perFile, repl, nil
}

func validReplacement(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// Marker returns the text that replaces a secret: "[REDACTED:<rule-id>:<id>]".
// It holds only ASCII letters, digits and "[]:._-", so it needs no escape
// in JSON, shell or Markdown, and nothing in it derives from the secret.
func Marker(ruleID, id string) string {
	return "[REDACTED:" + cleanRuleID(ruleID) + ":" + id + "]"
}

// cleanRuleID keeps [A-Za-z0-9._-] and turns anything else into '-'.
func cleanRuleID(s string) string {
	if s == "" {
		return "secret"
	}
	if len(s) > 64 {
		s = s[:64]
	}
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '-'
		}
	}
	return string(b)
}

func validID(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

// newShortID returns 8 random characters of [a-z2-7] (40 bits).
func newShortID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("redact: random id: %w", err)
	}
	for i := range b {
		b[i] = idAlphabet[b[i]&31]
	}
	return string(b[:]), nil
}

// needle is one byte form of a secret searched for in (decoded) text.
type needle struct {
	b      []byte
	secret int // index into the secret list
}

// needlesFor returns the forms of each value that are searched for:
//   - the value itself;
//   - with "\n" line breaks written "\r\n", and the other way round, so that
//     a key block found in an LF file is also found in a CRLF copy;
//   - when the value itself holds JSON escapes (it was taken from an
//     escaped context, like a key block inside a JSON string read by the
//     agent), its decoded form too, and that form's line-break variants.
//
// Forms shorter than MinValueLen are dropped. The escaped forms in files
// are not listed: the matcher runs over decoded text (see the package doc).
func needlesFor(values []string) []needle {
	var out []needle
	for i, v := range values {
		seen := map[string]bool{}
		add := func(s string) {
			if len(s) >= MinValueLen && !seen[s] {
				seen[s] = true
				out = append(out, needle{b: []byte(s), secret: i})
			}
		}
		addLines := func(s string) {
			add(s)
			if strings.Contains(s, "\r\n") {
				add(strings.ReplaceAll(s, "\r\n", "\n"))
			}
			if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") {
				add(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n"))
			}
		}
		addLines(v)
		if strings.IndexByte(v, '\\') >= 0 {
			if d := string(unescape(nil, []byte(v), nil)); d != v {
				addLines(d)
			}
		}
	}
	return out
}
