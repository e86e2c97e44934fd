package records

import (
	"strconv"

	"github.com/mcpscan/mcpscan/scanner"
)

// Folder holds the findings of one file until it is done, so that a
// secret an agent stores again in a later record of the same file — Codex
// mirrors every message as an event_msg, Copilot CLI repeats a tool's
// arguments in tool.execution_start, Gemini CLI appends a message again
// each time it changes, VS Code's chat log replays a request — is
// reported once: at its first place, with each later place listed in the
// finding's AlsoIn as "line N: field" (terminal: "also line 7:
// payload.message"). A copy in another file is another finding: each
// file has to be cleaned.
//
// Memory: the file's findings (one per distinct secret and fold key).
type Folder struct {
	findings []scanner.Finding
	index    map[string]int
}

// Add records f, which is no copy and takes none.
func (fo *Folder) Add(f scanner.Finding) { fo.findings = append(fo.findings, f) }

// Original records f and makes it the finding later copies under key fold
// into (replacing an earlier original under key): a Codex response_item,
// whose event_msg mirror follows.
func (fo *Folder) Original(key string, f scanner.Finding) {
	if fo.index == nil {
		fo.index = map[string]int{}
	}
	fo.index[key] = len(fo.findings)
	fo.findings = append(fo.findings, f)
}

// Copy folds f into the finding recorded under key — its place joins that
// finding's AlsoIn — and returns true; with no finding under key yet, f
// is recorded as the original and Copy returns false. Keys are the
// handler's: the unit a copy belongs to (a message id, a tool call id)
// plus the rule and the secret (FoldKey).
func (fo *Folder) Copy(key string, f scanner.Finding) bool {
	i, ok := fo.index[key]
	if !ok {
		fo.Original(key, f)
		return false
	}
	first := &fo.findings[i]
	place := f.Field
	if f.Line != first.Line {
		place = "line " + strconv.Itoa(f.Line) + ": " + f.Field
	}
	if place != "" && place != first.Field && !contains(first.AlsoIn, place) {
		first.AlsoIn = append(first.AlsoIn, place)
	}
	for _, a := range f.AlsoIn {
		if f.Line != first.Line {
			a = "line " + strconv.Itoa(f.Line) + ": " + a
		}
		if !contains(first.AlsoIn, a) {
			first.AlsoIn = append(first.AlsoIn, a)
		}
	}
	return true
}

// Find returns the finding added under key, or nil.
func (fo *Folder) Find(key string) *scanner.Finding {
	if i, ok := fo.index[key]; ok {
		return &fo.findings[i]
	}
	return nil
}

// Report passes the findings to env, in the order they were added.
func (fo *Folder) Report(env *scanner.Env) {
	for _, f := range fo.findings {
		env.Report(f)
	}
	fo.findings, fo.index = nil, nil
}

// FoldKey returns the key of the secret of p within unit (a turn, a
// message id): its rule and value.
func FoldKey(unit string, p Place) string {
	return unit + "\x00" + p.Hit.Rule.ID + "\x00" + p.Hit.Secret
}
