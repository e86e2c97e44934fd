package copilotchat

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
)

func write(t *testing.T, dir, name, data string) string {
	p := filepath.Join(dir, filepath.FromSlash(name))
	handlertest.WriteFile(t, p, data)
	return filepath.ToSlash(p)
}

// A ≤ 2025 chatSessions/<id>.json in a workspace: the prompt (also in
// renderedUserMessage), tool arguments as a JSON string, a tool result
// keyed by its call id.
func TestSessionJSON(t *testing.T) {
	typed, arg, out := handlertest.Token("github", 1), handlertest.Token("npm", 2), handlertest.Token("slack", 3)
	ws := filepath.Join(t.TempDir(), "Code", "User", "workspaceStorage", "f00d")
	write(t, ws, "workspace.json", `{"folder": "file:///home/u/code/pay%20api"}`)
	doc := `{
  "version": 3,
  "sessionId": "50d482c0-07f9-48b2-9f83-fe2109c9b62f",
  "creationDate": 1777972947834,
  "requests": [
    {
      "requestId": "request_1",
      "message": {"text": "use key ` + typed + `", "parts": []},
      "response": [{"value": "ok"}],
      "result": {"metadata": {
        "renderedUserMessage": [{"text": "use key ` + typed + `"}],
        "toolCallRounds": [{"response": "", "toolCalls": [{"name": "run_in_terminal", "arguments": "{\"command\":\"npm config set //registry.npmjs.org/:_authToken=` + arg + `\"}", "id": "call_9"}]}],
        "toolCallResults": {"call_9": {"content": [{"value": "slack ` + out + `"}]}}
      }},
      "timestamp": 1777972952834
    }
  ]
}
`
	p := write(t, ws, "chatSessions/50d482c0-07f9-48b2-9f83-fe2109c9b62f.json", doc)
	found, errs := handlertest.RunFile(t, Handler{}, p)
	if len(errs) != 0 {
		t.Errorf("problems: %v", errs)
	}
	ctx := func(kv ...string) map[string]string {
		m := map[string]string{"client": "Copilot Chat", "session_id": "50d482c0-07f9-48b2-9f83-fe2109c9b62f", "project": "/home/u/code/pay api", "timestamp": "2026-05-05T09:22:32.834Z"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	handlertest.Expect(t, found, typed, handlertest.Want{Line: 8, Field: "requests[0].message.text",
		AlsoIn: []string{"requests[0].result.metadata.renderedUserMessage[0].text"}, Context: ctx("record_type", "user")})
	handlertest.Expect(t, found, arg, handlertest.Want{Line: 12, Field: "requests[0].result.metadata.toolCallRounds[0].toolCalls[0].arguments.command",
		Context: ctx("record_type", "assistant", "tool", "run_in_terminal")})
	handlertest.Expect(t, found, out, handlertest.Want{Line: 13, Field: "requests[0].result.metadata.toolCallResults.call_9.content[0].value",
		Context: ctx("record_type", "tool", "tool", "run_in_terminal")})
}

// A 2026 mutation log: a request pushed (kind 2), its result set later
// (kind 1, no timestamp of its own), and the whole session again after
// compaction (kind 0): each secret once, at its first line.
func TestMutationLog(t *testing.T) {
	typed, arg := handlertest.Token("aws", 4), handlertest.Token("anthropic", 5)
	req := `{"requestId":"request_2","timestamp":1777972977676,"message":{"text":"use ` + typed + `"},"response":[]}`
	result := `{"metadata":{"toolCallRounds":[{"toolCalls":[{"id":"call_1","name":"create_file","arguments":"{\"filePath\":\"/p/.env\",\"content\":\"K=` + arg + `\\n\"}"}]}]}}`
	lines := []string{
		`{"kind":0,"v":{"version":3,"sessionId":"43a4c96f","creationDate":1777972974676,"requests":[]}}`,
		`{"kind":2,"k":["requests"],"v":[` + req + `]}`,
		`{"kind":1,"k":["requests",0,"result"],"v":` + result + `}`,
		`{"kind":0,"v":{"version":3,"sessionId":"43a4c96f","requests":[` + strings.TrimSuffix(req, "}") + `,"result":` + result + `}]}}`,
	}
	p := write(t, t.TempDir(), "User/globalStorage/emptyWindowChatSessions/43a4c96f.jsonl", strings.Join(lines, "\n")+"\n")
	found, _ := handlertest.RunFile(t, Handler{}, p)
	handlertest.Expect(t, found, typed, handlertest.Want{Line: 2, Field: "v[0].message.text", AlsoIn: []string{"line 4: v.requests[0].message.text"},
		Context: map[string]string{"session_id": "43a4c96f", "timestamp": "2026-05-05T09:22:57.676Z", "record_type": "user"}})
	handlertest.Expect(t, found, arg, handlertest.Want{Line: 3, Field: "v.metadata.toolCallRounds[0].toolCalls[0].arguments.content",
		AlsoIn:  []string{"line 4: v.requests[0].result.metadata.toolCallRounds[0].toolCalls[0].arguments.content"},
		Context: map[string]string{"timestamp": "2026-05-05T09:22:57.676Z", "tool": "create_file"}})
}
