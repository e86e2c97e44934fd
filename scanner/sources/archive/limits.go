package archive

import (
	"fmt"
	"io"
	"sync/atomic"
)

// Limits bound what archives may cost. They are absolute budgets, not
// ratios: an ordinary package whose large member compresses extremely well
// (a zero-filled disk image among test fixtures) is read to its end, while
// a decompression bomb stops after a known amount of work. A zero field
// means its default (DefaultLimits).
type Limits struct {
	// MaxBytes bounds the bytes expanded from one archive found on disk
	// (or streamed), the archives inside it included: decompressed bytes
	// of compressed archives and the content of members (sparse holes
	// included), whether a member is scanned or skipped. mcpscan's flag:
	// --max-archive-bytes.
	MaxBytes int64
	// MaxScanBytes bounds the same count over all the archives of one
	// scan (a directory full of bombs). Once it is spent, further
	// archives are reported and not opened. Enforced by handlers built
	// with New. mcpscan's flag: --max-archive-bytes-total.
	MaxScanBytes int64
	// MaxMembers bounds the members of one archive, nested ones included.
	MaxMembers int
	// MaxBuffer: members up to this size are held in memory, which gives
	// their handler random access (Input.ReaderAt); larger ones are
	// streamed without it.
	MaxBuffer int64
	// MaxZipBuffer: a zip read without random access (inside another
	// archive, or streamed) is held in memory up to this size so that its
	// central directory can be read; a larger one is read from its local
	// file headers as it streams.
	MaxZipBuffer int64
}

// Default limits (see DefaultLimits).
const (
	DefaultMaxBytes     = 8 << 30  // 8 GiB per archive (about 2 s of zeros through gzip)
	DefaultMaxScanBytes = 64 << 30 // 64 GiB per scan
	DefaultMaxMembers   = 100_000
	DefaultMaxBuffer    = 32 << 20  // 32 MiB
	DefaultMaxZipBuffer = 128 << 20 // 128 MiB
)

// DefaultLimits returns the limits used for zero fields: 8 GiB expanded
// per archive and 64 GiB per scan, 100,000 members per archive, members
// up to 32 MiB held in memory, zips without random access held in memory
// up to 128 MiB.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:     DefaultMaxBytes,
		MaxScanBytes: DefaultMaxScanBytes,
		MaxMembers:   DefaultMaxMembers,
		MaxBuffer:    DefaultMaxBuffer,
		MaxZipBuffer: DefaultMaxZipBuffer,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxScanBytes <= 0 {
		l.MaxScanBytes = d.MaxScanBytes
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = d.MaxMembers
	}
	if l.MaxBuffer <= 0 {
		l.MaxBuffer = d.MaxBuffer
	}
	if l.MaxZipBuffer <= 0 {
		l.MaxZipBuffer = d.MaxZipBuffer
	}
	return l
}

// ScanBudget is the expansion budget of a whole scan, shared by every
// worker (safe for concurrent use).
type ScanBudget struct {
	max  int64
	used atomic.Int64
}

// NewScanBudget returns a budget of max bytes (<= 0: DefaultMaxScanBytes).
func NewScanBudget(max int64) *ScanBudget {
	if max <= 0 {
		max = DefaultMaxScanBytes
	}
	return &ScanBudget{max: max}
}

// Spent reports whether the budget is used up.
func (s *ScanBudget) Spent() bool { return s != nil && s.used.Load() >= s.max }

// Budget is what one archive found on disk (or streamed) may still cost,
// the archives inside it included. It belongs to one goroutine; its scan
// part (may be nil) is shared.
type Budget struct {
	lim      Limits
	scan     *ScanBudget
	expanded int64
	members  int
	err      *LimitError // sticky: once a limit is hit, every read fails
	reported bool        // the limit was reported (once per archive tree)
}

// NewBudget returns the budget of one archive tree under lim (zero fields:
// defaults), drawing also on scan when it is not nil.
func NewBudget(lim Limits, scan *ScanBudget) *Budget {
	return &Budget{lim: lim.withDefaults(), scan: scan}
}

// Limits returns the limits in force (defaults filled in).
func (b *Budget) Limits() Limits { return b.lim }

// Err returns the limit that was hit, or nil.
func (b *Budget) Err() error {
	if b.err == nil {
		return nil
	}
	return b.err
}

// spend counts n expanded bytes; it returns the *LimitError once a limit
// is passed.
func (b *Budget) spend(n int64) error {
	if b.err != nil {
		return b.err
	}
	b.expanded += n
	if b.expanded > b.lim.MaxBytes {
		b.err = &LimitError{Limit: LimitBytes, Max: b.lim.MaxBytes}
		return b.err
	}
	if b.scan != nil && b.scan.used.Add(n) > b.scan.max {
		b.err = &LimitError{Limit: LimitScanBytes, Max: b.scan.max}
		return b.err
	}
	return nil
}

// member counts one member; it returns the *LimitError once there are too
// many.
func (b *Budget) member() error {
	if b.err != nil {
		return b.err
	}
	b.members++
	if b.members > b.lim.MaxMembers {
		b.err = &LimitError{Limit: LimitMembers, Max: int64(b.lim.MaxMembers)}
		return b.err
	}
	return nil
}

// Limit names one of the Limits.
type Limit int

// The limits a LimitError can name.
const (
	LimitBytes     Limit = iota // Limits.MaxBytes
	LimitScanBytes              // Limits.MaxScanBytes
	LimitMembers                // Limits.MaxMembers
)

// LimitError is returned (by Members.Next and by member readers) once an
// archive tree has used up a budget. Reading stops there; what was read
// before stays valid.
type LimitError struct {
	Limit Limit
	Max   int64 // the limit's value: bytes, or members
	// Where says where reading stopped ("inside member \"x\"", "after 3
	// members"); set by Members.Next.
	Where string
}

// Error says which budget ran out, with the flag that raises it.
func (e *LimitError) Error() string {
	var what string
	switch e.Limit {
	case LimitBytes:
		what = fmt.Sprintf("archive budget spent: more than %d bytes expanded from this archive and the archives inside it (--max-archive-bytes)", e.Max)
	case LimitScanBytes:
		what = fmt.Sprintf("archive budget spent: more than %d bytes expanded from the archives of this scan (--max-archive-bytes-total)", e.Max)
	default:
		what = fmt.Sprintf("more than %d members in this archive and the archives inside it", e.Max)
	}
	if e.Where != "" {
		return what + "; stopped " + e.Where + ", the rest was not read"
	}
	return what + "; the rest was not read"
}

// meter counts what passes through it against a budget.
type meter struct {
	r io.Reader
	b *Budget
}

func (m *meter) Read(p []byte) (int, error) {
	if m.b.err != nil {
		return 0, m.b.err
	}
	n, err := m.r.Read(p)
	if lerr := m.b.spend(int64(n)); lerr != nil {
		return n, lerr
	}
	return n, err
}
