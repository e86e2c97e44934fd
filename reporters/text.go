package reporters

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"

	"github.com/mcpscan/mcpscan/internal/termtext"
)

// Text helpers shared by the terminal and HTML reports.

// position formats ":line:column", leaving out what is unknown (0).
func position(line, col int) string {
	switch {
	case line <= 0:
		return ""
	case col <= 0:
		return ":" + strconv.Itoa(line)
	}
	return ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

// short returns the first 8 characters of an ID.
func short(id string) string {
	if r := []rune(id); len(r) > 8 {
		return string(r[:8])
	}
	return id
}

// shortTime formats an RFC 3339 timestamp to the minute in its own zone,
// "2026-02-12 16:05", adding the offset unless it is UTC. Anything else is
// returned unchanged.
func shortTime(ts string) string {
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return ts
	}
	s := t.Format("2006-01-02 15:04")
	if _, off := t.Zone(); off != 0 {
		s += t.Format(" -07:00")
	}
	return s
}

// count formats n with the singular or plural noun: "1 file", "2,048 files".
func count(n int, one, many string) string { return count64(int64(n), one, many) }

func count64(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return groupDigits(n) + " " + many
}

// groupDigits formats n with commas between groups of three digits.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// humanBytes formats a byte count in binary units: "512 B", "4.2 MiB".
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v := float64(n)
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := -1
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[i]
}

// humanDuration formats milliseconds: "850ms", "1.2s", "2m3s".
func humanDuration(ms int64) string {
	switch {
	case ms < 1000:
		return strconv.FormatInt(max(ms, 0), 10) + "ms"
	case ms < 60_000:
		return strconv.FormatFloat(float64(ms)/1000, 'f', 1, 64) + "s"
	}
	return (time.Duration(ms) * time.Millisecond).Round(time.Second).String()
}

// clean makes s safe for a terminal (termtext.Line: control and
// bidirectional characters and invalid UTF-8 escaped, line breaks as
// spaces), so that a scanned file cannot move the cursor, recolour the
// screen or reorder the text.
func clean(s string) string { return termtext.Line(s) }

// wrap splits plain text into lines of at most width cells, breaking at
// spaces (runs of white space collapse to one). A word wider than width
// gets a line of its own. width <= 0 means one line.
func wrap(text string, width int) []string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return []string{""}
	}
	if width <= 0 {
		return []string{strings.Join(words, " ")}
	}
	var lines []string
	cur, curW := "", 0
	for _, w := range words {
		ww := lipgloss.Width(w)
		switch {
		case curW == 0:
			cur, curW = w, ww
		case curW+1+ww <= width:
			cur += " " + w
			curW += 1 + ww
		default:
			lines = append(lines, cur)
			cur, curW = w, ww
		}
	}
	return append(lines, cur)
}

// truncate shortens plain text to at most width cells, ending it with "…"
// when it cut something.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if lipgloss.Width(s) <= width {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := lipgloss.Width(string(r))
		if w+rw > width-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return strings.TrimRight(b.String(), " ") + "…"
}

// prefixCells returns the longest prefix of s at most width cells wide.
func prefixCells(s string, width int) string {
	w := 0
	for i, r := range s {
		rw := lipgloss.Width(string(r))
		if w+rw > width {
			return s[:i]
		}
		w += rw
	}
	return s
}

// suffixCells returns the longest suffix of s at most width cells wide.
func suffixCells(s string, width int) string {
	w := 0
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		rw := lipgloss.Width(string(r))
		if w+rw > width {
			return s[i:]
		}
		w += rw
		i -= size
	}
	return s
}

// shortenMiddle shortens a path to at most width cells by replacing its
// middle with "…". The end, where the file's name is, is kept whole when
// that leaves at least minHead cells of the start, so that
// "fixtures/home/.claude/projects/…/132d64b2-….jsonl" stays recognisable;
// otherwise the start and the end get half each.
func shortenMiddle(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	if width <= 1 {
		return prefixCells("…", max(width, 0))
	}
	room := width - 1
	tail := room / 2
	if bw := lipgloss.Width(baseName(s)); bw+minHead <= room {
		tail = max(tail, bw)
	}
	return prefixCells(s, room-tail) + "…" + suffixCells(s, tail)
}

// minHead is the least of a path's start shortenMiddle keeps beside a
// whole file name.
const minHead = 12

// baseName returns the last element of a displayed path, with its
// separator: "/s.jsonl" of "a/b/s.jsonl", "!package/.env" of an archive
// member; s itself when it has no separator.
func baseName(s string) string {
	if i := strings.LastIndexAny(s, `/\!`); i >= 0 {
		return s[i:]
	}
	return s
}

// hardWrap splits s into lines of at most width cells, anywhere (for
// values with no spaces to wrap at, such as a revealed secret). width <= 0
// means one line.
func hardWrap(s string, width int) []string {
	if width <= 0 || lipgloss.Width(s) <= width {
		return []string{s}
	}
	var lines []string
	for s != "" {
		l := prefixCells(s, width)
		if l == "" { // a rune wider than width
			_, size := utf8.DecodeRuneInString(s)
			l = s[:size]
		}
		lines = append(lines, l)
		s = s[len(l):]
	}
	return lines
}
