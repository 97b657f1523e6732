// Package templates holds policyc's default templates, stylesheet and
// labels, embedded in the binary. A policy directory's own templates/
// folder overrides any of them file by file, by relative path
// ("templates/html/page.html" replaces exactly html/page.html).
//
// It imports nothing from policyc: it only finds files.
package templates

import (
	"embed"
	"errors"
	"io/fs"
	"slices"
)

//go:embed md html i18n
var defaults embed.FS

// Source says where a template file came from.
type Source int

// Sources of a template file.
const (
	Default  Source = iota // embedded in policyc
	Override               // the policy's own templates/ folder
)

func (s Source) String() string {
	if s == Override {
		return "override"
	}
	return "default"
}

// Set looks up templates by relative path, preferring the overrides.
type Set struct {
	override fs.FS // may be nil
}

// New returns a set whose files in override (may be nil) replace the
// defaults of the same relative path.
func New(override fs.FS) *Set { return &Set{override: override} }

// Read returns a template file's contents and where it came from.
func (s *Set) Read(name string) ([]byte, Source, error) {
	if s.override != nil {
		b, err := fs.ReadFile(s.override, name)
		if err == nil {
			return b, Override, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, Override, err
		}
	}
	b, err := defaults.ReadFile(name)
	return b, Default, err
}

// ExtraCSS is a policy's additions to the stylesheet, appended to
// html/style.css (the default or its override), so that a policy restyles
// a few rules without copying, and then maintaining, the whole stylesheet.
const ExtraCSS = "html/extra.css"

// Stylesheet is html/style.css followed by the override's html/extra.css,
// when there is one.
func (s *Set) Stylesheet() ([]byte, error) {
	css, _, err := s.Read("html/style.css")
	if err != nil || s.override == nil {
		return css, err
	}
	extra, err := fs.ReadFile(s.override, ExtraCSS)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return css, nil
	case err != nil:
		return nil, err
	}
	out := append(slices.Clip(css), '\n')
	return append(out, extra...), nil
}

// Defaults is the embedded default files, for exporting them.
func Defaults() fs.FS { return defaults }

// Names lists the default files' relative paths, sorted.
func Names() []string {
	var out []string
	fs.WalkDir(defaults, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	return out
}
