//go:build !unix

package redact

import "testing"

func unprivileged(t *testing.T) bool {
	t.Skip("file modes do not restrict access on this system")
	return false
}
