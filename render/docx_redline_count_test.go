package render_test

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// revisionItem is one piece of a redline's document.xml as LibreOffice's
// tracked changes cut it: a stretch of a run's text or a paragraph mark,
// inserted ('i'), deleted ('d') or neither (0); or the edge of a table
// cell ('|'), which no change crosses.
type revisionItem struct {
	kind byte
	mark bool // a paragraph mark
	// restyled: the text's paragraph (pPrChange) or run (rPrChange) is
	// set otherwise than before.
	para, run bool
	first     bool   // the first run of a restyled paragraph
	afterFmt  bool   // and the paragraph before it was restyled too
	text      string // its text, to name it in a message
}

// revisionItems reads document.xml's body into revision items, in order.
func revisionItems(t testing.TB, doc string) []revisionItem {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	var items []revisionItem
	var kind byte // the w:ins or w:del the text is in
	var inPPr, inRPr, inRun, paraFmt, runFmt bool
	var mark byte
	var first, lastFmt bool
	last := -1 // the item whose text is being read
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return items
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch n := tok.Name.Local; {
			case n == "tc":
				items = append(items, revisionItem{kind: '|'})
			case n == "p":
				paraFmt, mark, first = false, 0, true
			case n == "pPr":
				inPPr = true
			case n == "pPrChange":
				paraFmt = true
			case n == "r":
				inRun, runFmt = true, false
			case n == "rPr":
				inRPr = true
			case n == "rPrChange" && inRun:
				runFmt = true
			case (n == "ins" || n == "del") && inPPr && inRPr:
				mark = n[0]
			case n == "ins" || n == "del":
				if !inPPr {
					kind = n[0]
				}
			case n == "t" || n == "delText" || n == "tab" || n == "br":
				items = append(items, revisionItem{kind: kind, para: paraFmt, run: runFmt, first: paraFmt && first, afterFmt: paraFmt && first && lastFmt})
				first = false
				last = len(items) - 1
			}
		case xml.CharData:
			if last >= 0 {
				items[last].text += string(tok)
			}
		case xml.EndElement:
			switch n := tok.Name.Local; n {
			case "tc":
				items = append(items, revisionItem{kind: '|'})
			case "t", "delText":
				last = -1
			case "p":
				items = append(items, revisionItem{kind: mark, mark: true, para: paraFmt})
				lastFmt = paraFmt
			case "pPr":
				inPPr = false
			case "rPr":
				inRPr = false
			case "r":
				inRun = false
			case "ins", "del":
				if !inPPr {
					kind = 0
				}
			}
		}
	}
}

// loKind is the element LibreOffice's .fodt names a change of each kind
// in loChanges with.
var loKind = map[byte]string{'i': "insertion", 'd': "deletion", 'f': "format-change", 'p': "UnknownChange"}

// loChanges are the tracked changes LibreOffice makes of a redline's
// revisions when it opens the document (its .fodt's text:changed-region
// elements), each as its kind and the start of its text, in order, by the
// rules seen on the redline tests' pairs (LibreOffice 7.4):
//   - an insertion or deletion is one stretch of text of that kind, across
//     runs, links, formatting and paragraph marks of that kind; a table
//     cell's edge ends it; an inserted stretch ending one paragraph and one
//     beginning the next are one, even when the mark between is kept;
//   - a paragraph mark inserted or deleted alone before a table is none;
//   - a run set otherwise (w:rPrChange) is a format change, one for
//     consecutive such runs;
//   - a paragraph set otherwise (w:pPrChange) is cut by the paragraph's
//     insertions and deletions: one piece for its first run, one for each
//     stretch of text kept as it was after that (a format-changed run is
//     not one), one for a paragraph without text; an insertion in its
//     first run ends there, and so does a deletion that began before the
//     paragraph or follows another paragraph set otherwise.
func loChanges(items []revisionItem) []string {
	var out []string
	add := func(k byte, s string) {
		if r := []rune(s); len(r) > 25 {
			s = string(r[:25])
		}
		out = append(out, string(k)+" "+s)
	}
	prev := revisionItem{kind: '|'}
	start, split := -1, false
	for i, it := range items {
		if it.mark && i+1 < len(items) && items[i+1].kind == '|' {
			it.kind = 0 // a paragraph mark before a table
		}
		if it.mark && it.kind == 0 && prev.kind == 'i' && !prev.mark && i+1 < len(items) && items[i+1].kind == 'i' && !items[i+1].mark {
			continue // insertions on both sides of a paragraph break
		}
		if (it.kind == 'i' || it.kind == 'd') && (it.kind != prev.kind || split) {
			start = i
			add(it.kind, it.text)
		}
		if it.run && !(i > 0 && items[i-1].run) {
			add('f', it.text)
		}
		if it.para && !it.mark && (it.first && it.kind != 0 || it.kind == 0 && !it.run && (it.first || prev.kind != 0 && !prev.first || prev.mark || prev.run)) {
			add('p', it.text)
		}
		if it.para && it.mark && (i == 0 || !items[i-1].para || items[i-1].mark) {
			add('p', "")
		}
		split = it.first && (it.kind == 'i' || it.kind == 'd' && (it.afterFmt || start < i))
		prev = it
	}
	return out
}
