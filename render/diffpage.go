package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/templates"
)

// LevelAdvice says what each level calls for.
var LevelAdvice = map[policy.Level]string{
	policy.Editorial:   "wording only",
	policy.Notable:     "publish an update notice",
	policy.Significant: "notify prominently (e-mail, banner, pop-up) before it takes effect",
	policy.Reconsent:   "ask for consent again",
}

// RuleRefs lists the rules behind a verdict with their clauses.
func RuleRefs(v policy.Verdict) string {
	var out []string
	for _, r := range v.Rules {
		out = append(out, fmt.Sprintf("%s: %s %s", r.ID, r.Regime, r.Clause))
	}
	return strings.Join(out, "; ")
}

// ByLevel groups verdicts from the highest level down.
func ByLevel(as policy.Assessment) [][]policy.Verdict {
	groups := make([][]policy.Verdict, policy.Reconsent+1)
	for _, v := range as.Changes {
		groups[v.Level] = append(groups[v.Level], v)
	}
	slices.Reverse(groups)
	return groups
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// diffPage is the standalone comparison page, templates/html/diff.html.
var diffPage = func() *template.Template {
	src, err := fs.ReadFile(templates.Defaults(), "html/diff.html")
	if err != nil {
		panic(err) // embedded in the binary: it is there
	}
	return template.Must(template.New("html/diff.html").Funcs(template.FuncMap{"ruleRefs": RuleRefs, "cap": capitalize}).Parse(string(src)))
}()

// DiffHTML writes a standalone comparison page: the verdict, the changes by
// level in words with their rules, and the redline, readable without
// colour. words says the changes (nil: worded without the models).
func DiffHTML(w io.Writer, from, to, lang string, as policy.Assessment, rl []SectionRedline, words *Wording) error {
	if words == nil {
		var err error
		if words, err = New().Wording(nil, nil, lang); err != nil {
			return err
		}
	}
	data := DiffPageData{Lang: lang, From: from, To: to, Level: as.Level.String(),
		Advice: LevelAdvice[as.Level], Groups: ByLevel(as), Redline: rl, Sentence: words.Sentence}
	if as.NotAssessed != "" {
		data.Level, data.Advice, data.Groups = "", "", nil
		data.NotAssessed = NotAssessedLabel(lang)
	}
	var buf bytes.Buffer
	err := diffPage.Execute(&buf, data)
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// DiffMarkdown writes the comparison as Markdown, for a pull request or an
// issue: the verdict, the changes by level with their rules, and the
// redline in collapsible sections. Every text in it, the redline's
// included, reads literally (see mdLiteral): a model value or a line of
// the policy cannot become markup, a link or raw HTML there.
func DiffMarkdown(w io.Writer, from, to string, as policy.Assessment, rl []SectionRedline) error {
	var b strings.Builder
	if as.NotAssessed != "" {
		// A side has no model: the text is all there is to compare.
		if len(rl) == 0 {
			fmt.Fprintf(&b, "## Policy change %s → %s: no changes\n", mdLiteral(from, false), mdLiteral(to, false))
		} else {
			fmt.Fprintf(&b, "## Policy change %s → %s: %s\n\n%s.\n", mdLiteral(from, false), mdLiteral(to, false),
				mdLiteral(NotAssessedLabel("en"), false), mdLiteral(capitalize(as.NotAssessed), false))
		}
	} else if len(as.Changes) == 0 {
		fmt.Fprintf(&b, "## Policy change %s → %s: no changes\n", mdLiteral(from, false), mdLiteral(to, false))
		_, err := io.WriteString(w, b.String())
		return err
	} else {
		fmt.Fprintf(&b, "## Policy change %s → %s: **%s**\n\n%s.\n", mdLiteral(from, false), mdLiteral(to, false), as.Level, capitalize(LevelAdvice[as.Level]))
	}
	for _, g := range ByLevel(as) {
		if len(g) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n\n| change | rule |\n|---|---|\n", capitalize(g[0].Level.String()), len(g))
		for _, v := range g {
			fmt.Fprintf(&b, "| %s | %s |\n", mdLiteral(oneLine(noControls(v.Sentence)), false), mdLiteral(RuleRefs(v), false))
		}
	}
	if as.ProseChanged && as.NotAssessed == "" {
		b.WriteString("\nWording changed: the redline follows.\n")
	}
	if len(rl) > 0 {
		b.WriteString("\n### Redline\n")
	}
	for _, s := range rl {
		fmt.Fprintf(&b, "\n<details><summary>%s (%s)</summary>\n\n", template.HTMLEscapeString(noControls(oneLine(s.Title))), template.HTMLEscapeString(s.Status))
		b.WriteString(s.Markdown())
		b.WriteString("\n\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// NotAssessedLabel is the verdict of a comparison that was not assessed
// structurally (a side has no model), in a locale's words.
func NotAssessedLabel(loc string) string {
	labels, err := New().Labels(loc)
	if err != nil || labels["level.not_assessed"] == "" {
		return "not assessed structurally: no model"
	}
	return labels["level.not_assessed"]
}

// Excerpt is the text of the i-th segment of a redline, an unchanged one
// shortened to its ends where it joins changes.
func Excerpt(segs []Segment, i int) string {
	t := segs[i].Text
	const keep = 120
	r := []rune(t)
	if len(r) <= 2*keep+20 {
		return t
	}
	head, tail := "", ""
	if i > 0 {
		head = string(r[:keep])
	}
	if i < len(segs)-1 {
		tail = string(r[len(r)-keep:])
	}
	return head + " … " + tail
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// mdLiteral writes text so that a Markdown reader shows it as it is:
// every ASCII punctuation mark is backslash-escaped (no emphasis, link,
// list, heading, table cell or autolink can start), '<', '>' and '&' are
// character references (no raw HTML: "<script>" and "onerror=" stay
// text), control characters are U+FFFD, and the spaces that begin a line
// are no-break spaces (no code block). lineStart says whether the text
// begins a line.
func mdLiteral(s string, lineStart bool) string {
	var b strings.Builder
	for _, r := range noForeignAutolinks(noControls(s)) {
		switch {
		case r == '\n':
			lineStart = true
			b.WriteRune(r)
			continue
		case lineStart && (r == ' ' || r == '\t'):
			b.WriteRune('\u00a0')
			continue
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r < 0x80 && unicode.IsPunct(r) || r < 0x80 && unicode.IsSymbol(r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		lineStart = false
	}
	return b.String()
}
