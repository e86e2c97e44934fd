package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

// TestDemoHomeTerminalReport holds the terminal report of the demo home
// in a 100-column terminal to what a reader needs first: the most severe
// finding at the top, no line wider than the terminal, each rule's
// description once, and each distinct secret once.
func TestDemoHomeTerminalReport(t *testing.T) {
	t.Setenv("COLUMNS", "100")
	t.Setenv("NO_COLOR", "")
	code, out, errOut := mcpscan(t, fixtureHome)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	_, js, _ := mcpscan(t, "--format", "json", fixtureHome)
	var rep struct {
		Findings []struct {
			RuleID      string `json:"rule_id"`
			Description string `json:"description"`
			Severity    string `json:"severity"`
			Secret      string `json:"secret"`
			SecretID    string `json:"secret_id"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}

	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if w := lipgloss.Width(l); w > 100 {
			t.Errorf("line %d is %d columns wide: %q", i+1, w, l)
		}
	}

	// The first entry is of the highest severity found.
	rank := map[string]int{"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
	top := "info"
	for _, f := range rep.Findings {
		if rank[f.Severity] > rank[top] {
			top = f.Severity
		}
	}
	first := ""
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 2 || f[0] != strings.ToUpper(f[0]) {
			continue
		}
		if _, ok := rank[strings.ToLower(f[0])]; ok {
			first = f[0]
			break
		}
	}
	if first != strings.ToUpper(top) {
		t.Errorf("the first finding is %s, want the most severe, %s:\n%s", first, strings.ToUpper(top), out)
	}

	// Each description once (wrapped: compare with white space collapsed).
	flat := strings.Join(strings.Fields(out), " ")
	descs := map[string]bool{}
	for _, f := range rep.Findings {
		descs[f.Description] = true
	}
	for d := range descs {
		if n := strings.Count(flat, strings.Join(strings.Fields(d), " ")); n != 1 {
			t.Errorf("description printed %d times, want once: %q", n, d)
		}
	}

	// Each distinct secret once: as many occurrences of a redacted form as
	// there are secrets with that form.
	ids := map[string]map[string]bool{}
	for _, f := range rep.Findings {
		if f.SecretID == "" {
			continue
		}
		if ids[f.Secret] == nil {
			ids[f.Secret] = map[string]bool{}
		}
		ids[f.Secret][f.SecretID] = true
	}
	if len(ids) == 0 {
		t.Fatal("no secret ids in the JSON report")
	}
	for red, set := range ids {
		if n := strings.Count(out, "secret "+red); n != len(set) {
			t.Errorf("secret %s listed %d times, want %d", red, n, len(set))
		}
	}
}
