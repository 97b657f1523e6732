package render

import (
	"bytes"
	"fmt"
	"html"
	"strings"
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
