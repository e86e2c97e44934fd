package redact

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mcpscan/mcpscan/internal/lazyre"
)

// The backup store.
//
// Each run of Apply that makes backups owns one directory,
// <state dir>/<run id>/, holding manifest.json and files/<n>.orig, one
// copy of each original file. Directories are created 0700 and files
// 0600. The manifest records no secret value: per file it has the path,
// size, mode, owner, mtime, SHA-256 of the whole file before and after,
// the backup's name, and per secret its id, rule ID and number of places.
// The backups themselves hold the secrets: purge them (Purge) once the
// redaction is checked.

// ManifestVersion is the manifest's "version"; it changes only when the
// format changes incompatibly.
const ManifestVersion = 1

// FileState is where a file of a run stands.
type FileState string

// File states in a manifest.
const (
	// StatePending: the backup is complete and the swap is about to
	// happen (or happened, and the run stopped before recording it).
	// Undo and Purge find out which by hashing the file.
	StatePending FileState = "pending"
	// StateDone: the file was replaced by its redacted form.
	StateDone FileState = "done"
	// StateRolledBack: another program wrote to the file during the
	// swap; the original is back in place and nothing changed.
	StateRolledBack FileState = "rolled-back"
	// StateUndone: Undo restored the original.
	StateUndone FileState = "undone"
)

// Manifest describes one run. It is stored as manifest.json in the run's
// directory.
type Manifest struct {
	Version int            `json:"version"`
	RunID   string         `json:"run_id"`
	Created time.Time      `json:"created"`
	Host    string         `json:"host,omitempty"`
	Secrets []SecretRecord `json:"secrets"`
	Files   []FileRecord   `json:"files"`
}

// SecretRecord is one secret of a run: its id and rule ID, never its value.
type SecretRecord struct {
	ID     string `json:"id"`
	RuleID string `json:"rule_id"`
}

// SecretPlaces counts the places of one secret in one file.
type SecretPlaces struct {
	ID     string `json:"id"`
	RuleID string `json:"rule_id"`
	Places int    `json:"places"`
}

// FileRecord is one file of a run.
type FileRecord struct {
	Path  string    `json:"path"`
	Kind  Kind      `json:"kind"`
	State FileState `json:"state"`
	// Backup is the copy of the original, relative to the run directory.
	Backup       string `json:"backup"`
	SizeBefore   int64  `json:"size_before"`
	SizeAfter    int64  `json:"size_after"`
	SHA256Before string `json:"sha256_before"`
	SHA256After  string `json:"sha256_after"`
	// Mode is the permission bits, in octal ("0600").
	Mode string `json:"mode"`
	// UID and GID are the owner (Unix only).
	UID     *int      `json:"uid,omitempty"`
	GID     *int      `json:"gid,omitempty"`
	ModTime time.Time `json:"mtime"`
	// Secrets lists what was replaced, with the number of places.
	Secrets []SecretPlaces `json:"secrets"`
	// Temp and Hold name the files next to Path that exist while the
	// swap is under way (pending): the new content before the swap, and
	// the original after it. A run that stopped half way leaves them;
	// Undo and Purge remove them.
	Temp string `json:"temp,omitempty"`
	Hold string `json:"hold,omitempty"`
	// Undone is when Undo restored the file.
	Undone *time.Time `json:"undone,omitempty"`
}

// DefaultStateDir returns the directory that holds the backups of every
// run: $XDG_STATE_HOME/mcpscan/redact when XDG_STATE_HOME is set to an
// absolute path (on any system); otherwise ~/.local/state/mcpscan/redact
// on Linux and other Unix systems, ~/Library/Application Support/mcpscan/redact
// on macOS (Apple's place for an app's own data; macOS has no state
// directory), and %LocalAppData%\mcpscan\redact on Windows (local, not
// roaming: backups hold secrets and must not sync to other machines).
func DefaultStateDir() (string, error) {
	if x := os.Getenv("XDG_STATE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "mcpscan", "redact"), nil
	}
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "mcpscan", "redact"), nil
		}
		d, err := os.UserCacheDir() // %LocalAppData% too
		if err != nil {
			return "", fmt.Errorf("redact: no state directory: %w", err)
		}
		return filepath.Join(d, "mcpscan", "redact"), nil
	case "darwin", "ios":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("redact: no state directory: %w", err)
		}
		return filepath.Join(home, "Library", "Application Support", "mcpscan", "redact"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("redact: no state directory: %w", err)
	}
	return filepath.Join(home, ".local", "state", "mcpscan", "redact"), nil
}

// runIDPattern is the shape of run ids: UTC time and 6 random characters,
// so that names sort by time.
var runIDPattern = lazyre.New(`^[0-9]{8}T[0-9]{6}Z-[a-z2-7]{6}$`)

// ErrNoRun reports a run id with no run, or no run to undo.
var ErrNoRun = errors.New("redact: no such run")

func newRunID(now time.Time) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("redact: random run id: %w", err)
	}
	for i := range b {
		b[i] = idAlphabet[b[i]&31]
	}
	return now.UTC().Format("20060102T150405Z") + "-" + string(b[:]), nil
}

// run is an open run directory.
type run struct {
	dir string
	mu  sync.Mutex
	man Manifest
	fs  *fsys
}

// privateDir creates dir and its missing parents with mode 0700 and makes
// sure dir itself is 0700.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if fi.Mode().Perm() != 0o700 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}

func createRun(stateDir, id string, now time.Time, fsys *fsys) (*run, error) {
	if err := privateDir(stateDir); err != nil {
		return nil, fmt.Errorf("redact: backup store %s: %w", stateDir, err)
	}
	dir := filepath.Join(stateDir, id)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, fmt.Errorf("redact: backup store: %w", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "files"), 0o700); err != nil {
		return nil, fmt.Errorf("redact: backup store: %w", err)
	}
	host, _ := os.Hostname()
	r := &run{dir: dir, fs: fsys, man: Manifest{Version: ManifestVersion, RunID: id, Created: now.UTC(), Host: host,
		Secrets: []SecretRecord{}, Files: []FileRecord{}}}
	if err := r.save(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return r, nil
}

func openRun(stateDir, id string) (*run, error) {
	if !runIDPattern.MatchString(id) {
		return nil, fmt.Errorf("%w: %q is not a run id", ErrNoRun, id)
	}
	dir := filepath.Join(stateDir, id)
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoRun, id)
	}
	if err != nil {
		return nil, fmt.Errorf("redact: run %s: %w", id, err)
	}
	r := &run{dir: dir, fs: &fsys{}}
	if err := json.Unmarshal(b, &r.man); err != nil {
		return nil, fmt.Errorf("redact: run %s: manifest: %w", id, err)
	}
	if r.man.Version != ManifestVersion {
		return nil, fmt.Errorf("redact: run %s: manifest version %d (this build reads %d)", id, r.man.Version, ManifestVersion)
	}
	return r, nil
}

// save writes the manifest atomically and durably. The caller holds mu or
// owns r alone.
func (r *run) save() error {
	b, err := jsonMarshalIndent(r.man)
	if err != nil {
		return err
	}
	if err := r.fs.writeFileAtomic(filepath.Join(r.dir, "manifest.json"), b, 0o600); err != nil {
		return fmt.Errorf("redact: manifest: %w", err)
	}
	return nil
}

// update changes file record i (appending it when i == len) and saves.
func (r *run) update(i int, rec FileRecord) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i == len(r.man.Files) {
		r.man.Files = append(r.man.Files, rec)
	} else {
		r.man.Files[i] = rec
	}
	return r.save()
}

// RunInfo summarises one run of the store.
type RunInfo struct {
	ID      string    `json:"run_id"`
	Dir     string    `json:"dir"`
	Created time.Time `json:"created"`
	// Files counts the files the run changed (done), Undone those Undo
	// restored since, and Pending those a stopped run left half way.
	Files   int `json:"files"`
	Undone  int `json:"undone"`
	Pending int `json:"pending"`
	// Bytes is the size of the run's backups.
	Bytes int64 `json:"bytes"`
}

// Runs lists the runs of the store at stateDir ("" means DefaultStateDir),
// oldest first. A missing store has no runs.
func Runs(stateDir string) ([]RunInfo, error) {
	stateDir, err := resolveStateDir(stateDir)
	if err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(stateDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("redact: backup store: %w", err)
	}
	var out []RunInfo
	for _, e := range ents {
		if !e.IsDir() || !runIDPattern.MatchString(e.Name()) {
			continue
		}
		r, err := openRun(stateDir, e.Name())
		if err != nil {
			continue
		}
		info := RunInfo{ID: r.man.RunID, Dir: r.dir, Created: r.man.Created}
		for _, f := range r.man.Files {
			switch f.State {
			case StateDone:
				info.Files++
			case StateUndone:
				info.Undone++
			case StatePending:
				info.Pending++
			}
			if fi, err := os.Stat(filepath.Join(r.dir, f.Backup)); err == nil {
				info.Bytes += fi.Size()
			}
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func resolveStateDir(d string) (string, error) {
	if d != "" {
		return d, nil
	}
	return DefaultStateDir()
}

// Purge deletes the backups and manifest of one run. Backups hold the
// secrets in clear, so purge a run once its redaction is checked; after
// that the run cannot be undone. Purge also removes what a run that
// stopped half way left next to the files (see FileRecord.Temp), except
// an original that holds bytes the backup lacks, which it names in its
// error instead.
func Purge(stateDir, runID string) error {
	stateDir, err := resolveStateDir(stateDir)
	if err != nil {
		return err
	}
	r, err := openRun(stateDir, runID)
	if err != nil {
		return err
	}
	var keep []string
	for _, f := range r.man.Files {
		if f.Temp == "" && f.Hold == "" {
			continue
		}
		if k := cleanLeftovers(f); k != "" {
			keep = append(keep, k)
		}
	}
	if len(keep) > 0 {
		return fmt.Errorf("redact: run %s: kept %s: it holds data the backup lacks; check it, then delete it by hand", runID, strings.Join(keep, ", "))
	}
	if err := os.RemoveAll(r.dir); err != nil {
		return fmt.Errorf("redact: purge %s: %w", runID, err)
	}
	return nil
}

// PurgeAll deletes every run of the store; it stops at the first error.
func PurgeAll(stateDir string) error {
	runs, err := Runs(stateDir)
	if err != nil {
		return err
	}
	stateDir, _ = resolveStateDir(stateDir)
	for _, r := range runs {
		if err := Purge(stateDir, r.ID); err != nil {
			return err
		}
	}
	return nil
}

// cleanLeftovers removes what a stopped run left next to a file (the
// temp and hold names of a pending record) when it is a copy of the
// original (in the backup) or of the redacted content (in place), or a
// partly written new file. A leftover that starts with either but holds
// more (bytes appended to it that are nowhere else) is kept, and its name
// returned.
func cleanLeftovers(f FileRecord) (kept string) {
	names := []string{f.Temp}
	if f.Hold != f.Temp {
		names = append(names, f.Hold)
	}
	var keep []string
	for _, name := range names {
		if name == "" || !isOurName(f.Path, name) {
			continue
		}
		fi, err := os.Lstat(name)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if isPrefix, _ := fileStartsWith(name, f.SizeBefore, f.SHA256Before); isPrefix && f.SHA256Before != "" {
			if fi.Size() != f.SizeBefore {
				keep = append(keep, name)
				continue
			}
		} else if f.SHA256After != "" {
			if isPrefix, _ := fileStartsWith(name, f.SizeAfter, f.SHA256After); isPrefix && fi.Size() != f.SizeAfter {
				keep = append(keep, name)
				continue
			}
		}
		os.Remove(name)
	}
	return strings.Join(keep, ", ")
}

// isOurName reports whether name is a temp or hold name this package
// makes for path.
func isOurName(path, name string) bool {
	return filepath.Dir(name) == filepath.Dir(path) &&
		strings.HasPrefix(filepath.Base(name), "."+filepath.Base(path)+".mcpscan-")
}

// jsonMarshalIndent is json.MarshalIndent with a trailing newline.
func jsonMarshalIndent(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
