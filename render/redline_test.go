package render_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

func join(segs []render.Segment, keep render.Op) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Op == render.Equal || s.Op == keep {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// TestWordDiffRebuildsBothTexts checks the defining property of a diff:
// equal+deleted segments give the old text, equal+inserted the new one;
// and that words (and Chinese characters) are the unit.
func TestWordDiffRebuildsBothTexts(t *testing.T) {
	cases := [][2]string{
		{"We reply within 15 days.", "We reply within 30 days."},
		{"我们将在15日内答复。", "我们将在30个工作日内答复。"},
		{"", "new text"},
		{"same", "same"},
		{"a b c d e f", "f e d c b a"},
		{"emoji 😀 stays", "emoji 😀 moved stays"},
	}
	for _, c := range cases {
		segs := render.WordDiff(c[0], c[1])
		if got := join(segs, render.Delete); got != c[0] {
			t.Errorf("old rebuilt as %q, want %q", got, c[0])
		}
		if got := join(segs, render.Insert); got != c[1] {
			t.Errorf("new rebuilt as %q, want %q", got, c[1])
		}
	}
	segs := render.WordDiff("We reply within 15 days.", "We reply within 30 days.")
	var changed []string
	for _, s := range segs {
		if s.Op != render.Equal {
			changed = append(changed, string(s.Op)+s.Text)
		}
	}
	if strings.Join(changed, " ") != "-15 +30" {
		t.Errorf("changed segments %q, want the words only", changed)
	}
	segs = render.WordDiff("我们将在15日内答复。", "我们将在15个工作日内答复。")
	for _, s := range segs {
		if s.Op == render.Insert && s.Text != "个工作" {
			t.Errorf("Chinese insertion %q, want 个工作 (character level)", s.Text)
		}
	}
}

func TestRedlineBySection(t *testing.T) {
	p := loadExample(t, "website")
	q := loadExample(t, "website")
	q.Contacts.ResponseTime = policy.Duration{N: 30, Unit: policy.Days}
	q.Sections = q.Sections[1:] // drop one section
	q.Summary = policy.LocalizedText(map[string]string{"en": "A summary rewritten for the test.", "zh-CN": "为测试改写的摘要。"})
	r := render.New()
	a, err := r.Compose(p, "en", render.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Compose(q, "en", render.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	rl, err := render.Redline(a[0], b[0])
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, s := range rl {
		status[s.ID] = s.Status
	}
	if status["minors"] != "removed" || status["contact"] != "changed" || status["contents"] != "changed" || status[render.HeadID] != "changed" {
		t.Errorf("section statuses %v", status)
	}
	// A new version number and dates change the head and nothing else.
	v1, err := r.Compose(p, "en", render.Meta{Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := r.Compose(p, "en", render.Meta{Version: "2", Updated: policy.Date{Year: 2027, Month: 1, Day: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if rl, err := render.Redline(v1[0], v2[0]); err != nil || len(rl) != 1 || rl[0].ID != render.HeadID {
		t.Errorf("a new version number and date give the redline %+v (%v)", rl, err)
	}
	for _, s := range rl {
		if s.ID == "contact" && !strings.Contains(join(s.Segments, render.Insert), "30 days") {
			t.Errorf("contact redline lacks the new reply time: %+v", s.Segments)
		}
		// The summary stands before the first heading, with the title.
		if s.ID == render.HeadID && (!strings.Contains(join(s.Segments, render.Insert), "rewritten for the test") || s.Title != p.Title.Get("en")) {
			t.Errorf("the redline's head is %q: %+v", s.Title, s.Segments)
		}
	}
}

// TestOutlineReadsTheSectionsBack checks that the sections read back from
// a published page (Outline) and counted in its Markdown (Cut)
// are the composed document's, in every document of both examples: the
// site compares archived versions by them without composing again.
func TestOutlineReadsTheSectionsBack(t *testing.T) {
	n := 0
	for _, o := range renderExamples(t) {
		if !strings.HasSuffix(o.name, ".html") {
			continue
		}
		n++
		got := render.Outline(o.data)
		if len(got) != len(o.doc.Sections) {
			t.Errorf("%s: outline has %d sections, the document %d", o.name, len(got), len(o.doc.Sections))
			continue
		}
		for i, h := range o.doc.Sections {
			if got[i].ID != h.ID || got[i].Title != h.Title {
				t.Errorf("%s: section %d read back as %q %q, composed as %q %q", o.name, i, got[i].ID, got[i].Title, h.ID, h.Title)
			}
		}
		if c, err := render.Cut(o.doc); err != nil || c.Headings() != len(o.doc.Sections) {
			t.Errorf("%s: cut at %d headings (%v), the document has %d sections", o.name, c.Headings(), err, len(o.doc.Sections))
		}
	}
	if n < 4 {
		t.Fatalf("only %d HTML documents rendered", n)
	}
}

// FuzzWordDiff checks the rebuild property on any two texts, Latin,
// Chinese, mixed, or not UTF-8 at all, one line or many: lines paired,
// long lines compared by sentences, Markdown constructs kept whole.
func FuzzWordDiff(f *testing.F) {
	f.Add("We reply within 15 days.", "We reply within 30 days.")
	f.Add("我们将在15日内答复。", "我们将在30个工作日内答复。")
	f.Add("tab\there  and\u00a0nbsp", "tab here and nbsp")
	f.Add("café naïve 42nd", "cafe naive 42 nd")
	f.Add("\xff\xfe broken", "broken \xc3")
	f.Add("# Title\n\nFirst paragraph, one line.\n\n- a **bold** item\n- [a link](https://x.example/a_b) item\n", "# Title\n\nFirst paragraph,\none line.\n\n- a bold item\n- [a link](https://x.example/a_c) item\n- new\n")
	f.Add("| a | b |\n|---|---|\n| 1 | 2 |\n", "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n")
	f.Add(strings.Repeat("One sentence here. Another one; and a third! ", 80), strings.Repeat("One sentence there. Another one; a third! ", 90))
	f.Fuzz(func(t *testing.T, a, b string) {
		segs := render.WordDiff(a, b)
		if got := join(segs, render.Delete); got != a {
			t.Fatalf("old rebuilt as %q, want %q", got, a)
		}
		if got := join(segs, render.Insert); got != b {
			t.Fatalf("new rebuilt as %q, want %q", got, b)
		}
	})
}

// markdownLines are lines of the kinds a composed policy holds.
var markdownLines = []string{
	"We collect your **mobile phone number** to create your account.",
	"- Device information: device model, operating system and *version*.",
	"1. Open [the settings page](https://example.com/settings \"Settings\") and tap `Delete`.",
	"| Data | Purpose | Retention |",
	"|---|---|---|",
	"| Phone number | Login | Until you cancel \\| or 3 years |",
	"### Sharing with partners",
	"> Contact privacy@example.com or <https://example.com/help> within 15 days.",
	"我们将在15个工作日内答复您的请求。如您不同意，可以向监管部门投诉。",
	"Text with an entity &amp; an escape \\* and a_snake_case name, see www.example.com/a.",
	"",
}

// randomDoc is a document of n lines drawn from markdownLines, each with
// some words of its own so that lines differ.
func randomDoc(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(markdownLines[r.IntN(len(markdownLines))])
		for range r.IntN(40) {
			b.WriteString(" w")
			b.WriteString(strconv.Itoa(r.IntN(30)))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// editDoc edits a document's lines: some deleted, inserted, split, joined
// or moved, and some words changed.
func editDoc(r *rand.Rand, doc string) string {
	lines := strings.SplitAfter(doc, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch r.IntN(10) {
		case 0: // deleted
		case 1: // a new line before it
			out = append(out, randomDoc(r, 1), l)
		case 2: // split at a space
			if k := strings.IndexByte(l, ' '); k > 0 {
				out = append(out, l[:k]+"\n", l[k+1:])
			} else {
				out = append(out, l)
			}
		case 3: // joined with the next
			out = append(out, strings.TrimSuffix(l, "\n")+" ")
		case 4, 5: // words changed
			out = append(out, editWords(l, 1+r.IntN(6), r.Uint64()))
		case 6: // moved to the end
			defer func(l string) { out = append(out, l) }(l)
		default:
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

// TestWordDiffRebuildsEditedDocuments checks the rebuild property on many
// generated documents, short and long, with lines deleted, inserted,
// split, joined, moved and reworded: long enough that runs of changed
// lines are paired and cut into chunks.
func TestWordDiffRebuildsEditedDocuments(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 120 {
		a := randomDoc(r, 1+r.IntN(8)*(1+i%4*8))
		b := editDoc(r, a)
		if i%7 == 0 {
			b = randomDoc(r, r.IntN(50))
		}
		segs := render.WordDiff(a, b)
		if got := join(segs, render.Delete); got != a {
			t.Fatalf("case %d: old rebuilt as\n%q\nwant\n%q", i, got, a)
		}
		if got := join(segs, render.Insert); got != b {
			t.Fatalf("case %d: new rebuilt as\n%q\nwant\n%q", i, got, b)
		}
		for k := 1; k < len(segs); k++ {
			if segs[k].Op == segs[k-1].Op || segs[k].Text == "" {
				t.Fatalf("case %d: segments %d and %d not merged or empty: %+v", i, k-1, k, segs[k-1:k+1])
			}
		}
	}
}

// TestChangeSentenceQuotesTheChangedWords checks that a changed text is
// quoted where it changed, with a few words around, not by its first words
// (the same before and after); and that a change of spacing alone says so,
// in the change list and in the Markdown redline.
func TestChangeSentenceQuotesTheChangedWords(t *testing.T) {
	words, err := render.New().Wording(nil, nil, "en")
	if err != nil {
		t.Fatal(err)
	}
	body, err := policy.ParsePath("sections[rights].body")
	if err != nil {
		t.Fatal(err)
	}
	intro := strings.Repeat("We describe here how we handle your personal information in detail. ", 6)
	old := intro + "We reply within 15 days of your request, by e-mail or by post. " + intro
	new := intro + "We reply within 30 working days of your request, by e-mail or by post. " + intro
	line := words.Sentence(policy.Change{Path: body, Kind: policy.Changed, Old: old, New: new, Prose: true})
	for _, want := range []string{`“… detail. We reply within 15 days of your request …”`, `“… detail. We reply within 30 working days of your request …”`} {
		if !strings.Contains(line, want) {
			t.Errorf("change sentence %q lacks %s", line, want)
		}
	}
	if strings.Contains(line, "We describe") {
		t.Errorf("change sentence %q quotes the text's first words", line)
	}
	spaced := strings.ReplaceAll(old, "request, by", "request,\n  by")
	line = words.Sentence(policy.Change{Path: body, Kind: policy.Changed, Old: old, New: spaced, Prose: true})
	if !strings.HasSuffix(line, ": only spacing or line breaks changed.") {
		t.Errorf("a change of spacing reads %q", line)
	}
	md := render.SectionRedline{Segments: render.WordDiff(old, spaced)}.Markdown()
	if md != "Only spacing or line breaks changed.\n" {
		t.Errorf("the Markdown redline of a change of spacing reads %q", md)
	}
}
