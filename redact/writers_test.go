package redact

import (
	"slices"
	"testing"
)

func TestParseLsof(t *testing.T) {
	out := "p123\ncnode\nf21\naw\nf22\nar\np456\ncless\nf3\nar\np789\ncvim\nf5\nau\np999\ncself\nf7\naw\n"
	if got := parseLsof(out, 999); !slices.Equal(got, []string{"node (pid 123)", "vim (pid 789)"}) {
		t.Fatal(got)
	}
}
