package rules

//go:generate go run ./internal/gitleaksgen -o gitleaks_gen.go

import "strings"

// gitleaksRule is one rule of gitleaks' default configuration as plain data,
// the shape gitleaksgen writes.
type gitleaksRule struct {
	ID          string
	Description string
	Pattern     string
	SecretGroup int
	Entropy     float64
	Path        string
	Keywords    []string
	Allowlists  []gitleaksAllowlist
}

// gitleaksAllowlist mirrors gitleaks' config.Allowlist as plain data.
type gitleaksAllowlist struct {
	Description string
	MatchAll    bool
	RegexTarget string // "", "match" or "line"
	Regexes     []string
	StopWords   []string
	Paths       []string
}

func (a gitleaksAllowlist) toAllowlist() *Allowlist {
	t := TargetSecret
	switch a.RegexTarget {
	case "match":
		t = TargetMatch
	case "line":
		t = TargetLine
	}
	sw := make([]string, len(a.StopWords))
	for i, w := range a.StopWords {
		sw[i] = strings.ToLower(w)
	}
	return &Allowlist{
		Description: a.Description,
		MatchAll:    a.MatchAll,
		Target:      t,
		Regexes:     a.Regexes,
		StopWords:   sw,
		Paths:       a.Paths,
	}
}

// gitleaksCritical lists gitleaks rule-ID prefixes whose credentials open
// cloud accounts, source control, package registries, payments or LLM
// billing: a leak of any of them is critical.
var gitleaksCritical = []string{
	"aws-", "gcp-", "azure-", "github-", "gitlab-", "bitbucket-", "npm-", "pypi-",
	"stripe-", "anthropic-", "openai-", "private-key", "digitalocean-", "heroku-",
	"hashicorp-", "vault-", "databricks-", "slack-bot-token", "slack-user-token",
	"slack-app-token", "shopify-", "square-", "twilio-", "sendgrid-", "doppler-",
	"pulumi-", "flyio-", "kubernetes-secret", "cloudflare-api-key", "alibaba-",
}

// gitleaksSeverity assigns a severity to a gitleaks rule, which carries none.
func gitleaksSeverity(id string) Severity {
	switch {
	case id == "generic-api-key":
		return Medium
	case strings.Contains(id, "client-id"), strings.HasSuffix(id, "-id"),
		strings.Contains(id, "webhook"), strings.Contains(id, "public"):
		return Low
	}
	for _, p := range gitleaksCritical {
		if strings.HasPrefix(id, p) {
			return Critical
		}
	}
	return High
}

// gitleaksRules converts gitleaks' default rules (gitleaks_gen.go) into
// Rules. The global allowlist is not attached here: Set applies it to every
// rule.
func gitleaksRules() []*Rule {
	out := make([]*Rule, 0, len(gitleaksRuleData))
	for _, g := range gitleaksRuleData {
		r := &Rule{
			ID:          g.ID,
			Description: g.Description,
			Severity:    gitleaksSeverity(g.ID),
			Kind:        KindSecret,
			Origin:      OriginGitleaks,
			Keywords:    g.Keywords,
			Pattern:     g.Pattern,
			SecretGroup: g.SecretGroup,
			Entropy:     g.Entropy,
			Path:        g.Path,
			Priority:    PriorityProvider,
			References:  []string{"https://github.com/gitleaks/gitleaks/blob/" + gitleaksVersion + "/config/gitleaks.toml"},
		}
		if g.ID == "generic-api-key" {
			r.Priority = PriorityFallback
		}
		if g.ID == "private-key" {
			r.Radius = privateKeyRadius
			r.SkipPlaceholderCheck = true
		}
		for _, a := range g.Allowlists {
			r.Allowlists = append(r.Allowlists, a.toAllowlist())
		}
		out = append(out, r)
	}
	return out
}

// GitleaksVersion is the gitleaks release whose default rules are built in.
func GitleaksVersion() string { return gitleaksVersion }
