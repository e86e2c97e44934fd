package match

import (
	"bytes"
	"reflect"
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
// first: the order furthest from the one they were posted in.
type lifoGroup struct{ tasks []func() }

func (g *lifoGroup) Go(task func()) { g.tasks = append(g.tasks, task) }

func (g *lifoGroup) Wait() {
	for len(g.tasks) > 0 {
		t := g.tasks[len(g.tasks)-1]
		g.tasks = g.tasks[:len(g.tasks)-1]
		t()
	}
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
			for _, g := range []Group{nil, &lifoGroup{}} {
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
