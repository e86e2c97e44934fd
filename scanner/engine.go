// Package scanner walks the inputs of a scan, classifies each file, hands
// it to the handler of its kind (see package scanner/sources), and passes
// findings and per-file errors to a Sink as each input is done.
//
// The flow, in a few lines:
//
//	roots ─ walk ─▶ files ─▶ workers (Options.Workers; segments of large files first)
//	                  │  sniff (binary? archive?), classify by path
//	                  ▼
//	          Handler.Scan ─ Env.Match ─▶ match (keyword prefilter, rules near hits)
//	                  │  Env.Report / Env.Problem
//	                  ▼
//	          sanitize (one redaction layer) ─▶ Sink (suppressions, state, reporters)
//
// Files are scanned in parallel, each worker with its own streaming
// matcher (package scanner/match); no file is read whole into memory. A
// problem with one file (permission denied, a symlink loop, a malformed
// record) is a FileError and the scan goes on; problems that leave
// content unscanned make the scan incomplete (Summary.Complete).
package scanner

import (
	"container/heap"
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
	"github.com/mcpscan/mcpscan/scanner/secret"
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
	// recorded as the root's error (Path, reason unresolved) and the scan
	// goes on.
	Open func(ctx context.Context) (*Input, io.Closer, error)
}

// Options tunes a scan.
type Options struct {
	// Workers is the CPU budget: how many goroutines scan at once, each
	// a file from the walk or a segment of a large file (see ParallelMin).
	// 0 means GOMAXPROCS.
	Workers int
	// FollowSymlinks makes the walk follow symbolic links to files and
	// directories (with loop detection). By default links below a root are
	// counted as skipped; a root that is itself a link is always followed.
	FollowSymlinks bool
	// Exclude holds doublestar globs; a file or directory whose path below
	// its root, or whose base name, matches one is skipped. Check them
	// with ValidateExcludes first.
	Exclude []string
	// NoDefaultExcludes scans .git and node_modules directories too.
	NoDefaultExcludes bool
	// MaxFileSize skips files larger than this many bytes (reported as an
	// incomplete-scan error); 0: no limit.
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
	// Progress, when set, is called after each file with running totals.
	// It is called from several goroutines.
	Progress func(p Progress)
	// IDKey is the key of secret ids (Finding.SecretID); nil: the key
	// private to this machine (IDKey).
	IDKey []byte
	// ParallelMin is the smallest file cut into segments that every
	// worker helps scan; 0: match.ParallelMin.
	ParallelMin int64
	// OnText, when set, is called with the absolute path of every text
	// file on disk the scan read (not archives, databases or other binary
	// files), from several goroutines: `mcpscan redact` looks for every
	// place of a found secret in these files.
	OnText func(abs string)
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

// Summary is what a finished scan says besides its findings and errors.
type Summary struct {
	Roots    []string
	Stats    Stats
	Started  time.Time
	Finished time.Time
	// Errors counts the FileErrors passed to the sink; Incomplete those of
	// them that left content unscanned.
	Errors, Incomplete int
	// Looked lists the locations a scan without PATH looked for, when none
	// of them existed (set by the caller), so that an empty report says
	// what was looked for.
	Looked []string
}

// Complete reports whether everything the scan was asked to read was read.
func (s *Summary) Complete() bool { return s.Incomplete == 0 }

// Sink receives a scan's output as each input is done (ripgrep's Sink):
// the findings and errors of one input together, from one goroutine at a
// time, in the order inputs finish. A non-nil error from it stops the
// scan and is returned by Run.
type Sink interface {
	Finding(f *Finding) error
	Error(e *FileError) error
}

// Engine runs scans. It is safe for concurrent use.
type Engine struct {
	set      *rules.Set
	matcher  *match.Engine
	handlers []Handler
	sources  map[string]*Source
	opt      Options
}

// New returns an engine scanning with set, dispatching files to handlers
// in order (the first whose Accepts returns true gets the file).
func New(set *rules.Set, handlers []Handler, opt Options) *Engine {
	e := &Engine{set: set, matcher: matchEngine(set), handlers: handlers, opt: opt, sources: map[string]*Source{}}
	for _, h := range handlers {
		for _, s := range h.Sources() {
			e.sources[s.Name] = s
		}
	}
	for _, s := range []*Source{SourceFile, SourceJSONL} {
		if e.sources[s.Name] == nil {
			e.sources[s.Name] = s
		}
	}
	return e
}

// ErrMissingRoot wraps the error for a required root that does not exist.
var ErrMissingRoot = errors.New("no such file or directory")

// Run scans roots, passing each input's findings and errors to sink, and
// returns the summary. It returns an error only when a required root is
// missing, ctx is cancelled or the sink fails; every other problem is a
// FileError.
func (e *Engine) Run(ctx context.Context, roots []Root, sink Sink) (*Summary, error) {
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
				return nil, fmt.Errorf("%s: %w", SanitizeText(r.Path), ErrMissingRoot)
			}
		}
		present = append(present, r)
	}

	sum := &Summary{Started: time.Now()}
	for _, r := range present {
		sum.Roots = append(sum.Roots, r.Path)
	}
	var (
		files, bytes         atomic.Int64
		foundFiles, foundLen atomic.Int64
		walkDone             atomic.Bool
		mu                   sync.Mutex // guards sink, sum and skipped
		sinkErr              error
		skipped              = map[string]int64{}
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	emit := func(fs []Finding, errs []FileError) {
		mu.Lock()
		defer mu.Unlock()
		if sinkErr != nil {
			return
		}
		for i := range fs {
			if fs[i].Source == nil {
				fs[i].Source = SourceFile
			}
			if err := sink.Finding(&fs[i]); err != nil {
				sinkErr = err
				cancel()
				return
			}
		}
		for i := range errs {
			sum.Errors++
			if errs[i].Incomplete {
				sum.Incomplete++
			}
			if err := sink.Error(&errs[i]); err != nil {
				sinkErr = err
				cancel()
				return
			}
		}
	}
	report := func() {
		if e.opt.Progress != nil {
			e.opt.Progress(Progress{Files: files.Load(), Bytes: bytes.Load(), TotalFiles: foundFiles.Load(),
				TotalBytes: foundLen.Load(), WalkDone: walkDone.Load()})
		}
	}
	col := &collector{
		emit: emit,
		problem: func(fe FileError) {
			fe.Path = SanitizeText(fe.Path)
			fe.Error = SanitizeText(fe.Error)
			fe.Incomplete = IncompleteReason(fe.Reason)
			emit(nil, []FileError{fe})
		},
		skip: func(reason string) { mu.Lock(); skipped[reason]++; mu.Unlock() },
	}

	workers := e.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pool := newPool(workers)
	parallelMin := e.opt.ParallelMin
	if parallelMin <= 0 {
		parallelMin = match.ParallelMin
	}
	var split atomic.Int64 // files split across CPUs
	idKey := e.opt.IDKey
	if idKey == nil {
		idKey = IDKey()
	}
	// A deep queue lets the walk run ahead of the workers (with the pool's
	// lookahead, 12,288 files), so that the totals for progress and ETA
	// are known early. Not deeper: a channel's buffer is allocated and
	// zeroed whole, and 65,536 jobs (3 MiB) were a tenth of a small
	// home's page faults.
	jobs := make(chan job, 1<<13)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env := &Env{
				Rules: e.set, MaxArchiveDepth: e.opt.MaxArchiveDepth,
				matcher: e.matcher.NewScanner(), engine: e.matcher, pool: pool, parallelMin: parallelMin,
				san: newSanitizer(e.matcher), idKey: idKey, out: emit, split: &split, skip: col.skip,
			}
			env.itemCount = func(n int64, ok bool) {
				if ok {
					files.Add(1)
				}
				bytes.Add(n)
			}
			for {
				j, more := pool.next(jobs)
				if !more {
					return
				}
				if ctx.Err() != nil {
					pool.fileDone()
					continue
				}
				n, ok := e.scanFile(ctx, j, env, col)
				pool.fileDone()
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
	if sinkErr != nil {
		return nil, sinkErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	sum.Stats.FilesScanned = files.Load()
	sum.Stats.SplitFiles = split.Load()
	sum.Stats.BytesScanned = bytes.Load()
	for reason, n := range skipped {
		sum.Stats.FilesSkipped += n
		if sum.Stats.SkippedBy == nil {
			sum.Stats.SkippedBy = map[string]int64{}
		}
		sum.Stats.SkippedBy[reason] = n
	}
	sum.Finished = time.Now()
	sum.Stats.DurationMS = sum.Finished.Sub(sum.Started).Milliseconds()
	return sum, nil
}

// Source returns the registered source named name, or a source of that
// name with nothing else known (a state file written by another version).
func (e *Engine) Source(name string) *Source {
	if s := e.sources[name]; s != nil {
		return s
	}
	return &Source{Name: name, Store: StoreOther, Label: "a file"}
}

// collector funnels worker output to the sink.
type collector struct {
	emit    func([]Finding, []FileError)
	problem func(FileError)
	skip    func(reason string)
}

// Skip reasons counted in Stats.SkippedBy. Skipping these is a decision,
// not a failure: none of them makes a scan incomplete.
const (
	SkipBinary   = "binary"
	SkipSymlink  = "symlink"
	SkipSpecial  = "special"
	SkipExcluded = "excluded"
	SkipNoReader = "unhandled"
	// SkipUnchanged counts files not read because the state shows them
	// unchanged since the last scan.
	SkipUnchanged = "unchanged"
	// SkipCredentialStore counts agents' own credential files (see
	// CredentialStores).
	SkipCredentialStore = "credential-store"
)

// pool shares the scan's workers between the files of the walk and the
// segments of large files (match.ScanSplit): a worker that splits a file
// posts its segments' tasks to the pool and, while they run, runs pending
// tasks itself; every other worker runs pending tasks before it takes its
// next file. So a large file is scanned by every worker wherever it comes
// in the walk, and no worker sits idle while a split file has segments
// left. Tasks are leaves (they never wait for other tasks), so neither
// nesting (a container's items use the same Env) nor several split files
// at once can deadlock; Options.Workers goroutines scan, no more.
type pool struct {
	workers int
	tasks   chan func()
	scratch match.Scratch // the segments' scanners and buffers

	// ahead holds up to lookahead files taken from the walk, largest
	// first: a large file found late would otherwise end the scan alone
	// (its last segment and its handler's work on its hits).
	mu    sync.Mutex
	ahead jobHeap
	seq   int64

	// A worker that finds the walk over stays while others still scan a
	// file, whose segments it may yet be given (a scan of one large file
	// would otherwise run on one core): busy counts the files being
	// scanned, walked says the walk is drained, and quit closes when both
	// say no task can come.
	busy     atomic.Int64
	walked   atomic.Bool
	quit     chan struct{}
	quitOnce sync.Once
}

// lookahead is how many walked files the pool looks over for the largest.
const lookahead = 4096

func newPool(workers int) *pool {
	workers = max(workers, 1)
	// Enough room for every worker splitting a file at once; a post to a
	// full queue runs the task at once instead.
	return &pool{workers: workers, tasks: make(chan func(), workers*2*256), quit: make(chan struct{})}
}

// fileDone says a worker finished the file next gave it.
func (p *pool) fileDone() {
	if p.busy.Add(-1) == 0 && p.walked.Load() {
		p.stop()
	}
}

// stop tells the workers waiting in drained that no task can come.
func (p *pool) stop() { p.quitOnce.Do(func() { close(p.quit) }) }

// runPending runs the tasks waiting in the queue until it is empty.
func (p *pool) runPending() {
	for {
		select {
		case t := <-p.tasks:
			t()
		default:
			return
		}
	}
}

// drained is next's end: the walk is over and the lookahead empty. It
// runs tasks until no worker scans a file (none can post more), and
// reports whether a file came into the lookahead meanwhile.
func (p *pool) drained() bool {
	p.walked.Store(true)
	if p.busy.Load() == 0 {
		p.stop()
	}
	for {
		p.runPending()
		p.mu.Lock()
		more := len(p.ahead) > 0
		p.mu.Unlock()
		if more {
			return true
		}
		select {
		case t := <-p.tasks:
			t()
		case <-p.quit:
			return false
		}
	}
}

// next runs pending tasks and returns the largest of the next files of
// the walk (the caller calls fileDone when it is scanned), false when the
// walk is done and no other worker scans a file any more.
func (p *pool) next(jobs <-chan job) (job, bool) {
	for {
		p.runPending()
		if j, ok := p.largest(jobs); ok {
			p.busy.Add(1)
			return j, true
		}
		select {
		case t := <-p.tasks:
			t()
		case j, ok := <-jobs:
			if !ok {
				if p.drained() {
					continue
				}
				return j, false
			}
			p.mu.Lock()
			p.push(j)
			p.mu.Unlock()
		}
	}
}

// largest tops up the lookahead from the walk without waiting and takes
// its largest file (the first walked among equals).
func (p *pool) largest(jobs <-chan job) (job, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
fill:
	for len(p.ahead) < lookahead {
		select {
		case j, ok := <-jobs:
			if !ok {
				break fill
			}
			p.push(j)
		default:
			break fill
		}
	}
	if len(p.ahead) == 0 {
		return job{}, false
	}
	return heap.Pop(&p.ahead).(queued).job, true
}

func (p *pool) push(j job) {
	p.seq++
	heap.Push(&p.ahead, queued{j, p.seq})
}

// queued is a walked file waiting in the lookahead, with its walk order.
type queued struct {
	job
	seq int64
}

// jobHeap orders files largest first, then in walk order.
type jobHeap []queued

func (h jobHeap) Len() int { return len(h) }
func (h jobHeap) Less(i, j int) bool {
	if h[i].size != h[j].size {
		return h[i].size > h[j].size
	}
	return h[i].seq < h[j].seq
}
func (h jobHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *jobHeap) Push(x any)   { *h = append(*h, x.(queued)) }
func (h *jobHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// group returns a match.Group whose tasks the pool's workers run.
func (p *pool) group() *poolGroup { return &poolGroup{p: p} }

// poolGroup is the tasks of one split file. Its owner waits for them in
// Wait, running pending tasks (its own or another file's) meanwhile.
type poolGroup struct {
	p *pool
	match.Tasks
}

func (g *poolGroup) Go(task func()) {
	g.Add()
	t := func() {
		defer g.Done()
		task()
	}
	select {
	case g.p.tasks <- t:
	default:
		t()
	}
}

func (g *poolGroup) Wait(wake <-chan struct{}) bool {
	finished := g.Finished()
	for {
		select {
		case <-finished:
			return true
		case <-wake:
			return g.Settled()
		default:
		}
		select {
		case <-finished:
			return true
		case <-wake:
			return g.Settled()
		case t := <-g.p.tasks:
			t()
		}
	}
}

// NewSecret returns the secret.Value of a match of rule r: a credential
// for kinds that hold one, evidence otherwise (sanitized for display
// when its input is done; redacted until then).
func NewSecret(r *rules.Rule, raw string) secret.Value {
	if r == nil || r.Kind.HoldsSecret() {
		return secret.New(raw)
	}
	return secret.NewEvidence(raw, secret.Redact(raw))
}

func defaultRules() *rules.Set { return rules.Default() }
