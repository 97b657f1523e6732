package render_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/net/html"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// Tests in this file check outputs with readers policyc did not write:
// poppler, qpdf, cmark-gfm, the Nu HTML checker and axe-core in Chromium.

// words splits text into comparable tokens: runs of letters and digits, and
// every CJK character on its own.
func words(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// TestPDFTextHasEveryWordOfTheMarkdown extracts each PDF's text with
// pdftotext and requires every word of the Markdown, as cmark-gfm reads
// it, to appear in order: no character may be dropped or moved at a line
// or page break, Chinese included.
func TestPDFTextHasEveryWordOfTheMarkdown(t *testing.T) {
	cmark := checkers.Tool(t, "cmark-gfm", "apt-get install -y cmark-gfm")
	outs := renderExamples(t)
	for _, o := range outputsWith(outs, ".pdf") {
		t.Run(o.name, func(t *testing.T) {
			hasMarkdownWords(t, cmark, o.doc, "the PDF", string(pdfText(t, o.data, "-raw")))
		})
	}
}

// hasMarkdownWords requires every word of a document's Markdown, as
// cmark-gfm reads it, to appear in text in order, whatever else the text
// holds.
func hasMarkdownWords(t *testing.T, cmark string, d *render.Doc, what, text string) {
	t.Helper()
	cmd := exec.Command(cmark, "-e", "table", "-e", "strikethrough", "-e", "autolink", "-t", "plaintext", "--width", "0")
	cmd.Stdin = bytes.NewReader(d.Markdown)
	plain, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := words(string(plain))
	got := words(text)
	j := 0
	for i := 0; i < len(got) && j < len(want); i++ {
		if got[i] == want[j] {
			j++
		}
	}
	if j < len(want) {
		ctx := want[max(0, j-8):min(len(want), j+8)]
		t.Errorf("%s lacks word %d of %d, %q, in order; around it: %q", what, j+1, len(want), want[j], ctx)
	}
	if len(want) < 500 && d.ID == "policy" {
		t.Errorf("only %d words: the comparison is not reading the document", len(want))
	}
}

// TestPDFFontsAreEmbeddedSubsetsWithUnicode checks pdffonts' report.
func TestPDFFontsAreEmbeddedSubsetsWithUnicode(t *testing.T) {
	checkers.Tool(t, "pdffonts", "apt-get install -y poppler-utils")
	for _, o := range outputsWith(renderExamples(t), ".pdf") {
		f := filepath.Join(t.TempDir(), "p.pdf")
		os.WriteFile(f, o.data, 0o644)
		out, err := exec.Command("pdffonts", f).Output()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")[2:]
		if len(lines) < 2 {
			t.Errorf("%s: %d fonts", o.name, len(lines))
		}
		for _, l := range lines {
			fields := strings.Fields(l)
			// name type... encoding emb sub uni object ID
			n := len(fields)
			if fields[n-5] != "yes" || fields[n-4] != "yes" || fields[n-3] != "yes" {
				t.Errorf("%s: font not embedded, subset and mapped to Unicode: %s", o.name, l)
			}
		}
		if strings.Contains(o.name, "zh-CN") && !strings.Contains(string(out), "+CJK") {
			t.Errorf("%s: no CJK font embedded", o.name)
		}
	}
}

// TestPDFStructureIsValidWithOneBookmarkPerSection runs qpdf --check and
// reads the outline qpdf sees.
func TestPDFStructureIsValidWithOneBookmarkPerSection(t *testing.T) {
	checkers.Tool(t, "qpdf", "apt-get install -y qpdf")
	for _, o := range outputsWith(renderExamples(t), ".pdf") {
		f := filepath.Join(t.TempDir(), "p.pdf")
		os.WriteFile(f, o.data, 0o644)
		if out, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil {
			t.Errorf("%s: qpdf --check: %v\n%s", o.name, err, out)
		}
		out, err := exec.Command("qpdf", "--json", "--json-key=outlines", f).Output()
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Outlines []struct {
				Title string `json:"title"`
			} `json:"outlines"`
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, s := range o.doc.Sections {
			titles = append(titles, s.Title)
		}
		var got []string
		for _, b := range doc.Outlines {
			got = append(got, b.Title)
		}
		if strings.Join(got, "\n") != strings.Join(titles, "\n") {
			t.Errorf("%s: bookmarks\n%q\nwant one per section\n%q", o.name, got, titles)
		}
	}
}

var blockTags = map[string]bool{"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "p": true, "ul": true, "ol": true, "li": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true, "blockquote": true, "pre": true, "hr": true}

// blockStructure lists an HTML document's block elements in order.
func blockStructure(t *testing.T, doc []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken:
			name, _ := z.TagName()
			if blockTags[string(name)] {
				out = append(out, string(name))
			}
		}
	}
}

// TestMarkdownStructureMatchesCmarkGFM renders each Markdown file with
// cmark-gfm and with goldmark and requires the same headings, lists,
// tables and paragraphs, in the same order.
func TestMarkdownStructureMatchesCmarkGFM(t *testing.T) {
	cmark := checkers.Tool(t, "cmark-gfm", "apt-get install -y cmark-gfm")
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM))
	for _, o := range outputsWith(renderExamples(t), ".md") {
		cmd := exec.Command(cmark, "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "-e", "footnotes")
		cmd.Stdin = bytes.NewReader(o.data)
		theirs, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		var ours bytes.Buffer
		if err := gm.Convert(o.data, &ours); err != nil {
			t.Fatal(err)
		}
		a, b := blockStructure(t, theirs), blockStructure(t, ours.Bytes())
		if strings.Join(a, " ") != strings.Join(b, " ") {
			t.Errorf("%s: cmark-gfm and goldmark disagree on the block structure (%d vs %d blocks)", o.name, len(a), len(b))
		}
		if len(a) < 30 {
			t.Errorf("%s: only %d blocks", o.name, len(a))
		}
	}
}

func writeHTML(t *testing.T, outs []output) []string {
	dir := t.TempDir()
	var files []string
	for _, o := range outputsWith(outs, ".html") {
		f := filepath.Join(dir, strings.ReplaceAll(o.name, "/", "-"))
		if err := os.WriteFile(f, o.data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// TestHTMLPassesTheNuChecker validates every page with the Nu HTML checker.
func TestHTMLPassesTheNuChecker(t *testing.T) {
	checkers.Nu(t, writeHTML(t, renderExamples(t))...)
}

// TestHTMLIsAccessibleInChromium loads every page in Debian's Chromium and
// runs axe-core's WCAG 2 A and AA rules; it also fails on console errors and
// on any request that leaves the page's own file.
func TestHTMLIsAccessibleInChromium(t *testing.T) {
	checkers.Axe(t, writeHTML(t, renderExamples(t))...)
}

var boldRE = regexp.MustCompile(`<strong>([^<]*)</strong>`)

// TestSensitiveItemsAreBold checks that every item of every
// sensitive category is bold in the HTML, which shares its AST with the PDF
// (so the Markdown emphasis parsed,
// Chinese punctuation included) in each locale.
func TestSensitiveItemsAreBold(t *testing.T) {
	for _, o := range outputsWith(renderExamples(t), ".html") {
		if !strings.Contains(o.name, "/policy.") {
			continue
		}
		bold := map[string]bool{}
		for _, m := range boldRE.FindAllSubmatch(o.data, -1) {
			bold[html.UnescapeString(string(m[1]))] = true
		}
		p := o.doc.Policy
		for _, c := range p.DataCategories {
			if !c.Sensitive {
				continue
			}
			for _, it := range c.Items {
				if s := it.Get(o.doc.Locale); !bold[s] {
					t.Errorf("%s: sensitive item %q is never bold", o.name, s)
				}
			}
			if s := c.Name.Get(o.doc.Locale); !bold[s] {
				t.Errorf("%s: sensitive category %q is never bold", o.name, s)
			}
		}
	}
}

// TestPDFPageSizesAndTablesAcrossPages renders a policy with a long SDK
// table on Letter paper and checks, with poppler, the page size and that
// every page the table reaches starts with its header row.
func TestPDFPageSizesAndTablesAcrossPages(t *testing.T) {
	checkers.Tool(t, "pdfinfo", "apt-get install -y poppler-utils")
	p := loadExample(t, "website")
	one := p.SDKs[0]
	for i := range 80 {
		s := one
		s.ID = policy.ID(fmt.Sprintf("sdk-%d", i))
		s.Name = policy.NeutralText(fmt.Sprintf("Kit%03d", i))
		p.SDKs = append(p.SDKs, s)
	}
	r := render.New()
	docs, err := r.Compose(p, "en", render.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	tree, err := render.Parse(docs[0])
	if err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	if err := r.PDF(&pdf, tree, render.PDFOptions{PageSize: render.Letter}); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "p.pdf")
	os.WriteFile(f, pdf.Bytes(), 0o644)
	info, err := exec.Command("pdfinfo", f).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "612 x 792 pts (letter)") {
		t.Errorf("not Letter paper:\n%s", info)
	}
	pages := strings.Split(string(pdfText(t, pdf.Bytes(), "-raw")), "\f")
	spanned := 0
	for _, pg := range pages {
		if !strings.Contains(pg, "Kit0") {
			continue
		}
		spanned++
		if !strings.Contains(pg, "Provider's") {
			t.Errorf("a page of the SDK table has no header row:\n%.300s", pg)
		}
	}
	if spanned < 3 {
		t.Errorf("the table spans %d pages; the test needs at least 3", spanned)
	}
}
