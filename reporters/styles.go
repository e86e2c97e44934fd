package reporters

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/mcpscan/mcpscan/rules"
)

// numSeverities is the number of rules.Severity values (Info … Critical).
const numSeverities = int(rules.Critical) + 1

// styles holds every style of the terminal report. It is built once per
// report by newStyles; every lipgloss.NewStyle call of the package lives in
// this file. Colours are the 16 basic ANSI colours, so that they follow the
// user's terminal theme and need no background detection.
type styles struct {
	badge    [numSeverities]lipgloss.Style // severity badge, indexed by rules.Severity
	severity [numSeverities]lipgloss.Style // severity names in the summary

	title       lipgloss.Style // report header
	group       lipgloss.Style // project or file heading
	groupCount  lipgloss.Style // "3 findings" next to a heading
	ruleID      lipgloss.Style // rule ID on a finding's first line
	description lipgloss.Style // rule description on a finding's first line
	path        lipgloss.Style // file path of a location
	position    lipgloss.Style // ":line:column" of a location
	context     lipgloss.Style // session · time · tool → field
	label       lipgloss.Style // "secret", "why", "fix" and summary labels
	secret      lipgloss.Style // the (redacted) secret
	heading     lipgloss.Style // section headings: "How to fix", "Errors", "Summary"
	errorText   lipgloss.Style // an error message
	good        lipgloss.Style // the final line when nothing was found
	bad         lipgloss.Style // the final line when something was found
}

// newStyles builds the styles for renderer r. With color false it returns
// the plain variant: no attributes at all, and badges without padding, so
// that the output is plain text.
func newStyles(r *lipgloss.Renderer, color bool) *styles {
	plain := r.NewStyle()
	if !color {
		s := &styles{
			title: plain, group: plain, groupCount: plain, ruleID: plain, description: plain,
			path: plain, position: plain, context: plain, label: plain, secret: plain,
			heading: plain, errorText: plain, good: plain, bad: plain,
		}
		for i := range s.badge {
			s.badge[i] = plain
			s.severity[i] = plain
		}
		return s
	}

	type sevColors struct{ fg, bg, text lipgloss.Color }
	sev := [numSeverities]sevColors{
		rules.Info:     {fg: "15", bg: "8", text: "8"},
		rules.Low:      {fg: "15", bg: "4", text: "4"},
		rules.Medium:   {fg: "0", bg: "3", text: "3"},
		rules.High:     {fg: "0", bg: "9", text: "9"},
		rules.Critical: {fg: "15", bg: "1", text: "1"},
	}
	s := &styles{
		title:       r.NewStyle().Bold(true),
		group:       r.NewStyle().Bold(true).Foreground(lipgloss.Color("6")),
		groupCount:  r.NewStyle().Faint(true),
		ruleID:      r.NewStyle().Bold(true),
		description: plain,
		path:        r.NewStyle().Foreground(lipgloss.Color("5")),
		position:    r.NewStyle().Foreground(lipgloss.Color("2")),
		context:     r.NewStyle().Faint(true),
		label:       r.NewStyle().Faint(true),
		secret:      r.NewStyle().Foreground(lipgloss.Color("3")).Bold(true),
		heading:     r.NewStyle().Bold(true),
		errorText:   r.NewStyle().Foreground(lipgloss.Color("1")),
		good:        r.NewStyle().Foreground(lipgloss.Color("2")).Bold(true),
		bad:         r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
	}
	for i, c := range sev {
		s.badge[i] = r.NewStyle().Bold(true).Foreground(c.fg).Background(c.bg).Padding(0, 1)
		s.severity[i] = r.NewStyle().Bold(true).Foreground(c.text)
	}
	return s
}

// sevIndex maps a severity to an index of styles.badge, clamping values
// outside Info … Critical.
func sevIndex(s rules.Severity) int {
	switch {
	case s < rules.Info:
		return int(rules.Info)
	case s > rules.Critical:
		return int(rules.Critical)
	}
	return int(s)
}
