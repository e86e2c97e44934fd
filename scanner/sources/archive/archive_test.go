package archive_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
	"github.com/mcpscan/mcpscan/scanner/sources/archive"
)

// Format-valid test credentials, randomly generated, never live.
const (
	ghToken  = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"
	ghToken2 = "ghp_Zq7Xw2Lm9Rt4Vb8Nk3Jh6Gf1Dp5Sa0QeT4uV"
)

// settingsLocal is a .claude/settings.local.json whose "always allow"
// rule saved a command line with a token: line 4, column 45.
var settingsLocal = "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(curl -H \\\"Authorization: Bearer " + ghToken + "\\\" https://api.github.com/user)\",\n      \"Bash(npm test:*)\"\n    ]\n  }\n}\n"

// member is one archive member for the builders below.
type member struct {
	name, body string
	typeflag   byte   // tar type; 0: regular file
	link       string // link target
	mode       int64
}

func tarBytes(t testing.TB, ms []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range ms {
		h := &tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.body)), Typeflag: m.typeflag, Linkname: m.link, ModTime: time.Unix(1700000000, 0)}
		if m.typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			if _, err := tw.Write([]byte(m.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tgzBytes(t testing.TB, ms []member) []byte { return gz(t, tarBytes(t, ms)) }

func zipBytes(t testing.TB, ms []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range ms {
		fh := &zip.FileHeader{Name: m.name, Method: zip.Deflate}
		if m.mode != 0 {
			fh.SetMode(os.FileMode(m.mode))
		}
		w, err := zw.CreateHeader(fh)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(m.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// npmPackage is the content of a typical npm tarball that ships agent
// files by mistake.
func npmPackage() []member {
	return []member{
		{name: "package/package.json", body: `{"name":"demo","version":"1.0.0"}` + "\n"},
		{name: "package/index.js", body: "module.exports = () => process.env.API_KEY\n"},
		{name: "package/.claude/settings.local.json", body: settingsLocal},
		{name: "package/.env", body: "# local\nDEBUG=1\nGITHUB_TOKEN=" + ghToken2 + "\n"},
	}
}

func handlers(lim archive.Limits) []scanner.Handler {
	return append([]scanner.Handler{archive.New(lim)}, sources.Default()[1:]...)
}

func scan(t *testing.T, lim archive.Limits, opt scanner.Options, roots ...scanner.Root) *scanner.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := scanner.New(rules.Default(), handlers(lim), opt).Collect(ctx, roots)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// streamed is a root that is not on disk: no ReaderAt, unknown size.
func streamed(name string, data []byte) scanner.Root {
	return scanner.Root{Path: name, Open: func(context.Context) (*scanner.Input, io.Closer, error) {
		return &scanner.Input{Loc: scanner.Location{File: name}, ClassPath: "/" + name, Size: -1, Reader: bytes.NewReader(data)}, nil, nil
	}}
}

// find returns the findings of rule id at path.
func find(res *scanner.Result, path, id string) []scanner.Finding {
	var out []scanner.Finding
	for _, f := range res.Findings {
		if f.Path() == path && f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

func dump(res *scanner.Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		b.WriteString("  finding " + f.RuleID + " " + f.Severity.String() + " " + f.Path() + "\n")
	}
	for _, e := range res.Errors {
		b.WriteString("  error " + e.Path + ": " + e.Error + "\n")
	}
	return b.String()
}

func hasError(res *scanner.Result, path, substr string) bool {
	for _, e := range res.Errors {
		if e.Path == path && strings.Contains(e.Error, substr) {
			return true
		}
	}
	return false
}

// TestFormats scans the same package in every archive format, from disk
// and streamed, and checks that members get their own handler, with
// locations inside the member.
func TestFormats(t *testing.T) {
	pkg := npmPackage()
	flat := make([]member, len(pkg))
	for i, m := range pkg {
		flat[i] = m
		flat[i].name = strings.TrimPrefix(m.name, "package/")
	}
	gem := tarBytes(t, []member{
		{name: "metadata.gz", body: string(gz(t, []byte("--- !ruby/object:Gem::Specification\nname: demo\n")))},
		{name: "data.tar.gz", body: string(tgzBytes(t, flat))},
	})
	cases := []struct {
		file   string
		data   []byte
		prefix string // member path prefix
	}{
		{"demo-1.0.0.tgz", tgzBytes(t, pkg), "package/"},
		{"demo-1.0.0.tar.gz", tgzBytes(t, pkg), "package/"},
		{"demo-1.0.0.tar", tarBytes(t, pkg), "package/"},
		{"demo-1.0.0.zip", zipBytes(t, pkg), "package/"},
		{"demo-1.0.0-py3-none-any.whl", zipBytes(t, flat), ""},
		{"demo-1.0.0.jar", zipBytes(t, flat), ""},
		{"demo-1.0.0.crate", tgzBytes(t, pkg), "package/"},
		{"demo-1.0.0.gem", gem, "data.tar.gz!"},
		{"demo-blob", tgzBytes(t, pkg), "package/"}, // recognised by content
		{"demo.bin", zipBytes(t, pkg), "package/"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			for _, mode := range []string{"disk", "streamed"} {
				var res *scanner.Result
				var base string
				if mode == "disk" {
					p := writeFile(t, c.file, c.data)
					base = p + "!" + c.prefix
					res = scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
				} else {
					base = "npm:" + c.file + "!" + c.prefix
					res = scan(t, archive.Limits{}, scanner.Options{}, streamed("npm:"+c.file, c.data))
				}
				if len(res.Errors) != 0 {
					t.Errorf("%s: errors:\n%s", mode, dump(res))
				}
				settings := base + ".claude/settings.local.json"
				got := find(res, settings, "github-pat") // the provider's rule, not curl-auth-header, for curl -H "Authorization: token ghp_…"
				if len(got) != 1 {
					t.Fatalf("%s: want one github-pat in %s; got:\n%s", mode, settings, dump(res))
				}
				f := got[0]
				if f.Source.Name != "agent-settings" || f.Line != 4 || f.Column != 45 || f.Field != "permissions.allow[0]" {
					t.Errorf("%s: settings finding: source %s line %d column %d field %q", mode, f.Source.Name, f.Line, f.Column, f.Field)
				}
				if a := find(res, settings, rules.AgentArtifactClaudeSettings); len(a) != 1 || a[0].Severity != rules.High || a[0].Line != 0 {
					t.Errorf("%s: want one agent-artifact-claude-settings (high, no line) for %s:\n%s", mode, settings, dump(res))
				}
				env := base + ".env"
				if g := find(res, env, "github-pat"); len(g) != 1 || g[0].Line != 3 || g[0].Column != 14 {
					t.Errorf("%s: want github-pat at %s:3:14:\n%s", mode, env, dump(res))
				}
				if a := find(res, env, rules.AgentArtifactEnvFile); len(a) != 1 || !strings.Contains(a[0].Description, "DEBUG, GITHUB_TOKEN") {
					t.Errorf("%s: want agent-artifact-env-file naming the variables for %s:\n%s", mode, env, dump(res))
				}
				for _, f := range res.Findings {
					if strings.HasSuffix(f.Path(), "index.js") || strings.HasSuffix(f.Path(), "package.json") {
						t.Errorf("%s: finding in clean member: %s %s", mode, f.RuleID, f.Path())
					}
				}
			}
		})
	}
}

// TestMemberHandlers checks that members are classified by their path in
// the archive: a transcript gets the transcript handler (with random
// access, so its finding names the field), .mcp.json the MCP handler.
func TestMemberHandlers(t *testing.T) {
	rec := `{"parentUuid":null,"sessionId":"4d5611e5-241a-462a-8d15-5122611a9569","type":"user","timestamp":"2026-02-12T16:02:30.658Z","message":{"role":"user","content":"token ` + ghToken + `"}}` + "\n"
	mcp := `{"mcpServers":{"github":{"command":"npx","args":["-y","@modelcontextprotocol/server-github@1.0.0"],"env":{"GITHUB_PERSONAL_ACCESS_TOKEN":"` + ghToken2 + `"}}}}` + "\n"
	p := writeFile(t, "a.tgz", tgzBytes(t, []member{
		{name: "package/projects/-home-a-web/4d5611e5-241a-462a-8d15-5122611a9569.jsonl", body: rec},
		{name: "package/.mcp.json", body: mcp},
	}))
	res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
	tr := find(res, p+"!package/projects/-home-a-web/4d5611e5-241a-462a-8d15-5122611a9569.jsonl", "github-pat")
	if len(tr) != 1 || tr[0].Source.Name != "claude-transcript" || tr[0].Field != "message.content" || tr[0].Context.Get("session_id") == "" {
		t.Errorf("transcript member: %+v\n%s", tr, dump(res))
	}
	if a := find(res, p+"!package/projects/-home-a-web/4d5611e5-241a-462a-8d15-5122611a9569.jsonl", rules.AgentArtifactTranscript); len(a) != 1 {
		t.Errorf("no agent-artifact-transcript:\n%s", dump(res))
	}
	m := find(res, p+"!package/.mcp.json", "github-pat")
	if len(m) != 1 || m[0].Source.Name != "mcp-config" || m[0].Context.Get("server") != "github" {
		t.Errorf(".mcp.json member: %+v\n%s", m, dump(res))
	}
	if a := find(res, p+"!package/.mcp.json", rules.AgentArtifactMCPConfig); len(a) != 1 || a[0].Severity != rules.Medium {
		t.Errorf("no agent-artifact-mcp-config:\n%s", dump(res))
	}
}

// TestLargeMemberStreamed checks that a member larger than the in-memory
// bound is streamed (no random access) and still scanned.
func TestLargeMemberStreamed(t *testing.T) {
	body := strings.Repeat("filler line without secrets\n", 4000) + "GITHUB_TOKEN=" + ghToken + "\n"
	p := writeFile(t, "big.tgz", tgzBytes(t, []member{{name: "package/notes.txt", body: body}}))
	res := scan(t, archive.Limits{MaxBuffer: 4 << 10}, scanner.Options{}, scanner.Root{Path: p})
	if g := find(res, p+"!package/notes.txt", "github-pat"); len(g) != 1 || g[0].Line != 4001 {
		t.Errorf("streamed member:\n%s", dump(res))
	}
}

// TestNesting opens archives inside archives up to the depth limit.
func TestNesting(t *testing.T) {
	inner := zipBytes(t, []member{{name: ".env", body: "GITHUB_TOKEN=" + ghToken + "\n"}})
	mid := tgzBytes(t, []member{{name: "vendor/inner.zip", body: string(inner)}})
	outer := zipBytes(t, []member{{name: "lib/mid.tgz", body: string(mid)}})
	p := writeFile(t, "outer.zip", outer)
	want := p + "!lib/mid.tgz!vendor/inner.zip!.env"

	res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
	if g := find(res, want, "github-pat"); len(g) != 1 || g[0].Line != 1 || g[0].Column != 14 {
		t.Errorf("depth 3 (default): want github-pat at %s:1:14\n%s", want, dump(res))
	}

	res = scan(t, archive.Limits{}, scanner.Options{MaxArchiveDepth: 2}, scanner.Root{Path: p})
	if len(find(res, want, "github-pat")) != 0 || !hasError(res, p+"!lib/mid.tgz!vendor/inner.zip", "not opened (--max-archive-depth 2)") {
		t.Errorf("depth 2: the third archive must not be opened, with an error\n%s", dump(res))
	}

	res = scan(t, archive.Limits{}, scanner.Options{MaxArchiveDepth: -1}, scanner.Root{Path: p})
	if len(res.Findings) != 0 || len(res.Errors) != 0 {
		t.Errorf("archives off: want nothing\n%s", dump(res))
	}

	// A streamed zip (or one inside a member too large to hold in memory)
	// is read into memory for its central directory; beyond the bound it
	// is read from its local headers as it streams.
	res = scan(t, archive.Limits{MaxZipBuffer: 64}, scanner.Options{}, streamed("npm:outer.zip", outer))
	if len(find(res, "npm:outer.zip!lib/mid.tgz!vendor/inner.zip!.env", "github-pat")) != 1 || len(res.Errors) != 0 {
		t.Errorf("small zip buffer: want the finding, read from local headers, and no error\n%s", dump(res))
	}
	res = scan(t, archive.Limits{MaxBuffer: 64}, scanner.Options{}, streamed("npm:outer.zip", outer))
	if len(find(res, "npm:outer.zip!lib/mid.tgz!vendor/inner.zip!.env", "github-pat")) != 1 {
		t.Errorf("streamed nested members: want the finding\n%s", dump(res))
	}
}

// TestSingleGzip scans a gzipped file that is not a tarball as one member.
func TestSingleGzip(t *testing.T) {
	p := writeFile(t, "session.jsonl.gz", gz(t, []byte(`{"type":"user","sessionId":"s1","message":{"content":"GITHUB_TOKEN=`+ghToken+`"}}`+"\n")))
	res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
	if g := find(res, p+"!session.jsonl", "github-pat"); len(g) != 1 {
		t.Errorf("single gzip:\n%s", dump(res))
	}
	if a := find(res, p+"!session.jsonl", rules.AgentArtifactTranscript); len(a) != 1 {
		t.Errorf("single gzip: no transcript artifact\n%s", dump(res))
	}
}

// TestTextNamedLikeArchive scans a text file with an archive's name as
// text.
func TestTextNamedLikeArchive(t *testing.T) {
	p := writeFile(t, "notes.tar", []byte("GITHUB_TOKEN="+ghToken+"\n"))
	res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
	if g := find(res, p, "github-pat"); len(g) != 1 || len(res.Errors) != 0 {
		t.Errorf("text named .tar:\n%s", dump(res))
	}
}

// TestArtifactKinds ships one file of each agent-artifact kind in a
// tarball: each is reported by path, with its rule's severity, whether or
// not a secret is found in it.
func TestArtifactKinds(t *testing.T) {
	kinds := []struct {
		name, body string
		rule       string
		sev        rules.Severity
	}{
		{"package/.claude/.credentials.json", `{"claudeAiOauth":{"accessToken":"x"}}`, rules.AgentArtifactCredentials, rules.Critical},
		{"package/keys/id_rsa", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n", rules.AgentArtifactPrivateKey, rules.Critical},
		{"package/.npmrc", "//registry.npmjs.org/:_authToken=npm_Kp9Lm2Xq7Rt4Vw8Nb3Jh6Gf1Dz5Sa0QeT4uV\n", rules.AgentArtifactNpmrcToken, rules.Critical},
		{"package/.env.local", "PORT=3000\n", rules.AgentArtifactEnvFile, rules.High},
		{"package/logs/session.jsonl", `{"parentUuid":null,"sessionId":"s1","type":"user","message":{"content":"hi"}}` + "\n", rules.AgentArtifactTranscript, rules.High},
		{"package/.claude/settings.local.json", `{"permissions":{"allow":["Bash(npm test:*)"]}}`, rules.AgentArtifactClaudeSettings, rules.High},
		{"package/.mcp.json", `{"mcpServers":{}}`, rules.AgentArtifactMCPConfig, rules.Medium},
		{"package/.cursor/rules/style.mdc", "Use tabs.\n", rules.AgentArtifactAgentDir, rules.Medium},
		{"package/CLAUDE.md", "# Notes\n", rules.AgentArtifactMemoryFile, rules.Info},
	}
	ms := []member{{name: "package/index.js", body: "module.exports = 1\n"}, {name: "package/.env.example", body: "API_KEY=your-key-here\n"}}
	for _, k := range kinds {
		ms = append(ms, member{name: k.name, body: k.body})
	}
	p := writeFile(t, "kinds.tgz", tgzBytes(t, ms))
	res := scan(t, archive.Limits{}, scanner.Options{}, scanner.Root{Path: p})
	artifacts := 0
	for _, f := range res.Findings {
		if f.Kind == rules.KindAgentArtifact {
			artifacts++
		}
	}
	for _, k := range kinds {
		got := find(res, p+"!"+k.name, k.rule)
		if len(got) != 1 || got[0].Severity != k.sev || got[0].Line != 0 || !got[0].Secret.IsZero() {
			t.Errorf("%s: want one %s (%s):\n%s", k.name, k.rule, k.sev, dump(res))
		}
	}
	if artifacts != len(kinds) {
		t.Errorf("%d agent-artifact findings, want %d:\n%s", artifacts, len(kinds), dump(res))
	}
}

// TestBindInPackageMember checks that code inside a package tarball gets
// the every-interface bind analysis (dist/index.js of an npm package),
// both from disk and streamed (mcpscan npm:<spec>), and that a bundled
// test file does not.
func TestBindInPackageMember(t *testing.T) {
	data := tgzBytes(t, []member{
		{name: "package/package.json", body: `{"name":"demo-mcp","version":"1.0.0"}` + "\n"},
		{name: "package/dist/index.js", body: "#!/usr/bin/env node\n\"use strict\";\nconst PORT = Number(process.env.PORT ?? 3000);\nconst HOST = process.env.HOST || \"0.0.0.0\";\napp.listen(PORT, HOST, () => console.log(\"up\"));\n"},
		{name: "package/dist/index.test.js", body: "app.listen(3000, '0.0.0.0');\n"},
	})
	for _, root := range []scanner.Root{{Path: writeFile(t, "demo-mcp-1.0.0.tgz", data)}, streamed("demo-mcp-1.0.0.tgz", data)} {
		res := scan(t, archive.Limits{}, scanner.Options{}, root)
		got := find(res, root.Path+"!package/dist/index.js", rules.ServerBindsAllInterfaces)
		if len(got) != 1 {
			t.Fatalf("%s: %d bind findings in dist/index.js, want 1:\n%s", root.Path, len(got), dump(res))
		}
		f := got[0]
		if f.Line != 5 || f.Column != 1 || f.Severity != rules.Medium || !strings.Contains(f.Description, "app.listen") ||
			!strings.Contains(f.Description, "HOST env default on line 4") || f.Secret.String() != "app.listen (0.0.0.0)" {
			t.Errorf("finding %+v", f)
		}
		if n := len(find(res, root.Path+"!package/dist/index.test.js", rules.ServerBindsAllInterfaces)); n != 0 {
			t.Errorf("%d findings in a test file", n)
		}
	}
}
