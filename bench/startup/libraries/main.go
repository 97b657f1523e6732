//go:build bench

// Command libraries starts with the third-party libraries policyc renders
// with linked in (their package initialisation runs) and exits: the floor
// under a whole-process render by any Go program built on them.
package main

import (
	_ "codeberg.org/go-pdf/fpdf"
	_ "github.com/sergi/go-diff/diffmatchpatch"
	_ "github.com/yuin/goldmark"
	_ "github.com/yuin/goldmark/extension"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/image/font/sfnt"
)

func main() {}
