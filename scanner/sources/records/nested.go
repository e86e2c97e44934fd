package records

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/mcpscan/mcpscan/scanner/jsonloc"
)

// MaxNested is the longest string (raw bytes) that Nest opens as JSON:
// tool arguments and results are small; a longer string is left as it is
// (its finding keeps the string's own field path).
const MaxNested = 4 << 20

// maxNestLevels bounds how many levels of JSON inside JSON strings are
// followed (Cline stores a tool's arguments three levels deep).
const maxNestLevels = 4

// Nest follows each target into JSON held inside its string value — a
// tool call's arguments serialized into a string (Codex, Continue, VS
// Code Copilot Chat), a Cursor bubble's rawArgs, a Cline UI message's
// text — so that the field path names the inner key
// ("payload.arguments.command[2]" rather than "payload.arguments"), and
// the frames of the inner objects join the target's frames (their
// captured fields give context such as a tool name). base is the offset
// in r of the reader the targets were located in (a record's line start);
// offs are the hits' raw offsets in r, one per target. A string that is
// not JSON, longer than MaxNested or cut is left as it is. Positions
// (line, column) are not changed: they are the raw bytes' on disk.
//
// Cost: for targets inside JSON-looking strings only, one read of the
// string and one decode; strings holding several hits are read once.
func Nest(r io.ReaderAt, base int64, targets []jsonloc.Target, offs []int64, capture []string) {
	var last struct {
		start   int64
		decoded []byte
		ok      bool
	}
	last.start = -1
	for i := range targets {
		t := &targets[i]
		if i >= len(offs) || !t.Found || t.InKey {
			continue
		}
		var src io.ReaderAt = r
		b := base
		off := offs[i]
		for level := 0; level < maxNestLevels; level++ {
			if t.End < 0 || t.End-t.Start-1 > MaxNested || !looksLikeJSON(src, b+t.Start+1, t.End-t.Start-1) {
				break
			}
			var decoded []byte
			var ok bool
			if level == 0 && last.start == t.Start {
				decoded, ok = last.decoded, last.ok
			} else {
				decoded, ok = decodeString(src, b+t.Start, t.End-t.Start+1)
				if level == 0 {
					last.start, last.decoded, last.ok = t.Start, decoded, ok
				}
			}
			if !ok {
				break
			}
			// The hit's offset inside the decoded string: the decoded
			// length of the raw bytes before it.
			prefix, ok := decodePrefix(src, b+t.Start, off-(b+t.Start))
			if !ok {
				break
			}
			inOff := int64(len(prefix))
			inner, _ := jsonloc.Locate(bytes.NewReader(decoded), []int64{inOff}, jsonloc.Options{Capture: capture})
			if len(inner) == 0 || !inner[0].Found || inner[0].InKey {
				break
			}
			in := inner[0]
			frames := make([]*jsonloc.Frame, 0, len(t.Frames)+len(in.Frames))
			frames = append(frames, t.Frames...)
			if len(in.Frames) > 0 {
				root := *in.Frames[0]
				root.Key, root.Index = LastKey(t.Path), -1
				frames = append(frames, &root)
				frames = append(frames, in.Frames[1:]...)
			}
			*t = jsonloc.Target{Offset: t.Offset, Found: true, Path: JoinPath(t.Path, in.Path), Frames: frames,
				Start: in.Start, End: in.End}
			// Go on inside the decoded string: JSON held in a string of
			// the inner document.
			src, b, off = bytes.NewReader(decoded), 0, inOff
		}
	}
}

// JoinPath joins a field path and a path inside the value it names:
// "payload.arguments" + "command[2]" = "payload.arguments.command[2]",
// "v" + "[0].text" = "v[0].text".
func JoinPath(outer, inner string) string {
	switch {
	case inner == "":
		return outer
	case outer == "":
		return inner
	case inner[0] == '[':
		return outer + inner
	}
	return outer + "." + inner
}

// looksLikeJSON reports whether the raw string content at off (n bytes)
// starts, after blanks (raw or escaped), with '{' or '['.
func looksLikeJSON(r io.ReaderAt, off, n int64) bool {
	var buf [64]byte
	m, _ := r.ReadAt(buf[:min(n, int64(len(buf)))], off)
	b := buf[:m]
	for len(b) > 0 {
		switch {
		case b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n':
			b = b[1:]
		case b[0] == '\\' && len(b) > 1 && (b[1] == 'n' || b[1] == 'r' || b[1] == 't'):
			b = b[2:]
		default:
			return b[0] == '{' || b[0] == '['
		}
	}
	return false
}

// decodeString reads the n raw bytes at off, a JSON string with its
// quotes, and returns its decoded content.
func decodeString(r io.ReaderAt, off, n int64) ([]byte, bool) {
	if n < 2 || n > MaxNested+2 {
		return nil, false
	}
	raw := make([]byte, n)
	if m, _ := r.ReadAt(raw, off); int64(m) != n {
		return nil, false
	}
	return unquote(raw)
}

// decodePrefix decodes the first n raw bytes of the JSON string whose
// opening quote is at off (n counts the quote): the part of the string
// before a hit, which ends before an escape or a character.
func decodePrefix(r io.ReaderAt, off, n int64) ([]byte, bool) {
	if n < 1 || n > MaxNested+1 {
		return nil, false
	}
	raw := make([]byte, n+1)
	if m, _ := r.ReadAt(raw[:n], off); int64(m) != n {
		return nil, false
	}
	raw[n] = '"'
	return unquote(raw)
}

func unquote(raw []byte) ([]byte, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, false
	}
	return []byte(s), true
}
