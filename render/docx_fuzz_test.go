package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/policyc/policyc/internal/hostile"
	"github.com/policyc/policyc/render"
)

// TestDOCXOfAPoisonedModelIsSafe renders both examples with every text of
// the model a hostile payload and every URL a hostile value: each Word
// document is well-formed, in order, links only where policy.SafeLink
// allows, and holds no character XML forbids.
func TestDOCXOfAPoisonedModelIsSafe(t *testing.T) {
	for _, ex := range exampleNames {
		p := poisoned(t, ex)
		for _, o := range renderPolicyDOCX(t, ex, p, render.Letter) {
			t.Run(o.name, func(t *testing.T) { checkDOCX(t, o.data) })
		}
	}
}

// FuzzDOCX writes arbitrary Markdown, with an arbitrary link destination
// in every link form, as a Word document: nothing may panic, and the
// package must pass checkDOCX whatever the text holds.
func FuzzDOCX(f *testing.F) {
	for i, p := range payloads {
		f.Add(p, hostile.URLs[i%len(hostile.URLs)])
	}
	f.Add("| a | b |\n|---|---|\n| 1 |\n\n- x\n  - y\n\n3. z\n\n> q\n\n```\ncode\n```\n\n---\n\n# t\n\n#### deep", "#x")
	f.Add("中文\x01段落\uFFFE", "children-rules.en.md#top")
	base := loadExample(f, "website")
	r := render.New()
	f.Fuzz(func(t *testing.T, md, dest string) {
		prose := md + "\n\n[l](" + dest + ") <" + dest + "> ![i](" + dest + ") [r]\n\n[r]: " + dest + "\n"
		src := []byte(strings.ToValidUTF8(prose, "\uFFFD"))
		tree, err := render.Parse(&render.Doc{Policy: base, Locale: "en", ID: "policy", Title: md, Markdown: src})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := r.DOCX(&out, tree, render.DOCXOptions{}); err != nil {
			t.Fatal(err)
		}
		checkDOCX(t, out.Bytes())
	})
}
