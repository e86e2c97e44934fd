package rules_test

import (
	"encoding/base64"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

// Identifiers and blobs that fill Claude Code transcripts and look random
// enough to fool a secret scanner, but are not credentials.
var (
	toolUseID  = "toolu_01UwLnYYWGBvukzh1QE6JpfM"
	messageID  = "msg_01PdWvcjJ6E9BgscDveYt9YV"
	requestID  = "req_011CY4TRHLYkp2wmETF8ujUf"
	uuid1      = "3f2b8c1e-9d4a-4b7e-a1c2-5e6f7a8b9c0d"
	uuid2      = "c7a4e1f0-2b3d-4c5e-8f9a-0b1c2d3e4f5a"
	gitSHA     = "9fceb02d0ae598e95dc970b74767f19372d61af8"
	integrity  = "sha512-" + base64.StdEncoding.EncodeToString(randBytes(64, 11))
	signature  = "EqQBCkgIBxABGAIqQM" + base64.StdEncoding.EncodeToString(randBytes(300, 12))
	pngBase64  = "iVBORw0KGgoAAAANSUhEUgAAAoAAAAHgCAYAAAA" + base64.StdEncoding.EncodeToString(randBytes(600, 13))
	integrity1 = "sha1-" + base64.StdEncoding.EncodeToString(randBytes(20, 14))
)

func randBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewChaCha8([32]byte{byte(seed), 'l'}))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// lookalikeTexts puts each look-alike in the places a transcript holds it:
// record fields, tool results (git, npm), and prose.
func lookalikeTexts() map[string]string {
	return map[string]string{
		"assistant tool_use record":            `{"parentUuid":"` + uuid1 + `","isSidechain":false,"userType":"external","cwd":"/home/dev/app","sessionId":"` + uuid2 + `","version":"2.0.14","gitBranch":"main","message":{"id":"` + messageID + `","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"tool_use","id":"` + toolUseID + `","name":"Bash","input":{"command":"git log -1","description":"Show last commit"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":4,"cache_creation_input_tokens":2210,"cache_read_input_tokens":14853,"output_tokens":98,"service_tier":"standard"}},"requestId":"` + requestID + `","type":"assistant","uuid":"` + uuid1 + `","timestamp":"2025-10-01T09:12:44.512Z"}`,
		"tool_result record":                   `{"parentUuid":"` + uuid1 + `","sessionId":"` + uuid2 + `","type":"user","message":{"role":"user","content":[{"tool_use_id":"` + toolUseID + `","type":"tool_result","content":"commit ` + gitSHA + `\nAuthor: Jane Dev <jane@dev.internal>\nDate:   Tue Sep 30 18:02:11 2025 +0200\n\n    fix: handle empty token list","is_error":false}]},"uuid":"` + uuid2 + `","toolUseResult":{"stdout":"commit ` + gitSHA + `","stderr":"","interrupted":false,"isImage":false},"sourceToolUseID":"` + toolUseID + `"}`,
		"thinking block":                       `{"message":{"id":"` + messageID + `","content":[{"type":"thinking","thinking":"The user wants the API key rotated; first find where the token is read.","signature":"` + signature + `"}]},"requestId":"` + requestID + `"}`,
		"image block":                          `{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"` + toolUseID + `","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"` + pngBase64 + `"}}]}]}}`,
		"package-lock in a Read result":        `{"toolUseResult":{"file":{"filePath":"/home/dev/app/package-lock.json","content":"    \"node_modules/js-tokens\": {\n      \"version\": \"4.0.0\",\n      \"resolved\": \"https://registry.npmjs.org/js-tokens/-/js-tokens-4.0.0.tgz\",\n      \"integrity\": \"` + integrity + `\",\n      \"license\": \"MIT\"\n    },\n    \"node_modules/safe-buffer\": {\n      \"integrity\": \"` + integrity1 + `\"\n    }"}}}`,
		"package-lock decoded":                 "\"node_modules/js-tokens\": {\n  \"version\": \"4.0.0\",\n  \"integrity\": \"" + integrity + "\",\n  \"dev\": true\n},\n\"node_modules/secret-stream\": {\n  \"integrity\": \"" + integrity1 + "\"\n}",
		"yarn.lock":                            "js-tokens@^4.0.0:\n  version \"4.0.0\"\n  resolved \"https://registry.yarnpkg.com/js-tokens/-/js-tokens-4.0.0.tgz#" + gitSHA + "\"\n  integrity " + integrity + "\n",
		"git output":                           "commit " + gitSHA + " (HEAD -> main, origin/main)\nMerge: 1a2b3c4 5d6e7f8\n\n    rotate auth token handling\n\n" + gitSHA + " refs/heads/main\nHEAD is now at 9fceb02 fix token refresh\n",
		"git rev-parse for a token branch":     "$ git rev-parse feature/api-key-rotation\n" + gitSHA + "\n",
		"prose":                                "Tool call " + toolUseID + " (request " + requestID + ", message " + messageID + ") failed; session " + uuid2 + ".",
		"history entry":                        `{"display":"why did ` + requestID + ` fail?","pastedContents":{},"timestamp":1759302764512,"project":"/home/dev/app","sessionId":"` + uuid2 + `"}`,
		"id fields named like secrets":         `{"token_id":"` + uuid1 + `","api_key_id":"` + uuid2 + `","auth_session_uuid":"` + uuid1 + `","tool_use_id":"` + toolUseID + `","auth_request_id":"` + requestID + `"}`,
		"ids assigned to key-ish names":        "tool_use_key: " + toolUseID + "\nmessage_token = " + messageID + "\nrequest_secret: " + requestID + "\n",
		"bare look-alikes":                     strings.Join([]string{toolUseID, messageID, requestID, uuid1, uuid2, gitSHA, integrity, integrity1}, "\n"),
		"sha commit field":                     `{"commit":"` + gitSHA + `","tree":"` + hex.EncodeToString(randBytes(20, 15)) + `","parents":["` + gitSHA + `"]}`,
		"signature as Authorization-ish prose": "Signature: " + signature + "\n",
	}
}

// TestTranscriptLookalikes requires that no rule of Default(), gitleaks' or
// mcpscan's, reports a transcript identifier or blob.
func TestTranscriptLookalikes(t *testing.T) {
	set := rules.Default()
	for name, text := range lookalikeTexts() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, r := range set.Rules() {
				if r.Pattern == "" || r.Kind == rules.KindSignal {
					continue // structural rules are raised by handlers; signals are never findings
				}
				for _, f := range acceptedMatches(t, r, text, "") {
					t.Errorf("rule %s accepted %q (match %q)", r.ID, clip(f.Secret), clip(f.Match))
				}
			}
		})
	}
}
