package textfile_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/sources"
)

// TestBindFindings scans a small repository: server code in three
// languages and a Compose file get one finding per every-interface bind,
// at the listening call, naming the call and the host's origin; loopback
// code, a README and a test file get none.
func TestBindFindings(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"server.py":            "import os\nimport uvicorn\n\nHOST = os.getenv(\"HOST\", \"0.0.0.0\")\n\nif __name__ == \"__main__\":\n    uvicorn.run(app, host=HOST, port=8000)\n",
		"cmd/main.go":          "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"src/index.ts":         "const app = express();\napp.listen(3000, '127.0.0.1');\n",
		"README.md":            "Run it: `uvicorn.run(app, host=\"0.0.0.0\")` or app.listen(3000, '0.0.0.0')\n",
		"tests/test_server.py": "uvicorn.run(app, host=\"0.0.0.0\")\n",
		"docker-compose.yml":   "services:\n  mcp:\n    image: example/mcp:1.0\n    ports:\n      - \"8080:8080\"\n      - \"127.0.0.1:9090:9090\"\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := scanner.New(rules.Default(), sources.Default(), scanner.Options{}).Collect(ctx, []scanner.Root{{Path: dir}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		if f.RuleID != rules.ServerBindsAllInterfaces && f.RuleID != rules.ContainerBindsAllInterfaces {
			continue
		}
		rel, _ := filepath.Rel(dir, f.Location.File)
		got = append(got, filepath.ToSlash(rel)+":"+strconv.Itoa(f.Line)+" "+f.RuleID+" "+f.Severity.String()+" "+f.Description)
		if f.Remediation == "" || !strings.Contains(f.Remediation, "127.0.0.1") {
			t.Errorf("%s: remediation %q", rel, f.Remediation)
		}
	}
	want := []string{
		`cmd/main.go:6 server-binds-all-interfaces medium http.ListenAndServe listens on every interface (":8080" has an empty host): written at the call.`,
		`docker-compose.yml:5 container-binds-all-interfaces medium services.mcp.ports publishes 8080:8080 on every interface of the host: no host IP in the mapping.`,
		`server.py:7 server-binds-all-interfaces medium uvicorn.run listens on every interface ("0.0.0.0"): host from HOST env default on line 4.`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bind findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
