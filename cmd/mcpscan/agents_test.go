package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mcpscan/mcpscan/fixtures/agents"
)

// agentClients are the context.client values each agent's findings carry.
var agentClients = map[string]string{
	agents.Codex: "Codex CLI", agents.GeminiCLI: "Gemini CLI", agents.Cursor: "Cursor", agents.CopilotChat: "Copilot Chat",
	agents.CopilotCLI: "Copilot CLI", agents.Cline: "Cline", agents.RooCode: "Roo Code", agents.KiloCode: "Kilo Code",
	agents.Continue: "Continue", agents.Aider: "Aider", agents.OpenCode: "opencode", agents.Goose: "Goose",
	agents.ClaudeCode: "Claude Code", agents.Amp: "Amp", agents.Junie: "Junie", agents.AmazonQ: "Amazon Q", agents.Zed: "Zed",
}

// TestEveryAgentFromHome: a scan without arguments of a home holding every
// agent's real-shaped history (fixtures/agents) finds every planted secret
// at its file and line (or database row), and each finding names its
// agent, its session and, where the record has one, its time. Aider keeps
// its files in the project, which is scanned by name.
func TestEveryAgentFromHome(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the generated home has the Linux layout (~/.config, ~/.local/share)")
	}
	dir := t.TempDir()
	m, err := agents.Generate(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(dir, "home")
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME",
		"CONTINUE_GLOBAL_DIR", "CLINE_DIR", "GOOSE_PATH_ROOT"} {
		t.Setenv(v, "")
	}
	type finding struct {
		RuleID  string         `json:"rule_id"`
		Path    string         `json:"path"`
		Line    int            `json:"line"`
		Secret  string         `json:"secret"`
		Context map[string]any `json:"context"`
	}
	run := func(args ...string) []finding {
		code, out, errOut := mcpscan(t, append([]string{"--format", "json", "--show-secrets", "--no-config"}, args...)...)
		if code != exitFindings {
			t.Fatalf("mcpscan %v: exit %d: %s", args, code, errOut)
		}
		var rep struct {
			Findings []finding `json:"findings"`
			Errors   []any     `json:"errors"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Errors) != 0 {
			t.Errorf("mcpscan %v: errors %v", args, rep.Errors)
		}
		return rep.Findings
	}
	found := run()
	found = append(found, run(filepath.Join(home, "code", "payments-api"))...)

	str := func(f finding, k string) string { s, _ := f.Context[k].(string); return s }
	missed := 0
	for _, s := range m.Secrets {
		want := filepath.Join(home, filepath.FromSlash(s.Path))
		if s.Row != "" {
			want += "!" + s.Row
		}
		var match *finding
		for i, f := range found {
			if f.Path == want && strings.Contains(f.Secret, s.Secret) && (s.Row != "" || f.Line == s.Line) {
				match = &found[i]
				break
			}
		}
		where := s.Agent + " " + s.Path + ":" + strconv.Itoa(s.Line) + s.Row
		if match == nil {
			missed++
			t.Errorf("missed %s (%s, %s)", where, s.Where, s.Field)
			continue
		}
		if got := str(*match, "client"); got != agentClients[s.Agent] {
			t.Errorf("%s: client %q, want %q", where, got, agentClients[s.Agent])
		}
		if s.Session != "" && str(*match, "session_id") != s.Session {
			t.Errorf("%s: session %q, want %q", where, str(*match, "session_id"), s.Session)
		}
		if s.Time != "" && !sameSecond(str(*match, "timestamp"), s.Time) {
			t.Errorf("%s: time %q, want %q", where, str(*match, "timestamp"), s.Time)
		}
	}
	t.Logf("%d of %d planted secrets found", len(m.Secrets)-missed, len(m.Secrets))
}

// sameSecond reports whether two times name the same second; a time
// written without a zone (local time, as Aider and Junie write it) is
// compared by its wall clock.
func sameSecond(got, want string) bool {
	parse := func(s string) (time.Time, bool) {
		for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
			if t, err := time.Parse(l, s); err == nil {
				return t.UTC().Truncate(time.Second), true
			}
		}
		return time.Time{}, false
	}
	g, ok1 := parse(got)
	w, ok2 := parse(want)
	return ok1 && ok2 && g.Equal(w)
}
