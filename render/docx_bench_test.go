package render_test

import (
	"bytes"
	"testing"

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
