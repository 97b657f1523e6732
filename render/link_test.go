package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark/text"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// composed renders section prose in the website example: the canonical
// Markdown, the HTML page and the HTML fragment.
func composed(t *testing.T, prose string, edit func(*policy.Policy)) (md, page, frag []byte) {
	t.Helper()
	p := loadExample(t, "website")
	p.Sections = []policy.Section{{ID: "s", Title: policy.NeutralText("S"), Body: policy.NeutralText(prose)}}
	p.Documents = nil
	if edit != nil {
		edit(p)
	}
	r := render.New()
	docs, err := r.Compose(p, "en", render.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	tree, err := render.Parse(docs[0])
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := r.HTML(&a, tree, render.HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := r.HTML(&b, tree, render.HTMLOptions{Fragment: true}); err != nil {
		t.Fatal(err)
	}
	return docs[0].Markdown, a.Bytes(), b.Bytes()
}

// TestEncodedSchemeIsNotALinkInAnyFormat: a scheme hidden by a character
// reference is judged decoded, in the Markdown (as a reader renders it),
// the page and the fragment.
func TestEncodedSchemeIsNotALinkInAnyFormat(t *testing.T) {
	md, page, frag := composed(t, "[a](java&#x73;cript:alert(1)) [b](javascript&colon;alert(2)) [c](java%73cript:alert(3))", nil)
	checkMarkdown(t, "md", md)
	checkActive(t, "page", page)
	checkActive(t, "fragment", frag)
	for _, out := range [][]byte{page, frag} {
		if bytes.Contains(out, []byte("<a href=\"java")) {
			t.Errorf("a link to javascript: was written:\n%s", out)
		}
	}
}

// TestHTMLWriterJudgesTheDecodedHref: the HTML writer judges every link,
// autolink and image on the href it writes, whatever tree it is given
// (here one that Parse has not made safe).
func TestHTMLWriterJudgesTheDecodedHref(t *testing.T) {
	src := []byte("[a](java&#x73;cript:alert(1)) [b](javascript&colon;alert(2)) ![c](javascript:alert(3)) <javascript:alert(4)>\n\n" +
		"[d][r]\n\n[r]: java&#x09;script:alert(5)\n\n[ok](https://ok.example) <https://ok.example/auto>\n")
	d := &render.Doc{Locale: "en", ID: "policy", Title: "T", Markdown: src}
	root := unsafeMarkdown.Parser().Parse(text.NewReader(src))
	var out bytes.Buffer
	if err := render.New().HTML(&out, &render.Tree{Doc: d, Root: root, Source: src}, render.HTMLOptions{Fragment: true}); err != nil {
		t.Fatal(err)
	}
	checkActive(t, "fragment", out.Bytes())
	for _, want := range []string{`<a href="https://ok.example">ok</a>`, `<a href="https://ok.example/auto">`} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("a safe link is missing (%s):\n%s", want, out.Bytes())
		}
	}
	if n := bytes.Count(out.Bytes(), []byte("<a ")); n != 2 {
		t.Errorf("%d links, want the 2 safe ones:\n%s", n, out.Bytes())
	}
}

// TestReferenceDefinitionsAreJudgedWhereverTheyStand: a link reference
// definition inside a quote or a list, with its destination on the next
// line or a label over two lines, is judged like any other.
func TestReferenceDefinitionsAreJudgedWhereverTheyStand(t *testing.T) {
	for _, prose := range []string{
		"> [q]: javascript:alert(1)\n\n[q]",
		"- [l]:\n  javascript:alert(1)\n\n[l]",
		"[two\nlines]: javascript:alert(1)\n\n[two lines]",
		"[f][r]\n\n[r]: <java&#x73;cript:alert(1)>",
	} {
		md, page, _ := composed(t, prose, nil)
		checkMarkdown(t, prose, md)
		checkActive(t, prose, page)
	}
}

// TestModelURLsAreJudged: a URL or e-mail address that reached the model
// without validation becomes text if SafeLink refuses it, and never raw
// HTML if it holds angle brackets.
func TestModelURLsAreJudged(t *testing.T) {
	for _, u := range []string{"java&#x73;cript:alert(1)", `https://ok.example/"><script>alert(1)</script>`, "https://ok.example/><img src=x onerror=alert(1)>"} {
		md, page, _ := composed(t, "{{ sdk_table }}", func(p *policy.Policy) {
			for i := range p.SDKs {
				p.SDKs[i].PolicyURL = policy.URL(u)
			}
			p.Controller.Website = policy.URL(u)
		})
		checkMarkdown(t, u, md)
		checkActive(t, u, page)
		if bytes.Contains(md, []byte("<script>")) || bytes.Contains(md, []byte("<img")) {
			t.Errorf("%s: raw HTML in the Markdown", u)
		}
	}
}

// TestMarkdownRedlineKeepsTextLiteral: in diff --format md, the changed
// values and the redline's text cannot become HTML or links.
func TestMarkdownRedlineKeepsTextLiteral(t *testing.T) {
	path, err := policy.ParsePath("controller.legal_name")
	if err != nil {
		t.Fatal(err)
	}
	as := policy.Assessment{Level: policy.Significant, Changes: []policy.Verdict{{
		Change:   policy.Change{Kind: policy.Changed, Path: path, Old: "A", New: `<img src=x onerror=alert(1)><script>alert(2)</script>`},
		Level:    policy.Significant,
		Sentence: `Our legal name is now <img src=x onerror=alert(1)><script>alert(2)</script>.`,
	}}}
	rl := []render.SectionRedline{{ID: "s", Title: `<script>alert(3)</script>`, Status: "changed", Segments: []render.Segment{
		{Op: render.Equal, Text: "See "},
		{Op: render.Delete, Text: "[x](https://ok.example)"},
		{Op: render.Insert, Text: "<script>alert(4)</script> <img src=x onerror=alert(5)> [y](javascript:alert(6))\n\n    <svg onload=alert(7)>"},
	}}}
	var md bytes.Buffer
	if err := render.DiffMarkdown(&md, "v1", "<b onmouseover=alert(8)>", as, rl, nil); err != nil {
		t.Fatal(err)
	}
	checkMarkdown(t, "diff.md", md.Bytes())
	for _, raw := range []string{"<script", "<img", "<svg", "<b "} {
		if bytes.Contains(md.Bytes(), []byte(raw)) {
			t.Errorf("raw %s in the Markdown redline:\n%s", raw, md.Bytes())
		}
	}
	if bytes.Contains(md.Bytes(), []byte("](javascript:")) {
		t.Errorf("the redline's link to javascript: is live Markdown:\n%s", md.Bytes())
	}
}

// TestControlCharactersNeverReachAnOutput: NUL and ESC in a model's text
// and prose, written or as character references, are replaced in the
// Markdown and the HTML.
func TestControlCharactersNeverReachAnOutput(t *testing.T) {
	md, page, frag := composed(t, "prose \x00 and \x1b[31m red, by reference &#01; &#x1b;[31m", func(p *policy.Policy) {
		p.Title = policy.NeutralText("title \x00\x1b")
	})
	for name, out := range map[string][]byte{"md": md, "page": page, "fragment": frag} {
		checkNoControls(t, name, out)
	}
}

// TestEscapedAngleBracketAfterBareURLIsNotRawHTML: cmark-gfm reads
// "\<img …>" right after a bare URL as raw HTML, so no '<' is written as
// "\<".
func TestEscapedAngleBracketAfterBareURLIsNotRawHTML(t *testing.T) {
	md, _, _ := composed(t, `see https://ok.example/\<img src=x onerror=alert(1)> and https://ok.example/<img src=x onerror=alert(2)>`, func(p *policy.Policy) {
		p.Title = policy.NeutralText("https://ok.example/<img src=x onerror=alert(3)>")
	})
	if bytes.Contains(md, []byte(`\<`)) {
		t.Errorf(`"\<" in the Markdown:\n%s`, md)
	}
	checkMarkdown(t, "md", md)
}

// TestForeignAutolinksStayText: "ftp://…" and "xmpp:…" in text do not
// become links in a GitHub-flavoured reader.
func TestForeignAutolinksStayText(t *testing.T) {
	md, page, _ := composed(t, "ftp://evil.example/f and xmpp:evil@evil.example", func(p *policy.Policy) {
		p.Title = policy.NeutralText("ftp://evil.example/t xmpp:t@evil.example")
	})
	checkMarkdown(t, "md", md)
	checkActive(t, "page", page)
	if !strings.Contains(string(page), "ftp") {
		t.Errorf("the text itself is gone:\n%s", page)
	}
}

// TestPageAlternatesAreJudged: the language links of a page are judged
// like any other; one SafeLink refuses is left out (not written as
// html/template's dead "#ZgotmplZ" link).
func TestPageAlternatesAreJudged(t *testing.T) {
	d := &render.Doc{Locale: "en", ID: "policy", Title: "T", Markdown: []byte("# T\n"), Sections: []render.Heading{{ID: render.ContentsID, Title: "Contents"}}}
	tree, err := render.Parse(d)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	alts := []render.Alternate{{Locale: "zh-CN", Name: "中文", Href: "java&#x73;cript:alert(1)"}, {Locale: "fr", Name: "Français", Href: "policy.fr.html"}}
	if err := render.New().HTML(&out, tree, render.HTMLOptions{Alternates: alts}); err != nil {
		t.Fatal(err)
	}
	checkActive(t, "page", out.Bytes())
	if bytes.Contains(out.Bytes(), []byte("ZgotmplZ")) || bytes.Contains(out.Bytes(), []byte("中文")) {
		t.Errorf("the unsafe alternate was written:\n%s", out.Bytes())
	}
	if !bytes.Contains(out.Bytes(), []byte(`href="policy.fr.html"`)) {
		t.Errorf("the safe alternate is missing:\n%s", out.Bytes())
	}
}
