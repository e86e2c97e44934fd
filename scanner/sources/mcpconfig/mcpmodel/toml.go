package mcpmodel

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/pelletier/go-toml/v2/unstable"
)

// parseTOML parses TOML with go-toml's unstable parser, whose nodes carry
// the byte range of every key and value, and builds the document's tables
// from its expressions ([table], [[array.of.tables]], dotted keys, inline
// tables). The parser checks the syntax; the rules beyond it (a key
// defined twice, a table reopened, a key both a value and a table) are
// not enforced: like duplicate keys in JSON and YAML, every definition is
// kept in file order, so that what a client would reject is still
// modeled. (go-toml's decoder, which does enforce them, takes time
// quadratic in the number of sibling tables.) A leading UTF-8 byte-order
// mark is read as whitespace.
func parseTOML(data []byte, ix *lineIndex) (*node, error) {
	src := data
	if bytes.HasPrefix(data, utf8BOM) {
		src = bytes.Clone(data)
		copy(src, "   ")
	}
	t := &tomlConv{src: src}
	var p unstable.Parser
	p.Reset(src)
	root := &node{kind: kObject}
	cur := root
	for p.NextExpression() {
		e := p.Expression()
		var err error
		switch e.Kind {
		case unstable.KeyValue:
			err = t.keyValue(cur, e, 0)
		case unstable.Table:
			cur, err = t.table(root, e, false)
		case unstable.ArrayTable:
			cur, err = t.table(root, e, true)
		}
		if err != nil {
			return nil, &SyntaxError{Format: FormatTOML, Msg: err.Error()}
		}
	}
	if err := p.Error(); err != nil {
		var pe *unstable.ParserError
		if errors.As(err, &pe) {
			if off, ok := subsliceOffset(src, pe.Highlight); ok {
				return nil, syntaxErrorAt(ix, FormatTOML, off, pe.Message, err)
			}
			return nil, &SyntaxError{Format: FormatTOML, Msg: pe.Message, Err: err}
		}
		return nil, &SyntaxError{Format: FormatTOML, Msg: err.Error(), Err: err}
	}
	return root, nil
}

// subsliceOffset returns the offset of h in src, which h is a subslice of.
func subsliceOffset(src, h []byte) (int, bool) {
	if h == nil {
		return 0, false
	}
	off := cap(src) - cap(h)
	if off < 0 || off > len(src) {
		return 0, false
	}
	return off, true
}

// tomlConv builds the document tree.
type tomlConv struct {
	src []byte
}

// span returns the byte span of r, inside the quotes of a quoted string or
// key (three quotes for multi-line strings).
func (t *tomlConv) span(r unstable.Range) (int, int) {
	start, end := int(r.Offset), int(r.Offset)+int(r.Length)
	if start >= end || end > len(t.src) {
		return start, start
	}
	raw := t.src[start:end]
	q := 0
	switch {
	case bytes.HasPrefix(raw, []byte(`"""`)) || bytes.HasPrefix(raw, []byte(`'''`)):
		q = 3
	case raw[0] == '"' || raw[0] == '\'':
		q = 1
	}
	if end-start < 2*q {
		return start, start
	}
	return start + q, end - q
}

// keyParts returns the parts of a (dotted) key.
func keyParts(it unstable.Iterator) []*unstable.Node {
	var parts []*unstable.Node
	for it.Next() {
		parts = append(parts, it.Node())
	}
	return parts
}

// child returns the table named by key part k in obj (for an array of
// tables, its last table), creating it as an implicit table if there is
// none or if the key holds something else.
func (t *tomlConv) child(obj *node, k *unstable.Node) *node {
	key := string(k.Data)
	if i, ok := obj.index[key]; ok {
		c := obj.members[i].val
		if c.kind == kArray && len(c.elems) > 0 {
			c = c.elems[len(c.elems)-1]
		}
		if c.kind == kObject {
			return c
		}
	}
	ks, ke := t.span(k.Raw)
	c := &node{kind: kObject, start: ks, end: ke}
	t.add(obj, key, ks, ke, c)
	return c
}

// add appends a member to obj.
func (t *tomlConv) add(obj *node, key string, ks, ke int, val *node) {
	if obj.index == nil {
		obj.index = make(map[string]int)
	}
	obj.index[key] = len(obj.members)
	obj.members = append(obj.members, member{key: key, kstart: ks, kend: ke, val: val})
}

// table handles a [table] or [[array.of.tables]] header and returns the
// table that the following key/value pairs go in.
func (t *tomlConv) table(root *node, e *unstable.Node, array bool) (*node, error) {
	parts := keyParts(e.Key())
	if len(parts) == 0 {
		return nil, errors.New("table without a name")
	}
	cur := root
	for _, k := range parts[:len(parts)-1] {
		cur = t.child(cur, k)
	}
	last := parts[len(parts)-1]
	if !array {
		return t.child(cur, last), nil
	}
	key := string(last.Data)
	ks, ke := t.span(last.Raw)
	var arr *node
	if i, ok := cur.index[key]; ok && cur.members[i].val.kind == kArray {
		arr = cur.members[i].val
	} else {
		arr = &node{kind: kArray, start: ks, end: ke}
		t.add(cur, key, ks, ke, arr)
	}
	tbl := &node{kind: kObject, start: ks, end: ke}
	arr.elems = append(arr.elems, tbl)
	return tbl, nil
}

// keyValue adds key/value expression e to table obj.
func (t *tomlConv) keyValue(obj *node, e *unstable.Node, depth int) error {
	parts := keyParts(e.Key())
	if len(parts) == 0 {
		return errors.New("key/value without a key")
	}
	cur := obj
	for _, k := range parts[:len(parts)-1] {
		cur = t.child(cur, k)
	}
	val, err := t.value(e.Value(), depth+1)
	if err != nil {
		return err
	}
	last := parts[len(parts)-1]
	ks, ke := t.span(last.Raw)
	t.add(cur, string(last.Data), ks, ke, val)
	return nil
}

// value converts a value node.
func (t *tomlConv) value(v *unstable.Node, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nested deeper than %d levels", maxDepth)
	}
	start, end := t.span(v.Raw)
	switch v.Kind {
	case unstable.String:
		return &node{kind: kString, text: string(v.Data), start: start, end: end}, nil
	case unstable.Bool:
		return &node{kind: kBool, text: string(v.Data), start: start, end: end}, nil
	case unstable.Integer, unstable.Float:
		return &node{kind: kNumber, text: string(v.Data), start: start, end: end}, nil
	case unstable.LocalDate, unstable.LocalTime, unstable.LocalDateTime, unstable.DateTime:
		return &node{kind: kDate, text: string(v.Data), start: start, end: end}, nil
	case unstable.Array:
		n := &node{kind: kArray, start: start, end: end}
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			e, err := t.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, e)
		}
		return n, nil
	case unstable.InlineTable:
		n := &node{kind: kObject, start: start, end: end}
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind != unstable.KeyValue {
				continue
			}
			if err := t.keyValue(n, c, depth+1); err != nil {
				return nil, err
			}
		}
		return n, nil
	}
	return &node{kind: kNull}, nil
}
