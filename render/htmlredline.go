package render

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The comparison page shows each changed section as the document reads,
// with the changes marked. Each side's Markdown is rendered by the same
// HTML writer as the policy's pages (links judged by policy.SafeLink, no
// raw HTML) and cut into blocks: paragraphs, headings, list items and
// table rows. The blocks are aligned as the text redline aligns lines
// (unitDiff, then pairUnits inside each run of changed blocks), and only
// a pair of blocks is compared word by word, on its text. The marked
// block is the new block's HTML, every tag of it in order (so the markup
// is exactly the new document's), with inserted words in <ins> and the
// deleted words, as text, in <del> where they stood. A block deleted or
// inserted whole keeps its own element (a deleted row is still a <tr>)
// with its text marked.

// rlBlock is one block of a section as the redline aligns them.
type rlBlock struct {
	html   string // the block's HTML: a paragraph, heading, list item, table row…
	text   string // its text (what a reader reads), for the word diff
	kind   string // the container it stands in: "" (none), "ul", "ol" or "table"
	box    string // which container (side and index), "" for none
	header bool   // a table's header row
}

// rlItem is one block of the marked section.
type rlItem struct {
	rlBlock
	changed bool
	whole   Op     // Insert or Delete for a block inserted or deleted whole
	oldText string // the older block's text (the same as text when unchanged)
}

// redlineHTML is the writer of the redline's blocks: the policy's HTML
// writer, with headings that carry no id or self-link (a heading of the
// older version may stand beside the newer one; the page has its own
// anchors).
var redlineHTML = renderer.NewRenderer(renderer.WithNodeRenderers(
	util.Prioritized(gmhtml.NewRenderer(), 1000),
	util.Prioritized(&policyHTML{}, 100),
	util.Prioritized(extension.NewTableHTMLRenderer(), 500),
	util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
	util.Prioritized(rlHeadings{}, 50),
))

type rlHeadings struct{}

// RegisterFuncs writes struck-through text as <s>, and headings below
// the page's own: a section's title
// is the page's level 2, so the document's title (in what stands before
// its first section) becomes a level 3 like the section's own headings.
func (rlHeadings) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	// The document's own struck-through text is <s>: <del> is the redline's.
	reg.Register(east.KindStrikethrough, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString("<s>")
		} else {
			w.WriteString("</s>")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindHeading, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		level := max(n.(*ast.Heading).Level, 3)
		if entering {
			fmt.Fprintf(w, "<h%d>", level)
		} else {
			fmt.Fprintf(w, "</h%d>\n", level)
		}
		return ast.WalkContinue, nil
	})
}

// htmlBlocks renders a section's Markdown and cuts it into blocks; side
// names the version ("o" or "n") so that containers of the two sides
// differ.
func htmlBlocks(md, side string) []rlBlock {
	src := []byte(md)
	t := &Tree{Root: markdown.Parser().Parse(text.NewReader(src)), Source: src}
	t.neutralise()
	var out []rlBlock
	var buf bytes.Buffer
	render := func(n ast.Node) string {
		buf.Reset()
		_ = redlineHTML.Render(&buf, src, n) // a bytes.Buffer does not fail
		return buf.String()
	}
	box := 0
	for n := t.Root.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.List:
			box++
			kind, num := "ul", n.Start
			if n.IsOrdered() {
				kind = "ol"
			}
			for li := n.FirstChild(); li != nil; li = li.NextSibling() {
				h := render(li)
				if kind == "ol" {
					// Every item says its number: a deleted item beside the
					// newer ones must not renumber them.
					h = addAttr(h, `value="`+strconv.Itoa(num)+`"`)
					num++
				}
				out = append(out, rlBlock{html: h, kind: kind, box: side + strconv.Itoa(box)})
			}
		case *east.Table:
			box++
			for r := n.FirstChild(); r != nil; r = r.NextSibling() {
				h := render(r)
				for _, tag := range []string{"<thead>\n", "</thead>\n", "<tbody>\n", "</tbody>\n"} {
					h = strings.ReplaceAll(h, tag, "")
				}
				_, header := r.(*east.TableHeader)
				out = append(out, rlBlock{html: h, kind: "table", box: side + strconv.Itoa(box), header: header})
			}
		default:
			out = append(out, rlBlock{html: render(n)})
		}
	}
	for i := range out {
		out[i].text = htmlText(out[i].html)
	}
	return out
}

// htmlText is the text of HTML as this package writes it: what stands
// between its tags, unescaped.
func htmlText(h string) string {
	var b strings.Builder
	for _, tok := range htmlTokens(h) {
		if tok[0] != '<' {
			b.WriteString(html.UnescapeString(tok))
		}
	}
	return b.String()
}

// htmlTokens cuts HTML as this package writes it into tags and text
// (attribute values have '<' and '>' escaped, so a tag ends at the first
// '>').
func htmlTokens(h string) []string {
	var out []string
	for len(h) > 0 {
		n := 0
		if h[0] == '<' {
			n = strings.IndexByte(h, '>') + 1
		} else {
			n = strings.IndexByte(h, '<')
		}
		if n <= 0 {
			n = len(h)
		}
		out = append(out, h[:n])
		h = h[n:]
	}
	return out
}

// addAttr adds an attribute to the first tag of HTML.
func addAttr(h, attr string) string {
	i := strings.IndexByte(h, '>')
	if i < 0 {
		return h
	}
	return h[:i] + " " + attr + h[i:]
}

// voidElements have no closing tag.
var voidElements = map[string]bool{"br": true, "hr": true, "img": true, "input": true, "wbr": true}

// structural elements hold only other elements (and spaces): a marked
// word cannot stand directly in them.
var structural = map[string]bool{"ul": true, "ol": true, "table": true, "thead": true, "tbody": true, "tr": true}

// tagName is the name of a tag token and whether it closes.
func tagName(tok string) (string, bool) {
	t := strings.TrimPrefix(tok[1:len(tok)-1], "/")
	end := strings.IndexAny(t, " \t\n/")
	if end >= 0 {
		t = t[:end]
	}
	return strings.ToLower(t), strings.HasPrefix(tok, "</")
}

// markHTML writes the HTML of one block with its text marked by segs.
// side is the block's version: Insert for the newer one (its text is the
// Equal and Insert segments; the Delete ones are written as <del> where
// they stood), Delete for an older block shown whole as deleted (every
// segment is Delete). Whitespace-only changes are not marked.
func markHTML(b *strings.Builder, h string, segs []Segment, side Op) {
	toks := htmlTokens(h)
	// Deleted text waiting for a place where a word may stand; moved
	// there, it is set apart by spaces.
	var pending []string
	moved := false
	var stack []string
	allowed := func() bool { return len(stack) > 0 && !structural[stack[len(stack)-1]] }
	lastOK := -1 // where pending deletions go at the end
	var out strings.Builder
	flush := func() {
		for _, d := range pending {
			d = oneLineKeep(d)
			core := strings.TrimSpace(d)
			lead, trail := "", ""
			if moved || strings.TrimLeftFunc(d, unicode.IsSpace) != d {
				lead = " "
			}
			if moved || strings.TrimRightFunc(d, unicode.IsSpace) != d {
				trail = " "
			}
			fmt.Fprintf(&out, "%s<del>%s</del>%s", lead, template.HTMLEscapeString(core), trail)
		}
		pending, moved = pending[:0], false
	}
	si, so := 0, 0 // segment, and offset in it
	// A deleted space between two words that now stand together is
	// shown (class rl-space); other changes of spacing are not.
	spaceDeleted, lastText := false, ' '
	takeDeletes := func() {
		for si < len(segs) && segs[si].Op == Delete && side == Insert {
			if strings.TrimSpace(segs[si].Text) != "" {
				pending = append(pending, segs[si].Text)
				moved = moved || !allowed()
			} else {
				spaceDeleted = true
			}
			si, so = si+1, 0
		}
	}
	for _, tok := range toks {
		if tok[0] == '<' {
			name, closing := tagName(tok)
			if closing && allowed() {
				// At the latest, deleted words stand at the end of the
				// element they were deleted from (an emptied cell).
				flush()
				lastOK = out.Len()
			}
			switch {
			case closing:
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			case !voidElements[name] && !strings.HasSuffix(tok, "/>"):
				stack = append(stack, name)
			}
			out.WriteString(tok)
			continue
		}
		t := html.UnescapeString(tok)
		for len(t) > 0 {
			takeDeletes()
			if si >= len(segs) { // cannot happen: the segments hold the text
				out.WriteString(template.HTMLEscapeString(t))
				break
			}
			s := segs[si]
			n := min(len(t), len(s.Text)-so)
			piece := t[:n]
			if allowed() {
				flush()
				if first, _ := utf8.DecodeRuneInString(piece); spaceDeleted && !unicode.IsSpace(lastText) && !unicode.IsSpace(first) {
					out.WriteString(`<del class="rl-space"> </del>`)
				}
			}
			spaceDeleted = false
			lastText, _ = utf8.DecodeLastRuneInString(piece)
			if s.Op == Equal || strings.TrimSpace(piece) == "" || !allowed() {
				out.WriteString(template.HTMLEscapeString(piece))
			} else {
				tag := "ins"
				if s.Op == Delete {
					tag = "del"
				}
				// Spaces around the words stay outside the mark.
				core := strings.TrimSpace(piece)
				lead := piece[:strings.Index(piece, core)]
				trail := piece[len(lead)+len(core):]
				fmt.Fprintf(&out, "%s<%s>%s</%s>%s", template.HTMLEscapeString(lead), tag, template.HTMLEscapeString(core), tag, template.HTMLEscapeString(trail))
			}
			t = t[n:]
			if so += n; so == len(s.Text) {
				si, so = si+1, 0
			}
		}
		takeDeletes()
		if allowed() {
			flush()
			lastOK = out.Len()
		}
	}
	takeDeletes()
	res := out.String()
	if len(pending) > 0 {
		out.Reset()
		if lastOK < 0 { // a block with no text: its deletions go inside its first element
			lastOK = strings.IndexByte(res, '>') + 1
		}
		out.WriteString(res[:lastOK])
		moved = true
		flush()
		out.WriteString(res[lastOK:])
		res = out.String()
	}
	b.WriteString(res)
}

// oneLineKeep is s with its line breaks as spaces (deleted text of
// several lines stands inside one line of the newer text).
func oneLineKeep(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// alignBlocks aligns the blocks of two versions of a section: equal
// blocks, then in each run of changed ones, the pairs that share enough
// words compared word by word and the rest deleted or inserted whole.
func alignBlocks(old, new []rlBlock) []rlItem {
	keys := func(bs []rlBlock) []string {
		out := make([]string, len(bs))
		for i, b := range bs {
			out[i] = b.html
		}
		return out
	}
	var out []rlItem
	var dels, ins []rlBlock
	flush := func() {
		td, ti := make([]string, len(dels)), make([]string, len(ins))
		for i, d := range dels {
			td[i] = d.text
		}
		for i, u := range ins {
			ti[i] = u.text
		}
		i, j := 0, 0
		for _, p := range append(pairUnits(td, ti), [2]int{len(dels), len(ins)}) {
			for ; i < p[0]; i++ {
				out = append(out, rlItem{rlBlock: dels[i], changed: true, whole: Delete, oldText: dels[i].text})
			}
			for ; j < p[1]; j++ {
				out = append(out, rlItem{rlBlock: ins[j], changed: true, whole: Insert})
			}
			if p[0] < len(dels) {
				out = append(out, pairItem(dels[i], ins[j]))
				i, j = i+1, j+1
			}
		}
		dels, ins = dels[:0], ins[:0]
	}
	i, j := 0, 0
	for _, s := range unitDiff(keys(old), keys(new)) {
		switch s.op {
		case Equal:
			flush()
			for range s.b {
				out = append(out, rlItem{rlBlock: new[j], oldText: new[j].text})
				i, j = i+1, j+1
			}
		case Delete:
			dels = append(dels, old[i:i+len(s.a)]...)
			i += len(s.a)
		case Insert:
			ins = append(ins, new[j:j+len(s.b)]...)
			j += len(s.b)
		}
	}
	flush()
	// A deleted list item or row stands in the newer list or table beside
	// it, when there is one of its kind.
	for k := range out {
		if out[k].whole == Delete && k > 0 && out[k-1].kind == out[k].kind && out[k].kind != "" {
			out[k].box = out[k-1].box
		}
	}
	for k := len(out) - 2; k >= 0; k-- {
		if out[k].whole == Delete && out[k+1].kind == out[k].kind && out[k].kind != "" && out[k].box[0] == 'o' {
			out[k].box = out[k+1].box
		}
	}
	return out
}

// pairItem is a block of the newer version marked against the older one
// it was paired with.
func pairItem(old, new rlBlock) rlItem {
	var b strings.Builder
	markHTML(&b, new.html, WordDiff(old.text, new.text), Insert)
	blk := new
	blk.html = b.String()
	return rlItem{rlBlock: blk, changed: true, oldText: old.text}
}

// marked is the item's HTML with its changes marked.
func (it rlItem) marked() string {
	switch it.whole {
	case Insert:
		var b strings.Builder
		markHTML(&b, addAttr(it.html, `class="rl-inserted"`), []Segment{{Insert, it.text}}, Insert)
		return b.String()
	case Delete:
		var b strings.Builder
		markHTML(&b, addAttr(it.html, `class="rl-deleted"`), []Segment{{Delete, it.text}}, Delete)
		return b.String()
	}
	return it.html
}

// rlContext is how many unchanged blocks stay in view on each side of a
// change; a longer unchanged stretch is collapsed.
const rlContext = 1

// sectionItems is the marked blocks of a section's redline.
func sectionItems(s SectionRedline) []rlItem {
	old, new := joinSegments(s.Segments, Delete), joinSegments(s.Segments, Insert)
	return alignBlocks(htmlBlocks(old, "o"), htmlBlocks(new, "n"))
}

// writeItems writes marked blocks, each list or table in its element.
// next is the anchor of the change after each run of changed blocks that
// ends here (by the index of its last block), first the anchor of each
// run's first block.
func writeItems(b *strings.Builder, items []rlItem, first, next map[int]string, nextLabel string, at int) {
	box, kind, n := "", "", 0
	closeBox := func() {
		if box != "" {
			fmt.Fprintf(b, "</%s>\n", kind)
		}
		box, kind = "", ""
	}
	for k, it := range items {
		if it.box != box {
			closeBox()
			if it.box != "" {
				fmt.Fprintf(b, "<%s>\n", it.kind)
				box, kind, n = it.box, it.kind, 0
			}
		}
		h := it.marked()
		if id, ok := first[at+k]; ok {
			h = addAttr(h, `id="`+id+`"`)
		}
		nav := ""
		if id, ok := next[at+k]; ok {
			nav = `<a class="rl-next" href="#` + id + `">` + template.HTMLEscapeString(nextLabel) + `</a>`
		}
		switch {
		case it.header && n == 0:
			h = "<thead>\n" + insertNav(h, nav) + "</thead>\n"
		case it.kind == "":
			if nav != "" {
				h += `<p class="rl-nav">` + nav + "</p>\n"
			}
		default:
			h = insertNav(h, nav)
		}
		b.WriteString(h)
		n++
	}
	closeBox()
}

// insertNav puts a link inside the end of a list item or table row.
func insertNav(h, nav string) string {
	if nav == "" {
		return h
	}
	end := strings.LastIndex(h, "</li>")
	if end < 0 {
		end = max(strings.LastIndex(h, "</td>"), strings.LastIndex(h, "</th>"))
	}
	if end < 0 {
		return h
	}
	return h[:end] + " " + nav + h[end:]
}
