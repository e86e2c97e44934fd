package amp

import (
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
)

func TestThread(t *testing.T) {
	typed, arg, out := handlertest.Token("slack", 1), handlertest.Token("github", 2), handlertest.Token("npm", 3)
	doc := `{
  "v": 212,
  "id": "T-7cbc41db",
  "created": 1777973455375,
  "title": "Sentry",
  "env": {"initial": {"trees": [{"displayName": "api", "uri": "file:///home/u/code/api"}]}},
  "messages": [
    {"role": "user", "messageId": 0, "content": [{"type": "text", "text": "auth token ` + typed + `"}]},
    {"role": "assistant", "messageId": 1, "content": [{"type": "tool_use", "id": "toolu_01B", "name": "Bash", "input": {"cmd": "sentry-cli login --auth-token ` + arg + `"}}]},
    {"role": "user", "messageId": 2, "content": [{"type": "tool_result", "toolUseID": "toolu_01B", "run": {"status": "done", "result": {"output": "` + out + `"}}}]}
  ]
}
`
	found, _ := handlertest.Run(t, Handler{}, "/home/u/.local/share/amp/threads/T-7cbc41db.json", doc)
	ctx := func(kv ...string) map[string]string {
		m := map[string]string{"client": "Amp", "session_id": "T-7cbc41db", "project": "/home/u/code/api", "timestamp": "2026-05-05T09:30:55.375Z"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	handlertest.Expect(t, found, typed, handlertest.Want{Line: 8, Field: "messages[0].content[0].text", Context: ctx("record_type", "user")})
	handlertest.Expect(t, found, arg, handlertest.Want{Line: 9, Field: "messages[1].content[0].input.cmd", Context: ctx("record_type", "assistant", "tool", "Bash")})
	handlertest.Expect(t, found, out, handlertest.Want{Line: 10, Context: ctx("tool", "Bash")})
}
