package npm

import (
	"bufio"
	"context"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mcpscan/mcpscan/internal/lazyre"
	"github.com/mcpscan/mcpscan/internal/netaddr"
)

// DefaultRegistry is npm's public registry.
const DefaultRegistry = "https://registry.npmjs.org/"

// maxMetadata bounds a package document read from a registry.
const maxMetadata = 64 << 20

// Dist is where the tarball of one package version is.
type Dist struct {
	// Name is the package name.
	Name string
	// Version is the exact version resolved.
	Version string
	// Tarball is the tarball's URL.
	Tarball string
	// Integrity is the tarball's Subresource Integrity string
	// ("sha512-…"); Shasum its hex SHA-1. Either may be empty.
	Integrity string
	// Shasum is the tarball's hex SHA-1 (older packages have only this).
	Shasum string
}

// Registry resolves package specs to tarballs and streams them.
type Registry struct {
	// NPM is the npm command line (see Command). When set, specs are
	// resolved with `npm view <spec> dist version --json`, which applies
	// the user's whole npm configuration and understands ranges; when
	// nil, the registry's JSON is read directly (exact versions and
	// dist-tags only).
	NPM []string
	// Dir is where npm runs and the project's .npmrc is looked for ("":
	// the current directory).
	Dir string
	// Client fetches metadata and tarballs (nil: a client with a 60 s
	// response-header timeout, proxies from the environment).
	Client *http.Client
	// Getenv reads the environment (nil: os.Getenv).
	Getenv func(string) string

	once   sync.Once
	cfg    *npmrc
	client *http.Client
}

// init reads .npmrc settings and sets up the HTTP client, once.
func (r *Registry) init() {
	r.once.Do(func() {
		r.cfg = loadNpmrc(r.Dir, r.getenv)
		base := r.Client
		if base == nil {
			t := http.DefaultTransport.(*http.Transport).Clone()
			t.ResponseHeaderTimeout = 60 * time.Second
			base = &http.Client{Transport: t}
		}
		c := *base
		next := base.CheckRedirect
		c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if next != nil {
				if err := next(req, via); err != nil {
					return err
				}
			} else if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			r.cfg.redirected(req, via[0])
			return nil
		}
		r.client = &c
	})
}

func (r *Registry) getenv(k string) string {
	if r.Getenv != nil {
		return r.Getenv(k)
	}
	return os.Getenv(k)
}

// Resolve finds the tarball of spec's version (the latest when none is
// given; the highest match for a range).
func (r *Registry) Resolve(ctx context.Context, spec Spec) (Dist, error) {
	if r.NPM != nil {
		return r.resolveNPM(ctx, spec)
	}
	return r.resolveJSON(ctx, spec)
}

// viewDist is one version in `npm view … dist version --json`.
type viewDist struct {
	Version string `json:"version"`
	Dist    struct {
		Tarball   string `json:"tarball"`
		Integrity string `json:"integrity"`
		Shasum    string `json:"shasum"`
	} `json:"dist"`
}

func (r *Registry) resolveNPM(ctx context.Context, spec Spec) (Dist, error) {
	dir := r.Dir
	if dir == "" {
		dir = "."
	}
	out, err := run(ctx, r.NPM, dir, "view", spec.String(), "dist", "version", "--json")
	if err != nil {
		return Dist{}, err
	}
	var one viewDist
	var many []viewDist
	switch {
	case len(strings.TrimSpace(string(out))) == 0:
		return Dist{}, fmt.Errorf("npm view %s: no such version", spec)
	case json.Unmarshal(out, &many) == nil && len(many) > 0:
		one = many[len(many)-1] // npm lists matches oldest first
	case json.Unmarshal(out, &one) == nil:
	default:
		return Dist{}, fmt.Errorf("npm view %s: unexpected output", spec)
	}
	if one.Dist.Tarball == "" || one.Version == "" {
		return Dist{}, fmt.Errorf("npm view %s: no tarball in the registry's answer", spec)
	}
	return Dist{Name: spec.Name, Version: one.Version, Tarball: one.Dist.Tarball, Integrity: one.Dist.Integrity, Shasum: one.Dist.Shasum}, nil
}

func (r *Registry) resolveJSON(ctx context.Context, spec Spec) (Dist, error) {
	r.init()
	reg := r.cfg.registryFor(spec.Name)
	u := strings.TrimSuffix(reg, "/") + "/" + strings.Replace(spec.Name, "/", "%2f", 1)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Dist{}, err
	}
	req.Header.Set("Accept", "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8")
	r.cfg.authorize(req)
	resp, err := r.client.Do(req)
	if err != nil {
		return Dist{}, fmt.Errorf("registry %s: %w", reg, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return Dist{}, fmt.Errorf("%s: package not found in registry %s", spec.Name, reg)
	case resp.StatusCode != http.StatusOK:
		return Dist{}, fmt.Errorf("registry %s: GET %s: %s", reg, u, resp.Status)
	}
	var doc struct {
		DistTags map[string]string   `json:"dist-tags"`
		Versions map[string]viewDist `json:"versions"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxMetadata)).Decode(&doc); err != nil {
		return Dist{}, fmt.Errorf("registry %s: %s: not a package document (%v)", reg, spec.Name, err)
	}
	v := spec.Version
	if v == "" {
		v = "latest"
	}
	if tagged, ok := doc.DistTags[v]; ok {
		v = tagged
	}
	d, ok := doc.Versions[v]
	if !ok || d.Dist.Tarball == "" {
		return Dist{}, fmt.Errorf("%s: version %q not found in registry %s (without npm on PATH, only exact versions and dist-tags are understood)", spec.Name, spec.Version, reg)
	}
	return Dist{Name: spec.Name, Version: v, Tarball: d.Dist.Tarball, Integrity: d.Dist.Integrity, Shasum: d.Dist.Shasum}, nil
}

// Open starts the download of d's tarball and returns its body (checked
// against d's integrity when it ends: a mismatch is a read error) and its
// length (-1 when unknown). The caller closes the body.
func (r *Registry) Open(ctx context.Context, d Dist) (io.ReadCloser, int64, error) {
	u, err := url.Parse(d.Tarball)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, 0, fmt.Errorf("%s@%s: tarball URL %q is not http(s)", d.Name, d.Version, d.Tarball)
	}
	r.init()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.Tarball, nil)
	if err != nil {
		return nil, 0, err
	}
	r.cfg.authorize(req)
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("%s@%s: %w", d.Name, d.Version, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, 0, fmt.Errorf("%s@%s: GET %s: %s", d.Name, d.Version, d.Tarball, resp.Status)
	}
	body := io.ReadCloser(resp.Body)
	if v := newVerifier(resp.Body, d); v != nil {
		body = v
	}
	return body, resp.ContentLength, nil
}

// TarballName returns the file name of d's tarball ("is-number-7.0.0.tgz").
func (d Dist) TarballName() string {
	if u, err := url.Parse(d.Tarball); err == nil && path.Base(u.Path) != "" && path.Base(u.Path) != "/" {
		return path.Base(u.Path)
	}
	return strings.ReplaceAll(strings.TrimPrefix(d.Name, "@"), "/", "-") + "-" + d.Version + ".tgz"
}

// verifier checks a tarball against its published digest when the body
// ends.
type verifier struct {
	body io.ReadCloser
	h    hash.Hash
	want []byte
	err  error
}

func newVerifier(body io.ReadCloser, d Dist) *verifier {
	if alg, digest, ok := strings.Cut(d.Integrity, "-"); ok && alg == "sha512" {
		if want, err := base64.StdEncoding.DecodeString(digest); err == nil {
			return &verifier{body: body, h: sha512.New(), want: want}
		}
	}
	if want, err := hex.DecodeString(d.Shasum); err == nil && len(want) == sha1.Size {
		return &verifier{body: body, h: sha1.New(), want: want}
	}
	return nil
}

func (v *verifier) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n, err := v.body.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF && string(v.h.Sum(nil)) != string(v.want) {
		v.err = errors.New("the tarball does not match the registry's integrity digest")
		return n, v.err
	}
	return n, err
}

func (v *verifier) Close() error { return v.body.Close() }

// npmrc is the part of npm's configuration mcpscan honours without npm.
type npmrc struct {
	registry string
	scopes   map[string]string // "@scope" → registry URL
	auth     map[string]string // "//host/path/" → "Bearer …" or "Basic …"
}

// loadNpmrc reads the user's .npmrc ($NPM_CONFIG_USERCONFIG or
// ~/.npmrc), then dir/.npmrc over it, then npm_config_registry.
func loadNpmrc(dir string, getenv func(string) string) *npmrc {
	c := &npmrc{registry: DefaultRegistry, scopes: map[string]string{}, auth: map[string]string{}}
	user := getenv("NPM_CONFIG_USERCONFIG")
	if user == "" {
		user = getenv("npm_config_userconfig")
	}
	if user == "" {
		if home, err := os.UserHomeDir(); err == nil {
			user = filepath.Join(home, ".npmrc")
		}
	}
	if dir == "" {
		dir = "."
	}
	for _, f := range []string{user, filepath.Join(dir, ".npmrc")} {
		if f != "" {
			c.read(f, getenv)
		}
	}
	for _, k := range []string{"npm_config_registry", "NPM_CONFIG_REGISTRY"} {
		if v := getenv(k); v != "" {
			c.registry = v
		}
	}
	return c
}

// envRef matches ${VAR} in .npmrc values.
var envRef = lazyre.New(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

func (c *npmrc) read(file string, getenv func(string) string) {
	f, err := os.Open(file)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"'`)
		v = envRef.ReplaceAllStringFunc(v, func(m string) string { return getenv(m[2 : len(m)-1]) })
		switch {
		case k == "registry":
			c.registry = v
		case strings.HasPrefix(k, "@") && strings.HasSuffix(k, ":registry"):
			c.scopes[strings.TrimSuffix(k, ":registry")] = v
		case strings.HasPrefix(k, "//") && strings.HasSuffix(k, ":_authToken") && v != "":
			c.auth[scopeKey(strings.TrimSuffix(k, ":_authToken"))] = "Bearer " + v
		case strings.HasPrefix(k, "//") && strings.HasSuffix(k, ":_auth") && v != "":
			c.auth[scopeKey(strings.TrimSuffix(k, ":_auth"))] = "Basic " + v
		}
	}
}

// scopeKey normalises a "//host[:port]/path/" key of .npmrc like scopeOf
// (the host's case; the path is kept as written).
func scopeKey(k string) string {
	host, rest, _ := strings.Cut(strings.TrimPrefix(k, "//"), "/")
	if rest != "" || strings.HasSuffix(k, "/") {
		rest = "/" + rest
	}
	return "//" + strings.ToLower(host) + rest
}

// registryFor returns the registry of a package name (its scope's, or
// the default).
func (c *npmrc) registryFor(name string) string {
	if scope, _, ok := strings.Cut(name, "/"); ok && strings.HasPrefix(scope, "@") {
		if r, ok := c.scopes[scope]; ok {
			return r
		}
	}
	return c.registry
}

// authorize adds the credential configured for the longest "//host/path/"
// prefix of the request's URL, if any, as npm scopes credentials per
// registry URL: "//registry.example.com/team/:_authToken" applies only to
// URLs under https://registry.example.com/team/. Host names compare
// without case and default ports, paths after cleaning ("/team/../x" is
// not under /team/). Credentials go only over https (or to a loopback
// host).
func (c *npmrc) authorize(req *http.Request) {
	if req.URL.Scheme != "https" && !netaddr.IsLoopback(req.URL.Hostname()) {
		return
	}
	target := scopeOf(req.URL)
	best := ""
	for k := range c.auth {
		prefix := k
		if !strings.HasSuffix(prefix, "/") {
			prefix += "/"
		}
		if strings.HasPrefix(target, prefix) && len(k) > len(best) {
			best = k
		}
	}
	if best != "" {
		req.Header.Set("Authorization", c.auth[best])
	}
}

// redirected fixes the credentials of a redirect. Go's client copies the
// first request's Authorization header to a redirect on the same host
// name, whatever its port or scheme; npm's rule is stricter: a credential
// never leaves its origin. On a redirect to another origin (scheme, host
// or port differ from the first request's) the header is dropped, and the
// target gets only the credential .npmrc configures for its own URL.
func (c *npmrc) redirected(req, first *http.Request) {
	if sameOrigin(req.URL, first.URL) {
		return
	}
	req.Header.Del("Authorization")
	c.authorize(req)
}

// sameOrigin reports whether two URLs have the same scheme, host and port
// (default ports filled in).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// scopeOf returns a URL's credential scope as npm writes it in .npmrc
// (its "nerf dart"): "//host[:port]/clean/path", host in lower case, the
// scheme's default port left out.
func scopeOf(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && p != port(&url.URL{Scheme: u.Scheme}) {
		host += ":" + p
	}
	p := path.Clean("/" + u.Path)
	if strings.HasSuffix(u.Path, "/") && p != "/" {
		p += "/"
	}
	return "//" + host + p
}
