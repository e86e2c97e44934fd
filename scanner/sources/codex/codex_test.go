package codex

import (
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/mcpscan/mcpscan/scanner"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
)

const home = "/home/u/.codex"

// A legacy-mode rollout (CLI 0.77 shape, docs/agents.md §1): the prompt is
// stored as a response_item and mirrored by an event_msg on the next line;
// the shell call's arguments are JSON inside a JSON string; the output
// names its call by call_id only.
func TestRollout(t *testing.T) {
	pasted, inArgs, inOut := handlertest.Token("github", 1), handlertest.Token("npm", 2), handlertest.Token("slack", 3)
	lines := []string{
		`{"timestamp":"2026-01-12T09:14:03.000Z","type":"session_meta","payload":{"id":"0b098be2-59a1-4006-a6c6-398a6b5b5b16","timestamp":"2026-01-12T09:14:03.000Z","cwd":"/home/u/code/api","originator":"codex_cli_rs","cli_version":"0.77.0","instructions":"be brief"}}`,
		`{"timestamp":"2026-01-12T09:15:05.612Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"my token is ` + pasted + `"}]}}`,
		`{"timestamp":"2026-01-12T09:15:05.612Z","type":"event_msg","payload":{"type":"user_message","message":"my token is ` + pasted + `","images":[]}}`,
		`{"timestamp":"2026-01-12T09:15:06.000Z","type":"turn_context","payload":{"cwd":"/home/u/code/api","approval_policy":"on-request","model":"gpt-5.2-codex"}}`,
		`{"timestamp":"2026-01-12T09:16:05.252Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",\"export NPM_TOKEN=` + inArgs + ` && npm publish\"],\"workdir\":\"/home/u/code/api\"}","call_id":"call_AbC123"}}`,
		`{"timestamp":"2026-01-12T09:16:15.235Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_AbC123","output":"{\"output\":\"slack: ` + inOut + `\\n\",\"metadata\":{\"exit_code\":0}}"}}`,
		`{"timestamp":"2026-01-12T09:17:00.000Z","type":"compacted","payload":{"message":"summary","replacement_history":[{"type":"message","role":"user","content":[{"type":"input_text","text":"my token is ` + pasted + `"}]}]}}`,
	}
	p := home + "/sessions/2026/01/12/rollout-2026-01-12T09-14-03-0b098be2-59a1-4006-a6c6-398a6b5b5b16.jsonl"
	found, errs := handlertest.Run(t, Handler{}, p, strings.Join(lines, "\n")+"\n")
	if len(errs) != 0 {
		t.Errorf("problems: %v", errs)
	}
	base := map[string]string{"client": "Codex CLI", "session_id": "0b098be2-59a1-4006-a6c6-398a6b5b5b16", "project": "/home/u/code/api"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	f := handlertest.Expect(t, found, pasted, handlertest.Want{Line: 2, Field: "payload.content[0].text",
		AlsoIn:  []string{"line 3: payload.message", "line 7: payload.replacement_history[0].content[0].text"},
		Context: with("timestamp", "2026-01-12T09:15:05.612Z", "record_type", "user")})
	if f.Source != SourceRollout || !strings.Contains(f.Remediation, "mcpscan redact") {
		t.Errorf("source %v, remediation %q", f.Source, f.Remediation)
	}
	handlertest.Expect(t, found, inArgs, handlertest.Want{Line: 5, Field: "payload.arguments.command[2]",
		Context: with("record_type", "function_call", "tool", "shell", "timestamp", "2026-01-12T09:16:05.252Z")})
	handlertest.Expect(t, found, inOut, handlertest.Want{Line: 6, Field: "payload.output.output",
		Context: with("record_type", "function_call_output", "tool", "shell")})
	if len(found) != 3 {
		t.Errorf("%d findings, want 3", len(found))
	}
}

// A paginated rollout (CLI 0.149): the mirror is an item_completed event;
// an apply_patch custom tool call carries raw patch text.
func TestPaginatedRollout(t *testing.T) {
	pasted, patch := handlertest.Token("slack", 4), handlertest.Token("aws", 5)
	lines := []string{
		`{"timestamp":"2026-01-15T09:16:41.000Z","ordinal":0,"type":"session_meta","payload":{"session_id":"a92f3036-720b-470c-a3e7-63bc4eebc3d2","id":"a92f3036-720b-470c-a3e7-63bc4eebc3d2","cwd":"/srv/app","cli_version":"0.149.1","base_instructions":{"text":"You are Codex."},"history_mode":"paginated"}}`,
		`{"timestamp":"2026-01-15T09:17:10.100Z","ordinal":1,"type":"response_item","payload":{"type":"message","id":"msg_1","role":"user","content":[{"type":"input_text","text":"use ` + pasted + `"}]}}`,
		`{"timestamp":"2026-01-15T09:17:10.100Z","ordinal":2,"type":"event_msg","payload":{"type":"item_completed","thread_id":"a92f3036-720b-470c-a3e7-63bc4eebc3d2","turn_id":"t1","item":{"type":"UserMessage","id":"u1","content":[{"type":"text","text":"use ` + pasted + `","text_elements":[]}]}}}`,
		`{"timestamp":"2026-01-15T09:17:58.986Z","ordinal":3,"type":"response_item","payload":{"type":"custom_tool_call","status":"completed","call_id":"call_P","name":"apply_patch","input":"*** Begin Patch\n*** Add File: .env\n+AWS_ACCESS_KEY_ID=` + patch + `\n*** End Patch"}}`,
	}
	p := "/home/u/.codex/sessions/2026/01/15/rollout-2026-01-15T09-16-41-a92f3036-720b-470c-a3e7-63bc4eebc3d2.jsonl"
	found, _ := handlertest.Run(t, Handler{}, p, strings.Join(lines, "\n")+"\n")
	handlertest.Expect(t, found, pasted, handlertest.Want{Line: 2, AlsoIn: []string{"line 3: payload.item.content[0].text"},
		Context: map[string]string{"session_id": "a92f3036-720b-470c-a3e7-63bc4eebc3d2", "project": "/srv/app"}})
	handlertest.Expect(t, found, patch, handlertest.Want{Line: 4, Field: "payload.input",
		Context: map[string]string{"tool": "apply_patch", "timestamp": "2026-01-15T09:17:58.986Z"}})
}

// The same key typed in two turns is two findings: a mirror folds only
// into the response_item before it.
func TestTwoTurnsTwoFindings(t *testing.T) {
	k := handlertest.Token("github", 6)
	user := `{"timestamp":"2026-01-12T09:15:05.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"` + k + `"}]}}`
	mirror := `{"timestamp":"2026-01-12T09:15:05.000Z","type":"event_msg","payload":{"type":"user_message","message":"` + k + `"}}`
	data := strings.Join([]string{user, mirror, user, mirror}, "\n") + "\n"
	found, _ := handlertest.Run(t, Handler{}, "/tmp/x/rollout-2026-01-12T09-14-03-0b098be2-59a1-4006-a6c6-398a6b5b5b16.jsonl", data)
	fs := handlertest.Of(found, k)
	if len(fs) != 2 || fs[0].Line != 1 || fs[1].Line != 3 || len(fs[1].AlsoIn) != 1 || fs[1].AlsoIn[0] != "line 4: payload.message" {
		t.Fatalf("findings: %+v", fs)
	}
	if got := fs[0].Context.Get("session_id"); got != "0b098be2-59a1-4006-a6c6-398a6b5b5b16" {
		t.Errorf("session from the file name: %q", got)
	}
}

// The early Rust CLI wrote bare items after a bare {"id","timestamp"} line;
// the TypeScript CLI one {"session","items"} document.
func TestOlderShapes(t *testing.T) {
	k1, k2 := handlertest.Token("npm", 7), handlertest.Token("anthropic", 8)
	early := `{"id":"009ca2d3-4e54-4edb-8b2a-32268374b7ab","timestamp":"2025-06-15T09:19:27.423Z","instructions":null}
{"record_type":"state"}
{"type":"function_call","id":"fc_1","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",\"cat ~/.npmrc\"]}","call_id":"call_E"}
{"type":"function_call_output","call_id":"call_E","output":"{\"output\":\"//registry.npmjs.org/:_authToken=` + k1 + `\\n\",\"metadata\":{\"exit_code\":0}}"}
`
	found, _ := handlertest.Run(t, Handler{}, "/h/.codex/sessions/2025/06/15/rollout-2025-06-15T09-19-27-009ca2d3-4e54-4edb-8b2a-32268374b7ab.jsonl", early)
	handlertest.Expect(t, found, k1, handlertest.Want{Line: 4, Field: "output.output",
		Context: map[string]string{"session_id": "009ca2d3-4e54-4edb-8b2a-32268374b7ab", "timestamp": "2025-06-15T09:19:27.423Z", "tool": "shell"}})

	ts := `{
  "session": {
    "timestamp": "2025-05-15T09:19:37.336Z",
    "id": "468210ae-1100-46f3-998a-8bd6368458a3",
    "instructions": ""
  },
  "items": [
    {
      "role": "user",
      "content": [{"type": "input_text", "text": "add the key"}]
    },
    {
      "type": "function_call",
      "call_id": "call_T",
      "name": "shell",
      "arguments": "{\"command\":[\"bash\",\"-lc\",\"echo ANTHROPIC_API_KEY=` + k2 + ` >> .env.test\"]}"
    }
  ]
}
`
	found, _ = handlertest.Run(t, Handler{}, "/h/.codex/sessions/rollout-2025-05-15-468210ae-1100-46f3-998a-8bd6368458a3.json", ts)
	handlertest.Expect(t, found, k2, handlertest.Want{Line: 16, Field: "items[1].arguments.command[2]",
		Context: map[string]string{"session_id": "468210ae-1100-46f3-998a-8bd6368458a3", "timestamp": "2025-05-15T09:19:37.336Z", "tool": "shell"}})
}

func TestHistory(t *testing.T) {
	k := handlertest.Token("github", 9)
	data := `{"session_id":"0b098be2-59a1-4006-a6c6-398a6b5b5b16","ts":1768209305,"text":"token ` + k + `"}` + "\n"
	found, _ := handlertest.Run(t, Handler{}, "/home/u/.codex/history.jsonl", data)
	f := handlertest.Expect(t, found, k, handlertest.Want{Line: 1, Field: "text",
		Context: map[string]string{"client": "Codex CLI", "session_id": "0b098be2-59a1-4006-a6c6-398a6b5b5b16", "timestamp": "2026-01-12T09:15:05Z"}})
	if f.Source != SourceHistory {
		t.Errorf("source %v", f.Source)
	}
}

func TestAccepts(t *testing.T) {
	for p, want := range map[string]bool{
		"/h/.codex/sessions/2026/01/12/rollout-2026-01-12T09-14-03-x.jsonl": true,
		"/h/custom-codex-home/archived_sessions/2026/01/12/rollout-a.jsonl": true,
		"/h/.codex/sessions/rollout-2025-05-15-x.json":                      true,
		"/h/.codex/history.jsonl":                                           true,
		"/h/.claude/history.jsonl":                                          false,
		"/h/code/rollout-plan.json":                                         false,
	} {
		if got := (Handler{}).Accepts(p); got != want {
			t.Errorf("Accepts(%s) = %v", p, got)
		}
	}
}

// A compressed rollout (compression.rs: rollout-*.jsonl.zst) is read
// decompressed, with its lines.
func TestCompressedRollout(t *testing.T) {
	k := handlertest.Token("github", 10)
	plain := `{"timestamp":"2026-01-12T09:14:03.000Z","type":"session_meta","payload":{"id":"0b098be2-59a1-4006-a6c6-398a6b5b5b16","cwd":"/srv"}}` + "\n" +
		`{"timestamp":"2026-01-12T09:15:05.612Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"` + k + `"}]}}` + "\n"
	enc, _ := zstd.NewWriter(nil)
	found, errs := handlertest.Run(t, Handler{}, "/h/.codex/sessions/2026/01/12/rollout-2026-01-12T09-14-03-0b098be2-59a1-4006-a6c6-398a6b5b5b16.jsonl.zst", string(enc.EncodeAll([]byte(plain), nil)))
	if len(errs) != 0 {
		t.Errorf("problems %v", errs)
	}
	handlertest.Expect(t, found, k, handlertest.Want{Line: 2, Field: "payload.content[0].text",
		Context: map[string]string{"session_id": "0b098be2-59a1-4006-a6c6-398a6b5b5b16", "project": "/srv"}})
	_, errs = handlertest.Run(t, Handler{}, "/h/.codex/sessions/rollout-x.jsonl.zst", "not zstd")
	if len(errs) != 1 || errs[0].Reason != scanner.ReasonUnreadable {
		t.Errorf("a broken .zst: %v", errs)
	}
}
