package rules

import (
	"strings"
	"unsafe"

	"github.com/mcpscan/mcpscan/internal/lazyre"
)

// privateKeyRadius is the window radius for private key blocks: a 4096-bit
// RSA key in PEM is about 3.3 KB, more when JSON-escaped.
const privateKeyRadius = 16 << 10

// Remediation texts shared by mcpscan's rules.
const (
	fixRotate = "Rotate the credential now (assume it is compromised), then remove it from the file. " +
		"Keep secrets out of files agents read and write: reference them instead (${VAR} in configs, a secret manager, or the OS keychain)."
	fixTranscript = "Transcripts are kept forever: rotate the credential, then delete or scrub the session file (or the whole project folder under ~/.claude/projects)."
)

// mcpscanRules returns mcpscan's own rules. Each pattern was written for
// mcpscan; the sources of the formats are given in References.
func mcpscanRules() []*Rule {
	rs := mcpscanRuleData()
	for _, r := range rs {
		if r.ID == "generic-credential-assignment" {
			r.hitCheck = assignmentCheck(r.Pattern, r.Keywords)
		}
	}
	return rs
}

// mcpscanRuleData returns mcpscan's own rules as data.
func mcpscanRuleData() []*Rule {
	return []*Rule{
		{
			// Pattern source: the assignment forms of POSIX sh (export K=V),
			// dotenv, YAML 1.2 mappings, JSON members, Python and JS/TS
			// literals; the name list follows gitleaks' generic-api-key
			// keywords plus PASSWORD/PWD/PASSPHRASE.
			ID:          "generic-credential-assignment",
			Description: "A credential-like name (KEY, SECRET, TOKEN, PASSWORD …) assigned a literal value that looks like a secret.",
			Severity:    Medium,
			Kind:        KindSecret,
			Origin:      OriginMcpscan,
			Priority:    PriorityGeneric,
			Keywords: []string{"secret", "token", "passw", "pwd", "passphrase", "credential",
				"api_key", "api-key", "apikey", "api.key", "access_key", "access-key", "accesskey", "access.key",
				"private_key", "private-key", "privatekey", "private.key", "auth_key", "auth-key", "authkey", "auth.key",
				"api key", "access key"},
			// The name holds at most 64 bytes before its keyword and 48
			// after it, and every class but the leading boundary is ASCII,
			// so a match is at most ~420 bytes long and WindowRadius
			// derives a radius that covers it. The bounds after the keyword
			// (48 name bytes and 16 blanks, or a quote and 7 blanks) stay
			// within what AssignmentPrecheck skips.
			// It starts with a lazy name prefix, like gitleaks' semi-generic
			// rules, so that the matcher can run it anchored at each keyword
			// hit (rules.Rule.Anchor); leftmost matching extends the name
			// to the left as far as a word boundary would.
			// A quoted value runs to its closing quote and may hold any
			// printable character but a blank (framework secret keys,
			// passwords with & , ; ( ) …); an unquoted one ends at a
			// blank, a quote or a shell or list separator. Markdown bold
			// around the name or the colon (**API key:** …, **Token**: …),
			// a space inside the name ("API key", "Secret key") and an index expression
			// (config["SECRET_KEY"] = …, $cfg['api_key'] = …) are allowed.
			Pattern: `[\w.-]{0,64}?(?i:secret|token|password|passwd|passphrase|pwd|api_key|api-key|api\.key|apikey|api key|access_key|access-key|access\.key|accesskey|access key|private_key|private-key|private\.key|privatekey|auth_key|auth-key|auth\.key|authkey|credentials?)[A-Za-z0-9_.-]{0,48}(?: (?i:key|token|value|phrase))?` +
				`(?:\\?["']\]?[ \t]{0,7}|\*{0,2}[ \t]{0,16})(?:=|:=|:|=>)\*{0,2}[ \t]{0,16}` +
				`(?:\\?"(` + dqValue + `{8,256})\\?"|\\?'(` + sqValue + `{8,256})\\?'|\x60(` + bqValue + `{8,256})\x60|(?:\\?["']|\x60)?(` + assignmentValue + `{8,256}))`,
			Precheck:    QuotedAssignmentPrecheck(8),
			Validate:    validateAssignment,
			Why:         "A literal secret in a shell line, dotenv file or config is readable by anyone who gets the file, and by every agent session that reads it.",
			Remediation: fixRotate,
		},
		{
			// Pattern source: RFC 6750 §2.1 (Bearer credentials in the
			// Authorization header): b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
			ID:          "http-bearer-token",
			Description: "A bearer token in an HTTP Authorization header (Authorization: Bearer …).",
			Severity:    High,
			Priority:    PriorityStructural,
			Kind:        KindSecret,
			Origin:      OriginMcpscan,
			Keywords:    []string{"bearer"},
			// Tokens up to 4,000 characters: Azure AD and Google ID tokens
			// (JWTs) run to 2–3 KB. RE2 caps a repeat count at 1,000, hence
			// the chain of optional groups; the radius covers the longest.
			Pattern:     `(?i:\bbearer)[ \t]{1,8}(` + bearerChar + `{16,1000}(?:` + bearerChar + `{1,1000}(?:` + bearerChar + `{1,1000}(?:` + bearerChar + `{1,1000})?)?)?={0,3})`,
			Radius:      4096,
			Validate:    func(s, _ string) bool { return LooksLikeSecret(s, 16) },
			Why:         "A bearer token is the whole credential: whoever holds it is authenticated as its owner until it expires or is revoked.",
			Remediation: fixRotate,
			References:  []string{"https://www.rfc-editor.org/rfc/rfc6750#section-2.1"},
		},
		{
			// Pattern source: RFC 7617 §2 (Basic scheme: base64 of user-id ":" password).
			ID:          "http-basic-auth",
			Description: "HTTP Basic credentials (Authorization: Basic base64(user:password)).",
			Severity:    High,
			Priority:    PriorityStructural,
			Kind:        KindSecret,
			Origin:      OriginMcpscan,
			Keywords:    []string{"basic"},
			Pattern:     `(?i:\bbasic)[ \t]{1,8}([A-Za-z0-9+/]{8,684}={0,2})(?:[^A-Za-z0-9+/=]|$)`,
			Validate:    validateBasicAuth,
			Why:         "Basic credentials are a username and password, only base64-encoded.",
			Remediation: fixRotate,
			References:  []string{"https://www.rfc-editor.org/rfc/rfc7617#section-2"},
		},
		{
			// Pattern source: API-key headers documented by Anthropic
			// (x-api-key), GitLab (PRIVATE-TOKEN), Google (x-goog-api-key),
			// Azure (Ocp-Apim-Subscription-Key, x-functions-key).
			ID:          "http-api-key-header",
			Description: "An API key in an HTTP header such as x-api-key, PRIVATE-TOKEN or x-goog-api-key.",
			Severity:    High,
			Priority:    PriorityStructural,
			Kind:        KindSecret,
			Origin:      OriginMcpscan,
			Keywords:    []string{"api-key", "auth-token", "access-token", "private-token", "subscription-key", "functions-key", "api-token"},
			Pattern:     `(?:^|[^A-Za-z0-9-])((?i:(?:x-)?(?:api-key|auth-token|access-token|api-token)|private-token|x-goog-api-key|x-functions-key|ocp-apim-subscription-key))\\?["']?[ \t]{0,8}[:=][ \t]{0,8}\\?["']?([A-Za-z0-9._~+/=-]{12,512})`,
			SecretGroup: 2,
			Validate:    func(s, _ string) bool { return LooksLikeSecret(s, 12) },
			Why:         "An API key header authenticates every request that carries it.",
			Remediation: fixRotate,
			References:  []string{"https://docs.anthropic.com/en/api/overview#authentication", "https://docs.gitlab.com/api/rest/authentication/"},
		},
		{
			// Pattern source: RFC 3986 §3.2.1 userinfo ("user:password@"),
			// with the schemes of the common database, queue and cache URLs.
			ID:          "url-embedded-credentials",
			Description: "A URL with a password in it (postgres://user:password@host, https://user:token@host).",
			Severity:    High,
			Priority:    PriorityStructural,
			Kind:        KindSecret,
			Origin:      OriginMcpscan,
			Keywords:    []string{"://"},
			Pattern: `(?i:\b((?:postgres(?:ql)?|mysql|mariadb|redis|rediss|mongodb(?:\+srv)?|amqps?|mssql|sqlserver|oracle|clickhouse|cockroachdb|neo4j(?:\+s)?|bolt|nats|kafka|ldaps?|smtps?|ftps?|sftp|ssh|https?|wss?|git\+https?|jdbc:[a-z]{1,16})://))` +
				`(` + urlUserChar + `{0,64}):(` + urlPasswordChar + `{1,256})@[A-Za-z0-9.\[\]_%-]{1,128}`,
			SecretGroup: 3,
			Precheck:    userinfoPrecheck,
			Validate:    validateURLPassword,
			Why:         "A connection string with a password gives direct access to the database, queue or service it names.",
			Remediation: "Rotate the password, then build the URL from a reference at run time (for example DATABASE_URL from the environment, or a password file).",
			References:  []string{"https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1"},
		},
		{
			// Pattern source: RFC 7468 (PEM textual encoding) labels
			// "PRIVATE KEY", "RSA/EC/DSA/OPENSSH/ENCRYPTED PRIVATE KEY",
			// and OpenPGP's "PGP PRIVATE KEY BLOCK" (RFC 4880 §6.2).
			ID:          "private-key-block",
			Description: "A private key block (PEM, OpenSSH or PGP).",
			Severity:    Critical,
			Priority:    PriorityProvider,
			Kind:        KindSecret,
			Origin:      OriginMcpscan,
			Keywords:    []string{"private key-----", "private key block-----"},
			// The body never holds "--", so a match cannot run past the
			// first END line into a later block.
			Pattern:              `-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s:,.\\]|-[A-Za-z0-9]){64,}?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`,
			Radius:               privateKeyRadius,
			SkipPlaceholderCheck: true,
			Validate:             validatePrivateKey,
			Why:                  "A private key is the identity itself: servers, signing and decryption trust whoever holds it.",
			Remediation:          "Treat the key as compromised: revoke it (remove it from authorized_keys, the certificate authority or the provider), generate a new pair, and keep the private half in ~/.ssh or an agent, never in a file an agent reads.",
			References:           []string{"https://www.rfc-editor.org/rfc/rfc7468"},
		},
		{
			// Pattern source: the flag spellings of common CLIs (gh, npm,
			// vercel, heroku, curl wrappers, database clients).
			ID:          "cli-credential-argument",
			Description: "A credential passed on a command line (--token X, --api-key=X, --password X).",
			Severity:    High,
			Priority:    PriorityStructural,
			Kind:        KindSecret,
			Origin:      OriginMcpscan,
			Keywords: []string{"-token", "-password", "-passwd", "-secret", "-api-key", "-api_key", "-apikey",
				"-access_token", "-auth_token", "-client_secret", "-private_token"},
			// The flag and its value are separated by "=", blanks, or, in
			// a JSON argument array, by `", "` ("args": ["--token", "X"]).
			Pattern: `(?:^|[\s"'(\[])--?(?i:api[-_]?key|access[-_]token|auth[-_]token|token|password|passwd|secret|client[-_]secret|private[-_]token)` +
				`(?:=|[ \t]{1,8}|\\?"[ \t]{0,8},[ \t]{0,8})\\?["']?(` + cliValueChar + `{8,256})`,
			Validate:    func(s, _ string) bool { return LooksLikeSecret(s, 8) },
			Why:         "Command lines are saved in shell history, agent transcripts and \"always allow\" permission rules, and are visible to other users in the process list.",
			Remediation: fixRotate + " Pass the value through an environment variable or a file instead of an argument.",
		},
		{
			// Pattern sources: the password options of each tool's manual:
			// mysql/mariadb and their dump/admin tools (-p<password>, glued:
			// "-p password" prompts), sshpass -p, redis-cli -a/--pass,
			// sqlcmd -P, OpenLDAP ldapsearch/ldapadd/ldapmodify -w,
			// mongosh/mongo/mongodump -p, docker/podman login -p, keytool/jarsigner
			// -storepass/-keypass, openssl -passin/-passout/-pass pass:…,
			// smbclient -U user%password, Apache htpasswd -b (batch mode:
			// file, user, password; with -n: user, password).
			ID:          "cli-password-argument",
			Description: "A password passed on a command line through a tool's own option (mysql -p…, sshpass -p, redis-cli -a, htpasswd -b, openssl -passin pass:…).",
			Severity:    High,
			Priority:    PriorityStructural,
			Kind:        KindSecret,
			Origin:      OriginMcpscan,
			Keywords: []string{"mysql", "mariadb", "sshpass", "redis-cli", "sqlcmd", "ldap", "mongo", "docker login", "podman login",
				"keytool", "jarsigner", "openssl", "smbclient", "htpasswd"},
			// Each alternative starts at the tool's name, skips up to 6
			// other arguments, and ends right before the password.
			Pattern: atKeyword + `(?:` +
				`(?i:mysql|mariadb)[a-z-]{0,12}` + cliArgs + `[ \t]{1,8}-p` +
				`|(?i:sshpass)` + cliArgs + `[ \t]{1,8}-p[ \t]{0,8}` +
				`|(?i:redis-cli)` + cliArgs + `[ \t]{1,8}(?:-a|--pass)[ \t]{1,8}` +
				`|(?i:sqlcmd)` + cliArgs + `[ \t]{1,8}-P[ \t]{0,8}` +
				`|(?i:ldap)[a-z]{0,10}` + cliArgs + `[ \t]{1,8}-w[ \t]{1,8}` +
				`|(?i:mongo)[a-z]{0,10}` + cliArgs + `[ \t]{1,8}-p[ \t]{1,8}` +
				`|(?i:docker login|podman login)` + cliArgs + `[ \t]{1,8}-p[ \t]{1,8}` +
				`|(?i:keytool|jarsigner)` + cliArgs + `[ \t]{1,8}-(?:src|dest)?(?:storepass|keypass)[ \t]{1,8}` +
				`|(?i:openssl)` + cliArgs + `[ \t]{1,8}-pass(?:in|out)?[ \t]{1,8}pass:` +
				`|(?i:smbclient)` + cliArgs + `[ \t]{1,8}-U[ \t]{0,8}[^%\s'"]{1,64}%` +
				`|(?i:htpasswd)(?:[ \t]{1,8}-[A-Za-z]{1,8}){0,4}?[ \t]{1,8}-[A-Za-z]{0,8}(?:n[A-Za-z]{0,8}b|b[A-Za-z]{0,8}n)[A-Za-z]{0,8}(?:[ \t]{1,8}-[A-Za-z]{1,8}){0,4}[ \t]{1,8}[^\s'"-][^\s'"]{0,63}[ \t]{1,8}` +
				`|(?i:htpasswd)(?:[ \t]{1,8}-[A-Za-z]{1,8}){0,4}?[ \t]{1,8}-[A-Za-z]{0,8}b[A-Za-z]{0,8}(?:[ \t]{1,8}-[A-Za-z]{1,8}){0,4}[ \t]{1,8}[^\s'"]{1,128}[ \t]{1,8}[^\s'"-][^\s'"]{0,63}[ \t]{1,8}` +
				`)(?:'([^'\n]{1,128})'|\\?"([^"\\\n]{1,128})\\?"|(` + cliValueChar + `{1,128}))`,
			Validate:    func(s, _ string) bool { return LooksLikeSecret(s, 6) },
			Why:         "Command lines are saved in shell history, agent transcripts and \"always allow\" permission rules, and are visible to other users in the process list.",
			Remediation: fixRotate + " Let the tool read the password from its option file or environment instead (~/.my.cnf, MYSQL_PWD, PGPASSWORD in a .pgpass file, REDISCLI_AUTH, sshpass -e with SSHPASS, htpasswd without -b).",
		},
	}
}

// cliArgs skips up to 6 command-line arguments (words without shell
// operators) between a tool's name and its password option.
const cliArgs = `(?:[ \t]{1,4}[^ \t\r\n;|&]{1,64}){0,6}?`

// Character classes of mcpscan's patterns. They are ASCII-only, so that a
// match's length in bytes equals its length in characters, and the window
// radius derived from the pattern (Rule.WindowRadius) stays small.
const (
	// assignmentValue: a printable ASCII character other than a quote,
	// backtick, comma, semicolon, "&" (which ends a value in a query string,
	// ?api_key=…&page=2, and in shell, X=…&&make) or backslash (which ends
	// a value, or starts the \" that closes it inside a JSON string).
	assignmentValue = `[\x21\x23-\x25\x28-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x5f\x61-\x7e]`
	// dqValue, sqValue, bqValue: a printable ASCII character other than a
	// blank, a backslash and the quote (", ', `) that closes the value.
	dqValue = `[\x21\x23-\x5b\x5d-\x7e]`
	sqValue = `[\x21-\x26\x28-\x5b\x5d-\x7e]`
	bqValue = `[\x21-\x5b\x5d-\x5f\x61-\x7e]`
	// bearerChar: RFC 6750's b64token alphabet, without the "=" padding.
	bearerChar = `[A-Za-z0-9._~+/-]`
	// urlUserChar: a printable ASCII character other than : @ / \ < > and
	// quotes (RFC 3986 userinfo, percent-encoded).
	urlUserChar = `[\x21\x23-\x26\x28-\x2e\x30-\x39\x3b\x3d\x3f\x41-\x5b\x5d-\x5f\x61-\x7e]`
	// urlPasswordChar: urlUserChar plus ":".
	urlPasswordChar = `[\x21\x23-\x26\x28-\x2e\x30-\x3b\x3d\x3f\x41-\x5b\x5d-\x5f\x61-\x7e]`
	// cliValueChar: a printable ASCII character other than quotes,
	// backslash, and the shell operators ; | &.
	cliValueChar = `[\x21\x23-\x25\x28-\x3a\x3c-\x5b\x5d-\x5f\x61-\x7b\x7d\x7e]`
)

// userinfoPrecheck admits a "://" hit only when a userinfo with a colon
// and an "@" follows within the lengths url-embedded-credentials allows,
// using only characters its classes allow (a backslash, a JSON escape,
// makes it accept).
func userinfoPrecheck(b []byte, i int) bool {
	colon := false
	for k := 0; k < 64+1+256+1; k++ {
		if i+k >= len(b) {
			return true
		}
		switch c := b[i+k]; {
		case c == '@':
			return colon
		case c == ':':
			colon = true
		case c == '\\':
			return true
		case c <= ' ' || c == '"' || c == '\'' || c == '/' || c == '<' || c == '>' || c == '`' || c >= 0x7f:
			return false
		}
	}
	return false
}

// assignmentName extracts the name of a NAME=value match.
var assignmentName = lazyre.New(`(?i)([a-z0-9_.-]+)\\?["']?[ \t]*(?:=|:=|:|=>)`)

// nonSecretNameSuffixes end names that hold metadata about a secret, not
// the secret: TOKEN_URL, PASSWORD_FILE, max_tokens, SECRET_NAME.
var nonSecretNameSuffixes = []string{
	"file", "path", "url", "uri", "dir", "name", "id", "ids", "type", "length", "len", "size", "count",
	"ttl", "expiry", "expires", "expiration", "timeout", "header", "env", "var", "field", "prefix",
	"endpoint", "format", "mode", "policy", "required", "enabled", "limit", "usage", "tokens",
	"host", "port", "user", "username", "helper", "command", "cmd", "location", "key_id", "min", "max",
	"regex", "pattern", "hint", "label", "placeholder", "description", "validation", "rotation",
	"strength", "reset", "confirmation", "confirm", "changed", "version", "store", "manager", "provider",
	"source", "ref", "reference", "kind", "arn",
}

// nonSecretNames are names that contain a secret word but never hold a
// secret: pagination and CSRF tokens, tokenizers, authors. Like the
// suffixes above they also match at the end of a longer name
// (next_page_token, X-CSRF-Token, nextPageToken).
var nonSecretNames = []string{
	"author", "authority", "authors", "tokenizer", "tokenize", "passwordless", "secretary",
	"csrf_token", "csrftoken", "xsrf_token", "xsrftoken", "next_token", "nexttoken", "page_token", "pagetoken",
	"continuation_token", "continuationtoken", "cursor_token", "sync_token", "synctoken",
	"cancellation_token", "cancellationtoken", "token_type", "tokentype",
}

// metadataSuffixes holds nonSecretNames and nonSecretNameSuffixes.
var metadataSuffixes = func() map[string]bool {
	m := map[string]bool{}
	for _, list := range [][]string{nonSecretNames, nonSecretNameSuffixes} {
		for _, w := range list {
			m[w] = true
		}
	}
	return m
}()

// hasMetadataSuffix reports whether hasNameSuffix(orig, norm, w) holds
// for a word w of nonSecretNames or nonSecretNameSuffixes: whether norm
// from a place where hasNameSuffix sees a word start (the start, after a
// "_", or a camelCase capital of orig) to its end is such a word.
func hasMetadataSuffix(orig, norm string) bool {
	for j := 0; j < len(norm); j++ {
		if j > 0 && norm[j-1] != '_' {
			c, p := orig[j], orig[j-1]
			if !(c >= 'A' && c <= 'Z' && !(p >= 'A' && p <= 'Z')) {
				continue
			}
		}
		if metadataSuffixes[norm[j:]] {
			return true
		}
	}
	return false
}

// validateAssignment rejects NAME=value matches whose name holds metadata
// (TOKEN_URL, max_tokens, next_page_token), whose value repeats the name
// (password: req.body.password), or whose value does not look like a secret.
func validateAssignment(secret, match string) bool {
	var buf [128]byte
	orig, norm := assignedNameInto(buf[:], match)
	// Vault's AppRole secret_id is a credential despite its "_id".
	if hasMetadataSuffix(orig, norm) && !hasNameSuffix(orig, norm, "secret_id") && !hasNameSuffix(orig, norm, "secretid") {
		return false
	}
	if orig != "" {
		if isASCII(secret) && isASCII(orig) {
			if containsFoldASCII(secret, orig) {
				return false
			}
		} else if strings.Contains(strings.ToLower(secret), strings.ToLower(orig)) {
			return false
		}
	}
	return LooksLikeSecret(secret, 8)
}

// assignedName returns the first name in a NAME=value match, trimmed of
// "._-", and its normalised form: lower-cased, with "-" and "." turned into
// "_" (so both have the same length).
func assignedName(match string) (orig, norm string) {
	return assignedNameInto(nil, match)
}

// assignedNameInto is assignedName that may write norm into buf and
// return it as a view of buf (valid while buf is).
func assignedNameInto(buf []byte, match string) (orig, norm string) {
	if !isASCII(match) {
		// (?i)[a-z] also matches ſ and the Kelvin sign: leave such
		// matches to the regex.
		if m := assignmentName.FindStringSubmatch(match); m != nil {
			orig = strings.Trim(m[1], "._-")
		}
		return orig, strings.ToLower(nameSeparators.Replace(orig))
	}
	orig = strings.Trim(firstAssignedName(match), "._-")
	if len(orig) > len(buf) {
		return orig, strings.ToLower(nameSeparators.Replace(orig))
	}
	for i := 0; i < len(orig); i++ {
		c := orig[i]
		switch {
		case c == '-' || c == '.':
			c = '_'
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	if orig == "" {
		return "", ""
	}
	return orig, unsafe.String(&buf[0], len(orig))
}

// firstAssignedName is assignmentName's group 1 on an ASCII match: the
// first run of name characters ([A-Za-z0-9_.-]) followed by an optional
// backslash, an optional quote, blanks and "=" or ":". A run is only ever
// followed by a byte outside the class, so the regex's leftmost match
// starts at the start of a run and takes all of it; the optional parts
// after it are of disjoint classes, so they are read greedily.
func firstAssignedName(match string) string {
	for i := 0; i < len(match); {
		if !isNameChar(match[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(match) && isNameChar(match[j]) {
			j++
		}
		k := j
		if k < len(match) && match[k] == '\\' {
			k++
		}
		if k < len(match) && (match[k] == '"' || match[k] == '\'') {
			k++
		}
		for k < len(match) && (match[k] == ' ' || match[k] == '\t') {
			k++
		}
		if k < len(match) && (match[k] == '=' || match[k] == ':') {
			return match[i:j]
		}
		i = j
	}
	return ""
}

var nameSeparators = strings.NewReplacer("-", "_", ".", "_")

// hasNameSuffix reports whether a name ends with the word suf: norm is the
// name lower-cased with "-" and "." turned into "_", orig its original
// spelling (same length). The suffix must start the name, follow a "_", or
// start a camelCase word (apiKeyUrl → Url).
func hasNameSuffix(orig, norm, suf string) bool {
	if norm == suf {
		return true
	}
	if len(norm) <= len(suf) || !strings.HasSuffix(norm, suf) {
		return false
	}
	j := len(norm) - len(suf)
	if norm[j-1] == '_' {
		return true
	}
	c, p := orig[j], orig[j-1]
	return c >= 'A' && c <= 'Z' && !(p >= 'A' && p <= 'Z')
}

// validateBasicAuth accepts Basic credentials with a real password; with
// an empty user-id (Azure DevOps sends ":<PAT>") the password must look
// like a token.
func validateBasicAuth(secret, _ string) bool {
	user, pass, ok := DecodeBasicAuth(secret)
	if !ok || IsPlaceholder(pass) {
		return false
	}
	return user != "" || LooksLikeSecret(pass, 16)
}

func validateURLPassword(secret, match string) bool {
	if IsPlaceholder(secret) || len(secret) < 3 {
		return false
	}
	// "user:user@" and "postgres:postgres@" are local development defaults.
	if i := strings.Index(match, "://"); i >= 0 {
		if user, _, ok := strings.Cut(match[i+3:], ":"); ok && strings.EqualFold(user, secret) {
			return false
		}
	}
	return true
}

var pemBody = lazyre.New(`-----BEGIN[ A-Z0-9_-]*?-----(?s)(.*?)-----END`)

// pemEscapes undoes the JSON escapes a PEM body may carry in raw text.
var pemEscapes = strings.NewReplacer(`\r\n`, "\n", `\n`, "\n", `\r`, "\n", `\/`, "/")

// validatePrivateKey accepts a private key block whose body is base64 (after
// any "Name: value" headers and a PGP checksum line), at least 64
// characters long and random-looking: not a truncated example (MIIE...), a
// run of x's, or words.
func validatePrivateKey(_ string, match string) bool {
	m := pemBody.FindStringSubmatch(match)
	if m == nil {
		return false
	}
	body := pemEscapes.Replace(m[1])
	if strings.Contains(body, "...") || strings.Contains(body, "…") {
		return false // a truncated example
	}
	var b64 strings.Builder
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.Contains(line, ":") { // PEM/PGP headers: Proc-Type, DEK-Info, Version
			continue
		}
		if len(line) == 5 && line[0] == '=' { // PGP armor checksum
			continue
		}
		for i := 0; i < len(line); i++ {
			if c := line[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
				return false
			}
		}
		b64.WriteString(line)
	}
	s := b64.String()
	return len(s) >= 64 && ShannonEntropy(s) > 4 && !isRepeated(strings.ToLower(s))
}
