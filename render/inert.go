package render

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"

	"github.com/policyc/policyc/policy"
)

// activeElements are the elements that run or load something, or send the
// reader elsewhere, when a browser opens a page.
var activeElements = map[string]bool{
	"script": true, "iframe": true, "frame": true, "frameset": true, "object": true, "embed": true,
	"applet": true, "base": true, "form": true, "portal": true,
}

// linkAttrs are the attributes whose value a browser follows or loads.
var linkAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "poster": true, "data": true,
	"background": true, "xlink:href": true, "srcset": true, "ping": true, "cite": true,
}

// Inert returns page without active content: elements that run or load
// something (script, iframe, object, embed, base, form, a meta refresh),
// every on* event attribute, and every link or source whose destination
// policy.SafeLink refuses. A page that holds none is returned as it is,
// byte for byte, and changed is false. The site passes every archived page
// through it, so that a page released by an earlier policyc, before links
// were judged after decoding, still carries nothing active to the public;
// the archive itself keeps what was released.
func Inert(page []byte) (out []byte, changed bool) {
	z := html.NewTokenizer(bytes.NewReader(page))
	var b bytes.Buffer
	skip := "" // inside an active element whose content goes too
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		name := tok.Data
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			if skip != "" {
				changed = true
				continue
			}
			if activeElements[name] || name == "meta" && isRefresh(tok) {
				changed = true
				if tt == html.StartTagToken && name != "base" && name != "meta" {
					skip = name
				}
				continue
			}
			attrs := tok.Attr[:0]
			for _, a := range tok.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || key == "style" && strings.Contains(strings.ToLower(a.Val), "url(") ||
					linkAttrs[key] && !policy.SafeLink(a.Val) {
					changed = true
					continue
				}
				attrs = append(attrs, a)
			}
			tok.Attr = attrs
			b.WriteString(tok.String())
		case html.EndTagToken:
			if skip != "" {
				changed = true
				if name == skip {
					skip = ""
				}
				continue
			}
			if activeElements[name] {
				changed = true
				continue
			}
			b.WriteString(tok.String())
		case html.TextToken:
			if skip != "" {
				continue
			}
			// Text of a raw-text element (style) is written as it stands.
			b.Write(z.Raw())
		default:
			if skip == "" {
				b.Write(z.Raw())
			}
		}
	}
	if !changed {
		return page, false
	}
	return b.Bytes(), true
}

func isRefresh(t html.Token) bool {
	for _, a := range t.Attr {
		if strings.EqualFold(a.Key, "http-equiv") && strings.EqualFold(strings.TrimSpace(a.Val), "refresh") {
			return true
		}
	}
	return false
}
