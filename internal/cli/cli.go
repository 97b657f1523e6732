// Package cli is policyc's command line: flags, output and exit codes. It is
// the only place that prints or decides how the process ends; the packages
// below return values and errors.
package cli

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Stdio holds the streams a command uses. Results go to Out, diagnostics
// (errors, progress, hints) to Err, so that `policyc lint > lint.txt`
// captures the findings and nothing else.
type Stdio struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Main runs policyc with args and returns the exit code (see exitCode).
func Main(args []string, stdio Stdio) int {
	return execute(context.Background(), newRoot(stdio), args, stdio)
}

// execute runs a command tree, turning its error, or a panic, into the
// exit code. Cancelling ctx stops a long-running command (site serve) as
// an interrupt does.
func execute(ctx context.Context, root *cobra.Command, args []string, stdio Stdio) (code int) {
	defer func() {
		if r := recover(); r != nil {
			code = report(bugError{fmt.Errorf("panic: %v\n%s", r, debug.Stack())}, stdio.Err, "policyc")
		}
	}()
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	cmd, err := root.ExecuteContextC(ctx)
	path := "policyc"
	if cmd != nil {
		path = cmd.CommandPath()
	}
	return report(err, stdio.Err, path)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// globals are the flags every command takes.
type globals struct {
	dir    string // -C: the policy directory, or a directory inside it
	policy string // --policy: a policy listed in policyc.yaml
}

func newRoot(stdio Stdio) *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "policyc",
		Short: "Compile, check and archive privacy policies",
		Long: `policyc keeps a privacy policy as a structured model (policy.yaml plus
Markdown sections), validates it, renders it, archives every published
version in git, and tells which changes are significant.

Every command finds the policy the same way: -C DIR, the positional DIR of
the commands that take one, --policy ID from the repository's policyc.yaml,
or else the nearest policy.yaml in the current directory or above it (see
policyc help policy-dir). Exit codes are the same for every command (see
policyc help exit-codes).`,
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.SetVersionTemplate("policyc {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	// The commands that read no policy refuse -C and --policy rather than
	// ignore them.
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if cmd.Annotations[readsPolicy] == "no" && (cmd.Flags().Changed("dir") || cmd.Flags().Changed("policy")) {
			return usageError{fmt.Errorf("%s reads no policy: -C and --policy do not apply", cmd.CommandPath())}
		}
		return nil
	}
	pf := root.PersistentFlags()
	pf.StringVarP(&g.dir, "dir", "C", "", "the policy `DIR` (or a directory inside it; default: the nearest policy.yaml at or above the current directory)")
	pf.StringVar(&g.policy, "policy", "", "the policy `ID` listed in the repository's policyc.yaml")
	root.RegisterFlagCompletionFunc("policy", completePolicyIDs(g))
	root.AddCommand(newValidate(stdio, g), newLint(stdio, g), newRender(stdio, g), newRelease(stdio, g), newLog(stdio, g), newShow(stdio, g), newVerify(stdio, g), newDiff(stdio, g), newArchive(stdio, g), newSite(stdio, g), newSchema(stdio), newInit(stdio), newTemplates(stdio), newTranslations(stdio, g), newGitHub(stdio))
	root.AddCommand(helpTopic("exit-codes", "What policyc's exit codes mean", exitCodesHelp),
		helpTopic("policy-dir", "How policyc finds the policy: -C, DIR, --policy, policyc.yaml", policyDirHelp))
	return root
}

// readsPolicy is the annotation of a command that reads no policy ("no").
const readsPolicy = "policyc/reads-policy"

// helpTopic is a page of `policyc help TOPIC`: a command with no action,
// which cobra lists under "Additional help topics".
func helpTopic(name, short, long string) *cobra.Command {
	return &cobra.Command{Use: name, Short: short, Long: long}
}

// group is a command that holds others: alone it prints its help; with an
// argument that is none of its commands it is a usage error.
func group(use, short string) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() }}
}

// args wraps a cobra argument check so that its error is a usage error.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return usageError{err}
		}
		return nil
	}
}
