package rules_test

import (
	"encoding/base64"
	"encoding/pem"
	"math/rand/v2"
	"strings"
	"testing"
)

// ruleCase is one text scanned with one rule, and the secrets the rule must
// extract from it, in order (none for a false-positive case).
type ruleCase struct {
	name string
	text string
	want []string
}

// runRuleCases checks each case twice: brute force over the whole text, and
// the way the scanner's matcher runs the rule (only in keyword windows), so
// that a Radius too small for the rule's matches shows up as a failure.
func runRuleCases(t *testing.T, id string, cases []ruleCase) {
	t.Helper()
	r := rule(t, id)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := acceptedSecrets(t, r, c.text)
			if !equalStrings(got, c.want) {
				t.Errorf("%s over %q:\n got %q\nwant %q", id, clip(c.text), got, c.want)
			}
			if w := windowedSecrets(t, r, c.text); !equalStrings(w, c.want) {
				t.Errorf("%s in keyword windows over %q:\n got %q\nwant %q", id, clip(c.text), w, c.want)
			}
		})
	}
}

// fp builds false-positive cases: each text must yield no secret.
func fp(texts ...string) []ruleCase {
	out := make([]ruleCase, len(texts))
	for i, s := range texts {
		out[i] = ruleCase{name: "fp/" + clip(s), text: s}
	}
	return out
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func one(s string) []string { return []string{s} }

// Test secrets. None has a provider prefix, so only the rule under test
// cares about them.
const (
	sec20 = "q8Vf3LzT2nWk9RbX4mHc"
	pw1   = "Zt8kLq2vR9pWx4Hs"
	pw2   = "S3cure-Pa55-2024x"
	tok32 = "hv3Q9mX2kL7pR4tW8zB1cN6yD5fG0jS2"
	jwt   = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtY3BzY2FuLXRlc3QiLCJpYXQiOjE3MDAwMDAwMDB9.3q8Vf3LzT2nWk9RbX4mHcA7yPd0sE5uJ1oG6iK"
)

func TestGenericCredentialAssignment(t *testing.T) {
	tp := []ruleCase{
		{"shell export", `export API_KEY="` + sec20 + `"`, one(sec20)},
		{"shell export unquoted", "export OPENAI_API_KEY=" + sec20 + "\n", one(sec20)},
		{"shell export single-quoted", "export GITHUB_TOKEN='" + tok32 + "' && gh pr list", one(tok32)},
		{"shell export inside a JSON string", `{"type":"tool_use","input":{"command":"export API_KEY=\"` + sec20 + `\" && npm test"}}`, one(sec20)},
		{"shell export single-quoted inside a JSON string", `{"command":"export SECRET_TOKEN='` + tok32 + `'\nnpm start"}`, one(tok32)},
		{"dotenv", "NODE_ENV=production\nDB_PASSWORD=" + pw1 + "\nDB_HOST=db\n", one(pw1)},
		{"dotenv with symbols", "DB_PASSWORD=Zt8#kLq2!vR9p*W$x%\n", one("Zt8#kLq2!vR9p*W$x%")},
		{"query string", "curl 'https://api.internal/v1/items?api_key=" + sec20 + "&page=2'", one(sec20)},
		{"shell &&", "API_TOKEN=" + tok32 + "&&npm run deploy", one(tok32)},
		{"dotenv CRLF", "DB_PASSWORD=" + pw1 + "\r\n", one(pw1)},
		{"yaml", "database:\n  user: app\n  password: " + pw2 + "\n", one(pw2)},
		{"yaml quoted", "  password: \"" + pw2 + "\"\n", one(pw2)},
		{"yaml in list", "env:\n  - name: X\n    secret_key: '" + sec20 + "'\n", one(sec20)},
		{"json member", `{"client_id": "1234", "client_secret": "` + tok32 + `"}`, one(tok32)},
		{"json compact", `{"client_secret":"` + tok32 + `","scope":"read"}`, one(tok32)},
		{"json escaped inside a JSON string", `"{\"client_secret\":\"` + tok32 + `\"}"`, one(tok32)},
		{"json camelCase", `{"accessKey":"` + sec20 + `"}`, one(sec20)},
		{"python", `SECRET_KEY = 'k3x9!vz2m@q7w$e8r4t6y1u'`, one("k3x9!vz2m@q7w$e8r4t6y1u")},
		{"python kwarg", `client = Client(api_key="` + sec20 + `")`, one(sec20)},
		{"js object", "const config = {\n  apiKey: '" + sec20 + "',\n  region: 'eu'\n};", one(sec20)},
		{"js const", "const API_TOKEN = `" + tok32 + "`;", one(tok32)},
		{"go short var", `token := "` + tok32 + `"`, one(tok32)},
		{"go const", `const authKey = "` + sec20 + `"`, one(sec20)},
		{"ruby hash rocket", `{ :password => "` + pw1 + `" }`, one(pw1)},
		{"toml", "[service]\napi_key = \"" + sec20 + "\"\n", one(sec20)},
		{"java properties dotted name", "spring.datasource.password=" + pw1 + "\n", one(pw1)},
		{"kebab name", "api-key: " + sec20, one(sec20)},
		{"private key name", `"private_key": "` + tok32 + `"`, one(tok32)},
		{"dotted api.key", "service.api.key=" + sec20, one(sec20)},
		{"access-key", "access-key: " + sec20, one(sec20)},
		{"auth-key", "AUTH_KEY=" + sec20, one(sec20)},
		{"credentials", "credentials: " + tok32, one(tok32)},
		{"passphrase", "SSH_PASSPHRASE=" + pw1, one(pw1)},
		{"pwd", "MYSQL_PWD=" + pw1, one(pw1)},
		{"two on a line", "A_TOKEN=" + sec20 + " B_SECRET=" + tok32, []string{sec20, tok32}},
		{"long name", "export MY_VERY_LONG_SERVICE_NAME_FOR_PRODUCTION_DEPLOYMENTS_API_KEY=" + sec20, one(sec20)},
		{"upper-case name", "PASSWORD=" + pw1, one(pw1)},
		{"vault approle secret_id", `{"role_id":"db-reader","secret_id":"` + "6a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d" + `"}`, one("6a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d")},
		{"vault approle secretId", `secretId: "6a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d"`, one("6a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d")},
		// The full character set of real values: framework secret keys
		// and passwords with punctuation, whole when quoted.
		{"django secret key", `SECRET_KEY = 'dj4ngo-k3#v@9!x(q2)w&z*m^e_8+r=t%y$u-i7o0p'`, one("dj4ngo-k3#v@9!x(q2)w&z*m^e_8+r=t%y$u-i7o0p")},
		{"flask config index", `app.config["SECRET_KEY"] = "x9;K2,q@F!7z$W*e&R(4)"`, one("x9;K2,q@F!7z$W*e&R(4)")},
		{"php array index", `$cfg['api_key'] = 'Qm7#zL2$vX9!kP4&';`, one("Qm7#zL2$vX9!kP4&")},
		{"password with @ $ * !", `DB_PASSWORD="P@$$w0rd!*Xq9"`, one("P@$$w0rd!*Xq9")},
		{"yaml password with ; and ,", `  password: 'Hk3;vP9,xQ2&mLw'`, one("Hk3;vP9,xQ2&mLw")},
		{"json password with quotes of the other kind", `{"password": "Zt8'kLq2` + "`" + `vR9p"}`, one("Zt8'kLq2`vR9p")},
		{"js template literal", "const apiKey = `q8Vf3L;zT2nW,k9RbX`;", one("q8Vf3L;zT2nW,k9RbX")},
		{"unquoted ends at &", "DB_PASSWORD=Zt8kLq2vR9p&x=1", one("Zt8kLq2vR9p")},
		// Markdown, as in CLAUDE.md files and plans.
		{"markdown bold label", "**API key:** " + sec20 + "\n", one(sec20)},
		{"markdown bold name", "**Password**: " + pw1, one(pw1)},
		{"markdown list item", "- Password: " + pw1 + "\n- Host: db.internal", one(pw1)},
		{"markdown bold list item with inline code", "* **Access token:** `" + tok32 + "`", one(tok32)},
		{"markdown numbered item", "2. Secret key: `" + sec20 + "`", one(sec20)},
		{"markdown inline code assignment", "Run `export API_TOKEN=" + tok32 + "` first.", one(tok32)},
	}
	runRuleCases(t, "generic-credential-assignment", tp)

	runRuleCases(t, "generic-credential-assignment", fp(
		// references
		`export API_KEY="${OPENAI_API_KEY}"`,
		`API_KEY=$OPENAI_API_KEY`,
		`DB_PASSWORD=${DB_PASSWORD:-changeme}`,
		`"apiKey": "${env:OPENAI_API_KEY}"`,
		`"token": "${input:github_token}"`,
		`GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`,
		`token: ${{secrets.GITHUB_TOKEN}}`,
		`"api_key": "{env:ANTHROPIC_API_KEY}"`,
		`set API_TOKEN=%API_TOKEN%`,
		`const apiKey = process.env.OPENAI_API_KEY;`,
		`apiKey: process.env["OPENAI_API_KEY"],`,
		`api_key = os.environ["OPENAI_API_KEY"]`,
		`api_key = os.getenv("OPENAI_API_KEY")`,
		`SECRET_KEY = os.environ.get("SECRET_KEY")`,
		`const key = import.meta.env.VITE_API_KEY`,
		`password: "{{ .Values.db.password }}"`,
		`password: "{{.Values.dbPassword}}"`,
		`DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id db)`,
		// placeholders
		`API_KEY=<your-token>`,
		`api_key: your-api-key-here`,
		`"apiKey": "YOUR_API_KEY"`,
		`SECRET=xxxxxxxxxxxxxxxxxxxx`,
		`password: changeme`,
		`password: "********"`,
		`"token": "[REDACTED]"`,
		`OPENAI_API_KEY=sk-proj-...a1B2`,
		`AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
		`aws_access_key_id = AKIAIOSFODNN7EXAMPLE`,
		`password: "password123"`,
		`DB_PASSWORD=••••••••`,
		// code
		`token = getToken()`,
		`apiKey: string`,
		`apiKey?: string;`,
		`password: req.body.password,`,
		`const token = response.data.token`,
		`secret: this.secret,`,
		`password = hashlib.sha256(raw).hexdigest()`,
		`token = token.strip()`,
		`client_secret: ClientSecretCredential`,
		`api_key: SecretStr`,
		`password: Optional[str] = None`,
		`secret_key: Option<String>,`,
		`token: CancellationToken`,
		`password: PasswordField`,
		`"password": self.password_hash`,
		// names that carry no secret
		`"max_tokens": 4096`,
		`"usage":{"input_tokens":12345678,"output_tokens":87654321}`,
		`TOKEN_URL=https://oauth2.googleapis.com/token`,
		`PASSWORD_FILE=/run/secrets/db`,
		`token_type: bearer`,
		`"token_type":"Bearer"`,
		`csrf_token: a8f3kd9x2mq7`,
		`author: Jane Doe <jane@example.org>`,
		`"secretName": "prod-db-credentials"`,
		`token_endpoint: https://auth.internal/token`,
		`api_key_env: OPENAI_API_KEY`,
		`"tokenizer": "cl100k_base"`,
		`SECRET_KEY_PATH=./config/secret.key`,
		`password_min_length: 12345678`,
		`"credentialsProvider": "aws-profile-x"`,
		`next_page_token: CAESBgjRgN2hBg`,
		`"passwordless": "magic-link"`,
		`"token_id": "3f2b8c1e-9d4a-4b7e-a1c2-5e6f7a8b9c0d"`,
		`X-CSRF-Token: a8f3kd9x2mq7Zp`,
		`nextPageToken: CAESBgjRgN2hBg`,
		`"apiKeyUrl": "https://vault.internal/v1/kv"`,
		`message_token = msg_01PdWvcjJ6E9BgscDveYt9YV`,
		// prose and markup
		`The token: it is sent with every request.`,
		`**Password:** ask the team lead`,
		`Secret: rotating-credentials-regularly`,
		`password: correct horse battery staple`,
		`password: "correct horse battery staple"`,
		`**API key:** see 1Password`,
		`API key: (see the vault)`,
		`config["SECRET_KEY"] = os.environ["SECRET_KEY"]`,
		`$cfg['api_key'] = getenv('API_KEY');`,
		`password: "$(cat /run/secrets/db)"`,
		`password: "hash($salt.$pw)"`,
		`token: "Bearer ${TOKEN}"`,
		`password: "<insert-password-here>"`,
		"**Token**: `${GITHUB_TOKEN}`",
		`"password": "[redacted]"`,
		`secret = "{{secrets.prod.key}}"`,
		`const token = "abc".repeat(4);`,
		// code and config that reads the secret from elsewhere
		`'password' => env('DB_PASSWORD'),`,
		`password = var.db_password`,
		`token = data.vault_generic_secret.app.data["token"]`,
		`Password = Configuration["DbPassword"];`,
		`String password = System.getenv("DB_PASSWORD");`,
		`api_key = settings.OPENAI_API_KEY`,
		`token = GITHUB_PAT_V2`,
		`:password => params[:password]`,
		`password: "{{ vault_db_password }}"`,
		`password=<%= ENV['DB_PASSWORD'] %>`,
		`"apiKeyHelper": "~/bin/get-api-key.sh"`,
		`secretKeyRef:`,
		`if (password === "") {`,
	))
}

func TestHTTPBearerToken(t *testing.T) {
	runRuleCases(t, "http-bearer-token", []ruleCase{
		{"curl -H", `curl -H "Authorization: Bearer ` + jwt + `" https://api.internal/v1/me`, one(jwt)},
		{"curl -H single-quoted", `curl -sS -H 'Authorization: Bearer ` + tok32 + `' https://api.internal`, one(tok32)},
		{"curl -H inside a JSON string", `{"command":"curl -H \"Authorization: Bearer ` + tok32 + `\" https://api.internal"}`, one(tok32)},
		{"JSON headers map", `{"mcpServers":{"x":{"url":"https://mcp.internal/sse","headers":{"Authorization":"Bearer ` + tok32 + `"}}}}`, one(tok32)},
		{"lower-case", "authorization: bearer " + tok32 + "\n", one(tok32)},
		{"HTTP dump", "GET /v1/me HTTP/1.1\r\nHost: api.internal\r\nAuthorization: Bearer " + jwt + "\r\n", one(jwt)},
		{"base64 padding", "Authorization: Bearer dGhpcyBpcyBhIDk0IGJ5dGUgdG9rZW4gZm9yIHRlc3Q==", one("dGhpcyBpcyBhIDk0IGJ5dGUgdG9rZW4gZm9yIHRlc3Q==")},
		{"long JWT", "Authorization: Bearer " + longJWT, one(longJWT)},
	})
	runRuleCases(t, "http-bearer-token", fp(
		"the bearer token is sent in the header",
		"Bearer authentication (also called token authentication) is an HTTP scheme",
		"bearer tokens/credentials/etc are sent as headers",
		"use Bearer authentication-schemes-overview",
		`Authorization: Bearer ${TOKEN}`,
		`Authorization: Bearer $GITHUB_TOKEN`,
		`Authorization: Bearer <token>`,
		`Authorization: Bearer YOUR_ACCESS_TOKEN_HERE`,
		`headers = {"Authorization": "Bearer " + token}`,
		`headers = {"Authorization": f"Bearer {api_key}"}`,
		"fetch(url, { headers: { Authorization: `Bearer ${token}` } })",
		`token_type: bearer`,
		`Authorization: Bearer sk-ant-api03-...a1B2`,
		`Authorization: Bearer xxxxxxxxxxxxxxxxxxxxxxxx`,
		`Authorization: Bearer [REDACTED]`,
		`Authorization: Bearer ****************`,
		`Authorization: Bearer {{ token }}`,
		`"Authorization": "Bearer ${{ secrets.API_TOKEN }}"`,
		`Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`,
	))
}

// longJWT is a bearer token longer than a small window radius.
var longJWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3Qta2V5In0." + randB64url(600, 1) + "." + randB64url(256, 2)

func TestHTTPBasicAuth(t *testing.T) {
	cred := base64.StdEncoding.EncodeToString([]byte("deploy:Xk9-mQ2vLr7pT"))
	cred2 := base64.StdEncoding.EncodeToString([]byte("ci-bot@corp.internal:" + tok32))
	runRuleCases(t, "http-basic-auth", []ruleCase{
		{"header", "Authorization: Basic " + cred, one(cred)},
		{"curl -H", `curl -H "Authorization: Basic ` + cred2 + `" https://nexus.internal`, one(cred2)},
		{"JSON headers map", `{"headers":{"Authorization":"Basic ` + cred + `"}}`, one(cred)},
		{"inside a JSON string", `{"command":"curl -H \"Authorization: Basic ` + cred + `\" https://x"}`, one(cred)},
		{"lower-case", "authorization: basic " + cred2 + "\n", one(cred2)},
	})
	runRuleCases(t, "http-basic-auth", fp(
		"basic usage",
		"Basic authentication is simple but sends the password on every request",
		"see the basic understanding: section",
		"Authorization: Basic "+base64.StdEncoding.EncodeToString([]byte("user:password")),
		"Authorization: Basic "+base64.StdEncoding.EncodeToString([]byte("admin:changeme")),
		"Authorization: Basic "+base64.StdEncoding.EncodeToString([]byte("no-colon-in-here")),
		"Authorization: Basic "+base64.StdEncoding.EncodeToString([]byte("user:")),
		`Authorization: Basic ${CREDENTIALS}`,
		`Authorization: Basic <base64-credentials>`,
		"Basic "+base64.StdEncoding.EncodeToString([]byte{0x01, 0xff, ':', 0x80, 0x90, 0xa0}),
	))
}

func TestHTTPAPIKeyHeader(t *testing.T) {
	runRuleCases(t, "http-api-key-header", []ruleCase{
		{"x-api-key", "x-api-key: " + tok32 + "\n", one(tok32)},
		{"curl -H", `curl https://api.internal/v1/messages -H "x-api-key: ` + tok32 + `" -H "content-type: application/json"`, one(tok32)},
		{"curl -H inside a JSON string", `{"command":"curl -H \"x-api-key: ` + tok32 + `\" https://x"}`, one(tok32)},
		{"JSON headers map", `{"headers":{"X-API-Key":"` + tok32 + `"}}`, one(tok32)},
		{"PRIVATE-TOKEN", `curl --header "PRIVATE-TOKEN: ` + sec20 + `" https://gitlab.internal/api/v4/projects`, one(sec20)},
		{"x-goog-api-key", "x-goog-api-key: " + tok32, one(tok32)},
		{"Ocp-Apim-Subscription-Key", "Ocp-Apim-Subscription-Key: " + tok32, one(tok32)},
		{"x-functions-key", `"x-functions-key": "` + tok32 + `"`, one(tok32)},
		{"x-auth-token", "X-Auth-Token: " + tok32, one(tok32)},
	})
	runRuleCases(t, "http-api-key-header", fp(
		`x-api-key: $ANTHROPIC_API_KEY`,
		`"x-api-key": "${API_KEY}"`,
		`x-api-key: <your-key>`,
		`PRIVATE-TOKEN: <your_access_token>`,
		`"x-api-key": process.env.ANTHROPIC_API_KEY`,
		`x-api-key: your-api-key-here`,
		`x-api-key: xxxxxxxxxxxxxxxxxxxx`,
		`--api-key=`+tok32, // a CLI flag, not a header: cli-credential-argument's job
		`the x-api-key: header-must-be-set`,
	))
}

func TestURLEmbeddedCredentials(t *testing.T) {
	runRuleCases(t, "url-embedded-credentials", []ruleCase{
		{"postgres", "DATABASE_URL=postgres://app_user:Hk3vP9xQ2mLw@db.internal:5432/app", one("Hk3vP9xQ2mLw")},
		{"postgresql", `"postgresql://app:` + pw1 + `@10.0.0.5/prod?sslmode=require"`, one(pw1)},
		{"mysql", "mysql://root:Qw9zX2pL7vK4@127.0.0.1:3306/shop", one("Qw9zX2pL7vK4")},
		{"redis", "REDIS_URL=redis://default:" + tok32 + "@redis-12345.c1.cloud.internal:12345", one(tok32)},
		{"redis empty user", "redis://:Xk82jfLq0pZ@cache.internal:6379/0", one("Xk82jfLq0pZ")},
		{"rediss", "rediss://:Xk82jfLq0pZ@cache.internal:6380", one("Xk82jfLq0pZ")},
		{"mongodb+srv", "mongodb+srv://admin:" + pw2 + "@cluster0.ab1cd.mongodb.net/test?retryWrites=true&w=majority", one(pw2)},
		{"amqp", "amqp://svc:R7vK2mQ9xL4p@rabbit.internal:5672/vhost", one("R7vK2mQ9xL4p")},
		{"https", "git clone https://alice:Tr0ub4dor3xq@git.internal.dev/team/repo.git", one("Tr0ub4dor3xq")},
		{"https token as password", "https://x-access-token:" + tok32 + "@github.com/o/r.git", one(tok32)},
		{"inside a JSON string", `{"env":{"DATABASE_URL":"postgres://app:` + pw1 + `@db:5432/app"}}`, one(pw1)},
		{"percent-encoded password", "postgres://app:p%40ss-W0rd-9x@db.internal/app", one("p%40ss-W0rd-9x")},
		{"jdbc", "jdbc:postgresql://app:" + pw1 + "@db.internal:5432/app", one(pw1)},
	})
	runRuleCases(t, "url-embedded-credentials", fp(
		"https://github.com/x/y",
		"git@github.com:x/y",
		"http://localhost:8080/a@b",
		"postgres://user:password@localhost",
		"postgres://postgres:postgres@localhost:5432/postgres",
		"amqp://guest:guest@localhost:5672/",
		"mysql://root:root@localhost/db",
		"redis://:changeme@localhost:6379",
		"postgres://user:${DB_PASSWORD}@db.internal/app",
		"postgres://user:$DB_PASSWORD@db.internal/app",
		"mysql://root:<password>@localhost/db",
		"https://user:****@host.internal",
		"mongodb://admin:xxxxxxxx@mongo.internal",
		"postgres://app:pass@db",
		"postgres://app:secret@db",
		"postgres://user:pass@host:5432/db",
		"mongodb://<username>:<password>@host",
		"http://[::1]:8080/",
		"https://user@host.internal/path",
		"ssh://git@github.com:22/x/y.git",
		"postgres://:@localhost",
		"see https://docs.internal/a:b@c for details",
		"postgres://user:your-password@localhost",
		"postgres://postgres:mysecretpassword@localhost:5432/postgres",
		"mysql://root:my-secret-pw@127.0.0.1:3306",
		"redis://:foobared@127.0.0.1:6379",
		"postgresql://USER:PASSWORD@HOST:5432/DB",
		"https://username:password@host.internal",
		"https://user:token@github.com/o/r.git",
		"postgres://${DB_USER}:${DB_PASS}@${DB_HOST}/app",
	))
}

// pemKey encodes n pseudo-random bytes (fixed seed) as a PEM block.
func pemKey(label string, n int, seed uint64, headers map[string]string) string {
	r := rand.New(rand.NewChaCha8([32]byte{byte(seed)}))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: label, Headers: headers, Bytes: b}))
}

// opensshKey is an "OPENSSH PRIVATE KEY" block: the openssh-key-v1 magic
// and random bytes, wrapped at 70 columns as ssh-keygen does.
func opensshKey(seed uint64) string {
	r := rand.New(rand.NewChaCha8([32]byte{byte(seed), 's'}))
	b := []byte("openssh-key-v1\x00")
	for range 380 {
		b = append(b, byte(r.Uint32()))
	}
	s := base64.StdEncoding.EncodeToString(b)
	var sb strings.Builder
	sb.WriteString("-----BEGIN OPENSSH PRIVATE KEY-----\n")
	for len(s) > 70 {
		sb.WriteString(s[:70] + "\n")
		s = s[70:]
	}
	sb.WriteString(s + "\n-----END OPENSSH PRIVATE KEY-----\n")
	return sb.String()
}

func randB64url(n int, seed uint64) string {
	r := rand.New(rand.NewChaCha8([32]byte{byte(seed), 'u'}))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// jsonEscaped writes s as it appears inside a JSON string: newlines as \n.
func jsonEscaped(s string) string { return strings.ReplaceAll(s, "\n", `\n`) }

func TestPrivateKeyBlock(t *testing.T) {
	rsa := pemKey("RSA PRIVATE KEY", 1190, 1, nil)
	rsa4096 := pemKey("RSA PRIVATE KEY", 2350, 2, nil)
	ec := pemKey("EC PRIVATE KEY", 121, 3, nil)
	pkcs8 := pemKey("PRIVATE KEY", 1218, 4, nil)
	enc := pemKey("ENCRYPTED PRIVATE KEY", 1298, 5, nil)
	legacy := pemKey("RSA PRIVATE KEY", 1192, 6, map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,5E1F0E8A9C3B7D2F4A6C8E0B1D3F5A7C"})
	ssh := opensshKey(7)
	pgp := "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + strings.TrimSpace(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("pgp-secret-key-material-", 3)+randB64url(90, 8)))) + "\n=tM2x\n-----END PGP PRIVATE KEY BLOCK-----\n"
	trim := func(s string) string { return strings.TrimSuffix(s, "\n") }

	runRuleCases(t, "private-key-block", []ruleCase{
		{"RSA", "key.pem:\n" + rsa, one(trim(rsa))},
		{"RSA 4096 JSON-escaped", `{"type":"tool_result","content":"` + jsonEscaped(rsa4096) + `"}`, one(jsonEscaped(trim(rsa4096)))},
		{"EC", ec, one(trim(ec))},
		{"PKCS8", pkcs8, one(trim(pkcs8))},
		{"ENCRYPTED PKCS8", enc, one(trim(enc))},
		{"legacy encrypted RSA", legacy, one(trim(legacy))},
		{"OPENSSH", ssh, one(trim(ssh))},
		{"OPENSSH JSON-escaped", `{"stdout":"` + jsonEscaped(ssh) + `"}`, one(jsonEscaped(trim(ssh)))},
		{"EC JSON-escaped", `"private_key": "` + jsonEscaped(ec) + `"`, one(jsonEscaped(trim(ec)))},
		{"CRLF", strings.ReplaceAll(ec, "\n", "\r\n"), one(strings.ReplaceAll(trim(ec), "\n", "\r\n"))},
		{"PGP", pgp, one(trim(pgp))},
		{"truncated example then a real key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n\nthe real one:\n" + ec, one(trim(ec))},
		{"two keys", ec + "\n" + ssh, []string{trim(ec), trim(ssh)}},
	})
	runRuleCases(t, "private-key-block", fp(
		"-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----",
		"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n...\n-----END RSA PRIVATE KEY-----",
		`"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\n-----END PRIVATE KEY-----\n"`,
		"-----BEGIN PRIVATE KEY-----\n<your private key here>\n-----END PRIVATE KEY-----",
		"-----BEGIN PRIVATE KEY-----\nYOUR_PRIVATE_KEY_GOES_HERE\n-----END PRIVATE KEY-----",
		"-----BEGIN PRIVATE KEY-----\n"+strings.Repeat("x", 64)+"\n"+strings.Repeat("x", 64)+"\n-----END PRIVATE KEY-----",
		`-----BEGIN PRIVATE KEY-----\n`+strings.Repeat("X", 64)+`\n`+strings.Repeat("X", 64)+`\n-----END PRIVATE KEY-----`,
		pemKey("PUBLIC KEY", 294, 9, nil),
		pemKey("CERTIFICATE", 900, 10, nil),
		"if line.startswith('-----BEGIN RSA PRIVATE KEY-----') or line.startswith('-----END RSA PRIVATE KEY-----'):",
	))
}

func TestCLICredentialArgument(t *testing.T) {
	runRuleCases(t, "cli-credential-argument", []ruleCase{
		{"--token X", "npx vercel deploy --prod --token " + sec20, one(sec20)},
		{"--token=X", "vercel --token=" + sec20, one(sec20)},
		{"--api-key=X", "some-cli --api-key=" + tok32 + " --verbose", one(tok32)},
		{"--api-key X quoted", `some-cli --api-key "` + tok32 + `"`, one(tok32)},
		{"--password X", "heroku pg:psql --password " + pw1, one(pw1)},
		{"--password=X", "mysql -h db -u root --password=" + pw1 + " shop", one(pw1)},
		{"-token X (Go flags)", "./server -token " + sec20, one(sec20)},
		{"--access_token", "tool --access_token " + tok32, one(tok32)},
		{"--auth-token", "npm config set --auth-token " + tok32, one(tok32)},
		{"--client-secret", "az login --service-principal --client-secret " + tok32, one(tok32)},
		{"--client_secret", "cli --client_secret=" + tok32, one(tok32)},
		{"--private-token", "glab --private-token " + sec20, one(sec20)},
		{"inside a JSON string", `{"command":"npx vercel --token \"` + sec20 + `\""}`, one(sec20)},
		{"MCP args array", `{"command":"npx","args":["-y","@acme/mcp-server","--api-key","` + tok32 + `"]}`, one(tok32)},
		{"MCP args array spaced", `"args": ["server", "--token", "` + sec20 + `"]`, one(sec20)},
		{"MCP args array --flag=X", `"args": ["server", "--token=` + sec20 + `"]`, one(sec20)},
	})
	runRuleCases(t, "cli-credential-argument", fp(
		`gh auth login --token $GITHUB_TOKEN`,
		`vercel --token "${VERCEL_TOKEN}"`,
		`docker login --password-stdin`,
		`echo "$PW" | docker login -u me --password-stdin ghcr.io`,
		`cli --token-file ~/.config/token`,
		`cli --token <TOKEN>`,
		`cli --api-key=your-api-key`,
		"use the --token flag to authenticate",
		"pass --token followed by your token",
		`cli --password "$(pass show db/prod)"`,
		`npm publish --token=${{ secrets.NPM_TOKEN }}`,
		`cli --token xxxxxxxxxxxxxxxxxxxxxxxx`,
		`cli --token ./secrets/token.txt`,
		`"args": ["server", "--api-key", "${API_KEY}"]`,
		`"args": ["--token", "$TOKEN"]`,
	))
}

// TestGenericAssignmentRunsAnchored: generic-credential-assignment's
// keywords are among the most frequent in agent text; the matcher must be
// able to try it at each keyword hit instead of over windows.
func TestGenericAssignmentRunsAnchored(t *testing.T) {
	if !rule(t, "generic-credential-assignment").Anchored() {
		t.Error("generic-credential-assignment is not Anchored: its pattern must start with its keyword alternation")
	}
}

func TestCLIPasswordArgument(t *testing.T) {
	runRuleCases(t, "cli-password-argument", []ruleCase{
		{"mysql glued", "mysql -uroot -p" + pw1 + " app", one(pw1)},
		{"mysqldump single-quoted with punctuation", "mysqldump -h db -u app -p'Xk9m;Q2v&Lr7' shop > dump.sql", one("Xk9m;Q2v&Lr7")},
		{"mariadb double-quoted", `mariadb -h 127.0.0.1 -u app -p"` + pw2 + `" -e "select 1"`, one(pw2)},
		{"mysql in a permissions.allow rule", `{"permissions":{"allow":["Bash(mysql -h 127.0.0.1 -u app -p\"` + pw1 + `\" -e \"select 1\")"]}}`, one(pw1)},
		{"sshpass", "sshpass -p '" + pw1 + "' ssh deploy@10.0.0.5", one(pw1)},
		{"sshpass glued", "sshpass -p" + pw1 + " scp a.tgz deploy@host:", one(pw1)},
		{"redis-cli -a", "redis-cli -h cache -p 6379 -a " + pw1 + " PING", one(pw1)},
		{"redis-cli --pass", "redis-cli --pass " + pw1 + " INFO", one(pw1)},
		{"sqlcmd -P", "sqlcmd -S db -U sa -P " + pw2 + " -Q \"SELECT 1\"", one(pw2)},
		{"ldapsearch -w", "ldapsearch -x -D cn=admin,dc=example,dc=org -w " + pw1 + " -b dc=example,dc=org", one(pw1)},
		{"mongosh -p", "mongosh --host db -u admin -p " + pw1 + " --authenticationDatabase admin", one(pw1)},
		{"docker login -p", "docker login -u bob -p " + pw1 + " registry.example.io", one(pw1)},
		{"keytool -storepass", "keytool -list -keystore app.jks -storepass " + pw1, one(pw1)},
		{"openssl -passout pass:", "openssl pkcs12 -export -in c.pem -passout pass:" + pw1 + " -out c.p12", one(pw1)},
		{"smbclient -U user%pass", "smbclient //nas/share -U alice%" + pw1, one(pw1)},
		{"htpasswd -bc", "htpasswd -bc /etc/nginx/.htpasswd admin " + pw1, one(pw1)},
		{"htpasswd -b -B", "htpasswd -B -b .htpasswd admin " + pw1, one(pw1)},
		{"htpasswd -nbB", "htpasswd -nbB admin " + pw1, one(pw1)},
	})
	runRuleCases(t, "cli-password-argument", fp(
		"mysql -u root -p app",
		"mysql -h db -P 3306 -u app -p",
		"mysql -uroot -p$MYSQL_ROOT_PASSWORD",
		`mysql -uroot -p"${DB_PASSWORD}" app`,
		"mysql -uroot -ppassword",
		"sshpass -e ssh deploy@host",
		"sshpass -f ~/.ssh/pass ssh host",
		"redis-cli -h cache -a \"$REDIS_PASSWORD\" PING",
		"keytool -list -keystore app.jks -storepass:env STOREPASS",
		"openssl enc -aes-256-cbc -pass env:ENC_PASS -in a -out b",
		"htpasswd -c /etc/nginx/.htpasswd admin",
		"htpasswd -nbB admin '<password>'",
		"docker login -u bob --password-stdin registry.example.io",
		"mongodump --uri mongodb://localhost -o dump",
	))
}
