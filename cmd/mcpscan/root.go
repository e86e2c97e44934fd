package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/mcpscan/mcpscan/internal/termtext"
	"github.com/mcpscan/mcpscan/scanner"
)

// Exit codes: the contract with hooks and CI.
const (
	exitClean    = 0 // nothing found at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitError    = 2 // usage error or fatal error
)

// errFindings signals exit code 1 without printing an error.
var errFindings = errors.New("findings")

// Main runs mcpscan with args and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cmd := newCmdRoot(&IOStreams{In: stdin, Out: stdout, ErrOut: stderr})
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.ExecuteContext(ctx)
	switch {
	case err == nil:
		return exitClean
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.Is(err, errIncomplete):
		fmt.Fprintln(stderr, "mcpscan:", termtext.Text(scanner.SanitizeText(err.Error())))
		return exitError
	default:
		fmt.Fprintln(stderr, "mcpscan: error:", termtext.Text(scanner.SanitizeText(err.Error())))
		return exitError
	}
}

func newCmdRoot(ios *IOStreams) *cobra.Command {
	v, c, d := versionInfo()
	opts := &ScanOptions{IO: ios, Version: v}
	cmd := &cobra.Command{
		Use:   "mcpscan [PATH...]",
		Short: "Find credentials exposed by AI coding agents and MCP setups",
		Long: `mcpscan finds credentials that coding agents and MCP clients wrote to disk:
Claude Code transcripts and prompt history, memory files (CLAUDE.md),
agent settings and MCP client configs.

With no PATH it scans the current user's well-known agent and MCP locations
(~/.claude, ~/.claude.json, Cursor, Claude Desktop, Windsurf, Gemini, Codex …).
With PATHs it scans those files and directories, recursively. Archives
(.tgz, .tar, .zip, .whl, .jar, .crate, .gem) are scanned member by member,
without extracting them. npm:<name>[@version] scans a published npm package,
streamed from your npm registry; ` + "`mcpscan pack`" + ` scans what ` + "`npm publish`" + ` would ship.

Exit status: 0 nothing found, 1 findings (at or above --fail-on), 2 error or
an incomplete scan (something asked for could not be read; --allow-incomplete
accepts it).`,
		Version:       versionLine(v, c, d),
		Args:          cobra.ArbitraryArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			return runScan(cmd.Context(), opts)
		},
	}
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w\nRun 'mcpscan --help' for usage", err)
	})
	opts.addFlags(cmd)
	cmd.AddCommand(newCmdRules(ios))
	cmd.AddCommand(newCmdPack(ios, v)) // npm: specs are routed in scanRoots (npm.go)
	cmd.AddCommand(newCmdRedact(ios, v))
	return cmd
}
