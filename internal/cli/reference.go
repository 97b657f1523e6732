package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// writeReference writes the command-line reference (docs/cli.md): every
// command with its usage, description, examples and flags, and the help
// topics, from the command tree itself, so it cannot drift from --help.
func writeReference(w io.Writer) {
	root := newRoot(Stdio{Out: io.Discard, Err: io.Discard})
	root.InitDefaultCompletionCmd()
	fmt.Fprint(w, "# policyc command-line reference\n\n<!-- Generated from the commands by `go test ./internal/cli -run TestCLIReferenceIsCurrent -update`; do not edit. -->\n\n")
	fmt.Fprintf(w, "Flags every command takes:\n\n```\n%s```\n", root.PersistentFlags().FlagUsages())
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			if sub.Name() == "completion" { // cobra's own, described by its --help
				fmt.Fprintf(w, "\n## policyc completion\n\n%s: `policyc completion bash|zsh|fish|powershell` (see `policyc completion --help`). It completes commands, flags, formats, jurisdiction profiles, the policy's locales, version numbers and the ids of policyc.yaml.\n", sub.Short)
				continue
			}
			if (sub.Runnable() && !sub.HasSubCommands()) || sub.IsAdditionalHelpTopicCommand() {
				writeCommand(w, sub)
			}
			walk(sub)
		}
	}
	walk(root)
}

func writeCommand(w io.Writer, c *cobra.Command) {
	if c.IsAdditionalHelpTopicCommand() {
		fmt.Fprintf(w, "\n## policyc help %s\n\n%s.\n\n```\n%s\n```\n", c.Name(), c.Short, c.Long)
		return
	}
	fmt.Fprintf(w, "\n## %s\n\n%s.\n\n```\n%s\n```\n", c.CommandPath(), c.Short, c.UseLine())
	if c.Long != "" {
		fmt.Fprintf(w, "\n```\n%s\n```\n", strings.TrimSpace(c.Long))
	}
	if c.Example != "" {
		fmt.Fprintf(w, "\nExamples:\n\n```\n%s\n```\n", c.Example)
	}
	if f := c.LocalNonPersistentFlags().FlagUsages(); f != "" {
		fmt.Fprintf(w, "\nFlags:\n\n```\n%s```\n", f)
	}
}
