package rules

//go:generate go run ./internal/gitleaksgen -o gitleaks_gen.go

import (
	"fmt"
	"strings"

	"github.com/mcpscan/mcpscan/internal/lazyre"
)

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
			Pattern:     widenBoundary(g.Pattern),
			SecretGroup: g.SecretGroup,
			Entropy:     g.Entropy,
			Path:        g.Path,
			Priority:    gitleaksPriority(g.ID),
			Contextual:  gitleaksContextual[g.ID],
			References:  []string{"https://github.com/gitleaks/gitleaks/blob/" + gitleaksVersion + "/config/gitleaks.toml"},
		}
		if g.ID == "generic-api-key" {
			r.Precheck = AssignmentPrecheck(10) // its secret group needs 10+ characters
			r.hitCheck = genericAPIKeyCheck(r.Pattern, r.SecretGroup, r.Keywords, r.Entropy)
		}
		if g.ID == "private-key" {
			r.SkipPlaceholderCheck = true
		}
		r.Radius = gitleaksRadius[g.ID]
		for _, a := range g.Allowlists {
			r.Allowlists = append(r.Allowlists, a.toAllowlist())
		}
		r.Allowlists = append(r.Allowlists, gitleaksExtraAllowlists[g.ID]...)
		if g.ID == "generic-api-key" {
			r.Validate = validateGenericAPIKey
		}
		out = append(out, r)
	}
	// Rules with one pattern (bittrex-access-key and bittrex-secret-key)
	// match the same secrets: gitleaks reports each match under both IDs,
	// mcpscan once, under the first, naming the others in Aliases.
	first := map[string]*Rule{}
	for _, r := range out {
		key := fmt.Sprintf("%s\x00%d\x00%v", r.Pattern, r.SecretGroup, r.Entropy)
		if f := first[key]; f != nil {
			f.Aliases = append(f.Aliases, r.ID)
			r.Aliases = append(r.Aliases, f.ID)
			continue
		}
		first[key] = r
	}
	return out
}

// gitleaksBoundary is the group that ends most gitleaks patterns after the
// secret (secretSuffix in gitleaks' cmd/generate/config/utils/generate.go):
// a quote, a backtick, whitespace, ";", a JSON-escaped line break, or the
// end of the text.
const gitleaksBoundary = `(?:[\x60'"\s;]|\\[nr]|$)`

// tokenEnd is mcpscan's wider boundary: any character that cannot continue
// a token. Letters, digits, "_", "-", "+", "/", "=", "%" and "~" can (a
// longer token, base64 padding, URL encoding); a "." can when a word
// character or "-" follows it (a file name, a dotted name), not at the end
// of a sentence; "(" and "[" make the "token" a name in code (a call, an
// index). So `use hf_…, then retry`, `key: sk-…. Thanks`, `(ghp_…)`,
// `<token>…</token>`, `| tvly-… |` and `token=…&page=2` end where a reader
// sees the token end. It accepts everything gitleaksBoundary accepts.
const tokenEnd = `(?:[^\w+/=%~.(\[-]|\.(?:[^\w-]|$)|$)`

// widenBoundary returns pattern with gitleaksBoundary replaced by tokenEnd
// at the end of each of its top-level alternatives, or pattern unchanged
// when none ends in that group.
func widenBoundary(pattern string) string {
	alts := topLevelAlternatives(pattern)
	changed := false
	for i, a := range alts {
		if base, ok := strings.CutSuffix(a, gitleaksBoundary); ok {
			alts[i] = base + tokenEnd
			changed = true
		}
	}
	if !changed {
		return pattern
	}
	return strings.Join(alts, "|")
}

// topLevelAlternatives splits a regex at the "|" that are outside any
// group and character class.
func topLevelAlternatives(re string) []string {
	var out []string
	depth, start, inClass := 0, 0, false
	for i := 0; i < len(re); i++ {
		switch c := re[i]; {
		case c == '\\':
			i++
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
			if i+1 < len(re) && re[i+1] == '^' {
				i++
			}
			if i+1 < len(re) && re[i+1] == ']' {
				i++ // a literal "]" first in a class
			}
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '|' && depth == 0:
			out = append(out, re[start:i])
			start = i + 1
		}
	}
	return append(out, re[start:])
}

// gitleaksPriority ranks a gitleaks rule against the others whose secret
// overlaps its own (see Rule.Priority): generic-api-key ranks with mcpscan's
// NAME=value rule, every other rule as a provider rule.
func gitleaksPriority(id string) int {
	if id == "generic-api-key" {
		return PriorityGeneric
	}
	return PriorityProvider
}

// gitleaksContextual lists the gitleaks rules that find a credential by
// the command, header or document it sits in rather than by its own format
// (see Rule.Contextual): `curl -H "Authorization: token ghp_…"` is
// github-pat, not curl-auth-header.
var gitleaksContextual = map[string]bool{
	"curl-auth-header":       true,
	"curl-auth-user":         true,
	"jwt":                    true,
	"jwt-base64":             true,
	"kubernetes-secret-yaml": true,
}

// GitleaksVersion is the gitleaks release whose default rules are built in.
func GitleaksVersion() string { return gitleaksVersion }

// gitleaksRadius sets the window radius of the gitleaks rules whose regex
// has no upper bound on its length (a + or * somewhere); every other gitleaks
// rule's longest match fits in DefaultRadius, which TestRadiusCoversLongestMatch
// checks (and which fails for a new unbounded rule after a gitleaks upgrade,
// until it gets an entry here). The values cover the longest real tokens:
// JWTs (Azure AD, Google ID tokens) of 2–3 KB, 1Password service account
// tokens of about 900 bytes, curl command lines spanning a few lines.
var gitleaksRadius = map[string]int{
	"1password-service-account-token": 2048,
	"curl-auth-header":                2048,
	"curl-auth-user":                  2048,
	"facebook-page-access-token":      1024,
	"flyio-access-token":              1024,
	"freemius-secret-key":             DefaultRadius,
	"generic-api-key":                 DefaultRadius,
	"jwt":                             4096,
	"jwt-base64":                      4096,
	"kubernetes-secret-yaml":          1024,
	"microsoft-teams-webhook":         DefaultRadius,
	"nuget-config-password":           DefaultRadius,
	"private-key":                     privateKeyRadius,
	"slack-app-token":                 DefaultRadius,
	"slack-bot-token":                 DefaultRadius,
	"slack-legacy-token":              DefaultRadius,
	"yandex-access-token":             DefaultRadius,
}

// gitleaksExtraAllowlists are mcpscan's additions to the allowlists of
// single gitleaks rules, for values that fill agent transcripts and that the
// rule would report. The generated data stays as gitleaks ships it.
var gitleaksExtraAllowlists = map[string][]*Allowlist{
	// The rule's last alternative, a bare [a-fA-F0-9]{40} (legacy Sourcegraph
	// tokens), is also exactly a git commit or tree ID, of which a transcript
	// of a session near the word "sourcegraph" holds hundreds. A bare 40-hex
	// value is dropped where its line shows a git object (or checksum)
	// context: after commit, sha, tree, parent, HEAD, rev, ref, blob, a git
	// command, an "@" pin or "#" fragment (tarball.tgz#<sha> in yarn.lock),
	// a /commit/ or /blob/ URL path, a range "..", or
	// alone at the start of a line (git rev-parse, git log --format=%H).
	// Elsewhere (sourcegraph: <hex>, SRC_ACCESS_TOKEN=<hex>) it is reported.
	// The context is looked for within 256 bytes of the value (the longest
	// context the regex knows is 130 bytes), not over the whole record.
	"sourcegraph-access-token": {{
		Description:   "mcpscan: a bare 40-hex value in a git object context is a git object ID",
		SecretRegexes: []string{`^[a-fA-F0-9]{40}$`},
		Target:        TargetLine,
		LineNear:      256,
		Regexes:       []string{gitObjectContext},
	}},
}

// gitObjectContext matches a line where a 40-hex value is a git object ID
// or a checksum (see gitleaksExtraAllowlists).
const gitObjectContext = `(?i)(?:\b(?:commits?|sha(?:1|sum)?|tree|parent|head|rev|revision|blob|object|ref|tag|merge|checkout|reset|revert|cherry-pick|rebase|githead|hash|digest|checksum|fingerprint|etag|oid)\w{0,16}["']?[\s:=/#@"'.(,-]{0,8}` +
	`|\bgit\b[^\n]{0,120}?|[@#]|/(?:commits?|tree|blob|compare|raw)/[^\s"']{0,120}?|\.\.\.?)[a-f0-9]{40}\b` +
	`|^[\s"'*>+-]{0,4}[a-f0-9]{40}\b`

// uuidValue matches an RFC 9562 UUID in its canonical text form.
var uuidValue = lazyre.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// validateGenericAPIKey is mcpscan's offline check for gitleaks'
// generic-api-key: a UUID assigned to an identifier name (token_id,
// auth_request_id, sessionUuid) is an ID, not a key. Vault's AppRole
// secret_id is a UUID credential and stays reported.
func validateGenericAPIKey(secret, match string) bool {
	if len(secret) != 36 || !uuidValue.MatchString(secret) { // the regex wants 36 ASCII bytes
		return true
	}
	var buf [128]byte
	orig, norm := assignedNameInto(buf[:], match)
	if hasNameSuffix(orig, norm, "secret_id") || hasNameSuffix(orig, norm, "secretid") {
		return true
	}
	for _, suf := range []string{"id", "ids", "uuid", "guid"} {
		if hasNameSuffix(orig, norm, suf) {
			return false
		}
	}
	return true
}
