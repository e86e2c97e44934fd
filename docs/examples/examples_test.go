// Package examples_test checks the recipes users copy: the pre-commit
// hooks (.pre-commit-hooks.yaml), the GitHub Actions workflows (with the
// Action and plain), the fleet recipes (fleet-audit.sh for cron, systemd
// and MDMs, osquery-export.sh with osquery.conf, the Ansible playbook) and
// the npm prepublish script. The tests that run them build mcpscan once;
// -short skips those. Tools a recipe needs (npm, sqlite3, ansible-playbook)
// skip their test when absent.
package examples_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v4"

	"github.com/mcpscan/mcpscan/internal/testrelease"
)

const repoRoot = "../.."

// releaseVersion is the version the test binary claims, and the release
// the fleet recipes install from a local release directory.
const releaseVersion = "1.4.2"

// A format-valid, fake GitHub token (never live), split so that secret
// scanners do not flag this file.
var fakeToken = "ghp_" + "R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"

func TestMain(m *testing.M) {
	code := m.Run()
	testrelease.RemoveBinaries()
	os.Exit(code)
}

// mcpscanBin builds mcpscan (once) as release releaseVersion, the version
// of the test release (testrelease.Write) that the fleet recipes install,
// and returns the binary's path.
func mcpscanBin(t *testing.T) string {
	t.Helper()
	return testrelease.Binary(t, releaseVersion)
}

func needBash(t *testing.T) string {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	return bash
}

// env is the test process's environment with overrides (KEY=value; a
// KEY= override with no value removes KEY).
func env(overrides ...string) []string {
	out := []string{}
	drop := map[string]bool{}
	for _, o := range overrides {
		drop[o[:strings.IndexByte(o, '=')]] = true
	}
	for _, e := range os.Environ() {
		if i := strings.IndexByte(e, '='); i > 0 && !drop[e[:i]] {
			out = append(out, e)
		}
	}
	for _, o := range overrides {
		if !strings.HasSuffix(o, "=") {
			out = append(out, o)
		}
	}
	return out
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestScriptsParse: every shell script of the recipes and of scripts/ is
// valid bash.
func TestScriptsParse(t *testing.T) {
	bash := needBash(t)
	scripts, _ := filepath.Glob("*.sh")
	more, _ := filepath.Glob(filepath.Join(repoRoot, "scripts", "*.sh"))
	scripts = append(scripts, more...)
	if len(scripts) < 4 {
		t.Fatalf("found only %v", scripts)
	}
	for _, s := range scripts {
		if out, err := exec.Command(bash, "-n", s).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", s, err, out)
		}
		b, _ := os.ReadFile(s)
		if !bytes.HasPrefix(b, []byte("#!/usr/bin/env bash\n")) || !bytes.Contains(b, []byte("set -euo pipefail")) {
			t.Errorf("%s: want a bash shebang and set -euo pipefail", s)
		}
		if st, err := os.Stat(s); err != nil || st.Mode()&0o111 == 0 {
			t.Errorf("%s is not executable", s)
		}
	}
}

type preCommitHook struct {
	ID            string   `yaml:"id"`
	Name          string   `yaml:"name"`
	Description   string   `yaml:"description"`
	Entry         string   `yaml:"entry"`
	Args          []string `yaml:"args"`
	Language      string   `yaml:"language"`
	PassFilenames *bool    `yaml:"pass_filenames"`
	AlwaysRun     bool     `yaml:"always_run"`
	Stages        []string `yaml:"stages"`
	MinVersion    string   `yaml:"minimum_pre_commit_version"`
}

func loadHooks(t *testing.T) []preCommitHook {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []preCommitHook
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	return hooks
}

// TestPreCommitHooksFile: .pre-commit-hooks.yaml parses, and each hook
// names an existing Go command built by `go install ./...`.
func TestPreCommitHooksFile(t *testing.T) {
	hooks := loadHooks(t)
	ids := map[string]bool{}
	stages := map[string]bool{"pre-commit": true, "pre-merge-commit": true, "pre-push": true, "manual": true, "commit-msg": true, "post-checkout": true}
	for _, h := range hooks {
		if h.ID == "" || h.Name == "" || h.Description == "" || h.Entry == "" {
			t.Errorf("hook %+v lacks id, name, description or entry", h)
		}
		if ids[h.ID] {
			t.Errorf("hook id %s twice", h.ID)
		}
		ids[h.ID] = true
		if h.Language != "golang" {
			t.Errorf("hook %s: language %q, want golang", h.ID, h.Language)
		}
		cmd := strings.Fields(h.Entry)[0]
		if _, err := os.Stat(filepath.Join(repoRoot, "cmd", cmd, "main.go")); err != nil {
			t.Errorf("hook %s: entry %q is not a command of this module (cmd/%s): %v", h.ID, h.Entry, cmd, err)
		}
		for _, s := range h.Stages {
			if !stages[s] {
				t.Errorf("hook %s: unknown stage %q", h.ID, s)
			}
		}
	}
	if !ids["mcpscan"] {
		t.Errorf("no hook with id mcpscan")
	}
}

// TestPreCommitHooksRun runs each hook's command line as pre-commit would
// (entry, args, then the file names when pass_filenames).
func TestPreCommitHooksRun(t *testing.T) {
	bin := mcpscanBin(t)
	for _, h := range loadHooks(t) {
		for _, dirty := range []bool{true, false} {
			dir := t.TempDir()
			files := map[string]string{"app.ts": "const key = process.env.API_KEY\n"}
			if dirty {
				files[".mcp.json"] = `{"mcpServers":{"gh":{"command":"npx","env":{"GITHUB_TOKEN":"` + fakeToken + `"}}}}` + "\n"
			}
			writeFiles(t, dir, files)
			argv := append(strings.Fields(h.Entry)[1:], h.Args...)
			if h.PassFilenames == nil || *h.PassFilenames {
				for f := range files {
					argv = append(argv, f)
				}
			}
			cmd := exec.Command(bin, argv...)
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			want := 0
			if dirty {
				want = 1
			}
			if got := exitCode(err); got != want {
				t.Errorf("hook %s (dirty %v): exit %d, want %d\n%s", h.ID, dirty, got, want, out)
			}
			if bytes.Contains(out, []byte(fakeToken)) {
				t.Errorf("hook %s prints the raw secret", h.ID)
			}
		}
	}
}

type workflow struct {
	Name string         `yaml:"name"`
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		RunsOn      string            `yaml:"runs-on"`
		Permissions map[string]string `yaml:"permissions"`
		Steps       []struct {
			Name string            `yaml:"name"`
			ID   string            `yaml:"id"`
			Uses string            `yaml:"uses"`
			If   string            `yaml:"if"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func loadWorkflow(t *testing.T, name string) workflow {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return wf
}

// TestGitHubActionExample: the example workflow that uses mcpscan's Action
// (action.yml) checks the repository out, grants the upload's permissions,
// and passes only inputs the Action has.
func TestGitHubActionExample(t *testing.T) {
	wf := loadWorkflow(t, "github-actions.yml")
	if wf.Name == "" || len(wf.On) == 0 || len(wf.Jobs) != 1 {
		t.Fatalf("workflow %+v", wf)
	}
	raw, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(raw, &action); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	for name, job := range wf.Jobs {
		if job.Permissions["security-events"] != "write" {
			t.Errorf("job %s: no security-events: write", name)
		}
		checkout, uses := -1, -1
		for i, s := range job.Steps {
			if strings.HasPrefix(s.Uses, "actions/checkout@") {
				checkout = i
			}
			if strings.HasPrefix(s.Uses, "mcpscan/mcpscan@") {
				uses = i
				for in := range s.With {
					if _, ok := action.Inputs[in]; !ok {
						t.Errorf("job %s: input %q is not one of action.yml's", name, in)
					}
				}
			}
		}
		if checkout < 0 || uses < checkout {
			t.Errorf("job %s: want actions/checkout, then mcpscan/mcpscan", name)
		}
	}
}

// TestGitHubActionsWorkflow: the plain example workflow (no Action) parses,
// uploads the SARIF its scan step writes with upload-sarif, has the
// permissions that needs, and its scan step works: run as a script, it
// writes SARIF with relative URIs and reports findings through
// $GITHUB_OUTPUT without failing.
func TestGitHubActionsWorkflow(t *testing.T) {
	wf := loadWorkflow(t, "github-actions-plain.yml")
	if wf.Name == "" || len(wf.On) == 0 || len(wf.Jobs) != 1 {
		t.Fatalf("workflow %+v", wf)
	}
	for name, job := range wf.Jobs {
		if job.Permissions["security-events"] != "write" {
			t.Errorf("job %s: no security-events: write", name)
		}
		var scanRun, sarifFile string
		uploads := 0
		for _, s := range job.Steps {
			if strings.Contains(s.Run, "mcpscan ") && strings.Contains(s.Run, "--format sarif") {
				scanRun = s.Run
			}
			if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
				uploads++
				sarifFile = s.With["sarif_file"]
			}
		}
		if scanRun == "" || uploads != 1 {
			t.Fatalf("job %s: scan step %q, %d upload-sarif steps", name, scanRun, uploads)
		}
		if !strings.Contains(scanRun, "--output "+sarifFile) {
			t.Errorf("job %s: upload-sarif uploads %q, which the scan does not write", name, sarifFile)
		}

		bin := mcpscanBin(t)
		bash := needBash(t)
		ws := t.TempDir()
		writeFiles(t, ws, map[string]string{
			"src/app.ts":                  "export const x = 1\n",
			".claude/settings.local.json": `{"permissions":{"allow":["Bash(curl -H 'Authorization: token ` + fakeToken + `' https://api.github.com/user)"]}}` + "\n",
		})
		ghOut := filepath.Join(t.TempDir(), "github_output")
		cmd := exec.Command(bash, "-e", "-c", scanRun)
		cmd.Dir = ws
		cmd.Env = env("PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
			"GITHUB_WORKSPACE="+ws, "GITHUB_OUTPUT="+ghOut)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("scan step failed: %v\n%s", err, out)
		}
		o, _ := os.ReadFile(ghOut)
		if strings.TrimSpace(string(o)) != "exit=1" {
			t.Errorf("GITHUB_OUTPUT %q, want exit=1", o)
		}
		sarif, err := os.ReadFile(filepath.Join(ws, sarifFile))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(sarif, []byte(`"uri": ".claude/settings.local.json"`)) || bytes.Contains(sarif, []byte(fakeToken)) {
			t.Errorf("SARIF lacks the relative URI or holds the secret:\n%s", sarif)
		}
	}
}

var reportName = regexp.MustCompile(`^mcpscan_fleet-test-01_[^_]+_\d{8}T\d{6}Z\.(json|jsonl)$`)

// TestFleetAudit runs fleet-audit.sh on a home with a leaked token: one
// private JSON report named after the host, whose "host" is the host id,
// valid against the report schema.
func TestFleetAudit(t *testing.T) {
	bin := mcpscanBin(t)
	bash := needBash(t)
	home := t.TempDir()
	writeFiles(t, home, map[string]string{
		".claude.json": `{"mcpServers":{"github":{"command":"npx","env":{"GITHUB_PERSONAL_ACCESS_TOKEN":"` + fakeToken + `"}}}}` + "\n",
	})
	sch := reportSchema(t)
	for _, format := range []string{"json", "jsonl"} {
		out := t.TempDir()
		cmd := exec.Command(bash, "fleet-audit.sh")
		cmd.Env = env("MCPSCAN="+bin, "HOME="+home, "OUT_DIR="+out, "HOST_ID=fleet-test-01", "FORMAT="+format,
			"XDG_CONFIG_HOME=", "CLAUDE_CONFIG_DIR=", "ALL_USERS=", "MCPSCAN_ARGS=--jobs 2")
		stdout, err := cmd.CombinedOutput()
		if code := exitCode(err); code != 1 {
			t.Fatalf("%s: exit %d, want 1 (findings)\n%s", format, code, stdout)
		}
		entries, _ := os.ReadDir(out)
		if len(entries) != 1 || !reportName.MatchString(entries[0].Name()) {
			t.Fatalf("%s: reports %v", format, entries)
		}
		p := filepath.Join(out, entries[0].Name())
		if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
			t.Errorf("%s: report mode %v, want 0600", format, st.Mode().Perm())
		}
		data, _ := os.ReadFile(p)
		if bytes.Contains(data, []byte(fakeToken)) {
			t.Errorf("%s: report holds the raw secret", format)
		}
		if format == "jsonl" {
			lines := strings.Split(strings.TrimSpace(string(data)), "\n")
			if !strings.Contains(lines[0], `"host":"fleet-test-01"`) || !strings.HasPrefix(lines[len(lines)-1], `{"type":"summary"`) {
				t.Errorf("jsonl report:\n%s", data)
			}
			continue
		}
		var doc struct {
			Host     string `json:"host"`
			Findings []struct {
				RuleID string `json:"rule_id"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Host != "fleet-test-01" || len(doc.Findings) == 0 {
			t.Errorf("report host %q, %d findings", doc.Host, len(doc.Findings))
		}
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err := sch.Validate(inst); err != nil {
			t.Errorf("report does not validate against report.schema.json: %v", err)
		}
	}
}

func reportSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "reporters", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("file:///report.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	return c.MustCompile("file:///report.schema.json")
}

// TestNPMPrepublish runs npm-prepublish.sh in a package that would ship
// .claude/settings.local.json, then in one whose "files" keeps it out.
func TestNPMPrepublish(t *testing.T) {
	bin := mcpscanBin(t)
	bash := needBash(t)
	for _, tool := range []string{"npm", "node"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("no " + tool)
		}
	}
	script, _ := filepath.Abs("npm-prepublish.sh")
	for _, c := range []struct {
		pkg  string
		want int
	}{
		{`{"name":"leaky","version":"1.0.0"}`, 1},
		{`{"name":"tidy","version":"1.0.0","files":["index.js"]}`, 0},
	} {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{
			"package.json":                c.pkg,
			"index.js":                    "module.exports = () => process.env.GITHUB_TOKEN\n",
			".claude/settings.local.json": `{"permissions":{"allow":["Bash(gh auth login --with-token ` + fakeToken + `)"]}}` + "\n",
		})
		cmd := exec.Command(bash, script)
		cmd.Dir = dir
		cmd.Env = env("MCPSCAN="+bin, "npm_config_cache="+filepath.Join(t.TempDir(), "npm-cache"), "npm_config_update_notifier=false")
		out, err := cmd.CombinedOutput()
		if got := exitCode(err); got != c.want {
			t.Errorf("%s: exit %d, want %d\n%s", c.pkg, got, c.want, out)
		}
	}
}
