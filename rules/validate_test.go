package rules

import (
	"encoding/base64"
	"testing"
)

func TestHasNameSuffix(t *testing.T) {
	for _, c := range []struct {
		name, suf string
		want      bool
	}{
		{"TOKEN_URL", "url", true},
		{"token-url", "url", true},
		{"token.url", "url", true},
		{"apiKeyUrl", "url", true},
		{"url", "url", true},
		{"APIKEYURL", "url", false}, // no boundary to see
		{"tokenurl", "url", false},
		{"curl", "url", false},
		{"nextPageToken", "page_token", false}, // normalised names keep camelCase as one word
		{"nextPageToken", "pagetoken", true},
		{"next_page_token", "page_token", true},
		{"X-CSRF-Token", "csrf_token", true},
		{"API_ID", "id", true},
		{"APIid", "id", false},
		{"paid", "id", false},
	} {
		orig, norm := assignedName(c.name + "=x")
		if got := hasNameSuffix(orig, norm, c.suf); got != c.want {
			t.Errorf("hasNameSuffix(%q, %q) = %v, want %v", c.name, c.suf, got, c.want)
		}
	}
}

func TestValidateAssignment(t *testing.T) {
	const v = "q8Vf3LzT2nWk9RbX4mHc"
	for _, c := range []struct {
		match, secret string
		want          bool
	}{
		{"API_KEY=" + v, v, true},
		{`"client_secret": "` + v, v, true},
		{"SECRET_ID=" + v, v, true}, // Vault AppRole secret_id
		{"vaultSecretId: " + v, v, true},
		{"TOKEN_ID=" + v, v, false},
		{"API_KEY_FILE=" + v, v, false},
		{"tokenizer: " + v, v, false},
		{"next_page_token: " + v, v, false},
		{"password: password" + v, "password" + v, false}, // the value repeats the name
		{"API_KEY=changeme", "changeme", false},
		{"API_KEY=/run/secrets/key1", "/run/secrets/key1", false},
	} {
		if got := validateAssignment(c.secret, c.match); got != c.want {
			t.Errorf("validateAssignment(%q, %q) = %v, want %v", c.secret, c.match, got, c.want)
		}
	}
}

func TestValidateBasicAuth(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for secret, want := range map[string]bool{
		b64("deploy:Xk9-mQ2vLr7pT"):  true,
		b64("a@b.c:Xk9-mQ2v:Lr7pT"):  true, // the password may hold ':'
		b64("user:password"):         false,
		b64("admin:changeme"):        false,
		b64("no-colon-here"):         false,
		b64(":onlypassword"):         false,
		b64("onlyuser:"):             false,
		b64("bad\x01ctl:Xk9-mQ2vLr"): false,
		"not base64 at all!":         false,
		"dXNlcjpYazktbVEydkxyN3BU":   true, // unpadded "user:Xk9-mQ2vLr7pT"
	} {
		if got := validateBasicAuth(secret, ""); got != want {
			t.Errorf("validateBasicAuth(%q) = %v, want %v", secret, got, want)
		}
	}
}

func TestValidateURLPassword(t *testing.T) {
	for _, c := range []struct {
		secret, match string
		want          bool
	}{
		{"Hk3vP9xQ2mLw", "postgres://app:Hk3vP9xQ2mLw@db", true},
		{"pw", "postgres://app:pw@db", false},
		{"postgres", "postgres://postgres:postgres@db", false},
		{"Guest1234", "amqp://guest1234:Guest1234@mq", false},
		{"${DB_PASSWORD}", "postgres://app:${DB_PASSWORD}@db", false},
		{"password", "postgres://app:password@db", false},
	} {
		if got := validateURLPassword(c.secret, c.match); got != c.want {
			t.Errorf("validateURLPassword(%q, %q) = %v, want %v", c.secret, c.match, got, c.want)
		}
	}
}

func TestValidatePrivateKey(t *testing.T) {
	body := "MHcCAQEEIBkg4LVWM9nuwNSk3yBbYi1Ym7vVd2ETdxaTvnC0NeyaoAoGCCqGSM49\nAwEHoUQDQgAEaoc8vtZ9nDkNTu5Nd5vIy5YuAUI6kSzzchrtwT0FbHd0ZtU9rb5U\nDmEOPU4ugBD4ywH6zS3pUe9zHaOmjTUTGg=="
	for name, c := range map[string]struct {
		match string
		want  bool
	}{
		"EC":            {"-----BEGIN EC PRIVATE KEY-----\n" + body + "\n-----END EC PRIVATE KEY-----", true},
		"JSON-escaped":  {`-----BEGIN EC PRIVATE KEY-----\n` + escapeNL(body) + `\n-----END EC PRIVATE KEY-----`, true},
		"CRLF":          {"-----BEGIN EC PRIVATE KEY-----\r\n" + body + "\r\n-----END EC PRIVATE KEY-----", true},
		"headers":       {"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,5E1F0E8A9C3B7D2F\n\n" + body + "\n-----END RSA PRIVATE KEY-----", true},
		"PGP checksum":  {"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + body + "\n=tM2x\n-----END PGP PRIVATE KEY BLOCK-----", true},
		"truncated":     {"-----BEGIN EC PRIVATE KEY-----\n" + body + "...\n-----END EC PRIVATE KEY-----", false},
		"ellipsis":      {"-----BEGIN EC PRIVATE KEY-----\n" + body + "…\n-----END EC PRIVATE KEY-----", false},
		"short":         {"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yBb\n-----END EC PRIVATE KEY-----", false},
		"words":         {"-----BEGIN PRIVATE KEY-----\nPaste your key here and remove this line, then save the file again.\n-----END PRIVATE KEY-----", false},
		"x's":           {"-----BEGIN PRIVATE KEY-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END PRIVATE KEY-----", false},
		"escaped x's":   {`-----BEGIN PRIVATE KEY-----\nXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\nXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n-----END PRIVATE KEY-----`, false},
		"low entropy":   {"-----BEGIN PRIVATE KEY-----\nABABABABABABABABABABCDCDCDCDCDCDCDCDCDABABABABABABABABABCDCDCDCDCDCDCDCDCD\n-----END PRIVATE KEY-----", false},
		"no BEGIN line": {"-----END PRIVATE KEY-----", false},
	} {
		if got := validatePrivateKey("", c.match); got != c.want {
			t.Errorf("%s: validatePrivateKey = %v, want %v", name, got, c.want)
		}
	}
}

func escapeNL(s string) string {
	out := ""
	for _, r := range s {
		if r == '\n' {
			out += `\n`
		} else {
			out += string(r)
		}
	}
	return out
}

func TestValidateGenericAPIKey(t *testing.T) {
	const u = "3f2b8c1e-9d4a-4b7e-a1c2-5e6f7a8b9c0d"
	for _, c := range []struct {
		match, secret string
		want          bool
	}{
		{`token_id":"` + u, u, false},
		{`auth_request_uuid: ` + u, u, false},
		{`sessionTokenId = ` + u, u, false},
		{`secret_id":"` + u, u, true}, // Vault AppRole
		{`heroku_api_key = ` + u, u, true},
		{`api_token: ` + u, u, true},
		{`token_id: q8Vf3LzT2nWk9`, "q8Vf3LzT2nWk9", true}, // not a UUID: not this check's business
	} {
		if got := validateGenericAPIKey(c.secret, c.match); got != c.want {
			t.Errorf("validateGenericAPIKey(%q, %q) = %v, want %v", c.secret, c.match, got, c.want)
		}
	}
}

func TestIsRepeatedAndSequence(t *testing.T) {
	for s, want := range map[string]bool{
		"aaaa": true, "abab": true, "abcabcabc": true, "sk-xxxxxxxx": true, "xxxx-xxxx-xxxx": true,
		"aaa": false, "abcdabcd": false, "q8vf3lzt": false, "sk-ant-q8vf3lzt2nwk": false,
	} {
		if got := isRepeated(s); got != want {
			t.Errorf("isRepeated(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{
		"012345": true, "abcdefgh": true, "01234": false, "abcdeg": false, "q8vf3lzt": false,
	} {
		if got := isSequence(s); got != want {
			t.Errorf("isSequence(%q) = %v, want %v", s, got, want)
		}
	}
}
