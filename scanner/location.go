package scanner

import (
	"os"
	"path/filepath"
	"strings"
)

// Location is where a finding sits: a file, then the steps inside it
// (archive members, database rows), then a position in the innermost
// item and the field of a structured record that held the secret.
//
// Only the two renderings here join or split the documented "!" form
// ("pkg.tgz!package/.mcp.json", "state.vscdb!cursorDiskKV/bubbleId:…"):
// String, for people and for the JSON report's "path", and ParseLocation,
// for reports read back (baselines). SARIF builds its artifact location
// and logical locations from File and Steps directly.
type Location struct {
	// File is the file on disk as displayed: the scanned argument joined
	// with the file's path below it ("~/.claude/projects/…/s.jsonl"), or
	// the name of an input that is not on disk ("npm:pkg@1.2.3").
	File string
	// Steps go from File into nested items, outermost first; empty for a
	// plain file.
	Steps []Step
	// Line and EndLine are 1-based lines of the innermost item; Column and
	// EndColumn are 1-based and count Unicode code points of the raw line,
	// EndColumn exclusive. 0 means unknown.
	Line, Column, EndLine, EndColumn int
	// Offset is the byte offset of the secret's first raw byte in the
	// innermost item.
	Offset int64
	// Field is the path of the JSON (or TOML, YAML) value that held the
	// secret, as "toolUseResult.stdout" or "mcpServers.github.env.TOKEN";
	// "" when the item is not structured.
	Field string
	// AlsoIn lists further places that held the same secret: fields of the
	// same record (Claude Code stores a tool's output twice per record),
	// and "line N: field" for a copy in a later record of the same file
	// that was reported once (records.Folder: Codex mirrors each message).
	AlsoIn []string

	// raw is File as it is on disk, before the scanner sanitized File for
	// display (a file whose name holds a secret); "" when File is raw.
	raw string
}

// RawFile returns the file's real path, as on disk: File before the
// scanner redacted any secret in it. Only SARIF's artifact URI uses it
// (GitHub must find the file); every other output prints File.
func (l Location) RawFile() string {
	if l.raw != "" {
		return l.raw
	}
	return l.File
}

// WithDisplayFile returns l with File replaced by its display form,
// keeping the real path for RawFile.
func (l Location) WithDisplayFile(display string) Location {
	if display != l.File {
		if l.raw == "" {
			l.raw = l.File
		}
		l.File = display
	}
	return l
}

// StepKind says what a Step enters.
type StepKind string

// Step kinds.
const (
	StepMember StepKind = "member" // an archive member: Name is its path inside the archive
	StepRow    StepKind = "row"    // a database row: Name is "table/key"
)

// Step is one level inside a file: an archive member or a database row.
type Step struct {
	Kind StepKind `json:"kind"`
	Name string   `json:"name"`
}

// locSep joins the file and its steps in the displayed form.
const locSep = "!"

// String returns the displayed form: File, then each step's name after a
// "!" ("pkg.tgz!package/.mcp.json!inner.zip!a.env").
func (l Location) String() string {
	if len(l.Steps) == 0 {
		return l.File
	}
	var b strings.Builder
	b.WriteString(l.File)
	for _, s := range l.Steps {
		b.WriteString(locSep)
		b.WriteString(s.Name)
	}
	return b.String()
}

// Inner returns the innermost step's name, or File when there are no
// steps: the path that names the item the position counts in.
func (l Location) Inner() string {
	if n := len(l.Steps); n > 0 {
		return l.Steps[n-1].Name
	}
	return l.File
}

// InnerPath returns the steps' names joined with "!", without File ("" for
// a plain file).
func (l Location) InnerPath() string {
	names := make([]string, len(l.Steps))
	for i, s := range l.Steps {
		names[i] = s.Name
	}
	return strings.Join(names, locSep)
}

// Nested returns the location of an item inside l's innermost item: l's
// file and steps plus one more step, with no position.
func (l Location) Nested(kind StepKind, name string) Location {
	steps := make([]Step, len(l.Steps), len(l.Steps)+1)
	copy(steps, l.Steps)
	return Location{File: l.File, raw: l.raw, Steps: append(steps, Step{Kind: kind, Name: name})}
}

// Container returns the location of the item holding l's innermost item
// (l without its last step and position), and false for a plain file.
func (l Location) Container() (Location, bool) {
	if len(l.Steps) == 0 {
		return Location{}, false
	}
	return Location{File: l.File, raw: l.raw, Steps: l.Steps[:len(l.Steps)-1]}, true
}

// Portable returns String with File made portable: forward slashes,
// cleaned, the user's home directory written "~". Fingerprints use it, so
// the same file has the same name on every machine.
func (l Location) Portable() string {
	p := PortablePath(l.RawFile())
	if len(l.Steps) == 0 {
		return p
	}
	return p + locSep + l.InnerPath()
}

// ParseLocation reads back the displayed form of a location written by a
// report (String): the part before the first "!" is the file, each
// further part a member step. Row steps are told by their "table/key"
// shape only where the file is a database (*.vscdb, *.sqlite, *.db). It
// is used for reports read back, never for files being scanned.
func ParseLocation(s string) Location {
	parts := strings.Split(s, locSep)
	l := Location{File: parts[0]}
	db := isDatabaseName(parts[0])
	for _, p := range parts[1:] {
		kind := StepMember
		if db {
			kind = StepRow
		}
		l.Steps = append(l.Steps, Step{Kind: kind, Name: p})
	}
	return l
}

func isDatabaseName(p string) bool {
	p = strings.ToLower(p)
	for _, suf := range []string{".vscdb", ".sqlite", ".sqlite3", ".db"} {
		if strings.HasSuffix(p, suf) {
			return true
		}
	}
	return false
}

// PortablePath returns a file path with forward slashes, cleaned, and with
// the current user's home directory replaced by "~", so that the same
// file has the same name on every machine. path is a file path, never the
// displayed form of a Location (use Location.Portable).
func PortablePath(path string) string {
	p := filepath.Clean(path)
	if home, err := os.UserHomeDir(); err == nil && home != "" && home != "/" {
		if p == home {
			p = "~"
		} else if strings.HasPrefix(p, home+string(filepath.Separator)) {
			p = "~" + string(filepath.Separator) + p[len(home)+1:]
		}
	}
	return filepath.ToSlash(p)
}

// WithFile returns l with its file named f (and no separate real path):
// the same place under another name of the file, for matching paths
// written relative to a root or directory.
func (l Location) WithFile(f string) Location {
	l.File, l.raw = f, ""
	return l
}
