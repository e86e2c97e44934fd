package cursor_test

import (
	"path/filepath"
	"testing"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources/cursor"
	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
)

const kv = `CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)`
const items = `CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)`

// Cursor's global state.vscdb (docs/agents.md §3): a composer, a user
// bubble (text and richText), an assistant bubble whose toolFormerData
// holds rawArgs, params and result as JSON strings; its login rows; and a
// workspace database with the pre-composer chat.
func TestStateDB(t *testing.T) {
	typed, arg, out, old, login := handlertest.Token("github", 1), handlertest.Token("npm", 2), handlertest.Token("aws", 3), handlertest.Token("slack", 4), handlertest.Token("anthropic", 5)
	home := t.TempDir()
	user := filepath.Join(home, ".config", "Cursor", "User")
	composer := "a67f427d-af25-4501-9239-ac95428830f5"
	rawArgs := `{\"command\":\"npm publish --token ` + arg + `\",\"is_background\":false}`
	handlertest.CreateDB(t, filepath.Join(user, "globalStorage", "state.vscdb"), kv, items,
		`INSERT INTO cursorDiskKV VALUES (?, CAST(? AS BLOB))`, []any{"composerData:" + composer,
			`{"_v":3,"composerId":"` + composer + `","name":"Fix","createdAt":1777972916841,"workspaceIdentifier":{"id":"x","uri":{"fsPath":"/home/u/api"}}}`},
		`INSERT INTO cursorDiskKV VALUES (?, CAST(? AS BLOB))`, []any{"bubbleId:" + composer + ":b1",
			`{"_v":3,"type":1,"bubbleId":"b1","text":"the key is ` + typed + `","richText":"{\"root\":{\"children\":[{\"children\":[{\"text\":\"the key is ` + typed + `\",\"type\":\"text\"}],\"type\":\"paragraph\"}],\"type\":\"root\"}}","createdAt":"2026-05-05T09:21:56.841Z"}`},
		`INSERT INTO cursorDiskKV VALUES (?, CAST(? AS BLOB))`, []any{"bubbleId:" + composer + ":b2",
			`{"_v":3,"type":2,"bubbleId":"b2","text":"","createdAt":"2026-05-05T09:22:08.229Z","toolFormerData":{"tool":15,"status":"completed","name":"run_terminal_cmd","rawArgs":"` + rawArgs + `","params":"` + rawArgs + `","result":"{\"output\":\"id ` + out + `\\n\"}"}}`},
		`INSERT INTO ItemTable VALUES ('cursorAuth/accessToken', ?)`, []any{login},
	)
	ws := filepath.Join(user, "workspaceStorage", "0f3c")
	handlertest.CreateDB(t, filepath.Join(ws, "state.vscdb"), items, kv,
		`INSERT INTO ItemTable VALUES ('workbench.panel.aichat.view.aichat.chatdata', ?)`,
		[]any{`{"tabs":[{"tabId":"tab-1","chatTitle":"S3","bubbles":[{"type":"user","id":"u1","text":"why: aws s3 cp --profile ci # ` + old + `"}]}]}`})
	handlertest.WriteFile(t, filepath.Join(ws, "workspace.json"), `{"folder": "file:///home/u/web"}`)

	res := handlertest.ScanTree(t, home, sqlite.Container{}, cursor.Handler{}, sqlite.Rows{})
	if len(res.Errors) != 0 {
		t.Errorf("errors: %v", res.Errors)
	}
	ctx := func(kv ...string) map[string]string {
		m := map[string]string{"client": "Cursor", "session_id": composer, "project": "/home/u/api"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	f := handlertest.Expect(t, res.Findings, typed, handlertest.Want{Field: "value.text", AlsoIn: []string{"value.richText.root.children[0].children[0].text"},
		Context: ctx("record_type", "user", "timestamp", "2026-05-05T09:21:56.841Z")})
	if f.Path() != filepath.Join(user, "globalStorage", "state.vscdb")+"!cursorDiskKV/bubbleId:"+composer+":b1" || f.Steps[0].Kind != scanner.StepRow {
		t.Errorf("location %s", f.Path())
	}
	handlertest.Expect(t, res.Findings, arg, handlertest.Want{Field: "value.toolFormerData.rawArgs.command", AlsoIn: []string{"value.toolFormerData.params.command"},
		Context: ctx("record_type", "assistant", "tool", "run_terminal_cmd", "timestamp", "2026-05-05T09:22:08.229Z")})
	handlertest.Expect(t, res.Findings, out, handlertest.Want{Field: "value.toolFormerData.result.output", Context: ctx("tool", "run_terminal_cmd")})
	handlertest.Expect(t, res.Findings, old, handlertest.Want{Field: "value.tabs[0].bubbles[0].text",
		Context: map[string]string{"client": "Cursor", "session_id": "tab-1", "project": "/home/u/web", "record_type": "user"}})
	if fs := handlertest.Of(res.Findings, login); len(fs) != 0 || res.Stats.SkippedBy[scanner.SkipCredentialStore] != 1 {
		t.Errorf("Cursor's login row: %d findings, skipped %v", len(fs), res.Stats.SkippedBy)
	}
}

// The Cursor CLI's agent transcripts.
func TestAgentTranscript(t *testing.T) {
	k := handlertest.Token("github", 6)
	p := "/home/u/.cursor/projects/home-u-api/agent-transcripts/7f2c/main.jsonl"
	found, _ := handlertest.Run(t, cursor.Handler{}, p, `{"role":"user","message":{"content":[{"type":"text","text":"`+k+`"}]}}`+"\n")
	handlertest.Expect(t, found, k, handlertest.Want{Line: 1, Context: map[string]string{"client": "Cursor", "session_id": "7f2c", "project": "home-u-api", "record_type": "user"}})
}
