package termtext

import "testing"

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, line, text string }{
		{"plain café", "plain café", "plain café"},
		{"a\tb\nc", "a b c", "a\tb\nc"},
		{"\x1b]0;pwned\x07title", `\x1b]0;pwned\x07title`, `\x1b]0;pwned\x07title`},
		{"\x1b[2J\x1b[31mred", `\x1b[2J\x1b[31mred`, `\x1b[2J\x1b[31mred`},
		{"over\rwrite", "over write", `over\x0dwrite`},
		{"a\u202eb\u2066c", `a\u202eb\u2066c`, `a\u202eb\u2066c`},
		{"bad\xffutf8\x00", `bad\xffutf8\x00`, `bad\xffutf8\x00`},
		{"\u0085next", `\u0085next`, `\u0085next`},
	} {
		if got := Line(c.in); got != c.line {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
		}
		if got := Text(c.in); got != c.text {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.text)
		}
	}
}
