package scanner_test

import (
	"encoding/base64"
	"testing"

	"github.com/mcpscan/mcpscan/scanner"
)

// TestEncodedSecrets: base64 wrappings get the rule of what they hold, at
// the encoded place (issue: detection depth).
func TestEncodedSecrets(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	dir := t.TempDir()
	write(t, dir, "k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\ntype: Opaque\ndata:\n  token: "+b64(ghToken)+"\n")
	write(t, dir, "notes.md", "curl -H 'Authorization: Basic "+b64("deploy:"+ghToken)+"' https://api.example.com\n")
	write(t, dir, "docker/config.json", `{"auths": {"ghcr.io": {"auth": "`+b64("bot:"+ghToken)+`"}}}`)
	res := run(t, scanner.Options{}, scanner.Root{Path: dir})
	got := map[string]string{}
	for _, f := range res.Findings {
		got[f.Path()[len(dir)+1:]] = f.RuleID
	}
	for file, want := range map[string]string{"k8s/secret.yaml": "github-pat", "notes.md": "github-pat", "docker/config.json": "github-pat"} {
		if got[file] != want {
			t.Errorf("%s: %q, want %q (all: %v)", file, got[file], want, got)
		}
	}
}

// TestPathOnlyRules: gitleaks' pkcs12-file is a rule on the path alone:
// the binary file is a finding whatever it holds, with no line.
func TestPathOnlyRules(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "certs/client.p12", "\x30\x82\x0a\x00\x02\x01\x03binary")
	res := run(t, scanner.Options{}, scanner.Root{Path: dir})
	if len(res.Findings) != 1 || res.Findings[0].RuleID != "pkcs12-file" || res.Findings[0].Line != 0 {
		t.Errorf("findings %+v", res.Findings)
	}
}
