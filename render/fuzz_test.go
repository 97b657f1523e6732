package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/policyc/policyc/internal/hostile"
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

// FuzzSafeHTML puts arbitrary Markdown, with an arbitrary link
// destination written in every link form, through the renderer three
// ways: as section prose and as a model text (the Markdown written, read
// by goldmark with raw HTML allowed, and the HTML page), and as a document
// whose Markdown is not composed (Parse and the HTML writer alone). Every
// output must parse as inert HTML: no script, frame, object or embed, no
// event handler, no link or source policy.SafeLink refuses, no NUL or ESC.
func FuzzSafeHTML(f *testing.F) {
	for i, p := range payloads {
		f.Add(p, hostile.URLs[i%len(hostile.URLs)])
	}
	f.Add("[a](b) <c> ![d](e) [f][g]\n\n[g]: h", "java&#x73;cript:alert(1)")
	base := loadExample(f, "website")
	r := render.New()
	f.Fuzz(func(t *testing.T, md, dest string) {
		prose := md + "\n\n[l](" + dest + ") <" + dest + "> ![i](" + dest + ") [r]\n\n[r]: " + dest + "\n"
		if !strings.Contains(prose, "{{") {
			p := *base
			p.Title = policy.NeutralText(md)
			p.Sections = []policy.Section{{ID: "s", Title: policy.NeutralText(dest), Body: policy.NeutralText(prose)}}
			p.Documents = nil
			docs, err := r.Compose(&p, "en", render.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := unsafeMarkdown.Convert(docs[0].Markdown, &out); err != nil {
				t.Fatal(err)
			}
			checkActive(t, "Markdown", out.Bytes())
			checkNoControls(t, "Markdown", docs[0].Markdown)
			tree, err := render.Parse(docs[0])
			if err != nil {
				t.Fatal(err)
			}
			out.Reset()
			if err := r.HTML(&out, tree, render.HTMLOptions{}); err != nil {
				t.Fatal(err)
			}
			checkActive(t, "page", out.Bytes())
		}
		src := []byte(strings.ToValidUTF8(prose, "\uFFFD"))
		tree, err := render.Parse(&render.Doc{Locale: "en", ID: "policy", Title: "T", Markdown: src})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := r.HTML(&out, tree, render.HTMLOptions{Fragment: true}); err != nil {
			t.Fatal(err)
		}
		for _, p := range hostile.Inert(out.Bytes(), hostile.Options{}) {
			t.Errorf("uncomposed Markdown: %s", p)
		}
	})
}
