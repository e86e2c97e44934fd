package scanner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/mcpscan/mcpscan/rules"
)

// StateVersion is the version of the state file format.
const StateVersion = 1

// checkLen is how many bytes before the scanned offset are hashed to tell
// that the scanned part of a file is unchanged.
const checkLen = 4096

// State remembers, per file, how far an earlier scan got, so that a
// periodic audit only reads what is new: agent transcripts are
// append-only. It holds no raw secrets: carried-over findings keep their
// redacted form and fingerprint only. Safe for concurrent use.
type State struct {
	mu    sync.Mutex
	Files map[string]*FileState `json:"files"` // by absolute path
}

// FileState is what the state keeps for one file.
type FileState struct {
	Ident   FileIdent `json:"ident"`
	Size    int64     `json:"size"`     // bytes, when scanned
	ModNS   int64     `json:"mod_ns"`   // modification time, Unix nanoseconds
	Scanned int64     `json:"scanned"`  // bytes scanned: for append-only files the end of the last whole line
	Line    int       `json:"line"`     // 1-based line number at Scanned
	Check   string    `json:"check"`    // hex SHA-256 of the checkLen bytes before Scanned
	Resumes bool      `json:"resumes"`  // the file's handler can resume at Scanned
	Found   []Stored  `json:"findings"` // findings of the file so far
}

// FileIdent identifies a file across renames of its name: device and inode
// where the OS has them.
type FileIdent struct {
	Dev uint64 `json:"dev,omitempty"`
	Ino uint64 `json:"ino,omitempty"`
}

// Stored is a finding as the state keeps it: everything but the raw secret.
type Stored struct {
	RuleID      string   `json:"rule_id"`
	Description string   `json:"description"`
	Severity    string   `json:"severity"`
	Kind        string   `json:"kind"`
	Source      Source   `json:"source"`
	Path        string   `json:"path"`
	Line        int      `json:"line"`
	Column      int      `json:"column"`
	EndLine     int      `json:"end_line"`
	EndColumn   int      `json:"end_column"`
	Offset      int64    `json:"offset"`
	Redacted    string   `json:"secret"`
	Fingerprint string   `json:"fingerprint"`
	Remediation string   `json:"remediation,omitempty"`
	Context     *Context `json:"context,omitempty"`
}

// NewState returns an empty state.
func NewState() *State { return &State{Files: map[string]*FileState{}} }

// LoadState reads a state file. A missing file gives an empty state; a
// file of another version or a corrupt one is an error naming the file
// (delete it to start over).
func LoadState(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return NewState(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", path, err)
	}
	var doc struct {
		Version int                   `json:"version"`
		Files   map[string]*FileState `json:"files"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("state %s: not a state file (%v); delete it to rescan everything", path, err)
	}
	if doc.Version != StateVersion {
		return nil, fmt.Errorf("state %s: version %d, want %d; delete it to rescan everything", path, doc.Version, StateVersion)
	}
	s := NewState()
	if doc.Files != nil {
		s.Files = doc.Files
	}
	return s, nil
}

// Save writes the state atomically with mode 0600 (it names where secrets
// are).
func (s *State) Save(path string) error {
	s.mu.Lock()
	b, err := json.Marshal(struct {
		Version int                   `json:"version"`
		Files   map[string]*FileState `json:"files"`
	}{StateVersion, s.Files})
	s.mu.Unlock()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func (s *State) get(abs string) *FileState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Files[abs]
}

func (s *State) put(abs string, fs *FileState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Files[abs] = fs
}

// checkAt hashes the checkLen bytes before off.
func checkAt(r io.ReaderAt, off int64) (string, error) {
	from := max(0, off-checkLen)
	buf := make([]byte, off-from)
	if _, err := r.ReadAt(buf, from); err != nil && err != io.EOF {
		return "", err
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:]), nil
}

// store turns a finding into its stored form.
func store(f *Finding) Stored {
	return Stored{
		RuleID: f.RuleID, Description: f.Description, Severity: f.Severity.String(), Kind: string(f.Kind),
		Source: f.Source, Path: f.Path, Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn,
		Offset: f.Offset, Redacted: f.Redacted, Fingerprint: f.Fingerprint, Remediation: f.Remediation, Context: f.Context,
	}
}

// restore turns a stored finding back into a Finding (without its secret),
// marked Carried.
func restore(s Stored, set *rules.Set) Finding {
	sev, _ := rules.ParseSeverity(s.Severity)
	return Finding{
		RuleID: s.RuleID, Description: s.Description, Severity: sev, Kind: rules.Kind(s.Kind), Source: s.Source,
		Path: s.Path, Line: s.Line, Column: s.Column, EndLine: s.EndLine, EndColumn: s.EndColumn, Offset: s.Offset,
		Redacted: s.Redacted, Fingerprint: s.Fingerprint, Remediation: s.Remediation, Context: s.Context,
		Rule: set.Lookup(s.RuleID), Carried: true,
	}
}

// modNS returns the modification time in Unix nanoseconds.
func modNS(info fs.FileInfo) int64 { return info.ModTime().UnixNano() }
