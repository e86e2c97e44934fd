package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// npmToken is a format-valid, fake npm token (never live).
const npmToken = "npm_Kp9Lm2Xq7Rt4Vw8Nb3Jh6Gf1Dz5Sa0QeT4uV"

// settingsWithToken is a .claude/settings.local.json whose "always
// allow" rule saved a command line with a token.
var settingsWithToken = `{
  "permissions": {
    "allow": [
      "Bash(git push https://x-access-token:` + ghToken + `@github.com/acme/app.git:*)",
      "Bash(npm test:*)"
    ]
  }
}
`

// tgz builds an npm tarball (members under package/) in memory.
func tgz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: "package/" + name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// fakeRegistry serves packages like registry.npmjs.org: the package
// document at /<name> (scoped: /@scope%2fname) and tarballs at
// /<name>/-/<file>.tgz. A package named "tampered" serves a tarball that
// does not match its integrity digest.
func fakeRegistry(t *testing.T) *httptest.Server {
	t.Helper()
	pkgs := map[string]map[string][]byte{
		"leaky": {
			"1.0.0": tgz(t, map[string]string{"package.json": `{"name":"leaky","version":"1.0.0"}`, "index.js": "module.exports = 1\n"}),
			"1.1.0": tgz(t, map[string]string{
				"package.json":                `{"name":"leaky","version":"1.1.0"}`,
				"index.js":                    "module.exports = 1\n",
				".claude/settings.local.json": settingsWithToken,
				".env":                        "NPM_TOKEN=" + npmToken + "\n",
			}),
		},
		"@acme/clean": {"2.0.0": tgz(t, map[string]string{"package.json": `{"name":"@acme/clean"}`, "README.md": "# clean\n"})},
		"tampered":    {"1.0.0": tgz(t, map[string]string{"package.json": `{}`})},
	}
	latest := map[string]string{"leaky": "1.1.0", "@acme/clean": "2.0.0", "tampered": "1.0.0"}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.Replace(r.URL.EscapedPath(), "%2f", "/", 1)
		p = strings.Replace(p, "%2F", "/", 1)
		p = strings.TrimPrefix(p, "/")
		if name, file, ok := strings.Cut(p, "/-/"); ok {
			for v, data := range pkgs[name] {
				if file == tarballBase(name, v) {
					if name == "tampered" {
						data = append(append([]byte(nil), data...), 0)
					}
					w.Write(data)
					return
				}
			}
			http.NotFound(w, r)
			return
		}
		versions, ok := pkgs[p]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":"Not found"}`))
			return
		}
		doc := map[string]any{"name": p, "dist-tags": map[string]string{"latest": latest[p]}}
		vs := map[string]any{}
		for v, data := range versions {
			sum := sha512.Sum512(data)
			vs[v] = map[string]any{"name": p, "version": v, "dist": map[string]string{
				"tarball":   srv.URL + "/" + p + "/-/" + tarballBase(p, v),
				"integrity": "sha512-" + base64.StdEncoding.EncodeToString(sum[:]),
			}}
		}
		doc["versions"] = vs
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func tarballBase(name, version string) string {
	if i := strings.IndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return name + "-" + version + ".tgz"
}

// useRegistry points npm configuration at srv, with no user .npmrc; with
// noNPM, npm is hidden from PATH so that the registry's JSON is read
// directly.
func useRegistry(t *testing.T, srv *httptest.Server, noNPM bool) {
	t.Helper()
	t.Setenv("npm_config_registry", srv.URL+"/")
	empty := filepath.Join(t.TempDir(), "npmrc")
	os.WriteFile(empty, nil, 0o600)
	t.Setenv("NPM_CONFIG_USERCONFIG", empty)
	t.Setenv("npm_config_cache", t.TempDir())
	t.Setenv("npm_config_update_notifier", "false")
	t.Setenv("npm_execpath", "")
	if noNPM {
		t.Setenv("PATH", t.TempDir())
	}
}

type jsonReport struct {
	Findings []struct {
		RuleID   string `json:"rule_id"`
		Severity string `json:"severity"`
		Path     string `json:"path"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Secret   string `json:"secret"`
	} `json:"findings"`
	Errors []struct {
		Path  string `json:"path"`
		Error string `json:"error"`
	} `json:"errors"`
}

func parseReport(t *testing.T, out string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, out)
	}
	return r
}

func (r jsonReport) has(path, rule string) bool {
	for _, f := range r.Findings {
		if f.Path == path && f.RuleID == rule {
			return true
		}
	}
	return false
}

func testNPMSpecs(t *testing.T, noNPM bool) {
	srv := fakeRegistry(t)
	useRegistry(t, srv, noNPM)

	code, out, errOut := mcpscan(t, "--format", "json", "npm:leaky")
	if code != exitFindings {
		t.Fatalf("npm:leaky: exit %d\n%s\n%s", code, out, errOut)
	}
	r := parseReport(t, out)
	settings := "npm:leaky@1.1.0!package/.claude/settings.local.json"
	for _, want := range [][2]string{
		{settings, "agent-artifact-claude-settings"},
		{settings, "github-pat"},
		{"npm:leaky@1.1.0!package/.env", "agent-artifact-env-file"},
		{"npm:leaky@1.1.0!package/.env", "npm-access-token"},
	} {
		if !r.has(want[0], want[1]) {
			t.Errorf("npm:leaky: no %s in %s\n%s", want[1], want[0], out)
		}
	}
	for _, f := range r.Findings {
		if f.Path == settings && f.RuleID == "github-pat" && (f.Line != 4 || f.Column != 45) {
			t.Errorf("github-pat at %d:%d, want 4:45", f.Line, f.Column)
		}
		if strings.Contains(f.Secret, ghToken) || strings.Contains(f.Secret, npmToken) {
			t.Errorf("unredacted secret in the report")
		}
	}

	if !noNPM {
		// npm view takes half a second a call: the rest is the same code.
		code, _, errOut = mcpscan(t, "npm:no-such-package")
		if code != exitError || !strings.Contains(errOut, "no-such-package") {
			t.Errorf("missing package: exit %d, stderr %q", code, errOut)
		}
		return
	}
	code, out, errOut = mcpscan(t, "--format", "json", "npm:leaky@1.0.0", "npm:@acme/clean")
	if code != exitClean || len(parseReport(t, out).Findings) != 0 {
		t.Errorf("clean versions: exit %d\n%s\n%s", code, out, errOut)
	}

	code, _, errOut = mcpscan(t, "npm:no-such-package")
	if code != exitError || !strings.Contains(errOut, "no-such-package") {
		t.Errorf("missing package: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = mcpscan(t, "npm:leaky@9.9.9")
	if code != exitError || !strings.Contains(errOut, "9.9.9") {
		t.Errorf("missing version: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = mcpscan(t, "npm:../../etc")
	if code != exitError || !strings.Contains(errOut, "not an npm package name") {
		t.Errorf("bad name: exit %d, stderr %q", code, errOut)
	}

	// A registry-wide audit: per-package errors, the rest is scanned.
	list := filepath.Join(t.TempDir(), "specs.txt")
	os.WriteFile(list, []byte("# audit\nleaky\nnpm:leaky@1.0.0\nno-such-package\n\n@acme/clean@2.0.0\ntampered\n"), 0o644)
	code, out, errOut = mcpscan(t, "--format", "json", "--from-file", list)
	if code != exitFindings {
		t.Fatalf("--from-file: exit %d\n%s\n%s", code, out, errOut)
	}
	r = parseReport(t, out)
	if !r.has(settings, "github-pat") {
		t.Errorf("--from-file: leaky not scanned\n%s", out)
	}
	errs := map[string]string{}
	for _, e := range r.Errors {
		errs[e.Path] = e.Error
	}
	if !strings.Contains(errs["npm:no-such-package"], "not found") && !strings.Contains(errs["npm:no-such-package"], "Not Found") {
		t.Errorf("--from-file: no per-package error for the missing package: %v", errs)
	}
	if !strings.Contains(errs["npm:tampered@1.0.0"], "integrity") {
		t.Errorf("--from-file: no integrity error for the tampered tarball: %v", errs)
	}

	// Only clean packages, one that does not resolve: not a clean scan.
	clean := filepath.Join(t.TempDir(), "clean.txt")
	os.WriteFile(clean, []byte("@acme/clean@2.0.0\nno-such-package\n"), 0o644)
	code, out, errOut = mcpscan(t, "--format", "json", "--from-file", clean)
	if code != exitError || !strings.Contains(out, `"complete": false`) || !strings.Contains(errOut, "scan incomplete") {
		t.Errorf("--from-file with an unresolvable package: exit %d\n%s", code, errOut)
	}
	if code, _, _ := mcpscan(t, "--allow-incomplete", "--from-file", clean); code != exitClean {
		t.Errorf("--allow-incomplete: exit %d", code)
	}
}

// TestNPMSpecsRegistryJSON scans npm: specs without npm, reading the
// registry's JSON (from a local fake registry: no network).
func TestNPMSpecsRegistryJSON(t *testing.T) { testNPMSpecs(t, true) }

// TestNPMSpecsWithNPM resolves specs with `npm view`, against the same
// fake registry.
func TestNPMSpecsWithNPM(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not on PATH: resolving with `npm view` is not tested (CI has npm)")
	}
	if testing.Short() {
		t.Skip("runs npm; skipped with -short")
	}
	testNPMSpecs(t, false)
}
