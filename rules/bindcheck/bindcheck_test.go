package bindcheck

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// bindCase is one source file and the binds expected in it, each as
// "LINE CALL HOST | origin substring" (HOST is "-" for an empty host).
type bindCase struct {
	name, path, src string
	want            []string
}

func describe(b Bind) string {
	h := b.Host
	if h == "" {
		h = "-"
	}
	return fmt.Sprintf("%d %s %s | %s", b.Line, b.Call, h, b.Origin)
}

func runCases(t *testing.T, cases []bindCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Find(c.path, []byte(c.src))
			var gs []string
			for _, b := range got {
				gs = append(gs, describe(b))
			}
			if len(got) != len(c.want) {
				t.Fatalf("%d binds, want %d:\n got  %q\n want %q", len(got), len(c.want), gs, c.want)
			}
			for i, w := range c.want {
				head, orig, _ := strings.Cut(w, " | ")
				g := gs[i]
				if !strings.HasPrefix(g, head+" | ") || !strings.Contains(g, orig) {
					t.Errorf("bind %d: %q, want %q", i, g, w)
				}
				b := got[i]
				if b.End <= b.Offset || int(b.End) > len(c.src) || b.Column < 1 || b.EndLine < b.Line {
					t.Errorf("bind %d: bad span %+v", i, b)
				}
				if b.OriginLine < 1 {
					t.Errorf("bind %d: no origin line", i)
				}
			}
		})
	}
}

func TestGo(t *testing.T) {
	runCases(t, []bindCase{
		{"mcp-go Start empty host", "main.go", `package main

import "github.com/mark3labs/mcp-go/server"

func main() {
	srv := server.NewStreamableHTTPServer(nil)
	srv.Start(":8080")
}
`, []string{`7 srv.Start - | literal`}},
		{"gin Run with and without address", "main.go", `package main

import "github.com/gin-gonic/gin"

func main() {
	r := gin.Default()
	r.Run(":9080")
	r2 := gin.New()
	r2.Run()
}
`, []string{`7 r.Run - | literal`, `9 r2.Run - | gin's Run()`}},
		{"ListenAndServe concatenation and env port", "main.go", `package main

import (
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.ListenAndServe(":"+port, nil)
	http.ListenAndServe("127.0.0.1:"+port, nil)
}
`, []string{`13 http.ListenAndServe - | literal`}},
		{"http.Server Addr then ListenAndServe", "main.go", `package main

import (
	"net/http"
	"os"
)

func main() {
	srv := &http.Server{Addr: "0.0.0.0:" + os.Getenv("PORT")}
	srv.ListenAndServe()
	local := &http.Server{Addr: "127.0.0.1:9000"}
	local.ListenAndServe()
	bare := &http.Server{}
	bare.ListenAndServeTLS("c.pem", "k.pem")
}
`, []string{`10 srv.ListenAndServe 0.0.0.0 | http.Server Addr on line 9`, `14 bare.ListenAndServeTLS - | has no Addr`}},
		{"constants, package vars, Sprintf, JoinHostPort, env helper", "cmd/server/main.go", `package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"crypto/tls"
)

const listenHost = "0.0.0.0"

var grpcAddr = "[::]:50051"

func getEnv(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}

func main() {
	http.ListenAndServe(fmt.Sprintf("%s:%d", listenHost, 8080), nil)
	lis, _ := net.Listen("tcp", grpcAddr)
	_ = lis
	host := getEnv("HOST", "0.0.0.0")
	tls.Listen("tcp", net.JoinHostPort(host, "8443"), nil)
	net.Listen("unix", "/tmp/sock")
}
`, []string{`23 http.ListenAndServe 0.0.0.0 | host from listenHost on line 11`, `24 net.Listen :: | host from grpcAddr on line 13`, `27 tls.Listen 0.0.0.0 | host from HOST env default on line 26`}},
		{"flag defaults and cmp.Or", "main.go", `package main

import (
	"cmp"
	"flag"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"
	"github.com/gofiber/fiber/v2"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	var bind string
	flag.StringVar(&bind, "bind", "0.0.0.0:9090", "bind address")
	flag.Parse()
	http.ListenAndServe(*addr, nil)
	e := echo.New()
	e.Start(bind)
	app := fiber.New()
	app.Listen(cmp.Or(os.Getenv("LISTEN"), ":3000"))
}
`, []string{`18 http.ListenAndServe - | host from -addr flag default on line 14`, `20 e.Start 0.0.0.0 | host from -bind flag default on line 16`, `22 app.Listen - | host from LISTEN env default on line 22`}},
		{"reassigned from env keeps the literal as env default", "main.go", `package main

import (
	"net"
	"os"
)

func main() {
	addr := ":7000"
	if v := os.Getenv("ADDR"); v != "" {
		addr = v
	}
	net.Listen("tcp", addr)
}
`, []string{`13 net.Listen - | ADDR env default`}},
		{"ListenTCP and ListenConfig", "main.go", `package main

import (
	"context"
	"net"
)

func main() {
	net.ListenTCP("tcp", &net.TCPAddr{Port: 80})
	net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 81})
	var lc net.ListenConfig
	lc.Listen(context.Background(), "tcp", ":82")
}
`, []string{`9 net.ListenTCP - | no IP`, `12 lc.Listen - | literal`}},
		{"same-file address helper and struct-literal default", "server.go", `package srv

import (
	"fmt"
	"net/http"
	"github.com/gin-gonic/gin"
)

type Config struct{ Port string }

func DefaultConfig() *Config { return &Config{Port: ":8080"} }

type S struct{ config *Config }

func (s *S) Run(r *gin.Engine) error { return r.Run(s.config.Port) }

func listenAddr(host string, port int) string {
	if host == "" {
		return fmt.Sprintf(":%d", port)
	}
	return fmt.Sprintf("%s:%d", host, port)
}

func Serve(host string, port int) error {
	return http.ListenAndServe(listenAddr(host, port), nil)
}
`, []string{`15 r.Run - | Port field`, `25 http.ListenAndServe - | listenAddr()`}},
		// False alarms.
		{"library forwards the caller's address", "server/sse.go", `package server

import "net/http"

// Start starts the server, e.g. s.Start(":8080") or s.Start("0.0.0.0:8080").
func (s *SSEServer) Start(addr string) error {
	srv := &http.Server{Addr: addr}
	return srv.ListenAndServe()
}

func Serve(addr string) error { return http.ListenAndServe(addr, nil) }
`, nil},
		{"loopback, client URLs, logs and comments", "main.go", `package main

import (
	"log"
	"net/http"
)

func main() {
	// http.ListenAndServe(":8080", nil)
	log.Printf("listening on 0.0.0.0:8080")
	resp, _ := http.Get("http://0.0.0.0:8080/health")
	_ = resp
	http.ListenAndServe("localhost:8080", nil)
	http.ListenAndServe("[::1]:8080", nil)
}
`, nil},
		{"test file", "main_test.go", `package main
import "net/http"
func TestX() { http.ListenAndServe(":8080", nil) }
`, nil},
		{"syntax error still analysed", "main.go", `package main
import "net/http"
func main() {
	http.ListenAndServe(":8080", nil)
	x := := broken
}
`, []string{`4 http.ListenAndServe - | literal`}},
	})
}

func TestPython(t *testing.T) {
	runCases(t, []bindCase{
		{"uvicorn with a constant and env defaults", "app/main.py", `"""Service.

Run: uvicorn.run(app, host="0.0.0.0")
"""
import os
import uvicorn

HOST = "0.0.0.0"
PORT = int(os.getenv("PORT", 8000))
BIND = os.environ.get("BIND_HOST", "::")

def main():
    uvicorn.run(app, host=HOST, port=PORT)
    uvicorn.run("app:app", host=BIND)
    uvicorn.run(app, host=os.getenv("H") or "0.0.0.0")
    uvicorn.run(app, host="127.0.0.1")
    config = uvicorn.Config(app, host=os.environ["HOST"])
`, []string{`13 uvicorn.run 0.0.0.0 | host from HOST on line 8`, `14 uvicorn.run :: | host from BIND_HOST env default on line 10`, `15 uvicorn.run 0.0.0.0 | host from H env default on line 15`}},
		{"argparse, click and typer defaults, nested env default", "server.py", `import argparse, os
import click
import typer
import uvicorn

def cli():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default=os.getenv("HOST", "0.0.0.0"))
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port)

@click.command()
@click.option("--listen-host", default="0.0.0.0")
def serve(listen_host):
    uvicorn.run(app, host=listen_host)

def main(host: str = typer.Option("0.0.0.0", help="bind")):
    uvicorn.run(app, host=host)
`, []string{`11 uvicorn.run 0.0.0.0 | HOST env default`, `16 uvicorn.run 0.0.0.0 | --listen-host default`, `19 uvicorn.run 0.0.0.0 | parameter host's default`}},
		{"FastMCP constructor, settings.host and run", "server.py", `from mcp.server.fastmcp import FastMCP
import os

mcp = FastMCP("demo", host=os.getenv("FASTMCP_HOST", "0.0.0.0"))
local = FastMCP("stdio-only", host="0.0.0.0")
other = FastMCP("other")

if __name__ == "__main__":
    local.run()
    other.settings.host = "0.0.0.0"
    other.run(transport="sse")
    mcp.run(transport=os.getenv("TRANSPORT", "streamable-http"))
`, []string{`11 other.run 0.0.0.0 | host from other.settings.host on line 10`, `12 mcp.run 0.0.0.0 | FASTMCP_HOST env default`}},
		{"fastmcp 2 run(host=) and an unrun constructor", "srv.py", `from fastmcp import FastMCP
mcp = FastMCP("x")
mcp.run(transport="http", host="0.0.0.0", port=8000)
exported = FastMCP("y", host="::")
`, []string{`3 mcp.run 0.0.0.0 | literal`, `4 FastMCP :: | literal`}},
		{"Flask positional, aiohttp, socketserver, hypercorn", "web.py", `import socketserver
from http.server import ThreadingHTTPServer
from aiohttp import web
from hypercorn.config import Config

PORT = 8000
app.run('0.0.0.0', 5000)
web.run_app(app)
web.run_app(app, host="127.0.0.1")
with socketserver.TCPServer(("", PORT), Handler) as httpd:
    httpd.serve_forever()
ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
config = Config()
config.bind = [f"0.0.0.0:{PORT}"]
`, []string{`7 app.run 0.0.0.0 | literal`, `8 web.run_app - | aiohttp`, `10 socketserver.TCPServer - | literal`, `14 config.bind 0.0.0.0 | literal`}},
		{"asyncio, sockets, gRPC, settings class", "svc.py", `import asyncio, socket, os
from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    host: str = "0.0.0.0"
    port: int = 8080

settings = Settings()

async def main():
    await asyncio.start_server(handle, port=8888)
    await asyncio.start_server(handle, "127.0.0.1", 8889)
    s = socket.socket()
    s.bind(("", 9000))
    server.add_insecure_port("[::]:50051")
    uvicorn.run(app, host=settings.host)
`, []string{`11 asyncio.start_server - | start_server`, `14 s.bind - | literal`, `15 server.add_insecure_port :: | literal`, `16 uvicorn.run 0.0.0.0 | Settings.host`}},
		// False alarms.
		{"forwarding library function", "lib/serve.py", `import uvicorn

def serve(app, host, port=8000):
    """Serve app. Example: serve(app, host="0.0.0.0")."""
    uvicorn.run(app, host=host, port=port)
`, nil},
		{"docstrings, comments, logs, client URLs", "client.py", `"""
Start the server with:

    uvicorn.run(app, host="0.0.0.0", port=8000)
"""
import httpx
# uvicorn.run(app, host="0.0.0.0")
print(f"Server running at http://0.0.0.0:{8000}")
logger.info("binding to 0.0.0.0")
r = httpx.get("http://0.0.0.0:8000/health")
assert config.host == "0.0.0.0"
asyncio.run(main())
mcp.run()
`, nil},
		{"test files", "tests/test_server.py", `uvicorn.run(app, host="0.0.0.0")`, nil},
		{"test file by name", "pkg/server_test.py", `uvicorn.run(app, host="0.0.0.0")`, nil},
	})
}

func TestJS(t *testing.T) {
	runCases(t, []bindCase{
		{"Node listen forms", "src/server.ts", `import express from "express";
import http from "node:http";

const PORT = Number(process.env.PORT ?? 3000);
const HOST = process.env.HOST || '0.0.0.0';
const app = express();

app.listen(PORT, HOST, () => console.log("up"));
app.listen(PORT, () => console.log("up"));
http.createServer(app).listen({ port: PORT, host: "::" });
app.listen(PORT, "127.0.0.1");
app.listen("/tmp/app.sock");
app.listen(PORT, process.env.BIND_HOST);
`, []string{`8 app.listen 0.0.0.0 | host from HOST env default on line 5`, `9 app.listen - | Node listens`, `10 http.createServer(…).listen :: | literal`, `13 app.listen - | BIND_HOST env, which is unset by default`}},
		{"Deno and Bun with object shorthand", "main.ts", `const hostname = '0.0.0.0';
const port = 8000;
Deno.serve({ port, hostname }, handler);
Deno.serve(handler);
Bun.serve({ hostname: "::", port: 3000, fetch(req) { return new Response("ok"); } });
Bun.serve({ hostname: "127.0.0.1", fetch });
`, []string{`3 Deno.serve 0.0.0.0 | host from hostname on line 1`, `4 Deno.serve - | Deno`, `5 Bun.serve :: | literal`}},
		{"Fastify, Hono, Koa and ws", "index.js", `const Fastify = require('fastify');
const Koa = require('koa');
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';

const fastify = Fastify({ logger: true });
fastify.listen({ port: 3000 });
fastify.listen({ port: 3000, host: '0.0.0.0' });
const koa = new Koa();
koa.listen(3001);
serve({ fetch: app.fetch, port: 8787 });
serve({ fetch: app.fetch, port: 8788, hostname: '127.0.0.1' });
new WebSocketServer({ port: 8080 });
new WebSocketServer({ noServer: true });
`, []string{`8 fastify.listen 0.0.0.0 | literal`, `10 koa.listen - | Node`, `11 serve - | @hono/node-server`, `13 new WebSocketServer - | ws`}},
		{"destructuring, CLI defaults, nested options, parameter default", "cli.mjs", `import { program } from 'commander';
const { HOST = '0.0.0.0', PORT = 3000 } = process.env;
program.option('--listen-host <host>', 'host to bind', '0.0.0.0');
program.parse();
const opts = program.opts();
server.listen(PORT, HOST);
server.listen(PORT, opts.listenHost);
await mcp.start({ transportType: 'httpStream', httpStream: { port: 8080, host: '0.0.0.0' } });
function start(port = 3000, host = '::') {
  http.createServer(handler).listen(port, host);
}
`, []string{`6 server.listen 0.0.0.0 | HOST env default`, `7 server.listen 0.0.0.0 | --listen-host default`, `8 mcp.start 0.0.0.0 | literal`, `10 http.createServer(…).listen :: | parameter host's default`}},
		{"TypeScript syntax around the call", "server.mts", `interface Opts { host: string; port: number }
type Port = number;
const cfg: Opts = { host: '0.0.0.0', port: 8080 } as const satisfies Opts;
export default class App<T extends object> {
  private server!: Server;
  constructor(private readonly opts: Opts = cfg) {}
  async start(): Promise<void> {
    this.server = app.listen(cfg.port as Port, cfg.host!, (): void => {});
  }
}
const re = /['"]/g;
const t = ` + "`http://${'0.0.0.0'}:${8080}`" + `;
`, []string{`8 app.listen 0.0.0.0 | literal`}},
		// False alarms.
		{"forwarding function, client listen, loopback", "lib.ts", `export function startServer(port: number, host: string) {
  return app.listen(port, host);
}
const sub = await client.listen({ toolsListChanged: true });
emitter.listen(handler);
app.listen(3000, 'localhost');
`, nil},
		{"JSDoc, comments, logs, client URLs", "src/client.ts", `/**
 * Example:
 *   app.listen(3000, '0.0.0.0')
 *   Deno.serve({ hostname: "0.0.0.0" }, handler)
 */
// server.listen({ port: 80, host: '0.0.0.0' })
console.log("listening on http://0.0.0.0:3000");
await fetch("http://0.0.0.0:3000/mcp");
const url = new URL("http://0.0.0.0:8080");
`, nil},
		{"test files", "src/__tests__/server.ts", `app.listen(3000, '0.0.0.0')`, nil},
		{"spec file", "src/server.spec.js", `app.listen(3000, '0.0.0.0')`, nil},
		{"test dir", "test/helpers/server.js", `app.listen(3000)`, nil},
	})
}

func TestPaths(t *testing.T) {
	for p, want := range map[string]Lang{
		"a/b.go": LangGo, "x.py": LangPython, "x.PYW": LangPython, "a.js": LangJS, "a.mjs": LangJS, "a.cjs": LangJS,
		"a.ts": LangJS, "a.mts": LangJS, "a.cts": LangJS, "a.jsx": LangJS, "a.tsx": LangJS, "a.d.ts": LangNone,
		"README.md": LangNone, `C:\src\main.go`: LangGo,
	} {
		if got := LangOf(p); got != want {
			t.Errorf("LangOf(%q) = %v, want %v", p, got, want)
		}
	}
	for p, want := range map[string]bool{
		"x_test.go": true, "x.go": false, "test_x.py": true, "x_test.py": true, "conftest.py": true, "tests/x.py": true,
		"src/x.py": false, "latest.py": false, "a.test.ts": true, "a.spec.mjs": true, "src/__tests__/a.js": true,
		"test/a.js": true, "src/contest.js": false, "tests/main.go": false, "README.md": false,
	} {
		if got := IsTestPath(p); got != want {
			t.Errorf("IsTestPath(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestWants(t *testing.T) {
	for _, c := range []struct {
		lang Lang
		src  string
		want bool
	}{
		{LangJS, "app.listen(3000)", true}, {LangJS, "Deno.serve(h)", true}, {LangJS, "const HOST = '0.0.0.0'", false},
		{LangGo, "srv.Start(addr)", true}, {LangGo, "http.ListenAndServe", true}, {LangGo, "x := 1", false},
		{LangPython, "config.bind = x", true}, {LangPython, "uvicorn.run(app)", true}, {LangPython, "x = 1", false},
		{LangNone, "app.listen(3000)", false},
	} {
		if got := Wants(c.lang, []byte(c.src)); got != c.want {
			t.Errorf("Wants(%v, %q) = %v, want %v", c.lang, c.src, got, c.want)
		}
	}
}

// TestAnalyzerWindows checks that a file larger than MaxAnalysed is
// analysed in windows with file-wide offsets and lines, and that a bind in
// an overlap is reported once.
func TestAnalyzerWindows(t *testing.T) {
	filler := strings.Repeat("const x = [1, 2, 3].map(v => v * 2); // padding\n", MaxAnalysed/48+100)
	call := "app.listen(3000, '0.0.0.0');\n"
	src := call + filler + call + filler[:len(filler)/2] + call
	a := NewAnalyzer("dist/index.js")
	for i := 0; i < len(src); i += 100_000 { // streamed in pieces
		a.Write([]byte(src[i:min(i+100_000, len(src))]))
	}
	got := a.Binds()
	if len(got) != 3 {
		t.Fatalf("%d binds, want 3: %+v", len(got), got)
	}
	for _, b := range got {
		if src[b.Offset:b.End] != "app.listen" {
			t.Errorf("offset %d: %q", b.Offset, src[b.Offset:b.End])
		}
		if want := strings.Count(src[:b.Offset], "\n") + 1; b.Line != want {
			t.Errorf("line %d, want %d", b.Line, want)
		}
	}
	if NewAnalyzer("README.md") != nil || NewAnalyzer("src/a.test.ts") != nil {
		t.Error("NewAnalyzer accepts a file it does not analyse")
	}
}

func TestCompose(t *testing.T) {
	src := `services:
  mcp:
    image: example/mcp:1.0
    ports:
      - "8080:8080"
      - "127.0.0.1:9090:9090"
      - 3000
      - "0.0.0.0:7000:7000/udp"
      - target: 80
        published: 8081
      - target: 81
        published: 8082
        host_ip: 127.0.0.1
    expose:
      - "5000"
  host:
    network_mode: host
    ports: ["6000:6000"]
`
	got := ComposePorts([]byte(src))
	var gs []string
	for _, b := range got {
		gs = append(gs, fmt.Sprintf("%d:%d %s %s", b.Line, b.Column, b.Call, b.Value))
	}
	want := []string{"5:9 services.mcp.ports 8080:8080", "7:9 services.mcp.ports 3000", "8:9 services.mcp.ports 0.0.0.0:7000:7000/udp", "10:20 services.mcp.ports 8081:80"}
	if strings.Join(gs, "; ") != strings.Join(want, "; ") {
		t.Errorf("ComposePorts:\n got  %q\n want %q", gs, want)
	}
	if ComposePorts([]byte("services: [unclosed")) != nil {
		t.Error("invalid YAML gives binds")
	}
	for spec, want := range map[string]bool{
		"3000:8000": true, "8000": true, "127.0.0.1:3000:8000": false, "0.0.0.0:3000:8000": true, "[::]:3000:8000": true,
		"[::1]:3000:8000": false, "3000-3005:8000-8005/udp": true, "${HOST}:3000:8000": false, "": false, "localhost:80:80": false,
	} {
		if got := PublishesAll(spec); got != want {
			t.Errorf("PublishesAll(%q) = %v, want %v", spec, got, want)
		}
	}
	for p, want := range map[string]bool{"docker-compose.yml": true, "compose.yaml": true, "deploy/docker-compose.prod.yml": true,
		"app.compose.yml": true, "composer.json": false, "values.yaml": false} {
		if got := IsComposePath(p); got != want {
			t.Errorf("IsComposePath(%q) = %v, want %v", p, got, want)
		}
	}
}

// FuzzFind checks that no input makes the analysis panic or hang.
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"app.listen(3000, '0.0.0.0')", "uvicorn.run(app, host=f\"{HOST}\")", "`${`${x}`}`", "f'{x:{y}}'", "(((", "<T>(x)",
		"def f(:\n  run(host=", "x = /[/]/.test(y); app.listen(", `"""unterminated`, "const {a = {b: [c = d]}} = e; listen(a)",
		"package main\nfunc main() { http.ListenAndServe(\":\"+ }",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range []string{"a.py", "a.ts", "a.go"} {
			for _, b := range Find(p, []byte(s)) {
				if b.Offset < 0 || b.End > int64(len(s)) || b.Offset > b.End {
					t.Fatalf("%s: span %d-%d outside %d bytes", p, b.Offset, b.End, len(s))
				}
			}
		}
	})
}

// TestPathological runs inputs built to defeat a naive parser (deep
// nesting, unbalanced brackets, endless templates); each must finish (the
// test binary's timeout is the bound) without a panic.
func TestPathological(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("(", 100_000), strings.Repeat("f(", 50_000) + "listen(", strings.Repeat("{a:", 50_000) + "serve(",
		strings.Repeat("`${", 20_000), strings.Repeat("(a): T => ", 30_000) + "app.listen(3000)", strings.Repeat("[", 80_000) + "run(",
		strings.Repeat("x = y\n", 50_000) + "uvicorn.run(app, host=x)", strings.Repeat("a = {...a}\n", 20_000) + "app.listen(a.port, a.host)",
		strings.Repeat("f'{", 20_000) + "run(", strings.Repeat("<", 50_000) + "listen(", strings.Repeat("/", 50_000) + "listen(",
	} {
		for _, p := range []string{"a.py", "a.ts", "a.go"} {
			start := time.Now()
			Find(p, []byte(s))
			if d := time.Since(start); d > time.Second {
				t.Logf("%s %.20q…: %v", p, s, d)
			}
		}
	}
}
