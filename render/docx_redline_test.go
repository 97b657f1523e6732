package render_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// redlinePair is two versions of a document to redline.
type redlinePair struct {
	name     string
	old, new *render.Tree
	as       policy.Assessment
}

// exampleMarkdown is an example's policy document in a locale, composed.
func exampleMarkdown(t testing.TB, name, loc string) string {
	t.Helper()
	docs, err := render.New().Compose(loadExample(t, name), loc, render.Meta{Version: "3"})
	if err != nil {
		t.Fatal(err)
	}
	return string(docs[0].Markdown)
}

// mdTree is a document of Markdown.
func mdTree(t testing.TB, loc, md string) *render.Tree {
	t.Helper()
	tree, err := render.Parse(&render.Doc{Policy: &policy.Policy{}, Locale: loc, ID: "policy", Title: "Policy", Markdown: []byte(md)})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// editLines applies edit to the lines of md that match re, the n-th match
// (counting from 0) getting edit(n, line); edit returns the lines to put
// in the line's place.
func editLines(md string, re string, edit func(n int, line string) []string) string {
	rx := regexp.MustCompile(re)
	var out []string
	n := 0
	for _, l := range strings.Split(md, "\n") {
		if rx.MatchString(l) {
			out = append(out, edit(n, l)...)
			n++
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// singleSection is a text as one section: a title and its lines as
// paragraphs, headings made plain paragraphs, as an imported policy is.
func singleSection(text string) string {
	var b strings.Builder
	b.WriteString("# Policy\n\n## Text\n\n")
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		l = strings.TrimLeft(strings.TrimSpace(l), "#")
		if l = strings.TrimSpace(l); l != "" {
			b.WriteString(l + "\n\n")
		}
	}
	return b.String()
}

// docxRedlinePairs are the version pairs the Word redline is tested on.
func docxRedlinePairs(t testing.TB) []redlinePair {
	t.Helper()
	en := exampleMarkdown(t, "website", "en")
	sdk := exampleMarkdown(t, "sdk-provider", "en")
	sdkZh := exampleMarkdown(t, "sdk-provider", "zh-CN")
	seed := seedText(t, "000")
	pair := func(name, loc, a, b string) redlinePair {
		return redlinePair{name: name, old: mdTree(t, loc, a), new: mdTree(t, loc, b)}
	}
	// A reordering of sections: the last moves before the second.
	secs := strings.Split(en, "\n## ")
	moved := slices.Clone(secs)
	last := moved[len(moved)-1]
	moved = slices.Insert(moved[:len(moved)-1], 2, last)
	moved = slices.Delete(moved, 4, 5)
	tableRow := `^\| [^-]`
	listItem := `^- [^\[]`
	pairs := []redlinePair{
		pair("editorial", "en", en, strings.Replace(strings.Replace(en, "personal information", "personal data", 3), " may ", " can ", 2)),
		pair("structural", "en", en, strings.Join(moved, "\n## ")+"\n\nA closing paragraph, new in this version.\n"),
		pair("table-rows", "en", en, editLines(en, tableRow, func(n int, l string) []string {
			switch n {
			case 2:
				return nil // a row deleted
			case 4:
				return []string{l, strings.Replace(l, "|", "| New row", 1)} // a row inserted
			case 6:
				return []string{strings.Replace(l, "e", "E", 2)} // a cell changed
			}
			return []string{l}
		})),
		pair("list-items", "en", en, editLines(en, listItem, func(n int, l string) []string {
			switch n {
			case 1:
				return nil
			case 3:
				return []string{l, "- An item added to the list."}
			case 5:
				return []string{l + " And more words at its end."}
			}
			return []string{l}
		})),
		pair("long-section", "en", singleSection(seed), singleSection(editWords(seed, 8, 1))),
		pair("rewrite", "en", singleSection(seed), singleSection(seedText(t, "003"))),
		pair("cjk", "zh-CN", sdkZh, strings.Replace(strings.Replace(sdkZh, "信息", "资料", 5), "。\n", "。新增的一句话。\n", 2)),
		pair("cjk-tables-lists", "zh-CN", sdkZh, editLines(editLines(sdkZh, tableRow, func(n int, l string) []string {
			if n == 3 {
				return nil
			}
			return []string{l}
		}), listItem, func(n int, l string) []string {
			if n == 2 {
				return []string{l, "- 新增的一项。"}
			}
			return []string{l}
		})),
		pair("two-documents-single-section", "en", singleSection(en), singleSection(sdk)),
		pair("links-and-bold", "en", en, strings.Replace(strings.Replace(en, "**", "**changed ", 2), "](", " here](", 3)),
		pair("from-nothing", "en", "# Policy\n", en),
		pair("no-change", "en", en, en),
	}
	// And the Markdown redline's pairs: generated documents edited line
	// by line and word by word, and edits at the edges of emphasis,
	// links, tables, lists and headings.
	for i, md := range redlinePairs(t, 20) {
		pairs = slices.Insert(pairs, len(pairs)-1, pair(fmt.Sprintf("markdown-%02d", i), "en", "# Policy\n\n## Text\n\n"+md[0], "# Policy\n\n## Text\n\n"+md[1]))
	}
	for i := range pairs[:len(pairs)-1] {
		pairs[i].as = policy.Assessment{Level: policy.Editorial, ProseChanged: true}
	}
	pairs[1].as = verdictFixture
	return pairs
}

// verdictFixture is a verdict of two changes at two levels.
var verdictFixture = policy.Assessment{Level: policy.Significant, ProseChanged: true, Changes: []policy.Verdict{
	{Level: policy.Editorial, Sentence: "Last-updated date changed from 23 April 2026 to 2 May 2026."},
	{Level: policy.Significant, Sentence: "Data is now kept for 3 years instead of 1 year.",
		Rules: []policy.Rule{{ID: "retention-longer", Regime: "GDPR", Clause: "Art. 13(2)(a)"}}},
}}

// revisionDate is the newer versions' update date in the tests.
var revisionDate = time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC)

func redlineDOCX(t testing.TB, p redlinePair, author string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := render.New().DOCXRedline(&buf, p.old, p.new, p.as, render.DOCXRedlineOptions{Author: author, Date: revisionDate, From: "v1", To: "v2"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func plainDOCX(t testing.TB, tree *render.Tree) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := render.New().DOCX(&buf, tree, render.DOCXOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	revOpen  = regexp.MustCompile(`<w:(ins|del) [^>]*[^/]>`)
	revEmpty = regexp.MustCompile(`<w:(ins|del) [^>]*/>`)
	delRun   = regexp.MustCompile(`(?s)<w:del [^>]*[^/]>.*?</w:del>`)
	insRun   = regexp.MustCompile(`(?s)<w:ins [^>]*[^/]>.*?</w:ins>`)
)

// applyRevisions is Word's "Accept all changes" (accept) or "Reject all
// changes" on document.xml, done on the XML without policyc's help: a row
// or a paragraph whose mark the choice removes goes (its text must be
// removed too: nothing is left to join the next paragraph), removed runs
// go, kept ones are unwrapped, deleted text kept by a rejection is text
// again.
func applyRevisions(t testing.TB, doc string, accept bool) string {
	t.Helper()
	kill, killRuns := "<w:del ", delRun
	if !accept {
		kill, killRuns = "<w:ins ", insRun
	}
	// cut removes the elements from open to close whose properties (the
	// text up to propsEnd) hold a removed mark.
	cut := func(s, open, close, propsEnd string) string {
		var b strings.Builder
		for {
			i := strings.Index(s, open)
			if i < 0 {
				b.WriteString(s)
				return b.String()
			}
			j := strings.Index(s[i:], close)
			if j < 0 {
				t.Fatalf("%s without %s", open, close)
			}
			el := s[i : i+j+len(close)]
			props := el
			if k := strings.Index(el, propsEnd); k >= 0 {
				props = el[:k]
			}
			b.WriteString(s[:i])
			if strings.Contains(props, kill) && strings.HasPrefix(el[len(open):], "<w:"+propsEnd[4:len(propsEnd)-1]+">") {
				if rest := killRuns.ReplaceAllString(el, ""); strings.Contains(rest, "<w:t ") || strings.Contains(rest, "<w:delText ") {
					t.Errorf("a removed paragraph mark or row leaves text to join: %.200s", rest)
				}
			} else {
				b.WriteString(el)
			}
			s = s[i+j+len(close):]
		}
	}
	doc = restyle(t, doc, "pPr", accept)
	doc = cut(doc, "<w:tr>", "</w:tr>", "</w:trPr>")
	doc = cut(doc, "<w:p>", "</w:p>", "</w:pPr>")
	doc = killRuns.ReplaceAllString(doc, "")
	doc = revEmpty.ReplaceAllString(doc, "")
	doc = revOpen.ReplaceAllString(doc, "")
	doc = strings.NewReplacer("</w:ins>", "", "</w:del>", "", "<w:delText ", "<w:t ", "</w:delText>", "</w:t>", "<w:rPr></w:rPr>", "").Replace(doc)
	// A table whose every row went is gone.
	for {
		i := strings.Index(doc, "</w:tblGrid></w:tbl>")
		if i < 0 {
			break
		}
		j := strings.LastIndex(doc[:i], "<w:tbl>")
		doc = doc[:j] + doc[i+len("</w:tblGrid></w:tbl>"):]
	}
	return doc
}

// restyle accepts or rejects the changes of the properties named (pPr):
// accepted, the change record goes; rejected, the former properties
// replace the new ones.
func restyle(t testing.TB, doc, props string, accept bool) string {
	t.Helper()
	change := "<w:" + props + "Change "
	open, end := "<w:"+props+">", "</w:"+props+">"
	var b strings.Builder
	for {
		k := strings.Index(doc, change)
		if k < 0 {
			b.WriteString(doc)
			return b.String()
		}
		i := strings.LastIndex(doc[:k], open)
		inner := k + strings.Index(doc[k:], ">"+open) + 1 + len(open)
		innerEnd := inner + strings.Index(doc[inner:], end+"</w:"+props+"Change>")
		outerEnd := innerEnd + len(end+"</w:"+props+"Change>")
		if !strings.HasPrefix(doc[outerEnd:], end) {
			t.Fatalf("%s is not the last of its %s", change, open)
		}
		b.WriteString(doc[:i])
		if accept {
			b.WriteString(doc[i:k] + end)
		} else {
			b.WriteString(open + doc[inner:innerEnd] + end)
		}
		doc = doc[outerEnd+len(end):]
	}
}

// paragraphs is the style and text of document.xml's paragraphs, in
// order, cells' included, but for the empty paragraphs that keep tables apart; it fails
// on any revision left.
func paragraphs(t testing.TB, doc string) []string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	var out []string
	var cur strings.Builder
	inText, gap, style := false, false, ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "p":
				cur.Reset()
				style = ""
			case "pStyle":
				style = xmlAttrValue(tok, "val")
				gap = gap || style == "TableGap"
			case "t":
				inText = true
			case "br":
				cur.WriteByte('\n')
			case "tab":
				cur.WriteByte('\t')
			case "ins", "del", "delText":
				t.Fatalf("a revision is left: %s", tok.Name.Local)
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "p":
				if !gap || cur.Len() > 0 {
					out = append(out, style+": "+cur.String())
				}
				gap = false
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				cur.Write(tok)
			}
		}
	}
	// The redline may end in an empty paragraph, after a revised one.
	for len(out) > 0 && out[len(out)-1] == ": " {
		out = out[:len(out)-1]
	}
	return out
}

func xmlAttrValue(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func documentXML(t testing.TB, data []byte) string {
	t.Helper()
	_, parts := docxParts(t, data)
	return string(parts["word/document.xml"])
}

// withDocument is a package with document.xml replaced.
func withDocument(t testing.TB, data []byte, doc string) []byte {
	t.Helper()
	names, parts := docxParts(t, data)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		f, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		b := parts[n]
		if n == "word/document.xml" {
			b = []byte(doc)
		}
		f.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// firstDiff says where two texts first differ.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return fmt.Sprintf("at byte %d of %d (want %d): %q, want %q", i, len(got), len(want), got[max(0, i-40):min(len(got), i+40)], want[max(0, i-40):min(len(want), i+40)])
}

// diffLines says where two lists of paragraphs first differ.
func diffLines(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("paragraph %d: got\n  %q\nwant\n  %q", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("%d paragraphs, want %d", len(got), len(want))
}

// TestDOCXRedlineAcceptAllGivesNewRejectAllGivesOld applies "accept all"
// and "reject all" to each pair's redline, on the XML, and requires the
// newer and the older document's paragraphs word for word, after the same
// verdict section; every change is a revision, and a pair without change
// has none.
func TestDOCXRedlineAcceptAllGivesNewRejectAllGivesOld(t *testing.T) {
	for _, p := range docxRedlinePairs(t) {
		t.Run(p.name, func(t *testing.T) {
			red := documentXML(t, redlineDOCX(t, p, "policyc"))
			acc := paragraphs(t, applyRevisions(t, red, true))
			rej := paragraphs(t, applyRevisions(t, red, false))
			want := paragraphs(t, documentXML(t, plainDOCX(t, p.new)))
			old := paragraphs(t, documentXML(t, plainDOCX(t, p.old)))
			k := len(acc) - len(want)
			if k <= 0 || len(rej)-len(old) != k {
				t.Fatalf("accepted %d paragraphs for the newer %d, rejected %d for the older %d: no verdict section before the document", len(acc), len(want), len(rej), len(old))
			}
			if !slices.Equal(acc[:k], rej[:k]) {
				t.Errorf("the verdict section is revised: %s", diffLines(acc[:k], rej[:k]))
			}
			labels, err := render.New().Labels(p.new.Doc.Locale)
			if err != nil {
				t.Fatal(err)
			}
			head, _, _ := strings.Cut(fmt.Sprintf(labels["diff.heading"], "v1", "v2", "\x00"), "\x00")
			if !strings.HasPrefix(acc[0], "Heading1: "+head) {
				t.Errorf("the first paragraph is %q, not the verdict", acc[0])
			}
			verdict := strings.Join(acc[:k], "\n")
			for _, v := range p.as.Changes {
				if !strings.Contains(verdict, v.Sentence) {
					t.Errorf("the verdict section lacks %q:\n%s", v.Sentence, verdict)
				}
				if refs := render.RuleRefs(v); refs != "" && !strings.Contains(verdict, refs) {
					t.Errorf("the verdict section lacks the rule %q:\n%s", refs, verdict)
				}
			}
			if p.as.Level > policy.Editorial && !strings.Contains(acc[0], labels["level."+p.as.Level.String()]) {
				t.Errorf("the verdict %q does not state the level %s", acc[0], p.as.Level)
			}
			if !slices.Equal(acc[k:], want) {
				t.Errorf("accept all does not give the newer document: %s", diffLines(acc[k:], want))
			}
			if !slices.Equal(rej[k:], old) {
				t.Errorf("reject all does not give the older document: %s", diffLines(rej[k:], old))
			}
			n := len(revOpen.FindAllString(red, -1)) + len(revEmpty.FindAllString(red, -1)) + strings.Count(red, "<w:rPrChange ") + strings.Count(red, "<w:pPrChange ")
			same := documentXML(t, plainDOCX(t, p.old)) == documentXML(t, plainDOCX(t, p.new))
			if (n == 0) != same {
				t.Errorf("%d revisions, and the two documents are the same: %v", n, same)
			}
			if !strings.Contains(red, `w:author="policyc" w:date="2026-05-02T00:00:00Z"`) && n > 0 {
				t.Errorf("revisions not by policyc on the newer version's date")
			}
		})
	}
}

// TestDOCXRedlinePackagesAreSoundAndByteIdentical checks every redline as
// every Word document is checked (element order over every part,
// relationships, numbering, bookmarks, fields) and renders it twice: the
// same bytes.
func TestDOCXRedlinePackagesAreSoundAndByteIdentical(t *testing.T) {
	for _, p := range docxRedlinePairs(t) {
		t.Run(p.name, func(t *testing.T) {
			data := redlineDOCX(t, p, "policyc")
			checkDOCX(t, data)
			if again := redlineDOCX(t, p, "policyc"); !bytes.Equal(data, again) {
				t.Errorf("two renders differ")
			}
		})
	}
}

// revisedText is the text of a redline's insertions and deletions, in
// order, without white space: in document.xml as policyc wrote it.
func revisedText(t testing.TB, doc string) (ins, del string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	var bi, bd strings.Builder
	inIns, inText := 0, ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return bi.String(), bd.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "ins":
				inIns++
			case "t", "delText":
				inText = tok.Name.Local
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "ins":
				inIns--
			case "t", "delText":
				inText = ""
			}
		case xml.CharData:
			switch {
			case inText == "delText":
				bd.WriteString(noSpace(string(tok)))
			case inText == "t" && inIns > 0:
				bi.WriteString(noSpace(string(tok)))
			}
		}
	}
}

func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }

var (
	loRegion = regexp.MustCompile(`(?s)<text:changed-region[^>]*text:id="([^"]+)"[^>]*>\s*<text:([A-Za-z-]+)>`) // a paragraph's format change is an UnknownChange
	loStart  = regexp.MustCompile(`<text:change-start text:change-id="([^"]+)"/>`)
	loTag    = regexp.MustCompile(`<[^>]*>`)
	// listLabel is a list item's label in LibreOffice's text.
	listLabel = regexp.MustCompile(`^\s*(\d+\.|[•◦▪])\s+`)
)

// loRevisedText is the same as LibreOffice sees it in its .fodt: the text
// between each change's start and end, in order, by kind; and the number
// of changes of each kind.
func loRevisedText(fodt string) (ins, del string, n map[string]int) {
	kind := map[string]string{}
	for _, m := range loRegion.FindAllStringSubmatch(fodt, -1) {
		kind[m[1]] = m[2]
	}
	var bi, bd strings.Builder
	for _, m := range loStart.FindAllStringSubmatchIndex(fodt, -1) {
		id := fodt[m[2]:m[3]]
		end := strings.Index(fodt[m[1]:], `<text:change-end text:change-id="`+id+`"/>`)
		if end < 0 {
			continue
		}
		text := noSpace(html.UnescapeString(loTag.ReplaceAllString(fodt[m[1]:m[1]+end], "")))
		switch kind[id] {
		case "insertion":
			bi.WriteString(text)
		case "deletion":
			bd.WriteString(text)
		}
	}
	n = map[string]int{}
	for _, k := range kind {
		n[k]++
	}
	return bi.String(), bd.String(), n
}

// TestDOCXRedlineLibreOfficeSeesEveryChange has LibreOffice, which policyc
// did not write, read each redline: the text of its insertions and of its
// deletions is the redline's, in order, it sees as many tracked changes
// as the redline's revisions make by its rules (loChanges), and its text of
// the redline with every change accepted (or rejected) on the XML
// is its text of the newer (older) document, after the verdict section.
// Info-ZIP's unzip tests each package.
func TestDOCXRedlineLibreOfficeSeesEveryChange(t *testing.T) {
	unzip := checkers.Tool(t, "unzip", "apt-get install -y unzip")
	dir := t.TempDir()
	pairs := docxRedlinePairs(t)
	var reds, texts []string
	docs := map[string]string{}
	write := func(name string, data []byte) string {
		f := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	for _, p := range pairs {
		data := redlineDOCX(t, p, "counsel")
		doc := documentXML(t, data)
		docs[p.name] = doc
		reds = append(reds, write("red-"+p.name, data))
		texts = append(texts,
			write("acc-"+p.name, withDocument(t, data, applyRevisions(t, doc, true))),
			write("rej-"+p.name, withDocument(t, data, applyRevisions(t, doc, false))),
			write("new-"+p.name, plainDOCX(t, p.new)),
			write("old-"+p.name, plainDOCX(t, p.old)))
	}
	soffice(t, "fodt", dir, reds)
	soffice(t, "txt:Text", dir, texts)
	lines := func(name string) []string {
		b, err := os.ReadFile(filepath.Join(dir, name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		ls := strings.Split(strings.TrimRight(strings.TrimPrefix(string(b), "\uFEFF"), "\r\n"), "\n")
		for i, l := range ls {
			// The words, not the list labels LibreOffice writes before
			// an item: an item whose list changed may count on from
			// another list when the changes are rejected.
			ls[i] = listLabel.ReplaceAllString(l, "")
		}
		return ls
	}
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			fodt, err := os.ReadFile(filepath.Join(dir, "red-"+p.name+".fodt"))
			if err != nil {
				t.Fatal(err)
			}
			ins, del := revisedText(t, docs[p.name])
			loIns, loDel, n := loRevisedText(string(fodt))
			if loIns != ins {
				t.Errorf("LibreOffice's insertions differ from the redline's: %s", firstDiff(loIns, ins))
			}
			if loDel != del {
				t.Errorf("LibreOffice's deletions differ from the redline's: %s", firstDiff(loDel, del))
			}
			changes := loChanges(revisionItems(t, docs[p.name]))
			want := map[string]int{}
			for _, c := range changes {
				want[loKind[c[0]]]++
			}
			if !maps.Equal(n, want) {
				t.Errorf("LibreOffice sees tracked changes %v, the redline's revisions make %v: %q", n, want, changes)
			}
			t.Logf("LibreOffice sees tracked changes %v", n)
			if len(n) > 0 && !strings.Contains(string(fodt), "<dc:creator>counsel</dc:creator>") {
				t.Errorf("LibreOffice's changes are not by the author named")
			}
			for _, side := range [][2]string{{"acc-", "new-"}, {"rej-", "old-"}} {
				red, plain := lines(side[0]+p.name), lines(side[1]+p.name)
				if len(red) <= len(plain) || !slices.Equal(red[len(red)-len(plain):], plain) {
					t.Errorf("LibreOffice's text of %s%s does not end in its text of %s%s: %s", side[0], p.name, side[1], p.name, diffLines(red[max(0, len(red)-len(plain)):], plain))
				}
			}
			out, err := exec.Command(unzip, "-t", filepath.Join(dir, "red-"+p.name+".docx")).CombinedOutput()
			if err != nil || !bytes.Contains(out, []byte("No errors detected")) || bytes.Contains(out, []byte("warning")) {
				t.Errorf("unzip -t: %v\n%s", err, out)
			}
		})
	}
}
