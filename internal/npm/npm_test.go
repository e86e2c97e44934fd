package npm

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestParseSpec(t *testing.T) {
	for in, want := range map[string]Spec{
		"npm:is-number":          {Name: "is-number"},
		"is-number@7.0.0":        {Name: "is-number", Version: "7.0.0"},
		"npm:@scope/pkg":         {Name: "@scope/pkg"},
		"npm:@scope/pkg@^1.2":    {Name: "@scope/pkg", Version: "^1.2"},
		"npm:pkg@next":           {Name: "pkg", Version: "next"},
		"npm:pkg@>=1 <2":         {Name: "pkg", Version: ">=1 <2"},
		"npm:JSONStream@1.3.5":   {Name: "JSONStream", Version: "1.3.5"},
		"npm:lodash.merge@4.6.2": {Name: "lodash.merge", Version: "4.6.2"},
	} {
		got, err := ParseSpec(in)
		if err != nil || got != want {
			t.Errorf("ParseSpec(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"npm:", "npm:../etc", "npm:-rf", "npm:a b", "npm:pkg@", "npm:pkg@-x", "npm:@scope", "npm:.hidden", "npm:a/b/c", "npm:pkg@1;rm"} {
		if s, err := ParseSpec(bad); err == nil {
			t.Errorf("ParseSpec(%q) = %+v, want an error", bad, s)
		}
	}
}

func TestParsePack(t *testing.T) {
	out := `[{"id":"x@1.0.0","files":[{"path":".claude/settings.local.json","size":3,"mode":420},{"path":"index.js","size":2,"mode":420}]}]`
	files, err := parsePack([]byte(out))
	if err != nil || len(files) != 2 || files[0].Path != ".claude/settings.local.json" || files[1].Size != 2 {
		t.Fatalf("%+v %v", files, err)
	}
	for _, bad := range []string{`{"error":{}}`, `[]`, `not json`, `[{"files":[{"path":"../x"}]}]`, `[{"files":[{"path":"/etc/passwd"}]}]`} {
		if _, err := parsePack([]byte(bad)); err == nil {
			t.Errorf("parsePack(%s): want an error", bad)
		}
	}
}

func TestNpmrc(t *testing.T) {
	dir := t.TempDir()
	user := filepath.Join(dir, "user-npmrc")
	os.WriteFile(user, []byte("registry=https://user.example/\n//npm.acme.test/:_authToken=${ACME_TOKEN}\n"), 0o600)
	proj := filepath.Join(dir, "proj")
	os.MkdirAll(proj, 0o755)
	os.WriteFile(filepath.Join(proj, ".npmrc"), []byte("; project\n@acme:registry=https://npm.acme.test/\n//npm.acme.test/private/:_auth=dXNlcjpwYXNz\n"), 0o600)
	env := map[string]string{"NPM_CONFIG_USERCONFIG": user, "ACME_TOKEN": "tok123"}
	c := loadNpmrc(proj, func(k string) string { return env[k] })
	if got := c.registryFor("@acme/x"); got != "https://npm.acme.test/" {
		t.Errorf("scoped registry %q", got)
	}
	if got := c.registryFor("lodash"); got != "https://user.example/" {
		t.Errorf("registry %q", got)
	}
	for u, want := range map[string]string{
		"https://npm.acme.test/@acme/x/-/x-1.0.0.tgz":   "Bearer tok123",
		"https://npm.acme.test/private/x/-/x-1.tgz":     "Basic dXNlcjpwYXNz",
		"https://other.test/x/-/x-1.0.0.tgz":            "",
		"http://npm.acme.test/@acme/x/-/x-1.0.0.tgz":    "", // never over plain http
		"https://npm.acme.test.evil.test/x/-/x-1.tgz":   "",
		"https://evil.test/npm.acme.test/x/-/x-1.tgz":   "",
		"https://npm.acme.test/privateer/x/-/x-1.tgz":   "Bearer tok123",
		"https://npm.acme.test/private/../x/-/x-1.tgz":  "Bearer tok123", // not under /private/ once cleaned
		"https://NPM.Acme.Test:443/private/x/-/x-1.tgz": "Basic dXNlcjpwYXNz",
		"https://npm.acme.test:8443/x/-/x-1.0.0.tgz":    "", // another port: another origin
	} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		c.authorize(req)
		if got := req.Header.Get("Authorization"); got != want {
			t.Errorf("%s: Authorization %q, want %q", u, got, want)
		}
	}
	env["npm_config_registry"] = "https://env.example/"
	if got := loadNpmrc(proj, func(k string) string { return env[k] }).registryFor("lodash"); got != "https://env.example/" {
		t.Errorf("npm_config_registry: %q", got)
	}
}

func TestRegistryJSONAndIntegrity(t *testing.T) {
	tarball := []byte("\x1f\x8b fake tarball bytes")
	sum := sha512.Sum512(tarball)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.EscapedPath() {
		case "/@acme%2fx":
			if r.Header.Get("Authorization") != "Bearer tok" {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
			io.WriteString(w, `{"dist-tags":{"latest":"1.0.0","next":"2.0.0-rc.1"},"versions":{
				"1.0.0":{"version":"1.0.0","dist":{"tarball":"`+srv.URL+`/@acme/x/-/x-1.0.0.tgz","integrity":"sha512-`+base64.StdEncoding.EncodeToString(sum[:])+`"}},
				"2.0.0-rc.1":{"version":"2.0.0-rc.1","dist":{"tarball":"`+srv.URL+`/@acme/x/-/x-2.0.0-rc.1.tgz","shasum":"0000000000000000000000000000000000000000"}}}}`)
		case "/@acme/x/-/x-1.0.0.tgz", "/@acme/x/-/x-2.0.0-rc.1.tgz":
			w.Write(tarball)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	rc := filepath.Join(t.TempDir(), "npmrc")
	host := strings.TrimPrefix(srv.URL, "http://")
	os.WriteFile(rc, []byte("@acme:registry="+srv.URL+"/\n//"+host+"/:_authToken=tok\n"), 0o600)
	reg := &Registry{Dir: t.TempDir(), Getenv: func(k string) string {
		if k == "NPM_CONFIG_USERCONFIG" {
			return rc
		}
		return ""
	}}
	ctx := context.Background()

	d, err := reg.Resolve(ctx, Spec{Name: "@acme/x"})
	if err != nil || d.Version != "1.0.0" || d.TarballName() != "x-1.0.0.tgz" {
		t.Fatalf("latest: %+v %v", d, err)
	}
	body, size, err := reg.Open(ctx, d)
	if err != nil || size != int64(len(tarball)) {
		t.Fatalf("open: %d %v", size, err)
	}
	if got, err := io.ReadAll(body); err != nil || string(got) != string(tarball) {
		t.Errorf("body: %q %v", got, err)
	}
	body.Close()

	d, err = reg.Resolve(ctx, Spec{Name: "@acme/x", Version: "next"})
	if err != nil || d.Version != "2.0.0-rc.1" {
		t.Fatalf("next: %+v %v", d, err)
	}
	body, _, err = reg.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(body); err == nil || !strings.Contains(err.Error(), "integrity") {
		t.Errorf("wrong shasum: err %v", err)
	}
	body.Close()

	if _, err := reg.Resolve(ctx, Spec{Name: "@acme/x", Version: "^1"}); err == nil || !strings.Contains(err.Error(), "only exact versions and dist-tags") {
		t.Errorf("range without npm: %v", err)
	}
	if _, err := reg.Resolve(ctx, Spec{Name: "@acme/missing"}); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("missing: %v", err)
	}
}

// TestRedirectCredentials checks that a registry token never follows a
// redirect to another origin (another port of the same host included),
// that it follows a redirect within its origin, and that a redirect
// target gets the credential configured for its own URL, if any.
func TestRedirectCredentials(t *testing.T) {
	seen := map[string]string{} // server → Authorization it received
	var mu sync.Mutex
	record := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[name+" "+r.URL.Path] = r.Header.Get("Authorization")
			mu.Unlock()
			io.WriteString(w, "tarball")
		}
	}
	other := httptest.NewServer(record("other"))
	defer other.Close()
	scoped := httptest.NewServer(record("scoped"))
	defer scoped.Close()
	var reg *httptest.Server
	reg = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-other":
			http.Redirect(w, r, other.URL+"/x.tgz", http.StatusFound)
		case "/to-scoped":
			http.Redirect(w, r, scoped.URL+"/team/x.tgz", http.StatusFound)
		case "/to-self":
			http.Redirect(w, r, reg.URL+"/self.tgz", http.StatusFound)
		default:
			record("registry")(w, r)
		}
	}))
	defer reg.Close()
	host := func(u string) string { return strings.TrimPrefix(u, "http://") }
	rc := filepath.Join(t.TempDir(), "npmrc")
	os.WriteFile(rc, []byte("//"+host(reg.URL)+"/:_authToken=regtok\n//"+host(scoped.URL)+"/team/:_authToken=teamtok\n"), 0o600)
	r := &Registry{Dir: t.TempDir(), Getenv: func(k string) string {
		if k == "NPM_CONFIG_USERCONFIG" {
			return rc
		}
		return ""
	}}
	for _, p := range []string{"/to-other", "/to-scoped", "/to-self"} {
		body, _, err := r.Open(context.Background(), Dist{Name: "x", Version: "1.0.0", Tarball: reg.URL + p})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		io.ReadAll(body)
		body.Close()
	}
	want := map[string]string{
		"other /x.tgz":       "",
		"scoped /team/x.tgz": "Bearer teamtok",
		"registry /self.tgz": "Bearer regtok",
	}
	for k, v := range want {
		if got, ok := seen[k]; !ok || got != v {
			t.Errorf("%s: Authorization %q (requested: %v), want %q", k, got, ok, v)
		}
	}
}
