package rules_test

import (
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

// TestPlaceholdersInAnyLanguage: placeholders, masks, redaction markers and
// file paths are not secrets; random keys that happen to contain a
// placeholder word still are.
func TestPlaceholdersInAnyLanguage(t *testing.T) {
	for _, v := range []string{
		// Placeholders in other languages.
		"REMPLACER_PAR_VOTRE_CLE", "remplacez-par-votre-clé", "VOTRE_CLE_API", "PON_TU_TOKEN_AQUI", "pon-tu-clave-aquí",
		"TU_CLAVE_AQUI", "DEIN_API_SCHLUESSEL", "DEIN_API_SCHLÜSSEL", "hier-deinen-token-eintragen", "INSIRA_SUA_CHAVE",
		"SEU_TOKEN_AQUI", "IL_TUO_TOKEN", "inserisci-la-tua-chiave", "JOUW_API_SLEUTEL", "TWOJ_KLUCZ_API",
		"ВАШ_КЛЮЧ_API", "你的API密钥", "あなたのAPIキー",
		// English placeholders and instructions.
		"<insert-key>", "<insert your key>", "sk-...", "sk-…", "insert-key-here", "API_KEY_GOES_HERE", "your_token_here",
		"example-api-key", "EXAMPLE_TOKEN_123", "fake-token-for-tests", "dummy_password_1", "sample-secret-value",
		// Redaction markers other tools write, and mcpscan's own.
		"[REDACTED]", "<redacted>", "***", "sk-…abcd", "sk-proj-***************Xa1B", "ghp_****************",
		"[REDACTED:github-pat:3f2a9c]", "[MASKED]", "••••••",
		// File paths given as credential values.
		"./keys/sa.json", "../secrets/db-password.txt", "~/.config/gcloud/application_default_credentials.json",
		"/etc/ssl/private/app.key", "/run/secrets/api_token", `C:\keys\sa.json`, "/Users/dev/keys/service-account.json",
		"file:///home/dev/.aws/credentials",
	} {
		if !rules.IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = false, want true", v)
		}
		if rules.IsLiteralCredential(v) {
			t.Errorf("IsLiteralCredential(%q) = true, want false", v)
		}
	}
	for _, v := range []string{
		// Random keys that happen to hold a placeholder word.
		"q8Vf3LzTEXAMPLEk9RbX4mHc", "Xk9mQfake-2vLr7pTzW3", "sk-proj-abcfake-9Xk2mQ7vLr3pTzW8nB4c", "zHere7xQ2k9LmP4vT8wR",
		"tu8Kx2mQ9vLr7pTz", "sample9Xk2mQ7vLr3pTz", "hunterq8Vf3LzT2nWk9", "DEIN7k2Xq9mLr4vPt8Wz",
		// Real-looking values next to path-ish characters.
		"wK8#pL2vQ9xR", "/Xk9mQ2vLr7pT+abcdE=", "a/b/Xk9mQ2vLr7pTz",
	} {
		if rules.IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = true, want false", v)
		}
	}
}

// TestPlaceholdersAreNotReported: through the matcher, placeholder values
// under credential names and provider-shaped placeholders yield nothing,
// in every rule.
func TestPlaceholdersAreNotReported(t *testing.T) {
	for _, text := range []string{
		"OPENAI_API_KEY=REMPLACER_PAR_VOTRE_CLE",
		`{"env":{"GITHUB_TOKEN":"PON_TU_TOKEN_AQUI"}}`,
		"API_KEY=DEIN_API_SCHLUESSEL",
		"export ANTHROPIC_API_KEY=<insert-key>",
		"OPENAI_API_KEY=sk-...",
		`GOOGLE_APPLICATION_CREDENTIALS=./keys/sa.json`,
		`{"env":{"SSL_KEY_FILE":"/etc/ssl/private/app.key"}}`,
		`"password": "[REDACTED]"`,
		`token: <redacted>`,
		`Authorization: Bearer ***`,
		`OPENAI_API_KEY=sk-…abcd`,
		`GITHUB_TOKEN=[REDACTED:github-pat:3f2a9c]`,
		`"apiKey": "ghp_****************************"`,
	} {
		for _, h := range scanText(t, text) {
			t.Errorf("%q: %s reported %q", text, h.Rule.ID, h.Secret)
		}
	}
}
