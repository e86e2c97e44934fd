package records

import (
	"bytes"
	"io"
	"testing"
)

// FuzzChecker: whatever the bytes, the record checker passes them through
// unchanged, never panics, and reports problems only on lines that exist.
func FuzzChecker(f *testing.F) {
	f.Add([]byte("{\"a\":1}\n[1]\n{\"b\":\x00}\n{\"c\":"))
	f.Add([]byte("\n\n\r\n  {}  \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := NewChecker(bytes.NewReader(data), 1)
		var out bytes.Buffer
		if _, err := io.Copy(&out, c); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Fatal("bytes changed passing through the checker")
		}
		probs, more := c.Finish()
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, p := range probs {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("problem on line %d of %d", p.Line, lines)
			}
		}
		if more < 0 || len(probs) > MaxProblems {
			t.Fatalf("%d problems listed, %d more", len(probs), more)
		}
	})
}
