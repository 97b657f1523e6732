package render_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

func TestImportedHTMLReadsAsMarkdownSections(t *testing.T) {
	page := `<!doctype html><html><head><title>T</title><style>p{color:red}</style><script>var x=1</script></head>
<body><nav><a href="/">Home</a> <a href="/jobs">Jobs</a></nav>
<h1>Example privacy policy</h1><p>Updated 1 May 2024.</p>
<h2>What we collect</h2><p>Your <strong>e-mail</strong> address and <a href="https://example.com/ids">device ids</a>.</p>
<ul><li>IMEI</li><li>MAC<ol><li>Wi-Fi</li></ol></li></ul>
<table><tr><th>SDK</th><th>Data</th></tr><tr><td>Maps</td><td>location</td></tr></table>
<h3>Details</h3><p>1. not a list</p>
<h2>What we collect</h2><p>Twice.</p><script>alert(1)</script></body></html>`
	d, err := render.ImportedDoc([]byte(page), "html", "en")
	if err != nil {
		t.Fatal(err)
	}
	md := string(d.Markdown)
	for _, want := range []string{
		"# Example privacy policy\n",
		"## What we collect\n\nYour **e-mail** address and [device ids](<https://example.com/ids>).",
		"- IMEI\n\n- MAC\n\n  1. Wi-Fi",
		"| SDK | Data |\n|---|---|\n| Maps | location |",
		"### Details\n\n1\\. not a list",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	for _, gone := range []string{"alert", "color:red", "Home", "Jobs", "var x"} {
		if strings.Contains(md, gone) {
			t.Errorf("Markdown keeps %q from a script, style or navigation:\n%s", gone, md)
		}
	}
	want := []render.Heading{{ID: "what-we-collect", Title: "What we collect"}, {ID: "what-we-collect-2", Title: "What we collect"}}
	if len(d.Sections) != 2 || d.Sections[0] != want[0] || d.Sections[1] != want[1] {
		t.Errorf("sections %+v, want %+v", d.Sections, want)
	}
	if d.Title != "Example privacy policy" {
		t.Errorf("title %q", d.Title)
	}
}

func TestImportedMarkdownIsTakenAsItIs(t *testing.T) {
	src := "# Policy\n\nIntro.\n\n## Data we collect ##\n\nText.\n\n```\n## not a heading\n```\n\n## Contact\n\nMail.\n"
	d, err := render.ImportedDoc([]byte(src), "md", "en")
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Markdown) != src {
		t.Errorf("Markdown changed:\n%s", d.Markdown)
	}
	if len(d.Sections) != 2 || d.Sections[0].ID != "data-we-collect" || d.Sections[1].ID != "contact" {
		t.Errorf("sections %+v", d.Sections)
	}
	// A redline between two imported versions matches sections by title.
	newer, _ := render.ImportedDoc([]byte(strings.Replace(src, "Mail.", "Write.", 1)), "md", "en")
	rl, err := render.Redline(d, newer)
	if err != nil {
		t.Fatal(err)
	}
	if len(rl) != 1 || rl[0].ID != "contact" || rl[0].Status != "changed" {
		t.Errorf("redline %+v, want the contact section changed", rl)
	}
}

// pdfOf renders Markdown as a PDF, as a policy published before policyc
// might have been.
func pdfOf(t testing.TB, md string) []byte {
	t.Helper()
	r := render.New()
	d := &render.Doc{Policy: &policy.Policy{}, Locale: "en", ID: "policy", Title: "Policy", Markdown: []byte(md)}
	tr, err := render.Parse(d)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.PDF(&buf, tr, render.PDFOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportedPDFReadsAsParagraphsAndNumberedHeadings(t *testing.T) {
	checkers.Tool(t, "pdftotext", "apt-get install -y poppler-utils")
	pdf := pdfOf(t, "# Policy\n\nWe are Example Ltd.\n\n1. What We Collect\n\nYour e-mail address, which we keep for as long as your account is open and one year after it closes.\n\n2. Contact Us\n\nWrite to privacy@example.com.\n")
	d, err := render.ImportedDoc(pdf, "pdf", "en")
	if err != nil {
		t.Fatal(err)
	}
	md := string(d.Markdown)
	if len(d.Sections) != 2 || d.Sections[0].Title != "1. What We Collect" || d.Sections[1].ID != "2-contact-us" {
		t.Errorf("sections %+v from:\n%s", d.Sections, md)
	}
	if !strings.Contains(strings.Join(strings.Fields(md), " "), "Your e-mail address, which we keep for as long as your account is open and one year after it closes.") {
		t.Errorf("paragraph not kept whole:\n%s", md)
	}
}

func TestImportedPDFWithoutPdftotextNamesThePackage(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := render.ImportedDoc([]byte("%PDF-1.4"), "pdf", "en")
	if !errors.Is(err, render.ErrNoPDFText) || !strings.Contains(err.Error(), "poppler-utils") {
		t.Fatalf("error %v, want one naming poppler-utils", err)
	}
}

// TestImportedPDFThatStallsPdftotextIsRefused: a PDF that keeps pdftotext
// busy (a damaged or hostile file) is given up after the time allowed,
// with a message, instead of stalling a comparison or a site build.
func TestImportedPDFThatStallsPdftotextIsRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in pdftotext is a shell script")
	}
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep command")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pdftotext"), []byte("#!/bin/sh\nexec "+sleep+" 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	defer render.SetPDFTextTimeout(200 * time.Millisecond)()
	start := time.Now()
	_, err = render.ImportedDoc([]byte("%PDF-1.4"), "pdf", "en")
	if err == nil || !strings.Contains(err.Error(), "did not finish") {
		t.Fatalf("error %v, want one saying pdftotext did not finish", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("gave up after %s", d)
	}
}

// TestNotAssessedVerdictNamesNoPathOrField scans what a comparison with a
// version that has no model shows besides the redline, in every format
// and locale, for paths, field names and template source.
func TestNotAssessedVerdictNamesNoPathOrField(t *testing.T) {
	as := policy.Assessment{NotAssessed: "v2 was imported as published", ProseChanged: true}
	rl := []render.SectionRedline{{ID: "intro", Title: "Introduction", Status: "changed", Segments: []render.Segment{{Op: render.Equal, Text: "Hello "}, {Op: render.Insert, Text: "world"}}}}
	fields := goFieldNames()
	for _, loc := range []string{"en", "zh-CN"} {
		var page, md bytes.Buffer
		if err := render.DiffHTML(&page, "v2", "v3", loc, as, rl, nil); err != nil {
			t.Fatal(err)
		}
		if err := render.DiffMarkdown(&md, "v2", "v3", as, rl, nil); err != nil {
			t.Fatal(err)
		}
		verdict, _ := policy.VerdictJSON("v2", "v3", as)
		if strings.Contains(string(verdict), `"level"`) {
			t.Errorf("the verdict invents a level:\n%s", verdict)
		}
		want := render.NotAssessedLabel(loc)
		if !strings.Contains(page.String(), want) || !strings.Contains(md.String(), "not assessed structurally") {
			t.Errorf("%s: the verdict does not say %q", loc, want)
		}
		// What stands before the redline: the redline is the policy's text.
		htmlVerdict, _, _ := strings.Cut(page.String()[strings.Index(page.String(), "<main>"):], "<h2>Redline")
		mdVerdict, _, _ := strings.Cut(md.String(), "### Redline")
		for _, o := range []string{htmlVerdict, mdVerdict} {
			if m := leakPath.FindString(o); m != "" {
				t.Errorf("%s: %q shows %q", loc, short(o), m)
			}
			if m := leakField.FindString(o); m != "" {
				t.Errorf("%s: %q shows a Go field %q", loc, short(o), m)
			}
			for _, f := range append(fields, "NotAssessed", "ProseChanged") {
				if strings.Contains(o, f) {
					t.Errorf("%s: %q shows the Go field name %s", loc, short(o), f)
				}
			}
		}
	}
}

func TestPDFTextLeavesOutRunningHeadsAndJoinsParagraphs(t *testing.T) {
	long := "This line of the policy runs the whole width of the page as set by the PDF"
	text := "Acme privacy policy\n" + long + "\nand ends here.\n1. Data We Collect\n" + long + "\nAcme · Page 1 of 12\n\f" +
		"goes on across the page break.\nA new paragraph starts on this page and\nAcme · Page 2 of 12\n\f" +
		"Another page.\nAcme · Page 10 of 12\n\f"
	got := render.TextMarkdown(text)
	want := "Acme privacy policy " + long + " and ends here.\n\n## 1. Data We Collect\n\n" + long + " goes on across the page break.\n\nA new paragraph starts on this page and\n\nAnother page.\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestAlignComparesTextsCutDifferentlyAsWholes(t *testing.T) {
	cut := func(md string) *render.CutDoc {
		d, err := render.ImportedDoc([]byte(md), "md", "en")
		if err != nil {
			t.Fatal(err)
		}
		c, err := render.Cut(d)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	page := cut("# Policy\n\n## Privacy policy\n\nWe collect your name.\n\nWe keep it a year.\n")
	pdf := cut("# Policy\n\n## 1. What we collect\n\nWe collect your name and e-mail.\n\n## 2. Retention\n\nWe keep it a year.\n")
	a, b := render.Align(page, pdf)
	rl := a.Redline(b)
	if len(rl) != 1 || rl[0].ID != render.WholeID || rl[0].Status != "changed" {
		t.Fatalf("redline %+v, want the whole text changed", rl)
	}
	var ins []string
	for _, s := range rl[0].Segments {
		if s.Op == render.Insert {
			ins = append(ins, strings.TrimSpace(s.Text))
		}
	}
	if !strings.Contains(strings.Join(ins, " "), "and e-mail") || strings.Contains(strings.Join(ins, " "), "We keep it a year") {
		t.Errorf("inserted %q: want the words that changed, not whole sections", ins)
	}
	// A text with no section (a one-page PDF: all of it before any
	// heading) is compared whole too, nothing of it left out.
	one := cut("Policy\n\nWe collect your name and e-mail.\n\nWe keep it a year.\n")
	a, b = render.Align(one, pdf)
	rl = a.Redline(b)
	if len(rl) != 1 || rl[0].ID != render.WholeID || strings.Contains(fmt.Sprint(rl[0].Segments), "{- We keep it a year.}") {
		t.Errorf("redline %+v, want one text with the kept paragraph unchanged", rl)
	}
	kept := false
	for _, s := range rl[0].Segments {
		kept = kept || s.Op == render.Equal && strings.Contains(s.Text, "We keep it a year.")
	}
	if !kept {
		t.Errorf("the paragraph both texts hold is not unchanged in %+v: the text before any section was left out", rl[0].Segments)
	}
	// Documents that share their sections are compared section by section.
	newer := cut("# Policy\n\n## Privacy policy\n\nWe collect your name.\n\nWe keep it two years.\n")
	if a, b := render.Align(page, newer); a != page || b != newer {
		t.Error("documents with the same sections were merged")
	}
}
