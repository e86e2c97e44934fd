package scanner

import (
	"strings"
	"testing"
)

// TestLastSegments: lastSegments equals strings.Split then Join.
func TestLastSegments(t *testing.T) {
	for _, p := range []string{"", "a", "/a", "a/b", "/a/b/c", "//x", "a//b/", "/home/u/.claude/.credentials.json"} {
		segs := strings.Split(p, "/")
		for n := 1; n <= 6; n++ {
			got, ok := lastSegments(p, n)
			wantOK := len(segs) >= n
			want := ""
			if wantOK {
				want = strings.Join(segs[len(segs)-n:], "/")
			}
			if ok != wantOK || (ok && got != want) {
				t.Errorf("%q %d: %q %v, want %q %v", p, n, got, ok, want, wantOK)
			}
		}
	}
}
