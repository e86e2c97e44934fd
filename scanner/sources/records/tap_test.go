package records

import (
	"io"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/scanner"
)

// tapInput builds JSON Lines with every kind of malformed record (a raw
// NUL, a record that is not an object, one cut short, blank and CRLF
// lines) and deep markers, some across likely cut points.
func tapInput(rng *rand.Rand, lines int) string {
	var b strings.Builder
	for i := 0; i < lines; i++ {
		switch rng.Intn(12) {
		case 0:
			b.WriteString("{\"a\":\"x\x00y\"}\n")
		case 1:
			b.WriteString("[1,2]\n")
		case 2:
			b.WriteString("{\"c\":\n")
		case 3:
			b.WriteString("   \t\n")
		case 4:
			b.WriteString("{\"d\":1}\r\n")
		case 5:
			b.WriteString(`{"text":"{\"arguments\":\"{\\\"body\\\":\\\"v\\\"}\"}"}` + "\n")
		case 6:
			b.WriteString(`\\\"` + "\n")
		default:
			b.WriteString(`{"type":"user","message":{"content":"` + strings.Repeat("pad ", rng.Intn(40)) + `"}}` + "\n")
		}
	}
	if rng.Intn(2) == 0 {
		b.WriteString(`{"type":"user","trunc`)
	}
	return b.String()
}

// cutTap shows in to tap's parts cut at random places (pieces of any
// length, down to none at all and single bytes, each fed in random
// slices) and joins them.
func cutTap(rng *rand.Rand, tap scanner.Tap, in string) {
	var parts []scanner.TapPart
	for off := 0; off < len(in); {
		n := 1 + rng.Intn(max(1, min(len(in)-off, []int{3, 50, 4000}[rng.Intn(3)])))
		p := tap.Part(int64(off))
		piece := in[off : off+n]
		for len(piece) > 0 {
			k := 1 + rng.Intn(len(piece))
			p.Watch([]byte(piece[:k]))
			piece = piece[k:]
		}
		parts = append(parts, p)
		off += n
	}
	tap.Join(parts)
}

// TestCheckerParts: a Checker joined from parts that saw an input's
// pieces judges exactly the records, on the same lines, as one that read
// it (Env.Match splits large transcripts so).
func TestCheckerParts(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	problems := 0
	for round := 0; round < 300; round++ {
		in := tapInput(rng, 1+rng.Intn(60))
		seq := NewChecker(strings.NewReader(in), 1)
		io.Copy(io.Discard, seq)
		wantP, wantMore := seq.Finish()
		par := NewChecker(strings.NewReader(in), 1)
		cutTap(rng, par, in)
		if n, err := par.Read(make([]byte, 8)); n != 0 || err != io.EOF {
			t.Fatalf("joined checker reads %d, %v; want the end", n, err)
		}
		gotP, gotMore := par.Finish()
		problems += len(gotP)
		if !reflect.DeepEqual(gotP, wantP) || gotMore != wantMore || par.line != seq.line {
			t.Fatalf("round %d: parts give %+v (+%d) line %d, want %+v (+%d) line %d\n%q", round, gotP, gotMore, par.line, wantP, wantMore, seq.line, in)
		}
	}
	if problems < 300 {
		t.Errorf("only %d problems in 300 rounds", problems)
	}
}

// TestWatcherParts: the same for the deep-marker watcher: the same marks,
// offsets, lines and line starts.
func TestWatcherParts(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	marks := 0
	for round := 0; round < 300; round++ {
		in := tapInput(rng, 1+rng.Intn(60))
		seq := newWatcher(strings.NewReader(in), 0, 1)
		io.Copy(io.Discard, seq)
		par := newWatcher(strings.NewReader(in), 0, 1)
		cutTap(rng, par, in)
		marks += len(seq.marks)
		if !reflect.DeepEqual(par.marks, seq.marks) || par.line != seq.line || par.lineStart != seq.lineStart || par.off != seq.off {
			t.Fatalf("round %d: parts give %+v (line %d at %d), want %+v (line %d at %d)\n%q", round, par.marks, par.line, par.lineStart, seq.marks, seq.line, seq.lineStart, in)
		}
	}
	if marks < 300 {
		t.Errorf("only %d marks in 300 rounds", marks)
	}
}
