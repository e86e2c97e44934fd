package config

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// maxConfigFile bounds a config, gitleaks config or ignore file.
const maxConfigFile = 16 << 20

// maxBaselineFile bounds a baseline (an earlier report).
const maxBaselineFile = 1 << 30

// readFile reads a file the user pointed mcpscan at, or that a config
// names ([extend] path): only a regular file (a FIFO would block, a
// device such as /dev/zero would never end), and at most max bytes.
func readFile(path string, max int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, &Error{File: path, Err: errors.New("not a regular file")}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fileError(path, err)
	}
	if int64(len(data)) > max {
		return nil, &Error{File: path, Err: fmt.Errorf("larger than %d bytes", max)}
	}
	return data, nil
}
