package gemini

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
)

// writeProject makes ~/.gemini/tmp/<slug>/ with .project_root and the
// given files, and returns the directory (slash path).
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), ".gemini", "tmp", "payments-api")
	files[".project_root"] = "/home/u/code/payments-api"
	for name, data := range files {
		handlertest.WriteFile(t, filepath.Join(dir, filepath.FromSlash(name)), data)
	}
	return filepath.ToSlash(dir)
}

// A 2026 JSONL chat (chatRecordingService.ts): metadata line, a user
// message, a gemini message appended again once its tool call has a
// result (the shell output is in the result and in resultDisplay).
func TestChatJSONL(t *testing.T) {
	typed, arg, out := handlertest.Token("github", 1), handlertest.Token("slack", 2), handlertest.Token("npm", 3)
	call := `{"id":"run_shell_command-1","name":"run_shell_command","args":{"command":"gh secret set T --body ` + arg + `"},"status":"executing","timestamp":"2026-05-05T09:20:36.779Z"}`
	done := `{"id":"run_shell_command-1","name":"run_shell_command","args":{"command":"gh secret set T --body ` + arg + `"},"result":[{"functionResponse":{"id":"run_shell_command-1","name":"run_shell_command","response":{"output":"Token: ` + out + `"}}}],"status":"success","resultDisplay":"Token: ` + out + `"}`
	lines := []string{
		`{"sessionId":"771df27d-b900-45e3-98da-9bc406085be7","projectHash":"ab12","startTime":"2026-05-05T09:19:30.000Z","lastUpdated":"2026-05-05T09:19:30.000Z","kind":"main"}`,
		`{"id":"m1","timestamp":"2026-05-05T09:19:58.750Z","type":"user","content":[{"text":"my token is ` + typed + `"}]}`,
		`{"id":"m2","timestamp":"2026-05-05T09:20:36.779Z","type":"gemini","content":[{"text":""}],"toolCalls":[` + call + `],"model":"gemini-2.5-pro"}`,
		`{"id":"m2","timestamp":"2026-05-05T09:20:36.779Z","type":"gemini","content":[{"text":""}],"toolCalls":[` + done + `],"model":"gemini-2.5-pro"}`,
		`{"$set":{"lastUpdated":"2026-05-05T09:21:00.000Z"}}`,
	}
	dir := writeProject(t, map[string]string{"chats/session-2026-05-05T09-19-771df27d.jsonl": strings.Join(lines, "\n") + "\n"})
	found, errs := handlertest.RunFile(t, Handler{}, dir+"/chats/session-2026-05-05T09-19-771df27d.jsonl")
	if len(errs) != 0 {
		t.Errorf("problems: %v", errs)
	}
	ctx := map[string]string{"client": "Gemini CLI", "session_id": "771df27d-b900-45e3-98da-9bc406085be7", "project": "/home/u/code/payments-api"}
	handlertest.Expect(t, found, typed, handlertest.Want{Line: 2, Field: "content[0].text", Context: ctx})
	handlertest.Expect(t, found, arg, handlertest.Want{Line: 3, Field: "toolCalls[0].args.command",
		AlsoIn: []string{"line 4: toolCalls[0].args.command"}, Context: map[string]string{"tool": "run_shell_command", "record_type": "gemini"}})
	handlertest.Expect(t, found, out, handlertest.Want{Line: 4, Field: "toolCalls[0].result[0].functionResponse.response.output",
		AlsoIn: []string{"toolCalls[0].resultDisplay"}, Context: map[string]string{"timestamp": "2026-05-05T09:20:36.779Z"}})
}

// A legacy pretty-printed chat and logs.json; a /chat save checkpoint takes
// its session and time from the "/chat save" prompt in logs.json.
func TestDocuments(t *testing.T) {
	k1, k2, k3 := handlertest.Token("aws", 4), handlertest.Token("github", 5), handlertest.Token("npm", 6)
	chat := `{
  "sessionId": "9988dd9c-e015-4086-9ba3-86f56cccc2da",
  "projectHash": "ab12",
  "startTime": "2026-02-05T09:21:30.000Z",
  "messages": [
    {"id": "a", "timestamp": "2026-02-05T09:21:32.000Z", "type": "user", "content": "write a .env"},
    {
      "id": "b",
      "timestamp": "2026-02-05T09:21:45.264Z",
      "type": "gemini",
      "content": "",
      "toolCalls": [{"id": "write_file-1", "name": "write_file", "args": {"file_path": "/p/.env", "content": "AWS_ACCESS_KEY_ID=` + k1 + `\n"}}]
    }
  ]
}
`
	logs := `[
  {"sessionId": "s-1", "messageId": 0, "type": "user", "message": "token ` + k2 + `", "timestamp": "2026-05-05T09:19:58.750Z"},
  {"sessionId": "s-1", "messageId": 1, "type": "user", "message": "/chat save deploy", "timestamp": "2026-05-05T09:21:02.750Z"}
]
`
	ck := `{"history": [
  {"role": "user", "parts": [{"text": "log in"}]},
  {"role": "model", "parts": [{"functionCall": {"name": "run_shell_command", "args": {"command": "docker login -p ` + k3 + `"}}}]}
], "authType": "oauth-personal"}
`
	dir := writeProject(t, map[string]string{"chats/session-2026-02-05T09-21-9988dd9c.json": chat, "logs.json": logs, "checkpoint-deploy.json": ck})
	found, _ := handlertest.RunFile(t, Handler{}, dir+"/chats/session-2026-02-05T09-21-9988dd9c.json")
	handlertest.Expect(t, found, k1, handlertest.Want{Line: 12, Field: "messages[1].toolCalls[0].args.content",
		Context: map[string]string{"session_id": "9988dd9c-e015-4086-9ba3-86f56cccc2da", "timestamp": "2026-02-05T09:21:45.264Z", "tool": "write_file", "record_type": "gemini"}})
	found, _ = handlertest.RunFile(t, Handler{}, dir+"/logs.json")
	f := handlertest.Expect(t, found, k2, handlertest.Want{Line: 2, Field: "[0].message",
		Context: map[string]string{"session_id": "s-1", "timestamp": "2026-05-05T09:19:58.750Z"}})
	if f.Source != SourceHistory {
		t.Errorf("logs.json source %v", f.Source)
	}
	found, _ = handlertest.RunFile(t, Handler{}, dir+"/checkpoint-deploy.json")
	handlertest.Expect(t, found, k3, handlertest.Want{Line: 3, Field: "history[1].parts[0].functionCall.args.command",
		Context: map[string]string{"session_id": "s-1", "timestamp": "2026-05-05T09:21:02.750Z", "tool": "run_shell_command", "record_type": "model"}})
}

func TestTextStores(t *testing.T) {
	k1, k2 := handlertest.Token("npm", 7), handlertest.Token("github", 8)
	dir := writeProject(t, map[string]string{
		"shell_history": "git status\nexport NPM_TOKEN=" + k1 + "\n",
		"tool-outputs/session-771df27d/run_shell_command_call9.txt": "env\nGH=" + k2 + "\n",
	})
	found, _ := handlertest.RunFile(t, Handler{}, dir+"/shell_history")
	handlertest.Expect(t, found, k1, handlertest.Want{Line: 2, Context: map[string]string{"client": "Gemini CLI", "project": "/home/u/code/payments-api"}})
	found, _ = handlertest.RunFile(t, Handler{}, dir+"/tool-outputs/session-771df27d/run_shell_command_call9.txt")
	handlertest.Expect(t, found, k2, handlertest.Want{Line: 2, Context: map[string]string{"session_id": "771df27d", "tool": "run_shell_command"}})
}

func TestAccepts(t *testing.T) {
	for p, want := range map[string]bool{
		"/h/.gemini/tmp/abc/chats/session-x.json":     true,
		"/h/.gemini/tmp/abc/chats/parent/child.jsonl": true,
		"/h/.gemini/tmp/abc/logs.json":                true,
		"/h/.gemini/tmp/abc/checkpoint-a%20b.json":    true,
		"/h/.gemini/tmp/abc/checkpoints/x.json":       true,
		"/h/.gemini/tmp/abc/plans/p.md":               false,
		"/h/.gemini/settings.json":                    false,
	} {
		if got := (Handler{}).Accepts(p); got != want {
			t.Errorf("Accepts(%s) = %v", p, got)
		}
	}
	if got := timeFromRestoreName("2026-01-12T09-14-03_000Z-app.ts-replace.json"); got != "2026-01-12T09:14:03Z" {
		t.Errorf("restore time %q", got)
	}
}
