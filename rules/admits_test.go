package rules_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/fixtures/corpus"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Rule.Admits adds to a rule's Precheck a necessary condition derived
// from its entropy floor (gitleaks' generic-api-key). These tests run the
// matcher with and without it over gitleaks' rule examples, every corpus
// shape and generated NAME=value texts, and require identical findings.

// hitsOf returns the matcher's findings on data as sorted
// "rule start end secret" strings.
func hitsOf(t testing.TB, sc *match.Scanner, data []byte, opt match.Options) []string {
	t.Helper()
	var out []string
	_, err := sc.Scan(bytes.NewReader(data), opt, func(h *match.Hit) error {
		out = append(out, fmt.Sprintf("%s %d %d %q", h.Rule.ID, h.Start, h.End, h.Secret))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func sameHits(t *testing.T, what string, with, without []string) {
	t.Helper()
	if strings.Join(with, "\n") != strings.Join(without, "\n") {
		t.Errorf("%s: findings differ with the entropy precheck:\nwith:    %q\nwithout: %q", what, clip(strings.Join(with, "; ")), clip(strings.Join(without, "; ")))
	}
}

// sameHitsBothModes scans text as plain text and as a JSON string with
// and without the hit checks, compares the findings (sameHits) and
// returns how many the scan with them found.
func sameHitsBothModes(t *testing.T, with, without *match.Scanner, text string) int {
	t.Helper()
	found := 0
	for _, mode := range []match.Mode{match.Text, match.JSON} {
		data := []byte(text)
		if mode == match.JSON {
			data = jsonLine(text)
		}
		opt := match.Options{Mode: mode}
		hits := hitsOf(t, with, data, opt)
		found += len(hits)
		sameHits(t, text, hits, hitsOf(t, without, data, opt))
	}
	return found
}

// scanners returns a scanner of the default rules and one of the same
// rules without the entropy precheck.
func scanners() (with, without *match.Scanner) {
	return match.NewEngine(rules.Default()).NewScanner(), match.NewEngine(rules.WithoutHitChecks(rules.Default())).NewScanner()
}

func TestAdmitsKeepsGitleaksExamples(t *testing.T) {
	for _, id := range []string{"generic-api-key", "generic-credential-assignment"} {
		if !rules.HasHitCheck(rules.Default().Lookup(id)) {
			t.Fatalf("%s has no value check", id)
		}
	}
	with, without := scanners()
	for _, ex := range loadGitleaksExamples(t) {
		for _, mode := range []match.Mode{match.Text, match.JSON} {
			opt := match.Options{Mode: mode, Path: ex.Path}
			data := []byte(ex.Text)
			if mode == match.JSON {
				data = jsonLine(ex.Text)
			}
			sameHits(t, ex.Rule, hitsOf(t, with, data, opt), hitsOf(t, without, data, opt))
		}
	}
}

// jsonLine returns text as a JSON Lines record holding it in a string.
func jsonLine(text string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"user","message":{"content":`)
	b.WriteString(fmt.Sprintf("%q", text))
	b.WriteString("}}\n")
	return b.Bytes()
}

func TestAdmitsKeepsCorpusShapes(t *testing.T) {
	size := int64(768 << 10)
	if testing.Short() {
		size = 96 << 10
	}
	with, without := scanners()
	dir := t.TempDir()
	for i, sh := range corpus.Shapes() {
		out := filepath.Join(dir, sh.Name)
		if _, err := corpus.Generate(out, corpus.Options{TargetBytes: size, Seed: uint64(100 + i), Shape: sh.Name, SecretsPerMB: 40}); err != nil {
			t.Fatal(err)
		}
		filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			mode := match.Text
			if strings.HasSuffix(p, ".jsonl") {
				mode = match.JSON
			}
			opt := match.Options{Mode: mode, Path: filepath.ToSlash(p)}
			sameHits(t, sh.Name+" "+filepath.Base(p), hitsOf(t, with, data, opt), hitsOf(t, without, data, opt))
			return nil
		})
	}
}

// TestAdmitsKeepsGeneratedAssignments builds NAME<op>VALUE texts around
// generic-api-key's keywords whose values sit near the entropy floor:
// few or many distinct bytes, escapes, blanks and quotes before the value,
// values cut by the end of the text.
func TestAdmitsKeepsGeneratedAssignments(t *testing.T) {
	with, without := scanners()
	rng := rand.New(rand.NewPCG(5, 6))
	names := []string{"api", "key", "token", "secret", "auth", "access", "credential", "creds", "passwd", "password", "apiKey", "t.apiVersion", "X_API_KEY_NAME_LONG_ENOUGH"}
	ops := []string{"=", ":", ": ", " = ", "=>", ":=", "::=", "||", "?=", ",", ">", `\":\"`, `": "`, "= = ", "\t:\t", `\n=`, "**:**"}
	quotes := []string{"", `"`, `'`, "`", `\"`, " ", "  \"", "="}
	alphabet := []string{"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "0123456789abcdef", "ab", "x.y-z_=", "+/=", "ſK", `\/`, `\u0041`, "é"}
	var texts []string
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		if rng.IntN(2) == 0 {
			b.WriteString("t.")
		}
		b.WriteString(names[rng.IntN(len(names))])
		for k := rng.IntN(3); k > 0; k-- {
			b.WriteString([]string{"Name", "_x", "-v2", ".a", " "}[rng.IntN(5)])
		}
		b.WriteString(ops[rng.IntN(len(ops))])
		b.WriteString(quotes[rng.IntN(len(quotes))])
		n := 4 + rng.IntN(30)
		distinct := 2 + rng.IntN(16)
		a := alphabet[rng.IntN(len(alphabet))]
		if rng.IntN(3) == 0 {
			a += alphabet[rng.IntN(len(alphabet))]
		}
		a = a[:min(len(a), distinct)]
		for k := 0; k < n; k++ {
			b.WriteByte(a[rng.IntN(len(a))])
		}
		if rng.IntN(3) > 0 {
			b.WriteString([]string{`"`, " ", ";", `\"`, ",", "\n", `\n`, ")"}[rng.IntN(8)])
		}
		// A keyword inside or right after a low-entropy value, then
		// another assignment: the hit the matcher skips after a match of
		// the first one.
		if rng.IntN(3) == 0 {
			b.WriteString([]string{"monkey", "_tokens", "Author", ".passwd", "keys", "-secret", "access"}[rng.IntN(7)])
			b.WriteString(ops[rng.IntN(len(ops))])
			b.WriteString("aB3xK9pQ2mZ7vL4nR8sT1"[:8+rng.IntN(13)])
		}
		if rng.IntN(4) > 0 { // room after the value: a text that ends early is admitted
			b.WriteString(" ;; end of the line here, nothing more to see on it at all")
		}
		texts = append(texts, b.String())
	}
	texts = append(texts,
		`api=monkey_bus:AbCdEfGhIjKlMnOp`, `api=xx_y_z_w_keyname=AbCdEfGhIjKlMnOp`, `t.apiVersion="2024-06-20",t.tokenType=aB3xK9pQ2mZ7vL4nR8sT1`,
		`secret: aaaa-bbbb-cccc_token=AbCdEfGhIjKlMnOpQr`, `key=0123456789abc.key2=Zq8Rt5Wm3Xp1Lk7Jh4Gf`)
	// The test must see both kinds of hits.
	r := rules.Default().Lookup("generic-api-key")
	var rejected, admitted int
	for _, text := range texts {
		a, rj := countAdmits(r, text)
		admitted, rejected = admitted+a, rejected+rj
	}
	if rejected < 200 || admitted < 200 {
		t.Fatalf("of the hits Precheck admits, Admits rejects %d and admits %d; the texts test too little", rejected, admitted)
	}
	found := 0
	for _, text := range texts {
		found += sameHitsBothModes(t, with, without, text)
		if t.Failed() {
			return
		}
	}
	if found < 500 {
		t.Errorf("only %d findings on the generated texts", found)
	}
	t.Logf("%d findings; of the hits Precheck admits, Admits rejects %d and admits %d", found, rejected, admitted)
	// One text holding them all: hits close to each other.
	all := []byte(strings.Join(texts, " "))
	sameHits(t, "all", hitsOf(t, with, all, match.Options{Mode: match.Text}), hitsOf(t, without, all, match.Options{Mode: match.Text}))
}

// TestAdmitsRejects checks that the precheck does its job: on minified
// code, hits that Precheck admits but whose values are short words and
// versions are rejected.
func TestAdmitsRejects(t *testing.T) {
	r := rules.Default().Lookup("generic-api-key")
	text := []byte(`t.apiVersion="2024-06-20",t.tokenType="bearer",e.key="id",n.authMode="cookie-v2";api_key=aB3xK9pQ2mZ7vL4nR8sT1`)
	var admitted, prechecked []string
	lower := bytes.ToLower(text)
	for _, k := range r.Keywords {
		for off := 0; ; {
			i := bytes.Index(lower[off:], []byte(k))
			if i < 0 {
				break
			}
			end := off + i + len(k)
			if r.Precheck(text, end) {
				prechecked = append(prechecked, string(text[off+i:end]))
			}
			if r.Admits(text, end) {
				admitted = append(admitted, string(text[off+i:end]))
			}
			off = end
		}
	}
	if len(admitted) != 2 || len(prechecked) != 3 {
		t.Errorf("Precheck admits %q, Admits %q; want Admits to keep only api and key of api_key", prechecked, admitted)
	}
}

// TestAdmitsBoundedWork: text made of assignments of keywords to
// keywords costs Admits a bounded number of walks per hit.
func TestAdmitsBoundedWork(t *testing.T) {
	r := rules.Default().Lookup("generic-api-key")
	text := []byte(strings.Repeat("key=", 1000) + ";" + strings.Repeat(" ", 64))
	for i := 0; i+3 <= len(text); i += 4 {
		r.Admits(text, i+3) // must return at once
	}
}

// TestAdmitsKeepsGeneratedCredentialAssignments is the generated test
// for generic-credential-assignment's forms: names with its keywords and
// " key"-style words, separators with quotes, "]", stars and blanks,
// backslashes before quotes, each operator, quoted and bare values that
// are code, paths, words or random, and a second assignment after them.
func TestAdmitsKeepsGeneratedCredentialAssignments(t *testing.T) {
	with, without := scanners()
	rng := rand.New(rand.NewPCG(7, 8))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	names := []string{"secret", "TOKEN", "password", "passwd", "Passphrase", "pwd", "credentials", "api_key", "API-KEY", "apiKey", "api.key",
		"access_key", "AccessKey", "private_key", "auth.key", "Api Key", "access key", "t.isToken", "client_secret", "db_password_file"}
	values := []string{"function(e){return", "(sensitive", "a.b.c.d.e", "this.props.token", "/etc/ssl/key.pem", "https://x.y/z", "changeme-now",
		"aB3xK9pQ2mZ7vL4nR8sT1", "Zq8Rt5Wm3Xp1Lk7Jh4Gf", "p@ss w0rd!", "${SECRET_VALUE}", "GITHUB_PAT_V2", "hello_world_foo", "12345678901",
		"k3#v(9)x&z;Q", "a\\\"b\\\"c1234567", "x`y'z\"w12345678", "sk-live-Abc123Def456Ghi789",
		`Zq8Rt5Wm\/usr\/bin`, `aB3xK9pQ\nhello`, `/a\/b\/c\/d\/e`, `aB3x\tK9pQ2mZ7vL`, `aB3xK9pQ2m\/...`}
	found, rejected, admitted := 0, 0, 0
	r := rules.Default().Lookup("generic-credential-assignment")
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		b.WriteString(pick("", "export ", "t.", `{"`, `\"`, "**", "cfg[\""))
		b.WriteString(pick(names...))
		b.WriteString(pick("", "", "_NAME", "Value", " key", " Token", " phrase", "X9",
			"_FOR_THE_SERVICE_THAT_RUNS_IN_THE_BACKGROUND_XYZ"[:40+rng.IntN(9)]))
		b.WriteString(pick("", "", `"`, `\"`, `"]`, `'`, " ", "  ", "**", "\t", `\\"`))
		b.WriteString(pick("=", ":", ":=", "=>", ": ", " = ", "==", "::"))
		b.WriteString(pick("", "", " ", "**", "  ", "\t"))
		q := pick("", "", `"`, `'`, "`", `\"`, `\'`, `\\"`)
		b.WriteString(q)
		v := pick(values...)
		if rng.IntN(3) == 0 {
			v = v[:rng.IntN(len(v)+1)]
		}
		b.WriteString(v)
		b.WriteString(pick("", q, q, " ", ";", ",", "\\n", ")"))
		if rng.IntN(3) == 0 {
			b.WriteString(pick(" ", "", ";") + pick(names...) + pick("=", ": ", `":"`) + pick(values...))
		}
		if rng.IntN(4) > 0 {
			b.WriteString(" ;; end of the line here, nothing more to see on it at all")
		}
		text := b.String()
		a, rj := countAdmits(r, text)
		admitted, rejected = admitted+a, rejected+rj
		found += sameHitsBothModes(t, with, without, text)
		if t.Failed() {
			return
		}
	}
	t.Logf("%d findings; of the hits Precheck admits, Admits rejects %d and admits %d", found, rejected, admitted)
	if found < 2000 || rejected < 1000 || admitted < 1000 {
		t.Errorf("the texts test too little")
	}
}

// FuzzAdmits compares the matcher with and without the value checks on
// any text.
func FuzzAdmits(f *testing.F) {
	for _, s := range []string{`t.apiVersion="2024-06-20",t.tokenType=aB3xK9pQ2mZ7vL4nR8sT1 ;; end of the line here`,
		`api=monkey_bus:AbCdEfGhIjKlMnOp and more text after it`, `TOKEN=\"function(e){return\" x=1; password: aB3xK9pQ2m\/... ok`,
		"export SECRET_KEY='k3#v(9)x&z;Q' # then some more words here"} {
		f.Add(s)
	}
	with, without := scanners()
	f.Fuzz(func(t *testing.T, text string) {
		sameHitsBothModes(t, with, without, text)
	})
}

// countAdmits counts, over every keyword hit of r in text that passes
// r's Precheck, the hits Admits lets through and those it rejects.
func countAdmits(r *rules.Rule, text string) (admitted, rejected int) {
	lower := strings.ToLower(text)
	for _, k := range r.Keywords {
		for off := 0; ; {
			i := strings.Index(lower[off:], k)
			if i < 0 {
				break
			}
			end := off + i + len(k)
			if r.Precheck([]byte(text), end) {
				if r.Admits([]byte(text), end) {
					admitted++
				} else {
					rejected++
				}
			}
			off = end
		}
	}
	return admitted, rejected
}
