package zed_test

import (
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
	"github.com/mcpscan/mcpscan/scanner/sources/sqlite"
	"github.com/mcpscan/mcpscan/scanner/sources/zed"
)

// threads.db with a JSON thread and a zstd-compressed one.
func TestThreads(t *testing.T) {
	k1, k2 := handlertest.Token("github", 1), handlertest.Token("npm", 2)
	thread := func(k string) string {
		return `{"title":"Rotate","messages":[{"User":{"id":"m1","content":[{"Text":"rotate ` + k + `"}]}}],"version":"0.3.0"}`
	}
	enc, _ := zstd.NewWriter(nil)
	packed := enc.EncodeAll([]byte(thread(k2)), nil)
	dir := filepath.Join(t.TempDir(), ".local", "share", "zed", "threads")
	handlertest.CreateDB(t, filepath.Join(dir, "threads.db"),
		`CREATE TABLE threads (id TEXT PRIMARY KEY, summary TEXT NOT NULL, updated_at TEXT NOT NULL, data_type TEXT NOT NULL, data BLOB NOT NULL, parent_id TEXT, folder_paths TEXT, created_at TEXT)`,
		`INSERT INTO threads VALUES ('t-1', 'Rotate', '2026-05-05T09:32:18.568Z', 'json', CAST(? AS BLOB), NULL, '/home/u/api', NULL)`, []any{thread(k1)},
		`INSERT INTO threads VALUES ('t-2', 'Rotate', '2026-05-06T10:00:00.000Z', 'zstd', ?, NULL, '/home/u/web', NULL)`, []any{packed},
	)
	res := handlertest.ScanTree(t, dir, sqlite.Container{}, zed.Handler{}, sqlite.Rows{})
	if len(res.Errors) != 0 {
		t.Errorf("errors %v", res.Errors)
	}
	handlertest.Expect(t, res.Findings, k1, handlertest.Want{Field: "data.messages[0].User.content[0].Text",
		Context: map[string]string{"client": "Zed", "session_id": "t-1", "project": "/home/u/api", "timestamp": "2026-05-05T09:32:18.568Z", "record_type": "user"}})
	handlertest.Expect(t, res.Findings, k2, handlertest.Want{Field: "data.messages[0].User.content[0].Text",
		Context: map[string]string{"session_id": "t-2", "project": "/home/u/web", "timestamp": "2026-05-06T10:00:00.000Z"}})
}
