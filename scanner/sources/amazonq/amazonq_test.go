package amazonq_test

import (
	"path/filepath"
	"testing"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/amazonq"
	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
)

// data.sqlite3 (database/mod.rs and the 008 migrations): a conversation,
// the typed line, and the login table, which is skipped.
func TestDatabase(t *testing.T) {
	k, login := handlertest.Token("github", 1), handlertest.Token("aws", 2)
	dir := filepath.Join(t.TempDir(), ".local", "share", "amazon-q")
	prompt := "deploy with key " + k
	handlertest.CreateDB(t, filepath.Join(dir, "data.sqlite3"),
		`CREATE TABLE conversations_v2 (key TEXT NOT NULL, conversation_id TEXT NOT NULL, value TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (key, conversation_id))`,
		`CREATE TABLE chat_readline_history (id INTEGER PRIMARY KEY, input TEXT NOT NULL, cwd TEXT NOT NULL, timestamp INTEGER NOT NULL)`,
		`CREATE TABLE auth_kv (key TEXT PRIMARY KEY, value TEXT)`,
		`INSERT INTO conversations_v2 VALUES ('/home/u/fn', 'c-1', ?, 1777973518950, 1777973518950)`,
		[]any{`{"conversation_id":"c-1","history":[{"user":{"content":{"Prompt":{"prompt":"` + prompt + `"}},"timestamp":"2026-05-05T09:31:58.950Z"},"assistant":{"Response":{"content":"ok"}}}]}`},
		`INSERT INTO chat_readline_history VALUES (1, ?, '/home/u/fn', 1777973518950)`, []any{prompt},
		`INSERT INTO auth_kv VALUES ('codewhisperer:odic:token', ?)`, []any{`{"access_token":"` + login + `"}`},
	)
	res := handlertest.ScanTree(t, dir, sqlite.Container{}, amazonq.Handler{}, sqlite.Rows{})
	var conv, typed *scanner.Finding
	for i, f := range handlertest.Of(res.Findings, k) {
		switch f.Field {
		case "value.history[0].user.content.Prompt.prompt":
			conv = &handlertest.Of(res.Findings, k)[i]
		case "input":
			typed = &handlertest.Of(res.Findings, k)[i]
		}
	}
	if conv == nil || typed == nil {
		t.Fatalf("findings %v", res.Findings)
	}
	for _, f := range []*scanner.Finding{conv, typed} {
		if f.Context.Get("client") != "Amazon Q" || f.Context.Get("session_id") != "c-1" || f.Context.Get("project") != "/home/u/fn" || f.Context.Get("record_type") != "user" {
			t.Errorf("%s: context %v", f.Field, f.Context)
		}
	}
	if len(handlertest.Of(res.Findings, login)) != 0 || res.Stats.SkippedBy[scanner.SkipCredentialStore] != 1 {
		t.Errorf("the login table: skipped %v", res.Stats.SkippedBy)
	}
}
