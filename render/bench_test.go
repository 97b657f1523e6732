package render_test

import (
	"bytes"
	"testing"

	"github.com/policyc/policyc/render"
)

// BenchmarkRenderAllFormats renders the SDK-provider example (the size of
// the first seed) to Markdown, HTML and PDF with a fresh renderer, as one
// process run does after loading.
func BenchmarkRenderAllFormats(b *testing.B) {
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
		var html, pdf bytes.Buffer
		if err := r.HTML(&html, tree, render.HTMLOptions{}); err != nil {
			b.Fatal(err)
		}
		if err := r.PDF(&pdf, tree, render.PDFOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
