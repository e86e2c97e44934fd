package match

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/fixtures/corpus"
	"github.com/mcpscan/mcpscan/rules"
)

// TestPrefilterStats logs, per corpus shape, how often the prefilter's
// scan stops per MB, how many stops are real anchor trigrams (not hash
// collisions), how many confirm a keyword, and which trigrams and
// keywords cost most. It is a measuring tool, on only with
// MCPSCAN_PREFILTER_STATS=1 (it generates 8 MB per shape).
func TestPrefilterStats(t *testing.T) {
	if os.Getenv("MCPSCAN_PREFILTER_STATS") == "" {
		t.Skip("set MCPSCAN_PREFILTER_STATS=1 to measure the prefilter per shape")
	}
	e := NewEngine(rules.Default())
	p := e.pf
	shapes := strings.Fields(os.Getenv("MCPSCAN_PREFILTER_SHAPES"))
	if len(shapes) == 0 {
		for _, sh := range corpus.Shapes() {
			shapes = append(shapes, sh.Name)
		}
	}
	for _, shape := range shapes {
		data := shapeTranscripts(t, shape)
		st := prefilterCounts(p, data)
		mb := float64(len(data)) / 1e6
		t.Logf("%-10s stops/MB %7.0f exact/MB %7.0f confirmed/MB %6.0f", shape, float64(st.stops)/mb, float64(st.exact)/mb, float64(st.confirmed)/mb)
		t.Logf("  stops by trigram (per MB, confirmed/MB): %s", top(st.byGram, st.confByGram, mb, 14))
		t.Logf("  hash collisions (per MB): %s", top(st.fp, nil, mb, 14))
		t.Logf("  exact, unconfirmed (per MB): %s", top(st.unconf, nil, mb, 14))
		t.Logf("  keywords confirmed (per MB): %s", top(st.byKw, nil, mb, 14))
	}
}

type pfCounts struct {
	stops, exact, confirmed int
	byGram, confByGram      map[string]int
	byKw                    map[string]int
	fp, unconf              map[string]int
}

// prefilterCounts runs find's loop with counters.
func prefilterCounts(p *prefilter, b []byte) pfCounts {
	st := pfCounts{byGram: map[string]int{}, confByGram: map[string]int{}, byKw: map[string]int{}, fp: map[string]int{}, unconf: map[string]int{}}
	hi := min(len(b)+p.maxAnchor, len(b)-2)
	var stops []int
	var batch [stopBatch]int32
	i := 0
	for {
		var n int
		i, n = p.scan(b, i, hi, &batch)
		for _, at := range batch[:n] {
			stops = append(stops, int(at))
		}
		if n == 0 {
			break
		}
	}
	for ; i < hi; i += 2 {
		h := p.hash(fold3(b[i], b[i+1], b[i+2]))
		if p.bits[h>>6]>>(h&63)&1 != 0 {
			stops = append(stops, i)
		}
	}
	for _, i := range stops {
		st.stops++
		g := fold3(b[i], b[i+1], b[i+2])
		name := fmt.Sprintf("%q", string([]byte{byte(g), byte(g >> 8), byte(g >> 16)}))
		st.byGram[name]++
		mask := uint32(len(p.slots) - 1)
		exact, conf := false, false
		for j := p.hash(g) & mask; ; j = (j + 1) & mask {
			sl := p.slots[j]
			if sl.key == 0 {
				break
			}
			if sl.key != g|1<<24 {
				continue
			}
			st.exact++
			exact = true
			for _, a := range p.anchors[sl.first : sl.first+sl.n] {
				s := i - int(a.offset)
				if s < 0 || s >= len(b) {
					continue
				}
				if hasFoldAt(b, s, p.keywords[a.kw].text) {
					st.confirmed++
					conf = true
					st.confByGram[name]++
					st.byKw[p.keywords[a.kw].text]++
				}
			}
			break
		}
		if !exact {
			st.fp[name]++
		} else if !conf {
			st.unconf[name]++
		}
	}
	return st
}

func top(m, conf map[string]int, mb float64, n int) string {
	type kv struct {
		k string
		v int
	}
	var xs []kv
	for k, v := range m {
		xs = append(xs, kv{k, v})
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i].v > xs[j].v || xs[i].v == xs[j].v && xs[i].k < xs[j].k })
	var sb strings.Builder
	for i, x := range xs {
		if i == n {
			break
		}
		if conf != nil {
			fmt.Fprintf(&sb, "%s %.0f/%.0f  ", x.k, float64(x.v)/mb, float64(conf[x.k])/mb)
		} else {
			fmt.Fprintf(&sb, "%s %.0f  ", x.k, float64(x.v)/mb)
		}
	}
	return sb.String()
}
