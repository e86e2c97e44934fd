package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// ignoreSet holds the entries of every ignore file read.
type ignoreSet struct {
	fps     map[string]string // lower-case fingerprint → mechanism
	entries map[glKey][]glEntry
	dirs    []string // absolute slash directories of the ignore files
}

type glKey struct {
	rule string
	line int
}

// glEntry is a gitleaks-style "file:rule-id:line" entry.
type glEntry struct {
	file string // slash-separated, cleaned, as written
	dir  string // absolute slash directory of the ignore file
	mech string
}

// read parses one ignore file. Lines are fingerprints (32 hex digits) or
// gitleaks entries (file:rule-id:line); "#" starts a comment, at the
// start of a line or after white space. A line that is neither is an
// error in .mcpscanignore and a warning in .gitleaksignore (gitleaks only
// warns). gitleaks' commit entries (commit:file:rule-id:line) belong to
// git history scans and are skipped with a warning.
func (s *ignoreSet) read(file string, warn func(string)) error {
	data, err := readFile(file, maxConfigFile)
	if err != nil {
		return err
	}
	mech := MechIgnoreFile
	if filepath.Base(file) == GitleaksIgnoreName {
		mech = MechGitleaksIgnore
	}
	dir := absDir(filepath.Dir(file))
	s.dirs = appendUnique(s.dirs, dir)
	var errs []error
	skippedCommits := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := commentStart(line); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		if isFingerprint(line) {
			s.fps[strings.ToLower(line)] = mech
			continue
		}
		e, commit, err := parseGitleaksEntry(line)
		switch {
		case err != nil && mech == MechIgnoreFile:
			errs = append(errs, &Error{File: file, Line: n, Err: err})
			continue
		case err != nil:
			warn(fmt.Sprintf("%s:%d: invalid entry (%v); skipped", file, n, err))
			continue
		case commit:
			skippedCommits++
			continue
		}
		if s.entries == nil {
			s.entries = map[glKey][]glEntry{}
		}
		k := glKey{rule: e.rule, line: e.line}
		s.entries[k] = append(s.entries[k], glEntry{file: e.file, dir: dir, mech: mech})
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fileError(file, err))
	}
	if skippedCommits > 0 {
		warn(fmt.Sprintf("%s: %d commit entries (commit:file:rule-id:line) skipped: they name findings in git history, which mcpscan does not scan", file, skippedCommits))
	}
	return errors.Join(errs...)
}

// commentStart returns where a "#" comment starts in line (at the start,
// or after white space), or -1.
func commentStart(line string) int {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return i
		}
	}
	return -1
}

// isFingerprint reports whether s is an mcpscan fingerprint: 32 hex digits.
func isFingerprint(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

type parsedEntry struct {
	file string
	rule string
	line int
}

// parseGitleaksEntry parses "file:rule-id:line" (the file may hold
// colons, as in C:\x) and tells a commit entry
// ("commit:file:rule-id:line", a commit of 7 to 40 hex digits) apart.
func parseGitleaksEntry(s string) (e parsedEntry, commit bool, err error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return e, false, errors.New("want a fingerprint (32 hex digits) or file:rule-id:line")
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || n < 1 {
		return e, false, errors.New("want a fingerprint (32 hex digits) or file:rule-id:line (line: a positive number)")
	}
	rest := s[:i]
	j := strings.LastIndexByte(rest, ':')
	if j < 0 || j == len(rest)-1 || j == 0 {
		return e, false, errors.New("want a fingerprint (32 hex digits) or file:rule-id:line")
	}
	e.rule, e.line, e.file = rest[j+1:], n, rest[:j]
	if k := strings.IndexByte(e.file, ':'); k >= 7 && k <= 40 && allHex(e.file[:k]) {
		return e, true, nil
	}
	e.file = filepath.ToSlash(strings.ReplaceAll(e.file, `\`, "/"))
	e.file = strings.TrimPrefix(slashClean(e.file), "./")
	return e, false, nil
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// gitleaksMatch returns the mechanism of a gitleaks entry naming the
// finding's file, rule and line, or "".
func (s *ignoreSet) gitleaksMatch(rule string, line int, pf *pathForms) string {
	for _, e := range s.entries[glKey{rule: rule, line: line}] {
		if strings.HasPrefix(e.file, "/") || filepath.IsAbs(e.file) {
			if e.file == pf.abs {
				return e.mech
			}
			continue
		}
		if e.file == pf.display || e.file == pf.relTo(e.dir) {
			return e.mech
		}
		for _, r := range pf.rootRels {
			if e.file == r {
				return e.mech
			}
		}
	}
	return ""
}
