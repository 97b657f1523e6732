package render

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Op is what a redline segment is.
type Op string

// Segment operations.
const (
	Equal  Op = "="
	Insert Op = "+"
	Delete Op = "-"
)

// Segment is a run of text in a redline.
type Segment struct {
	Op   Op     `json:"op"`
	Text string `json:"text"`
}

// SectionRedline is the redline of one section.
type SectionRedline struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Status   string    `json:"status"` // "changed", "added", "removed"
	Segments []Segment `json:"segments"`
	rows     []row     // the same redline line by line, when known
}

// Redline compares two composed documents section by section, word by word
// (character by character in Chinese, Japanese and Korean), exactly: the
// diff has no time limit. Unchanged sections are left out.
func Redline(old, new *Doc) ([]SectionRedline, error) {
	a, err := Cut(old)
	if err != nil {
		return nil, err
	}
	b, err := Cut(new)
	if err != nil {
		return nil, err
	}
	return a.Redline(b), nil
}

// CutDoc is a document cut into its sections, ready to be compared with
// others: a site comparing many versions with the current one cuts each
// once.
type CutDoc struct {
	doc      *Doc
	texts    map[string]string // section id → text, without its heading
	headings int
	// head is what stands before the first section: the title, the
	// version and dates, the summary and the scope; title is the title.
	head, title string
}

// CutParts are what a cut document holds besides its outline: what stands
// before the first section, each section's text by id, and how many
// level-2 headings the document had. A site keeps them between builds.
type CutParts struct {
	Head     string
	Sections map[string]string
	Headings int
}

// Parts returns the document's parts.
func (c *CutDoc) Parts() CutParts {
	return CutParts{Head: c.head, Sections: c.texts, Headings: c.headings}
}

// FromParts is the cut document with these parts and d's outline (its
// locale, id and Sections; d.Markdown is not read).
func FromParts(d *Doc, p CutParts) *CutDoc {
	return &CutDoc{doc: d, texts: p.Sections, headings: p.Headings, head: p.Head, title: titleOf(p.Head)}
}

// titleOf is the title in what stands before a document's first section.
func titleOf(head string) string {
	title, _, _ := strings.Cut(strings.TrimPrefix(head, "# "), "\n")
	return strings.TrimSpace(title)
}

// HeadID is the redline's id for what stands before the first section.
const HeadID = "head"

// Headings is how many level-2 headings (outside code fences) the
// document's Markdown has: as many as it has Sections, when they belong to
// it.
func (c *CutDoc) Headings() int { return c.headings }

// Cut cuts a composed document into its sections.
func Cut(d *Doc) (*CutDoc, error) {
	if !utf8.Valid(d.Markdown) {
		return nil, fmt.Errorf("redline: document %s is not valid UTF-8", d.FileName())
	}
	texts, n, head := splitSections(d)
	return &CutDoc{doc: d, texts: texts, headings: n, head: head, title: titleOf(head)}, nil
}

// Redline compares the document with a newer one, as Redline does.
func (c *CutDoc) Redline(newer *CutDoc) []SectionRedline {
	a, b := c.texts, newer.texts
	var out []SectionRedline
	if c.head != newer.head {
		title := newer.title
		if title == "" {
			title = c.title
		}
		out = append(out, changedSection(HeadID, title, c.head, newer.head))
	}
	seen := map[string]bool{}
	for _, h := range newer.doc.Sections {
		seen[h.ID] = true
		nb := b[h.ID]
		na, ok := a[h.ID]
		switch {
		case !ok:
			out = append(out, SectionRedline{ID: h.ID, Title: h.Title, Status: "added", Segments: []Segment{{Insert, nb}}})
		case na != nb:
			out = append(out, changedSection(h.ID, h.Title, na, nb))
		}
	}
	for _, h := range c.doc.Sections {
		if !seen[h.ID] {
			out = append(out, SectionRedline{ID: h.ID, Title: h.Title, Status: "removed", Segments: []Segment{{Delete, a[h.ID]}}})
		}
	}
	return out
}

// changedSection is the redline of a section that changed.
func changedSection(id, title, old, new string) SectionRedline {
	rows := diffRows(old, new)
	return SectionRedline{ID: id, Title: title, Status: "changed", Segments: flatten(rows), rows: rows}
}

// splitSections cuts a composed document at its level-2 headings, which
// are its sections in order, and returns how many headings it cut at and
// what stands before the first (the title, dates, summary and scope, so
// that a change to them shows in the redline). The sections are substrings
// of one copy of the document.
func splitSections(d *Doc) (map[string]string, int, string) {
	out := make(map[string]string, len(d.Sections))
	md := string(d.Markdown)
	i, start := -1, 0
	var head string
	flush := func(end int) {
		switch {
		case i < 0:
			head = strings.TrimSpace(md[:end])
		case i < len(d.Sections):
			out[d.Sections[i].ID] = strings.TrimSpace(md[start:end])
		}
	}
	inFence := false
	for at := 0; at < len(md); {
		n := strings.IndexByte(md[at:], '\n') + 1
		if n == 0 {
			n = len(md) - at
		}
		l := md[at : at+n]
		if strings.HasPrefix(l, "```") || strings.HasPrefix(l, "~~~") {
			inFence = !inFence
		}
		if !inFence && strings.HasPrefix(l, "## ") {
			flush(at)
			i++
			start = at + n
		}
		at += n
	}
	flush(len(md))
	return out, i + 1, head
}

// Outline reads the sections of a document back from its HTML page as
// this package writes it: each level-2 heading's id and text, in order.
// The ids are the model's section ids, so they match sections across
// versions even when a title changes.
func Outline(page []byte) []Heading {
	var out []Heading
	const open = `<h2 id="`
	for {
		i := bytes.Index(page, []byte(open))
		if i < 0 {
			return out
		}
		page = page[i+len(open):]
		q := bytes.IndexByte(page, '"')
		gt := bytes.IndexByte(page, '>')
		if q < 0 || gt < q {
			return out
		}
		id := html.UnescapeString(string(page[:q]))
		page = page[gt+1:]
		end := bytes.IndexByte(page, '<')
		if end < 0 {
			return out
		}
		out = append(out, Heading{ID: id, Title: strings.TrimSpace(html.UnescapeString(string(page[:end])))})
	}
}

// quoteWords is how many words of unchanged text a quoted change keeps on
// each side.
const quoteWords = 4

// quoteWhole is the length up to which a text is quoted whole.
const quoteWhole = 100

// quoteWindow is how much of each text, from the line where they first
// differ, is compared to find the change to quote.
const quoteWindow = 2000

// QuoteChange quotes where a text changed: the first changed words on each
// side with a few words of context ("…" where text is left out), rather
// than the text's first words, which may be the same before and after.
// spacing is true when nothing but spaces and line breaks changed.
func QuoteChange(old, new string) (before, after string, spacing bool) {
	if old == new {
		return "", "", false
	}
	dropSpace := func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}
	if strings.Map(dropSpace, old) == strings.Map(dropSpace, new) {
		return "", "", true
	}
	fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if utf8.RuneCountInString(old) <= quoteWhole && utf8.RuneCountInString(new) <= quoteWhole {
		return fold(old), fold(new), false
	}
	// Only the first change is quoted, so only a window from the line
	// where the texts first differ is compared: a quote of a long text
	// costs what a paragraph costs.
	p := 0
	for p < len(old) && p < len(new) && old[p] == new[p] {
		p++
	}
	p = strings.LastIndexByte(old[:p], '\n') + 1
	window := func(s string) string {
		s = s[p:]
		if len(s) > quoteWindow {
			if cut := strings.LastIndexAny(s[:quoteWindow], " \n"); cut > 0 {
				return s[:cut]
			}
		}
		return s
	}
	segs := WordDiff(window(old), window(new))
	first := -1
	for i, s := range segs {
		if s.Op != Equal && strings.TrimSpace(s.Text) != "" {
			first = i
			break
		}
	}
	if first < 0 {
		return "", "", true
	}
	// The change runs on while what separates its parts is short.
	last := first
	for i := first + 1; i < len(segs); i++ {
		if segs[i].Op != Equal {
			last = i
			continue
		}
		if countWords(segs[i].Text) > quoteWords {
			break
		}
	}
	var b, a strings.Builder
	lead, cutLead := lastWords(segs, first)
	cutLead = cutLead || p > 0 && lead != ""
	trail, cutTrail := firstWords(segs, last)
	for _, w := range []*strings.Builder{&b, &a} {
		if cutLead {
			w.WriteString("… ")
		}
		w.WriteString(lead)
	}
	for _, s := range segs[first : last+1] {
		if s.Op != Insert {
			b.WriteString(s.Text)
		}
		if s.Op != Delete {
			a.WriteString(s.Text)
		}
	}
	for _, w := range []*strings.Builder{&b, &a} {
		w.WriteString(trail)
		if cutTrail {
			w.WriteString(" …")
		}
	}
	return fold(b.String()), fold(a.String()), false
}

// countWords counts the tokens of s that are words (hold a letter or a
// digit).
func countWords(s string) int {
	n := 0
	for _, t := range tokens(s) {
		if isWordToken(t) {
			n++
		}
	}
	return n
}

func isWordToken(t string) bool { return strings.IndexFunc(t, isWord) >= 0 }

// lastWords is the end of the unchanged text before segment i, up to
// quoteWords words, and whether text before it was left out.
func lastWords(segs []Segment, i int) (string, bool) {
	if i == 0 || segs[i-1].Op != Equal {
		return "", false
	}
	ts := tokens(segs[i-1].Text)
	n, k := 0, len(ts)
	for k > 0 && n < quoteWords {
		k--
		if isWordToken(ts[k]) {
			n++
		}
	}
	return strings.Join(ts[k:], ""), k > 0 || i > 1
}

// firstWords is the start of the unchanged text after segment i, up to
// quoteWords words, and whether text after it was left out.
func firstWords(segs []Segment, i int) (string, bool) {
	if i+1 >= len(segs) || segs[i+1].Op != Equal {
		return "", i+1 < len(segs)
	}
	ts := tokens(segs[i+1].Text)
	n, k := 0, 0
	for k < len(ts) && n < quoteWords {
		if isWordToken(ts[k]) {
			n++
		}
		k++
	}
	return strings.Join(ts[:k], ""), k < len(ts) || i+2 < len(segs)
}
