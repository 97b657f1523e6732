package render

import (
	"regexp"
	"strings"
)

// Model values reach the canonical Markdown in two ways, and both are made
// safe here, before any renderer sees them:
//   - plain text (names, items, addresses) is escaped so that it reads
//     literally: "<script>" stays text, "*" stays an asterisk;
//   - Markdown fields (descriptions, prose) keep their formatting, but raw
//     HTML is escaped into text and links whose destination policy.SafeLink
//     refuses lose their link syntax.
//
// Control characters other than tab and newline become U+FFFD in both. The
// HTML and PDF renderers judge link destinations again on the AST.

var mdSpecial = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `~`, `\~`, "\r\n", " ", "\n", " ", "\r", " ",
)

var (
	entityLike = regexp.MustCompile(`&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);`)
	// A heading, bullet or setext marker is escaped at its first character;
	// an ordered-list number at the full stop or parenthesis after it, as
	// CommonMark escapes punctuation, not digits ("8\." reads "8.", while
	// "\8." reads as a backslash and "8.").
	blockStart = regexp.MustCompile(`^(\s*)([#+=-])|^(\s*[0-9]{1,9})([.)])`)
)

// blockEscape is blockStart's replacement: a backslash before the marker.
const blockEscape = `${1}${3}\${2}${4}`

// escText escapes plain text for use inline in Markdown.
func escText(s string) string {
	s = noForeignAutolinks(mdSpecial.Replace(noControls(s)))
	if strings.IndexByte(s, '&') >= 0 {
		s = entityLike.ReplaceAllString(s, `\&$1;`)
	}
	// '<' as a character reference, not "\<": cmark-gfm reads "\<img …>"
	// right after a bare URL as raw HTML. Every '<' is escaped here by an
	// odd run of backslashes, the last of which is replaced.
	s = strings.ReplaceAll(s, `\<`, "&lt;")
	// A line-start marker (heading, list, setext underline) would change the
	// block structure where the text begins a line.
	return escBlockStart(s)
}

// escBlockStart escapes a line-start marker at the start of s
// (blockStart). Most texts start with a letter, which no marker does, and
// are returned without running the pattern.
func escBlockStart(s string) string {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\f' || s[i] == '\r') {
		i++
	}
	if i == len(s) || !strings.ContainsRune("#+=-0123456789", rune(s[i])) {
		return s
	}
	return blockStart.ReplaceAllString(s, blockEscape)
}

var (
	// rawHTMLStart finds a '<' that could open raw HTML or an autolink.
	rawHTMLStart = regexp.MustCompile(`<`)
	safeAutolink = regexp.MustCompile(`^<(?:https?://[^\s<>]*|mailto:[^\s<>]+|[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)>`)
	atxHeading   = regexp.MustCompile(`(?m)^( {0,3})(#{1,2})([ \t]|$)`)
)

// sanitizeMD makes a Markdown field safe: raw HTML becomes text, unsafe links
// become text, and headings of level 1 and 2 (reserved for the document and
// its sections) are lowered to level 3.
func sanitizeMD(s string) string {
	s = noControlRefs(noControls(strings.ReplaceAll(s, "\r\n", "\n")))
	var b strings.Builder
	last := 0
	for _, m := range rawHTMLStarts(s) {
		i := m[0]
		if safeAutolink.MatchString(s[i:]) && !escaped(s, i) {
			continue
		}
		// A character reference, not "\<" (which cmark-gfm reads as raw
		// HTML right after a bare URL); an escaped '<' loses its backslash.
		if escaped(s, i) {
			b.WriteString(s[last : i-1])
		} else {
			b.WriteString(s[last:i])
		}
		b.WriteString("&lt;")
		last = i + 1
	}
	b.WriteString(s[last:])
	s = b.String()
	return lowerSetext(lowerATX(noForeignAutolinks(neutraliseLinks(s))))
}

// lowerATX makes the headings of level 1 and 2 level 3 (atxHeading), without
// running the pattern over a text with no '#'.
func lowerATX(s string) string {
	if strings.IndexByte(s, '#') < 0 {
		return s
	}
	return atxHeading.ReplaceAllString(s, "$1###$3")
}

// rawHTMLStarts is rawHTMLStart's matches in s, found without the pattern
// when s has no '<' (most values).
func rawHTMLStarts(s string) [][]int {
	if strings.IndexByte(s, '<') < 0 {
		return nil
	}
	return rawHTMLStart.FindAllStringIndex(s, -1)
}

var (
	setextUnderline = regexp.MustCompile(`^( {0,3})([=-]+[ \t]*)$`)
	fence           = regexp.MustCompile("^ {0,3}(```|~~~)")
)

// lowerSetext escapes a line of '=' or '-' under paragraph text, which
// would make that text a level-1 or level-2 heading (levels reserved for
// the document and its sections); the line then reads as itself.
func lowerSetext(s string) string {
	if !strings.ContainsAny(s, "=-") {
		return s // no underline: nothing to escape
	}
	return escapeUnderlines(s)
}

// escapeUnderlines is lowerSetext on every text.
func escapeUnderlines(s string) string {
	lines := strings.Split(s, "\n")
	inFence := false
	for i, l := range lines {
		if fence.MatchString(l) {
			inFence = !inFence
			continue
		}
		if inFence || i == 0 || strings.TrimSpace(lines[i-1]) == "" {
			continue
		}
		if m := setextUnderline.FindStringSubmatch(l); m != nil {
			lines[i] = m[1] + `\` + m[2]
		}
	}
	return strings.Join(lines, "\n")
}

// inlineMD is sanitizeMD folded onto one line, for list items and table
// cells: paragraphs are joined with a space and table pipes are escaped.
func inlineMD(s string) string {
	s = sanitizeMD(strings.TrimSpace(s))
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
	// Folded onto a line that a template may start ("1. {{ inline . }}"),
	// a leading marker would open a nested block; on one line it can only
	// have meant its literal self.
	if !strings.HasPrefix(s, `\`) {
		s = escBlockStart(s)
	}
	return escapePipes(s)
}

// escaped reports whether the byte at i is backslash-escaped: preceded by an
// odd number of backslashes ("\\<" is a backslash and a live '<').
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// escapePipes escapes the '|' that are not already escaped.
func escapePipes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '|' && !escaped(s, i) {
			b.WriteString(`\|`)
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
