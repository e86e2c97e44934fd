package redact

// syncDir does nothing on Windows: directories cannot be opened for
// sync, and NTFS journals renames.
func syncDir(string) error { return nil }
