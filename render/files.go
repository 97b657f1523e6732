package render

import (
	"bytes"
	"fmt"

	"github.com/policyc/policyc/internal/parallel"
	"github.com/policyc/policyc/policy"
)

// Output is one rendered file: its name (policy.en.html) and contents.
type Output struct {
	Name string
	Data []byte
}

// Request says what Files renders.
type Request struct {
	Locales []string
	// Formats are any of "md", "html", "pdf", "docx" and "json" (the resolved
	// model, once per locale), in the order wanted.
	Formats  []string
	Meta     Meta
	Fragment bool       // HTML fragments for embedding, not standalone pages
	PDF      PDFOptions // the page size serves the DOCX too
	// FirstOnly renders only each locale's first document, the policy,
	// and not the separate ones such as the children's rules.
	FirstOnly bool
}

// Files renders a policy's documents in each locale and format, on every
// core. The outputs come in a fixed order — by locale, then format, then
// document — whatever finishes first, and an error is the first in that
// order, so that a result never depends on timing.
func (r *Renderer) Files(p *policy.Policy, q Request) ([]Output, error) {
	docs := make([][]*Doc, len(q.Locales))
	errs := make([]error, len(q.Locales))
	var tasks []func() error
	for i, loc := range q.Locales {
		tasks = append(tasks, func() error {
			docs[i], errs[i] = r.Compose(p, loc, q.Meta)
			return nil
		})
	}
	parallel.Run(tasks)
	if err := firstError(errs); err != nil {
		return nil, err
	}
	type job struct {
		loc, format string
		doc         *Doc // nil for the model's JSON
	}
	var jobs []job
	for i, loc := range q.Locales {
		ds := docs[i]
		if q.FirstOnly {
			ds = ds[:1]
		}
		for _, format := range q.Formats {
			if format == "json" {
				jobs = append(jobs, job{loc, format, nil})
				continue
			}
			for _, d := range ds {
				jobs = append(jobs, job{loc, format, d})
			}
		}
	}
	outs := make([]Output, len(jobs))
	errs = make([]error, len(jobs))
	tasks = tasks[:0]
	for i, j := range jobs {
		tasks = append(tasks, func() error {
			if j.doc == nil {
				outs[i].Name = "policy." + j.loc + ".json"
				var buf bytes.Buffer
				errs[i] = r.JSON(&buf, p, j.loc, q.Meta)
				outs[i].Data = buf.Bytes()
				return nil
			}
			outs[i].Name = j.doc.FileName() + "." + j.format
			outs[i].Data, errs[i] = r.file(p, j.doc, j.format, q)
			return nil
		})
	}
	parallel.Run(tasks)
	if err := firstError(errs); err != nil {
		return nil, err
	}
	return outs, nil
}

// file renders one document in one format.
func (r *Renderer) file(p *policy.Policy, d *Doc, format string, q Request) ([]byte, error) {
	if format == "md" {
		return d.Markdown, nil
	}
	tree, err := Parse(d)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	switch format {
	case "html":
		err = r.HTML(&buf, tree, HTMLOptions{Fragment: q.Fragment, Alternates: Alternates(p, d)})
	case "pdf":
		err = r.PDF(&buf, tree, q.PDF)
	case "docx":
		err = r.DOCX(&buf, tree, DOCXOptions{PageSize: q.PDF.PageSize})
	default:
		err = fmt.Errorf("unknown format %q", format)
	}
	return buf.Bytes(), err
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
