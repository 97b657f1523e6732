package render

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"

	"github.com/policyc/policyc/policy"
)

// Every link policyc writes is judged by policy.SafeLink on the string it
// becomes: in HTML the href (Markdown escapes and character references
// resolved, as goldmark resolves them), in Markdown the destination as a
// reader will decode it. A destination it refuses is written as text.

// linkHref is the href a Markdown link destination becomes, and whether it
// may be a link: Markdown escapes and character references resolved,
// characters a URL cannot hold percent-encoded, and a link to another of
// the policy's Markdown documents pointed at its HTML page.
func linkHref(dest []byte) (string, bool) {
	h := string(util.URLEscape([]byte(HTMLPath(string(dest))), true))
	return h, policy.SafeLink(string(dest)) && policy.SafeLink(h)
}

// autolinkHref is the href of an autolink ("<https://…>", a bare
// "www.…" or e-mail address), and whether it may be a link.
func autolinkHref(n *ast.AutoLink, src []byte) (string, bool) {
	url := n.URL(src)
	h := string(util.URLEscape(url, false))
	if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(h), "mailto:") {
		h = "mailto:" + h
	}
	return h, policy.SafeLink(string(url)) && policy.SafeLink(h)
}

// autolinkable is what a model URL or e-mail address may hold to be
// written as a Markdown autolink: no space, control character, angle
// bracket or backslash (an autolink cannot escape them).
var autolinkable = regexp.MustCompile(`^(?:(?i:https?://|mailto:)[^\x00-\x20\x7f<>\\]+|[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)$`)

// mdURL writes a model URL or e-mail address into Markdown: an autolink
// when it is safe and can be one, a link with the address as its text when
// it is safe but cannot, and plain text when policy.SafeLink refuses it.
func mdURL(u string) string {
	if !policy.SafeLink(u) {
		return escText(u)
	}
	if autolinkable.MatchString(u) {
		return "<" + u + ">"
	}
	return "[" + escText(u) + "](" + mdDest(u) + ")"
}

// mdLinkTo writes a Markdown link with this text to a destination, or
// only the text when policy.SafeLink refuses the destination.
func mdLinkTo(text, dest string) string {
	if !policy.SafeLink(dest) {
		return escText(text)
	}
	return "[" + escText(text) + "](" + mdDest(dest) + ")"
}

// mdDest is a destination written so that a Markdown reader decodes it to
// the same URL: in angle brackets, with backslashes and ampersands
// escaped, and angle brackets, quotes, spaces and control characters
// percent-encoded (as a browser would encode them), so that no reader
// sees markup in it.
func mdDest(u string) string {
	var b strings.Builder
	b.WriteByte('<')
	for i := 0; i < len(u); i++ {
		switch c := u[i]; {
		case c == '\\' || c == '&':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('>')
	return b.String()
}

// neutraliseLinks breaks the syntax of every inline link or image and every
// link reference definition in Markdown whose destination policy.SafeLink
// refuses, so that it reads as text: "[x](javascript:…)" becomes
// "[x]\(javascript:…)", "[x]: javascript:…" becomes "[x\]: javascript:…".
// Every such link has a "](" or a "]:" in its source (a character
// reference cannot stand for either), so every one is found; the
// destination is read as a Markdown reader reads it, and SafeLink decodes
// it further.
func neutraliseLinks(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i+1 < len(s); i++ {
		if s[i] != ']' || escaped(s, i) || (s[i+1] != '(' && s[i+1] != ':') {
			continue
		}
		if policy.SafeLink(destAt(s, i+2)) {
			continue
		}
		if s[i+1] == '(' {
			b.WriteString(s[last : i+1])
			b.WriteString(`\(`)
		} else {
			b.WriteString(s[last:i])
			b.WriteString(`\]:`)
		}
		last = i + 2
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// destAt is the link destination that starts at s[i] (after "](" or "]:"):
// past any white space (a destination may start on the next line), either
// up to the '>' closing an angle-bracketed one or up to the next space or
// control character.
func destAt(s string, i int) string {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	j := i
	if j < len(s) && s[j] == '<' {
		for j++; j < len(s) && s[j] != '\n' && (s[j] != '>' || escaped(s, j)); j++ {
		}
		return s[i:j]
	}
	for j < len(s) && s[j] > ' ' && s[j] != 0x7f {
		j++
	}
	return s[i:j]
}

// foreignAutolink finds what GitHub-flavoured Markdown readers would make
// an autolink with a scheme other than http, https and mailto: cmark-gfm
// links "ftp://…" and "xmpp:…@…" in plain text.
var foreignAutolink = regexp.MustCompile(`(?i)\b(ftp|xmpp)(\\?):`)

// noForeignAutolinks keeps every foreignAutolink text: a word joiner
// (U+2060, invisible) between the scheme and its colon, which neither an
// escaped colon nor a character reference would do for "xmpp:".
func noForeignAutolinks(s string) string {
	if !mayHaveForeignScheme(s) {
		return s
	}
	return foreignAutolink.ReplaceAllString(s, "$1\u2060$2:")
}

// mayHaveForeignScheme reports whether s has "ftp:" or "xmpp:" (any case,
// the colon perhaps escaped): every foreignAutolink match does, and most
// texts have neither, so the pattern need not run on them.
func mayHaveForeignScheme(s string) bool {
	for i := strings.IndexByte(s, ':'); i >= 0; {
		j := i
		if j > 0 && s[j-1] == '\\' {
			j--
		}
		if j >= 3 && strings.EqualFold(s[j-3:j], "ftp") || j >= 4 && strings.EqualFold(s[j-4:j], "xmpp") {
			return true
		}
		k := strings.IndexByte(s[i+1:], ':')
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return false
}

// numericRef is a numeric character reference, which Markdown readers
// decode in text.
var numericRef = regexp.MustCompile(`&#(?:[0-9]{1,8}|[xX][0-9a-fA-F]{1,8});`)

// noControlRefs replaces the numeric character references to control
// characters (other than tab and newline) with U+FFFD, which a reader
// would otherwise decode into the output: "&#01;" is the control
// character U+0001 in the HTML.
func noControlRefs(s string) string {
	if !strings.Contains(s, "&#") {
		return s
	}
	return numericRef.ReplaceAllStringFunc(s, func(ref string) string {
		var n int64
		if ref[2] == 'x' || ref[2] == 'X' {
			n, _ = strconv.ParseInt(ref[3:len(ref)-1], 16, 64)
		} else {
			n, _ = strconv.ParseInt(ref[2:len(ref)-1], 10, 64)
		}
		if n > 0 && n <= 0x10ffff && isControl(rune(n)) {
			return "\uFFFD"
		}
		return ref
	})
}

// Printable is s with its control characters other than tab and newline
// replaced by U+FFFD, as every output of this package has them: for the
// pages and feeds other packages write around it.
func Printable(s string) string { return noControls(s) }

// noControls replaces the control characters a text may carry (other than
// tab and newline) with U+FFFD: NUL and ESC are never printed, in any
// format.
func noControls(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

func isControl(r rune) bool {
	return r < ' ' && r != '\t' && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f
}
