package bindcheck

import (
	"strings"
)

// The statement scanner for Python and JavaScript/TypeScript: it walks a
// file's tokens once, records declarations (assignments, parameters with
// their defaults, destructuring, imports, classes) in lexical blocks, and
// collects every call and attribute assignment with the block it sits in.
// Hosts are evaluated afterwards (eval.go), so a use may come before its
// declaration.

// scan is the state of one Python or JS file's analysis.
type scan struct {
	lang  Lang
	src   []byte
	toks  []tok
	match []int32 // closing bracket of each opening one (matchBrackets)
	i     int
	blk   *block
	root  *block
	depth int

	calls   []*node             // every call, in file order
	fields  map[string][]field  // attribute assignments by target text: "mcp.settings.host"
	assigns []assignSite        // JS assignments to plain names, resolved after the scan
	opts    map[string][]optDef // CLI option defaults by property name: "host", "listenHost"
	imports map[string]string   // local name → module ("uvicorn", "@hono/node-server")
	classes map[string]*block

	lines    []int // offsets of line starts, for lineAt
	visiting map[*decl]bool
	edepth   int
	steps    int // evaluation work for the current sink (maxSteps)
	out      []Bind
}

// optDef is a CLI option's default and the flag that sets it.
type optDef struct {
	v    *node
	flag string // "--listen-host"
}

// field is an assignment to an attribute: target = value.
type field struct {
	target, v *node
	line      int
}

type assignSite struct {
	name string
	v    *node
	blk  *block
	line int
}

// block is a lexical scope: a function, class or (JS) braces block.
type block struct {
	parent  *block
	decls   map[string][]*decl
	isClass bool
	name    string
	indent  int // Python: the indentation of the def/class line
}

type dkind uint8

const (
	dValue  dkind = iota // name = value (v), or a destructured part of v (key, def)
	dParam               // a parameter, default in def
	dOpaque              // bound by for/with/catch/import: unknown
	dClass               // a class defined in the file
)

type decl struct {
	kind    dkind
	name    string
	v       *node
	def     *node
	key     []string
	line    int
	cli     bool    // Python: a parameter of a click/typer command
	assigns []*node // JS: later plain assignments
	aline   []int
}

// param is a parameter or a destructured binding.
type param struct {
	name string
	def  *node
	key  []string
	line int
}

func newScan(lang Lang, src []byte, toks []tok) *scan {
	s := &scan{lang: lang, src: src, toks: toks, fields: map[string][]field{}, opts: map[string][]optDef{},
		imports: map[string]string{}, classes: map[string]*block{}, visiting: map[*decl]bool{}}
	s.root = s.newBlock(nil)
	s.root.indent = -1
	s.blk = s.root
	s.lines = append(s.lines, 0)
	for i, c := range src {
		if c == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

func (s *scan) newBlock(parent *block) *block {
	return &block{parent: parent, decls: map[string][]*decl{}}
}

// lineAt returns the 1-based line of byte offset off.
func (s *scan) lineAt(off int) int {
	lo, hi := 0, len(s.lines)
	for lo+1 < hi {
		m := (lo + hi) / 2
		if s.lines[m] <= off {
			lo = m
		} else {
			hi = m
		}
	}
	return lo + 1
}

func (s *scan) declare(b *block, d *decl) {
	if b == nil || d.name == "" {
		return
	}
	b.decls[d.name] = append(b.decls[d.name], d)
}

func (s *scan) declareParams(b *block, ps []param) {
	for _, p := range ps {
		s.declare(b, &decl{kind: dParam, name: p.name, def: p.def, key: p.key, line: p.line})
	}
}

// resolve returns the declarations a name refers to from block b.
func (s *scan) resolve(name string, b *block) []*decl {
	from := b
	for ; b != nil; b = b.parent {
		if b.isClass && b != from && s.lang == LangPython {
			continue // a method does not see its class's names
		}
		if ds := b.decls[name]; len(ds) > 0 {
			return ds
		}
	}
	return nil
}

// walkCalls records the calls in n (and option definitions in object
// literals).
func (s *scan) walkCalls(n *node) {
	if n == nil || s.depth > 400 {
		return
	}
	s.depth++
	defer func() { s.depth-- }()
	switch n.kind {
	case nCall:
		s.calls = append(s.calls, n)
		s.walkCalls(n.x)
		for _, a := range n.args {
			s.walkCalls(a.v)
		}
		return
	case nDict:
		for _, p := range n.props {
			if p.keyKnown && p.v != nil && p.v.kind == nDict {
				for _, q := range p.v.props {
					if q.keyKnown && (q.key == "default" || q.key == "defaultValue") {
						s.opts[p.key] = append(s.opts[p.key], optDef{v: q.v, flag: "--" + p.key})
					}
				}
			}
			s.walkCalls(p.v)
		}
		return
	case nList:
		for _, e := range n.elems {
			s.walkCalls(e)
		}
		return
	}
	s.walkCalls(n.x)
	s.walkCalls(n.a)
	s.walkCalls(n.b)
}

// dotted returns the text of a name or attribute chain ("mcp.settings.host"),
// with calls as "(…)"; "" for anything else.
func dotted(n *node) string {
	if n == nil {
		return ""
	}
	switch n.kind {
	case nName:
		return n.name
	case nAttr:
		if x := dotted(n.x); x != "" {
			return x + "." + n.name
		}
	case nCall:
		if x := dotted(n.x); x != "" {
			return x + "(…)"
		}
	case nIndex:
		if x := dotted(n.x); x != "" {
			if n.a != nil && n.a.kind == nStr {
				return x + "[" + strText(n.a.str) + "]"
			}
			return x + "[…]"
		}
	}
	return ""
}

// ---- JavaScript statements ----

func findJS(src []byte) []Bind {
	s := newScan(LangJS, src, lexJS(src, 0, len(src)))
	s.jsStatements(len(s.toks))
	s.resolveAssigns()
	s.jsSinks()
	return s.out
}

// body scans toks[start:end] as a function or block body in a new block
// holding params.
func (s *scan) body(start, end int, params []param, extra func(*block)) {
	if s.depth > 200 {
		s.i = end
		return
	}
	s.depth++
	defer func() { s.depth-- }()
	b := s.newBlock(s.blk)
	s.declareParams(b, params)
	if extra != nil {
		extra(b)
	}
	save, saveI := s.blk, s.i
	s.blk = b
	s.i = start
	if s.lang == LangJS {
		s.jsStatements(end)
	}
	s.blk = save
	s.i = saveI
}

func (s *scan) jsStatements(end int) {
	for s.i < end && s.i < len(s.toks) {
		before := s.i
		s.jsStatement(end)
		if s.i == before {
			s.i++
		}
	}
}

var jsSkipWords = map[string]bool{
	"return": true, "throw": true, "case": true, "else": true, "do": true, "try": true, "finally": true,
	"break": true, "continue": true, "if": true, "while": true, "for": true, "switch": true, "catch": true,
	"with": true, "default": true, "export": true, "declare": true, "abstract": true, "async": true, "of": true, "in": true,
}

func (s *scan) jsStatement(end int) {
	t := s.peek()
	switch t.kind {
	case tPunct:
		switch t.text {
		case "{":
			close := s.matchIndex(s.i)
			s.body(s.i+1, min(close, end), nil, nil)
			s.i = min(close+1, len(s.toks))
			return
		case ";", "}", ")", ",", ":", "(":
			s.i++
			return
		case "@":
			s.i++
			s.walkCalls(s.expr())
			return
		}
	case tIdent:
		switch t.text {
		case "import":
			if !s.isAt(1, "(") && !s.isAt(1, ".") {
				s.jsImport()
				return
			}
		case "const", "let", "var":
			if s.peekAt(1).kind == tIdent || s.isAt(1, "{") || s.isAt(1, "[") {
				s.i++
				s.jsDecl()
				return
			}
		case "function":
			s.i++
			s.accept("*")
			if n := s.peek(); n.kind == tIdent {
				s.declare(s.blk, &decl{kind: dOpaque, name: n.text, line: s.lineAt(n.s)})
				s.i++
			}
			s.skipAngles()
			s.funcRest(nil)
			return
		case "class":
			s.i++
			name := ""
			if n := s.peek(); n.kind == tIdent && n.text != "extends" {
				name = n.text
				s.declare(s.blk, &decl{kind: dClass, name: name, line: s.lineAt(n.s)})
				s.i++
			}
			s.classRest(name)
			return
		case "interface", "enum":
			if s.peekAt(1).kind == tIdent {
				for s.i < end && !s.is("{") {
					s.i++
				}
				s.skipBalanced()
				return
			}
		case "type":
			if s.peekAt(1).kind == tIdent && (s.isAt(2, "=") || s.isAt(2, "<")) {
				s.i += 2
				s.skipAngles()
				s.accept("=")
				s.skipType(map[string]bool{";": true})
				return
			}
		case "namespace", "module":
			if s.peekAt(1).kind == tIdent && s.isAt(2, "{") {
				s.i += 2
				return
			}
		}
		if jsSkipWords[t.text] && !s.isAt(1, ".") && !s.isAt(1, "=") && !s.isAt(1, "(") || t.text == "if" || t.text == "for" || t.text == "while" || t.text == "switch" || t.text == "catch" {
			s.i++
			if t.text == "break" || t.text == "continue" {
				if n := s.peek(); n.kind == tIdent && !n.nl {
					s.i++
				}
			}
			return
		}
	}
	n := s.expr()
	s.walkCalls(n)
	for s.is("=") || s.is("||=") || s.is("??=") {
		s.i++
		rhs := s.expr()
		s.walkCalls(rhs)
		s.recordAssign(n, rhs)
		n = rhs
	}
	if t := s.peek(); t.kind == tPunct && len(t.text) >= 2 && strings.HasSuffix(t.text, "=") && t.text != "==" && t.text != "===" && t.text != "!=" && t.text != "!==" && t.text != "<=" && t.text != ">=" && t.text != "=>" {
		s.i++
		s.walkCalls(s.expr())
	}
}

// recordAssign records target = v.
func (s *scan) recordAssign(target, v *node) {
	line := s.lineAt(target.s)
	switch target.kind {
	case nName:
		if s.lang == LangPython {
			s.declare(s.blk, &decl{kind: dValue, name: target.name, v: v, line: line})
			return
		}
		s.assigns = append(s.assigns, assignSite{name: target.name, v: v, blk: s.blk, line: line})
	case nAttr, nIndex:
		if k := dotted(target); k != "" {
			s.fields[k] = append(s.fields[k], field{target: target, v: v, line: line})
		}
	case nList:
		if v != nil && v.kind == nList && len(v.elems) == len(target.elems) {
			for i, t := range target.elems {
				s.recordAssign(t, v.elems[i])
			}
			return
		}
		for _, t := range target.elems {
			if t.kind == nName {
				s.declare(s.blk, &decl{kind: dOpaque, name: t.name, line: line})
			}
		}
	}
}

// resolveAssigns attaches each JS plain assignment to the declaration it
// assigns; an undeclared name becomes a global.
func (s *scan) resolveAssigns() {
	for _, a := range s.assigns {
		ds := s.resolve(a.name, a.blk)
		if len(ds) == 0 {
			d := &decl{kind: dValue, name: a.name, v: a.v, line: a.line}
			s.declare(s.root, d)
			continue
		}
		d := ds[0]
		d.assigns = append(d.assigns, a.v)
		d.aline = append(d.aline, a.line)
	}
}

func (s *scan) jsImport() {
	s.i++ // import
	s.accept("type")
	var names []string
	for s.i < len(s.toks) && !s.is("from") && !s.is(";") {
		t := s.peek()
		if t.kind == tStr { // import 'side-effect'
			s.i++
			return
		}
		if t.kind == tIdent && t.text != "as" && t.text != "type" && t.text != "from" {
			if s.isAt(1, "as") {
				s.i += 2
				continue
			}
			names = append(names, t.text)
		}
		if t.nl && len(names) > 0 && t.kind == tIdent && t.text != "as" && !s.isAt(-1, ",") && !s.isAt(-1, "{") {
			break
		}
		s.i++
	}
	if s.accept("from") && s.peek().kind == tStr {
		mod := strText(s.peek().str)
		s.i++
		for _, n := range names {
			s.imports[n] = mod
			s.declare(s.root, &decl{kind: dOpaque, name: n})
		}
	}
}

// jsDecl parses the declarators after const/let/var.
func (s *scan) jsDecl() {
	for {
		line := s.lineAt(s.peek().s)
		binds := s.jsPattern(nil)
		s.accept("!")
		if s.accept(":") {
			s.skipType(map[string]bool{",": true, ";": true, "=": true})
		}
		var v *node
		if s.accept("=") {
			v = s.expr()
			s.walkCalls(v)
			if len(binds) == 1 && len(binds[0].key) == 0 && v.kind == nCall {
				if mod := requireOf(v); mod != "" {
					s.imports[binds[0].name] = mod
				}
			}
		}
		for _, b := range binds {
			d := &decl{kind: dValue, name: b.name, v: v, def: b.def, key: b.key, line: line}
			if v == nil && b.def == nil {
				d.kind = dOpaque
			}
			s.declare(s.blk, d)
		}
		if !s.accept(",") {
			return
		}
	}
}

// requireOf returns m for require("m") (or require("m")(…), import("m")).
func requireOf(n *node) string {
	for n != nil && n.kind == nCall {
		if n.x != nil && n.x.kind == nName && (n.x.name == "require" || n.x.name == "import") && len(n.args) > 0 && n.args[0].v.kind == nStr {
			return strText(n.args[0].v.str)
		}
		n = n.x
	}
	return ""
}

// jsPattern parses a binding pattern: a name, {…} or […], with member
// paths below path.
func (s *scan) jsPattern(path []string) []param {
	t := s.peek()
	switch {
	case t.kind == tIdent:
		s.i++
		return []param{{name: t.text, key: path, line: s.lineAt(t.s)}}
	case s.is("{"):
		close := s.matchIndex(s.i)
		s.i++
		var out []param
		for s.i < close {
			if s.accept(",") {
				continue
			}
			before := s.i
			if s.accept("...") {
				out = append(out, s.jsPattern(nil)...)
				continue
			}
			k := s.peek()
			key := k.text
			if k.kind == tStr {
				key = strText(k.str)
			}
			if s.is("[") {
				s.skipBalanced()
				key = ""
			} else {
				s.i++
			}
			sub := append(append([]string(nil), path...), key)
			var bs []param
			if s.accept(":") {
				bs = s.jsPattern(sub)
			} else if key != "" {
				bs = []param{{name: key, key: sub, line: s.lineAt(k.s)}}
			}
			if s.accept("=") {
				def := s.expr()
				s.walkCalls(def)
				if len(bs) == 1 {
					bs[0].def = def
				}
			}
			out = append(out, bs...)
			if s.i == before {
				s.i++
			}
		}
		s.i = min(close+1, len(s.toks))
		return out
	case s.is("["):
		close := s.matchIndex(s.i)
		s.i++
		var out []param
		idx := 0
		for s.i < close {
			if s.accept(",") {
				idx++
				continue
			}
			before := s.i
			s.accept("...")
			bs := s.jsPattern(append(append([]string(nil), path...), "#"+string(rune('0'+idx%10))))
			if s.accept("=") {
				def := s.expr()
				if len(bs) == 1 {
					bs[0].def = def
				}
			}
			out = append(out, bs...)
			if s.i == before {
				s.i++
			}
		}
		s.i = min(close+1, len(s.toks))
		return out
	}
	s.i++
	return nil
}

// params parses a parenthesized parameter list (JS or Python).
func (s *scan) params() []param {
	close := s.matchIndex(s.i)
	s.i++
	var out []param
	for s.i < close {
		if s.accept(",") {
			continue
		}
		before := s.i
		if s.lang == LangPython {
			if s.accept("*") || s.accept("**") || s.accept("/") {
				if s.is(",") || s.is(")") {
					continue
				}
			}
			t := s.peek()
			if t.kind != tIdent {
				s.i++
				continue
			}
			s.i++
			p := param{name: t.text, line: s.lineAt(t.s)}
			if s.accept(":") {
				s.expr()
			}
			if s.accept("=") {
				p.def = s.expr()
				s.walkCalls(p.def)
			}
			out = append(out, p)
		} else {
			for s.is("@") {
				s.i++
				s.expr()
			}
			for t := s.peek(); t.kind == tIdent && (t.text == "public" || t.text == "private" || t.text == "protected" || t.text == "readonly" || t.text == "override") && s.peekAt(1).kind == tIdent; t = s.peek() {
				s.i++
			}
			s.accept("...")
			bs := s.jsPattern(nil)
			s.accept("?")
			if s.accept(":") {
				s.skipType(map[string]bool{",": true, "=": true})
			}
			if s.accept("=") {
				def := s.expr()
				s.walkCalls(def)
				if len(bs) == 1 && len(bs[0].key) == 0 {
					bs[0].def = def
				}
			}
			out = append(out, bs...)
		}
		if s.i == before {
			s.i++
		}
		for s.i < close && !s.is(",") {
			if s.is("(") || s.is("[") || s.is("{") {
				s.skipBalanced()
				continue
			}
			s.i++
		}
	}
	s.i = min(close+1, len(s.toks))
	return out
}

// classRest parses a JS class after its name: heritage, then members.
func (s *scan) classRest(name string) {
	for s.i < len(s.toks) && !s.is("{") {
		if s.is(";") {
			return
		}
		s.i++
	}
	if !s.is("{") {
		return
	}
	close := s.matchIndex(s.i)
	s.i++
	cb := s.newBlock(s.blk)
	cb.isClass, cb.name = true, name
	if name != "" {
		s.classes[name] = cb
	}
	save := s.blk
	s.blk = cb
	for s.i < close {
		before := s.i
		if s.accept(";") || s.accept(",") {
			continue
		}
		if s.is("@") {
			s.i++
			s.walkCalls(s.expr())
			continue
		}
		t := s.peek()
		if t.kind == tIdent && (t.text == "static" || t.text == "public" || t.text == "private" || t.text == "protected" || t.text == "readonly" ||
			t.text == "abstract" || t.text == "override" || t.text == "declare" || t.text == "async" || t.text == "get" || t.text == "set" || t.text == "accessor") {
			nt := s.peekAt(1)
			if nt.kind == tIdent || nt.kind == tStr || nt.text == "[" || nt.text == "*" || nt.text == "{" || nt.text == "#" {
				s.i++
				if t.text == "static" && s.is("{") {
					end := s.matchIndex(s.i)
					s.body(s.i+1, end, nil, nil)
					s.i = end + 1
				}
				continue
			}
		}
		s.accept("*")
		key := ""
		kt := s.peek()
		switch {
		case kt.kind == tIdent || kt.kind == tNum:
			key = kt.text
			s.i++
		case kt.kind == tStr:
			key = strText(kt.str)
			s.i++
		case s.is("["):
			s.skipBalanced()
		default:
			s.i++
			continue
		}
		s.accept("?")
		s.accept("!")
		switch {
		case s.is("(") || s.is("<"):
			s.skipAngles()
			s.funcRest(nil)
		default:
			if s.accept(":") {
				s.skipType(map[string]bool{";": true, "=": true, ",": true})
			}
			if s.accept("=") {
				v := s.expr()
				s.walkCalls(v)
				s.declare(cb, &decl{kind: dValue, name: key, v: v, line: s.lineAt(kt.s)})
			}
		}
		if s.i == before {
			s.i++
		}
	}
	s.blk = save
	s.i = min(close+1, len(s.toks))
}

// ---- Python statements ----

func findPython(p string, src []byte) []Bind {
	s := newScan(LangPython, src, lexPython(src, 0, len(src)))
	s.pyStatements()
	s.pySinks(p)
	return s.out
}

var pySkipWords = map[string]bool{
	"if": true, "elif": true, "while": true, "else": true, "try": true, "finally": true, "return": true, "raise": true,
	"assert": true, "del": true, "global": true, "nonlocal": true, "pass": true, "break": true, "continue": true,
	"async": true, "in": true, "print": false, "type": false,
}

func (s *scan) pyStatements() {
	stack := []*block{s.root}
	var decorators []*node
	for s.i < len(s.toks) {
		t := s.peek()
		if t.kind == tNewline {
			s.i++
			continue
		}
		if t.nl {
			for len(stack) > 1 && stack[len(stack)-1].indent >= int(t.col) {
				stack = stack[:len(stack)-1]
			}
			s.blk = stack[len(stack)-1]
		}
		indent := int(t.col)
		stmtStart := true
		for s.i < len(s.toks) && s.peek().kind != tNewline {
			before := s.i
			t := s.peek()
			if t.kind == tIdent {
				switch t.text {
				case "def", "class":
					isClass := t.text == "class"
					s.i++
					nt := s.peek()
					if nt.kind != tIdent {
						continue
					}
					s.i++
					b := s.newBlock(s.blk)
					b.indent, b.isClass, b.name = indent, isClass, nt.text
					cli := false
					for _, d := range decorators {
						if k := strings.ToLower(dotted(d.x)); strings.Contains(k, "option") || strings.Contains(k, "argument") {
							cli = true
						}
					}
					decorators = nil
					if isClass {
						s.declare(s.blk, &decl{kind: dClass, name: nt.text, line: s.lineAt(nt.s)})
						s.classes[nt.text] = b
						if s.is("(") {
							s.walkCalls(s.expr()) // bases, as a call-like tuple
						}
					} else {
						s.declare(s.blk, &decl{kind: dOpaque, name: nt.text, line: s.lineAt(nt.s)})
						if s.is("(") {
							for _, p := range s.params() {
								s.declare(b, &decl{kind: dParam, name: p.name, def: p.def, line: p.line, cli: cli})
							}
						}
						if s.accept("->") {
							s.expr()
						}
					}
					s.accept(":")
					stack = append(stack, b)
					s.blk = b
					stmtStart = true
					continue
				case "import", "from":
					s.pyImport()
					continue
				case "for":
					s.i++
					for s.i < len(s.toks) && !s.is("in") && s.peek().kind != tNewline {
						if nt := s.peek(); nt.kind == tIdent {
							s.declare(s.blk, &decl{kind: dOpaque, name: nt.text})
						}
						s.i++
					}
					s.accept("in")
					stmtStart = false
					continue
				case "with", "except":
					s.i++
					for s.i < len(s.toks) && !s.is(":") && s.peek().kind != tNewline {
						b2 := s.i
						s.walkCalls(s.expr())
						if s.accept("as") {
							if nt := s.peek(); nt.kind == tIdent {
								s.declare(s.blk, &decl{kind: dOpaque, name: nt.text})
							}
							s.expr()
						}
						s.accept(",")
						if s.i == b2 {
							s.i++
						}
					}
					continue
				case "lambda":
				default:
					if pySkipWords[t.text] && !s.isAt(1, "=") && !s.isAt(1, ".") && !s.isAt(1, "(") {
						s.i++
						stmtStart = false
						continue
					}
				}
			}
			if t.kind == tPunct {
				switch t.text {
				case "@":
					s.i++
					d := s.expr()
					s.walkCalls(d)
					if d.kind == nCall {
						decorators = append(decorators, d)
					}
					continue
				case ":", ";":
					s.i++
					stmtStart = true
					continue
				case ",", ")", "]", "}":
					s.i++
					continue
				}
			}
			// expression statement, assignment or annotated assignment
			targets := []*node{s.expr()}
			for s.is(",") && stmtStart {
				s.i++
				if s.is("=") || s.peek().kind == tNewline {
					break
				}
				targets = append(targets, s.expr())
			}
			for _, n := range targets {
				s.walkCalls(n)
			}
			lhs := targets[0]
			if len(targets) > 1 {
				lhs = &node{kind: nList, elems: targets, s: targets[0].s, blk: s.blk}
			}
			if stmtStart && s.is(":") && (lhs.kind == nName || lhs.kind == nAttr) {
				s.i++
				s.expr() // annotation
				if s.accept("=") {
					rhs := s.pyRHS()
					s.recordAssign(lhs, rhs)
				}
			} else if stmtStart && s.is("=") {
				chain := []*node{lhs}
				var rhs *node
				for s.accept("=") {
					rhs = s.pyRHS()
					if s.is("=") {
						chain = append(chain, rhs)
					}
				}
				for _, c := range chain {
					s.recordAssign(c, rhs)
				}
			} else if nt := s.peek(); nt.kind == tPunct && len(nt.text) >= 2 && strings.HasSuffix(nt.text, "=") && nt.text != "==" && nt.text != "!=" && nt.text != "<=" && nt.text != ">=" {
				s.i++
				s.walkCalls(s.pyRHS())
			}
			stmtStart = false
			if s.i == before {
				s.i++
			}
		}
	}
}

// pyRHS parses the right side of an assignment: one expression or an
// unparenthesized tuple.
func (s *scan) pyRHS() *node {
	first := s.expr()
	s.walkCalls(first)
	if !s.is(",") {
		return first
	}
	n := &node{kind: nList, s: first.s, elems: []*node{first}, blk: s.blk}
	for s.accept(",") {
		if s.peek().kind == tNewline || s.is("=") {
			break
		}
		e := s.expr()
		s.walkCalls(e)
		n.elems = append(n.elems, e)
	}
	n.e = s.prevEnd()
	return n
}

func (s *scan) pyImport() {
	from := s.is("from")
	s.i++
	mod := ""
	if from {
		for s.i < len(s.toks) && !s.is("import") && s.peek().kind != tNewline {
			mod += s.peek().text
			s.i++
		}
		s.accept("import")
	}
	for s.i < len(s.toks) && s.peek().kind != tNewline && !s.is(";") {
		t := s.peek()
		if t.kind != tIdent {
			s.i++
			continue
		}
		name := t.text
		full := name
		s.i++
		for s.is(".") && s.peekAt(1).kind == tIdent {
			full += "." + s.peekAt(1).text
			s.i += 2
		}
		local := strings.SplitN(full, ".", 2)[0]
		if s.accept("as") && s.peek().kind == tIdent {
			local = s.peek().text
			s.i++
		}
		if from {
			full = mod + "." + name
			local2 := local
			if local == strings.SplitN(name, ".", 2)[0] {
				local2 = name
			}
			local = local2
		}
		s.imports[local] = full
		s.declare(s.blk, &decl{kind: dOpaque, name: local})
	}
}
