package render

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Op is what a redline segment is.
type Op string

// Segment operations.
const (
	Equal  Op = "="
	Insert Op = "+"
	Delete Op = "-"
)

// Segment is a run of text in a redline.
type Segment struct {
	Op   Op     `json:"op"`
	Text string `json:"text"`
}

// SectionRedline is the redline of one section.
type SectionRedline struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Status   string    `json:"status"` // "changed", "added", "removed"
	Segments []Segment `json:"segments"`
}

// Redline compares two composed documents section by section, word by word
// (character by character in Chinese, Japanese and Korean), exactly: the
// diff has no time limit. Unchanged sections are left out.
func Redline(old, new *Doc) ([]SectionRedline, error) {
	if !utf8.Valid(old.Markdown) || !utf8.Valid(new.Markdown) {
		return nil, fmt.Errorf("redline: a document is not valid UTF-8")
	}
	a, b := splitSections(old), splitSections(new)
	var out []SectionRedline
	seen := map[string]bool{}
	for _, h := range new.Sections {
		seen[h.ID] = true
		nb := b[h.ID]
		na, ok := a[h.ID]
		switch {
		case !ok:
			out = append(out, SectionRedline{ID: h.ID, Title: h.Title, Status: "added", Segments: []Segment{{Insert, nb}}})
		case na != nb:
			out = append(out, SectionRedline{ID: h.ID, Title: h.Title, Status: "changed", Segments: WordDiff(na, nb)})
		}
	}
	for _, h := range old.Sections {
		if !seen[h.ID] {
			out = append(out, SectionRedline{ID: h.ID, Title: h.Title, Status: "removed", Segments: []Segment{{Delete, a[h.ID]}}})
		}
	}
	return out, nil
}

// splitSections cuts a composed document at its level-2 headings, which
// are its sections in order (the title and preamble go with "contents").
func splitSections(d *Doc) map[string]string {
	out := map[string]string{}
	lines := strings.SplitAfter(string(d.Markdown), "\n")
	i := -1
	var cur strings.Builder
	flush := func() {
		if i >= 0 && i < len(d.Sections) {
			out[d.Sections[i].ID] = strings.TrimSpace(cur.String())
		}
		cur.Reset()
	}
	inFence := false
	for _, l := range lines {
		if strings.HasPrefix(l, "```") || strings.HasPrefix(l, "~~~") {
			inFence = !inFence
		}
		if !inFence && strings.HasPrefix(l, "## ") {
			flush()
			i++
			continue
		}
		cur.WriteString(l)
	}
	flush()
	return out
}

// tokens splits text into words, runs of spaces, single punctuation marks
// and single CJK characters.
func tokens(s string) []string {
	var out []string
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		j := n
		switch {
		case isCJK(r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			for j < len(s) {
				r2, m := utf8.DecodeRuneInString(s[j:])
				if !(unicode.IsLetter(r2) || unicode.IsDigit(r2)) || isCJK(r2) {
					break
				}
				j += m
			}
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, m := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += m
			}
		}
		out = append(out, s[:j])
		s = s[j:]
	}
	return out
}

// tokenRune and runeToken map the index of a distinct token to a rune and
// back, skipping the surrogate range (go-diff works on valid runes).
func tokenRune(i int) rune {
	if i >= 0xd800 {
		return rune(i + 0x800)
	}
	return rune(i)
}

func runeToken(r rune) int {
	if r >= 0xd800 {
		return int(r) - 0x800
	}
	return int(r)
}

// WordDiff is an exact token-level diff of two texts.
func WordDiff(a, b string) []Segment {
	ids := map[string]rune{}
	var vocab []string
	encode := func(ts []string) []rune {
		rs := make([]rune, len(ts))
		for i, t := range ts {
			r, ok := ids[t]
			if !ok {
				r = tokenRune(len(vocab))
				ids[t] = r
				vocab = append(vocab, t)
			}
			rs[i] = r
		}
		return rs
	}
	ra, rb := encode(tokens(a)), encode(tokens(b))
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // exact, however long it takes
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false))
	var out []Segment
	for _, d := range diffs {
		op := Equal
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = Insert
		case diffmatchpatch.DiffDelete:
			op = Delete
		}
		var sb strings.Builder
		for _, r := range d.Text {
			sb.WriteString(vocab[runeToken(r)])
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += sb.String()
			continue
		}
		out = append(out, Segment{op, sb.String()})
	}
	return out
}
