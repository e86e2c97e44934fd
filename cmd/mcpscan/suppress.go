package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/mcpscan/mcpscan/config"
	"github.com/mcpscan/mcpscan/internal/termtext"
	"github.com/mcpscan/mcpscan/reporters"
	"github.com/mcpscan/mcpscan/rules"
)

// suppressFlags are the flags of configuration and suppression (see
// config/README.md and the README's "Suppressing findings").
type suppressFlags struct {
	configFile     string
	gitleaksConfig string
	noConfig       bool
	ignoreFiles    []string
	baseline       string
	writeBaseline  string
	noSuppress     bool
}

func (s *suppressFlags) add(f *pflag.FlagSet) {
	f.StringVar(&s.configFile, "config", "", "read only this mcpscan config `FILE` (default: ~/.config/mcpscan/config.toml, then the nearest .mcpscan.toml)")
	f.StringVar(&s.gitleaksConfig, "gitleaks-config", "", "read this gitleaks config `FILE` for extra rules and allowlists (default: the repository's .gitleaks.toml)")
	f.BoolVar(&s.noConfig, "no-config", false, "read no config, gitleaks config or ignore file (for audits of untrusted trees)")
	f.StringArrayVar(&s.ignoreFiles, "ignore-file", nil, "also read this ignore `FILE` (.mcpscanignore or .gitleaksignore format; repeatable)")
	f.StringVar(&s.baseline, "baseline", "", "report and fail only on findings absent from this earlier JSON `REPORT` (matched by fingerprint)")
	f.StringVar(&s.writeBaseline, "write-baseline", "", "write the current findings as a baseline to `FILE` (mode 0600)")
	f.BoolVar(&s.noSuppress, "no-suppress", false, "show every finding: no inline allows, ignore files, allowlists or baseline")
}

// loadedConfig is what the config files contribute to a scan.
type loadedConfig struct {
	cfg *config.Config // nil with --no-config
	set *rules.Set
}

// load reads the config files for a scan of paths and builds the rule set.
// Config mistakes are errors (exit 2): a config never silently disables
// scanning.
func (s *suppressFlags) load(paths []string, warn io.Writer) (*loadedConfig, error) {
	if s.noConfig {
		return &loadedConfig{set: rules.Default()}, nil
	}
	cfg, err := config.Load(config.LoadOptions{
		Roots:          paths,
		ConfigFile:     s.configFile,
		GitleaksConfig: s.gitleaksConfig,
		IgnoreFiles:    s.ignoreFiles,
		Formats:        append(reporters.Formats(), "text"),
	})
	var set *rules.Set
	if cfg != nil {
		// With mistakes in the files, RuleSet still reports its own (an
		// unknown rule ID), so that every mistake is said at once.
		var rerr error
		set, rerr = cfg.RuleSet(rules.Default())
		err = errors.Join(err, rerr)
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(warn, "mcpscan: warning:", termtext.Text(w))
	}
	return &loadedConfig{cfg: cfg, set: set}, nil
}

// baselineFile reads --baseline, or returns nil without it.
func (s *suppressFlags) baselineFile() (*config.Baseline, error) {
	if s.baseline == "" {
		return nil, nil
	}
	base, err := config.ReadBaseline(s.baseline)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	return base, nil
}
