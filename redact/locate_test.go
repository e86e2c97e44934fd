package redact

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLocateEncodings(t *testing.T) {
	pat := fakeGitHubPAT(61)
	aws := fakeAWSKeyID(62)
	pem := fakePEM(63)
	dir := t.TempDir()
	files := map[string]string{
		"raw.txt":       "GITHUB_TOKEN=" + pat + "\n",
		"escaped.jsonl": `{"a":"\u0067` + pat[1:] + `"}` + "\n",
		"all-u.jsonl":   `{"a":"` + uEscapeAll(aws) + `"}` + "\n",
		"nested.jsonl":  recToolResult("u", "a", "t", `{"private_key":`+jsonString(pem)+`}`) + "\n",
		"crlf.pem":      strings.ReplaceAll(pem, "\n", "\r\n") + "\r\n",
		"none.jsonl":    recUserPrompt("u", "", "nothing "+pat[:10]) + "\n",
		"both.md":       pat + " and " + aws,
	}
	var paths []string
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		paths = append(paths, p)
	}
	slices.Sort(paths)
	paths = append(paths, filepath.Join(dir, "missing.jsonl"))
	got, err := Locate(context.Background(), paths, []string{pat, aws, pem}, LocateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int{"raw.txt": {0}, "escaped.jsonl": {0}, "all-u.jsonl": {1}, "nested.jsonl": {2},
		"crlf.pem": {2}, "none.jsonl": nil, "both.md": {0, 1}}
	for _, l := range got {
		name := filepath.Base(l.Path)
		if name == "missing.jsonl" {
			if !errors.Is(l.Err, os.ErrNotExist) {
				t.Fatalf("missing: %v", l.Err)
			}
			continue
		}
		if l.Err != nil || !slices.Equal(l.Values, want[name]) {
			t.Fatalf("%s: %v %v, want %v", name, l.Values, l.Err, want[name])
		}
	}
	if _, err := Locate(context.Background(), paths, []string{"short"}, LocateOptions{}); !errors.Is(err, ErrInvalidPlan) {
		t.Fatalf("short value: %v", err)
	}
}

// TestLocateChunkEdges puts an escaped secret at every offset around the
// first chunk edges of a file read in small chunks.
func TestLocateChunkEdges(t *testing.T) {
	pat := fakeGitHubPAT(64)
	values := []string{pat}
	m := newMatcher(needlesFor(values))
	overlap := 36*m.maxLen + 64
	chunk := 4 * overlap // the smallest chunk Locate uses
	// Windows are chunk+overlap long and start overlap before the end of
	// the previous one.
	forms := []string{pat, `\u0067` + pat[1:], pat[:20] + `\u00` + fmt.Sprintf("%x", pat[20]) + pat[21:], `\\u0067` + pat[1:] + `"`}
	dir := t.TempDir()
	var paths []string
	for _, edge := range []int{chunk + overlap, 2*chunk + overlap} {
		for off := edge - 60; off < edge+10; off += 3 {
			for fi, form := range forms {
				body := strings.Repeat("x", off) + form + strings.Repeat("y", 50)
				if fi == 3 {
					// Double escape: only L2 decodes it, as JSON inside a string.
					body = strings.Repeat("x", off) + `{"k":"{\"v\":\"` + form[:len(form)-1] + `\"}"}`
				}
				p := filepath.Join(dir, fmt.Sprintf("f-%d-%d-%d", edge, off, fi))
				os.WriteFile(p, []byte(body), 0o600)
				paths = append(paths, p)
			}
		}
	}
	got, err := Locate(context.Background(), paths, values, LocateOptions{ChunkSize: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range got {
		if len(l.Values) != 1 || l.Err != nil {
			t.Fatalf("%s: %v %v", filepath.Base(l.Path), l.Values, l.Err)
		}
	}
}

// TestLocateAgreesWithApply checks on random transcripts that Locate
// reports a value in a file exactly when Apply finds a place for it.
func TestLocateAgreesWithApply(t *testing.T) {
	secrets := propSecrets()
	values := make([]string, len(secrets))
	for i, s := range secrets {
		values[i] = s.Value
	}
	dir := t.TempDir()
	var paths []string
	for seed := uint64(0); seed < 60; seed++ {
		g := &propGen{r: rand.New(rand.NewPCG(seed, 9)), secrets: secrets}
		var b strings.Builder
		for n := g.r.IntN(4); n >= 0; n-- {
			var buf bytes.Buffer
			g.encode(&buf, []kv{{"type", "user"}, {"message", g.value(1)}})
			b.Write(buf.Bytes())
			b.WriteByte('\n')
		}
		p := filepath.Join(dir, fmt.Sprintf("s%d.jsonl", seed))
		os.WriteFile(p, []byte(b.String()), 0o600)
		paths = append(paths, p)
	}
	located, err := Locate(context.Background(), paths, values, LocateOptions{ChunkSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	var plan Plan
	for _, p := range paths {
		plan.Files = append(plan.Files, File{Path: p, Kind: KindJSONL, Secrets: secrets})
	}
	res, err := Apply(context.Background(), plan, Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	checkLocateAgrees(t, secrets, res, located)
	hits := res.Totals.Places
	if hits == 0 {
		t.Fatal("nothing planted")
	}
}

// checkLocateAgrees fails unless located lists, per file, exactly the
// secrets Apply found places for.
func checkLocateAgrees(t *testing.T, secrets []Secret, res *Result, located []Located) {
	t.Helper()
	for i, fr := range res.Files {
		var applied []int
		for _, s := range fr.Secrets {
			applied = append(applied, slices.IndexFunc(secrets, func(x Secret) bool { return x.ID == s.ID }))
		}
		slices.Sort(applied)
		if !slices.Equal(applied, located[i].Values) {
			t.Fatalf("%s: Apply found %v, Locate %v", fr.Path, applied, located[i].Values)
		}
	}
}
