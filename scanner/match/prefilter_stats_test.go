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

// TestPrefilterStats is a measuring tool, on only with
// MCPSCAN_PREFILTER_STATS=1 (it generates 8 MB per corpus shape;
// MCPSCAN_PREFILTER_SHAPES="mixed logs" picks shapes):
//
//	MCPSCAN_PREFILTER_STATS=1 go test ./scanner/match -run PrefilterStats -v
//
// It logs the prefilter's tables (keywords, anchor trigrams, bits set) and,
// per shape and per MB: the offsets where the scan stops, how many of them
// are anchor trigrams rather than hash collisions, how many confirm a
// keyword, and which trigrams and keywords cause the most stops.
func TestPrefilterStats(t *testing.T) {
	if os.Getenv("MCPSCAN_PREFILTER_STATS") == "" {
		t.Skip("set MCPSCAN_PREFILTER_STATS=1 to measure the prefilter per shape")
	}
	p := NewEngine(rules.Default()).pf
	set, anchors := 0, 0
	for _, v := range p.set {
		set += int(v)
	}
	for _, sl := range p.slots {
		if sl.key != 0 {
			anchors++
		}
	}
	t.Logf("keywords %d, anchor trigrams %d, bits set %d (%.2f%%), maxLen %d, maxAnchor %d, edge keywords %d",
		len(p.keywords), anchors, set, 100*float64(set)/(1<<hashBits), p.maxLen, p.maxAnchor, len(p.edge))
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
		t.Logf("  hash collisions (per MB): %s", top(st.collisions, nil, mb, 14))
		t.Logf("  anchor trigram, no keyword (per MB): %s", top(st.unconfirmed, nil, mb, 14))
		t.Logf("  the same by keyword anchored there (per MB): %s", top(st.unconfirmedKw, nil, mb, 14))
		t.Logf("  keywords confirmed (per MB): %s", top(st.byKw, nil, mb, 14))
	}
}

type pfCounts struct {
	stops, exact, confirmed int
	byGram, confByGram      map[string]int // stops and confirmations per trigram
	byKw                    map[string]int // confirmations per keyword
	collisions, unconfirmed map[string]int // per trigram
	unconfirmedKw           map[string]int
}

// prefilterCounts runs find's scan over b and judges every stop as
// confirm does, counting.
func prefilterCounts(p *prefilter, b []byte) pfCounts {
	st := pfCounts{byGram: map[string]int{}, confByGram: map[string]int{}, byKw: map[string]int{},
		collisions: map[string]int{}, unconfirmed: map[string]int{}, unconfirmedKw: map[string]int{}}
	hi := len(b) - 2
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
		if p.set[h] != 0 {
			stops = append(stops, i)
		}
	}
	mask := uint32(len(p.slots) - 1)
	for _, i := range stops {
		st.stops++
		g := fold3(b[i], b[i+1], b[i+2])
		name := fmt.Sprintf("%q", string([]byte{byte(g), byte(g >> 8), byte(g >> 16)}))
		st.byGram[name]++
		var anchors []anchored
		for j := p.hash(g) & mask; p.slots[j].key != 0; j = (j + 1) & mask {
			if sl := p.slots[j]; sl.key == g|1<<24 {
				anchors = p.anchors[sl.first : sl.first+sl.n]
				break
			}
		}
		if anchors == nil {
			st.collisions[name]++
			continue
		}
		st.exact++
		confirmed := false
		for _, a := range anchors {
			if s := i - int(a.offset); s >= 0 && hasFoldAt(b, s, p.keywords[a.kw].text) {
				confirmed = true
				st.confirmed++
				st.confByGram[name]++
				st.byKw[p.keywords[a.kw].text]++
			}
		}
		if !confirmed {
			st.unconfirmed[name]++
			for _, a := range anchors {
				st.unconfirmedKw[p.keywords[a.kw].text]++
			}
		}
	}
	return st
}

// top formats the n largest counts of m per MB (with conf: and the
// matching count of conf).
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

// BenchmarkPrefilterShapes is the prefilter alone (scan and confirm, a
// callback that counts) over the corpus shapes where keywords are
// densest, one core.
func BenchmarkPrefilterShapes(b *testing.B) {
	for _, sh := range []string{"mixed", "logs", "minified", "usage", "huge"} {
		b.Run(sh, func(b *testing.B) {
			benchPrefilter(b, shapeTranscripts(b, sh))
		})
	}
}

// BenchmarkPrefilterScanFloor is the scan with no bit set: what reading
// and hashing every trigram at even offsets costs, without stops.
func BenchmarkPrefilterScanFloor(b *testing.B) {
	data := transcripts(b)
	pf := *NewEngine(rules.Default()).pf
	pf.set = [len(pf.set)]uint8{}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pf.find(data, 0, len(data), func(int, int) {})
	}
}
