package rules_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

func TestIsReference(t *testing.T) {
	for _, v := range []string{
		"${OPENAI_API_KEY}", "$OPENAI_API_KEY", "$token", "${DB_PASSWORD:-changeme}", "${DB_PASSWORD:?required}",
		"${env:GITHUB_TOKEN}", "${input:github_token}", "${{ secrets.NPM_TOKEN }}", "${{secrets.NPM_TOKEN}}",
		"{env:ANTHROPIC_API_KEY}", "%API_TOKEN%", "{{ .Values.password }}", "{{token}}",
		"process.env.OPENAI_API_KEY", `process.env["OPENAI_API_KEY"]`, "import.meta.env.VITE_KEY",
		`os.environ["SECRET_KEY"]`, `os.environ.get("SECRET_KEY")`, `os.getenv("X")`, `ENV["API_KEY"]`,
		`ENV.fetch("API_KEY")`, `System.getenv("TOKEN")`, `getenv("TOKEN")`, "$(cat /run/secrets/token)",
		"  ${PADDED}  ",
	} {
		if !rules.IsReference(v) {
			t.Errorf("IsReference(%q) = false, want true", v)
		}
	}
	for _, v := range []string{
		"", "   ", "$", "q8Vf3LzT2nWk9RbX4mHc", "sk-abc${x}", "pa$$word-9x", "prefix${VAR}", "%%", "{env:}",
		"environment", "processenv", "${UNCLOSED",
	} {
		if rules.IsReference(v) {
			t.Errorf("IsReference(%q) = true, want false", v)
		}
	}
}

func TestIsPlaceholder(t *testing.T) {
	for _, v := range []string{
		"", "  ", "${TOKEN}", "<your-token>", "<YOUR_API_KEY>", "your-api-key-here", "YOUR_API_KEY", "yourApiKeyHere",
		"xxxxxxxxxxxxxxxx", "XXXX-XXXX-XXXX", "sk-xxxxxxxxxxxxxxxxxxxx", "changeme", "change_me", "CHANGEME",
		"********", "••••••••", "[REDACTED]", "[hidden]", "sk-proj-...a1B2", "sk-ant-api03-…Xy9z",
		"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "password", "Password123", "secret",
		"hunter2", "placeholder-token", "dummy-secret-value", "abcabcabcabc", "aaaaaaaa", "0123456789", "abcdefghij",
		`"changeme"`, "'xxxxxxxx'", "<token>", "not-a-real-key-1234", "insert_key_here",
		"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
	} {
		if !rules.IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = false, want true", v)
		}
	}
	for _, v := range []string{
		sec20, pw1, pw2, tok32, jwt, "Xk82jfLq0pZ", "k3x9!vz2m@q7w$e8r4t6y1u", "ab12", "abcd1234efgh",
	} {
		if rules.IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = true, want false", v)
		}
	}
}

func TestLooksLikeSecret(t *testing.T) {
	for _, v := range []string{
		sec20, pw1, pw2, tok32, jwt, "k3x9!vz2m@q7w$e8r4t6y1u", "Zt8#kLq2!vR9p&Wx",
		"qwxzvbnmlkjhgfdsapoiuytre", // one character class, long and random
		strings.Repeat("q8Vf3LzT2nWk9RbX", 256),
	} {
		if !rules.LooksLikeSecret(v, 8) {
			t.Errorf("LooksLikeSecret(%q) = false, want true", clip(v))
		}
	}
	for _, v := range []string{
		"short1A",                               // below minLen
		strings.Repeat("q8Vf3LzT2nWk9RbX", 257), // above 4096 bytes
		"your-api-key-here", "${API_KEY}", "********",
		"two words9", "12345678901234", // blanks; digits only
		"getToken()", "this.secret", "req.body.password", "response.data.token", "Option<String>", "Optional[str]",
		"ClientSecretCredential", "Config.Settings",
		"/run/secrets/db", "./config/secret.key", "~/.config/token", `C:\secrets\token.txt`, "https://auth.internal/token",
		"file:///etc/token",
		"GITHUB_PAT_V2", "AWS_SECRET_ACCESS_KEY", "S3_BUCKET_2024",
		"correct-horse-battery-staple", "tokens/credentials/etc", "rotating-credentials-regularly", "magic-link",
		"abcdefghijklmno", // one class, short
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	} {
		if rules.LooksLikeSecret(v, 8) {
			t.Errorf("LooksLikeSecret(%q) = true, want false", clip(v))
		}
	}
	if rules.LooksLikeSecret(sec20, 21) || !rules.LooksLikeSecret(sec20, 20) {
		t.Error("LooksLikeSecret ignores minLen")
	}
}

func TestShannonEntropy(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for s, want := range map[string]float64{
		"":                 0,
		"a":                0,
		"aaaaaaaa":         0,
		"ab":               1,
		"abcd":             2,
		"aabb":             1,
		"0123456789abcdef": 4,
		"aab":              0.9182958340544896,
		string(all):        8,
	} {
		if got := rules.ShannonEntropy(s); math.Abs(got-want) > 1e-9 {
			t.Errorf("ShannonEntropy(%q) = %v, want %v", clip(s), got, want)
		}
	}
	// Bits per byte: a two-byte rune counts as two symbols, as in gitleaks
	// for ASCII text.
	if got := rules.ShannonEntropy("é"); math.Abs(got-1) > 1e-9 {
		t.Errorf(`ShannonEntropy("é") = %v, want 1`, got)
	}
}

func TestSeverity(t *testing.T) {
	names := []string{"info", "low", "medium", "high", "critical"}
	for i, n := range names {
		s := rules.Severity(i)
		if s.String() != n {
			t.Errorf("Severity(%d).String() = %q, want %q", i, s, n)
		}
		for _, in := range []string{n, strings.ToUpper(n), strings.ToUpper(n[:1]) + n[1:]} {
			got, err := rules.ParseSeverity(in)
			if err != nil || got != s {
				t.Errorf("ParseSeverity(%q) = %v, %v; want %v", in, got, err, s)
			}
		}
		b, err := s.MarshalText()
		if err != nil || string(b) != n {
			t.Errorf("MarshalText(%v) = %q, %v", s, b, err)
		}
		var back rules.Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, back, err)
		}
	}
	if !(rules.Info < rules.Low && rules.Low < rules.Medium && rules.Medium < rules.High && rules.High < rules.Critical) {
		t.Error("severities do not compare in order")
	}
	var zero rules.Severity
	if zero != rules.Info {
		t.Error("the zero Severity is not Info")
	}
	for _, bad := range []string{"", "severe", "hi", " high", "5"} {
		_, err := rules.ParseSeverity(bad)
		if err == nil {
			t.Errorf("ParseSeverity(%q) succeeded", bad)
			continue
		}
		for _, n := range names {
			if !strings.Contains(err.Error(), n) {
				t.Errorf("ParseSeverity(%q) error %q does not name %q", bad, err, n)
			}
		}
	}
	s := rules.High
	if err := s.UnmarshalText([]byte("nope")); err == nil || s != rules.High {
		t.Errorf("UnmarshalText of a bad name: err %v, severity changed to %v", err, s)
	}
	if got := rules.Severity(9).String(); got != "severity(9)" {
		t.Errorf("Severity(9).String() = %q", got)
	}
	if got := rules.Severity(-1).String(); got != "severity(-1)" {
		t.Errorf("Severity(-1).String() = %q", got)
	}
	// In JSON, as reports carry it.
	type rec struct {
		Severity rules.Severity `json:"severity"`
	}
	b, err := json.Marshal(rec{rules.Critical})
	if err != nil || string(b) != `{"severity":"critical"}` {
		t.Errorf("json.Marshal = %s, %v", b, err)
	}
	var r rec
	if err := json.Unmarshal([]byte(`{"severity":"Medium"}`), &r); err != nil || r.Severity != rules.Medium {
		t.Errorf("json.Unmarshal = %v, %v", r.Severity, err)
	}
	if err := json.Unmarshal([]byte(`{"severity":"urgent"}`), &r); err == nil {
		t.Error("json.Unmarshal accepted an unknown severity")
	}
}

func TestAllowlist(t *testing.T) {
	const (
		secret = "AKIA-Secret-Value"
		match  = `key = "AKIA-Secret-Value"`
		line   = `  key = "AKIA-Secret-Value" # test fixture`
		path   = "testdata/fixture.env"
	)
	cases := []struct {
		name string
		a    *rules.Allowlist
		path string
		want bool
	}{
		{"empty allowlist allows nothing", &rules.Allowlist{}, path, false},
		{"secret target hit", &rules.Allowlist{Regexes: []string{`^AKIA-`}}, "", true},
		{"secret target miss: the match is not tested", &rules.Allowlist{Regexes: []string{`^key`}}, "", false},
		{"match target", &rules.Allowlist{Target: rules.TargetMatch, Regexes: []string{`^key = "`}}, "", true},
		{"match target miss: the line is not tested", &rules.Allowlist{Target: rules.TargetMatch, Regexes: []string{`fixture`}}, "", false},
		{"line target", &rules.Allowlist{Target: rules.TargetLine, Regexes: []string{`# test fixture$`}}, "", true},
		{"any of several regexes", &rules.Allowlist{Regexes: []string{`^nope$`, `Value$`}}, "", true},
		{"stop word, case-insensitive on the secret", &rules.Allowlist{StopWords: []string{"secret"}}, "", true},
		{"stop word miss", &rules.Allowlist{StopWords: []string{"fixture"}}, "", false},
		{"path hit", &rules.Allowlist{Paths: []string{`^testdata/`}}, path, true},
		{"path miss", &rules.Allowlist{Paths: []string{`^vendor/`}}, path, false},
		{"path criterion without a path", &rules.Allowlist{Paths: []string{`.*`}}, "", false},
		{"OR: one criterion suffices", &rules.Allowlist{Regexes: []string{`^nope$`}, StopWords: []string{"secret"}, Paths: []string{`^vendor/`}}, path, true},
		{"OR: none holds", &rules.Allowlist{Regexes: []string{`^nope$`}, StopWords: []string{"nope"}, Paths: []string{`^vendor/`}}, path, false},
		{"AND: all hold", &rules.Allowlist{MatchAll: true, Regexes: []string{`^AKIA-`}, StopWords: []string{"value"}, Paths: []string{`^testdata/`}}, path, true},
		{"AND: regex fails", &rules.Allowlist{MatchAll: true, Regexes: []string{`^nope`}, StopWords: []string{"value"}, Paths: []string{`^testdata/`}}, path, false},
		{"AND: stop word fails", &rules.Allowlist{MatchAll: true, Regexes: []string{`^AKIA-`}, StopWords: []string{"nope"}, Paths: []string{`^testdata/`}}, path, false},
		{"AND: path fails", &rules.Allowlist{MatchAll: true, Regexes: []string{`^AKIA-`}, StopWords: []string{"value"}, Paths: []string{`^vendor/`}}, path, false},
		{"AND: an unknown path is not a criterion", &rules.Allowlist{MatchAll: true, Regexes: []string{`^AKIA-`}, Paths: []string{`^vendor/`}}, "", true},
		{"AND with line target", &rules.Allowlist{MatchAll: true, Target: rules.TargetLine, Regexes: []string{`fixture`}, StopWords: []string{"akia"}}, "", true},
		{"invalid regex allows nothing", &rules.Allowlist{Regexes: []string{`(`}, StopWords: []string{"secret"}}, "", false},
	}
	for _, c := range cases {
		if got := c.a.Allows(secret, match, line, c.path); got != c.want {
			t.Errorf("%s: Allows = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestAccept checks each stage of Set.Accept and their order: entropy,
// the rule's validator, the placeholder check, the rule's allowlists, the
// global allowlists.
func TestAccept(t *testing.T) {
	var calls []string
	r := &rules.Rule{
		ID: "test-rule", Description: "d", Pattern: `tok=(\S+)`, Keywords: []string{"tok"}, Entropy: 3,
		Validate: func(secret, match string) bool {
			calls = append(calls, secret)
			return !strings.HasPrefix(secret, "invalid")
		},
		Allowlists: []*rules.Allowlist{{StopWords: []string{"rulestop"}}},
	}
	global := []*rules.Allowlist{{Target: rules.TargetLine, Regexes: []string{`# globally allowed`}}}
	set, err := rules.NewSet([]*rules.Rule{r}, global)
	if err != nil {
		t.Fatal(err)
	}
	cand := func(secret, line string) rules.Candidate {
		return rules.Candidate{Secret: secret, Match: "tok=" + secret, Line: line}
	}
	for _, c := range []struct {
		name      string
		c         rules.Candidate
		want      bool
		validated bool // whether Validate ran
	}{
		{"accepted", cand(sec20, "tok="+sec20), true, true},
		{"low entropy stops before Validate", cand("abababababab", ""), false, false},
		{"entropy must be strictly above", cand("abcdefgh", ""), false, false}, // exactly 3 bits
		{"validator rejects", cand("invalid"+sec20, ""), false, true},
		{"placeholder after Validate", cand("your-token-"+sec20, ""), false, true},
		{"rule allowlist", cand("rulestop"+sec20, ""), false, true},
		{"global allowlist", cand(sec20, "tok="+sec20+" # globally allowed"), false, true},
	} {
		calls = nil
		if got := set.Accept(r, c.c); got != c.want {
			t.Errorf("%s: Accept = %v, want %v", c.name, got, c.want)
		}
		if ran := len(calls) > 0; ran != c.validated {
			t.Errorf("%s: Validate ran = %v, want %v", c.name, ran, c.validated)
		}
	}

	// SkipPlaceholderCheck lets a placeholder-looking secret through;
	// allowlists still apply.
	r2 := &rules.Rule{ID: "structural", Description: "d", Pattern: "x", Keywords: []string{"xx"}, SkipPlaceholderCheck: true}
	set2, err := rules.NewSet([]*rules.Rule{r2}, global)
	if err != nil {
		t.Fatal(err)
	}
	if !set2.Accept(r2, cand("xxxxxxxx", "")) {
		t.Error("SkipPlaceholderCheck: placeholder rejected")
	}
	if set2.Accept(r2, cand("xxxxxxxx", "# globally allowed")) {
		t.Error("SkipPlaceholderCheck: global allowlist ignored")
	}
	// Without entropy or validator, only the placeholder check and
	// allowlists judge.
	r3 := &rules.Rule{ID: "plain", Description: "d", Pattern: "x", Keywords: []string{"xx"}}
	set3, _ := rules.NewSet([]*rules.Rule{r3}, nil)
	if !set3.Accept(r3, cand("ab", "")) || set3.Accept(r3, cand("changeme", "")) {
		t.Error("plain rule: wrong verdicts")
	}
}

// TestDefaultGlobalAllowlists checks the global allowlists Default() adds:
// gitleaks' (references, repeated letters, template syntax, system paths)
// and mcpscan's (Anthropic API object IDs), through a rule without any
// check of its own.
func TestDefaultGlobalAllowlists(t *testing.T) {
	set := rules.Default()
	r := &rules.Rule{ID: "bare", SkipPlaceholderCheck: true}
	for _, v := range []string{
		"true", "false", "null", "aaaaaaaa", "$1", "${VAR}", "{{ .Values.x }}", "%VAR%", "/usr/local/bin/tool",
		"toolu_01UwLnYYWGBvukzh1QE6JpfM", "msg_01PdWvcjJ6E9BgscDveYt9YV", "req_011CY4TRHLYkp2wmETF8ujUf",
		"srvtoolu_01ABcdEFghIJklMNopQRstUV", "msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d", "file_011CNha8iCJcU1wXNR6q4V8w",
	} {
		if set.Accept(r, rules.Candidate{Secret: v, Match: v, Line: v}) {
			t.Errorf("global allowlists admit %q", v)
		}
	}
	for _, v := range []string{sec20, "toolu_01short", "msg_02PdWvcjJ6E9BgscDveYt9YV", "xtoolu_01UwLnYYWGBvukzh1QE6JpfM"} {
		if !set.Accept(r, rules.Candidate{Secret: v, Match: v, Line: v}) {
			t.Errorf("global allowlists reject %q", v)
		}
	}
}

func TestSecretSpan(t *testing.T) {
	for _, c := range []struct {
		pattern string
		group   int
		text    string
		want    string
	}{
		{`key=(\w+)`, 0, "key=abc", "abc"},                    // first group
		{`(a)?(key)=(\w+)`, 0, "key=abc", "key"},              // first non-empty group
		{`(x*)(key)=(\w+)`, 0, "key=abc", "key"},              // empty groups are skipped
		{`(key)=(\w+)`, 2, "key=abc", "abc"},                  // explicit group
		{`key=\w+`, 0, "key=abc", "key=abc"},                  // no group: whole match
		{`(key)=(\w+)?;`, 2, "key=;", ""},                     // explicit group that did not take part
		{`(?:key)=(\w+)(?:;(\w+))?`, 0, "key=abc;def", "abc"}, // non-capturing groups do not count
	} {
		r := &rules.Rule{ID: "t", Pattern: c.pattern, SecretGroup: c.group}
		re := r.Regexp()
		if re == nil {
			t.Fatalf("%s: %v", c.pattern, r.Compile())
		}
		loc := re.FindStringSubmatchIndex(c.text)
		s, e := r.SecretSpan(loc)
		got := ""
		if s >= 0 {
			got = c.text[s:e]
		}
		if got != c.want {
			t.Errorf("%s (group %d) over %q: secret %q, want %q", c.pattern, c.group, c.text, got, c.want)
		}
	}
}

func TestRuleCompile(t *testing.T) {
	for name, r := range map[string]*rules.Rule{
		"bad regex":           {ID: "a", Pattern: `(`},
		"secret group":        {ID: "b", Pattern: `(x)`, SecretGroup: 2},
		"bad path":            {ID: "c", Pattern: `x`, Path: `[`},
		"bad allowlist regex": {ID: "d", Pattern: `x`, Allowlists: []*rules.Allowlist{{Regexes: []string{`(`}}}},
		"bad allowlist path":  {ID: "e", Pattern: `x`, Allowlists: []*rules.Allowlist{{Paths: []string{`(`}}}},
	} {
		err := r.Compile()
		if err == nil {
			t.Errorf("%s: Compile succeeded", name)
			continue
		}
		if !strings.Contains(err.Error(), "rule "+r.ID) {
			t.Errorf("%s: error %q does not name the rule", name, err)
		}
		if r.Regexp() != nil && name == "bad regex" {
			t.Errorf("%s: Regexp() not nil", name)
		}
		if r.Compile() != err {
			t.Errorf("%s: Compile is not memoised", name)
		}
	}
	r := &rules.Rule{ID: "p", Pattern: `x`, Path: `\.env$`}
	if !r.AppliesToPath("app/.env") || r.AppliesToPath("app/env.go") {
		t.Error("AppliesToPath with a Path filter")
	}
	if !(&rules.Rule{ID: "q", Pattern: `x`}).AppliesToPath("anything") {
		t.Error("AppliesToPath without a Path filter")
	}
	if (&rules.Rule{ID: "r", Pattern: `x`, Path: `[`}).AppliesToPath("x") {
		t.Error("AppliesToPath with a broken Path filter")
	}
}

func TestWindowRadius(t *testing.T) {
	if got := (&rules.Rule{Pattern: `x{0,100}`, Radius: 7}).WindowRadius(); got != 7 {
		t.Errorf("explicit Radius: WindowRadius() = %d", got)
	}
	if got := (&rules.Rule{Pattern: `token=[a-z]{0,100}`}).WindowRadius(); got < 106 {
		t.Errorf("derived radius %d does not cover a 106-byte match", got)
	}
	if got := (&rules.Rule{Pattern: `token=[a-z]+`}).WindowRadius(); got != rules.DefaultRadius {
		t.Errorf("unbounded pattern: WindowRadius() = %d, want DefaultRadius", got)
	}
}
