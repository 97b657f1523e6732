//go:build bench

// Command empty starts and exits: the cost of any Go process on this
// machine, the floor under every whole-process figure.
package main

func main() {}
