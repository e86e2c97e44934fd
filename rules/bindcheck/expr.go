package bindcheck

// A tolerant expression parser for Python and JavaScript/TypeScript over
// the tokens of lex.go. It builds just enough of a tree to evaluate hosts
// and find calls; what it does not understand becomes an nUnknown node and
// parsing goes on. Function bodies met inside expressions (arrow
// functions, lambdas, object methods) are handed to the statement scanner
// (scan.body) so that calls inside them are found too.

type nkind uint8

const (
	nUnknown nkind = iota
	nName
	nAttr  // x.name
	nIndex // x[a]
	nCall  // x(args)
	nStr
	nNum
	nConst // None, null, undefined, true, false (name)
	nBin   // a op b (name = op)
	nOr    // a || b, a or b
	nNullish
	nAnd
	nCond // test ? a : b, a if test else b (x = test)
	nList
	nDict
	nFunc
)

type node struct {
	kind  nkind
	s, e  int // byte span
	name  string
	x     *node
	a, b  *node
	args  []arg
	elems []*node
	props []prop
	str   *strTok
	isNew bool
	blk   *block // the block the node was parsed in
}

// arg is a call argument: a Python keyword argument has a name; star is 1
// for *x or ...x, 2 for **x.
type arg struct {
	name string
	v    *node
	star int
}

// prop is a dict/object entry with a static key (key) or a computed one.
type prop struct {
	key       string
	keyKnown  bool
	v         *node
	spread    bool
	shorthand bool
}

func (s *scan) peek() *tok {
	if s.i < len(s.toks) {
		return &s.toks[s.i]
	}
	return &eofTok
}

func (s *scan) peekAt(k int) *tok {
	if s.i+k < len(s.toks) {
		return &s.toks[s.i+k]
	}
	return &eofTok
}

var eofTok = tok{kind: tEOF}

func (s *scan) is(text string) bool {
	t := s.peek()
	return (t.kind == tPunct || t.kind == tIdent) && t.text == text
}

func (s *scan) isAt(k int, text string) bool {
	t := s.peekAt(k)
	return (t.kind == tPunct || t.kind == tIdent) && t.text == text
}

func (s *scan) accept(text string) bool {
	if s.is(text) {
		s.i++
		return true
	}
	return false
}

// prevEnd is the end offset of the last token consumed.
func (s *scan) prevEnd() int {
	if s.i > 0 && s.i-1 < len(s.toks) {
		return s.toks[s.i-1].e
	}
	return 0
}

func (s *scan) mk(k nkind, start int) *node {
	return &node{kind: k, s: start, e: s.prevEnd(), blk: s.blk}
}

// atExprEnd reports whether the next token cannot continue or start an
// expression at this level.
func (s *scan) atExprEnd() bool {
	t := s.peek()
	switch t.kind {
	case tEOF, tNewline:
		return true
	case tPunct:
		switch t.text {
		case ")", "]", "}", ",", ";", ":", "=", "=>":
			return true
		}
	}
	return false
}

// skipBalanced skips from an opening bracket at s.i to after its match.
func (s *scan) skipBalanced() {
	open := s.peek().text
	var close string
	switch open {
	case "(":
		close = ")"
	case "[":
		close = "]"
	case "{":
		close = "}"
	default:
		s.i++
		return
	}
	depth := 0
	for s.i < len(s.toks) {
		t := s.peek()
		if t.kind == tPunct {
			switch t.text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
			}
		}
		s.i++
		if depth == 0 || t.kind == tPunct && t.text == close && depth <= 0 {
			return
		}
	}
}

// matchIndex returns the index of the token closing the bracket at k, or
// len(toks). Matches are computed once per token slice (matchBrackets),
// so that nested brackets cost linear time.
func (s *scan) matchIndex(k int) int {
	if s.match == nil {
		s.match = matchBrackets(s.toks)
	}
	if k < 0 || k >= len(s.match) {
		return len(s.toks)
	}
	return int(s.match[k])
}

// matchBrackets returns, for each opening bracket token, the index of the
// token that closes it (any closing bracket, as the scanner has always
// matched), or len(toks) when none does.
func matchBrackets(toks []tok) []int32 {
	m := make([]int32, len(toks))
	var stack []int32
	for j := range toks {
		m[j] = int32(len(toks))
		t := &toks[j]
		if t.kind != tPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			stack = append(stack, int32(j))
		case ")", "]", "}":
			if n := len(stack); n > 0 {
				m[stack[n-1]] = int32(j)
				stack = stack[:n-1]
			}
		}
	}
	return m
}

// expr parses one expression (no top-level comma).
func (s *scan) expr() *node {
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > 200 {
		s.i++
		return &node{kind: nUnknown}
	}
	if s.lang == LangPython {
		return s.pyExpr()
	}
	return s.jsExpr()
}

// ---- JavaScript ----

var jsBinPrec = map[string]int{
	"??": 1, "||": 2, "&&": 3, "|": 4, "^": 5, "&": 6,
	"==": 7, "!=": 7, "===": 7, "!==": 7,
	"<": 8, ">": 8, "<=": 8, ">=": 8, "instanceof": 8, "in": 8,
	"<<": 9, ">>": 9, ">>>": 9, "+": 10, "-": 10, "*": 11, "/": 11, "%": 11, "**": 12,
}

func (s *scan) jsExpr() *node {
	start := s.peek().s
	// arrow function with a single parameter: x => …, async x => …
	if s.peek().kind == tIdent && s.isAt(1, "=>") {
		return s.jsArrow(start)
	}
	if s.is("async") && s.peekAt(1).kind == tIdent && s.isAt(2, "=>") {
		s.i++
		return s.jsArrow(start)
	}
	test := s.jsBinary(0)
	if s.is("?") {
		s.i++
		a := s.expr()
		s.accept(":")
		b := s.expr()
		n := s.mk(nCond, start)
		n.x, n.a, n.b = test, a, b
		return n
	}
	// assignment inside an expression: a = b (handled by callers at statement level)
	return test
}

func (s *scan) jsBinary(minPrec int) *node {
	start := s.peek().s
	left := s.jsUnary()
	for {
		t := s.peek()
		if t.kind == tIdent && (t.text == "as" || t.text == "satisfies") && !t.nl {
			s.i++
			s.skipType(nil)
			left = &node{kind: left.kind, s: left.s, e: s.prevEnd(), name: left.name, x: left.x, a: left.a, b: left.b,
				args: left.args, elems: left.elems, props: left.props, str: left.str, isNew: left.isNew, blk: left.blk}
			continue
		}
		if t.kind != tPunct && !(t.kind == tIdent && (t.text == "instanceof" || t.text == "in")) {
			return left
		}
		prec, ok := jsBinPrec[t.text]
		if !ok || prec <= minPrec && minPrec > 0 || prec < minPrec {
			return left
		}
		op := t.text
		s.i++
		right := s.jsBinary(prec)
		var n *node
		switch op {
		case "||":
			n = s.mk(nOr, start)
		case "??":
			n = s.mk(nNullish, start)
		case "&&":
			n = s.mk(nAnd, start)
		default:
			n = s.mk(nBin, start)
			n.name = op
		}
		n.a, n.b = left, right
		left = n
	}
}

func (s *scan) jsUnary() *node {
	start := s.peek().s
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > 400 {
		s.i++
		return s.mk(nUnknown, start)
	}
	t := s.peek()
	if t.kind == tPunct {
		switch t.text {
		case "!", "~", "-", "+", "++", "--":
			s.i++
			x := s.jsUnary()
			if t.text == "+" || t.text == "-" {
				if x.kind == nNum {
					return x
				}
				n := s.mk(nCall, start) // +x: Number(x)
				n.x = &node{kind: nName, name: "Number"}
				n.args = []arg{{v: x}}
				return n
			}
			return s.mk(nUnknown, start)
		case "<": // <T>expr cast or JSX: skip the angle group
			if !s.skipAngles() {
				s.i++
				return s.mk(nUnknown, start)
			}
			return s.jsUnary()
		}
	}
	if t.kind == tIdent {
		switch t.text {
		case "typeof", "void", "delete":
			s.i++
			s.jsUnary()
			return s.mk(nUnknown, start)
		case "await", "yield":
			if !s.atExprEndAt(1) {
				s.i++
				s.accept("*")
				return s.jsUnary()
			}
		}
	}
	return s.jsPostfix(s.jsPrimary())
}

func (s *scan) atExprEndAt(k int) bool {
	save := s.i
	s.i += k
	r := s.atExprEnd()
	s.i = save
	return r
}

// skipAngles skips a balanced <…> group (TypeScript type arguments).
func (s *scan) skipAngles() bool {
	if !s.is("<") {
		return false
	}
	depth := 0
	for j := s.i; j < len(s.toks) && j < s.i+200; j++ {
		t := &s.toks[j]
		if t.kind == tPunct {
			switch t.text {
			case "<":
				depth++
			case ">":
				depth--
			case ">>":
				depth -= 2
			case ">>>":
				depth -= 3
			case ";", "{", "}":
				if t.text != "{" {
					return false
				}
			}
		}
		if depth <= 0 {
			s.i = j + 1
			return true
		}
	}
	return false
}

// skipType skips a TypeScript type, stopping before a token in stop (or
// , ) ] } ; = => { at depth 0 when stop is nil) or a line break that
// ends it.
func (s *scan) skipType(stop map[string]bool) {
	depth := 0
	first := true
	for limit := s.i + 4096; s.i < len(s.toks) && s.i < limit; {
		t := s.peek()
		if depth == 0 && !first && t.nl && t.kind == tIdent {
			return
		}
		if t.kind == tPunct {
			switch t.text {
			case "(", "[":
				depth++
			case "{":
				if depth == 0 && !first && stop == nil {
					return
				}
				depth++
			case "<":
				depth++
			case ">":
				if depth == 0 {
					return
				}
				depth--
			case ">>":
				depth -= 2
			case ")", "]", "}":
				if depth == 0 {
					return
				}
				depth--
			case ",", ";", "=", "=>":
				if depth == 0 && (stop == nil || stop[t.text]) {
					return
				}
			}
		}
		first = false
		s.i++
		if depth < 0 {
			return
		}
	}
}

func (s *scan) jsArrow(start int) *node {
	params := []param{}
	if s.peek().kind == tIdent {
		t := s.peek()
		params = append(params, param{name: t.text, line: s.lineAt(t.s)})
		s.i++
	}
	s.accept("=>")
	s.jsArrowBody(params)
	return s.mk(nFunc, start)
}

func (s *scan) jsArrowBody(params []param) {
	if s.is("{") {
		end := s.matchIndex(s.i)
		s.body(s.i+1, end, params, nil)
		s.i = min(end+1, len(s.toks))
		return
	}
	b := s.newBlock(s.blk)
	s.declareParams(b, params)
	save := s.blk
	s.blk = b
	n := s.expr()
	s.walkCalls(n)
	s.blk = save
}

func (s *scan) jsPrimary() *node {
	start := s.peek().s
	t := s.peek()
	switch t.kind {
	case tStr:
		s.i++
		n := s.mk(nStr, start)
		n.str = t.str
		return n
	case tNum:
		s.i++
		n := s.mk(nNum, start)
		n.name = t.text
		return n
	case tRegex:
		s.i++
		return s.mk(nUnknown, start)
	case tIdent:
		switch t.text {
		case "true", "false", "null", "undefined":
			s.i++
			n := s.mk(nConst, start)
			n.name = t.text
			return n
		case "new":
			s.i++
			if s.accept(".") { // new.target
				s.i++
				return s.mk(nUnknown, start)
			}
			callee := s.jsMember(s.jsPrimary())
			s.skipAngles()
			n := s.mk(nCall, start)
			n.x, n.isNew = callee, true
			if s.is("(") {
				n.args = s.callArgs()
				n.e = s.prevEnd()
			}
			return n
		case "function":
			s.i++
			s.accept("*")
			if s.peek().kind == tIdent {
				s.i++
			}
			s.skipAngles()
			s.funcRest(nil)
			return s.mk(nFunc, start)
		case "async":
			if s.isAt(1, "function") {
				s.i++
				return s.jsPrimary()
			}
			if s.isAt(1, "(") {
				close := s.matchIndex(s.i + 1)
				if close+1 < len(s.toks) && (s.toks[close+1].text == "=>" || s.toks[close+1].text == ":") {
					s.i++
					return s.jsParenOrArrow(start)
				}
			}
		case "class":
			s.i++
			s.classRest("")
			return s.mk(nUnknown, start)
		}
		s.i++
		n := s.mk(nName, start)
		n.name = t.text
		return n
	case tPunct:
		switch t.text {
		case "(":
			return s.jsParenOrArrow(start)
		case "[":
			s.i++
			n := &node{kind: nList, s: start, blk: s.blk}
			for !s.is("]") && s.peek().kind != tEOF {
				if s.accept(",") {
					continue
				}
				s.accept("...")
				before := s.i
				n.elems = append(n.elems, s.expr())
				if s.i == before {
					s.i++
				}
			}
			s.accept("]")
			n.e = s.prevEnd()
			return n
		case "{":
			return s.jsObject()
		}
	}
	s.i++
	return s.mk(nUnknown, start)
}

// jsParenOrArrow parses (…) as arrow parameters when => (or a return type
// then =>) follows the closing paren, otherwise as a parenthesized
// expression.
func (s *scan) jsParenOrArrow(start int) *node {
	close := s.matchIndex(s.i)
	arrow := close+1 < len(s.toks) && s.toks[close+1].kind == tPunct && s.toks[close+1].text == "=>"
	if !arrow && close+1 < len(s.toks) && s.toks[close+1].text == ":" {
		// (a): T => …
		save := s.i
		s.i = close + 2
		s.skipType(map[string]bool{"=>": true, ";": true, ",": true, "=": true})
		arrow = s.is("=>")
		s.i = save
	}
	if arrow {
		params := s.params()
		if s.accept(":") {
			s.skipType(map[string]bool{"=>": true})
		}
		s.accept("=>")
		s.jsArrowBody(params)
		return s.mk(nFunc, start)
	}
	s.i++
	var last *node
	for !s.is(")") && s.peek().kind != tEOF {
		if s.accept(",") {
			continue
		}
		before := s.i
		last = s.expr()
		if s.i == before {
			s.i++
		}
	}
	s.accept(")")
	if last == nil {
		return s.mk(nUnknown, start)
	}
	return last
}

func (s *scan) jsObject() *node {
	start := s.peek().s
	s.i++
	n := &node{kind: nDict, s: start, blk: s.blk}
	for !s.is("}") && s.peek().kind != tEOF {
		if s.accept(",") || s.accept(";") {
			continue
		}
		before := s.i
		if s.accept("...") {
			n.props = append(n.props, prop{spread: true, v: s.expr()})
			continue
		}
		// modifiers of methods and accessors
		for (s.is("async") || s.is("get") || s.is("set") || s.is("static")) && !s.isAt(1, ":") && !s.isAt(1, "(") && !s.isAt(1, ",") && !s.isAt(1, "}") {
			s.i++
		}
		s.accept("*")
		var p prop
		t := s.peek()
		switch {
		case t.kind == tIdent || t.kind == tNum:
			p.key, p.keyKnown = t.text, true
			s.i++
		case t.kind == tStr:
			p.key, p.keyKnown = strText(t.str), true
			s.i++
		case s.is("["):
			s.i++
			s.expr()
			s.accept("]")
		default:
			s.i++
			continue
		}
		switch {
		case s.accept(":"):
			p.v = s.expr()
		case s.is("(") || s.is("<"):
			s.skipAngles()
			s.funcRest(nil)
			p.v = &node{kind: nFunc}
		case s.is("="): // shorthand with default in a pattern
			s.i++
			p.v = s.expr()
		default:
			p.shorthand = true
			p.v = &node{kind: nName, name: p.key, s: t.s, e: t.e, blk: s.blk}
		}
		n.props = append(n.props, p)
		if s.i == before {
			s.i++
		}
	}
	s.accept("}")
	n.e = s.prevEnd()
	return n
}

// funcRest parses (params) [: type] {body} of a function or method and
// scans the body with the parameters declared.
func (s *scan) funcRest(extra func(*block)) {
	if !s.is("(") {
		return
	}
	params := s.params()
	if s.accept(":") {
		s.skipType(nil) // the return type, up to the body's {
	}
	if s.is("{") {
		end := s.matchIndex(s.i)
		s.body(s.i+1, end, params, extra)
		s.i = min(end+1, len(s.toks))
	}
}

// jsPostfix parses member access, calls and indexing after a primary.
func (s *scan) jsPostfix(n *node) *node {
	for {
		t := s.peek()
		if t.kind == tStr && !t.nl && n.kind != nStr { // tagged template
			s.i++
			n = &node{kind: nUnknown, s: n.s, e: s.prevEnd(), blk: s.blk}
			continue
		}
		if t.kind != tPunct {
			return n
		}
		switch t.text {
		case ".", "?.":
			s.i++
			if s.is("(") && t.text == "?." {
				c := &node{kind: nCall, s: n.s, x: n, blk: s.blk}
				c.args = s.callArgs()
				c.e = s.prevEnd()
				n = c
				continue
			}
			if s.is("[") && t.text == "?." {
				continue
			}
			nt := s.peek()
			if nt.kind != tIdent {
				return n
			}
			s.i++
			n = &node{kind: nAttr, s: n.s, e: nt.e, x: n, name: nt.text, blk: s.blk}
		case "[":
			s.i++
			idx := s.expr()
			s.accept("]")
			n = &node{kind: nIndex, s: n.s, e: s.prevEnd(), x: n, a: idx, blk: s.blk}
		case "(":
			if t.nl && s.lang == LangJS && n.kind != nAttr && n.kind != nName {
				return n
			}
			c := &node{kind: nCall, s: n.s, x: n, blk: s.blk}
			c.args = s.callArgs()
			c.e = s.prevEnd()
			n = c
		case "!":
			if s.isAt(1, "=") || s.isAt(1, "==") {
				return n
			}
			nt := s.peekAt(1)
			if nt.kind == tPunct && (nt.text == "." || nt.text == ")" || nt.text == "," || nt.text == ";" || nt.text == "]" || nt.text == "}" || nt.text == "?.") || nt.nl || nt.kind == tEOF {
				s.i++
				continue
			}
			return n
		case "<":
			// f<T>(…): type arguments before a call
			save := s.i
			if s.skipAngles() && s.is("(") {
				continue
			}
			s.i = save
			return n
		default:
			return n
		}
	}
}

// jsMember parses the member-access part of a `new` callee (no calls).
func (s *scan) jsMember(n *node) *node {
	for {
		if s.is(".") {
			s.i++
			t := s.peek()
			if t.kind != tIdent {
				return n
			}
			s.i++
			n = &node{kind: nAttr, s: n.s, e: t.e, x: n, name: t.text, blk: s.blk}
			continue
		}
		return n
	}
}

func (s *scan) callArgs() []arg {
	close := s.matchIndex(s.i)
	s.i++
	var args []arg
	for s.i < close && s.i < len(s.toks) {
		if s.accept(",") {
			continue
		}
		before := s.i
		var a arg
		switch {
		case s.lang == LangJS && s.accept("..."):
			a.star = 1
		case s.lang == LangPython && s.is("*"):
			s.i++
			a.star = 1
		case s.lang == LangPython && s.is("**"):
			s.i++
			a.star = 2
		case s.lang == LangPython && s.peek().kind == tIdent && s.isAt(1, "="):
			a.name = s.peek().text
			s.i += 2
		}
		a.v = s.expr()
		if s.lang == LangPython && s.is("for") { // generator argument
			s.i = close
			break
		}
		args = append(args, a)
		if s.i == before {
			s.i++
		}
		if s.i < close && !s.is(",") {
			// something the parser did not understand: skip to the next argument
			for s.i < close && !s.is(",") {
				if s.is("(") || s.is("[") || s.is("{") {
					s.skipBalanced()
					continue
				}
				s.i++
			}
		}
	}
	s.i = min(close+1, len(s.toks))
	return args
}

// ---- Python ----

var pyBinPrec = map[string]int{
	"|": 5, "^": 6, "&": 7, "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "//": 10, "%": 10, "@": 10, "**": 12,
	"<": 4, ">": 4, "==": 4, ">=": 4, "<=": 4, "!=": 4, "in": 4, "is": 4, "not": 4,
}

func (s *scan) pyExpr() *node {
	start := s.peek().s
	if s.is("lambda") {
		s.i++
		for !s.is(":") && !s.atExprEnd() {
			s.i++
		}
		s.accept(":")
		s.expr()
		return s.mk(nFunc, start)
	}
	a := s.pyOr()
	if s.is("if") && !s.peek().nl {
		s.i++
		test := s.pyOr()
		if s.accept("else") {
			b := s.expr()
			n := s.mk(nCond, start)
			n.x, n.a, n.b = test, a, b
			return n
		}
		return a
	}
	if s.is(":=") {
		s.i++
		return s.expr()
	}
	return a
}

func (s *scan) pyOr() *node {
	start := s.peek().s
	left := s.pyAnd()
	for s.is("or") {
		s.i++
		right := s.pyAnd()
		n := s.mk(nOr, start)
		n.a, n.b = left, right
		left = n
	}
	return left
}

func (s *scan) pyAnd() *node {
	start := s.peek().s
	left := s.pyNot()
	for s.is("and") {
		s.i++
		right := s.pyNot()
		n := s.mk(nAnd, start)
		n.a, n.b = left, right
		left = n
	}
	return left
}

func (s *scan) pyNot() *node {
	start := s.peek().s
	if s.is("not") {
		s.i++
		s.pyNot()
		return s.mk(nUnknown, start)
	}
	return s.pyBinary(0)
}

func (s *scan) pyBinary(minPrec int) *node {
	start := s.peek().s
	left := s.pyUnary()
	for {
		t := s.peek()
		if t.kind != tPunct && !(t.kind == tIdent && (t.text == "in" || t.text == "is" || t.text == "not" && s.isAt(1, "in"))) {
			return left
		}
		prec, ok := pyBinPrec[t.text]
		if !ok || prec <= minPrec {
			return left
		}
		op := t.text
		s.i++
		if op == "not" || op == "is" {
			s.accept("in")
			s.accept("not")
		}
		if op == "**" {
			prec-- // right-associative
		}
		right := s.pyBinary(prec)
		n := s.mk(nBin, start)
		n.name, n.a, n.b = op, left, right
		left = n
	}
}

func (s *scan) pyUnary() *node {
	start := s.peek().s
	if s.is("-") || s.is("+") || s.is("~") {
		s.i++
		x := s.pyUnary()
		if x.kind == nNum {
			return x
		}
		return s.mk(nUnknown, start)
	}
	if s.is("await") {
		s.i++
		return s.pyUnary()
	}
	if s.is("yield") {
		s.i++
		s.accept("from")
		if s.atExprEnd() {
			return s.mk(nUnknown, start)
		}
		return s.expr()
	}
	return s.pyPostfix(s.pyPrimary())
}

func (s *scan) pyPrimary() *node {
	start := s.peek().s
	t := s.peek()
	switch t.kind {
	case tStr:
		// adjacent literals concatenate: "a" "b", f"{x}" ":"
		st := &strTok{}
		for s.peek().kind == tStr {
			st.parts = append(st.parts, s.peek().str.parts...)
			s.i++
		}
		n := s.mk(nStr, start)
		n.str = st
		return n
	case tNum:
		s.i++
		n := s.mk(nNum, start)
		n.name = t.text
		return n
	case tIdent:
		s.i++
		switch t.text {
		case "None", "True", "False":
			n := s.mk(nConst, start)
			n.name = t.text
			return n
		}
		n := s.mk(nName, start)
		n.name = t.text
		return n
	case tPunct:
		switch t.text {
		case "(":
			close := s.matchIndex(s.i)
			s.i++
			var elems []*node
			comma := false
			for s.i < close {
				if s.accept(",") {
					comma = true
					continue
				}
				s.accept("*")
				before := s.i
				elems = append(elems, s.expr())
				if s.is("for") || s.i == before {
					s.i = close
					elems = nil
					break
				}
			}
			s.i = min(close+1, len(s.toks))
			if len(elems) == 1 && !comma {
				return elems[0]
			}
			n := s.mk(nList, start)
			n.elems = elems
			return n
		case "[":
			close := s.matchIndex(s.i)
			s.i++
			n := &node{kind: nList, s: start, blk: s.blk}
			for s.i < close {
				if s.accept(",") {
					continue
				}
				s.accept("*")
				before := s.i
				n.elems = append(n.elems, s.expr())
				if s.is("for") || s.i == before {
					n.kind = nUnknown
					s.i = close
				}
			}
			s.i = min(close+1, len(s.toks))
			n.e = s.prevEnd()
			return n
		case "{":
			close := s.matchIndex(s.i)
			s.i++
			n := &node{kind: nDict, s: start, blk: s.blk}
			for s.i < close {
				if s.accept(",") {
					continue
				}
				before := s.i
				if s.accept("**") {
					n.props = append(n.props, prop{spread: true, v: s.expr()})
					continue
				}
				k := s.expr()
				if s.accept(":") {
					v := s.expr()
					p := prop{v: v}
					if k.kind == nStr {
						p.key, p.keyKnown = strText(k.str), true
					}
					n.props = append(n.props, p)
				}
				if s.is("for") || s.i == before {
					n.kind = nUnknown
					s.i = close
				}
			}
			s.i = min(close+1, len(s.toks))
			n.e = s.prevEnd()
			return n
		}
	}
	s.i++
	return s.mk(nUnknown, start)
}

func (s *scan) pyPostfix(n *node) *node {
	for {
		switch {
		case s.is("."):
			s.i++
			t := s.peek()
			if t.kind != tIdent {
				return n
			}
			s.i++
			n = &node{kind: nAttr, s: n.s, e: t.e, x: n, name: t.text, blk: s.blk}
		case s.is("("):
			c := &node{kind: nCall, s: n.s, x: n, blk: s.blk}
			c.args = s.callArgs()
			c.e = s.prevEnd()
			n = c
		case s.is("["):
			close := s.matchIndex(s.i)
			s.i++
			idx := s.expr()
			s.i = min(close+1, len(s.toks))
			n = &node{kind: nIndex, s: n.s, e: s.prevEnd(), x: n, a: idx, blk: s.blk}
		default:
			return n
		}
	}
}

// strText returns a string token's text with embedded expressions as "…".
func strText(st *strTok) string {
	if st == nil {
		return ""
	}
	if len(st.parts) == 1 && !st.parts[0].expr {
		return st.parts[0].lit
	}
	var b []byte
	for _, p := range st.parts {
		if p.expr {
			b = append(b, "…"...)
		} else {
			b = append(b, p.lit...)
		}
	}
	return string(b)
}
