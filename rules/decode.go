package rules

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// This file decodes the base64 wrappings credentials hide in, so that a
// handler can scan the decoded text and report what it finds at the
// encoded place: Kubernetes Secret data values, HTTP Basic credentials and
// Docker registry auths. The functions are pure: they take the encoded
// value a handler located and return text, never touch files.

// DecodeBase64 decodes s in the standard or the URL-safe alphabet, padded
// or not, ignoring the line breaks and blanks base64 tools wrap lines with,
// and returns the decoded text when it is printable UTF-8 (tabs and line
// breaks allowed). ok is false for anything else: invalid base64, binary
// data, or fewer than 4 input characters.
func DecodeBase64(s string) (text string, ok bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	if len(s) < 4 {
		return "", false
	}
	raw := strings.TrimRight(s, "=")
	var b []byte
	var err error
	if strings.ContainsAny(raw, "-_") {
		b, err = base64.RawURLEncoding.DecodeString(raw)
	} else {
		b, err = base64.RawStdEncoding.DecodeString(raw)
	}
	if err != nil || len(b) == 0 || !utf8.Valid(b) {
		return "", false
	}
	for _, r := range string(b) {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f || r == utf8.RuneError {
			return "", false
		}
	}
	return string(b), true
}

// DecodeBasicAuth decodes the credentials of an HTTP Basic Authorization
// value (RFC 7617: base64 of user-id ":" password; the "Basic " scheme, if
// present, is skipped). ok is false when the value does not decode to text
// with a colon and a non-empty password.
func DecodeBasicAuth(v string) (user, password string, ok bool) {
	v = strings.TrimSpace(v)
	if len(v) > 6 && strings.EqualFold(v[:6], "basic ") {
		v = strings.TrimSpace(v[6:])
	}
	text, ok := DecodeBase64(v)
	if !ok {
		return "", "", false
	}
	user, password, ok = strings.Cut(text, ":")
	if !ok || password == "" || strings.ContainsAny(text, "\n\r") {
		return "", "", false
	}
	return user, password, true
}

// DockerAuth is one registry credential of a Docker client config
// (~/.docker/config.json, a kubernetes.io/dockerconfigjson Secret's
// .dockerconfigjson, or the legacy ~/.dockercfg).
type DockerAuth struct {
	Registry string // the key under "auths": a host, or a URL
	Username string // from "username", or decoded from "auth"
	// Secret is the credential: the password decoded from "auth", else
	// "password", "identitytoken" or "registrytoken".
	Secret string
	// Field names the JSON member that holds the credential ("auth",
	// "password", "identitytoken", "registrytoken"), and Value is that
	// member's value as written (for "auth", the base64 text): the text a
	// handler locates and reports.
	Field, Value string
}

// DockerConfigAuths parses a Docker client config and returns its registry
// credentials, sorted by registry. It understands {"auths": {registry:
// {...}}} and the legacy {registry: {...}} form. Entries without a
// credential (credential helpers, empty auths) are left out. The error
// reports JSON that does not parse.
func DockerConfigAuths(doc []byte) ([]DockerAuth, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		return nil, fmt.Errorf("docker config: %w", err)
	}
	entries := top
	if raw, ok := top["auths"]; ok {
		entries = nil
		if err := json.Unmarshal(raw, &entries); err != nil {
			return nil, fmt.Errorf("docker config: auths: %w", err)
		}
	}
	var out []DockerAuth
	for registry, raw := range entries {
		var e struct {
			Auth, Username, Password, IdentityToken, RegistryToken string
		}
		if json.Unmarshal(raw, &e) != nil {
			continue // credsStore, credHelpers, HttpHeaders … in the legacy form
		}
		a := DockerAuth{Registry: registry, Username: e.Username}
		switch {
		case e.Auth != "":
			user, pass, ok := DecodeBasicAuth(e.Auth)
			if !ok {
				continue
			}
			a.Username, a.Secret, a.Field, a.Value = user, pass, "auth", e.Auth
		case e.Password != "":
			a.Secret, a.Field, a.Value = e.Password, "password", e.Password
		case e.IdentityToken != "":
			a.Secret, a.Field, a.Value = e.IdentityToken, "identitytoken", e.IdentityToken
		case e.RegistryToken != "":
			a.Secret, a.Field, a.Value = e.RegistryToken, "registrytoken", e.RegistryToken
		default:
			continue
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Registry < out[j].Registry })
	return out, nil
}

// SecretDatum is one decoded entry of a Kubernetes Secret's data map.
type SecretDatum struct {
	Key     string // the data key: "password", ".dockerconfigjson", "tls.key"
	Decoded string // the decoded value
	// ScanText is what a handler runs the matcher over (Text mode): the
	// key and the decoded value as one "key: value" line (so that the
	// NAME=value rules see the key), or, for a multi-line value (a PEM
	// key, a config file), the value alone.
	ScanText string
	// Credential says that the entry holds a literal credential by its key
	// name (password, token, api-key …) whatever its format: report it
	// (as gitleaks' kubernetes-secret-yaml) when the matcher finds nothing
	// more specific in ScanText.
	Credential bool
	// Docker holds the registry credentials of a .dockerconfigjson or
	// .dockercfg entry.
	Docker []DockerAuth
}

// DecodeSecretData decodes one entry of a Kubernetes Secret's data map
// (values are base64, https://kubernetes.io/docs/concepts/configuration/secret/).
// ok is false when the value is not base64 of text (binary data such as a
// keystore is left to path and format rules).
func DecodeSecretData(key, encoded string) (SecretDatum, bool) {
	text, ok := DecodeBase64(encoded)
	if !ok {
		return SecretDatum{}, false
	}
	d := SecretDatum{Key: key, Decoded: text, ScanText: key + ": " + text}
	if strings.ContainsAny(strings.TrimRight(text, "\r\n"), "\n") {
		d.ScanText = text
	}
	if key == ".dockerconfigjson" || key == ".dockercfg" {
		d.Docker, _ = DockerConfigAuths([]byte(text))
	}
	d.Credential = IsCredentialName(key) && IsLiteralCredential(text) && !strings.Contains(text, "\n")
	return d, true
}
