package bindcheck

import "strings"

// JavaScript/TypeScript sinks. Defaults that decide what an omitted host
// means, from each runtime's documentation:
//   - Node's net/http/https server.listen(port) without a host listens on
//     :: (or 0.0.0.0): so do Express, Koa, NestJS (Express adapter),
//     socket.io and @hono/node-server's serve(), which call it.
//   - Fastify's listen() defaults to localhost.
//   - Deno.serve, Deno.listen and Bun.serve default to hostname 0.0.0.0.
//   - ws' new WebSocketServer({port}) listens like Node.

// jsHostKeys are option keys that carry a listen host.
var jsHostKeys = []string{"host", "hostname", "bindAddress", "bind", "address", "listenHost"}

// jsGenericSinks are call names that start servers with an options object.
var jsGenericSinks = map[string]bool{
	"listen": true, "serve": true, "start": true, "startServer": true, "createServer": true, "launch": true,
	"startHttpServer": true, "startHTTPServer": true, "startSSEServer": true, "startStreamableHTTPServer": true,
	"createMcpExpressApp": false, "startHTTPStreamServer": true,
}

func (s *scan) jsSinks() {
	s.collectOptions()
	for _, c := range s.calls {
		full, last := callName(c)
		if c.x == nil {
			continue
		}
		s.steps = 0
		switch {
		case last == "listen" && c.x.kind == nAttr && full != "Deno.listen":
			s.jsListen(c)
		case full == "Deno.serve" || full == "Deno.listen" || full == "Deno.listenTls" || full == "Bun.serve" ||
			last == "serve" && c.x.kind == nName && s.jsServeImport(last):
			who := "Deno"
			switch {
			case strings.HasPrefix(full, "Bun"):
				who = "Bun"
			case !strings.HasPrefix(full, "Deno"):
				who = "@hono/node-server's serve"
				if m := s.imports[last]; !strings.Contains(m, "hono") {
					who = "Deno's std serve"
				}
			}
			s.jsOptionsHost(c, who+" listens on 0.0.0.0 (every interface) by default", true)
		case c.isNew && (last == "WebSocketServer" || full == "WebSocket.Server" || last == "Server" && s.fromModule(full, "ws")):
			s.jsWebSocketServer(c)
		case jsGenericSinks[last]:
			s.jsOptionsHost(c, "", false)
		}
	}
}

func (s *scan) jsServeImport(name string) bool {
	m := s.imports[name]
	return m == "@hono/node-server" || strings.Contains(m, "std/http") || strings.Contains(m, "@std/http")
}

// jsListen handles server.listen(…) in Node's forms: (port[, host][, backlog][, cb]),
// (options[, cb]), (path[, cb]).
func (s *scan) jsListen(c *node) {
	if len(c.args) == 0 {
		return
	}
	fastify := s.jsIsFastify(c.x.x)
	a0 := c.args[0].v
	why := "no host given, and Node listens on :: (every interface) by default"
	if obj := s.objectOf(a0); obj != nil {
		if hasProp(obj, "path") {
			return
		}
		h := findProp(obj, jsHostKeys)
		if h == nil {
			if fastify || !hasProp(obj, "port") {
				return
			}
			s.reportWhy(c.x, "", why)
			return
		}
		s.jsHost(c, h, !fastify, why)
		return
	}
	if !s.portLike(a0) {
		return
	}
	var h *node
	if len(c.args) > 1 {
		h = c.args[1].v
		if h.kind == nFunc || h.kind == nNum {
			h = nil
		}
	}
	if h == nil {
		if !fastify {
			s.reportWhy(c.x, "", why)
		}
		return
	}
	s.jsHost(c, h, !fastify, why)
}

// jsHost checks a host argument; with omittedAll, an unset env variable
// or undefined/null means every interface too.
func (s *scan) jsHost(c, h *node, omittedAll bool, why string) {
	alts := s.eval(h)
	if s.checkHost(c, alts, false, "") || !omittedAll {
		return
	}
	for _, v := range alts {
		switch {
		case v.kind == vNone:
			s.reportWhy(c.x, "", "host "+v.srcOr("undefined")+", when "+afterAnd(why))
			return
		case v.kind == vUnknown && v.env != "" && v.env != "*" && !v.covered:
			s.reportWhy(c.x, "", "host from "+v.env+" env, which is unset by default, when "+afterAnd(why))
			return
		}
	}
}

func (v val) srcOr(def string) string {
	if v.src != "" {
		return "from " + v.src
	}
	return def
}

// jsOptionsHost checks the host in an options object argument; with
// omittedAll, a missing host is every interface.
func (s *scan) jsOptionsHost(c *node, why string, omittedAll bool) {
	for _, a := range c.args {
		objs := s.objectsOf(a.v)
		if len(objs) == 0 {
			continue
		}
		for _, obj := range objs[:len(objs)-1] { // alternatives (let opts; if … opts = {…} else …)
			if h := findProp(obj, jsHostKeys); h != nil && s.checkHost(c, s.eval(h), false, "") {
				return
			}
			for _, p := range obj.props {
				if p.v != nil && p.v.kind == nDict {
					if h := findProp(p.v, jsHostKeys); h != nil && s.checkHost(c, s.eval(h), false, "") {
						return
					}
				}
			}
		}
		obj := objs[len(objs)-1]
		if h := findProp(obj, jsHostKeys); h != nil {
			s.jsHost(c, h, omittedAll, "no hostname given, and "+why)
			return
		}
		// nested transport options: { httpStream: { port, host } }
		for _, p := range obj.props {
			if p.v != nil && p.v.kind == nDict {
				if h := findProp(p.v, jsHostKeys); h != nil {
					s.checkHost(c, s.eval(h), false, "")
					return
				}
			}
		}
		if omittedAll {
			s.reportWhy(c.x, "", "no hostname given, and "+why)
		}
		return
	}
	if omittedAll && len(c.args) > 0 {
		s.reportWhy(c.x, "", "no hostname given, and "+why) // Deno.serve(handler)
	}
}

func (s *scan) jsWebSocketServer(c *node) {
	if len(c.args) == 0 {
		return
	}
	obj := s.objectOf(c.args[0].v)
	if obj == nil || !hasProp(obj, "port") || hasProp(obj, "server") || hasProp(obj, "noServer") {
		return
	}
	why := "no host given, and ws listens on every interface like Node"
	n := len(s.out)
	if h := findProp(obj, jsHostKeys); h != nil {
		s.jsHost(c, h, true, why)
	} else {
		s.reportWhy(c.x, "", why)
	}
	if len(s.out) > n {
		s.out[n].Call = "new " + s.out[n].Call
	}
}

// objectOf returns the object literal n is or names.
func (s *scan) objectOf(n *node) *node {
	if objs := s.objectsOf(n); len(objs) > 0 {
		return objs[0]
	}
	return nil
}

// objectsOf returns the object literals n is or names (one per
// alternative value).
func (s *scan) objectsOf(n *node) []*node {
	if n == nil {
		return nil
	}
	if n.kind == nDict {
		return []*node{n}
	}
	var out []*node
	if n.kind == nName {
		for _, v := range s.eval(n) {
			if o, ok := v.obj.(*node); ok && v.kind == vObj {
				out = append(out, o)
			}
		}
	}
	return out
}

func hasProp(obj *node, key string) bool {
	for _, p := range obj.props {
		if p.keyKnown && p.key == key {
			return true
		}
	}
	return false
}

func findProp(obj *node, keys []string) *node {
	for _, p := range obj.props {
		if !p.keyKnown {
			continue
		}
		for _, k := range keys {
			if p.key == k {
				return p.v
			}
		}
	}
	return nil
}

// jsIsFastify reports whether a listen receiver is a Fastify instance
// (which listens on localhost by default), or a NestJS app on the Fastify
// adapter.
func (s *scan) jsIsFastify(recv *node) bool {
	if d := strings.ToLower(dotted(recv)); strings.Contains(d, "fastify") {
		return true
	}
	for i := 0; i < 4 && recv != nil; i++ {
		switch recv.kind {
		case nName:
			ds := s.resolve(recv.name, recv.blk)
			if len(ds) == 0 || ds[0].v == nil {
				return false
			}
			recv = ds[0].v
		case nCall:
			if containsCallee(recv, "fastify") {
				return true
			}
			recv = recv.x
			if recv != nil && recv.kind == nAttr {
				recv = recv.x
			}
		default:
			return false
		}
	}
	return false
}

// containsCallee reports whether a call or one of its arguments calls
// something named like word (case-insensitive): Fastify(), require('fastify')(),
// NestFactory.create(App, new FastifyAdapter()).
func containsCallee(c *node, word string) bool {
	if c == nil || c.kind != nCall {
		return false
	}
	if strings.Contains(strings.ToLower(dotted(c.x)), word) {
		return true
	}
	if m := requireOf(c); strings.Contains(m, word) {
		return true
	}
	for _, a := range c.args {
		if a.v != nil && a.v.kind == nCall && containsCallee(a.v, word) {
			return true
		}
	}
	return false
}

// portLike reports whether a listen argument is a port: a number, or an
// expression about a port (PORT, config.port, Number(process.env.PORT)).
func (s *scan) portLike(n *node) bool {
	if n == nil {
		return false
	}
	switch n.kind {
	case nNum:
		return true
	case nOr, nNullish, nCond:
		return s.portLike(n.a) || s.portLike(n.b)
	case nCall:
		_, last := callName(n)
		if last == "Number" || last == "parseInt" || last == "parseFloat" {
			return true
		}
	case nStr:
		t := strText(n.str)
		return t != "" && atoi(t) >= 0
	}
	if d := strings.ToLower(dotted(n)); strings.Contains(d, "port") {
		return true
	}
	for _, v := range s.eval(n) {
		if v.kind == vNum {
			return true
		}
	}
	return false
}
