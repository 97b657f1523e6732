// Command policyc compiles, checks and archives privacy policies.
package main

import (
	"os"

	"github.com/policyc/policyc/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}
