package records

import (
	"bytes"
	"io"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Deep strings: JSON held in a JSON string held in a JSON string. Cline's
// UI message for an MCP call is {"text": "{…\"arguments\":\"{\\\"body\\\":…}\"}"}:
// a value of the innermost document ends, on disk, with three backslashes
// and a quote. The matcher decodes one level of escapes around a keyword
// hit, which leaves `\"` after a secret there, and rules that want a
// quote, blank or line end after a token (gitleaks' openai-api-key and
// generic rules) do not match. So while the matcher streams over a file,
// a watcher notes where `\\\"` occurs (a bytes.Index per chunk); after
// the pass, each string holding one is decoded, every level at once, and
// matched again as text. Its hits are mapped back to raw offsets and join
// the file's hits, to be located, opened (Nest) and deduplicated like any
// other.

// deepMarker is the on-disk end of a value three JSON levels down.
var deepMarker = []byte(`\\\"`)

// maxDeepMarks bounds the places noted per file.
const maxDeepMarks = 4096

// deepMark is a place of deepMarker: its raw offset, its 1-based line and
// the offset of that line's first byte.
type deepMark struct {
	off, lineStart int64
	line           int
}

// watcher passes bytes through, counting lines and noting deep markers.
type watcher struct {
	r         io.Reader
	off       int64 // raw offset of the next byte
	line      int
	lineStart int64
	tail      [3]byte // the last bytes seen, for a marker across reads
	ntail     int
	marks     []deepMark
}

func newWatcher(r io.Reader, start int64, line int) *watcher {
	return &watcher{r: r, off: start, line: max(line, 1), lineStart: start}
}

func (w *watcher) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	w.feed(p[:n])
	return n, err
}

func (w *watcher) feed(b []byte) {
	if len(b) == 0 {
		return
	}
	// A marker across the previous read's end.
	if w.ntail > 0 && len(w.marks) < maxDeepMarks {
		joined := append(append(make([]byte, 0, 3+len(deepMarker)), w.tail[:w.ntail]...), b[:min(len(b), len(deepMarker)-1)]...)
		if i := bytes.Index(joined, deepMarker); i >= 0 && i < w.ntail {
			w.marks = append(w.marks, deepMark{off: w.off - int64(w.ntail) + int64(i), line: w.line, lineStart: w.lineStart})
		}
	}
	pos := 0 // b[:pos] has had its newlines counted
	for search := 0; len(w.marks) < maxDeepMarks; {
		i := bytes.Index(b[search:], deepMarker)
		if i < 0 {
			break
		}
		at := search + i
		w.count(b, pos, at)
		pos = at
		w.marks = append(w.marks, deepMark{off: w.off + int64(at), line: w.line, lineStart: w.lineStart})
		search = at + len(deepMarker)
	}
	w.count(b, pos, len(b))
	// Keep the stream's last three bytes.
	last := append(append(make([]byte, 0, 3+len(b)), w.tail[:w.ntail]...), b[max(0, len(b)-3):]...)
	w.ntail = copy(w.tail[:], last[max(0, len(last)-3):])
	w.off += int64(len(b))
}

// count advances the line count over b[from:to].
func (w *watcher) count(b []byte, from, to int) {
	seg := b[from:to]
	for {
		i := bytes.IndexByte(seg, '\n')
		if i < 0 {
			return
		}
		w.line++
		w.lineStart = w.off + int64(to-len(seg)+i+1)
		seg = seg[i+1:]
	}
}

// Under returns the reader the watcher reads from (scanner.Tap).
func (w *watcher) Under() io.Reader { return w.r }

// Part returns a watcher of one piece of the input, starting at raw
// offset off (scanner.Tap). Its lines are numbered from 1, the piece's
// first line, whose start it does not know (lineStart -1) until a
// newline.
func (w *watcher) Part(off int64) scanner.TapPart {
	return &watcherPart{w: watcher{off: off, line: 1, lineStart: -1}}
}

// watcherPart is the watcher of one piece: its marks are on lines
// relative to the piece, and it keeps the piece's first bytes for a
// marker across the piece's start.
type watcherPart struct {
	w     watcher
	head  [3]byte
	nhead int
}

func (p *watcherPart) Watch(b []byte) {
	if p.nhead < len(p.head) {
		p.nhead += copy(p.head[p.nhead:], b)
	}
	p.w.feed(b)
}

// Join takes the marks the parts saw, in input order, as if the watcher
// had read their bytes (scanner.Tap).
func (w *watcher) Join(parts []scanner.TapPart) {
	for _, tp := range parts {
		p := tp.(*watcherPart)
		// A marker across the piece's start, as feed finds one across
		// reads.
		if w.ntail > 0 && len(w.marks) < maxDeepMarks {
			joined := append(append(make([]byte, 0, 3+len(deepMarker)), w.tail[:w.ntail]...), p.head[:p.nhead]...)
			if i := bytes.Index(joined, deepMarker); i >= 0 && i < w.ntail {
				w.marks = append(w.marks, deepMark{off: w.off - int64(w.ntail) + int64(i), line: w.line, lineStart: w.lineStart})
			}
		}
		for _, m := range p.w.marks {
			if len(w.marks) >= maxDeepMarks {
				break
			}
			if m.lineStart < 0 {
				m.lineStart = w.lineStart
			}
			m.line += w.line - 1
			w.marks = append(w.marks, m)
		}
		w.line += p.w.line - 1
		if p.w.lineStart >= 0 {
			w.lineStart = p.w.lineStart
		}
		// The stream's last three bytes (the part's tail holds the
		// piece's last ones, fewer for a shorter piece).
		last := append(append(make([]byte, 0, 6), w.tail[:w.ntail]...), p.w.tail[:p.w.ntail]...)
		w.ntail = copy(w.tail[:], last[max(0, len(last)-3):])
		w.off = p.w.off
	}
	w.r = eofReader{}
}

// deepHits matches the strings holding the watcher's marks again, fully
// decoded, and returns their hits with raw offsets, lines and columns.
// The marks are in one JSON document (perLine false) or in JSON Lines
// records, one value per line.
func deepHits(in *scanner.Input, env *scanner.Env, marks []deepMark, perLine bool) []match.Hit {
	if len(marks) == 0 || in.ReaderAt == nil {
		return nil
	}
	var out []match.Hit
	done := map[int64]bool{} // string starts already matched
	// Marks of one value: a line of JSON Lines, or the whole document.
	for i := 0; i < len(marks); {
		base, j := int64(0), len(marks)
		if perLine {
			base, j = marks[i].lineStart, i
			for j < len(marks) && marks[j].lineStart == base {
				j++
			}
		}
		offs := make([]int64, 0, j-i)
		for _, m := range marks[i:j] {
			offs = append(offs, m.off-base)
		}
		size := in.Size
		if size < 0 {
			size = 1<<63 - 1
		}
		targets, _ := jsonloc.Locate(io.NewSectionReader(in.ReaderAt, base, size-base), offs, jsonloc.Options{})
		for k, t := range targets {
			start := base + t.Start
			if !t.Found || t.End < 0 || done[start] || t.End-t.Start-1 > MaxNested {
				continue
			}
			done[start] = true
			out = append(out, matchDecoded(in, env, start, base+t.End, marks[i+k])...)
		}
		i = j
	}
	return out
}

// matchDecoded decodes the raw string between the quotes at start and
// end, every level of escapes, and matches it as text.
func matchDecoded(in *scanner.Input, env *scanner.Env, start, end int64, m deepMark) []match.Hit {
	raw := make([]byte, end-start-1)
	if n, _ := in.ReaderAt.ReadAt(raw, start+1); n != len(raw) {
		return nil
	}
	text, pos := raw, make([]int64, len(raw)+1)
	for i := range pos {
		pos[i] = start + 1 + int64(i)
	}
	for level := 0; level < maxNestLevels && bytes.IndexByte(text, '\\') >= 0; level++ {
		var local []int
		text, local = unescape(text)
		composed := make([]int64, len(local))
		for i, p := range local {
			composed[i] = pos[p]
		}
		pos = composed
	}
	sub := &scanner.Input{Loc: in.Loc, ClassPath: in.ClassPath, Size: int64(len(text)),
		Reader: bytes.NewReader(text), Depth: in.Depth}
	var hits []match.Hit
	_ = env.Match(sub, match.Text, func(h *match.Hit) error {
		a, b := int(h.Start), int(h.End)
		if a < 0 || b > len(text) || a >= b {
			return nil
		}
		rs, re := pos[a], pos[b]
		hh := *h
		hh.Start, hh.End = rs, re
		hh.Line, hh.EndLine, hh.LineStart = m.line, m.line, m.lineStart
		hh.Column, hh.EndColumn = column(in, m.lineStart, rs), column(in, m.lineStart, re)
		lo, hi := max(0, a-256), min(len(text), b+256)
		hh.LineText = string(text[lo:hi])
		hits = append(hits, hh)
		return nil
	})
	return hits
}

// unescape decodes every JSON escape in b, leaving anything else as it is,
// and returns the text and, for each of its bytes (and its end), the
// offset in b it came from.
func unescape(b []byte) ([]byte, []int) {
	out := make([]byte, 0, len(b))
	pos := make([]int, 0, len(b)+1)
	emit := func(c byte, at int) { out = append(out, c); pos = append(pos, at) }
	for i := 0; i < len(b); {
		if b[i] != '\\' || i+1 >= len(b) {
			emit(b[i], i)
			i++
			continue
		}
		switch c := b[i+1]; c {
		case '"', '\\', '/':
			emit(c, i)
		case 'n':
			emit('\n', i)
		case 't':
			emit('\t', i)
		case 'r':
			emit('\r', i)
		case 'b', 'f':
			emit(' ', i)
		case 'u':
			if i+6 <= len(b) {
				if r, ok := hexRune(b[i+2 : i+6]); ok {
					var tmp [utf8.UTFMax]byte
					for _, x := range tmp[:utf8.EncodeRune(tmp[:], r)] {
						emit(x, i)
					}
					i += 6
					continue
				}
			}
			emit('\\', i)
			emit('u', i+1)
		default:
			emit('\\', i)
			emit(c, i+1)
		}
		i += 2
	}
	pos = append(pos, len(b))
	return out, pos
}

// hexRune reads the four hex digits of a \u escape.
func hexRune(h []byte) (rune, bool) {
	n, err := strconv.ParseUint(string(h), 16, 32)
	return rune(n), err == nil
}

// column returns the 1-based column (code points) of raw offset off on
// the line starting at lineStart, or 0 when the line is longer than 4 MiB
// before it.
func column(in *scanner.Input, lineStart, off int64) int {
	if off < lineStart || off-lineStart > 4<<20 {
		return 0
	}
	b := make([]byte, off-lineStart)
	n, _ := in.ReaderAt.ReadAt(b, lineStart)
	return utf8.RuneCount(b[:n]) + 1
}

// mergeHits adds deep hits to a file's hits (both in raw order), without
// a deep hit that overlaps a hit of the first pass: that place is
// reported already.
func mergeHits(hits, deep []match.Hit) []match.Hit {
	if len(deep) == 0 {
		return hits
	}
	n := len(hits)
	for _, d := range deep {
		i := sort.Search(n, func(i int) bool { return hits[i].End > d.Start })
		if i < n && hits[i].Start < d.End {
			continue
		}
		hits = append(hits, d)
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Start < hits[j].Start })
	return hits
}
