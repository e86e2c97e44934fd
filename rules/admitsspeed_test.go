package rules

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/fixtures/corpus"
)

// Rule.Admits must decide every keyword hit as the reference walks
// (admitsref_test.go) do: same decisions, same findings. These tests
// compare both at the hits of corpus shapes, at the same hits with the
// buffer cut short, and at hits in generated text dense in the bytes the
// walks branch on; BenchmarkAdmits times Admits alone at corpus hits.

type admitHit struct {
	r     *Rule
	data  []byte
	kwEnd int
}

// hitCheckRules returns the default rules that have a hitCheck.
func hitCheckRules(t testing.TB) []*Rule {
	var out []*Rule
	for _, id := range []string{"generic-api-key", "generic-credential-assignment"} {
		r := Default().Lookup(id)
		if r == nil || r.hitCheck == nil {
			t.Fatalf("%s has no hitCheck", id)
		}
		out = append(out, r)
	}
	return out
}

// keywordHits appends the hits of rs's keywords in data (case-insensitive),
// those the matcher would pass to Admits when filtered (KeywordCheck in
// JSON mode), else all of them.
func keywordHits(rs []*Rule, data []byte, filtered bool, out []admitHit) []admitHit {
	low := bytes.ToLower(data)
	for _, r := range rs {
		for _, kw := range r.Keywords {
			check := r.KeywordCheck(kw)
			for off := 0; ; {
				i := bytes.Index(low[off:], []byte(kw))
				if i < 0 {
					break
				}
				pos := off + i
				off = pos + 1
				if filtered && check != nil && !check(data, pos, pos+len(kw), true) {
					continue
				}
				out = append(out, admitHit{r, data, pos + len(kw)})
			}
		}
	}
	return out
}

// shapeData returns the .jsonl bytes of a generated corpus of shape.
func shapeData(t testing.TB, shape string, size int64, seed uint64) []byte {
	dir := t.TempDir()
	if _, err := corpus.Generate(dir, corpus.Options{TargetBytes: size, Seed: seed, Shape: shape}); err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	var buf bytes.Buffer
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(d)
	}
	return buf.Bytes()
}

func checkSame(t *testing.T, what string, h admitHit) {
	t.Helper()
	if got, want := h.r.Admits(h.data, h.kwEnd), refRuleAdmits(h.r, h.data, h.kwEnd); got != want {
		lo, hi := max(0, h.kwEnd-40), min(len(h.data), h.kwEnd+200)
		t.Errorf("%s: %s at %d: Admits %v, reference %v: %q", what, h.r.ID, h.kwEnd, got, want, h.data[lo:hi])
	}
}

func TestAdmitsSameAsReferenceShapes(t *testing.T) {
	size := int64(512 << 10)
	if testing.Short() {
		size = 128 << 10
	}
	rs := hitCheckRules(t)
	rng := rand.New(rand.NewPCG(7, 8))
	for i, sh := range corpus.Shapes() {
		data := shapeData(t, sh.Name, size, uint64(200+i))
		hits := keywordHits(rs, data, false, nil)
		for _, h := range hits {
			checkSame(t, sh.Name, h)
			// The same hit with the buffer ending a few bytes on.
			cut := h
			cut.data = h.data[:min(len(h.data), h.kwEnd+rng.IntN(300))]
			checkSame(t, sh.Name+" cut", cut)
		}
		if t.Failed() {
			return
		}
	}
}

// TestAdmitsSameAsReferenceDense generates text from the bytes the walks
// branch on, around the rules' keywords, and compares at every hit.
func TestAdmitsSameAsReferenceDense(t *testing.T) {
	rs := hitCheckRules(t)
	// generic-api-key with another entropy floor (as a config may set).
	other := rs[0].Clone()
	other.Entropy = 4.2
	rs = append(rs, other)
	rng := rand.New(rand.NewPCG(9, 10))
	var kws []string
	for _, r := range rs {
		kws = append(kws, r.Keywords...)
	}
	pieces := []string{`\"`, `\\`, `\n`, `\t`, `\r`, `\'`, `\b`, `\f`, "\v", "\f", "\r", `\u00e9`, `\/`, `\x`, "\\", "é", "ſ", "K", "=", ":", "::", ":=", "=>", ">", ",", "||", "?=", "|", "?",
		`"`, "'", "`", " ", "\t", "\n", "*", "**", "]", "[", " key", " Token", " value", " phrase", "_", ".", "-", "/", "+", "==",
		"a", "b", "Z", "0", "9", "xyzzy", "abcdefgh", "Version", "function", "ABCDEFGHIJKLMNOP", "q1w2e3r4t5y6u7i8o9p0", "aB3$kL9!mN2@pQ7#", "${TOKEN}", "<secret>", "xxxxxxxxxxxx", "changeme", "password123"}
	n := 20000
	if testing.Short() {
		n = 3000
	}
	for i := 0; i < n; i++ {
		var sb strings.Builder
		for j := 0; j < 1+rng.IntN(3); j++ {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
			kw := kws[rng.IntN(len(kws))]
			if rng.IntN(2) == 0 {
				kw = strings.ToUpper(kw[:1]) + kw[1:]
			}
			sb.WriteString(kw)
			for k := rng.IntN(14); k > 0; k-- {
				sb.WriteString(pieces[rng.IntN(len(pieces))])
			}
			if rng.IntN(2) == 0 {
				for k := 8 + rng.IntN(40); k > 0; k-- {
					sb.WriteByte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./+="[rng.IntN(67)])
				}
			}
			for k := rng.IntN(4); k > 0; k-- {
				sb.WriteString(pieces[rng.IntN(len(pieces))])
			}
		}
		for _, h := range keywordHits(rs, []byte(sb.String()), false, nil) {
			checkSame(t, "dense", h)
		}
		if t.Failed() {
			return
		}
	}
}

// BenchmarkAdmits times Rule.Admits at the hits the matcher passes it on
// each corpus shape (ns/op is per hit); BenchmarkAdmitsReference the
// reference walks.
func BenchmarkAdmits(b *testing.B) { benchAdmits(b, (*Rule).Admits) }

func BenchmarkAdmitsReference(b *testing.B) { benchAdmits(b, refRuleAdmits) }

// measureAdmits runs admits at n hits. It is a function of its own so
// that instruction counts can leave the corpus generation out:
//
//	go test -c -o rules.test ./rules
//	valgrind --tool=callgrind --toggle-collect='*rules.measureAdmits' \
//	  ./rules.test -test.run XXX -test.bench 'Admits/minified$' -test.benchtime 100000x
//
//go:noinline
func measureAdmits(hits []admitHit, admits func(*Rule, []byte, int) bool, n int) (yes int) {
	for i := 0; i < n; i++ {
		h := &hits[i%len(hits)]
		if admits(h.r, h.data, h.kwEnd) {
			yes++
		}
	}
	return yes
}

func benchAdmits(b *testing.B, admits func(*Rule, []byte, int) bool) {
	rs := hitCheckRules(b)
	for _, shape := range []string{"minified", "mixed", "classic", "toolinput"} {
		b.Run(shape, func(b *testing.B) {
			hits := keywordHits(rs, shapeData(b, shape, 4<<20, 3), true, nil)
			b.ResetTimer()
			measureAdmits(hits, admits, b.N)
			b.ReportMetric(float64(len(hits)), "hits")
		})
	}
}

func TestPlainASCII(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	alphabet := []byte{'a', 'Z', '0', ' ', '"', '\\', 0x5b, 0x5d, 0x7f, 0x80, 0xdc, 0xff, 0x00, 0x01, 0x2c}
	for n := 0; n < 20000; n++ {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = 'x'
			if rng.IntN(8) == 0 {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		want := true
		for _, c := range b {
			if c >= 0x80 || c == '\\' {
				want = false
			}
		}
		if got := plainASCII(b); got != want {
			t.Fatalf("plainASCII(%q) = %v", b, got)
		}
	}
}
