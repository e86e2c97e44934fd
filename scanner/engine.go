// Package scanner walks the inputs of a scan, classifies each file, hands
// it to the handler of its source kind (see package scanner/sources), and
// collects findings, per-file errors and statistics into a Result.
//
// Files are scanned in parallel, one worker per CPU, each with its own
// streaming matcher (package scanner/match); no file is read whole into
// memory. A problem with one file (permission denied, a symlink loop, a
// malformed record) is recorded as a FileError and the scan goes on.
package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Root is one input of a scan.
type Root struct {
	// Path is a file or directory, as the user wrote it.
	Path string
	// Optional roots (the well-known locations of a scan without
	// arguments) are skipped quietly when missing; a missing required root
	// is a fatal error.
	Optional bool
	// Open, when set, makes the root one input that is not looked for on
	// disk: a package tarball streamed from a registry, or one of the files
	// a package would ship. A worker calls Open and scans what it returns
	// (Depth 0; Size -1 when unknown; ReaderAt may be nil) as it would a
	// file, then closes the closer (which may be nil). An Open error is
	// recorded as the root's error (Path) and the scan goes on.
	Open func(ctx context.Context) (*Input, io.Closer, error)
}

// Options tunes a scan.
type Options struct {
	// Workers is the number of files scanned at once; 0 means GOMAXPROCS.
	Workers int
	// FollowSymlinks makes the walk follow symbolic links to files and
	// directories (with loop detection). By default links below a root are
	// counted as skipped; a root that is itself a link is always followed.
	FollowSymlinks bool
	// Exclude holds doublestar globs; a file or directory whose path below
	// its root, or whose base name, matches one is skipped.
	Exclude []string
	// NoDefaultExcludes scans .git and node_modules directories too.
	NoDefaultExcludes bool
	// MaxFileSize skips files larger than this many bytes; 0: no limit.
	MaxFileSize int64
	// MaxArchiveDepth is how many levels of archives are opened: 1 opens
	// the archives found on disk, 2 also archives inside them, and so on.
	// 0 means DefaultMaxArchiveDepth; negative: no archive is opened.
	MaxArchiveDepth int
	// State, when set, makes the scan incremental: unchanged files are not
	// read and grown append-only files are read from where the last scan
	// stopped; their earlier findings are carried over (Finding.Carried).
	// The engine updates it; the caller saves it.
	State *State
	// Progress, when set, is called after each file with running totals:
	// files and bytes scanned so far, and files and bytes found by the walk
	// so far (the totals, once the walk is over: walkDone). It is called
	// from several goroutines.
	Progress func(p Progress)
}

// Progress is a snapshot of a running scan, for progress displays.
type Progress struct {
	Files, Bytes           int64 // scanned so far
	TotalFiles, TotalBytes int64 // found by the walk so far
	WalkDone               bool  // the totals are final
}

// DefaultMaxArchiveDepth is the archive nesting opened when
// Options.MaxArchiveDepth is 0: an archive, archives inside it, and
// archives inside those.
const DefaultMaxArchiveDepth = 3

// DefaultExcludes are directory names skipped unless NoDefaultExcludes is
// set: version-control internals and installed dependencies.
var DefaultExcludes = []string{".git", "node_modules"}

// Engine runs scans. It is safe for concurrent use.
type Engine struct {
	set      *rules.Set
	matcher  *match.Engine
	handlers []Handler
	opt      Options
}

// New returns an engine scanning with set, dispatching files to handlers
// in order (the first whose Accepts returns true gets the file).
func New(set *rules.Set, handlers []Handler, opt Options) *Engine {
	return &Engine{set: set, matcher: match.NewEngine(set), handlers: handlers, opt: opt}
}

// ErrMissingRoot wraps the error for a required root that does not exist.
var ErrMissingRoot = errors.New("no such file or directory")

// Run scans roots and returns the sorted result. It returns an error only
// when a required root is missing or ctx is cancelled; every other problem
// is recorded in Result.Errors.
func (e *Engine) Run(ctx context.Context, roots []Root) (*Result, error) {
	var present []Root
	for _, r := range roots {
		if r.Open != nil {
			present = append(present, r)
			continue
		}
		if _, err := os.Stat(r.Path); err != nil {
			if r.Optional && errors.Is(err, os.ErrNotExist) {
				continue
			}
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("%s: %w", r.Path, ErrMissingRoot)
			}
			if !r.Optional {
				return nil, err
			}
		}
		present = append(present, r)
	}

	res := &Result{Started: time.Now()}
	for _, r := range present {
		res.Roots = append(res.Roots, r.Path)
	}
	var (
		mu                   sync.Mutex
		files                atomic.Int64
		bytes                atomic.Int64
		foundFiles, foundLen atomic.Int64
		walkDone             atomic.Bool
		skipped              = map[string]int64{}
	)
	report := func() {
		if e.opt.Progress != nil {
			e.opt.Progress(Progress{Files: files.Load(), Bytes: bytes.Load(), TotalFiles: foundFiles.Load(),
				TotalBytes: foundLen.Load(), WalkDone: walkDone.Load()})
		}
	}
	col := &collector{
		finding: func(f Finding) { mu.Lock(); res.Findings = append(res.Findings, f); mu.Unlock() },
		problem: func(fe FileError) { mu.Lock(); res.Errors = append(res.Errors, fe); mu.Unlock() },
		skip:    func(reason string) { mu.Lock(); skipped[reason]++; mu.Unlock() },
	}

	// A deep queue lets the walk run ahead of the workers, so that the
	// totals (for progress and ETA) are known early; a job is two strings.
	jobs := make(chan job, 1<<16)
	workers := e.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env := NewEnv(e.matcher.NewScanner(), e.set, col.finding, col.problem)
			env.MaxArchiveDepth = e.opt.MaxArchiveDepth
			env.engine, env.workers = e.matcher, runtime.GOMAXPROCS(0)
			env.nested = func(ctx context.Context, in *Input) (int64, bool) {
				n, ok, _ := e.dispatch(ctx, in, env, col)
				if ok {
					files.Add(1)
				}
				bytes.Add(n)
				return n, ok
			}
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				n, ok := e.scanFile(ctx, j, env, col)
				if ok {
					files.Add(1)
				}
				bytes.Add(n)
				report()
			}
		}()
	}
	w := &walker{opt: &e.opt, jobs: jobs, col: col, ctx: ctx, found: func(size int64) {
		foundFiles.Add(1)
		foundLen.Add(size)
	}}
	for _, r := range present {
		w.walkRoot(r)
	}
	walkDone.Store(true)
	report()
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	res.Stats.FilesScanned = files.Load()
	res.Stats.BytesScanned = bytes.Load()
	for reason, n := range skipped {
		res.Stats.FilesSkipped += n
		if res.Stats.SkippedBy == nil {
			res.Stats.SkippedBy = map[string]int64{}
		}
		res.Stats.SkippedBy[reason] = n
	}
	res.Stats.DurationMS = time.Since(res.Started).Milliseconds()
	res.Sort()
	return res, nil
}

// collector funnels worker output into the Result.
type collector struct {
	finding func(Finding)
	problem func(FileError)
	skip    func(reason string)
}

// Skip reasons counted in Stats.SkippedBy.
const (
	SkipBinary   = "binary"
	SkipSymlink  = "symlink"
	SkipSpecial  = "special"
	SkipExcluded = "excluded"
	SkipTooLarge = "too-large"
	SkipNoReader = "unhandled"
	// SkipUnchanged counts files not read because the state shows them
	// unchanged since the last scan.
	SkipUnchanged = "unchanged"
	// SkipCredentialStore counts agents' own credential files (see
	// CredentialStores).
	SkipCredentialStore = "credential-store"
)
