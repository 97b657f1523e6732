// Package hostile holds, for the tests, what an attacker would write into
// a policy (Markdown, HTML, links hiding their scheme, control characters)
// and the check that an output stays inert: parsed as a browser parses it
// (golang.org/x/net/html), it has no script, frame, object or embed, no
// event-handler attribute, and no link or source SafeLink refuses.
package hostile

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/policyc/policyc/policy"
)

// Payloads are hostile texts, one form each: schemes hidden by character
// references, percent-escapes, backslashes, case, tabs, newlines and NUL;
// data: and vbscript:; raw HTML and SVG; nested Markdown; autolinks; and
// reference-style links, some defined inside containers or across lines.
var Payloads = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`<a href="javascript:alert(1)">click</a>`,
	`<a href="java&#x73;cript:alert(1)">click</a>`,
	`[click](javascript:alert(1))`,
	`[click](JaVaScRiPt:alert(1))`,
	`[click](java&#x73;cript:alert(1))`,
	`[click](&#106;avascript:alert(1))`,
	`[click](&#0000106;avascript:alert(1))`,
	`[click](javascript&colon;alert(1))`,
	`[click](java%73cript:alert(1))`,
	`[click](javascript%3Aalert(1))`,
	"[click](java\tscript:alert(1))",
	`[click](java&Tab;script:alert(1))`,
	`[click](java&NewLine;script:alert(1))`,
	`[click](java&#x0A;script:alert(1))`,
	"[click](java\x00script:alert(1))",
	`[click](javascript\:alert(1))`,
	`[click](\javascript:alert(1))`,
	"[click](\n  javascript:alert(1)\n)",
	`[click]( <javascript:alert(1)> )`,
	`[click](vbscript:msgbox(1))`,
	`[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`![pixel](https://tracker.example/p.gif)`,
	`![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
	`![x](java&#x73;cript:alert(1))`,
	`<javascript:alert(1)>`,
	`<JAVASCRIPT:alert(1)>`,
	`<vbscript:msgbox(1)>`,
	`<https://ok.example/"onmouseover="alert(1)>`,
	"ftp://evil.example/file and xmpp:evil@evil.example",
	`www.evil.example/"onmouseover="alert(1)`,
	`<iframe src="https://evil.example"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<embed src="javascript:alert(1)">`,
	`<object data="x.swf"></object>`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
	`<details open ontoggle=alert(1)>`,
	`<style>body{display:none}</style>`,
	`<div onclick="alert(1)">x</div>`,
	`<scr<script>ipt>alert(1)</script>`,
	`<!-- --><script>alert(1)</script>`,
	`<![CDATA[<script>alert(1)</script>]]>`,
	`"><script>alert(1)</script>`,
	`' onmouseover='alert(1)`,
	"\\\\<script>alert(2)</script>",
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;`,
	"```\n<script>alert(1)</script>\n```",
	"`<script>alert(1)</script>`",
	`[*[inner](javascript:alert(1))*](https://ok.example)`,
	`[![img](javascript:alert(1))](javascript:alert(2))`,
	`[title](https://ok.example "x\" onmouseover=\"alert(1)")`,
	`[frag](#"onmouseover="alert(1))`,
	`[ref]: javascript:alert(1)` + "\n\n[ref]",
	"[full][r2]\n\n[r2]: <java&#x73;cript:alert(1)>",
	"> [quoted]: javascript:alert(1)\n\n[quoted]",
	"- [listed]:\n  javascript:alert(1)\n\n[listed]",
	"[two\nlines]: javascript:alert(1)\n\n[two lines]",
	`<form action="https://evil.example"><input></form>`,
	`<link rel=stylesheet href=https://evil.example/x.css>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<base href="https://evil.example/">`,
	"\x1b[31mred\x1b[0m and NUL \x00 here",
}

// URLs are hostile values for the model's URL fields, which validation
// would refuse: a model built in code reaches the renderer unchecked.
var URLs = []string{
	"javascript:alert(1)",
	"java&#x73;cript:alert(1)",
	"javascript&colon;alert(1)",
	"java\tscript:alert(1)",
	"data:text/html,<script>alert(1)</script>",
	`https://ok.example/"><script>alert(1)</script>`,
	"https://ok.example/><img src=x onerror=alert(1)>",
	"a@b.example><script>alert(1)</script>",
}

// Options loosen Inert for pages that carry scripts of their own.
type Options struct {
	// Scripts are the exact texts of the page's own script elements;
	// "application/json" data blocks are inert whatever they hold.
	Scripts []string
}

// Inert parses a page as a browser would and lists what in it is active:
// script, iframe, frame, object, embed, applet and base elements,
// event-handler attributes, and link or source attributes SafeLink
// refuses. A fragment is parsed in a body.
func Inert(page []byte, o Options) []string {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return []string{fmt.Sprintf("does not parse: %v", err)}
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			out = append(out, element(n, o)...)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// urlAttributes are the attributes that load or link to a URL.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "data": true, "poster": true,
	"background": true, "codebase": true, "cite": true, "longdesc": true, "srcset": true, "xlink:href": true,
}

func element(n *html.Node, o Options) []string {
	var out []string
	switch n.DataAtom {
	case atom.Script:
		text := ""
		if c := n.FirstChild; c != nil && c.Type == html.TextNode {
			text = c.Data
		}
		if !own(n, text, o) {
			out = append(out, fmt.Sprintf("<script> element: %.80q", text))
		}
	case atom.Iframe, atom.Frame, atom.Frameset, atom.Object, atom.Embed, atom.Applet, atom.Base:
		out = append(out, fmt.Sprintf("<%s> element", n.Data))
	}
	if n.Namespace != "" && n.Data == "script" {
		out = append(out, fmt.Sprintf("<%s:script> element", n.Namespace))
	}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		if a.Namespace != "" {
			key = a.Namespace + ":" + key
		}
		switch {
		case strings.HasPrefix(strings.ToLower(a.Key), "on"):
			out = append(out, fmt.Sprintf("event handler %s=%q on <%s>", a.Key, a.Val, n.Data))
		case urlAttributes[key] && !policy.SafeLink(a.Val):
			out = append(out, fmt.Sprintf("%s=%q on <%s>", key, a.Val, n.Data))
		case n.DataAtom == atom.Meta && strings.EqualFold(a.Key, "http-equiv"):
			out = append(out, fmt.Sprintf("<meta http-equiv=%q>", a.Val))
		}
	}
	return out
}

// own says whether a script element is one the page may carry.
func own(n *html.Node, text string, o Options) bool {
	for _, a := range n.Attr {
		if a.Key == "type" && a.Val == "application/json" && len(n.Attr) <= 2 {
			return true
		}
	}
	for _, s := range o.Scripts {
		if text == s {
			return true
		}
	}
	return false
}
