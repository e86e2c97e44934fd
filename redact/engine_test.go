package redact

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// sameTreeExcept checks that every line of got parses like the line of
// want, except string values of want that held a secret (holds reports
// that), which must now hold no secret and at least one marker.
func sameTreeExcept(t *testing.T, want, got string, secrets []string) {
	t.Helper()
	wl := strings.SplitAfter(want, "\n")
	gl := strings.SplitAfter(got, "\n")
	if len(wl) != len(gl) {
		t.Fatalf("line count changed: %d → %d", len(wl), len(gl))
	}
	for i := range wl {
		w, g := strings.TrimSpace(wl[i]), strings.TrimSpace(gl[i])
		if w == "" && g == "" {
			continue
		}
		var wv, gv any
		if err := json.Unmarshal([]byte(w), &wv); err != nil {
			t.Fatalf("line %d: fixture does not parse: %v", i+1, err)
		}
		if err := json.Unmarshal([]byte(g), &gv); err != nil {
			t.Fatalf("line %d: output does not parse: %v\n%s", i+1, err, g)
		}
		compareTree(t, wv, gv, secrets, "$")
	}
}

func compareTree(t *testing.T, w, g any, secrets []string, path string) {
	t.Helper()
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok || len(gv) != len(wv) {
			t.Fatalf("%s: object changed", path)
		}
		for k, x := range wv {
			y, ok := gv[k]
			if !ok {
				t.Fatalf("%s: key %q lost", path, k)
			}
			compareTree(t, x, y, secrets, path+"."+k)
		}
	case []any:
		gv, ok := g.([]any)
		if !ok || len(gv) != len(wv) {
			t.Fatalf("%s: array changed", path)
		}
		for i := range wv {
			compareTree(t, wv[i], gv[i], secrets, path)
		}
	case string:
		gs, ok := g.(string)
		if !ok {
			t.Fatalf("%s: type changed", path)
		}
		held := false
		for _, s := range secrets {
			enc := jsonString(s)
			enc = enc[1 : len(enc)-1]
			if strings.Contains(wv, s) || strings.Contains(wv, enc) {
				held = true
			}
			if strings.Contains(gs, s) || strings.Contains(gs, enc) {
				t.Fatalf("%s: secret still there", path)
			}
		}
		if !held && gs != wv {
			t.Fatalf("%s: string without a secret changed:\n%q\n%q", path, wv, gs)
		}
		if held && !strings.Contains(gs, "[REDACTED:") {
			t.Fatalf("%s: no marker", path)
		}
	default:
		if !reflect.DeepEqual(w, g) {
			t.Fatalf("%s: %v → %v", path, w, g)
		}
	}
}

func TestTranscriptDuplicatesAndShapes(t *testing.T) {
	pat := fakeGitHubPAT(1)
	aws := fakeAWSKeyID(2)
	in := strings.Join([]string{
		recUserPrompt("u1", "", "use this token "+pat+" to push"),
		recToolUse("a1", "u1", "toolu_01A", "GH_TOKEN="+pat+" gh repo list"),
		recToolResult("u2", "a1", "toolu_01A", "export AWS_ACCESS_KEY_ID=\""+aws+"\"\nok"),
		recBashProgress("p1", "a1", "line\n"+aws+"\n"),
		recSubagent("s1", "u2", "a2898e3", "token: "+pat),
		recHistory("push with " + pat),
	}, "\n") + "\n"
	secrets := []Secret{{Value: pat, RuleID: "github-pat", ID: "pat1"}, {Value: aws, RuleID: "aws-access-token", ID: "aws1"}}
	for _, chunk := range []int{0, 1, 7, 100} {
		out, st := runEngine(t, KindJSONL, secrets, in, chunk)
		sameTreeExcept(t, in, out, []string{pat, aws})
		// Places: prompt, command, history, subagent = 4 for pat; result
		// content + toolUseResult.stdout + progress output + fullOutput = 4.
		if st.places[0] != 4 || st.places[1] != 4 {
			t.Fatalf("chunk %d: places %v", chunk, st.places)
		}
		if !strings.Contains(out, "[REDACTED:github-pat:pat1]") || !strings.Contains(out, `AWS_ACCESS_KEY_ID=\"[REDACTED:aws-access-token:aws1]\"`) {
			t.Fatalf("markers: %s", out)
		}
	}
}

func TestEscapedSecrets(t *testing.T) {
	pat := fakeGitHubPAT(3)
	cases := []struct {
		name, raw string // raw: the JSON string content as written
	}{
		{"unicode first letter", `token \u0067` + pat[1:] + ` end`},
		{"every letter escaped", `x` + uEscapeAll(pat) + `y`},
		{"escaped quotes around", `KEY=\"` + pat + `\"`},
		{"newline escapes around", `\n` + pat + `\n`},
		{"slash escape inside", ""}, // filled below
		{"upper-case hex", pat[:3] + `\u005F` + pat[4:]},
	}
	// A value with a slash, written with \/ by some encoders (PHP, old Java).
	slashy := "glpat-" + fakeBody(4, 8, alnum) + "/" + fakeBody(5, 11, alnum)
	cases[4].raw = "a " + strings.ReplaceAll(slashy, "/", `\/`) + " b"
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			line := `{"type":"user","message":{"role":"user","content":"` + c.raw + `"},"n":1}` + "\n"
			sec := []Secret{{Value: pat, RuleID: "github-pat", ID: "p"}, {Value: slashy, RuleID: "gitlab-pat", ID: "g"}}
			out, st := runEngine(t, KindJSONL, sec, line, 0)
			sameTreeExcept(t, line, out, []string{pat, slashy})
			if st.total() != 1 {
				t.Fatalf("places %v in %s", st.places, out)
			}
		})
	}
}

func uEscapeAll(s string) string {
	var b strings.Builder
	for _, c := range s {
		b.WriteString(`\u00`)
		b.WriteString(strings.ToLower(string("0123456789ABCDEF"[c>>4])) + strings.ToLower(string("0123456789ABCDEF"[c&15])))
	}
	return b.String()
}

func TestNestedJSONInString(t *testing.T) {
	// The agent printed a JSON file whose strings had escapes: a service
	// account key, read by `cat key.json`: the key block's \n are \\n in
	// the transcript, and the scanner reports the key with real newlines.
	pem := fakePEM(6)
	inner := `{"type":"service_account","private_key":` + jsonString(pem) + `,"client_email":"x@y.iam.gserviceaccount.com"}`
	line := recToolResult("u3", "a3", "toolu_03", inner) + "\n"
	out, st := runEngine(t, KindJSONL, []Secret{{Value: pem, RuleID: "private-key", ID: "k"}}, line, 0)
	sameTreeExcept(t, line, out, []string{pem})
	if st.places[0] != 2 {
		t.Fatalf("places %v", st.places)
	}
	// The inner JSON still parses, with the same line count in its key.
	var rec struct {
		ToolUseResult struct{ Stdout string } `json:"toolUseResult"`
	}
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatal(err)
	}
	var innerOut map[string]string
	if err := json.Unmarshal([]byte(rec.ToolUseResult.Stdout), &innerOut); err != nil {
		t.Fatalf("inner JSON broken: %v\n%s", err, rec.ToolUseResult.Stdout)
	}
	if got, want := strings.Count(innerOut["private_key"], "\n"), strings.Count(pem, "\n"); got != want {
		t.Fatalf("key lines %d, want %d: %q", got, want, innerOut["private_key"])
	}
	if strings.Count(innerOut["private_key"], "[REDACTED:private-key:k]") != want(pem) {
		t.Fatalf("markers: %q", innerOut["private_key"])
	}
}

// want returns the number of lines of a key block: one marker each.
func want(pem string) int { return strings.Count(pem, "\n") + 1 }

func TestMultilineText(t *testing.T) {
	pem := fakePEM(7)
	for _, eol := range []string{"\n", "\r\n"} {
		body := strings.ReplaceAll("# deploy key\nkey follows:\n"+pem+"\nend\n", "\n", eol)
		for _, chunk := range []int{0, 3, 50} {
			out, st := runEngine(t, KindText, []Secret{{Value: pem, RuleID: "private-key", ID: "k"}}, body, chunk)
			if strings.Contains(out, "PRIVATE KEY") || strings.Count(out, "[REDACTED:private-key:k]") != want(pem) {
				t.Fatalf("eol %q chunk %d: %q", eol, chunk, out)
			}
			if strings.Count(out, eol) != strings.Count(body, eol) || strings.Count(out, "\n") != strings.Count(body, "\n") {
				t.Fatalf("line breaks changed: %q", out)
			}
			if !strings.HasPrefix(out, strings.ReplaceAll("# deploy key\nkey follows:\n", "\n", eol)) || !strings.HasSuffix(out, "end"+eol) {
				t.Fatalf("context changed: %q", out)
			}
			if st.places[0] != 1 {
				t.Fatalf("places %v", st.places)
			}
		}
	}
}

func TestCRLFJSONLAndNoTrailingNewline(t *testing.T) {
	pat := fakeGitHubPAT(8)
	in := recUserPrompt("u1", "", "a "+pat) + "\r\n" + recHistory(pat+" b")
	out, st := runEngine(t, KindJSONL, []Secret{{Value: pat, RuleID: "github-pat", ID: "p"}}, in, 5)
	if strings.Contains(out, pat) || st.places[0] != 2 {
		t.Fatalf("%v %s", st.places, out)
	}
	if !strings.Contains(out, "}\r\n{") || strings.HasSuffix(out, "\n") {
		t.Fatalf("line ends changed: %q", out)
	}
	sameTreeExcept(t, strings.ReplaceAll(in, "\r\n", "\n"), strings.ReplaceAll(out, "\r\n", "\n"), []string{pat})
}

func TestJSONCCommentsAndNumbers(t *testing.T) {
	tok := fakeBody(9, 24, alnum)
	num := "734019283746"
	in := "{\n  // old token: " + tok + "\n  /* also " + tok + " */ \"env\": {\"TOKEN\": \"" + tok + "\"},\n  \"pin\": " + num + "\n}\n"
	out, st := runEngine(t, KindJSON, []Secret{{Value: tok, RuleID: "generic", ID: "t"}, {Value: num, RuleID: "pin", ID: "n"}}, in, 0)
	if strings.Contains(out, tok) || st.places[0] != 3 {
		t.Fatalf("%v %s", st.places, out)
	}
	if !strings.Contains(out, num) || st.residual != 1 {
		t.Fatalf("a number must stay (and be counted): %v %d %s", st.places, st.residual, out)
	}
}

func TestOverlappingSecrets(t *testing.T) {
	a := "abcdef" + fakeBody(10, 10, alnum)
	b := a[8:] + "XYZ123"
	line := `{"t":"` + a + `XYZ123 and ` + b + `"}` + "\n"
	out, st := runEngine(t, KindJSONL, []Secret{{Value: a, RuleID: "r1", ID: "a"}, {Value: b, RuleID: "r2", ID: "b"}}, line, 0)
	if strings.Contains(out, a) || strings.Contains(out, b) || strings.Contains(out, a[8:]) {
		t.Fatalf("%s", out)
	}
	if want := `{"t":"[REDACTED:r1:a][REDACTED:r2:b] and [REDACTED:r2:b]"}` + "\n"; out != want {
		t.Fatalf("got  %s\nwant %s", out, want)
	}
	if st.places[0] != 1 || st.places[1] != 2 {
		t.Fatalf("places %v", st.places)
	}
}

func TestUnchangedBytesIdentical(t *testing.T) {
	in := recUserPrompt("u1", "", "nothing here \u00e9\u2014 \\ \"q\"") + "\n" + "{broken line\n"
	out, st := runEngine(t, KindJSONL, []Secret{{Value: fakeGitHubPAT(11), RuleID: "github-pat"}}, in, 3)
	if out != in || st.total() != 0 {
		t.Fatal("changed")
	}
}
