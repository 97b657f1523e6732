package render_test

import (
	"bytes"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// FuzzRenderProse renders arbitrary section Markdown (with a fact reference
// around it) to HTML and PDF. Nothing may panic, and the HTML must stay
// inert whatever the prose holds.
func FuzzRenderProse(f *testing.F) {
	for _, p := range payloads {
		f.Add(p)
	}
	f.Add("中文段落，没有空格也要正确换行。（括号）「引号」")
	f.Add("averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordwithoutanyspaceatall")
	f.Add("| a | b |\n|---|---|\n| 1 | 2 |\n\n- x\n  - y\n\n1. z\n\n> q\n\n```\ncode\n```\n\n---")
	base := loadExample(f, "website")
	f.Fuzz(func(t *testing.T, prose string) {
		p := *base
		p.Sections = []policy.Section{{ID: "s", Title: policy.NeutralText("S"), Body: policy.NeutralText(prose + "\n\n{{ glossary }}")}}
		p.Documents = nil
		r := render.New()
		docs, err := r.Compose(&p, "en", render.Meta{})
		if err != nil {
			return // prose that does not parse as a template is refused by validation first
		}
		tree, err := render.Parse(docs[0])
		if err != nil {
			t.Fatal(err)
		}
		var page, pdf bytes.Buffer
		if err := r.HTML(&page, tree, render.HTMLOptions{}); err != nil {
			t.Fatal(err)
		}
		checkInert(t, "fuzz", page.Bytes())
		if err := r.PDF(&pdf, tree, render.PDFOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}
