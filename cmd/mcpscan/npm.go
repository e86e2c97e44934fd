package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/mcpscan/mcpscan/internal/npm"
	"github.com/mcpscan/mcpscan/scanner"
)

// npmPrefix marks a scan argument that names a published npm package.
const npmPrefix = "npm:"

// npmJobs is the default number of packages fetched at once.
const npmJobs = 4

// scanRoots returns the roots of a scan: `mcpscan pack`'s files, npm:
// specs (from the arguments and --from-file), and paths; with none of
// them, the well-known locations of the current user (roots).
func (o *ScanOptions) scanRoots(ctx context.Context) ([]scanner.Root, []string, error) {
	var specs, paths []string
	for _, p := range o.Paths {
		if strings.HasPrefix(p, npmPrefix) {
			specs = append(specs, p)
		} else {
			paths = append(paths, p)
		}
	}
	if len(specs) == 0 && o.FromFile == "" {
		if len(o.Paths) == 0 {
			return defaultRoots()
		}
		roots := make([]scanner.Root, len(o.Paths))
		for i, p := range o.Paths {
			roots[i] = scanner.Root{Path: p}
		}
		return roots, nil, nil
	}
	var roots []scanner.Root
	for _, p := range paths {
		roots = append(roots, scanner.Root{Path: p})
	}
	cmdNPM, _ := npm.Command(nil)
	reg := &npm.Registry{NPM: cmdNPM}
	// Specs named on the command line are resolved now: one that does not
	// resolve is an error, as a missing PATH is.
	resolved := map[string]string{}
	for _, s := range specs {
		spec, err := npm.ParseSpec(s)
		if err != nil {
			return nil, nil, err
		}
		d, err := reg.Resolve(ctx, spec)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s, err)
		}
		r := npmRoot(reg, spec, &d)
		resolved[s] = r.Path
		roots = append(roots, r)
	}
	if len(resolved) > 0 { // the report's header names the versions scanned
		shown := make([]string, len(o.Paths))
		for i, p := range o.Paths {
			shown[i] = p
			if r, ok := resolved[p]; ok {
				shown[i] = r
			}
		}
		o.Paths = shown
	}
	if o.FromFile != "" {
		listed, err := readSpecs(o.FromFile, o.IO.In)
		if err != nil {
			return nil, nil, err
		}
		// Listed specs are resolved by the workers: one that fails is
		// that package's error, and the audit goes on.
		for _, spec := range listed {
			roots = append(roots, npmRoot(reg, spec, nil))
		}
		if len(paths)+len(specs) == 0 {
			o.Paths = []string{fmt.Sprintf("%d npm packages from %s", len(listed), o.FromFile)}
		}
	}
	if o.Walk.workers == 0 {
		o.Walk.workers = max(runtime.GOMAXPROCS(0), npmJobs)
	}
	return roots, nil, nil
}

// npmRoot is a published package as a scan root: its tarball, streamed
// from the registry through the archive handler ("npm:name@1.2.3!package/…").
// d is the resolved version, or nil to resolve it when the root is opened.
func npmRoot(reg *npm.Registry, spec npm.Spec, d *npm.Dist) scanner.Root {
	name := npmPrefix + spec.String()
	if d != nil {
		name = npmPrefix + spec.Name + "@" + d.Version
	}
	return scanner.Root{Path: name, Open: func(ctx context.Context) (*scanner.Input, io.Closer, error) {
		dist := d
		if dist == nil {
			r, err := reg.Resolve(ctx, spec)
			if err != nil {
				return nil, nil, err
			}
			dist = &r
		}
		body, size, err := reg.Open(ctx, *dist)
		if err != nil {
			return nil, nil, err
		}
		return &scanner.Input{
			Loc:       scanner.Location{File: npmPrefix + spec.Name + "@" + dist.Version},
			ClassPath: "/" + dist.TarballName(),
			Size:      size,
			Reader:    body,
		}, body, nil
	}}
}

// readSpecs reads npm specs, one per line ("-": standard input); blank
// lines and lines starting with # are skipped, and the npm: prefix is
// optional.
func readSpecs(file string, stdin io.Reader) ([]npm.Spec, error) {
	var r io.Reader = stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("--from-file: %w", err)
		}
		defer f.Close()
		r = f
	}
	var specs []npm.Spec
	var bad []string
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		spec, err := npm.ParseSpec(s)
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d: %v", line, err))
			continue
		}
		specs = append(specs, spec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--from-file %s: %w", file, err)
	}
	if len(bad) > 0 {
		if len(bad) > 5 {
			bad = append(bad[:5], fmt.Sprintf("… and %d more", len(bad)-5))
		}
		return nil, fmt.Errorf("--from-file %s:\n  %s", file, strings.Join(bad, "\n  "))
	}
	if len(specs) == 0 {
		return nil, fmt.Errorf("--from-file %s: no package specs in it", file)
	}
	return specs, nil
}
