package scanner

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"

	"github.com/mcpscan/mcpscan/internal/atomicfile"
)

// StateVersion is the version of the state file format. Version 1 files
// (which kept paths and context raw) are not read: the next scan reads
// everything again.
const StateVersion = 2

// checkLen is the size of the blocks hashed to tell that the scanned part
// of a file is unchanged: its head, the block before the scanned offset,
// and stateSamples blocks spread over it.
const (
	checkLen     = 4096
	stateSamples = 16
)

// State remembers, per file, how far an earlier scan got, so that a
// periodic audit only reads what is new: agent transcripts are
// append-only. It holds no raw secret and no raw path: files are keyed by
// a SHA-256 of their absolute path, and findings are stored in their one
// serialized shape, sanitized and redacted as in reports. Safe for
// concurrent use.
//
// The state file is untrusted input: an entry that is inconsistent (an
// offset beyond the file, a negative size, a malformed hash) is dropped
// with a warning and its file scanned whole.
type State struct {
	mu    sync.Mutex
	files map[string]*FileState
	// Warnings says what LoadState refused (to print on stderr).
	Warnings []string
}

// FileState is what the state keeps for one file.
type FileState struct {
	Ident   FileIdent `json:"ident"`
	Size    int64     `json:"size"`    // bytes, when scanned
	ModNS   int64     `json:"mod_ns"`  // modification time, Unix nanoseconds
	Scanned int64     `json:"scanned"` // bytes scanned: for append-only files the end of the last whole line
	Line    int       `json:"line"`    // 1-based line number at Scanned
	// Head, Check and Samples are hex SHA-256 sums of the file's first
	// checkLen bytes, of the checkLen bytes before Scanned, and of
	// stateSamples blocks spread over [0, Scanned): a file is resumed
	// only when all three still match.
	Head    string    `json:"head"`
	Check   string    `json:"check"`
	Samples string    `json:"samples"`
	Resumes bool      `json:"resumes"`  // the file's handler can resume at Scanned
	Found   []Finding `json:"findings"` // findings of the file so far
}

// FileIdent identifies a file across renames of its name: device and inode
// where the OS has them, and the status-change time, which no user
// program can set back.
type FileIdent struct {
	Dev     uint64 `json:"dev,omitempty"`
	Ino     uint64 `json:"ino,omitempty"`
	CtimeNS int64  `json:"ctime_ns,omitempty"`
}

// NewState returns an empty state.
func NewState() *State { return &State{files: map[string]*FileState{}} }

// LoadState reads a state file. A missing file gives an empty state. A
// file that is not a state file, is of another version, or holds bad
// entries gives an empty (or partial) state and Warnings: the files
// concerned are scanned whole. Only a file that exists but cannot be read
// is an error.
func LoadState(path string) (*State, error) {
	s := NewState()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", path, err)
	}
	var doc struct {
		Version int                        `json:"version"`
		Files   map[string]json.RawMessage `json:"files"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		s.Warnings = append(s.Warnings, fmt.Sprintf("state %s is not a state file (%s); every file is scanned whole", path, describe(err)))
		return s, nil
	}
	if doc.Version != StateVersion {
		s.Warnings = append(s.Warnings, fmt.Sprintf("state %s has version %d, this mcpscan writes %d; every file is scanned whole", path, doc.Version, StateVersion))
		return s, nil
	}
	bad := 0
	for key, raw := range doc.Files {
		var fs FileState
		if json.Unmarshal(raw, &fs) != nil || !validKey(key) || !fs.valid() {
			bad++
			continue
		}
		s.files[key] = &fs
	}
	if bad > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("state %s: %d unusable entries dropped; their files are scanned whole", path, bad))
	}
	return s, nil
}

func validKey(k string) bool { return len(k) == 64 && isHex(k) }

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// valid reports whether an entry read from disk is consistent.
func (fs *FileState) valid() bool {
	if fs.Size < 0 || fs.Scanned < 0 || fs.Scanned > fs.Size || fs.Line < 0 {
		return false
	}
	for _, h := range []string{fs.Head, fs.Check, fs.Samples} {
		if len(h) != 64 || !isHex(h) {
			return false
		}
	}
	for i := range fs.Found {
		f := &fs.Found[i]
		if f.RuleID == "" || f.Line < 0 || f.Column < 0 || f.Offset < 0 || f.Offset > fs.Size {
			return false
		}
	}
	return true
}

// Save writes the state atomically with mode 0600 (it says where secrets
// are).
func (s *State) Save(path string) error {
	s.mu.Lock()
	b, err := json.Marshal(struct {
		Version int                   `json:"version"`
		Files   map[string]*FileState `json:"files"`
	}{StateVersion, s.files})
	s.mu.Unlock()
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, b, 0o600)
}

// Len returns the number of files the state knows.
func (s *State) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files)
}

// stateKey is the key of a file in the state: a SHA-256 of its absolute
// path, so that the state file names no path.
func stateKey(abs string) string {
	sum := sha256.Sum256([]byte(abs))
	return hex.EncodeToString(sum[:])
}

func (s *State) get(abs string) *FileState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files[stateKey(abs)]
}

func (s *State) put(abs string, fs *FileState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[stateKey(abs)] = fs
}

// sums computes the three hashes of a file's first scanned bytes.
func sums(r io.ReaderAt, scanned int64) (head, check, samples string, err error) {
	block := func(from, to int64) ([]byte, error) {
		buf := make([]byte, to-from)
		n, err := r.ReadAt(buf, from)
		if err != nil && err != io.EOF {
			return nil, err
		}
		return buf[:n], nil
	}
	hexSum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	h, err := block(0, min(checkLen, scanned))
	if err != nil {
		return "", "", "", err
	}
	c, err := block(max(0, scanned-checkLen), scanned)
	if err != nil {
		return "", "", "", err
	}
	all := sha256.New()
	if scanned > 0 {
		for k := int64(0); k < stateSamples; k++ {
			at := scanned * k / stateSamples
			b, err := block(at, min(at+checkLen, scanned))
			if err != nil {
				return "", "", "", err
			}
			all.Write(b)
		}
	}
	return hexSum(h), hexSum(c), hex.EncodeToString(all.Sum(nil)), nil
}

// scanWithState scans a file using and updating the state:
//
//   - unchanged (same device, inode, status-change time, size and
//     modification time, and the same hashes): not read; its findings
//     are carried over;
//   - grown (same device and inode, larger, the scanned part's head, end
//     and samples unchanged) and append-only: read from where the last
//     scan stopped; earlier findings are carried over;
//   - anything else (rewritten, truncated, replaced, or rewritten in
//     place at the same size with the modification time restored, which
//     changes the status-change time): scanned whole.
func (e *Engine) scanWithState(ctx context.Context, abs string, info fs.FileInfo, in *Input, env *Env, col *collector) (int64, bool) {
	st := e.opt.State
	ident, mod, size := identOf(info), modNS(info), info.Size()
	var carried []Finding
	if prev := st.get(abs); prev != nil && prev.Ident.Dev == ident.Dev && prev.Ident.Ino == ident.Ino && size >= prev.Scanned {
		head, check, samples, err := sums(in.ReaderAt, prev.Scanned)
		same := err == nil && head == prev.Head && check == prev.Check && samples == prev.Samples
		switch {
		case same && size == prev.Size && mod == prev.ModNS && ident.CtimeNS == prev.Ident.CtimeNS:
			col.emit(e.restore(prev.Found, in.Loc), nil)
			st.put(abs, prev)
			col.skip(SkipUnchanged)
			return 0, false
		case same && prev.Resumes && prev.Scanned > 0 && size > prev.Size:
			in.Start, in.StartLine = prev.Scanned, prev.Line
			in.Reader = io.NewSectionReader(in.ReaderAt, prev.Scanned, size-prev.Scanned)
			carried = e.restore(prev.Found, in.Loc)
		}
	}
	var got []Finding
	out := env.out
	env.out = func(fs []Finding, errs []FileError) {
		got = append(got, fs...)
		out(fs, errs)
	}
	lines := &lineCounter{r: in.Reader}
	in.Reader = lines
	n, ok, h := e.dispatch(ctx, in, env, col)
	env.out = out
	col.emit(carried, nil)
	fst := &FileState{Ident: ident, Size: size, ModNS: mod, Scanned: size}
	if r, isR := h.(Resumer); isR && r.Resumes() {
		fst.Resumes = true
		fst.Scanned = in.Start + lines.lastNL + 1
		fst.Line = max(in.StartLine, 1) + lines.count
		if lines.count == 0 {
			fst.Scanned, fst.Line = in.Start, max(in.StartLine, 1)
		}
	}
	var err error
	if fst.Head, fst.Check, fst.Samples, err = sums(in.ReaderAt, fst.Scanned); err != nil {
		return n, ok
	}
	fst.Found = append(carried, got...)
	for i := range fst.Found {
		fst.Found[i].Carried = false
	}
	st.put(abs, fst)
	return n, ok
}

// restore turns stored findings back into Findings (without their raw
// secrets) marked Carried, at the file as displayed now (loc): the real
// path for SARIF comes from this scan, not from the state file.
func (e *Engine) restore(stored []Finding, loc Location) []Finding {
	out := make([]Finding, len(stored))
	for i, f := range stored {
		f.Carried = true
		f.Rule = e.set.Lookup(f.RuleID)
		if f.Source != nil {
			f.Source = e.Source(f.Source.Name)
		} else {
			f.Source = SourceFile
		}
		f.Location.raw = loc.RawFile()
		out[i] = f
	}
	return out
}

// lineCounter counts the newlines read through it and remembers where the
// last one was (offset from the reader's start).
type lineCounter struct {
	r      io.Reader
	read   int64
	count  int
	lastNL int64
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	b := p[:n]
	if k := bytes.Count(b, []byte{'\n'}); k > 0 {
		c.count += k
		c.lastNL = c.read + int64(bytes.LastIndexByte(b, '\n'))
	}
	c.read += int64(n)
	return n, err
}

// modNS returns the modification time in Unix nanoseconds.
func modNS(info fs.FileInfo) int64 { return info.ModTime().UnixNano() }
