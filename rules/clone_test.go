package rules

import (
	"reflect"
	"testing"
)

// TestCloneCopiesEveryExportedField fails when a new exported Rule field
// is not copied by Clone.
func TestCloneCopiesEveryExportedField(t *testing.T) {
	r := Default().Lookup("generic-api-key")
	if r == nil {
		t.Fatal("no generic-api-key rule")
	}
	c := r.Clone()
	if c == r {
		t.Fatal("Clone returned the same rule")
	}
	rv, cv := reflect.ValueOf(r).Elem(), reflect.ValueOf(c).Elem()
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		a, b := rv.Field(i), cv.Field(i)
		if f.Type.Kind() == reflect.Func {
			if a.IsNil() != b.IsNil() || (!a.IsNil() && a.Pointer() != b.Pointer()) {
				t.Errorf("Clone does not copy %s", f.Name)
			}
			continue
		}
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			t.Errorf("Clone does not copy %s", f.Name)
		}
	}
	// Every exported field must be set on the rule under test, or the
	// check above proves nothing for it.
	for _, name := range []string{"Precheck", "Validate", "Allowlists", "Keywords", "Pattern", "Radius"} {
		if rv.FieldByName(name).IsZero() {
			t.Errorf("test rule has no %s", name)
		}
	}
	if err := c.Compile(); err != nil {
		t.Fatal(err)
	}
	if set := Default(); len(set.Allowlists()) == 0 {
		t.Error("Default().Allowlists() is empty")
	}
}
