//go:build !linux && !darwin

package redact

// exchange is not available here; the protocol uses a hold link instead.
func exchange(a, b string) error { return errNoExchange }
