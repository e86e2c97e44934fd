// Package npmdist_test checks mcpscan's npm distribution: the packages
// that scripts/npm-packages.sh builds from the templates in this
// directory install without network and run, the launcher finds the
// platform package's binary (or says why not) and passes arguments, exit
// status and signals through, and `"prepublishOnly": "mcpscan pack"`
// stops `npm publish` of a package that would ship .claude/.
//
// The tests need node and npm and skip without them; the ones that build
// the packages (for this machine's platform only) also skip with -short.
package npmdist_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const repoRoot = ".."

// A format-valid, fake GitHub token (never live), split so that secret
// scanners do not flag this file.
var fakeToken = "ghp_" + "R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"

// The version the test packages are built with (a valid prerelease).
const testVersion = "0.0.0-test.1"

func needNode(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s on PATH: the npm distribution is not tested", tool)
		}
	}
}

// hostPlatform is npm's name of this machine's platform (linux-x64 …).
func hostPlatform() string {
	osName := runtime.GOOS
	if osName == "windows" {
		osName = "win32"
	}
	cpu := runtime.GOARCH
	if cpu == "amd64" {
		cpu = "x64"
	}
	return osName + "-" + cpu
}

// platforms are the optionalDependencies of the launcher package's
// template: the supported platforms.
func platforms(t *testing.T) []string {
	t.Helper()
	var pkg struct {
		OptionalDependencies map[string]string `json:"optionalDependencies"`
	}
	b, err := os.ReadFile(filepath.Join("mcpscan", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	var out []string
	for name := range pkg.OptionalDependencies {
		out = append(out, strings.TrimPrefix(name, "@mcpscan/cli-"))
	}
	return out
}

type built struct {
	dir      string // holds the .tgz files
	main     string // mcpscan-<version>.tgz
	platform string // mcpscan-cli-<host>-<version>.tgz
}

var buildOnce = sync.OnceValues(func() (built, error) {
	dir, err := os.MkdirTemp("", "mcpscan-npm-test-")
	if err != nil {
		return built{}, err
	}
	cmd := exec.Command("bash", filepath.Join("scripts", "npm-packages.sh"), "--platforms", "host", "--version", testVersion, dir)
	cmd.Dir = repoRoot
	cmd.Env = npmEnv(dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return built{dir: dir}, errors.New("scripts/npm-packages.sh: " + err.Error() + "\n" + string(out))
	}
	b := built{
		dir:      dir,
		main:     filepath.Join(dir, "mcpscan-"+testVersion+".tgz"),
		platform: filepath.Join(dir, "mcpscan-cli-"+hostPlatform()+"-"+testVersion+".tgz"),
	}
	for _, f := range []string{b.main, b.platform} {
		if _, err := os.Stat(f); err != nil {
			entries, _ := os.ReadDir(dir)
			return b, errors.New("scripts/npm-packages.sh did not write " + filepath.Base(f) + "; it wrote " + names(entries))
		}
	}
	return b, nil
})

func names(entries []os.DirEntry) string {
	var s []string
	for _, e := range entries {
		s = append(s, e.Name())
	}
	return strings.Join(s, ", ")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if b, _ := buildOnce(); b.dir != "" {
		os.RemoveAll(b.dir)
	}
	os.Exit(code)
}

// packages builds the launcher package and this platform's package (once).
func packages(t *testing.T) built {
	t.Helper()
	needNode(t)
	if testing.Short() {
		t.Skip("builds mcpscan and its npm packages; skipped with -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	supported := false
	for _, p := range platforms(t) {
		supported = supported || p == hostPlatform()
	}
	if !supported {
		t.Skipf("no npm package for this platform (%s)", hostPlatform())
	}
	b, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// npmEnv is an environment in which npm reads no user configuration,
// writes its cache under dir and never reaches a real registry.
func npmEnv(dir string, extra ...string) []string {
	env := []string{}
	for _, e := range os.Environ() {
		if k, _, _ := strings.Cut(e, "="); !strings.HasPrefix(strings.ToLower(k), "npm_config_") && k != "MCPSCAN_BINARY_PATH" {
			env = append(env, e)
		}
	}
	userconfig := filepath.Join(dir, "npmrc")
	_ = os.WriteFile(userconfig, nil, 0o600)
	return append(env, append([]string{
		"npm_config_userconfig=" + userconfig,
		"npm_config_cache=" + filepath.Join(dir, "npm-cache"),
		"npm_config_registry=http://127.0.0.1:9/", // the discard port: nothing listens
		"npm_config_update_notifier=false",
		"npm_config_fund=false",
		"npm_config_audit=false",
		"npm_config_loglevel=warn",
	}, extra...)...)
}

// run runs name with args in dir and returns the exit code and the
// combined output.
func run(t *testing.T, dir string, env []string, name string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &ee):
		return ee.ExitCode(), string(out)
	default:
		t.Fatalf("%s %v: %v", name, args, err)
		return -1, ""
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOfflineInstall installs the launcher and this platform's tarballs
// into a new project with `npm install --offline`, runs `npx mcpscan
// --version`, then checks that `"prepublishOnly": "mcpscan pack"` blocks
// `npm publish --dry-run` while the package would ship .claude/, and lets
// it through once "files" keeps .claude/ out.
func TestOfflineInstall(t *testing.T) {
	b := packages(t)
	proj := t.TempDir()
	env := npmEnv(t.TempDir(), "npm_config_offline=true")
	writeJSON(t, filepath.Join(proj, "package.json"), map[string]any{"name": "leaky-demo", "version": "1.0.0"})
	if code, out := run(t, proj, env, "npm", "install", "--offline", "--save-dev", b.main, b.platform); code != 0 {
		t.Fatalf("npm install --offline: exit %d\n%s", code, out)
	}
	code, out := run(t, proj, env, "npx", "--offline", "mcpscan", "--version")
	if code != 0 || !strings.Contains(out, "mcpscan version "+testVersion+" (commit ") {
		t.Fatalf("npx mcpscan --version: exit %d\n%s", code, out)
	}
	// The launcher's optional dependency is the local platform package.
	if code, out := run(t, proj, env, "npm", "ls", "--all", "--offline"); code != 0 || !strings.Contains(out, "@mcpscan/cli-"+hostPlatform()+"@"+testVersion+" deduped") {
		t.Errorf("npm ls: exit %d, want mcpscan's optional dependency on the installed platform package\n%s", code, out)
	}

	// A package that would ship .claude/settings.local.json with a token
	// saved by "always allow".
	for rel, content := range map[string]string{
		"index.js":                    "module.exports = () => process.env.GITHUB_TOKEN\n",
		".claude/settings.local.json": `{"permissions":{"allow":["Bash(gh auth login --with-token ` + fakeToken + `)"]}}` + "\n",
	} {
		p := filepath.Join(proj, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pkg := map[string]any{}
	raw, _ := os.ReadFile(filepath.Join(proj, "package.json"))
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	pkg["scripts"] = map[string]string{"prepublishOnly": "mcpscan pack"}
	writeJSON(t, filepath.Join(proj, "package.json"), pkg)

	code, out = run(t, proj, env, "npm", "publish", "--dry-run", "--offline")
	if code == 0 || !strings.Contains(out, "github-pat") || !strings.Contains(out, ".claude/settings.local.json") || strings.Contains(out, "+ leaky-demo@1.0.0") {
		t.Errorf("npm publish --dry-run of a package shipping .claude/: exit %d, want a refusal naming the file and the finding\n%s", code, out)
	}
	if strings.Contains(out, fakeToken) {
		t.Errorf("the publish output holds the raw token")
	}

	pkg["files"] = []string{"index.js"}
	writeJSON(t, filepath.Join(proj, "package.json"), pkg)
	if code, out := run(t, proj, env, "npm", "publish", "--dry-run", "--offline"); code != 0 || !strings.Contains(out, "leaky-demo@1.0.0") {
		t.Errorf(`npm publish --dry-run with "files": ["index.js"]: exit %d, want 0`+"\n%s", code, out)
	}
}

// TestRegistryInstall publishes the packages to a registry on loopback
// (packuments for every platform, a tarball for this one) and installs
// `mcpscan` alone, as users do: npm picks this platform's package by its
// os and cpu, records every platform in the lockfile, and the command runs.
func TestRegistryInstall(t *testing.T) {
	b := packages(t)
	reg := newRegistry()
	reg.add(t, b.main)
	reg.add(t, b.platform)
	for _, p := range platforms(t) {
		if p != hostPlatform() {
			osName, cpu, _ := strings.Cut(p, "-")
			reg.addManifest(map[string]any{"name": "@mcpscan/cli-" + p, "version": testVersion, "os": []string{osName}, "cpu": []string{cpu}}, "", "")
		}
	}
	srv := httptest.NewServer(reg)
	defer srv.Close()
	reg.base = srv.URL

	proj := t.TempDir()
	env := npmEnv(t.TempDir(), "npm_config_registry="+srv.URL+"/")
	writeJSON(t, filepath.Join(proj, "package.json"), map[string]any{"name": "app", "version": "1.0.0", "private": true})
	if code, out := run(t, proj, env, "npm", "install", "--save-dev", "mcpscan"); code != 0 {
		t.Fatalf("npm install -D mcpscan: exit %d\n%s", code, out)
	}
	if code, out := run(t, proj, env, "npx", "mcpscan", "--version"); code != 0 || !strings.Contains(out, testVersion) {
		t.Fatalf("npx mcpscan --version: exit %d\n%s", code, out)
	}
	var lock struct {
		Packages map[string]struct {
			Version  string   `json:"version"`
			Optional bool     `json:"optional"`
			OS       []string `json:"os"`
			CPU      []string `json:"cpu"`
		} `json:"packages"`
	}
	raw, err := os.ReadFile(filepath.Join(proj, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &lock); err != nil {
		t.Fatal(err)
	}
	for _, p := range platforms(t) {
		e, ok := lock.Packages["node_modules/@mcpscan/cli-"+p]
		if !ok || !e.Optional || e.Version != testVersion || len(e.OS) != 1 || len(e.CPU) != 1 {
			t.Errorf("package-lock.json: @mcpscan/cli-%s: %+v (present %v); want an optional entry with os and cpu, so that the lockfile works on every platform", p, e, ok)
		}
	}
	for _, p := range platforms(t) {
		_, err := os.Stat(filepath.Join(proj, "node_modules", "@mcpscan", "cli-"+p))
		if installed := err == nil; installed != (p == hostPlatform()) {
			t.Errorf("@mcpscan/cli-%s installed: %v", p, installed)
		}
	}
	if got := reg.tarballGets(); got != 2 {
		t.Errorf("npm fetched %d tarballs, want 2 (the launcher and this platform's)", got)
	}
}

// registry is a minimal npm registry: packuments by name, tarballs by path.
type registry struct {
	mu        sync.Mutex
	base      string
	packs     map[string]map[string]map[string]any // name -> version -> manifest
	tarballs  map[string][]byte                    // "/-/file.tgz" -> bytes
	tarballsN int
}

func newRegistry() *registry {
	return &registry{packs: map[string]map[string]map[string]any{}, tarballs: map[string][]byte{}}
}

// add serves the npm tarball at path, with the manifest it holds.
func (r *registry) add(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	manifest := packageJSON(t, data)
	sum := sha512.Sum512(data)
	sha := sha1.Sum(data)
	r.tarballs["/-/"+filepath.Base(path)] = data
	r.addManifest(manifest, "/-/"+filepath.Base(path), "sha512-"+base64.StdEncoding.EncodeToString(sum[:])+" "+hex.EncodeToString(sha[:]))
}

// addManifest adds a version; tarball "" is one that 404s.
func (r *registry) addManifest(m map[string]any, tarball, integrity string) {
	name := m["name"].(string)
	if r.packs[name] == nil {
		r.packs[name] = map[string]map[string]any{}
	}
	integ, shasum, _ := strings.Cut(integrity, " ")
	if tarball == "" {
		tarball = "/-/missing-" + strings.ReplaceAll(name, "/", "-") + ".tgz"
	}
	m["_tarballPath"] = tarball
	m["_integrity"], m["_shasum"] = integ, shasum
	r.packs[name][m["version"].(string)] = m
}

func (r *registry) tarballGets() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tarballsN
}

func (r *registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if data, ok := r.tarballs[req.URL.Path]; ok {
		r.mu.Lock()
		r.tarballsN++
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(data)
		return
	}
	name, _ := url.PathUnescape(strings.TrimPrefix(req.URL.EscapedPath(), "/"))
	versions, ok := r.packs[name]
	if !ok {
		http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
		return
	}
	doc := map[string]any{"name": name, "versions": map[string]any{}, "dist-tags": map[string]string{}}
	for v, m := range versions {
		out := map[string]any{}
		for k, val := range m {
			if !strings.HasPrefix(k, "_") {
				out[k] = val
			}
		}
		dist := map[string]any{"tarball": r.base + m["_tarballPath"].(string)}
		if m["_integrity"] != "" {
			dist["integrity"], dist["shasum"] = m["_integrity"], m["_shasum"]
		}
		out["dist"] = dist
		doc["versions"].(map[string]any)[v] = out
		doc["dist-tags"].(map[string]string)["latest"] = v
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(doc)
}

// tarEntry is one file of an npm tarball.
type tarEntry struct {
	mode int64
	data []byte
}

// untar returns the files of an npm tarball by name (package/…).
func untar(t *testing.T, tgz []byte) map[string]tarEntry {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	files := map[string]tarEntry{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = tarEntry{mode: h.Mode, data: data}
	}
}

// packageJSON returns package/package.json of an npm tarball.
func packageJSON(t *testing.T, tgz []byte) map[string]any {
	t.Helper()
	e, ok := untar(t, tgz)["package/package.json"]
	if !ok {
		t.Fatal("no package/package.json in the tarball")
	}
	m := map[string]any{}
	if err := json.Unmarshal(e.data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPlatformPackageContents: the platform package holds an executable
// binary for its platform, and its os and cpu name that platform; the
// launcher package ships no binary and pins every platform package to its
// own version.
func TestPlatformPackageContents(t *testing.T) {
	b := packages(t)
	data, err := os.ReadFile(b.platform)
	if err != nil {
		t.Fatal(err)
	}
	m := packageJSON(t, data)
	osName, cpu, _ := strings.Cut(hostPlatform(), "-")
	if m["name"] != "@mcpscan/cli-"+hostPlatform() || m["version"] != testVersion ||
		!equalJSON(m["os"], []string{osName}) || !equalJSON(m["cpu"], []string{cpu}) {
		t.Errorf("platform package.json: %v", m)
	}
	exe := "package/bin/mcpscan"
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	files := untar(t, data)
	if e, ok := files[exe]; !ok || e.mode&0o111 == 0 {
		t.Errorf("platform package: %s missing or not executable (files %v)", exe, files)
	}

	data, err = os.ReadFile(b.main)
	if err != nil {
		t.Fatal(err)
	}
	m = packageJSON(t, data)
	deps, _ := m["optionalDependencies"].(map[string]any)
	if len(deps) < 6 {
		t.Errorf("launcher optionalDependencies: %v", deps)
	}
	for name, v := range deps {
		if v != testVersion {
			t.Errorf("launcher: %s pinned to %v, want %s", name, v, testVersion)
		}
	}
	if _, ok := m["scripts"]; ok {
		t.Errorf("launcher package has scripts (no install scripts): %v", m["scripts"])
	}
	files = untar(t, data)
	want := []string{"package/package.json", "package/README.md", "package/bin/mcpscan"}
	for _, f := range want {
		if _, ok := files[f]; !ok {
			t.Errorf("launcher package lacks %s: %v", f, files)
		}
	}
	if len(files) > len(want)+1 { // + LICENSE, when there is one
		t.Errorf("launcher package ships more than the launcher: %v", files)
	}
}

func equalJSON(a any, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// launcher returns the launcher template's path (runs as it is: it reads
// ../package.json for the version and the platform list).
func launcher(t *testing.T) string {
	t.Helper()
	needNode(t)
	p, err := filepath.Abs(filepath.Join("mcpscan", "bin", "mcpscan"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLauncherWithoutPlatformPackage: with no platform package installed
// the launcher fails closed (exit 2, so a prepublishOnly hook stops the
// publish) and says what is missing and how to fix it.
func TestLauncherWithoutPlatformPackage(t *testing.T) {
	l := launcher(t)
	code, out := run(t, t.TempDir(), npmEnv(t.TempDir()), "node", l, "--version")
	want := "@mcpscan/cli-" + hostPlatform() + " is not installed"
	if !strings.Contains(strings.Join(platforms(t), " "), hostPlatform()) {
		want = "no mcpscan binary is published for " + hostPlatform()
	}
	if code != 2 || !strings.Contains(out, want) || !strings.Contains(out, "optional") {
		t.Errorf("exit %d, want 2 and %q\n%s", code, want, out)
	}
	code, out = run(t, t.TempDir(), npmEnv(t.TempDir(), "MCPSCAN_BINARY_PATH=/nonexistent/mcpscan"), "node", l)
	if code != 2 || !strings.Contains(out, "MCPSCAN_BINARY_PATH=/nonexistent/mcpscan: no such file") {
		t.Errorf("MCPSCAN_BINARY_PATH to a missing file: exit %d\n%s", code, out)
	}
}

// TestLauncherPassesThrough runs the launcher on a stand-in binary: the
// arguments (spaces, quotes, an empty one), standard input and output and
// the exit status pass through unchanged, and a SIGTERM sent to the
// launcher reaches the binary, whose death by the signal the launcher
// repeats.
func TestLauncherPassesThrough(t *testing.T) {
	l := launcher(t)
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in binary is a shell script")
	}
	dir := t.TempDir()
	stub := filepath.Join(dir, "mcpscan")
	script := `#!/bin/sh
for a in "$@"; do printf '<%s>' "$a"; done
printf '\n'
if [ "$1" = wait ]; then
  trap 'echo got-TERM > "$2"; trap - TERM; kill -TERM $$' TERM
  echo ready > "$2.ready"
  i=0; while [ "$i" -lt 400 ]; do sleep 0.05; i=$((i + 1)); done # 20 s at most, should the test fail
fi
cat
exit 3
`
	if err := os.WriteFile(stub, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	env := npmEnv(t.TempDir(), "MCPSCAN_BINARY_PATH="+stub)

	cmd := exec.Command("node", l, "pack", "a b", `"q"`, "", "--fail-on=high")
	cmd.Env = env
	cmd.Stdin = strings.NewReader("from stdin\n")
	out, err := cmd.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Errorf("exit: %v, want 3", err)
	}
	if want := "<pack><a b><\"q\"><><--fail-on=high>\nfrom stdin\n"; string(out) != want {
		t.Errorf("output %q, want %q", out, want)
	}

	marker := filepath.Join(dir, "signal")
	cmd = exec.Command("node", l, "wait", marker)
	cmd.Env = env
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(marker + ".ready"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("the stand-in binary did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the launcher did not exit after SIGTERM")
	}
	if b, _ := os.ReadFile(marker); strings.TrimSpace(string(b)) != "got-TERM" {
		t.Errorf("the binary did not get the SIGTERM sent to the launcher")
	}
	if !errors.As(err, &ee) {
		t.Fatalf("launcher after SIGTERM: %v", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("launcher after SIGTERM: %v, want death by SIGTERM", err)
	}
}

// fakeDist writes a GoReleaser-shaped dist/ under dir: artifacts.json with
// a Binary per platform (the "binary" is a file naming its platform) and,
// when version is not empty, metadata.json.
func fakeDist(t *testing.T, dir, version string) string {
	t.Helper()
	dist := filepath.Join(dir, "dist")
	var artifacts []map[string]any
	for _, p := range platforms(t) {
		osName, cpu, _ := strings.Cut(p, "-")
		goos, goarch, exe := osName, cpu, "mcpscan"
		if goos == "win32" {
			goos, exe = "windows", "mcpscan.exe"
		}
		a := map[string]any{"name": exe, "goos": goos, "type": "Binary"}
		target := goos + "_" + goarch
		switch goarch {
		case "x64":
			goarch, target = "amd64", goos+"_amd64_v1"
			a["goamd64"] = "v1"
		case "arm64":
			target += "_v8.0"
			a["goarm64"] = "v8.0"
		}
		a["goarch"], a["target"] = goarch, target
		rel := filepath.ToSlash(filepath.Join("dist", "mcpscan_"+target, exe))
		a["path"] = rel
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), []byte("binary for "+p+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		artifacts = append(artifacts, a)
		// An archive of the same platform, which must not be taken for the binary.
		artifacts = append(artifacts, map[string]any{"name": "mcpscan_" + target + ".tar.gz", "path": "dist/mcpscan_" + target + ".tar.gz", "goos": goos, "goarch": goarch, "type": "Archive"})
	}
	writeJSON(t, filepath.Join(dist, "artifacts.json"), artifacts)
	if version != "" {
		writeJSON(t, filepath.Join(dist, "metadata.json"), map[string]any{"project_name": "mcpscan", "tag": "v1.2.3", "version": version})
	}
	return dist
}

// TestPackagesFromDist: with a GoReleaser dist/, every platform package
// holds the release's binary for its platform, and the packages take the
// release's version.
func TestPackagesFromDist(t *testing.T) {
	needNode(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dist := fakeDist(t, t.TempDir(), "1.2.4-SNAPSHOT-abc1234")
	out := t.TempDir()
	code, log := run(t, repoRoot, npmEnv(t.TempDir()), "bash", filepath.Join("scripts", "npm-packages.sh"), "--dist", dist, out)
	if code != 0 {
		t.Fatalf("npm-packages.sh --dist: exit %d\n%s", code, log)
	}
	ps := platforms(t)
	entries, _ := os.ReadDir(out)
	if len(entries) != len(ps)+1 {
		t.Errorf("wrote %s, want %d tarballs", names(entries), len(ps)+1)
	}
	for _, p := range ps {
		data, err := os.ReadFile(filepath.Join(out, "mcpscan-cli-"+p+"-1.2.4-SNAPSHOT-abc1234.tgz"))
		if err != nil {
			t.Error(err)
			continue
		}
		exe := "package/bin/mcpscan"
		if strings.HasPrefix(p, "win32-") {
			exe += ".exe"
		}
		if got := string(untar(t, data)[exe].data); got != "binary for "+p+"\n" {
			t.Errorf("%s: %s holds %q", p, exe, got)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "mcpscan-1.2.4-SNAPSHOT-abc1234.tgz")); err != nil {
		t.Error(err)
	}
}

// TestPackageVersion: the version comes from the git tag (or from
// dist/metadata.json, see TestPackagesFromDist), in a copy of the script
// and templates in a repository of its own.
func TestPackageVersion(t *testing.T) {
	needNode(t)
	for _, tool := range []string{"bash", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("no " + tool)
		}
	}
	repo := t.TempDir()
	for _, f := range []string{"scripts/npm-packages.sh", "npm/mcpscan/package.json", "npm/mcpscan/README.md", "npm/mcpscan/bin/mcpscan", "npm/platform/package.json", "npm/platform/README.md"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(repo, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, f), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	dist := fakeDist(t, repo, "") // binaries, but no metadata.json: the version comes from git
	if err := os.WriteFile(filepath.Join(repo, ".gitignore"), []byte("/dist/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := npmEnv(t.TempDir(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@localhost", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@localhost", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+emptyFile(t))
	git := func(args ...string) string {
		t.Helper()
		code, out := run(t, repo, env, "git", args...)
		if code != 0 {
			t.Fatalf("git %v: %s", args, out)
		}
		return strings.TrimSpace(out)
	}
	version := func() string {
		t.Helper()
		code, out := run(t, repo, env, "bash", "scripts/npm-packages.sh", "--print-version", "--dist", dist)
		if code != 0 {
			t.Fatalf("npm-packages.sh --print-version: exit %d\n%s", code, out)
		}
		return strings.TrimSpace(out)
	}
	git("init", "-q")
	git("add", "scripts", "npm")
	git("commit", "-q", "-m", "one")
	sha := git("rev-parse", "--short=12", "HEAD")
	if got, want := version(), "0.0.0-dev.g"+sha; got != want {
		t.Errorf("no tag: version %s, want %s", got, want)
	}
	git("tag", "v1.2.3")
	if got := version(); got != "1.2.3" {
		t.Errorf("on tag v1.2.3: version %s, want 1.2.3", got)
	}
	git("commit", "-q", "--allow-empty", "-m", "two")
	sha = git("rev-parse", "--short=12", "HEAD")
	if got, want := version(), "1.2.4-dev.1.g"+sha; got != want {
		t.Errorf("one commit after v1.2.3: version %s, want %s", got, want)
	}
	git("tag", "v2.0.0-rc.1")
	if got := version(); got != "2.0.0-rc.1" {
		t.Errorf("on tag v2.0.0-rc.1: version %s", got)
	}
}

// emptyFile returns the path of a new empty file.
func emptyFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
