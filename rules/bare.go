package rules

import (
	"path"
	"regexp"
	"strings"

	"github.com/mcpscan/mcpscan/internal/lazyre"
)

// This file serves the bare-token tier: a credential printed by a command
// with no name next to it (gh auth token, aws configure get
// aws_secret_access_key, op read …, security find-generic-password -w,
// vault read -field=…, cat ~/.config/…/token). No pattern can tell such an
// output from any other random string; what the command was can. A
// transcript handler knows the command of each tool call and its output:
// when CredentialCommand says the command prints a credential and
// BareToken finds one token-shaped line in its output, it reports that
// line as a CommandOutputCredential finding.

// CommandOutputCredential is the ID of the structural rule for a
// credential printed bare by a command that outputs credentials.
const CommandOutputCredential = "command-output-credential"

// CredentialSource describes a command whose standard output is a bare
// credential.
type CredentialSource struct {
	Tool string // the command that prints it: "gh auth token", "op read"
	What string // what it prints: "GitHub token", "secret from 1Password"
	// Password says that the value may be a human-chosen password (a
	// secret store's entry), not a generated token: shorter values count.
	Password bool
}

// credentialCommand matches one simple command (its words joined by
// single spaces) that prints a credential on its own.
type credentialCommand struct {
	re       *lazyre.Regexp
	tool     string
	what     string
	password bool
}

// credentialCommands are the commands whose output is a bare credential,
// from each tool's documentation of the command.
var credentialCommands = []credentialCommand{
	{lazyre.New(`^gh auth token\b`), "gh auth token", "GitHub token", false},
	{lazyre.New(`^glab auth token\b`), "glab auth token", "GitLab token", false},
	{lazyre.New(`^aws configure get (?:\S+\.)?aws_(?:secret_access_key|access_key_id|session_token)\b`), "aws configure get", "AWS credential", false},
	{lazyre.New(`^aws (?:ecr|ecr-public) get-login-password\b`), "aws ecr get-login-password", "Amazon ECR registry password", false},
	{lazyre.New(`^aws codeartifact get-authorization-token\b.*--output text`), "aws codeartifact get-authorization-token", "AWS CodeArtifact token", false},
	{lazyre.New(`^aws (?:secretsmanager get-secret-value|ssm get-parameters?)\b.*--output text`), "aws secretsmanager/ssm", "AWS secret value", true},
	{lazyre.New(`^aws sts \S+\b.*--output text`), "aws sts", "AWS session credential", false},
	{lazyre.New(`^gcloud (?:auth (?:application-default )?print-(?:access|identity)-token|secrets versions access)\b`), "gcloud auth print-access-token", "Google Cloud token or secret", false},
	{lazyre.New(`^az (?:account get-access-token|keyvault secret show)\b.*(?:-o|--output) tsv`), "az account get-access-token", "Azure token or Key Vault secret", false},
	{lazyre.New(`^op (?:read|item get\b.*(?:--fields|--reveal))\b`), "op read", "secret from 1Password", true},
	{lazyre.New(`^security find-(?:generic|internet)-password\b.*\s-w\b`), "security find-generic-password -w", "password from the macOS keychain", true},
	{lazyre.New(`^vault (?:read|kv get|write|token create|token lookup)\b.*\s-field[= ]`), "vault read -field", "secret from Vault", true},
	{lazyre.New(`^vault print token\b`), "vault print token", "Vault token", false},
	{lazyre.New(`^(?:pass|gopass)(?: show)? [^-\s]\S*$`), "pass show", "password from pass", true},
	{lazyre.New(`^bw get (?:password|notes|totp)\b`), "bw get password", "secret from Bitwarden", true},
	{lazyre.New(`^lpass show\b.*--password`), "lpass show --password", "password from LastPass", true},
	{lazyre.New(`^(?:keyring get|secret-tool lookup)\b`), "keyring get", "secret from the system keyring", true},
	{lazyre.New(`^(?:doppler|infisical) secrets get\b.*--plain`), "doppler secrets get --plain", "secret from a secret manager", true},
	{lazyre.New(`^heroku auth:token\b`), "heroku auth:token", "Heroku token", false},
	{lazyre.New(`^(?:fly|flyctl) auth token\b`), "fly auth token", "Fly.io token", false},
	{lazyre.New(`^oc whoami (?:-t|--show-token)\b`), "oc whoami -t", "OpenShift token", false},
	{lazyre.New(`^kubectl (?:create token|get secret\b.*jsonpath)\b`), "kubectl create token", "Kubernetes token or Secret value", false},
	{lazyre.New(`^firebase login:ci\b`), "firebase login:ci", "Firebase CI token", false},
	{lazyre.New(`^terraform output -raw\b`), "terraform output -raw", "Terraform output", true},
	{lazyre.New(`^pulumi (?:config get|stack output\b.*--show-secrets)\b`), "pulumi config get", "Pulumi secret", true},
}

// outputFilters pass their input through (decoded, trimmed, selected): a
// credential command piped into them still prints the credential.
var outputFilters = map[string]bool{
	"base64": true, "tr": true, "head": true, "tail": true, "cut": true, "jq": true, "yq": true, "sed": true,
	"awk": true, "xargs": true, "grep": true, "cat": true, "tee": true, "sort": true, "uniq": true, "openssl": true,
}

// credentialFileName matches the base names of files that hold one bare
// credential: token, .token, github_token, api-key.txt, password,
// .vault-token, *.pat, credentials.txt.
var credentialFileName = lazyre.New(`(?i)^\.?(?:[\w.-]*[._-])?(?:token|tokens|secret|secrets|password|passwd|pass|api[_-]?key|apikey|access[_-]?key|pat|credentials?|auth)(?:\.(?:txt|key|pat|token|secret))?$|\.(?:token|pat|secret)$`)

// credentialFileDirs are directories that hold credential files whatever
// their names (~/.config/<tool>/…, /run/secrets/…).
var credentialFileDirs = lazyre.New(`(?:^|/)(?:run/secrets|var/run/secrets|\.secrets?)/`)

// fileReaders print a file's contents.
var fileReaders = map[string]bool{"cat": true, "bat": true, "less": true, "more": true, "head": true, "tail": true, "type": true, "get-content": true, "gc": true}

// CredentialCommand reports whether the standard output of shell command
// line cmd is a bare credential: the last pipeline of the line starts with
// a command that prints one (gh auth token, aws configure get
// aws_secret_access_key, op read op://…, security find-generic-password -w,
// vault read -field=…, pass show …), or reads a credential file (cat
// ~/.config/gh/token, cat /run/secrets/db_password), or echoes a
// credential variable (echo $GITHUB_TOKEN, printenv OPENAI_API_KEY), and
// every later stage only filters (base64 -d, tr -d '\n', jq -r …), and
// standard output is not redirected to a file.
// Environment assignments, sudo and a directory before the command name
// are skipped.
func CredentialCommand(cmd string) (CredentialSource, bool) {
	words, _ := SplitCommand(cmd)
	// The last pipeline: after the last ; && || or &.
	var stages [][]string
	cur := []string{}
	for i := 0; i < len(words); i++ {
		switch w := words[i]; w {
		case "|":
			if i+1 < len(words) && words[i+1] == "|" { // ||
				i++
				stages, cur = nil, []string{}
				continue
			}
			stages = append(stages, cur)
			cur = []string{}
		case ";", "&":
			stages, cur = nil, []string{}
		default:
			cur = append(cur, w)
		}
	}
	stages = append(stages, cur)
	// Standard output redirected to a file: nothing is printed.
	for _, w := range stages[len(stages)-1] {
		if strings.HasPrefix(w, ">") || strings.HasPrefix(w, "1>") || strings.HasPrefix(w, "&>") {
			return CredentialSource{}, false
		}
	}
	for i, st := range stages {
		st = commandWords(st)
		if len(st) == 0 {
			continue
		}
		src, ok := credentialStage(st)
		if !ok {
			continue
		}
		for _, later := range stages[i+1:] {
			later = commandWords(later)
			if len(later) == 0 || !outputFilters[strings.ToLower(path.Base(later[0]))] {
				return CredentialSource{}, false
			}
		}
		return src, true
	}
	return CredentialSource{}, false
}

// commandWords drops leading environment assignments and sudo, and the
// directory of the command name.
func commandWords(ws []string) []string {
	for len(ws) > 0 {
		w := ws[0]
		if k, _, ok := strings.Cut(w, "="); ok && k != "" && !strings.ContainsAny(k, "/-.") {
			ws = ws[1:]
			continue
		}
		if w == "sudo" || w == "env" || w == "command" || w == "exec" {
			ws = ws[1:]
			continue
		}
		break
	}
	if len(ws) == 0 {
		return nil
	}
	out := append([]string{path.Base(ws[0])}, ws[1:]...)
	return out
}

func credentialStage(ws []string) (CredentialSource, bool) {
	line := strings.Join(ws, " ")
	for _, c := range credentialCommands {
		if c.re.MatchString(line) {
			return CredentialSource{Tool: c.tool, What: c.what, Password: c.password}, true
		}
	}
	name := strings.ToLower(ws[0])
	switch {
	case fileReaders[name]:
		for _, a := range ws[1:] {
			if strings.HasPrefix(a, "-") {
				continue
			}
			if credentialFileName.MatchString(path.Base(a)) || credentialFileDirs.MatchString(a) {
				return CredentialSource{Tool: name + " " + a, What: "contents of a credential file", Password: true}, true
			}
		}
	case name == "echo" || name == "printf" || name == "printenv":
		for _, a := range ws[1:] {
			v := strings.Trim(a, `"'`)
			v = strings.TrimPrefix(strings.TrimPrefix(v, "${"), "$")
			v = strings.TrimSuffix(v, "}")
			if name != "printenv" && !strings.HasPrefix(strings.Trim(a, `"'`), "$") {
				continue
			}
			if v != "" && IsCredentialName(v) {
				return CredentialSource{Tool: name + " " + a, What: "value of a credential variable", Password: true}, true
			}
		}
	}
	return CredentialSource{}, false
}

// BareToken looks for the one credential a credential command printed:
// the output, trimmed of surrounding blank lines, must be a single line
// holding a single word that is shaped like a secret (LooksLikeSecret: at
// least 16 bytes for a token, 8 for a password; not a placeholder, path,
// URL, reference or word). start and end are its byte offsets in output.
// Anything else (a table, JSON, an error message, several lines) is not a
// bare token: a name in it lets the pattern rules judge it instead.
func BareToken(output string, src CredentialSource) (start, end int, ok bool) {
	t := strings.TrimRight(output, " \t\r\n")
	start = len(t) - len(strings.TrimLeft(t, " \t\r\n"))
	t = t[start:]
	if t == "" || strings.ContainsAny(t, " \t\r\n") || len(t) > 4096 {
		return 0, 0, false
	}
	minLen := 16
	if src.Password {
		minLen = 8
	}
	for i := 0; i < len(t); i++ {
		if t[i] < 0x21 || t[i] > 0x7e {
			return 0, 0, false
		}
	}
	if strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") || strings.Contains(t, "://") || !LooksLikeSecret(t, minLen) {
		return 0, 0, false
	}
	if !src.Password && ShannonEntropy(t) < 3 {
		return 0, 0, false
	}
	return start, start + len(t), true
}

// CredentialCommandSignal is the ID of the signal rule that finds, cheaply
// and with keywords, the places where a credential command may have been
// run (a shell tool's input). Its matches are no findings: the transcript
// handler checks the whole command with CredentialCommand and looks for a
// bare token in the command's output (BareToken).
const CredentialCommandSignal = "credential-command"

// credentialCommandKeywords are distinctive words of the commands
// CredentialCommand knows (lower case).
var credentialCommandKeywords = []string{
	"auth token", "configure get", "get-login-password", "get-authorization-token", "get-secret-value",
	"get-parameter", "print-access-token", "print-identity-token", "versions access", "get-access-token",
	"keyvault secret", "op read", "op item get", "find-generic-password", "find-internet-password",
	"-field", "print token", "pass show", "gopass", "bw get", "lpass show", "keyring get", "secret-tool",
	"secrets get", "auth:token", "whoami -t", "--show-token", "create token", "login:ci", "output -raw",
	"config get", "--show-secrets", "printenv", "echo $", "/token", "secrets/", ".vault-token",
}

func credentialCommandSignal() *Rule {
	alts := make([]string, len(credentialCommandKeywords))
	for i, k := range credentialCommandKeywords {
		alts[i] = regexp.QuoteMeta(k)
	}
	return &Rule{
		// Source: the commands of credentialCommands above, from each
		// tool's documentation; the keywords are their distinctive words.
		ID:          CredentialCommandSignal,
		Description: "A shell command that may print a credential (a signal for the transcript handler, never reported).",
		Severity:    Info,
		Kind:        KindSignal,
		Origin:      OriginMcpscan,
		Priority:    PriorityGeneric,
		Keywords:    credentialCommandKeywords,
		Why:         "A command whose output is a credential puts the credential into the transcript.",
		Remediation: "See command-output-credential.",
		Path:        `(?i)\.jsonl$`,
		Pattern:     `(?i)(` + strings.Join(alts, "|") + `)`,

		SkipPlaceholderCheck: true,
	}
}
