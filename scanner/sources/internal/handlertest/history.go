package handlertest

// Helpers for the history handlers' tests: fake credentials, and checks
// of one secret's finding.

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"

	_ "modernc.org/sqlite" // the driver mcpscan reads databases with
)

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// Token returns a fake credential of the given kind, drawn from a PRNG
// seeded with seed: "github" (ghp_…, rule github-pat), "npm" (npm_…,
// npm-access-token), "slack" (xoxb-…, slack-bot-token), "aws" (AKIA…,
// aws-access-token), "anthropic" (sk-ant-api03-…, anthropic-api-key).
func Token(kind string, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	from := func(set string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = set[r.IntN(len(set))]
		}
		return string(b)
	}
	body := func(n int) string { // mixed case and digits, no run of four
		for {
			s := from(alnum, n)
			if strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") &&
				strings.ContainsAny(s, "0123456789") && !strings.Contains(strings.ToLower(s), "test") {
				return s
			}
		}
	}
	switch kind {
	case "github":
		return "gh" + "p_" + body(36)
	case "npm":
		return "np" + "m_" + body(36)
	case "slack":
		return "xo" + "xb-" + from("123456789", 12) + "-" + from("123456789", 13) + "-" + body(24)
	case "aws":
		return "AK" + "IA" + from("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 8) + from("234567", 8)
	case "anthropic":
		return "sk-" + "ant-api03-" + body(93) + "AA"
	}
	panic("recordstest: unknown token kind " + kind)
}

// RunFile is Run over a file on disk (its slash path classifies it), for
// handlers that read files beside it.
func RunFile(t testing.TB, h scanner.Handler, path string) ([]scanner.Finding, []scanner.FileError) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Accepts(path) {
		t.Fatalf("%T does not accept %s", h, path)
	}
	return Run(t, h, path, string(data))
}

// Of returns the findings whose secret is value.
func Of(found []scanner.Finding, value string) []scanner.Finding {
	var out []scanner.Finding
	for _, f := range found {
		if f.Secret.EqualString(value) {
			out = append(out, f)
		}
	}
	return out
}

// Want is what a test expects of the one finding of a secret: its line,
// field, other fields and context values (only the keys given are
// checked; "" checks that the key is absent).
type Want struct {
	Line    int
	Field   string
	AlsoIn  []string
	Context map[string]string
}

// Expect checks that value was reported exactly once, as w says, and
// returns the finding.
func Expect(t testing.TB, found []scanner.Finding, value string, w Want) scanner.Finding {
	t.Helper()
	fs := Of(found, value)
	if len(fs) != 1 {
		t.Errorf("secret %.12s…: %d findings, want 1: %v", value, len(fs), describe(fs))
		if len(fs) == 0 {
			return scanner.Finding{}
		}
	}
	f := fs[0]
	if w.Line != 0 && f.Line != w.Line {
		t.Errorf("secret %.12s…: line %d, want %d", value, f.Line, w.Line)
	}
	if w.Field != "" && f.Field != w.Field {
		t.Errorf("secret %.12s…: field %q, want %q", value, f.Field, w.Field)
	}
	if w.AlsoIn != nil && strings.Join(f.AlsoIn, "|") != strings.Join(w.AlsoIn, "|") {
		t.Errorf("secret %.12s…: also in %q, want %q", value, f.AlsoIn, w.AlsoIn)
	}
	for k, v := range w.Context {
		if got := f.Context.Get(k); got != v {
			t.Errorf("secret %.12s…: context %s = %q, want %q (context %v)", value, k, got, v, f.Context)
		}
	}
	return f
}

func describe(fs []scanner.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID+" "+f.Location.String()+":"+strconv.Itoa(f.Line)+" "+f.Field)
	}
	return out
}

// CreateDB writes a SQLite database at path (parents made) with the driver
// mcpscan reads databases with, running each statement with its
// arguments: stmts alternate a query and, optionally, its []any args.
func CreateDB(t testing.TB, path string, stmts ...any) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; i < len(stmts); i++ {
		q := stmts[i].(string)
		var args []any
		if i+1 < len(stmts) {
			if a, ok := stmts[i+1].([]any); ok {
				args, i = a, i+1
			}
		}
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// ScanTree scans root with the engine and the given handlers (a
// container and the handlers of its items), as a scan of root would.
func ScanTree(t testing.TB, root string, handlers ...scanner.Handler) *scanner.Result {
	t.Helper()
	res, err := scanner.New(rules.Default(), handlers, scanner.Options{}).Collect(context.Background(), []scanner.Root{{Path: root}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// WriteFile writes data at path, making its parents.
func WriteFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}
