// Package lazyre holds regular expressions that compile on first use.
//
// A package-level regexp.MustCompile runs while the program starts, on
// one core, before main: mcpscan's were about 1.5 ms of every run's
// start-up, most of them for inputs a scan may never meet. A Regexp from
// New compiles when a method is first called (once, safe for concurrent
// use), so that work moves to the scan's workers or is never done.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regexp.Regexp compiled on first use. Its methods are those
// of regexp.Regexp that mcpscan calls; Get returns the compiled value.
type Regexp struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

// New returns src as a Regexp. src must be a valid RE2 pattern: like
// regexp.MustCompile, the first use panics if it is not (tests call every
// package's patterns, so a bad one fails there).
func New(src string) *Regexp { return &Regexp{src: src} }

// Get returns the compiled regexp, compiling it on the first call.
func (l *Regexp) Get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.src) })
	return l.re
}

// String returns the source text.
func (l *Regexp) String() string { return l.src }

// MatchString is regexp.Regexp.MatchString on the compiled regexp.
func (l *Regexp) MatchString(s string) bool { return l.Get().MatchString(s) }

// FindString is regexp.Regexp.FindString on the compiled regexp.
func (l *Regexp) FindString(s string) string {
	return l.Get().FindString(s)
}

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch on the compiled regexp.
func (l *Regexp) FindStringSubmatch(s string) []string {
	return l.Get().FindStringSubmatch(s)
}

// FindSubmatch is regexp.Regexp.FindSubmatch on the compiled regexp.
func (l *Regexp) FindSubmatch(b []byte) [][]byte { return l.Get().FindSubmatch(b) }

// FindAllString is regexp.Regexp.FindAllString on the compiled regexp.
func (l *Regexp) FindAllString(s string, n int) []string {
	return l.Get().FindAllString(s, n)
}

// FindAllStringSubmatch is regexp.Regexp.FindAllStringSubmatch on the compiled regexp.
func (l *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return l.Get().FindAllStringSubmatch(s, n)
}

// ReplaceAllString is regexp.Regexp.ReplaceAllString on the compiled regexp.
func (l *Regexp) ReplaceAllString(src, repl string) string {
	return l.Get().ReplaceAllString(src, repl)
}

// ReplaceAllStringFunc is regexp.Regexp.ReplaceAllStringFunc on the compiled regexp.
func (l *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return l.Get().ReplaceAllStringFunc(src, repl)
}

// FindAllSubmatch is regexp.Regexp.FindAllSubmatch on the compiled regexp.
func (l *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte {
	return l.Get().FindAllSubmatch(b, n)
}
