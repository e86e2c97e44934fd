package copilotcli

import (
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
)

// An events.jsonl in the session-events.ts shapes: the tool arguments are
// in assistant.message and again in tool.execution_start; the result in
// content and detailedContent.
func TestSession(t *testing.T) {
	typed, arg, out := handlertest.Token("aws", 1), handlertest.Token("slack", 2), handlertest.Token("github", 3)
	args := `{"command":"echo ` + arg + ` | docker login ghcr.io --password-stdin","description":"Log in"}`
	lines := []string{
		`{"type":"session.start","data":{"sessionId":"6e0e7820-b358-4689-a84b-d65871da8fb6","copilotVersion":"0.0.369","startTime":"2026-05-05T09:24:00.000Z","context":{"cwd":"/home/u/api","gitRoot":"/home/u/api","branch":"main"}},"id":"e1","timestamp":"2026-05-05T09:24:00.000Z","parentId":null}`,
		`{"type":"user.message","data":{"content":"login with ` + typed + `","attachments":[]},"id":"e2","timestamp":"2026-05-05T09:24:25.600Z","parentId":"e1"}`,
		`{"type":"assistant.message","data":{"messageId":"m1","content":"","toolRequests":[{"toolCallId":"toolu_01A","name":"bash","arguments":` + args + `}]},"id":"e3","timestamp":"2026-05-05T09:25:00.150Z","parentId":"e2"}`,
		`{"type":"tool.execution_start","data":{"toolCallId":"toolu_01A","toolName":"bash","arguments":` + args + `},"id":"e4","timestamp":"2026-05-05T09:25:00.150Z","parentId":"e3"}`,
		`{"type":"tool.execution_complete","data":{"toolCallId":"toolu_01A","success":true,"result":{"content":"auth: ` + out + `","detailedContent":"auth: ` + out + `"}},"id":"e5","timestamp":"2026-05-05T09:25:34.890Z","parentId":"e4"}`,
	}
	p := "/home/u/.copilot/session-state/6e0e7820-b358-4689-a84b-d65871da8fb6/events.jsonl"
	found, errs := handlertest.Run(t, Handler{}, p, strings.Join(lines, "\n")+"\n")
	if len(errs) != 0 {
		t.Errorf("problems: %v", errs)
	}
	ctx := func(kv ...string) map[string]string {
		m := map[string]string{"client": "Copilot CLI", "session_id": "6e0e7820-b358-4689-a84b-d65871da8fb6", "project": "/home/u/api"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	handlertest.Expect(t, found, typed, handlertest.Want{Line: 2, Field: "data.content", Context: ctx("record_type", "user.message", "timestamp", "2026-05-05T09:24:25.600Z")})
	handlertest.Expect(t, found, arg, handlertest.Want{Line: 3, Field: "data.toolRequests[0].arguments.command",
		AlsoIn: []string{"line 4: data.arguments.command"}, Context: ctx("tool", "bash", "record_type", "assistant.message")})
	handlertest.Expect(t, found, out, handlertest.Want{Line: 5, Field: "data.result.content",
		AlsoIn: []string{"data.result.detailedContent"}, Context: ctx("tool", "bash", "timestamp", "2026-05-05T09:25:34.890Z")})
}

// Older builds wrote session-state/<id>.jsonl; with no session.start line
// the session is the file name.
func TestOldLayout(t *testing.T) {
	k := handlertest.Token("npm", 4)
	data := `{"type":"user.message","data":{"content":"` + k + `"},"id":"e2","timestamp":"2025-10-01T10:00:00.000Z","parentId":null}` + "\n"
	found, _ := handlertest.Run(t, Handler{}, "/home/u/.copilot/session-state/abc-123.jsonl", data)
	handlertest.Expect(t, found, k, handlertest.Want{Line: 1, Context: map[string]string{"session_id": "abc-123", "timestamp": "2025-10-01T10:00:00.000Z"}})
}
