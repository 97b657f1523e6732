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
	benchmarkRender(b, func(r *render.Renderer, html *bytes.Buffer, tree *render.Tree) error {
		if err := r.HTML(html, tree, render.HTMLOptions{}); err != nil {
			return err
		}
		var pdf bytes.Buffer
		return r.PDF(&pdf, tree, render.PDFOptions{})
	})
}
