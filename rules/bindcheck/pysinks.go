package bindcheck

import (
	"path"
	"strings"
)

// Python sinks. Defaults that decide what an omitted host means, from
// each library's documentation:
//   - uvicorn.run/Config, Flask app.run, FastMCP (mcp.server.fastmcp and
//     fastmcp 2.x), hypercorn, gradio launch: 127.0.0.1 (or localhost).
//   - aiohttp web.run_app and TCPSite, asyncio start_server/create_server,
//     websockets.serve: a missing or None host listens on every interface.
//   - socketserver/http.server servers and socket.bind take a (host, port)
//     tuple in which "" means every interface.
//   - tornado's listen(port) has address "" (every interface) by default.

// pyHostKwargs are keyword arguments that carry a listen host.
var pyHostKwargs = []string{"host", "hostname", "bind_host", "listen_host", "server_host", "server_name", "address"}

// pyGenericSinks are call names that start servers and take host=.
var pyGenericSinks = map[string]bool{
	"run": true, "serve": true, "start": true, "run_server": true, "start_server": true, "run_app": true,
	"launch": true, "Config": true, "run_async": true, "run_sse_async": true, "run_streamable_http_async": true,
	"run_http_async": true, "run_simple": true, "make_server": true, "FastMCP": true, "MCPServer": true, "create_server": true,
	"serve_forever": true, "listen": true, "run_until_complete": false,
}

var pySocketServers = map[string]bool{
	"TCPServer": true, "ThreadingTCPServer": true, "ForkingTCPServer": true, "HTTPServer": true, "ThreadingHTTPServer": true,
	"UDPServer": true, "ThreadingUDPServer": true, "WSGIServer": true, "SimpleXMLRPCServer": true, "DocXMLRPCServer": true,
	"ThreadedHTTPServer": true,
}

func (s *scan) pySinks(p string) {
	s.collectOptions()
	runCtors := map[*node]bool{} // FastMCP constructors whose run() the file calls
	var pending []func()
	for _, c := range s.calls {
		full, last := callName(c)
		if c.x == nil {
			continue
		}
		s.steps = 0
		recv := (*node)(nil)
		if c.x.kind == nAttr {
			recv = c.x.x
		}
		switch {
		case recv != nil && s.isFastMCP(recv) != nil && strings.HasPrefix(last, "run"):
			ctor := s.isFastMCP(recv)
			runCtors[ctor] = true
			s.fastmcpRun(c, recv, ctor, last)
		case last == "FastMCP" || last == "MCPServer":
			ctor := c
			pending = append(pending, func() {
				if !runCtors[ctor] {
					s.checkHost(c, s.eval(kwarg(c, "host", -1)), false, "")
				}
			})
		case last == "run_app":
			if hasKwarg(c, "path", "sock") {
				continue
			}
			s.checkHostOmitted(c, kwarg(c, "host", -1), "no host given, and aiohttp's run_app listens on every interface by default")
		case last == "TCPSite":
			s.checkHostOmitted(c, kwarg(c, "host", 1), "no host given, and aiohttp's TCPSite listens on every interface by default")
		case last == "start_server" || last == "create_server" || last == "serve" && s.fromModule(full, "websockets"):
			if t := kwarg(c, "", 0); t != nil && t.kind == nList {
				s.checkTuple(c, t)
				continue
			}
			if last == "serve" && !s.fromModule(full, "websockets") {
				s.checkHost(c, s.eval(kwarg(c, "host", -1)), false, "")
				continue
			}
			port := kwarg(c, "port", 2)
			if port == nil && kwarg(c, "host", 1) == nil {
				continue
			}
			s.checkHostOmitted(c, kwarg(c, "host", 1), "no host given, and "+last+" listens on every interface by default")
		case pySocketServers[last]:
			if t := kwarg(c, "server_address", 0); t != nil {
				s.checkTuple(c, t)
			}
		case last == "bind" && recv != nil:
			if t := kwarg(c, "", 0); t != nil && len(c.args) == 1 {
				s.checkTuple(c, t)
			}
		case last == "add_insecure_port" || last == "add_secure_port":
			s.checkAddr(c, s.eval(kwarg(c, "address", 0)))
		case last == "listen" && s.importsModule("tornado") && recv != nil:
			if kwarg(c, "port", 0) != nil {
				s.checkHostOmitted(c, kwarg(c, "address", 1), "no address given, and tornado listens on every interface by default")
			}
		case last == "make_server" || last == "run_simple":
			s.checkHost(c, s.eval(kwarg(c, "host", 0)), true, "")
		case pyGenericSinks[last]:
			var h *node
			for _, k := range pyHostKwargs {
				if h = kwarg(c, k, -1); h != nil {
					break
				}
			}
			if h == nil && last == "run" && recv != nil {
				// Flask/Sanic app.run('0.0.0.0', 5000): the host is positional
				h = kwarg(c, "", 0)
			}
			if h != nil {
				s.checkHost(c, s.eval(h), false, "")
			}
			if l := kwarg(c, "listen", -1); l != nil { // waitress.serve(app, listen="0.0.0.0:8080")
				s.checkAddr(c, s.eval(l))
			}
			if b := kwarg(c, "bind", -1); b != nil { // gunicorn-style options
				s.checkAddr(c, s.eval(b))
			}
		}
	}
	for _, f := range pending {
		s.steps = 0
		f()
	}
	// hypercorn: config.bind = ["0.0.0.0:8000"]; gunicorn options["bind"].
	for k, fs := range s.fields {
		if !strings.HasSuffix(k, ".bind") && !strings.HasSuffix(k, "[bind]") {
			continue
		}
		for _, f := range fs {
			s.steps = 0
			s.checkAddrAt(f.target, s.eval(f.v), k)
		}
	}
	// gunicorn.conf.py: bind = "0.0.0.0:8000"
	if base := strings.ToLower(path.Base(p)); strings.Contains(base, "gunicorn") {
		for _, d := range s.root.decls["bind"] {
			if d.kind == dValue && d.v != nil {
				s.checkAddrAt(d.v, s.eval(d.v), "gunicorn bind")
			}
		}
	}
}

// isFastMCP returns the FastMCP constructor call a receiver comes from.
func (s *scan) isFastMCP(recv *node) *node {
	for i := 0; i < 4 && recv != nil; i++ {
		switch recv.kind {
		case nCall:
			if _, last := callName(recv); last == "FastMCP" || last == "MCPServer" {
				return recv
			}
			return nil
		case nName:
			ds := s.resolve(recv.name, recv.blk)
			if len(ds) == 0 || ds[0].kind != dValue || ds[0].v == nil {
				return nil
			}
			recv = ds[0].v
		default:
			return nil
		}
	}
	return nil
}

// fastmcpRun handles mcp.run(…) and its async variants: only network
// transports listen; the host is run(host=…), else mcp.settings.host,
// else FastMCP(host=…), else 127.0.0.1.
func (s *scan) fastmcpRun(c, recv, ctor *node, last string) {
	network := last != "run" && last != "run_async" && last != "run_stdio_async"
	if !network {
		if t := kwarg(c, "transport", 0); t != nil {
			for _, v := range s.eval(t) {
				if str, ok := v.str(); !ok || str != "stdio" {
					network = true
				}
			}
		}
	}
	if !network {
		return
	}
	var alts []val
	if h := kwarg(c, "host", -1); h != nil {
		alts = s.eval(h)
	} else {
		k := dotted(recv) + ".settings.host"
		for _, f := range s.fields[k] {
			alts = union(alts, withSrc(s.eval(f.v), k, f.line))
		}
		if len(alts) == 0 {
			if h := kwarg(ctor, "host", -1); h != nil {
				alts = withSrc(s.eval(h), "FastMCP(host=…)", s.lineAt(h.s))
				// keep a deeper origin ("HOST env default") when there is one
				for i, v := range alts {
					if strings.HasSuffix(v.src, "default") && v.src != "FastMCP(host=…)" {
						alts[i] = v
					}
				}
			}
		}
	}
	s.checkHost(c, alts, false, "")
}

// fromModule reports whether a callee's first name is imported from mod.
func (s *scan) fromModule(full, mod string) bool {
	first := strings.SplitN(full, ".", 2)[0]
	if first == mod {
		return true
	}
	m := s.imports[first]
	return m == mod || strings.HasPrefix(m, mod+".")
}

func (s *scan) importsModule(mod string) bool {
	for _, m := range s.imports {
		if m == mod || strings.HasPrefix(m, mod+".") || strings.HasPrefix(m, mod+"/") {
			return true
		}
	}
	return false
}

// checkHost reports c when one alternative host is every interface (empty
// counts when emptyAll).
func (s *scan) checkHost(c *node, alts []val, emptyAll bool, _ string) bool {
	for _, v := range alts {
		if v.kind == vList {
			for _, e := range v.list {
				if s.checkHost(c, s.eval(e.(*node)), emptyAll, "") {
					return true
				}
			}
			continue
		}
		h, ok := v.str()
		if !ok || !hostAll(h, emptyAll) {
			continue
		}
		s.report(c.x, c, normHost(h), h, v)
		return true
	}
	return false
}

// checkHostOmitted handles sinks whose missing or None host (or an env
// variable without a default, unset by default) means every interface.
func (s *scan) checkHostOmitted(c, h *node, why string) {
	if h == nil {
		s.reportWhy(c.x, "", why)
		return
	}
	alts := s.eval(h)
	if s.checkHost(c, alts, true, "") {
		return
	}
	for _, v := range alts {
		switch {
		case v.kind == vNone:
			s.reportWhy(c.x, "", strings.Replace(why, "no host given", "host None", 1))
			return
		case v.kind == vUnknown && v.env != "" && v.env != "*" && !v.covered:
			s.reportWhy(c.x, "", "host from "+v.env+" env, which is unset by default, when "+afterAnd(why))
			return
		}
	}
}

// checkTuple handles a (host, port) address tuple, where "" means every
// interface.
func (s *scan) checkTuple(c, t *node) {
	for _, v := range s.eval(t) {
		if v.kind != vList || len(v.list) < 2 {
			continue
		}
		if s.checkHost(c, s.eval(v.list[0].(*node)), true, "") {
			return
		}
	}
}

// checkAddr handles a host:port address string (or a list of them).
func (s *scan) checkAddr(c *node, alts []val) {
	s.checkAddrAt(c.x, alts, "")
}

func (s *scan) checkAddrAt(at *node, alts []val, call string) bool {
	for _, v := range alts {
		if v.kind == vList {
			for _, e := range v.list {
				if s.checkAddrAt(at, s.eval(e.(*node)), call) {
					return true
				}
			}
			continue
		}
		h, ok := addrHost(v)
		if !ok || !hostAll(h, true) {
			continue
		}
		b := s.bindAt(at, normHost(h), flatten(v), v)
		if call != "" {
			b.Call = call
		}
		s.out = append(s.out, b)
		return true
	}
	return false
}

// report records a bind at callee at (the call c) with host value v.
func (s *scan) report(at, c *node, host, value string, v val) {
	s.out = append(s.out, s.bindAt(at, host, value, v))
}

func (s *scan) bindAt(at *node, host, value string, v val) Bind {
	o, ol := origin(v)
	return Bind{Offset: int64(at.s), End: int64(at.e), Call: s.callText(at), Host: host, Value: value, Origin: o, OriginLine: ol}
}

func (s *scan) reportWhy(at *node, host, why string) {
	s.out = append(s.out, Bind{Offset: int64(at.s), End: int64(at.e), Call: s.callText(at), Host: host, Origin: why})
}

// callText returns a callee's text for Bind.Call.
func (s *scan) callText(at *node) string {
	if d := dotted(at); d != "" {
		return d
	}
	t := strings.Join(strings.Fields(string(s.src[at.s:at.e])), " ")
	if len(t) > 60 {
		t = t[:57] + "…"
	}
	return t
}

// afterAnd returns what follows ", and " in an omitted-host reason.
func afterAnd(why string) string {
	if _, after, ok := strings.Cut(why, ", and "); ok {
		return after
	}
	return why
}
