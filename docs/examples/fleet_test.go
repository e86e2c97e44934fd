package examples_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/mcpscan/mcpscan/internal/testrelease"
)

// fleetHomes writes two home directories under a new directory: alice's
// ~/.claude.json holds a GitHub token in an MCP server's env, bob's holds
// nothing. It returns the directory.
func fleetHomes(t *testing.T) string {
	t.Helper()
	homes := t.TempDir()
	writeFiles(t, filepath.Join(homes, "alice"), map[string]string{
		".claude.json": `{"mcpServers":{"github":{"command":"npx","env":{"GITHUB_PERSONAL_ACCESS_TOKEN":"` + fakeToken + `"}}}}` + "\n",
	})
	writeFiles(t, filepath.Join(homes, "bob"), map[string]string{
		".claude.json": `{"mcpServers":{"github":{"command":"npx","env":{"GITHUB_PERSONAL_ACCESS_TOKEN":"${GITHUB_TOKEN}"}}}}` + "\n",
	})
	return homes
}

// fleetEnv is the environment of a fleet-audit.sh run: nothing inherited
// that would change what it scans or where it installs.
func fleetEnv(overrides ...string) []string {
	return env(append([]string{"MCPSCAN=", "MCPSCAN_VERSION=", "MCPSCAN_ARGS=", "ALL_USERS=", "ATTRIBUTE=", "ATTRIBUTE_FORMAT=",
		"FORMAT=", "OUT_DIR=", "INSTALL_DIR=", "HOMES=", "KEEP_DAYS=", "XDG_CONFIG_HOME=", "CLAUDE_CONFIG_DIR=", "MCPSCAN_RELEASES_URL=",
		"MCPSCAN_INSTALL_SH="}, overrides...)...)
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("fleet-audit.sh ALL_USERS=1 runs as root")
	}
}

// TestFleetAuditMDM runs fleet-audit.sh as Jamf Pro runs a policy script
// ("/", computer name, user, then parameters 4-7): it installs the pinned
// release (from a release directory on disk, checked against checksums.txt)
// and scans every home, one JSON Lines report per user; a second run
// reuses the installed binary. Then --attribute sums up the newest reports
// for an extension attribute.
func TestFleetAuditMDM(t *testing.T) {
	bin := mcpscanBin(t)
	bash := needBash(t)
	needRoot(t)
	for _, tool := range []string{"curl", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("no " + tool)
		}
	}
	homes := fleetHomes(t)
	out := t.TempDir()
	installDir := filepath.Join(t.TempDir(), "bin")
	installer, _ := filepath.Abs(filepath.Join(repoRoot, "scripts", "install.sh"))
	envs := fleetEnv("HOMES="+filepath.Join(homes, "*"), "INSTALL_DIR="+installDir, "HOST_ID=mac-01",
		"MCPSCAN_INSTALL_SH="+installer, "MCPSCAN_RELEASES_URL="+testrelease.Write(t, bin, releaseVersion, ""))
	jamf := []string{"fleet-audit.sh", "/", "MAC-01", "admin", releaseVersion, out, "--jobs 2", "jsonl"}
	for run := 1; run <= 2; run++ {
		cmd := exec.Command(bash, jamf...)
		cmd.Env = envs
		log, err := cmd.CombinedOutput()
		if code := exitCode(err); code != 1 {
			t.Fatalf("run %d: exit %d, want 1 (findings for alice)\n%s", run, code, log)
		}
		installed := bytes.Contains(log, []byte("installing mcpscan "+releaseVersion))
		if installed != (run == 1) {
			t.Errorf("run %d: installed %v\n%s", run, installed, log)
		}
	}
	if _, err := os.Stat(filepath.Join(installDir, "mcpscan")); err != nil {
		t.Fatal(err)
	}
	reports, _ := filepath.Glob(filepath.Join(out, "mcpscan_mac-01_*_*.jsonl"))
	users := map[string]bool{}
	for _, r := range reports {
		user := strings.Split(filepath.Base(r), "_")[2]
		users[user] = true
		data, _ := os.ReadFile(r)
		if bytes.Contains(data, []byte(fakeToken)) {
			t.Errorf("%s holds the raw token", r)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if !strings.Contains(line, `"host":"mac-01"`) || !strings.Contains(line, `"user":"`+user+`"`) {
				t.Errorf("%s: a line without the host or the user %s: %s", r, user, line)
			}
		}
	}
	if !users["alice"] || !users["bob"] || len(users) != 2 {
		t.Errorf("reports for %v (%v), want alice and bob", users, reports)
	}

	for format, want := range map[string]string{
		"jamf":  `^<result>alice: [1-9][0-9]* \([^)]*critical[^)]*\); bob: 0</result>\n$`,
		"plain": `^alice: [1-9][0-9]* \([^)]*critical[^)]*\); bob: 0\n$`,
	} {
		cmd := exec.Command(bash, "fleet-audit.sh", "--attribute")
		cmd.Env = fleetEnv("OUT_DIR="+out, "HOST_ID=mac-01", "ATTRIBUTE_FORMAT="+format)
		got, err := cmd.Output()
		if err != nil || !regexp.MustCompile(want).Match(got) {
			t.Errorf("--attribute (%s): %v, %q, want %s", format, err, got, want)
		}
	}
}

// TestFleetAuditBadRelease: a release whose archive does not match its
// checksums.txt is not installed, and the audit fails (exit 2).
func TestFleetAuditBadRelease(t *testing.T) {
	bin := mcpscanBin(t)
	bash := needBash(t)
	installDir := filepath.Join(t.TempDir(), "bin")
	installer, _ := filepath.Abs(filepath.Join(repoRoot, "scripts", "install.sh"))
	goos, goarch := hostRelease(t)
	rel := testrelease.Write(t, bin, releaseVersion, "mcpscan_"+releaseVersion+"_"+goos+"_"+goarch+".tar.gz")
	cmd := exec.Command(bash, "fleet-audit.sh")
	cmd.Env = fleetEnv("HOME="+t.TempDir(), "OUT_DIR="+t.TempDir(), "INSTALL_DIR="+installDir, "MCPSCAN_VERSION="+releaseVersion,
		"MCPSCAN_INSTALL_SH="+installer, "MCPSCAN_RELEASES_URL="+rel)
	log, err := cmd.CombinedOutput()
	if code := exitCode(err); code != 2 || !bytes.Contains(log, []byte("does not match checksums.txt")) {
		t.Errorf("exit %d, want 2 and the checksum error\n%s", code, log)
	}
	if _, err := os.Stat(filepath.Join(installDir, "mcpscan")); err == nil {
		t.Errorf("a binary was installed")
	}
}

// hostRelease is this machine's GOOS and GOARCH as release archives name
// them; tests that install a release skip elsewhere.
func hostRelease(t *testing.T) (string, string) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOOS", "GOARCH").Output()
	if err != nil {
		t.Skip("no go env")
	}
	f := strings.Fields(string(out))
	if len(f) != 2 || (f[0] != "linux" && f[0] != "darwin") || (f[1] != "amd64" && f[1] != "arm64") {
		t.Skipf("no release archive for %v", f)
	}
	return f[0], f[1]
}

type osqueryConfig struct {
	ATC map[string]struct {
		Query    string   `json:"query"`
		Path     string   `json:"path"`
		Columns  []string `json:"columns"`
		Platform string   `json:"platform"`
	} `json:"auto_table_construction"`
	Schedule map[string]struct {
		Query       string `json:"query"`
		Interval    int    `json:"interval"`
		Snapshot    bool   `json:"snapshot"`
		Description string `json:"description"`
		Platform    string `json:"platform"`
	} `json:"schedule"`
}

var selectFrom = regexp.MustCompile(`(?is)^SELECT (.+) FROM ([a-z_]+);?$`)

// TestOsqueryExport runs fleet-audit.sh for two users (and keeps an older
// report that must be ignored), loads the reports with osquery-export.sh,
// and runs osquery.conf's ATC queries on the database with sqlite3: each
// returns exactly its declared columns, one scan row per user and
// alice's findings, redacted; the scheduled queries read only columns the
// ATC tables have.
func TestOsqueryExport(t *testing.T) {
	bin := mcpscanBin(t)
	bash := needBash(t)
	needRoot(t)
	sqlite, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("no sqlite3")
	}
	raw, err := os.ReadFile("osquery.conf")
	if err != nil {
		t.Fatal(err)
	}
	var conf osqueryConfig
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&conf); err != nil {
		t.Fatalf("osquery.conf: %v", err)
	}

	out := t.TempDir()
	// An older report of alice's, clean: the export must take the newest.
	old := filepath.Join(out, "mcpscan_fleet-test-01_alice_20200101T000000Z.json")
	if err := os.WriteFile(old, []byte(`{"schema_version":1,"tool":{"name":"mcpscan","version":"0.0.1"},"findings":[],"errors":[],"stats":{"files_scanned":9}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bash, "fleet-audit.sh")
	cmd.Env = fleetEnv("MCPSCAN="+bin, "ALL_USERS=1", "HOMES="+filepath.Join(fleetHomes(t), "*"), "OUT_DIR="+out, "HOST_ID=fleet-test-01")
	if log, err := cmd.CombinedOutput(); exitCode(err) != 1 {
		t.Fatalf("fleet-audit.sh: %v\n%s", err, log)
	}
	db := filepath.Join(t.TempDir(), "db", "mcpscan.db")
	cmd = exec.Command(bash, "osquery-export.sh")
	cmd.Env = fleetEnv("OUT_DIR="+out, "HOST_ID=fleet-test-01", "DB="+db)
	log, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(log, []byte("of 2 reports")) {
		t.Fatalf("osquery-export.sh: %v\n%s", err, log)
	}
	if st, err := os.Stat(db); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("database: %v %v", st, err)
	}

	rows := map[string][]map[string]any{}
	for name, table := range conf.ATC {
		if table.Path != "/var/lib/mcpscan/mcpscan.db" || table.Platform != "posix" {
			t.Errorf("ATC %s: path %q, platform %q", name, table.Path, table.Platform)
		}
		out, err := exec.Command(sqlite, "-json", db, table.Query).Output()
		if err != nil {
			t.Fatalf("ATC %s: %s: %v", name, table.Query, err)
		}
		var got []map[string]any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("ATC %s: %v\n%s", name, err, out)
		}
		m := selectFrom.FindStringSubmatch(strings.TrimSpace(table.Query))
		if m == nil {
			t.Fatalf("ATC %s: query %q", name, table.Query)
		}
		if cols := splitColumns(m[1]); strings.Join(cols, ",") != strings.Join(table.Columns, ",") {
			t.Errorf("ATC %s: the query selects %v, the table declares %v", name, cols, table.Columns)
		}
		rows[name] = got
	}
	scans := rows["mcpscan_scans"]
	sort.Slice(scans, func(i, j int) bool { return scans[i]["user"].(string) < scans[j]["user"].(string) })
	if len(scans) != 2 || scans[0]["user"] != "alice" || scans[1]["user"] != "bob" || scans[0]["host"] != "fleet-test-01" ||
		scans[0]["tool_version"] != releaseVersion || scans[0]["findings"].(float64) < 1 || scans[1]["findings"].(float64) != 0 {
		t.Errorf("mcpscan_scans: %v", scans)
	}
	for _, s := range scans {
		if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`).MatchString(s["scanned_at"].(string)) || strings.Contains(s["report"].(string), "2020") {
			t.Errorf("scan %v: scanned_at not RFC 3339, or the older report was read", s)
		}
	}
	findings := rows["mcpscan_findings"]
	if len(findings) == 0 {
		t.Fatal("mcpscan_findings is empty")
	}
	for _, f := range findings {
		if f["user"] != "alice" || f["severity"] == nil || f["rule_id"] == nil || f["fingerprint"] == nil || f["line"] == nil {
			t.Errorf("finding %v", f)
		}
		if f["rule_id"] == "github-pat" && (f["secret"] == fakeToken || !strings.Contains(f["secret"].(string), "…")) {
			t.Errorf("finding secret %q is not redacted", f["secret"])
		}
	}

	for name, q := range conf.Schedule {
		m := selectFrom.FindStringSubmatch(strings.TrimSpace(q.Query))
		table, ok := conf.ATC[m[2]]
		if m == nil || !ok || q.Interval < 60 || q.Description == "" {
			t.Errorf("schedule %s: %+v", name, q)
			continue
		}
		have := map[string]bool{}
		for _, c := range table.Columns {
			have[c] = true
		}
		for _, c := range splitColumns(m[1]) {
			if !have[c] {
				t.Errorf("schedule %s reads %s, which %s does not have", name, c, m[2])
			}
		}
	}
}

func splitColumns(s string) []string {
	var cols []string
	for _, c := range strings.Split(s, ",") {
		cols = append(cols, strings.TrimSpace(c))
	}
	return cols
}

type ansiblePlay struct {
	Name   string         `yaml:"name"`
	Hosts  string         `yaml:"hosts"`
	Become bool           `yaml:"become"`
	Vars   map[string]any `yaml:"vars"`
	Tasks  []map[string]any
}

// TestAnsiblePlaybook: the playbook parses, uses only builtin modules by
// their full names, downloads the archive GoReleaser names for the host
// with get_url checking it against the release's checksums.txt, passes
// fleet-audit.sh only settings it documents, and fails a host only on
// exit 2. With ansible-playbook installed it runs the play on this machine
// (connection local, a release directory on disk, the current user's home)
// and checks the collected report.
func TestAnsiblePlaybook(t *testing.T) {
	raw, err := os.ReadFile("ansible-playbook.yml")
	if err != nil {
		t.Fatal(err)
	}
	var plays []ansiblePlay
	if err := yaml.Unmarshal(raw, &plays); err != nil {
		t.Fatalf("ansible-playbook.yml: %v", err)
	}
	if len(plays) != 1 || plays[0].Hosts == "" || !plays[0].Become || len(plays[0].Tasks) == 0 {
		t.Fatalf("plays: %+v", plays)
	}
	p := plays[0]
	if p.Vars["mcpscan_archive"] != "mcpscan_{{ mcpscan_version }}_{{ mcpscan_os }}_{{ mcpscan_arch }}.tar.gz" {
		t.Errorf("mcpscan_archive %q: not GoReleaser's archive name (see scripts/action TestGoreleaserArchiveNames)", p.Vars["mcpscan_archive"])
	}
	script, _ := os.ReadFile("fleet-audit.sh")
	envs, _ := p.Vars["mcpscan_env"].(map[string]any)
	for k := range envs {
		if !regexp.MustCompile(`(?m)^#   ` + k + ` `).Match(script) {
			t.Errorf("mcpscan_env: %s is not a setting of fleet-audit.sh", k)
		}
	}
	modules := map[string]bool{"ansible.builtin.file": true, "ansible.builtin.get_url": true, "ansible.builtin.command": true,
		"ansible.builtin.copy": true, "ansible.builtin.fetch": true, "ansible.builtin.debug": true, "ansible.builtin.cron": true}
	keywords := map[string]bool{"name": true, "loop": true, "register": true, "changed_when": true, "failed_when": true, "environment": true, "when": true}
	var audit, download bool
	for _, task := range p.Tasks {
		for k, v := range task {
			if keywords[k] {
				continue
			}
			if !modules[k] {
				t.Errorf("task %q: %s is not one of the builtin modules the playbook uses", task["name"], k)
			}
			args, _ := v.(map[string]any)
			switch k {
			case "ansible.builtin.get_url":
				download = args["checksum"] == "sha256:{{ mcpscan_releases }}/download/v{{ mcpscan_version }}/checksums.txt" &&
					strings.HasSuffix(args["url"].(string), "/download/v{{ mcpscan_version }}/{{ mcpscan_archive }}")
			case "ansible.builtin.copy":
				if _, err := os.Stat(args["src"].(string)); err != nil {
					t.Errorf("copy src: %v", err)
				}
			case "ansible.builtin.command":
				if strings.Contains(toString(args["argv"]), "fleet-audit.sh") {
					audit = task["failed_when"] == "mcpscan_audit.rc not in [0, 1]" && task["environment"] == "{{ mcpscan_env }}"
				}
			}
		}
	}
	if !audit || !download {
		t.Errorf("audit task (fleet-audit.sh, failing on exit 2 only) %v; checked download %v", audit, download)
	}

	ansible, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Log("no ansible-playbook: the play itself is not run")
		return
	}
	bin := mcpscanBin(t)
	goos, goarch := hostRelease(t)
	_ = goarch
	home := fleetHomes(t)
	work := t.TempDir()
	vars := map[string]any{
		"mcpscan_version":   releaseVersion,
		"mcpscan_releases":  testrelease.Write(t, bin, releaseVersion, ""),
		"mcpscan_dir":       filepath.Join(work, "opt"),
		"mcpscan_reports":   filepath.Join(work, "collected"),
		"mcpscan_all_users": false,
		"ansible_become":    false,
		"ansible_python_interpreter": func() string {
			if p, err := exec.LookPath("python3"); err == nil {
				return p
			}
			return "auto_silent"
		}(),
	}
	if goos == "darwin" {
		vars["ansible_system"] = "Darwin"
	}
	varsFile := filepath.Join(work, "vars.json")
	b, _ := json.Marshal(vars)
	if err := os.WriteFile(varsFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	playbook, _ := filepath.Abs("ansible-playbook.yml")
	cmd := exec.Command(ansible, "-i", "localhost,", "-c", "local", "-e", "@"+varsFile, playbook)
	cmd.Env = fleetEnv("HOME="+filepath.Join(home, "alice"), "ANSIBLE_LOCAL_TEMP="+filepath.Join(work, "ansible-local"),
		"ANSIBLE_REMOTE_TEMP="+filepath.Join(work, "ansible-remote"), "ANSIBLE_NOCOLOR=1", "ANSIBLE_RETRY_FILES_ENABLED=0",
		"ANSIBLE_CONFIG="+filepath.Join(work, "none.cfg"))
	log, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ansible-playbook: %v\n%s", err, log)
	}
	collected, _ := filepath.Glob(filepath.Join(work, "collected", "localhost", "mcpscan_localhost_*.jsonl"))
	if len(collected) != 1 {
		t.Fatalf("collected %v\n%s", collected, log)
	}
	data, _ := os.ReadFile(collected[0])
	if !bytes.Contains(data, []byte(`"rule_id":"github-pat"`)) || !bytes.Contains(data, []byte(`"host":"localhost"`)) || bytes.Contains(data, []byte(fakeToken)) {
		t.Errorf("collected report:\n%s", data)
	}
}

func toString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
