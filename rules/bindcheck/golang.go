package bindcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// goAnalysis is the state of one Go file's analysis.
type goAnalysis struct {
	src     []byte
	fset    *token.FileSet
	imports map[string]string // local package name → import path
	// assigns holds the plain assignments (=) and flag.StringVar-style
	// defaults of each variable, beside its declaration.
	assigns map[*ast.Object][]goAssign
	// fields holds assignments to selectors: "srv.Addr" = …
	fields map[string][]goAssign
	// envHelpers maps a function of the file that reads an environment
	// variable named by its first parameter and falls back to parameter i
	// (getEnv("HOST", "0.0.0.0")) to i.
	envHelpers map[string]int
	// funcs are the file's plain functions, whose return values a call
	// evaluates to; keyed holds every keyed struct-literal field value by
	// field name (Port: ":8080"), for fields reached through values the
	// analysis cannot follow (a receiver's config).
	funcs    map[string]*ast.FuncDecl
	keyed    map[string][]goAssign
	visiting map[any]bool
	depth    int
	steps    int // evaluation work for the current sink (maxSteps)
	out      []Bind
}

type goAssign struct {
	expr ast.Expr
	vals []val // precomputed (flag defaults); used when expr is nil
	line int
}

// Go sinks that take a host:port address as their first argument, on any
// receiver or package: gin Run/RunTLS, echo and mcp-go Start/StartTLS,
// fiber and iris Listen/ListenTLS, fasthttp ListenAndServe.
var goAddrMethods = map[string]bool{
	"Run": true, "RunTLS": true, "Start": true, "StartTLS": true, "StartServer": true, "RunServer": true,
	"Listen": true, "ListenTLS": true, "ListenAndServe": true, "ListenAndServeTLS": true, "Serve": false,
}

func findGo(p string, src []byte) []Bind {
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, p, src, 0)
	if f == nil {
		return nil
	}
	a := &goAnalysis{src: src, fset: fset, imports: map[string]string{}, assigns: map[*ast.Object][]goAssign{},
		fields: map[string][]goAssign{}, envHelpers: map[string]int{}, visiting: map[any]bool{},
		funcs: map[string]*ast.FuncDecl{}, keyed: map[string][]goAssign{}}
	for _, im := range f.Imports {
		ip, _ := strconv.Unquote(im.Path.Value)
		name := ip[strings.LastIndexByte(ip, '/')+1:]
		if strings.HasPrefix(name, "v") && len(name) <= 3 { // github.com/x/y/v2 → y
			parts := strings.Split(ip, "/")
			if len(parts) >= 2 {
				name = parts[len(parts)-2]
			}
		}
		if im.Name != nil {
			name = im.Name.Name
		}
		a.imports[name] = ip
	}
	a.collect(f)
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			a.steps = 0
			a.sink(c)
		}
		return true
	})
	return a.out
}

func (a *goAnalysis) line(n ast.Node) int { return a.fset.Position(n.Pos()).Line }

func (a *goAnalysis) off(pos token.Pos) int64 { return int64(a.fset.Position(pos).Offset) }

// pkgPath returns the import path of e when e names an imported package.
func (a *goAnalysis) pkgPath(e ast.Expr) string {
	id, ok := e.(*ast.Ident)
	if !ok || id.Obj != nil {
		return ""
	}
	return a.imports[id.Name]
}

// collect records reassignments, selector assignments, flag defaults and
// env helpers.
func (a *goAnalysis) collect(f *ast.File) {
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || fd.Recv != nil {
			continue
		}
		if i, ok := goEnvHelper(fd); ok {
			a.envHelpers[fd.Name.Name] = i
		}
		a.funcs[fd.Name.Name] = fd
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok {
				a.keyed[k.Name] = append(a.keyed[k.Name], goAssign{expr: n.Value, line: a.line(n)})
			}
		case *ast.AssignStmt:
			if n.Tok != token.ASSIGN && n.Tok != token.DEFINE || len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, l := range n.Lhs {
				switch l := l.(type) {
				case *ast.Ident:
					if n.Tok == token.ASSIGN && l.Obj != nil {
						a.assigns[l.Obj] = append(a.assigns[l.Obj], goAssign{expr: n.Rhs[i], line: a.line(n)})
					}
				case *ast.SelectorExpr:
					k := a.text(l)
					a.fields[k] = append(a.fields[k], goAssign{expr: n.Rhs[i], line: a.line(n)})
				}
			}
		case *ast.CallExpr:
			// flag.StringVar(&v, "name", "default", "usage") and pflag's
			// StringVarP(&v, "name", "n", "default", "usage").
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			di := -1
			switch sel.Sel.Name {
			case "StringVar":
				di = 2
			case "StringVarP":
				di = 3
			}
			if di < 0 || len(n.Args) <= di {
				return true
			}
			u, ok := n.Args[0].(*ast.UnaryExpr)
			if !ok || u.Op != token.AND {
				return true
			}
			id, ok := u.X.(*ast.Ident)
			name := goStringLit(n.Args[1])
			if !ok || id.Obj == nil || name == "" {
				return true
			}
			vs := withSrc(a.eval(n.Args[di]), "-"+name+" flag default", a.line(n))
			a.assigns[id.Obj] = append(a.assigns[id.Obj], goAssign{vals: vs, line: a.line(n)})
		}
		return true
	})
}

// goEnvHelper reports whether fd is an env-with-default helper: it reads
// os.Getenv/os.LookupEnv (or any *env* call) with its first parameter and
// returns one of its later parameters. It returns that parameter's index.
func goEnvHelper(fd *ast.FuncDecl) (int, bool) {
	var params []string
	for _, fl := range fd.Type.Params.List {
		for _, n := range fl.Names {
			params = append(params, n.Name)
		}
	}
	if len(params) < 2 {
		return 0, false
	}
	readsEnv, ret := false, -1
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && strings.Contains(strings.ToLower(sel.Sel.Name), "env") && len(n.Args) > 0 {
				if id, ok := n.Args[0].(*ast.Ident); ok && id.Name == params[0] {
					readsEnv = true
				}
			}
		case *ast.ReturnStmt:
			if len(n.Results) >= 1 {
				if id, ok := n.Results[0].(*ast.Ident); ok {
					for i := 1; i < len(params); i++ {
						if params[i] == id.Name {
							ret = i
						}
					}
				}
			}
		}
		return true
	})
	return ret, readsEnv && ret > 0
}

func goStringLit(e ast.Expr) string {
	if bl, ok := e.(*ast.BasicLit); ok && bl.Kind == token.STRING {
		s, err := strconv.Unquote(bl.Value)
		if err == nil {
			return s
		}
	}
	return ""
}

// text returns the source text of n with call arguments elided.
func (a *goAnalysis) text(n ast.Expr) string {
	switch n := n.(type) {
	case *ast.Ident:
		return n.Name
	case *ast.SelectorExpr:
		return a.text(n.X) + "." + n.Sel.Name
	case *ast.CallExpr:
		return a.text(n.Fun) + "(…)"
	case *ast.ParenExpr:
		return "(" + a.text(n.X) + ")"
	case *ast.StarExpr:
		return "*" + a.text(n.X)
	case *ast.UnaryExpr:
		return n.Op.String() + a.text(n.X)
	case *ast.CompositeLit:
		if n.Type != nil {
			return a.text(n.Type) + "{…}"
		}
		return "{…}"
	case *ast.IndexExpr:
		return a.text(n.X) + "[…]"
	}
	s, e := a.off(n.Pos()), a.off(n.End())
	if s >= 0 && e <= int64(len(a.src)) && s < e && e-s < 80 {
		return string(a.src[s:e])
	}
	return "…"
}

// eval returns the alternatives of a Go expression.
func (a *goAnalysis) eval(e ast.Expr) []val {
	a.steps++
	if e == nil || a.depth > 24 || a.steps > maxSteps {
		return []val{unknownVal()}
	}
	a.depth++
	defer func() { a.depth-- }()
	switch e := e.(type) {
	case *ast.BasicLit:
		switch e.Kind {
		case token.STRING:
			if s, err := strconv.Unquote(e.Value); err == nil {
				return []val{strVal(s)}
			}
		case token.INT, token.FLOAT:
			return []val{{kind: vNum}}
		}
		return []val{unknownVal()}
	case *ast.ParenExpr:
		return a.eval(e.X)
	case *ast.StarExpr:
		return a.eval(e.X)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return a.eval(e.X)
		}
		return []val{unknownVal()}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return concat(a.eval(e.X), a.eval(e.Y))
		}
		return []val{unknownVal()}
	case *ast.CompositeLit:
		return []val{{kind: vObj, obj: e}}
	case *ast.Ident:
		return a.evalIdent(e)
	case *ast.SelectorExpr:
		return a.evalSelector(e)
	case *ast.CallExpr:
		return a.evalCall(e)
	}
	return []val{unknownVal()}
}

func (a *goAnalysis) evalIdent(id *ast.Ident) []val {
	switch id.Name {
	case "nil":
		if id.Obj == nil {
			return []val{{kind: vNone}}
		}
	case "true", "false":
		if id.Obj == nil {
			return []val{{kind: vBool}}
		}
	}
	obj := id.Obj
	if obj == nil || a.visiting[obj] {
		return []val{unknownVal()}
	}
	a.visiting[obj] = true
	defer delete(a.visiting, obj)
	var out []val
	switch d := obj.Decl.(type) {
	case *ast.ValueSpec:
		for i, n := range d.Names {
			if n.Name == id.Name && i < len(d.Values) {
				out = withSrc(a.eval(d.Values[i]), id.Name, a.line(d))
			}
		}
	case *ast.AssignStmt:
		for i, l := range d.Lhs {
			if li, ok := l.(*ast.Ident); ok && li.Name == id.Name {
				if len(d.Rhs) == len(d.Lhs) {
					out = withSrc(a.eval(d.Rhs[i]), id.Name, a.line(d))
				} else if len(d.Rhs) == 1 && i == 0 {
					out = a.eval(d.Rhs[0]) // v, ok := os.LookupEnv("X")
				}
			}
		}
	case *ast.Field:
		return []val{{kind: vUnknown, param: true}}
	}
	for _, as := range a.assigns[obj] {
		if as.expr == nil {
			out = union(out, as.vals)
			continue
		}
		out = union(out, withSrc(a.eval(as.expr), id.Name, as.line))
	}
	if len(out) == 0 {
		return []val{unknownVal()}
	}
	return relabelEnv(out, 0)
}

func (a *goAnalysis) evalSelector(e *ast.SelectorExpr) []val {
	var out []val
	if as := a.fields[a.text(e)]; len(as) > 0 {
		for _, x := range as {
			out = union(out, withSrc(a.eval(x.expr), a.text(e), x.line))
		}
	}
	if a.pkgPath(e.X) != "" {
		if len(out) == 0 {
			return []val{unknownVal()}
		}
		return out
	}
	followed := false
	for _, v := range a.eval(e.X) {
		if lit, ok := v.obj.(*ast.CompositeLit); ok && v.kind == vObj {
			followed = true
			if fv := goField(lit, e.Sel.Name); fv != nil {
				out = union(out, a.eval(fv))
			}
		}
	}
	if allUnknown(out) && !followed && !a.visiting["keyed."+e.Sel.Name] {
		// A field of a value the analysis cannot follow (a receiver's
		// config): the values struct literals of the file give it.
		a.visiting["keyed."+e.Sel.Name] = true
		for _, k := range a.keyed[e.Sel.Name] {
			out = union(out, withSrc(a.eval(k.expr), e.Sel.Name+" field", k.line))
		}
		delete(a.visiting, "keyed."+e.Sel.Name)
	}
	if len(out) == 0 {
		return []val{unknownVal()}
	}
	return out
}

// evalFunc returns the alternatives a function of the file returns (its
// first result), with its parameters unknown.
func (a *goAnalysis) evalFunc(fd *ast.FuncDecl) []val {
	if a.visiting[fd] || fd.Body == nil {
		return []val{unknownVal()}
	}
	a.visiting[fd] = true
	defer delete(a.visiting, fd)
	var out []val
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) > 0 {
				out = union(out, withSrc(a.eval(n.Results[0]), fd.Name.Name+"()", a.line(n)))
			}
		}
		return true
	})
	if len(out) == 0 {
		return []val{unknownVal()}
	}
	return out
}

// goField returns the value of field name in a keyed struct literal.
func goField(lit *ast.CompositeLit, name string) ast.Expr {
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == name {
				return kv.Value
			}
		}
	}
	return nil
}

func (a *goAnalysis) evalCall(c *ast.CallExpr) []val {
	line := a.line(c)
	name := ""
	pkg := ""
	switch f := c.Fun.(type) {
	case *ast.SelectorExpr:
		name = f.Sel.Name
		pkg = a.pkgPath(f.X)
	case *ast.Ident:
		name = f.Name
	}
	arg := func(i int) []val {
		if i < len(c.Args) {
			return a.eval(c.Args[i])
		}
		return []val{unknownVal()}
	}
	switch {
	case pkg == "fmt" && name == "Sprintf" && len(c.Args) >= 1:
		var args [][]val
		for _, x := range c.Args[1:] {
			args = append(args, a.eval(x))
		}
		return sprintf(a.eval(c.Args[0]), args)
	case pkg == "net" && name == "JoinHostPort" && len(c.Args) == 2:
		hs := a.eval(c.Args[0])
		for i, h := range hs {
			if s, ok := h.str(); ok && strings.Contains(s, ":") {
				hs[i].segs = []seg{{lit: "[" + s + "]", known: true}}
			}
		}
		return concat(concat(hs, []val{strVal(":")}), arg(1))
	case pkg == "os" && (name == "Getenv" || name == "LookupEnv") && len(c.Args) == 1:
		return []val{envVal(goStringLit(c.Args[0]))}
	case pkg == "cmp" && name == "Or":
		var out []val
		for i, x := range c.Args {
			if i == 0 {
				out = a.eval(x)
				continue
			}
			out = orElse(out, a.eval(x), false, line)
		}
		return out
	case pkg == "strings" && (name == "TrimSpace" || name == "ToLower" || name == "TrimSuffix" || name == "TrimPrefix") && len(c.Args) >= 1:
		return a.eval(c.Args[0])
	case (name == "String" && len(c.Args) == 3 || name == "StringP" && len(c.Args) == 4) && goStringLit(c.Args[0]) != "":
		// flag.String("addr", ":8080", "usage") and pflag's StringP.
		return withSrc(arg(len(c.Args)-2), "-"+goStringLit(c.Args[0])+" flag default", line)
	}
	if i, ok := a.envHelpers[name]; ok && pkg == "" && len(c.Args) > i {
		return envDefault(goStringLit(c.Args[0]), a.eval(c.Args[i]), line)
	}
	if id, ok := c.Fun.(*ast.Ident); ok && a.funcs[id.Name] != nil {
		return a.evalFunc(a.funcs[id.Name])
	}
	if strings.Contains(strings.ToLower(name), "env") && len(c.Args) >= 2 {
		if k := goStringLit(c.Args[0]); k != "" && k == strings.ToUpper(k) {
			return envDefault(k, a.eval(c.Args[len(c.Args)-1]), line)
		}
	}
	return []val{unknownVal()}
}

// sink reports c when it listens on every interface.
func (a *goAnalysis) sink(c *ast.CallExpr) {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	name := sel.Sel.Name
	pkg := a.pkgPath(sel.X)
	addrArg := -1
	switch {
	case (pkg == "net" && (name == "Listen" || name == "ListenPacket")) || (pkg == "crypto/tls" && name == "Listen"):
		if len(c.Args) >= 2 && !goUnixNetwork(c.Args[0]) {
			addrArg = 1
		}
	case pkg == "net" && (name == "ListenTCP" || name == "ListenUDP") && len(c.Args) == 2:
		a.tcpAddrSink(c, sel)
		return
	case pkg == "net/http" && (name == "ListenAndServe" || name == "ListenAndServeTLS"):
		addrArg = 0
	case pkg == "" && name == "Listen" && len(c.Args) == 3 && goStringLit(c.Args[1]) != "" && !goUnixNetwork(c.Args[1]):
		addrArg = 2 // (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	case pkg == "" && (name == "ListenAndServe" && len(c.Args) == 0 || name == "ListenAndServeTLS" && len(c.Args) == 2):
		a.serverSink(c, sel)
		return
	case pkg == "" && name == "Run" && len(c.Args) == 0:
		a.ginRunSink(c, sel)
		return
	case goAddrMethods[name] && len(c.Args) >= 1:
		addrArg = 0
	}
	if addrArg < 0 || addrArg >= len(c.Args) {
		return
	}
	for _, v := range a.eval(c.Args[addrArg]) {
		h, ok := addrHost(v)
		if !ok || !hostAll(h, true) {
			continue
		}
		a.report(c, sel, normHost(h), v, flatten(v))
		return
	}
}

func goUnixNetwork(e ast.Expr) bool {
	return strings.HasPrefix(goStringLit(e), "unix")
}

// serverSink handles srv.ListenAndServe() on an http.Server literal whose
// Addr (or a later srv.Addr = …) is every interface; a missing Addr is
// ":http".
func (a *goAnalysis) serverSink(c *ast.CallExpr, sel *ast.SelectorExpr) {
	var alts []val
	if as := a.fields[a.text(sel.X)+".Addr"]; len(as) > 0 {
		for _, x := range as {
			alts = union(alts, withSrc(a.eval(x.expr), a.text(sel.X)+".Addr", x.line))
		}
	}
	for _, v := range a.eval(sel.X) {
		lit, ok := v.obj.(*ast.CompositeLit)
		if !ok || v.kind != vObj {
			continue
		}
		if fv := goField(lit, "Addr"); fv != nil {
			alts = union(alts, withSrc(a.eval(fv), a.text(lit.Type)+" Addr", a.line(fv)))
		} else if len(alts) == 0 && strings.HasSuffix(a.text(lit.Type), "http.Server") {
			a.reportOmitted(c, sel, "http.Server has no Addr, so ListenAndServe listens on \":http\" on every interface")
			return
		}
	}
	for _, v := range alts {
		if h, ok := addrHost(v); ok && hostAll(h, true) {
			a.report(c, sel, normHost(h), v, flatten(v))
			return
		}
	}
}

// ginRunSink handles gin's r.Run() with no address: ":8080" (or $PORT) on
// every interface.
func (a *goAnalysis) ginRunSink(c *ast.CallExpr, sel *ast.SelectorExpr) {
	for _, v := range a.evalRecv(sel.X) {
		if strings.Contains(v, "gin-gonic/gin") {
			a.reportOmitted(c, sel, "no address given, and gin's Run() listens on :8080 (or $PORT) on every interface")
			return
		}
	}
}

// evalRecv returns the import paths of the constructors a receiver comes
// from (r := gin.Default() → "github.com/gin-gonic/gin").
func (a *goAnalysis) evalRecv(e ast.Expr) []string {
	id, ok := e.(*ast.Ident)
	if !ok || id.Obj == nil {
		return nil
	}
	as, ok := id.Obj.Decl.(*ast.AssignStmt)
	if !ok {
		if vs, ok := id.Obj.Decl.(*ast.ValueSpec); ok && len(vs.Values) == 1 {
			return a.ctorPkg(vs.Values[0])
		}
		return nil
	}
	if len(as.Rhs) != 1 {
		return nil
	}
	return a.ctorPkg(as.Rhs[0])
}

func (a *goAnalysis) ctorPkg(e ast.Expr) []string {
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return nil
	}
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
		if p := a.pkgPath(sel.X); p != "" {
			return []string{p}
		}
	}
	return nil
}

// tcpAddrSink handles net.ListenTCP("tcp", &net.TCPAddr{Port: p}) (no IP:
// every interface) and a nil address.
func (a *goAnalysis) tcpAddrSink(c *ast.CallExpr, sel *ast.SelectorExpr) {
	for _, v := range a.eval(c.Args[1]) {
		switch v.kind {
		case vNone:
			a.reportOmitted(c, sel, "nil local address, which is every interface")
			return
		case vObj:
			lit, _ := v.obj.(*ast.CompositeLit)
			if lit == nil {
				continue
			}
			ip := goField(lit, "IP")
			if ip == nil {
				a.reportOmitted(c, sel, "net.TCPAddr has no IP, which is every interface")
				return
			}
			if t := a.text(ip); strings.HasSuffix(t, "IPv4zero") || strings.HasSuffix(t, "IPv6zero") || strings.HasSuffix(t, "IPv6unspecified") {
				a.reportOmitted(c, sel, "IP "+t+", which is every interface")
				return
			}
		}
	}
}

func flatten(v val) string {
	var b strings.Builder
	for _, s := range v.segs {
		if s.known {
			b.WriteString(s.lit)
		} else {
			b.WriteString("…")
		}
	}
	return b.String()
}

func (a *goAnalysis) report(c *ast.CallExpr, sel *ast.SelectorExpr, host string, v val, value string) {
	o, ol := origin(v)
	a.out = append(a.out, Bind{Offset: a.off(c.Fun.Pos()), End: a.off(sel.End()), Call: a.text(c.Fun),
		Host: host, Value: value, Origin: o, OriginLine: ol})
}

func (a *goAnalysis) reportOmitted(c *ast.CallExpr, sel *ast.SelectorExpr, why string) {
	a.out = append(a.out, Bind{Offset: a.off(c.Fun.Pos()), End: a.off(sel.End()), Call: a.text(c.Fun), Origin: why})
}

// allUnknown reports whether no alternative is known (or there are none).
func allUnknown(vs []val) bool {
	for _, v := range vs {
		if v.kind != vUnknown {
			return false
		}
	}
	return true
}
