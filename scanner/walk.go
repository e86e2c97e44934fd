package scanner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/bmatcuk/doublestar/v4"
)

// maxDepth bounds directory recursion, as a last guard against cycles the
// loop detection cannot see (such as bind mounts).
const maxDepth = 256

// sniffLen is how much of a file is read to tell text from binary.
const sniffLen = 8 << 10

// job is one regular file to scan.
type job struct {
	display string // what reports show
	abs     string // absolute path, for classification and opening
	// open opens a root that is not on disk (Root.Open); abs is then empty.
	open func(ctx context.Context) (*Input, io.Closer, error)
}

// walker feeds regular files to the workers.
type walker struct {
	opt     *Options
	jobs    chan<- job
	col     *collector
	ctx     context.Context
	visited map[string]bool  // real paths of directories entered, when following links
	found   func(size int64) // called for every file queued, for progress totals
}

func (w *walker) walkRoot(r Root) {
	if r.Open != nil {
		if w.found != nil {
			w.found(0)
		}
		select {
		case w.jobs <- job{display: r.Path, open: r.Open}:
		case <-w.ctx.Done():
		}
		return
	}
	abs, err := filepath.Abs(r.Path)
	if err != nil {
		w.col.problem(FileError{Path: r.Path, Error: err.Error()})
		return
	}
	info, err := os.Stat(abs) // a root that is a link is followed
	if err != nil {
		w.col.problem(FileError{Path: r.Path, Error: describe(err)})
		return
	}
	if w.visited == nil {
		w.visited = map[string]bool{}
	}
	if info.IsDir() {
		w.walkDir(r.Path, abs, "", 0)
		return
	}
	w.file(r.Path, abs, info)
}

func (w *walker) walkDir(display, abs, rel string, depth int) {
	if w.ctx.Err() != nil {
		return
	}
	if depth > maxDepth {
		w.col.problem(FileError{Path: display, Error: fmt.Sprintf("directory nesting deeper than %d levels; not descending further", maxDepth)})
		return
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		if w.visited[real] {
			w.col.problem(FileError{Path: display, Error: "symlink loop: this directory was already scanned through another path"})
			return
		}
		w.visited[real] = true
	}
	entries, err := os.ReadDir(abs)
	if err != nil && len(entries) == 0 {
		w.col.problem(FileError{Path: display, Error: describe(err)})
		return
	}
	if err != nil {
		w.col.problem(FileError{Path: display, Error: "directory partly read: " + describe(err)})
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
				w.col.problem(FileError{Path: childDisplay, Error: "broken or looping symlink: " + describe(err)})
				continue
			}
			mode = info.Mode().Type()
		}
		switch {
		case mode.IsDir():
			w.walkDir(childDisplay, childAbs, childRel, depth+1)
		case mode.IsRegular():
			info, err := os.Stat(childAbs)
			if err != nil {
				w.col.problem(FileError{Path: childDisplay, Error: describe(err)})
				continue
			}
			w.file(childDisplay, childAbs, info)
		default:
			w.col.skip(SkipSpecial) // FIFOs, sockets, devices: never opened
		}
	}
}

// CredentialStores are path suffixes of the files where agents keep their
// own login on purpose (Claude Code's .credentials.json on Linux, Codex's
// auth.json, Gemini CLI's oauth_creds.json). They are not leaks where they
// are, so a home scan skips them (counted as "credential-store"); shipped
// in a package they are, which the package scan reports.
var CredentialStores = []string{"/.claude/.credentials.json", "/.codex/auth.json", "/.gemini/oauth_creds.json"}

func (w *walker) file(display, abs string, info fs.FileInfo) {
	if !info.Mode().IsRegular() {
		w.col.skip(SkipSpecial)
		return
	}
	slash := filepath.ToSlash(abs)
	for _, s := range CredentialStores {
		if strings.HasSuffix(slash, s) {
			w.col.skip(SkipCredentialStore)
			return
		}
	}
	if w.opt.MaxFileSize > 0 && info.Size() > w.opt.MaxFileSize {
		w.col.skip(SkipTooLarge)
		return
	}
	if w.found != nil {
		w.found(info.Size())
	}
	select {
	case w.jobs <- job{display: display, abs: abs}:
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
		col.problem(FileError{Path: j.display, Error: describe(err)})
		return 0, false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		col.problem(FileError{Path: j.display, Error: describe(err)})
		return 0, false
	}
	if !info.Mode().IsRegular() {
		col.skip(SkipSpecial)
		return 0, false
	}
	size := info.Size()
	in := &Input{
		Path:      j.display,
		ClassPath: filepath.ToSlash(j.abs),
		Size:      size,
		Reader:    io.LimitReader(f, size),
		ReaderAt:  io.NewSectionReader(f, 0, size),
	}
	if e.opt.State == nil {
		n, ok, _ := e.dispatch(ctx, in, env, col)
		return n, ok
	}
	return e.scanWithState(ctx, j.abs, info, in, env, col)
}

// scanWithState scans a file using and updating the state: an unchanged
// file is not read (its findings are carried over); an append-only file
// that grew is read from where the last scan stopped; anything else is
// scanned whole.
func (e *Engine) scanWithState(ctx context.Context, abs string, info fs.FileInfo, in *Input, env *Env, col *collector) (int64, bool) {
	st := e.opt.State
	ident, mod, size := identOf(info), modNS(info), info.Size()
	var carried []Finding
	if prev := st.get(abs); prev != nil && prev.Ident == ident && size >= prev.Scanned {
		if check, err := checkAt(in.ReaderAt, prev.Scanned); err == nil && check == prev.Check {
			switch {
			case size == prev.Size && mod == prev.ModNS:
				for _, s := range prev.Found {
					col.finding(restore(s, e.set))
				}
				st.put(abs, prev)
				col.skip(SkipUnchanged)
				return 0, false
			case prev.Resumes && prev.Scanned > 0:
				in.Start, in.StartLine = prev.Scanned, prev.Line
				in.Reader = io.NewSectionReader(in.ReaderAt, prev.Scanned, size-prev.Scanned)
				for _, s := range prev.Found {
					carried = append(carried, restore(s, e.set))
				}
			}
		}
	}
	var got []Finding
	report := env.findings
	env.findings = func(f Finding) { got = append(got, f); report(f) }
	lines := &lineCounter{r: in.Reader}
	in.Reader = lines
	n, ok, h := e.dispatch(ctx, in, env, col)
	env.findings = report
	for _, c := range carried {
		col.finding(c)
	}
	fst := &FileState{Ident: ident, Size: size, ModNS: mod, Scanned: size}
	if r, isR := h.(Resumer); isR && r.Resumes() {
		fst.Resumes = true
		fst.Scanned = in.Start + lines.lastNL + 1
		fst.Line = max(in.StartLine, 1) + lines.count
		if lines.count == 0 {
			fst.Scanned, fst.Line = in.Start, max(in.StartLine, 1)
		}
	}
	check, err := checkAt(in.ReaderAt, fst.Scanned)
	if err != nil {
		return n, ok
	}
	fst.Check = check
	for i := range carried {
		fst.Found = append(fst.Found, store(&carried[i]))
	}
	for i := range got {
		fst.Found = append(fst.Found, store(&got[i]))
	}
	st.put(abs, fst)
	return n, ok
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

// scanOpened scans a root given by Root.Open.
func (e *Engine) scanOpened(ctx context.Context, j job, env *Env, col *collector) (int64, bool) {
	in, c, err := j.open(ctx)
	if c != nil {
		defer c.Close()
	}
	if err != nil {
		col.problem(FileError{Path: j.display, Error: describe(err)})
		return 0, false
	}
	in.Depth = 0
	if in.Path == "" {
		in.Path = j.display
	}
	n, ok, _ := e.dispatch(ctx, in, env, col)
	return n, ok
}

// dispatch sniffs an input for binary content and hands it to the first
// handler that accepts it: by path, or, for binary content, by content
// (archives are recognised by their magic bytes whatever their name). It
// returns the bytes read and whether the input counts as scanned.
func (e *Engine) dispatch(ctx context.Context, in *Input, env *Env, col *collector) (int64, bool, Handler) {
	head := make([]byte, sniffLen)
	if in.Size >= 0 && in.Size < sniffLen {
		head = head[:in.Size]
	}
	n, err := io.ReadFull(in.Reader, head)
	head = head[:n]
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		col.problem(FileError{Path: in.Path, Error: describe(err)})
		return int64(n), false, nil
	}
	in.Head = head
	in.Reader = io.MultiReader(bytes.NewReader(head), in.Reader)
	var h Handler
	if IsBinary(head) {
		h = e.handlerForContent(in.ClassPath, head)
		if h == nil {
			col.skip(SkipBinary)
			return int64(n), false, nil
		}
	} else if h = e.handlerFor(in.ClassPath); h == nil {
		col.skip(SkipNoReader)
		return int64(n), false, nil
	}
	counter := &countingReader{r: in.Reader}
	in.Reader = counter
	if err := h.Scan(ctx, in, env); err != nil {
		col.problem(FileError{Path: in.Path, Error: describe(err)})
	}
	return counter.n, true, h
}

// ContentHandler is implemented by handlers that take binary inputs by
// their content (archives by magic bytes), whatever their name.
type ContentHandler interface {
	Handler
	// AcceptsContent reports whether the handler takes an input whose
	// first bytes (up to 8 KiB) are head.
	AcceptsContent(classPath string, head []byte) bool
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

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
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

func (e *Engine) handlerFor(classPath string) Handler {
	for _, h := range e.handlers {
		if h.Accepts(classPath) {
			return h
		}
	}
	return nil
}
