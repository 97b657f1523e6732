package cli

import (
	"bytes"
	"errors"
	"io"
	"slices"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// writeDiffDOCX writes the Word redline of two sides: the newer version
// with every change as a tracked change by author, dated with its update
// date (its effective date when it has none), after the verdict, in
// words' labels.
func writeDiffDOCX(w io.Writer, from, to side, loc, author string, as policy.Assessment, words *render.Wording) error {
	r := render.New()
	a, err := sideTree(r, from, loc)
	if err != nil {
		return err
	}
	b, err := sideTree(r, to, loc)
	if err != nil {
		return err
	}
	date := firstDate(to.meta.Updated, to.meta.Effective)
	if to.model != nil {
		date = firstDate(to.meta.Updated, to.model.Updated, to.meta.Effective, to.model.Effective)
	}
	opts := render.DOCXRedlineOptions{Author: author, From: from.label, To: to.label, Words: words}
	if !date.IsZero() {
		opts.Date = date.Time()
	}
	return r.DOCXRedline(w, a, b, as, opts)
}

// sideTree is one side's policy document in loc, parsed.
func sideTree(r *render.Renderer, s side, loc string) (*render.Tree, error) {
	d, err := sideDoc(r, s, loc)
	if err != nil {
		return nil, err
	}
	return render.Parse(d)
}

// sideDoc is one side's policy document in loc (or in its first locale,
// when it has no loc): composed from its model, or, for a version
// imported as published, its text as archived.
func sideDoc(r *render.Renderer, s side, loc string) (*render.Doc, error) {
	if s.model == nil {
		d, err := s.arch.Document(s.v, loc)
		if err != nil {
			return nil, err
		}
		d.Meta = s.meta
		return d, nil
	}
	if !slices.Contains(s.model.Locales, policy.Locale(loc)) {
		loc = string(s.model.Locales[0])
	}
	docs, err := r.Compose(s.model, loc, s.meta)
	if err != nil {
		return nil, err
	}
	return docs[0], nil
}

// diffOutput sends a comparison to FILE (-o) instead of standard output:
// done writes it once diff has finished, also when diff's answer is exit
// code 1, never after a failure.
func diffOutput(stdio Stdio, file string) (Stdio, func(error) error) {
	if file == "" {
		return stdio, func(err error) error { return err }
	}
	var buf bytes.Buffer
	stdio.Out = &buf
	return stdio, func(err error) error {
		if err != nil && !errors.As(err, new(found)) {
			return err
		}
		if werr := writeOutput(file, buf.Bytes()); werr != nil {
			return werr
		}
		return err
	}
}
