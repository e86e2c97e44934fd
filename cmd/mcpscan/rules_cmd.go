package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mcpscan/mcpscan/rules"
)

// newCmdRules lists the built-in rules.
func newCmdRules(s *IOStreams) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the detection rules (gitleaks' default set and mcpscan's own)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set := rules.Default()
			if asJSON {
				type ruleDoc struct {
					ID          string   `json:"id"`
					Description string   `json:"description"`
					Severity    string   `json:"severity"`
					Kind        string   `json:"kind"`
					Origin      string   `json:"origin"`
					Keywords    []string `json:"keywords,omitempty"`
					References  []string `json:"references,omitempty"`
				}
				docs := make([]ruleDoc, 0, len(set.Rules()))
				for _, r := range set.Rules() {
					docs = append(docs, ruleDoc{r.ID, r.Description, r.Severity.String(), string(r.Kind), string(r.Origin), r.Keywords, r.References})
				}
				enc := json.NewEncoder(s.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(docs)
			}
			tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "RULE ID\tSEVERITY\tKIND\tORIGIN\tSOURCE")
			for _, r := range set.Rules() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Kind, r.Origin, ruleSource(r))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(s.Out, "\n%d rules (gitleaks %s default rules and mcpscan's own)\n", len(set.Rules()), rules.GitleaksVersion())
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the rules as JSON")
	return cmd
}

// ruleSource names where a rule's pattern comes from, for the table: the
// gitleaks release for gitleaks' rules, else the rule's first reference
// (the provider's documentation of the format), or "-".
func ruleSource(r *rules.Rule) string {
	switch {
	case r.Origin == rules.OriginGitleaks:
		return "gitleaks " + rules.GitleaksVersion()
	case len(r.References) > 0:
		return r.References[0]
	}
	return "-"
}
