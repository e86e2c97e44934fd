package rules

import "testing"

func TestBindRules(t *testing.T) {
	cases := []struct {
		path, text string
		rule       string
		want       string // expected secret ("" = no finding)
	}{
		{"src/server.ts", `app.listen(3000, '0.0.0.0', () => {})`, ServerBindsAllInterfaces, "0.0.0.0"},
		{"src/server.js", `server.listen({ port: 8080, host: "0.0.0.0" })`, ServerBindsAllInterfaces, "0.0.0.0"},
		{"server.py", `mcp.run(transport="sse", host="0.0.0.0", port=8000)`, ServerBindsAllInterfaces, "0.0.0.0"},
		{"server.py", `mcp = FastMCP("demo", host="::")`, ServerBindsAllInterfaces, "::"},
		{"main.go", `ln, err := net.Listen("tcp", ":8080")`, ServerBindsAllInterfaces, ":8080"},
		{"main.go", `log.Fatal(http.ListenAndServe("0.0.0.0:9000", mux))`, ServerBindsAllInterfaces, "0.0.0.0:9000"},
		{"main.go", `http.ListenAndServe("127.0.0.1:8080", nil)`, ServerBindsAllInterfaces, ""},
		{"src/server.ts", `app.listen(3000, '127.0.0.1')`, ServerBindsAllInterfaces, ""},
		{"server.py", `uvicorn.run(app, host="localhost")`, ServerBindsAllInterfaces, ""},
		{"README.md", `app.listen(3000, '0.0.0.0')`, ServerBindsAllInterfaces, ""},
		{"Dockerfile", `CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]`, ContainerBindsAllInterfaces, "0.0.0.0"},
		{"docker-compose.yml", `      - "0.0.0.0:8080:8080"`, ContainerBindsAllInterfaces, "0.0.0.0"},
		{"docker-compose.yml", `      - "127.0.0.1:8080:8080"`, ContainerBindsAllInterfaces, ""},
	}
	set := Default()
	for _, c := range cases {
		r := set.Lookup(c.rule)
		got := ""
		if r.AppliesToPath(c.path) {
			for _, loc := range r.Regexp().FindAllStringSubmatchIndex(c.text, -1) {
				a, z := r.SecretSpan(loc)
				cand := Candidate{Secret: c.text[a:z], Match: c.text[loc[0]:loc[1]], Line: c.text, Path: c.path}
				if set.Accept(r, cand) {
					got = cand.Secret
				}
			}
		}
		if got != c.want {
			t.Errorf("%s %q: %q, want %q", c.path, c.text, got, c.want)
		}
	}
}
