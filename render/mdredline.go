package render

import (
	"regexp"
	"strings"

	"github.com/policyc/policyc/policy"
)

// The Markdown redline is for a pull-request comment: the section's own
// Markdown with deletions in <del> and insertions in <ins>, rendered by
// GitHub (CommonMark with its extensions and tag filter). It stays valid
// there because
//   - a tag never crosses a line: every line closes what it opened, and a
//     line's block marker (list item, heading, quote) stays outside tags;
//   - a tag never crosses a table cell: a row whose cells changed is shown
//     as the old row and the new row;
//   - a link, code span, escape or entity is never cut (they are single
//     tokens of the diff), so no tag lands in a link destination;
//   - inside a change, emphasis delimiters, brackets, backticks and '<'
//     are escaped: they read as themselves and cannot pair with a partner
//     outside the change, so emphasis always encloses whole tags;
//   - unchanged stretches are cut between tokens, never inside a word.

const (
	// contextRows is how many unchanged lines are shown around a change,
	// when they are short enough (contextBytes).
	contextRows  = 2
	contextBytes = 240
	// contextWords is how many words of an unchanged stretch inside a
	// changed line are kept beside each change.
	contextWords = 12
	// elision stands for text left out.
	elision = "…"
)

var (
	// blockMarker is the block structure a line starts with: indentation,
	// quote markers, a list marker, a heading marker.
	blockMarker = regexp.MustCompile(`^[ \t]*(?:(?:>[ \t]?|[-+*][ \t]+|[0-9]{1,9}[.)][ \t]+)[ \t]*)*(?:#{1,6}(?:[ \t]+|$))?`)
	// delimiterRow is a table's delimiter row.
	delimiterRow = regexp.MustCompile(`^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
)

// Markdown is the section's redline as Markdown for a pull-request
// comment: changed lines with a little unchanged context, deletions in
// <del>, insertions in <ins>.
func (s SectionRedline) Markdown() string {
	if spacingOnly(s.Segments) {
		return "Only spacing or line breaks changed.\n"
	}
	rows := s.rows
	if rows == nil {
		rows = diffRows(joinSegments(s.Segments, Delete), joinSegments(s.Segments, Insert))
	}
	var b strings.Builder
	show := make([]bool, len(rows))
	for i, r := range rows {
		if r.kind == rowEqual {
			continue
		}
		for k := max(0, i-contextRows); k <= min(len(rows)-1, i+contextRows); k++ {
			show[k] = true
		}
	}
	elided := false
	for i, r := range rows {
		if r.kind == rowEqual && (!show[i] || len(r.old) > contextBytes) {
			if !elided {
				b.WriteString("\n" + elision + "\n\n")
				elided = true
			}
			continue
		}
		elided = false
		switch r.kind {
		case rowEqual:
			b.WriteString(mdLine([]Segment{{Equal, strings.TrimSuffix(r.old, "\n")}}))
		case rowDelete:
			b.WriteString(mdLine([]Segment{{Delete, strings.TrimSuffix(r.old, "\n")}}))
		case rowInsert:
			b.WriteString(mdLine([]Segment{{Insert, strings.TrimSuffix(r.new, "\n")}}))
		case rowPair:
			lines := splitSegmentLines(r.segs)
			for k, l := range lines {
				if k == len(lines)-1 && len(l) == 0 {
					break // the pair's last line end
				}
				b.WriteString(mdLine(l))
			}
		}
	}
	return strings.TrimSpace(b.String()) + "\n"
}

// spacingOnly says whether a redline changes nothing but spaces and line
// breaks (and changes something).
func spacingOnly(segs []Segment) bool {
	changed := false
	for _, s := range segs {
		if s.Op != Equal {
			if strings.TrimSpace(s.Text) != "" {
				return false
			}
			changed = true
		}
	}
	return changed
}

// joinSegments rebuilds one side of a redline.
func joinSegments(segs []Segment, side Op) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Op == Equal || s.Op == side {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// splitSegmentLines cuts segments at line ends, whichever side's they are.
func splitSegmentLines(segs []Segment) [][]Segment {
	out := [][]Segment{nil}
	for _, s := range segs {
		for t := s.Text; ; {
			i := strings.IndexByte(t, '\n')
			if i < 0 {
				if t != "" {
					out[len(out)-1] = append(out[len(out)-1], Segment{s.Op, t})
				}
				break
			}
			if i > 0 {
				out[len(out)-1] = append(out[len(out)-1], Segment{s.Op, t[:i]})
			}
			out = append(out, nil)
			t = t[i+1:]
		}
	}
	return out
}

// mdLine writes one line of the redline, with its line end.
func mdLine(pieces []Segment) string {
	var old, new strings.Builder
	changed, pipes := false, false
	for _, p := range pieces {
		if p.Op != Insert {
			old.WriteString(p.Text)
		}
		if p.Op != Delete {
			new.WriteString(p.Text)
		}
		if p.Op != Equal {
			changed = true
			pipes = pipes || strings.Contains(escapedPipes.Replace(p.Text), "|")
		}
	}
	if !changed {
		return mdPieces(pieces, false) + "\n"
	}
	row := isTableRow(old.String()) || isTableRow(new.String())
	if row && (delimiterRow.MatchString(old.String()) || delimiterRow.MatchString(new.String())) {
		// A delimiter row is structure, not text: it is shown as it stands.
		if new.Len() == 0 {
			return old.String() + "\n"
		}
		return new.String() + "\n"
	}
	if row && pipes {
		// The cells themselves changed: the old row, then the new one.
		// The cells themselves changed: the old row, then the new one, each
		// with its changes marked cell by cell (a side with none is left
		// out).
		var out strings.Builder
		for _, side := range []Op{Delete, Insert} {
			var ps []Segment
			marked := false
			for _, p := range pieces {
				switch p.Op {
				case Equal:
					ps = append(ps, p)
				case side:
					marked = true
					ps = append(ps, splitCells(p)...)
				}
			}
			if marked {
				out.WriteString(mdPieces(ps, false) + "\n")
			}
		}
		return out.String()
	}
	return mdPieces(pieces, !row) + "\n"
}

// splitCells cuts a change at the table pipes in it, which stand outside
// its tags.
func splitCells(p Segment) []Segment {
	var out []Segment
	start := 0
	at := 0
	for _, t := range tokens(p.Text) {
		if t == "|" {
			if at > start {
				out = append(out, Segment{p.Op, p.Text[start:at]})
			}
			out = append(out, Segment{Equal, "|"})
			start = at + 1
		}
		at += len(t)
	}
	if start < len(p.Text) {
		out = append(out, Segment{p.Op, p.Text[start:]})
	}
	return out
}

// escapedPipes hides escaped pipes, which do not cut table cells.
var escapedPipes = strings.NewReplacer(`\\`, "", `\|`, "")

func isTableRow(l string) bool { return strings.HasPrefix(strings.TrimLeft(l, " \t"), "|") }

// mdPieces writes a line's pieces: the block marker outside any tag, each
// change in its tag with its Markdown defused, long unchanged stretches
// shortened (when elide) to the words beside the changes.
func mdPieces(pieces []Segment, elide bool) string {
	var b strings.Builder
	if len(pieces) > 0 {
		first := pieces[0]
		single := true
		for _, p := range pieces {
			single = single && p.Op == first.Op
		}
		if first.Op == Equal || single {
			m := blockMarker.FindString(first.Text)
			b.WriteString(m)
			pieces = append([]Segment{{first.Op, first.Text[len(m):]}}, pieces[1:]...)
		}
	}
	for i, p := range pieces {
		if p.Text == "" {
			continue
		}
		switch p.Op {
		case Equal:
			t := p.Text
			if elide && len(pieces) > 1 {
				t = elideMiddle(t, i > 0, i < len(pieces)-1)
			}
			b.WriteString(defuse(t, false, i == len(pieces)-1))
		case Delete:
			b.WriteString("<del>" + defuse(p.Text, true, false) + "</del>")
		case Insert:
			b.WriteString("<ins>" + defuse(p.Text, true, false) + "</ins>")
		}
	}
	return b.String()
}

// elideMiddle shortens an unchanged stretch to the contextWords words
// after the change before it (head) and before the change after it
// (tail), cutting between tokens.
func elideMiddle(s string, head, tail bool) string {
	if len(s) < 100 {
		return s // too short to be worth cutting
	}
	ts := tokens(s)
	words := 0
	for _, t := range ts {
		if strings.TrimSpace(t) != "" {
			words++
		}
	}
	keep := 0
	if head {
		keep += contextWords
	}
	if tail {
		keep += contextWords
	}
	if words <= keep+contextWords {
		return s
	}
	// cut returns the index of the token after n words from the start.
	cut := func(ts []string, n int) int {
		for i, t := range ts {
			if strings.TrimSpace(t) != "" {
				if n == 0 {
					return i
				}
				n--
			}
		}
		return len(ts)
	}
	var b strings.Builder
	if head {
		b.WriteString(strings.Join(ts[:cut(ts, contextWords)], ""))
	}
	b.WriteString(" " + elision + " ")
	if tail {
		rev := make([]string, len(ts))
		for i, t := range ts {
			rev[len(ts)-1-i] = t
		}
		k := len(ts) - cut(rev, contextWords)
		b.WriteString(strings.Join(ts[k:], ""))
	}
	return b.String()
}

// defuse escapes what could pair with Markdown outside the text, token by
// token: in any text a lone backslash (it would escape the tag after it;
// at the end of a line it is a hard line break and stays), lone brackets
// and a lone '<'; in a change also '>', emphasis delimiters and lone
// backticks, which read as themselves there.
func defuse(s string, changed, lineEnd bool) string {
	if !changed && !strings.ContainsAny(s, `\[]<`) || !strings.ContainsAny(s, "\\[]<>*_~`") {
		return s
	}
	var b strings.Builder
	ts := tokens(s)
	for i, t := range ts {
		switch {
		case t == `\` && lineEnd && i == len(ts)-1:
			b.WriteString(t)
		case t == "<" || t == ">":
			// As character references: a reader may take "\<img" after a
			// bare address for the start of raw HTML.
			b.WriteString(angle.Replace(t))
		case t == `\` || t == "[" || t == "]":
			b.WriteString(`\` + t)
		case len(t) > 1 && (t[0] == '[' || t[0] == '<') && !linkIsSafe(t):
			// A link or autolink whose destination policy.SafeLink refuses
			// is shown as its text, never as a link.
			b.WriteString(literalLink.Replace(t))
		case changed && strings.Trim(t, "*_~`") == "":
			for _, c := range []byte(t) {
				b.WriteByte('\\')
				b.WriteByte(c)
			}
		default:
			b.WriteString(t)
		}
	}
	return b.String()
}

var (
	angle       = strings.NewReplacer("<", "&lt;", ">", "&gt;")
	literalLink = strings.NewReplacer("[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`, "<", "&lt;", ">", "&gt;")
)

// linkIsSafe judges a link token ("[text](dest)", "[text][ref]", "<dest>"):
// true when it holds no destination, or one policy.SafeLink allows.
func linkIsSafe(t string) bool {
	if t[0] == '<' {
		return policy.SafeLink(strings.TrimSuffix(t[1:], ">"))
	}
	i := strings.LastIndex(t, "](")
	if i < 0 || !strings.HasSuffix(t, ")") {
		return true // a reference or plain brackets: no destination here
	}
	dest := strings.TrimSpace(t[i+2 : len(t)-1])
	if j := strings.IndexAny(dest, " \t\n"); j >= 0 {
		dest = dest[:j] // a title follows
	}
	return policy.SafeLink(strings.Trim(dest, "<>"))
}
