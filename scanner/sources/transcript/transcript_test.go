package transcript_test

import (
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
	"github.com/mcpscan/mcpscan/scanner/sources/transcript"
)

// Format-valid test credentials, never live.
const (
	ghToken    = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"
	dbPassword = "wK8#pL2vQ9xR"
)

const session = "/home/a/.claude/projects/-home-a-web/11111111-2222-3333-4444-555555555555.jsonl"

// Records in Claude Code's shapes: an assistant tool_use (Bash), its
// tool_result stored twice (message.content and toolUseResult), a
// thinking signature and a base64 image that look like secrets.
var records = []string{
	`{"parentUuid":null,"cwd":"/home/a/web","sessionId":"11111111-2222-3333-4444-555555555555","type":"assistant","message":{"role":"assistant","content":[{"type":"thinking","thinking":"ok","signature":"EqQBCkYIBxgCKkBq7Xw2Lm9Rt4Vb8Nk3Jh6Gf1Dp5Sa0QeAKIAZ7XW2LM9RT4VB8NK3"},{"type":"tool_use","id":"toolu_01","name":"Bash","input":{"command":"cat .env"}}]},"uuid":"a1","timestamp":"2026-02-12T16:02:29.111Z"}`,
	`{"parentUuid":"a1","cwd":"/home/a/web","sessionId":"11111111-2222-3333-4444-555555555555","type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_01","type":"tool_result","content":"GITHUB_TOKEN=` + ghToken + `\nDB_PASSWORD=` + dbPassword + `\n"}]},"uuid":"a2","timestamp":"2026-02-12T16:02:30.658Z","toolUseResult":{"stdout":"GITHUB_TOKEN=` + ghToken + `\nDB_PASSWORD=` + dbPassword + `\n","stderr":""}}`,
	`{"type":"user","sessionId":"11111111-2222-3333-4444-555555555555","message":{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"Z2hwX1I4eDJMcTladFc0bU43dkIzS2o2eUgxY0Y1ZEcwc0EycFE4ZQ=="}}]}}`,
}

func TestClaudeTranscript(t *testing.T) {
	fs, errs := handlertest.Run(t, transcript.Handler{}, session, strings.Join(records, "\n")+"\n")
	if len(errs) != 0 {
		t.Errorf("problems: %+v", errs)
	}
	if len(fs) != 2 {
		t.Fatalf("%d findings, want the token and the password once each", len(fs))
	}
	for _, f := range fs {
		if f.Source != transcript.SourceTranscript || f.Line != 2 || f.Field != "message.content[0].content" ||
			len(f.AlsoIn) != 1 || f.AlsoIn[0] != "toolUseResult.stdout" {
			t.Errorf("%s: source %s line %d field %q also %v", f.RuleID, f.Source.Name, f.Line, f.Field, f.AlsoIn)
		}
		c := f.Context
		if c.Get("tool") != "Bash" || c.Get("session_id") != "11111111-2222-3333-4444-555555555555" ||
			c.Get("project") != "/home/a/web" || c.Get("timestamp") != "2026-02-12T16:02:30.658Z" || c.Get("record_type") != "user" {
			t.Errorf("%s: context %+v", f.RuleID, c)
		}
	}
	if gh := handlertest.ByRule(fs, "github-pat"); len(gh) != 1 || handlertest.Raw(&gh[0]) != ghToken {
		t.Errorf("github-pat: %d", len(gh))
	}
}

func TestSubagentAndHistory(t *testing.T) {
	sub := "/home/a/.claude/projects/-home-a-web/11111111-2222-3333-4444-555555555555/subagents/agent-a2898e3.jsonl"
	fs, _ := handlertest.Run(t, transcript.Handler{}, sub, `{"type":"user","message":{"role":"user","content":"token `+ghToken+`"}}`+"\n")
	if len(fs) != 1 || fs[0].Context.Get("agent_id") != "agent-a2898e3" || fs[0].Context.Get("session_id") != "11111111-2222-3333-4444-555555555555" {
		t.Errorf("sub-agent: %+v", fs)
	}
	hist := "/home/a/.claude/history.jsonl"
	fs, _ = handlertest.Run(t, transcript.Handler{}, hist, `{"display":"deploy with token `+ghToken+`","pastedContents":{},"timestamp":1760000000000,"project":"/home/a/web"}`+"\n")
	if len(fs) != 1 || fs[0].Source != transcript.SourceHistory || fs[0].Context.Get("project") != "/home/a/web" ||
		fs[0].Context.Get("timestamp") != "2025-10-09T08:53:20Z" || !fs[0].Source.AgentWritten {
		t.Errorf("history: %+v %+v", fs, fs[0].Context)
	}
}

func TestMalformedRecords(t *testing.T) {
	content := "not json\n" + `{"type":"user","message":{"content":"token ` + ghToken + `"}}` + "\n" + `{"type":"user","message":{"content":"cut`
	fs, errs := handlertest.Run(t, transcript.Handler{}, session, content)
	if len(fs) != 1 || fs[0].Line != 2 {
		t.Errorf("findings %+v", fs)
	}
	if len(errs) != 2 || errs[0].Line != 1 || errs[1].Line != 3 || !strings.Contains(errs[1].Error, "truncated last record") || errs[0].Incomplete {
		t.Errorf("problems %+v", errs)
	}
}

// TestBareToken: a credential printed by `aws configure get`, with no name
// near it, is found through the command that printed it.
func TestBareToken(t *testing.T) {
	tok := "wJalrXUt" + "nFEMI/K7MDENG/bPxRfiCYq3Zr8LkW2q"
	recs := []string{
		`{"type":"assistant","sessionId":"s1","cwd":"/home/a/web","timestamp":"2026-03-01T10:00:00Z","message":{"role":"assistant","content":[{"type":"tool_use","id":"toolu_9","name":"Bash","input":{"command":"aws configure get aws_secret_access_key --profile prod","description":"Print the key"}}]}}`,
		`{"type":"user","sessionId":"s1","cwd":"/home/a/web","timestamp":"2026-03-01T10:00:01Z","message":{"role":"user","content":[{"tool_use_id":"toolu_9","type":"tool_result","content":"` + tok + `\n","is_error":false}]},"toolUseResult":{"stdout":"` + tok + `\n","stderr":""}}`,
		`{"type":"assistant","sessionId":"s1","message":{"role":"assistant","content":[{"type":"tool_use","id":"toolu_10","name":"Bash","input":{"command":"gh auth status"}}]}}`,
		`{"type":"user","sessionId":"s1","message":{"role":"user","content":[{"tool_use_id":"toolu_10","type":"tool_result","content":"Zq7Xw2Lm9Rt4Vb8Nk3Jh6Gf1Dp5Sa0Qe"}]}}`,
	}
	fs, _ := handlertest.Run(t, transcript.Handler{}, session, strings.Join(recs, "\n")+"\n")
	var bare []string
	for _, f := range fs {
		if f.RuleID == "command-output-credential" {
			bare = append(bare, handlertest.Raw(&f))
			if f.Line != 2 || f.Field != "message.content[0].content" || len(f.AlsoIn) != 1 || f.Context.Get("tool") != "Bash" ||
				f.Context.Get("timestamp") != "2026-03-01T10:00:01Z" || !strings.Contains(f.Description, "aws configure get") {
				t.Errorf("bare token at %d field %q also %v context %v: %s", f.Line, f.Field, f.AlsoIn, f.Context, f.Description)
			}
		}
		if f.RuleID == "credential-command" {
			t.Errorf("a signal was reported as a finding")
		}
	}
	if len(bare) != 1 || bare[0] != tok {
		t.Errorf("bare tokens %q, want the aws configure get output only", bare)
	}
}
