package render_test

import (
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
// Chinese, mixed, or not UTF-8 at all.
func FuzzWordDiff(f *testing.F) {
	f.Add("We reply within 15 days.", "We reply within 30 days.")
	f.Add("我们将在15日内答复。", "我们将在30个工作日内答复。")
	f.Add("tab\there  and\u00a0nbsp", "tab here and nbsp")
	f.Add("café naïve 42nd", "cafe naive 42 nd")
	f.Add("\xff\xfe broken", "broken \xc3")
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
