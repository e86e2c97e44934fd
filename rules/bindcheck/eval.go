package bindcheck

import (
	"strings"
)

// Evaluation of Python and JavaScript expressions to their alternative
// values (value.go), following names to their declarations.

func (s *scan) eval(n *node) []val {
	s.steps++
	if n == nil || s.edepth > 40 || s.steps > maxSteps {
		return []val{unknownVal()}
	}
	s.edepth++
	defer func() { s.edepth-- }()
	line := s.lineAt(n.s)
	switch n.kind {
	case nStr:
		return s.evalStr(n)
	case nNum:
		return []val{{kind: vNum}}
	case nConst:
		switch n.name {
		case "None", "null", "undefined":
			return []val{{kind: vNone}}
		}
		return []val{{kind: vBool}}
	case nName:
		return s.evalName(n)
	case nAttr:
		return s.evalAttr(n)
	case nIndex:
		return s.evalIndex(n)
	case nCall:
		return s.evalCall(n)
	case nOr:
		return orElse(s.eval(n.a), s.eval(n.b), false, line)
	case nNullish:
		return orElse(s.eval(n.a), s.eval(n.b), true, line)
	case nAnd:
		return union([]val{unknownVal()}, s.eval(n.b))
	case nCond:
		return union(s.eval(n.a), s.eval(n.b))
	case nBin:
		switch n.name {
		case "+":
			a, b := s.eval(n.a), s.eval(n.b)
			if len(a) > 0 && a[0].kind == vNum && len(b) > 0 && b[0].kind == vNum {
				return []val{{kind: vNum}}
			}
			return concat(a, b)
		case "%":
			if s.lang == LangPython && n.a != nil && n.a.kind == nStr {
				var args [][]val
				if n.b != nil && n.b.kind == nList {
					for _, e := range n.b.elems {
						args = append(args, s.eval(e))
					}
				} else {
					args = append(args, s.eval(n.b))
				}
				return sprintf(s.eval(n.a), args)
			}
		}
		return []val{unknownVal()}
	case nList:
		l := make([]any, len(n.elems))
		for i, e := range n.elems {
			l[i] = e
		}
		return []val{{kind: vList, list: l}}
	case nDict:
		return []val{{kind: vObj, obj: n}}
	}
	return []val{unknownVal()}
}

// evalStr evaluates a string literal, f-string or template literal.
func (s *scan) evalStr(n *node) []val {
	out := []val{{kind: vStr}}
	for _, p := range n.str.parts {
		if !p.expr {
			for i := range out {
				out[i].segs = append(out[i].segs, seg{lit: p.lit, known: true})
			}
			continue
		}
		out = concat(out, s.subExpr(p.exprS, p.exprE, n.blk))
	}
	if len(out) == 1 && len(out[0].segs) == 0 {
		out[0].segs = []seg{{known: true}}
	}
	return out
}

// subExpr evaluates the embedded expression src[start:end] in block b.
func (s *scan) subExpr(start, end int, b *block) []val {
	if end <= start || end-start > 512 || s.edepth > 20 {
		return []val{unknownVal()}
	}
	var toks []tok
	if s.lang == LangPython {
		toks = lexPython(s.src, start, end)
	} else {
		toks = lexJS(s.src, start, end)
	}
	sub := *s
	sub.toks, sub.i, sub.blk, sub.match = toks, 0, b, nil
	n := sub.expr()
	return s.eval(n)
}

func (s *scan) evalName(n *node) []val {
	ds := s.resolve(n.name, n.blk)
	if len(ds) == 0 {
		if s.lang == LangJS && n.name == "undefined" {
			return []val{{kind: vNone}}
		}
		return []val{unknownVal()}
	}
	var out []val
	for i := len(ds) - 1; i >= 0 && len(out) < maxAlts; i-- { // the latest assignments first
		out = union(out, s.evalDecl(ds[i]))
	}
	if len(out) == 0 {
		return []val{unknownVal()}
	}
	return relabelEnv(out, 0)
}

func (s *scan) evalDecl(d *decl) []val {
	if s.visiting[d] {
		return []val{unknownVal()}
	}
	s.visiting[d] = true
	defer delete(s.visiting, d)
	var out []val
	switch d.kind {
	case dValue:
		if d.v != nil {
			vs := s.eval(d.v)
			if len(d.key) > 0 {
				vs = s.members(vs, d.key, d.v)
			}
			out = withSrc(vs, d.name, d.line)
		}
		if d.def != nil {
			if out == nil {
				out = []val{unknownVal()}
			}
			label := d.name + " default"
			for _, v := range out {
				if v.env != "" {
					label = v.env + " env default"
				}
			}
			out = orElse(out, withSrc(s.eval(d.def), label, d.line), true, d.line)
		}
	case dParam:
		out = []val{{kind: vUnknown, param: true}}
		if d.def != nil {
			out = union(out, withSrc(s.eval(d.def), "parameter "+d.name+"'s default", d.line))
		} else if d.cli {
			out = union(out, s.optDefault(d.name))
		}
	case dClass:
		return []val{{kind: vUnknown}}
	default:
		if len(d.assigns) == 0 {
			return []val{unknownVal()}
		}
	}
	for i, a := range d.assigns {
		if len(out) >= maxAlts || s.steps > maxSteps {
			break
		}
		out = union(out, withSrc(s.eval(a), d.name, d.aline[i]))
	}
	if len(out) == 0 {
		return []val{unknownVal()}
	}
	return out
}

// members looks up a destructuring path in vs: an env object gives env
// reads, an object literal its entries.
func (s *scan) members(vs []val, key []string, src *node) []val {
	out := vs
	for _, k := range key {
		var next []val
		for _, v := range out {
			next = union(next, s.member(v, k))
		}
		out = next
	}
	if len(out) == 0 {
		return []val{unknownVal()}
	}
	return out
}

// member returns the alternatives of v.name.
func (s *scan) member(v val, name string) []val {
	s.edepth++
	defer func() { s.edepth-- }()
	if s.edepth > 40 {
		return []val{unknownVal()}
	}
	switch v.kind {
	case vObj:
		if n, ok := v.obj.(*node); ok {
			return s.prop(n, name)
		}
	case vInst:
		if cb := s.classes[v.class]; cb != nil {
			if ds := cb.decls[name]; len(ds) > 0 {
				var out []val
				for _, d := range ds {
					if d.kind == dValue && d.v != nil && len(d.key) == 0 {
						out = union(out, withSrc(s.eval(d.v), v.class+"."+name, d.line))
					} else {
						out = union(out, s.evalDecl(d))
					}
				}
				return out
			}
		}
		return s.optOr(name)
	case vCLI:
		return s.optOr(name)
	case vUnknown:
		if v.env == "*" { // process.env, os.environ
			return []val{envVal(name)}
		}
		if v.param || v.env == "" {
			return s.optOr(name)
		}
	}
	return []val{unknownVal()}
}

// optOr returns a CLI option's default alternatives, or unknown.
func (s *scan) optOr(name string) []val {
	if d := s.optDefault(name); len(d) > 0 {
		return union([]val{unknownVal()}, d)
	}
	return []val{unknownVal()}
}

// prop looks up key name in a dict/object literal; zod/yup-style schema
// entries give their .default(…).
func (s *scan) prop(n *node, name string) []val {
	for i := len(n.props) - 1; i >= 0; i-- {
		p := n.props[i]
		if p.spread {
			if vs := s.eval(p.v); len(vs) > 0 {
				var out []val
				for _, v := range vs {
					if v.kind == vObj || v.kind == vUnknown && v.env == "*" {
						out = union(out, s.member(v, name))
					}
				}
				if len(out) > 0 {
					return out
				}
			}
			continue
		}
		if !p.keyKnown || p.key != name {
			continue
		}
		if def := schemaDefault(p.v); def != nil {
			return withSrc(s.eval(def), name+" schema default", s.lineAt(def.s))
		}
		return s.eval(p.v)
	}
	return []val{unknownVal()}
}

// schemaDefault returns D in a call chain ending in .default(D).
func schemaDefault(n *node) *node {
	for n != nil && n.kind == nCall {
		if n.x != nil && n.x.kind == nAttr && n.x.name == "default" && len(n.args) == 1 {
			return n.args[0].v
		}
		if n.x == nil || n.x.kind != nAttr {
			return nil
		}
		n = n.x.x
	}
	return nil
}

func (s *scan) evalAttr(n *node) []val {
	d := dotted(n)
	if s.lang == LangJS {
		for _, p := range []string{"process.env.", "Bun.env.", "import.meta.env.", "Deno.env."} {
			if strings.HasPrefix(d, p) && !strings.Contains(d[len(p):], ".") {
				return []val{envVal(d[len(p):])}
			}
		}
		if d == "process.env" || d == "Bun.env" || d == "import.meta.env" {
			return []val{{kind: vUnknown, env: "*"}}
		}
	} else if d == "os.environ" || d == "environ" && s.imports["environ"] == "os.environ" {
		return []val{{kind: vUnknown, env: "*"}}
	}
	var out []val
	if d != "" {
		for _, f := range s.fields[d] {
			out = union(out, withSrc(s.eval(f.v), d, f.line))
		}
	}
	for _, v := range s.eval(n.x) {
		out = union(out, s.member(v, n.name))
	}
	if len(out) == 0 {
		return []val{unknownVal()}
	}
	return out
}

func (s *scan) evalIndex(n *node) []val {
	key := ""
	if n.a != nil && n.a.kind == nStr {
		key = strText(n.a.str)
	}
	var out []val
	if d := dotted(n); d != "" {
		for _, f := range s.fields[d] {
			out = union(out, withSrc(s.eval(f.v), d, f.line))
		}
	}
	for _, v := range s.eval(n.x) {
		switch {
		case key != "":
			out = union(out, s.member(v, key))
		case v.kind == vList && n.a != nil && n.a.kind == nNum:
			if i := atoi(n.a.name); i >= 0 && i < len(v.list) {
				out = union(out, s.eval(v.list[i].(*node)))
			}
		}
	}
	if len(out) == 0 {
		return []val{unknownVal()}
	}
	return out
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// callName returns a call's callee text and its last name.
func callName(n *node) (full, last string) {
	full = dotted(n.x)
	last = full
	if i := strings.LastIndexByte(full, '.'); i >= 0 {
		last = full[i+1:]
	}
	return full, last
}

// kwarg returns the value of keyword argument name, or of the positional
// argument at pos (pos < 0: none). For JS, keyword arguments do not exist.
func kwarg(n *node, name string, pos int) *node {
	p := 0
	for _, a := range n.args {
		if a.star != 0 {
			if a.star == 1 {
				p++
			}
			continue
		}
		if a.name != "" {
			if a.name == name {
				return a.v
			}
			continue
		}
		if p == pos {
			return a.v
		}
		p++
	}
	return nil
}

func hasKwarg(n *node, names ...string) bool {
	for _, a := range n.args {
		for _, nm := range names {
			if a.name == nm {
				return true
			}
		}
	}
	return false
}

// strArg returns the text of a string-literal argument.
func strArg(n *node) (string, bool) {
	if n == nil || n.kind != nStr {
		return "", false
	}
	for _, p := range n.str.parts {
		if p.expr {
			return "", false
		}
	}
	return strText(n.str), true
}

func isEnvName(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func (s *scan) evalCall(n *node) []val {
	full, last := callName(n)
	line := s.lineAt(n.s)
	a0 := kwarg(n, "", 0)
	// Environment reads.
	if s.lang == LangPython {
		if last == "getenv" || strings.HasSuffix(full, "environ.get") || strings.HasSuffix(full, "environ.setdefault") {
			k, _ := strArg(kwarg(n, "key", 0))
			if def := kwarg(n, "default", 1); def != nil {
				return envDefault(k, s.eval(def), line)
			}
			return []val{envVal(k)}
		}
	} else if full == "Deno.env.get" {
		k, _ := strArg(a0)
		return []val{envVal(k)}
	}
	// Helpers named like env: getEnv("HOST", "0.0.0.0"), env("HOST", default="0.0.0.0"), config("HOST", default=…).
	if k, ok := strArg(a0); ok && isEnvName(k) {
		ll := strings.ToLower(last)
		if strings.Contains(ll, "env") || ll == "config" || ll == "get_setting" || ll == "setting" {
			if def := kwarg(n, "default", 1); def != nil {
				return envDefault(k, s.eval(def), line)
			}
		}
	}
	switch last {
	case "str", "String", "strip", "trim", "lower", "toLowerCase", "toString", "rstrip", "lstrip", "trimEnd", "trimStart", "casefold", "upper", "toUpperCase":
		if (last == "str" || last == "String") && n.x.kind == nName {
			return s.eval(a0)
		}
		if n.x.kind == nAttr && len(n.args) == 0 {
			return s.eval(n.x.x)
		}
	case "int", "float", "Number", "parseInt", "parseFloat":
		return []val{{kind: vNum}}
	case "format":
		if s.lang == LangPython && n.x.kind == nAttr {
			var args [][]val
			for _, a := range n.args {
				if a.name == "" && a.star == 0 {
					args = append(args, s.eval(a.v))
				}
			}
			return pyFormat(s.eval(n.x.x), args)
		}
	case "Field", "Option", "Argument", "Param":
		if s.lang == LangPython {
			if def := kwarg(n, "default", 0); def != nil && !(def.kind == nUnknown) {
				return s.eval(def)
			}
		}
	case "parse_args", "parse_known_args", "opts", "parseArgs", "parseSync", "optsWithGlobals", "minimist", "argv":
		return []val{{kind: vCLI}}
	case "parse", "parseAsync", "safeParse", "create", "cleanEnv":
		// zod/envalid: schema.parse(process.env) → the schema's defaults
		if base := n.x; base != nil && base.kind == nAttr && base.x != nil && base.x.kind == nCall && len(base.x.args) > 0 && base.x.args[0].v.kind == nDict {
			return []val{{kind: vObj, obj: base.x.args[0].v}}
		}
		if last == "cleanEnv" && len(n.args) > 1 && n.args[1].v.kind == nDict {
			return []val{{kind: vObj, obj: n.args[1].v}}
		}
	case "dict":
		if s.lang == LangPython && n.x.kind == nName {
			d := &node{kind: nDict, blk: n.blk}
			for _, a := range n.args {
				if a.name != "" {
					d.props = append(d.props, prop{key: a.name, keyKnown: true, v: a.v})
				}
			}
			return []val{{kind: vObj, obj: d}}
		}
	case "JoinHostPort", "join":
	}
	if n.x != nil && n.x.kind == nName {
		for _, d := range s.resolve(n.x.name, n.blk) {
			if d.kind == dClass {
				return []val{{kind: vInst, class: n.x.name}}
			}
		}
	}
	if n.isNew && n.x != nil && n.x.kind == nName && s.classes[n.x.name] != nil {
		return []val{{kind: vInst, class: n.x.name}}
	}
	return []val{unknownVal()}
}

// pyFormat evaluates "{}:{}".format(a, b) (positional fields only).
func pyFormat(format []val, args [][]val) []val {
	var out []val
	for _, f := range format {
		fs, ok := f.str()
		if !ok {
			out = append(out, unknownVal())
			continue
		}
		var b strings.Builder
		i := 0
		conv := strings.Builder{}
		for k := 0; k < len(fs); k++ {
			c := fs[k]
			if c == '{' && k+1 < len(fs) && fs[k+1] == '{' {
				b.WriteByte('{')
				k++
				continue
			}
			if c == '{' {
				end := strings.IndexByte(fs[k:], '}')
				if end < 0 {
					break
				}
				k += end
				b.WriteString("%s")
				i++
				continue
			}
			if c == '%' {
				b.WriteString("%%")
				continue
			}
			b.WriteByte(c)
		}
		_ = conv
		out = union(out, sprintf([]val{{kind: vStr, segs: []seg{{lit: b.String(), known: true}}, src: f.src, srcLine: f.srcLine}}, args))
	}
	return out
}

// optDefault returns the defaults of CLI option name defined anywhere in
// the file.
func (s *scan) optDefault(name string) []val {
	var out []val
	for _, d := range s.opts[name] {
		out = union(out, withSrc(s.eval(d.v), d.flag+" default", s.lineAt(d.v.s)))
	}
	return out
}

// collectOptions records CLI option definitions from the calls: argparse
// add_argument, click.option / typer, commander .option, yargs .option.
func (s *scan) collectOptions() {
	for _, c := range s.calls {
		_, last := callName(c)
		switch last {
		case "add_argument", "option", "Option", "requiredOption", "add_option":
		default:
			continue
		}
		var names []string
		flag, dest := "", ""
		for _, a := range c.args {
			if a.name == "dest" {
				dest, _ = strArg(a.v)
			}
			if a.name != "" || a.star != 0 {
				continue
			}
			if t, ok := strArg(a.v); ok && strings.HasPrefix(t, "-") {
				ns := optNames(t)
				if len(ns) > 0 && flag == "" {
					flag = "--" + ns[len(ns)-1]
				}
				names = append(names, ns...)
			}
		}
		if s.lang == LangJS && len(names) == 0 {
			if t, ok := strArg(kwarg(c, "", 0)); ok && isIdentLike(t) {
				names = append(names, t) // yargs .option('host', {...})
			}
		}
		if dest != "" {
			names = []string{dest}
		}
		if flag == "" && len(names) > 0 {
			flag = "--" + names[0]
		}
		var def *node
		if s.lang == LangPython {
			def = kwarg(c, "default", -1)
		} else {
			if o := kwarg(c, "", 1); o != nil && o.kind == nDict {
				for _, p := range o.props {
					if p.key == "default" {
						def = p.v
					}
				}
			} else if len(c.args) >= 3 {
				def = c.args[2].v // commander .option(flags, description, default)
			}
		}
		if def == nil {
			continue
		}
		for _, nm := range names {
			s.opts[nm] = append(s.opts[nm], optDef{v: def, flag: flag})
		}
	}
}

// optNames turns "-H, --listen-host <host>" into its property names:
// listen_host (Python), listenHost and listen-host (JS).
func optNames(flags string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(flags, func(r rune) bool { return r == ',' || r == ' ' || r == '|' }) {
		if !strings.HasPrefix(f, "--") {
			continue
		}
		f = strings.TrimPrefix(f, "--")
		f = strings.TrimPrefix(f, "no-")
		if f == "" || f[0] == '<' || f[0] == '[' {
			continue
		}
		out = append(out, strings.ReplaceAll(f, "-", "_"), camel(f), f)
	}
	return out
}

func camel(f string) string {
	parts := strings.Split(f, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

func isIdentLike(t string) bool {
	if t == "" {
		return false
	}
	for _, c := range t {
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
