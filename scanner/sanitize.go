package scanner

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/internal/lazyre"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner/match"
	"github.com/mcpscan/mcpscan/scanner/secret"
)

// The sanitizer is the one redaction layer for text that comes from
// scanned content and is not itself a finding's secret: file and member
// names, context values (field paths, JSON keys, server names), finding
// descriptions, evidence, and the messages of per-file problems. Every
// finding and problem passes through it when its input is done
// (Env.end), before it reaches a sink, a report, a baseline or the state
// file. It replaces:
//
//   - every credential found in the same input (8 code points or more:
//     shorter values match too much innocent text) by its redacted form;
//   - the password and any long user name of URL userinfo
//     (scheme://user:password@host) and the values of credential-named
//     query parameters (?api_key=…, &token=…);
//   - whatever the rule set finds in the text itself, so that a token
//     that is a file name or a JSON key is redacted even where no
//     finding names it.
type sanitizer struct {
	m *match.Scanner
}

func newSanitizer(eng *match.Engine) *sanitizer { return &sanitizer{m: eng.NewScanner()} }

// minKnownRunes is the shortest secret replaced in other text: any
// 8-character part of a secret is what must never show.
const minKnownRunes = 8

// textCache remembers sanitized forms of texts that recur in every file
// (rule descriptions, remediation) when no known secret applies. It is
// process-wide, bounded, and holds only texts already safe to print.
var textCache = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

const textCacheMax = 8192

// frame sanitizes the output of one input in place.
func (z *sanitizer) frame(fr *frame) {
	var known []secret.Value
	for i := range fr.findings {
		f := &fr.findings[i]
		if f.Kind.HoldsSecret() && f.Secret.Len() >= minKnownRunes {
			known = append(known, f.Secret)
		}
	}
	// Longest first, so that a secret holding another is replaced whole.
	sort.SliceStable(known, func(i, j int) bool { return known[i].Bytes() > known[j].Bytes() })
	memo := map[string]string{}
	clean := func(s string) string {
		if s == "" {
			return s
		}
		if v, ok := memo[s]; ok {
			return v
		}
		v := z.text(s, known)
		memo[s] = v
		return v
	}
	for i := range fr.findings {
		f := &fr.findings[i]
		f.Location = f.Location.WithDisplayFile(clean(f.File))
		if len(f.Steps) > 0 {
			steps := make([]Step, len(f.Steps))
			for j, s := range f.Steps {
				steps[j] = Step{Kind: s.Kind, Name: clean(s.Name)}
			}
			f.Steps = steps
		}
		f.Field = clean(f.Field)
		if len(f.AlsoIn) > 0 {
			also := make([]string, len(f.AlsoIn))
			for j, a := range f.AlsoIn {
				also[j] = clean(a)
			}
			f.AlsoIn = also
		}
		if len(f.Context) > 0 {
			c := make(Context, len(f.Context))
			for j, a := range f.Context {
				c[j] = Attr{Key: clean(a.Key), Value: clean(a.Value)}
			}
			f.Context = c
		}
		f.Description = cleanBeyond(f.Description, ruleText(f, func(r *rules.Rule) string { return r.Description }), clean)
		if !f.staticRemediation {
			f.Remediation = cleanBeyond(f.Remediation, ruleText(f, func(r *rules.Rule) string { return r.Remediation }), clean)
		}
		if !f.Kind.HoldsSecret() {
			f.Secret = f.Secret.WithDisplay(clean)
		}
	}
	for i := range fr.errs {
		e := &fr.errs[i]
		e.Path = clean(e.Path)
		e.Error = clean(e.Error)
	}
}

// ruleText returns a text of f's rule, or "" without a rule.
func ruleText(f *Finding, get func(*rules.Rule) string) string {
	if f.Rule == nil {
		return ""
	}
	return get(f.Rule)
}

// cleanBeyond sanitizes s except for a leading static text of the rule's
// own (a rule's description or advice is ours, and may show example
// URLs such as postgres://user:password@host): only what a handler added
// after it comes from scanned content.
func cleanBeyond(s, static string, clean func(string) string) string {
	if static != "" && strings.HasPrefix(s, static) {
		return static + clean(s[len(static):])
	}
	return clean(s)
}

// text returns s with every secret in it redacted (see the type's doc).
func (z *sanitizer) text(s string, known []secret.Value) string {
	cacheable := len(s) <= 1024
	if cacheable {
		textCache.Lock()
		v, ok := textCache.m[s]
		textCache.Unlock()
		if ok && !anyIn(known, s) {
			return v
		}
	}
	out := s
	for _, k := range known {
		out = k.ReplaceIn(out)
	}
	out = redactURLs(out)
	out = z.redactFound(out)
	if cacheable && out == s && !anyIn(known, s) {
		textCache.Lock()
		if len(textCache.m) >= textCacheMax {
			clear(textCache.m)
		}
		textCache.m[s] = out
		textCache.Unlock()
	}
	return out
}

func anyIn(known []secret.Value, s string) bool {
	for _, k := range known {
		if k.In(s) {
			return true
		}
	}
	return false
}

// redactFound replaces the secrets the rule set finds in s.
func (z *sanitizer) redactFound(s string) string {
	type span struct {
		start, end int
		raw        string
	}
	var spans []span
	_, _ = z.m.Scan(strings.NewReader(s), match.Options{Mode: match.Text}, func(h *match.Hit) error {
		if h.Rule.Kind.HoldsSecret() && h.Start >= 0 && int(h.End) <= len(s) {
			spans = append(spans, span{int(h.Start), int(h.End), h.Secret})
		}
		return nil
	})
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp.start < last {
			continue
		}
		b.WriteString(s[last:sp.start])
		b.WriteString(secret.Redact(s[sp.start:sp.end]))
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// urlUserinfo matches scheme://user[:password]@ in a URL.
var urlUserinfo = lazyre.New(`([A-Za-z][A-Za-z0-9+.\-]{0,31}://)([^\s/?#@:'"<>]{1,256})(?::([^\s/?#@'"<>]{1,512}))?@`)

// bareUserinfo matches user:password@host without a scheme, as in Docker
// image references (user:pass@registry/img) and SSH-style remotes.
var bareUserinfo = lazyre.New(`(^|[\s"'=,(\[])([A-Za-z0-9._\-]{1,64}):([^\s/@:'"<>]{3,512})@((?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,}|localhost|\d{1,3}(?:\.\d{1,3}){3})`)

// credentialParam matches a query parameter whose name says it carries a
// credential, and its value.
var credentialParam = lazyre.New(`(?i)([?&;](?:[a-z0-9_\-]*(?:token|key|secret|passw(?:or)?d|pwd|auth|sig|signature|credential|session)[a-z0-9_\-]*)=)([^&#\s'"<>]{4,})`)

// redactURLs redacts URL passwords (with or without a scheme), long URL
// user names (a token written as the user) and credential query values in
// s.
func redactURLs(s string) string {
	if strings.Contains(s, "://") {
		s = urlUserinfo.ReplaceAllStringFunc(s, func(m string) string {
			sub := urlUserinfo.FindStringSubmatch(m)
			user, pass := sub[2], sub[3]
			if pass != "" {
				return sub[1] + user + ":" + secret.Redact(pass) + "@"
			}
			if utf8.RuneCountInString(user) >= 16 {
				return sub[1] + secret.Redact(user) + "@"
			}
			return m
		})
	}
	if strings.Contains(s, "@") {
		s = bareUserinfo.ReplaceAllStringFunc(s, func(m string) string {
			sub := bareUserinfo.FindStringSubmatch(m)
			return sub[1] + sub[2] + ":" + secret.Redact(sub[3]) + "@" + sub[4]
		})
	}
	if strings.ContainsAny(s, "?&;") && strings.Contains(s, "=") {
		s = credentialParam.ReplaceAllStringFunc(s, func(m string) string {
			sub := credentialParam.FindStringSubmatch(m)
			return sub[1] + secret.Redact(sub[2])
		})
	}
	return s
}

// SanitizeText returns s with the secrets the default rule set finds in
// it redacted, with URL passwords and credential query values: for text
// from scanned content that reaches an output outside a scan (command
// arguments echoed in errors, config values). Safe for concurrent use.
func SanitizeText(s string) string {
	globalSanitizer.Lock()
	defer globalSanitizer.Unlock()
	if globalSanitizer.z == nil {
		globalSanitizer.z = newSanitizer(matchEngine(defaultRules()))
	}
	return globalSanitizer.z.text(s, nil)
}

// matchEngine returns the matcher of set: for the default rule set one
// shared by every scan and the report's sanitizer (building it costs
// about 0.5 ms, from the prefilter plan generated for the default rules;
// another set's costs about 8 ms of CPU), a new one otherwise.
func matchEngine(set *rules.Set) *match.Engine {
	if set == rules.Default() {
		return defaultMatchEngine()
	}
	return match.NewEngine(set)
}

var defaultMatchEngine = sync.OnceValue(func() *match.Engine { return match.NewEngine(rules.Default()) })

var globalSanitizer struct {
	sync.Mutex
	z *sanitizer
}
