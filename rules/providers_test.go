package rules_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

// tokenCase is one rule's examples in gitleaks' style: true positives
// (text, and the secret the rule must report there) and false positives
// (texts where the rule must report nothing).
type tokenCase struct {
	tp []tpCase
	fp []string
}

type tpCase struct{ text, secret string }

// body returns n characters of a fake token body over alphabet, assembled
// at run time (no token literal sits in the source); seed varies it.
func body(alphabet string, n, seed int) string {
	var b strings.Builder
	x := uint32(seed*2654435761 + 12345)
	for b.Len() < n {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b.WriteByte(alphabet[int(x%uint32(len(alphabet)))])
	}
	return b.String()
}

const (
	alnum   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	urlsafe = alnum + "_-"
	lowhex  = "0123456789abcdef"
	lowanum = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// runTokenCases checks each rule's examples through the matcher with the
// whole default rule set (so that overlap resolution is part of the test):
// every true positive is reported once, under the rule, with its secret;
// no false positive is reported under the rule.
func runTokenCases(t *testing.T, cases map[string]tokenCase) {
	t.Helper()
	for id, c := range cases {
		r := rule(t, id)
		if !r.Anchored() {
			t.Errorf("%s: not Anchored (its pattern must start with its keywords)", id)
		}
		if len(c.tp) == 0 || len(c.fp) == 0 {
			t.Errorf("%s: needs true and false positive examples", id)
		}
		for _, tp := range c.tp {
			hits := scanText(t, tp.text)
			var got []string
			ok := false
			for _, h := range hits {
				got = append(got, h.Rule.ID+"="+h.Secret)
				if h.Rule.ID == id && h.Secret == tp.secret {
					ok = true
				}
			}
			if !ok || len(hits) != 1 {
				t.Errorf("%s: %q: got %q, want one %s=%q", id, clip(tp.text), got, id, tp.secret)
			}
			// The rule alone, brute force and in keyword windows.
			if w := windowedSecrets(t, r, tp.text); len(w) != 1 || w[0] != tp.secret {
				t.Errorf("%s: %q: in keyword windows %q", id, clip(tp.text), w)
			}
		}
		for _, fp := range c.fp {
			for _, h := range scanText(t, fp) {
				if h.Rule.ID == id {
					t.Errorf("%s: false positive %q reported: %q", id, clip(fp), h.Secret)
				}
			}
		}
	}
}

func TestURLPathTokens(t *testing.T) {
	tg := "7012345678:AA" + body(urlsafe, 33, 1)
	dc := body(urlsafe, 68, 2)
	runTokenCases(t, map[string]tokenCase{
		"telegram-bot-token-url": {
			tp: []tpCase{
				{`{"permissions":{"allow":["Bash(curl -s \"https://api.telegram.org/bot` + tg + `/sendMessage?chat_id=42&text=done\")"]}}`, tg},
				{"curl https://api.telegram.org/bot" + tg + "/getUpdates | jq .", tg},
				{"wget -O photo.jpg https://api.telegram.org/file/bot" + tg + "/photos/file_0.jpg", tg},
				{"requests.post('https://api.telegram.org/bot" + tg + "/sendMessage', json=payload)", tg},
				{"Webhook set: https://API.Telegram.org/bot" + tg + ".", tg},
			},
			fp: []string{
				"curl https://api.telegram.org/bot${TELEGRAM_BOT_TOKEN}/getMe",
				"url = f'https://api.telegram.org/bot{bot_token}/sendMessage'",
				"https://api.telegram.org/bot<token>/METHOD_NAME",
				"https://api.telegram.org/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/getMe", // Telegram's documented example
				"https://api.telegram.org/bot7012345678:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/getMe",
			},
		},
		"discord-webhook-url": {
			tp: []tpCase{
				{`{"permissions":{"allow":["Bash(curl -X POST -H \"Content-Type: application/json\" -d @msg.json https://discord.com/api/webhooks/1234567890123456789/` + dc + `)"]}}`, dc},
				{"DISCORD_WEBHOOK_URL=https://discordapp.com/api/webhooks/318821398619357185/" + dc, dc},
				{"POST https://ptb.discord.com/api/v10/webhooks/318821398619357185/" + dc + "?wait=true", dc},
			},
			fp: []string{
				"https://discord.com/api/webhooks/1337/example-token",
				"https://discord.com/api/webhooks/{webhook.id}/{webhook.token}",
				"https://discord.com/api/webhooks/2237...5344/3d89...cf11",
				"https://discord.com/api/webhooks/318821398619357185/${DISCORD_WEBHOOK_TOKEN}",
			},
		},
	})
}

// TestProviderRulesWellFormed: every mcpscan provider rule has keywords,
// a severity above info, a reference to the documentation of its format,
// and runs anchored at its keywords.
func TestProviderRulesWellFormed(t *testing.T) {
	n := 0
	for _, r := range rules.Default().Rules() {
		if r.Origin != rules.OriginMcpscan || r.Priority != rules.PriorityProvider || r.Pattern == "" || r.ID == "private-key-block" {
			continue
		}
		n++
		if len(r.References) == 0 || !strings.HasPrefix(r.References[0], "https://") {
			t.Errorf("%s: no reference to the provider's documentation", r.ID)
		}
		if r.Severity <= rules.Info {
			t.Errorf("%s: severity %s", r.ID, r.Severity)
		}
		if !r.Anchored() {
			t.Errorf("%s: not Anchored", r.ID)
		}
		if rules.Default().Lookup(r.ID) != r {
			t.Errorf("%s: lookup", r.ID)
		}
	}
	if n == 0 {
		t.Error("no mcpscan provider rule")
	}
}

// jwtPart base64url-encodes s without padding, for building test JWTs.
func jwtPart(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestNewProviderTokens(t *testing.T) {
	or := "sk-or-v1-" + body(lowhex, 64, 10)
	gsk := "gsk_" + body(alnum, 52, 11)
	xai := "xai-" + body(alnum, 80, 12)
	r8 := "r8_" + body(alnum, 37, 13)
	fw := "fw_" + body(alnum, 24, 14)
	tgp := "tgp_v1_" + body(urlsafe, 43, 15)
	tgLegacy := body(lowhex, 64, 16)
	mis := body(alnum, 32, 17)
	ds := "sk-" + body(lowhex, 32, 18)
	el := "sk_" + body(lowhex, 48, 19)
	elLegacy := body(lowhex, 32, 20)
	tv := "tvly-dev-" + body(alnum, 32, 21)
	tvOld := "tvly-" + body(alnum, 32, 22)
	fc := "fc-" + body(lowhex, 32, 23)
	uuid := func(seed int) string {
		h := body(lowhex, 32, seed)
		return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
	}
	exa := uuid(24)
	c7 := "ctx7sk-" + uuid(25)
	bb := "bb_live_" + body(urlsafe, 27, 26)
	apify := "apify_api_" + body(alnum, 36, 27)
	smith := uuid(28)
	comp := "ak_" + body(urlsafe, 20, 29)
	neon := "napi_" + body(lowanum, 64, 30)
	sbp := "sbp_" + body(lowhex, 40, 31)
	sbSecret := "sb_secret_" + body(urlsafe, 31, 32)
	figd := "figd_" + body(urlsafe, 40, 33)
	vcp := "vcp_" + body(alnum, 48, 34)
	vLegacy := body(alnum, 24, 35)
	cf := "cfut_" + body(alnum, 40, 36) + body(lowhex, 8, 37)
	srk := jwtPart(`{"alg":"HS256","typ":"JWT"}`) + "." + jwtPart(`{"iss":"supabase","ref":"`+body(lowanum, 20, 38)+`","role":"service_role","iat":1700000000,"exp":2015576000}`) + "." + body(urlsafe, 43, 39)
	anon := jwtPart(`{"alg":"HS256","typ":"JWT"}`) + "." + jwtPart(`{"iss":"supabase","ref":"`+body(lowanum, 20, 38)+`","role":"anon","iat":1700000000,"exp":2015576000}`) + "." + body(urlsafe, 43, 40)

	runTokenCases(t, map[string]tokenCase{
		"openrouter-api-key": {
			tp: []tpCase{{"OPENROUTER_API_KEY=" + or, or}, {`curl https://openrouter.ai/api/v1/chat/completions -H "Authorization: Bearer ` + or + `"`, or}, {"use " + or + ", then retry", or}},
			fp: []string{"sk-or-v1-" + strings.Repeat("0", 64), "OPENROUTER_API_KEY=sk-or-v1-...", "sk-or-v1-" + body(lowhex, 40, 1)},
		},
		"groq-api-key": {
			tp: []tpCase{{`{"env":{"GROQ_API_KEY":"` + gsk + `"}}`, gsk}, {"key: " + gsk + ". Thanks", gsk}},
			fp: []string{"GROQ_API_KEY=gsk_your_key_here", "gsk_" + strings.Repeat("x", 52), "gsk_" + body(alnum, 40, 2)},
		},
		"xai-api-key": {
			tp: []tpCase{{"export XAI_API_KEY=" + xai, xai}},
			fp: []string{"XAI_API_KEY=xai-...", "xai-" + strings.Repeat("a", 80), "xai-grok-4-latest"},
		},
		"replicate-api-token": {
			tp: []tpCase{{"REPLICATE_API_TOKEN=" + r8, r8}, {`replicate.Client(api_token="` + r8 + `")`, r8}},
			fp: []string{"REPLICATE_API_TOKEN=r8_...", "r8_" + strings.Repeat("x", 37)},
		},
		"fireworks-api-key": {
			tp: []tpCase{{"FIREWORKS_API_KEY=" + fw, fw}},
			fp: []string{"fw_" + strings.Repeat("x", 24), "fw_firmware_update_handler_v2", "FIREWORKS_API_KEY=fw_your_api_key_here"},
		},
		"together-api-key": {
			tp: []tpCase{{`client = Together(api_key="` + tgp + `")`, tgp}, {"TOGETHER_API_KEY=" + tgLegacy, tgLegacy}},
			fp: []string{"tgp_v1_...", tgLegacy, "put the pieces together: " + tgLegacy},
		},
		"mistral-api-key": {
			tp: []tpCase{{"MISTRAL_API_KEY=" + mis, mis}, {`mistral_api_key: "` + mis + `"`, mis}},
			fp: []string{mis, "MISTRAL_API_KEY=your-mistral-api-key-here", "mistral_model = open-mistral-nemo-2407"},
		},
		"deepseek-api-key": {
			tp: []tpCase{{"DEEPSEEK_API_KEY=" + ds, ds}, {`deepseek_key: "` + ds + `"`, ds}},
			fp: []string{"sk-" + body(lowhex, 32, 3), "DEEPSEEK_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		},
		"elevenlabs-api-key": {
			tp: []tpCase{{"ELEVENLABS_API_KEY=" + el, el}, {`curl -H "xi-api-key: ` + elLegacy + `" https://api.elevenlabs.io/v1/user`, elLegacy}},
			fp: []string{elLegacy, "task_" + body(lowhex, 20, 4), "sk_" + strings.Repeat("0", 48)},
		},
		"tavily-api-key": {
			tp: []tpCase{{`"TAVILY_API_KEY": "` + tv + `"`, tv}, {"tavily key " + tvOld + ".", tvOld}},
			fp: []string{"TAVILY_API_KEY=tvly-YOUR_API_KEY", "tvly-" + strings.Repeat("x", 32), "tvly-dev-..."},
		},
		"firecrawl-api-key": {
			tp: []tpCase{{`app = FirecrawlApp(api_key="` + fc + `")`, fc}, {"FIRECRAWL_API_KEY=" + fc, fc}},
			fp: []string{"fc-YOUR_API_KEY", "rfc-" + body(lowhex, 32, 5) + "x", "fc-" + strings.Repeat("0", 32)},
		},
		"exa-api-key": {
			tp: []tpCase{{"claude mcp add exa -e EXA_API_KEY=" + exa + " -- npx -y exa-mcp-server", exa}, {`{"env":{"EXA_API_KEY":"` + exa + `"}}`, exa}},
			fp: []string{exa, "EXA_API_KEY=your-exa-api-key", "EXA_API_KEY=${EXA_API_KEY}"},
		},
		"context7-api-key": {
			tp: []tpCase{{`"args": ["-y", "@upstash/context7-mcp", "--api-key", "` + c7 + `"]`, c7}, {`http_headers = { "CONTEXT7_API_KEY" = "` + c7 + `" }`, c7}},
			fp: []string{"CONTEXT7_API_KEY=ctx7sk-...", "ctx7sk-your-key-here", "ctx7sk-00000000-0000-0000-0000-000000000000"},
		},
		"browserbase-api-key": {
			tp: []tpCase{{"BROWSERBASE_API_KEY=" + bb, bb}},
			fp: []string{"BROWSERBASE_API_KEY=bb_live_...", "bb_live_" + strings.Repeat("x", 27)},
		},
		"apify-api-token": {
			tp: []tpCase{{"APIFY_TOKEN=" + apify, apify}, {"https://api.apify.com/v2/acts?token=" + apify, apify}},
			fp: []string{"APIFY_TOKEN=apify_api_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "apify_api_token_name"},
		},
		"smithery-api-key": {
			tp: []tpCase{{"SMITHERY_API_KEY=" + smith, smith}, {`"smitheryApiKey": "` + smith + `"`, smith}},
			fp: []string{smith, "SMITHERY_API_KEY=your-smithery-api-key-here", `export SMITHERY_API_KEY="${SMITHERY_API_KEY:-}"`},
		},
		"composio-api-key": {
			tp: []tpCase{{`COMPOSIO_API_KEY="` + comp + `"`, comp}},
			fp: []string{comp, "COMPOSIO_API_KEY=ak_your_key_here_12345"},
		},
		"neon-api-key": {
			tp: []tpCase{{"NEON_API_KEY=" + neon, neon}, {`{"mcpServers":{"neon":{"command":"npx","args":["-y","@neondatabase/mcp-server-neon","start","` + neon + `"]}}}`, neon}},
			fp: []string{"NEON_API_KEY=napi_...", "napi_" + strings.Repeat("0", 64), "napi_create_function"},
		},
		"supabase-access-token": {
			tp: []tpCase{{`"args": ["-y", "@supabase/mcp-server-supabase@latest", "--access-token", "` + sbp + `"]`, sbp}, {"SUPABASE_SECRET_KEY=" + sbSecret, sbSecret}},
			fp: []string{"SUPABASE_ACCESS_TOKEN=sbp_...", "sbp_" + strings.Repeat("0", 40), "sb_publishable_" + body(urlsafe, 31, 6)},
		},
		"supabase-service-role-key": {
			tp: []tpCase{{"SUPABASE_SERVICE_ROLE_KEY=" + srk, srk}, {`{"env":{"SUPABASE_KEY":"` + srk + `"}}`, srk}, {"Authorization: Bearer " + srk, srk}},
			fp: []string{"SUPABASE_ANON_KEY=" + anon, "role: service_role"},
		},
		"figma-personal-access-token": {
			tp: []tpCase{{`curl -H "X-Figma-Token: ` + figd + `" https://api.figma.com/v1/me`, figd}, {`{"env":{"FIGMA_API_KEY":"` + figd + `"}}`, figd}},
			fp: []string{"FIGMA_API_KEY=figd_...", "figd_" + strings.Repeat("x", 40)},
		},
		"vercel-access-token": {
			tp: []tpCase{{"vercel deploy --prod --token " + vcp, vcp}, {"VERCEL_TOKEN=" + vLegacy, vLegacy}},
			fp: []string{vLegacy, "VERCEL_TOKEN=your-vercel-token", "vcp_memory_write", "vercel_project_id = prj_abc"},
		},
		"cloudflare-api-token": {
			tp: []tpCase{{"CLOUDFLARE_API_TOKEN=" + cf, cf}, {`curl -H "Authorization: Bearer ` + cf + `" https://api.cloudflare.com/client/v4/user/tokens/verify`, cf}},
			fp: []string{"CLOUDFLARE_API_TOKEN=cfut_...", "cfut_" + strings.Repeat("x", 48)},
		},
	})
}
