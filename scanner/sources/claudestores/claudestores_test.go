package claudestores

import (
	"path/filepath"
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
)

func TestStores(t *testing.T) {
	k := make([]string, 5)
	for i, kind := range []string{"github", "aws", "npm", "slack", "anthropic"} {
		k[i] = handlertest.Token(kind, uint64(i+1))
	}
	claude := filepath.Join(t.TempDir(), ".claude")
	files := map[string]string{
		"history.jsonl":                                       `{"display":"env [Pasted text #1 +3 lines]","pastedContents":{"1":{"id":1,"type":"text","contentHash":"58110e14cc4f22cf"}},"timestamp":1777973385259,"project":"/home/u/api","sessionId":"s-1"}` + "\n",
		"paste-cache/58110e14cc4f22cf.txt":                    "DB=postgres://localhost/x\nGITHUB_TOKEN=" + k[0] + "\n",
		"shell-snapshots/snapshot-bash-1777973385259-44xw.sh": "# Snapshot file\nexport AWS_ACCESS_KEY_ID=" + k[1] + "\n",
		"debug/s-1.txt":                                       "2026-05-05T09:30:24.387Z [DEBUG] MCP server \"github\": Starting\n2026-05-05T09:30:24.687Z [DEBUG] MCP server \"github\": spawn env NPM_TOKEN=" + k[2] + "\n",
		"todos/s-1-agent-a-9.json":                            "[\n  {\"content\": \"replace " + k[3] + "\", \"status\": \"pending\", \"id\": \"1\"}\n]\n",
		"projects/-home-u-api/s-1/tool-results/toolu_1.txt":   "output\n" + k[4] + "\n",
	}
	for name, data := range files {
		handlertest.WriteFile(t, filepath.Join(claude, filepath.FromSlash(name)), data)
	}
	cases := []struct {
		file   string
		secret string
		want   handlertest.Want
	}{
		{"paste-cache/58110e14cc4f22cf.txt", k[0], handlertest.Want{Line: 2, Context: map[string]string{"client": "Claude Code", "session_id": "s-1", "project": "/home/u/api", "timestamp": "2026-05-05T09:29:45.259Z"}}},
		{"shell-snapshots/snapshot-bash-1777973385259-44xw.sh", k[1], handlertest.Want{Line: 2, Context: map[string]string{"timestamp": "2026-05-05T09:29:45.259Z"}}},
		{"debug/s-1.txt", k[2], handlertest.Want{Line: 2, Context: map[string]string{"session_id": "s-1", "timestamp": "2026-05-05T09:30:24.687Z"}}},
		{"todos/s-1-agent-a-9.json", k[3], handlertest.Want{Line: 2, Field: "[0].content", Context: map[string]string{"session_id": "s-1", "agent_id": "a-9"}}},
		{"projects/-home-u-api/s-1/tool-results/toolu_1.txt", k[4], handlertest.Want{Line: 2, Context: map[string]string{"session_id": "s-1", "project": "-home-u-api"}}},
	}
	for _, c := range cases {
		found, _ := handlertest.RunFile(t, Handler{}, filepath.ToSlash(filepath.Join(claude, filepath.FromSlash(c.file))))
		handlertest.Expect(t, found, c.secret, c.want)
	}
	if (Handler{}).Accepts("/home/u/.claude/projects/-x/s.jsonl") || (Handler{}).Accepts("/home/u/.claude/history.jsonl") {
		t.Error("transcripts and the history are the transcript handler's")
	}
}
