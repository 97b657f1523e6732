package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"github.com/policyc/policyc/policy"
)

// HTMLOptions control the HTML writer.
type HTMLOptions struct {
	// Fragment writes only the document's HTML, for embedding in an
	// existing page, instead of a standalone page.
	Fragment bool
	// Alternates are the same document in other locales, for the language
	// links and hreflang: locale → relative URL.
	Alternates []Alternate
}

// Alternate is the same document in another locale.
type Alternate struct {
	Locale, Name, Href string
}

// HTML writes a tree as a standalone HTML page (or a fragment): no
// JavaScript, no external requests, the stylesheet inline.
func (r *Renderer) HTML(w io.Writer, t *Tree, opts HTMLOptions) error {
	var body bytes.Buffer
	if err := htmlRenderer.Render(&body, t.Source, t.Root); err != nil {
		return err
	}
	if opts.Fragment {
		_, err := w.Write(body.Bytes())
		return err
	}
	page, err := r.pageTemplate()
	if err != nil {
		return err
	}
	css, err := r.tpl.Stylesheet()
	if err != nil {
		return err
	}
	labels, err := r.labels(t.Doc.Locale)
	if err != nil {
		return err
	}
	var alts []Alternate
	for _, a := range opts.Alternates {
		if policy.SafeLink(a.Href) {
			alts = append(alts, a)
		}
	}
	toc := make([]TOCEntry, 0, len(t.Doc.Sections))
	for _, s := range t.Doc.Sections[1:] {
		toc = append(toc, TOCEntry{ID: s.ID, Title: s.Title, Appendix: s.Appendix})
	}
	data := PageData{
		Lang:           t.Doc.Locale,
		Title:          t.Doc.Title,
		Body:           template.HTML(body.String()), // rendered by goldmark with raw HTML disabled
		CSS:            template.CSS(css),
		Skip:           labels["skip"],
		Version:        t.Doc.Meta.Version,
		Draft:          t.Doc.Meta.Version == "",
		DraftLabel:     labels["draft"],
		VersionLabel:   labels["version"],
		Alternates:     alts,
		OtherLanguages: labels["other_languages"],
		TOC:            toc,
	}
	var out bytes.Buffer
	if err := page.Execute(&out, data); err != nil {
		_, src, _ := r.tpl.Read("html/page.html")
		return &TemplateError{Name: "html/page.html", Source: src, Err: err}
	}
	_, err = w.Write(out.Bytes())
	return err
}

func (r *Renderer) pageTemplate() (*template.Template, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.page != nil {
		return r.page, nil
	}
	b, src, err := r.tpl.Read("html/page.html")
	if err != nil {
		return nil, &TemplateError{Name: "html/page.html", Source: src, Err: err}
	}
	t, err := template.New("html/page.html").Option("missingkey=error").Parse(string(b))
	if err != nil {
		return nil, &TemplateError{Name: "html/page.html", Source: src, Err: err}
	}
	r.page = t
	return t, nil
}

// htmlRenderer is goldmark's HTML renderer with our headings (id plus a
// self-link), links (.md → .html between our documents; only those
// policy.SafeLink allows), images (as links) and no raw HTML.
var htmlRenderer = renderer.NewRenderer(renderer.WithNodeRenderers(
	util.Prioritized(html.NewRenderer(), 1000),
	util.Prioritized(&policyHTML{}, 100),
	util.Prioritized(extension.NewTableHTMLRenderer(), 500),
	util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
))

type policyHTML struct{}

func (p *policyHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, p.heading)
	reg.Register(ast.KindLink, p.link)
	reg.Register(ast.KindAutoLink, p.autoLink)
	reg.Register(ast.KindImage, p.image)
	reg.Register(ast.KindRawHTML, p.rawHTML)
	reg.Register(ast.KindHTMLBlock, p.rawHTML)
}

func (p *policyHTML) heading(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	h := n.(*ast.Heading)
	id, _ := h.AttributeString("id")
	if entering {
		fmt.Fprintf(w, "<h%d id=\"%s\">", h.Level, util.EscapeHTML(id.([]byte)))
		return ast.WalkContinue, nil
	}
	if h.Level > 1 {
		label := "¶ " + plainText(h, src)
		fmt.Fprintf(w, " <a class=\"anchor\" href=\"#%s\" aria-label=\"%s\">#</a>", util.EscapeHTML(id.([]byte)), util.EscapeHTML([]byte(label)))
	}
	fmt.Fprintf(w, "</h%d>\n", h.Level)
	return ast.WalkContinue, nil
}

var mdLink = regexp.MustCompile(`^([A-Za-z0-9._-]+)\.md(#.*)?$`)

// link writes a link whose href policy.SafeLink allows, and only its text
// otherwise (Parse has already made such links text; this holds for any
// tree).
func (p *policyHTML) link(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	l := n.(*ast.Link)
	href, ok := linkHref(l.Destination)
	if !ok {
		return ast.WalkContinue, nil
	}
	if entering {
		w.WriteString(`<a href="`)
		w.Write(util.EscapeHTML([]byte(href)))
		w.WriteString(`"`)
		if l.Title != nil {
			w.WriteString(` title="`)
			w.Write(util.EscapeHTML(l.Title))
			w.WriteString(`"`)
		}
		w.WriteString(">")
		return ast.WalkContinue, nil
	}
	w.WriteString("</a>")
	return ast.WalkContinue, nil
}

// autoLink writes an autolink as link, or as text when policy.SafeLink
// refuses its href.
func (p *policyHTML) autoLink(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	al := n.(*ast.AutoLink)
	href, ok := autolinkHref(al, src)
	if ok {
		w.WriteString(`<a href="`)
		w.Write(util.EscapeHTML([]byte(href)))
		w.WriteString(`">`)
	}
	w.Write(util.EscapeHTML(al.Label(src)))
	if ok {
		w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

// image writes an image as a link to it (a policy page loads nothing from
// elsewhere), as Parse does.
func (p *policyHTML) image(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	img := n.(*ast.Image)
	l := ast.NewLink()
	l.Destination, l.Title = img.Destination, img.Title
	return p.link(w, src, l, entering)
}

// rawHTML drops raw HTML: none comes from a policy (the Markdown writer
// escapes it), and none would be written if it did.
func (p *policyHTML) rawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}

// HTMLPath maps a document's Markdown link target to its HTML page.
func HTMLPath(mdTarget string) string {
	if m := mdLink.FindStringSubmatch(mdTarget); m != nil {
		return m[1] + ".html" + m[2]
	}
	return mdTarget
}

// Alternates links a document to its versions in the policy's other
// locales, as files named by Doc.FileName.
func Alternates(p *policy.Policy, d *Doc) []Alternate {
	if len(p.Locales) < 2 {
		return nil
	}
	var out []Alternate
	for _, l := range p.Locales {
		if string(l) == d.Locale {
			continue
		}
		out = append(out, Alternate{Locale: string(l), Name: LanguageName(string(l)), Href: d.ID + "." + string(l) + ".html"})
	}
	return out
}
