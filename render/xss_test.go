package render_test

import (
	"bytes"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/internal/hostile"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// payloads are the hostile texts every test here and the fuzz seeds use.
var payloads = hostile.Payloads

// allowed lists the elements a rendered page may contain and their
// attributes; anything else is active or foreign content.
var allowed = map[string]map[string]bool{
	"html": {"lang": true}, "head": {}, "meta": {"charset": true, "name": true, "content": true}, "title": {},
	"link": {"rel": true, "hreflang": true, "href": true}, "style": {}, "body": {},
	"main": {"id": true}, "nav": {"class": true, "aria-label": true},
	"footer": {}, "a": {"href": true, "class": true, "aria-label": true, "hreflang": true, "lang": true, "title": true},
	"div": {"class": true, "role": true, "aria-label": true, "lang": true}, // the notice banner
	"h1":  {"id": true}, "h2": {"id": true}, "h3": {"id": true}, "h4": {"id": true}, "h5": {"id": true}, "h6": {"id": true},
	"p": {}, "ul": {}, "ol": {"start": true}, "li": {}, "strong": {}, "em": {}, "code": {"class": true}, // a fenced block's language, escaped
	"pre": {}, "blockquote": {}, "hr": {}, "br": {}, "del": {},
	"table": {}, "thead": {}, "tbody": {}, "tr": {}, "th": {"style": false}, "td": {},
}

// poison sets every Text field of the model to a payload, and every URL,
// e-mail address, telephone number and plain string (a contact channel's
// value) to a hostile value, bypassing validation, so no field escapes
// the test.
func poison(v reflect.Value, n *int) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			poison(v.Elem(), n)
		}
	case reflect.Slice:
		for i := range v.Len() {
			poison(v.Index(i), n)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[policy.Text]() {
			if v.Interface().(policy.Text).IsZero() {
				return
			}
			p := payloads[*n%len(payloads)]
			*n++
			v.Set(reflect.ValueOf(policy.LocalizedText(map[string]string{"en": "x " + p, "zh-CN": "中 " + p})))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && v.Field(i).CanSet() {
				poison(v.Field(i), n)
			}
		}
	case reflect.String:
		switch v.Type() {
		case reflect.TypeFor[policy.URL](), reflect.TypeFor[policy.Email](), reflect.TypeFor[policy.Phone](), reflect.TypeFor[string]():
			if v.String() != "" {
				v.SetString(hostile.URLs[*n%len(hostile.URLs)])
				*n++
			}
		}
	}
}

// poisoned is an example with every field and every section body hostile.
func poisoned(t testing.TB, ex string) *policy.Policy {
	p := loadExample(t, ex)
	n := 0
	poison(reflect.ValueOf(p).Elem(), &n)
	if n < 200 {
		t.Fatalf("%s: only %d fields poisoned", ex, n)
	}
	// Section prose: every payload, around real fact references.
	body := strings.Join(payloads, "\n\n") + "\n\n{{ sdk_table }}\n"
	for i := range p.Sections {
		p.Sections[i].Body = policy.LocalizedText(map[string]string{"en": body, "zh-CN": body})
	}
	for _, d := range p.Documents {
		for i := range d.Sections {
			d.Sections[i].Body = policy.LocalizedText(map[string]string{"en": body, "zh-CN": body})
		}
	}
	return p
}

func TestXSSCorpusHasEveryForm(t *testing.T) {
	if len(payloads) < 40 {
		t.Errorf("%d payloads, want at least 40", len(payloads))
	}
}

// TestXSSCorpusYieldsNoActiveContent renders both examples, with every
// field and section hostile, to every format and checks each output as a
// browser would read it: the HTML page and fragment, the Markdown (read by
// goldmark with raw HTML allowed, and in the full suite by cmark-gfm
// --unsafe), the comparison with the clean example as HTML and Markdown,
// the notice pack, and the PDF.
func TestXSSCorpusYieldsNoActiveContent(t *testing.T) {
	for _, ex := range exampleNames {
		clean := loadExample(t, ex)
		p := poisoned(t, ex)
		r := render.New()
		for _, loc := range p.Locales {
			docs, err := r.Compose(p, string(loc), render.Meta{Version: "1"})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range docs {
				name := ex + "/" + d.FileName()
				checkMarkdown(t, name+".md", d.Markdown)
				tree, err := render.Parse(d)
				if err != nil {
					t.Fatal(err)
				}
				var page, frag bytes.Buffer
				if err := r.HTML(&page, tree, render.HTMLOptions{}); err != nil {
					t.Fatal(err)
				}
				checkInert(t, name+".html", page.Bytes())
				if err := r.HTML(&frag, tree, render.HTMLOptions{Fragment: true}); err != nil {
					t.Fatal(err)
				}
				checkActive(t, name+" fragment", frag.Bytes())
				if loc != p.Locales[0] {
					continue // the PDF writer reads the same tree
				}
				var pdf bytes.Buffer
				if err := r.PDF(&pdf, tree, render.PDFOptions{}); err != nil {
					t.Fatal(err)
				}
				for _, bad := range []string{"/JavaScript", "/JS ", "javascript:", "/Launch", "/SubmitForm"} {
					if bytes.Contains(pdf.Bytes(), []byte(bad)) {
						t.Errorf("%s: PDF contains %s", name, bad)
					}
				}
			}
			checkComparison(t, r, ex+"/"+string(loc), clean, p, string(loc))
		}
	}
}

// checkComparison checks the comparison of the clean model with the
// hostile one, and the notice pack of that change.
func checkComparison(t *testing.T, r *render.Renderer, name string, clean, p *policy.Policy, loc string) {
	t.Helper()
	as := policy.Assess(clean, p)
	a, err := r.Compose(clean, loc, render.Meta{Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Compose(p, loc, render.Meta{Version: "2"})
	if err != nil {
		t.Fatal(err)
	}
	rl, err := render.Redline(a[0], b[0])
	if err != nil {
		t.Fatal(err)
	}
	words, err := r.Wording(clean, p, loc)
	if err != nil {
		t.Fatal(err)
	}
	for i := range as.Changes {
		as.Changes[i].Sentence = words.Sentence(as.Changes[i].Change)
	}
	var page, md bytes.Buffer
	if err := render.DiffHTML(&page, "v1", "v2", loc, as, rl, words); err != nil {
		t.Fatal(err)
	}
	checkActive(t, name+" diff.html", page.Bytes())
	if err := render.DiffMarkdown(&md, "v1", "v2", as, rl, nil); err != nil {
		t.Fatal(err)
	}
	checkMarkdown(t, name+" diff.md", md.Bytes())
	for _, link := range append([]string{"https://ok.example/policy"}, hostile.URLs...) {
		pk, err := r.Notice(clean, p, as, loc, render.Meta{Version: "2"}, link)
		if err != nil {
			t.Fatal(err)
		}
		checkActive(t, name+" banner", []byte(pk.Banner))
		checkMarkdown(t, name+" summary.md", []byte(pk.Summary))
		checkNoControls(t, name+" email", []byte(pk.Email+pk.Subject))
	}
}

// checkActive fails on anything hostile.Inert finds, and on NUL or ESC.
func checkActive(t *testing.T, name string, page []byte) {
	t.Helper()
	for _, p := range hostile.Inert(page, hostile.Options{}) {
		t.Errorf("%s: %s", name, p)
	}
	checkNoControls(t, name, page)
}

func checkNoControls(t *testing.T, name string, b []byte) {
	t.Helper()
	if i := bytes.IndexFunc(b, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' || r == 0x7f }); i >= 0 {
		t.Errorf("%s: control character %q at byte %d", name, b[i], i)
	}
}

// unsafeMarkdown reads Markdown as the least careful reader would: raw
// HTML and every link kept as written.
var unsafeMarkdown = goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))

// checkMarkdown renders Markdown to HTML with raw HTML and any link
// allowed, by goldmark and (in the full suite) by cmark-gfm, and checks
// what they make.
func checkMarkdown(t *testing.T, name string, md []byte) {
	t.Helper()
	checkNoControls(t, name, md)
	var out bytes.Buffer
	if err := unsafeMarkdown.Convert(md, &out); err != nil {
		t.Fatal(err)
	}
	checkActive(t, name+" (goldmark)", out.Bytes())
	if testing.Short() {
		return // cmark-gfm reads it in the full suite
	}
	cmark := checkers.Tool(t, "cmark-gfm", "apt-get install -y cmark-gfm")
	cmd := exec.Command(cmark, "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink")
	cmd.Stdin = bytes.NewReader(md)
	b, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	checkActive(t, name+" (cmark-gfm)", b)
}

// checkInert parses a page and fails on any element or attribute outside
// the allowlist, event handlers, unsafe link schemes, and styles other than
// the page's own stylesheet; then on what hostile.Inert finds.
func checkInert(t *testing.T, name string, page []byte) {
	t.Helper()
	checkActive(t, name, page)
	z := html.NewTokenizer(bytes.NewReader(page))
	styles := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		attrs, ok := allowed[tok.Data]
		if !ok {
			t.Errorf("%s: element <%s> reached the page", name, tok.Data)
			continue
		}
		if tok.Data == "style" {
			styles++
		}
		for _, a := range tok.Attr {
			if !attrs[a.Key] {
				t.Errorf("%s: attribute %s on <%s> reached the page", name, a.Key, tok.Data)
			}
			if a.Key == "href" && (strings.HasPrefix(a.Val, "//") || strings.Contains(a.Val, "tracker.example") && tok.Data != "a") {
				t.Errorf("%s: external resource %q", name, a.Val)
			}
		}
	}
	if styles != 1 {
		t.Errorf("%s: %d <style> elements, want only the page's own", name, styles)
	}
}
