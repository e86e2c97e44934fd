package scanner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/mcpscan/mcpscan/scanner/match"
)

// sniffLen is how much of a file is read to tell text from binary.
const sniffLen = 8 << 10

// job is one regular file to scan.
type job struct {
	display string // what reports show
	abs     string // absolute path, for classification and opening
	size    int64  // bytes when walked (-1: unknown)
	// open opens a root that is not on disk (Root.Open); abs is then empty.
	open func(ctx context.Context) (*Input, io.Closer, error)
}

// walker feeds regular files to the workers.
type walker struct {
	opt     *Options
	jobs    chan<- job
	col     *collector
	ctx     context.Context
	visited map[dirKey]bool  // directories entered, by device and inode (or real path)
	found   func(size int64) // called for every file queued, for progress totals
}

// dirKey identifies a directory: device and inode where the OS has them,
// so that loops through bind mounts are caught as well as symlink loops;
// the real path elsewhere.
type dirKey struct {
	ident FileIdent
	real  string
}

func (w *walker) walkRoot(r Root) {
	if r.Open != nil {
		if w.found != nil {
			w.found(0)
		}
		select {
		case w.jobs <- job{display: r.Path, open: r.Open, size: -1}:
		case <-w.ctx.Done():
		}
		return
	}
	abs, err := filepath.Abs(r.Path)
	if err != nil {
		w.col.problem(FileError{Path: r.Path, Error: err.Error(), Reason: ReasonUnreadable})
		return
	}
	info, err := os.Stat(abs) // a root that is a link is followed
	if err != nil {
		w.col.problem(FileError{Path: r.Path, Error: describe(err), Reason: ReasonUnreadable})
		return
	}
	if w.visited == nil {
		w.visited = map[dirKey]bool{}
	}
	if info.IsDir() {
		w.walkDir(r.Path, abs, "")
		return
	}
	w.file(r.Path, abs, info)
}

// walkDir walks a directory. Nesting has no fixed limit: directories are
// recognised by device and inode, so loops (symlinks, bind mounts) end the
// descent, and the operating system's path length bounds the rest (a
// directory it cannot open is an error).
func (w *walker) walkDir(display, abs, rel string) {
	if w.ctx.Err() != nil {
		return
	}
	if key, ok := dirKeyOf(abs); ok {
		if w.visited[key] {
			w.col.problem(FileError{Path: display, Error: "symlink loop: this directory was already scanned through another path", Reason: ReasonLoop})
			return
		}
		w.visited[key] = true
	}
	entries, err := os.ReadDir(abs)
	if err != nil && len(entries) == 0 {
		w.col.problem(FileError{Path: display, Error: describe(err), Reason: ReasonUnreadable})
		return
	}
	if err != nil {
		w.col.problem(FileError{Path: display, Error: "directory partly read: " + describe(err), Reason: ReasonUnreadable})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, de := range entries {
		name := de.Name()
		childAbs := filepath.Join(abs, name)
		childDisplay := filepath.Join(display, name)
		childRel := name
		if rel != "" {
			childRel = rel + "/" + name
		}
		if w.excluded(childRel, name, de.IsDir()) {
			w.col.skip(SkipExcluded)
			continue
		}
		mode := de.Type()
		if mode&fs.ModeSymlink != 0 {
			if !w.opt.FollowSymlinks {
				w.col.skip(SkipSymlink)
				continue
			}
			info, err := os.Stat(childAbs)
			if err != nil {
				w.col.problem(FileError{Path: childDisplay, Error: "broken or looping symlink: " + describe(err), Reason: ReasonLoop})
				continue
			}
			mode = info.Mode().Type()
		}
		switch {
		case mode.IsDir():
			w.walkDir(childDisplay, childAbs, childRel)
		case mode.IsRegular():
			info, err := os.Stat(childAbs)
			if err != nil {
				w.col.problem(FileError{Path: childDisplay, Error: describe(err), Reason: ReasonUnreadable})
				continue
			}
			w.file(childDisplay, childAbs, info)
		default:
			w.col.skip(SkipSpecial) // FIFOs, sockets, devices: never opened
		}
	}
}

// CredentialStores are where agents keep their own login on purpose:
// files (Claude Code's .credentials.json on Linux, Codex's auth.json,
// Gemini CLI's oauth_creds.json, Cline's secrets.json, opencode's
// auth.json, Claude Code's IDE lock files with their auth token) and
// database rows, written "<db>!<table>/<key>" (Cursor's cursorAuth/*
// keys, Amazon Q's auth_kv table). They are not leaks where they are, so
// a home scan skips them (counted as "credential-store"); shipped in a
// package they are, which the package scan reports. Each entry is a
// path.Match pattern matched against the last segments of a slash path
// (as many as the pattern has); see IsCredentialStore.
var CredentialStores = []string{
	"/.claude/.credentials.json", "/.codex/auth.json", "/.gemini/oauth_creds.json",
	"/.cline/data/secrets.json", "/.local/share/opencode/auth.json", "/.claude/ide/*.lock",
	"/globalStorage/state.vscdb!ItemTable/cursorAuth/*", "/amazon-q/data.sqlite3!auth_kv/*", "/kiro-cli/data.sqlite3!auth_kv/*",
	"/amazon-q/data.sqlite3!state/telemetry-cognito-credentials",
}

// IsCredentialStore reports whether p, a slash path (a database row's as
// "<db>!<table>/<key>"), is one of CredentialStores: whether the pattern
// matches as many trailing segments of p as it has.
func IsCredentialStore(p string) bool {
	for _, pat := range CredentialStores {
		pat = strings.TrimPrefix(pat, "/")
		tail, ok := lastSegments(p, strings.Count(pat, "/")+1)
		if !ok {
			continue
		}
		if ok, _ := path.Match(pat, tail); ok {
			return true
		}
	}
	return false
}

// lastSegments returns the last n slash-separated segments of p, joined
// (strings.Split then Join, without allocating), and false when p has
// fewer.
func lastSegments(p string, n int) (string, bool) {
	i := len(p)
	for k := 0; k < n; k++ {
		j := strings.LastIndexByte(p[:i], '/')
		if j < 0 {
			return p, k == n-1
		}
		i = j
	}
	return p[i+1:], true
}

func (w *walker) file(display, abs string, info fs.FileInfo) {
	if !info.Mode().IsRegular() {
		w.col.skip(SkipSpecial)
		return
	}
	if IsCredentialStore(filepath.ToSlash(abs)) {
		w.col.skip(SkipCredentialStore)
		return
	}
	if w.opt.MaxFileSize > 0 && info.Size() > w.opt.MaxFileSize {
		w.col.problem(FileError{Path: display, Reason: ReasonLimit,
			Error: fmt.Sprintf("%d bytes, more than --max-file-size %d: not scanned", info.Size(), w.opt.MaxFileSize)})
		return
	}
	if w.found != nil {
		w.found(info.Size())
	}
	select {
	case w.jobs <- job{display: display, abs: abs, size: info.Size()}:
	case <-w.ctx.Done():
	}
}

func (w *walker) excluded(rel, name string, isDir bool) bool {
	if isDir && !w.opt.NoDefaultExcludes {
		for _, d := range DefaultExcludes {
			if name == d {
				return true
			}
		}
	}
	for _, p := range w.opt.Exclude {
		if ok, _ := doublestar.Match(p, rel); ok {
			return true
		}
		if ok, _ := doublestar.Match(p, name); ok {
			return true
		}
	}
	return false
}

// scanFile opens one file without blocking (a FIFO that appeared since the
// walk is refused) and dispatches it. It returns the bytes read and whether
// the file counts as scanned.
func (e *Engine) scanFile(ctx context.Context, j job, env *Env, col *collector) (int64, bool) {
	if j.open != nil {
		return e.scanOpened(ctx, j, env, col)
	}
	f, err := os.OpenFile(j.abs, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		col.problem(FileError{Path: j.display, Error: describe(err), Reason: ReasonUnreadable})
		return 0, false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		col.problem(FileError{Path: j.display, Error: describe(err), Reason: ReasonUnreadable})
		return 0, false
	}
	if !info.Mode().IsRegular() {
		col.skip(SkipSpecial)
		return 0, false
	}
	size := info.Size()
	in := &Input{
		Loc:       Location{File: j.display},
		ClassPath: filepath.ToSlash(j.abs),
		Size:      size,
		Reader:    io.LimitReader(f, size),
		ReaderAt:  io.NewSectionReader(f, 0, size),
	}
	var n int64
	var ok bool
	if e.opt.State == nil {
		n, ok, _ = e.dispatch(ctx, in, env, col)
	} else {
		n, ok = e.scanWithState(ctx, j.abs, info, in, env, col)
	}
	if ok && e.opt.OnText != nil && !IsBinary(in.Head) {
		e.opt.OnText(j.abs)
	}
	return n, ok
}

// scanOpened scans a root given by Root.Open.
func (e *Engine) scanOpened(ctx context.Context, j job, env *Env, col *collector) (int64, bool) {
	in, c, err := j.open(ctx)
	if c != nil {
		defer c.Close()
	}
	if err != nil {
		col.problem(FileError{Path: j.display, Error: describe(err), Reason: ReasonUnresolved})
		return 0, false
	}
	in.Depth = 0
	if in.Loc.File == "" {
		in.Loc.File = j.display
	}
	n, ok, _ := e.dispatch(ctx, in, env, col)
	return n, ok
}

// dispatch sniffs an input for binary content and hands it to the first
// handler that accepts it: by path, or, for binary content, by content
// (archives are recognised by their magic bytes whatever their name). A
// NUL byte makes an input binary unless its handler reads line-oriented
// records (LineOriented), which judge each record on its own. The
// input's findings and problems are collected in a frame of their own,
// sanitized and passed on when it is done. It returns the bytes read,
// whether the input counts as scanned and the handler.
func (e *Engine) dispatch(ctx context.Context, in *Input, env *Env, col *collector) (int64, bool, Handler) {
	plain := isFileReader(in.Reader)
	head := make([]byte, sniffLen)
	if in.Size >= 0 && in.Size < sniffLen {
		head = head[:in.Size]
	}
	n, err := io.ReadFull(in.Reader, head)
	head = head[:n]
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		col.problem(FileError{Path: in.Path(), Error: describe(err), Reason: ReasonUnreadable})
		return int64(n), false, nil
	}
	in.Head = head
	in.Reader = io.MultiReader(bytes.NewReader(head), in.Reader)
	e.reportPathRules(in, env)
	h := e.handlerFor(in.ClassPath)
	if IsBinary(head) {
		if ch := e.handlerForContent(in.ClassPath, head); ch != nil {
			h = ch
		} else if lo, ok := h.(LineOriented); !ok || !lo.LineOriented() {
			col.skip(SkipBinary)
			return int64(n), false, nil
		}
	}
	if h == nil {
		col.skip(SkipNoReader)
		return int64(n), false, nil
	}
	counter := &countingReader{r: in.Reader, plain: plain}
	in.Reader = counter
	env.begin(in)
	if c, ok := h.(Container); ok {
		e.scanContainer(ctx, c, in, env, col)
		env.end()
		return counter.n, true, h
	}
	if err := h.Scan(ctx, in, env); err != nil {
		reason := ReasonUnreadable
		if errors.Is(err, match.ErrTooManyHits) {
			reason = ReasonLimit
		}
		env.Problem(in, 0, reason, "%s", describe(err))
	}
	env.end()
	return counter.n, true, h
}

// reportPathRules raises the path-only rules (gitleaks' pkcs12-file: the
// file itself is the finding, whatever it holds) that in's path sets off:
// one file-level finding each, for files on disk and archive members
// alike, binary or not.
func (e *Engine) reportPathRules(in *Input, env *Env) {
	prs := e.set.PathRules(in.ClassPath)
	if len(prs) == 0 {
		return
	}
	env.begin(in)
	for _, r := range prs {
		env.Report(Finding{Rule: r, Source: SourceFile, Location: in.Loc})
	}
	env.end()
}

// scanContainer opens a container and dispatches each of its items as a
// file of its own (its findings in a frame of its own, inside the
// container's).
func (e *Engine) scanContainer(ctx context.Context, c Container, in *Input, env *Env, col *collector) {
	items, err := c.Open(ctx, in, env)
	if err != nil {
		env.Problem(in, 0, ReasonUnreadable, "%s", describe(err))
		return
	}
	defer items.Close()
	for ctx.Err() == nil {
		it, err := items.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			env.Problem(in, 0, ReasonUnreadable, "%s", describe(err))
			return
		}
		if it.Depth <= in.Depth {
			it.Depth = in.Depth + 1
		}
		n, ok, _ := e.dispatch(ctx, it, env, col)
		env.itemDone(n, ok)
	}
}

func (e *Engine) handlerForContent(classPath string, head []byte) Handler {
	for _, h := range e.handlers {
		if ch, ok := h.(ContentHandler); ok && ch.AcceptsContent(classPath, head) {
			return h
		}
	}
	return nil
}

// IsBinary reports whether the first bytes of a file look binary: a NUL
// byte, as git and ripgrep decide. UTF-16 text with a BOM counts as binary
// too (mcpscan's rules are ASCII-oriented).
func IsBinary(head []byte) bool {
	return bytes.IndexByte(head, 0) >= 0
}

// countingReader counts the bytes read through it. It is the bottom Tap of
// an input's reader chain (see Env.Match) when plain: its bytes are a
// file's on disk, which nothing else watches.
type countingReader struct {
	r     io.Reader
	n     int64
	plain bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) Under() io.Reader { return c.r }

func (c *countingReader) Part(int64) TapPart { return new(countPart) }

// Join counts the bytes the parts saw; the reader is at its end.
func (c *countingReader) Join(parts []TapPart) {
	for _, p := range parts {
		c.n += int64(*p.(*countPart))
	}
	c.r = eofReader{}
}

// countPart counts the bytes of one piece.
type countPart int64

func (p *countPart) Watch(b []byte) { *p += countPart(len(b)) }

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// isFileReader reports whether r is a file on disk as scanFile opens it,
// read by nothing else.
func isFileReader(r io.Reader) bool {
	lr, ok := r.(*io.LimitedReader)
	if !ok {
		return false
	}
	_, ok = lr.R.(*os.File)
	return ok
}

// describe turns common OS errors into short, clear messages.
func describe(err error) string {
	var pe *fs.PathError
	msg := err.Error()
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, syscall.ELOOP):
		return "too many levels of symbolic links (symlink loop)"
	}
	return strings.TrimSpace(msg)
}

// handlerFor returns the first handler that accepts classPath, or nil.
func (e *Engine) handlerFor(classPath string) Handler {
	for _, h := range e.handlers {
		if h.Accepts(classPath) {
			return h
		}
	}
	return nil
}

// dirKeyOf returns the identity of a directory: device and inode where the
// OS has them, its real path elsewhere; false when neither can be had.
func dirKeyOf(abs string) (dirKey, bool) {
	if info, err := os.Stat(abs); err == nil {
		if id := identOf(info); id.Ino != 0 {
			return dirKey{ident: FileIdent{Dev: id.Dev, Ino: id.Ino}}, true
		}
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return dirKey{real: real}, true
	}
	return dirKey{}, false
}

// ValidateExcludes checks exclude globs before a scan: a glob doublestar
// cannot parse is an error naming it, rather than a pattern that silently
// matches nothing.
func ValidateExcludes(globs []string) error {
	for _, g := range globs {
		if !doublestar.ValidatePattern(g) {
			return fmt.Errorf("--exclude %q: not a valid glob pattern", g)
		}
	}
	return nil
}
