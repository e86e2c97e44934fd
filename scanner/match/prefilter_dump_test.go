package match

import (
	"fmt"
	"math/bits"
	"os"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

func TestPrefilterDump(t *testing.T) {
	if os.Getenv("MCPSCAN_PREFILTER_STATS") == "" {
		t.Skip()
	}
	p := NewEngine(rules.Default()).pf
	n := 0
	for _, w := range p.bits {
		n += bits.OnesCount64(w)
	}
	used := 0
	for _, s := range p.slots {
		if s.key != 0 {
			used++
		}
	}
	t.Logf("keywords %d grams %d bits %d (%.2f%%) slots %d maxLen %d maxAnchor %d edge %d", len(p.keywords), used, n, 100*float64(n)/(1<<hashBits), len(p.slots), p.maxLen, p.maxAnchor, len(p.edge))
	for _, s := range p.slots {
		if s.key == 0 {
			continue
		}
		g := s.key
		name := fmt.Sprintf("%q", string([]byte{byte(g), byte(g >> 8), byte(g >> 16)}))
		var ks []string
		for _, a := range p.anchors[s.first : s.first+s.n] {
			ks = append(ks, fmt.Sprintf("%s@%d", p.keywords[a.kw].text, a.offset))
		}
		if len(os.Getenv("DUMPALL")) > 0 || len(ks) > 0 && len(p.anchors[s.first:s.first+s.n]) < 1000 {
			fmt.Println(name, ks)
		}
	}
}

func BenchmarkPrefilterEmpty(b *testing.B) {
	data := transcripts(b)
	pf := *NewEngine(rules.Default()).pf
	pf.bits = [len(pf.bits)]uint64{}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		pf.find(data, 0, len(data), func(int, int) { n++ })
	}
	_ = n
}

func BenchmarkPrefilterShapes(b *testing.B) {
	for _, sh := range []string{"mixed", "logs", "minified", "usage", "huge"} {
		b.Run(sh, func(b *testing.B) {
			data := shapeTranscripts(b, sh)
			pf := NewEngine(rules.Default()).pf
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			n := 0
			for i := 0; i < b.N; i++ {
				pf.find(data, 0, len(data), func(int, int) { n++ })
			}
			_ = n
		})
	}
}
