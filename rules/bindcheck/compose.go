package bindcheck

import (
	"bytes"
	"path"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Container forms. Docker publishes a port on every interface of the host
// unless the mapping names a host IP ("127.0.0.1:8080:8080"), and its
// iptables rules bypass host firewalls such as ufw (Docker docs,
// "Published ports" in engine/network). The Compose specification's
// ports entry has the same short syntax ([HOST:]HOST_PORT:CONTAINER_PORT)
// and a long syntax with host_ip.

// PublishesAll reports whether a docker run -p / --publish value, or a
// Compose short-syntax ports entry, publishes on every interface of the
// host: no host IP ("3000:8000", "8000", "3000-3005:8000-8005/udp"), or
// 0.0.0.0 / :: ("0.0.0.0:3000:8000", "[::]:3000:8000"). A value it cannot
// read (an unexpanded ${VAR} host) gives false.
func PublishesAll(spec string) bool {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return false
	}
	if i := strings.LastIndexByte(spec, '/'); i >= 0 { // /tcp, /udp
		spec = spec[:i]
	}
	var ip string
	if strings.HasPrefix(spec, "[") {
		end := strings.IndexByte(spec, ']')
		if end < 0 {
			return false
		}
		ip = spec[1:end]
		spec = strings.TrimPrefix(spec[end+1:], ":")
	} else {
		parts := strings.Split(spec, ":")
		switch len(parts) {
		case 1, 2: // CONTAINER or HOST:CONTAINER
		case 3:
			ip = parts[0]
		default:
			// bare IPv6 host: everything before the last two fields
			ip = strings.Join(parts[:len(parts)-2], ":")
		}
		for _, p := range parts[len(parts)-min(len(parts), 2):] {
			if !portRange(p) {
				return false
			}
		}
	}
	if ip == "" {
		return true
	}
	return hostAll(ip, false) || ip == "*"
}

func portRange(p string) bool {
	if p == "" {
		return false
	}
	for _, r := range strings.Split(p, "-") {
		if _, err := strconv.Atoi(r); err != nil {
			return false
		}
	}
	return true
}

// IsComposePath reports whether p names a Docker Compose file:
// compose.yaml, docker-compose.yml, docker-compose.prod.yml, compose.override.yaml …
func IsComposePath(p string) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(p, `\`, "/")))
	ext := path.Ext(base)
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	return strings.HasPrefix(base, "compose") || strings.HasPrefix(base, "docker-compose") || strings.Contains(base, "-compose") || strings.Contains(base, ".compose")
}

// ComposePorts returns the ports entries of a Compose file that publish a
// container port on every interface of the host, in file order. Call is
// "services.NAME.ports", Value the entry as written. A file that is not
// valid YAML gives nil.
func ComposePorts(src []byte) []Bind {
	if len(src) > MaxAnalysed || !bytes.Contains(src, []byte("ports")) {
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	services := mapGet(doc.Content[0], "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return nil
	}
	lines := lineStarts(src)
	var out []Bind
	for i := 0; i+1 < len(services.Content); i += 2 {
		name, svc := services.Content[i].Value, services.Content[i+1]
		if mode := mapGet(svc, "network_mode"); mode != nil && mode.Value == "host" {
			continue // no publishing: the container's own binds are the host's
		}
		ports := mapGet(svc, "ports")
		if ports == nil || ports.Kind != yaml.SequenceNode {
			continue
		}
		for _, p := range ports.Content {
			value, at, ok := composeEntry(p)
			if !ok {
				continue
			}
			off := nodeOffset(lines, at)
			end := off + len(at.Value)
			if at.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				end += 2
			}
			why := "no host IP in the mapping"
			if ip, _, _ := strings.Cut(value, ":"); hostAll(strings.Trim(ip, "[]"), false) || strings.HasPrefix(value, "[::]") {
				why = "host IP " + ip
			}
			out = append(out, Bind{Offset: int64(off), End: int64(min(end, len(src))), Call: "services." + name + ".ports",
				Value: value, Origin: why})
		}
	}
	return finish(src, out)
}

// composeEntry reads one ports entry: a short-syntax string or a long
// mapping (target, published, host_ip). ok is true when it publishes on
// every interface.
func composeEntry(p *yaml.Node) (value string, at *yaml.Node, ok bool) {
	switch p.Kind {
	case yaml.ScalarNode:
		return p.Value, p, PublishesAll(p.Value)
	case yaml.MappingNode:
		pub := mapGet(p, "published")
		if pub == nil { // only a target: not published on a fixed port, still every interface
			pub = mapGet(p, "target")
		}
		if pub == nil {
			return "", nil, false
		}
		ip := mapGet(p, "host_ip")
		if ip != nil && !hostAll(ip.Value, false) {
			return "", nil, false
		}
		v := pub.Value
		if t := mapGet(p, "target"); t != nil && t != pub {
			v += ":" + t.Value
		}
		if ip != nil {
			v = ip.Value + ":" + v
			return v, ip, true
		}
		return v, pub, true
	}
	return "", nil, false
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	if m == nil {
		return nil
	}
	if m.Kind == yaml.AliasNode {
		m = m.Alias
	}
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func lineStarts(src []byte) []int {
	ls := []int{0}
	for i, c := range src {
		if c == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

// nodeOffset turns a YAML node's 1-based line and column (in code points)
// into a byte offset.
func nodeOffset(lines []int, n *yaml.Node) int {
	if n.Line < 1 || n.Line > len(lines) {
		return 0
	}
	return lines[n.Line-1] + max(n.Column-1, 0)
}
