package match

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

// bruteForce runs every rule over every whole decoded record of a JSON
// Lines input (no prefilter, no keyword windows, no chunks), keeps the
// most specific of overlapping matches as the matcher does, and returns
// the accepted secrets as "line:secret".
func bruteForce(t testing.TB, data []byte) map[string]bool {
	set := rules.Default()
	out := map[string]bool{}
	var w window
	line := 0
	for start := 0; start < len(data); {
		end := bytes.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		line++
		w.decodeJSON(data, start, end, false)
		text := w.text
		var hits []Hit
		for _, r := range set.Rules() {
			if r.Kind == rules.KindSignal {
				continue // signals are no findings (the transcript handler reads them)
			}
			if r.Pattern == "" {
				continue
			}
			lower := bytes.ToLower(text)
			hasKW := false
			for _, k := range r.Keywords {
				if bytes.Contains(lower, []byte(k)) {
					hasKW = true
					break
				}
			}
			if !hasKW {
				continue // gitleaks' semantics: a rule runs where one of its keywords is
			}
			for _, loc := range r.FindAll(text) {
				a, z := r.SecretSpan(loc)
				if a < 0 || z <= a {
					continue
				}
				c := rules.Candidate{Secret: string(text[a:z]), Match: string(text[loc[0]:loc[1]]), Line: lineAround(text, loc[0], loc[1])}
				if set.Accept(r, c) {
					hits = append(hits, Hit{Rule: r, Secret: c.Secret, Start: int64(a), End: int64(z)})
				}
			}
		}
		// The matcher keeps only the most specific of overlapping matches.
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Start < hits[j].Start })
		for _, h := range resolveOverlaps(hits) {
			out[fmt.Sprintf("%d:%s", line, h.Secret)] = true
		}
		start = end + 1
	}
	return out
}

// TestRecallEqualsBruteForce: on generated transcripts, every secret that
// a brute-force run of every rule over every decoded record accepts is
// also reported by the matcher (prefilter, checks, windows and chunk edges
// lose nothing), and the matcher reports nothing the brute force does not.
func TestRecallEqualsBruteForce(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("brute force over 3 MB")
	}
	data := denseTranscripts(t)
	want := bruteForce(t, data)
	got := map[string]bool{}
	for _, cs := range []int{0, 4096} {
		s := NewEngine(rules.Default()).NewScanner()
		if _, err := s.Scan(bytes.NewReader(data), Options{Mode: JSON, ChunkSize: cs}, func(h *Hit) error {
			if h.Rule.Kind != rules.KindSignal {
				got[fmt.Sprintf("%d:%s", h.Line, h.Secret)] = true
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	var missed, extra []string
	for k := range want {
		if !got[k] {
			missed = append(missed, k)
		}
	}
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missed)
	sort.Strings(extra)
	if len(want) < 20 {
		t.Fatalf("brute force found only %d secrets", len(want))
	}
	if len(missed) > 0 {
		t.Errorf("matcher missed %d of %d brute-force secrets: %q", len(missed), len(want), clip(missed))
	}
	if len(extra) > 0 {
		t.Errorf("matcher reported %d secrets the brute force did not: %q", len(extra), clip(extra))
	}
}

func clip(s []string) []string {
	if len(s) > 8 {
		return s[:8]
	}
	return s
}

// TestRecallEqualsBruteForceOnFixtures does the same over every JSON Lines
// file of the demo home (fixtures/home).
func TestRecallEqualsBruteForceOnFixtures(t *testing.T) {
	files, _ := filepath.Glob("../../fixtures/home/.claude/projects/*/*.jsonl")
	more, _ := filepath.Glob("../../fixtures/home/.claude/projects/*/*/subagents/*.jsonl")
	files = append(append(files, more...), "../../fixtures/home/.claude/history.jsonl")
	if len(files) < 4 {
		t.Fatalf("demo home transcripts not found: %v", files)
	}
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want := bruteForce(t, data)
		total += len(want)
		got := map[string]bool{}
		for _, cs := range []int{0, 512} {
			s := NewEngine(rules.Default()).NewScanner()
			s.Scan(bytes.NewReader(data), Options{Mode: JSON, ChunkSize: cs}, func(h *Hit) error {
				if h.Rule.Kind != rules.KindSignal {
					got[fmt.Sprintf("%d:%s", h.Line, h.Secret)] = true
				}
				return nil
			})
		}
		for k := range want {
			if !got[k] {
				t.Errorf("%s: matcher missed %s", f, k)
			}
		}
		for k := range got {
			if !want[k] {
				t.Errorf("%s: matcher reported %s, brute force did not", f, k)
			}
		}
	}
	if total < 20 {
		t.Errorf("brute force found only %d secrets in the demo transcripts", total)
	}
}
