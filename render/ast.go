package render

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// markdown is the one parser behind every output: GitHub-flavoured Markdown
// (tables, strikethrough, autolinks), with our own heading ids.
// Bare addresses become links only with http and https (not ftp).
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough,
	extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"}))))

// Tree is a parsed document: the AST every writer walks, and its source.
type Tree struct {
	Doc    *Doc
	Root   ast.Node
	Source []byte
}

// Parse parses a composed document and gives every heading a stable id:
// the title "title", level-2 headings their section's id in order, deeper
// headings their section's id and a slug of their text ("collection-注册").
// It also makes unsafe links plain text and turns images into links, so no
// output loads anything from outside.
func Parse(d *Doc) (*Tree, error) {
	root := markdown.Parser().Parse(text.NewReader(d.Markdown))
	t := &Tree{Doc: d, Root: root, Source: d.Markdown}
	if err := t.assignIDs(); err != nil {
		return nil, err
	}
	t.neutralise()
	return t, nil
}

func (t *Tree) assignIDs() error {
	sections := t.Doc.Sections
	next := 0
	current := "title"
	used := map[string]int{}
	return ast.Walk(t.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		var id string
		switch h.Level {
		case 1:
			id = "title"
		case 2:
			// The document's own level-2 headings are its sections, in order;
			// prose cannot add one (sanitizeMD lowers them), but a heading
			// nested in a list or quote is not a section whatever its level.
			if _, top := h.Parent().(*ast.Document); top && next < len(sections) {
				id = sections[next].ID
				current = id
				next++
				break
			}
			id = current + "-" + Slug(plainText(h, t.Source))
		default:
			id = current + "-" + Slug(plainText(h, t.Source))
		}
		if k := used[id]; k > 0 {
			used[id]++
			id = fmt.Sprintf("%s-%d", id, k+1)
		} else {
			used[id] = 1
		}
		h.SetAttributeString("id", []byte(id))
		return ast.WalkSkipChildren, nil
	})
}

// Slug turns heading text into an id fragment: letters and digits of any
// script are kept (Chinese headings keep their characters), lowercased;
// runs of anything else become one hyphen.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

// plainText is the text of a node and its descendants.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for x := c.FirstChild(); x != nil; x = x.NextSibling() {
				if tx, ok := x.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(c.Label(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// neutralise replaces links whose href policy.SafeLink refuses by their
// text, and images by links to them: a policy page loads nothing from
// elsewhere.
func (t *Tree) neutralise() {
	var unsafe []ast.Node
	var images []*ast.Image
	ast.Walk(t.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if _, ok := linkHref(n.Destination); !ok {
				unsafe = append(unsafe, n)
			}
		case *ast.AutoLink:
			if _, ok := autolinkHref(n, t.Source); !ok {
				unsafe = append(unsafe, n)
			}
		case *ast.Image:
			images = append(images, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unsafe {
		parent := n.Parent()
		if al, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(al.Label(t.Source)))
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
	for _, img := range images {
		parent := img.Parent()
		link := ast.NewLink()
		link.Destination = img.Destination
		link.Title = img.Title
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		parent.ReplaceChild(parent, img, link)
		if _, ok := linkHref(link.Destination); !ok {
			t.neutralise()
			return
		}
	}
}
