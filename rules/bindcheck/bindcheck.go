// Package bindcheck finds servers that listen on every network interface
// in Go, Python and JavaScript/TypeScript source code: the analysis behind
// the server-binds-all-interfaces rule.
//
// A regex over one line cannot tell "0.0.0.0" in a docstring from the host
// a server is started with, and misses the ordinary ways code binds: an
// empty Go host (":8080"), a host in a constant set above the call, an
// environment or CLI default, a framework that listens everywhere when no
// host is given. bindcheck understands enough of each language to follow a
// host from where it is written to the call that listens:
//
//   - Go: the standard library's go/parser and go/ast. Sinks: net.Listen,
//     tls.Listen, net.ListenTCP, http.ListenAndServe(TLS), an http.Server
//     whose ListenAndServe is called, gin Run, echo/fiber/iris/mcp-go
//     Start/Listen and any Start/Run/Listen method given a host:port
//     string. Values: constants, package and local variables with their
//     reassignments, fmt.Sprintf, concatenation, net.JoinHostPort,
//     cmp.Or, flag/pflag defaults and env-with-default helpers.
//   - Python and JavaScript/TypeScript: a tokenizer that knows strings,
//     f-strings and template literals, comments, docstrings and regex
//     literals, a tolerant expression parser, and intra-file constant
//     propagation through assignments, parameters' defaults, env defaults
//     (os.getenv("HOST", "0.0.0.0"), process.env.HOST || "0.0.0.0", ??),
//     CLI option defaults (argparse, click, typer, commander, yargs,
//     util.parseArgs), settings classes and object shorthand. No pure-Go
//     parser handles both modern Python and TypeScript (see the README of
//     this analysis in the repository's README rules table).
//
// What is never a bind: text in comments, docstrings, log messages and
// client URLs (they are string tokens no sink receives), unit-test files
// (IsTestPath), and a host that is a function parameter without a default
// (code that only forwards its caller's choice). A parameter whose default
// is 0.0.0.0 is a bind: calling the function the ordinary way exposes it.
//
// The package is pure: no I/O, no scanner types. It is safe for concurrent
// use.
package bindcheck

import (
	"bytes"
	"path"
	"strings"
	"unicode/utf8"
)

// MaxAnalysed is the largest text analysed whole, in bytes (4 MiB).
// Larger files are analysed in overlapping windows of this size (see
// Analyzer), which bounds the memory the analysis holds per file.
const MaxAnalysed = 4 << 20

// Bind is one server that listens on every interface.
type Bind struct {
	// Offset and End are the byte span, in the src given to Find, of the
	// listening call's callee ("uvicorn.run", "app.listen") or, for a bind
	// set by an assignment (hypercorn's config.bind), of the assignment's
	// target.
	Offset, End int64
	// Line and Column are 1-based; Column counts Unicode code points.
	Line, Column int
	// EndLine and EndColumn end the span (EndColumn exclusive).
	EndLine, EndColumn int
	// Call names the listening call as written, with its arguments elided:
	// "uvicorn.run", "net.Listen", "app.listen", "server.NewSSEServer(…).Start".
	Call string
	// Host is the address listened on: "0.0.0.0", "::", or "" for an empty
	// or omitted host that means every interface (Go ":8080", Node's
	// listen(port), aiohttp's run_app(app)).
	Host string
	// Value is the host or address as evaluated, unknown parts shown as
	// "…": ":8080", "0.0.0.0", ":…"; empty when no host was given.
	Value string
	// Origin says where the host came from: "literal", "host from HOST env
	// default on line 12", "no host given: Node listens on every interface".
	Origin string
	// OriginLine is the line the host's value was written on (the call's
	// line for literals and omitted hosts).
	OriginLine int
}

// Lang is a source language Find understands.
type Lang int

// Languages.
const (
	LangNone Lang = iota
	LangGo
	LangPython
	LangJS // JavaScript and TypeScript, with or without JSX
)

// LangOf returns the language of a file from its (slash or OS) path's
// extension: .go, .py/.pyw, .js/.mjs/.cjs/.jsx, .ts/.mts/.cts/.tsx. It
// returns LangNone for anything else, including .d.ts declaration files.
func LangOf(p string) Lang {
	base := strings.ToLower(path.Base(strings.ReplaceAll(p, `\`, "/")))
	switch path.Ext(base) {
	case ".go":
		return LangGo
	case ".py", ".pyw":
		return LangPython
	case ".js", ".mjs", ".cjs", ".jsx", ".tsx":
		return LangJS
	case ".ts", ".mts", ".cts":
		if strings.HasSuffix(base, ".d.ts") || strings.HasSuffix(base, ".d.mts") || strings.HasSuffix(base, ".d.cts") {
			return LangNone
		}
		return LangJS
	}
	return LangNone
}

// IsTestPath reports whether p is a unit-test file by its language's
// convention: Go *_test.go; Python test_*.py, *_test.py, conftest.py;
// JavaScript/TypeScript *.test.*, *.spec.*; and, for Python and JS, any
// file below a tests/, test/, __tests__/ or __mocks__ directory. A server
// a test starts is not a server users run.
func IsTestPath(p string) bool {
	p = strings.ToLower(strings.ReplaceAll(p, `\`, "/"))
	base := path.Base(p)
	switch LangOf(p) {
	case LangGo:
		return strings.HasSuffix(base, "_test.go")
	case LangPython:
		if strings.HasPrefix(base, "test_") || strings.HasSuffix(base, "_test.py") || base == "conftest.py" {
			return true
		}
	case LangJS:
		stem := strings.TrimSuffix(base, path.Ext(base))
		if strings.HasSuffix(stem, ".test") || strings.HasSuffix(stem, ".spec") {
			return true
		}
	default:
		return false
	}
	dir := "/" + path.Dir(p) + "/"
	for _, d := range []string{"/tests/", "/test/", "/__tests__/", "/__mocks__/"} {
		if strings.Contains(dir, d) {
			return true
		}
	}
	return false
}

// wantCalls are, per language, the names a sink call ends with (the
// identifier before its "("); wantWords are other byte strings that can
// hold a bind (an assignment to hypercorn's config.bind, FastMCP's
// settings.host, Go's Listen/Serve/Start methods).
var (
	wantCalls = map[Lang]map[string]bool{
		LangPython: set("run", "run_app", "serve", "start_server", "create_server", "add_insecure_port", "add_secure_port",
			"launch", "listen", "make_server", "run_simple", "Config", "FastMCP", "MCPServer", "TCPSite", "bind",
			"run_sse_async", "run_streamable_http_async", "run_http_async", "run_async"),
		LangJS: set("listen", "serve", "start", "Start", "startServer", "launch"),
	}
	wantWords = map[Lang][][]byte{
		LangGo:     words("Listen", "Serve", "Run(", "Start"),
		LangPython: words(".bind", "bind =", "settings.host"),
	}
)

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func words(ws ...string) [][]byte {
	out := make([][]byte, len(ws))
	for i, w := range ws {
		out[i] = []byte(w)
	}
	return out
}

// Wants reports cheaply whether src, a file of language lang, could hold a
// bind: whether a call's name before "(" is one a sink has (Python run,
// serve, bind, FastMCP, …Server …; JS listen, serve, start …), or, for Go
// and Python assignments, whether it holds a sink word (Listen, Serve,
// Run(, Start; .bind, settings.host). It is one pass over the '(' bytes
// plus a few substring searches. Find finds nothing in a file Wants
// rejects.
func Wants(lang Lang, src []byte) bool {
	for _, w := range wantWords[lang] {
		if bytes.Contains(src, w) {
			return true
		}
	}
	calls := wantCalls[lang]
	if calls == nil {
		return false
	}
	for i := 0; ; {
		k := bytes.IndexByte(src[i:], '(')
		if k < 0 {
			return false
		}
		i += k
		j := i
		for j > 0 && j > i-32 && isWordByte(src[j-1]) {
			j--
		}
		if j < i {
			name := src[j:i]
			if calls[string(name)] || lang == LangPython && bytes.HasSuffix(name, []byte("Server")) ||
				lang == LangJS && (bytes.HasSuffix(name, []byte("Server")) || bytes.HasSuffix(name, []byte("server"))) {
				return true
			}
		}
		i++
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// Find analyses one source file and returns the every-interface binds in
// it, in file order. The path decides the language (LangOf) and whether
// the file is a unit test (IsTestPath; tests give nil). src is analysed
// whole, whatever its size; callers bound memory by giving at most
// MaxAnalysed bytes (see Analyzer). Malformed code gives what its readable
// parts show, never an error.
func Find(p string, src []byte) []Bind {
	lang := LangOf(p)
	if IsTestPath(p) || !Wants(lang, src) {
		return nil
	}
	var out []Bind
	switch lang {
	case LangGo:
		out = findGo(p, src)
	case LangPython:
		out = findPython(p, src)
	case LangJS:
		out = findJS(src)
	}
	return finish(src, out)
}

// finish fills in lines and columns, drops duplicates (one call reached
// twice) and sorts by offset.
func finish(src []byte, bs []Bind) []Bind {
	if len(bs) == 0 {
		return nil
	}
	sortBinds(bs)
	out := bs[:0]
	for i, b := range bs {
		if i > 0 && b.Offset == out[len(out)-1].Offset {
			continue
		}
		out = append(out, b)
	}
	var lc lineCounter
	lc.src = src
	for i := range out {
		b := &out[i]
		b.Line, b.Column = lc.at(b.Offset)
		b.EndLine, b.EndColumn = lc.at(b.End)
		if b.OriginLine == 0 {
			b.OriginLine = b.Line
		}
	}
	return out
}

func sortBinds(bs []Bind) {
	for i := 1; i < len(bs); i++ {
		for j := i; j > 0 && bs[j].Offset < bs[j-1].Offset; j-- {
			bs[j], bs[j-1] = bs[j-1], bs[j]
		}
	}
}

// lineCounter turns increasing byte offsets into 1-based lines and
// code-point columns.
type lineCounter struct {
	src            []byte
	off, line, bol int
}

func (c *lineCounter) at(off int64) (line, col int) {
	o := int(min(max(off, 0), int64(len(c.src))))
	if c.line == 0 || o < c.off {
		c.off, c.line, c.bol = 0, 1, 0
	}
	for c.off < o {
		k := bytes.IndexByte(c.src[c.off:o], '\n')
		if k < 0 {
			c.off = o
			break
		}
		c.off += k + 1
		c.line++
		c.bol = c.off
	}
	return c.line, utf8.RuneCount(c.src[c.bol:o]) + 1
}

// lineOf returns the 1-based line of byte offset off in src.
func lineOf(src []byte, off int) int {
	off = min(max(off, 0), len(src))
	return bytes.Count(src[:off], []byte{'\n'}) + 1
}

// Analyzer analyses a file streamed through it (an io.Writer), in bounded
// memory: it holds at most MaxAnalysed bytes plus what one Write adds. A
// file of at most MaxAnalysed bytes is analysed whole; a larger one (a
// bundled dist/index.js) in windows of MaxAnalysed bytes that overlap by
// 64 KiB, each after the first starting at a line start inside the
// overlap, so that a call is always seen whole; a constant defined in an
// earlier window is then not seen. Compose files are analysed only when
// they fit in one window.
type Analyzer struct {
	path      string
	compose   bool
	buf       []byte
	base      int64 // file offset of buf[0]
	lineBase  int   // lines before buf[0]
	out       []Bind
	truncated bool
}

// overlap is how much of a window the next one repeats.
const overlap = 64 << 10

// NewAnalyzer returns an Analyzer for the file at path p (slash or OS
// path), or nil when p is neither source code bindcheck reads (LangOf) nor
// a Compose file (IsComposePath), or is a unit test (IsTestPath).
func NewAnalyzer(p string) *Analyzer {
	switch {
	case IsComposePath(p):
		return &Analyzer{path: p, compose: true}
	case LangOf(p) != LangNone && !IsTestPath(p):
		return &Analyzer{path: p}
	}
	return nil
}

// Compose reports whether the analyzer reads a Compose file (whose binds
// are container port publications, not server code).
func (a *Analyzer) Compose() bool { return a.compose }

// Write buffers p, analysing full windows as they fill. It never fails.
func (a *Analyzer) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if a.compose && a.truncated {
			return n, nil
		}
		k := min(len(p), MaxAnalysed-len(a.buf))
		a.buf = append(a.buf, p[:k]...)
		p = p[k:]
		if len(a.buf) >= MaxAnalysed {
			if a.compose {
				a.truncated, a.buf = true, nil
				return n, nil
			}
			a.window()
			cut := len(a.buf) - overlap
			if k := bytes.IndexByte(a.buf[cut:], '\n'); k >= 0 {
				cut += k + 1
			}
			a.lineBase += bytes.Count(a.buf[:cut], []byte{'\n'})
			a.base += int64(cut)
			a.buf = append(a.buf[:0], a.buf[cut:]...)
		}
	}
	return n, nil
}

// window analyses the buffered bytes and keeps the binds not yet seen.
func (a *Analyzer) window() {
	var bs []Bind
	if a.compose {
		bs = ComposePorts(a.buf)
	} else {
		bs = Find(a.path, a.buf)
	}
	for _, b := range bs {
		b.Offset += a.base
		b.End += a.base
		if len(a.out) > 0 && b.Offset <= a.out[len(a.out)-1].Offset {
			continue
		}
		b.Line += a.lineBase
		b.EndLine += a.lineBase
		if b.OriginLine > 0 {
			b.OriginLine += a.lineBase
		}
		a.out = append(a.out, b)
	}
}

// Binds analyses what is left and returns every bind of the file in file
// order, with offsets and lines relative to the whole file. Call it once,
// after the last Write.
func (a *Analyzer) Binds() []Bind {
	if !a.truncated && (len(a.buf) > 0 || a.base == 0) {
		a.window()
	}
	a.buf = nil
	return a.out
}

// FindAll is Find for a text of any size, analysed as an Analyzer would
// (in windows beyond MaxAnalysed). Compose paths give ComposePorts.
func FindAll(p string, src []byte) []Bind {
	a := NewAnalyzer(p)
	if a == nil {
		return nil
	}
	a.Write(src)
	return a.Binds()
}

// hostAll reports whether a host string means every interface: 0.0.0.0,
// ::, [::], 0:0:0:0:0:0:0:0, or (when empty is true) the empty string.
func hostAll(h string, empty bool) bool {
	switch strings.TrimSpace(h) {
	case "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "::0", "0":
		return true
	case "":
		return empty
	}
	return false
}

// normHost returns the Bind.Host spelling of an every-interface host.
func normHost(h string) string {
	h = strings.TrimSpace(h)
	switch h {
	case "0.0.0.0", "0":
		return "0.0.0.0"
	case "", "*":
		return ""
	}
	return "::"
}
