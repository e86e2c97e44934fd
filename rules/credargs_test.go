package rules

import (
	"reflect"
	"testing"
)

func TestArgCredentials(t *testing.T) {
	const tok = "xjQVNfBE7Q86em81Ua0N4GXkBlU0FeCDdZBZyASs"
	cases := []struct {
		args []string
		want []string // the credentials found
	}{
		{[]string{"--token", tok}, []string{tok}},
		{[]string{"--api-key=" + tok}, []string{tok}},
		{[]string{"--access-token", tok, "--port", "8080"}, []string{tok}},
		{[]string{"--header", "Authorization: Bearer " + tok}, []string{tok}},
		{[]string{"--header", "Authorization:Bearer " + tok}, []string{tok}},
		{[]string{"--header", "X-Api-Key: " + tok}, []string{tok}},
		{[]string{"run", "-e", "GITHUB_TOKEN=" + tok, "ghcr.io/github/github-mcp-server"}, []string{tok}},
		{[]string{"DB_PASSWORD=wK8#pL2vQ9xR"}, []string{"wK8#pL2vQ9xR"}},
		// References and placeholders are not literals.
		{[]string{"--token", "${GITHUB_TOKEN}"}, nil},
		{[]string{"--api-key=$API_KEY"}, nil},
		{[]string{"--header", "Authorization: Bearer ${env:LINEAR_TOKEN}"}, nil},
		{[]string{"-e", "GITHUB_TOKEN"}, nil},
		{[]string{"-e", "GITHUB_TOKEN=${input:github-token}"}, nil},
		{[]string{"--token", "<YOUR_TOKEN>"}, nil},
		{[]string{"--token", "your-api-key"}, nil},
		{[]string{"--token-file", "/run/secrets/token"}, nil},
		{[]string{"--port", "8080", "--host", "0.0.0.0"}, nil},
		{[]string{"-y", "@modelcontextprotocol/server-github"}, nil},
	}
	for _, c := range cases {
		var got []string
		for _, sp := range ArgCredentials(c.args) {
			got = append(got, c.args[sp.Arg][sp.Start:sp.End])
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %q, want %q", c.args, got, c.want)
		}
	}
}

func TestReferencesAreNotLiterals(t *testing.T) {
	for _, v := range []string{"", "${VAR}", "${VAR:-x}", "${env:X}", "${input:id}", "${{ secrets.X }}", "{env:X}", "$VAR",
		"{{ .Token }}", "<YOUR_TOKEN>", "your-api-key", "xxxx", "[REDACTED]", "changeme", "true", "1234"} {
		if IsLiteralCredential(v) {
			t.Errorf("%q counted as a literal credential", v)
		}
	}
	for _, v := range []string{"wK8#pL2v", "sbp_68cc4c50b2e2d0f0e80a858015743312012779d2", "hunter22long"} {
		if !IsLiteralCredential(v) {
			t.Errorf("%q not counted as a literal credential", v)
		}
	}
}

func TestURLCredential(t *testing.T) {
	cases := map[string]string{
		"https://user:s3cr3tPassw0rd@mcp.example.net/sse":          "s3cr3tPassw0rd",
		"https://mcp.example.net/sse?api_key=Kp9Lm2Xq7Rt4Vw8Nb3Jh": "Kp9Lm2Xq7Rt4Vw8Nb3Jh",
		"https://mcp.example.net/sse?token=${TOKEN}":               "",
		"https://mcp.example.net/sse?page=2":                       "",
		"http://localhost:3000/mcp":                                "",
	}
	for u, want := range cases {
		got := ""
		if s, e, ok := URLCredential(u); ok {
			got = u[s:e]
		}
		if got != want {
			t.Errorf("%s: %q, want %q", u, got, want)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	words, starts := SplitCommand(`curl -H "Authorization: Bearer abc" https://x && echo 'a b'`)
	want := []string{"curl", "-H", "Authorization: Bearer abc", "https://x", "&", "&", "echo", "a b"}
	if !reflect.DeepEqual(words, want) {
		t.Fatalf("words %q", words)
	}
	if starts[2] != 8 {
		t.Errorf("starts %v", starts)
	}
}

func TestIsCredentialName(t *testing.T) {
	yes := []string{"GITHUB_TOKEN", "GITHUB_PERSONAL_ACCESS_TOKEN", "apiKey", "OPENAI_API_KEY", "PGPASSWORD", "DB_PASS",
		"SLACK_BOT_TOKEN", "client_secret", "AUTH", "x-api-key", "MYSQL_PWD", "BRAVE_API_KEY", "PAT"}
	no := []string{"PATH", "HOME", "MAX_TOKENS", "TOKEN_URL", "API_KEY_FILE", "AUTH_HOST", "GITHUB_USERNAME", "KEYBOARD", "DEBUG", "PORT"}
	for _, n := range yes {
		if !IsCredentialName(n) {
			t.Errorf("%s: not a credential name", n)
		}
	}
	for _, n := range no {
		if IsCredentialName(n) {
			t.Errorf("%s: counted as a credential name", n)
		}
	}
}
