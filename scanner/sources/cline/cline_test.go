package cline

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
)

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// A Cline task (ExtensionMessage.ts shapes, compact JSON as Cline writes
// it): the prompt in api_conversation_history and ui_messages, a command
// in a tool_use block, its output in a tool_result, and an MCP call whose
// arguments are JSON inside JSON inside the UI message's text.
func TestClineTask(t *testing.T) {
	typed, cmd, out, mcp := handlertest.Token("npm", 1), handlertest.Token("github", 2), handlertest.Token("slack", 3), handlertest.Token("anthropic", 4)
	env := "<environment_details>\n# Current Working Directory (/home/u/code/api) Files\nsrc/\n</environment_details>"
	// Cline writes JS objects in insertion order: {type, id, name, input}.
	api := `[{"role":"user","content":[{"type":"text","text":"<task>\nkey ` + typed + `\n</task>"},{"type":"text","text":` + js(env) + `}],"ts":1777973138348},` +
		`{"role":"assistant","content":[{"type":"tool_use","id":"toolu_01X","name":"execute_command","input":{"command":"gh auth login --with-token ` + cmd + `"}}],"ts":1777973144348},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01X","content":[{"type":"text","text":"token: ` + out + `"}]}],"ts":1777973147348}]`
	ui := js([]any{
		map[string]any{"ts": 1777973138348, "type": "say", "say": "task", "text": "key " + typed},
		map[string]any{"ts": 1777973151348, "type": "ask", "ask": "use_mcp_server", "text": js(map[string]any{"serverName": "github", "type": "use_mcp_tool", "toolName": "create_issue",
			"arguments": js(map[string]any{"title": "rotated", "body": "new key " + mcp})})},
	})
	dir := filepath.Join(t.TempDir(), "Code", "User", "globalStorage", "saoudrizwan.claude-dev", "tasks", "1777973138348")
	for name, data := range map[string]string{"api_conversation_history.json": api, "ui_messages.json": ui} {
		handlertest.WriteFile(t, filepath.Join(dir, name), data)
	}
	base := filepath.ToSlash(dir)
	found, errs := handlertest.RunFile(t, Handler{}, base+"/api_conversation_history.json")
	if len(errs) != 0 {
		t.Errorf("problems: %v", errs)
	}
	ctx := func(kv ...string) map[string]string {
		m := map[string]string{"client": "Cline", "session_id": "1777973138348", "project": "/home/u/code/api"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	handlertest.Expect(t, found, typed, handlertest.Want{Field: "[0].content[0].text", Context: ctx("record_type", "user", "timestamp", "2026-05-05T09:25:38.348Z")})
	handlertest.Expect(t, found, cmd, handlertest.Want{Field: "[1].content[0].input.command", Context: ctx("record_type", "assistant", "tool", "execute_command")})
	handlertest.Expect(t, found, out, handlertest.Want{Field: "[2].content[0].content[0].text", Context: ctx("tool", "execute_command", "timestamp", "2026-05-05T09:25:47.348Z")})

	found, _ = handlertest.RunFile(t, Handler{}, base+"/ui_messages.json")
	handlertest.Expect(t, found, typed, handlertest.Want{Field: "[0].text", Context: map[string]string{"record_type": "say:task"}})
	f := handlertest.Expect(t, found, mcp, handlertest.Want{Field: "[1].text.arguments.body",
		Context: map[string]string{"record_type": "ask:use_mcp_server", "tool": "github/create_issue", "timestamp": "2026-05-05T09:25:51.348Z"}})
	if f.Column < 2 || f.Line != 1 {
		t.Errorf("deep hit at %d:%d", f.Line, f.Column)
	}
}

// Roo Code and Kilo Code use the same files in their own storage.
func TestForks(t *testing.T) {
	k := handlertest.Token("aws", 5)
	data := js([]any{map[string]any{"ts": 1777973169185, "type": "ask", "ask": "tool",
		"text": js(map[string]any{"tool": "editedExistingFile", "path": "src/a.ts", "diff": "+const k = \"" + k + "\""})}})
	for dir, agent := range map[string]string{"rooveterinaryinc.roo-cline": "Roo Code", "kilocode.kilo-code": "Kilo Code"} {
		p := "/home/u/.config/Code/User/globalStorage/" + dir + "/tasks/c321c5c6/ui_messages.json"
		found, _ := handlertest.Run(t, Handler{}, p, data)
		handlertest.Expect(t, found, k, handlertest.Want{Field: "[0].text.diff",
			Context: map[string]string{"client": agent, "session_id": "c321c5c6", "tool": "editedExistingFile"}})
	}
	if (Handler{}).Accepts("/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json") {
		t.Error("Cline's MCP settings are an MCP config, not a task")
	}
	if !(Handler{}).Accepts("/home/u/.cline/data/tasks/1/api_conversation_history.json") {
		t.Error("the Cline CLI's tasks")
	}
}
