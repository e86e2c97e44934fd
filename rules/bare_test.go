package rules_test

import (
	"testing"

	"github.com/mcpscan/mcpscan/rules"
)

func TestCredentialCommand(t *testing.T) {
	for _, cmd := range []string{
		"gh auth token",
		"gh auth token --hostname github.example.com",
		"/usr/local/bin/gh auth token",
		"GH_HOST=github.com gh auth token",
		"aws configure get aws_secret_access_key",
		"aws configure get aws_access_key_id --profile prod",
		"aws configure get default.aws_session_token",
		"aws ecr get-login-password --region eu-west-1",
		"aws secretsmanager get-secret-value --secret-id prod/db --query SecretString --output text",
		"gcloud auth print-access-token",
		"gcloud auth application-default print-access-token",
		"az account get-access-token --query accessToken -o tsv",
		"op read op://Private/GitHub/token",
		`op read "op://Dev Vault/OpenAI/credential"`,
		"op item get GitHub --fields label=token --reveal",
		"security find-generic-password -s openai -a me -w",
		"security find-internet-password -s github.com -w",
		"vault read -field=password secret/db",
		"vault kv get -field=api_key secret/openai",
		"vault print token",
		"pass show web/github",
		"pass email/work",
		"bw get password github",
		"cat ~/.config/gh/token",
		"cat ~/.config/openai/api_key",
		"cat /run/secrets/db_password",
		"cat .vault-token",
		"cat ~/tokens/github.token",
		"echo $GITHUB_TOKEN",
		`echo "${OPENAI_API_KEY}"`,
		"printenv ANTHROPIC_API_KEY",
		"kubectl get secret app -o jsonpath='{.data.token}' | base64 -d",
		"kubectl create token deployer",
		"cd ~/app && gh auth token",
		"gh auth token | tr -d '\\n'",
		"sudo cat /run/secrets/api_key",
	} {
		if _, ok := rules.CredentialCommand(cmd); !ok {
			t.Errorf("CredentialCommand(%q) = false, want true", cmd)
		}
	}
	for _, cmd := range []string{
		"gh auth status", "gh pr list", "aws configure get region", "aws s3 ls", "op signin", "op item list",
		"security find-generic-password -s openai", // no -w: attributes, not the password
		"vault read secret/db",                     // a table with key names
		"cat README.md", "cat ~/.config/gh/hosts.yml", "cat package.json", "echo hello", "echo $HOME", "printenv PATH",
		"gh auth token | gh secret set GH_TOKEN", // piped into a consumer, not printed
		"gh auth token > /tmp/t",                 // redirected to a file
		"pass insert web/github", "pass", "git log", "",
	} {
		if src, ok := rules.CredentialCommand(cmd); ok {
			t.Errorf("CredentialCommand(%q) = %+v, want false", cmd, src)
		}
	}
}

func TestBareToken(t *testing.T) {
	tok := "gho_" + fakeBody(36)
	aws := body(alnum+"/+", 40, 60)
	pw := "Hk3;vP9,xQ2&mLw"
	token := rules.CredentialSource{Tool: "gh auth token"}
	password := rules.CredentialSource{Tool: "op read", Password: true}
	for _, c := range []struct {
		out  string
		src  rules.CredentialSource
		want string
	}{
		{tok + "\n", token, tok},
		{"\n  " + aws + "\r\n", token, aws},
		{pw + "\n", password, pw},
		{"Zt8kLq2v\n", password, "Zt8kLq2v"},
	} {
		s, e, ok := rules.BareToken(c.out, c.src)
		if !ok || c.out[s:e] != c.want {
			t.Errorf("BareToken(%q) = %d %d %v, want %q", c.out, s, e, ok, c.want)
		}
	}
	for _, c := range []struct {
		out string
		src rules.CredentialSource
	}{
		{"", token},
		{"no oauth token found for github.com\n", token},
		{tok + "\n" + tok + "\n", token},
		{`{"AccessKeyId": "x"}`, token},
		{"Zt8kLq2v\n", token}, // too short for a token
		{"changeme\n", password},
		{"https://example.com/login\n", token},
		{"/home/dev/.config/gh/token\n", password},
		{"xxxxxxxxxxxxxxxxxxxxxxxx\n", token},
		{"error: item not found\n", password},
		{"${GITHUB_TOKEN}\n", password},
	} {
		if s, e, ok := rules.BareToken(c.out, c.src); ok {
			t.Errorf("BareToken(%q) = %q", c.out, c.out[s:e])
		}
	}
}
