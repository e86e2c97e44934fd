package jsondoc_test

import (
	"testing"

	"github.com/mcpscan/mcpscan/scanner/sources/internal/handlertest"
	"github.com/mcpscan/mcpscan/scanner/sources/jsondoc"
)

const ghToken = "ghp_R8x2Lq9ZtW4mN7vB3kJ6yH1cF5dG0sA2pQ8e"

func TestFieldPath(t *testing.T) {
	doc := `{"deploy": {"steps": [{"run": "echo hi"}, {"run": "gh auth login --with-token <<< \"` + ghToken + `\""}]}}`
	fs, errs := handlertest.Run(t, jsondoc.Handler{}, "/home/a/web/ci.json", doc)
	if len(errs) != 0 || len(fs) != 1 {
		t.Fatalf("findings %d problems %+v", len(fs), errs)
	}
	if fs[0].Field != "deploy.steps[1].run" || handlertest.Raw(&fs[0]) != ghToken {
		t.Errorf("field %q", fs[0].Field)
	}
}

// TestEscapedSecret: a secret written with JSON escapes is decoded before
// the rules see it, and its position is that of its raw bytes.
func TestEscapedSecret(t *testing.T) {
	doc := `{"note": "export GITHUB_TOKEN=\"` + `\u0067` + ghToken[1:] + `\"\n"}`
	fs, _ := handlertest.Run(t, jsondoc.Handler{}, "/home/a/web/n.json", doc)
	if len(fs) != 1 || handlertest.Raw(&fs[0]) != ghToken || fs[0].Offset != int64(len(`{"note": "export GITHUB_TOKEN=\"`)) {
		t.Errorf("findings %+v", fs)
	}
}

func TestInvalidJSON(t *testing.T) {
	fs, errs := handlertest.Run(t, jsondoc.Handler{}, "/home/a/web/x.json", `{"a": "`+ghToken+`", }`)
	if len(fs) != 1 || len(errs) != 1 || errs[0].Reason != "parse" {
		t.Errorf("findings %d, problems %+v", len(fs), errs)
	}
}
