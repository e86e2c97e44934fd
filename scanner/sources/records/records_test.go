package records

import (
	"io"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/match"
)

func TestChecker(t *testing.T) {
	in := "{\"a\":1}\n  \n[1,2]\n{\"b\":\"x\x00y\"}\n{\"c\":\n{\"d\":2}"
	c := NewChecker(strings.NewReader(in), 1)
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Fatal(err)
	}
	probs, more := c.Finish()
	if more != 0 || len(probs) != 3 {
		t.Fatalf("problems %+v more %d", probs, more)
	}
	for i, want := range []struct {
		line int
		msg  string
	}{{3, "starts with '['"}, {4, "NUL"}, {5, "no closing"}} {
		if probs[i].Line != want.line || !strings.Contains(probs[i].Msg, want.msg) {
			t.Errorf("problem %d: %+v, want line %d %q", i, probs[i], want.line, want.msg)
		}
	}
	// A last line without its newline is judged at Finish.
	c = NewChecker(strings.NewReader(`{"a":1}`+"\n"+`{"b":`), 7)
	io.Copy(io.Discard, c)
	if probs, _ := c.Finish(); len(probs) != 1 || probs[0].Line != 8 || !strings.Contains(probs[0].Msg, "truncated last record") {
		t.Errorf("truncated last record: %+v", probs)
	}
}

func TestDedupe(t *testing.T) {
	r := &rules.Rule{ID: "github-pat"}
	hits := []match.Hit{{Rule: r, Secret: "A"}, {Rule: r, Secret: "A"}, {Rule: r, Secret: "B"}, {Rule: r, Secret: "A"}}
	targets := []jsonloc.Target{{Found: true, Path: "message.content"}, {Found: true, Path: "toolUseResult.stdout"},
		{Found: true, Path: "signature"}, {Found: true, Path: "toolUseResult.stdout"}}
	places := Dedupe(hits, targets, func(t *jsonloc.Target) bool { return LastKey(t.Path) == "signature" })
	if len(places) != 1 || places[0].Hit.Secret != "A" || places[0].Target.Path != "message.content" ||
		len(places[0].Also) != 1 || places[0].Also[0] != "toolUseResult.stdout" {
		t.Errorf("places %+v", places)
	}
	if LastKey("message.content[1].source.data") != "data" || LastKey("a[2]") != "" {
		t.Errorf("LastKey")
	}
}
