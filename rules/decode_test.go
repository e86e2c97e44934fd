package rules_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestDecodeBase64(t *testing.T) {
	for in, want := range map[string]string{
		b64("S!B\\*d$zDsb="):                                         "S!B\\*d$zDsb=",
		strings.TrimRight(b64("admin:x"), "="):                       "admin:x", // unpadded
		base64.URLEncoding.EncodeToString([]byte("a?b>c~d")):         "a?b>c~d",
		b64("line1\nline2\n")[:8] + "\n" + b64("line1\nline2\n")[8:]: "line1\nline2\n", // wrapped
	} {
		if got, ok := rules.DecodeBase64(in); !ok || got != want {
			t.Errorf("DecodeBase64(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "not base64!", b64("\x00\x01\x02binary\xff")} {
		if got, ok := rules.DecodeBase64(in); ok {
			t.Errorf("DecodeBase64(%q) = %q, want failure", in, got)
		}
	}
}

func TestDecodeBasicAuth(t *testing.T) {
	pat := body(alnum, 52, 50)
	for in, want := range map[string][2]string{
		b64("deploy:Xk9-mQ2vLr7pT"):               {"deploy", "Xk9-mQ2vLr7pT"},
		"Basic " + b64("a@b.c:Xk9:mQ2v"):          {"a@b.c", "Xk9:mQ2v"},
		"basic " + b64(":"+pat):                   {"", pat}, // Azure DevOps PAT
		strings.TrimRight(b64("u:p4ssw0rd"), "="): {"u", "p4ssw0rd"},
	} {
		u, p, ok := rules.DecodeBasicAuth(in)
		if !ok || u != want[0] || p != want[1] {
			t.Errorf("DecodeBasicAuth(%q) = %q %q %v, want %q", in, u, p, ok, want)
		}
	}
	for _, in := range []string{b64("no-colon"), b64("user:"), b64("a:b\nc"), "!!!", ""} {
		if _, _, ok := rules.DecodeBasicAuth(in); ok {
			t.Errorf("DecodeBasicAuth(%q) ok", in)
		}
	}
}

func TestDockerConfigAuths(t *testing.T) {
	ghcr := "ghp_" + fakeBody(36)
	pw := "Xk9mQ2vLr7pTzW3n"
	doc := `{"auths": {"ghcr.io": {"auth": "` + b64("octo:"+ghcr) + `"},
		"registry.example.io": {"username": "ci", "password": "` + pw + `"},
		"https://index.docker.io/v1/": {},
		"myregistry.azurecr.io": {"identitytoken": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"}},
		"credsStore": "desktop"}`
	got, err := rules.DockerConfigAuths([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []rules.DockerAuth{
		{Registry: "ghcr.io", Username: "octo", Secret: ghcr, Field: "auth", Value: b64("octo:" + ghcr)},
		{Registry: "myregistry.azurecr.io", Secret: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", Field: "identitytoken", Value: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"},
		{Registry: "registry.example.io", Username: "ci", Secret: pw, Field: "password", Value: pw},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	legacy, err := rules.DockerConfigAuths([]byte(`{"https://index.docker.io/v1/": {"auth": "` + b64("bob:"+pw) + `", "email": "bob@example.org"}}`))
	if err != nil || len(legacy) != 1 || legacy[0].Secret != pw {
		t.Errorf("legacy .dockercfg: %+v %v", legacy, err)
	}
	if _, err := rules.DockerConfigAuths([]byte(`{"auths": `)); err == nil {
		t.Error("broken JSON: no error")
	}
}

// TestDecodeSecretData: Kubernetes Secret data values decode to text the
// matcher finds the decoded kind in.
func TestDecodeSecretData(t *testing.T) {
	gh := "ghp_" + fakeBody(36)
	d, ok := rules.DecodeSecretData("token", b64(gh))
	if !ok || d.Decoded != gh || !d.Credential {
		t.Fatalf("token: %+v %v", d, ok)
	}
	if hits := scanText(t, d.ScanText); len(hits) != 1 || hits[0].Rule.ID != "github-pat" || hits[0].Secret != gh {
		t.Errorf("scan of %q: %+v", d.ScanText, hits)
	}
	pw := "S!B\\*d$zDsb="
	if d, ok := rules.DecodeSecretData("password", b64(pw)); !ok || !d.Credential || d.ScanText != "password: "+pw {
		t.Errorf("password: %+v", d)
	}
	if d, ok := rules.DecodeSecretData("username", b64("admin")); !ok || d.Credential {
		t.Errorf("username: %+v", d)
	}
	if d, ok := rules.DecodeSecretData("password", b64("${DB_PASSWORD}")); !ok || d.Credential {
		t.Errorf("reference: %+v", d)
	}
	cfg := `{"auths":{"ghcr.io":{"auth":"` + b64("octo:"+gh) + `"}}}`
	if d, ok := rules.DecodeSecretData(".dockerconfigjson", b64(cfg)); !ok || len(d.Docker) != 1 || d.Docker[0].Secret != gh {
		t.Errorf(".dockerconfigjson: %+v", d)
	}
	if _, ok := rules.DecodeSecretData("keystore.jks", b64("\xfe\xed\xfe\xed\x00\x00\x00\x02")); ok {
		t.Error("binary data decoded as text")
	}
}
