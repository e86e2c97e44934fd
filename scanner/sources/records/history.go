package records

import (
	"github.com/mcpscan/mcpscan/scanner"
)

// HistoryFields are the context keys of an agent's history, in display
// order: the agent, the project, the session, the time, the role or
// record type and the tool. A source whose format has fewer lists its own.
var HistoryFields = []scanner.Field{scanner.FieldClient, scanner.FieldProject, scanner.FieldSession, scanner.FieldTimestamp,
	scanner.FieldRecordType, scanner.FieldTool}

// Lines is embedded by handlers of JSON Lines histories: records are
// judged one by one, so a stray NUL byte in one does not make the engine
// skip the file as binary (scanner.LineOriented).
type Lines struct{}

// LineOriented reports that records are judged one by one.
func (Lines) LineOriented() bool { return true }

// AppendOnly is embedded by handlers of append-only JSON Lines files,
// which a scan with --state resumes at a line start (scanner.Resumer).
type AppendOnly struct{ Lines }

// Resumes reports that the files are append-only.
func (AppendOnly) Resumes() bool { return true }

// Meta is what a finding says about the record that held it. Empty values
// are left out; Time is normalized (Time).
type Meta struct {
	Client, Project, Session, Time, Role, Tool string
}

// Context returns m as a finding's context, in HistoryFields order.
func (m Meta) Context() scanner.Context {
	return scanner.Context{
		{Key: scanner.FieldClient.Key, Value: m.Client},
		{Key: scanner.FieldProject.Key, Value: m.Project},
		{Key: scanner.FieldSession.Key, Value: m.Session},
		{Key: scanner.FieldTimestamp.Key, Value: Time(m.Time)},
		{Key: scanner.FieldRecordType.Key, Value: m.Role},
		{Key: scanner.FieldTool.Key, Value: m.Tool},
	}.Compact()
}

// Finding returns the finding of place p in in, of source src, with m as
// its context; the client is src's agent unless m names one.
func (m Meta) Finding(in *scanner.Input, src *scanner.Source, p Place) scanner.Finding {
	if m.Client == "" {
		m.Client = src.Agent
	}
	return Finding(in, src, p, m.Context())
}
