// Package action_test checks mcpscan's GitHub Action: action.yml's shape,
// that the release archive names run.sh downloads are the ones
// .goreleaser.yaml writes, and run.sh itself, run locally with fake
// GITHUB_* and RUNNER_* variables: with a local binary (MCPSCAN_BINARY),
// from a "release" directory on disk (MCPSCAN_RELEASES_URL=file://…) for
// Linux, macOS and Windows runners, with a bad checksum, and with the
// go install fallback (a stand-in go command). No network is used.
package action_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"

	"github.com/mcpscan/mcpscan/internal/testrelease"
)

const repoRoot = "../.."

// A format-valid, fake GitHub token (never live), split so that secret
// scanners do not flag this file.
var fakeToken = "ghp_" + "R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"

func TestMain(m *testing.M) {
	code := m.Run()
	testrelease.RemoveBinaries()
	os.Exit(code)
}

// mcpscanBin builds mcpscan (once) as release 1.4.2 and returns its path.
func mcpscanBin(t *testing.T) string {
	t.Helper()
	return testrelease.Binary(t, "1.4.2")
}

func needTools(t *testing.T, tools ...string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("run.sh is tested on Unix-like systems (GitHub runs it with Git Bash on Windows)")
	}
	for _, tool := range append([]string{"bash"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s", tool)
		}
	}
}

// --- action.yml ----------------------------------------------------------------

type actionFile struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Author      string `yaml:"author"`
	Inputs      map[string]struct {
		Description string  `yaml:"description"`
		Required    bool    `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Name  string            `yaml:"name"`
			ID    string            `yaml:"id"`
			If    string            `yaml:"if"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			Run   string            `yaml:"run"`
			Env   map[string]string `yaml:"env"`
			With  map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"runs"`
	Branding map[string]string `yaml:"branding"`
}

var (
	exprRef   = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)
	inputRef  = regexp.MustCompile(`inputs\.([A-Za-z0-9_-]+)`)
	outputRef = regexp.MustCompile(`steps\.scan\.outputs\.([A-Za-z0-9_-]+)`)
	runOut    = regexp.MustCompile(`(?m)\bout ([a-z-]+) `)
)

// TestActionYAML: action.yml is a composite action with the inputs the
// README documents; every input it reads exists, every output of the scan
// step it reads is one run.sh writes, SARIF goes to upload-sarif with the
// category, and every step runs in bash (present on all runners).
func TestActionYAML(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Name == "" || a.Description == "" || utf8.RuneCountInString(a.Description) > 125 || a.Runs.Using != "composite" || a.Branding["icon"] == "" {
		t.Errorf("action.yml: name %q, description %q (at most 125 characters for the Marketplace), runs.using %q, branding %v", a.Name, a.Description, a.Runs.Using, a.Branding)
	}
	defaults := map[string]string{"args": ".", "format": "sarif", "output": "", "fail-on": "high", "version": "latest", "upload-sarif": "true", "category": "mcpscan"}
	for name, want := range defaults {
		in, ok := a.Inputs[name]
		if !ok || in.Default == nil || *in.Default != want || in.Description == "" || in.Required {
			t.Errorf("input %s: %+v, want optional, described, default %q", name, in, want)
		}
	}
	script, err := os.ReadFile("run.sh")
	if err != nil {
		t.Fatal(err)
	}
	written := map[string]bool{}
	for _, m := range runOut.FindAllSubmatch(script, -1) {
		written[string(m[1])] = true
	}
	check := func(where, s string) {
		for _, e := range exprRef.FindAllStringSubmatch(s, -1) {
			for _, m := range inputRef.FindAllStringSubmatch(e[1], -1) {
				if _, ok := a.Inputs[m[1]]; !ok {
					t.Errorf("%s reads inputs.%s, which is not an input", where, m[1])
				}
			}
			for _, m := range outputRef.FindAllStringSubmatch(e[1], -1) {
				if !written[m[1]] {
					t.Errorf("%s reads steps.scan.outputs.%s, which run.sh never writes (it writes %v)", where, m[1], written)
				}
			}
		}
	}
	for name, o := range a.Outputs {
		check("output "+name, o.Value)
	}
	var scan, upload, last bool
	for i, s := range a.Runs.Steps {
		check("step "+s.Name, s.If+" "+s.Run)
		for k, v := range s.Env {
			check("step "+s.Name+" env "+k, v)
		}
		for k, v := range s.With {
			check("step "+s.Name+" with "+k, v)
		}
		if s.Run != "" && s.Shell != "bash" {
			t.Errorf("step %s: shell %q, want bash", s.Name, s.Shell)
		}
		switch {
		case s.ID == "scan":
			scan = strings.Contains(s.Run, "$GITHUB_ACTION_PATH/scripts/action/run.sh")
			for _, in := range []string{"args", "format", "output", "fail-on", "version", "category"} {
				env := "INPUT_" + strings.ToUpper(strings.ReplaceAll(in, "-", "_"))
				if s.Env[env] != "${{ inputs."+in+" }}" {
					t.Errorf("scan step: %s = %q, want inputs.%s", env, s.Env[env], in)
				}
			}
		case strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@"):
			upload = s.With["category"] == "${{ inputs.category }}" && strings.Contains(s.If, "inputs.upload-sarif == 'true'") &&
				strings.Contains(s.If, "!cancelled()") && s.With["sarif_file"] == "${{ steps.scan.outputs.sarif }}"
		case i == len(a.Runs.Steps)-1:
			// The verdict comes after the upload, so that findings reach code scanning.
			last = strings.Contains(s.If, "steps.scan.outputs.fail == 'true'") && strings.Contains(s.Run, "exit ")
		}
	}
	if !scan || !upload || !last {
		t.Errorf("steps: scan via run.sh %v, upload-sarif with category after it %v, failing last step %v", scan, upload, last)
	}
}

// TestGoreleaserArchiveNames: the archives run.sh downloads are named as
// .goreleaser.yaml names them, for every runner OS and architecture.
func TestGoreleaserArchiveNames(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		ProjectName string `yaml:"project_name"`
		Builds      []struct {
			Binary string   `yaml:"binary"`
			Goos   []string `yaml:"goos"`
			Goarch []string `yaml:"goarch"`
		} `yaml:"builds"`
		Archives []struct {
			NameTemplate    string   `yaml:"name_template"`
			Formats         []string `yaml:"formats"`
			FormatOverrides []struct {
				Goos    string   `yaml:"goos"`
				Formats []string `yaml:"formats"`
			} `yaml:"format_overrides"`
			WrapInDirectory any `yaml:"wrap_in_directory"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Builds) != 1 || len(cfg.Archives) != 1 {
		t.Fatalf("want one build and one archive in .goreleaser.yaml: %+v", cfg)
	}
	ar := cfg.Archives[0]
	if cfg.ProjectName != "mcpscan" || cfg.Builds[0].Binary != "mcpscan" ||
		ar.NameTemplate != "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}" ||
		strings.Join(ar.Formats, ",") != "tar.gz" || len(ar.FormatOverrides) != 1 ||
		ar.FormatOverrides[0].Goos != "windows" || strings.Join(ar.FormatOverrides[0].Formats, ",") != "zip" ||
		ar.WrapInDirectory != nil || cfg.Checksum.NameTemplate != "checksums.txt" {
		t.Errorf(".goreleaser.yaml names its archives otherwise than scripts/action/run.sh expects (mcpscan_<version>_<os>_<arch>.tar.gz, .zip on windows, the binary at the top, checksums.txt): update run.sh and this test together\n%+v", cfg)
	}
	goos := strings.Join(cfg.Builds[0].Goos, ",")
	goarch := strings.Join(cfg.Builds[0].Goarch, ",")
	for _, want := range []string{"linux", "darwin", "windows"} {
		if !strings.Contains(goos, want) {
			t.Errorf("no %s build: GitHub's %s runners get no release", want, want)
		}
	}
	for _, want := range []string{"amd64", "arm64"} {
		if !strings.Contains(goarch, want) {
			t.Errorf("no %s build", want)
		}
	}
}

// --- run.sh --------------------------------------------------------------------

type runResult struct {
	code    int
	log     string
	outputs map[string]string
	summary string
	path    string // what run.sh appended to GITHUB_PATH
	ws      string
}

// runAction runs run.sh in a fresh workspace holding files, with the
// GitHub variables of a runner and env on top.
func runAction(t *testing.T, files map[string]string, env ...string) runResult {
	t.Helper()
	ws := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(ws, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gh := t.TempDir()
	script, _ := filepath.Abs("run.sh")
	cmd := exec.Command("bash", script)
	cmd.Dir = ws
	base := map[string]string{
		"GITHUB_WORKSPACE":     ws,
		"GITHUB_OUTPUT":        filepath.Join(gh, "output"),
		"GITHUB_PATH":          filepath.Join(gh, "path"),
		"GITHUB_STEP_SUMMARY":  filepath.Join(gh, "summary"),
		"GITHUB_ACTIONS":       "true",
		"RUNNER_OS":            "Linux",
		"RUNNER_ARCH":          "X64",
		"RUNNER_TEMP":          t.TempDir(),
		"MCPSCAN_RELEASES_URL": "file:///nonexistent", // never the real releases
		"HOME":                 t.TempDir(),
		"XDG_CONFIG_HOME":      t.TempDir(),
	}
	for _, e := range env {
		k, v, _ := strings.Cut(e, "=")
		base[k] = v
	}
	for _, e := range os.Environ() {
		k, _, _ := strings.Cut(e, "=")
		if _, ok := base[k]; !ok && !strings.HasPrefix(k, "INPUT_") && !strings.HasPrefix(k, "GITHUB_") && !strings.HasPrefix(k, "RUNNER_") && !strings.HasPrefix(k, "MCPSCAN_") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	for k, v := range base {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	r := runResult{log: string(out), outputs: map[string]string{}, ws: ws}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	o, _ := os.ReadFile(base["GITHUB_OUTPUT"])
	for _, line := range strings.Split(strings.TrimSpace(string(o)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			if _, dup := r.outputs[k]; dup {
				t.Errorf("output %s written twice", k)
			}
			r.outputs[k] = v
		}
	}
	s, _ := os.ReadFile(base["GITHUB_STEP_SUMMARY"])
	r.summary = string(s)
	p, _ := os.ReadFile(base["GITHUB_PATH"])
	r.path = strings.TrimSpace(string(p))
	if strings.Contains(r.log, fakeToken) || strings.Contains(string(o), fakeToken) || strings.Contains(r.summary, fakeToken) {
		t.Errorf("the raw secret reached the log, outputs or summary")
	}
	return r
}

var leakyRepo = map[string]string{
	"src/app.ts":                  "export const x = 1\n",
	".claude/settings.local.json": `{"permissions":{"allow":["Bash(gh auth login --with-token ` + "TOKEN" + `)"]}}` + "\n",
}

func leaky() map[string]string {
	out := map[string]string{}
	for k, v := range leakyRepo {
		out[k] = strings.ReplaceAll(v, "TOKEN", fakeToken)
	}
	return out
}

// TestRunLocalBinary runs the action's script with a local binary on a
// repository with a leaked token: SARIF with relative URIs and the
// category, exit-code 1, and a failing verdict for the last step, which
// fail-on none and a clean repository turn off.
func TestRunLocalBinary(t *testing.T) {
	needTools(t)
	bin := mcpscanBin(t)
	r := runAction(t, leaky(), "MCPSCAN_BINARY="+bin, "INPUT_FAIL_ON=high", "INPUT_CATEGORY=agents")
	if r.code != 0 {
		t.Fatalf("run.sh: exit %d\n%s", r.code, r.log)
	}
	want := map[string]string{"exit-code": "1", "fail": "true", "sarif": "mcpscan.sarif", "report": "mcpscan.sarif", "version": "1.4.2"}
	for k, v := range want {
		if r.outputs[k] != v {
			t.Errorf("output %s = %q, want %q\n%s", k, r.outputs[k], v, r.log)
		}
	}
	if _, err := exec.LookPath("jq"); err == nil && r.outputs["findings"] == "" {
		t.Errorf("findings not counted although jq is there")
	}
	if !strings.HasPrefix(r.outputs["message"], "mcpscan: findings at or above high") {
		t.Errorf("message %q", r.outputs["message"])
	}
	sarif, err := os.ReadFile(filepath.Join(r.ws, "mcpscan.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			AutomationDetails struct {
				ID string `json:"id"`
			} `json:"automationDetails"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarif, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 || !strings.HasPrefix(doc.Runs[0].AutomationDetails.ID, "agents") || len(doc.Runs[0].Results) == 0 {
		t.Fatalf("SARIF runs: %+v", doc.Runs)
	}
	for _, res := range doc.Runs[0].Results {
		if uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != ".claude/settings.local.json" {
			t.Errorf("result %s at %q, want the path relative to GITHUB_WORKSPACE", res.RuleID, uri)
		}
	}
	if !strings.Contains(r.summary, "### mcpscan") || !strings.Contains(r.summary, "1.4.2") {
		t.Errorf("step summary:\n%s", r.summary)
	}
	if r.path != "" {
		t.Errorf("MCPSCAN_BINARY: GITHUB_PATH got %q", r.path)
	}

	r = runAction(t, leaky(), "MCPSCAN_BINARY="+bin, "INPUT_FAIL_ON=none")
	if r.code != 0 || r.outputs["exit-code"] != "0" && r.outputs["exit-code"] != "1" || r.outputs["fail"] != "false" {
		t.Errorf("fail-on none: exit %d, outputs %v\n%s", r.code, r.outputs, r.log)
	}
	r = runAction(t, map[string]string{"src/app.ts": "export const x = 1\n"}, "MCPSCAN_BINARY="+bin)
	if r.code != 0 || r.outputs["exit-code"] != "0" || r.outputs["fail"] != "false" || r.outputs["sarif"] != "mcpscan.sarif" {
		t.Errorf("clean repository: exit %d, outputs %v\n%s", r.code, r.outputs, r.log)
	}
	// JSON to a chosen file: no SARIF to upload.
	r = runAction(t, leaky(), "MCPSCAN_BINARY="+bin, "INPUT_FORMAT=json", "INPUT_OUTPUT=report.json")
	if r.code != 0 || r.outputs["report"] != "report.json" || r.outputs["sarif"] != "" || r.outputs["exit-code"] != "1" {
		t.Errorf("format json: exit %d, outputs %v\n%s", r.code, r.outputs, r.log)
	}
}

// TestRunStaleReport: a report left from an earlier step is removed before
// the scan, so a failed scan never uploads an old SARIF.
func TestRunStaleReport(t *testing.T) {
	needTools(t)
	stub := stubBinary(t, "echo 'mcpscan: error: boom' >&2; exit 2")
	files := leaky()
	files["mcpscan.sarif"] = `{"version":"2.1.0","runs":[]}`
	r := runAction(t, files, "MCPSCAN_BINARY="+stub)
	if r.code != 0 || r.outputs["exit-code"] != "2" || r.outputs["fail"] != "true" || r.outputs["sarif"] != "" {
		t.Errorf("outputs %v\n%s", r.outputs, r.log)
	}
	if _, err := os.Stat(filepath.Join(r.ws, "mcpscan.sarif")); err == nil {
		t.Errorf("the stale mcpscan.sarif is still there")
	}
}

// stubBinary writes a stand-in mcpscan that records its arguments (one per
// line, in args.txt beside it) and then runs body.
func stubBinary(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "mcpscan")
	script := `#!/usr/bin/env bash
if [ "$1" = --version ]; then echo "mcpscan version 9.8.7 (commit abc, go1.26.8)"; exit 0; fi
: > "$(dirname "$0")/args.txt"
for a in "$@"; do printf '%s\n' "$a" >> "$(dirname "$0")/args.txt"; done
` + body + "\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func stubArgs(t *testing.T, stub string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(filepath.Dir(stub), "args.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// TestRunArgs: args are split like a shell command line, quotes kept
// together, nothing expanded; the action's flags come first so that the
// user's win; --sarif-root and --sarif-category in args replace the
// action's; an unmatched quote is an error.
func TestRunArgs(t *testing.T) {
	needTools(t, "xargs")
	stub := stubBinary(t, "exit 0")
	r := runAction(t, nil, "MCPSCAN_BINARY="+stub, "INPUT_ARGS=. --exclude '**/test data/**' \"a b\" $HOME `id` --sarif-category=mine", "INPUT_FAIL_ON=critical")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.log)
	}
	want := []string{"--no-color", "--no-progress", "--format", "sarif", "--output", "mcpscan.sarif", "--fail-on", "critical",
		"--sarif-root", r.ws, ".", "--exclude", "**/test data/**", "a b", "$HOME", "`id`", "--sarif-category=mine"}
	if got := stubArgs(t, stub); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("argv\n got %q\nwant %q", got, want)
	}

	r = runAction(t, nil, "MCPSCAN_BINARY="+stub, "INPUT_ARGS=", "INPUT_FORMAT=terminal", "INPUT_FAIL_ON=")
	if got := stubArgs(t, stub); r.code != 0 || strings.Join(got, " ") != "--no-color --no-progress" {
		t.Errorf("empty args, terminal, fail-on '': exit %d, argv %q\n%s", r.code, got, r.log)
	}

	r = runAction(t, nil, "MCPSCAN_BINARY="+stub, "INPUT_ARGS=. --exclude 'oops")
	if r.code != 2 || !strings.Contains(r.log, "args: cannot split") {
		t.Errorf("unmatched quote: exit %d\n%s", r.code, r.log)
	}
	for _, bad := range []string{"INPUT_FORMAT=xml", "INPUT_FAIL_ON=severe"} {
		r = runAction(t, nil, "MCPSCAN_BINARY="+stub, bad)
		if r.code != 2 || !strings.Contains(r.log, "::error title=mcpscan::") {
			t.Errorf("%s: exit %d\n%s", bad, r.code, r.log)
		}
	}
}

// TestRunFromRelease installs mcpscan from a release directory on disk, as
// the Linux, macOS and Windows runners (x64 and arm64) would: the right
// archive is picked, checked against checksums.txt, unpacked, put on
// GITHUB_PATH and run.
func TestRunFromRelease(t *testing.T) {
	needTools(t, "curl", "tar")
	bin := mcpscanBin(t)
	rel := testrelease.Write(t, bin, "1.4.2", "")
	for _, c := range []struct{ os, arch, version, archive, exe string }{
		{"Linux", "X64", "latest", "mcpscan_1.4.2_linux_amd64.tar.gz", "mcpscan"},
		{"Linux", "ARM64", "v1.4.2", "mcpscan_1.4.2_linux_arm64.tar.gz", "mcpscan"},
		{"macOS", "ARM64", "1.4.2", "mcpscan_1.4.2_darwin_arm64.tar.gz", "mcpscan"},
		{"macOS", "X64", "latest", "mcpscan_1.4.2_darwin_amd64.tar.gz", "mcpscan"},
		{"Windows", "X64", "latest", "mcpscan_1.4.2_windows_amd64.zip", "mcpscan.exe"},
		{"Windows", "ARM64", "1.4.2", "mcpscan_1.4.2_windows_arm64.zip", "mcpscan.exe"},
	} {
		t.Run(c.os+"-"+c.arch+"-"+c.version, func(t *testing.T) {
			if c.os == "Windows" {
				if _, err := exec.LookPath("unzip"); err != nil {
					if _, err := exec.LookPath("python3"); err != nil {
						t.Skip("neither unzip nor python3 to unpack a zip")
					}
				}
			}
			r := runAction(t, leaky(), "MCPSCAN_RELEASES_URL="+rel, "RUNNER_OS="+c.os, "RUNNER_ARCH="+c.arch, "INPUT_VERSION="+c.version)
			if r.code != 0 || r.outputs["exit-code"] != "1" || r.outputs["version"] != "1.4.2" {
				t.Fatalf("exit %d, outputs %v\n%s", r.code, r.outputs, r.log)
			}
			if !strings.Contains(r.log, "/download/v1.4.2/"+c.archive) || !strings.Contains(r.log, c.archive+" matches checksums.txt") {
				t.Errorf("did not download and check %s:\n%s", c.archive, r.log)
			}
			if r.outputs["path"] != filepath.Join(r.path, c.exe) {
				t.Errorf("GITHUB_PATH %q, binary %q", r.path, r.outputs["path"])
			}
		})
	}
}

// TestRunBadChecksum: an archive that does not match checksums.txt is not
// run, and the step fails.
func TestRunBadChecksum(t *testing.T) {
	needTools(t, "curl", "tar")
	bin := mcpscanBin(t)
	rel := testrelease.Write(t, bin, "1.4.2", "mcpscan_1.4.2_linux_amd64.tar.gz")
	r := runAction(t, leaky(), "MCPSCAN_RELEASES_URL="+rel, "INPUT_VERSION=1.4.2")
	if r.code != 2 || !strings.Contains(r.log, "does not match checksums.txt") || r.outputs["exit-code"] != "" {
		t.Errorf("exit %d, outputs %v\n%s", r.code, r.outputs, r.log)
	}
}

// TestRunGoInstall: a version with no release (a branch, a commit, or a
// tag whose release has no archives) is built with go install into the
// tool directory; a stand-in go command records the call.
func TestRunGoInstall(t *testing.T) {
	needTools(t, "curl")
	real := mcpscanBin(t)
	gobin := t.TempDir()
	fakeGo := `#!/usr/bin/env bash
echo "$@" > "` + gobin + `/go-args.txt"
echo "GOBIN=$GOBIN CGO_ENABLED=$CGO_ENABLED" >> "` + gobin + `/go-args.txt"
cp "` + real + `" "$GOBIN/mcpscan"
`
	if err := os.WriteFile(filepath.Join(gobin, "go"), []byte(fakeGo), 0o755); err != nil {
		t.Fatal(err)
	}
	path := "PATH=" + gobin + string(os.PathListSeparator) + os.Getenv("PATH")
	rel := testrelease.Write(t, real, "1.4.2", "")
	for _, c := range []struct{ version, want string }{
		{"main", "install github.com/mcpscan/mcpscan/cmd/mcpscan@main"},
		{"0123456789abcdef0123456789abcdef01234567", "install github.com/mcpscan/mcpscan/cmd/mcpscan@0123456789abcdef0123456789abcdef01234567"},
		{"v9.9.9", "install github.com/mcpscan/mcpscan/cmd/mcpscan@v9.9.9"},
	} {
		_ = os.Remove(filepath.Join(gobin, "go-args.txt"))
		r := runAction(t, leaky(), path, "MCPSCAN_RELEASES_URL="+rel, "INPUT_VERSION="+c.version)
		b, _ := os.ReadFile(filepath.Join(gobin, "go-args.txt"))
		lines := strings.Split(string(b), "\n")
		if r.code != 0 || r.outputs["exit-code"] != "1" || lines[0] != c.want || !strings.Contains(string(b), "CGO_ENABLED=0") {
			t.Errorf("version %s: exit %d, outputs %v, go called with %q\n%s", c.version, r.code, r.outputs, b, r.log)
		}
		if r.path == "" || !strings.Contains(string(b), "GOBIN="+r.path) {
			t.Errorf("version %s: GOBIN and GITHUB_PATH differ: %q, %q", c.version, b, r.path)
		}
	}
	// Without go, a version with no release is a clear error.
	r := runAction(t, leaky(), "PATH=/usr/bin:/bin", "INPUT_VERSION=main")
	if r.code != 2 || !strings.Contains(r.log, "actions/setup-go") {
		t.Errorf("no go: exit %d\n%s", r.code, r.log)
	}
}

// TestRunScriptParses: run.sh is valid bash with the house header.
func TestRunScriptParses(t *testing.T) {
	needTools(t)
	if out, err := exec.Command("bash", "-n", "run.sh").CombinedOutput(); err != nil {
		t.Fatalf("bash -n run.sh: %v\n%s", err, out)
	}
	b, _ := os.ReadFile("run.sh")
	if !bytes.HasPrefix(b, []byte("#!/usr/bin/env bash\n")) || !bytes.Contains(b, []byte("set -euo pipefail")) {
		t.Errorf("run.sh: want a bash shebang and set -euo pipefail")
	}
	if st, err := os.Stat("run.sh"); err != nil || st.Mode()&0o111 == 0 {
		t.Errorf("run.sh is not executable")
	}
}

// TestInstallScript runs scripts/install.sh on its own, as the README's
// curl | bash line does: this machine's OS and architecture, the latest
// release, the binary's path on the last line; a version with no release
// exits 3.
func TestInstallScript(t *testing.T) {
	needTools(t, "curl", "tar")
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" || runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skipf("no release for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	bin := mcpscanBin(t)
	rel := testrelease.Write(t, bin, "1.4.2", "")
	dir := filepath.Join(t.TempDir(), "bin")
	cmd := exec.Command("bash", filepath.Join(repoRoot, "scripts", "install.sh"), "-b", dir)
	cmd.Env = append(os.Environ(), "MCPSCAN_RELEASES_URL="+rel)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("install.sh: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if got := lines[len(lines)-1]; got != filepath.Join(dir, "mcpscan") {
		t.Errorf("last line %q, want the binary's path", got)
	}
	if !strings.Contains(string(out), "mcpscan_1.4.2_"+runtime.GOOS+"_"+runtime.GOARCH+".tar.gz matches checksums.txt") {
		t.Errorf("output:\n%s", out)
	}
	v, err := exec.Command(filepath.Join(dir, "mcpscan"), "--version").Output()
	if err != nil || !strings.HasPrefix(string(v), "mcpscan version 1.4.2 ") {
		t.Errorf("installed binary --version: %q, %v", v, err)
	}

	cmd = exec.Command("bash", filepath.Join(repoRoot, "scripts", "install.sh"), "-b", dir, "v2.0.0")
	cmd.Env = append(os.Environ(), "MCPSCAN_RELEASES_URL="+rel)
	out, err = cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 || !strings.Contains(string(out), "no release v2.0.0") {
		t.Errorf("unreleased version: %v\n%s", err, out)
	}
}
