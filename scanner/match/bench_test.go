package match

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/mcpscan/mcpscan/fixtures/corpus"
	"github.com/mcpscan/mcpscan/rules"
)

var (
	benchOnce, denseOnce sync.Once
	benchData, denseData []byte
	benchErr, denseErr   error
)

// transcripts returns a generated, realistic transcript corpus of about
// 16 MB (the fixtures/corpus generator, fixed seed), built once per test
// binary.
func transcripts(b testing.TB) []byte {
	benchOnce.Do(func() { benchData, benchErr = generate(corpus.Options{TargetBytes: 16 << 20, Seed: 42}) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchData
}

// denseTranscripts is about 3 MB with many planted secrets.
func denseTranscripts(b testing.TB) []byte {
	denseOnce.Do(func() {
		denseData, denseErr = generate(corpus.Options{TargetBytes: 3 << 20, Seed: 7, SecretsPerMB: 40})
	})
	if denseErr != nil {
		b.Fatal(denseErr)
	}
	return denseData
}

// generate writes a corpus to a temporary directory and returns its
// transcripts concatenated.
func generate(opt corpus.Options) ([]byte, error) {
	var out []byte
	var benchErr error
	{
		dir, err := os.MkdirTemp("", "mcpscan-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		if _, err := corpus.Generate(dir, opt); err != nil {
			return nil, err
		}
		var files []string
		filepath.Walk(filepath.Join(dir, "home"), func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && filepath.Ext(p) == ".jsonl" {
				files = append(files, p)
			}
			return nil
		})
		sort.Strings(files)
		var buf bytes.Buffer
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				benchErr = err
				break
			}
			buf.Write(data)
		}
		out = buf.Bytes()
	}
	return out, benchErr
}

// BenchmarkScanTranscripts is the whole matcher (prefilter, checks,
// windows, regexes) over realistic transcripts in JSON mode, one core.
func BenchmarkScanTranscripts(b *testing.B) {
	data := transcripts(b)
	s := NewEngine(rules.Default()).NewScanner()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Scan(bytes.NewReader(data), Options{Mode: JSON}, func(*Hit) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrefilter is the keyword prefilter alone.
func BenchmarkPrefilter(b *testing.B) { benchPrefilter(b, transcripts(b)) }

// benchPrefilter runs the default rules' prefilter over data b.N times,
// with a callback that counts.
func benchPrefilter(b *testing.B, data []byte) {
	pf := NewEngine(rules.Default()).pf
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		pf.find(data, 0, len(data), func(int, int) { n++ })
	}
	_ = n
}

// BenchmarkDecodeJSON is window decoding alone, over the whole input.
func BenchmarkDecodeJSON(b *testing.B) {
	data := transcripts(b)[:4<<20]
	var w window
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.decodeJSON(data, 0, len(data), false)
	}
}

var (
	shapeMu   sync.Mutex
	shapeData = map[string][]byte{}
)

// shapeTranscripts returns about 8 MB of transcripts of one corpus shape
// (fixtures/corpus), built once per test binary.
func shapeTranscripts(b testing.TB, shape string) []byte {
	shapeMu.Lock()
	defer shapeMu.Unlock()
	if d, ok := shapeData[shape]; ok {
		return d
	}
	d, err := generate(corpus.Options{TargetBytes: 8 << 20, Seed: 3, Shape: shape})
	if err != nil {
		b.Fatal(err)
	}
	shapeData[shape] = d
	return d
}

// BenchmarkShapes is the whole matcher over each corpus shape, JSON mode,
// one core. Besides MB/s it reports, per MB, the keyword hits that passed
// the checks, the regex attempts and the bytes windowed regexes scanned;
// with -v it logs the rules with the most attempts.
func BenchmarkShapes(b *testing.B) {
	for _, sh := range corpus.Shapes() {
		b.Run(sh.Name, func(b *testing.B) {
			data := shapeTranscripts(b, sh.Name)
			e := NewEngine(rules.Default())
			s := e.NewScanner()
			warmScan(b, s, data) // compiles the rules' regexes
			st := e.countRules()
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				measuredScan(b, s, data)
			}
			b.StopTimer()
			mb := float64(len(data)) * float64(b.N) / 1e6
			sum := func(xs []int) (t int) {
				for _, x := range xs {
					t += x
				}
				return
			}
			b.ReportMetric(float64(sum(st.hits))/mb, "hits/MB")
			b.ReportMetric(float64(sum(st.attempts))/mb, "attempts/MB")
			b.ReportMetric(float64(sum(st.scanned))/mb, "windowB/MB")
			type row struct {
				id                                     string
				hits, attempts, scanned, wide, matches int
			}
			var rows []row
			for ri, r := range e.rules {
				rows = append(rows, row{r.ID, st.hits[ri], st.attempts[ri], st.scanned[ri], st.widened[ri], st.matches[ri]})
			}
			sort.Slice(rows, func(i, j int) bool { return rows[i].attempts > rows[j].attempts })
			for _, r := range rows[:5] {
				b.Logf("%-32s hits/MB %6.0f attempts/MB %6.0f matches/MB %6.0f windowB/MB %7.0f widened/MB %5.1f", r.id, float64(r.hits)/mb, float64(r.attempts)/mb, float64(r.matches)/mb, float64(r.scanned)/mb, float64(r.wide)/mb)
			}
		})
	}
}

// warmScan and measuredScan scan data in JSON mode. They are two functions
// so that instruction counts can leave the warm-up out:
//
//	go test -c -o match.test ./scanner/match
//	GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 valgrind --tool=callgrind \
//	  --toggle-collect='*match.measuredScan' ./match.test -test.run XXX \
//	  -test.bench 'Shapes/minified$' -test.benchtime 1x
//
//go:noinline
func warmScan(b *testing.B, s *Scanner, data []byte) {
	if _, err := s.Scan(bytes.NewReader(data), Options{Mode: JSON}, func(*Hit) error { return nil }); err != nil {
		b.Fatal(err)
	}
}

//go:noinline
func measuredScan(b *testing.B, s *Scanner, data []byte) {
	if _, err := s.Scan(bytes.NewReader(data), Options{Mode: JSON}, func(*Hit) error { return nil }); err != nil {
		b.Fatal(err)
	}
}
