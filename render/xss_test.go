package render_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// payloads are hostile strings; each Text field of the model gets one.
var payloads = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`<a href="javascript:alert(1)">click</a>`,
	`[click](javascript:alert(1))`,
	`[click](JaVaScRiPt:alert(1))`,
	`[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`![pixel](https://tracker.example/p.gif)`,
	`<javascript:alert(1)>`,
	`<iframe src="https://evil.example"></iframe>`,
	"\\\\<script>alert(2)</script>",
	`<svg onload=alert(1)>`,
	`<style>body{display:none}</style>`,
	`[ref]: javascript:alert(1)` + "\n\n[ref]",
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`<div onclick="alert(1)">x</div>`,
	`<form action="https://evil.example"><input></form>`,
	"```\n<script>alert(1)</script>\n```",
	`<!-- --><script>alert(1)</script>`,
	`<object data="x.swf"></object>`,
	`<link rel=stylesheet href=https://evil.example/x.css>`,
	`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
	`<base href="https://evil.example/">`,
}

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

// poison sets every Text field (and every URL, bypassing validation) of the
// model to a payload, so no field escapes the test.
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
		if v.Type() == reflect.TypeFor[policy.URL]() && v.String() != "" {
			v.SetString("javascript:alert(1)")
		}
	}
}

func TestXSSCorpusYieldsNoActiveContent(t *testing.T) {
	for _, ex := range exampleNames {
		p := loadExample(t, ex)
		n := 0
		poison(reflect.ValueOf(p).Elem(), &n)
		if n < 200 {
			t.Fatalf("%s: only %d text fields poisoned", ex, n)
		}
		// Section prose: every payload, around real fact references.
		body := strings.Join(payloads, "\n\n") + "\n\n{{ sdk_table }}\n"
		for i := range p.Sections {
			p.Sections[i].Body = policy.LocalizedText(map[string]string{"en": body, "zh-CN": body})
		}
		r := render.New()
		docs, err := r.Compose(p, "en", render.Meta{Version: "1"})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			tree, err := render.Parse(d)
			if err != nil {
				t.Fatal(err)
			}
			var page bytes.Buffer
			if err := r.HTML(&page, tree, render.HTMLOptions{}); err != nil {
				t.Fatal(err)
			}
			checkInert(t, ex+"/"+d.ID, page.Bytes())
			var pdf bytes.Buffer
			if err := r.PDF(&pdf, tree, render.PDFOptions{}); err != nil {
				t.Fatal(err)
			}
			for _, bad := range []string{"/JavaScript", "/JS ", "javascript:", "/Launch", "/SubmitForm"} {
				if bytes.Contains(pdf.Bytes(), []byte(bad)) {
					t.Errorf("%s: PDF contains %s", d.ID, bad)
				}
			}
		}
	}
}

// checkInert parses a page and fails on any element or attribute outside
// the allowlist, event handlers, unsafe link schemes, and styles other than
// the page's own stylesheet.
func checkInert(t *testing.T, name string, page []byte) {
	t.Helper()
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
			if a.Key == "href" && !render.SafeScheme(strings.TrimSpace(a.Val)) {
				t.Errorf("%s: unsafe link %q", name, a.Val)
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
