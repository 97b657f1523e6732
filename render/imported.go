package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	hatom "golang.org/x/net/html/atom"
)

// ErrNoPDFText means an imported PDF cannot be read as text here:
// pdftotext (poppler-utils) is not installed.
var ErrNoPDFText = errors.New("reading the text of an imported PDF needs pdftotext: install poppler-utils (apt-get install poppler-utils, brew install poppler)")

// ImportedDoc is the document of a file published before policyc and
// imported as it was (format md, html or pdf), for a redline: its text as
// Markdown, cut into sections at its level-2 headings. A Markdown file is
// taken as it is; an HTML page becomes Markdown of its headings,
// paragraphs, lists, tables and links (scripts, styles and navigation
// left out), its section headings at level 2; a PDF is its text as
// pdftotext reads it, in paragraphs, with the lines that look like
// numbered headings as sections. Each section's id comes from its title,
// so sections of the same title match across versions.
func ImportedDoc(data []byte, format, locale string) (*Doc, error) {
	var md string
	switch format {
	case "md":
		if !utf8.Valid(data) {
			return nil, errors.New("the imported Markdown is not valid UTF-8")
		}
		md = string(data)
	case "html":
		var err error
		if md, err = htmlMarkdown(data); err != nil {
			return nil, err
		}
	case "pdf":
		text, err := PDFText(data)
		if err != nil {
			return nil, err
		}
		md = textMarkdown(text)
	default:
		return nil, fmt.Errorf("cannot read a .%s file as a document: Markdown, HTML or PDF", format)
	}
	md = strings.ToValidUTF8(md, "\uFFFD")
	d := &Doc{Locale: locale, ID: "policy", Markdown: []byte(md), Sections: mdHeadings(md)}
	d.Title = titleOf(headOf(md))
	return d, nil
}

// headOf is what stands before a document's first level-2 heading.
func headOf(md string) string {
	d := &Doc{Markdown: []byte(md)}
	_, _, head := splitSections(d)
	return head
}

// mdHeadings are the level-2 ATX headings of a Markdown text outside code
// fences, as splitSections cuts at them, with ids made from their titles.
func mdHeadings(md string) []Heading {
	var out []Heading
	seen := map[string]int{HeadID: 1, ContentsID: 1}
	inFence := false
	for l := range strings.Lines(md) {
		if strings.HasPrefix(l, "```") || strings.HasPrefix(l, "~~~") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(l, "## ") {
			continue
		}
		title := mdUnescape.ReplaceAllString(strings.TrimSpace(strings.TrimRight(strings.TrimSpace(l[3:]), "#")), "$1")
		id := Slug(title)
		seen[id]++
		if n := seen[id]; n > 1 {
			id += "-" + strconv.Itoa(n)
		}
		out = append(out, Heading{ID: id, Title: title})
	}
	return out
}

// mdUnescape drops the backslash of an escaped punctuation mark.
var mdUnescape = regexp.MustCompile(`\\([!-/:-@\[-` + "`" + `{-~])`)

// pdfTextTimeout bounds how long pdftotext may read one imported PDF: a
// damaged or hostile file must not stall a comparison or a site build.
var pdfTextTimeout = time.Minute

// PDFText is the text of a PDF as pdftotext reads it (in reading order,
// not its layout); ErrNoPDFText when pdftotext is not installed.
func PDFText(data []byte) (string, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", ErrNoPDFText
	}
	dir, err := os.MkdirTemp("", "policyc-pdf-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return "", err
	}
	var out, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), pdfTextTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-enc", "UTF-8", "-q", in, "-")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("pdftotext did not finish reading the imported PDF within %s", pdfTextTimeout)
		}
		return "", fmt.Errorf("pdftotext could not read the imported PDF: %v %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.ToValidUTF8(out.String(), "\uFFFD"), nil
}

// numbered is a line that starts like a numbered heading: "3.", "3.2",
// "A. How we…", "Article 5", "第三条", "一、".
var numbered = regexp.MustCompile(`^([A-Z]\.\s*[A-Z]|\d+(\.\d+)*\.?\s+\S|(Article|Section|Chapter)\s+\d+|第[一二三四五六七八九十百零〇\d]+[条章节部分]|[一二三四五六七八九十]+、)`)

// textMarkdown makes Markdown of a plain text as pdftotext reads a PDF:
// the running heads and feet of its pages left out (a line found on most
// pages, its digits aside: "Page 3 of 19"), paragraphs at blank lines and
// where a line that closes a sentence stops well short of the full
// width, their lines joined; a line that reads as a numbered heading
// (short, no closing punctuation) becomes a level-2 heading. Every other
// word is kept in order, literally.
func textMarkdown(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := pageLines(text)
	width := 0
	for _, l := range lines {
		width = max(width, utf8.RuneCountInString(l))
	}
	var b strings.Builder
	var para []string
	block := func(s string) {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(s)
	}
	flush := func() {
		if para != nil {
			block(mdEscape(joinLines(para)))
			para = nil
		}
	}
	for _, l := range lines {
		switch {
		case l == "":
			flush()
		case isHeadingLine(l):
			flush()
			block("## " + mdEscapeInline(l))
		default:
			para = append(para, l)
			last, _ := utf8.DecodeLastRuneInString(l)
			if strings.ContainsRune(".:;!?。：；！？", last) && utf8.RuneCountInString(l) < width*3/4 {
				flush()
			}
		}
	}
	flush()
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	return b.String()
}

var digitRun = regexp.MustCompile(`[0-9]+`)

// pageLines are a text's lines, trimmed, without the running heads and
// feet of its pages (form feeds part them): a line that, its digits
// aside, stands on more than half of three pages or more. A paragraph a
// page break cuts is joined again.
func pageLines(text string) []string {
	pages := strings.Split(strings.TrimRight(text, "\f\n"), "\f")
	shape := func(l string) string { return digitRun.ReplaceAllString(l, "#") }
	onPages := map[string]int{}
	for _, p := range pages {
		seen := map[string]bool{}
		for l := range strings.Lines(p) {
			if k := shape(strings.TrimSpace(l)); k != "" && !seen[k] {
				seen[k] = true
				onPages[k]++
			}
		}
	}
	var out []string
	for i, p := range pages {
		var kept []string
		for l := range strings.Lines(p) {
			l = strings.TrimSpace(l)
			if len(pages) >= 3 && l != "" && onPages[shape(l)] > len(pages)/2 {
				continue
			}
			kept = append(kept, l)
		}
		for len(kept) > 0 && kept[0] == "" {
			kept = kept[1:]
		}
		for len(kept) > 0 && kept[len(kept)-1] == "" {
			kept = kept[:len(kept)-1]
		}
		if i > 0 && len(kept) > 0 {
			// A new page starts a new paragraph unless its first line
			// goes on with a sentence.
			first, _ := utf8.DecodeRuneInString(kept[0])
			if !unicode.IsLower(first) {
				out = append(out, "")
			}
		}
		out = append(out, kept...)
	}
	return out
}

// joinLines joins the lines of a paragraph: with a space, or with none
// between two Chinese, Japanese or Korean characters.
func joinLines(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(l)
			if !(isCJK(last) && isCJK(first)) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

func isHeadingLine(l string) bool {
	if utf8.RuneCountInString(l) > 80 || len(strings.Fields(l)) > 12 || !numbered.MatchString(l) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(l)
	return !strings.ContainsRune(".,;:。，；：", last)
}

// mdEscape writes text so that Markdown reads it as text: the characters
// that could start emphasis, a link, code or HTML are backslash-escaped,
// and so is what would begin a heading, list, quote or rule at the start
// of a line.
func mdEscape(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '*', '_', '[', ']', '`', '<', '>', '|':
			b.WriteByte('\\')
		case '#', '-', '+', '=', '~':
			if i == 0 {
				b.WriteByte('\\')
			}
		case '.', ')':
			if i > 0 && strings.Trim(s[:i], "0123456789") == "" {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// htmlMarkdown makes Markdown of an HTML page's content.
func htmlMarkdown(data []byte) (string, error) {
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("the imported HTML cannot be read: %w", err)
	}
	c := &htmlConv{}
	c.blocks(root, 0)
	c.flush()
	// The headings that cut the document into sections are those of the
	// highest level that appears more than once (a page's one h1 is its
	// title); they become level 2, the levels above them 1, those below
	// 3 and on.
	count := map[int]int{}
	for _, bl := range c.out {
		if bl.level > 0 {
			count[bl.level]++
		}
	}
	section := 0
	for l := 1; l <= 6; l++ {
		if count[l] > 1 || (count[l] == 1 && section == 0 && l > 1) {
			section = l
			break
		}
	}
	var b strings.Builder
	for _, bl := range c.out {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		if bl.level > 0 {
			lv := 2 + bl.level - section
			if section == 0 || bl.level < section {
				lv = 1
			}
			b.WriteString(strings.Repeat("#", min(lv, 6)) + " " + bl.text)
			continue
		}
		b.WriteString(bl.text)
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	return b.String(), nil
}

type htmlBlock struct {
	level int // a heading's level; 0 for other blocks
	text  string
}

// htmlConv walks an HTML tree and collects its blocks as Markdown.
type htmlConv struct {
	out    []htmlBlock
	inline strings.Builder // the paragraph being collected
	prefix string          // the list or quote prefix of the paragraph
}

// dropped are elements that are not the policy's text.
var dropped = map[hatom.Atom]bool{hatom.Script: true, hatom.Style: true, hatom.Nav: true, hatom.Noscript: true,
	hatom.Template: true, hatom.Svg: true, hatom.Iframe: true, hatom.Head: true, hatom.Button: true, hatom.Form: true, hatom.Select: true}

var headingLevel = map[hatom.Atom]int{hatom.H1: 1, hatom.H2: 2, hatom.H3: 3, hatom.H4: 4, hatom.H5: 5, hatom.H6: 6}

// blockish are elements that start and end a block.
var blockish = map[hatom.Atom]bool{hatom.P: true, hatom.Div: true, hatom.Section: true, hatom.Article: true, hatom.Main: true,
	hatom.Header: true, hatom.Footer: true, hatom.Aside: true, hatom.Body: true, hatom.Html: true, hatom.Address: true,
	hatom.Figure: true, hatom.Figcaption: true, hatom.Dl: true, hatom.Dt: true, hatom.Dd: true, hatom.Fieldset: true,
	hatom.Details: true, hatom.Summary: true, hatom.Caption: true, hatom.Hr: true}

func (c *htmlConv) flush() {
	t := strings.TrimSpace(c.inline.String())
	c.inline.Reset()
	if t != "" {
		c.out = append(c.out, htmlBlock{text: c.prefix + lineStart(t)})
	}
}

// lineStart escapes what would begin a heading, list, quote or rule at
// the start of a paragraph.
func lineStart(t string) string {
	if strings.ContainsRune("#-+=~>", rune(t[0])) {
		return `\` + t
	}
	if d := strings.TrimLeft(t, "0123456789"); d != t && (strings.HasPrefix(d, ".") || strings.HasPrefix(d, ")")) {
		return t[:len(t)-len(d)] + `\` + d
	}
	return t
}

func (c *htmlConv) blocks(n *html.Node, depth int) {
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c.node(k, depth)
	}
}

func (c *htmlConv) node(n *html.Node, depth int) {
	switch n.Type {
	case html.TextNode:
		c.inline.WriteString(importedText(n.Data))
		return
	case html.ElementNode:
	default:
		c.blocks(n, depth)
		return
	}
	a := n.DataAtom
	switch {
	case dropped[a]:
	case headingLevel[a] > 0:
		c.flush()
		if t := strings.TrimSpace(c.inlineOf(n)); t != "" {
			c.out = append(c.out, htmlBlock{level: headingLevel[a], text: t})
		}
	case a == hatom.Ul || a == hatom.Ol:
		c.flush()
		c.list(n, depth)
	case a == hatom.Table:
		c.flush()
		c.table(n)
	case a == hatom.Pre:
		c.flush()
		code := strings.TrimRight(HTMLText(n), "\n")
		c.out = append(c.out, htmlBlock{text: "```\n" + strings.ReplaceAll(code, "```", "ˋˋˋ") + "\n```"})
	case a == hatom.Blockquote:
		c.flush()
		save := c.prefix
		c.prefix = save + "> "
		c.blocks(n, depth)
		c.flush()
		c.prefix = save
	case blockish[a]:
		c.flush()
		c.blocks(n, depth)
		c.flush()
	default:
		c.inline.WriteString(c.inlineOf(n))
	}
}

// list writes a list's items, nested lists indented under their item.
func (c *htmlConv) list(n *html.Node, depth int) {
	i := 0
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != hatom.Li {
			continue
		}
		i++
		marker := "- "
		if n.DataAtom == hatom.Ol {
			marker = strconv.Itoa(i) + ". "
		}
		var text strings.Builder
		var nested []*html.Node
		for k := li.FirstChild; k != nil; k = k.NextSibling {
			if k.Type == html.ElementNode && (k.DataAtom == hatom.Ul || k.DataAtom == hatom.Ol) {
				nested = append(nested, k)
				continue
			}
			text.WriteString(" " + c.inlineOf(k))
		}
		t := strings.Join(strings.Fields(text.String()), " ")
		c.out = append(c.out, htmlBlock{text: c.prefix + strings.Repeat("  ", depth) + marker + t})
		for _, k := range nested {
			c.list(k, depth+1)
		}
	}
}

// table writes a table as a GFM table, its first row the header.
func (c *htmlConv) table(n *html.Node) {
	var rows [][]string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			if k.Type != html.ElementNode {
				continue
			}
			if k.DataAtom == hatom.Tr {
				var row []string
				for cell := k.FirstChild; cell != nil; cell = cell.NextSibling {
					if cell.Type == html.ElementNode && (cell.DataAtom == hatom.Td || cell.DataAtom == hatom.Th) {
						row = append(row, strings.Join(strings.Fields(c.inlineOf(cell)), " "))
					}
				}
				rows = append(rows, row)
				continue
			}
			if k.DataAtom == hatom.Caption {
				c.out = append(c.out, htmlBlock{text: strings.TrimSpace(c.inlineOf(k))})
				continue
			}
			walk(k)
		}
	}
	walk(n)
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	if width == 0 {
		return
	}
	var b strings.Builder
	for i, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat("---|", width) + "\n")
		}
	}
	c.out = append(c.out, htmlBlock{text: c.prefix + strings.TrimSuffix(b.String(), "\n")})
}

// inlineOf is a node's content as inline Markdown: emphasis, code, links
// and line breaks kept, every block inside it read as running text.
func (c *htmlConv) inlineOf(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		return importedText(n.Data)
	case html.ElementNode:
	default:
		return ""
	}
	if dropped[n.DataAtom] {
		return ""
	}
	var in strings.Builder
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		in.WriteString(c.inlineOf(k))
	}
	s := in.String()
	trimmed := strings.TrimSpace(s)
	wrap := func(mark string) string {
		if trimmed == "" {
			return s
		}
		lead := s[:len(s)-len(strings.TrimLeft(s, " "))]
		trail := s[len(strings.TrimRight(s, " ")):]
		return lead + mark + trimmed + mark + trail
	}
	switch n.DataAtom {
	case hatom.Strong, hatom.B:
		return wrap("**")
	case hatom.Em, hatom.I:
		return wrap("*")
	case hatom.Code:
		return "`" + strings.ReplaceAll(HTMLText(n), "`", "ˋ") + "`"
	case hatom.Br:
		return "\\\n"
	case hatom.A:
		href := ""
		for _, at := range n.Attr {
			if at.Key == "href" {
				href = strings.TrimSpace(at.Val)
			}
		}
		if trimmed == "" || href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
			return s
		}
		return "[" + trimmed + "](<" + strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "\n", "").Replace(href) + ">)"
	case hatom.Li, hatom.P, hatom.Div, hatom.Td, hatom.Th, hatom.Tr:
		return " " + s + " "
	}
	return s
}

// importedText is a text node's words, whitespace collapsed, escaped for
// Markdown.
func importedText(s string) string {
	if strings.TrimSpace(s) == "" {
		if s == "" {
			return ""
		}
		return " "
	}
	out := mdEscapeInline(strings.Join(strings.Fields(s), " "))
	if unicode.IsSpace(rune(s[0])) {
		out = " " + out
	}
	if unicode.IsSpace(rune(s[len(s)-1])) {
		out += " "
	}
	return out
}

// mdEscapeInline escapes what could become markup inside a line.
func mdEscapeInline(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "`", "\\`", "<", `\<`, "|", `\|`).Replace(s)
}

// HTMLText is the text under a node of a parsed page, as it stands.
func HTMLText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		b.WriteString(HTMLText(k))
	}
	return b.String()
}

// WholeID is the id of the one section a document is compared as when
// its sections and the other side's do not match (Align).
const WholeID = "text"

// Align returns two cut documents as a redline compares them when one of
// them was imported as published: as they are when they share at least
// half of the sections of the one with fewer; otherwise each as one
// section holding all of its text (what stands before its first section
// too), its headings kept as lines of it, so that the redline compares the words of two texts cut
// differently (a PDF's numbered lines, a page's headings, a model's
// sections) instead of listing every section as removed and added.
func Align(a, b *CutDoc) (*CutDoc, *CutDoc) {
	shared := 0
	for _, h := range b.doc.Sections {
		if _, ok := a.texts[h.ID]; ok {
			shared++
		}
	}
	if shared*2 >= max(1, min(len(a.doc.Sections), len(b.doc.Sections))) {
		return a, b
	}
	return a.whole(), b.whole()
}

// whole is the document as one section.
func (c *CutDoc) whole() *CutDoc {
	parts := []string{c.head}
	for _, h := range c.doc.Sections {
		parts = append(parts, "### "+h.Title, c.texts[h.ID])
	}
	title := c.title
	if title == "" {
		title = c.doc.Title
	}
	d := &Doc{Policy: c.doc.Policy, Locale: c.doc.Locale, ID: c.doc.ID, Title: c.doc.Title, Meta: c.doc.Meta,
		Sections: []Heading{{ID: WholeID, Title: title}}}
	return &CutDoc{doc: d, texts: map[string]string{WholeID: strings.TrimSpace(strings.Join(parts, "\n\n"))}, headings: 1, title: c.title}
}
