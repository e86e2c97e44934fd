package mcpmodel

import (
	"strings"

	"github.com/mcpscan/mcpscan/scanner/jsonloc"
)

// schema names the fields of one client's server entry. Each role lists
// its keys by priority: the first key present is the one the client uses
// (its last occurrence, as JSON clients read duplicates); every other
// field goes to Server.Other.
type schema struct {
	command, args, env, headers, url, typ []string
	// urlTransport is the transport a URL key implies when no type is
	// declared; the default is http.
	urlTransport map[string]string
	// headerParents are objects whose "headers" member holds headers
	// (Continue's requestOptions).
	headerParents []string
	// wrappers are objects whose members count as the entry's own
	// (Continue's legacy "transport").
	wrappers []string
	// commandObject: "command" may be {"path", "args", "env"} (Zed).
	commandObject bool
}

var (
	defaultSchema = schema{
		command: []string{"command"}, args: []string{"args"}, env: []string{"env"},
		headers: []string{"headers"}, url: []string{"url"}, typ: []string{"type", "transportType"},
	}
	windsurfSchema = with(func(s *schema) { s.url = []string{"serverUrl", "url"} })
	geminiSchema   = with(func(s *schema) {
		s.url = []string{"httpUrl", "url"}
		s.urlTransport = map[string]string{"url": TransportSSE}
	})
	zedSchema      = with(func(s *schema) { s.commandObject = true })
	codexSchema    = with(func(s *schema) { s.headers = []string{"http_headers"} })
	gooseSchema    = with(func(s *schema) { s.command, s.env, s.url = []string{"cmd"}, []string{"envs"}, []string{"uri"} })
	opencodeSchema = with(func(s *schema) { s.env = []string{"environment"} })
	continueSchema = with(func(s *schema) {
		s.headerParents = []string{"requestOptions"}
		s.wrappers = []string{"transport"}
	})
)

func with(f func(*schema)) schema {
	s := defaultSchema
	f(&s)
	return s
}

// schemaFor returns the entry schema of client.
func schemaFor(client string) *schema {
	switch client {
	case Windsurf:
		return &windsurfSchema
	case GeminiCLI:
		return &geminiSchema
	case Zed:
		return &zedSchema
	case CodexCLI:
		return &codexSchema
	case Goose:
		return &gooseSchema
	case Opencode:
		return &opencodeSchema
	case Continue:
		return &continueSchema
	}
	return &defaultSchema
}

// role is what a field of an entry is.
type role int

const (
	roleOther role = iota
	roleCommand
	roleArgs
	roleEnv
	roleHeaders
	roleURL
	roleType
)

// builder turns a document tree into a Config.
type builder struct {
	ix   *lineIndex
	kind fileKind
	sch  *schema
	cfg  *Config
	// budget is the bytes of paths left to write: paths grow with depth
	// and key length, so a hostile file could make them quadratic.
	budget   int
	tooLarge bool
	scratch  []byte
}

func (b *builder) value(n *node, path string) Value {
	b.charge(len(path))
	return Value{Text: n.text, Pos: b.ix.span(n.start, n.end), Path: path}
}

// charge counts n bytes of paths written against the budget.
func (b *builder) charge(n int) {
	if b.budget -= n; b.budget < 0 {
		b.tooLarge = true
	}
}

func (b *builder) keyPos(m *member) Pos {
	if m.kstart < 0 {
		return Pos{}
	}
	return b.ix.span(m.kstart, m.kend)
}

// all returns the values of every member of n named key, in order.
func all(n *node, key string) []*node {
	if n == nil || n.kind != kObject {
		return nil
	}
	var out []*node
	for i := range n.members {
		if n.members[i].key == key {
			out = append(out, n.members[i].val)
		}
	}
	return out
}

// build reads the servers (and VS Code inputs) of root.
func (b *builder) build(root *node) {
	if root == nil || root.kind == kNull {
		return
	}
	scope := b.kind.scope
	switch b.kind.shape {
	case shapeMCPServers:
		b.servers(root, "mcpServers", "", scope, "")
	case shapeClaudeJSON:
		b.servers(root, "mcpServers", "", scope, "")
		for _, projects := range all(root, "projects") {
			if projects.kind != kObject {
				continue
			}
			for i := range projects.members {
				m := &projects.members[i]
				b.servers(m.val, "mcpServers", appendKey("projects", m.key), ScopeLocal, m.key)
			}
		}
	case shapeVSCodeMCP:
		b.servers(root, "servers", "", scope, "")
		b.inputs(root, "inputs", "")
	case shapeVSCodeSettings:
		for _, mcp := range all(root, "mcp") {
			b.servers(mcp, "servers", "mcp", scope, "")
			b.inputs(mcp, "inputs", "mcp")
		}
		b.servers(root, "mcp.servers", "", scope, "")
		b.inputs(root, "mcp.inputs", "")
	case shapeZed:
		b.servers(root, "context_servers", "", scope, "")
	case shapeCodex:
		b.servers(root, "mcp_servers", "", scope, "")
	case shapeGoose:
		b.servers(root, "extensions", "", scope, "")
	case shapeOpencode:
		b.servers(root, "mcp", "", scope, "")
	case shapeContinueYAML, shapeContinueJSON:
		b.continueServers(root, scope)
	}
}

// servers reads the server map(s) named key in parent.
func (b *builder) servers(parent *node, key, path, scope, project string) {
	path = appendKey(path, key)
	for _, m := range all(parent, key) {
		switch m.kind {
		case kObject:
			for i := range m.members {
				mem := &m.members[i]
				if mem.val.kind != kObject {
					continue
				}
				s := Server{Name: mem.key, NamePos: b.keyPos(mem), Client: b.kind.client, Scope: scope, Project: project}
				b.entry(&s, mem.val, appendKey(path, mem.key), "")
				b.cfg.Servers = append(b.cfg.Servers, s)
			}
		case kArray:
			b.list(m, path, scope)
		}
	}
}

// list reads a list of server entries named by their "name" field.
func (b *builder) list(l *node, path, scope string) {
	for i, e := range l.elems {
		if e.kind != kObject {
			continue
		}
		b.named(e, appendIndex(path, i), scope)
	}
}

// named reads one entry that carries its name in a "name" field (or, for
// a Continue hub block, only a "uses" slug, which then names it).
func (b *builder) named(e *node, path, scope string) {
	s := Server{Client: b.kind.client, Scope: scope}
	nameField := ""
	for _, f := range []string{"name", "uses"} { // a Continue hub block has only "uses"
		if n := e.get(f); n.isScalar() {
			s.Name, s.NamePos = n.text, b.ix.span(n.start, n.end)
			nameField = f
			break
		}
	}
	b.entry(&s, e, path, nameField)
	b.cfg.Servers = append(b.cfg.Servers, s)
}

// continueServers reads Continue's config.yaml ("mcpServers" list), a
// block file in .continue/mcpServers (one server, a list, or a block with
// "mcpServers"), a JSON file copied there from another client (an
// "mcpServers" map), or the legacy config.json
// (experimental.modelContextProtocolServers).
func (b *builder) continueServers(root *node, scope string) {
	switch root.kind {
	case kArray:
		b.list(root, "", scope)
	case kObject:
		if root.get("mcpServers") != nil {
			b.servers(root, "mcpServers", "", scope, "")
		} else if root.get("command") != nil || root.get("url") != nil {
			b.named(root, "", scope)
		}
		for _, exp := range all(root, "experimental") {
			for _, l := range all(exp, "modelContextProtocolServers") {
				if l.kind == kArray {
					b.list(l, "experimental.modelContextProtocolServers", scope)
				}
			}
		}
	}
}

// inputs reads VS Code's input variables.
func (b *builder) inputs(parent *node, key, path string) {
	path = appendKey(path, key)
	for _, l := range all(parent, key) {
		if l.kind != kArray {
			continue
		}
		for i, e := range l.elems {
			if e.kind != kObject {
				continue
			}
			var in Input
			p := appendIndex(path, i)
			if id := e.get("id"); id.isScalar() {
				in.ID = b.value(id, appendKey(p, "id"))
			}
			if pw := e.get("password"); pw.isScalar() && pw.text == "true" {
				in.Password = true
			}
			for j := range e.members {
				m := &e.members[j]
				b.flatten(&in.Fields, m.val, appendKey(p, m.key), appendKey("", m.key), b.keyPos(m))
			}
			b.cfg.Inputs = append(b.cfg.Inputs, in)
		}
	}
}

// entryState collects what an entry's fields tell.
type entryState struct {
	cmdArgs, args []Value
	declared      string // declared transport
	urlKey        string // the key the URL came from
}

// entry fills s from entry object e at path; skip names a field already
// used (the "name" of a list entry).
func (b *builder) entry(s *Server, e *node, path, skip string) {
	var st entryState
	b.fields(s, &st, e, path, "", skip)
	s.Args = append(st.cmdArgs, st.args...)
	switch {
	case st.declared != "":
		s.Transport = normalizeTransport(st.declared)
	case s.Command != nil:
		s.Transport = TransportStdio
	case s.URL != nil:
		s.Transport = TransportHTTP
		if t, ok := b.sch.urlTransport[st.urlKey]; ok {
			s.Transport = t
		}
	}
}

// chooseRoles returns the role of each member of obj that the schema
// uses.
func (b *builder) chooseRoles(obj *node) map[int]role {
	roles := map[int]role{}
	pick := func(r role, keys []string) {
		for _, k := range keys {
			for i := len(obj.members) - 1; i >= 0; i-- {
				if obj.members[i].key == k {
					roles[i] = r
					return
				}
			}
		}
	}
	pick(roleCommand, b.sch.command)
	pick(roleArgs, b.sch.args)
	pick(roleEnv, b.sch.env)
	pick(roleHeaders, b.sch.headers)
	pick(roleURL, b.sch.url)
	pick(roleType, b.sch.typ)
	return roles
}

// fields reads the members of obj (the entry, or a wrapper in it); rel is
// obj's path relative to the entry.
func (b *builder) fields(s *Server, st *entryState, obj *node, path, rel, skip string) {
	roles := b.chooseRoles(obj)
	skipAt := -1
	if skip != "" {
		for i := len(obj.members) - 1; i >= 0; i-- {
			if obj.members[i].key == skip {
				skipAt = i
				break
			}
		}
	}
	for i := range obj.members {
		m := &obj.members[i]
		if i == skipAt {
			continue
		}
		p, r, kp := appendKey(path, m.key), appendKey(rel, m.key), b.keyPos(m)
		v := m.val
		switch roles[i] {
		case roleCommand:
			b.command(s, st, v, p, r, kp)
		case roleArgs:
			switch {
			case v.isScalar():
				st.args = append(st.args, b.value(v, p))
			case v.kind == kArray:
				for j, a := range v.elems {
					if a.isScalar() {
						st.args = append(st.args, b.value(a, appendIndex(p, j)))
					} else {
						b.flatten(&s.Other, a, appendIndex(p, j), appendIndex(r, j), kp)
					}
				}
			default:
				b.flatten(&s.Other, v, p, r, kp)
			}
		case roleEnv:
			b.kvs(&s.Env, &s.Other, v, p, r, kp)
		case roleHeaders:
			b.kvs(&s.Headers, &s.Other, v, p, r, kp)
		case roleURL:
			if v.isScalar() {
				b.setURL(s, b.value(v, p), m.key, kp, st)
			} else {
				b.flatten(&s.Other, v, p, r, kp)
			}
		case roleType:
			if v.isScalar() {
				st.declared = v.text
			}
			b.flatten(&s.Other, v, p, r, kp)
		default:
			switch {
			case v.kind == kObject && contains(b.sch.wrappers, m.key):
				b.fields(s, st, v, p, r, "")
			case v.kind == kObject && contains(b.sch.headerParents, m.key):
				for j := range v.members {
					sub := &v.members[j]
					sp, sr, skp := appendKey(p, sub.key), appendKey(r, sub.key), b.keyPos(sub)
					if sub.key == "headers" {
						b.kvs(&s.Headers, &s.Other, sub.val, sp, sr, skp)
					} else {
						b.flatten(&s.Other, sub.val, sp, sr, skp)
					}
				}
			default:
				b.flatten(&s.Other, v, p, r, kp)
			}
		}
	}
}

// command reads a "command": a string, an array (program then arguments,
// as opencode writes it) or, for Zed, {"path", "args", "env"}.
func (b *builder) command(s *Server, st *entryState, v *node, p, r string, kp Pos) {
	switch {
	case v.isScalar():
		b.setCommand(s, b.value(v, p), r, kp)
	case v.kind == kArray:
		for j, a := range v.elems {
			switch {
			case !a.isScalar():
				b.flatten(&s.Other, a, appendIndex(p, j), appendIndex(r, j), kp)
			case j == 0:
				b.setCommand(s, b.value(a, appendIndex(p, 0)), appendIndex(r, 0), kp)
			default:
				st.cmdArgs = append(st.cmdArgs, b.value(a, appendIndex(p, j)))
			}
		}
	case v.kind == kObject && b.sch.commandObject:
		for j := range v.members {
			sub := &v.members[j]
			sp, sr, skp := appendKey(p, sub.key), appendKey(r, sub.key), b.keyPos(sub)
			switch {
			case sub.key == "path" && sub.val.isScalar() && v.get("path") == sub.val:
				b.setCommand(s, b.value(sub.val, sp), sr, skp)
			case sub.key == "args" && sub.val.kind == kArray && v.get("args") == sub.val:
				for k, a := range sub.val.elems {
					if a.isScalar() {
						st.cmdArgs = append(st.cmdArgs, b.value(a, appendIndex(sp, k)))
					} else {
						b.flatten(&s.Other, a, appendIndex(sp, k), appendIndex(sr, k), skp)
					}
				}
			case sub.key == "env" && v.get("env") == sub.val:
				b.kvs(&s.Env, &s.Other, sub.val, sp, sr, skp)
			default:
				b.flatten(&s.Other, sub.val, sp, sr, skp)
			}
		}
	default:
		b.flatten(&s.Other, v, p, r, kp)
	}
}

// setCommand sets s.Command; a command already set (from a field the
// client reads before) moves to Other.
func (b *builder) setCommand(s *Server, v Value, rel string, kp Pos) {
	if s.Command != nil {
		s.Other = append(s.Other, KV{Key: rel, KeyPos: kp, Value: *s.Command})
	}
	s.Command = &v
}

// setURL sets s.URL, keeping any earlier one in Other.
func (b *builder) setURL(s *Server, v Value, key string, kp Pos, st *entryState) {
	if s.URL != nil {
		s.Other = append(s.Other, KV{Key: key, KeyPos: kp, Value: *s.URL})
	}
	s.URL = &v
	st.urlKey = key
}

// kvs reads an object of scalars (env, headers) into dst; other values go
// to other, flattened.
func (b *builder) kvs(dst, other *[]KV, v *node, p, r string, kp Pos) {
	if v.kind != kObject {
		b.flatten(other, v, p, r, kp)
		return
	}
	for i := range v.members {
		m := &v.members[i]
		mp := appendKey(p, m.key)
		switch {
		case m.val.isScalar():
			*dst = append(*dst, KV{Key: m.key, KeyPos: b.keyPos(m), Value: b.value(m.val, mp)})
		default:
			b.flatten(other, m.val, mp, appendKey(r, m.key), b.keyPos(m))
		}
	}
}

// flatten appends every scalar under n to dst, keyed by its path relative
// to the entry (rel); kp is the position of the nearest key. Paths are
// written only for scalars, so that deep containers cost nothing.
func (b *builder) flatten(dst *[]KV, n *node, path, rel string, kp Pos) {
	b.flat(dst, n, path, rel, nil, kp)
}

// pathPart is one step below a flattened value's base path: an object key
// or an array index.
type pathPart struct {
	key   string
	index int
	isKey bool
}

func (b *builder) flat(dst *[]KV, n *node, path, rel string, parts []pathPart, kp Pos) {
	if b.tooLarge {
		return
	}
	switch {
	case n.isScalar():
		buf := b.scratch[:0]
		for _, p := range parts {
			if p.isKey {
				buf = appendKeyTo(buf, p.key)
			} else {
				buf = jsonloc.AppendPathIndex(buf, p.index)
			}
			if len(buf) > b.budget {
				b.tooLarge = true
				return
			}
		}
		b.scratch = buf
		suffix := string(buf)
		join := func(base string) string {
			if base != "" && suffix != "" && suffix[0] != '[' {
				return base + "." + suffix
			}
			return base + suffix
		}
		key := join(rel)
		b.charge(len(key))
		*dst = append(*dst, KV{Key: key, KeyPos: kp, Value: b.value(n, join(path))})
	case n.kind == kObject:
		for i := range n.members {
			m := &n.members[i]
			b.flat(dst, m.val, path, rel, append(parts, pathPart{key: m.key, isKey: true}), b.keyPos(m))
		}
	case n.kind == kArray:
		for i, e := range n.elems {
			b.flat(dst, e, path, rel, append(parts, pathPart{index: i}), kp)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// normalizeTransport maps a declared type to a transport constant.
func normalizeTransport(t string) string {
	switch k := strings.ToLower(strings.TrimSpace(t)); k {
	case "stdio", "local", "command":
		return TransportStdio
	case "http", "streamable-http", "streamablehttp", "streamable_http", "streamable", "remote", "https":
		return TransportHTTP
	case "sse", "server-sent-events":
		return TransportSSE
	default:
		return k
	}
}
