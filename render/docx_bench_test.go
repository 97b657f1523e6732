package render_test

import (
	"bytes"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// BenchmarkRenderDOCX and BenchmarkRenderHTML render the SDK-provider
// example (the size of the first seed) with a fresh renderer, from
// composing to the written file, side by side: the Word writer against
// the HTML writer on the same tree.
func BenchmarkRenderDOCX(b *testing.B) {
	benchmarkRender(b, func(r *render.Renderer, buf *bytes.Buffer, tree *render.Tree) error {
		return r.DOCX(buf, tree, render.DOCXOptions{})
	})
}

func BenchmarkRenderHTML(b *testing.B) {
	benchmarkRender(b, func(r *render.Renderer, buf *bytes.Buffer, tree *render.Tree) error {
		return r.HTML(buf, tree, render.HTMLOptions{})
	})
}

func benchmarkRender(b *testing.B, write func(*render.Renderer, *bytes.Buffer, *render.Tree) error) {
	p := loadExample(b, "sdk-provider")
	b.ReportAllocs()
	for b.Loop() {
		r := render.New()
		docs, err := r.Compose(p, "en", render.Meta{Version: "1"})
		if err != nil {
			b.Fatal(err)
		}
		tree, err := render.Parse(docs[0])
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := write(r, &buf, tree); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRedlineDOCXLongText and BenchmarkRedlineHTMLLongText compare
// the first seed as one section with about one word in eight changed,
// side by side, from the two parsed documents to the written file: the
// Word redline (both documents' models, aligned, words compared, the
// package written) against the HTML comparison page (the section redline
// and the page).
func BenchmarkRedlineDOCXLongText(b *testing.B) {
	old, new := longTextPair(b)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := render.New().DOCXRedline(&buf, old, new, policy.Assessment{ProseChanged: true}, render.DOCXRedlineOptions{From: "v1", To: "v2"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRedlineHTMLLongText(b *testing.B) {
	old, new := longTextPair(b)
	b.ReportAllocs()
	for b.Loop() {
		r := render.New()
		rl, err := render.Redline(old.Doc, new.Doc)
		if err != nil {
			b.Fatal(err)
		}
		words, err := r.Wording(nil, nil, "en")
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := render.DiffHTML(&buf, "v1", "v2", "en", policy.Assessment{ProseChanged: true}, rl, words); err != nil {
			b.Fatal(err)
		}
	}
}

// longTextPair is the first seed as one section, and the same with about
// one word in eight changed.
func longTextPair(b *testing.B) (old, new *render.Tree) {
	seed := seedText(b, "000")
	tree := func(md string) *render.Tree {
		t, err := render.Parse(&render.Doc{Policy: &policy.Policy{}, Locale: "en", ID: "policy", Title: "Policy", Markdown: []byte(md),
			Sections: []render.Heading{{ID: "text", Title: "Text"}}})
		if err != nil {
			b.Fatal(err)
		}
		return t
	}
	return tree(singleSection(seed)), tree(singleSection(editWords(seed, 8, 1)))
}
