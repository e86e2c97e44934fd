package rules

import "strings"

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
