package redact

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
)

// UndoFile is what Undo did to one file.
type UndoFile struct {
	Path string `json:"path"`
	// Outcome is restored, unchanged (the file already held its original
	// content), refused, skipped-active or error.
	Outcome Outcome `json:"outcome"`
	Reason  string  `json:"reason,omitempty"`
	// Tail counts the bytes appended to the file since the run (a live
	// session's new records); they are kept after the restored original.
	Tail int64 `json:"tail_bytes,omitempty"`
}

// UndoResult is the account of one Undo.
type UndoResult struct {
	RunID string     `json:"run_id"`
	Files []UndoFile `json:"files"`
}

// errNotRedacted means the file does not start with the run's redacted
// content.
var errNotRedacted = errors.New("the file changed since the run other than by appends")

// errBadBackup means the backup does not match its manifest.
var errBadBackup = errors.New("the backup does not match the manifest (damaged or changed)")

// Undo restores the files of a run (runID "" means the newest run with
// something to undo) from its backups, through the same commit protocol
// as Apply. A file restored is byte for byte its original, followed by
// whatever was appended to it since the run. A file that changed in any
// other way (its first SizeAfter bytes no longer hash to SHA256After) is
// refused and left alone; if a later run changed it too, the reason names
// that run, to be undone first. Undo returns ErrNoRun when there is no
// such run; per-file problems are in the result.
func Undo(ctx context.Context, runID string, opt Options) (*UndoResult, error) {
	dir, err := resolveStateDir(opt.StateDir)
	if err != nil {
		return nil, err
	}
	if runID == "" {
		runs, err := Runs(dir)
		if err != nil {
			return nil, err
		}
		for i := len(runs) - 1; i >= 0; i-- {
			if runs[i].Files+runs[i].Pending > 0 {
				runID = runs[i].ID
				break
			}
		}
		if runID == "" {
			return nil, fmt.Errorf("%w to undo in %s", ErrNoRun, dir)
		}
	}
	rn, err := openRun(dir, runID)
	if err != nil {
		return nil, err
	}
	p := opt.protocol()
	res := &UndoResult{RunID: runID, Files: []UndoFile{}}
	for i := range rn.man.Files {
		rec := rn.man.Files[i]
		if rec.State != StateDone && rec.State != StatePending {
			continue
		}
		if err := ctx.Err(); err != nil {
			res.Files = append(res.Files, UndoFile{Path: rec.Path, Outcome: OutcomeError, Reason: "cancelled before this file"})
			continue
		}
		uf := undoFile(p, rn, rec)
		switch uf.Outcome {
		case OutcomeRestored:
			now := p.now().UTC()
			rec.State, rec.Undone = StateUndone, &now
		case OutcomeUnchanged:
			if rec.State == StatePending {
				rec.State = StateRolledBack
			} else {
				now := p.now().UTC()
				rec.State, rec.Undone = StateUndone, &now
			}
		}
		if rec.State != rn.man.Files[i].State {
			if rn.man.Files[i].State == StatePending {
				cleanLeftovers(rn.man.Files[i])
				rec.Temp, rec.Hold = "", ""
			}
			if err := rn.update(i, rec); err != nil {
				uf.Reason = joinReason(uf.Reason, "recording it in the manifest failed: "+err.Error())
			}
		}
		res.Files = append(res.Files, uf)
	}
	return res, ctx.Err()
}

func joinReason(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func undoFile(p *protocol, rn *run, rec FileRecord) UndoFile {
	uf := UndoFile{Path: rec.Path}
	if later := laterRuns(rn, rec.Path); len(later) > 0 {
		uf.Outcome = OutcomeRefused
		uf.Reason = fmt.Sprintf("run %s changed this file later: undo that run first", later[len(later)-1])
		return uf
	}
	backup := filepath.Join(rn.dir, rec.Backup)
	if rec.State == StatePending && rec.SHA256After == "" {
		// The run stopped during this file's swap, before it could record
		// what it put in place.
		if orig, _ := fileStartsWith(rec.Path, rec.SizeBefore, rec.SHA256Before); orig {
			uf.Outcome, uf.Reason = OutcomeUnchanged, "the file holds its original content (the run stopped before its swap)"
			return uf
		}
		uf.Outcome = OutcomeRefused
		uf.Reason = "the run stopped during this file's swap, before recording its redacted form; the original as read is in " + backup
		for _, n := range []string{rec.Temp, rec.Hold} {
			if n != "" {
				if _, err := os.Lstat(n); err == nil {
					uf.Reason += ", and the original with anything appended to it may be at " + n
					break
				}
			}
		}
		return uf
	}
	if _, err := os.Stat(backup); err != nil {
		uf.Outcome, uf.Reason = OutcomeError, "backup missing: "+describeErr(err)
		return uf
	}
	r := p.run(rewriteJob{path: rec.Path, newStream: func(out io.Writer) stream {
		return newRestorer(out, rec, backup)
	}})
	switch {
	case r.outcome == OutcomeChanged:
		uf.Outcome = OutcomeRestored
		uf.Tail = r.sizeBefore - rec.SizeAfter
		uf.Reason = r.reason
	case errors.Is(r.err, errNotRedacted):
		if orig, _ := fileStartsWith(rec.Path, rec.SizeBefore, rec.SHA256Before); orig {
			uf.Outcome, uf.Reason = OutcomeUnchanged, "the file already holds its original content"
			return uf
		}
		uf.Outcome = OutcomeRefused
		uf.Reason = "the file changed since the run other than by appends; left alone (the original is in " + backup + ")"
	default:
		uf.Outcome, uf.Reason = r.outcome, r.reason
	}
	return uf
}

// fileStartsWith reports whether path's first n bytes hash to sum.
func fileStartsWith(path string, n int64, sum string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	m, err := io.Copy(h, io.LimitReader(f, n))
	if err != nil || m != n {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == sum, nil
}

// laterRuns lists the runs after rn that changed path and are not undone.
func laterRuns(rn *run, path string) []string {
	runs, err := Runs(filepath.Dir(rn.dir))
	if err != nil {
		return nil
	}
	var out []string
	for _, ri := range runs {
		later := ri.Created.After(rn.man.Created) || ri.Created.Equal(rn.man.Created) && ri.ID > rn.man.RunID
		if !later {
			continue
		}
		other, err := openRun(filepath.Dir(rn.dir), ri.ID)
		if err != nil {
			continue
		}
		for _, f := range other.man.Files {
			if f.Path == path && (f.State == StateDone || f.State == StatePending) {
				out = append(out, ri.ID)
				break
			}
		}
	}
	return out
}

// restorer is the transform of Undo: it checks that the input starts
// with the run's redacted content (SizeAfter bytes hashing to
// SHA256After), writes the backup in its place, then copies the rest (a
// live session's appends) unchanged.
type restorer struct {
	out       io.Writer
	rec       FileRecord
	backup    string
	h         hash.Hash
	seen      int64
	restored  bool
	wantAfter []byte
}

func newRestorer(out io.Writer, rec FileRecord, backup string) *restorer {
	want, _ := hex.DecodeString(rec.SHA256After)
	return &restorer{out: out, rec: rec, backup: backup, h: sha256.New(), wantAfter: want}
}

func (r *restorer) Write(p []byte) (int, error) {
	n := len(p)
	if r.seen < r.rec.SizeAfter {
		k := int(min(int64(len(p)), r.rec.SizeAfter-r.seen))
		r.h.Write(p[:k])
		r.seen += int64(k)
		p = p[k:]
	}
	if !r.restored && r.seen == r.rec.SizeAfter {
		if err := r.restore(); err != nil {
			return 0, err
		}
		r.restored = true
	}
	if len(p) > 0 {
		if _, err := r.out.Write(p); err != nil {
			return 0, err
		}
	}
	return n, nil
}

func (r *restorer) restore() error {
	if !bytes.Equal(r.h.Sum(nil), r.wantAfter) {
		return errNotRedacted
	}
	f, err := os.Open(r.backup)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(r.out, h), f)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if n != r.rec.SizeBefore || hex.EncodeToString(h.Sum(nil)) != r.rec.SHA256Before {
		return errBadBackup
	}
	return nil
}

// Flush fails when the input ended inside the redacted prefix. With an
// empty prefix it writes the backup, provisionally (see stream).
func (r *restorer) Flush() error {
	if !r.restored {
		if r.seen < r.rec.SizeAfter {
			return errNotRedacted
		}
		return r.restore()
	}
	return nil
}

func (r *restorer) changed() bool { return true }
