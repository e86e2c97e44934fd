package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"sort"
	"strconv"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Error is one mistake in a config, ignore or baseline file: the file, the
// 1-based line (and column, when known) and the key it is about. Load and
// the other loaders return every mistake they find, joined with
// errors.Join; errors.As finds the first *Error.
type Error struct {
	File   string // the file as named (path)
	Line   int    // 1-based; 0 when the mistake is about the whole file
	Column int    // 1-based; 0 when unknown
	Key    string // dotted key path, with array indexes: "rules[0].regex"; may be empty
	Err    error  // what is wrong
}

// Error formats the mistake as "FILE:LINE:COL: KEY: message", leaving out
// the parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteString(":" + strconv.Itoa(e.Column))
		}
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// tomlDoc is one parsed TOML file with the line of every key, for error
// messages about values that parsed but do not make sense (a bad regex).
type tomlDoc struct {
	file  string
	lines map[string]int // lower-cased key path ("rules[0].regex") → line
	errs  []error
}

// errorf records a mistake at key (a path as in Error.Key; its line is
// looked up, falling back to the nearest enclosing key).
func (d *tomlDoc) errorf(key, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: d.line(key), Key: key, Err: fmt.Errorf(format, args...)})
}

// line returns the line of key path, or of its nearest enclosing key, or 0.
func (d *tomlDoc) line(key string) int {
	k := strings.ToLower(key)
	for k != "" {
		if n, ok := d.lines[k]; ok {
			return n
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

// err returns the recorded mistakes, joined, or nil.
func (d *tomlDoc) err() error { return errors.Join(d.errs...) }

// decodeStrict decodes data into v (a pointer to a struct), rejecting keys
// v has no field for. Key names match case-insensitively, as in gitleaks
// (viper). Syntax errors, type mismatches and unknown keys come back as
// *Error values naming file, line, column and key.
func decodeStrict(file string, data []byte, v any, dl dialect) (*tomlDoc, error) {
	doc := &tomlDoc{file: file, lines: indexKeyLines(data)}
	err := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(v)
	if err == nil {
		return doc, nil
	}
	var strict *toml.StrictMissingError
	var de *toml.DecodeError
	switch {
	case errors.As(err, &strict):
		var errs []error
		for i := range strict.Errors {
			e := &strict.Errors[i]
			row, col := e.Position()
			key := []string(e.Key())
			msg := "unknown key"
			if valid := validKeys(reflect.TypeOf(v), key[:max(len(key)-1, 0)], dl); len(valid) > 0 {
				msg += " (valid keys here: " + strings.Join(valid, ", ") + ")"
			}
			errs = append(errs, &Error{File: file, Line: row, Column: col, Key: strings.Join(key, "."), Err: errors.New(msg)})
		}
		return doc, errors.Join(errs...)
	case errors.As(err, &de):
		row, col := de.Position()
		return doc, &Error{File: file, Line: row, Column: col, Key: strings.Join(de.Key(), "."), Err: errors.New(strings.TrimPrefix(de.Error(), "toml: "))}
	}
	return doc, &Error{File: file, Err: err}
}

// validKeys lists the TOML keys of the struct that path (table names,
// without array indexes) leads to from t, for unknown-key messages.
func validKeys(t reflect.Type, path []string, dl dialect) []string {
	for {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		if len(path) == 0 {
			break
		}
		next := false
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if strings.EqualFold(tomlName(f), path[0]) {
				t, path, next = f.Type, path[1:], true
				break
			}
		}
		if !next {
			return nil
		}
	}
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.IsExported() && !otherDialectKey(dl, tomlName(f)) {
			keys = append(keys, tomlName(f))
		}
	}
	sort.Strings(keys)
	return keys
}

// otherDialectKey reports whether key belongs to the other file format
// only, so that it is not suggested.
func otherDialectKey(dl dialect, key string) bool {
	switch key {
	case "required", "skipReport", "commits":
		return dl == dialectMcpscan
	case "severity":
		return dl == dialectGitleaks
	}
	return false
}

func tomlName(f reflect.StructField) string {
	if name, _, _ := strings.Cut(f.Tag.Get("toml"), ","); name != "" {
		return name
	}
	return f.Name
}

// indexKeyLines maps every key path of a TOML document (lower-cased, with
// array-table and array indexes: "rules[1].allowlists[0].regexes[2]") to
// the line it is on. A document that does not parse gives what was
// indexed before the error; the decoder reports the error itself.
func indexKeyLines(data []byte) map[string]int {
	ix := &keyIndexer{lines: map[string]int{}, counts: map[string]int{}}
	ix.p.Reset(data)
	prefix := ""
	for ix.p.NextExpression() {
		e := ix.p.Expression()
		switch e.Kind {
		case unstable.Table:
			parts, line := ix.keyParts(e.Key())
			prefix = ix.resolve(parts)
			ix.set(prefix, line)
		case unstable.ArrayTable:
			parts, line := ix.keyParts(e.Key())
			if len(parts) == 0 {
				continue
			}
			path := join(ix.resolve(parts[:len(parts)-1]), parts[len(parts)-1])
			ix.counts[path]++
			prefix = fmt.Sprintf("%s[%d]", path, ix.counts[path]-1)
			ix.set(prefix, line)
		case unstable.KeyValue:
			ix.keyValue(e, prefix)
		}
	}
	return ix.lines
}

type keyIndexer struct {
	p      unstable.Parser
	lines  map[string]int
	counts map[string]int // array-table path → tables so far
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func (ix *keyIndexer) set(path string, line int) {
	if _, ok := ix.lines[path]; !ok && line > 0 {
		ix.lines[path] = line
	}
}

// resolve turns table-header key parts into a path, adding the index of
// the latest table of each array of tables on the way.
func (ix *keyIndexer) resolve(parts []string) string {
	path := ""
	for _, part := range parts {
		path = join(path, part)
		if n := ix.counts[path]; n > 0 {
			path = fmt.Sprintf("%s[%d]", path, n-1)
		}
	}
	return path
}

func (ix *keyIndexer) lineOf(n *unstable.Node) int {
	if n == nil || n.Raw.Length == 0 {
		return 0
	}
	return ix.p.Shape(n.Raw).Start.Line
}

func (ix *keyIndexer) keyParts(it unstable.Iterator) ([]string, int) {
	var parts []string
	line := 0
	for it.Next() {
		n := it.Node()
		parts = append(parts, strings.ToLower(string(n.Data)))
		if line == 0 {
			line = ix.lineOf(n)
		}
	}
	return parts, line
}

func (ix *keyIndexer) keyValue(e *unstable.Node, prefix string) {
	parts, line := ix.keyParts(e.Key())
	path := prefix
	for _, part := range parts {
		path = join(path, part)
	}
	ix.set(path, line)
	ix.value(e.Value(), path, line)
}

func (ix *keyIndexer) value(v *unstable.Node, path string, line int) {
	switch v.Kind {
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); i++ {
			n := it.Node()
			el := fmt.Sprintf("%s[%d]", path, i)
			l := ix.lineOf(n)
			if l == 0 {
				l = line
			}
			ix.set(el, l)
			ix.value(n, el, l)
		}
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			if kv := it.Node(); kv.Kind == unstable.KeyValue {
				ix.keyValue(kv, path)
			}
		}
	}
}

// fileError wraps an error about a whole file, without repeating the
// file name an *fs.PathError already carries.
func fileError(file string, err error) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &Error{File: file, Err: err}
}
