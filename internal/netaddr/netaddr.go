// Package netaddr answers questions about host names and addresses that
// several parts of mcpscan ask.
package netaddr

import (
	"net"
	"strings"
)

// IsLoopback reports whether host (a URL's Hostname(): no port; IPv6
// with or without brackets) names this machine's loopback interface:
// "localhost" or a name under .localhost (RFC 6761), any 127.0.0.0/8
// address, or ::1. A trailing dot and letter case are ignored.
func IsLoopback(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}
