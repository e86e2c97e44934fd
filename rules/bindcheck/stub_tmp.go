package bindcheck
func findPython(src []byte) []Bind { return nil }
func findJS(src []byte) []Bind { return nil }
