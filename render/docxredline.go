package render

import (
	"fmt"
	"hash/fnv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/policyc/policyc/policy"
)

// The Word redline is the newer document in which every change against
// the older one is a tracked change: Word's "Accept all changes" gives the
// newer document and "Reject all changes" the older one. Both documents are
// built as block models by the Word writer from their own trees; the blocks
// are aligned as the text redline aligns lines (an exact diff of the
// blocks, then the changed ones paired by the words they share: no
// table of all blocks against all blocks), a table's rows likewise, and
// only a paired paragraph or cell is compared word by word. A word keeps
// the formatting of its own side: a deleted word is set as it was, an
// inserted or kept one as it is now.

// DOCXRedlineOptions control the Word redline.
type DOCXRedlineOptions struct {
	PageSize PageSize
	// Author is the revisions' author ("policyc" when empty).
	Author string
	// Date is the revisions' date: the newer version's update date, never
	// the clock. A zero date is left out.
	Date time.Time
	// From and To name the two versions in the verdict ("v2", "v3").
	From, To string
	// Words words the verdict (nil: the renderer's labels in the newer
	// document's locale), so that a project's own labels speak for it.
	Words *Wording
}

// DOCXRedline writes the Word redline of old against new: a first section
// stating the verdict (level, each change's sentence and rule) as plain
// text, then the newer document with every difference from the older one
// as a tracked change.
func (r *Renderer) DOCXRedline(w io.Writer, old, new *Tree, as policy.Assessment, opts DOCXRedlineOptions) error {
	labels, err := r.labels(new.Doc.Locale)
	if err != nil {
		return err
	}
	verdictLabels := labels
	if opts.Words != nil {
		verdictLabels = opts.Words.new.labels
	}
	dopts := DOCXOptions{PageSize: opts.PageSize}
	a := newDocxWriter(old, dopts)
	a.blocks(old.Root, blockCtx{})
	d := newDocxWriter(new, dopts)
	d.blocks(new.Root, blockCtx{})
	author := opts.Author
	if author == "" {
		author = "policyc"
	}
	rd := &docxRedline{
		d: d, a: a,
		ins:   &revision{author: author, date: opts.Date},
		del:   &revision{deleted: true, author: author, date: opts.Date},
		nums:  map[int]int{},
		marks: map[string]bool{},
	}
	for id := range d.headings {
		rd.marks[bookmarkName(id)] = true
	}
	blocks := rd.verdict(opts.From, opts.To, as, verdictLabels)
	blocks = append(blocks, rd.merge(a.model, d.model)...)
	if n := len(blocks); n > 0 && blocks[n-1].table == nil && blocks[n-1].p.rev != nil {
		// The body's last paragraph mark cannot be inserted or deleted.
		blocks = append(blocks, docxBlock{})
	}
	d.emit(blocks)
	return d.pack(w, labels, dopts)
}

// docxRedline merges an old model (a) into a new one (d), whose writer
// writes the result.
type docxRedline struct {
	d, a     *docxWriter
	ins, del *revision
	nums     map[int]int     // the old side's numbering instances in d's
	marks    map[string]bool // the new side's bookmarks
}

// verdict is the first section: what changed and what it calls for, as
// text, not as revisions.
func (rd *docxRedline) verdict(from, to string, as policy.Assessment, labels map[string]string) []docxBlock {
	l := func(key string) string {
		if v := labels[key]; v != "" {
			return v
		}
		return VerdictLabel(nil, key) // a project's label file that leaves it out
	}
	heading := func(level string) string { return fmt.Sprintf(l("diff.heading"), from, to, level) }
	head := func(s string) docxBlock {
		return docxBlock{p: paraProps{style: "Heading1"}, runs: []docxRun{{text: s}}}
	}
	text := func(rs ...docxRun) docxBlock { return docxBlock{runs: rs} }
	var out []docxBlock
	switch {
	case as.NotAssessed != "": // a side has no model: no level is claimed
		out = append(out, head(heading(l("level.not_assessed"))),
			text(docxRun{text: capitalize(oneLine(noControls(as.NotAssessed))) + l("period")}))
	case len(as.Changes) == 0 && !as.ProseChanged:
		out = append(out, head(heading(l("diff.none"))))
	case len(as.Changes) == 0:
		out = append(out, head(heading(l("level."+as.Level.String()))))
	default:
		out = append(out, head(heading(l("level."+as.Level.String()))),
			text(docxRun{text: capitalize(l("diff.advice."+as.Level.String())) + l("period")}))
		if rd.d.bullets == 0 {
			rd.d.nums = append(rd.d.nums, docxNum{})
			rd.d.bullets = len(rd.d.nums)
		}
		for _, g := range ByLevel(as) {
			if len(g) == 0 {
				continue
			}
			out = append(out, docxBlock{p: paraProps{style: "Heading2"}, runs: []docxRun{{text: fmt.Sprintf(l("diff.count"), capitalize(l("level."+g[0].Level.String())), len(g))}}})
			for _, v := range g {
				runs := []docxRun{{text: oneLine(noControls(v.Sentence))}}
				if refs := RuleRefs(v); refs != "" && v.Level > policy.Editorial {
					runs = append(runs, docxRun{text: " (" + refs + ")", st: runStyle{italic: true}})
				}
				out = append(out, docxBlock{p: paraProps{style: "ListBullet", numID: rd.d.bullets}, runs: runs})
			}
		}
	}
	if as.ProseChanged {
		out = append(out, text(docxRun{text: l("diff.prose.docx")}))
	}
	out = append(out, docxBlock{p: paraProps{border: true}})
	return out
}

// blockKey is what aligns blocks: a paragraph's style, level, text and
// how its text is set and linked; a table's cells so.
func blockKey(w *docxWriter, b docxBlock) string {
	var s strings.Builder
	if b.table != nil {
		s.WriteString("\x01table")
		for _, r := range b.table.rows {
			s.WriteString(rowKey(w, r))
		}
		return s.String()
	}
	fmt.Fprintf(&s, "%s\x00%d\x00%s\x00%s", b.p.style, b.p.ilvl, runsText(b.runs), runsLook(w, b.runs))
	return s.String()
}

func rowKey(w *docxWriter, r docxRow) string {
	var s strings.Builder
	s.WriteString("\x02")
	for _, c := range r.cells {
		s.WriteString(runsText(c.runs))
		s.WriteString("\x03")
		s.WriteString(runsLook(w, c.runs))
	}
	return s.String()
}

// runsLook is a fingerprint of how runs are set and where they link, so
// that a paragraph set otherwise is a change.
func runsLook(w *docxWriter, runs []docxRun) string {
	h := fnv.New64a()
	for _, r := range runs {
		target := ""
		if r.link.rel != 0 {
			target = w.rels[r.link.rel-1]
		}
		fmt.Fprintf(h, "%d\x00%v\x00%s\x00%s\x00", len(r.text), r.st, target, r.link.anchor)
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

func runsText(runs []docxRun) string {
	var s strings.Builder
	for _, r := range runs {
		s.WriteString(r.text)
	}
	return s.String()
}

// alignUnits aligns two sequences of units: an exact diff, then in each
// run of changed units the old ones paired with the new ones they
// resemble, in order (pairUnits, as the text redline pairs lines). It
// calls each for every unit, in the newer text's order, unpaired old
// units before unpaired new ones where they meet: i is an old unit and j
// a new one, -1 for none.
func alignUnits(ua, ub []string, each func(i, j int)) {
	i, j := 0, 0   // the next old and new units
	di, dj := 0, 0 // where the pending run of changed units starts
	flush := func() {
		dels, ins := ua[di:i], ub[dj:j]
		pi, pj := 0, 0
		for _, p := range pairUnits(dels, ins) {
			for ; pi < p[0]; pi++ {
				each(di+pi, -1)
			}
			for ; pj < p[1]; pj++ {
				each(-1, dj+pj)
			}
			each(di+p[0], dj+p[1])
			pi, pj = p[0]+1, p[1]+1
		}
		for ; pi < len(dels); pi++ {
			each(di+pi, -1)
		}
		for ; pj < len(ins); pj++ {
			each(-1, dj+pj)
		}
	}
	for _, s := range unitDiff(ua, ub) {
		switch s.op {
		case Equal:
			flush()
			for range s.a {
				each(i, j)
				i, j = i+1, j+1
			}
			di, dj = i, j
		case Delete:
			i += len(s.a)
		case Insert:
			j += len(s.b)
		}
	}
	flush()
}

// merge is the redline of two block models.
func (rd *docxRedline) merge(am, bm []docxBlock) []docxBlock {
	ka, kb := make([]string, len(am)), make([]string, len(bm))
	for i, b := range am {
		ka[i] = blockKey(rd.a, b)
	}
	for j, b := range bm {
		kb[j] = blockKey(rd.d, b)
	}
	var steps [][2]int
	alignUnits(ka, kb, func(i, j int) {
		steps = append(steps, [2]int{i, j})
		if i >= 0 && j >= 0 && am[i].table == nil && bm[j].table == nil {
			rd.sameLists(am[i].p, bm[j].p)
		}
	})
	var out []docxBlock
	for _, st := range steps {
		i, j := st[0], st[1]
		switch {
		case i < 0:
			out = append(out, rd.inserted(bm[j]))
		case j < 0:
			out = append(out, rd.deleted(am[i]))
		case ka[i] == kb[j]:
			out = append(out, bm[j])
		case am[i].table == nil && bm[j].table == nil:
			b := bm[j]
			b.runs = rd.mergeRuns(am[i].runs, b.runs)
			if !rd.sameLook(am[i].p, b.p) {
				was := rd.oldProps(am[i].p)
				b.p.restyled, b.p.was = rd.ins, &was
			}
			out = append(out, b)
		case am[i].table != nil && bm[j].table != nil && len(am[i].table.align) == len(bm[j].table.align):
			out = append(out, docxBlock{table: rd.mergeTable(am[i].table, bm[j].table)})
		default: // a paragraph became a table, or a table changed its columns
			out = append(out, rd.deleted(am[i]), rd.inserted(bm[j]))
		}
		if n := len(out); n > 1 && out[n-1].table != nil && out[n-2].table != nil {
			// A deleted table right before an inserted one would be one
			// table to Word: a deleted paragraph keeps them apart (and
			// stays, empty, when the changes are rejected).
			gap := docxBlock{p: paraProps{style: "TableGap", rev: rd.del}}
			out = append(out[:n-1], gap, out[n-1])
		}
	}
	return out
}

// mergeTable is the redline of two tables of as many columns: rows
// aligned as blocks are, a paired row compared cell by cell.
func (rd *docxRedline) mergeTable(ta, tb *docxTable) *docxTable {
	ka, kb := make([]string, len(ta.rows)), make([]string, len(tb.rows))
	for i, r := range ta.rows {
		ka[i] = rowKey(rd.a, r)
	}
	for j, r := range tb.rows {
		kb[j] = rowKey(rd.d, r)
	}
	t := *tb
	t.rows = nil
	alignUnits(ka, kb, func(i, j int) {
		switch {
		case i < 0:
			t.rows = append(t.rows, rd.row(tb.rows[j], rd.ins))
		case j < 0:
			t.rows = append(t.rows, rd.row(ta.rows[i], rd.del))
		case ka[i] == kb[j]:
			t.rows = append(t.rows, tb.rows[j])
		default:
			r := tb.rows[j]
			r.cells = append([]docxBlock(nil), r.cells...)
			for c := range r.cells {
				r.cells[c].runs = rd.mergeRuns(ta.rows[i].cells[c].runs, r.cells[c].runs)
			}
			t.rows = append(t.rows, r)
		}
	})
	return &t
}

// sameLook reports whether an old and a new paragraph are set alike:
// style, list (the new list its old list became), level, indent, border
// and alignment.
func (rd *docxRedline) sameLook(a, b paraProps) bool {
	list := a.numID == 0 && b.numID == 0 || a.numID != 0 && rd.nums[a.numID] == b.numID
	return list && a.style == b.style && a.ilvl == b.ilvl && a.indent == b.indent && a.border == b.border && a.jc == b.jc
}

// listKind is 0 for no list, 1 for bullets, 2 for a numbered list.
func listKind(w *docxWriter, numID int) int {
	switch {
	case numID == 0:
		return 0
	case numID == w.bullets:
		return 1
	}
	return 2
}

// sameLists makes an old list's numbering instance the new one's, when
// an item of the old list stays an item of a new list of its kind: the
// items deleted from a list then count with those kept.
func (rd *docxRedline) sameLists(a, b paraProps) {
	if a.numID == 0 || b.numID == 0 || listKind(rd.a, a.numID) != listKind(rd.d, b.numID) {
		return
	}
	if _, ok := rd.nums[a.numID]; !ok {
		rd.nums[a.numID] = b.numID
	}
}

// inserted is a new block marked inserted: its text, its paragraph mark,
// a table's every row.
func (rd *docxRedline) inserted(b docxBlock) docxBlock {
	if b.table != nil {
		t := *b.table
		t.rows = make([]docxRow, len(b.table.rows))
		for i, r := range b.table.rows {
			t.rows[i] = rd.row(r, rd.ins)
		}
		return docxBlock{table: &t}
	}
	b.p.rev = rd.ins
	b.runs = marked(b.runs, rd.ins)
	return b
}

// deleted is an old block marked deleted, its numbering, links and
// bookmarks made the new document's.
func (rd *docxRedline) deleted(b docxBlock) docxBlock {
	if b.table != nil {
		t := *b.table
		t.rows = make([]docxRow, len(b.table.rows))
		for i, r := range b.table.rows {
			t.rows[i] = rd.row(r, rd.del)
		}
		return docxBlock{table: &t}
	}
	b.p = rd.oldProps(b.p)
	b.p.rev = rd.del
	b.runs = marked(rd.oldRuns(b.runs), rd.del)
	return b
}

// row is a row marked inserted or deleted, with all its text.
func (rd *docxRedline) row(r docxRow, rev *revision) docxRow {
	r.rev = rev
	cells := make([]docxBlock, len(r.cells))
	for i, c := range r.cells {
		if rev.deleted {
			c.runs = rd.oldRuns(c.runs)
		}
		c.runs = marked(c.runs, rev)
		cells[i] = c
	}
	r.cells = cells
	return r
}

func marked(runs []docxRun, rev *revision) []docxRun {
	out := make([]docxRun, len(runs))
	for i, r := range runs {
		r.rev = rev
		out[i] = r
	}
	return out
}

// oldProps are an old paragraph's properties in the new document: its
// list's numbering instance copied over; no bookmark (the new document's
// headings hold them) and no field characters.
func (rd *docxRedline) oldProps(p paraProps) paraProps {
	p.bookmark, p.rawPrefix, p.rawSuffix = "", "", ""
	if p.numID == 0 {
		return p
	}
	id, ok := rd.nums[p.numID]
	if !ok {
		d := rd.d
		if p.numID == rd.a.bullets {
			if d.bullets == 0 {
				d.nums = append(d.nums, docxNum{})
				d.bullets = len(d.nums)
			}
			id = d.bullets
		} else {
			d.nums = append(d.nums, rd.a.nums[p.numID-1])
			id = len(d.nums)
		}
		rd.nums[p.numID] = id
	}
	p.numID = id
	return p
}

// oldRuns are old runs with their links made the new document's: a
// target outside gets its relationship there, a heading that is gone no
// link.
func (rd *docxRedline) oldRuns(runs []docxRun) []docxRun {
	out := make([]docxRun, len(runs))
	for i, r := range runs {
		switch l := r.link; {
		case l.rel != 0:
			r.link = rd.d.external(rd.a.rels[l.rel-1], l.anchor)
		case l.anchor != "" && !rd.marks[l.anchor]:
			r.link = docxLink{}
		}
		out[i] = r
	}
	return out
}

// mergeRuns is the word redline of a paired paragraph: its words compared
// (WordDiff), each kept or inserted word taken from the new runs and each
// deleted one from the old, with its formatting and link.
func (rd *docxRedline) mergeRuns(old, new []docxRun) []docxRun {
	oc, nc := &runCursor{runs: rd.oldRuns(old)}, &runCursor{runs: new}
	var out []docxRun
	for _, s := range WordDiff(runsText(old), runsText(new)) {
		n := len(s.Text)
		switch s.Op {
		case Equal:
			out = rd.same(out, oc, nc, n)
		case Delete:
			out = oc.take(out, n, rd.del)
		case Insert:
			out = nc.take(out, n, rd.ins)
		}
	}
	return out
}

// same appends the next n bytes of text both sides share, set as they
// are now: where a word was set otherwise, as a formatting change; where it
// linked elsewhere, as the old link deleted and the new one inserted.
func (rd *docxRedline) same(out []docxRun, oc, nc *runCursor, n int) []docxRun {
	for n > 0 && nc.k < len(nc.runs) && oc.k < len(oc.runs) {
		o, w := oc.runs[oc.k], nc.runs[nc.k]
		m := min(n, len(w.text)-nc.off, len(o.text)-oc.off)
		if m == 0 { // an empty run
			nc.advance(0)
			oc.advance(0)
			continue
		}
		piece := w
		piece.text = w.text[nc.off : nc.off+m]
		switch {
		case o.link != w.link:
			o.text, o.rev = o.text[oc.off:oc.off+m], rd.del
			out = addRun(out, o)
			piece.rev = rd.ins
		case o.st != w.st:
			piece.restyled, piece.was = rd.ins, o.st
		}
		out = addRun(out, piece)
		nc.advance(m)
		oc.advance(m)
		n -= m
	}
	return out
}

// runCursor reads runs' text in order, a byte count at a time.
type runCursor struct {
	runs []docxRun
	k    int // the run being read
	off  int // bytes of it read
}

// take appends the next n bytes of text as runs marked rev.
func (c *runCursor) take(out []docxRun, n int, rev *revision) []docxRun {
	for n > 0 && c.k < len(c.runs) {
		r := c.runs[c.k]
		m := min(n, len(r.text)-c.off)
		r.text, r.rev = r.text[c.off:c.off+m], rev
		out = addRun(out, r)
		c.advance(m)
		n -= m
	}
	return out
}

func (c *runCursor) advance(m int) {
	c.off += m
	if c.k < len(c.runs) && c.off == len(c.runs[c.k].text) {
		c.k, c.off = c.k+1, 0
	}
}
