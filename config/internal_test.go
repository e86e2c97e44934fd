package config

import (
	"reflect"
	"testing"
)

func TestDeriveKeywords(t *testing.T) {
	for _, tc := range []struct {
		re   string
		want []string
	}{
		{`acme_[a-z0-9]{32}`, []string{"acme_"}},
		{`\b(acme_live_[0-9a-zA-Z]{24})\b`, []string{"acme_live_"}},
		{`(?i)ACME[_-]TOKEN\s*=\s*([a-z0-9]{32})`, []string{"acme-token", "acme_token"}},
		{`(?:ghp|gho|ghu)_[A-Za-z0-9]{36}`, []string{"gho_", "ghp_", "ghu_"}},
		{`xox[baprs]-[0-9a-zA-Z]{10,48}`, []string{"xox"}}, // [baprs] has five letters: only "xox" is certain
		{`(sk-live|rk-live)-[a-z0-9]{20}`, []string{"sk-live-", "rk-live-"}},
		{`[a-f0-9]{40}`, nil},
		{`(?:token|secret)?[a-z]{10}`, nil},
		{`a[0-9]+b`, nil},
	} {
		got := deriveKeywords(tc.re)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("deriveKeywords(%q) = %q, want %q", tc.re, got, tc.want)
		}
	}
}

func TestParseGitleaksEntry(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   parsedEntry
		commit bool
		bad    bool
	}{
		{in: "config/.env:github-pat:3", want: parsedEntry{file: "config/.env", rule: "github-pat", line: 3}},
		{in: "./a/b.txt:generic-api-key:12", want: parsedEntry{file: "a/b.txt", rule: "generic-api-key", line: 12}},
		{in: `C:\src\app\.env:aws-access-token:7`, want: parsedEntry{file: "C:/src/app/.env", rule: "aws-access-token", line: 7}},
		{in: "8d3b2f1:config/.env:github-pat:3", commit: true},
		{in: "config/.env:github-pat", bad: true},
		{in: "config/.env:github-pat:0", bad: true},
		{in: "github-pat:3", bad: true},
	} {
		got, commit, err := parseGitleaksEntry(tc.in)
		if (err != nil) != tc.bad || commit != tc.commit || (!tc.bad && !tc.commit && got != tc.want) {
			t.Errorf("parseGitleaksEntry(%q) = %+v, %v, %v", tc.in, got, commit, err)
		}
	}
}

func TestKeyLines(t *testing.T) {
	doc := []byte(`fail_on = "high"
[severity]
github-pat = "low"

[[rules]]
id = "a"
[[rules.allowlists]]
regexes = [
  'x',
  'y',
]
[[rules]]
id = "b"
allowlists = [{ paths = ["p"] }]
[rules.extra]
k = 1
`)
	pos := indexKeys(doc)
	for key, want := range map[string]position{
		"fail_on":                           {1, 1},
		"severity.github-pat":               {3, 1},
		"rules[0]":                          {5, 3},
		"rules[0].id":                       {6, 1},
		"rules[0].allowlists[0]":            {7, 3},
		"rules[0].allowlists[0].regexes":    {8, 1},
		"rules[0].allowlists[0].regexes[1]": {10, 3},
		"rules[1].id":                       {13, 1},
		"rules[1].allowlists[0].paths[0]":   {14, 26},
		"rules[1].extra.k":                  {16, 1},
	} {
		if pos[key] != want {
			t.Errorf("position of %s = %v, want %v", key, pos[key], want)
		}
	}
}
