// Package junie reads JetBrains Junie CLI's sessions (docs/agents.md §12):
// ~/.junie/sessions/session-<yymmdd-hhmmss>-<rand>/events.jsonl (events
// {kind: UserPromptEvent, prompt} and {kind: SessionA2uxEvent,
// event{agentEvent{…}}}), the index ~/.junie/sessions/index.jsonl
// ({sessionId, createdAt, updatedAt, taskName}) and ~/.junie/history.jsonl.
//
// Source: Haehnchen/idea-de-espend-ml-llm JUNIE_SESSION_ADAPTER.md
// @14f1bb4b. Events carry no time: a finding in a session takes its time
// from the session's name (yymmdd-hhmmss, local time as written).
package junie

import (
	"context"
	"path"
	"strings"
	"time"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/records"
)

// Source is a Junie session log or history.
var Source = &scanner.Source{
	Name: "junie-session", Agent: "Junie", Store: scanner.StoreTranscript,
	Label:        "a Junie session",
	Advice:       "Junie keeps sessions in ~/.junie/sessions: after rotating, run `mcpscan redact` (or delete the session's directory).",
	Fields:       []scanner.Field{scanner.FieldClient, scanner.FieldSession, scanner.FieldTimestamp, scanner.FieldRecordType},
	AgentWritten: true,
}

// Handler reads Junie's JSON Lines files.
type Handler struct{ records.AppendOnly }

// Sources returns Source.
func (Handler) Sources() []*scanner.Source { return []*scanner.Source{Source} }

// Accepts takes *.jsonl below a .junie directory.
func (Handler) Accepts(p string) bool {
	return strings.Contains(p, "/.junie/") && strings.HasSuffix(p, ".jsonl")
}

var captureKeys = []string{"kind", "sessionId", "createdAt", "timestamp"}

// Scan reads one log.
func (Handler) Scan(_ context.Context, in *scanner.Input, env *scanner.Env) error {
	session := ""
	if dir := path.Base(path.Dir(in.ClassPath)); strings.HasPrefix(dir, "session-") {
		session = dir
	}
	started := sessionTime(session)
	return records.JSONL(in, env, records.Options{Capture: captureKeys}, func(places []records.Place) {
		for _, p := range places {
			rec := p.Record(0)
			env.Report(records.Meta{
				Session: records.FirstOf(records.Get(rec, "sessionId"), session),
				Time:    records.FirstOf(records.Get(rec, "timestamp"), records.Get(rec, "createdAt"), started),
				Role:    records.Get(rec, "kind"),
			}.Finding(in, Source, p))
		}
	})
}

// sessionTime reads session-<yymmdd-hhmmss>-<rand>; "" when it does not parse.
func sessionTime(session string) string {
	parts := strings.Split(session, "-")
	if len(parts) < 3 {
		return ""
	}
	t, err := time.Parse("060102-150405", parts[1]+"-"+parts[2])
	if err != nil {
		return ""
	}
	return t.Format("2006-01-02T15:04:05")
}
