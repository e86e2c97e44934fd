package jsonloc

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

const benchSize = 10 << 20

// longStringRecord is a tool_result record whose content string holds
// about size bytes of text built from line, followed by more fields.
func longStringRecord(line string, size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"parentUuid":"a-1","isSidechain":false,"cwd":"/home/u/proj","sessionId":"s-1","type":"user",` +
		`"message":{"role":"user","content":[{"tool_use_id":"toolu_1","type":"tool_result","content":"`)
	for b.Len() < size {
		b.WriteString(line)
	}
	b.WriteString(`","is_error":false}]},"uuid":"u-2","timestamp":"2026-01-01T00:00:02Z","toolUseResult":{"stdout":"x","stderr":""}}`)
	return b.Bytes()
}

func benchLocate(b *testing.B, rec []byte) {
	offs := []int64{200, int64(len(rec) / 3), int64(len(rec) / 2), int64(len(rec) - 300), int64(len(rec) - 40)}
	r := bytes.NewReader(rec)
	b.SetBytes(int64(len(rec)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(rec)
		ts, err := Locate(r, offs, transcriptCapture)
		if err != nil || !ts[1].Found {
			b.Fatal(err, ts[1])
		}
	}
}

// Typical command output: code and shell text with \n, \t and \" escapes.
func BenchmarkLocateLongString(b *testing.B) {
	benchLocate(b, longStringRecord(`    if err := run(ctx, \"--flag=value\", path); err != nil {\n\t\treturn fmt.Errorf(\"run: %w\", err)\n`, benchSize))
}

// Plain ASCII without escapes: the pure skipping speed.
func BenchmarkLocateLongStringPlain(b *testing.B) {
	benchLocate(b, longStringRecord(strings.Repeat("lorem ipsum dolor sit amet consectetur ", 8), benchSize))
}

// Mostly non-ASCII text: every character is validated as UTF-8.
func BenchmarkLocateLongStringCJK(b *testing.B) {
	benchLocate(b, longStringRecord(`日本語のテキストと説明文。`, benchSize))
}

// Many small objects and short strings, like toolUseResult.structuredPatch.
func BenchmarkLocateManyObjects(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`{"type":"user","sessionId":"s-1","toolUseResult":{"filePath":"/p/main.go","structuredPatch":[`)
	for i := 0; buf.Len() < benchSize; i++ {
		if i > 0 {
			buf.WriteByte(',')
		}
		n := strconv.Itoa(i)
		buf.WriteString(`{"oldStart":` + n + `,"oldLines":3,"newStart":` + n + `,"newLines":4,"lines":[" ctx line ` + n + `","-old := 1","+new := 2","+token := \"abc\""]}`)
	}
	buf.WriteString(`]},"timestamp":"T"}`)
	benchLocate(b, buf.Bytes())
}
