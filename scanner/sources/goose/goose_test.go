package goose_test

import (
	"path/filepath"
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/goose"
	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
)

// sessions.db (session_manager.rs) and a legacy JSONL session (legacy.rs).
func TestSessions(t *testing.T) {
	arg, out, old := handlertest.Token("github", 1), handlertest.Token("npm", 2), handlertest.Token("slack", 3)
	dir := filepath.Join(t.TempDir(), ".local", "share", "goose", "sessions")
	handlertest.CreateDB(t, filepath.Join(dir, "sessions.db"),
		`CREATE TABLE sessions (id TEXT PRIMARY KEY, name TEXT, working_dir TEXT NOT NULL, created_at TIMESTAMP)`,
		`CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, role TEXT NOT NULL, content_json TEXT NOT NULL, created_timestamp INTEGER NOT NULL, metadata_json TEXT)`,
		`INSERT INTO sessions VALUES ('20260505_1', 'tf', '/home/u/infra', '2026-05-05 09:28:00')`,
		`INSERT INTO messages (session_id, role, content_json, created_timestamp) VALUES ('20260505_1', 'assistant', ?, 1777973317)`,
		[]any{`[{"type":"toolRequest","id":"toolu_1","toolCall":{"status":"success","value":{"name":"developer__shell","arguments":{"command":"GH=` + arg + ` terraform apply"}}}},{"type":"toolConfirmationRequest","id":"toolu_1","toolName":"developer__shell","arguments":{"command":"GH=` + arg + ` terraform apply"}}]`},
		`INSERT INTO messages (session_id, role, content_json, created_timestamp) VALUES ('20260505_1', 'user', ?, 1777973326)`,
		[]any{`[{"type":"toolResponse","id":"toolu_1","toolResult":{"status":"success","value":[{"type":"text","text":"ci_token = ` + out + `"}]}}]`},
	)
	handlertest.WriteFile(t, filepath.Join(dir, "20251105_1.jsonl"),
		`{"working_dir":"/home/u/web","description":"release","message_count":1}`+"\n"+
			`{"id":null,"role":"user","created":1762334944,"content":[{"type":"text","text":"publish with `+old+`"}]}`+"\n")
	res := handlertest.ScanTree(t, dir, sqlite.Container{}, goose.Handler{}, sqlite.Rows{})
	if len(res.Errors) != 0 {
		t.Errorf("errors %v", res.Errors)
	}
	handlertest.Expect(t, res.Findings, arg, handlertest.Want{Field: "content_json[0].toolCall.value.arguments.command", AlsoIn: []string{"content_json[1].arguments.command"},
		Context: map[string]string{"client": "Goose", "session_id": "20260505_1", "project": "/home/u/infra", "timestamp": "2026-05-05T09:28:37Z", "record_type": "assistant", "tool": "developer__shell"}})
	handlertest.Expect(t, res.Findings, out, handlertest.Want{Field: "content_json[0].toolResult.value[0].text",
		Context: map[string]string{"session_id": "20260505_1", "timestamp": "2026-05-05T09:28:46Z", "record_type": "user"}})
	handlertest.Expect(t, res.Findings, old, handlertest.Want{Line: 2, Field: "content[0].text",
		Context: map[string]string{"session_id": "20251105_1", "project": "/home/u/web", "timestamp": "2025-11-05T09:29:04Z"}})
}
