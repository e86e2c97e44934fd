package rules

import (
	"net/url"
	"strings"
)

// This file finds credentials by the place they sit in, not by their
// format: an env value under a credential-like name, an Authorization
// header, the argument after --token. It serves the structural rules of
// MCP configs and agent settings.

// IsLiteralCredential reports whether v, found where a credential belongs,
// is a literal value rather than a reference the client expands (${VAR},
// ${VAR:-x}, ${env:X}, ${input:id}, {env:X}, $VAR, ${{ secrets.X }},
// {{ x }}), a placeholder, an empty value, or a short number or flag. A
// reference whose variable name is a provider token (${env:ghp_…}) is a
// literal: see HasTokenReference.
func IsLiteralCredential(v string) bool {
	v = strings.TrimSpace(v)
	if HasTokenReference(v) {
		return true
	}
	if v == "" || strings.Contains(v, "${") || strings.Contains(v, "{env:") || strings.HasPrefix(v, "$") ||
		strings.Contains(v, "{{") || IsPlaceholder(v) {
		return false
	}
	digits := true
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			digits = false
			break
		}
	}
	return !(digits && len(v) < 8) && len(v) >= 4
}

// credentialHeaders are header names that carry credentials whatever
// IsCredentialName says.
var credentialHeaders = map[string]bool{
	"authorization": true, "proxy-authorization": true, "cookie": true, "x-api-key": true, "api-key": true,
	"x-auth-token": true, "private-token": true, "x-goog-api-key": true, "ocp-apim-subscription-key": true,
}

// IsCredentialHeader reports whether an HTTP header name carries a
// credential (Authorization, Cookie, x-api-key, PRIVATE-TOKEN … or any
// name IsCredentialName accepts).
func IsCredentialHeader(name string) bool {
	name = strings.TrimSpace(name)
	return credentialHeaders[strings.ToLower(name)] || IsCredentialName(name)
}

// authSchemes are prefixes of Authorization values; the credential
// follows them.
var authSchemes = []string{"bearer ", "basic ", "token ", "bot ", "apikey ", "api-key "}

// HeaderCredential returns the byte span [start, end) of the literal
// credential in a credential header's value (after a scheme such as
// "Bearer "), or ok false for references and placeholders.
func HeaderCredential(v string) (start, end int, ok bool) {
	k := len(v) - len(strings.TrimLeft(v, " \t"))
	lower := strings.ToLower(v)
	for _, s := range authSchemes {
		if strings.HasPrefix(lower[k:], s) {
			k += len(s)
			break
		}
	}
	cred := strings.TrimSpace(v[k:])
	if cred == "" {
		return 0, 0, false
	}
	k += strings.Index(v[k:], cred)
	return k, k + len(cred), IsLiteralCredential(cred)
}

// ArgSpan is a credential inside command-line argument Arg: bytes
// [Start, End) of args[Arg].
type ArgSpan struct {
	Arg, Start, End int
}

// ArgCredentials finds literal credentials passed as arguments: --token X,
// --api-key=X, --password X, --header "Authorization: Bearer X", -e KEY=X
// (docker), and bare KEY=X with a credential-like name.
func ArgCredentials(args []string) []ArgSpan {
	var out []ArgSpan
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			if s, e, ok := AssignmentCredential(a); ok {
				out = append(out, ArgSpan{i, s, e})
			}
			continue
		}
		flag, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		lf := strings.ToLower(flag)
		switch {
		case lf == "header" || lf == "h" || lf == "e" || lf == "env":
			// --header "Name: value" (mcp-remote, curl), -e KEY=VALUE (docker).
			arg, text, off := i, val, len(a)-len(val)
			if !hasVal {
				if i+1 >= len(args) {
					continue
				}
				i++
				arg, text, off = i, args[i], 0
			}
			var s, e int
			var ok bool
			if lf == "header" || lf == "h" {
				s, e, ok = headerArgCredential(text)
			} else {
				s, e, ok = AssignmentCredential(text)
			}
			if ok {
				out = append(out, ArgSpan{arg, off + s, off + e})
			}
		case !IsCredentialName(flag):
		case hasVal:
			if IsLiteralCredential(val) {
				out = append(out, ArgSpan{i, len(a) - len(val), len(a)})
			}
		case i+1 < len(args) && !strings.HasPrefix(args[i+1], "-"):
			i++
			if IsLiteralCredential(args[i]) {
				out = append(out, ArgSpan{i, 0, len(args[i])})
			}
		}
	}
	return out
}

// headerArgCredential parses "Name: value" and returns the credential's span.
func headerArgCredential(h string) (int, int, bool) {
	name, val, ok := strings.Cut(h, ":")
	if !ok || !IsCredentialHeader(name) {
		return 0, 0, false
	}
	s, e, ok := HeaderCredential(val)
	return len(name) + 1 + s, len(name) + 1 + e, ok
}

// AssignmentCredential parses KEY=VALUE with a credential-like KEY and a
// literal VALUE, returning VALUE's span.
func AssignmentCredential(a string) (int, int, bool) {
	key, val, ok := strings.Cut(a, "=")
	if !ok || key == "" || strings.ContainsAny(key, " /:\"'") || !IsCredentialName(key) || !IsLiteralCredential(val) {
		return 0, 0, false
	}
	return len(key) + 1, len(a), true
}

// URLCredential finds a literal password in the userinfo, or a literal
// value of a credential-named query parameter, of a URL, returning its
// byte span in raw.
func URLCredential(raw string) (int, int, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return 0, 0, false
	}
	if u.User != nil {
		if p, ok := u.User.Password(); ok && IsLiteralCredential(p) {
			if k := strings.Index(raw, ":"+p+"@"); k >= 0 {
				return k + 1, k + 1 + len(p), true
			}
		}
	}
	for key, vals := range u.Query() {
		if !IsCredentialName(key) {
			continue
		}
		for _, v := range vals {
			if IsLiteralCredential(v) {
				if k := strings.Index(raw, key+"="+v); k >= 0 {
					return k + len(key) + 1, k + len(key) + 1 + len(v), true
				}
			}
		}
	}
	return 0, 0, false
}

// SplitCommand splits a shell command line into words the way a POSIX
// shell would for simple commands (quotes and backslashes, no expansion),
// returning each word and the byte offset where it starts in line.
// Operators (&&, |, ;) become words of their own.
func SplitCommand(line string) (words []string, starts []int) {
	var cur strings.Builder
	start := -1
	quote := byte(0)
	flush := func() {
		if start >= 0 {
			words = append(words, cur.String())
			starts = append(starts, start)
			cur.Reset()
			start = -1
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' && i+1 < len(line) {
				i++
				cur.WriteByte(line[i])
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			if start < 0 {
				start = i
			}
			quote = c
		case c == '\\' && i+1 < len(line):
			if start < 0 {
				start = i
			}
			i++
			cur.WriteByte(line[i])
		case c == ' ' || c == '\t' || c == '\n':
			flush()
		case c == ';' || c == '|' || c == '&':
			flush()
			words = append(words, string(c))
			starts = append(starts, i)
		default:
			if start < 0 {
				start = i
			}
			cur.WriteByte(c)
		}
	}
	flush()
	return words, starts
}
