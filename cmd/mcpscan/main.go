// Command mcpscan finds credentials exposed by AI coding agents and MCP
// setups: Claude Code transcripts, prompt history, memory files, agent
// settings and MCP client configs. See README.md.
package main

import "os"

func main() {
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
