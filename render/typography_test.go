package render_test

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/render"
)

// TestTypographyAsReadersSeeIt scans the text of every rendered output of
// the examples, as a reader sees it (the Markdown as goldmark reads it, or
// cmark-gfm in the full suite; the HTML's text; pdftotext's text in the
// full suite), for faults a legal team would not publish: a Markdown
// escape left visible, punctuation doubled where two values meet, a value
// running into the next label, a paragraph sentence said twice, two
// bracketed asides in a row, and two spaces between words in the Markdown
// file.
func TestTypographyAsReadersSeeIt(t *testing.T) {
	outs := append(renderExamples(t), renderPolicy(t, "testdata/typography", "typography")...)
	for _, o := range outs {
		var text string
		switch {
		case strings.HasSuffix(o.name, ".md"):
			text = blockLines(readerHTML(t, o.data))
		case strings.HasSuffix(o.name, ".html"):
			text = blockLines(string(o.data))
		case strings.HasSuffix(o.name, ".pdf") && !testing.Short():
			r := render.New()
			text = withoutFooters(string(pdfText(t, o.data, "-raw")), r, o.doc.Locale)
		default:
			continue
		}
		labels, err := render.New().Labels(o.doc.Locale)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(o.name, ".md") {
			for i, l := range strings.Split(string(o.data), "\n") {
				if m := doubledSpace.FindString(l); m != "" && !strings.HasPrefix(l, "|") {
					t.Errorf("%s:%d: two spaces between words %q in %q", o.name, i+1, m, clip(l))
				}
			}
		}
		lines := strings.Split(text, "\n")
		for _, f := range typographyFaults(text, labels) {
			line := f.line
			if !strings.HasSuffix(o.name, ".pdf") {
				line = sourceLine(o.data, lines[f.line-1])
			}
			t.Errorf("%s:%d: %s", o.name, line, f.msg)
		}
	}
}

// readerHTML is another reader's HTML of a Markdown file.
func readerHTML(t *testing.T, md []byte) string {
	if testing.Short() {
		return goldmarkHTML(md)
	}
	return cmarkHTML(t, md)
}

// blockLines is the text of an HTML document with one line per block
// (paragraph, list item, table cell, heading), inline markup removed.
func blockLines(s string) string {
	if i := strings.Index(s, "<style>"); i >= 0 {
		if j := strings.Index(s[i:], "</style>"); j >= 0 {
			s = s[:i] + s[i+j:]
		}
	}
	var lines []string
	for _, b := range blockTag.Split(s, -1) {
		if l := htmlText(b); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

type fault struct {
	line int
	msg  string
}

var (
	// a backslash a reader sees: CommonMark escapes left in the text
	visibleEscape = regexp.MustCompile(`\\[[:punct:][:alnum:]]`)
	// a full stop after a sentence already ended ("Ltd..", ").)."), outside an ellipsis
	doubledStop = regexp.MustCompile(`[^.][.。!?！？][)）]?[.。]([^.]|$)`)
	// two separators in a row (",,", ":.", "；。")
	doubledSep = regexp.MustCompile(`[,;:，；：][ ]?[,;:，；：.。]`)
	// two spaces inside a line of the Markdown file, which its readers
	// see ("website.  You will"); a table row aligns its cells, a line
	// ending in two spaces breaks
	doubledSpace = regexp.MustCompile(`\S  +\S`)
	// two bracketed asides in a row ("Under 16 (the European Union)
	// (GDPR)"): one bracket holds them both
	// a common noun capitalised in a bracket after a word ("Location
	// information (Sensitive personal information)"); a proper name keeps
	// its capitals ("(Android ID)", "(GDPR)")
	capitalInBracket = regexp.MustCompile(`\p{L} \(\p{Lu}\p{Ll}+ \p{Ll}+ \p{Ll}+\)`)
	bracketsInARow   = regexp.MustCompile(`[)）] ?[(（]`)
	listMarker       = regexp.MustCompile(`^(•|[0-9]+\.) `) // a list item in pdftotext's text
	sentenceEnd      = regexp.MustCompile(`[.!?](\s|$)|[。！？]`)
)

// typographyFaults finds the faults in a text of one block per line.
func typographyFaults(text string, labels map[string]string) []fault {
	var out []fault
	seen := map[string]int{}
	// Labels printed before a value, as "Label: value"; a value that does
	// not end before the next one reads "…services Applies to: …".
	var runOn []*regexp.Regexp
	for _, key := range []string{"ret.applies", "ret.basis", "ret.period", "cat.source", "cat.retention", "cat.items", "ct.hours", "ct.reply", "ct.uses", "cert.level", "cert.issuer"} {
		if l := labels[key]; l != "" && l[0] < 0x80 {
			runOn = append(runOn, regexp.MustCompile(`[\p{Ll}0-9)] `+regexp.QuoteMeta(l)+`:`))
		}
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		n := i + 1
		if i > 0 && leadIn(line) && leadIn(lines[i-1]) && len(strings.Fields(line)) > 2 {
			out = append(out, fault{n, fmt.Sprintf("two lead-ins in a row: %q then %q", clip(lines[i-1]), clip(line))})
		}
		if m := visibleEscape.FindString(line); m != "" {
			out = append(out, fault{n, fmt.Sprintf("visible Markdown escape %q in %q", m, clip(line))})
		}
		if !strings.Contains(line, "://") { // a URL's path may hold anything
			if m := doubledStop.FindString(line); m != "" {
				out = append(out, fault{n, fmt.Sprintf("doubled full stop %q in %q", m, clip(line))})
			}
			if m := doubledSep.FindString(line); m != "" && !strings.Contains(m, "::") {
				out = append(out, fault{n, fmt.Sprintf("doubled punctuation %q in %q", m, clip(line))})
			}
			if m := capitalInBracket.FindString(line); m != "" {
				out = append(out, fault{n, fmt.Sprintf("a label capitalised inside a bracket mid-sentence %q in %q", m, clip(line))})
			}
			if m := bracketsInARow.FindString(line); m != "" {
				out = append(out, fault{n, fmt.Sprintf("two brackets in a row %q in %q", m, clip(line))})
			}
		}
		for _, re := range runOn {
			if m := re.FindString(line); m != "" {
				out = append(out, fault{n, fmt.Sprintf("value runs into the next label %q in %q", m, clip(line))})
			}
		}
		// A sentence of a paragraph said twice in the document. Lines that
		// are list items or cells repeat by design (each activity's flags),
		// so only lines of two sentences or more are compared.
		ends := sentenceEnd.FindAllStringIndex(line, -1)
		if len(ends) < 2 || listMarker.MatchString(line) {
			continue
		}
		start := 0
		for _, e := range ends {
			s := strings.TrimSpace(line[start:e[1]])
			start = e[1]
			if len([]rune(s)) < 25 {
				continue
			}
			if first, ok := seen[s]; ok {
				out = append(out, fault{n, fmt.Sprintf("sentence said again (first in %q): %q", clip(strings.Split(text, "\n")[first-1]), clip(s))})
				continue
			}
			seen[s] = n
		}
	}
	return out
}

func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

func cmarkHTML(t *testing.T, md []byte) string {
	cmark := checkers.Tool(t, "cmark-gfm", "apt-get install -y cmark-gfm")
	cmd := exec.Command(cmark, "-e", "table", "-e", "strikethrough", "-e", "autolink")
	cmd.Stdin = bytes.NewReader(md)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cmark-gfm: %v", err)
	}
	return string(out)
}

// sourceLine finds the line of the file that holds a block's text, by the
// longest run of its leading words found there; 0 when none is found.
func sourceLine(data []byte, block string) int {
	words := strings.Fields(block)
	for n := min(len(words), 4); n > 0; n-- {
		probe := strings.Join(words[:n], " ")
		for i, l := range strings.Split(string(data), "\n") {
			if strings.Contains(l, probe) {
				return i + 1
			}
		}
	}
	return 0
}

// renderPolicy renders every document of a policy directory in every
// locale to Markdown, HTML and PDF.
func renderPolicy(t *testing.T, dir, name string) []output {
	t.Helper()
	p := loadPolicy(t, dir)
	r := render.New()
	var outs []output
	for _, loc := range p.Locales {
		docs, err := r.Compose(p, string(loc), render.Meta{Version: "1"})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			base := name + "/" + d.FileName()
			tree, err := render.Parse(d)
			if err != nil {
				t.Fatal(err)
			}
			var htm, pdf bytes.Buffer
			if err := r.HTML(&htm, tree, render.HTMLOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := r.PDF(&pdf, tree, render.PDFOptions{}); err != nil {
				t.Fatal(err)
			}
			outs = append(outs, output{base + ".md", d, d.Markdown}, output{base + ".html", d, htm.Bytes()}, output{base + ".pdf", d, pdf.Bytes()})
		}
	}
	return outs
}

// leadIn reports whether a block introduces what follows ("… in these cases:").
func leadIn(s string) bool { return strings.HasSuffix(s, ":") || strings.HasSuffix(s, "：") }
