package mcpmodel

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// parseYAML parses the first YAML document of data with go.yaml.in/yaml/v4
// and converts it, locating each scalar (see locate).
func parseYAML(data []byte, ix *lineIndex) (*node, error) {
	if bytes.HasPrefix(data, []byte("\xfe\xff")) || bytes.HasPrefix(data, []byte("\xff\xfe")) {
		return nil, &SyntaxError{Format: FormatYAML, Line: 1, Column: 1, Msg: "UTF-16 YAML is not supported"}
	}
	y := &yamlConv{data: data, ix: ix, lines: yamlLines(data), budget: len(data) + aliasExtra}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, y.error(err)
	}
	return y.convert(&doc, 0)
}

// yamlConv converts a yaml.Node tree.
type yamlConv struct {
	data   []byte
	ix     *lineIndex
	lines  []int // byte offset of each libyaml line's first byte
	budget int   // nodes left to convert (aliases can repeat a subtree)
	// The last answer of offset.
	cLine, cCol, cOff int
	// located remembers the span of each scalar, which aliases visit again.
	located map[*yaml.Node][2]int
}

// yamlLines returns the offsets where libyaml's lines start. A leading
// UTF-8 byte-order mark is not part of line 1 for libyaml.
func yamlLines(data []byte) []int {
	i := 0
	if bytes.HasPrefix(data, utf8BOM) {
		i = 3
	}
	starts := []int{i}
	for i < len(data) {
		if n := yamlBreak(data, i); n > 0 {
			i += n
			starts = append(starts, i)
			continue
		}
		i++
	}
	return starts
}

// yamlBreak returns the length of the line break at data[i] (CRLF, CR, LF,
// NEL, LS or PS), or 0.
func yamlBreak(data []byte, i int) int {
	switch c := data[i]; {
	case c == '\r':
		if i+1 < len(data) && data[i+1] == '\n' {
			return 2
		}
		return 1
	case c == '\n':
		return 1
	case c == 0xc2 && i+1 < len(data) && data[i+1] == 0x85:
		return 2
	case c == 0xe2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9):
		return 3
	}
	return 0
}

// yamlSpace returns the length of the blank or line break at s[i], or 0.
func yamlSpace[T string | []byte](s T, i int) int {
	switch c := s[i]; {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		return 1
	case c == 0xc2 && i+1 < len(s) && s[i+1] == 0x85:
		return 2
	case c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9):
		return 3
	}
	return 0
}

// offset returns the byte offset of libyaml's 1-based line and code-point
// column. It walks from the last answer when that is on the same line, so
// that a long line of many values costs linear time.
func (y *yamlConv) offset(line, col int) (int, bool) {
	if line < 1 || line > len(y.lines) || col < 1 {
		return 0, false
	}
	off, c := y.lines[line-1], 1
	if line == y.cLine && (col >= y.cCol || y.cCol-col < col) {
		off, c = y.cOff, y.cCol
	}
	for ; c > col; c-- { // back on the same line
		_, w := utf8.DecodeLastRune(y.data[:off])
		off -= w
	}
	for ; c < col; c++ {
		if off >= len(y.data) || yamlBreak(y.data, off) > 0 {
			return 0, false
		}
		_, w := utf8.DecodeRune(y.data[off:])
		off += w
	}
	y.cLine, y.cCol, y.cOff = line, col, off
	return off, true
}

// error turns the library's error into a SyntaxError.
func (y *yamlConv) error(err error) error {
	var le *yaml.LoadError
	if errors.As(err, &le) {
		mark := le.Mark
		if mark.Line == 0 {
			mark = le.ContextMark
		}
		if off, ok := y.offset(mark.Line, max(mark.Column, 1)); ok {
			return syntaxErrorAt(y.ix, FormatYAML, off, le.Message, err)
		}
		if mark.Line >= 1 && mark.Line <= len(y.lines) {
			return syntaxErrorAt(y.ix, FormatYAML, y.lines[mark.Line-1], le.Message, err)
		}
		return &SyntaxError{Format: FormatYAML, Msg: le.Message, Err: err}
	}
	return &SyntaxError{Format: FormatYAML, Msg: err.Error(), Err: err}
}

func (y *yamlConv) unlocatable(n *yaml.Node) error {
	off, _ := y.offset(n.Line, n.Column)
	return syntaxErrorAt(y.ix, FormatYAML, off, "cannot locate the text of this value exactly", nil)
}

// convert converts n, following aliases (within the node budget) and
// applying merge keys.
func (y *yamlConv) convert(n *yaml.Node, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, y.syntaxAt(n, fmt.Sprintf("nested deeper than %d levels (or an alias cycle)", maxDepth))
	}
	if y.budget--; y.budget < 0 {
		return nil, y.syntaxAt(n, "aliases expand to too many values")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return &node{kind: kNull}, nil
		}
		return y.convert(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return &node{kind: kNull}, nil
		}
		return y.convert(n.Alias, depth+1)
	case yaml.ScalarNode:
		k := kString
		switch n.ShortTag() {
		case "!!null":
			return &node{kind: kNull}, nil
		case "!!int", "!!float":
			k = kNumber
		case "!!bool":
			k = kBool
		case "!!timestamp":
			k = kDate
		}
		start, end, err := y.locate(n)
		if err != nil {
			return nil, err
		}
		return &node{kind: k, text: n.Value, start: start, end: end}, nil
	case yaml.SequenceNode:
		out := &node{kind: kArray, elems: make([]*node, 0, len(n.Content))}
		for _, c := range n.Content {
			e, err := y.convert(c, depth+1)
			if err != nil {
				return nil, err
			}
			out.elems = append(out.elems, e)
		}
		return out, nil
	case yaml.MappingNode:
		return y.mapping(n, depth)
	}
	return &node{kind: kNull}, nil
}

// mapping converts a mapping. Members of maps merged in with "<<" follow
// the mapping's own members, except those it overrides. Keys that are not
// scalars are skipped.
func (y *yamlConv) mapping(n *yaml.Node, depth int) (*node, error) {
	out := &node{kind: kObject, members: make([]member, 0, len(n.Content)/2)}
	var merged []member
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := y.deref(n.Content[i]), n.Content[i+1]
		if k == nil || k.Kind != yaml.ScalarNode {
			continue
		}
		if k.ShortTag() == "!!merge" {
			var err error
			if merged, err = y.merge(merged, v, depth); err != nil {
				return nil, err
			}
			continue
		}
		ks, ke, err := y.locate(k)
		if err != nil {
			return nil, err
		}
		val, err := y.convert(v, depth+1)
		if err != nil {
			return nil, err
		}
		out.members = append(out.members, member{key: k.Value, kstart: ks, kend: ke, val: val})
	}
	for _, m := range merged {
		if out.get(m.key) == nil {
			out.members = append(out.members, m)
		}
	}
	return out, nil
}

// merge appends the members of the mapping (or mappings) v names to dst.
func (y *yamlConv) merge(dst []member, v *yaml.Node, depth int) ([]member, error) {
	v = y.deref(v)
	if v == nil {
		return dst, nil
	}
	srcs := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		srcs = v.Content
	}
	for _, s := range srcs {
		m, err := y.convert(s, depth+1)
		if err != nil {
			return nil, err
		}
		if m.kind == kObject {
			dst = append(dst, m.members...)
		}
	}
	return dst, nil
}

// deref follows alias n to its anchored node (a bounded number of steps).
func (y *yamlConv) deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func (y *yamlConv) syntaxAt(n *yaml.Node, msg string) error {
	off, _ := y.offset(n.Line, n.Column)
	return syntaxErrorAt(y.ix, FormatYAML, off, msg, nil)
}

// locate returns the byte span of scalar n's text (see Pos).
func (y *yamlConv) locate(n *yaml.Node) (int, int, error) {
	if sp, ok := y.located[n]; ok {
		return sp[0], sp[1], nil
	}
	start, end, err := y.locateText(n)
	if err == nil {
		if y.located == nil {
			y.located = make(map[*yaml.Node][2]int)
		}
		y.located[n] = [2]int{start, end}
	}
	return start, end, err
}

// locateText finds the span of scalar n's text in the file.
func (y *yamlConv) locateText(n *yaml.Node) (int, int, error) {
	d := y.data
	off, ok := y.offset(n.Line, n.Column)
	if !ok {
		return 0, 0, y.unlocatable(n)
	}
	propsEnd, off := y.skipProperties(off)
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		if off >= len(d) || d[off] != '"' {
			return 0, 0, y.unlocatable(n)
		}
		for i := off + 1; i < len(d); i++ {
			switch d[i] {
			case '\\':
				i++
			case '"':
				return off + 1, i, nil
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		if off >= len(d) || d[off] != '\'' {
			return 0, 0, y.unlocatable(n)
		}
		for i := off + 1; i < len(d); i++ {
			if d[i] == '\'' {
				if i+1 < len(d) && d[i+1] == '\'' {
					i++
					continue
				}
				return off + 1, i, nil
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		if off >= len(d) || d[off] != '|' && d[off] != '>' {
			return 0, 0, y.unlocatable(n)
		}
		// The content starts on the line after the header.
		i := off
		for i < len(d) && yamlBreak(d, i) == 0 {
			i++
		}
		if start, end, ok := align(d, i, n.Value); ok {
			return start, end, nil
		}
	default:
		if n.Value == "" { // right after its anchor or tag, if any
			return propsEnd, propsEnd, nil
		}
		if start, end, ok := align(d, off, n.Value); ok && start == off {
			return start, end, nil
		}
	}
	return 0, 0, y.unlocatable(n)
}

// skipProperties skips the anchor and tag at off, and the blanks, line
// breaks and comments after each. It returns the offset just after the
// last property (off if none) and the offset of what follows.
func (y *yamlConv) skipProperties(off int) (propsEnd, next int) {
	d := y.data
	propsEnd = off
	for off < len(d) && (d[off] == '&' || d[off] == '!') {
		if d[off] == '!' && off+1 < len(d) && d[off+1] == '<' {
			j := bytes.IndexByte(d[off:], '>')
			if j < 0 {
				return off, off
			}
			off += j + 1
		} else {
			for off < len(d) && yamlSpace(d, off) == 0 && strings.IndexByte(",[]{}", d[off]) < 0 {
				off++
			}
		}
		propsEnd = off
		for off < len(d) {
			if n := yamlSpace(d, off); n > 0 {
				off += n
			} else if d[off] == '#' {
				for off < len(d) && yamlBreak(d, off) == 0 {
					off++
				}
			} else {
				break
			}
		}
	}
	return propsEnd, off
}

// align matches decoded plain or block scalar val against the raw text
// from off: every run of blanks and line breaks in val (folding, line
// breaks, indentation) stands for a run in the raw text, everything else
// must be the same bytes. It returns the span from the first to just after
// the last non-blank character; leading raw blanks are skipped.
func align(d []byte, off int, val string) (start, end int, ok bool) {
	i, last := 0, len(val)
	for i < last && yamlSpace(val, i) > 0 {
		i += yamlSpace(val, i)
	}
	for last > i {
		w := 0
		for _, n := range []int{3, 2, 1} { // the blank that ends at last, whole
			if last-n >= i && yamlSpace(val, last-n) == n {
				w = n
				break
			}
		}
		if w == 0 {
			break
		}
		last -= w
	}
	j := off
	for j < len(d) && yamlSpace(d, j) > 0 {
		j += yamlSpace(d, j)
	}
	start = j
	if i == last {
		return off, off, true
	}
	for i < last {
		if w := yamlSpace(val, i); w > 0 {
			for i < last && yamlSpace(val, i) > 0 {
				i += yamlSpace(val, i)
			}
			if j >= len(d) || yamlSpace(d, j) == 0 {
				return 0, 0, false
			}
			for j < len(d) && yamlSpace(d, j) > 0 {
				j += yamlSpace(d, j)
			}
			continue
		}
		if j >= len(d) || d[j] != val[i] {
			return 0, 0, false
		}
		i++
		j++
	}
	return start, j, true
}
