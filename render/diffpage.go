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
	"unicode/utf8"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/templates"
)

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
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// diffPage is the standalone comparison page, templates/html/diff.html.
var diffPage = func() *template.Template {
	src, err := fs.ReadFile(templates.Defaults(), "html/diff.html")
	if err != nil {
		panic(err) // embedded in the binary: it is there
	}
	return template.Must(template.New("html/diff.html").Funcs(template.FuncMap{"ruleRefs": RuleRefs, "cap": capitalize}).Parse(string(src)))
}()

// DiffLinks are the pages a comparison links to when it stands in a site,
// relative to the comparison page; empty ones are not linked.
type DiffLinks struct {
	Archive string // every version
	Current string // the policy in force
	From    string // the older version's page
	To      string // the newer version's page
}

// DiffHTML writes a standalone comparison page: the verdict, the changes by
// level in words with their rules, the changed sections with a quote of
// where each changed, and the text of each changed section as it reads,
// insertions and deletions marked (not by colour alone), unchanged
// stretches collapsed. words says the changes (nil: worded without the
// models). links, when given, are the site's pages around it.
func DiffHTML(w io.Writer, from, to, lang string, as policy.Assessment, rl []SectionRedline, words *Wording, links ...DiffLinks) error {
	if words == nil {
		var err error
		if words, err = New().Wording(nil, nil, lang); err != nil {
			return err
		}
	}
	var l DiffLinks
	if len(links) > 0 {
		l = links[0]
	}
	for _, u := range []*string{&l.Archive, &l.Current, &l.From, &l.To} {
		if !policy.SafeLink(*u) {
			*u = ""
		}
	}
	labels := words.new.labels
	vl, err := verdictLabels(words)
	if err != nil {
		return err
	}
	data := DiffPageData{Lang: lang, From: from, To: to, Level: as.Level.String(),
		LevelLabel: vl("level." + as.Level.String()), Advice: vl("diff.advice." + as.Level.String()),
		Changed: len(as.Changes) > 0, Groups: ByLevel(as), Redline: rl, Sentence: words.Sentence,
		Sections: diffSections(rl, labels), Links: l, L: labels}
	if as.NotAssessed != "" {
		// A side has no model: no level is invented.
		data.Level, data.LevelLabel, data.Advice, data.Groups = "", "", "", nil
		data.NotAssessed = vl("level.not_assessed")
		data.Changed = len(rl) > 0
	}
	var buf bytes.Buffer
	if err := diffPage.Execute(&buf, data); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// diffSections marks each changed section for the page, numbering the
// changes across the page so that each links to the next.
func diffSections(rl []SectionRedline, labels map[string]string) []DiffSection {
	items := make([][]rlItem, len(rl))
	total := 0
	for i, s := range rl {
		items[i] = sectionItems(s)
		for k, it := range items[i] {
			if it.changed && (k == 0 || !items[i][k-1].changed) {
				total++
			}
		}
	}
	out := make([]DiffSection, len(rl))
	n := 0
	for i, s := range rl {
		first, next := map[int]string{}, map[int]string{}
		its := items[i]
		d := DiffSection{ID: "sec-" + s.ID, Title: s.Title, Status: s.Status, StatusLabel: labels["diff.status."+s.Status]}
		for k, it := range its {
			if !it.changed {
				continue
			}
			if k == 0 || !its[k-1].changed {
				n++
				first[k] = fmt.Sprintf("change-%d", n)
				if d.First == "" {
					d.First = first[k]
				}
				d.Changes++
			}
			if (k+1 == len(its) || !its[k+1].changed) && n < total {
				next[k] = fmt.Sprintf("change-%d", n+1)
			}
		}
		if s.Status == "changed" {
			// Quoted from the text as it reads, not from its Markdown.
			var a, b []string
			for _, it := range its {
				if it.whole != Insert {
					a = append(a, it.oldText)
				}
				if it.whole != Delete {
					b = append(b, it.text)
				}
			}
			before, after, spacing := QuoteChange(strings.Join(a, "\n"), strings.Join(b, "\n"))
			switch {
			case spacing:
				d.Spacing = true
			case before != "" || after != "":
				d.Before, d.After = oneLine(before), oneLine(after)
			}
		}
		d.Body = template.HTML(sectionHTML(its, first, next, labels)) // marked from HTML our writer wrote
		out[i] = d
	}
	return out
}

// sectionHTML writes a section's marked blocks: unchanged stretches
// longer than the context kept around changes collapse into a <details>
// that opens without JavaScript.
func sectionHTML(its []rlItem, first, next map[int]string, labels map[string]string) string {
	shown := make([]bool, len(its))
	for k, it := range its {
		if it.changed {
			for j := max(0, k-rlContext); j <= min(len(its)-1, k+rlContext); j++ {
				shown[j] = true
			}
		}
	}
	var b strings.Builder
	for k := 0; k < len(its); {
		end := k + 1
		for end < len(its) && shown[end] == shown[k] {
			end++
		}
		if shown[k] || end-k < 2 {
			writeItems(&b, its[k:end], first, next, labels["diff.next"], k)
		} else {
			fmt.Fprintf(&b, "<details class=\"rl-same\"><summary>%s</summary>\n", template.HTMLEscapeString(fmt.Sprintf(labels["diff.unchanged"], end-k)))
			writeItems(&b, its[k:end], first, next, labels["diff.next"], k)
			b.WriteString("</details>\n")
		}
		k = end
	}
	return b.String()
}

// DiffMarkdown writes the comparison as Markdown, for a pull request or an
// issue: the verdict, the changes by level with their rules, and the
// redline in collapsible sections, in the words of the wording's locale
// (nil: English). Every text in it, the redline's included, reads
// literally (see mdLiteral): a model value or a line of the policy cannot
// become markup, a link or raw HTML there.
func DiffMarkdown(w io.Writer, from, to string, as policy.Assessment, rl []SectionRedline, words *Wording) error {
	l, err := verdictLabels(words)
	if err != nil {
		return err
	}
	lit := func(s string) string { return mdLiteral(s, false) }
	var b strings.Builder
	if as.NotAssessed != "" {
		// A side has no model: the text is all there is to compare.
		if len(rl) == 0 {
			fmt.Fprintf(&b, "## %s\n", lit(fmt.Sprintf(l("diff.heading"), from, to, l("diff.none"))))
		} else {
			fmt.Fprintf(&b, "## %s\n\n%s%s\n", lit(fmt.Sprintf(l("diff.heading"), from, to, l("level.not_assessed"))),
				lit(capitalize(as.NotAssessed)), lit(l("period")))
		}
	} else if len(as.Changes) == 0 {
		fmt.Fprintf(&b, "## %s\n", lit(fmt.Sprintf(l("diff.heading"), from, to, l("diff.none"))))
		_, err := io.WriteString(w, b.String())
		return err
	} else {
		// The level is set in bold wherever the locale's heading puts it.
		head, tail, _ := strings.Cut(fmt.Sprintf(l("diff.heading"), from, to, "\x00"), "\x00")
		fmt.Fprintf(&b, "## %s**%s**%s\n\n%s%s\n", lit(head), lit(l("level."+as.Level.String())), lit(tail),
			lit(capitalize(l("diff.advice."+as.Level.String()))), lit(l("period")))
	}
	for _, g := range ByLevel(as) {
		if len(g) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s\n\n| %s | %s |\n|---|---|\n", lit(fmt.Sprintf(l("diff.count"), capitalize(l("level."+g[0].Level.String())), len(g))),
			lit(l("diff.md.change")), lit(l("diff.md.rule")))
		for _, v := range g {
			fmt.Fprintf(&b, "| %s | %s |\n", mdLiteral(oneLine(noControls(v.Sentence)), false), mdLiteral(RuleRefs(v), false))
		}
	}
	if as.ProseChanged && as.NotAssessed == "" {
		if SpacingOnly(rl) {
			fmt.Fprintf(&b, "\n%s\n", lit(l("diff.spacing_only")))
		} else {
			fmt.Fprintf(&b, "\n%s\n", lit(l("diff.prose.md")))
		}
	}
	if len(rl) > 0 {
		fmt.Fprintf(&b, "\n### %s\n", lit(l("diff.md.redline")))
	}
	for _, s := range rl {
		fmt.Fprintf(&b, "\n<details><summary>%s</summary>\n\n", template.HTMLEscapeString(fmt.Sprintf(l("diff.aside"), noControls(oneLine(s.Title)), l("diff.status."+s.Status))))
		b.WriteString(s.Markdown())
		b.WriteString("\n\n</details>\n")
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// VerdictLabel returns a comparison's fixed words in a wording's locale
// (nil: English): its own label, else the default English one, else the
// key itself.
func VerdictLabel(words *Wording, key string) string {
	l, err := verdictLabels(words)
	if err != nil {
		return key
	}
	return l(key)
}

// verdictLabels looks a comparison's labels up in the wording's locale,
// falling back to the default English labels for a key a project's label
// file leaves out.
func verdictLabels(words *Wording) (func(string) string, error) {
	var labels map[string]string
	if words != nil {
		labels = words.new.labels
	}
	en, err := New().Labels("en")
	if err != nil {
		return nil, err
	}
	return func(key string) string {
		if v := labels[key]; v != "" {
			return v
		}
		if v := en[key]; v != "" {
			return v
		}
		if strings.HasPrefix(key, "diff.status.") {
			return strings.TrimPrefix(key, "diff.status.")
		}
		return key
	}, nil
}

// SpacingOnly says whether a redline changes nothing but spacing and line
// breaks (and changes something).
func SpacingOnly(rl []SectionRedline) bool {
	for _, s := range rl {
		if !spacingOnly(s.Segments) {
			return false
		}
	}
	return len(rl) > 0
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
// the marks that start something inside a line, and any ASCII punctuation
// that begins a line or follows its first digits, are backslash-escaped
// (no emphasis, link, list, heading or table cell can start; an http,
// https or www address stays the link GitHub makes of any address in
// text, a foreign scheme stays text), '<', '>' and '&' are
// character references (no raw HTML: "<script>" and "onerror=" stay
// text), control characters are U+FFFD, and the spaces that begin a line
// are no-break spaces (no code block). lineStart says whether the text
// begins a line.
func mdLiteral(s string, lineStart bool) string {
	var b strings.Builder
	digits := false // the line so far is digits: "12." would start a list
	for _, r := range noForeignAutolinks(noControls(s)) {
		switch {
		case r == '\n':
			lineStart, digits = true, false
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
		case r < 0x80 && (unicode.IsPunct(r) || unicode.IsSymbol(r)) &&
			(lineStart || digits && (r == '.' || r == ')') || strings.ContainsRune(mdInline, r)):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		digits = (lineStart || digits) && r >= '0' && r <= '9'
		lineStart = false
	}
	return b.String()
}

// mdInline are the marks that start something within a line: emphasis,
// strikethrough, code, links and images, table cells, escapes and
// entities. Other punctuation is literal where it is not the first of a
// line, and is written as it is.
const mdInline = "\\`*_~[]!|"
