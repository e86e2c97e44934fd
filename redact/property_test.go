package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// propSecrets are the planted values: tokens, a key block, and a password
// holding the characters JSON escapes (quote, backslash, slash) and a
// non-ASCII letter.
func propSecrets() []Secret {
	return []Secret{
		{Value: fakeGitHubPAT(51), RuleID: "github-pat", ID: "pat"},
		{Value: fakeAWSKeyID(52), RuleID: "aws-access-token", ID: "aws"},
		{Value: fakeAnthropicKey(53), RuleID: "anthropic-api-key", ID: "ant"},
		{Value: fakePEM(54), RuleID: "private-key", ID: "pem"},
		{Value: `pw"` + fakeBody(55, 6, alnum) + `\/é` + fakeBody(56, 5, alnum), RuleID: "password", ID: "pwd"},
	}
}

// kv is an object member; objects keep their order so a line can be
// encoded in many ways and compared.
type kv struct {
	k string
	v any
}

type propGen struct {
	r       *rand.Rand
	secrets []Secret
}

const textRunes = "abcxyz ABC019 _-./:=\"\\\n\t\r\u0001\u001fé€𝄞日\u2028<>&'"

func (g *propGen) text(maxLen int) string {
	rs := []rune(textRunes)
	var b strings.Builder
	for n := g.r.IntN(maxLen + 1); n > 0; n-- {
		b.WriteRune(rs[g.r.IntN(len(rs))])
	}
	return b.String()
}

// str returns a string, often with one or two secrets planted in it.
func (g *propGen) str() string {
	s := g.text(20)
	if g.r.IntN(3) == 0 {
		for n := 1 + g.r.IntN(2); n > 0; n-- {
			s += g.secrets[g.r.IntN(len(g.secrets))].Value + g.text(8)
		}
	}
	return s
}

func (g *propGen) value(depth int) any {
	k := g.r.IntN(10)
	if depth > 3 {
		k = 5 + g.r.IntN(5)
	}
	switch k {
	case 0, 1, 2:
		var obj []kv
		for n := g.r.IntN(5); n > 0; n-- {
			key := g.text(6)
			if g.r.IntN(20) == 0 {
				key = g.str() // a secret as a key
			}
			obj = append(obj, kv{key, g.value(depth + 1)})
		}
		return obj
	case 3, 4:
		var arr []any
		for n := g.r.IntN(4); n > 0; n-- {
			arr = append(arr, g.value(depth+1))
		}
		return arr
	case 5, 6, 7:
		return g.str()
	case 8:
		return []any{json.Number(strconv.Itoa(g.r.IntN(1e6) - 5000)), json.Number("1.5e-3"), true, false, nil}
	}
	return json.Number(strconv.FormatFloat(g.r.Float64()*1e6, 'g', -1, 64))
}

// encode writes v as JSON, choosing escapes at random where JSON allows
// several: \uXXXX (either case) for any character, \/ for a slash, short
// forms or \u for control characters.
func (g *propGen) encode(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case []kv:
		b.WriteByte('{')
		for i, m := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			g.encodeString(b, m.k)
			b.WriteByte(':')
			g.encode(b, m.v)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", "[:1+g.r.IntN(2)])
			}
			g.encode(b, e)
		}
		b.WriteByte(']')
	case string:
		g.encodeString(b, x)
	case json.Number:
		b.WriteString(string(x))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case nil:
		b.WriteString("null")
	}
}

func (g *propGen) encodeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, c := range s {
		esc := g.r.IntN(12) == 0
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '/' && g.r.IntN(2) == 0:
			b.WriteString(`\/`)
		case c < 0x20 && !esc:
			switch c {
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				fmt.Fprintf(b, `\u%04x`, c)
			}
		case esc || c < 0x20:
			g.uEscape(b, c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
}

func (g *propGen) uEscape(b *bytes.Buffer, c rune) {
	f := `\u%04x`
	if g.r.IntN(2) == 0 {
		f = `\u%04X`
	}
	if c > 0xffff {
		r1, r2 := utf16.EncodeRune(c)
		fmt.Fprintf(b, f+f, r1, r2)
		return
	}
	fmt.Fprintf(b, f, c)
}

// redactedString is what a decoded string must become: each occurrence
// of a secret (leftmost first) replaced, one marker per line of it, line
// breaks kept.
func redactedString(s string, secrets []Secret) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		best := -1
		for k, sec := range secrets {
			if strings.HasPrefix(s[i:], sec.Value) && (best < 0 || len(sec.Value) > len(secrets[best].Value)) {
				best = k
			}
		}
		if best < 0 {
			b.WriteByte(s[i])
			i++
			continue
		}
		sec := secrets[best]
		v := sec.Value
		for j := 0; j < len(v); {
			k := j
			for k < len(v) && v[k] != '\n' && v[k] != '\r' {
				k++
			}
			if k > j {
				b.WriteString(Marker(sec.RuleID, sec.ID))
			}
			for k < len(v) && (v[k] == '\n' || v[k] == '\r') {
				b.WriteByte(v[k])
				k++
			}
			j = k
		}
		i += len(v)
	}
	return b.String()
}

// expectTree applies redactedString to every string (keys too) of a
// parsed value.
func expectTree(v any, secrets []Secret) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			m[redactedString(k, secrets)] = expectTree(e, secrets)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = expectTree(e, secrets)
		}
		return out
	case string:
		return redactedString(x, secrets)
	}
	return v
}

func parseNumber(t *testing.T, line []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("does not parse: %v\n%s", err, line)
	}
	return v
}

func TestPropertyRandomRecords(t *testing.T) {
	secrets := propSecrets()
	for seed := uint64(0); seed < 300; seed++ {
		g := &propGen{r: rand.New(rand.NewPCG(seed, 7)), secrets: secrets}
		var in bytes.Buffer
		var lines int
		for n := 1 + g.r.IntN(6); n > 0; n-- {
			obj := []kv{{"type", "user"}, {"uuid", fmt.Sprintf("u-%d-%d", seed, n)}, {"message", g.value(0)}}
			if g.r.IntN(3) == 0 {
				obj = append(obj, kv{"toolUseResult", g.value(1)})
			}
			g.encode(&in, obj)
			in.WriteString([]string{"\n", "\r\n"}[g.r.IntN(2)])
			lines++
		}
		chunk := []int{0, 1, 13, 4096}[g.r.IntN(4)]
		out, _ := runEngine(t, KindJSONL, secrets, in.String(), chunk)
		inLines := strings.SplitAfter(in.String(), "\n")
		outLines := strings.SplitAfter(out, "\n")
		if len(inLines) != len(outLines) {
			t.Fatalf("seed %d: %d lines → %d", seed, len(inLines), len(outLines))
		}
		for i := range inLines {
			if strings.TrimSpace(inLines[i]) == "" {
				continue
			}
			want := expectTree(parseNumber(t, []byte(inLines[i])), secrets)
			got := parseNumber(t, []byte(outLines[i]))
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("seed %d line %d:\nin   %s\nout  %s\nwant %#v\ngot  %#v", seed, i, inLines[i], outLines[i], want, got)
			}
			// Line ends are kept exactly.
			if strings.HasSuffix(inLines[i], "\r\n") != strings.HasSuffix(outLines[i], "\r\n") {
				t.Fatalf("seed %d line %d: line end changed", seed, i)
			}
		}
		for _, s := range secrets {
			if strings.Contains(out, s.Value) {
				t.Fatalf("seed %d: raw secret left", seed)
			}
		}
	}
}

// FuzzRedactLine checks, for any line, that redaction never panics, keeps
// the line count, keeps valid JSON valid, and leaves no planted secret
// readable in any string of a valid line.
func FuzzRedactLine(f *testing.F) {
	secrets := propSecrets()
	pat := secrets[0].Value
	for _, s := range []string{
		recToolResult("u", "a", "t", "GH_TOKEN="+pat),
		`{"a":"\u0067` + pat[1:] + `"}`,
		`{"a":"` + pat[:5] + `\u00` + `"}`,
		`{"a":["x\\` + pat + `",1,{"b":"` + pat + `"}]}`,
		`{"a":"unterminated ` + pat,
		`{"a":"` + strings.ReplaceAll(jsonString(secrets[3].Value), `"`, ``) + `"}`,
		`{"k":"{\"inner\":\"` + pat[:4] + `\\u00` + fmt.Sprintf("%x", pat[4]) + pat[5:] + `\"}"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "\n") {
			return
		}
		out, _ := runEngine(t, KindJSONL, secrets, line+"\n", 0)
		if strings.Count(out, "\n") != 1 {
			t.Fatalf("line count changed: %q", out)
		}
		if !json.Valid([]byte(line)) || !utf8.ValidString(line) {
			return
		}
		if !json.Valid([]byte(out)) {
			t.Fatalf("valid line became invalid:\n%s\n%s", line, out)
		}
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					walk(k)
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			case string:
				for _, s := range secrets {
					if strings.Contains(x, s.Value) {
						t.Fatalf("secret readable after redaction:\n%s\n%s", line, out)
					}
				}
			}
		}
		var v any
		json.Unmarshal([]byte(out), &v)
		walk(v)
	})
}
