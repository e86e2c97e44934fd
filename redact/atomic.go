package redact

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// The commit protocol: how one file is replaced, safely against a live
// appender. See the package doc ("Live files") for the guarantees; the
// steps are:
//
//  1. Open the file (descriptor D on inode I0) and stat it.
//  2. Stream I0 from 0 to its current end through the transform into a
//     temporary file T in the same directory, and into the backup.
//  3. Flush the transform (a last line without newline), then stat D
//     again. If I0 grew, discard the flushed bytes of T and go back to 2
//     for the new bytes, at most maxRounds times; if it shrank, give up.
//  4. Hash I0's bytes again and compare: a change other than an append
//     gives up.
//  5. Give T the mode, owner and times of I0 and fsync it; fsync the
//     backup and record the file as pending in the manifest.
//  6. Ask the OS whether another process holds I0 open for writing;
//     if so, give up ("active").
//  7. Check D's size once more and that the path still names I0, then
//     swap: on Linux renameat2(RENAME_EXCHANGE) and on macOS
//     renamex_np(RENAME_SWAP) atomically exchange T and the path, so I0
//     lands at T's name; elsewhere I0 is first hard-linked to a hold
//     name and T renamed over the path. Either way I0 stays reachable,
//     and the swap is checked to have replaced I0 itself.
//  8. fsync the directory, then watch D: a writer that opened the path
//     before the swap writes to I0. If I0 grows (at once, or within the
//     settle time for a recently written file), roll back: put I0 back
//     at the path, carry over whatever landed in T meanwhile, and report
//     the file active. Otherwise remove the hold name: done.

// fsys is the seam to the file system: the real calls, plus hooks that
// tests use to fail writes and to act inside the protocol's windows.
type fsys struct {
	wrapTemp   func(io.Writer) io.Writer // wraps writes of new content
	wrapBackup func(io.Writer) io.Writer // wraps writes of backups
	noExchange bool                      // do not try an atomic exchange
	noLink     bool                      // do not try a hold link either
	// hooks, called with the file's path
	beforeFinalCheck func(path string, round int)
	beforeSwap       func(path string)
	afterSwap        func(path string)
	afterRecord      func(path string) // after the post-swap manifest record
	// writers overrides open-writer detection.
	writers func(path string, fi os.FileInfo, fresh bool) (holders []string, known bool)
}

func (f *fsys) tempWriter(w io.Writer) io.Writer {
	if f != nil && f.wrapTemp != nil {
		return f.wrapTemp(w)
	}
	return w
}

func (f *fsys) backupWriter(w io.Writer) io.Writer {
	if f != nil && f.wrapBackup != nil {
		return f.wrapBackup(w)
	}
	return w
}

func (f *fsys) hook(h func(string), path string) {
	if f != nil && h != nil {
		h(path)
	}
}

// writeFileAtomic replaces path with data: temp file in the same
// directory, fsync, rename, fsync of the directory.
func (f *fsys) writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	t, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			t.Close()
			os.Remove(t.Name())
		}
	}()
	if _, err := f.backupWriter(t).Write(data); err != nil {
		return err
	}
	if err := t.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if err := t.Sync(); err != nil {
		return err
	}
	if err := t.Close(); err != nil {
		return err
	}
	if err := os.Rename(t.Name(), path); err != nil {
		return err
	}
	ok = true
	return syncDir(dir)
}

// sink writes new content to a temporary file, hashing it, and can go
// back to an earlier length.
type sink struct {
	f  *os.File
	bw *bufio.Writer
	w  io.Writer
	h  hash.Hash
	n  int64
}

type mark struct {
	n int64
	h []byte
}

func newSink(f *os.File, wrap func(io.Writer) io.Writer) *sink {
	w := wrap(f)
	return &sink{f: f, w: w, bw: bufio.NewWriterSize(w, 256<<10), h: sha256.New()}
}

func (s *sink) Write(p []byte) (int, error) {
	n, err := s.bw.Write(p)
	s.h.Write(p[:n])
	s.n += int64(n)
	return n, err
}

func (s *sink) checkpoint() (mark, error) {
	if err := s.bw.Flush(); err != nil {
		return mark{}, err
	}
	st, err := s.h.(encoding.BinaryMarshaler).MarshalBinary()
	return mark{s.n, st}, err
}

func (s *sink) rollback(m mark) error {
	s.bw.Reset(s.w)
	if err := s.f.Truncate(m.n); err != nil {
		return err
	}
	if _, err := s.f.Seek(m.n, io.SeekStart); err != nil {
		return err
	}
	s.n = m.n
	return s.h.(encoding.BinaryUnmarshaler).UnmarshalBinary(m.h)
}

func (s *sink) sum() string { return hex.EncodeToString(s.h.Sum(nil)) }

// stream is a transform of a file's bytes (see redactor).
type stream interface {
	io.Writer
	// Flush writes the output of the input's unfinished tail; it may be
	// called again after more writes, once the caller has discarded
	// what the previous call wrote.
	Flush() error
	changed() bool
}

// rewriteJob is one file to put through the commit protocol.
type rewriteJob struct {
	path      string
	newStream func(out io.Writer) stream
	// backup is the path of the backup to write, "" for none.
	backup string
	// onPending runs once the new content and the backup are durable,
	// right before the swap; an error leaves the file untouched.
	onPending func(res *rewriteResult) error
	// verify, when set, checks the new content against the original
	// before the swap; an error leaves the file untouched.
	verify func(orig, out io.Reader) error
	dryRun bool
}

// rewriteResult is what the protocol did to one file.
type rewriteResult struct {
	outcome               Outcome
	reason                string
	sizeBefore, sizeAfter int64
	shaBefore, shaAfter   string
	appended              int64 // bytes another program appended while we worked
	modTime               time.Time
	mode                  os.FileMode
	uid, gid              int // -1 when unknown
	temp, hold            string
	stream                stream
	err                   error // what ended the protocol early, if anything
	// swapped: the new content was put in place; rolledBack: and then
	// the original was put back.
	swapped, rolledBack bool
}

// protocol holds the settings of the commit protocol.
type protocol struct {
	fs           *fsys
	maxRounds    int
	settle       time.Duration
	poll         time.Duration
	activeWindow time.Duration
	now          func() time.Time
	writers      *writerIndex
}

// errActive marks reasons that mean "another program is using the file".
type activeError struct{ msg string }

func (e *activeError) Error() string { return e.msg }

func active(format string, a ...any) error { return &activeError{fmt.Sprintf(format, a...)} }

// run puts one file through the protocol. Errors are reported in the
// result (outcome error or skipped-active), never lost.
func (p *protocol) run(job rewriteJob) (res rewriteResult) {
	res.uid, res.gid = -1, -1
	err := p.rewrite(job, &res)
	res.err = err
	var ae *activeError
	switch {
	case err == nil:
	case errors.As(err, &ae):
		res.outcome, res.reason = OutcomeSkippedActive, ae.msg
	default:
		res.outcome, res.reason = OutcomeError, describeErr(err)
	}
	return res
}

// describeErr turns an error into a reason: the error's own text names
// the operation, the path and the cause ("open …: permission denied").
func describeErr(err error) string { return err.Error() }

func (p *protocol) rewrite(job rewriteJob, res *rewriteResult) (err error) {
	path := job.path
	f0, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f0.Close()
	fi, err := f0.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("not a regular file (%s)", fi.Mode().Type())
	}
	meta := metaOf(fi)
	if meta.nlink > 1 {
		return fmt.Errorf("the file has %d hard links: replacing it would leave the secret under its other names", meta.nlink)
	}
	res.mode, res.uid, res.gid = fi.Mode(), meta.uid, meta.gid
	recent := p.now().Sub(fi.ModTime()) < p.activeWindow

	if job.dryRun {
		st := job.newStream(io.Discard)
		res.stream = st
		n, err := io.Copy(st, io.NewSectionReader(f0, 0, fi.Size()))
		if err != nil {
			return err
		}
		if err := st.Flush(); err != nil {
			return err
		}
		res.sizeBefore = n
		res.outcome = OutcomeUnchanged
		if st.changed() {
			res.outcome = OutcomeWouldChange
		}
		return nil
	}

	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".mcpscan-*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write in the file's directory: %w", err)
	}
	res.temp = tmp.Name()
	holdID, err := newShortID()
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	holdName := filepath.Join(dir, "."+filepath.Base(path)+".mcpscan-hold-"+holdID)
	res.hold = holdName
	keepTemp := false
	defer func() {
		if !keepTemp {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	out := newSink(tmp, p.fs.tempWriter)
	st := job.newStream(out)
	res.stream = st

	var bk *os.File
	var bw *bufio.Writer
	if job.backup != "" {
		bk, err = os.OpenFile(job.backup, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		bw = bufio.NewWriterSize(p.fs.backupWriter(bk), 256<<10)
		defer func() {
			bk.Close()
			// The backup goes when the file is as it was; after a swap
			// that was not rolled back it stays, whatever failed.
			if res.outcome != OutcomeChanged && (!res.swapped || res.rolledBack) {
				os.Remove(job.backup)
			}
		}()
	}

	in := sha256.New()
	var read int64
	buf := make([]byte, 256<<10)
	live := recent
	prepared := false
	for round := 0; ; round++ {
		if round >= p.maxRounds {
			return active("another program kept appending to the file (%d tries); left unchanged, retry later", p.maxRounds)
		}
		cur, err := f0.Stat()
		if err != nil {
			return err
		}
		if cur.Size() < read {
			return active("the file shrank while it was read (another program rewrote it); left unchanged, retry later")
		}
		for read < cur.Size() {
			n, err := f0.ReadAt(buf[:min(int64(len(buf)), cur.Size()-read)], read)
			if n > 0 {
				in.Write(buf[:n])
				if bw != nil {
					if _, err := bw.Write(buf[:n]); err != nil {
						return fmt.Errorf("backup: %w", err)
					}
				}
				if _, err := st.Write(buf[:n]); err != nil {
					return err
				}
				read += int64(n)
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
		}
		if read > fi.Size() {
			live = true
		}
		m, err := out.checkpoint()
		if err != nil {
			return err
		}
		if err := st.Flush(); err != nil {
			return err
		}
		if !st.changed() {
			res.outcome = OutcomeUnchanged
			res.sizeBefore, res.sizeAfter = read, read
			return nil
		}
		if !prepared {
			// The slow steps, once: appends that arrive meanwhile are read
			// by the next round, which is quick, so that the window
			// between the last look and the swap stays microseconds.
			prepared = true
			if err := p.prepare(path, f0, fi, tmp, out, meta, bw, bk, in, read, live); err != nil {
				return err
			}
			if job.verify != nil {
				if err := job.verify(io.NewSectionReader(f0, 0, read), io.NewSectionReader(tmp, 0, out.n)); err != nil {
					return err
				}
			}
			res.sizeBefore, res.sizeAfter = read, m.n
			res.shaBefore = hex.EncodeToString(in.Sum(nil))
			res.shaAfter = "" // known after the swap
			if job.onPending != nil {
				if err := job.onPending(res); err != nil {
					return err
				}
			}
		}
		if h := p.fs; h != nil && h.beforeFinalCheck != nil {
			h.beforeFinalCheck(path, round)
		}
		if grew, err := sizeChanged(f0, read); err != nil {
			return err
		} else if grew {
			if err := out.rollback(m); err != nil {
				return err
			}
			continue
		}
		break
	}
	if _, err := out.checkpoint(); err != nil {
		return err
	}
	cur, err := f0.Stat()
	if err != nil {
		return err
	}
	if err := os.Chtimes(tmp.Name(), meta.atime, cur.ModTime()); err != nil {
		return err
	}
	if bw != nil {
		// Written now, synced after the swap: a full disk shows here.
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	res.sizeBefore, res.sizeAfter = read, out.n
	res.shaBefore, res.shaAfter = hex.EncodeToString(in.Sum(nil)), out.sum()
	res.appended = read - fi.Size()
	res.modTime = cur.ModTime()
	if lfi, err := os.Lstat(path); err != nil || !os.SameFile(lfi, fi) {
		return active("another program replaced the file while it was read; left unchanged, retry later")
	}
	p.fs.hook(p.fs.beforeSwap, path)
	mode, hold, err := p.swap(tmp.Name(), holdName, path, fi, live)
	if err != nil {
		return err
	}
	res.hold = hold
	res.swapped = true
	keepTemp = true // its name is gone, or holds the original now
	rollback := func() error {
		err := p.rollback(path, hold, mode, tmp, out.n, fi)
		var ae *activeError
		if errors.As(err, &ae) {
			res.rolledBack = true
		}
		return err
	}
	p.fs.hook(p.fs.afterSwap, path)
	// Durability of the new file and its name. Until the hold name is
	// removed, the original is still there under it.
	if err := tmp.Sync(); err != nil {
		res.reason = "sync after the swap failed: " + err.Error()
	}
	if err := syncDir(dir); err != nil {
		res.reason = joinReason(res.reason, "directory sync failed: "+err.Error())
	}
	// Record what is now in place, so that a run stopped from here on can
	// still be undone exactly.
	if job.onPending != nil {
		if err := job.onPending(res); err != nil {
			res.reason = joinReason(res.reason, "recording the swap failed: "+err.Error())
		}
	}
	p.fs.hook(p.fs.afterRecord, path)
	late, err := p.watch(path, f0, fi, read, live)
	if err != nil {
		return fmt.Errorf("watching the original after the swap: %w (the file is redacted; the original is at %s and in the backup)", err, hold)
	}
	if !late {
		// Anything but an append changed the bytes read (checked through
		// the original's descriptor; no new writer can open it now).
		same, err := prefixHashIs(f0, read, in.Sum(nil))
		if err != nil {
			return fmt.Errorf("checking the original after the swap: %w (the file is redacted; the original is at %s and in the backup)", err, hold)
		}
		if !same {
			if mode == swapRename {
				return fmt.Errorf("another program changed the file in place during the swap; the redacted file is in place, the original as read is in the backup")
			}
			if err := rollback(); !res.rolledBack {
				return err
			}
			return active("another program changed the file in place while it was read; the original is back in place, nothing was redacted; retry later")
		}
		if late, err = sizeChanged(f0, read); err != nil {
			return err
		}
	}
	if late && mode == swapRename {
		// No way back: carry the late bytes over, redacted.
		n, err := p.carryLate(job, path, f0, tmp, read)
		if err != nil {
			return err
		}
		res.reason = joinReason(res.reason, fmt.Sprintf("%d bytes another program wrote during the swap were carried over, redacted", n))
	} else if late {
		return rollback()
	}
	if bw != nil {
		if err := bk.Sync(); err != nil {
			return fmt.Errorf("backup: %w (the file was redacted; its original is at %s)", err, hold)
		}
	}
	if hold != "" {
		if err := os.Remove(hold); err != nil && !errors.Is(err, fs.ErrNotExist) {
			res.reason = joinReason(res.reason, fmt.Sprintf("the original is still at %s, and it holds the secret: removing it failed (%v); delete it", hold, err))
		} else {
			res.hold = ""
			syncDir(dir)
		}
	}
	res.temp = ""
	tmp.Close()
	res.outcome = OutcomeChanged
	return nil
}

// prepare does the slow steps before the swap, once: the new content
// gets the original's mode and owner and is fsynced, the backup is
// fsynced, the bytes read are hashed again (a change other than an
// append gives up), and open writers are looked for.
func (p *protocol) prepare(path string, f0 *os.File, fi os.FileInfo, tmp *os.File, out *sink, meta fileMeta,
	bw *bufio.Writer, bk *os.File, in hash.Hash, read int64, live bool) error {
	if _, err := out.checkpoint(); err != nil {
		return err
	}
	if err := p.finishTemp(tmp, fi, meta); err != nil {
		return err
	}
	if bw != nil {
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		if err := bk.Sync(); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	same, err := prefixHashIs(f0, read, in.Sum(nil))
	if err != nil {
		return err
	}
	if !same {
		return active("another program changed the file in place while it was read; left unchanged, retry later")
	}
	return p.checkWriters(path, fi, live)
}

// sizeChanged reports whether f's size is no longer n.
func sizeChanged(f *os.File, n int64) (bool, error) {
	fi, err := f.Stat()
	if err != nil {
		return false, err
	}
	return fi.Size() != n, nil
}

// prefixHashIs reports whether the first n bytes of f hash to sum.
func prefixHashIs(f *os.File, n int64, sum []byte) (bool, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, n)); err != nil {
		return false, err
	}
	return bytes.Equal(h.Sum(nil), sum), nil
}

// finishTemp gives the new content the original's mode and owner, and
// makes it durable. Times are set right before the swap.
func (p *protocol) finishTemp(tmp *os.File, fi os.FileInfo, meta fileMeta) error {
	if err := tmp.Chmod(fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if meta.uid >= 0 {
		tfi, err := tmp.Stat()
		if err != nil {
			return err
		}
		if tm := metaOf(tfi); tm.uid != meta.uid || tm.gid != meta.gid {
			if err := tmp.Chown(meta.uid, meta.gid); err != nil {
				return fmt.Errorf("cannot keep the file's owner %d:%d: %w", meta.uid, meta.gid, err)
			}
		}
	}
	return tmp.Sync()
}

type swapMode int

const (
	swapExchange swapMode = iota // I0 now at the temp name
	swapLink                     // I0 at a hold name
	swapRename                   // I0 unreachable but through our descriptor
)

// errNoExchange reports that the OS or file system cannot exchange.
var errNoExchange = errors.New("atomic exchange not supported")

// swap puts the file at tmpName in place of path, keeping the original
// (orig) reachable under the returned hold name where it can.
func (p *protocol) swap(tmpName, hold, path string, orig os.FileInfo, live bool) (swapMode, string, error) {
	if !p.fs.noExchange {
		err := exchange(tmpName, path)
		if err == nil {
			if hfi, err := os.Lstat(tmpName); err != nil || !os.SameFile(hfi, orig) {
				// Another program replaced the file just before: put its
				// version back.
				if err := exchange(tmpName, path); err != nil {
					return 0, "", fmt.Errorf("another program replaced the file during the swap, and putting its version back failed: its version is at %s: %w", tmpName, err)
				}
				return 0, "", active("another program replaced the file during the swap; left as it wrote it, retry later")
			}
			return swapExchange, tmpName, nil
		}
		if !errors.Is(err, errNoExchange) {
			return 0, "", err
		}
	}
	if !p.fs.noLink {
		err := os.Link(path, hold)
		if errors.Is(err, fs.ErrExist) {
			return 0, "", fmt.Errorf("%s exists", hold)
		}
		if err == nil {
			if hfi, err := os.Lstat(hold); err != nil || !os.SameFile(hfi, orig) {
				os.Remove(hold)
				return 0, "", active("another program replaced the file during the swap; left unchanged, retry later")
			}
			if err := os.Rename(tmpName, path); err != nil {
				os.Remove(hold)
				return 0, "", err
			}
			return swapLink, hold, nil
		}
		// No hard links on this file system.
	}
	if live {
		return 0, "", active("the file is being written and this file system supports neither atomic exchange nor hard links, so an append during the swap could be lost; left unchanged, retry when the agent is idle")
	}
	if err := os.Rename(tmpName, path); err != nil {
		return 0, "", err
	}
	return swapRename, "", nil
}

// maxHold is how long a live file's original may stay open for writing
// by another process after the swap before the swap is rolled back.
const maxHold = 2 * time.Second

// watch reports whether the original (f0, fi) grew after the swap. A
// writer that opened the path before the swap writes to the original.
// Where open writers can be listed (Linux), a live file's original is
// watched until no other process holds it open for writing, then looked
// at once more: nothing can reach it after that. A writer that keeps it
// open longer than maxHold counts as a late write. Elsewhere it is
// watched for the settle time.
func (p *protocol) watch(path string, f0 *os.File, fi os.FileInfo, n int64, live bool) (bool, error) {
	if grew, err := sizeChanged(f0, n); err != nil || grew {
		return grew, err
	}
	if !live {
		return false, nil
	}
	start := time.Now()
	for {
		holders, known := p.holders(path, fi)
		if grew, err := sizeChanged(f0, n); err != nil || grew {
			return grew, err
		}
		switch {
		case known && len(holders) == 0:
			return false, nil
		case known && time.Since(start) > p.settle+maxHold:
			return true, nil
		case !known && time.Since(start) > p.settle:
			return false, nil
		}
		time.Sleep(p.poll)
	}
}

// holders lists, fresh, the other processes that hold fi open for
// writing; known is false where the system cannot tell.
func (p *protocol) holders(path string, fi os.FileInfo) ([]string, bool) {
	if p.fs != nil && p.fs.writers != nil {
		return p.fs.writers(path, fi, true)
	}
	return p.writers.holders(path, fi, true)
}

// rollback puts the original back after a late write landed in it, and
// carries over to it what was appended to the new file in between. It
// returns an active error when all went well.
func (p *protocol) rollback(path, hold string, mode swapMode, nf *os.File, written int64, orig os.FileInfo) error {
	dir := filepath.Dir(path)
	nfi, err := nf.Stat()
	if err != nil {
		return err
	}
	if cur, err := os.Lstat(path); err != nil || !os.SameFile(cur, nfi) {
		return fmt.Errorf("another program wrote to the original during the swap and then replaced the file; the original with its new bytes is at %s", hold)
	}
	// Keep the new file reachable by a name until its late records are
	// carried over: after an exchange it is at the hold name; otherwise
	// it gets a second name first.
	newName := hold
	if mode == swapExchange {
		err = exchange(hold, path)
	} else {
		newName = hold + "-new"
		if err = os.Link(path, newName); err == nil {
			if err = os.Rename(hold, path); err != nil {
				os.Remove(newName)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("another program wrote to the original during the swap, and restoring it failed: it is at %s: %w", hold, err)
	}
	syncDir(dir)
	// Writers that opened the path while it named the new file wrote
	// there: carry their records over, for as long as they might come.
	if _, err := p.carry(nf, written, func(b []byte) error { return appendTo(path, orig, b) }); err != nil {
		return fmt.Errorf("carrying records appended during the swap back to the original: %w (they are at the end of %s)", err, newName)
	}
	os.Remove(newName)
	nf.Close()
	return active("another program wrote to the file while it was being replaced; the original is back in place with every record, nothing was redacted; retry later")
}

// carry hands write what is appended to src from offset from on, in
// whole lines, until nothing can come any more: no other process holds
// src open for writing (where that can be told; elsewhere, nothing came
// for the settle time). Then it hands over the rest. It returns the
// number of bytes handed over.
func (p *protocol) carry(src *os.File, from int64, write func([]byte) error) (int64, error) {
	sfi, err := src.Stat()
	if err != nil {
		return 0, err
	}
	pos := from
	start, quiet := time.Now(), time.Now().Add(p.settle)
	for {
		holders, known := p.holders(src.Name(), sfi)
		final := known && len(holders) == 0 || !known && time.Now().After(quiet) ||
			time.Since(start) > p.settle+maxHold
		fi, err := src.Stat()
		if err != nil {
			return pos - from, err
		}
		if fi.Size() > pos {
			b := make([]byte, fi.Size()-pos)
			n, err := src.ReadAt(b, pos)
			if err != nil && err != io.EOF {
				return pos - from, err
			}
			b = b[:n]
			if !final {
				// A record still being written is carried once complete.
				b = b[:bytes.LastIndexByte(b, '\n')+1]
			}
			if len(b) > 0 {
				if err := write(b); err != nil {
					return pos - from, err
				}
				pos += int64(len(b))
				quiet = time.Now().Add(p.settle)
				continue
			}
		}
		if final {
			return pos - from, nil
		}
		time.Sleep(p.poll)
	}
}

// carryLate appends, redacted, what reached the original (through f0)
// after a plain rename to the end of the new file nf, now at path. An
// undo keeps these bytes redacted.
func (p *protocol) carryLate(job rewriteJob, path string, f0, nf *os.File, from int64) (int64, error) {
	nfi, err := nf.Stat()
	if err != nil {
		return 0, err
	}
	return p.carry(f0, from, func(raw []byte) error {
		var b bytes.Buffer
		st := job.newStream(&b)
		if _, err := st.Write(raw); err != nil {
			return err
		}
		if err := st.Flush(); err != nil {
			return err
		}
		if err := appendTo(path, nfi, b.Bytes()); err != nil {
			return fmt.Errorf("carrying records appended during the swap: %w", err)
		}
		return nil
	})
}

// appendTo appends b to path in one write, if path still names want.
func appendTo(path string, want os.FileInfo, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !os.SameFile(fi, want) {
		return errors.New("the file was replaced")
	}
	if _, err := f.Write(b); err != nil {
		return err
	}
	return f.Sync()
}
