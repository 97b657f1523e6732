//go:build bench

// Command packages starts with policyc's model and rendering packages linked
// in and exits: the start-up of a render, without the command line.
package main

import (
	_ "github.com/policyc/policyc/policy"
	_ "github.com/policyc/policyc/render"
)

func main() {}
