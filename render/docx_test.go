package render_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// docxOutput is one Word document of an example.
type docxOutput struct {
	name string // "<example>_<document>.<locale>.docx": unique as a base name
	doc  *render.Doc
	tree *render.Tree
	data []byte
}

// renderDOCX renders every document of both examples and of the models
// of real policies in every locale as Word, with a fresh renderer.
func renderDOCX(t testing.TB, size render.PageSize) []docxOutput {
	t.Helper()
	var outs []docxOutput
	for _, ex := range slices.Concat(exampleNames, fixtureNames) {
		p := loadPolicy(t, policyDir(ex))
		outs = append(outs, renderPolicyDOCX(t, ex, p, size)...)
	}
	return outs
}

func renderPolicyDOCX(t testing.TB, name string, p *policy.Policy, size render.PageSize) []docxOutput {
	t.Helper()
	var outs []docxOutput
	r := render.New()
	for _, loc := range p.Locales {
		docs, err := r.Compose(p, string(loc), render.Meta{Version: "3"})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			tree, err := render.Parse(d)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := r.DOCX(&buf, tree, render.DOCXOptions{PageSize: size}); err != nil {
				t.Fatal(err)
			}
			outs = append(outs, docxOutput{name + "_" + d.FileName() + ".docx", d, tree, buf.Bytes()})
		}
	}
	return outs
}

// docxParts reads a package's parts with archive/zip, in their order.
func docxParts(t testing.TB, data []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		names = append(names, f.Name)
		parts[f.Name] = b
	}
	return names, parts
}

// xnode is an element of a part, as encoding/xml reads it.
type xnode struct {
	name     string // "w:p", with the prefix the schema uses
	attrs    map[string]string
	children []*xnode
	text     string
}

// prefixes maps namespaces to the prefixes the rules below are written in.
var prefixes = map[string]string{
	"http://schemas.openxmlformats.org/wordprocessingml/2006/main":            "w",
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships":     "r",
	"http://schemas.openxmlformats.org/package/2006/relationships":            "rel",
	"http://schemas.openxmlformats.org/package/2006/content-types":            "ct",
	"http://www.w3.org/XML/1998/namespace":                                    "xml",
	"http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "cp",
}

func qname(n xml.Name) string {
	if p, ok := prefixes[n.Space]; ok {
		return p + ":" + n.Local
	}
	return n.Local
}

// parseXML reads a part strictly: a part that is not well-formed fails.
func parseXML(t testing.TB, name string, data []byte) *xnode {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := &xnode{name: "#root"}
	stack := []*xnode{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed XML: %v", name, err)
		}
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: qname(tok.Name), attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[qname(a.Name)] = a.Value
			}
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text += string(tok)
		}
	}
	return root
}

func (n *xnode) walk(f func(*xnode)) {
	f(n)
	for _, c := range n.children {
		c.walk(f)
	}
}

// schemaOrder is, for elements whose children form an xsd:sequence in
// ECMA-376 Part 1 (wml.xsd), the order those children must take. Word
// refuses a document whose elements are out of order ("unreadable
// content"), even where LibreOffice reads it.
var schemaOrder = map[string][]string{
	"w:pPr": {"w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
		"w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
		"w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
		"w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
		"w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
		"w:sectPr", "w:pPrChange"},
	"w:rPr": {"w:ins", "w:del", "w:moveFrom", "w:moveTo", "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps",
		"w:smallCaps", "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
		"w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
		"w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
		"w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange"},
	"w:tbl":   {"w:bookmarkStart", "w:tblPr", "w:tblGrid", "w:tr"},
	"w:tr":    {"w:tblPrEx", "w:trPr", "w:tc"},
	"w:tc":    {"w:tcPr", "w:p", "w:tbl"},
	"w:trPr":  {"w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange"},
	"w:tblPr": {"w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"},
	"w:sectPr": {"w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar",
		"w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
		"w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange"},
	"w:style": {"w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden", "w:uiPriority",
		"w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked", "w:personal", "w:personalCompose",
		"w:personalReply", "w:rsid", "w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"},
	"w:tblStylePr": {"w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr"},
	"w:lvl": {"w:start", "w:numFmt", "w:lvlRestart", "w:pStyle", "w:isLgl", "w:suff", "w:lvlText", "w:lvlPicBulletId",
		"w:legacy", "w:lvlJc", "w:pPr", "w:rPr"},
	"w:abstractNum": {"w:nsid", "w:multiLevelType", "w:tmpl", "w:name", "w:styleLink", "w:numStyleLink", "w:lvl"},
	"w:num":         {"w:abstractNumId", "w:lvlOverride"},
	"w:numbering":   {"w:numPicBullet", "w:abstractNum", "w:num", "w:numIdMacAtCleanup"},
	"w:docDefaults": {"w:rPrDefault", "w:pPrDefault"},
	"w:styles":      {"w:docDefaults", "w:latentStyles", "w:style"},
	"w:font":        {"w:altName", "w:panose1", "w:charset", "w:family", "w:notTrueType", "w:pitch", "w:sig"},
	"w:r":           {"w:rPr"},    // then any content
	"w:p":           {"w:pPr"},    // then any content
	"w:body":        {"w:sectPr"}, // last, after any content
}

// firstOnly lists elements of which only one child's place is fixed: a
// run's and a paragraph's properties first, the body's section properties
// last; the rest may come in any order.
var firstOnly = map[string]bool{"w:r": true, "w:p": true, "w:body": true}

// checkOrder reports children out of the schema's order, in every part.
func checkOrder(n *xnode) []string {
	var errs []string
	n.walk(func(e *xnode) {
		order, ok := schemaOrder[e.name]
		if !ok {
			return
		}
		if firstOnly[e.name] {
			for i, c := range e.children {
				if e.name != "w:body" && c.name == order[0] && i != 0 {
					errs = append(errs, fmt.Sprintf("%s is child %d of %s, not the first", c.name, i+1, e.name))
				}
				if e.name == "w:body" && c.name == "w:sectPr" && i != len(e.children)-1 {
					errs = append(errs, "w:sectPr is not the body's last child")
				}
			}
			return
		}
		last := -1
		for _, c := range e.children {
			i := slices.Index(order, c.name)
			if i < 0 {
				errs = append(errs, fmt.Sprintf("%s may not hold %s", e.name, c.name))
				continue
			}
			if i < last {
				errs = append(errs, fmt.Sprintf("%s: %s after %s", e.name, c.name, order[last]))
			}
			last = i
		}
	})
	return errs
}

// TestDOCXPartsKeepTheElementOrderWordRequires reads every part of every
// Word document of both examples with encoding/xml and checks the order of
// children the schema fixes, that a table has its properties and grid
// first and a cell ends in a paragraph, that the section properties end
// the body, that every bookmark link, relationship and numbering instance
// used exists, and that the fields are balanced.
func TestDOCXPartsKeepTheElementOrderWordRequires(t *testing.T) {
	for _, o := range renderDOCX(t, render.A4) {
		t.Run(o.name, func(t *testing.T) {
			c := checkDOCX(t, o.data)
			if c.paras < 20 || c.anchors == 0 || c.marks == 0 {
				t.Errorf("%d paragraphs, %d internal links, %d bookmarks: the check is not reading the document", c.paras, c.anchors, c.marks)
			}
			if strings.Contains(o.name, "_policy.") && c.tables == 0 {
				t.Errorf("no table in the policy")
			}
		})
	}
}

// checkEastAsian requires a run holding Chinese text to name its East
// Asian font and language, so that Word sets it as Chinese whatever the
// document's defaults.
func checkEastAsian(t *testing.T, r *xnode) {
	t.Helper()
	var text string
	var font, lang bool
	for _, c := range r.children {
		switch c.name {
		case "w:t", "w:delText":
			text += c.text
		case "w:rPr":
			for _, p := range c.children {
				font = font || p.name == "w:rFonts" && p.attrs["w:eastAsia"] != ""
				lang = lang || p.name == "w:lang" && p.attrs["w:eastAsia"] != ""
			}
		}
	}
	if strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Han, r) }) && !(font && lang) {
		t.Errorf("Chinese run %q without its East Asian font and language", text)
	}
}

// docxCounts is how much of a document checkDOCX saw.
type docxCounts struct{ paras, tables, anchors, marks int }

// checkDOCX checks a Word package as the test above describes, and that
// the body holds only WordprocessingML elements and no character XML 1.0
// forbids.
func checkDOCX(t *testing.T, data []byte) docxCounts {
	t.Helper()
	names, parts := docxParts(t, data)
	if names[0] != "[Content_Types].xml" {
		t.Errorf("first part %s, want [Content_Types].xml", names[0])
	}
	trees := map[string]*xnode{}
	for _, name := range names {
		trees[name] = parseXML(t, name, parts[name])
		for _, e := range checkOrder(trees[name]) {
			t.Errorf("%s: %s", name, e)
		}
	}
	// Every part is declared, and every declared part exists.
	declared := map[string]bool{}
	trees["[Content_Types].xml"].walk(func(e *xnode) {
		if e.name == "ct:Override" {
			declared[strings.TrimPrefix(e.attrs["PartName"], "/")] = true
		}
	})
	for p := range declared {
		if parts[p] == nil {
			t.Errorf("[Content_Types].xml declares %s, which is missing", p)
		}
	}
	for _, name := range names {
		if strings.HasSuffix(name, ".xml") && name != "[Content_Types].xml" && !declared[name] {
			t.Errorf("part %s has no content type override", name)
		}
	}
	rels := map[string]string{}
	trees["word/_rels/document.xml.rels"].walk(func(e *xnode) {
		if e.name == "rel:Relationship" {
			rels[e.attrs["Id"]] = e.attrs["Target"]
			if e.attrs["TargetMode"] == "External" && !policy.SafeLink(e.attrs["Target"]) {
				t.Errorf("hyperlink to %q, which policy.SafeLink refuses", e.attrs["Target"])
			}
		}
	})
	nums := map[string]bool{}
	trees["word/numbering.xml"].walk(func(e *xnode) {
		if e.name == "w:num" {
			nums[e.attrs["w:numId"]] = true
		}
	})
	body := trees["word/document.xml"]
	marks := map[string]bool{}
	open := map[string]bool{}
	var anchors []string
	depth, tables, paras := 0, 0, 0
	body.walk(func(e *xnode) {
		switch e.name {
		case "w:bookmarkStart":
			marks[e.attrs["w:name"]] = true
			open[e.attrs["w:id"]] = true
		case "w:bookmarkEnd":
			if !open[e.attrs["w:id"]] {
				t.Errorf("bookmarkEnd %s without its start", e.attrs["w:id"])
			}
			delete(open, e.attrs["w:id"])
		case "w:hyperlink":
			if a, ok := e.attrs["w:anchor"]; ok && e.attrs["r:id"] == "" {
				anchors = append(anchors, a)
			}
			if id, ok := e.attrs["r:id"]; ok && rels[id] == "" {
				t.Errorf("hyperlink to relationship %s, which does not exist", id)
			}
		case "w:headerReference", "w:footerReference":
			if rels[e.attrs["r:id"]] == "" {
				t.Errorf("%s to relationship %s, which does not exist", e.name, e.attrs["r:id"])
			}
		case "w:numId":
			if !nums[e.attrs["w:val"]] {
				t.Errorf("paragraph numbered by instance %s, which numbering.xml lacks", e.attrs["w:val"])
			}
		case "w:fldChar":
			switch e.attrs["w:fldCharType"] {
			case "begin":
				depth++
			case "end":
				depth--
			}
			if depth < 0 {
				t.Errorf("a field ends before it begins")
			}
		case "w:tbl":
			tables++
			if len(e.children) < 2 || e.children[0].name != "w:tblPr" || e.children[1].name != "w:tblGrid" {
				t.Errorf("w:tbl does not start with w:tblPr and w:tblGrid")
			}
		case "w:tc":
			if len(e.children) == 0 || e.children[len(e.children)-1].name != "w:p" {
				t.Errorf("w:tc does not end with a paragraph")
			}
		case "w:p":
			paras++
		case "w:r":
			checkEastAsian(t, e)
		}
	})
	if depth != 0 {
		t.Errorf("%d fields never end", depth)
	}
	if len(open) != 0 {
		t.Errorf("%d bookmarks never end", len(open))
	}
	for _, a := range anchors {
		if !marks[a] {
			t.Errorf("link to bookmark %q, which does not exist", a)
		}
	}
	for _, e := range body.children[0].children {
		e.walk(func(e *xnode) {
			if !strings.HasPrefix(e.name, "w:") {
				t.Errorf("document.xml holds a %s element", e.name)
			}
		})
	}
	for _, r := range string(parts["word/document.xml"]) {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			t.Errorf("document.xml holds %U", r)
		}
	}
	return docxCounts{paras: paras, tables: tables, anchors: len(anchors), marks: len(marks)}
}

// TestDOCXRendersAreByteIdentical renders each document twice, with fresh
// renderers, and once through Files on every core: the same bytes.
func TestDOCXRendersAreByteIdentical(t *testing.T) {
	first := renderDOCX(t, render.A4)
	second := renderDOCX(t, render.A4)
	for i := range first {
		if !bytes.Equal(first[i].data, second[i].data) {
			t.Errorf("%s: two renders differ", first[i].name)
		}
	}
	byName := map[string][]byte{}
	for _, o := range first {
		byName[o.name] = o.data
	}
	for _, ex := range exampleNames {
		p := loadExample(t, ex)
		var locs []string
		for _, l := range p.Locales {
			locs = append(locs, string(l))
		}
		outs, err := render.New().Files(p, render.Request{Locales: locs, Formats: []string{"docx"}, Meta: render.Meta{Version: "3"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			want, ok := byName[ex+"_"+o.Name]
			if !ok {
				t.Errorf("Files made %s, which the one-by-one render did not", o.Name)
			} else if !bytes.Equal(o.Data, want) {
				t.Errorf("%s: Files' render differs from the one-by-one render", o.Name)
			}
		}
	}
}

// TestDOCXPageSizes checks the section's page size and the core
// properties: the language of the locale and the version's dates.
func TestDOCXPageSizesAndCoreProperties(t *testing.T) {
	p := loadExample(t, "website")
	for _, c := range []struct {
		size render.PageSize
		w, h string
	}{{render.A4, "11906", "16838"}, {render.Letter, "12240", "15840"}} {
		o := renderPolicyDOCX(t, "website", p, c.size)[0]
		_, parts := docxParts(t, o.data)
		var pgSz *xnode
		parseXML(t, "document.xml", parts["word/document.xml"]).walk(func(e *xnode) {
			if e.name == "w:pgSz" {
				pgSz = e
			}
		})
		if pgSz == nil || pgSz.attrs["w:w"] != c.w || pgSz.attrs["w:h"] != c.h {
			t.Errorf("page size %v, want %s×%s", pgSz, c.w, c.h)
		}
		core := string(parts["docProps/core.xml"])
		for _, want := range []string{"<dc:language>" + o.doc.Locale + "</dc:language>", "<dc:title>" + o.doc.Title + "</dc:title>",
			`<dcterms:modified xsi:type="dcterms:W3CDTF">` + p.Updated.Time().Format("2006-01-02") + "T00:00:00Z<"} {
			if !strings.Contains(core, want) {
				t.Errorf("core properties lack %s:\n%s", want, core)
			}
		}
	}
}
