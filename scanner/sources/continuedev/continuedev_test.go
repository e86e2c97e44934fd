package continuedev

import (
	"path/filepath"
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
)

// A session in the history.ts shape (compact, as Continue writes it): the
// arguments as a JSON string and again as parsedArgs, the output in the
// tool state and in the tool message; the time from sessions.json.
func TestSession(t *testing.T) {
	typed, arg, out := handlertest.Token("slack", 1), handlertest.Token("github", 2), handlertest.Token("npm", 3)
	call := `{"id":"call_7","type":"function","function":{"name":"builtin_run_terminal_command","arguments":"{\"command\":\"GH=` + arg + ` gh repo list\"}"}}`
	doc := `{"sessionId":"20499c82","title":"DB","workspaceDirectory":"file:///home/u/code/pay%20api","history":[` +
		`{"message":{"id":"m1","role":"user","content":"the token is ` + typed + `"},"contextItems":[]},` +
		`{"message":{"id":"m2","role":"assistant","content":"","toolCalls":[` + call + `]},"contextItems":[],"toolCallStates":[{"toolCallId":"call_7","toolCall":` + call + `,"status":"done","parsedArgs":{"command":"GH=` + arg + ` gh repo list"},"output":[{"name":"Terminal","content":"` + out + `"}]}]},` +
		`{"message":{"id":"m3","role":"tool","content":"` + out + `","toolCallId":"call_7"},"contextItems":[]}],"mode":"agent"}`
	dir := filepath.Join(t.TempDir(), ".continue", "sessions")
	handlertest.WriteFile(t, filepath.Join(dir, "20499c82.json"), doc)
	handlertest.WriteFile(t, filepath.Join(dir, "sessions.json"), `[{"sessionId":"20499c82","title":"DB","dateCreated":"1777973168281","workspaceDirectory":"file:///home/u/code/pay%20api"}]`)
	found, errs := handlertest.RunFile(t, Handler{}, filepath.ToSlash(filepath.Join(dir, "20499c82.json")))
	if len(errs) != 0 {
		t.Errorf("problems %v", errs)
	}
	ctx := func(kv ...string) map[string]string {
		m := map[string]string{"client": "Continue", "session_id": "20499c82", "project": "/home/u/code/pay api", "timestamp": "2026-05-05T09:26:08.281Z"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	handlertest.Expect(t, found, typed, handlertest.Want{Field: "history[0].message.content", Context: ctx("record_type", "user")})
	handlertest.Expect(t, found, arg, handlertest.Want{Field: "history[1].message.toolCalls[0].function.arguments.command",
		AlsoIn:  []string{"history[1].toolCallStates[0].toolCall.function.arguments.command", "history[1].toolCallStates[0].parsedArgs.command"},
		Context: ctx("record_type", "assistant", "tool", "builtin_run_terminal_command")})
	handlertest.Expect(t, found, out, handlertest.Want{Field: "history[1].toolCallStates[0].output[0].content",
		AlsoIn: []string{"history[2].message.content"}, Context: ctx("record_type", "tool", "tool", "builtin_run_terminal_command")})
}
