package jsonloc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// reference answers the same question as Locate with encoding/json's
// tokenizer, holding the whole input in memory. It is the oracle of the
// differential tests: ok is false when encoding/json rejects the first
// value.
func reference(data []byte, offsets []int64, opt Options) (ts []Target, ok bool) {
	maxVal, maxDepth := opt.MaxValueLen, opt.MaxDepth
	if maxVal <= 0 {
		maxVal = DefaultMaxValueLen
	}
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	capture := map[string]bool{}
	for _, c := range opt.Capture {
		capture[c] = true
	}
	type lev struct {
		obj       bool
		key       string // cut, with Ellipsis
		keyCut    bool
		index     int // index of the current element, -1 before the first
		expectKey bool
		frame     *Frame
	}
	ts = make([]Target, len(offsets))
	for i, o := range offsets {
		ts[i].Offset = o
	}
	byOffset := make([]int, len(ts))
	for i := range byOffset {
		byOffset[i] = i
	}
	sort.SliceStable(byOffset, func(a, b int) bool { return ts[byOffset[a]].Offset < ts[byOffset[b]].Offset })
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []*lev
	component := func(p *lev) string {
		if !p.obj {
			return "[" + strconv.Itoa(p.index) + "]"
		}
		if isIdentRef(p.key) {
			return "." + p.key
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(p.key); err != nil {
			panic(err)
		}
		return "[" + strings.TrimSuffix(b.String(), "\n") + "]"
	}
	describe := func() (string, []*Frame) {
		kept := min(len(stack), maxDepth)
		var frames []*Frame
		var path string
		for i := 0; i < kept; i++ {
			frames = append(frames, stack[i].frame)
			if i > 0 {
				path += component(stack[i-1])
			}
		}
		if len(stack) > maxDepth {
			path += Ellipsis
		} else if len(stack) > 0 {
			path += component(stack[len(stack)-1])
		}
		return strings.TrimPrefix(path, "."), frames
	}
	// value is called when a value starts; it returns the parent and the
	// capture key that applies to a scalar value.
	value := func() (parent *lev, capOK bool) {
		if len(stack) == 0 {
			return nil, false
		}
		p := stack[len(stack)-1]
		if p.obj {
			p.expectKey = true
			return p, !p.keyCut && capture[p.key] && len(stack) <= maxDepth
		}
		p.index++
		return p, false
	}
	setField := func(p *lev, v string) {
		if p.frame.Fields == nil {
			p.frame.Fields = map[string]string{}
		}
		p.frame.Fields[p.key] = v
	}
	for {
		prev := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return ts, false
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				p, _ := value()
				f := &Frame{Index: -1}
				if p != nil {
					if p.obj {
						f.Key = p.key
					} else {
						f.Index = p.index
					}
				}
				stack = append(stack, &lev{obj: v == '{', index: -1, expectKey: true, frame: f})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			start := int(prev)
			for data[start] != '"' {
				start++
			}
			end := int(dec.InputOffset()) - 1
			inKey := len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].expectKey
			var p *lev
			capOK := false
			if inKey {
				p = stack[len(stack)-1]
				p.expectKey = false
				p.key, p.keyCut = cutRef(v, MaxKeyLen)
			} else {
				p, capOK = value()
			}
			var path string
			var frames []*Frame
			for _, i := range byOffset[sort.Search(len(byOffset), func(k int) bool { return ts[byOffset[k]].Offset >= int64(start) }):] {
				if o := ts[i].Offset; o > int64(end) {
					break
				} else if o >= int64(start) {
					if frames == nil {
						path, frames = describe()
						if frames == nil {
							frames = []*Frame{}
						}
					}
					ts[i].Found, ts[i].InKey, ts[i].Path = true, inKey, path
					ts[i].Frames = frames
				}
			}
			if capOK {
				cv, _ := cutRef(v, maxVal)
				setField(p, cv)
			}
		case json.Number:
			if p, capOK := value(); capOK {
				cv, _ := cutRef(string(v), maxVal)
				setField(p, cv)
			}
		case bool:
			if p, capOK := value(); capOK {
				setField(p, strconv.FormatBool(v))
			}
		case nil:
			value()
		default:
			panic(fmt.Sprintf("unexpected token %T", tok))
		}
		if len(stack) == 0 {
			break
		}
	}
	// Frames with no field captured have nil Fields, like Locate's.
	return ts, true
}

func cutRef(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + Ellipsis, true
}

func isIdentRef(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// sameTargets compares Locate's answers with the reference's, frames by
// value. It returns "" when they agree.
func sameTargets(got, want []Target) string {
	if len(got) != len(want) {
		return fmt.Sprintf("got %d targets, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Offset != w.Offset || g.Found != w.Found || g.InKey != w.InKey || g.Path != w.Path {
			return fmt.Sprintf("target %d: got %s, want %s", i, fmtTarget(g), fmtTarget(w))
		}
		if len(g.Frames) != len(w.Frames) {
			return fmt.Sprintf("target %d (%s): got %d frames, want %d", i, g.Path, len(g.Frames), len(w.Frames))
		}
		for j := range g.Frames {
			if s := sameFrame(g.Frames[j], w.Frames[j]); s != "" {
				return fmt.Sprintf("target %d (%s) frame %d: %s", i, g.Path, j, s)
			}
		}
	}
	return ""
}

func sameFrame(g, w *Frame) string {
	if g == nil || w == nil {
		return fmt.Sprintf("nil frame: got %v, want %v", g, w)
	}
	if g.Key != w.Key || g.Index != w.Index || len(g.Fields) != len(w.Fields) || (g.Fields == nil) != (w.Fields == nil) {
		return fmt.Sprintf("got %+v, want %+v", *g, *w)
	}
	for k, v := range w.Fields {
		if gv, ok := g.Fields[k]; !ok || gv != v {
			return fmt.Sprintf("got %+v, want %+v", *g, *w)
		}
	}
	return ""
}

func fmtTarget(t Target) string {
	return fmt.Sprintf("{Offset:%d Found:%v InKey:%v Path:%q}", t.Offset, t.Found, t.InKey, t.Path)
}
