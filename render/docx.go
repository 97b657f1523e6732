package render

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/policyc/policyc/policy"
)

// The Word writer writes WordprocessingML (ECMA-376 Part 1) with
// archive/zip and hand-written XML: the Go libraries for DOCX are young,
// copyleft or unmaintained, and none writes tracked changes, which a
// redline needs. Element order inside each element follows the schema's
// sequences, which Word enforces (a w:pPr first in its w:p, a w:rPr first
// in its w:r, w:tblPr and w:tblGrid first in a w:tbl, w:sectPr last in the
// body).

// DOCXOptions control the Word writer.
type DOCXOptions struct {
	PageSize PageSize
}

// Fonts are named, not embedded: Word and LibreOffice use them when
// installed and otherwise substitute by the fontTable's alternative names
// and families (Noto Sans → Arial, a sans serif; Noto Sans CJK → the
// system's CJK sans serif, Microsoft YaHei on Windows).
const (
	docxLatinFont = "Noto Sans"
	docxMonoFont  = "Noto Sans Mono"
	docxCJKFont   = "Noto Sans CJK SC"
	docxCJKFontTC = "Noto Sans CJK TC"
)

// revision marks what a run or a paragraph mark holds as a tracked change:
// inserted (w:ins) or deleted (w:del), by an author at a date.
type revision struct {
	deleted bool
	author  string
	date    time.Time
}

// runStyle is how a run of text is set.
type runStyle struct {
	bold, italic, mono, strike bool
	charStyle                  string // a character style id, such as "Hyperlink"
}

// paraProps are the properties of one paragraph.
type paraProps struct {
	style    string
	numID    int // list numbering instance, 0 for none
	ilvl     int
	indent   int // left indent in twips, without numbering
	border   bool
	jc       string
	bookmark string // a bookmark around the paragraph's text
	rev      *revision
	// restyled marks a paragraph set otherwise than before, a tracked
	// change of its properties (by its author, at its date): was is how.
	restyled  *revision
	was       *paraProps
	rawPrefix string // field characters written before the paragraph's runs
	rawSuffix string // and after them
}

// docxWriter writes the body of a document and gathers what its other
// parts need: the hyperlinks' relationships and the lists' numbering.
type docxWriter struct {
	t      *Tree
	src    []byte
	body   bytes.Buffer
	loc    string
	cjkLoc string // the w:lang of Chinese text
	cjk    string // the East Asian font

	rels     []string // external hyperlink targets, rId = docxFixedRels+1+index
	relOf    map[string]int
	headings map[string]bool // the ids of the document's headings
	nums     []docxNum       // numbering instances, numId = index+1
	bullets  int             // the bullet lists' shared instance, 0 until used
	marks    int             // bookmark ids
	revs     int             // revision ids
	width    int             // text width in twips
	err      error

	// model is the document's blocks in order, as the block functions
	// build them; emit writes them. A redline builds two models and
	// writes one of merged blocks.
	model []docxBlock
}

// docxBlock is a paragraph, or a table when table is set.
type docxBlock struct {
	p     paraProps
	runs  []docxRun
	table *docxTable
}

// docxTable is a table: its geometry and its rows.
type docxTable struct {
	width, indent, col int
	align              []east.Alignment
	rows               []docxRow
}

// docxRow is a table row: one paragraph per cell; rev marks the row
// itself as inserted or deleted.
type docxRow struct {
	header bool
	rev    *revision
	cells  []docxBlock
}

// docxNum is a numbering instance: a list's format, and where it starts.
type docxNum struct {
	ordered bool
	ilvl    int
	start   int
}

// DOCX writes a tree as a Word document: styles for the title, headings,
// lists, tables and quotes, a table of contents field, bookmarks for every
// heading, a header and footer with the title, the version and page
// numbers, and core properties dated from the policy, never the clock, so
// the same input gives the same bytes.
func (r *Renderer) DOCX(w io.Writer, t *Tree, opts DOCXOptions) error {
	labels, err := r.labels(t.Doc.Locale)
	if err != nil {
		return err
	}
	d := newDocxWriter(t, opts)
	d.blocks(t.Root, blockCtx{})
	d.emit(d.model)
	return d.pack(w, labels, opts)
}

func newDocxWriter(t *Tree, opts DOCXOptions) *docxWriter {
	d := &docxWriter{t: t, src: t.Source, loc: t.Doc.Locale, relOf: map[string]int{}, cjkLoc: "zh-CN", cjk: docxCJKFont}
	if l := strings.ToLower(t.Doc.Locale); strings.HasPrefix(l, "zh-tw") || strings.HasPrefix(l, "zh-hk") || strings.HasPrefix(l, "zh-hant") {
		d.cjkLoc, d.cjk = t.Doc.Locale, docxCJKFontTC
	}
	d.headings = map[string]bool{}
	ast.Walk(t.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			if id, ok := h.AttributeString("id"); ok {
				d.headings[string(id.([]byte))] = true
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// The body's XML is some eight times its Markdown.
	d.body.Grow(8 * len(t.Source))
	w, _ := pageTwips(opts.PageSize)
	d.width = w - 2*docxMarginSide
	return d
}

// Page geometry in twips (1/20 point), the same margins as the PDF's.
const (
	docxMarginSide   = marginSide * 20
	docxMarginTop    = marginTop * 20
	docxMarginBottom = marginBottom * 20
)

func pageTwips(s PageSize) (w, h int) {
	if s == Letter {
		return 12240, 15840
	}
	return 11906, 16838
}

// blockCtx is where a block stands: in a list item, in a quote.
type blockCtx struct {
	depth  int // list nesting
	indent int // twips, for blocks continuing a list item
	quote  bool
	// first is the numbering of a list item's first paragraph; the item's
	// later paragraphs only keep its indent.
	first *paraProps
}

// blocks writes the block children of n.
func (d *docxWriter) blocks(n ast.Node, ctx blockCtx) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		d.block(c, ctx)
		ctx.first = nil
	}
}

// block writes one block node: one function per node kind.
func (d *docxWriter) block(n ast.Node, ctx blockCtx) {
	switch n := n.(type) {
	case *ast.Heading:
		d.heading(n, ctx)
	case *ast.Paragraph:
		d.paragraph(n, ctx)
	case *ast.TextBlock:
		d.paragraph(n, ctx)
	case *ast.List:
		if isContentsList(n) {
			d.contents(n)
			return
		}
		d.list(n, ctx)
	case *east.Table:
		d.table(n, ctx)
	case *ast.ThematicBreak:
		d.thematicBreak(ctx)
	case *ast.Blockquote:
		d.blockquote(n, ctx)
	case *ast.CodeBlock:
		d.codeBlock(n, ctx)
	case *ast.FencedCodeBlock:
		d.codeBlock(n, ctx)
	case *ast.HTMLBlock:
		// Raw HTML is never written: none comes from a policy (the
		// Markdown writer escapes it), as in the HTML writer.
	default:
		d.blocks(n, ctx)
	}
}

// props are a block's paragraph properties in its context.
func (ctx blockCtx) props(style string) paraProps {
	if ctx.first != nil {
		return *ctx.first
	}
	p := paraProps{style: style, indent: ctx.indent}
	if ctx.quote && style == "" {
		p.style = "Quote"
	}
	return p
}

// headingStyle maps Markdown heading levels to Word styles: the title,
// then Heading 1–3, whose outline levels Word's navigation pane and the
// table of contents read.
func headingStyle(level int) string {
	switch level {
	case 1:
		return "Title"
	case 2:
		return "Heading1"
	case 3:
		return "Heading2"
	}
	return "Heading3"
}

func (d *docxWriter) heading(h *ast.Heading, ctx blockCtx) {
	p := ctx.props(headingStyle(h.Level))
	p.style = headingStyle(h.Level)
	if v, ok := h.AttributeString("id"); ok {
		p.bookmark = bookmarkName(string(v.([]byte)))
	}
	d.add(p, d.inlines(h, runStyle{}))
}

func (d *docxWriter) paragraph(n ast.Node, ctx blockCtx) {
	d.add(ctx.props(""), d.inlines(n, runStyle{}))
}

// isContentsList is the list under the contents heading.
func isContentsList(l *ast.List) bool {
	h, ok := l.PreviousSibling().(*ast.Heading)
	if !ok {
		return false
	}
	id, _ := h.AttributeString("id")
	b, _ := id.([]byte)
	return string(b) == ContentsID
}

// contents writes the contents list as a TOC field whose last result is
// the list itself, links to the headings' bookmarks: Word shows it as is
// and can update it (with page numbers) from the Heading styles.
func (d *docxWriter) contents(l *ast.List) {
	var items []ast.Node
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		items = append(items, it)
	}
	if len(items) == 0 {
		return
	}
	for i, it := range items {
		p := paraProps{style: "TOC1"}
		if i == 0 {
			p.rawPrefix = `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-3" \h \z \u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`
		}
		if i == len(items)-1 {
			p.rawSuffix = `<w:r><w:fldChar w:fldCharType="end"/></w:r>`
		}
		var runs []docxRun
		for c := it.FirstChild(); c != nil; c = c.NextSibling() {
			runs = append(runs, d.inlines(c, runStyle{})...)
		}
		d.add(p, runs)
	}
}

// list writes each item's first paragraph numbered, by the list's own
// numbering instance (an ordered list restarts at its start number), and
// its other blocks indented beneath.
func (d *docxWriter) list(l *ast.List, ctx blockCtx) {
	ilvl := min(ctx.depth, 8)
	style := "ListBullet"
	var numID int
	if l.IsOrdered() {
		style = "ListNumber"
		start := l.Start
		if start == 0 {
			start = 1
		}
		d.nums = append(d.nums, docxNum{ordered: true, ilvl: ilvl, start: start})
		numID = len(d.nums)
	} else {
		if d.bullets == 0 {
			d.nums = append(d.nums, docxNum{})
			d.bullets = len(d.nums)
		}
		numID = d.bullets
	}
	inner := blockCtx{depth: ctx.depth + 1, indent: 360 * (ilvl + 1), quote: ctx.quote}
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		c := inner
		c.first = &paraProps{style: style, numID: numID, ilvl: ilvl}
		if _, ok := item.FirstChild().(*ast.List); ok || item.FirstChild() == nil {
			// An item without text of its own still shows its marker.
			d.add(*c.first, nil)
			c.first = nil
		}
		d.blocks(item, c)
	}
}

// table adds a table in the policy's table style, its header row
// repeated at the top of every page it reaches.
func (d *docxWriter) table(t *east.Table, ctx blockCtx) {
	ncol := len(t.Alignments)
	if ncol == 0 {
		return
	}
	width := d.width - ctx.indent
	tb := &docxTable{width: width, indent: ctx.indent, col: width / ncol, align: t.Alignments}
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		_, header := r.(*east.TableHeader)
		row := docxRow{header: header}
		i := 0
		for c := r.FirstChild(); c != nil && i < ncol; c = c.NextSibling() {
			row.cells = append(row.cells, d.tableCell(c, header, t.Alignments[i]))
			i++
		}
		// A row shorter than the header still fills the grid.
		for ; i < ncol; i++ {
			row.cells = append(row.cells, d.tableCell(nil, header, t.Alignments[i]))
		}
		tb.rows = append(tb.rows, row)
	}
	d.model = append(d.model, docxBlock{table: tb})
	// Two tables in a row would merge into one: a paragraph keeps them
	// apart, and ends a cell or the body properly.
	d.add(paraProps{style: "TableGap"}, nil)
}

func (d *docxWriter) tableCell(c ast.Node, header bool, align east.Alignment) docxBlock {
	p := paraProps{style: "TableText"}
	switch align {
	case east.AlignCenter:
		p.jc = "center"
	case east.AlignRight:
		p.jc = "right"
	}
	var runs []docxRun
	if c != nil {
		runs = d.inlines(c, runStyle{bold: header})
	}
	return docxBlock{p: p, runs: runs}
}

// emitTable writes a table: w:tblPr and w:tblGrid first, then the rows,
// an inserted or deleted row marked so in its w:trPr.
func (d *docxWriter) emitTable(tb *docxTable) {
	b := &d.body
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="PolicyTable"/><w:tblW w:w="` + strconv.Itoa(tb.width) + `" w:type="dxa"/>`)
	if tb.indent > 0 {
		b.WriteString(`<w:tblInd w:w="` + strconv.Itoa(tb.indent) + `" w:type="dxa"/>`)
	}
	b.WriteString(`<w:tblLayout w:type="autofit"/><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for range tb.align {
		b.WriteString(`<w:gridCol w:w="` + strconv.Itoa(tb.col) + `"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	for _, r := range tb.rows {
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
		if r.header {
			b.WriteString(`<w:tblHeader/>`)
		}
		if r.rev != nil {
			d.revTag(r.rev, true)
		}
		b.WriteString(`</w:trPr>`)
		for _, c := range r.cells {
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(tb.col) + `" w:type="dxa"/></w:tcPr>`)
			d.para(c.p, c.runs)
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
}

func (d *docxWriter) thematicBreak(ctx blockCtx) {
	p := ctx.props("")
	p.border = true
	d.add(p, nil)
}

func (d *docxWriter) blockquote(n *ast.Blockquote, ctx blockCtx) {
	c := ctx
	c.quote = true
	d.blocks(n, c)
}

// codeBlock writes the block's lines in one paragraph, a line break
// between them.
func (d *docxWriter) codeBlock(n ast.Node, ctx blockCtx) {
	var b strings.Builder
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		b.Write(seg.Value(d.src))
	}
	p := ctx.props("Code")
	if ctx.first == nil {
		p.style = "Code"
	}
	d.add(p, []docxRun{{text: strings.TrimRight(b.String(), "\n"), st: runStyle{mono: true}}})
}

// docxRun is text in one style, perhaps a link, perhaps an inserted or
// deleted revision.
type docxRun struct {
	text string
	st   runStyle
	link docxLink
	rev  *revision
	// restyled marks a run set otherwise than before, a tracked
	// formatting change (by its author, at its date): was is how.
	restyled *revision
	was      runStyle
}

// docxLink is where a run links to: a bookmark in this document, or a
// relationship to a target outside it (another document, perhaps at a
// bookmark).
type docxLink struct {
	rel    int // 1-based index in rels, 0 for none
	anchor string
}

func (l docxLink) none() bool { return l.rel == 0 && l.anchor == "" }

// inlines collects n's inline children as runs: one case per node kind.
func (d *docxWriter) inlines(n ast.Node, st runStyle) []docxRun {
	return d.appendInlines(nil, n, st, docxLink{})
}

func (d *docxWriter) appendInlines(out []docxRun, n ast.Node, st runStyle, link docxLink) []docxRun {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			out = addRun(out, docxRun{text: inlineText(c.Segment.Value(d.src)), st: st, link: link})
			if c.HardLineBreak() {
				out = addRun(out, docxRun{text: "\n", st: st, link: link})
			} else if c.SoftLineBreak() {
				out = addRun(out, docxRun{text: " ", st: st, link: link})
			}
		case *ast.String:
			out = addRun(out, docxRun{text: inlineText(c.Value), st: st, link: link})
		case *ast.Emphasis:
			s := st
			if c.Level >= 2 {
				s.bold = true
			} else {
				s.italic = true
			}
			out = d.appendInlines(out, c, s, link)
		case *east.Strikethrough:
			s := st
			s.strike = true
			out = d.appendInlines(out, c, s, link)
		case *ast.CodeSpan:
			s := st
			s.mono = true
			out = append(out, docxRun{text: codeSpanText(c, d.src), st: s, link: link})
		case *ast.Link:
			l, ok := d.linkTo(string(c.Destination))
			s := st
			if ok {
				s.charStyle = "Hyperlink"
			} else {
				l = link
			}
			out = d.appendInlines(out, c, s, l)
		case *ast.AutoLink:
			href, ok := autolinkHref(c, d.src)
			l, s := link, st
			if ok {
				l = d.external(href, "")
				s.charStyle = "Hyperlink"
			}
			out = append(out, docxRun{text: string(c.Label(d.src)), st: s, link: l})
		case *ast.RawHTML:
			// Never written, as in the HTML writer.
		default:
			out = d.appendInlines(out, c, st, link)
		}
	}
	return out
}

// addRun appends a run, joined to the last one when they look and link
// alike, so that a line of source is not several runs.
func addRun(out []docxRun, r docxRun) []docxRun {
	if n := len(out); n > 0 && out[n-1].st == r.st && out[n-1].link == r.link && out[n-1].rev == r.rev && out[n-1].restyled == r.restyled && out[n-1].was == r.was {
		out[n-1].text += r.text
		return out
	}
	return append(out, r)
}

// linkTo resolves a Markdown link destination: "#id" is a bookmark here,
// "doc.en.md#id" the Word file of that document, anything else an
// external target, if policy.SafeLink, the site's one judge of links,
// allows it.
func (d *docxWriter) linkTo(dest string) (docxLink, bool) {
	if dest == "" || !policy.SafeLink(dest) {
		// An empty destination is the document itself: nothing to link.
		return docxLink{}, false
	}
	if strings.HasPrefix(dest, "#") {
		// A link to a heading that does not exist stays text: Word
		// would offer a link that goes nowhere.
		id := dest[1:]
		if u, err := url.PathUnescape(id); err == nil && !d.headings[id] {
			id = u
		}
		if !d.headings[id] {
			return docxLink{}, false
		}
		return docxLink{anchor: bookmarkName(id)}, true
	}
	if m := mdLink.FindStringSubmatch(dest); m != nil {
		anchor := ""
		if len(m[2]) > 1 {
			anchor = bookmarkName(m[2][1:])
		}
		return d.external(m[1]+".docx", anchor), true
	}
	href, ok := linkHref([]byte(dest))
	if !ok {
		return docxLink{}, false
	}
	return d.external(href, ""), true
}

// external gives a target its relationship, one per target.
func (d *docxWriter) external(target, anchor string) docxLink {
	i, ok := d.relOf[target]
	if !ok {
		d.rels = append(d.rels, target)
		i = len(d.rels)
		d.relOf[target] = i
	}
	return docxLink{rel: i, anchor: anchor}
}

// bookmarkName is the bookmark of a heading id: the id itself, or, past
// the 40 characters Word keeps, its start and a hash of the whole, so that
// names stay distinct.
func bookmarkName(id string) string {
	if utf8.RuneCountInString(id) <= 40 {
		return id
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return string([]rune(id)[:31]) + fmt.Sprintf("_%08x", h.Sum32())
}

// relID is the relationship id of a hyperlink target.
func relID(i int) string { return "rId" + strconv.Itoa(docxFixedRels+i) }

// add adds a paragraph to the model.
func (d *docxWriter) add(p paraProps, runs []docxRun) {
	d.model = append(d.model, docxBlock{p: p, runs: runs})
}

// emit writes blocks to the body.
func (d *docxWriter) emit(blocks []docxBlock) {
	for _, bl := range blocks {
		if bl.table != nil {
			d.emitTable(bl.table)
		} else {
			d.para(bl.p, bl.runs)
		}
	}
}

// para writes a paragraph of runs.
func (d *docxWriter) para(p paraProps, runs []docxRun) {
	b := &d.body
	b.WriteString(`<w:p>`)
	d.pPr(p)
	b.WriteString(p.rawPrefix)
	mark := 0
	if p.bookmark != "" {
		d.marks++
		mark = d.marks
		b.WriteString(`<w:bookmarkStart w:id="` + strconv.Itoa(mark) + `" w:name="` + xmlAttr(p.bookmark) + `"/>`)
	}
	d.runs(runs, p.rev)
	if mark != 0 {
		b.WriteString(`<w:bookmarkEnd w:id="` + strconv.Itoa(mark) + `"/>`)
	}
	b.WriteString(p.rawSuffix)
	b.WriteString(`</w:p>`)
}

// pPr writes paragraph properties in the schema's order: pStyle, numPr,
// pBdr, ind, jc, then the paragraph mark's rPr.
func (d *docxWriter) pPr(p paraProps) {
	if p.style == "" && p.numID == 0 && p.indent == 0 && !p.border && p.jc == "" && p.rev == nil && p.restyled == nil {
		return
	}
	b := &d.body
	b.WriteString(`<w:pPr>`)
	d.pProps(p)
	if p.rev != nil {
		// The paragraph mark itself is inserted or deleted, so that
		// accepting or rejecting joins the paragraph as it should.
		b.WriteString(`<w:rPr>`)
		d.revTag(p.rev, true)
		b.WriteString(`</w:rPr>`)
	}
	if p.restyled != nil {
		d.revOpen("w:pPrChange", p.restyled)
		b.WriteString(`><w:pPr>`)
		d.pProps(*p.was)
		b.WriteString(`</w:pPr></w:pPrChange>`)
	}
	b.WriteString(`</w:pPr>`)
}

// pProps writes the properties of a paragraph but its mark's.
func (d *docxWriter) pProps(p paraProps) {
	b := &d.body
	if p.style != "" {
		b.WriteString(`<w:pStyle w:val="` + p.style + `"/>`)
	}
	if p.numID != 0 {
		b.WriteString(`<w:numPr><w:ilvl w:val="` + strconv.Itoa(p.ilvl) + `"/><w:numId w:val="` + strconv.Itoa(p.numID) + `"/></w:numPr>`)
	}
	if p.border {
		b.WriteString(`<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="B4B4B4"/></w:pBdr>`)
	}
	if p.indent != 0 && p.numID == 0 {
		b.WriteString(`<w:ind w:left="` + strconv.Itoa(p.indent) + `"/>`)
	}
	if p.jc != "" {
		b.WriteString(`<w:jc w:val="` + p.jc + `"/>`)
	}
}

// revTag writes a revision's w:ins or w:del element, empty (for a
// paragraph mark) or open.
func (d *docxWriter) revTag(r *revision, empty bool) {
	name := "w:ins"
	if r.deleted {
		name = "w:del"
	}
	d.revOpen(name, r)
	if empty {
		d.body.WriteString(`/>`)
	} else {
		d.body.WriteString(`>`)
	}
}

// revOpen starts a revision element (w:ins, w:del, w:pPrChange,
// w:rPrChange) with its id, author and date, leaving it to the caller to
// close the start tag.
func (d *docxWriter) revOpen(name string, r *revision) {
	d.revs++
	d.body.WriteString(`<` + name + ` w:id="` + strconv.Itoa(d.revs) + `" w:author="` + xmlAttr(r.author) + `"`)
	if !r.date.IsZero() {
		d.body.WriteString(` w:date="` + r.date.UTC().Format("2006-01-02T15:04:05Z") + `"`)
	}
}

// runs writes runs, those with the same link inside one w:hyperlink, all
// inside a w:ins or w:del when rev is set (or a run's own rev is).
func (d *docxWriter) runs(runs []docxRun, all *revision) {
	b := &d.body
	revOf := func(r docxRun) *revision {
		if r.rev != nil {
			return r.rev
		}
		return all
	}
	for i := 0; i < len(runs); {
		rev := revOf(runs[i])
		j := i + 1
		for j < len(runs) && runs[j].link == runs[i].link && revOf(runs[j]) == rev {
			j++
		}
		l := runs[i].link
		if !l.none() {
			b.WriteString(`<w:hyperlink`)
			if l.rel != 0 {
				b.WriteString(` r:id="` + relID(l.rel) + `"`)
			}
			if l.anchor != "" {
				b.WriteString(` w:anchor="` + xmlAttr(l.anchor) + `"`)
			}
			b.WriteString(` w:history="1">`)
		}
		if rev != nil {
			d.revTag(rev, false)
		}
		for _, r := range runs[i:j] {
			d.run(r, rev != nil && rev.deleted)
		}
		if rev != nil {
			if rev.deleted {
				b.WriteString(`</w:del>`)
			} else {
				b.WriteString(`</w:ins>`)
			}
		}
		if !l.none() {
			b.WriteString(`</w:hyperlink>`)
		}
		i = j
	}
}

// run writes one w:r: its rPr first, then text, line breaks and tabs;
// deleted text is w:delText.
func (d *docxWriter) run(r docxRun, deleted bool) {
	text := xmlClean(r.text)
	if text == "" {
		return
	}
	b := &d.body
	b.WriteString(`<w:r>`)
	d.rPr(r, hasCJK(text))
	tag := "w:t"
	if deleted {
		tag = "w:delText"
	}
	start := 0
	flush := func(end int) {
		if end > start {
			b.WriteString(`<` + tag + ` xml:space="preserve">`)
			xmlEscape(b, text[start:end])
			b.WriteString(`</` + tag + `>`)
		}
	}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			flush(i)
			b.WriteString(`<w:br/>`)
			start = i + 1
		case '\t':
			flush(i)
			b.WriteString(`<w:tab/>`)
			start = i + 1
		}
	}
	flush(len(text))
	b.WriteString(`</w:r>`)
}

// rPr writes run properties in the schema's order: rStyle, rFonts, b, bCs,
// i, iCs, strike, lang, and last a formatting change's former properties.
func (d *docxWriter) rPr(r docxRun, cjk bool) {
	if r.st == (runStyle{}) && !cjk && r.restyled == nil {
		return
	}
	b := &d.body
	b.WriteString(`<w:rPr>`)
	d.rProps(r.st, cjk)
	if r.restyled != nil {
		d.revOpen("w:rPrChange", r.restyled)
		b.WriteString(`><w:rPr>`)
		d.rProps(r.was, cjk)
		b.WriteString(`</w:rPr></w:rPrChange>`)
	}
	b.WriteString(`</w:rPr>`)
}

// rProps writes the properties of a run style.
func (d *docxWriter) rProps(st runStyle, cjk bool) {
	b := &d.body
	if st.charStyle != "" {
		b.WriteString(`<w:rStyle w:val="` + st.charStyle + `"/>`)
	}
	switch {
	case st.mono && cjk:
		b.WriteString(`<w:rFonts w:ascii="` + docxMonoFont + `" w:hAnsi="` + docxMonoFont + `" w:eastAsia="` + d.cjk + `" w:cs="` + docxMonoFont + `"/>`)
	case st.mono:
		b.WriteString(`<w:rFonts w:ascii="` + docxMonoFont + `" w:hAnsi="` + docxMonoFont + `" w:cs="` + docxMonoFont + `"/>`)
	case cjk:
		b.WriteString(`<w:rFonts w:eastAsia="` + d.cjk + `"/>`)
	}
	if st.bold {
		b.WriteString(`<w:b/><w:bCs/>`)
	}
	if st.italic {
		b.WriteString(`<w:i/><w:iCs/>`)
	}
	if st.strike {
		b.WriteString(`<w:strike/>`)
	}
	if cjk {
		b.WriteString(`<w:lang w:eastAsia="` + xmlAttr(d.cjkLoc) + `"/>`)
	}
}

// hasCJK reports whether text holds a Chinese, Japanese or Korean
// character, which Word sets in the East Asian font.
func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && (isCJK(r) || unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)) {
			return true
		}
	}
	return false
}

// xmlClean makes text XML 1.0 can hold: a control character other than
// tab and line feed, U+FFFE, U+FFFF or invalid UTF-8 becomes U+FFFD, as in
// every output; a carriage return, part of a line ending, is dropped.
func xmlClean(s string) string {
	clean := true
	for _, r := range s {
		if !xmlChar(r) || r == '\r' || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '\r':
		case xmlChar(r):
			b.WriteRune(r)
		default:
			b.WriteRune('\uFFFD')
		}
	}
	return b.String()
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// xmlEscape writes text escaped for element content.
func xmlEscape(b *bytes.Buffer, s string) { escapeXML(b, s, false) }

// xmlAttr is text escaped for an attribute value in double quotes.
func xmlAttr(s string) string {
	var b bytes.Buffer
	escapeXML(&b, xmlClean(s), true)
	return b.String()
}

// escapeXML escapes markup characters, and in an attribute also quotes
// and the white space an attribute's normalisation would turn to spaces.
func escapeXML(b *bytes.Buffer, s string, attr bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch c := s[i]; {
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '&':
			esc = "&amp;"
		case attr && c == '"':
			esc = "&quot;"
		case attr && c == '\t':
			esc = "&#9;"
		case attr && c == '\n':
			esc = "&#10;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}
