package match

import (
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/rules"
)

// Format-valid, randomly generated test credentials (not live).
const (
	ghToken  = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"
	apiValue = "Zq7Xw2Lm9Rt4Vb8Nk3Jh6Gf1Dp5Sa0Qe"
)

func scanAll(t *testing.T, input string, opt Options) []Hit {
	t.Helper()
	s := NewEngine(rules.Default()).NewScanner()
	var out []Hit
	_, err := s.Scan(strings.NewReader(input), opt, func(h *Hit) error {
		out = append(out, *h)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestTextModeLocation(t *testing.T) {
	in := "first line\nsecond: token is " + ghToken + " here\nthird\n"
	hits := scanAll(t, in, Options{Mode: Text})
	if len(hits) != 1 {
		t.Fatalf("got %d hits: %+v", len(hits), hits)
	}
	h := hits[0]
	if h.Rule.ID != "github-pat" || h.Secret != ghToken {
		t.Fatalf("hit = %s %q", h.Rule.ID, h.Secret)
	}
	if h.Line != 2 || h.Column != 18 || h.EndLine != 2 || h.EndColumn != 18+len(ghToken) {
		t.Fatalf("location = %d:%d-%d:%d", h.Line, h.Column, h.EndLine, h.EndColumn)
	}
	if in[h.Start:h.End] != ghToken || h.LineStart != 11 {
		t.Fatalf("offsets %d-%d linestart %d", h.Start, h.End, h.LineStart)
	}
}

func TestJSONModeDecodesEscapes(t *testing.T) {
	// export API_KEY=\"...\" inside a JSON string, and a .env dump joined by \n.
	line1 := `{"type":"assistant","message":{"content":[{"type":"tool_use","name":"Bash","input":{"command":"export API_KEY=\"` + apiValue + `\" && ./run"}}]}}`
	line2 := `{"type":"user","toolUseResult":{"stdout":"NODE_ENV=dev\nDB_PASSWORD=wK8#pL2vQ9xR\nPORT=3000\n"}}`
	in := line1 + "\n" + line2 + "\n"
	hits := scanAll(t, in, Options{Mode: JSON})
	got := map[string]Hit{}
	for _, h := range hits {
		got[h.Secret] = h
	}
	h, ok := got[apiValue]
	if !ok {
		t.Fatalf("escaped API_KEY not found; hits: %+v", hits)
	}
	if in[h.Start:h.End] != apiValue || h.Line != 1 {
		t.Fatalf("raw span %q line %d", in[h.Start:h.End], h.Line)
	}
	p, ok := got["wK8#pL2vQ9xR"]
	if !ok {
		t.Fatalf("DB_PASSWORD after \\n not found; hits: %+v", hits)
	}
	if p.Line != 2 || in[p.Start:p.End] != "wK8#pL2vQ9xR" {
		t.Fatalf("password at line %d span %q", p.Line, in[p.Start:p.End])
	}
	for s := range got {
		if strings.Contains(s, `\`) {
			t.Errorf("secret %q carries an escape", s)
		}
	}
}

// TestChunkEdges plants secrets at many offsets and requires identical
// results for every chunk size, including ones smaller than a secret.
func TestChunkEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for i := 0; i < 60; i++ {
		pad := rng.IntN(3000)
		b.WriteString(strings.Repeat("lorem ipsum dolor ", pad/18))
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "token=%s\n", ghToken)
		case 1:
			fmt.Fprintf(&b, "{\"cmd\":\"export SECRET_TOKEN=\\\"%s%02d\\\"\"}\n", apiValue[:30], i)
		case 2:
			fmt.Fprintf(&b, "postgres://app:Qx7vR2mL9pT4w%02d@db.internal:5432/app\n", i)
		}
	}
	in := b.String()
	for _, mode := range []Mode{Text, JSON} {
		want := scanAll(t, in, Options{Mode: mode})
		if len(want) < 60 {
			t.Fatalf("mode %d: only %d hits", mode, len(want))
		}
		for _, cs := range []int{7, 64, 1000, 4096} {
			got := scanAll(t, in, Options{Mode: mode, ChunkSize: cs})
			if !reflect.DeepEqual(stripRules(got), stripRules(want)) {
				t.Errorf("mode %d chunk %d: %d hits, want %d", mode, cs, len(got), len(want))
			}
		}
	}
}

type plainHit struct {
	Rule, Secret        string
	Start, End          int64
	Line, Col, EL, ECol int
}

func stripRules(hs []Hit) []plainHit {
	out := make([]plainHit, len(hs))
	for i, h := range hs {
		out[i] = plainHit{h.Rule.ID, h.Secret, h.Start, h.End, h.Line, h.Column, h.EndLine, h.EndColumn}
	}
	return out
}

func TestLongLineBoundedMemory(t *testing.T) {
	// A 5 MB single line with a secret near the end: columns keep counting
	// across chunk slides.
	pad := strings.Repeat("é", 2_500_000) // 2 bytes each
	in := pad + " " + ghToken
	hits := scanAll(t, in, Options{Mode: Text, ChunkSize: 64 << 10})
	if len(hits) != 1 || hits[0].Line != 1 || hits[0].Column != 2_500_002 {
		t.Fatalf("hits %+v", stripRules(hits))
	}
}

// repeatReader yields n bytes of a repeated pattern without holding them.
type repeatReader struct {
	pat []byte
	off int
	n   int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:], r.pat[r.off:])
		if int64(c) > r.n {
			c = int(r.n)
		}
		k += c
		r.n -= int64(c)
		r.off = (r.off + c) % len(r.pat)
	}
	return k, nil
}

// TestMemoryFlat scans a 16 MiB JSON "line" full of keyword hits and
// escapes, and requires that the scan allocates far less than the input:
// nothing is buffered whole, nothing is allocated per byte.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("16 MiB scan; allocation counts are meaningless under -race")
	}
	pat := []byte(`"stdout":"output_tokens: 12\nsession token refreshed\n\"api\": \"v2\", key=value, ` +
		`s.3 ey12 sk-ant example://host \u00e9\t",`)
	s := NewEngine(rules.Default()).NewScanner()
	s.Scan(&repeatReader{pat: pat, n: 4 << 20}, Options{Mode: JSON}, func(*Hit) error { return nil }) // warm: buffers, lazy regexes
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n, err := s.Scan(&repeatReader{pat: pat, n: 16 << 20}, Options{Mode: JSON}, func(*Hit) error { return nil })
	runtime.ReadMemStats(&after)
	if err != nil || n != 16<<20 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d KiB while scanning 16 MiB", alloc>>10)
	if alloc > 4<<20 {
		t.Errorf("scan allocated %d MiB for 16 MiB of input", alloc>>20)
	}
}

// TestScannerReuse scans inputs in both modes with one Scanner and checks
// each result against a fresh Scanner: buffers shared between scans must
// not leak state.
func TestScannerReuse(t *testing.T) {
	inputs := []string{
		"token " + ghToken + "\n",
		`{"cmd":"export API_KEY=\"` + apiValue + `\""}` + "\n",
		"postgres://app:Qx7vR2mL9pT4wZ@db.internal:5432/app\n",
	}
	shared := NewEngine(rules.Default()).NewScanner()
	for round := 0; round < 2; round++ {
		for i, in := range inputs {
			for _, mode := range []Mode{Text, JSON} {
				var got []Hit
				if _, err := shared.Scan(strings.NewReader(in), Options{Mode: mode}, func(h *Hit) error { got = append(got, *h); return nil }); err != nil {
					t.Fatal(err)
				}
				want := scanAll(t, in, Options{Mode: mode})
				if !reflect.DeepEqual(stripRules(got), stripRules(want)) {
					t.Errorf("round %d input %d mode %d: %+v, want %+v", round, i, mode, stripRules(got), stripRules(want))
				}
			}
		}
	}
}

// TestJSONRecordsAreSeparate: a match may not span two JSON Lines records,
// as a key block whose BEGIN and END sit in consecutive records would.
func TestJSONRecordsAreSeparate(t *testing.T) {
	body := strings.Repeat("MIIEpAIBAAKCAQEAhA7oljkgZYolmeYtvhCFHvmMmsYaXPR5g4tnr4uAl5cKmQD3\\n", 6)
	in := `{"output":"-----BEGIN RSA PRIVATE KEY-----\n` + body + `"}` + "\n" +
		`{"output":"` + body + `-----END RSA PRIVATE KEY-----\n"}` + "\n"
	for _, h := range scanAll(t, in, Options{Mode: JSON}) {
		t.Errorf("match across records: %s at %d:%d-%d:%d", h.Rule.ID, h.Line, h.Column, h.EndLine, h.EndColumn)
	}
	whole := `{"output":"-----BEGIN RSA PRIVATE KEY-----\n` + body + body + `-----END RSA PRIVATE KEY-----\n"}` + "\n"
	if hits := scanAll(t, in+whole, Options{Mode: JSON}); len(hits) != 1 || hits[0].Line != 3 {
		t.Errorf("key in one record: %+v", stripRules(hits))
	}
}

// TestLongMatchesAreWhole: a match longer than the window its keyword hit
// opens (a rule's radius, or the small span an anchored rule starts with)
// is found whole, in both modes and at every chunk size, not dropped at
// the window's edge (issue 12).
func TestLongMatchesAreWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	b64 := func(n int) string {
		const cs = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		b := make([]byte, n)
		for i := range b {
			b[i] = cs[rng.IntN(len(cs))]
		}
		return string(b)
	}
	word := func(n int) string { return strings.NewReplacer("+", "x", "/", "Q").Replace(b64(n)) }
	// A Kubernetes Secret whose data value is longer than the 1 KiB radius
	// of gitleaks' kubernetes-secret-yaml rule.
	value := b64(3000)
	yaml := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: Opaque\ndata:\n  tls.key: " + value + "\n"
	hits := scanAll(t, yaml, Options{Mode: Text, Path: "deploy/tls-secret.yaml"})
	found := false
	for _, h := range hits {
		if h.Rule.ID == "kubernetes-secret-yaml" {
			found = true
			if !strings.HasSuffix(h.Secret, value) {
				t.Errorf("kubernetes-secret-yaml secret is %d bytes, want the whole %d-byte value", len(h.Secret), len(value))
			}
		}
	}
	if !found {
		t.Errorf("no kubernetes-secret-yaml finding; hits: %+v", stripRules(hits))
	}

	// A JWT longer than the jwt rule's 4 KiB radius and a bearer token
	// longer than an anchored rule's first span, inside JSON strings.
	jwt := "eyJ" + word(40) + ".eyJ" + word(5000) + "." + word(43)
	bearer := word(900)
	in := `{"type":"user","toolUseResult":{"stdout":"token: ` + jwt + `\nok"}}` + "\n" +
		`{"type":"assistant","message":{"content":[{"type":"tool_use","name":"Bash","input":{"command":"curl -H \"Authorization: Bearer ` + bearer + `\" https://api.example.dev/v1"}}]}}` + "\n"
	want := map[string]string{"jwt": jwt, "bearer token": bearer}
	for _, cs := range []int{0, 1000, 8192} {
		got := map[string]bool{}
		for _, h := range scanAll(t, in, Options{Mode: JSON, ChunkSize: cs}) {
			got[h.Secret] = true
		}
		for what, w := range want {
			if !got[w] {
				t.Errorf("chunk %d: the %d-byte %s was not reported whole", cs, len(w), what)
			}
		}
	}
	brute := bruteForce(t, []byte(in))
	for _, w := range want {
		found := false
		for k := range brute {
			found = found || strings.HasSuffix(k, ":"+w)
		}
		if !found {
			t.Errorf("brute force does not find the %d-byte secret either: the test input is wrong", len(w))
		}
	}
}

// TestCutAttemptsAgree: for every rule with a cut plan (rules.CutPlan), an
// anchored attempt cut short gives the same answer as one over the whole
// text whenever the matcher takes the short answer (no match, or a match
// that ends before the cut), at every offset of realistic text and of
// long assignments built to reach the cut.
func TestCutAttemptsAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("every offset of 3 MB")
	}
	var w window
	data := denseTranscripts(t)
	w.decodeJSON(data, 0, len(data), false)
	texts := [][]byte{w.text}
	long := strings.Repeat("Zq7Xw2Lm9Rt4Vb8Nk3Jh6Gf1Dp5Sa0Qe", 12)
	for _, tmpl := range []string{`API_KEY=%s`, `"apiKey": "%s"`, `secret_token = '%s'\n`, `password: %s\\n`, `x-api-key: %s;`, `--token %s `} {
		for _, cut := range []int{8, 40, 90, 130, 300} {
			texts = append(texts, []byte(strings.Repeat(" ", 3)+fmt.Sprintf(tmpl, long[:cut])+" tail"))
		}
	}
	checked := 0
	for _, r := range rules.Default().Rules() {
		a := r.Anchor()
		if a == nil {
			continue
		}
		plan, cutLen := a.Cut()
		if plan == nil {
			continue
		}
		for _, text := range texts {
			for st := 1; st+1 < len(text); st++ {
				if !a.Starts(text, st) || text[st-1] >= 0x80 {
					continue
				}
				cut := st + cutLen
				if cut >= len(text) {
					continue
				}
				for cut < len(text) && (plan.Pair[text[cut-1]] || text[cut]&0xC0 == 0x80) {
					cut++
				}
				short := a.FindAt(text, st, cut)
				if short != nil && short[1] >= cut {
					continue // the matcher would try again on the whole text
				}
				whole := a.FindAt(text, st, len(text))
				checked++
				if !reflect.DeepEqual(short, whole) {
					t.Fatalf("%s at %d: cut at %d gives %v, the whole text %v (%q)", r.ID, st, cut, short, whole, text[st:min(len(text), st+120)])
				}
			}
		}
	}
	t.Logf("%d attempts checked", checked)
	if checked < 1000 {
		t.Errorf("only %d attempts checked", checked)
	}
}

// TestColumnsOfManyHitsOnALine: columns of many hits on one long line with
// multi-byte characters (counted once, going on from the previous hit)
// equal a count from the line's start.
func TestColumnsOfManyHitsOnALine(t *testing.T) {
	var b strings.Builder
	b.WriteString("first line\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "é→ token=%s%03d ", apiValue[:28], i)
	}
	in := b.String()
	for _, cs := range []int{0, 4096} {
		hits := scanAll(t, in, Options{Mode: Text, ChunkSize: cs})
		if len(hits) < 200 {
			t.Fatalf("chunk %d: %d hits", cs, len(hits))
		}
		for _, h := range hits {
			lineStart := strings.LastIndexByte(in[:h.Start], '\n') + 1
			col := utf8.RuneCountInString(in[lineStart:h.Start]) + 1
			endCol := utf8.RuneCountInString(in[lineStart:h.End]) + 1
			if h.Line != 2 || h.Column != col || h.EndColumn != endCol || h.LineStart != int64(lineStart) {
				t.Fatalf("chunk %d: hit at %d: line %d col %d-%d linestart %d, want 2 %d-%d %d", cs, h.Start, h.Line, h.Column, h.EndColumn, h.LineStart, col, endCol, lineStart)
			}
		}
	}
}
