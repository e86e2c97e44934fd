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

// Match is regexp.Regexp.Match on the compiled regexp.
func (l *Regexp) Match(b []byte) bool { return l.Get().Match(b) }

// FindString is regexp.Regexp.FindString on the compiled regexp.
func (l *Regexp) FindString(s string) string {
	return l.Get().FindString(s)
}

// FindStringIndex is regexp.Regexp.FindStringIndex on the compiled regexp.
func (l *Regexp) FindStringIndex(s string) []int { return l.Get().FindStringIndex(s) }

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch on the compiled regexp.
func (l *Regexp) FindStringSubmatch(s string) []string {
	return l.Get().FindStringSubmatch(s)
}

// FindStringSubmatchIndex is regexp.Regexp.FindStringSubmatchIndex on the compiled regexp.
func (l *Regexp) FindStringSubmatchIndex(s string) []int {
	return l.Get().FindStringSubmatchIndex(s)
}

// FindSubmatch is regexp.Regexp.FindSubmatch on the compiled regexp.
func (l *Regexp) FindSubmatch(b []byte) [][]byte { return l.Get().FindSubmatch(b) }

// FindSubmatchIndex is regexp.Regexp.FindSubmatchIndex on the compiled regexp.
func (l *Regexp) FindSubmatchIndex(b []byte) []int {
	return l.Get().FindSubmatchIndex(b)
}

// FindIndex is regexp.Regexp.FindIndex on the compiled regexp.
func (l *Regexp) FindIndex(b []byte) []int { return l.Get().FindIndex(b) }

// FindAllString is regexp.Regexp.FindAllString on the compiled regexp.
func (l *Regexp) FindAllString(s string, n int) []string {
	return l.Get().FindAllString(s, n)
}

// FindAllStringIndex is regexp.Regexp.FindAllStringIndex on the compiled regexp.
func (l *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return l.Get().FindAllStringIndex(s, n)
}

// FindAllStringSubmatch is regexp.Regexp.FindAllStringSubmatch on the compiled regexp.
func (l *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return l.Get().FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex is regexp.Regexp.FindAllStringSubmatchIndex on the compiled regexp.
func (l *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return l.Get().FindAllStringSubmatchIndex(s, n)
}

// FindAllSubmatchIndex is regexp.Regexp.FindAllSubmatchIndex on the compiled regexp.
func (l *Regexp) FindAllSubmatchIndex(b []byte, n int) [][]int {
	return l.Get().FindAllSubmatchIndex(b, n)
}

// FindAllIndex is regexp.Regexp.FindAllIndex on the compiled regexp.
func (l *Regexp) FindAllIndex(b []byte, n int) [][]int { return l.Get().FindAllIndex(b, n) }

// ReplaceAllString is regexp.Regexp.ReplaceAllString on the compiled regexp.
func (l *Regexp) ReplaceAllString(src, repl string) string {
	return l.Get().ReplaceAllString(src, repl)
}

// ReplaceAllStringFunc is regexp.Regexp.ReplaceAllStringFunc on the compiled regexp.
func (l *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return l.Get().ReplaceAllStringFunc(src, repl)
}

// SubexpIndex is regexp.Regexp.SubexpIndex on the compiled regexp.
func (l *Regexp) SubexpIndex(name string) int { return l.Get().SubexpIndex(name) }

// NumSubexp is regexp.Regexp.NumSubexp on the compiled regexp.
func (l *Regexp) NumSubexp() int { return l.Get().NumSubexp() }

// FindAllSubmatch is regexp.Regexp.FindAllSubmatch on the compiled regexp.
func (l *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte {
	return l.Get().FindAllSubmatch(b, n)
}
