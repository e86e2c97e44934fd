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

const bindFix = "Default the host to 127.0.0.1 (or ::1): change the literal, environment default or option default the finding names; in Go write \"127.0.0.1:8080\", not \":8080\"; in Node pass '127.0.0.1' to listen(). Expose the server to other machines only on an explicit opt-in (a flag or variable the operator sets), and only with authentication (and TLS) in front of it."

// BindAnalysis documents how server-binds-all-interfaces is raised; shown
// with the rule (mcpscan rules) and in the README's rules table.
const BindAnalysis = "Raised by a language-aware analysis of Go, Python and JavaScript/TypeScript files (package rules/bindcheck), not by a regex: it follows a host from literals, constants, variables, environment and CLI defaults to the call that listens, and knows each framework's default for an omitted host."

func bindRules() []*Rule {
	return []*Rule{
		{
			// Sources: structural, raised by the textfile handler from
			// bindcheck.Find (Go via go/ast; Python and JS/TS via
			// bindcheck's tokenizer and constant propagation). Sinks and
			// their defaults are documented in rules/bindcheck
			// (golang.go, pysinks.go, jssinks.go): Node's listen, Deno/Bun
			// serve, uvicorn/hypercorn/gunicorn, FastMCP, Flask, aiohttp,
			// socketserver, Go net.Listen/http.ListenAndServe/gin/echo/
			// fiber/mcp-go Start, per the net package docs (an empty host
			// listens on every interface).
			ID:          ServerBindsAllInterfaces,
			Description: "Server code that listens on every network interface (0.0.0.0, :: or an empty or omitted host). " + BindAnalysis,
			Severity:    Medium,
			Kind:        KindNetworkExposure,
			Origin:      OriginMcpscan,
			Priority:    PriorityStructural,
			Why:         bindWhy,
			Remediation: bindFix,
			References:  []string{"https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#security-warning", "https://pkg.go.dev/net#Listen", "https://nodejs.org/api/net.html#serverlistenport-host-backlog-callback"},
		},
		{
			// Pattern source: Dockerfiles, where binding 0.0.0.0 inside a
			// container is normal; reported for review. Compose files are
			// read by bindcheck.ComposePorts instead (through the textfile
			// handler): a ports entry without a host IP publishes the port
			// on every interface of the host (Docker docs, published ports).
			ID:                   ContainerBindsAllInterfaces,
			Description:          "A container definition that binds a server to every interface (a Dockerfile's 0.0.0.0, usual inside containers), or a Compose ports entry without a host IP, which publishes the port on every interface of the host.",
			Severity:             Info,
			Kind:                 KindNetworkExposure,
			Origin:               OriginMcpscan,
			Priority:             PriorityStructural,
			Keywords:             []string{"0.0.0.0"},
			Path:                 `(?i)(?:^|/)Dockerfile[^/]*$`,
			Pattern:              `(?:^|[\s"'=:\[,])(0\.0\.0\.0)(?::\d{1,5}){0,2}(?:[\s"',\]]|$)`,
			SkipPlaceholderCheck: true,
			Why:                  bindWhy,
			Remediation:          "Publish the port on loopback only (ports: \"127.0.0.1:8080:8080\") unless it must be reachable from other machines.",
			References:           []string{"https://docs.docker.com/engine/network/#published-ports"},
		},
	}
}
