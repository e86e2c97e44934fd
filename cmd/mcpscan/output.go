package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// privateFile writes a report next to its destination with mode 0600 and
// renames it into place when finished, so that a report (which may name
// where secrets are) is never world-readable, not even half-written.
type privateFile struct {
	*os.File
	dest string
}

func newPrivateFile(dest string) (*privateFile, error) {
	dir := filepath.Dir(dest)
	f, err := os.CreateTemp(dir, "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &privateFile{File: f, dest: dest}, nil
}

// finish closes the file and, with commit, renames it to its destination
// (mode 0600); without commit it removes it.
func (p *privateFile) finish(commit bool) error {
	cerr := p.File.Close()
	if !commit || cerr != nil {
		os.Remove(p.File.Name())
		return cerr
	}
	if err := os.Rename(p.File.Name(), p.dest); err != nil {
		os.Remove(p.File.Name())
		return fmt.Errorf("--output: %w", err)
	}
	return os.Chmod(p.dest, 0o600)
}
