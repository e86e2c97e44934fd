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

	"github.com/mcpscan/mcpscan/internal/lazyre"
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

// tomlDoc is one parsed TOML file with the position of every key, for
// error messages about values that parsed but do not make sense (a bad
// regex).
type tomlDoc struct {
	file string
	pos  map[string]position // lower-cased key path ("rules[0].regex") → where
	errs []error
}

// position is a 1-based line and column.
type position struct{ line, col int }

// errorf records a mistake at key (a path as in Error.Key; its position
// is looked up, falling back to the nearest enclosing key). The message
// must not quote values from the file: the position says where they are.
func (d *tomlDoc) errorf(key, format string, args ...any) {
	p := d.at(key)
	d.errs = append(d.errs, &Error{File: d.file, Line: p.line, Column: p.col, Key: key, Err: fmt.Errorf(format, args...)})
}

// at returns the position of key path, or of its nearest enclosing key,
// or the zero position.
func (d *tomlDoc) at(key string) position {
	k := strings.ToLower(key)
	for k != "" {
		if p, ok := d.pos[k]; ok {
			return p
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return position{}
}

// line returns the line of key path (see at).
func (d *tomlDoc) line(key string) int { return d.at(key).line }

// placed returns value placed at key, for errors reported later.
func (d *tomlDoc) placed(key, value string) placed { return d.placedAs(key, key, value) }

// placedAs is placed at the position of key, named as name.
func (d *tomlDoc) placedAs(key, name, value string) placed {
	p := d.at(key)
	return placed{value: value, file: d.file, line: p.line, col: p.col, key: name}
}

// err returns the recorded mistakes, joined, or nil.
func (d *tomlDoc) err() error { return errors.Join(d.errs...) }

// decodeStrict decodes data into v (a pointer to a struct), rejecting keys
// v has no field for. Key names match case-insensitively, as in gitleaks
// (viper). Unknown keys are recorded in the returned doc, every one of
// them, and the rest of the document is decoded, so that the caller goes
// on to check the values and reports all the mistakes at once. A syntax
// error or a type mismatch stops the decoding: it is the returned error.
// Mistakes are *Error values naming file, line, column and key, with
// messages that never quote the file's values (scrubParserMessage).
func decodeStrict(file string, data []byte, v any, dl dialect) (*tomlDoc, error) {
	doc := &tomlDoc{file: file, pos: indexKeys(data)}
	err := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(v)
	if err == nil {
		return doc, nil
	}
	var strict *toml.StrictMissingError
	var de *toml.DecodeError
	switch {
	case errors.As(err, &strict):
		for i := range strict.Errors {
			e := &strict.Errors[i]
			row, col := e.Position()
			key := []string(e.Key())
			msg := "unknown key"
			if valid := validKeys(reflect.TypeOf(v), key[:max(len(key)-1, 0)], dl); len(valid) > 0 {
				msg += " (valid keys here: " + strings.Join(valid, ", ") + ")"
			}
			doc.errs = append(doc.errs, &Error{File: file, Line: row, Column: col, Key: strings.Join(key, "."), Err: errors.New(msg)})
		}
		return doc, nil
	case errors.As(err, &de):
		row, col := de.Position()
		return doc, &Error{File: file, Line: row, Column: col, Key: strings.Join(de.Key(), "."), Err: errors.New(scrubParserMessage(de.Error()))}
	}
	return doc, &Error{File: file, Err: errors.New(scrubParserMessage(err.Error()))}
}

var (
	// a character the parser quotes from the file: "U+0068 'h'"
	quotedRune = lazyre.New(`\s*(but got )?U\+[0-9A-Fa-f]{4,6}( '[^']*')?`)
	// a quoted string or literal: "…", '…' or `…`
	quotedText = lazyre.New("\\s*(\"[^\"]*\"|'[^']*'|`[^`]*`)")
	// a type mismatch, with Go's names for the field and its type
	typeMismatch = lazyre.New(`cannot decode TOML (\w+) into (?:struct field )?\S+ of type (\S+)`)
)

// scrubParserMessage keeps the category of a parser message and drops
// what it quotes from the file: a config file may hold a credential (an
// allowlisted token, a value typed into the wrong key), and an error
// message must not print it. "unexpected character U+0068 'h' at start of
// value" becomes "unexpected character at start of value"; "invalid
// literal: \"hunter2\"" becomes "invalid literal"; a type mismatch is
// said in TOML's words, without Go's type names. The position (file,
// line, column) says where the value is.
func scrubParserMessage(msg string) string {
	msg = strings.TrimPrefix(msg, "toml: ")
	if m := typeMismatch.FindStringSubmatch(msg); m != nil {
		return "wrong type: a TOML " + m[1] + " where " + tomlType(m[2]) + " is expected"
	}
	msg = quotedRune.ReplaceAllString(msg, "")
	msg = quotedText.ReplaceAllString(msg, "")
	msg = strings.TrimRight(strings.TrimSpace(msg), ":,")
	if msg == "" {
		msg = "syntax error"
	}
	return msg
}

// tomlType names a Go type of the config schema as TOML does.
func tomlType(goType string) string {
	switch {
	case goType == "string":
		return "a string"
	case goType == "bool":
		return "a boolean (true or false)"
	case strings.HasPrefix(goType, "int"):
		return "an integer"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "[]string":
		return "an array of strings"
	case strings.HasPrefix(goType, "[]"):
		return "an array of tables"
	}
	return "a table"
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

// indexKeys maps every key path of a TOML document (lower-cased, with
// array-table and array indexes: "rules[1].allowlists[0].regexes[2]") to
// where it is: the key, or for array elements the element. A document
// that does not parse gives what was indexed before the error; the
// decoder reports the error itself.
func indexKeys(data []byte) map[string]position {
	ix := &keyIndexer{pos: map[string]position{}, counts: map[string]int{}}
	ix.p.Reset(data)
	prefix := ""
	for ix.p.NextExpression() {
		e := ix.p.Expression()
		switch e.Kind {
		case unstable.Table:
			parts, at := ix.keyParts(e.Key())
			prefix = ix.resolve(parts)
			ix.set(prefix, at)
		case unstable.ArrayTable:
			parts, at := ix.keyParts(e.Key())
			if len(parts) == 0 {
				continue
			}
			path := join(ix.resolve(parts[:len(parts)-1]), parts[len(parts)-1])
			ix.counts[path]++
			prefix = fmt.Sprintf("%s[%d]", path, ix.counts[path]-1)
			ix.set(prefix, at)
		case unstable.KeyValue:
			ix.keyValue(e, prefix)
		}
	}
	return ix.pos
}

type keyIndexer struct {
	p      unstable.Parser
	pos    map[string]position
	counts map[string]int // array-table path → tables so far
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func (ix *keyIndexer) set(path string, at position) {
	if _, ok := ix.pos[path]; !ok && at.line > 0 {
		ix.pos[path] = at
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

func (ix *keyIndexer) posOf(n *unstable.Node) position {
	if n == nil || n.Raw.Length == 0 {
		return position{}
	}
	st := ix.p.Shape(n.Raw).Start
	return position{line: st.Line, col: st.Column}
}

func (ix *keyIndexer) keyParts(it unstable.Iterator) ([]string, position) {
	var parts []string
	var at position
	for it.Next() {
		n := it.Node()
		parts = append(parts, strings.ToLower(string(n.Data)))
		if at.line == 0 {
			at = ix.posOf(n)
		}
	}
	return parts, at
}

func (ix *keyIndexer) keyValue(e *unstable.Node, prefix string) {
	parts, at := ix.keyParts(e.Key())
	path := prefix
	for _, part := range parts {
		path = join(path, part)
	}
	ix.set(path, at)
	ix.value(e.Value(), path, at)
}

func (ix *keyIndexer) value(v *unstable.Node, path string, at position) {
	switch v.Kind {
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); i++ {
			n := it.Node()
			el := fmt.Sprintf("%s[%d]", path, i)
			p := ix.posOf(n)
			if p.line == 0 {
				p = at
			}
			ix.set(el, p)
			ix.value(n, el, p)
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
