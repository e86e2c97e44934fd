package rules

import "testing"

func TestBindRules(t *testing.T) {
	set := Default()
	// server-binds-all-interfaces is structural: the textfile handler
	// raises it from the bindcheck analysis, so no regex runs.
	if r := set.Lookup(ServerBindsAllInterfaces); r == nil || r.Pattern != "" || r.Severity != Medium || r.Kind != KindNetworkExposure || r.Why == "" || r.Remediation == "" {
		t.Fatalf("%s: want a medium structural network-exposure rule with Why and Remediation, got %+v", ServerBindsAllInterfaces, r)
	}
	cases := []struct {
		path, text string
		want       string // expected secret ("" = no finding)
	}{
		{"Dockerfile", `CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]`, "0.0.0.0"},
		{"deploy/Dockerfile.prod", `ENV HOST=0.0.0.0`, "0.0.0.0"},
		{"Dockerfile", `CMD ["uvicorn", "main:app", "--host", "127.0.0.1"]`, ""},
		// Compose files are read by bindcheck.ComposePorts, not this regex.
		{"docker-compose.yml", `      - "0.0.0.0:8080:8080"`, ""},
		{"src/server.ts", `app.listen(3000, '0.0.0.0')`, ""},
	}
	r := set.Lookup(ContainerBindsAllInterfaces)
	for _, c := range cases {
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
