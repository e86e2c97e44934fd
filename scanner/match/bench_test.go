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
