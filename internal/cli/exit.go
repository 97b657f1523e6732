package cli

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/policyc/policyc/policy"
)

// Exit codes, the same for every command (policyc help exit-codes), as
// grep and git diff --exit-code use them: a script can tell "the answer is
// yes" from "the pipeline is broken".
const (
	ExitOK     = 0 // done, nothing to report
	ExitFound  = 1 // done, and the answer is yes: findings, damage, a significant change under --exit-code
	ExitFailed = 2 // could not do it: usage, bad input, a refusal, a missing policy or version
	ExitBug    = 3 // a bug in policyc: a recovered panic, a broken invariant
)

const exitCodesHelp = `policyc's exit codes are the same for every command:

  0  done, and nothing to report
  1  done, and the answer is yes: validate found problems, lint found
     errors, verify found damage, diff --exit-code found a significant or
     reconsent change, translations status found a stale or missing
     translation (the results are on standard output)
  2  could not do it: a usage mistake (unknown command, flag, format,
     locale, profile; wrong arguments), bad input (a policy that does not
     load, a file that cannot be read or written), a refusal (an unchanged
     release, an effective date before the latest version's, a notice
     period not met, a stale translation), a missing policy directory, version or file, nothing
     to compare with
  3  a bug in policyc: a recovered panic or a broken invariant; please
     report it with the message

Results go to standard output, diagnostics (every error message) to
standard error. A command that exits 2 or 3 has written nothing it was
asked to write.`

// usageError is a mistake on the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// found is the answer "yes" of a command that checks something; its
// results, which say why, are already on standard output.
type found struct{}

func (found) Error() string { return "the answer is yes (the results are on standard output)" }

// bugError is a broken invariant in policyc itself.
type bugError struct{ err error }

func (e bugError) Error() string { return e.err.Error() }
func (e bugError) Unwrap() error { return e.err }

// exitCode is the one place an error becomes an exit code. Anything not
// known to be a finding or a bug is something policyc could not do (2):
// an error nobody classified is far more likely a refusal or bad input
// than a bug, and a script must never read a refusal as "policyc is
// broken".
func exitCode(err error) int {
	var f found
	var b bugError
	var rt runtime.Error
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &f):
		return ExitFound
	case errors.As(err, &b), errors.As(err, &rt):
		return ExitBug
	}
	return ExitFailed
}

// report writes err's message to w and returns its exit code; command is
// the command that failed, for the usage hint.
func report(err error, w io.Writer, command string) int {
	code := exitCode(err)
	var list policy.ErrorList
	var usage usageError
	var f found
	switch {
	case err == nil:
	case errors.As(err, &f):
	case code == ExitBug:
		fmt.Fprintf(w, "policyc: internal error (a bug in policyc; please report it): %v\n", err)
	case errors.As(err, &list):
		for _, e := range list {
			fmt.Fprintln(w, e)
		}
		fmt.Fprintf(w, "%d problem%s\n", len(list), plural(len(list)))
	case errors.As(err, &usage), isCobraUsage(err):
		fmt.Fprintf(w, "policyc: %v\nRun '%s --help' for usage.\n", err, command)
	default:
		fmt.Fprintf(w, "policyc: %v\n", err)
	}
	return code
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
