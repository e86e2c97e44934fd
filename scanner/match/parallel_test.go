package match

import (
	"bytes"
	"reflect"
	"strings"
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
