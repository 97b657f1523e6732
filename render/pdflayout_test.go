package render

import (
	"bytes"
	"fmt"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/policy"
)

// pdfOf renders Markdown as the body of a document of the website example.
func pdfOf(t *testing.T, md string, sections []Heading) []byte {
	t.Helper()
	p, err := policy.Load("../examples/website")
	if err != nil {
		t.Fatal(err)
	}
	d := &Doc{Policy: p, Locale: "en", ID: "policy", Title: "Layout", Markdown: []byte(md), Sections: sections}
	tree, err := Parse(d)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := New().PDF(&buf, tree, PDFOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// word is a word pdftotext found, with its page and top edge.
type word struct {
	text string
	page int
	y    float64
}

var bboxWord = regexp.MustCompile(`<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="[^"]+">([^<]*)</word>`)

// pdfWords lists the words of a PDF with their positions, as poppler's
// pdftotext -bbox reads them.
func pdfWords(t *testing.T, pdf []byte) []word {
	t.Helper()
	checkers.Tool(t, "pdftotext", "apt-get install -y poppler-utils")
	cmd := exec.Command("pdftotext", "-bbox", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var words []word
	for i, page := range strings.Split(string(out), "<page ")[1:] {
		for _, m := range bboxWord.FindAllStringSubmatch(page, -1) {
			y, _ := strconv.ParseFloat(m[1], 64)
			words = append(words, word{text: m[2], page: i + 1, y: y})
		}
	}
	return words
}

func find(t *testing.T, words []word, text string) word {
	t.Helper()
	for _, w := range words {
		if w.text == text {
			return w
		}
	}
	t.Fatalf("the PDF has no word %q", text)
	return word{}
}

// TestPDFContentsListIsNeverSplitWhenItFitsOnAPage moves the contents
// further down the first page, paragraph by paragraph, and requires every
// entry on the page of its heading.
func TestPDFContentsListIsNeverSplitWhenItFitsOnAPage(t *testing.T) {
	var toc strings.Builder
	sections := []Heading{{ID: ContentsID, Title: "Contents"}}
	for i := range 14 {
		fmt.Fprintf(&toc, "- [Entry%02d of the contents](#s%d)\n", i, i)
		sections = append(sections, Heading{ID: fmt.Sprintf("s%d", i), Title: fmt.Sprint(i)})
	}
	var body strings.Builder
	for i := range 14 {
		fmt.Fprintf(&body, "## Section %d\n\nText.\n\n", i)
	}
	split := 0
	for n := 0; n <= 24; n += 2 {
		intro := strings.Repeat("An introductory paragraph that takes up a line or two of the first page, so that the contents start lower down.\n\n", n)
		words := pdfWords(t, pdfOf(t, "# Layout\n\n"+intro+"## Contents\n\n"+toc.String()+"\n"+body.String(), sections))
		head := find(t, words, "Contents")
		for i := range 14 {
			if e := find(t, words, fmt.Sprintf("Entry%02d", i)); e.page != head.page {
				t.Errorf("with %d paragraphs before it, the contents start on page %d but entry %d is on page %d", n, head.page, i, e.page)
				split++
				break
			}
		}
	}
	if split > 0 {
		t.Logf("%d of 13 placements split the contents", split)
	}
}

// TestPDFListItemsAreEvenlySpaced requires the same distance between the
// items of a list, whether or not the item before holds a nested list.
func TestPDFListItemsAreEvenlySpaced(t *testing.T) {
	md := "# Layout\n\n- Alpha\n- Bravo\n  - Bravo1\n  - Bravo2\n- Charlie\n- Delta\n\nAfter.\n"
	words := pdfWords(t, pdfOf(t, md, nil))
	y := func(s string) float64 { return find(t, words, s).y }
	step := y("Bravo") - y("Alpha")
	for _, pair := range [][2]string{{"Bravo", "Bravo1"}, {"Bravo1", "Bravo2"}, {"Bravo2", "Charlie"}, {"Charlie", "Delta"}} {
		if d := y(pair[1]) - y(pair[0]); math.Abs(d-step) > 0.05 {
			t.Errorf("%s to %s is %.2f pt; Alpha to Bravo is %.2f pt", pair[0], pair[1], d, step)
		}
	}
}

// TestTableColumnsMakeRoomForShortCells gives a table a column of short
// names beside a column of texts of every length and a column of
// addresses. Proportional widths squeeze the names to a few characters a
// line, making rows with short texts tall; the fitted widths make the table
// shorter, keep every column at its minimum and use the whole width.
func TestTableColumnsMakeRoomForShortCells(t *testing.T) {
	minW := []float64{30, 30, 60}
	text := [][]float64{{40, 40, 80}}
	for _, long := range []float64{1400, 150, 300, 90, 800, 120} {
		text = append(text, []float64{120, long, 190})
	}
	maxW := []float64{130, 1410, 200}
	height := func(w []float64) (n float64) {
		for _, row := range text {
			tallest := 0.0
			for i, tw := range row {
				tallest = max(tallest, math.Ceil(tw/(w[i]-2*cellPad)))
			}
			n += tallest
		}
		return n
	}
	start := columnWidths(minW, maxW, 480)
	got := fitColumns(start, minW, text, 6)
	if sum := got[0] + got[1] + got[2]; math.Abs(sum-480) > 1e-6 {
		t.Fatalf("widths add up to %v, want 480", sum)
	}
	for i := range got {
		if got[i] < minW[i] {
			t.Errorf("column %d is %.1f wide, under its minimum %.1f", i, got[i], minW[i])
		}
	}
	if h, h0 := height(got), height(start); h >= h0 {
		t.Errorf("the fitted table is %.0f lines tall, the proportional one %.0f; widths %.1f, were %.1f", h, h0, got, start)
	}
	if got[0] <= start[0] {
		t.Errorf("the names column is %.1f pt, no wider than the proportional %.1f", got[0], start[0])
	}
}

// TestWebAddressesBreakAfterSeparators: a long address may break after a
// slash or a dot, and ordinary text still breaks only at spaces.
func TestWebAddressesBreakAfterSeparators(t *testing.T) {
	b := New().newBase(A4)
	p := &pdfWriter{pdf: b.pdf, latin: b.latin, mono: b.mono, files: b.fonts, latinFam: b.latinFam,
		widths: map[widthKey]float64{}, added: map[string]bool{b.latinFam: true, b.latinFam + "B": true}}
	atoms := p.atoms([]run{{text: "see https://example.com/privacy/policy and e.g.this"}}, bodySize)
	var breaks []string
	for _, a := range atoms {
		if a.breakBefore && !a.space {
			breaks = append(breaks, a.text)
		}
	}
	want := []string{"see", "https://", "example.", "com/", "privacy/", "policy", "and", "e.g.this"}
	if strings.Join(breaks, "|") != strings.Join(want, "|") {
		t.Errorf("break opportunities before %q, want %q", breaks, want)
	}
}
