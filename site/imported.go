package site

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/policyc/policyc/render"
	"github.com/policyc/policyc/versions"
)

// A version imported as published has no model, but it has a text: the
// site compares it with its neighbours and the current version like any
// other (the verdict "not assessed structurally"), and shows it as a page
// of the site (documentName): an imported HTML page's content made inert,
// an imported Markdown file rendered, an imported PDF's text beside its
// download.

// documentName is the site page that shows an imported version's document
// in a locale's pages.
func documentName(v versions.Version, sfx string) string {
	return vdir(v.Version) + "document" + sfx + ".html"
}

// importedDoc is an imported version's document, cut for comparing. The
// conversion (an HTML page's structure, a PDF's text through pdftotext)
// is remembered across builds by the file's blob, as cuts are.
func (b *builder) importedDoc(v versions.Version, loc string) (*render.CutDoc, error) {
	path, _, ok := versions.ImportedFile(v, loc)
	if !ok {
		return nil, fmt.Errorf("version %d was imported but holds no policy file", v.Version)
	}
	var blob *versions.Entry
	for _, e := range b.info[v.Version].rendered {
		if "rendered/"+e.Name == path {
			blob = &e
		}
	}
	if blob != nil {
		outline, okO := b.outlines.get(blob.Blob)
		parts, okC := b.cuts.get(blob.Blob)
		if okO && okC && parts.Headings == len(outline) {
			return render.FromParts(&render.Doc{Locale: loc, ID: "policy", Sections: outline}, parts), nil
		}
	}
	d, err := b.arch.Document(v, loc)
	if err != nil {
		return nil, err
	}
	c, err := render.Cut(d)
	if err != nil {
		return nil, fmt.Errorf("version %d: %w", v.Version, err)
	}
	if blob != nil && c.Headings() == len(d.Sections) {
		b.outlines.put(blob.Blob, d.Sections)
		b.cuts.put(blob.Blob, c.Parts())
	}
	return c, nil
}

// documentPages are the tasks that write each imported version's document
// page in a locale.
func (b *builder) documentPages(loc string, all []string, first bool) ([]func() error, error) {
	labels, err := b.r.Labels(loc)
	if err != nil {
		return nil, err
	}
	sfx := suffix(loc, first)
	var tasks []func() error
	for _, v := range b.vs {
		if !v.Imported {
			continue
		}
		tasks = append(tasks, func() error {
			body, title, err := b.importedBody(v, loc, sfx, labels)
			if err != nil {
				return err
			}
			return b.page(documentName(v, sfx), loc, title, "../", sfx, alternates(loc, all, vdir(v.Version)+"document", "../"), body)
		})
	}
	return tasks, nil
}

// importedBody is the content of an imported version's document page and
// its title.
func (b *builder) importedBody(v versions.Version, loc, sfx string, labels map[string]string) (string, string, error) {
	path, format, _ := versions.ImportedFile(v, loc)
	title := fmt.Sprintf(labels["site.version"], fmt.Sprint(v.Version))
	var body strings.Builder
	fmt.Fprintf(&body, "<p>%s · %s</p>\n", anchor("index"+sfx+".html", esc(title)), esc(labels["site.imported"]))
	if format == "html" {
		data, err := b.arch.ReadFile(v, path)
		if err != nil {
			return "", "", err
		}
		inner, t := pageContent(data)
		if t != "" {
			title = t
		}
		body.WriteString("<div class=\"document\">\n" + inner + "\n</div>\n")
		return body.String(), title, nil
	}
	d, err := b.arch.Document(v, loc)
	if err != nil {
		return "", "", err
	}
	if d.Title != "" {
		title = d.Title
	}
	tr, err := render.Parse(d)
	if err != nil {
		return "", "", fmt.Errorf("version %d: %w", v.Version, err)
	}
	var frag bytes.Buffer
	if err := b.r.HTML(&frag, tr, render.HTMLOptions{Fragment: true}); err != nil {
		return "", "", err
	}
	if format == "pdf" {
		name := strings.TrimPrefix(path, "rendered/")
		if !b.skip(name) {
			fmt.Fprintf(&body, "<p>%s</p>\n", anchor(name, esc(name)))
		}
	}
	body.WriteString("<div class=\"document\">\n")
	body.Write(frag.Bytes())
	body.WriteString("</div>\n")
	return body.String(), title, nil
}

// pageContent is what a published HTML page holds inside its body, for a
// site page: made inert (render.Inert), without its styles, navigation or
// anything that loads something, and with links only where they lead
// somewhere on their own (an absolute address or a place on the page);
// a link into the site it was published on keeps its text. Also its title.
func pageContent(page []byte) (string, string) {
	inert, _ := render.Inert(page)
	doc, err := html.Parse(bytes.NewReader(inert))
	if err != nil {
		return "", ""
	}
	var body *html.Node
	title := ""
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Body:
				body = n
			case atom.Title:
				title = strings.Join(strings.Fields(render.HTMLText(n)), " ")
			}
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			find(k)
		}
	}
	find(doc)
	if body == nil {
		return "", title
	}
	clean(body)
	var out bytes.Buffer
	for k := body.FirstChild; k != nil; k = k.NextSibling {
		html.Render(&out, k)
	}
	return strings.TrimSpace(out.String()), title
}

// gone are elements a site page leaves out of an imported page.
var gone = []atom.Atom{atom.Style, atom.Link, atom.Meta, atom.Nav, atom.Script, atom.Noscript, atom.Template, atom.Img, atom.Picture, atom.Video, atom.Audio, atom.Source}

func clean(n *html.Node) {
	for k := n.FirstChild; k != nil; {
		next := k.NextSibling
		if k.Type == html.ElementNode {
			switch {
			case slices.Contains(gone, k.DataAtom):
				n.RemoveChild(k)
				k = next
				continue
			case k.DataAtom == atom.A && !ownLink(attr(k, "href")):
				// Unwrap: the text stays, the link into elsewhere goes.
				for c := k.FirstChild; c != nil; {
					cn := c.NextSibling
					k.RemoveChild(c)
					n.InsertBefore(c, k)
					c = cn
				}
				n.RemoveChild(k)
				k = next
				continue
			}
			var keep []html.Attribute
			for _, a := range k.Attr {
				if kept[a.Key] || a.Key == "href" && k.DataAtom == atom.A {
					keep = append(keep, a)
				}
			}
			k.Attr = keep
			clean(k)
		}
		k = next
	}
}

// kept are the attributes an imported page keeps in the site: those that
// shape a table or a list or name a place or a language, none that loads,
// runs or styles anything.
var kept = map[string]bool{"id": true, "lang": true, "dir": true, "title": true, "colspan": true, "rowspan": true,
	"scope": true, "headers": true, "abbr": true, "start": true, "reversed": true, "type": true}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// ownLink says whether a link leads somewhere on its own, from any page:
// an absolute http(s) or mailto address, or a place on the same page.
func ownLink(href string) bool {
	h := strings.ToLower(strings.TrimSpace(href))
	return strings.HasPrefix(h, "https://") || strings.HasPrefix(h, "http://") || strings.HasPrefix(h, "mailto:") || (strings.HasPrefix(h, "#") && len(h) > 1)
}
