package bindcheck

import (
	"fmt"
	"strings"
)

// The value model shared by the three languages: an expression evaluates
// to a few alternatives (vals), each a string made of known and unknown
// pieces, a number, None/null, or something opaque. A host is an
// every-interface bind when one alternative is an every-interface address:
// an environment variable's default counts, because it is what runs when
// nobody sets the variable.

// vkind is what a value is.
type vkind int

const (
	vUnknown vkind = iota // anything not followed: a call result, a param without default
	vStr                  // a string (segs)
	vNum                  // a number
	vNone                 // None, null, undefined, nil
	vBool                 // true/false
	vObj                  // a dict/object literal or a struct literal (see obj)
	vList                 // a list/tuple/array literal (see list)
	vCLI                  // the result of a CLI parser (argparse's parse_args(), commander's opts())
	vInst                 // an instance of a class defined in the file (see class)
)

// seg is one piece of a string: known text, or an unknown part.
type seg struct {
	lit   string
	known bool
}

// val is one alternative value of an expression.
type val struct {
	kind vkind
	segs []seg
	// src names where the value was written when it was not at the place
	// it is used: "HOST env default", "HOST", "--host default"; srcLine is
	// the line. Empty src: a literal at the use.
	src     string
	srcLine int
	// env is the environment variable an unknown value was read from.
	env string
	// param marks a function parameter's value (forwarded from a caller).
	param bool
	// covered marks an env read that a fallback (||, ??, or) replaces
	// when the variable is unset.
	covered bool
	// obj and list hold a literal container for member and index lookups;
	// class names a class for vInst. Their meaning is the language's.
	obj   any
	list  []any
	class string
}

// maxAlts bounds the alternatives of one expression.
const maxAlts = 8

// maxSteps bounds the evaluation work spent on one sink (expressions and
// declarations visited); past it, values are unknown. It keeps
// adversarial files (thousands of self-referencing assignments) linear.
const maxSteps = 20_000

func unknownVal() val        { return val{kind: vUnknown} }
func strVal(s string) val    { return val{kind: vStr, segs: []seg{{lit: s, known: true}}} }
func envVal(name string) val { return val{kind: vUnknown, env: name} }

// str returns the value's text when it is a fully known string.
func (v val) str() (string, bool) {
	if v.kind != vStr {
		return "", false
	}
	var b strings.Builder
	for _, s := range v.segs {
		if !s.known {
			return "", false
		}
		b.WriteString(s.lit)
	}
	return b.String(), true
}

// withSrc returns vs with src set, on the line given, where it was empty
// (a literal reached through a variable takes the variable's name).
func withSrc(vs []val, src string, line int) []val {
	out := make([]val, len(vs))
	for i, v := range vs {
		if v.src == "" && (v.kind == vStr || v.kind == vNone) {
			v.src, v.srcLine = src, line
		}
		out[i] = v
	}
	return out
}

// union appends b's alternatives to a, up to maxAlts.
func union(a, b []val) []val {
	for _, v := range b {
		if len(a) >= maxAlts {
			break
		}
		a = append(a, v)
	}
	return a
}

// concat returns the alternatives of a followed by b (string
// concatenation); non-string parts become unknown pieces.
func concat(a, b []val) []val {
	if len(a) == 0 {
		a = []val{unknownVal()}
	}
	if len(b) == 0 {
		b = []val{unknownVal()}
	}
	var out []val
	for _, x := range a {
		for _, y := range b {
			if len(out) >= maxAlts {
				return out
			}
			v := val{kind: vStr, src: x.src, srcLine: x.srcLine}
			if v.src == "" {
				v.src, v.srcLine = y.src, y.srcLine
			}
			v.segs = append(append([]seg(nil), x.asSegs()...), y.asSegs()...)
			out = append(out, v)
		}
	}
	return out
}

// asSegs returns the value as string pieces: a string's own, one unknown
// piece for anything else.
func (v val) asSegs() []seg {
	if v.kind == vStr {
		return v.segs
	}
	return []seg{{}}
}

// orElse is a || b, a or b, and (with nullish) a ?? b: the alternatives of
// a that can be truthy, then b's when a can be falsy (unknown values, env
// reads, None, empty strings). A default met after an env read is
// labelled "NAME env default".
func orElse(a, b []val, nullish bool, line int) []val {
	var out []val
	falsy := len(a) == 0
	env := ""
	for _, v := range a {
		switch v.kind {
		case vNone:
			falsy = true
			continue
		case vBool:
			falsy = true
			continue
		case vStr:
			if s, ok := v.str(); ok && s == "" && !nullish {
				falsy = true
				continue
			}
		case vUnknown:
			falsy = true
			if v.env != "" {
				env = v.env
				v.covered = true
			}
		}
		out = append(out, v)
	}
	if !falsy {
		return out
	}
	if env != "" {
		b = withSrc(b, env+" env default", line)
	}
	return union(out, b)
}

// envDefault is the alternatives of an env read with a default: the
// unknown variable, and the default labelled "NAME env default".
func envDefault(name string, def []val, line int) []val {
	e := envVal(name)
	e.covered = true
	return union([]val{e}, withSrc(def, name+" env default", line))
}

// relabelEnv labels the literal alternatives of a variable assigned both a
// literal and an env read ("addr := ":8080"; if v := os.Getenv("ADDR") …
// addr = v") as that variable's env default.
func relabelEnv(vs []val, line int) []val {
	env := ""
	for _, v := range vs {
		if v.kind == vUnknown && v.env != "" {
			env = v.env
		}
	}
	if env == "" {
		return vs
	}
	for i := range vs {
		if vs[i].kind == vStr && (vs[i].src == "" || !strings.Contains(vs[i].src, "default")) {
			vs[i].src = env + " env default"
			if vs[i].srcLine == 0 {
				vs[i].srcLine = line
			}
		}
	}
	return vs
}

// sprintf evaluates a printf-style format with its arguments' alternatives:
// each verb becomes the argument's text when it is one known string, an
// unknown piece otherwise.
func sprintf(format []val, args [][]val) []val {
	// An argument with several alternatives multiplies the results (up to
	// maxAlts): run once per combination of the first multi-valued one.
	for i, a := range args {
		if len(a) > 1 {
			var out []val
			for _, alt := range a {
				next := append([][]val(nil), args...)
				next[i] = []val{alt}
				out = union(out, sprintf(format, next))
			}
			return out
		}
	}
	var out []val
	for _, f := range format {
		fs, ok := f.str()
		if !ok {
			out = append(out, unknownVal())
			continue
		}
		v := val{kind: vStr, src: f.src, srcLine: f.srcLine}
		ai := 0
		var lit strings.Builder
		flush := func() {
			if lit.Len() > 0 {
				v.segs = append(v.segs, seg{lit: lit.String(), known: true})
				lit.Reset()
			}
		}
		for i := 0; i < len(fs); i++ {
			c := fs[i]
			if c != '%' {
				lit.WriteByte(c)
				continue
			}
			if i+1 < len(fs) && fs[i+1] == '%' {
				lit.WriteByte('%')
				i++
				continue
			}
			// skip flags, width, precision, up to the verb letter
			j := i + 1
			for j < len(fs) && strings.IndexByte("+-# 0123456789.*[]", fs[j]) >= 0 {
				j++
			}
			if j < len(fs) && fs[j] == '(' { // Python %(name)s
				for j < len(fs) && fs[j] != ')' {
					j++
				}
				j++
				for j < len(fs) && strings.IndexByte("+-# 0123456789.*", fs[j]) >= 0 {
					j++
				}
			}
			flush()
			var arg []val
			if ai < len(args) {
				arg = args[ai]
			}
			ai++
			if len(arg) == 1 {
				if s, ok := arg[0].str(); ok {
					v.segs = append(v.segs, seg{lit: s, known: true})
					if v.src == "" {
						v.src, v.srcLine = arg[0].src, arg[0].srcLine
					}
				} else {
					v.segs = append(v.segs, seg{})
				}
			} else {
				v.segs = append(v.segs, seg{})
			}
			i = j
		}
		flush()
		out = append(out, v)
		if len(out) >= maxAlts {
			break
		}
	}
	return out
}

// addrHost splits a host:port address value and returns its host when
// the host part is fully known. ok is false when the value is not an
// address (no colon before a port) or its host is unknown.
func addrHost(v val) (host string, ok bool) {
	if v.kind != vStr {
		return "", false
	}
	// Flatten, with unknown pieces as \x00.
	var b strings.Builder
	for _, s := range v.segs {
		if s.known {
			b.WriteString(s.lit)
		} else {
			b.WriteByte(0)
		}
	}
	t := b.String()
	if i := strings.Index(t, "://"); i >= 0 { // a URL: not a listen address
		return "", false
	}
	if strings.HasPrefix(t, "[") {
		end := strings.IndexByte(t, ']')
		if end < 0 || strings.IndexByte(t[:end], 0) >= 0 {
			return "", false
		}
		rest := t[end+1:]
		if rest != "" && !strings.HasPrefix(rest, ":") {
			return "", false
		}
		return t[1:end], true
	}
	i := strings.LastIndexByte(t, ':')
	if i < 0 {
		return "", false
	}
	port := t[i+1:]
	for _, c := range []byte(port) {
		if !(c >= '0' && c <= '9' || c == 0 || c >= 'a' && c <= 'z') {
			return "", false
		}
	}
	h := t[:i]
	if strings.IndexByte(h, 0) >= 0 {
		return "", false
	}
	if strings.Count(h, ":") > 0 { // bare IPv6 without brackets: "::" then ":port" is ambiguous
		if h == ":" || h == "::" {
			return "::", true
		}
		return "", false
	}
	return h, true
}

// origin renders a value's source as Bind.Origin, with the line to put in
// Bind.OriginLine (0: the call's).
func origin(v val) (string, int) {
	if v.src == "" {
		return "literal", 0
	}
	return fmt.Sprintf("host from %s on line %d", v.src, v.srcLine), v.srcLine
}
