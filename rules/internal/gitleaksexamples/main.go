// Command gitleaksexamples extracts the true and false positive examples
// that gitleaks' own rule definitions are validated with, and what
// gitleaks (its full default configuration) finds in each, into
// rules/testdata/gitleaks-examples.jsonl.gz. The peer test
// (rules/gitleaks_examples_test.go) scores mcpscan against gitleaks on them,
// rule ID by rule ID.
//
// gitleaks builds its default configuration with a generator
// (cmd/generate/config in its module) in which every rule function passes
// its examples to utils.Validate or utils.ValidateWithPaths. This command
// copies the gitleaks module that go.mod requires from the module cache to a
// temporary directory, renames those two helpers and adds wrappers that
// record each example and the findings of gitleaks' default detector on it,
// runs the generator there, and writes the records, sorted, as gzip'ed JSON
// Lines. The true positives are random, so every run writes other tokens.
//
// It needs the Go module proxy (gitleaks' generator has dependencies that
// mcpscan does not), so it is run by hand, never by tests or go generate:
//
//	go run ./rules/internal/gitleaksexamples -o rules/testdata/gitleaks-examples.jsonl.gz
//
// The file is gzip'ed so that repository hosts' push protection, which
// scans text blobs for live-looking tokens, does not flag gitleaks'
// format-valid random examples.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

const gitleaksModule = "github.com/zricethezav/gitleaks/v8"

// Example is one of gitleaks' rule examples and what gitleaks finds in it.
// It is the record of the output file, one JSON object a line.
type Example struct {
	Rule     string    `json:"rule"`           // the gitleaks rule the example belongs to
	Positive bool      `json:"positive"`       // a true positive (else a false positive)
	Path     string    `json:"path,omitempty"` // the file path, for ValidateWithPaths examples
	Text     string    `json:"text"`           // the example text
	Gitleaks []Finding `json:"gitleaks"`       // gitleaks' findings with its default configuration
}

// Finding is one gitleaks finding: its rule ID and secret.
type Finding struct {
	Rule   string `json:"rule"`
	Secret string `json:"secret"`
}

func main() {
	out := flag.String("o", "rules/testdata/gitleaks-examples.jsonl.gz", "output file")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gitleaksexamples:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	src, version, err := moduleDir()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "gitleaksexamples-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	mod := filepath.Join(tmp, "gitleaks")
	if err := copyTree(src, mod); err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := patch(mod); err != nil {
		return err
	}
	dump := filepath.Join(tmp, "examples.jsonl")
	cmd := exec.Command("go", "run", ".", filepath.Join(tmp, "gitleaks.toml"))
	cmd.Dir = filepath.Join(mod, "cmd", "generate", "config")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "MCPSCAN_EXAMPLES_OUT="+dump)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("gitleaks' generator: %w", err)
	}
	exs, err := readDump(dump)
	if err != nil {
		return err
	}
	if err := write(out, exs); err != nil {
		return err
	}
	pos := 0
	for _, e := range exs {
		if e.Positive {
			pos++
		}
	}
	fmt.Fprintf(os.Stderr, "gitleaksexamples: gitleaks %s: %d true and %d false positive examples → %s\n", version, pos, len(exs)-pos, out)
	return nil
}

// moduleDir returns the module cache directory and version of the gitleaks
// module that the current module requires, downloading it when needed.
func moduleDir() (dir, version string, err error) {
	var info struct{ Dir, Version, Error string }
	b, err := exec.Command("go", "mod", "download", "-json", gitleaksModule).Output()
	if err != nil {
		return "", "", fmt.Errorf("go mod download %s: %w", gitleaksModule, err)
	}
	if err := json.Unmarshal(b, &info); err != nil {
		return "", "", err
	}
	if info.Error != "" || info.Dir == "" {
		return "", "", fmt.Errorf("go mod download %s: %s", gitleaksModule, info.Error)
	}
	return info.Dir, info.Version, nil
}

// copyTree copies the (read-only) module cache tree src to dst, writable.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// patch renames gitleaks' validate helpers and adds the recording wrappers.
func patch(mod string) error {
	utils := filepath.Join(mod, "cmd", "generate", "config", "utils")
	vf := filepath.Join(utils, "validate.go")
	b, err := os.ReadFile(vf)
	if err != nil {
		return err
	}
	s := string(b)
	for _, fn := range []string{"Validate", "ValidateWithPaths"} {
		decl := "func " + fn + "("
		if strings.Count(s, decl) != 1 {
			return fmt.Errorf("%s: expected one %q; gitleaks' generator changed, update this patch", vf, decl)
		}
		s = strings.Replace(s, decl, "func upstream"+fn+"(", 1)
	}
	if err := os.WriteFile(vf, []byte(s), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(utils, "zz_mcpscan_dump.go"), []byte(dumpSource), 0o644)
}

// dumpSource is added to gitleaks' generator utils package: Validate and
// ValidateWithPaths record every example with the findings of gitleaks'
// default detector, then run gitleaks' own validation.
const dumpSource = `package utils

import (
	"encoding/json"
	"os"
	"sync"

	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
)

type mcpscanFinding struct {
	Rule   string ` + "`json:\"rule\"`" + `
	Secret string ` + "`json:\"secret\"`" + `
}

type mcpscanExample struct {
	Rule     string           ` + "`json:\"rule\"`" + `
	Positive bool             ` + "`json:\"positive\"`" + `
	Path     string           ` + "`json:\"path,omitempty\"`" + `
	Text     string           ` + "`json:\"text\"`" + `
	Gitleaks []mcpscanFinding ` + "`json:\"gitleaks\"`" + `
}

var (
	mcpscanOnce sync.Once
	mcpscanDet  *detect.Detector
	mcpscanOut  *json.Encoder
)

func mcpscanDump(rule string, positive bool, path, text string) {
	mcpscanOnce.Do(func() {
		d, err := detect.NewDetectorDefaultConfig()
		if err != nil {
			panic(err)
		}
		mcpscanDet = d
		f, err := os.Create(os.Getenv("MCPSCAN_EXAMPLES_OUT"))
		if err != nil {
			panic(err)
		}
		mcpscanOut = json.NewEncoder(f)
		mcpscanOut.SetEscapeHTML(false)
	})
	ex := mcpscanExample{Rule: rule, Positive: positive, Path: path, Text: text, Gitleaks: []mcpscanFinding{}}
	for _, f := range mcpscanDet.Detect(detect.Fragment{Raw: text, FilePath: path}) {
		ex.Gitleaks = append(ex.Gitleaks, mcpscanFinding{Rule: f.RuleID, Secret: f.Secret})
	}
	if err := mcpscanOut.Encode(ex); err != nil {
		panic(err)
	}
}

func Validate(rule config.Rule, truePositives []string, falsePositives []string) *config.Rule {
	for _, s := range truePositives {
		mcpscanDump(rule.RuleID, true, "", s)
	}
	for _, s := range falsePositives {
		mcpscanDump(rule.RuleID, false, "", s)
	}
	return upstreamValidate(rule, truePositives, falsePositives)
}

func ValidateWithPaths(rule config.Rule, truePositives map[string]string, falsePositives map[string]string) *config.Rule {
	for p, s := range truePositives {
		mcpscanDump(rule.RuleID, true, p, s)
	}
	for p, s := range falsePositives {
		mcpscanDump(rule.RuleID, false, p, s)
	}
	return upstreamValidateWithPaths(rule, truePositives, falsePositives)
}
`

func readDump(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gitleaks' generator wrote no examples: %w", err)
	}
	defer f.Close()
	var exs []Example
	dec := json.NewDecoder(bufio.NewReader(f))
	for dec.More() {
		var e Example
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		exs = append(exs, e)
	}
	sort.SliceStable(exs, func(i, j int) bool {
		a, b := exs[i], exs[j]
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Positive != b.Positive {
			return a.Positive
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Text < b.Text
	})
	return exs, nil
}

// write stores exs as gzip'ed JSON Lines (no timestamp in the gzip header,
// so the file depends only on its records).
func write(out string, exs []Example) error {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	for _, e := range exs {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
