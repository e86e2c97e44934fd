package aider

import (
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
)

// A chat history of two runs (io.py's shape): a prompt, the model's edit
// block, /run output quoted; the time is the run's header.
func TestChatHistory(t *testing.T) {
	k1, k2, k3 := handlertest.Token("github", 1), handlertest.Token("npm", 2), handlertest.Token("slack", 3)
	chat := "\n# aider chat started at 2026-01-12 09:14:03\n\n> Aider v0.86.1\n\n#### set the key to " + k1 + "\n\nconfig.py\n```python\nKEY = \"x\"\n```\n\n" +
		strings.Repeat("> Tokens: 4.2k sent, 88 received.\n", 20000) + // far from its header
		"\n#### /run env\n\n> GITHUB_TOKEN=" + k2 + "\n" +
		"\n# aider chat started at 2026-01-13 10:00:00\n\nsure, use " + k3 + "\n"
	found, _ := handlertest.Run(t, Handler{}, "/home/u/code/api/.aider.chat.history.md", chat)
	ctx := func(ts, role string) map[string]string {
		return map[string]string{"client": "Aider", "project": "/home/u/code/api", "timestamp": ts, "record_type": role}
	}
	handlertest.Expect(t, found, k1, handlertest.Want{Line: 6, Context: ctx("2026-01-12T09:14:03", "user")})
	handlertest.Expect(t, found, k2, handlertest.Want{Context: ctx("2026-01-12T09:14:03", "tool")})
	handlertest.Expect(t, found, k3, handlertest.Want{Context: ctx("2026-01-13T10:00:00", "assistant")})
}

// prompt_toolkit's FileHistory: "# <time>" then "+" lines.
func TestInputHistory(t *testing.T) {
	k := handlertest.Token("aws", 4)
	data := "\n# 2026-01-12 09:14:23.609000\n+/add config.py\n\n# 2026-01-12 09:14:43.609000\n+set the key to\n+" + k + "\n"
	found, _ := handlertest.Run(t, Handler{}, "/home/u/code/api/.aider.input.history", data)
	f := handlertest.Expect(t, found, k, handlertest.Want{Line: 7, Context: map[string]string{"timestamp": "2026-01-12T09:14:43.609", "client": "Aider"}})
	if f.Source != SourceInput {
		t.Errorf("source %v", f.Source)
	}
}
