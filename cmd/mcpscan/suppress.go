package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/mcpscan/mcpscan/config"
	"github.com/mcpscan/mcpscan/reporters"
	"github.com/mcpscan/mcpscan/rules"
	"github.com/mcpscan/mcpscan/scanner"
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
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	set, err := cfg.RuleSet(rules.Default())
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(warn, "mcpscan: warning:", w)
	}
	return &loadedConfig{cfg: cfg, set: set}, nil
}

// apply fixes up a finished scan: config severity overrides and disabled
// structural rules, the baseline written or read, and the suppressions,
// whose counts go into the stats.
func (s *suppressFlags) apply(lc *loadedConfig, res *scanner.Result) error {
	if lc.cfg != nil {
		lc.cfg.Apply(res)
	}
	if s.writeBaseline != "" {
		f, err := newPrivateFile(s.writeBaseline)
		if err != nil {
			return fmt.Errorf("--write-baseline: %w", err)
		}
		if err := config.WriteBaseline(f, res); err != nil {
			f.finish(false)
			return fmt.Errorf("--write-baseline: %w", err)
		}
		if err := f.finish(true); err != nil {
			return err
		}
	}
	if s.noSuppress {
		return nil
	}
	var base *config.Baseline
	if s.baseline != "" {
		var err error
		if base, err = config.ReadBaseline(s.baseline); err != nil {
			return fmt.Errorf("--baseline: %w", err)
		}
	}
	_, counts := config.NewSuppressor(lc.cfg, base).Apply(res, config.FileLine)
	if len(counts) > 0 {
		res.Stats.Suppressed = map[string]int64{}
		for k, v := range counts {
			res.Stats.Suppressed[k] = int64(v)
		}
	}
	res.Stats.SuppressedTotal = int64(counts.Total())
	return nil
}
