package rules

import (
	"regexp/syntax"
	"testing"
)

// TestProgSize: progSize stays near the instruction count of the compiled
// program for every anchored rule (it only sets cut lengths).
func TestProgSize(t *testing.T) {
	checked := 0
	for _, r := range Default().Rules() {
		a := withoutPlan(r).Anchor() // a planned Anchor has no parsed core
		if a == nil {
			continue
		}
		prog, err := syntax.Compile(a.core.Simplify())
		if err != nil {
			t.Fatal(err)
		}
		got, want := progSize(a.core), len(prog.Inst)
		if got < want*3/4 || got > want*5/4+4 {
			t.Errorf("%s: progSize %d, compiled %d instructions", r.ID, got, want)
		}
		checked++
	}
	if checked < 100 {
		t.Fatalf("only %d anchored rules", checked)
	}
}
