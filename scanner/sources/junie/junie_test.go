package junie

import (
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
)

func TestEvents(t *testing.T) {
	k := handlertest.Token("npm", 1)
	data := `{"kind":"UserPromptEvent","prompt":"the CI token ` + k + ` expired"}` + "\n" +
		`{"kind":"SessionA2uxEvent","event":{"state":"IN_PROGRESS","agentEvent":{"kind":"AgentCurrentStatusUpdatedEvent","status":"Sending"}}}` + "\n"
	found, _ := handlertest.Run(t, Handler{}, "/home/u/.junie/sessions/session-260505-093122-xfac/events.jsonl", data)
	handlertest.Expect(t, found, k, handlertest.Want{Line: 1, Field: "prompt", Context: map[string]string{
		"client": "Junie", "session_id": "session-260505-093122-xfac", "timestamp": "2026-05-05T09:31:22", "record_type": "UserPromptEvent"}})
}
