// Package npm is what mcpscan needs from npm: the files `npm publish`
// would ship from a directory (PackFiles, for `mcpscan pack`), and the
// tarball of a published package version (Registry, for
// `mcpscan npm:<name>[@version]`), streamed, never written to disk.
//
// Both use the npm command when there is one, so that the user's npm
// configuration (registry, scopes, authentication, proxies) applies.
// Without npm, Registry reads the registry's JSON itself, honouring the
// registry, @scope:registry and //host/:_authToken settings of .npmrc;
// PackFiles has no fallback (npm's inclusion rules are npm's).
package npm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/mcpscan/mcpscan/internal/lazyre"
)

// ErrNoNPM is returned when no npm command can be found.
var ErrNoNPM = errors.New("npm not found: neither npm on PATH nor $npm_execpath (set when run from an npm script)")

// Command returns the command line that runs npm: npm on PATH, or,
// inside an npm script, node (or $npm_node_execpath) with $npm_execpath.
// getenv nil means os.Getenv.
func Command(getenv func(string) string) ([]string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if p, err := exec.LookPath("npm"); err == nil {
		return []string{p}, nil
	}
	if cli := getenv("npm_execpath"); cli != "" && strings.HasSuffix(cli, ".js") {
		node := getenv("npm_node_execpath")
		if node == "" {
			node = getenv("NODE")
		}
		if node == "" {
			if p, err := exec.LookPath("node"); err == nil {
				node = p
			}
		}
		if node != "" {
			return []string{node, cli}, nil
		}
	}
	return nil, ErrNoNPM
}

// run runs npm with args in dir and returns its standard output. A
// non-zero exit is an error that quotes npm's JSON error summary, or the
// last lines of its standard error.
func run(ctx context.Context, npm []string, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, npm[0], append(append([]string(nil), npm[1:]...), args...)...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil {
		return stdout.Bytes(), nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Summary string `json:"summary"`
		} `json:"error"`
	}
	if json.Unmarshal(stdout.Bytes(), &e) == nil && e.Error.Summary != "" {
		return nil, fmt.Errorf("npm %s: %s (%s)", args[0], e.Error.Summary, e.Error.Code)
	}
	return nil, fmt.Errorf("npm %s: %v%s", args[0], err, tail(stderr.String()))
}

// tail returns the last error lines npm printed, for messages.
func tail(s string) string {
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if strings.HasPrefix(l, "npm warn") || strings.TrimSpace(l) == "" {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) > 4 {
		keep = keep[len(keep)-4:]
	}
	if len(keep) == 0 {
		return ""
	}
	return ":\n" + strings.Join(keep, "\n")
}

// PackFile is one file `npm publish` would ship.
type PackFile struct {
	// Path is the file's slash path relative to the package directory.
	Path string `json:"path"`
	// Size is the file's size in bytes.
	Size int64 `json:"size"`
	// Mode is the file mode npm will record (420 = 0644).
	Mode int `json:"mode"`
}

// PackFiles lists the files `npm publish` would ship from dir, as
// `npm pack --dry-run --json --ignore-scripts` prints them.
// --ignore-scripts keeps lifecycle output out of the JSON and stops a
// call from a prepack or prepublishOnly script from recursing.
func PackFiles(ctx context.Context, npm []string, dir string) ([]PackFile, error) {
	out, err := run(ctx, npm, dir, "pack", "--dry-run", "--json", "--ignore-scripts")
	if err != nil {
		return nil, err
	}
	return parsePack(out)
}

// parsePack reads npm pack's JSON: [{..., "files": [{path, size, mode}]}].
func parsePack(out []byte) ([]PackFile, error) {
	var packs []struct {
		ID    string     `json:"id"`
		Files []PackFile `json:"files"`
	}
	if err := json.Unmarshal(out, &packs); err != nil {
		return nil, fmt.Errorf("npm pack --dry-run --json: unexpected output (%v)", err)
	}
	var files []PackFile
	for _, p := range packs {
		for _, f := range p.Files {
			clean := filepath.ToSlash(filepath.Clean(filepath.FromSlash(f.Path)))
			if f.Path == "" || filepath.IsAbs(f.Path) || clean == ".." || strings.HasPrefix(clean, "../") {
				return nil, fmt.Errorf("npm pack --dry-run --json: unexpected path %q", f.Path)
			}
			f.Path = clean
			files = append(files, f)
		}
	}
	if len(packs) == 0 {
		return nil, errors.New("npm pack --dry-run --json listed no package")
	}
	return files, nil
}

// Spec is a package name with an optional version, range or dist-tag:
// "is-number", "is-number@7.0.0", "@scope/pkg@^1".
type Spec struct {
	// Name is the package name, with its scope ("@scope/pkg").
	Name string
	// Version is a version, range or dist-tag; "" means the latest.
	Version string
}

// nameRe matches npm package names (old ones may have capitals).
var nameRe = lazyre.New(`^(@[A-Za-z0-9][A-Za-z0-9._~-]*/)?[A-Za-z0-9._~-][A-Za-z0-9._~-]*$`)

// versionRe matches versions, ranges and dist-tags.
var versionRe = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9.+_^~<>=|* -]*$|^[\^~<>=*][A-Za-z0-9.+_^~<>=|* -]*$`)

// ParseSpec parses "name[@version]", with or without the "npm:" prefix.
func ParseSpec(s string) (Spec, error) {
	raw := s
	s = strings.TrimPrefix(s, "npm:")
	at := strings.LastIndexByte(s, '@')
	var sp Spec
	if at > 0 {
		sp = Spec{Name: s[:at], Version: s[at+1:]}
	} else {
		sp = Spec{Name: s}
	}
	if len(sp.Name) > 214 || !nameRe.MatchString(sp.Name) || strings.HasPrefix(sp.Name, ".") || strings.HasPrefix(sp.Name, "-") || strings.HasPrefix(sp.Name, "_") {
		return Spec{}, fmt.Errorf("%q: not an npm package name (want npm:<name>[@version], e.g. npm:is-number@7.0.0 or npm:@scope/pkg)", raw)
	}
	if at > 0 && !versionRe.MatchString(sp.Version) {
		return Spec{}, fmt.Errorf("%q: not a version, range or dist-tag", raw)
	}
	return sp, nil
}

// String returns "name" or "name@version".
func (s Spec) String() string {
	if s.Version == "" {
		return s.Name
	}
	return s.Name + "@" + s.Version
}
