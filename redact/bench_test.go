package redact

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchTranscript builds about size bytes of transcript records (tool
// output with \n and \" escapes, prompts, progress records), with the
// secret in one record of 500.
func benchTranscript(size int, secret string) []byte {
	var b bytes.Buffer
	out := strings.Repeat(`    if err := run(ctx, "--flag=value", path); err != nil {`+"\n\t\treturn fmt.Errorf(\"run: %w\", err)\n", 20)
	for i := 0; b.Len() < size; i++ {
		text := fmt.Sprintf("step %d", i)
		if i%500 == 0 {
			text = "GH_TOKEN=" + secret
		}
		switch i % 3 {
		case 0:
			b.WriteString(recToolResult(fmt.Sprintf("u%d", i), "a", "toolu_b", text+"\n"+out))
		case 1:
			b.WriteString(recUserPrompt(fmt.Sprintf("u%d", i), "", text))
		default:
			b.WriteString(recBashProgress(fmt.Sprintf("p%d", i), "a", text+"\n"+out[:200]))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func BenchmarkRedactTranscript(b *testing.B) {
	pat := fakeGitHubPAT(71)
	data := benchTranscript(32<<20, pat)
	secrets := []Secret{{Value: pat, RuleID: "github-pat", ID: "p"}, {Value: fakeAWSKeyID(72), RuleID: "aws", ID: "a"}}
	tab, per, _ := normalize(Plan{Files: []File{{Path: "/x", Kind: KindJSONL, Secrets: secrets}}})
	infos := []*secretInfo{tab.list[per[0][0]], tab.list[per[0][1]]}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := newRedactor(KindJSONL, infos, io.Discard, 0)
		for off := 0; off < len(data); off += 256 << 10 {
			r.Write(data[off:min(off+256<<10, len(data))])
		}
		r.Flush()
		if r.result().total() == 0 {
			b.Fatal("nothing found")
		}
	}
}

func BenchmarkLocate(b *testing.B) {
	for _, nvals := range []int{1, 50} {
		b.Run(fmt.Sprintf("values=%d", nvals), func(b *testing.B) {
			pat := fakeGitHubPAT(73)
			dir := b.TempDir()
			p := filepath.Join(dir, "s.jsonl")
			data := benchTranscript(32<<20, pat)
			os.WriteFile(p, data, 0o600)
			// Values that do not occur: the whole file is read.
			var values []string
			for i := 0; i < nvals; i++ {
				values = append(values, fakeGitHubPAT(uint64(1000+i)))
			}
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				l, _ := Locate(context.Background(), []string{p}, values, LocateOptions{Workers: 1})
				if len(l[0].Values) != 0 {
					b.Fatal(l[0])
				}
			}
		})
	}
}

// BenchmarkApplyFile measures the whole protocol on one 32 MiB session:
// read, redact, backup, fsyncs, swap.
func BenchmarkApplyFile(b *testing.B) {
	pat := fakeGitHubPAT(74)
	data := benchTranscript(32<<20, pat)
	dir := b.TempDir()
	p := filepath.Join(dir, "s.jsonl")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		b.StopTimer()
		os.WriteFile(p, data, 0o600)
		b.StartTimer()
		res, err := Apply(context.Background(), Plan{Files: []File{{Path: p, Kind: KindJSONL,
			Secrets: []Secret{{Value: pat, RuleID: "github-pat"}}}}}, Options{StateDir: filepath.Join(dir, "state"), ActiveWindow: 1})
		if err != nil || res.Files[0].Outcome != OutcomeChanged {
			b.Fatal(err, res.Files[0])
		}
	}
}
