package render

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The parts of a Word package besides the body: written in a fixed order,
// with a fixed time, so that the same document gives the same bytes.

const (
	nsW   = `http://schemas.openxmlformats.org/wordprocessingml/2006/main`
	nsR   = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	nsRel = `http://schemas.openxmlformats.org/package/2006/relationships`
	relT  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/`
	xmlPI = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// docxFixedRels is the number of the document's own relationships
// (styles, numbering, settings, fonts, header, footer); hyperlinks follow.
const docxFixedRels = 6

// zipTime is every entry's modification time: the earliest a zip file
// can record, so that it says nothing about when the file was made.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

type docxPart struct {
	name string
	data []byte
}

// pack writes the package: the content types first, as readers expect.
func (d *docxWriter) pack(w io.Writer, labels map[string]string, opts DOCXOptions) error {
	parts := []docxPart{
		{"[Content_Types].xml", []byte(contentTypes)},
		{"_rels/.rels", []byte(packageRels)},
		{"docProps/core.xml", d.core()},
		{"docProps/app.xml", []byte(appProps)},
		{"word/document.xml", d.document(opts)},
		{"word/_rels/document.xml.rels", d.documentRels()},
		{"word/styles.xml", d.styles()},
		{"word/numbering.xml", d.numbering()},
		{"word/settings.xml", []byte(settingsXML)},
		{"word/fontTable.xml", []byte(fontTable)},
		{"word/header1.xml", d.header(labels)},
		{"word/footer1.xml", d.footer(labels)},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// Deflate's fastest level: most of a DOCX's cost is compression, and
	// the default level saves little on XML this repetitive.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		fw := fastFlate.Get().(*flate.Writer)
		fw.Reset(out)
		return &pooledFlate{fw}, nil
	})
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return err
		}
		if _, err := f.Write(p.data); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// fastFlate holds compressors between parts and documents: a new one
// costs a megabyte.
var fastFlate = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(io.Discard, flate.BestSpeed)
	return fw
}}

type pooledFlate struct{ *flate.Writer }

func (p *pooledFlate) Close() error {
	err := p.Writer.Close()
	fastFlate.Put(p.Writer)
	p.Writer = nil
	return err
}

const contentTypes = xmlPI + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
	`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const packageRels = xmlPI + `<Relationships xmlns="` + nsRel + `">` +
	`<Relationship Id="rId1" Type="` + relT + `officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="` + relT + `extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const appProps = xmlPI + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
	`<Application>policyc</Application></Properties>`

// core is the core properties: title, author (the controller), language,
// and the dates of the version, never the clock.
func (d *docxWriter) core() []byte {
	doc := d.t.Doc
	modified := pdfDate(doc)
	created := modified
	_, effective := doc.policyDates()
	if dt := firstDate(doc.Meta.Effective, effective); !dt.IsZero() && dt.Time().Before(modified) {
		created = dt.Time()
	}
	stamp := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
	var b strings.Builder
	b.WriteString(xmlPI + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString(`<dc:title>` + xmlAttr(doc.Title) + `</dc:title>`)
	if doc.Policy != nil {
		b.WriteString(`<dc:creator>` + xmlAttr(doc.Policy.Controller.LegalName.Get(doc.Locale)) + `</dc:creator>`)
	}
	b.WriteString(`<dc:language>` + xmlAttr(doc.Locale) + `</dc:language>`)
	if doc.Meta.Version != "" {
		b.WriteString(`<cp:version>` + xmlAttr(doc.Meta.Version) + `</cp:version>`)
	}
	b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + stamp(created) + `</dcterms:created>`)
	b.WriteString(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + stamp(modified) + `</dcterms:modified>`)
	b.WriteString(`</cp:coreProperties>`)
	return []byte(b.String())
}

// document is the body, its section properties last: the page size and
// margins, and the header and footer.
func (d *docxWriter) document(opts DOCXOptions) []byte {
	w, h := pageTwips(opts.PageSize)
	var b bytes.Buffer
	b.Grow(d.body.Len() + 1024)
	b.WriteString(xmlPI + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	b.Write(d.body.Bytes())
	b.WriteString(`<w:sectPr><w:headerReference w:type="default" r:id="rId5"/><w:footerReference w:type="default" r:id="rId6"/>`)
	b.WriteString(`<w:pgSz w:w="` + strconv.Itoa(w) + `" w:h="` + strconv.Itoa(h) + `"/>`)
	b.WriteString(`<w:pgMar w:top="` + strconv.Itoa(docxMarginTop) + `" w:right="` + strconv.Itoa(docxMarginSide) + `" w:bottom="` + strconv.Itoa(docxMarginBottom) + `" w:left="` + strconv.Itoa(docxMarginSide) + `" w:header="567" w:footer="567" w:gutter="0"/>`)
	b.WriteString(`</w:sectPr></w:body></w:document>`)
	return b.Bytes()
}

func (d *docxWriter) documentRels() []byte {
	var b strings.Builder
	b.WriteString(xmlPI + `<Relationships xmlns="` + nsRel + `">`)
	for i, p := range []string{"styles", "numbering", "settings", "fontTable", "header", "footer"} {
		target := p + ".xml"
		if p == "header" || p == "footer" {
			target = p + "1.xml"
		}
		b.WriteString(`<Relationship Id="rId` + strconv.Itoa(i+1) + `" Type="` + relT + p + `" Target="` + target + `"/>`)
	}
	for i, t := range d.rels {
		b.WriteString(`<Relationship Id="` + relID(i+1) + `" Type="` + relT + `hyperlink" Target="` + xmlAttr(t) + `" TargetMode="External"/>`)
	}
	b.WriteString(`</Relationships>`)
	return []byte(b.String())
}

// header and footer: the title and version above, "Page N of M" below,
// with PAGE and NUMPAGES fields where the label has its two %d.
func (d *docxWriter) header(labels map[string]string) []byte {
	hw := &docxWriter{t: d.t, loc: d.loc, cjk: d.cjk, cjkLoc: d.cjkLoc}
	hw.para(paraProps{style: "Header"}, []docxRun{{text: titleLine(d.t.Doc, labels)}})
	return []byte(xmlPI + `<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` + hw.body.String() + `</w:hdr>`)
}

func (d *docxWriter) footer(labels map[string]string) []byte {
	parts := strings.SplitN(labels["page"], "%d", 3)
	hw := &docxWriter{t: d.t, loc: d.loc, cjk: d.cjk, cjkLoc: d.cjkLoc}
	b := &hw.body
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="right"/></w:pPr>`)
	field := func(instr string) {
		b.WriteString(`<w:fldSimple w:instr=" ` + instr + ` \* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple>`)
	}
	hw.run(docxRun{text: parts[0]}, false)
	if len(parts) > 1 {
		field("PAGE")
		hw.run(docxRun{text: parts[1]}, false)
	}
	if len(parts) > 2 {
		field("NUMPAGES")
		hw.run(docxRun{text: parts[2]}, false)
	}
	b.WriteString(`</w:p>`)
	return []byte(xmlPI + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` + b.String() + `</w:ftr>`)
}

const settingsXML = xmlPI + `<w:settings xmlns:w="` + nsW + `">` +
	`<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

// fontTable names each font with a fallback Word and LibreOffice use where
// it is not installed.
const fontTable = xmlPI + `<w:fonts xmlns:w="` + nsW + `">` +
	`<w:font w:name="` + docxLatinFont + `"><w:altName w:val="Arial"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>` +
	`<w:font w:name="` + docxMonoFont + `"><w:altName w:val="Courier New"/><w:charset w:val="00"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="` + docxCJKFont + `"><w:altName w:val="Microsoft YaHei"/><w:charset w:val="86"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>` +
	`<w:font w:name="` + docxCJKFontTC + `"><w:altName w:val="Microsoft JhengHei"/><w:charset w:val="88"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>` +
	`</w:fonts>`

// styles: the document defaults (fonts, size, language), then each
// paragraph, character and table style the body uses. Built-in styles
// carry Word's own names ("heading 1", "toc 1") so that Word treats them
// as its own.
func (d *docxWriter) styles() []byte {
	var b strings.Builder
	b.WriteString(xmlPI + `<w:styles xmlns:w="` + nsW + `">`)
	b.WriteString(`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + docxLatinFont + `" w:hAnsi="` + docxLatinFont + `" w:eastAsia="` + d.cjk + `" w:cs="` + docxLatinFont + `"/>`)
	b.WriteString(`<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="` + xmlAttr(d.loc) + `" w:eastAsia="` + xmlAttr(d.cjkLoc) + `" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>`)
	b.WriteString(`<w:pPrDefault><w:pPr><w:spacing w:after="100" w:line="300" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>`)
	para := func(id, name, based, pPr, rPr string) {
		b.WriteString(`<w:style w:type="paragraph" w:styleId="` + id + `"><w:name w:val="` + name + `"/>`)
		if based != "" {
			b.WriteString(`<w:basedOn w:val="` + based + `"/><w:next w:val="Normal"/>`)
		}
		b.WriteString(`<w:qFormat/>`)
		if pPr != "" {
			b.WriteString(`<w:pPr>` + pPr + `</w:pPr>`)
		}
		if rPr != "" {
			b.WriteString(`<w:rPr>` + rPr + `</w:rPr>`)
		}
		b.WriteString(`</w:style>`)
	}
	b.WriteString(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>`)
	b.WriteString(`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>`)
	b.WriteString(`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`)
	para("Title", "Title", "Normal", `<w:keepNext/><w:spacing w:after="240"/>`, `<w:b/><w:bCs/><w:sz w:val="40"/><w:szCs w:val="40"/>`)
	para("Heading1", "heading 1", "Normal", `<w:keepNext/><w:keepLines/><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="2" w:color="C8C8C8"/></w:pBdr><w:spacing w:before="320" w:after="120"/><w:outlineLvl w:val="0"/>`, `<w:b/><w:bCs/><w:sz w:val="30"/><w:szCs w:val="30"/>`)
	para("Heading2", "heading 2", "Normal", `<w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/>`, `<w:b/><w:bCs/><w:sz w:val="25"/><w:szCs w:val="25"/>`)
	para("Heading3", "heading 3", "Normal", `<w:keepNext/><w:keepLines/><w:spacing w:before="160" w:after="60"/><w:outlineLvl w:val="2"/>`, `<w:b/><w:bCs/><w:sz w:val="23"/><w:szCs w:val="23"/>`)
	bulletNum := ""
	if d.bullets != 0 {
		bulletNum = `<w:numPr><w:numId w:val="` + strconv.Itoa(d.bullets) + `"/></w:numPr>`
	}
	para("ListBullet", "List Bullet", "Normal", bulletNum+`<w:spacing w:after="60"/>`, "")
	para("ListNumber", "List Number", "Normal", `<w:spacing w:after="60"/>`, "")
	para("Quote", "Quote", "Normal", `<w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="C8C8C8"/></w:pBdr><w:ind w:left="400"/>`, "")
	para("Code", "Code", "Normal", `<w:spacing w:after="100" w:line="240" w:lineRule="auto"/><w:ind w:left="160"/>`, `<w:rFonts w:ascii="`+docxMonoFont+`" w:hAnsi="`+docxMonoFont+`" w:cs="`+docxMonoFont+`"/><w:sz w:val="19"/><w:szCs w:val="19"/>`)
	para("TableText", "Table Text", "Normal", `<w:spacing w:before="40" w:after="40" w:line="264" w:lineRule="auto"/>`, `<w:sz w:val="19"/><w:szCs w:val="19"/>`)
	para("TableGap", "Table Gap", "Normal", `<w:spacing w:after="0" w:line="120" w:lineRule="exact"/>`, `<w:sz w:val="8"/><w:szCs w:val="8"/>`)
	para("TOC1", "toc 1", "Normal", `<w:spacing w:after="60"/>`, "")
	para("Header", "header", "Normal", `<w:spacing w:after="0"/>`, `<w:color w:val="5A5A5A"/><w:sz w:val="16"/><w:szCs w:val="16"/>`)
	para("Footer", "footer", "Normal", `<w:spacing w:after="0"/>`, `<w:color w:val="5A5A5A"/><w:sz w:val="16"/><w:szCs w:val="16"/>`)
	b.WriteString(`<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:color w:val="0B57D0"/><w:u w:val="single"/></w:rPr></w:style>`)
	// The table style: thin borders, a shaded header row; the header row
	// repeats on each page by w:tblHeader on the row itself.
	b.WriteString(`<w:style w:type="table" w:styleId="PolicyTable"><w:name w:val="Policy Table"/><w:basedOn w:val="TableNormal"/><w:qFormat/>`)
	b.WriteString(`<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/><w:left w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/><w:right w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/></w:tblBorders>`)
	b.WriteString(`<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>`)
	b.WriteString(`<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:tcPr></w:tblStylePr>`)
	b.WriteString(`</w:style></w:styles>`)
	return []byte(b.String())
}

// numbering defines a bullet list and a numbered list over nine levels,
// and one instance per list: the bullets share one, each numbered list has
// its own, starting at its first number.
func (d *docxWriter) numbering() []byte {
	var b strings.Builder
	b.WriteString(xmlPI + `<w:numbering xmlns:w="` + nsW + `">`)
	bullets := []string{"•", "◦", "▪"}
	for abs, ordered := range []bool{false, true} {
		b.WriteString(`<w:abstractNum w:abstractNumId="` + strconv.Itoa(abs) + `"><w:multiLevelType w:val="hybridMultilevel"/>`)
		for lvl := range 9 {
			ind := strconv.Itoa(360 * (lvl + 1))
			b.WriteString(`<w:lvl w:ilvl="` + strconv.Itoa(lvl) + `"><w:start w:val="1"/>`)
			if ordered {
				b.WriteString(`<w:numFmt w:val="decimal"/><w:lvlText w:val="%` + strconv.Itoa(lvl+1) + `."/>`)
			} else {
				b.WriteString(`<w:numFmt w:val="bullet"/><w:lvlText w:val="` + bullets[lvl%3] + `"/>`)
			}
			b.WriteString(`<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="` + ind + `" w:hanging="360"/></w:pPr>`)
			if !ordered {
				b.WriteString(`<w:rPr><w:rFonts w:ascii="` + docxLatinFont + `" w:hAnsi="` + docxLatinFont + `"/></w:rPr>`)
			}
			b.WriteString(`</w:lvl>`)
		}
		b.WriteString(`</w:abstractNum>`)
	}
	for i, n := range d.nums {
		abs := "0"
		if n.ordered {
			abs = "1"
		}
		b.WriteString(`<w:num w:numId="` + strconv.Itoa(i+1) + `"><w:abstractNumId w:val="` + abs + `"/>`)
		if n.ordered {
			b.WriteString(`<w:lvlOverride w:ilvl="` + strconv.Itoa(n.ilvl) + `"><w:startOverride w:val="` + strconv.Itoa(n.start) + `"/></w:lvlOverride>`)
		}
		b.WriteString(`</w:num>`)
	}
	b.WriteString(`</w:numbering>`)
	return []byte(b.String())
}
