package rules

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// This file holds mcpscan's provider rules: credentials in a provider's
// own format that gitleaks' default rules do not cover, or cover only
// where a key name precedes them. Each pattern names the provider
// documentation it follows.

// atKeyword starts a pattern that begins with its keyword: an empty lazy
// name prefix, which lets the matcher try the rule at each keyword hit
// instead of over a window (Rule.Anchored).
const atKeyword = `[\w.-]{0,0}?`

// providerFix is the advice for provider tokens.
const providerFix = "Revoke the token in the provider's console and issue a new one, then remove it from the file; keep the new one in an environment variable or a secret manager and reference it (${VAR})."

// urlTokenFix is the advice for tokens inside URLs.
const urlTokenFix = "The URL is the credential: regenerate it (revoke the bot token or delete and recreate the webhook), then keep the URL in an environment variable or a secret manager, and approve commands that use it by prefix (Bash(curl:*)) instead of saving the whole command line."

// llmWhy says why a leaked LLM API key matters.
const llmWhy = "An LLM API key spends the account's credit: leaked keys are found by scrapers within minutes and used to run up bills, and some read the account's files, prompts and fine-tunes."

// uuidClass is an RFC 9562 UUID in its text form, either case.
const uuidClass = `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`

// keyNamedTail is the form of gitleaks' semi-generic rules, for keys
// without a prefix of their own: a name holding one of names (a regex
// alternation, case-insensitive), up to 20 more name characters, an
// assignment operator, and a value matching value in a capture group,
// ended by tokenEnd. It starts at the name's keyword, so rules built on it
// run anchored.
func keyNamedTail(names, value string) string {
	return `(?i:` + names + `)[\w.-]{0,20}[\s'"]{0,3}(?:=|:=|::=|:|=>|,)[\x60'"\s=]{0,5}(` + value + `)` + tokenEnd
}

// mixedAlnum rejects values that are one character class only (all
// lower-case, all digits …): real keys mix letters and digits.
func mixedAlnum(secret, _ string) bool {
	var lower, upper, digit bool
	for i := 0; i < len(secret); i++ {
		switch c := secret[i]; {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		}
	}
	return digit && (lower || upper)
}

// providerRules returns mcpscan's provider rules, with Kind, Origin,
// Priority and the shared Why and Remediation texts filled in.
func providerRules() []*Rule {
	rs := []*Rule{
		// Tokens in URL paths: bot APIs and webhooks that carry the
		// credential in the path, as saved in permissions.allow command
		// lines and scripts.
		{
			// Pattern source: Telegram Bot API, "Authorizing your bot":
			// every request is https://api.telegram.org/bot<token>/METHOD,
			// files https://api.telegram.org/file/bot<token>/<path>; the
			// token is <bot id>:<secret> (123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11).
			ID:          "telegram-bot-token-url",
			Description: "A Telegram bot token in a Bot API URL (api.telegram.org/bot<token>/…).",
			Severity:    High,
			Keywords:    []string{"api.telegram.org/"},
			Pattern:     atKeyword + `(?i:api\.telegram\.org/)(?:file/)?bot(\d{5,16}:[A-Za-z0-9_-]{30,40})(?:[^\w-]|$)`,
			Entropy:     3,
			Why:         "The bot token controls the bot: whoever holds it reads its messages and sends as it.",
			Remediation: "Revoke the token with @BotFather (/revoke), then " + strings.ToLower(urlTokenFix[:1]) + urlTokenFix[1:],
			References:  []string{"https://core.telegram.org/bots/api#authorizing-your-bot"},
		},
		{
			// Pattern source: Discord developer docs, Webhook resource,
			// "Execute Webhook": POST /webhooks/{webhook.id}/{webhook.token}
			// under https://discord.com/api[/v{n}] (formerly discordapp.com);
			// ids are snowflakes (17–20 digits), tokens 68 URL-safe characters.
			ID:          "discord-webhook-url",
			Description: "A Discord webhook URL with its token (discord.com/api/webhooks/<id>/<token>).",
			Severity:    Medium,
			Keywords:    []string{"discord.com/api", "discordapp.com/api"},
			Pattern:     atKeyword + `(?i:discord(?:app)?\.com/api)(?:/v\d{1,2})?/webhooks/\d{17,20}/([A-Za-z0-9_-]{60,80})(?:[^\w-]|$)`,
			Entropy:     3.5,
			Why:         "Whoever holds a webhook URL can post into the channel as the webhook (phishing, spam), and edit or delete the webhook.",
			References:  []string{"https://discord.com/developers/docs/resources/webhook#execute-webhook"},
		},
		// LLM and AI APIs people paste into agents and MCP configs.
		{
			// Pattern source: OpenRouter API reference, Authentication:
			// keys are "sk-or-v1-" followed by 64 hex digits
			// (Authorization: Bearer sk-or-v1-…).
			ID:          "openrouter-api-key",
			Description: "An OpenRouter API key (sk-or-v1-…).",
			Severity:    Critical,
			Keywords:    []string{"sk-or-v1-"},
			Pattern:     atKeyword + `(sk-or-v1-[0-9a-f]{64})` + tokenEnd,
			Entropy:     3,
			Why:         llmWhy,
			References:  []string{"https://openrouter.ai/docs/api/reference/authentication"},
		},
		{
			// Pattern source: Groq API keys console and OpenAI-compatible
			// API docs: keys are "gsk_" followed by 52 letters and digits.
			ID:          "groq-api-key",
			Description: "A Groq API key (gsk_…).",
			Severity:    Critical,
			Keywords:    []string{"gsk_"},
			Pattern:     atKeyword + `(gsk_[A-Za-z0-9]{52})` + tokenEnd,
			Entropy:     3.5,
			Why:         llmWhy,
			References:  []string{"https://console.groq.com/docs/api-keys"},
		},
		{
			// Pattern source: xAI API documentation (docs.x.ai, "API key"):
			// keys are "xai-" followed by 80 letters and digits.
			ID:          "xai-api-key",
			Description: "An xAI (Grok) API key (xai-…).",
			Severity:    Critical,
			Keywords:    []string{"xai-"},
			Pattern:     atKeyword + `(xai-[A-Za-z0-9]{80})` + tokenEnd,
			Entropy:     3.5,
			Why:         llmWhy,
			References:  []string{"https://docs.x.ai/docs/overview"},
		},
		{
			// Pattern source: Replicate HTTP API docs, Authentication: API
			// tokens start with "r8_" (r8_ and 37 URL-safe characters).
			ID:          "replicate-api-token",
			Description: "A Replicate API token (r8_…).",
			Severity:    Critical,
			Keywords:    []string{"r8_"},
			Pattern:     atKeyword + `(r8_[A-Za-z0-9_-]{37,40})` + tokenEnd,
			Entropy:     3.5,
			Why:         llmWhy,
			References:  []string{"https://replicate.com/docs/reference/http#authentication"},
		},
		{
			// Pattern source: Fireworks AI docs, "API keys": keys are
			// "fw_" followed by about 24 letters and digits.
			ID:          "fireworks-api-key",
			Description: "A Fireworks AI API key (fw_…).",
			Severity:    Critical,
			Keywords:    []string{"fw_"},
			Pattern:     atKeyword + `(fw_[A-Za-z0-9]{20,40})` + tokenEnd,
			Entropy:     3.5,
			Validate:    mixedAlnum,
			Why:         llmWhy,
			References:  []string{"https://docs.fireworks.ai/api-reference/introduction"},
		},
		{
			// Pattern source: Together AI docs, "API keys": current keys are
			// "tgp_v1_" followed by 43 URL-safe characters; legacy keys are
			// 64 hex digits, matched only after a TOGETHER_API_KEY-like name
			// ("together" alone is an English word).
			ID:          "together-api-key",
			Description: "A Together AI API key (tgp_v1_…, or 64 hex digits assigned to a TOGETHER name).",
			Severity:    Critical,
			Keywords:    []string{"tgp_v1_", "together"},
			Pattern:     atKeyword + `(?:(tgp_v1_[A-Za-z0-9_-]{40,48})` + tokenEnd + `|` + keyNamedTail(`together[_.-]?(?:ai[_.-]?)?(?:api[_.-]?)?(?:key|token)`, `[0-9a-f]{64}`) + `)`,
			Entropy:     3,
			Why:         llmWhy,
			References:  []string{"https://docs.together.ai/reference/authentication-1"},
		},
		{
			// Pattern source: Mistral AI docs, quickstart ("API keys"): keys
			// are 32 letters and digits with no prefix, so the rule needs a
			// name holding "mistral" (MISTRAL_API_KEY).
			ID:          "mistral-api-key",
			Description: "A Mistral AI API key assigned to a MISTRAL name.",
			Severity:    Critical,
			Keywords:    []string{"mistral"},
			Pattern:     atKeyword + keyNamedTail(`mistral`, `[A-Za-z0-9]{32}`),
			Entropy:     3.5,
			Validate:    mixedAlnum,
			Why:         llmWhy,
			References:  []string{"https://docs.mistral.ai/getting-started/quickstart/"},
		},
		{
			// Pattern source: DeepSeek API docs: keys are "sk-" and 32 hex
			// digits, a shape other providers share, so the rule needs a name
			// holding "deepseek" (DEEPSEEK_API_KEY).
			ID:          "deepseek-api-key",
			Description: "A DeepSeek API key (sk- and 32 hex digits) assigned to a DEEPSEEK name.",
			Severity:    Critical,
			Keywords:    []string{"deepseek"},
			Pattern:     atKeyword + keyNamedTail(`deepseek`, `sk-[0-9a-f]{32}`),
			Entropy:     3,
			Why:         llmWhy,
			References:  []string{"https://api-docs.deepseek.com/"},
		},
		{
			// Pattern source: ElevenLabs API reference, Authentication
			// (xi-api-key header): current keys are "sk_" and 48 hex digits;
			// legacy keys, 32 hex digits, only after an ELEVENLABS or
			// xi-api-key name.
			ID:          "elevenlabs-api-key",
			Description: "An ElevenLabs API key (sk_ and 48 hex digits, or 32 hex digits assigned to an ELEVENLABS name).",
			Severity:    High,
			Keywords:    []string{"sk_", "elevenlabs", "xi-api-key", "xi_api_key"},
			Pattern:     atKeyword + `(?:(sk_[0-9a-f]{48})` + tokenEnd + `|` + keyNamedTail(`elevenlabs|xi-api-key|xi_api_key`, `[0-9a-f]{32}`) + `)`,
			Entropy:     3,
			Why:         llmWhy,
			References:  []string{"https://elevenlabs.io/docs/api-reference/authentication"},
		},
		// Search, scraping and browser APIs behind popular MCP servers.
		{
			// Pattern source: Tavily API reference (Authorization: Bearer
			// tvly-…): keys are "tvly-", for newer keys "tvly-dev-" or
			// "tvly-prod-", then 32 letters and digits.
			ID:          "tavily-api-key",
			Description: "A Tavily search API key (tvly-…).",
			Severity:    High,
			Keywords:    []string{"tvly-"},
			Pattern:     atKeyword + `(tvly-(?:dev-|prod-)?[A-Za-z0-9]{32})` + tokenEnd,
			Entropy:     3,
			Validate:    mixedAlnum,
			References:  []string{"https://docs.tavily.com/documentation/api-reference/introduction"},
		},
		{
			// Pattern source: Firecrawl API reference, Authentication:
			// keys are "fc-" followed by 32 hex digits.
			ID:          "firecrawl-api-key",
			Description: "A Firecrawl API key (fc-…).",
			Severity:    High,
			Keywords:    []string{"fc-"},
			Pattern:     atKeyword + `(fc-[0-9a-f]{32})` + tokenEnd,
			Entropy:     3,
			References:  []string{"https://docs.firecrawl.dev/api-reference/introduction#authentication"},
		},
		{
			// Pattern source: Exa API docs (x-api-key header, EXA_API_KEY):
			// keys are UUIDs with no prefix, so the rule needs a name holding
			// "exa" as a word (EXA_API_KEY, exaApiKey).
			ID:          "exa-api-key",
			Description: "An Exa search API key (a UUID) assigned to an EXA name.",
			Severity:    High,
			Keywords:    []string{"exa_", "exa-", "exaapi", "exa.api"},
			Pattern:     atKeyword + keyNamedTail(`exa_|exa-|exaapi|exa\.api`, uuidClass),
			Entropy:     3,
			References:  []string{"https://docs.exa.ai/reference/getting-started"},
		},
		{
			// Pattern source: Context7 (Upstash) MCP server README, API key
			// section: keys are "ctx7sk-" followed by a UUID.
			ID:          "context7-api-key",
			Description: "A Context7 API key (ctx7sk-…).",
			Severity:    Medium,
			Keywords:    []string{"ctx7sk"},
			Pattern:     atKeyword + `(ctx7sk[-_]` + uuidClass + `)` + tokenEnd,
			Entropy:     3,
			References:  []string{"https://github.com/upstash/context7#api-key"},
		},
		{
			// Pattern source: Browserbase API reference (X-BB-API-Key
			// header): keys are "bb_live_" (or "bb_test_") and 27 URL-safe
			// characters.
			ID:          "browserbase-api-key",
			Description: "A Browserbase API key (bb_live_…).",
			Severity:    High,
			Keywords:    []string{"bb_live_", "bb_test_"},
			Pattern:     atKeyword + `(bb_(?:live|test)_[A-Za-z0-9_-]{24,40})` + tokenEnd,
			Entropy:     3.5,
			References:  []string{"https://docs.browserbase.com/reference/api/overview"},
		},
		{
			// Pattern source: Apify API docs, Authentication: personal API
			// tokens are "apify_api_" followed by 36 letters and digits.
			ID:          "apify-api-token",
			Description: "An Apify API token (apify_api_…).",
			Severity:    High,
			Keywords:    []string{"apify_api_"},
			Pattern:     atKeyword + `(apify_api_[A-Za-z0-9]{36})` + tokenEnd,
			Entropy:     3.5,
			References:  []string{"https://docs.apify.com/api/v2#authentication"},
		},
		{
			// Pattern source: Smithery docs (SMITHERY_API_KEY, smithery CLI
			// login): keys are UUIDs (newer ones "smry_…"), so the rule needs
			// a name holding "smithery".
			ID:          "smithery-api-key",
			Description: "A Smithery API key assigned to a SMITHERY name.",
			Severity:    High,
			Keywords:    []string{"smithery"},
			Pattern:     atKeyword + keyNamedTail(`smithery`, uuidClass+`|smry_[A-Za-z0-9]{20,64}`),
			Entropy:     3,
			References:  []string{"https://smithery.ai/docs"},
		},
		{
			// Pattern source: Composio API reference, Authentication
			// (x-api-key): project keys "ak_" and consumer keys "ck_" with 20
			// URL-safe characters; the prefixes are too short to stand
			// alone, so the rule needs a name holding "composio".
			ID:          "composio-api-key",
			Description: "A Composio API key (ak_… or ck_…) assigned to a COMPOSIO name.",
			Severity:    Critical,
			Keywords:    []string{"composio"},
			Pattern:     atKeyword + keyNamedTail(`composio`, `[ac]k_[A-Za-z0-9_-]{20,40}`),
			Entropy:     3,
			Why:         "A Composio key acts through every account connected to the project (mail, GitHub, Slack …): whoever holds it can use them all.",
			References:  []string{"https://docs.composio.dev/reference/authentication"},
		},
		// Developer platforms.
		{
			// Pattern source: Neon docs, "Manage API keys": keys are "napi_"
			// followed by 64 lower-case letters and digits.
			ID:          "neon-api-key",
			Description: "A Neon (serverless Postgres) API key (napi_…).",
			Severity:    Critical,
			Keywords:    []string{"napi_"},
			Pattern:     atKeyword + `(napi_[a-z0-9]{40,80})` + tokenEnd,
			Entropy:     3.5,
			Why:         "A Neon API key manages the account's projects: create and delete databases, read connection strings and passwords.",
			References:  []string{"https://neon.com/docs/manage/api-keys"},
		},
		{
			// Pattern source: Supabase docs, "Personal access tokens"
			// (Management API, CLI, MCP server): "sbp_" and 40 hex digits;
			// and "Understanding API keys": secret keys "sb_secret_…".
			ID:          "supabase-access-token",
			Description: "A Supabase personal access token (sbp_…) or project secret key (sb_secret_…).",
			Severity:    Critical,
			Keywords:    []string{"sbp_", "sb_secret_"},
			Pattern:     atKeyword + `(sbp_[0-9a-f]{40}|sb_secret_[A-Za-z0-9_-]{31,40})` + tokenEnd,
			Entropy:     3,
			Why:         "A Supabase personal access token manages every project of the account (SQL, keys, Edge Functions); a secret key bypasses Row Level Security on the project's data.",
			References:  []string{"https://supabase.com/docs/guides/platform/personal-access-tokens", "https://supabase.com/docs/guides/api/api-keys"},
		},
		{
			// Pattern source: Supabase docs, "Understanding API keys": the
			// legacy service_role key is a JWT whose payload holds
			// "role":"service_role". The keywords are that claim in base64url
			// at its three alignments; the lazy name prefix reaches back over
			// the JWT's header to its start.
			ID:          "supabase-service-role-key",
			Description: "A Supabase service_role key (a JWT with role service_role), which bypasses Row Level Security.",
			Severity:    Critical,
			Keywords:    []string{"c2vydmljzv9yb2xl", "cnzpy2vfcm9s", "zxj2awnlx3jv"},
			Pattern:     `[\w.-]{0,600}?(?:c2VydmljZV9yb2xl|cnZpY2Vfcm9s|ZXJ2aWNlX3Jv)[A-Za-z0-9_-]{0,600}\.[A-Za-z0-9_-]{20,100}`,
			Validate:    validateServiceRoleJWT,
			Why:         "The service_role key bypasses Row Level Security: whoever holds it reads and writes every table of the project.",
			References:  []string{"https://supabase.com/docs/guides/api/api-keys"},
		},
		{
			// Pattern source: Figma REST API docs, "Personal access tokens"
			// (X-Figma-Token header): tokens are "figd_" followed by about 40
			// URL-safe characters.
			ID:          "figma-personal-access-token",
			Description: "A Figma personal access token (figd_…).",
			Severity:    High,
			Keywords:    []string{"figd_"},
			Pattern:     atKeyword + `(figd_[A-Za-z0-9_-]{36,50})` + tokenEnd,
			Entropy:     3.5,
			References:  []string{"https://developers.figma.com/docs/rest-api/personal-access-tokens/"},
		},
		{
			// Pattern source: Vercel changelog, "Introducing new token
			// formats and secret scanning": personal (vcp_), integration
			// (vci_), app access (vca_), app refresh (vcr_) tokens and API
			// keys (vck_); older tokens are 24 letters and digits, matched
			// only after a name holding "vercel".
			ID:          "vercel-access-token",
			Description: "A Vercel access token or API key (vcp_, vci_, vca_, vcr_, vck_; or 24 characters assigned to a VERCEL name).",
			Severity:    Critical,
			Keywords:    []string{"vcp_", "vci_", "vca_", "vcr_", "vck_", "vercel"},
			Pattern:     atKeyword + `(?:(vc[pirak]_[A-Za-z0-9]{24,80})` + tokenEnd + `|` + keyNamedTail(`vercel`, `[A-Za-z0-9]{24}`) + `)`,
			Entropy:     3.5,
			Validate:    mixedAlnum,
			Why:         "A Vercel token deploys code and reads every environment variable of the projects it reaches, which usually hold the backend's other keys.",
			References:  []string{"https://vercel.com/changelog/new-token-formats-and-secret-scanning", "https://vercel.com/docs/accounts/access-tokens"},
		},
		{
			// Pattern source: Cloudflare docs, "Token formats": scannable
			// credentials are "cfk_" (Global API Key), "cfut_" (user API
			// token) or "cfat_" (account API token), then 40 characters and
			// a checksum. Older, unprefixed tokens stay with gitleaks'
			// cloudflare-api-key (a CLOUDFLARE name before them).
			ID:          "cloudflare-api-token",
			Description: "A Cloudflare API token or Global API Key in the scannable format (cfut_, cfat_, cfk_).",
			Severity:    Critical,
			Keywords:    []string{"cfut_", "cfat_", "cfk_"},
			Pattern:     atKeyword + `((?:cfut|cfat|cfk)_[A-Za-z0-9]{44,56})` + tokenEnd,
			Entropy:     3.5,
			Why:         "A Cloudflare token changes DNS, Workers and security settings of the zones it reaches; a Global API Key reaches the whole account.",
			References:  []string{"https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/"},
		},
	}
	for _, r := range rs {
		r.Kind = KindSecret
		r.Origin = OriginMcpscan
		r.Priority = PriorityProvider
		if r.Why == "" {
			r.Why = "A provider token authenticates as its owner: whoever reads it can use the account and its billing until the token is revoked."
		}
		if r.Remediation == "" {
			r.Remediation = providerFix
			if strings.Contains(r.ID, "-url") {
				r.Remediation = urlTokenFix
			}
		}
	}
	return rs
}

// validateServiceRoleJWT accepts a JWT whose header decodes to a JSON
// object and whose payload claims "role": "service_role".
func validateServiceRoleJWT(secret, _ string) bool {
	parts := strings.Split(secret, ".")
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "eyJ") {
		return false
	}
	var header map[string]any
	var claims struct {
		Role string `json:"role"`
	}
	h, err1 := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	p, err2 := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err1 != nil || err2 != nil || json.Unmarshal(h, &header) != nil || json.Unmarshal(p, &claims) != nil {
		return false
	}
	return claims.Role == "service_role"
}
