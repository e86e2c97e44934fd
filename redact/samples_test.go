package redact

import (
	"bytes"
	"context"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestRealTranscripts runs the redaction property on transcripts we did
// not write, when REDACT_SAMPLES_DIR names a directory of *.jsonl files
// (for example a copy of real Claude Code sessions; they are only read,
// and copied to a temp dir before any change). It picks substrings of
// real string values, escaped characters and line breaks included, as
// "secrets", redacts every file, and checks that each line parses to the
// same tree with exactly those substrings replaced, that Locate agrees
// with Apply, and that Undo restores every byte.
func TestRealTranscripts(t *testing.T) {
	src := os.Getenv("REDACT_SAMPLES_DIR")
	if src == "" {
		t.Skip("set REDACT_SAMPLES_DIR to a directory of real *.jsonl transcripts")
	}
	dir := t.TempDir()
	var paths []string
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".jsonl") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		dst := filepath.Join(dir, strings.ReplaceAll(strings.TrimPrefix(p, src), string(filepath.Separator), "_"))
		os.WriteFile(dst, b, 0o600)
		paths = append(paths, dst)
		return nil
	})
	if len(paths) == 0 {
		t.Skip("no *.jsonl files in REDACT_SAMPLES_DIR")
	}
	// Collect string values, then pick secrets among their substrings.
	var strs []string
	var collect func(v any)
	collect = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				collect(e)
			}
		case []any:
			for _, e := range x {
				collect(e)
			}
		case string:
			if len(x) >= 40 {
				strs = append(strs, x)
			}
		}
	}
	orig := map[string][]byte{}
	for _, p := range paths {
		b, _ := os.ReadFile(p)
		orig[p] = b
		for _, line := range bytes.Split(b, []byte("\n")) {
			if len(bytes.TrimSpace(line)) > 0 {
				collect(parseNumber(t, line))
			}
		}
	}
	seed, _ := strconv.ParseUint(os.Getenv("REDACT_SAMPLES_SEED"), 10, 64)
	r := rand.New(rand.NewPCG(seed, 2))
	var secrets []Secret
	for len(secrets) < 12 && len(strs) > 0 {
		s := strs[r.IntN(len(strs))]
		n := 20 + r.IntN(20)
		i := r.IntN(len(s) - n + 1)
		v := s[i : i+n]
		if !strings.ContainsAny(v, "\"\\\n") && len(secrets)%2 == 0 {
			// Every other secret holds a character JSON escapes.
			k := strings.IndexAny(s, "\"\\\n")
			if k < 0 {
				continue
			}
			i = max(k-n/2, 0)
			v = s[i:min(i+n, len(s))]
		}
		if len(v) < MinValueLen || !utf8Valid(v) || strings.TrimSpace(v) != v || overlapsAny(v, secrets) {
			continue
		}
		secrets = append(secrets, Secret{Value: v, RuleID: "sample", ID: "s" + string(rune('a'+len(secrets)))})
	}
	var plan Plan
	for _, p := range paths {
		plan.Files = append(plan.Files, File{Path: p, Kind: KindJSONL, Secrets: secrets})
	}
	values := make([]string, len(secrets))
	for i, s := range secrets {
		values[i] = s.Value
	}
	located, err := Locate(context.Background(), paths, values, LocateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	opt := testOptions(t)
	res, err := Apply(context.Background(), plan, opt)
	if err != nil {
		t.Fatal(err)
	}
	checkLocateAgrees(t, secrets, res, located)
	places := 0
	for _, fr := range res.Files {
		if fr.Outcome == OutcomeError || fr.Outcome == OutcomeSkippedActive {
			t.Fatalf("%+v", fr)
		}
		places += fr.Places
		now, _ := os.ReadFile(fr.Path)
		inLines := bytes.SplitAfter(orig[fr.Path], []byte("\n"))
		outLines := bytes.SplitAfter(now, []byte("\n"))
		if len(inLines) != len(outLines) {
			t.Fatalf("%s: line count", fr.Path)
		}
		for j := range inLines {
			if len(bytes.TrimSpace(inLines[j])) == 0 {
				continue
			}
			want := expectTree(parseNumber(t, inLines[j]), secrets)
			if got := parseNumber(t, outLines[j]); !reflect.DeepEqual(want, got) {
				t.Fatalf("%s line %d differs from the expected redaction", fr.Path, j+1)
			}
		}
	}
	t.Logf("%d files, %d bytes, %d secrets, %d places, %d files changed", len(paths), res.Totals.BytesBefore, len(secrets), places, res.Totals.Changed)
	if _, err := Undo(context.Background(), res.RunID, opt); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if now, _ := os.ReadFile(p); !bytes.Equal(now, orig[p]) {
			t.Fatalf("%s: undo not byte for byte", p)
		}
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// overlapsAny reports whether v and a chosen secret could overlap in
// text (one contains a prefix of the other as a suffix), which would make
// the expected redaction depend on order.
func overlapsAny(v string, secrets []Secret) bool {
	for _, s := range secrets {
		for k := 1; k < min(len(v), len(s.Value)); k++ {
			if strings.HasSuffix(v, s.Value[:k]) || strings.HasSuffix(s.Value, v[:k]) {
				return true
			}
		}
		if strings.Contains(v, s.Value) || strings.Contains(s.Value, v) {
			return true
		}
	}
	return false
}
