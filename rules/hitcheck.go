package rules

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// A hitCheck is a necessary condition, checked on the raw bytes after a
// keyword hit before the regex runs, for a hit of a NAME=value rule to
// yield a finding (see Admits). For gitleaks' generic-api-key
// (apiKeyWalk):
//
//	keyword [ \t\w.-]{0,20} [\s'"]{0,3} (?:=|>|:{1,3}=|\|\||:|=>|\?=|,) [\x60'"\s=]{0,5}
//	([\w.=-]{10,150}|[a-z0-9][a-z0-9+/]{11,}={0,3}) tokenEnd
//
// A secret of Shannon entropy above E bits per byte holds more than 2^E
// distinct bytes (k distinct bytes carry at most log2(k) bits per byte):
// 12 for the rule's 3.5. admits follows the pattern from the keyword to
// every place the secret can start, and asks whether the run of secret
// bytes ([\w.=+/-]) from one of them holds that many. On minified code,
// where "api", "key" and "token" hit every few hundred bytes and the
// values are short words and version strings (t.apiVersion="2024-06-20"),
// this rejects most hits; a long random value passes after a few bytes.
//
// Rejecting a hit whose regex would match (and be rejected by Accept)
// must not let the matcher find a match it would otherwise have skipped:
// after a match, the matcher skips the rule's hits that the match covers.
// So a hit is rejected only when every keyword of the rule that starts
// between it and the end of the furthest match it could yield is a hit
// rejected in turn: hits covered by a rejected hit's match are then
// rejected hits, and the hits that are tried, and their matches, are the
// same with and without the check.
type hitCheck struct {
	// pattern, group and keywords are what the rule held when the check
	// was derived: a rule given another pattern, group or keyword list (a
	// config overriding them) skips it.
	pattern  string
	group    int
	keywords []string
	maxKw    int // longest keyword, in bytes
	// pairs holds the first two bytes of the keywords in any case, a bit
	// per pair; byFirst the keywords by (lower-case) first byte.
	first   [256]bool // first bytes of the keywords, in any case
	pairs   [1 << 16 / 64]uint64
	byFirst [256][]string
	// walk follows the pattern from a hit whose keyword ends at kwEnd: it
	// returns accept when a match from there may yield a finding (or it
	// cannot tell), else the raw offset by which every match from there
	// ends, at most a closing quote or terminator before it (-1: there is
	// no match).
	walk func(c *hitCheck, r *Rule, b []byte, kwEnd int) (accept bool, end int)
	// need is distinctFloor(entropy), for a rule whose Entropy is entropy
	// (generic-api-key).
	entropy float64
	need    int
}

// genericAPIKeyPattern is generic-api-key's pattern (gitleaks 8.30,
// tokenEnd after the secret) that apiKeyWalk is written for.
const genericAPIKeyPattern = `(?i)[\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API)|credential|creds|key|passw(?:or)?d|secret|token)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([\w.=-]{10,150}|[a-z0-9][a-z0-9+/]{11,}={0,3})` + tokenEnd

// genericAPIKeyCheck returns the hitCheck of a rule with generic-api-key's
// pattern, or nil for any other pattern (a gitleaks upgrade that changes
// it turns the check off until the walk is reviewed). The keywords must
// be the literals of the pattern's keyword alternation, none a suffix of
// another, so that a match's keyword ends where its hit's does.
func genericAPIKeyCheck(pattern string, group int, keywords []string, entropy float64) *hitCheck {
	want := map[string]bool{"access": true, "api": true, "auth": true, "key": true, "credential": true, "creds": true, "passwd": true, "password": true, "secret": true, "token": true}
	c := newHitCheck(pattern, genericAPIKeyPattern, group, keywords, want, apiKeyWalk)
	if c != nil {
		c.entropy, c.need = entropy, distinctFloor(entropy)
	}
	return c
}

// newHitCheck returns a hitCheck with walk for a rule of pattern, group
// and keywords, or nil when the pattern is not the one the walk was
// written for or a keyword is not one of want.
func newHitCheck(pattern, forPattern string, group int, keywords []string, want map[string]bool, walk func(*hitCheck, *Rule, []byte, int) (bool, int)) *hitCheck {
	if pattern != forPattern || len(keywords) == 0 {
		return nil
	}
	c := &hitCheck{pattern: pattern, group: group, keywords: keywords, walk: walk}
	for _, k := range keywords {
		if !want[k] {
			return nil
		}
		if len(k) < 2 {
			return nil
		}
		c.maxKw = max(c.maxKw, len(k))
		for _, x := range foldsASCII(k[0]) {
			c.first[x] = true
			for _, y := range foldsASCII(k[1]) {
				pair := uint16(x)<<8 | uint16(y)
				c.pairs[pair>>6] |= 1 << (pair & 63)
			}
		}
		c.byFirst[k[0]] = append(c.byFirst[k[0]], k)
	}
	return c
}

// maxRunScan bounds how far a run is read; past it the hit is accepted.
const maxRunScan = 4096

// distinctFloor returns the fewest distinct bytes a secret above entropy
// e must hold: the least k with log2(k) > e, less one for rounding when
// 2^e is (nearly) a whole number.
func distinctFloor(e float64) int {
	return int(math.Floor(math.Exp2(e)*(1-1e-9))) + 1
}

// Admits reports whether the matcher should run the rule at a keyword
// hit: b is the raw buffer, kwEnd the offset just past the keyword. It
// runs the rule's Precheck, then, for gitleaks' generic-api-key and
// mcpscan's generic-credential-assignment, checks that a value the rule
// would report can follow (see hitCheck). Either check only rejects hits
// where the matcher, running the regex, would report nothing; b may end
// early, and then Admits accepts.
func (r *Rule) Admits(b []byte, kwEnd int) bool {
	if r.Precheck != nil && !r.Precheck(b, kwEnd) {
		return false
	}
	if c := r.hitCheck; c != nil && r.Pattern == c.pattern && r.SecretGroup == c.group && sameSlice(r.Keywords, c.keywords) {
		budget := 16
		return c.admits(r, b, kwEnd, 4, &budget)
	}
	return true
}

// sameSlice reports whether a and b are the same slice (not only equal).
func sameSlice(a, b []string) bool { return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) }

// prefixUnits is how many decoded bytes after the keyword the walk to a
// secret start reads: 20 name bytes, 3 quotes or blanks, a 4-byte
// operator, 5 quotes, blanks or "=".
const prefixUnits = 20 + 3 + 4 + 5

// admits reports whether a hit whose keyword ends at kwEnd may yield a
// finding, or lets the matcher try a later hit that may: whether walk
// accepts, or another keyword starts inside a match the hit could yield
// and that hit is admitted in turn. The hits looked at in turn are
// bounded by depth (a chain) and by budget (in all, against text such as
// key=key=key=…); past either, admits accepts.
func (c *hitCheck) admits(r *Rule, b []byte, kwEnd, depth int, budget *int) bool {
	if *budget--; *budget < 0 {
		return true
	}
	accept, end := c.walk(c, r, b, kwEnd)
	if accept {
		return true
	}
	if end < 0 {
		return false // the regex cannot match here
	}
	// A keyword starting before end would be a hit the matcher skips
	// after a match of this one, and tries once this hit is rejected.
	// Unless that hit is rejected too, this one is not.
	if end > len(b) {
		return true
	}
	// Keywords are 2+ bytes long: one starting at i < end needs b[i+1].
	lo, hi := max(kwEnd-c.maxKw+1, 0), min(end, len(b)-1)
	if lo >= hi {
		return false
	}
	for i, x := range b[lo:hi] {
		if !c.first[x] {
			continue
		}
		i += lo
		if pair := uint16(x)<<8 | uint16(b[i+1]); c.pairs[pair>>6]&(1<<(pair&63)) == 0 {
			continue
		}
		for _, k := range c.byFirst[lowerByte(b[i])] {
			e := i + len(k)
			if e == kwEnd || e > len(b) || !hasFoldASCII(b[i:e], k) {
				continue
			}
			if depth == 0 || c.admits(r, b, e, depth-1, budget) {
				return true
			}
		}
	}
	return false
}

// apiKeyWalk is the walk of generic-api-key's hitCheck: accept when a
// secret above the rule's entropy floor can follow.
func apiKeyWalk(c *hitCheck, r *Rule, b []byte, kwEnd int) (bool, int) {
	if r.Entropy <= 0 {
		return true, 0
	}
	need := c.need
	if r.Entropy != c.entropy {
		need = distinctFloor(r.Entropy) // a config changed it
	}
	return secretWalk(b, kwEnd, need)
}

// secretWalk follows generic-api-key's pattern from kwEnd to every place
// where the secret can start, and reads the run of secret bytes from
// each, accepting when one holds need distinct bytes. Raw bytes are
// read as the decoded text of a JSON string: \" \\ \/ \b \f \n \r \t
// as the byte they stand for; \uXXXX, any other escape or a byte of a
// multi-byte character on the way to the secret accepts (ſ and K are
// name bytes of the case-insensitive pattern), as does the end of b.
// Text read raw has no backslash on any path to a secret, so the walk
// sees a superset of its paths. It returns accept, or the raw offset
// where the furthest run ends (-1 when no secret can start).
func secretWalk(b []byte, kwEnd, need int) (accept bool, end int) {
	var buf [prefixUnits + 1]byte // decoded bytes
	var at [prefixUnits + 1]uint8 // raw offset of each, from kwEnd
	// Plain text (ASCII, no backslash) is its own decoding: unit i is at
	// raw offset i.
	var u []byte
	plain := kwEnd+prefixUnits < len(b) && plainASCII(b[kwEnd:kwEnd+prefixUnits+1])
	if plain {
		u = b[kwEnd : kwEnd+prefixUnits+1]
	} else {
		p := kwEnd
		for i := 0; i <= prefixUnits; i++ {
			if p >= len(b) {
				return true, 0
			}
			c, w := b[p], 1
			if c == '\\' {
				var ok bool
				if c, w, ok = unit(b, p); !ok {
					return true, 0
				}
			}
			if c >= 0x80 {
				return true, 0
			}
			buf[i], at[i] = c, uint8(p-kwEnd)
			p += w
		}
		u = buf[:]
	}

	// The name tail ends after 0 to 20 tail units: anywhere up to the
	// first other unit (t). Quotes and blanks may follow from any of
	// those places, up to 3: the operator starts at most r units after t,
	// the quotes or blanks from t on. Tail units and quotes are not
	// operators, so the operator starts there (q) or nowhere.
	t := 0
	for t < 20 && walkClass[u[t]]&wTail != 0 {
		t++
	}
	q := t
	for q < t+3 && walkClass[u[q]]&wQuote != 0 {
		q++
	}
	// Where the operator can end.
	var op uint64
	switch u[q] {
	case '=':
		op |= 1 << (q + 1)
		if u[q+1] == '>' {
			op |= 1 << (q + 2)
		}
	case '>', ',':
		op |= 1 << (q + 1)
	case '|':
		if u[q+1] == '|' {
			op |= 1 << (q + 2)
		}
	case '?':
		if u[q+1] == '=' {
			op |= 1 << (q + 2)
		}
	case ':':
		op |= 1 << (q + 1)
		for k := 1; k <= 3 && u[q+k-1] == ':'; k++ {
			if u[q+k] == '=' {
				op |= 1 << (q + k + 1)
			}
		}
	default:
		return false, -1
	}
	if op == 0 {
		return false, -1
	}
	// Up to 5 value lead units after the operator: the secret starts at
	// one of these places.
	starts := op
	for m := op; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		for k := i; k < i+5 && walkClass[u[k]]&wLead != 0; k++ {
			starts |= 1 << (k + 1)
		}
	}

	// The run of secret bytes from each start; a later start inside a run
	// already read holds no more distinct bytes.
	end = -1
	for m := starts; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		start := kwEnd + i
		if !plain {
			start = kwEnd + int(at[i])
		}
		if start < end {
			continue
		}
		runEnd, ok := distinctRun(b, start, need)
		if ok {
			return true, 0
		}
		end = max(end, runEnd)
	}
	return false, end
}

// plainASCII reports whether b has no byte from 0x80 and no backslash.
func plainASCII(b []byte) bool {
	const ones, highs, backslashes = 0x0101010101010101, 0x8080808080808080, 0x5c5c5c5c5c5c5c5c
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		x := w ^ backslashes // a zero byte where w has a backslash
		if (w|(x-ones)&^x)&highs != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 || c == '\\' {
			return false
		}
	}
	return true
}

// Class bits of walkClass, in the order secretWalk shifts them.
const (
	wTail  = 1 << iota // isTailByte
	wQuote             // isQuoteBlank
	wLead              // isValueLead
	wOp                // an operator's first byte
	wBail              // from 0x80: a byte of a multi-byte character
)

// walkClass holds the classes of each decoded byte for secretWalk.
var walkClass = func() (t [256]uint8) {
	for c := range t {
		b := byte(c)
		if isTailByte(b) {
			t[c] |= wTail
		}
		if isQuoteBlank(b) {
			t[c] |= wQuote
		}
		if isValueLead(b) {
			t[c] |= wLead
		}
		switch b {
		case '=', '>', ',', '|', '?', ':':
			t[c] |= wOp
		}
		if b >= 0x80 {
			t[c] |= wBail
		}
	}
	return t
}()

// spread returns from, extended by up to n more units of a class: every
// index reachable from one in from over at most n units whose bits are
// set in class.
func spread(from, class uint64, n int) uint64 {
	out, cur := from, from
	for k := 0; k < n && cur != 0; k++ {
		cur = (cur & class) << 1
		out |= cur
	}
	return out
}

// distinctRun reads the run of secret bytes from raw offset p until it
// holds need distinct bytes (true) or ends; it returns the raw offset
// where it ended. The end of b, or an escape it cannot read, accepts.
func distinctRun(b []byte, p, need int) (int, bool) {
	var seen [4]uint64 // bytes seen, a bit each
	distinct := 0
	for start := p; ; {
		if p-start > maxRunScan {
			return p, true
		}
		if p >= len(b) {
			return p, true
		}
		c, w := b[p], 1
		if c == '\\' {
			var ok bool
			if c, w, ok = unit(b, p); !ok {
				return p, true
			}
		}
		if !secretRunByte[c] {
			return p, false
		}
		if bit := uint64(1) << (c & 63); seen[c>>6]&bit == 0 {
			seen[c>>6] |= bit
			distinct++
			if distinct >= need {
				return p, true
			}
		}
		p += w
	}
}

// secretRunByte is isSecretRunByte as a table.
var secretRunByte = func() (t [256]bool) {
	for c := range t {
		t[c] = isSecretRunByte(byte(c))
	}
	return t
}()

// foldsASCII returns the lower-case ASCII byte c and its upper case.
func foldsASCII(c byte) []byte {
	if c >= 'a' && c <= 'z' {
		return []byte{c, c - 'a' + 'A'}
	}
	return []byte{c}
}

// hasFoldASCII reports whether b equals the lower-case k, ignoring ASCII
// case in b.
func hasFoldASCII(b []byte, k string) bool {
	for j := 0; j < len(k); j++ {
		if lowerByte(b[j]) != k[j] {
			return false
		}
	}
	return true
}

// unit decodes the byte at raw offset p as a JSON string would: it
// returns the byte, the raw bytes it takes, and false at the end of b or
// at an escape that does not stand for one ASCII byte.
func unit(b []byte, p int) (byte, int, bool) {
	if p >= len(b) {
		return 0, 0, false
	}
	c := b[p]
	if c != '\\' {
		return c, 1, true
	}
	if p+1 >= len(b) {
		return 0, 0, false
	}
	switch b[p+1] {
	case '"', '\\', '/':
		return b[p+1], 2, true
	case 'b':
		return '\b', 2, true
	case 'f':
		return '\f', 2, true
	case 'n':
		return '\n', 2, true
	case 'r':
		return '\r', 2, true
	case 't':
		return '\t', 2, true
	}
	return 0, 0, false
}

// isTailByte is the class [ \t\w.-] (ASCII).
func isTailByte(c byte) bool { return c == ' ' || c == '\t' || isNameChar(c) }

// isSpaceByte is RE2's \s: [\t\n\f\r ].
func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// isQuoteBlank is the class [\s'"].
func isQuoteBlank(c byte) bool { return isSpaceByte(c) || c == '\'' || c == '"' }

// isValueLead is the class [\x60'"\s=].
func isValueLead(c byte) bool { return isQuoteBlank(c) || c == '`' || c == '=' }

// isSecretRunByte holds the bytes of both secret branches, [\w.=-] and
// [a-z0-9+/=] case-insensitively, and every byte from 0x80 (the pattern
// folds ſ and K into its classes; entropy counts bytes).
func isSecretRunByte(c byte) bool {
	return isNameChar(c) || c == '=' || c == '+' || c == '/' || c >= 0x80
}
