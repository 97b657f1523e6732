package render

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"

	"github.com/policyc/policyc/policy"
)

// PageSize is a PDF paper size.
type PageSize int

// Paper sizes.
const (
	A4 PageSize = iota
	Letter
)

// ParsePageSize accepts "A4" and "Letter" (any case).
func ParsePageSize(s string) (PageSize, error) {
	switch strings.ToLower(s) {
	case "a4", "":
		return A4, nil
	case "letter":
		return Letter, nil
	}
	return A4, fmt.Errorf("unknown page size %q (want A4 or Letter)", s)
}

// PDFOptions control the PDF writer.
type PDFOptions struct {
	PageSize PageSize
}

// Typography, in points.
const (
	marginSide   = 62
	marginTop    = 62
	marginBottom = 70
	bodySize     = 10.5
	leading      = 1.45
	paraGap      = 5 // below a paragraph, list or code block
	cellPad      = 4
	listIndent   = 16
)

var headingSize = [7]float64{0, 20, 15, 12.5, 11.5, 10.5, 10.5}

// Font families registered with fpdf. fpdf names an embedded font
// "utf8" + family + style and offers no way to add the subset tag
// ("ABCDEF+") that PDF readers use to know a font is a subset; each family
// starts with "pcq" so that "utf8pcq" (7 bytes) can be replaced after
// output by a tag of the same length, which leaves every offset valid.
// The text family is named for Noto Sans when the bundled faces are used,
// and "Text" when a user's own fonts are, so that a PDF reader never shows
// a font name the document does not use.
const (
	famNoto = "pcqnotosans"
	famText = "pcqtext"
	famMono = "pcqgomono"
	famCJK  = "pcqcjk"
)

// subsetTags maps each embedded font's name to its tagged name.
var subsetTags = func() [][2]string {
	var out [][2]string
	for fam, display := range map[string]string{famNoto: "NotoSans", famText: "Text", famMono: "GoMono", famCJK: "CJK"} {
		if len("utf8"+fam) != len("PCAAAA+"+display) {
			panic("render: subset tag would change the PDF's length")
		}
		for _, st := range []string{"BI", "B", "I", ""} {
			out = append(out, [2]string{"utf8" + fam + st, "+" + display + st})
		}
	}
	// Tags in a fixed order, so the bytes do not depend on map order.
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	for i := range out {
		out[i][1] = "PCAA" + string(rune('A'+i/26)) + string(rune('A'+i%26)) + out[i][1]
	}
	return out
}()

var fontNameRef = regexp.MustCompile(`/utf8pcq[A-Za-z]+`)

// tagSubsets gives every embedded font its subset tag, in place.
func tagSubsets(pdf []byte) []byte {
	return fontNameRef.ReplaceAllFunc(pdf, func(m []byte) []byte {
		for _, t := range subsetTags {
			if string(m[1:]) == t[0] {
				return []byte("/" + t[1])
			}
		}
		return m
	})
}

// PDF writes a tree as a PDF: embedded subset fonts, bookmarks for the
// sections, clickable links and contents, a footer with the title, version
// and page numbers, and fixed metadata so the same input gives the same bytes.
func (r *Renderer) PDF(w io.Writer, t *Tree, opts PDFOptions) error {
	b := r.takeBase(opts.PageSize)
	if b.err != nil {
		return b.err
	}
	fonts, pdf := b.fonts, b.pdf
	stamp := pdfDate(t.Doc)
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetTitle(t.Doc.Title, true)
	pdf.SetAuthor(strings.ToValidUTF8(t.Doc.Policy.Controller.LegalName.Get(t.Doc.Locale), "\uFFFD"), true)
	pdf.SetSubject(t.Doc.Title, true)
	pdf.SetCreator("policyc", true)
	pdf.SetProducer("policyc", true)
	pdf.SetLang(t.Doc.Locale)
	p := &pdfWriter{pdf: pdf, t: t, src: t.Source, latin: b.latin, mono: b.mono, links: map[string]int{},
		widths: map[widthKey]float64{}, files: fonts, latinFam: b.latinFam, added: map[string]bool{b.latinFam: true, b.latinFam + "B": true}}
	p.metrics[0], p.metrics[4] = b.latin, b.mono // regular, mono: see metricsOf
	if needsCJK(t.Source, b.latin) {
		if err := CheckFont(fonts.CJK); err != nil {
			return fmt.Errorf("CJK font: %w", err)
		}
		p.cjk = true
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	labels, err := r.labels(t.Doc.Locale)
	if err != nil {
		return err
	}
	p.pageW, p.pageH = pdf.GetPageSize()
	p.footer(labels)
	pdf.AliasNbPages("{nb}")
	p.registerLinks()
	p.newPage()
	p.blocks(t.Root, 0)
	if p.err != nil {
		return p.err
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return err
	}
	out, err := compressStreams(tagSubsets(buf.Bytes()))
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// pdfDate is the date stamped in the metadata: the release's or the
// policy's updated date, never the clock.
func pdfDate(d *Doc) time.Time {
	updated, effective := d.policyDates()
	if dt := firstDate(d.Meta.Updated, updated, d.Meta.Effective, effective); !dt.IsZero() {
		return dt.Time()
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
}

// policyDates are the policy's own updated and effective dates (none for
// a document imported as published, which has no model).
func (d *Doc) policyDates() (updated, effective policy.Date) {
	if d.Policy == nil {
		return policy.Date{}, policy.Date{}
	}
	return d.Policy.Updated, d.Policy.Effective
}

// pdfBase is what every PDF of a renderer and page size starts from: the
// document set up, and the Latin regular and bold fonts, which every
// document uses, added. fpdf parses a font it adds in full, which is much
// of a short PDF's cost; PreparePDF does it on another core.
type pdfBase struct {
	pdf         *fpdf.Fpdf
	fonts       FontSet
	latinFam    string // famNoto or famText
	latin, mono *fontMetrics
	err         error
}

func (r *Renderer) newBase(size PageSize) *pdfBase {
	b := &pdfBase{fonts: r.fonts.withDefaults(), latinFam: famNoto}
	if r.fonts.Regular != nil || r.fonts.Bold != nil || r.fonts.Italic != nil || r.fonts.BoldItalic != nil {
		b.latinFam = famText
	}
	var err error
	if b.latin, err = metricsFor(b.fonts.Regular); err != nil {
		b.err = fmt.Errorf("regular font: %w", err)
		return b
	}
	if b.mono, err = metricsFor(b.fonts.Mono); err != nil {
		b.err = fmt.Errorf("mono font: %w", err)
		return b
	}
	name := "A4"
	if size == Letter {
		name = "Letter"
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "pt", SizeStr: name})
	pdf.SetMargins(marginSide, marginTop, marginSide)
	pdf.SetAutoPageBreak(false, 0) // we break pages and lines ourselves
	pdf.SetCompression(false)      // compressStreams does it, faster
	pdf.SetCatalogSort(true)
	pdf.AddUTF8FontFromBytes(b.latinFam, "", b.fonts.Regular)
	pdf.AddUTF8FontFromBytes(b.latinFam, "B", b.fonts.Bold)
	b.pdf = pdf
	return b
}

// PreparePDF starts setting up a PDF with these options on another core,
// for a later PDF call to take: a command that will render a PDF calls it
// before it loads the policy, so that the fonts are ready when the
// document is. Each call prepares one PDF; the output is the same whether
// or not a PDF was prepared.
func (r *Renderer) PreparePDF(opts PDFOptions) {
	ch := make(chan *pdfBase, 1)
	r.mu.Lock()
	if r.prepared == nil {
		r.prepared = map[PageSize][]chan *pdfBase{}
	}
	r.prepared[opts.PageSize] = append(r.prepared[opts.PageSize], ch)
	r.mu.Unlock()
	go func() { ch <- r.newBase(opts.PageSize) }()
}

// takeBase returns a prepared base, or makes one.
func (r *Renderer) takeBase(size PageSize) *pdfBase {
	r.mu.Lock()
	if q := r.prepared[size]; len(q) > 0 {
		r.prepared[size] = q[1:]
		r.mu.Unlock()
		return <-q[0]
	}
	r.mu.Unlock()
	return r.newBase(size)
}

func needsCJK(src []byte, latin *fontMetrics) bool {
	for _, r := range string(src) {
		if r > 0x2000 && !latin.has(r) {
			return true
		}
	}
	return false
}

type pdfWriter struct {
	pdf          *fpdf.Fpdf
	t            *Tree
	src          []byte
	latin, mono  *fontMetrics
	metrics      [6]*fontMetrics // by face and style: see metricsOf
	cur          fontSel         // the font selected for drawing
	cjk          bool
	pageW, pageH float64
	y            float64
	links        map[string]int
	widths       map[widthKey]float64
	ascii        [12][128]float64 // rune widths by face and style
	scratch      []atom           // for laying out paragraphs
	join         []byte           // for joining the atoms drawn as one text
	files        FontSet
	latinFam     string          // the text family: famNoto or famText
	added        map[string]bool // fonts registered with fpdf: only those used are embedded
	gap          float64         // the space left below the last thing drawn
	top          bool            // nothing drawn yet on this page
	err          error
}

// fontSel is a font selection: family, style and size.
type fontSel struct {
	family, style string
	size          float64
}

// useFont selects a font for drawing, registering it with fpdf on first
// use: fpdf embeds every registered font, used or not. fpdf writes every
// selection into the page, so a font already selected is not selected again.
func (p *pdfWriter) useFont(family, style string, size float64) {
	sel := fontSel{family, style, size}
	if sel == p.cur {
		return
	}
	key := family + style
	if !p.added[key] {
		var b []byte
		switch key {
		case p.latinFam:
			b = p.files.Regular
		case p.latinFam + "B":
			b = p.files.Bold
		case p.latinFam + "I":
			b = p.files.Italic
		case p.latinFam + "BI":
			b = p.files.BoldItalic
		case famMono:
			b = p.files.Mono
		case famCJK:
			b = p.files.CJK
		}
		p.pdf.AddUTF8FontFromBytes(family, style, b)
		p.added[key] = true
	}
	p.pdf.SetFont(family, style, size)
	p.cur = sel
}

func (p *pdfWriter) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

func (p *pdfWriter) footer(labels map[string]string) {
	left := titleLine(p.t.Doc, labels)
	// "Page %d of %d": the total is fpdf's alias, filled in when the page
	// count is known; the label's last %d stands for it, in any locale.
	pageLabel := labels["page"]
	if i := strings.LastIndex(pageLabel, "%d"); i >= 0 {
		pageLabel = pageLabel[:i] + "{nb}" + pageLabel[i+2:]
	}
	p.pdf.SetFooterFunc(func() {
		y := p.pageH - marginBottom + 28
		page := fmt.Sprintf(pageLabel, p.pdf.PageNo())
		p.pdf.SetTextColor(90, 90, 90)
		p.drawPlain(marginSide, y, 8, left)
		w := p.plainWidth(8, page)
		p.drawPlain(p.pageW-marginSide-w-6, y, 8, page)
		p.pdf.SetTextColor(0, 0, 0)
	})
}

// titleLine is the title and version (or draft) a page's footer or
// header shows.
func titleLine(d *Doc, labels map[string]string) string {
	if d.Meta.Version != "" {
		return d.Title + " · " + labels["version"] + " " + d.Meta.Version
	}
	return d.Title + " · " + labels["draft"]
}

// registerLinks creates a link target for every heading, so that links to
// later sections (the contents) can be drawn before their targets.
func (p *pdfWriter) registerLinks() {
	ast.Walk(p.t.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			if id, ok := h.AttributeString("id"); ok {
				p.links[string(id.([]byte))] = p.pdf.AddLink()
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// space leaves g points below what was drawn last. Consecutive spaces
// collapse to the largest (as CSS margins do), so that a list, a paragraph
// and a heading meeting at one point leave one gap, not their sum; at the
// top of a page no space is left.
func (p *pdfWriter) space(g float64) {
	if p.top || g <= p.gap {
		return
	}
	p.y += g - p.gap
	p.gap = g
}

// drew records that something was drawn at p.y: the next space starts from
// here.
func (p *pdfWriter) drew() { p.gap, p.top = 0, false }

// retract takes back the space left since the last drawing.
func (p *pdfWriter) retract() {
	p.y -= p.gap
	p.gap = 0
}

func (p *pdfWriter) newPage() {
	// fpdf draws the footer, then selects on the new page the font that
	// was selected before.
	cur := p.cur
	p.pdf.AddPage()
	p.cur = cur
	p.y = marginTop
	p.gap, p.top = 0, true
}

func (p *pdfWriter) contentWidth() float64 { return p.pageW - 2*marginSide }

// ensure starts a new page unless h points fit above the bottom margin.
func (p *pdfWriter) ensure(h float64) {
	if p.y+h > p.pageH-marginBottom {
		p.newPage()
	}
}

// blocks lays out the block children of n at an indent.
func (p *pdfWriter) blocks(n ast.Node, indent float64) {
	for c := n.FirstChild(); c != nil && p.err == nil; c = c.NextSibling() {
		p.block(c, indent)
	}
}

func (p *pdfWriter) block(n ast.Node, indent float64) {
	switch n := n.(type) {
	case *ast.Heading:
		p.keepContents(n)
		p.heading(n)
	case *ast.Paragraph, *ast.TextBlock:
		p.paragraph(p.inlines(n, style{}), indent, bodySize)
		p.space(paraGap)
	case *ast.List:
		p.list(n, indent)
		p.space(paraGap)
	case *east.Table:
		p.table(n, indent)
		p.space(8)
	case *ast.ThematicBreak:
		p.space(6)
		p.ensure(2)
		p.pdf.SetDrawColor(180, 180, 180)
		p.pdf.Line(marginSide+indent, p.y, p.pageW-marginSide, p.y)
		p.drew()
		p.space(8)
	case *ast.Blockquote:
		top, page := p.y, p.pdf.PageNo()
		p.blocks(n, indent+14)
		if p.pdf.PageNo() == page {
			p.pdf.SetDrawColor(200, 200, 200)
			p.pdf.SetLineWidth(2)
			p.pdf.Line(marginSide+indent+4, top, marginSide+indent+4, p.y-4)
			p.pdf.SetLineWidth(0.2)
		}
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			b.Write(seg.Value(p.src))
		}
		for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
			p.paragraph([]run{{text: line, st: style{mono: true}}}, indent+8, bodySize-1)
		}
		p.space(paraGap)
	case *ast.HTMLBlock:
		// Not produced from a policy (raw HTML is escaped); keep its text.
		var b strings.Builder
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			b.Write(seg.Value(p.src))
		}
		p.paragraph([]run{{text: b.String()}}, indent, bodySize)
	default:
		p.blocks(n, indent)
	}
}

func (p *pdfWriter) heading(h *ast.Heading) {
	size := headingSize[h.Level]
	lineH := size * 1.3
	p.space(map[int]float64{1: 0, 2: 16, 3: 12, 4: 8}[h.Level])
	// Keep the heading with at least three lines of what follows.
	p.ensure(lineH + 3*bodySize*leading)
	id := ""
	if v, ok := h.AttributeString("id"); ok {
		id = string(v.([]byte))
	}
	if link, ok := p.links[id]; ok {
		p.pdf.SetLink(link, p.y, -1)
	}
	// Sections are bookmarks, and their subheadings below them; headings
	// nested in lists or quotes are not.
	title := plainText(h, p.src)
	if _, top := h.Parent().(*ast.Document); top {
		switch h.Level {
		case 2:
			p.pdf.Bookmark(title, 0, p.y)
		case 3:
			p.pdf.Bookmark(title, 1, p.y)
		}
	}
	p.paragraph(p.inlines(h, style{bold: true}), 0, size)
	if h.Level == 2 {
		p.pdf.SetDrawColor(200, 200, 200)
		p.pdf.Line(marginSide, p.y+2, p.pageW-marginSide, p.y+2)
		p.y += 4
	}
	p.space(4)
}

func (p *pdfWriter) list(l *ast.List, indent float64) {
	n := l.Start
	if n == 0 {
		n = 1
	}
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		marker := "•"
		if l.IsOrdered() {
			marker = fmt.Sprintf("%d.", n)
			n++
		}
		// The marker stands on the item's first line, drawn first so that
		// text extraction reads it before the item.
		p.ensure(bodySize * leading)
		width := float64(listIndent)
		if l.IsOrdered() {
			width = max(listIndent, p.plainWidth(bodySize, marker)+6)
		}
		p.drawPlain(marginSide+indent+2, p.y, bodySize, marker)
		// Every item, and in a tight list every block of an item (its
		// text, a nested list), is followed by the same gap, whatever the
		// block left: the lines of a list are evenly spaced.
		for c := item.FirstChild(); c != nil; c = c.NextSibling() {
			p.block(c, indent+width)
			if l.IsTight || c.NextSibling() == nil {
				p.retract()
				p.space(itemGap(l))
			}
		}
	}
}

// itemGap is the space between the items of a list: a loose list's items
// are paragraphs, a tight list's are lines.
func itemGap(l *ast.List) float64 {
	if l.IsTight {
		return 3
	}
	return paraGap
}

// keepContents starts a new page before the contents heading when the
// contents list would fit on a page of its own but not in what is left of
// this one, so that it is never split between two pages needlessly.
func (p *pdfWriter) keepContents(h *ast.Heading) {
	id, _ := h.AttributeString("id")
	l, ok := h.NextSibling().(*ast.List)
	if b, _ := id.([]byte); string(b) != ContentsID || !ok {
		return
	}
	size := headingSize[h.Level]
	need := size*1.3 + 8 + 16
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		lines := breakLines(p.atoms(p.inlines(item, style{}), bodySize), p.contentWidth()-listIndent, p, bodySize)
		need += float64(len(lines))*bodySize*leading + itemGap(l)
	}
	if need <= p.pageH-marginTop-marginBottom && p.y+need > p.pageH-marginBottom {
		p.newPage()
	}
}

// style is how a run of text is drawn.
type style struct {
	bold, italic, mono bool
	link               string
}

// run is text in one style.
type run struct {
	text string
	st   style
}

// inlines collects the text of n's inline children as styled runs.
func (p *pdfWriter) inlines(n ast.Node, st style) []run {
	var out []run
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			out = append(out, run{text: inlineText(c.Segment.Value(p.src)), st: st})
			if c.HardLineBreak() {
				out = append(out, run{text: "\n", st: st})
			} else if c.SoftLineBreak() {
				out = append(out, run{text: " ", st: st})
			}
		case *ast.String:
			out = append(out, run{text: inlineText(c.Value), st: st})
		case *ast.Emphasis:
			s := st
			if c.Level >= 2 {
				s.bold = true
			} else {
				s.italic = true
			}
			out = append(out, p.inlines(c, s)...)
		case *ast.CodeSpan:
			s := st
			s.mono = true
			out = append(out, run{text: codeSpanText(c, p.src), st: s})
		case *ast.Link:
			s := st
			s.link = string(c.Destination)
			out = append(out, p.inlines(c, s)...)
		case *ast.AutoLink:
			s := st
			s.link = string(c.URL(p.src))
			if c.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(s.link, "mailto:") {
				s.link = "mailto:" + s.link
			}
			out = append(out, run{text: string(c.Label(p.src)), st: s})
		case *ast.RawHTML:
			segs := c.Segments
			for i := range segs.Len() {
				seg := segs.At(i)
				out = append(out, run{text: string(seg.Value(p.src)), st: st})
			}
		default:
			out = append(out, p.inlines(c, st)...)
		}
	}
	return out
}

// codeSpanText is a code span's text, verbatim.
func codeSpanText(c *ast.CodeSpan, src []byte) string {
	var b strings.Builder
	for x := c.FirstChild(); x != nil; x = x.NextSibling() {
		if t, ok := x.(*ast.Text); ok {
			b.Write(t.Segment.Value(src))
		}
	}
	return b.String()
}

// inlineText resolves Markdown escapes and entities, as an HTML renderer would.
func inlineText(b []byte) string {
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	b = util.ResolveEntityNames(b)
	return string(b)
}

// face is one of the embedded fonts.
type face int

const (
	faceLatin face = iota
	faceMono
	faceCJK
)

// atom is an unbreakable piece of text in one style and face.
type atom struct {
	text        string
	st          style
	face        face
	width       float64
	space       bool // a space: dropped at the end of a line
	breakBefore bool // a line may break before this atom
	newline     bool // a hard line break
}

type widthKey struct {
	face face
	bold bool
	ital bool
	r    rune
}

// faceOf picks the font for a rune: the Latin (or mono) font when it has
// the glyph, else the CJK font.
func (p *pdfWriter) faceOf(r rune, st style) face {
	switch {
	case st.mono && p.mono.has(r):
		return faceMono
	case !p.cjk || p.latin.has(r): // without a CJK font, the Latin one draws every rune
		return faceLatin
	}
	return faceCJK
}

func (p *pdfWriter) setFont(f face, st style, size float64) {
	switch f {
	case faceMono:
		p.useFont(famMono, "", size)
	case faceCJK:
		p.useFont(famCJK, "", size)
	default:
		s := ""
		if st.bold {
			s += "B"
		}
		if st.italic {
			s += "I"
		}
		p.useFont(p.latinFam, s, size)
	}
}

// runeWidth is the advance of a rune at size 1, cached (ASCII in arrays).
func (p *pdfWriter) runeWidth(f face, st style, r rune) float64 {
	bold, ital := st.bold && f == faceLatin, st.italic && f == faceLatin
	var ascii *[128]float64
	if r < 128 {
		slot := int(f)*4 + b2i(bold)*2 + b2i(ital)
		ascii = &p.ascii[slot]
		if w := ascii[r]; w > 0 {
			return w
		}
	}
	k := widthKey{f, bold, ital, r}
	if w, ok := p.widths[k]; ok {
		return w
	}
	m := p.metricsOf(f, bold, ital)
	if m == nil {
		return 0
	}
	w := float64(m.units(r)) / 1000
	p.widths[k] = w
	if ascii != nil && w > 0 {
		ascii[r] = w
	}
	return w
}

// metricsOf returns the metrics of the font a face and style draw with,
// read on first use.
func (p *pdfWriter) metricsOf(f face, bold, ital bool) *fontMetrics {
	i := 3 + int(f) // faceMono 4, faceCJK 5
	if f == faceLatin {
		i = b2i(bold)*2 + b2i(ital) // 0 to 3
	}
	if m := p.metrics[i]; m != nil {
		return m
	}
	var b []byte
	name := ""
	switch i {
	case 0:
		b, name = p.files.Regular, "regular"
	case 1:
		b, name = p.files.Italic, "italic"
	case 2:
		b, name = p.files.Bold, "bold"
	case 3:
		b, name = p.files.BoldItalic, "bold italic"
	case 4:
		b, name = p.files.Mono, "mono"
	default:
		b, name = p.files.CJK, "CJK"
	}
	m, err := metricsFor(b)
	if err != nil {
		p.fail(fmt.Errorf("%s font: %w", name, err))
		return nil
	}
	p.metrics[i] = m
	return m
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (p *pdfWriter) textWidth(f face, st style, size float64, s string) float64 {
	w := 0.0
	for _, r := range s {
		w += p.runeWidth(f, st, r)
	}
	return w * size
}

// CJK punctuation that must not begin a line, and that must not end one
// (kinsoku shori).
const (
	noLineStart = "，。、；：？！）》」』】〕〉”’…·—．,.;:?!)]}%"
	noLineEnd   = "（《「『【〔〈“‘([{"
)

func isCJK(r rune) bool {
	if r < 0x1100 { // below Hangul Jamo, the first of these scripts
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef
}

// atoms splits runs into atoms. A line may break after a space, and around
// every CJK character except where kinsoku forbids it. Atom texts are
// slices of the run texts, so splitting allocates only the atoms.
func (p *pdfWriter) atoms(runs []run, size float64) []atom {
	return p.appendAtoms(make([]atom, 0, 64), runs, size)
}

// appendAtoms is atoms appending to out.
func (p *pdfWriter) appendAtoms(out []atom, runs []run, size float64) []atom {
	prevCJK, prevSpace := false, true
	for _, rn := range runs {
		cur := -1 // index in out of the atom being extended
		start := 0
		// A web address may break after its separators, as browsers
		// break it, so that a long one does not set a table column's width.
		url, prevSep := false, false
		for i, r := range rn.text {
			if prevSpace || i == 0 {
				rest := rn.text[i:]
				url = strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "http://")
			}
			switch r {
			case '\n':
				out = append(out, atom{newline: true, breakBefore: true})
				prevSpace, prevCJK, cur = true, false, -1
				continue
			case ' ', '\t':
				out = append(out, atom{text: " ", st: rn.st, face: faceLatin, width: p.runeWidth(faceLatin, rn.st, ' ') * size, space: true})
				prevSpace, prevCJK, cur = true, false, -1
				continue
			}
			if r > 0xffff {
				// fpdf maps glyphs for the Basic Multilingual Plane only and
				// fails beyond it (emoji, CJK Extension B): such a character
				// is drawn as U+FFFD.
				w := p.runeWidth(p.faceOf(0xfffd, rn.st), rn.st, 0xfffd) * size
				out = append(out, atom{text: "\ufffd", st: rn.st, face: p.faceOf(0xfffd, rn.st), width: w, breakBefore: true})
				prevSpace, prevCJK, cur = false, true, -1
				continue
			}
			f := p.faceOf(r, rn.st)
			cjk := r >= 0x2e80 && isCJK(r)
			brk := prevSpace || cjk || prevCJK
			if r < 0x80 && strings.IndexByte(",.;:?!)]}%", byte(r)) >= 0 || r >= 0x80 && strings.ContainsRune(noLineStart, r) {
				brk = prevSpace
			}
			if n := len(out); n > 0 && !out[n-1].space && !out[n-1].newline && opensLine(lastRune(out[n-1].text)) {
				brk = false
			}
			sep := url && strings.ContainsRune("/.?&=-_#", r)
			if url && prevSep && !sep {
				brk = true
			}
			prevSep = sep
			w := p.runeWidth(f, rn.st, r) * size
			_, n := utf8.DecodeRuneInString(rn.text[i:]) // an invalid byte is one byte wide
			if cur >= 0 && !brk && out[cur].face == f {
				out[cur].text = rn.text[start : i+n]
				out[cur].width += w
			} else {
				start = i
				out = append(out, atom{text: rn.text[i : i+n], st: rn.st, face: f, width: w, breakBefore: brk})
				cur = len(out) - 1
			}
			prevCJK, prevSpace = cjk, false
		}
	}
	return out
}

// opensLine reports whether r must not end a line (opening brackets and quotes).
func opensLine(r rune) bool {
	if r < 0x80 {
		return r == '(' || r == '[' || r == '{'
	}
	return strings.ContainsRune(noLineEnd, r)
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// lineOf is one laid-out line.
type lineOf []atom

// breakLines fills lines greedily to width. A group of atoms with no break
// opportunity between them moves to the next line whole; a group wider than
// a line is split between characters. Lines are slices of atoms where they
// can be (most are), so that laying out a paragraph copies nothing.
func breakLines(atoms []atom, width float64, p *pdfWriter, size float64) []lineOf {
	var lines []lineOf
	var line lineOf
	from := -1 // line is atoms[from:from+len(line)] when from >= 0
	lw := 0.0
	endLine := func() {
		for len(line) > 0 && line[len(line)-1].space {
			line = line[:len(line)-1]
		}
		lines = append(lines, line)
		line, lw, from = nil, 0, -1
	}
	// add puts atoms[i:j] at the end of the line.
	add := func(i, j int) {
		switch {
		case len(line) == 0:
			line, from = atoms[i:j:j], i
		case from >= 0 && from+len(line) == i:
			line = atoms[from:j:j]
		default:
			line, from = append(line, atoms[i:j]...), -1
		}
	}
	for i := 0; i < len(atoms); {
		// The group: atoms[i:j], joined where no break is allowed.
		j := i + 1
		for j < len(atoms) && !(atoms[j].breakBefore || atoms[j].space || atoms[i].space || atoms[j].newline) {
			j++
		}
		g := atoms[i:j]
		gi := i
		i = j
		if g[0].newline {
			endLine()
			continue
		}
		gw := 0.0
		for _, a := range g {
			gw += a.width
		}
		if g[0].space {
			if len(line) > 0 {
				add(gi, j)
				lw += gw
			}
			continue
		}
		if lw+gw <= width+0.01 {
			add(gi, j)
			lw += gw
			continue
		}
		if len(line) > 0 {
			endLine()
		}
		if gw <= width+0.01 {
			add(gi, j)
			lw = gw
			continue
		}
		// Too wide for any line: split between characters.
		for _, a := range g {
			for _, r := range a.text {
				rw := p.textWidth(a.face, a.st, size, string(r))
				if lw+rw > width+0.01 && len(line) > 0 {
					endLine()
				}
				if n := len(line); n > 0 && from < 0 && line[n-1].face == a.face && line[n-1].st == a.st && !line[n-1].space {
					line[n-1].text += string(r)
					line[n-1].width += rw
				} else {
					line, from = append(line, atom{text: string(r), st: a.st, face: a.face, width: rw}), -1
				}
				lw += rw
			}
		}
	}
	if len(line) > 0 {
		endLine()
	}
	return lines
}

// paragraph lays out runs at an indent, breaking pages as needed.
func (p *pdfWriter) paragraph(runs []run, indent, size float64) {
	width := p.contentWidth() - indent
	lineH := size * leading
	// The atoms go into the writer's scratch buffer, taken while in use (a
	// page break in between may lay out a footer).
	buf := p.scratch
	p.scratch = nil
	atoms := p.appendAtoms(buf[:0], runs, size)
	for _, line := range breakLines(atoms, width, p, size) {
		p.ensure(lineH)
		p.drawLine(line, marginSide+indent, p.y, size, lineH)
		p.y += lineH
		p.drew()
	}
	p.scratch = atoms[:0]
}

// drawLine draws a line's atoms, merging neighbours of the same style into
// one string so text extraction sees whole words and spaces.
func (p *pdfWriter) drawLine(line lineOf, x, y, size, lineH float64) {
	for i := 0; i < len(line); {
		j := i + 1
		w := line[i].width
		for j < len(line) && line[j].st == line[i].st && (line[j].face == line[i].face || line[j].space) && !(line[j].space && j+1 < len(line) && line[j+1].face != line[i].face) {
			w += line[j].width
			j++
		}
		text := line[i].text
		if j > i+1 {
			// One string for the merged atoms, built in a reused buffer.
			b := p.join[:0]
			for _, a := range line[i:j] {
				b = append(b, a.text...)
			}
			text, p.join = string(b), b
		}
		p.drawText(x, y, w, lineH, size, line[i].face, line[i].st, text)
		x += w
		i = j
	}
}

// drawnHook, set by tests, sees every text drawn with its face, style and size.
var drawnHook func(p *pdfWriter, f face, st style, size float64, text string)

func (p *pdfWriter) drawText(x, y, w, h, size float64, f face, st style, text string) {
	if drawnHook != nil {
		drawnHook(p, f, st, size, text)
	}
	p.setFont(f, st, size)
	link, linkStr := 0, ""
	if st.link != "" {
		if strings.HasPrefix(st.link, "#") {
			link = p.links[st.link[1:]]
		} else if h, ok := linkHref([]byte(st.link)); ok && strings.Contains(h, ":") {
			linkStr = h
		}
	}
	if link != 0 || linkStr != "" {
		p.pdf.SetTextColor(11, 92, 173)
	}
	fakeBold := st.bold && f == faceCJK
	if fakeBold {
		// No bold CJK face: fill and stroke the glyphs, so the text is
		// drawn once and extracts once.
		p.pdf.SetDrawColor(0, 0, 0)
		if link != 0 || linkStr != "" {
			p.pdf.SetDrawColor(11, 92, 173)
		}
		p.pdf.SetLineWidth(size * 0.035)
		p.pdf.SetTextRenderingMode(2)
	}
	p.pdf.SetXY(x, y)
	p.pdf.CellFormat(w, h, text, "", 0, "LM", false, link, linkStr)
	if fakeBold {
		p.pdf.SetTextRenderingMode(0)
		p.pdf.SetLineWidth(0.2)
	}
	if link != 0 || linkStr != "" {
		p.pdf.SetTextColor(0, 0, 0)
	}
}

// drawPlain draws a short text (markers, footer) with font fallback.
func (p *pdfWriter) drawPlain(x, y, size float64, s string) {
	atoms := p.atoms([]run{{text: s}}, size)
	p.drawLine(atoms, x, y, size, size*leading)
}

func (p *pdfWriter) plainWidth(size float64, s string) float64 {
	w := 0.0
	for _, a := range p.atoms([]run{{text: s}}, size) {
		w += a.width
	}
	return w
}
