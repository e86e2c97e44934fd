package match

import (
	"bytes"
	"math/rand"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

// TestScanAtEqualsScan: scanning one input in segments on several cores
// gives exactly the hits (rules, secrets, offsets, lines, columns) of a
// sequential scan, for every segment count, in both modes.
func TestScanAtEqualsScan(t *testing.T) {
	old := ParallelMin
	ParallelMin = 0
	defer func() { ParallelMin = old }()
	long := strings.Repeat("é lorem ipsum token ", 40000) + " " + ghToken + " tail\n" // a 900 KB line
	inputs := map[string][]byte{
		"transcripts": denseTranscripts(t),
		"long line":   []byte(long + "export API_KEY=\"" + apiValue + "\"\n" + long),
	}
	e := NewEngine(rules.Default())
	for name, data := range inputs {
		for _, mode := range []Mode{Text, JSON} {
			var want []Hit
			e.NewScanner().Scan(bytes.NewReader(data), Options{Mode: mode}, func(h *Hit) error { want = append(want, *h); return nil })
			if len(want) == 0 {
				t.Fatalf("%s: no hits", name)
			}
			for _, workers := range []int{2, 3, 7} {
				var got []Hit
				if _, err := e.ScanAt(bytes.NewReader(data), int64(len(data)), Options{Mode: mode}, workers, func(h *Hit) error {
					got = append(got, *h)
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(stripRules(got), stripRules(want)) {
					t.Errorf("%s mode %d workers %d: %d hits, want %d", name, mode, workers, len(got), len(want))
					for i := range min(len(got), len(want)) {
						if stripRules(got)[i] != stripRules(want)[i] {
							t.Errorf("first difference: %+v, want %+v", stripRules(got)[i], stripRules(want)[i])
							break
						}
					}
				}
			}
		}
	}
}

// lifoGroup runs the tasks on Wait, on the caller's goroutine, newest
// first (the order furthest from the one they were posted in), or oldest
// first when fifo (segments finish in order, so their hits are emitted a
// few at a time). It returns to the caller after each task that wakes it.
type lifoGroup struct {
	fifo  bool
	tasks []func()
}

func (g *lifoGroup) Go(task func()) { g.tasks = append(g.tasks, task) }

func (g *lifoGroup) Wait(wake <-chan struct{}) bool {
	for len(g.tasks) > 0 {
		i := len(g.tasks) - 1
		if g.fifo {
			i = 0
		}
		t := g.tasks[i]
		g.tasks = append(g.tasks[:i], g.tasks[i+1:]...)
		t()
		select {
		case <-wake:
			return len(g.tasks) == 0
		default:
		}
	}
	return true
}

// TestScanSplitEqualsScan: many segments, run in any order by a Group,
// give the hits of a sequential scan, and Observe sees every byte of the
// input once, piece after piece.
func TestScanSplitEqualsScan(t *testing.T) {
	data := denseTranscripts(t)
	e := NewEngine(rules.Default())
	for _, mode := range []Mode{Text, JSON} {
		var want []Hit
		e.NewScanner().Scan(bytes.NewReader(data), Options{Mode: mode}, func(h *Hit) error { want = append(want, *h); return nil })
		for _, segs := range []int{1, 5, 16, 37} {
			for _, g := range []Group{nil, &lifoGroup{}, &lifoGroup{fifo: true}} {
				pieces := map[int][]byte{}
				next := map[int]int64{}
				var got []Hit
				var mu sync.Mutex
				sp := Split{Segments: segs, Group: g, Observe: func(k int, off int64, b []byte) {
					mu.Lock()
					defer mu.Unlock()
					if n, ok := next[k]; ok && n != off {
						t.Errorf("piece %d: bytes at %d after %d", k, off, n)
					}
					next[k] = off + int64(len(b))
					pieces[k] = append(pieces[k], b...)
				}}
				if _, err := e.ScanSplit(bytes.NewReader(data), int64(len(data)), Options{Mode: mode}, sp, func(h *Hit) error {
					got = append(got, *h)
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(stripRules(got), stripRules(want)) {
					t.Errorf("mode %d segments %d group %T: %d hits, want %d", mode, segs, g, len(got), len(want))
				}
				var seen []byte
				for k := 0; k < len(pieces); k++ {
					seen = append(seen, pieces[k]...)
				}
				if !bytes.Equal(seen, data) {
					t.Errorf("mode %d segments %d: observed %d bytes in %d pieces, not the input's %d", mode, segs, len(seen), len(pieces), len(data))
				}
			}
		}
	}
}

func TestSegments(t *testing.T) {
	for _, c := range []struct {
		size    int64
		workers int
		want    int
	}{{1 << 30, 1, 1}, {16 << 20, 2, 8}, {210 << 20, 2, 8}, {1 << 30, 2, 32}, {1 << 40, 8, 256}} {
		if got := Segments(c.size, c.workers); got != c.want {
			t.Errorf("Segments(%d, %d) = %d, want %d", c.size, c.workers, got, c.want)
		}
	}
}

// TestSplitEmitEqualsMerge: the hits a split hands on as its segments
// finish, in any order, are those of one merge of every segment's hits:
// deduplicated, overlaps resolved, in order of Start. The hits here are
// made up so that long and overlapping ones cross segment edges (rare in
// real text).
func TestSplitEmitEqualsMerge(t *testing.T) {
	var rs []*rules.Rule
	for i, p := range []int{0, 1, 2} {
		rs = append(rs,
			&rules.Rule{ID: "r" + string(rune('a'+i)), Priority: p},
			&rules.Rule{ID: "c" + string(rune('a'+i)), Priority: p, Contextual: true})
	}
	rs = append(rs, &rules.Rule{ID: "signal", Kind: rules.KindSignal})
	rng := rand.New(rand.NewSource(3))
	const n, step = 6, 100
	for round := 0; round < 2000; round++ {
		reads := make([]int64, n+1)
		for k := range reads {
			reads[k] = int64(k * step)
		}
		segHits := make([][]Hit, n)
		for k := 0; k < n; k++ {
			for range rng.Intn(8) {
				start := reads[k] + int64(rng.Intn(step+40))
				h := Hit{Rule: rs[rng.Intn(len(rs))], Start: start, End: start + 1 + int64(rng.Intn([]int{5, 30, 150}[rng.Intn(3)]))}
				segHits[k] = append(segHits[k], h)
				if k+1 < n && start >= reads[k+1] && rng.Intn(2) == 0 {
					segHits[k+1] = append(segHits[k+1], h) // found again by the next segment
				}
			}
		}
		for k := range segHits {
			sort.SliceStable(segHits[k], func(i, j int) bool { return segHits[k][i].Start < segHits[k][j].Start })
		}
		// The merge of all at once, as ScanAt did.
		var all []Hit
		for _, hs := range segHits {
			all = append(all, hs...)
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].Start < all[j].Start })
		seen := map[[3]any]bool{}
		var uniq []Hit
		for _, h := range all {
			k := [3]any{h.Rule.ID, h.Start, h.End}
			if !seen[k] {
				seen[k] = true
				uniq = append(uniq, h)
			}
		}
		want := resolveOverlaps(uniq)
		// The same, segments finishing in random order.
		s := &split{reads: reads, scanned: make([]bool, n), hits: make([][]Hit, n), tallies: make([]tally, n), before: tally{lastNL: -1}}
		var got []Hit
		collect := func(h *Hit) error { got = append(got, *h); return nil }
		for _, k := range rng.Perm(n) {
			s.scanned[k], s.hits[k] = true, append([]Hit(nil), segHits[k]...)
			s.emit(collect, false)
		}
		s.emit(collect, true)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: emitted %v\nwant %v", round, got, want)
		}
	}
}
