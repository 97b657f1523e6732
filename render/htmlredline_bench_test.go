package render_test

import (
	"io"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// benchComparisonPage writes the comparison page of one section, old
// against new: blocks aligned, words compared inside paired blocks, the
// page around them.
func benchComparisonPage(b *testing.B, old, new string) {
	b.SetBytes(int64(len(old) + len(new)))
	b.ReportAllocs()
	for b.Loop() {
		rl := []render.SectionRedline{{ID: "text", Title: "Text", Status: "changed", Segments: render.WordDiff(old, new)}}
		if err := render.DiffHTML(io.Discard, "v1", "v2", "en", policy.Assessment{}, rl, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComparisonPageSeedEdited is the first seed as one section with
// about one word in eight changed.
func BenchmarkComparisonPageSeedEdited(b *testing.B) {
	s := seedText(b, "000")
	benchComparisonPage(b, s, editWords(s, 8, 1))
}

// BenchmarkComparisonPageSeedFourfold is the same at four times the text:
// the time should grow about fourfold, not sixteenfold.
func BenchmarkComparisonPageSeedFourfold(b *testing.B) {
	s := strings.Repeat(seedText(b, "000")+"\n", 4)
	benchComparisonPage(b, s, editWords(s, 8, 1))
}

// BenchmarkComparisonPageRewrite is a full rewrite: the first seed's text
// against the second's.
func BenchmarkComparisonPageRewrite(b *testing.B) {
	benchComparisonPage(b, seedText(b, "000"), seedText(b, "003"))
}
