package mcpconfig

import (
	"net"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/mcpscan/mcpscan/internal/netaddr"
	"github.com/mcpscan/mcpscan/internal/npm"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/rules/bindcheck"
	"github.com/mcpscan/mcpscan/scanner/sources/mcpconfig/mcpmodel"
)

// issue is one config-rule finding before it becomes a scanner.Finding.
type issue struct {
	rule     string         // rules.MCP* ID
	pos      mcpmodel.Pos   // where the evidence sits
	field    string         // the value's path
	evidence string         // the credential (redacted later) or the evidence text
	severity rules.Severity // overrides the rule's severity when > 0 (advisories)
	note     string         // extra text for the description (advisory id)
}

// checkServer runs every config rule over one server entry.
func checkServer(s *mcpmodel.Server) []issue {
	var out []issue
	out = append(out, credentialIssues(s)...)
	out = append(out, exposureIssues(s)...)
	out = append(out, packageIssues(s)...)
	return out
}

func credentialIssues(s *mcpmodel.Server) []issue {
	var out []issue
	add := func(v mcpmodel.Value, start, end int) {
		out = append(out, issue{rule: rules.MCPHardcodedCredential, pos: subValue(v, start, end-start), field: v.Path, evidence: v.Text[start:end]})
	}
	for _, kv := range s.Env {
		if rules.IsCredentialName(kv.Key) && rules.IsLiteralCredential(kv.Value.Text) {
			add(kv.Value, 0, len(kv.Value.Text))
		}
	}
	for _, kv := range s.Headers {
		if !rules.IsCredentialHeader(kv.Key) {
			continue
		}
		if start, end, ok := rules.HeaderCredential(kv.Value.Text); ok {
			add(kv.Value, start, end)
		}
	}
	args := make([]string, len(s.Args))
	for i, a := range s.Args {
		args[i] = a.Text
	}
	for _, sp := range rules.ArgCredentials(args) {
		add(s.Args[sp.Arg], sp.Start, sp.End)
	}
	if s.URL != nil {
		if start, end, ok := rules.URLCredential(s.URL.Text); ok {
			add(*s.URL, start, end)
		}
	}
	return out
}

// subValue returns the position of v.Text[k:k+n], assuming the value holds
// no escapes before k (the usual case; otherwise the column is
// approximate).
func subValue(v mcpmodel.Value, k, n int) mcpmodel.Pos {
	p := v.Pos
	k = min(k, len(v.Text))
	n = min(n, len(v.Text)-k)
	p.Offset += int64(k)
	p.Column += utf8.RuneCountInString(v.Text[:k])
	p.EndOffset = p.Offset + int64(n)
	p.EndLine = p.Line
	p.EndColumn = p.Column + utf8.RuneCountInString(v.Text[k:k+n])
	return p
}

// hostEnvNames are environment variables that set a server's listen
// address.
var hostEnvNames = map[string]bool{
	"HOST": true, "MCP_HOST": true, "FASTMCP_HOST": true, "BIND": true, "BIND_ADDRESS": true, "BIND_ADDR": true,
	"LISTEN": true, "LISTEN_ADDR": true, "LISTEN_ADDRESS": true, "SERVER_HOST": true, "UVICORN_HOST": true,
	"MCP_SERVER_HOST": true, "HTTP_HOST": true, "ADDR": true, "ADDRESS": true,
}

// hostFlags are flags that set a server's listen address.
var hostFlags = map[string]bool{"host": true, "bind": true, "listen": true, "address": true, "addr": true, "bind-address": true, "listen-address": true}

// isAllInterfaces reports whether a listen address means every interface.
func isAllInterfaces(v string) bool {
	v = strings.TrimSpace(v)
	if h, _, err := net.SplitHostPort(v); err == nil {
		v = h
	}
	v = strings.Trim(v, "[]")
	return v == "0.0.0.0" || v == "::" || v == "0:0:0:0:0:0:0:0"
}

func exposureIssues(s *mcpmodel.Server) []issue {
	var out []issue
	expose := func(v mcpmodel.Value, k, n int) {
		out = append(out, issue{rule: rules.MCPNetworkExposure, pos: subValue(v, k, n), field: v.Path, evidence: v.Text[k : k+n]})
	}
	for i, a := range s.Args {
		if !strings.HasPrefix(a.Text, "-") {
			continue
		}
		flag, val, hasVal := strings.Cut(strings.TrimLeft(a.Text, "-"), "=")
		if !hostFlags[strings.ToLower(flag)] {
			continue
		}
		if hasVal && isAllInterfaces(val) {
			expose(a, len(a.Text)-len(val), len(val))
		} else if !hasVal && i+1 < len(s.Args) && isAllInterfaces(s.Args[i+1].Text) {
			expose(s.Args[i+1], 0, len(s.Args[i+1].Text))
		}
	}
	out = append(out, publishIssues(s)...)
	for _, kv := range s.Env {
		if (hostEnvNames[strings.ToUpper(kv.Key)] || strings.HasSuffix(strings.ToUpper(kv.Key), "_HOST")) && isAllInterfaces(kv.Value.Text) {
			expose(kv.Value, 0, len(kv.Value.Text))
		}
	}
	if s.URL != nil {
		if u, err := url.Parse(s.URL.Text); err == nil && u.Host != "" {
			host := u.Hostname()
			switch {
			case isAllInterfaces(host):
				k := strings.Index(s.URL.Text, host)
				expose(*s.URL, k, len(host))
			case u.Scheme == "http" && !isThisMachine(host):
				out = append(out, issue{rule: rules.MCPPlaintextRemote, pos: subValue(*s.URL, 0, len(s.URL.Text)), field: s.URL.Path, evidence: s.URL.Text})
			}
		}
	}
	return out
}

// publishIssues reports docker/podman run -p/--publish mappings without a
// host IP (and -P/--publish-all), which publish the server's port on every
// interface of the host (Docker docs, "Published ports").
func publishIssues(s *mcpmodel.Server) []issue {
	if s.Command == nil || len(s.Args) == 0 || s.Args[0].Text != "run" {
		return nil
	}
	switch strings.TrimSuffix(strings.ToLower(path.Base(strings.ReplaceAll(s.Command.Text, `\`, "/"))), ".exe") {
	case "docker", "podman":
	default:
		return nil
	}
	const note = "docker run publishes a port without a host IP on every interface of the host, past host firewalls; publish on loopback: -p 127.0.0.1:HOST_PORT:CONTAINER_PORT."
	var out []issue
	add := func(v mcpmodel.Value, k int) {
		out = append(out, issue{rule: rules.MCPNetworkExposure, pos: subValue(v, k, len(v.Text)-k), field: v.Path, evidence: v.Text[k:], note: note})
	}
	for i := 1; i < len(s.Args); i++ {
		a := s.Args[i].Text
		switch {
		case a == "-p" || a == "--publish":
			if i+1 < len(s.Args) && bindcheck.PublishesAll(s.Args[i+1].Text) {
				add(s.Args[i+1], 0)
			}
			i++
		case strings.HasPrefix(a, "--publish="):
			if bindcheck.PublishesAll(a[len("--publish="):]) {
				add(s.Args[i], len("--publish="))
			}
		case strings.HasPrefix(a, "-p") && len(a) > 2 && !strings.HasPrefix(a, "--"):
			k := 2
			if a[2] == '=' {
				k = 3
			}
			if bindcheck.PublishesAll(a[k:]) {
				add(s.Args[i], k)
			}
		case a == "-P" || a == "--publish-all":
			add(s.Args[i], 0)
		case !strings.HasPrefix(a, "-"):
			return out // the image: what follows is the container's own command
		case dockerValueFlags[a]:
			i++
		}
	}
	return out
}

// isThisMachine reports whether host names this machine: a loopback name
// or address, or host.docker.internal (the host, seen from a container).
func isThisMachine(host string) bool {
	return netaddr.IsLoopback(host) || strings.EqualFold(strings.TrimSuffix(host, "."), "host.docker.internal")
}

// packageIssues reports known-vulnerable and unpinned server packages.
func packageIssues(s *mcpmodel.Server) []issue {
	spec, ok := launchedPackage(s)
	if !ok {
		return nil
	}
	var out []issue
	pos := subValue(spec.v, spec.k, len(spec.v.Text)-spec.k)
	for _, a := range rules.AdvisoriesFor(spec.ecosystem, spec.name, spec.version) {
		out = append(out, issue{rule: rules.MCPKnownVulnerableServer, pos: pos, field: spec.v.Path,
			evidence: spec.v.Text[spec.k:], severity: a.Severity, note: a.ID + ": " + a.Summary})
	}
	if spec.unpinned {
		out = append(out, issue{rule: rules.MCPUnpinnedServer, pos: pos, field: spec.v.Path, evidence: spec.v.Text[spec.k:]})
	}
	return out
}

// pkgSpec is the package a server command launches.
type pkgSpec struct {
	ecosystem, name, version string
	unpinned                 bool
	v                        mcpmodel.Value // the argument (or command) holding the spec
	k                        int            // where the spec starts in v.Text
}

// dockerValueFlags are docker run flags that take a value.
var dockerValueFlags = map[string]bool{
	"-e": true, "--env": true, "-v": true, "--volume": true, "-p": true, "--publish": true, "--name": true,
	"--network": true, "-w": true, "--workdir": true, "--entrypoint": true, "-u": true, "--user": true,
	"--env-file": true, "--mount": true, "--platform": true, "-l": true, "--label": true, "--pull": true,
	"-m": true, "--memory": true, "--cpus": true, "-h": true, "--hostname": true, "--add-host": true,
}

// launchedPackage finds the package spec that npx/bunx/pnpm dlx/yarn
// dlx/npm exec (npm), uvx/pipx run (PyPI) or docker run launch.
func launchedPackage(s *mcpmodel.Server) (pkgSpec, bool) {
	if s.Command == nil {
		return pkgSpec{}, false
	}
	cmd := strings.ToLower(path.Base(strings.ReplaceAll(s.Command.Text, `\`, "/")))
	cmd = strings.TrimSuffix(strings.TrimSuffix(cmd, ".cmd"), ".exe")
	args := s.Args
	eco := ""
	switch cmd {
	case "npx", "bunx", "pnpx":
		eco = "npm"
	case "pnpm", "yarn", "npm", "bun":
		if len(args) > 0 && (args[0].Text == "dlx" || args[0].Text == "exec" || args[0].Text == "x") {
			eco, args = "npm", args[1:]
		}
	case "uvx":
		eco = "pypi"
	case "pipx":
		if len(args) > 0 && args[0].Text == "run" {
			eco, args = "pypi", args[1:]
		}
	case "docker", "podman":
		if len(args) > 0 && args[0].Text == "run" {
			eco, args = "docker", args[1:]
		}
	}
	if eco == "" {
		return pkgSpec{}, false
	}
	for i := 0; i < len(args); i++ {
		a := args[i].Text
		if a == "--" {
			continue
		}
		if strings.HasPrefix(a, "-") {
			if (a == "-p" || a == "--package") && eco == "npm" && i+1 < len(args) {
				return npmSpec(args[i+1]), true
			}
			if a == "--from" && eco == "pypi" && i+1 < len(args) {
				return pypiSpec(args[i+1]), true
			}
			if eco == "docker" && dockerValueFlags[a] {
				i++
			}
			continue
		}
		switch eco {
		case "npm":
			return npmSpec(args[i]), true
		case "pypi":
			return pypiSpec(args[i]), true
		default:
			return dockerSpec(args[i]), true
		}
	}
	return pkgSpec{}, false
}

// npmSpec reads an npm package spec ("pkg", "pkg@1.2.3", "@scope/pkg@^1")
// with the npm spec parser of internal/npm. Anything that is not a
// registry name (a git or tarball URL, a path, an alias) is unpinned:
// no registry version pins it.
func npmSpec(v mcpmodel.Value) pkgSpec {
	sp, err := npm.ParseSpec(v.Text)
	if err != nil {
		return pkgSpec{ecosystem: "npm", name: v.Text, unpinned: true, v: v}
	}
	return pkgSpec{ecosystem: "npm", name: sp.Name, version: sp.Version, unpinned: !rules.IsRelease("npm", sp.Version), v: v}
}

// pypiSpec reads what uvx and pipx run take: a PEP 508 requirement
// ("pkg", "pkg==1.2.0rc1", "pkg[extra]>=1.0,<2; python_version>'3.8'",
// "pkg @ https://…") or uv's "pkg@1.2.0". Only == (or ===, or @) with one
// PEP 440 release pins it.
func pypiSpec(v mcpmodel.Value) pkgSpec {
	t := strings.TrimSpace(v.Text)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i]) // environment markers
	}
	n := 0
	for n < len(t) && (isAlnum(t[n]) || t[n] == '-' || t[n] == '_' || t[n] == '.') {
		n++
	}
	name, rest := t[:n], strings.TrimSpace(t[n:])
	if strings.HasPrefix(rest, "[") {
		if j := strings.IndexByte(rest, ']'); j >= 0 {
			rest = strings.TrimSpace(rest[j+1:]) // extras
		}
	}
	sp := pkgSpec{ecosystem: "pypi", name: name, unpinned: true, v: v}
	if name == "" {
		sp.name = t
		return sp
	}
	var version string
	switch {
	case strings.HasPrefix(rest, "==="):
		version = strings.TrimSpace(rest[3:])
	case strings.HasPrefix(rest, "=="):
		version = strings.TrimSpace(rest[2:])
	case strings.HasPrefix(rest, "@") && !strings.Contains(rest, "://") && !strings.Contains(rest, "/"):
		version = strings.TrimSpace(rest[1:])
	default:
		return sp // no version, a range, a URL or a path
	}
	if strings.Contains(version, ",") || !rules.IsRelease("pypi", version) {
		return sp
	}
	sp.version, sp.unpinned = version, false
	return sp
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func dockerSpec(v mcpmodel.Value) pkgSpec {
	t := v.Text
	if strings.Contains(t, "@sha256:") {
		return pkgSpec{ecosystem: "docker", name: t, v: v}
	}
	name, tag := t, ""
	if i := strings.LastIndex(t, ":"); i > strings.LastIndex(t, "/") {
		name, tag = t[:i], t[i+1:]
	}
	return pkgSpec{ecosystem: "docker", name: name, version: tag, unpinned: tag == "" || tag == "latest", v: v}
}
