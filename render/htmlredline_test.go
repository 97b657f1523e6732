package render_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/net/html"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// section is a changed section of a comparison, from its two texts.
func section(id, old, new string) render.SectionRedline {
	return render.SectionRedline{ID: id, Title: "Section " + id, Status: "changed", Segments: render.WordDiff(old, new)}
}

// comparisonPage writes the comparison page of sections.
func comparisonPage(t testing.TB, rl []render.SectionRedline, links ...render.DiffLinks) string {
	t.Helper()
	var b bytes.Buffer
	if err := render.DiffHTML(&b, "v1", "v2", "en", policy.Assessment{}, rl, nil, links...); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// wordBreakTags are the elements whose start and end part words.
var wordBreakTags = map[string]bool{"p": true, "li": true, "td": true, "th": true, "tr": true, "br": true, "hr": true, "pre": true,
	"blockquote": true, "div": true, "section": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "ul": true, "ol": true, "summary": true, "details": true, "table": true, "thead": true, "tbody": true}

// voids are the elements with no end tag.
var voids = map[string]bool{"meta": true, "br": true, "hr": true, "img": true, "input": true, "link": true, "wbr": true}

// redlineTexts reads a comparison page back with an HTML parser we did not
// write (golang.org/x/net/html's tokenizer): the words of its redline as
// the older version read (inserted words and blocks left out) and as the
// newer one reads (deleted ones left out). Every element must be closed
// in order, and <ins> and <del> hold text only.
func redlineTexts(t testing.TB, page string) (old, new []string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	type open struct {
		tag   string
		class string
	}
	var stack []open
	var ob, nb strings.Builder
	inside := func(pred func(open) bool) bool {
		return slices.ContainsFunc(stack, pred)
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			if len(stack) > 0 {
				t.Fatalf("unclosed elements at the end: %v", stack)
			}
			return words(ob.String()), words(nb.String())
		case html.StartTagToken:
			tok := z.Token()
			if wordBreakTags[tok.Data] {
				ob.WriteByte(' ')
				nb.WriteByte(' ')
			}
			if inside(func(o open) bool { return o.tag == "ins" || o.tag == "del" }) {
				t.Fatalf("<%s> inside a marked change", tok.Data)
			}
			if voids[tok.Data] {
				continue
			}
			var class string
			for _, a := range tok.Attr {
				switch {
				case a.Key == "class":
					class = a.Val
				case a.Key == "href" && !policy.SafeLink(a.Val) && !strings.HasPrefix(a.Val, "#"),
					a.Key == "src", strings.HasPrefix(a.Key, "on"), tok.Data == "script", tok.Data == "iframe":
					t.Fatalf("active content on the page: <%s %s=%q>", tok.Data, a.Key, a.Val)
				}
			}
			stack = append(stack, open{tok.Data, class})
		case html.EndTagToken:
			tok := z.Token()
			if wordBreakTags[tok.Data] {
				ob.WriteByte(' ')
				nb.WriteByte(' ')
			}
			if len(stack) == 0 || stack[len(stack)-1].tag != tok.Data {
				t.Fatalf("</%s> closes %v", tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
		case html.TextToken:
			if !inside(func(o open) bool { return o.class == "rl" }) ||
				inside(func(o open) bool { return o.tag == "summary" || o.class == "rl-next" }) {
				continue
			}
			text := string(z.Text())
			if !inside(func(o open) bool { return o.tag == "ins" || o.class == "rl-inserted" }) {
				ob.WriteString(text)
			}
			if !inside(func(o open) bool { return o.tag == "del" || o.class == "rl-deleted" }) {
				nb.WriteString(text)
			}
		}
	}
}

// readWords is the words of Markdown as a reader reads them, rendered by
// goldmark itself.
func readWords(t testing.TB, md string) []string {
	t.Helper()
	var b bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough,
		extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})))).Convert([]byte(md), &b); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	z := html.NewTokenizer(&b)
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		switch tt {
		case html.TextToken:
			text.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, attr := z.TagName()
			if wordBreakTags[string(name)] {
				text.WriteByte(' ')
			}
			// An image reads as a link with its description (Parse).
			for attr && string(name) == "img" {
				var k, v []byte
				k, v, attr = z.TagAttr()
				if string(k) == "alt" {
					text.Write(v)
				}
			}
		}
	}
	return words(text.String())
}

// checkRebuilds fails t unless the page's redline reads, without its
// insertions, as the older texts, and without its deletions, as the newer.
func checkRebuilds(t testing.TB, page string, pairs ...[2]string) {
	t.Helper()
	old, new := redlineTexts(t, page)
	var wantOld, wantNew []string
	for _, p := range pairs {
		wantOld = append(wantOld, readWords(t, p[0])...)
		wantNew = append(wantNew, readWords(t, p[1])...)
	}
	if i := firstDifference(old, wantOld); i >= 0 {
		t.Errorf("the redline without insertions is not the older text, from word %d:\n%s\nwant\n%s", i, around(old, i), around(wantOld, i))
	}
	if i := firstDifference(new, wantNew); i >= 0 {
		t.Errorf("the redline without deletions is not the newer text, from word %d:\n%s\nwant\n%s", i, around(new, i), around(wantNew, i))
	}
}

// firstDifference is the index of the first word where a and b differ, -1
// when they are the same.
func firstDifference(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// around is the words of ws around the i-th.
func around(ws []string, i int) string {
	return strings.Join(ws[max(0, i-8):min(len(ws), i+8)], " ")
}

const oldSection = `We collect **device information** and generally only with consent. See [our partners](https://example.com/partners).

### Who receives it

- Payment providers, to take payments.
- Analytics providers, to count visits.
- Advertisers, to show ads.

| Recipient | Purpose |
|---|---|
| PayCo | payments |
| AdCo | advertising |

We keep it for two years.
`

const newSection = `We collect **device information** and only with your consent. See [our partners](https://example.com/partners-2024).

### Who receives it

- Payment providers, to take and refund payments.
- Advertisers, to show ads.
- Cloud hosts, to store it.

| Recipient | Purpose |
|---|---|
| PayCo | payments |
| CloudCo | hosting |

We keep it for two years.

A new paragraph.
`

// TestComparisonPageShowsTheDocumentAsItReads: headings, emphasis, links,
// lists and tables are rendered, not shown as Markdown source, and the
// changed words are marked inside them.
func TestComparisonPageShowsTheDocumentAsItReads(t *testing.T) {
	page := comparisonPage(t, []render.SectionRedline{section("sharing", oldSection, newSection)})
	for _, want := range []string{
		`<h3>Who receives it</h3>`,
		`<strong>device information</strong>`,
		`<a href="https://example.com/partners-2024">our partners</a>`,
		`and <del>generally</del> only with <ins>your</ins> consent`,
		`to take <ins>and refund</ins> payments.`,
		`<td>PayCo</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	_, body, _ := strings.Cut(page, `<div class="rl">`)
	for _, source := range []string{"**", "](", "|---|", "### ", "\n- "} {
		if strings.Contains(body, source) {
			t.Errorf("the redline shows Markdown source %q", source)
		}
	}
	checkRebuilds(t, page, [2]string{oldSection, newSection})
}

// TestComparisonPageMarksWholeBlocksInTheirElements: a list item or table
// row deleted or inserted whole stays an item of its list or a row of its
// table, marked as a block (a bar, not colour alone) and word by word.
func TestComparisonPageMarksWholeBlocksInTheirElements(t *testing.T) {
	page := comparisonPage(t, []render.SectionRedline{section("sharing", oldSection, newSection)})
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`<li class="rl-deleted"[^>]*><del>Analytics providers, to count visits.</del>[^\n]*</li>\n<li>Advertisers`),
		regexp.MustCompile(`<li class="rl-inserted"[^>]*><ins>Cloud hosts, to store it.</ins>`),
		regexp.MustCompile(`<tr class="rl-deleted"[^>]*>\n<td><del>AdCo</del></td>\n<td><del>advertising</del></td>\n</tr>`),
		regexp.MustCompile(`<tr class="rl-inserted"[^>]*>\n<td><ins>CloudCo</ins></td>`),
		regexp.MustCompile(`<p class="rl-inserted"[^>]*><ins>A new paragraph.</ins></p>`),
	} {
		if !want.MatchString(page) {
			t.Errorf("the page lacks %s", want)
		}
	}
	// One list and one table: the deleted item and row stand in the newer ones.
	_, body, _ := strings.Cut(page, `<div class="rl">`)
	if n, m := strings.Count(body, "<ul>"), strings.Count(body, "<table>"); n != 1 || m != 1 {
		t.Errorf("%d lists and %d tables in the redline, want 1 and 1", n, m)
	}
	if strings.Count(body, "<thead>") != 1 {
		t.Error("the table's header row is not its one <thead>")
	}
}

// paragraphs is n numbered paragraphs, the k-th (from 1) changed by f.
func numberedParagraphs(n, k int, f func(string) string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		p := fmt.Sprintf("Paragraph %d says something.", i)
		if i == k {
			p = f(p)
		}
		b.WriteString(p + "\n\n")
	}
	return b.String()
}

// TestComparisonPageCollapsesUnchangedStretches: around a change one
// unchanged paragraph stays in view on each side; the rest fold into a
// <details> that opens without JavaScript and says how much it holds.
func TestComparisonPageCollapsesUnchangedStretches(t *testing.T) {
	old := numberedParagraphs(10, 0, nil)
	new := numberedParagraphs(10, 5, func(s string) string { return strings.Replace(s, "something", "something else", 1) })
	page := comparisonPage(t, []render.SectionRedline{section("s", old, new)})
	re := regexp.MustCompile(`(?s)<details class="rl-same"><summary>(\d+) unchanged paragraphs</summary>(.*?)</details>`)
	got := re.FindAllStringSubmatch(page, -1)
	if len(got) != 2 || got[0][1] != "3" || got[1][1] != "4" {
		t.Fatalf("collapsed stretches %q, want 3 paragraphs before the change and 4 after", got)
	}
	if !strings.Contains(got[0][2], "Paragraph 1 ") || !strings.Contains(got[0][2], "Paragraph 3 ") || strings.Contains(got[0][2], "Paragraph 4 ") {
		t.Errorf("the first stretch holds %q", got[0][2])
	}
	for _, shown := range []string{"<p>Paragraph 4 says something.</p>", "<p id=\"change-1\">Paragraph 5 says something <ins>else</ins>.</p>", "<p>Paragraph 6 says something.</p>"} {
		if !strings.Contains(page, shown) {
			t.Errorf("%s is not in view", shown)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("the page has a script")
	}
	checkRebuilds(t, page, [2]string{old, new})
}

// TestComparisonPageLinksEachChangeToTheNext: the changed sections are
// listed with links to them, each change has an anchor and a link to the
// next one, and the last change links nowhere.
func TestComparisonPageLinksEachChangeToTheNext(t *testing.T) {
	a := numberedParagraphs(12, 0, nil)
	b := numberedParagraphs(12, 2, func(s string) string { return s + " More." })
	b = strings.Replace(b, "Paragraph 9 says", "Paragraph 9 now says", 1)
	page := comparisonPage(t, []render.SectionRedline{section("first", a, b), section("second", oldSection, newSection)})
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`id="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if ids[m[1]] {
			t.Errorf("id %s twice", m[1])
		}
		ids[m[1]] = true
	}
	for _, id := range []string{"sec-first", "sec-second", "change-1", "change-2", "change-3"} {
		if !ids[id] {
			t.Errorf("no anchor %s", id)
		}
	}
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if !ids[m[1]] {
			t.Errorf("a link to #%s, which is not on the page", m[1])
		}
	}
	next := regexp.MustCompile(`class="rl-next" href="#change-(\d+)"`).FindAllStringSubmatch(page, -1)
	n := 0
	for ids[fmt.Sprintf("change-%d", n+1)] {
		n++
	}
	if len(next) != n-1 {
		t.Fatalf("%d next-change links for %d changes", len(next), n)
	}
	for i, m := range next {
		if m[1] != fmt.Sprint(i+2) {
			t.Errorf("next-change link %d goes to change %s", i+1, m[1])
		}
	}
	for _, want := range []string{`<a href="#sec-first">Section first</a>`, `<a href="#sec-second">Section second</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the list of changed sections lacks %s", want)
		}
	}
}

// TestComparisonPageQuotesWhereEachSectionChanged: the list of changed
// sections quotes the changed words with a few words around them, from
// the text as it reads (no Markdown), and says when only spacing changed.
func TestComparisonPageQuotesWhereEachSectionChanged(t *testing.T) {
	long := strings.Repeat("The same opening words stand here in **both** versions. ", 6)
	page := comparisonPage(t, []render.SectionRedline{
		section("words", long+"\n\nWe keep it for two years.\n", long+"\n\nWe keep it for five years.\n"),
		section("spacing", "We keep it\nfor two years.\n", "We keep it for two years.\n"),
	})
	for _, want := range []string{
		`was: “… We keep it for two years.”`, `now: “… We keep it for five years.”`,
		`<a href="#sec-spacing">Section spacing</a> (changed): only spacing or line breaks changed`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the list of changed sections lacks %s", want)
		}
	}
	_, list, _ := strings.Cut(page, `<ul class="sections">`)
	list, _, _ = strings.Cut(list, "</ul>")
	if strings.Contains(list, "**") || strings.Contains(list, "The same opening") {
		t.Errorf("the quote is Markdown source or the section's first words:\n%s", list)
	}
}

// TestComparisonPageLinksAroundIt: in a site the page links to the
// archive, the current policy and both versions; a link SafeLink refuses
// is left out; standalone, it names the versions without links.
func TestComparisonPageLinksAroundIt(t *testing.T) {
	rl := []render.SectionRedline{section("s", "a b c\n", "a b d\n")}
	page := comparisonPage(t, rl, render.DiffLinks{Archive: "../archive.html", Current: "../index.html", From: "../v1/index.html", To: "javascript:alert(1)"})
	for _, want := range []string{`<a href="../archive.html">All versions</a>`, `<a href="../index.html">The current policy</a>`, `<a href="../v1/index.html">Read v1</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(page, "javascript") || strings.Contains(page, "Read v2") {
		t.Error("the page links where SafeLink refuses")
	}
	alone := comparisonPage(t, rl)
	if !strings.Contains(alone, "<p>Versions compared: v1 and v2.</p>") || strings.Contains(alone, "<nav") {
		t.Error("the standalone page does not name the versions without links")
	}
}

// TestComparisonPageSaysTheVerdictInWords: the overall level and what it
// calls for, and each change's sentence with its rule's clause and
// summary, never a change's internal path.
func TestComparisonPageSaysTheVerdictInWords(t *testing.T) {
	old, new := loadPolicy(t, policyDir("sdk-provider")), loadPolicy(t, policyDir("sdk-provider"))
	new.Contacts.ResponseTime = policy.Duration{N: 30, Unit: policy.Days}
	as := policy.Assess(old, new)
	words, err := render.New().Wording(old, new, "en")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := render.DiffHTML(&b, "v1", "v2", "en", as, nil, words); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"Overall: <span class=\"level\">significant</span> — notify prominently", "30 days", "GB/T 35273"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, path := range []string{"contacts.response_time", "ResponseTime", "{{"} {
		if strings.Contains(page, path) {
			t.Errorf("the page shows %q", path)
		}
	}
}

// FuzzComparisonPageRebuildsBothTexts: whatever two texts are compared,
// the page's markup is balanced, marks hold text only, and the redline
// reads as the older text without its insertions and as the newer one
// without its deletions.
func FuzzComparisonPageRebuildsBothTexts(f *testing.F) {
	f.Add(oldSection, newSection)
	f.Add(newSection, oldSection)
	f.Add("", newSection)
	f.Add(oldSection, "")
	f.Add("1. one\n2. two\n3. three\n", "1. one\n3. three\n4. four\n\nand text\n")
	f.Add("> quoted *text* here\n\n```\ncode  block\n```\n", "> quoted text there\n\n```\ncode block\n```\n---\n")
	f.Add("- a\n  - nested b\n  - nested c\n- d\n", "- a\n  - nested b changed\n- d\n- e\n")
	f.Add("| a | b |\n|---|---|\n| 1 | 2 |\n", "| a | c |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n")
	f.Add("Text with <b>raw html</b> & [link](javascript:alert(1)).\n", "Text with <i>raw</i> & [link](https://ok.example/).\n")
	// Found by random edits: the document's own strikethrough, a form
	// feed, a deleted space between words that now stand together, an
	// image (read as a link), a deleted row beside an emptied cell.
	f.Add("- a\n  - nested b\n  - nested c\n- d\n", "- a\n  - nested~b\n  - nes~ted c~\n- d\n")
	f.Add("to take and refund \fpayments.\n", "to take payments.\n")
	f.Add("- a\n  - nested b\n- d\n", "- a\ufeff\n  é-nested b\n   http://x.ynested :c\n- d\n")
	f.Add("Text & [link](javascript:alert(1)).\n", "Text& ![lin_k](javascript:alert(1http://x.y)).\n")
	f.Add("| a | b |\n|---|---|\n| performance | order x |\n| c | d |\n", "| a | b |\n|---|---|\n| performance |  |\n")
	f.Add("0-0 b!nested", "00- nested")
	f.Fuzz(func(t *testing.T, old, new string) {
		if old == new || !utf8Valid(old) || !utf8Valid(new) {
			return
		}
		checkRebuilds(t, comparisonPage(t, []render.SectionRedline{section("s", old, new)}), [2]string{old, new})
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s && !strings.ContainsRune(s, 0) }

// TestComparisonPageOfEditedPoliciesRebuildsBothTexts compares each
// example's composed document with copies edited word by word at random
// (words replaced, deleted, inserted, Markdown markers included): the
// markup stays balanced and both versions read back.
func TestComparisonPageOfEditedPoliciesRebuildsBothTexts(t *testing.T) {
	for _, ex := range exampleNames {
		p := loadPolicy(t, policyDir(ex))
		docs, err := render.New().Compose(p, string(p.Locales[0]), render.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		md := string(docs[0].Markdown)
		for seed := uint64(1); seed <= 3; seed++ {
			edited := editWords(md, 30, seed)
			page := comparisonPage(t, []render.SectionRedline{section("all", md, edited)})
			checkRebuilds(t, page, [2]string{md, edited})
		}
	}
}

// TestComparisonPagePassesNuAndAxe validates a comparison page of each
// example against an edited copy with the Nu HTML checker, and runs
// axe-core's WCAG 2 A and AA rules on it in Chromium at 1280 and 375 px
// (nothing wider than a 375 px screen).
func TestComparisonPagePassesNuAndAxe(t *testing.T) {
	checkers.SkipShort(t)
	dir := t.TempDir()
	var files []string
	for _, ex := range exampleNames {
		p := loadPolicy(t, policyDir(ex))
		for _, loc := range p.Locales {
			docs, err := render.New().Compose(p, string(loc), render.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			old := docs[0]
			edited := *old
			edited.Markdown = []byte(editWords(string(old.Markdown), 25, 7))
			rl, err := render.Redline(old, &edited)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			links := render.DiffLinks{Archive: "archive.html", Current: "index.html", From: "v1/index.html", To: "v2/index.html"}
			if err := render.DiffHTML(&b, "v1", "v2", string(loc), policy.Assessment{}, rl, nil, links); err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(dir, ex+"-"+string(loc)+"-compare.html")
			if err := os.WriteFile(f, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	checkers.Nu(t, files...)
	checkers.Axe(t, files...)
}

// TestComparisonPageHasOneTopHeading: the document's title, in what
// stands before its first section, reads below the page's own headings,
// so the page keeps one <h1> and a section's title stays above its
// headings.
func TestComparisonPageHasOneTopHeading(t *testing.T) {
	page := comparisonPage(t, []render.SectionRedline{section(render.HeadID, "# Privacy Policy\n\nVersion 1\n", "# Privacy Policy\n\nVersion 2\n")})
	if n := strings.Count(page, "<h1"); n != 1 {
		t.Errorf("%d <h1> on the page, want 1", n)
	}
	if !strings.Contains(page, "<h3>Privacy Policy</h3>") {
		t.Error("the document's title is not a level-3 heading in the redline")
	}
}

// TestComparisonPageSaysNoChangesOnlyWhenNothingChanged: a comparison
// with no change says so and nothing else; one whose text changed, even
// with no change assessed (no model to assess), never says "no changes".
func TestComparisonPageSaysNoChangesOnlyWhenNothingChanged(t *testing.T) {
	if page := comparisonPage(t, nil); !strings.Contains(page, "<p>No changes.</p>") || strings.Contains(page, "Overall") {
		t.Error("a comparison with no change does not say only that")
	}
	if page := comparisonPage(t, []render.SectionRedline{section("s", "a b\n", "a c\n")}); strings.Contains(page, "No changes") {
		t.Error("a comparison whose text changed says no changes")
	}
}

// TestMarkdownComparisonSaysWhenOnlySpacingChanged: a pull-request comment
// whose only text change is spacing says so instead of announcing a
// redline with nothing to read.
func TestMarkdownComparisonSaysWhenOnlySpacingChanged(t *testing.T) {
	as := policy.Assessment{ProseChanged: true, Changes: []policy.Verdict{{Level: policy.Editorial}}}
	var b strings.Builder
	if err := render.DiffMarkdown(&b, "v1", "v2", as, []render.SectionRedline{section("s", "We keep it\nfor two years.\n", "We keep it for two years.\n")}, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\nOnly spacing or line breaks changed.\n") || strings.Contains(b.String(), "Wording changed") {
		t.Errorf("the comment does not say that only spacing changed:\n%s", b.String())
	}
	b.Reset()
	if err := render.DiffMarkdown(&b, "v1", "v2", as, []render.SectionRedline{section("s", "We keep it for two years.\n", "We keep it for five years.\n")}, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Wording changed: the redline follows.") {
		t.Errorf("a change of words is not announced:\n%s", b.String())
	}
}

// TestComparisonPageSpeaksThePageLanguage: a Chinese page's labels and
// punctuation are Chinese.
func TestComparisonPageSpeaksThePageLanguage(t *testing.T) {
	var b bytes.Buffer
	rl := []render.SectionRedline{section("s", "我们保留两年。\n", "我们保留五年。\n")}
	as := policy.Assessment{Level: policy.Notable, Changes: []policy.Verdict{{Level: policy.Notable}}}
	if err := render.DiffHTML(&b, "v1", "v2", "zh-CN", as, rl, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h1>v1 至 v2 的变更</h1>", "<p>比较的版本：v1 和 v2。</p>", "总体评估：", "发布更新通知。</p>", "原为：“", "现为：“"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the Chinese page lacks %s", want)
		}
	}
}
