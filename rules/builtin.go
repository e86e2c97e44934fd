package rules

import (
	"encoding/base64"
	"regexp"
	"strings"
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
			Keywords:    []string{"secret", "token", "passw", "pwd", "passphrase", "api_key", "api-key", "apikey", "access_key", "accesskey", "private_key", "privatekey", "auth_key", "credential"},
			Pattern: `(?i)(?:^|[^a-z0-9_.-])([a-z0-9_.-]*?(?:secret|token|passw(?:or)?d|passphrase|pwd|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|credentials?)[a-z0-9_.-]*)` +
				`\\?["']?[ \t]*(?:=|:=|:|=>)[ \t]*(?:\\?["'\x60])?([^\s"'\x60;,\\]{8,256})`,
			SecretGroup: 2,
			Radius:      384,
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
			Pattern:     `(?i)\bbearer[ \t]+([a-z0-9._~+/-]{16,1000}=*)`,
			Radius:      256,
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
			Pattern:     `(?i)\bbasic[ \t]+([a-z0-9+/]{8,512}={0,2})(?:[^a-z0-9+/=]|$)`,
			Radius:      256,
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
			Pattern:     `(?i)(?:^|[^a-z0-9-])((?:x-)?(?:api-key|auth-token|access-token|api-token)|private-token|x-goog-api-key|x-functions-key|ocp-apim-subscription-key)\\?["']?[ \t]*[:=][ \t]*\\?["']?([a-z0-9._~+/=-]{12,512})`,
			SecretGroup: 2,
			Radius:      256,
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
			Pattern: `(?i)\b((?:postgres(?:ql)?|mysql|mariadb|redis|rediss|mongodb(?:\+srv)?|amqps?|mssql|sqlserver|oracle|clickhouse|cockroachdb|neo4j(?:\+s)?|bolt|nats|kafka|ldaps?|smtps?|ftps?|sftp|ssh|https?|wss?|git\+https?|jdbc:[a-z]+)://)` +
				`([^:@/\s"'\x60<>\\]{0,128}):([^@/\s"'\x60<>\\]{1,256})@[a-z0-9.\[\]_%-]+`,
			SecretGroup: 3,
			Radius:      512,
			Validate:    validateURLPassword,
			Why:         "A connection string with a password gives direct access to the database, queue or service it names.",
			Remediation: "Rotate the password, then build the URL from a reference at run time (for example DATABASE_URL from the environment, or a password file).",
			References:  []string{"https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1"},
		},
		{
			// Pattern source: RFC 7468 (PEM textual encoding) labels
			// "PRIVATE KEY", "RSA/EC/DSA/OPENSSH/ENCRYPTED PRIVATE KEY",
			// and OpenPGP's "PGP PRIVATE KEY BLOCK" (RFC 4880 §6.2).
			ID:                   "private-key-block",
			Description:          "A private key block (PEM, OpenSSH or PGP).",
			Severity:             Critical,
			Priority:             PriorityProvider,
			Kind:                 KindSecret,
			Origin:               OriginMcpscan,
			Keywords:             []string{"private key-----", "private key block-----"},
			Pattern:              `-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s:,.\\-]{64,}?)-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`,
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
			Keywords:    []string{"-token", "-password", "-passwd", "-secret", "-api-key", "-api_key", "-apikey"},
			Pattern:     `(?i)(?:^|[\s"'(\[])--?(?:api[-_]?key|access[-_]token|auth[-_]token|token|password|passwd|secret|client[-_]secret|private[-_]token)(?:=|[ \t]+)\\?["']?([^\s"'\x60;|&\\]{8,256})`,
			Radius:      256,
			Validate:    func(s, _ string) bool { return LooksLikeSecret(s, 8) },
			Why:         "Command lines are saved in shell history, agent transcripts and \"always allow\" permission rules, and are visible to other users in the process list.",
			Remediation: fixRotate + " Pass the value through an environment variable or a file instead of an argument.",
		},
	}
}

// assignmentName extracts the name of a NAME=value match.
var assignmentName = regexp.MustCompile(`(?i)([a-z0-9_.-]+)\\?["']?[ \t]*(?:=|:=|:|=>)`)

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

// nonSecretNames are whole names that contain a secret word but never hold one.
var nonSecretNames = map[string]bool{
	"author": true, "authority": true, "authors": true, "tokenizer": true, "tokenize": true,
	"passwordless": true, "secretary": true, "csrf_token": true, "csrftoken": true, "next_token": true,
	"nexttoken": true, "page_token": true, "pagetoken": true, "continuation_token": true,
	"continuationtoken": true, "cursor_token": true, "sync_token": true, "cancellation_token": true,
	"cancellationtoken": true, "token_type": true, "tokentype": true,
}

func validateAssignment(secret, match string) bool {
	name := ""
	if m := assignmentName.FindStringSubmatch(match); m != nil {
		name = strings.ToLower(strings.Trim(m[1], "._-"))
	}
	if nonSecretNames[name] {
		return false
	}
	for _, suf := range nonSecretNameSuffixes {
		if name == suf || strings.HasSuffix(name, "_"+suf) || strings.HasSuffix(name, "-"+suf) ||
			strings.HasSuffix(name, "."+suf) || (len(name) > len(suf) && strings.HasSuffix(name, suf) && isCamelBoundary(name, match, suf)) {
			return false
		}
	}
	if name != "" && strings.Contains(strings.ToLower(secret), name) {
		return false
	}
	return LooksLikeSecret(secret, 8)
}

// isCamelBoundary reports whether the original spelling of a name in match
// has an upper-case letter where the suffix begins (apiKeyUrl → Url).
func isCamelBoundary(lowerName, match, suf string) bool {
	i := strings.Index(strings.ToLower(match), lowerName)
	if i < 0 {
		return false
	}
	j := i + len(lowerName) - len(suf)
	return j > i && j < len(match) && match[j] >= 'A' && match[j] <= 'Z'
}

func validateBasicAuth(secret, _ string) bool {
	raw, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(secret, "=")); err != nil {
			return false
		}
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok || user == "" || pass == "" {
		return false
	}
	for _, c := range raw {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return !IsPlaceholder(pass)
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

var pemBody = regexp.MustCompile(`-----BEGIN[^-]*-----((?s).*?)-----END`)

func validatePrivateKey(_ string, match string) bool {
	m := pemBody.FindStringSubmatch(match)
	if m == nil {
		return false
	}
	body := m[1]
	if strings.Contains(body, "...") || strings.Contains(body, "…") {
		return false // a truncated example
	}
	n := 0
	for _, line := range strings.FieldsFunc(strings.ReplaceAll(body, `\n`, "\n"), func(r rune) bool { return r == '\n' || r == '\r' }) {
		line = strings.TrimSpace(line)
		if strings.Contains(line, ":") { // PEM headers: Proc-Type, DEK-Info
			continue
		}
		n += len(line)
	}
	return n >= 64 && !isRepeated(strings.ToLower(strings.Join(strings.Fields(body), "")))
}
