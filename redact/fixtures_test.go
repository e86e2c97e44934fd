package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Fake secrets are assembled at run time from obviously fake bodies in
// each format's character set, so no real-looking token sits in the
// source.

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func fakeBody(seed uint64, n int, charset string) string {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	b := make([]byte, n)
	for i := range b {
		b[i] = charset[r.IntN(len(charset))]
	}
	return string(b)
}

// fakeGitHubPAT returns a ghp_ token: 36 base62 characters.
func fakeGitHubPAT(seed uint64) string { return "gh" + "p_" + fakeBody(seed, 36, alnum) }

// fakeAWSKeyID returns an AKIA access key id (16 upper-case/digits).
func fakeAWSKeyID(seed uint64) string {
	return "AK" + "IA" + fakeBody(seed, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
}

// fakeAnthropicKey returns an sk-ant-api03- key.
func fakeAnthropicKey(seed uint64) string {
	return "sk-" + "ant-api03-" + fakeBody(seed, 93, alnum+"-_") + "AA"
}

// fakePEM returns an RSA private key block with LF line breaks (no
// trailing newline), 64-character base64 lines.
func fakePEM(seed uint64) string {
	body := fakeBody(seed, 64*6+20, alnum+"+/")
	var b strings.Builder
	b.WriteString("-----BEGIN RSA " + "PRIVATE KEY-----\n")
	for i := 0; i < len(body); i += 64 {
		b.WriteString(body[i:min(i+64, len(body))])
		b.WriteByte('\n')
	}
	b.WriteString("-----END RSA " + "PRIVATE KEY-----")
	return b.String()
}

// jsonString encodes s as a JSON string the way Node's JSON.stringify
// does (no HTML escaping), which is what Claude Code writes.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Claude Code record shapes (CLI 2.1.x), written from scratch after the
// field names and nesting of real transcripts: a user prompt, an
// assistant tool_use, the tool_result user record with its toolUseResult
// duplicate, a progress record (bash_progress), and a sub-agent record.

const sessionID = "0b6f2c1e-7d1a-4c55-9e0f-3a2b1c4d5e6f"

func recUserPrompt(uuid, parent, text string) string {
	p := "null"
	if parent != "" {
		p = jsonString(parent)
	}
	return fmt.Sprintf(`{"parentUuid":%s,"isSidechain":false,"userType":"external","cwd":"/home/dev/acme","sessionId":%q,"version":"2.1.39","gitBranch":"main","type":"user","message":{"role":"user","content":%s},"uuid":%q,"timestamp":"2026-02-12T16:02:25.284Z","permissionMode":"default"}`,
		p, sessionID, jsonString(text), uuid)
}

func recToolUse(uuid, parent, toolID, command string) string {
	return fmt.Sprintf(`{"parentUuid":%q,"isSidechain":false,"userType":"external","cwd":"/home/dev/acme","sessionId":%q,"version":"2.1.39","gitBranch":"main","message":{"model":"claude-opus-4-6","id":"msg_01Xyz","type":"message","role":"assistant","content":[{"type":"tool_use","id":%q,"name":"Bash","input":{"command":%s,"description":"Run it"}}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":9}},"requestId":"req_011","type":"assistant","uuid":%q,"timestamp":"2026-02-12T16:02:30.101Z"}`,
		parent, sessionID, toolID, jsonString(command), uuid)
}

func recToolResult(uuid, parent, toolID, stdout string) string {
	return fmt.Sprintf(`{"parentUuid":%q,"isSidechain":false,"userType":"external","cwd":"/home/dev/acme","sessionId":%q,"version":"2.1.39","gitBranch":"main","type":"user","message":{"role":"user","content":[{"tool_use_id":%q,"type":"tool_result","content":%s,"is_error":false}]},"uuid":%q,"timestamp":"2026-02-12T16:02:31.740Z","toolUseResult":{"stdout":%s,"stderr":"","interrupted":false,"isImage":false}}`,
		parent, sessionID, toolID, jsonString(stdout), uuid, jsonString(stdout))
}

func recReadResult(uuid, parent, toolID, path, content string) string {
	return fmt.Sprintf(`{"parentUuid":%q,"isSidechain":false,"userType":"external","cwd":"/home/dev/acme","sessionId":%q,"version":"2.1.39","gitBranch":"main","type":"user","message":{"role":"user","content":[{"tool_use_id":%q,"type":"tool_result","content":%s}]},"uuid":%q,"timestamp":"2026-02-12T16:03:01.000Z","toolUseResult":{"type":"text","file":{"filePath":%q,"content":%s,"numLines":3,"startLine":1,"totalLines":3}}}`,
		parent, sessionID, toolID, jsonString(content), uuid, path, jsonString(content))
}

func recBashProgress(uuid, parent, output string) string {
	return fmt.Sprintf(`{"parentUuid":%q,"isSidechain":false,"userType":"external","cwd":"/home/dev/acme","sessionId":%q,"version":"2.1.39","gitBranch":"main","slug":"radiant-floating-music","type":"progress","data":{"type":"bash_progress","output":%s,"fullOutput":%s,"elapsedTimeSeconds":3,"totalLines":2},"toolUseID":"bash-progress-0","parentToolUseID":"toolu_01Abc","uuid":%q,"timestamp":"2026-02-12T16:02:29.000Z"}`,
		parent, sessionID, jsonString(output), jsonString(output), uuid)
}

func recSubagent(uuid, parent, agentID, text string) string {
	return fmt.Sprintf(`{"parentUuid":%q,"isSidechain":true,"userType":"external","cwd":"/home/dev/acme","sessionId":%q,"version":"2.1.39","gitBranch":"main","agentId":%q,"type":"user","message":{"role":"user","content":[{"type":"text","text":%s}]},"uuid":%q,"timestamp":"2026-02-12T16:02:48.183Z"}`,
		parent, sessionID, agentID, jsonString(text), uuid)
}

func recHistory(display string) string {
	return fmt.Sprintf(`{"display":%s,"pastedContents":{},"timestamp":1770912145284,"project":"/home/dev/acme","sessionId":%q}`, jsonString(display), sessionID)
}

// runEngine redacts in through a redactor fed in chunks of the given
// size (0: all at once) and returns the output and counts.
func runEngine(t testing.TB, kind Kind, secrets []Secret, in string, chunk int) (string, redactStats) {
	t.Helper()
	tab, per, err := normalize(Plan{Files: []File{{Path: "/x", Kind: kind, Secrets: secrets}}})
	if err != nil {
		t.Fatal(err)
	}
	infos := make([]*secretInfo, len(per[0]))
	for i, k := range per[0] {
		infos[i] = tab.list[k]
	}
	var out bytes.Buffer
	r := newRedactor(kind, infos, &out, 0)
	r.blockSize = 64 // exercise text blocks
	data := []byte(in)
	if chunk <= 0 {
		chunk = len(data) + 1
	}
	for len(data) > 0 {
		n := min(chunk, len(data))
		if _, err := r.Write(data[:n]); err != nil {
			t.Fatal(err)
		}
		data = data[n:]
	}
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String(), r.result()
}

// execSelf prepares a child run of this test binary running only test
// name, with extra environment variables.
func execSelf(name string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}
