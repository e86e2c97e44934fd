package scanner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Redact returns a display form of secret that cannot be used as the
// secret: for 20 characters or more the first 4 and last 4 characters
// around "…"; for 12–19 the first 2 and last 2; below 12 only the first
// character. Multi-line secrets (key blocks) keep only their first line.
// The result always carries the secret's length, so that a reader can tell
// a short password from a long token: "ghp_…a1B2 (40 chars)".
func Redact(secret string) string {
	n := utf8.RuneCountInString(secret)
	if i := strings.IndexAny(secret, "\r\n"); i >= 0 {
		first := strings.TrimSpace(secret[:i])
		if strings.HasPrefix(first, "-----BEGIN") {
			return fmt.Sprintf("%s…(%d chars)", first, n)
		}
	}
	r := []rune(secret)
	for i, c := range r {
		if c < 0x20 || c == 0x7f {
			r[i] = '·'
		}
	}
	switch {
	case n >= 20:
		return fmt.Sprintf("%s…%s (%d chars)", string(r[:4]), string(r[n-4:]), n)
	case n >= 12:
		return fmt.Sprintf("%s…%s (%d chars)", string(r[:2]), string(r[n-2:]), n)
	case n >= 1:
		return fmt.Sprintf("%s… (%d chars)", string(r[:1]), n)
	}
	return ""
}

// Fingerprint returns a stable identifier for one secret of one rule in one
// file: the first 32 hex digits of SHA-256 over rule ID, the file's
// portable path (PortablePath) and the secret. It does not depend on line
// numbers, so it survives edits above the secret, and it is the same on
// every machine whose files sit at the same place below the home directory
// or scan root.
func Fingerprint(ruleID, path, secret string) string {
	h := sha256.New()
	h.Write([]byte(ruleID))
	h.Write([]byte{0})
	h.Write([]byte(PortablePath(path)))
	h.Write([]byte{0})
	h.Write([]byte(secret))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// PortablePath returns path with forward slashes, cleaned, and with the
// current user's home directory replaced by "~", so that the same file has
// the same name on every machine.
func PortablePath(path string) string {
	member := ""
	if i := strings.Index(path, "!"); i >= 0 {
		path, member = path[:i], path[i:]
	}
	p := filepath.Clean(path)
	if home, err := os.UserHomeDir(); err == nil && home != "" && home != "/" {
		if p == home {
			p = "~"
		} else if strings.HasPrefix(p, home+string(filepath.Separator)) {
			p = "~" + string(filepath.Separator) + p[len(home)+1:]
		}
	}
	return filepath.ToSlash(p) + member
}
