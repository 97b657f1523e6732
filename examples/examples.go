// Package examples embeds the example policies, for policyc init and tests.
// Each example is a complete policy of a fictional organisation.
package examples

import (
	"bytes"
	"embed"
	"io/fs"
	"regexp"
	"slices"
)

//go:embed all:sdk-provider all:website
var files embed.FS

// Names lists the examples.
func Names() []string {
	entries, _ := files.ReadDir(".")
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out
}

// FS returns one example's files.
func FS(name string) (fs.FS, error) { return fs.Sub(files, name) }

var modeline = regexp.MustCompile(`(?m)^# yaml-language-server: \$schema=\S*?(#\S*)?$`)

// PointSchema rewrites a file's yaml-language-server modeline to use the
// schema at path, keeping any #/$defs/… fragment.
func PointSchema(b []byte, path string) []byte {
	return modeline.ReplaceAllFunc(b, func(m []byte) []byte {
		frag := modeline.FindSubmatch(m)[1]
		return append([]byte("# yaml-language-server: $schema="+path), bytes.Clone(frag)...)
	})
}
