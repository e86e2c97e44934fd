package records

import (
	"regexp"
	"testing"
)

// TestLastKeyValue: the literal search finds the last pair the regexp
// `"key"\s*:\s*"value"` finds.
func TestLastKeyValue(t *testing.T) {
	re := regexp.MustCompile(`"id"\s*:\s*"toolu_01"`)
	for _, s := range []string{
		``, `"toolu_01"`, `{"id":"toolu_01"}`, `{"id" : "toolu_01", "x": 1, "id":	"toolu_01"}`,
		`{"uid":"toolu_01"}`, `{"id":"toolu_012"}`, `{"name":"id", "v":"toolu_01"}`, "{\"id\"\n:\r\n\"toolu_01\"}",
	} {
		all := re.FindAllStringIndex(s, -1)
		ws, we := -1, -1
		if len(all) > 0 {
			ws, we = all[len(all)-1][0], all[len(all)-1][1]
		}
		if gs, ge := LastKeyValue([]byte(s), "id", "toolu_01"); gs != ws || ge != we {
			t.Errorf("LastKeyValue(%q) = %d,%d, want %d,%d", s, gs, ge, ws, we)
		}
	}
}
