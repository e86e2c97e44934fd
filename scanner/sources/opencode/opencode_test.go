package opencode_test

import (
	"path/filepath"
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
	"github.com/mcpscan/mcpscan/scanner/sources/opencode"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
)

// opencode.db (json-migration.ts tables) and a legacy storage/ part.
func TestStore(t *testing.T) {
	typed, in, out, old := handlertest.Token("github", 1), handlertest.Token("npm", 2), handlertest.Token("aws", 3), handlertest.Token("slack", 4)
	data := filepath.Join(t.TempDir(), ".local", "share", "opencode")
	handlertest.CreateDB(t, filepath.Join(data, "opencode.db"),
		`CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT, directory TEXT, title TEXT, time_created INTEGER)`,
		`CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, time_created INTEGER, data TEXT)`,
		`CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT, session_id TEXT, time_created INTEGER, data TEXT)`,
		`INSERT INTO session VALUES ('ses_1', 'p1', '/home/u/api', 'Seed', 1777973250000)`,
		`INSERT INTO message VALUES ('msg_u', 'ses_1', 1777973250879, '{"role":"user","time":{"created":1777973250879}}')`,
		`INSERT INTO message VALUES ('msg_a', 'ses_1', 1777973257419, '{"role":"assistant","time":{"created":1777973257419}}')`,
		`INSERT INTO part VALUES ('prt_1', 'msg_u', 'ses_1', 1777973250879, ?)`, []any{`{"type":"text","text":"key ` + typed + `"}`},
		`INSERT INTO part VALUES ('prt_2', 'msg_a', 'ses_1', 1777973257419, ?)`, []any{`{"type":"tool","callID":"toolu_1","tool":"bash","state":{"status":"completed","input":{"command":"TOKEN=` + in + ` npm run seed"},"output":"id ` + out + `\n","metadata":{"output":"id ` + out + `\n","exit":0}}}`},
	)
	handlertest.WriteFile(t, filepath.Join(data, "storage", "session", "p1", "ses_old.json"), `{"id":"ses_old","projectID":"p1","directory":"/home/u/old","title":"Old","time":{"created":1767972450000}}`)
	handlertest.WriteFile(t, filepath.Join(data, "storage", "part", "msg_o", "prt_o.json"), `{
  "id": "prt_o",
  "sessionID": "ses_old",
  "messageID": "msg_o",
  "type": "tool",
  "tool": "write",
  "state": {"status": "completed", "input": {"filePath": "/home/u/old/.env", "content": "SLACK=`+old+`\n"}, "time": {"start": 1767972459508, "end": 1767972459528}}
}
`)
	res := handlertest.ScanTree(t, data, sqlite.Container{}, opencode.Handler{}, sqlite.Rows{})
	if len(res.Errors) != 0 {
		t.Errorf("errors %v", res.Errors)
	}
	ctx := func(kv ...string) map[string]string {
		m := map[string]string{"client": "opencode", "session_id": "ses_1", "project": "/home/u/api"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	handlertest.Expect(t, res.Findings, typed, handlertest.Want{Field: "data.text", Context: ctx("record_type", "user", "timestamp", "2026-05-05T09:27:30.879Z")})
	handlertest.Expect(t, res.Findings, in, handlertest.Want{Field: "data.state.input.command", Context: ctx("record_type", "assistant", "tool", "bash")})
	handlertest.Expect(t, res.Findings, out, handlertest.Want{Field: "data.state.output", AlsoIn: []string{"data.state.metadata.output"}, Context: ctx("tool", "bash")})
	handlertest.Expect(t, res.Findings, old, handlertest.Want{Line: 7, Field: "state.input.content",
		Context: map[string]string{"session_id": "ses_old", "project": "/home/u/old", "timestamp": "2026-01-09T15:27:39.508Z", "tool": "write"}})
}
