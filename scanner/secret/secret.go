// Package secret holds values read from scanned content that must never
// reach an output in full: the credentials mcpscan finds and the evidence
// of its other findings.
//
// A Value renders redacted in every default form: String, fmt's verbs
// (%v %s %q %x …), JSON and text marshalling. Its raw text is reachable
// only through Reveal, which takes a Key; Unlock makes a Key, and only
// the --show-secrets path and `mcpscan redact` call it (a test in
// cmd/mcpscan lists the callers). Everything else works on a Value without
// seeing it: Equal, Fingerprint, ID, Contains, MatchRegexp.
//
// Redaction holds by construction, not by care at each call site: a
// reporter, the baseline writer or the state file cannot print a secret
// by mistake, because the only string they can get from a Value is its
// redacted form.
package secret

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/internal/lazyre"
)

// Value is a secret (a credential) or the evidence of a finding, as read
// from scanned content. The zero Value is empty. Values are immutable and
// safe to copy.
type Value struct {
	raw     string
	display string // what every rendering prints
}

// New returns the Value of a credential: it renders as Redact(raw).
func New(raw string) Value {
	return Value{raw: raw, display: Redact(raw)}
}

// NewEvidence returns the Value of a finding's evidence that is not itself
// a credential ("0.0.0.0", a package spec) and renders as display. The
// caller makes display safe to print (the scanner's sanitizer replaces
// any credential inside the evidence, such as URL userinfo, by its
// redacted form).
func NewEvidence(raw, display string) Value {
	return Value{raw: raw, display: display}
}

// Carried returns a Value whose raw text is unknown: a finding carried
// over from a state file or read from a report keeps only its display
// form.
func Carried(display string) Value { return Value{display: display} }

// IsZero reports whether v holds no text at all.
func (v Value) IsZero() bool { return v.raw == "" && v.display == "" }

// Known reports whether v's raw text is known (false for Carried values).
func (v Value) Known() bool { return v.raw != "" }

// String returns the redacted form.
func (v Value) String() string { return v.display }

// GoString returns the redacted form, quoted, so that %#v does not leak.
func (v Value) GoString() string { return fmt.Sprintf("secret.Value(%q)", v.display) }

// Format prints the redacted form for every verb.
func (v Value) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", v.display)
	default:
		_, _ = f.Write([]byte(v.display))
	}
}

// MarshalJSON encodes the redacted form as a JSON string.
func (v Value) MarshalJSON() ([]byte, error) { return json.Marshal(v.display) }

// UnmarshalJSON decodes a JSON string as a Carried value: a report or a
// state file only ever holds the redacted form.
func (v *Value) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*v = Carried(s)
	return nil
}

// MarshalText returns the redacted form.
func (v Value) MarshalText() ([]byte, error) { return []byte(v.display), nil }

// Len returns the number of Unicode code points of the raw text (0 when
// unknown).
func (v Value) Len() int { return utf8.RuneCountInString(v.raw) }

// Bytes returns the length of the raw text in bytes (0 when unknown).
func (v Value) Bytes() int { return len(v.raw) }

// Equal reports whether v and w hold the same raw text (both known).
func (v Value) Equal(w Value) bool { return v.raw != "" && v.raw == w.raw }

// EqualString reports whether v's raw text is s.
func (v Value) EqualString(s string) bool { return v.raw != "" && v.raw == s }

// Contains reports whether v's raw text contains sub.
func (v Value) Contains(sub string) bool { return v.raw != "" && strings.Contains(v.raw, sub) }

// ContainsFold reports whether v's raw text contains sub, ignoring case.
func (v Value) ContainsFold(sub string) bool {
	return v.raw != "" && strings.Contains(strings.ToLower(v.raw), strings.ToLower(sub))
}

// MatchRegexp reports whether re matches v's raw text (allowlists).
func (v Value) MatchRegexp(re *regexp.Regexp) bool { return v.raw != "" && re.MatchString(v.raw) }

// In reports whether v's raw text occurs in s.
func (v Value) In(s string) bool { return v.raw != "" && strings.Contains(s, v.raw) }

// Fingerprint returns the first 32 hex digits of SHA-256 over rule ID,
// portable path and the raw text, each followed by a NUL but the last:
// mcpscan's fingerprint (see scanner.Fingerprint). It is "" when the raw
// text is unknown.
func (v Value) Fingerprint(ruleID, portablePath string) string {
	if v.raw == "" {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(ruleID))
	h.Write([]byte{0})
	h.Write([]byte(portablePath))
	h.Write([]byte{0})
	h.Write([]byte(v.raw))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// ID returns the secret's id under key: 12 hex digits of HMAC-SHA256(key,
// raw). Findings of one value share it, across files and rules, so reports
// can group the places of one secret and redaction markers can tie them
// together. Without the key (kept private to the machine, see IDKey) it
// is no help in guessing the secret. It is "" when the raw text is
// unknown.
func (v Value) ID(key []byte) string {
	if v.raw == "" {
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(v.raw))
	return hex.EncodeToString(m.Sum(nil))[:12]
}

// Key unlocks Reveal. Its zero value unlocks nothing.
type Key struct{ ok bool }

// Unlock returns a Key that reveals raw values. reason says why, for the
// reader of the code; only --show-secrets and `mcpscan redact` may call
// it (TestRevealCallers in cmd/mcpscan checks).
func Unlock(reason string) Key { return Key{ok: reason != ""} }

// Valid reports whether k unlocks Reveal.
func (k Key) Valid() bool { return k.ok }

// Reveal returns the raw text with a valid key, and the redacted form
// without one. A Carried value has no raw text: Reveal returns its
// redacted form.
func (v Value) Reveal(k Key) string {
	if k.ok && v.raw != "" {
		return v.raw
	}
	return v.display
}

// Redact returns a display form of a credential that cannot be used as
// the credential:
//
//   - 20 code points or more: the first 4 and last 4 around "…";
//   - 12–19: the first 2 and last 2;
//   - 1–11: the first one.
//
// The length is always given, so that a reader can tell a short password
// from a long token: "ghp_…a1B2 (40 chars)". A PEM block keeps only its
// "-----BEGIN … KEY-----" label, never the key material, wherever that
// follows (next line or same line). Control characters show as "·".
func Redact(raw string) string {
	n := utf8.RuneCountInString(raw)
	if n == 0 {
		return ""
	}
	if m := pemLabel.FindString(raw); m != "" {
		return fmt.Sprintf("%s…(%d chars)", m, n)
	}
	r := []rune(raw)
	for i, c := range r {
		if c < 0x20 || c == 0x7f {
			r[i] = '·'
		}
	}
	switch {
	case n >= 20:
		return fmt.Sprintf("%s…%s (%d chars)", string(r[:4]), string(r[n-4:]), n)
	case n >= 12:
		return fmt.Sprintf("%s…%s (%d chars)", string(r[:2]), string(r[n-2:]), n)
	}
	return fmt.Sprintf("%s… (%d chars)", string(r[:1]), n)
}

// pemLabel matches the header of a PEM block ("-----BEGIN OPENSSH PRIVATE
// KEY-----"), nothing after it.
var pemLabel = lazyre.New(`-----BEGIN[ A-Z0-9]{0,64}-----`)

// WithDisplay returns a Value with v's raw text whose display form is
// f(raw): the scanner's sanitizer uses it to make evidence printable
// without letting the raw text out. f must not keep raw.
func (v Value) WithDisplay(f func(raw string) string) Value {
	if v.raw == "" {
		return v
	}
	return Value{raw: v.raw, display: f(v.raw)}
}

// ReplaceIn replaces each occurrence of v's raw text in s by v's display
// form, and returns s unchanged when v's raw text is unknown or not in s.
func (v Value) ReplaceIn(s string) string {
	if v.raw == "" || !strings.Contains(s, v.raw) {
		return s
	}
	return strings.ReplaceAll(s, v.raw, v.display)
}

// quotedText matches text in quotes or backquotes, and what parsers print
// after "literal", "value", "token" or "key" (which may be a value from the
// file).
var quotedText = lazyre.New("(?:\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|`[^`]*`|(?i)\\b(?:literal|value|token|key|character|char)s?\\b\\s*:?\\s*\\S+)")

// StripLiterals returns a parser's error message without anything that
// may be a value from the parsed file: quoted text becomes "…", and
// what follows words such as "literal" or "value" is dropped. Config and
// report parse errors pass through it, so that "invalid literal:
// hunter2" never reaches an output.
func StripLiterals(msg string) string {
	return quotedText.ReplaceAllStringFunc(msg, func(m string) string {
		switch m[0] {
		case '"', '\'', '`':
			return "…"
		}
		word := m
		if i := strings.IndexAny(m, ": \t"); i > 0 {
			word = m[:i]
		}
		return word + " …"
	})
}

// Scrubber replaces the raw text of a set of Values, wherever it occurs in
// other text, by the Value's display form: the last line of defence of
// report writers, applied to whole documents, so that a secret that
// reached some other string (an error message, a context value) unnoticed
// still does not show. Both the raw form and its JSON-escaped form are
// replaced. Safe for concurrent use.
type Scrubber struct{ r *strings.Replacer }

// NewScrubber returns a Scrubber for the values whose raw text has at
// least minRunes code points (shorter ones would match innocent text).
func NewScrubber(values []Value, minRunes int) *Scrubber {
	seen := map[string]bool{}
	var raws []Value
	for _, v := range values {
		if v.raw == "" || seen[v.raw] || utf8.RuneCountInString(v.raw) < minRunes {
			continue
		}
		seen[v.raw] = true
		raws = append(raws, v)
	}
	if len(raws) == 0 {
		return &Scrubber{}
	}
	// Longest first, so that a secret containing another is replaced whole.
	sort.Slice(raws, func(i, j int) bool { return len(raws[i].raw) > len(raws[j].raw) })
	var pairs []string
	for _, v := range raws {
		pairs = append(pairs, v.raw, v.display)
		if esc := jsonEscape(v.raw); esc != v.raw {
			pairs = append(pairs, esc, jsonEscape(v.display))
		}
	}
	return &Scrubber{r: strings.NewReplacer(pairs...)}
}

// String returns s with every raw value replaced by its display form.
func (s *Scrubber) String(text string) string {
	if s == nil || s.r == nil {
		return text
	}
	return s.r.Replace(text)
}

// jsonEscape returns s as it appears inside a JSON string.
func jsonEscape(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// Inspect calls fn with v's raw text (nothing when unknown), for analysis
// inside the scanner that renders nothing: decoding a base64 secret to
// learn what it holds. fn must not keep, print or return the raw text.
func (v Value) Inspect(fn func(raw string)) {
	if v.raw != "" {
		fn(v.raw)
	}
}
