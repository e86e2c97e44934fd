// Package atomicfile writes files so that a reader, or a crash, never sees
// them half-written: the content goes to a temporary file in the same
// directory, which is synced, closed and renamed over the destination,
// and then the directory itself is synced so that the rename survives a
// power loss (the order ext4's maintainers ask for).
//
// It is mcpscan's one way to write a file (reports with -o, baselines,
// the --state file). github.com/google/renameio does the same but does not
// build on Windows, which mcpscan ships for.
package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// File is a file being written in place of Dest. Write to it, then Commit
// or Abort.
type File struct {
	*os.File
	// Dest is the path the file replaces on Commit.
	Dest string
	done bool
}

// Create starts writing dest with permissions perm (set explicitly, not
// masked by the umask), in a temporary file beside it. Errors name dest,
// never the temporary file.
func Create(dest string, perm fs.FileMode) (*File, error) {
	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return nil, rename(err, "create", dest)
	}
	if err := f.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		f.Close()
		os.Remove(f.Name())
		return nil, rename(err, "chmod", dest)
	}
	return &File{File: f, Dest: dest}, nil
}

// Commit makes the written content the content of Dest: sync, close,
// rename, sync the directory. On error Dest is unchanged and the
// temporary file is removed.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: already finished")
	}
	f.done = true
	tmp := f.File.Name()
	err := f.File.Sync()
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, f.Dest)
	}
	if err != nil {
		os.Remove(tmp)
		return rename(err, "write", f.Dest)
	}
	return syncDir(filepath.Dir(f.Dest))
}

// Abort drops what was written; Dest is unchanged. It does nothing after
// Commit or Abort.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	os.Remove(f.File.Name())
}

// WriteFile writes data to dest atomically, with permissions perm.
func WriteFile(dest string, data []byte, perm fs.FileMode) error {
	f, err := Create(dest, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return rename(err, "write", dest)
	}
	return f.Commit()
}

// syncDir syncs a directory so that a rename in it is durable. Windows
// cannot open directories for that; its renames are journaled by NTFS.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return &fs.PathError{Op: "sync", Path: dir, Err: err}
	}
	return nil
}

// rename makes an error about the temporary file an error about dest.
func rename(err error, op, dest string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: op, Path: dest, Err: pe.Err}
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return &fs.PathError{Op: op, Path: dest, Err: le.Err}
	}
	return &fs.PathError{Op: op, Path: dest, Err: err}
}
