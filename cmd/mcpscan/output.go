package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mcpscan/mcpscan/internal/atomicfile"
	"github.com/mcpscan/mcpscan/internal/lazyre"
)

// output is where a report (-o) or a baseline (--write-baseline) goes.
type output struct {
	io.Writer
	// stdout: the path named standard output ("-", /dev/stdout): the
	// report goes to the command's stdout, as without -o.
	stdout bool
	// finish ends the output; commit false drops what a new file got.
	finish func(commit bool) error
}

// fdPath matches the paths of open file descriptors.
var fdPath = lazyre.New(`^/(dev/fd|proc/self/fd)/[0-9]+$`)

// openOutput opens dest for writing a report, without ever replacing
// something that is not a regular file:
//
//   - "-", /dev/stdout, /dev/fd/1 and /proc/self/fd/1 are standard output,
//     /dev/stderr and the like standard error: the report is written to
//     the stream itself, whatever it is (a terminal, a pipe, a file the
//     shell opened);
//   - another /dev/fd/N is written into;
//   - a regular file, or a new one, is written to a temporary file beside
//     it with mode 0600, synced and renamed into place on success
//     (package atomicfile), so that a report is never world-readable nor
//     half-written, and a failed scan leaves the old file;
//   - a character device or a FIFO is opened and written into, never
//     replaced;
//   - a symbolic link is refused: mcpscan does not write through links
//     (in a shared directory a planted link would redirect the report
//     onto another file); name the link's target instead;
//   - a directory or a socket is refused.
//
// Errors name dest as the user wrote it.
func openOutput(dest string, stdout, stderr io.Writer) (*output, error) {
	keep := func(w io.Writer, isStdout bool) *output {
		return &output{Writer: w, stdout: isStdout, finish: func(bool) error { return nil }}
	}
	clean := filepath.ToSlash(filepath.Clean(dest))
	switch clean {
	case "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return keep(stdout, true), nil
	case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2":
		return keep(stderr, false), nil
	}
	if fdPath.MatchString(clean) {
		return openInPlace(dest)
	}
	st, err := os.Lstat(dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return openReplacement(dest)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", dest, pathErr(err))
	case st.Mode()&fs.ModeSymlink != 0:
		return nil, fmt.Errorf("%s is a symbolic link: mcpscan does not write through links; name its target instead", dest)
	case st.IsDir():
		return nil, fmt.Errorf("%s is a directory", dest)
	case st.Mode().IsRegular():
		return openReplacement(dest)
	case st.Mode()&(fs.ModeCharDevice|fs.ModeDevice|fs.ModeNamedPipe) != 0:
		return openInPlace(dest)
	}
	return nil, fmt.Errorf("%s is not a file, device or FIFO (%v)", dest, st.Mode().Type())
}

// openReplacement writes a regular file atomically, mode 0600.
func openReplacement(dest string) (*output, error) {
	f, err := atomicfile.Create(dest, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such directory: %s", dest, filepath.Dir(dest))
		}
		return nil, fmt.Errorf("%s: %w", dest, pathErr(err))
	}
	return &output{Writer: f, finish: func(commit bool) error {
		if !commit {
			f.Abort()
			return nil
		}
		return f.Commit()
	}}, nil
}

// openInPlace writes into an existing device, FIFO or descriptor.
func openInPlace(dest string) (*output, error) {
	f, err := os.OpenFile(dest, os.O_WRONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dest, pathErr(err))
	}
	return &output{Writer: f, finish: func(bool) error { return f.Close() }}, nil
}

// pathErr drops the path an *fs.PathError repeats.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
