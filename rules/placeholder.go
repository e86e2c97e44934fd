package rules

import (
	"strings"
	"unsafe"

	"github.com/mcpscan/mcpscan/internal/lazyre"
)

// referencePattern matches values that point at a secret instead of holding
// one: shell and dotenv expansions ($VAR, ${VAR}, ${VAR:-x}), editor and
// client references (${env:X}, ${input:id}, {env:X}), CI expressions
// (${{ secrets.X }}), Windows %VAR%, template slots ({{ x }}), and code
// that reads the environment (process.env.X, os.environ["X"], os.getenv("X"),
// ENV["X"], System.getenv).
var referencePattern = lazyre.New(`(?i)^(?:` +
	`\$[A-Za-z_][A-Za-z0-9_]*` +
	`|\$\{[^}]*\}` +
	`|\$\{\{[^}]*\}\}` +
	`|\{env:[^}]+\}` +
	`|%[A-Za-z_][A-Za-z0-9_]*%` +
	`|\{\{[^}]*\}\}` +
	`|\$\([^)]*\)?` +
	`|process\.env(?:\.|\[).*` +
	`|import\.meta\.env\..*` +
	`|os\.(?:environ|getenv).*` +
	`|env(?:\[|\(|\.).*` +
	`|system\.getenv.*` +
	`|getenv\(.*` +
	`)$`)

// placeholderMarks are substrings (lower-case) that never occur in a live
// credential, only in placeholders, masks and redaction markers that tools
// write: ellipses, runs of stars or dots, [REDACTED…] and mcpscan's own
// [REDACTED:<rule-id>:<id>], compound placeholder words. Single words such
// as "example" or "fake" are judged as whole words of the value instead
// (placeholderWordsOf), so that a random key that happens to hold them is
// still reported.
var placeholderMarks = []string{
	"yourapi", "yourtoken", "yoursecret", "yourpassword", "yourkey", "your api", "your token", "<your",
	"placeholder", "changeme", "change-me", "change_me", "replace-me", "replace_me", "replaceme",
	"put-your", "enter-your", "notreal", "not-a-real", "not_a_real",
	"xxxxxx", "***", "•••", "●●●", "...", "…", "<token>", "<secret>", "<password>", "<api", "<insert", "<replace",
	"[redacted", "<redacted", "redacted>", "redacted]", "[hidden", "[removed", "[masked", "<masked",
	// Placeholders in scripts without word separators.
	"你的", "您的", "替换", "填写", "填入", "あなたの", "ここに", "여기에",
}

// knownExamples are (lower-case) parts of credentials published in
// documentation, which show up in every codebase and transcript that copies
// an example: jwt.io's default HS256 token signature, Stripe's documented
// test key, the Telegram Bot API documentation's bot token, AWS's example
// key pair.
var knownExamples = []string{
	"sflkxwrjsmekkf2qt4fwpmejf36pok6yjv_adqssw5c",
	"4ec39hqlyjwdarjtt1zdp7dc",
	"abc-def1234ghikl-zyx57w2v1u123ew11",
	// AWS's documented access key pair (AKIAIOSFODNN7EXAMPLE).
	"iosfodnn7example", "wjalrxutnfemi/k7mdeng/bpxrficyexamplekey",
}

// placeholderParts finds placeholderMarks and knownExamples.
var placeholderParts = newSubstrings(placeholderMarks, knownExamples)

// exactPlaceholders are whole values (lower-case) that are never secrets.
var exactPlaceholders = map[string]bool{
	"password": true, "passwd": true, "pass": true, "secret": true, "token": true, "apikey": true,
	"api_key": true, "api-key": true, "changeit": true, "admin": true, "root": true, "test": true,
	"testing": true, "default": true, "none": true, "null": true, "nil": true, "undefined": true,
	"true": true, "false": true, "required": true, "optional": true, "string": true, "secret123": true,
	"password123": true, "password1": true, "letmein": true, "hunter2": true, "qwerty": true,
	"123456": true, "12345678": true, "123456789": true, "1234567890": true, "abc123": true,
	"foobar": true, "foo": true, "bar": true, "mysecret": true, "mypassword": true, "secretkey": true,
	"supersecret": true, "s3cr3t": true, "p@ssw0rd": true, "pa55word": true, "postgres": true,
	"sk-...": true, "sk-xxx": true,
	// Passwords from the Docker images' documentation (postgres, mysql,
	// redis), pasted into countless compose files and connection strings.
	"mysecretpassword": true, "my-secret-pw": true, "foobared": true,
}

// IsReference reports whether v is a reference to a secret kept elsewhere
// (${VAR}, $VAR, ${VAR:-x}, ${env:X}, ${input:id}, ${{ secrets.X }},
// {env:X}, %VAR%, {{ x }}, process.env.X …) rather than a literal. A
// "reference" whose variable name is a provider token (${env:ghp_…}, a
// token pasted where its variable's name belongs) is not one: it is the
// credential itself.
func IsReference(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && mayBeReference(v) && referencePattern.MatchString(v) && !HasTokenReference(v)
}

// mayBeReference reports whether v starts as one of referencePattern's
// alternatives must: "$", "%", "{", or one of referenceWords in any case.
// A value with a multi-byte character among its first bytes is left to
// the regex (the case-insensitive pattern matches ſ for s, K for k).
func mayBeReference(v string) bool {
	switch v[0] {
	case '$', '%', '{':
		return true
	}
	if !isASCII(v[:min(len(v), 16)]) {
		return true
	}
	for _, w := range referenceWords {
		if len(v) >= len(w) && containsFoldASCII(v[:len(w)], w) {
			return true
		}
	}
	return false
}

// referenceWords are the literal starts of referencePattern's
// alternatives that begin with a letter.
var referenceWords = []string{"process.env", "import.meta.env.", "os.environ", "os.getenv", "env[", "env(", "env.", "system.getenv", "getenv("}

// referenceNames finds the variable names inside references: ${NAME},
// ${NAME:-x}, ${env:NAME}, ${input:NAME}, {env:NAME}, $NAME, %NAME%.
var referenceNames = lazyre.New(`\$\{(?:env:|input:)?([^}:]+)[^}]*\}|\{env:([^}]+)\}|\$([A-Za-z_][A-Za-z0-9_-]*)|%([A-Za-z_][A-Za-z0-9_-]*)%`)

// HasTokenReference reports whether v holds a reference whose variable
// name is a credential in a provider's own format (${env:ghp_…},
// $sk-ant-…, {env:xoxb-…}): someone pasted the token where the name of
// its variable belongs, and the client sends it verbatim or fails, while
// the token sits in the file.
func HasTokenReference(v string) bool {
	if !strings.ContainsAny(v, "$%{") {
		return false
	}
	for _, m := range referenceNames.FindAllStringSubmatch(v, -1) {
		for _, name := range m[1:] {
			if name != "" && IsProviderToken(name) {
				return true
			}
		}
	}
	return false
}

// IsProviderToken reports whether s, as a whole, is a credential in the
// format of one of the built-in provider rules (a rule of
// PriorityProvider that recognises the token itself, not its context),
// passing that rule's entropy, validator and allowlists. It uses Default.
func IsProviderToken(s string) bool {
	if len(s) < 16 || len(s) > 1024 {
		return false
	}
	set := Default()
	lower := strings.ToLower(s)
	for _, r := range set.Rules() {
		if r.Priority != PriorityProvider || r.Contextual || r.Kind != KindSecret || r.Pattern == "" {
			continue
		}
		hit := false
		for _, k := range r.Keywords {
			if strings.Contains(lower, k) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, loc := range r.FindAll([]byte(s)) {
			if a, z := r.SecretSpan(loc); a == 0 && z == len(s) &&
				set.Accept(r, Candidate{Secret: s, Match: s[loc[0]:loc[1]], Line: s}) {
				return true
			}
		}
	}
	return false
}

// IsPlaceholder reports whether v is not a real secret: empty, a
// reference, a placeholder or documentation example in any language
// (your-api-key-here, <YOUR_TOKEN>, REMPLACER_PAR_VOTRE_CLE,
// PON_TU_TOKEN_AQUI, DEIN_API_SCHLUESSEL, changeme, xxxx…,
// AKIAIOSFODNN7EXAMPLE, jwt.io's sample token), a mask or redaction marker
// (****, [REDACTED], <redacted>, [REDACTED:github-pat:1a2b]), a truncated
// display (sk-proj-...a1B2, sk-…abcd), a file path (./keys/sa.json), a short
// unit repeated (abcabcabc) or an ascending run (12345678, abcdefgh).
func IsPlaceholder(v string) bool {
	v = strings.Trim(strings.TrimSpace(v), `"'`+"`")
	if v == "" || IsReference(v) {
		return true
	}
	var buf [256]byte
	lower := lowerInto(buf[:], v)
	if exactPlaceholders[lower] {
		return true
	}
	if placeholderParts.in(lower) {
		return true
	}
	switch v[0] {
	case '<':
		if v[len(v)-1] == '>' {
			return true
		}
	case '[':
		if v[len(v)-1] == ']' {
			return true
		}
	}
	return isRepeated(lower) || isSequence(lower) || isPlaceholderPhrase(v) || IsFilePath(v)
}

// isRepeated reports whether s is one character repeated, or a short unit
// repeated (abcabcabc), ignoring a provider-style prefix up to '_' or '-'
// (sk-xxxxxxxx) or separators throughout (XXXX-XXXX-XXXX).
func isRepeated(s string) bool {
	if i := strings.LastIndexAny(s, "_-"); i >= 0 && i < len(s)-1 && len(s)-i > 6 {
		if repeatedUnit(s[i+1:]) {
			return true
		}
	}
	if strings.ContainsAny(s, "_-. ") {
		var buf [256]byte
		if repeatedUnit(withoutSeparators(buf[:0], s)) {
			return true
		}
	}
	return repeatedUnit(s)
}

// withoutSeparators appends s without its "_", "-", "." and " " to buf
// and returns the result as a string viewing buf's array (valid while the
// array is).
func withoutSeparators(buf []byte, s string) string {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '_', '-', '.', ' ':
		default:
			buf = append(buf, c)
		}
	}
	if len(buf) == 0 {
		return ""
	}
	return unsafe.String(&buf[0], len(buf))
}

// repeatedUnit reports whether s (at least 4 bytes) is a unit of 1 to 3
// bytes repeated.
func repeatedUnit(s string) bool {
	if len(s) < 4 {
		return false
	}
	for unit := 1; unit <= 3; unit++ {
		ok := true
		for i := unit; i < len(s); i++ {
			if s[i] != s[i%unit] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// isSequence reports whether s is a run of ascending characters such as
// "0123456789" or "abcdefgh".
func isSequence(s string) bool {
	if len(s) < 6 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] != s[i-1]+1 {
			return false
		}
	}
	return true
}

// LooksLikeSecret reports whether a value found next to a credential-like
// name (PASSWORD=…, "apiKey": …) plausibly is a literal secret rather than
// code, prose, a path or a placeholder. minLen is the shortest accepted
// value in bytes; values over 4096 bytes are rejected.
func LooksLikeSecret(v string, minLen int) bool {
	if len(v) < minLen || len(v) > 4096 {
		return false
	}
	var lower, upper, digit, other, space int
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower++
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= '0' && c <= '9':
			digit++
		case c == ' ' || c == '\t':
			space++
		default:
			other++
		}
	}
	// The cheap shape tests first, the placeholder check (word lists in
	// many languages) last: most values rejected here are code.
	if space > 0 || digit == len(v) {
		return false
	}
	if isCodeLike(v) || isPathLike(v) {
		return false
	}
	classes := 0
	for _, n := range []int{lower, upper, digit, other} {
		if n > 0 {
			classes++
		}
	}
	// Words and identifiers (snake_case, kebab-case, CamelCase) are names,
	// not secrets, unless they carry digits or are long and random;
	// CONSTANT_CASE names (GITHUB_PAT_V2) even with digits.
	if classes < 2 && len(v) < 20 {
		return false
	}
	h := ShannonEntropy(v)
	if (digit == 0 && isWordLike(v) || isConstantLike(v)) && h < 4.0 {
		return false
	}
	if classes < 2 {
		if h < 3.5 {
			return false
		}
	} else if h < 2.5 {
		return false
	}
	return !IsPlaceholder(v)
}

// redactionMarker matches a marker that redaction tools write in place of a
// secret: [REDACTED], [REDACTED:<rule-id>:<id>] (mcpscan redact's own).
var redactionMarker = lazyre.New(`(?i)\[REDACTED(?::[^\]\s]{0,128})?\]`)

// InRedactionMarker reports whether secret starts inside a redaction
// marker of text (the match or its line): "--auth-token
// [REDACTED:cli-credential-argument:d7cf6c]" must not be read as a
// credential named "credential-argument" whose value is "d7cf6c]", nor
// "db:[REDACTED:url-embedded-credentials:2ba5]@host" as "2ba5]@host". A
// rescan after `mcpscan redact` finds nothing in its markers.
func InRedactionMarker(text, secret string) bool {
	// strings.ToUpper turns no other character into one of "[REDACTED"
	// (only ı, ſ and invalid bytes change class, into I, S and U+FFFD).
	if secret == "" || !containsFoldASCII(text, "[redacted") {
		return false
	}
	for _, m := range redactionMarker.FindAllString(text, -1) {
		if strings.Contains(m, secret) || strings.Contains(secret, m) {
			return true
		}
		for i := 1; i < len(m); i++ { // the secret starts within the marker
			if strings.HasPrefix(secret, m[i:]) && len(m)-i >= 4 {
				return true
			}
		}
	}
	return false
}
