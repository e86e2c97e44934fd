package rules

import (
	"strings"
	"unicode"

	"github.com/mcpscan/mcpscan/internal/lazyre"
)

// This file judges placeholders by the whole shape of a value: the words
// it is made of (split at separators and letter-digit boundaries), in the
// languages people write configs and docs in. A value
// whose words say "your", "replace", "insert" … in any of them is a
// placeholder; a value with a weaker word ("example", "fake", "here",
// "aqui" …) is one only when nothing in it looks random. So
// PON_TU_TOKEN_AQUI is a placeholder, and a random key that happens to
// contain EXAMPLE, DEIN or fake- is not.

// strongPlaceholderWords mark a value as a placeholder wherever they stand
// as a word: possessives addressed to the reader and instructions to
// replace the value (English, French, Spanish, Portuguese, German,
// Italian, Dutch, Polish, Russian).
var strongPlaceholderWords = wordSet(
	// en
	"your", "yours", "replace", "placeholder", "changeme", "insert", "redacted", "masked", "todo", "tbd", "fixme",
	// fr
	"votre", "vos", "remplacer", "remplacez", "remplace", "inserer", "inserez", "saisissez", "saisir", "mettez",
	// es
	"vuestro", "vuestra", "reemplazar", "reemplaza", "reemplace", "reemplazalo", "sustituir", "sustituye", "insertar", "inserta", "introduce", "ingresa", "ingrese", "coloca",
	// pt
	"seu", "sua", "seus", "suas", "substituir", "substitua", "insira", "coloque",
	// de
	"dein", "deine", "deinen", "deinem", "deiner", "ihren", "ersetzen", "ersetze", "ersetzt", "einfuegen", "eingeben", "eintragen",
	// it
	"tuo", "tua", "tuoi", "sostituisci", "sostituire", "inserisci", "inserire",
	// nl, pl
	"jouw", "vervang", "vervangen", "invoegen", "twoj", "twoja", "wstaw", "zastap",
	// ru
	"ваш", "ваша", "ваше", "замените", "вставьте", "введите",
)

// weakPlaceholderWords mark a value as a placeholder only when none of its
// parts looks random: documentation words ("example", "sample"), test
// doubles ("fake", "dummy"), "here" and short possessives that also occur
// in real words or passwords.
var weakPlaceholderWords = wordSet(
	"example", "examples", "sample", "fake", "dummy", "demo", "here", "goes", "this", "xxx",
	"exemple", "ici", "cle", "ton", "ta", "tes", "mettre",
	"ejemplo", "aqui", "tu", "tus", "su", "sus", "pon", "poner", "ponga", "clave",
	"exemplo", "aqui", "cole", "chave",
	"beispiel", "hier", "ihr", "ihre", "schluessel", "schlussel",
	"esempio", "qui", "chiave",
	"voorbeeld", "uw", "sleutel", "tutaj", "klucz",
	"пример", "здесь", "ключ",
)

// hasPlaceholderWord reports whether an ASCII value holds, as a maximal
// run of letters, a word of either list, in any case: a necessary
// condition for isPlaceholderPhrase on ASCII values, whose segments are
// runs of letters and digits and whose words are runs of letters or of
// digits (the words of both lists are letters only, which an init check
// of placeholderLetterWords asserts).
func hasPlaceholderWord(v string) bool {
	var buf [placeholderWordMax]byte
	for i := 0; i < len(v); {
		if !isASCIILetter(v[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(v) && isASCIILetter(v[j]) {
			j++
		}
		if j-i <= len(buf) && (j-i == 1 || placeholderWordPairs[pairIndex(v[i], v[i+1])]) &&
			placeholderLetterWords[lowerInto(buf[:], v[i:j])] {
			return true
		}
		i = j
	}
	return false
}

// placeholderWordMax is the longest ASCII word of both lists, in bytes.
const placeholderWordMax = 16

// placeholderWordPairs holds the first two letters (pairIndex) of the
// words of placeholderLetterWords.
var placeholderWordPairs = func() *[26 * 26]bool {
	var t [26 * 26]bool
	for w := range placeholderLetterWords {
		if len(w) > 1 {
			t[pairIndex(w[0], w[1])] = true
		}
	}
	return &t
}()

// pairIndex numbers two ASCII letters of either case.
func pairIndex(a, b byte) int { return int(lowerByte(a)-'a')*26 + int(lowerByte(b)-'a') }

// placeholderLetterWords holds the ASCII words of both lists.
var placeholderLetterWords = func() map[string]bool {
	m := map[string]bool{}
	for _, set := range []map[string]bool{strongPlaceholderWords, weakPlaceholderWords} {
		for w := range set {
			ascii := isASCII(w)
			for i := 0; i < len(w); i++ {
				if ascii && !(w[i] >= 'a' && w[i] <= 'z') {
					panic("rules: placeholder word " + w + " is not lower-case letters")
				}
			}
			if ascii {
				if len(w) > placeholderWordMax {
					panic("rules: placeholder word " + w + " is longer than placeholderWordMax")
				}
				m[w] = true
			}
		}
	}
	return m
}()

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// accentFold spells common accented letters without their accents, so
// that CLÉ, SCHLÜSSEL and AQUÍ meet the word lists.
var accentFold = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i", "ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o",
	"ú", "u", "ù", "u", "û", "u", "ü", "u", "ñ", "n", "ç", "c", "ß", "ss", "ó", "o", "ą", "a",
	"ę", "e", "ł", "l", "ń", "n", "ś", "s", "ź", "z", "ż", "z",
)

// isPlaceholderPhrase reports whether v's words make it a placeholder (see
// the file comment).
func isPlaceholderPhrase(v string) bool {
	if isASCII(v) && !hasPlaceholderWord(v) {
		return false
	}
	v = accentFold.Replace(strings.ToLower(v))
	segments := strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(segments) == 0 {
		return false
	}
	// A strong word counts as a whole segment only (DEIN_API_KEY, not
	// DEIN7k2Xq…), a weak one also between digits (EXAMPLE_TOKEN_123).
	for _, seg := range segments {
		if strongPlaceholderWords[seg] {
			return true
		}
	}
	weak := false
	words := 0
	for _, w := range placeholderWordsOf(v) {
		words++
		weak = weak || weakPlaceholderWords[w]
	}
	if !weak || words < 2 {
		return false
	}
	for _, s := range segments {
		if randomSegment(s) {
			return false
		}
	}
	return true
}

// placeholderWordsOf splits a lower-cased value into words at separators
// and letter-digit boundaries.
func placeholderWordsOf(lower string) []string {
	var out []string
	for _, seg := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		start := 0
		rs := []rune(seg)
		for i := 1; i <= len(rs); i++ {
			if i == len(rs) || unicode.IsDigit(rs[i]) != unicode.IsDigit(rs[i-1]) {
				out = append(out, string(rs[start:i]))
				start = i
			}
		}
	}
	return out
}

// randomSegment reports whether a separator-delimited, lower-cased
// segment looks random rather than like words or a number: long, with
// letters and digits interleaved, or long with high entropy.
func randomSegment(s string) bool {
	if len(s) < 8 {
		return false
	}
	transitions := 0
	for i := 1; i < len(s); i++ {
		if isDigitByte(s[i]) != isDigitByte(s[i-1]) {
			transitions++
		}
	}
	return transitions >= 3 || (len(s) >= 16 && ShannonEntropy(s) >= 3.6)
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// filePathValue matches values that name a file instead of holding a
// secret: relative and home paths, Windows drive paths, file:// URLs, and
// absolute paths under the usual roots or ending in a key or config file
// extension.
var filePathValue = lazyre.New(`^(?:\.{1,2}[/\\]|~[/\\]|[A-Za-z]:[/\\]|file://)` +
	`|^/(?:home|Users|etc|run|var|opt|tmp|usr|root|srv|mnt|app|workspace|secrets|private|data|config|keys)/` +
	`|^/[\w.@/-]{1,256}\.(?i:json|pem|key|p12|pfx|jks|keystore|crt|cer|der|txt|env|ya?ml|toml|ini|cfg|conf|ppk|gpg|asc|p8)$`)

// IsFilePath reports whether v is a file path given where a credential
// belongs (GOOGLE_APPLICATION_CREDENTIALS=./keys/sa.json,
// SSL_KEY_FILE=/etc/ssl/private/app.key): the file may hold a secret, but
// the value is not one.
func IsFilePath(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && mayBeFilePath(v) && !strings.ContainsAny(v, " \t\n") && filePathValue.MatchString(v)
}

// mayBeFilePath reports whether v starts as filePathValue's alternatives
// do: ".", "~", "/", a drive letter and ":", or "file://".
func mayBeFilePath(v string) bool {
	switch c := v[0]; {
	case c == '.' || c == '~' || c == '/':
		return true
	case isASCIILetter(c):
		return len(v) > 1 && v[1] == ':' || strings.HasPrefix(v, "file://")
	}
	return false
}
