package jsonloc

import (
	"bytes"
	"errors"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// FuzzLocate checks that Locate never panics or hangs, that errors carry a
// sane offset and that no target is answered at or after it, that chunking
// does not change the answers, and, for UTF-8 input, that Locate accepts
// exactly what encoding/json accepts and answers like the reference built
// on encoding/json's tokenizer. Plain `go test` runs only the seeds.
func FuzzLocate(f *testing.F) {
	for _, s := range []string{
		recUserString, recAssistant, recToolResult, recReadResult, recProgress,
		recNested, recConfig, recUnicode,
		`{"a":[1,true,null,"x",{"b":-2.5e3}],"type":"t","id":7}`,
		`[[[{"a":{"b":{"c":{"d":{"e":{"f":{"g":"deep"}}}}}}}]]]`,
		`{"type":"a","type":{"x":"y"},"name":"` + "\\ud83d\\ude00\\ud800\\u0041\\udc00" + `"}`,
		`"top\"level\\"`,
		`{"a":"x\u12G4"}`,
		"{\"a\":\"x\xffy\"}",
		`{"a":1,}`,
		`{"a":01}`,
		"  {\"k\" : \"v\" , \"n\" : -0.0e+1 }\n{}",
	} {
		f.Add([]byte(s), uint8(0), uint8(0))
	}
	f.Add([]byte(recAssistant), uint8(3), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, depth, maxVal uint8) {
		if len(data) > 1<<12 {
			return
		}
		opt := Options{
			Capture:     []string{"type", "name", "id", "a", "b", "", "k", "n"},
			MaxDepth:    int(depth % 8),
			MaxValueLen: int(maxVal % 16),
		}
		// Every offset, and a few outside the input.
		offs := []int64{-1}
		for i := 0; i <= len(data)+1; i++ {
			offs = append(offs, int64(i))
		}
		got, err := Locate(bytes.NewReader(data), offs, opt)
		if len(got) != len(offs) {
			t.Fatalf("got %d targets for %d offsets", len(got), len(offs))
		}
		for i := range got {
			if got[i].Offset != offs[i] {
				t.Fatalf("target %d has offset %d, want %d", i, got[i].Offset, offs[i])
			}
			if got[i].Found && (got[i].Offset < 0 || got[i].Offset >= int64(len(data))) {
				t.Fatalf("offset %d outside the input is found", got[i].Offset)
			}
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if e.Offset < 0 || e.Offset > int64(len(data)) {
				t.Fatalf("error offset %d outside the input of %d bytes", e.Offset, len(data))
			}
			for _, g := range got {
				if g.Found && g.Offset >= e.Offset {
					t.Fatalf("offset %d answered at or after the error at %d", g.Offset, e.Offset)
				}
			}
		}

		// Chunking must not matter.
		got1, err1 := Locate(iotest.OneByteReader(bytes.NewReader(data)), offs, opt)
		if (err == nil) != (err1 == nil) || err != nil && err.Error() != err1.Error() {
			t.Fatalf("one-byte reader: err %v, whole: err %v", err1, err)
		}
		if d := sameTargets(got1, got); d != "" {
			t.Fatalf("one-byte reader differs: %s", d)
		}

		if !utf8.Valid(data) {
			return // encoding/json replaces invalid UTF-8; Locate rejects it
		}
		ref, ok := reference(data, offs, opt)
		if ok != (err == nil) {
			t.Fatalf("Locate err = %v, encoding/json accepts: %v", err, ok)
		}
		if ok {
			if d := sameTargets(got, ref); d != "" {
				t.Fatalf("differs from reference: %s", d)
			}
		}
	})
}
