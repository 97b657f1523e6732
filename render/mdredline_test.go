package render_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// redlinePairs are old and new texts to redline as Markdown: generated
// documents of every kind of line a policy holds, edited line by line and
// word by word, and the first seed as one section with scripted edits.
func redlinePairs(t testing.TB, n int) [][2]string {
	r := rand.New(rand.NewPCG(3, 4))
	var out [][2]string
	for i := range n {
		a := randomDoc(r, 1+r.IntN(12))
		b := editDoc(r, a)
		if i%5 == 0 {
			b = editWords(a, 1+r.IntN(4), r.Uint64())
		}
		out = append(out, [2]string{a, b})
	}
	seed := strings.ReplaceAll(seedText(t, "000"), "\r\n", "\n")
	out = append(out, [2]string{seed, editWords(seed, 8, 1)}, [2]string{seed, editWords(seed, 40, 2)})
	// Emphasis, links and tables edited at their edges.
	out = append(out,
		[2]string{"**Version** 2 of the *policy* applies.", "Version 2 of the **policy** applies."},
		[2]string{"**Sensitive** data", "**Sensitive data**"},
		[2]string{"See [our partners](https://example.com/partners) and [the list](https://example.com/list).", "See [our partners](https://example.com/partner-list) and the list."},
		[2]string{"| a | b |\n|---|---|\n| 1 | 2 |\n", "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n"},
		[2]string{"| a | b |\n|---|---|\n| 1 | 2 |\n", "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| 4 | 5 |\n"},
		[2]string{"- one\n- two\n", "1. one\n2. two\n3. three\n"},
		[2]string{"### Old heading\n\nText `code` here \\\nand a break.", "## New heading\n\nText `other code` here\nand no break."},
		[2]string{"Keep _this_ and ~~that~~ with a\\", "Keep this_ and ~that~~ with b\\"},
	)
	return out
}

func mdRedline(a, b string) string {
	return render.SectionRedline{Segments: render.WordDiff(a, b)}.Markdown()
}

// checkRedlineHTML checks a rendered Markdown redline: every element
// closed in the order opened (ins and del included), no ins or del in a
// link destination, every word one of the old or new text's (no word cut
// by an elision), every deleted word the old text's and every inserted
// word the new text's, and every word of a change shown.
func checkRedlineHTML(t *testing.T, name, page, old, new, md string) {
	t.Helper()
	checkRedlineHTMLWords(t, name, page, old, new, md, true)
}

// checkRedlineHTMLWords is checkRedlineHTML, checking the words only when
// checkWords (a fuzzed text may spell words with entities).
func checkRedlineHTMLWords(t *testing.T, name, page, old, new, md string, checkWords bool) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: %s\nMarkdown:\n%s\nHTML:\n%s", name, fmt.Sprintf(format, args...), md, page)
	}
	if md == "Only spacing or line breaks changed.\n" {
		if strings.Join(strings.Fields(old), "") != strings.Join(strings.Fields(new), "") {
			fail("more than spacing changed")
		}
		return
	}
	oldWords, newWords := set(words(old)), set(words(new))
	void := map[string]bool{"br": true, "hr": true, "img": true, "input": true}
	var stack []string
	var in []string // the ins or del elements the text is in
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				fail("%v", z.Err())
			}
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken:
			if tok.Data == "a" {
				for _, at := range tok.Attr {
					if l := strings.ToLower(at.Val); strings.Contains(l, "ins>") || strings.Contains(l, "del>") || strings.Contains(l, "%3c") || strings.Contains(l, "<") {
						fail("a tag in a link: %s=%q", at.Key, at.Val)
					}
				}
			}
			if !void[tok.Data] {
				stack = append(stack, tok.Data)
			}
			if tok.Data == "ins" || tok.Data == "del" {
				in = append(in, tok.Data)
			}
		case html.EndTagToken:
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				fail("</%s> closes %v", tok.Data, stack)
				return
			}
			stack = stack[:len(stack)-1]
			if tok.Data == "ins" || tok.Data == "del" {
				in = in[:len(in)-1]
			}
		case html.TextToken:
			if !checkWords {
				continue
			}
			for _, w := range words(tok.Data) {
				switch {
				case slices.Contains(in, "del") && !oldWords[w]:
					fail("deleted word %q is not the old text's", w)
				case slices.Contains(in, "ins") && !newWords[w]:
					fail("inserted word %q is not the new text's", w)
				case !oldWords[w] && !newWords[w]:
					fail("word %q is neither text's (cut?)", w)
				}
			}
		}
	}
	if len(stack) > 0 {
		fail("left open: %v", stack)
	}
}

func set(ws []string) map[string]bool {
	m := map[string]bool{}
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// TestMarkdownRedlineRendersValidWithGoldmark renders many generated
// redlines with goldmark (GitHub's extensions, raw HTML kept) and checks
// the HTML.
func TestMarkdownRedlineRendersValidWithGoldmark(t *testing.T) {
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	for i, p := range redlinePairs(t, 400) {
		md := mdRedline(p[0], p[1])
		var page bytes.Buffer
		if err := gm.Convert([]byte(md), &page); err != nil {
			t.Fatal(err)
		}
		checkRedlineHTML(t, fmt.Sprintf("case %d", i), page.String(), p[0], p[1], md)
	}
}

// TestMarkdownRedlineRendersValidWithCmarkGFM renders the same redlines as
// GitHub does, with cmark-gfm and its table extension and tag filter.
func TestMarkdownRedlineRendersValidWithCmarkGFM(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cmark-gfm on many redlines; in the full suite")
	}
	cmark := checkers.Tool(t, "cmark-gfm", "apt-get install -y cmark-gfm")
	for i, p := range redlinePairs(t, 120) {
		md := mdRedline(p[0], p[1])
		cmd := exec.Command(cmark, "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "--unsafe")
		cmd.Stdin = strings.NewReader(md)
		page, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		checkRedlineHTML(t, fmt.Sprintf("case %d", i), string(page), p[0], p[1], md)
	}
}

// FuzzMarkdownRedline renders the Markdown redline of any two texts with
// goldmark: every element closed in the order opened, no tag in a link.
func FuzzMarkdownRedline(f *testing.F) {
	for _, p := range redlinePairs(f, 20) {
		if len(p[0]) < 4000 {
			f.Add(p[0], p[1])
		}
	}
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	f.Fuzz(func(t *testing.T, a, b string) {
		md := mdRedline(a, b)
		var page bytes.Buffer
		if err := gm.Convert([]byte(md), &page); err != nil {
			t.Fatal(err)
		}
		checkRedlineHTMLWords(t, "fuzz", page.String(), a, b, md, false)
	})
}

// TestMarkdownRedlineOfComposedPoliciesRendersValid redlines the example
// policies composed before and after edits to their model (a category's
// items, a purpose, a section removed, the summary), section by section
// as diff --format md does, and checks each section's Markdown with
// goldmark.
func TestMarkdownRedlineOfComposedPoliciesRendersValid(t *testing.T) {
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	r := render.New()
	n := 0
	for _, name := range []string{"website", "sdk-provider"} {
		p, q := loadExample(t, name), loadExample(t, name)
		q.DataCategories[0].Items = append(q.DataCategories[0].Items[1:], policy.NeutralText("**bold** item with [a link](https://example.com/x)"))
		q.Purposes[0].Name = policy.NeutralText("a purpose | with a pipe and _emphasis_")
		q.Sections = q.Sections[1:]
		q.Summary = policy.NeutralText("A summary rewritten for the test.")
		for _, loc := range p.Locales {
			a, err := r.Compose(p, string(loc), render.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := r.Compose(q, string(loc), render.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			rl, err := render.Redline(a[0], b[0])
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range rl {
				n++
				md := s.Markdown()
				var page bytes.Buffer
				if err := gm.Convert([]byte(md), &page); err != nil {
					t.Fatal(err)
				}
				old, new := join(s.Segments, render.Delete), join(s.Segments, render.Insert)
				checkRedlineHTML(t, name+" "+string(loc)+" "+s.ID, page.String(), old, new, md)
			}
		}
	}
	if n < 6 {
		t.Fatalf("only %d sections changed", n)
	}
}
