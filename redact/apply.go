package redact

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Outcome is what happened to one file.
type Outcome string

// Outcomes of Apply and Undo.
const (
	// OutcomeChanged: the file now holds the redacted content.
	OutcomeChanged Outcome = "changed"
	// OutcomeUnchanged: no secret of the plan was found in the file
	// (Apply), or it already held its original content (Undo).
	OutcomeUnchanged Outcome = "unchanged"
	// OutcomeWouldChange: a dry run found places to replace.
	OutcomeWouldChange Outcome = "would-change"
	// OutcomeSkippedActive: another program was using the file; it is
	// exactly as that program left it. Retry later.
	OutcomeSkippedActive Outcome = "skipped-active"
	// OutcomeError: the file could not be processed (Reason says why);
	// it is unchanged.
	OutcomeError Outcome = "error"
	// OutcomeRestored: Undo put the original content back.
	OutcomeRestored Outcome = "restored"
	// OutcomeRefused: Undo found the file changed other than by appends
	// since the run, and left it alone.
	OutcomeRefused Outcome = "refused"
)

// Options tunes Apply and Undo. The zero value is ready to use.
type Options struct {
	// StateDir is the backup store; "" means DefaultStateDir().
	StateDir string
	// NoBackup skips backups: faster, but the run cannot be undone. No run
	// directory or manifest is written.
	NoBackup bool
	// DryRun finds the places to replace and changes nothing.
	DryRun bool
	// RunID names the run; "" makes a new one (time and random letters).
	RunID string
	// MaxRounds bounds how often a file that grows while it is read is
	// read again before it is reported active (default 20).
	MaxRounds int
	// Settle is how long the original of a live file is watched after the
	// swap for late writes where open writers cannot be listed (default
	// 250 ms; see the package doc). A file is live when it was written
	// within ActiveWindow or grew while it was read.
	Settle time.Duration
	// ActiveWindow: a file written within it counts as live (default 10 min).
	ActiveWindow time.Duration
	// MaxLineBytes bounds one line (default 64 MiB, at most 1 GiB); a file
	// with a longer line is reported as an error and left unchanged.
	MaxLineBytes int
	// Now is the clock (default time.Now).
	Now func() time.Time

	fs *fsys // test seam
}

func (o Options) protocol() *protocol {
	p := &protocol{fs: o.fs, maxRounds: o.MaxRounds, settle: o.Settle, poll: 5 * time.Millisecond,
		activeWindow: o.ActiveWindow, now: o.Now, writers: &writerIndex{}}
	if p.fs == nil {
		p.fs = &fsys{}
	}
	if p.maxRounds <= 0 {
		p.maxRounds = 20
	}
	if p.settle <= 0 {
		p.settle = 250 * time.Millisecond
	}
	if p.activeWindow <= 0 {
		p.activeWindow = 10 * time.Minute
	}
	if p.now == nil {
		p.now = time.Now
	}
	return p
}

// FileResult is what Apply did to one file. It never holds a secret.
type FileResult struct {
	// Path is the path as given in the plan; Target is the file actually
	// rewritten when Path is a symbolic link.
	Path    string  `json:"path"`
	Target  string  `json:"target,omitempty"`
	Kind    Kind    `json:"kind"`
	Outcome Outcome `json:"outcome"`
	// Reason explains skipped-active and error outcomes, and notes
	// anything unusual about a change.
	Reason string `json:"reason,omitempty"`
	// Places counts the occurrences replaced (or, in a dry run, to be
	// replaced); Secrets splits them per secret.
	Places  int            `json:"places"`
	Secrets []SecretPlaces `json:"secrets"`
	// Unredactable counts occurrences found but left in place: a secret
	// that is a JSON number, or a raw hit that crosses JSON structure.
	Unredactable int `json:"unredactable,omitempty"`
	// Lines counts the lines changed.
	Lines int `json:"lines"`
	// BytesBefore and BytesAfter are the file's size before and after.
	BytesBefore int64 `json:"bytes_before"`
	BytesAfter  int64 `json:"bytes_after"`
	// Appended counts bytes another program appended while the file was
	// read; they are in the result, redacted.
	Appended int64 `json:"appended_bytes,omitempty"`
	// Backup is the copy of the original in the store.
	Backup string `json:"backup,omitempty"`
}

// SecretSummary is one secret across the run.
type SecretSummary struct {
	ID     string `json:"id"`
	RuleID string `json:"rule_id"`
	Files  int    `json:"files"`
	Places int    `json:"places"`
}

// Totals sums a Result.
type Totals struct {
	Files         int   `json:"files"`
	Changed       int   `json:"changed"`
	Unchanged     int   `json:"unchanged"`
	SkippedActive int   `json:"skipped_active"`
	Errors        int   `json:"errors"`
	Places        int   `json:"places"`
	BytesBefore   int64 `json:"bytes_before"`
	BytesAfter    int64 `json:"bytes_after"`
}

// Result is the machine-readable account of one Apply. It never holds a
// secret value.
type Result struct {
	RunID string `json:"run_id,omitempty"`
	// BackupDir is the run's directory in the store ("" without backups).
	BackupDir string          `json:"backup_dir,omitempty"`
	DryRun    bool            `json:"dry_run"`
	Files     []FileResult    `json:"files"`
	Secrets   []SecretSummary `json:"secrets"`
	Totals    Totals          `json:"totals"`
}

// Changed returns the paths (as given in the plan) of the files that now
// hold redacted content: the files to rescan.
func (r *Result) Changed() []string {
	var out []string
	for _, f := range r.Files {
		if f.Outcome == OutcomeChanged {
			out = append(out, f.Path)
		}
	}
	return out
}

// Apply removes the plan's secrets from its files, one file at a time, as
// the package doc describes. A plan problem (ErrInvalidPlan) or a backup
// store that cannot be created returns an error before any file is
// touched; after that, each file's fate is in its FileResult and Apply
// returns the Result with a nil error, or ctx's error when it was
// cancelled (the remaining files are reported as errors, unchanged).
func Apply(ctx context.Context, plan Plan, opt Options) (*Result, error) {
	tab, per, repl, err := normalizeAll(plan)
	if err != nil {
		return nil, err
	}
	p := opt.protocol()
	res := &Result{DryRun: opt.DryRun, Files: []FileResult{}, Secrets: []SecretSummary{}}
	var rn *run
	if !opt.DryRun && !opt.NoBackup {
		dir, err := resolveStateDir(opt.StateDir)
		if err != nil {
			return nil, err
		}
		id := opt.RunID
		if id == "" {
			if id, err = newRunID(p.now()); err != nil {
				return nil, err
			}
		} else if !runIDPattern.MatchString(id) {
			return nil, fmt.Errorf("%w: run id %q", ErrInvalidPlan, id)
		}
		if rn, err = createRun(dir, id, p.now(), p.fs); err != nil {
			return nil, err
		}
		for _, s := range tab.list {
			rn.man.Secrets = append(rn.man.Secrets, SecretRecord{ID: s.id, RuleID: s.ruleID})
		}
		if err := rn.save(); err != nil {
			return nil, err
		}
		res.RunID, res.BackupDir = id, rn.dir
	}
	for i, f := range plan.Files {
		if err := ctx.Err(); err != nil {
			res.Files = append(res.Files, FileResult{Path: f.Path, Kind: f.Kind, Outcome: OutcomeError,
				Reason: "cancelled before this file", Secrets: []SecretPlaces{}})
			continue
		}
		infos := make([]*secretInfo, len(per[i]))
		for j, k := range per[i] {
			infos[j] = tab.list[k]
			if r := repl[i][j]; r != "" {
				c := *infos[j]
				c.marker = []byte(r)
				infos[j] = &c
			}
		}
		res.Files = append(res.Files, applyFile(p, rn, i, f, infos, opt))
	}
	res.summarize(tab)
	return res, ctx.Err()
}

func applyFile(p *protocol, rn *run, i int, f File, infos []*secretInfo, opt Options) FileResult {
	fr := FileResult{Path: f.Path, Kind: f.Kind, Secrets: []SecretPlaces{}}
	real, err := realPath(f.Path)
	if err != nil {
		fr.Outcome, fr.Reason = OutcomeError, describeErr(err)
		return fr
	}
	if real != f.Path {
		if abs, _ := filepath.Abs(f.Path); abs != real {
			fr.Target = real
		}
	}
	job := rewriteJob{
		path:   real,
		dryRun: opt.DryRun,
		newStream: func(out io.Writer) stream {
			return newRedactor(f.Kind, infos, out, opt.MaxLineBytes)
		},
	}
	if f.Kind == KindJSON {
		job.verify = verifyJSONDocument
	}
	var recIdx = -1
	if rn != nil {
		name := filepath.Join("files", fmt.Sprintf("%04d.orig", i))
		job.backup = filepath.Join(rn.dir, name)
		job.onPending = func(r *rewriteResult) error {
			rec := fileRecord(real, f.Kind, name, r, infos)
			rec.State = StatePending
			if recIdx < 0 {
				rn.mu.Lock()
				recIdx = len(rn.man.Files)
				rn.mu.Unlock()
			}
			return rn.update(recIdx, rec)
		}
	}
	r := p.run(job)
	fr.Outcome, fr.Reason = r.outcome, r.reason
	fr.BytesBefore, fr.BytesAfter, fr.Appended = r.sizeBefore, r.sizeAfter, r.appended
	if rd, ok := r.stream.(*redactor); ok && r.outcome != OutcomeError && r.outcome != OutcomeSkippedActive {
		st := rd.result()
		fr.Places, fr.Unredactable, fr.Lines = st.total(), st.residual, st.lines
		for j, n := range st.places {
			if n > 0 {
				fr.Secrets = append(fr.Secrets, SecretPlaces{ID: infos[j].id, RuleID: infos[j].ruleID, Places: n})
			}
		}
	}
	if opt.DryRun {
		fr.BytesAfter = 0
	}
	if rn != nil && recIdx >= 0 && r.swapped && !r.rolledBack && r.outcome != OutcomeChanged {
		// Something failed after the swap: the file is redacted, and the
		// pending record (written right after the swap) says where the
		// original is. Leave it for Undo and Purge.
		fr.Backup = job.backup
		return fr
	}
	if rn != nil && recIdx >= 0 {
		rec := fileRecord(real, f.Kind, filepath.Join("files", fmt.Sprintf("%04d.orig", i)), &r, infos)
		switch r.outcome {
		case OutcomeChanged:
			rec.State = StateDone // Hold stays set if it could not be removed
			fr.Backup = filepath.Join(rn.dir, rec.Backup)
		default:
			// The swap did not happen or was rolled back: the file is as
			// it was, and its backup is gone.
			rec.State = StateRolledBack
			rec.Temp, rec.Hold = "", ""
		}
		if err := rn.update(recIdx, rec); err != nil && r.outcome == OutcomeChanged {
			fr.Reason = "the file was redacted, but recording it in the manifest failed (undo will find it by its content): " + err.Error()
		}
	}
	return fr
}

func fileRecord(path string, kind Kind, backup string, r *rewriteResult, infos []*secretInfo) FileRecord {
	rec := FileRecord{Path: path, Kind: kind, Backup: backup,
		SizeBefore: r.sizeBefore, SizeAfter: r.sizeAfter, SHA256Before: r.shaBefore, SHA256After: r.shaAfter,
		Mode: fmt.Sprintf("%#o", r.mode.Perm()), ModTime: r.modTime.UTC(), Temp: r.temp, Hold: r.hold, Secrets: []SecretPlaces{}}
	if r.uid >= 0 {
		uid, gid := r.uid, r.gid
		rec.UID, rec.GID = &uid, &gid
	}
	if rd, ok := r.stream.(*redactor); ok {
		st := rd.result()
		for j, n := range st.places {
			if n > 0 {
				rec.Secrets = append(rec.Secrets, SecretPlaces{ID: infos[j].id, RuleID: infos[j].ruleID, Places: n})
			}
		}
	}
	return rec
}

// realPath returns the absolute path of the file path names, following
// symbolic links, so that the file itself is replaced and the link kept.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if _, err := os.Lstat(abs); err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

func (r *Result) summarize(tab *secretTable) {
	type agg struct{ files, places int }
	per := map[string]*agg{}
	for _, f := range r.Files {
		r.Totals.Files++
		switch f.Outcome {
		case OutcomeChanged, OutcomeWouldChange:
			r.Totals.Changed++
			r.Totals.Places += f.Places
			for _, s := range f.Secrets {
				a := per[s.ID]
				if a == nil {
					a = &agg{}
					per[s.ID] = a
				}
				a.files++
				a.places += s.Places
			}
		case OutcomeUnchanged:
			r.Totals.Unchanged++
		case OutcomeSkippedActive:
			r.Totals.SkippedActive++
		default:
			r.Totals.Errors++
		}
		r.Totals.BytesBefore += f.BytesBefore
		r.Totals.BytesAfter += f.BytesAfter
	}
	for _, s := range tab.list {
		a := per[s.id]
		if a == nil {
			a = &agg{}
		}
		r.Secrets = append(r.Secrets, SecretSummary{ID: s.id, RuleID: s.ruleID, Files: a.files, Places: a.places})
	}
	sort.SliceStable(r.Secrets, func(i, j int) bool { return r.Secrets[i].Places > r.Secrets[j].Places })
}
