package scanner

import (
	"strings"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// refineEncoded gives a finding whose secret is base64-encoded the rule of
// what it encodes: a Kubernetes Secret's data value ("token: Z2hwX…"), an
// HTTP Basic credential ("Authorization: Basic ZGVwbG95OmdocF8…"), a
// Docker config's auth, or any base64 value that decodes to text. The
// decoded text is run through the rule set; when a provider rule (a
// GitHub token, an AWS key …) finds a credential in it, the finding takes
// that rule, its severity and advice, at the encoded place, which is what
// the file holds (and what redaction replaces). Sources: Kubernetes
// Secret data (https://kubernetes.io/docs/concepts/configuration/secret/),
// RFC 7617 (Basic), Docker's config.json auths.
func (e *Env) refineEncoded(f *Finding) {
	if f.Rule == nil || !f.Kind.HoldsSecret() || (f.Rule.Priority >= rules.PriorityProvider && !f.Rule.Contextual) || e.san == nil {
		return
	}
	var texts []string
	f.Secret.Inspect(func(raw string) {
		texts = decodedTexts(raw)
	})
	if len(texts) == 0 {
		return
	}
	var best *rules.Rule
	for _, t := range texts {
		_, _ = e.san.m.Scan(strings.NewReader(t), match.Options{Mode: match.Text}, func(h *match.Hit) error {
			r := h.Rule
			if r.Kind.HoldsSecret() && r.Priority >= rules.PriorityProvider && !r.Contextual && (best == nil || r.Severity > best.Severity) {
				best = r
			}
			return nil
		})
	}
	if best == nil {
		return
	}
	f.Rule, f.RuleID, f.Kind, f.Severity = best, best.ID, best.Kind, best.Severity
	f.Description = strings.TrimSuffix(best.Description, ".") + " (base64-encoded in the file)."
	f.Remediation = ""
}

// decodedTexts returns the texts a possibly encoded secret decodes to:
// the value after a "key: " or "Basic " label, decoded from base64, and
// for "user:password" also the password alone; nil when nothing decodes
// to text.
func decodedTexts(raw string) []string {
	v := strings.TrimSpace(raw)
	key := ""
	if i := strings.Index(v, ": "); i > 0 && !strings.ContainsAny(v[:i], " \t") {
		key, v = v[:i], strings.TrimSpace(v[i+2:])
	}
	if len(v) > 6 && strings.EqualFold(v[:6], "basic ") {
		v = strings.TrimSpace(v[6:])
	}
	v = strings.Trim(v, `"'`)
	if len(v) < 16 {
		return nil
	}
	var out []string
	if key != "" {
		if d, ok := rules.DecodeSecretData(key, v); ok {
			out = append(out, d.ScanText)
			for _, a := range d.Docker {
				out = append(out, a.Secret)
			}
			return out
		}
	}
	text, ok := rules.DecodeBase64(v)
	if !ok {
		return nil
	}
	out = append(out, text)
	if _, pw, ok := rules.DecodeBasicAuth("Basic " + v); ok && pw != "" {
		out = append(out, pw)
	}
	return out
}
