package rules

// Rules for servers told to listen on every interface in their own code:
// an MCP server bound to 0.0.0.0 is reachable from the network, and most
// MCP servers have no authentication.

// Bind rule IDs.
const (
	ServerBindsAllInterfaces    = "server-binds-all-interfaces"
	ContainerBindsAllInterfaces = "container-binds-all-interfaces"
)

const bindWhy = "A server bound to 0.0.0.0 (or ::) accepts connections from every network the machine is on; MCP servers usually have no authentication, so anyone who can reach the port can call its tools."

const bindFix = "Bind to 127.0.0.1 (or ::1) unless the server must be reachable from other machines; if it must, put authentication and TLS in front of it and restrict the port with a firewall."

func bindRules() []*Rule {
	return []*Rule{
		{
			// Pattern sources: Node.js net.Server.listen(port, host) and
			// listen({host}), Express app.listen; Python mcp.server.fastmcp
			// FastMCP(host=…) and .run(host=…), uvicorn.run(host=…),
			// Flask app.run(host=…); Go net.Listen and http.ListenAndServe
			// with an empty host (":8080" listens on every interface, per
			// the net package docs).
			ID:          ServerBindsAllInterfaces,
			Description: "Server code that listens on every network interface (0.0.0.0, :: or an empty Go host).",
			Severity:    Medium,
			Kind:        KindNetworkExposure,
			Origin:      OriginMcpscan,
			Priority:    PriorityStructural,
			Keywords:    []string{"0.0.0.0", "::", "listen"},
			Path:        `(?i)\.(?:[cm]?[jt]sx?|py|go)$`,
			Pattern: `(?:\.listen\(\s{0,16}[^()]{0,80}?["'](0\.0\.0\.0|::)["']` +
				`|\bhost\s{0,16}[:=]\s{0,16}["'](0\.0\.0\.0|::)["']` +
				`|\b(?:net|tls)\.Listen\(\s{0,16}"tcp[46]?"\s{0,16},\s{0,16}"((?:0\.0\.0\.0|\[::\])?:\d{1,5})"` +
				`|\bhttp\.ListenAndServe(?:TLS)?\(\s{0,16}"((?:0\.0\.0\.0|\[::\])?:\d{1,5})")`,
			SkipPlaceholderCheck: true,
			Why:                  bindWhy,
			Remediation:          bindFix,
			References:           []string{"https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#security-warning", "https://pkg.go.dev/net#Listen"},
		},
		{
			// Pattern sources: Dockerfile and Compose files, where binding
			// 0.0.0.0 inside a container is normal; reported for review.
			ID:                   ContainerBindsAllInterfaces,
			Description:          "A container definition that binds a server to every interface (usual inside containers; check what publishes the port).",
			Severity:             Info,
			Kind:                 KindNetworkExposure,
			Origin:               OriginMcpscan,
			Priority:             PriorityStructural,
			Keywords:             []string{"0.0.0.0"},
			Path:                 `(?i)(?:^|/)(?:Dockerfile[^/]*|[^/]*compose[^/]*\.ya?ml)$`,
			Pattern:              `(?:^|[\s"'=:\[,])(0\.0\.0\.0)(?::\d{1,5}){0,2}(?:[\s"',\]]|$)`,
			SkipPlaceholderCheck: true,
			Why:                  bindWhy,
			Remediation:          "Publish the port on loopback only (ports: \"127.0.0.1:8080:8080\") unless it must be reachable from other machines.",
			References:           []string{"https://docs.docker.com/engine/network/#published-ports"},
		},
	}
}
