package mcpmodel

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// lineIndex turns byte offsets of one file into Pos values: lines split at
// '\n', columns in code points of the raw line.
type lineIndex struct {
	data   []byte
	starts []int // byte offset of each line's first byte; starts[0] == 0
	ascii  bool
	// The last answer, to count runes from there rather than from the
	// line's start: values come in file order, and a long line can hold
	// many.
	cLine, cOff, cCol int
}

func newLineIndex(data []byte) *lineIndex {
	ix := &lineIndex{data: data, starts: []int{0}, ascii: isASCII(data), cLine: -1}
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		ix.starts = append(ix.starts, i)
	}
	return ix
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lineCol returns the 1-based line and code-point column of offset off
// (0 <= off <= len(data)).
func (ix *lineIndex) lineCol(off int) (line, col int) {
	off = min(max(off, 0), len(ix.data))
	l := sort.Search(len(ix.starts), func(i int) bool { return ix.starts[i] > off }) - 1
	start := ix.starts[l]
	if ix.ascii {
		return l + 1, off - start + 1
	}
	switch {
	case l == ix.cLine && off >= ix.cOff:
		col = ix.cCol + utf8.RuneCount(ix.data[ix.cOff:off])
	case l == ix.cLine && ix.cOff-off < off-start:
		col = ix.cCol - utf8.RuneCount(ix.data[off:ix.cOff])
	default:
		col = 1 + utf8.RuneCount(ix.data[start:off])
	}
	ix.cLine, ix.cOff, ix.cCol = l, off, col
	return l + 1, col
}

// span returns the Pos of data[start:end].
func (ix *lineIndex) span(start, end int) Pos {
	var p Pos
	p.Line, p.Column = ix.lineCol(start)
	p.EndLine, p.EndColumn = ix.lineCol(end)
	p.Offset, p.EndOffset = int64(start), int64(end)
	return p
}

// offsetOf returns the offset of 1-based line and 1-based byte column
// bcol, clamped to the file, as errors that count columns in bytes give
// them.
func (ix *lineIndex) offsetOf(line, bcol int) int {
	if line < 1 {
		return 0
	}
	if line > len(ix.starts) {
		return len(ix.data)
	}
	end := len(ix.data)
	if line < len(ix.starts) {
		end = ix.starts[line]
	}
	return min(ix.starts[line-1]+max(bcol-1, 0), end)
}
