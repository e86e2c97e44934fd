package rules_test

import (
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
