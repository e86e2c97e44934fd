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
	benchOnce sync.Once
	benchData []byte // ~16 MB of generated Claude Code transcripts, concatenated
	benchErr  error
)

// transcripts returns a generated, realistic transcript corpus (the
// fixtures/corpus generator, fixed seed), built once per test binary.
func transcripts(b *testing.B) []byte {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "mcpscan-bench-")
		if err != nil {
			benchErr = err
			return
		}
		defer os.RemoveAll(dir)
		if _, benchErr = corpus.Generate(dir, corpus.Options{TargetBytes: 16 << 20, Seed: 42}); benchErr != nil {
			return
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
				return
			}
			buf.Write(data)
		}
		benchData = buf.Bytes()
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchData
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
func BenchmarkPrefilter(b *testing.B) {
	data := transcripts(b)
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
