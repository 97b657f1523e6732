// Package cli is policyc's command line: flags, output and exit codes. It is
// the only place that prints or decides how the process ends; the packages
// below return values and errors.
package cli

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
)

// Exit codes.
const (
	ExitOK       = 0 // success
	ExitInput    = 1 // the input is wrong: validation or lint errors, a significant diff with --exit-code
	ExitUsage    = 2 // the command line is wrong
	ExitInternal = 3 // policyc failed: a bug or the environment (disk, permissions)
)

// Version is set at build time with -ldflags "-X github.com/policyc/policyc/internal/cli.Version=…".
var Version = ""

// Stdio holds the streams a command uses.
type Stdio struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// usageError is a mistake on the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// inputError is a problem in the user's files or arguments that is not a
// positioned policy error (a missing directory, a refused operation).
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

// Main runs policyc with args and returns the exit code.
func Main(args []string, stdio Stdio) int {
	root := newRoot(stdio)
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	err := root.Execute()
	return report(err, stdio.Err)
}

func report(err error, w io.Writer) int {
	if err == nil {
		return ExitOK
	}
	var list policy.ErrorList
	var usage usageError
	var input inputError
	var significant significantChange
	var lintErr lintFailed
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			fmt.Fprintln(w, e)
		}
		n := len(list)
		fmt.Fprintf(w, "%d problem%s\n", n, plural(n))
		return ExitInput
	case errors.As(err, &usage), isCobraUsage(err):
		fmt.Fprintf(w, "policyc: %v\nRun 'policyc --help' for usage.\n", err)
		return ExitUsage
	case errors.As(err, &lintErr):
		return ExitInput // the findings are printed
	case errors.As(err, &significant):
		return ExitInput // diff --exit-code: the output already says why
	case errors.As(err, &input), errors.Is(err, policy.ErrNotPolicyDir):
		fmt.Fprintf(w, "policyc: %v\n", err)
		return ExitInput
	}
	fmt.Fprintf(w, "policyc: %v\n", err)
	return ExitInternal
}

// isCobraUsage recognises the errors cobra returns for unknown commands and
// flags, which it does not type.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "accepts ", "requires at least", "requires at most"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func newRoot(stdio Stdio) *cobra.Command {
	root := &cobra.Command{
		Use:   "policyc",
		Short: "Compile, check and archive privacy policies",
		Long: `policyc keeps a privacy policy as a structured model (policy.yaml plus
Markdown sections), validates it, renders it, archives every published
version in git, and tells which changes are significant.`,
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newValidate(stdio), newLint(stdio), newRender(stdio), newRelease(stdio), newLog(stdio), newShow(stdio), newVerify(stdio), newDiff(stdio), newArchive(stdio), newSite(stdio), newSchema(stdio), newInit(stdio), newTemplates(stdio))
	return root
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

// dirArg is the policy directory argument, "." when absent.
func dirArg(a []string) string {
	if len(a) == 0 {
		return "."
	}
	return a[0]
}
