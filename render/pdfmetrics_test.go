package render

import (
	"bytes"
	"compress/zlib"
	"io"
	"path/filepath"
	"regexp"
	"testing"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"github.com/policyc/policyc/policy"
	"golang.org/x/image/font/gofont/goregular"
)

// refFonts is an fpdf document with every bundled font added and no page,
// so that selecting a font writes nothing: the reference for widths.
type refFonts struct {
	pdf *fpdf.Fpdf
}

// refFamily names a face and style in refFonts.
func refFamily(f face, bold, ital bool) (string, string) {
	switch f {
	case faceMono:
		return "m", ""
	case faceCJK:
		return "c", ""
	}
	s := ""
	if bold {
		s += "B"
	}
	if ital {
		s += "I"
	}
	return "l", s
}

func newRefFonts(t *testing.T) *refFonts {
	t.Helper()
	fs := FontSet{}.withDefaults()
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", SizeStr: "A4"})
	pdf.AddUTF8FontFromBytes("l", "", fs.Regular)
	pdf.AddUTF8FontFromBytes("l", "B", fs.Bold)
	pdf.AddUTF8FontFromBytes("l", "I", fs.Italic)
	pdf.AddUTF8FontFromBytes("l", "BI", fs.BoldItalic)
	pdf.AddUTF8FontFromBytes("m", "", fs.Mono)
	pdf.AddUTF8FontFromBytes("c", "", fs.CJK)
	if err := pdf.Error(); err != nil {
		t.Fatal(err)
	}
	return &refFonts{pdf}
}

// units is fpdf's width of s in a face and style, in thousandths of the em.
func (r *refFonts) units(f face, bold, ital bool, s string) int {
	fam, st := refFamily(f, bold, ital)
	r.pdf.SetFont(fam, st, 1000)
	return r.pdf.GetStringSymbolWidth(s)
}

// TestFontMetricsMatchFpdf compares the width of every character of the
// Basic Multilingual Plane, in each bundled font, with the width fpdf
// gives it once the font is selected, and the same for a font the user
// gives: layout measures without selecting fonts, and must measure exactly
// what fpdf draws.
func TestFontMetricsMatchFpdf(t *testing.T) {
	ref := newRefFonts(t)
	fs := FontSet{}.withDefaults()
	for _, c := range []struct {
		name       string
		b          []byte
		f          face
		bold, ital bool
	}{
		{"regular", fs.Regular, faceLatin, false, false},
		{"bold", fs.Bold, faceLatin, true, false},
		{"italic", fs.Italic, faceLatin, false, true},
		{"bold italic", fs.BoldItalic, faceLatin, true, true},
		{"mono", fs.Mono, faceMono, false, false},
		{"CJK", fs.CJK, faceCJK, false, false},
		{"user's (Go Regular)", goregular.TTF, faceLatin, false, false},
	} {
		m, err := metricsFor(c.b)
		if err != nil {
			t.Fatal(err)
		}
		if !bundled(c.b) {
			// A font the user gives: fpdf's reference is that font.
			ref = &refFonts{fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", SizeStr: "A4"})}
			ref.pdf.AddUTF8FontFromBytes("l", "", c.b)
		}
		bad := 0
		for r := rune(0); r <= 0xffff; r++ {
			if !utf8.ValidRune(r) {
				continue // a surrogate: never a rune of a Go string
			}
			if got, want := m.units(r), ref.units(c.f, c.bold, c.ital, string(r)); got != want {
				if bad++; bad <= 5 {
					t.Errorf("%s font, %U: width %d, fpdf %d", c.name, r, got, want)
				}
			}
		}
		if bad > 5 {
			t.Errorf("%s font: %d widths differ from fpdf's", c.name, bad)
		}
	}
}

// TestPDFWidthsAreFpdfs renders every PDF of both examples and the
// fixtures, in every locale (Chinese among them), and checks every text
// drawn: its width in the layout's metrics equals fpdf's GetStringWidth
// for the same text, font and size, and each character's width, which
// the layout sums, equals fpdf's exactly.
func TestPDFWidthsAreFpdfs(t *testing.T) {
	defer func() { drawnHook = nil }()
	ref := newRefFonts(t)
	type key struct {
		f          face
		bold, ital bool
		size       float64
		text       string
	}
	seen := map[key]bool{}
	texts, cjk := 0, 0
	drawnHook = func(p *pdfWriter, f face, st style, size float64, text string) {
		bold, ital := st.bold && f == faceLatin, st.italic && f == faceLatin
		k := key{f, bold, ital, size, text}
		if seen[k] {
			return
		}
		seen[k] = true
		texts++
		if f == faceCJK {
			cjk++
		}
		m := p.metricsOf(f, bold, ital)
		sum := 0
		for _, r := range text {
			sum += m.units(r)
			fam, s := refFamily(f, bold, ital)
			ref.pdf.SetFont(fam, s, 1000)
			if got, want := p.runeWidth(f, st, r), ref.pdf.GetStringWidth(string(r))/1000; got != want {
				t.Errorf("%q in face %d bold %v italic %v: width %v, fpdf %v", r, f, bold, ital, got, want)
			}
		}
		if want := ref.units(f, bold, ital, text); sum != want {
			t.Errorf("%q in face %d bold %v italic %v: %d units, fpdf %d", text, f, bold, ital, sum, want)
		}
		fam, s := refFamily(f, bold, ital)
		ref.pdf.SetFont(fam, s, size)
		if got, want := float64(sum)*size/1000, ref.pdf.GetStringWidth(text); got != want {
			t.Errorf("%q at %vpt: width %v, fpdf %v", text, size, got, want)
		}
	}
	fixtures, err := filepath.Glob(filepath.Join("..", "testdata", "fixtures", "*"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, dir := range append([]string{"../examples/sdk-provider", "../examples/website"}, fixtures...) {
		p, err := policy.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		r := New()
		for _, loc := range p.Locales {
			docs, err := r.Compose(p, string(loc), Meta{Version: "3"})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range docs {
				tree, err := Parse(d)
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := r.PDF(&buf, tree, PDFOptions{}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if texts < 1000 || cjk < 100 {
		t.Fatalf("only %d texts drawn, %d in the CJK font: the check saw too little", texts, cjk)
	}
	t.Logf("%d distinct texts, %d in the CJK font", texts, cjk)
}

// contentStreams inflates a PDF's compressed streams.
func contentStreams(t *testing.T, pdf []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("\nstream\n"))
		if i < 0 {
			return out
		}
		rest = rest[i+len("\nstream\n"):]
		zr, err := zlib.NewReader(bytes.NewReader(rest))
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
}

var fontSelection = regexp.MustCompile(`/F\w+ [0-9.]+ Tf`)

// TestPDFSelectsFontsOnlyToDraw reads the page contents of the examples'
// PDFs: no font selection at the size the widths used to be measured at,
// and no selection of the font already selected (but for fpdf's own at the
// top of a page).
func TestPDFSelectsFontsOnlyToDraw(t *testing.T) {
	for _, c := range []struct{ dir, locale string }{{"website", "en"}, {"sdk-provider", "zh-CN"}} {
		p, err := policy.Load(filepath.Join("..", "examples", c.dir))
		if err != nil {
			t.Fatal(err)
		}
		r := New()
		docs, err := r.Compose(p, c.locale, Meta{Version: "3"})
		if err != nil {
			t.Fatal(err)
		}
		tree, err := Parse(docs[0])
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := r.PDF(&buf, tree, PDFOptions{}); err != nil {
			t.Fatal(err)
		}
		pages, sels := 0, 0
		for _, s := range contentStreams(t, buf.Bytes()) {
			found := fontSelection.FindAll(s, -1)
			if len(found) == 0 {
				continue
			}
			pages++
			sels += len(found)
			cur := ""
			for i, sel := range found {
				if bytes.HasSuffix(sel, []byte(" 1000.00 Tf")) {
					t.Errorf("%s %s page %d: %s, a selection made to measure", c.dir, c.locale, pages, sel)
				}
				// fpdf itself selects the font twice at the top of a new
				// page, around the page header it would draw.
				if string(sel) == cur && i != 1 {
					t.Errorf("%s %s page %d: %s selected again", c.dir, c.locale, pages, sel)
				}
				cur = string(sel)
			}
		}
		if pages < 2 {
			t.Fatalf("%s %s: font selections on %d pages", c.dir, c.locale, pages)
		}
		t.Logf("%s %s: %d font selections on %d pages", c.dir, c.locale, sels, pages)
	}
}
