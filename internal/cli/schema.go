package cli

import (
	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
)

func newSchema(stdio Stdio) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of policy.yaml",
		Long: `Schema prints the JSON Schema (draft 2020-12) of policy.yaml, for editors
that complete and check YAML (yaml-language-server). Point a policy at it
with a first line such as:

  # yaml-language-server: $schema=policy.schema.json

A file that holds one of the top-level lists alone (sdks: sdks.yaml) can use
the list's definition, e.g. policy.schema.json#/$defs/SDKList.`,
		Args:        args(cobra.NoArgs),
		Annotations: map[string]string{readsPolicy: "no"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out != "" {
				return writeOutput(out, policy.Schema())
			}
			_, err := stdio.Out.Write(policy.Schema())
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to `FILE` instead of standard output")
	return cmd
}
