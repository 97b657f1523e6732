package render

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/policyc/policyc/policy"
)

// Meta is what a release adds to a rendered policy.
type Meta struct {
	Version   string      // "" for a draft (the working copy)
	Updated   policy.Date // overrides the model's updated date when set
	Effective policy.Date // overrides the model's effective date when set
}

// Doc is one composed document in one locale: the policy itself or a
// separate document such as the children's rules.
type Doc struct {
	Policy   *policy.Policy
	Locale   string
	ID       string // "policy", or the document's id
	Title    string
	Markdown []byte
	Sections []Heading // the level-2 headings, in order: contents first
	Meta     Meta
}

// Heading is a level-2 heading of a document.
type Heading struct {
	ID, Title string
	Appendix  bool
}

// FileName is the base name of the document's files: "policy.en", "children-rules.zh-CN".
func (d *Doc) FileName() string { return d.ID + "." + d.Locale }

// ContentsID is the anchor of the table of contents.
const ContentsID = "contents"

// composer builds the canonical Markdown of one policy in one locale.
type composer struct {
	r      *Renderer
	p      *policy.Policy
	loc    string
	labels map[string]string
	meta   Meta
	doc    string            // id of the document being composed
	home   map[string]string // section id → id of the document holding it
	// blockLevel is the heading level of the block being rendered from
	// prose (0 outside prose).
	blockLevel int
	err        error
	// bound holds the templates this composer has run, cloned from the
	// renderer's and given its functions once rather than for every block.
	bound map[string]*template.Template
}

// Compose builds the canonical Markdown of the policy and of each separate
// document, in one locale.
func (r *Renderer) Compose(p *policy.Policy, locale string, meta Meta) ([]*Doc, error) {
	if !slices.Contains(p.Locales, policy.Locale(locale)) {
		return nil, fmt.Errorf("locale %q is not declared by the policy (declared: %s)", locale, joinLocales(p.Locales))
	}
	labels, err := r.labels(locale)
	if err != nil {
		return nil, err
	}
	c := &composer{r: r, p: p, loc: locale, labels: labels, meta: meta, home: map[string]string{}}
	for _, s := range p.Sections {
		c.home[string(s.ID)] = "policy"
	}
	for _, d := range p.Documents {
		for _, s := range d.Sections {
			c.home[string(s.ID)] = string(d.ID)
		}
	}
	main, err := c.document("policy", p.Title, p.Summary, p.Sections, c.metaLine())
	if err != nil {
		return nil, err
	}
	docs := []*Doc{main}
	for _, d := range p.Documents {
		part := fmt.Sprintf(c.labels["doc.part_of"], "["+escText(p.Title.Get(locale))+"](policy."+locale+".md)")
		summary := d.Summary
		doc, err := c.document(string(d.ID), d.Title, summary, d.Sections, c.metaLine()+"\n\n"+part)
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

func joinLocales(ls []policy.Locale) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

func (c *composer) document(id string, title, summary policy.Text, sections []policy.Section, meta string) (*Doc, error) {
	c.doc = id
	d := &Doc{Policy: c.p, Locale: c.loc, ID: id, Title: noControls(strings.ToValidUTF8(title.Get(c.loc), "\uFFFD")), Meta: c.meta}
	d.Sections = append(d.Sections, Heading{ID: ContentsID, Title: c.labels["contents"]})
	var views []SectionView
	for _, s := range sections {
		body, err := c.prose(s.Body.Get(c.loc), "section "+string(s.ID))
		if err != nil {
			return nil, err
		}
		t := escText(s.Title.Get(c.loc))
		views = append(views, SectionView{ID: string(s.ID), Title: t, Body: strings.TrimSpace(body)})
		d.Sections = append(d.Sections, Heading{ID: string(s.ID), Title: noControls(strings.ToValidUTF8(s.Title.Get(c.loc), "\uFFFD")), Appendix: s.Appendix})
	}
	sum := ""
	if !summary.IsZero() {
		var err error
		if sum, err = c.prose(summary.Get(c.loc), "summary"); err != nil {
			return nil, err
		}
	}
	// The scope is printed under its label whether or not there is a summary.
	scope := ""
	if id == "policy" {
		scope = inlineMD(c.p.Scope.Get(c.loc))
	}
	hasSensitive := false
	for _, cat := range c.p.DataCategories {
		hasSensitive = hasSensitive || cat.Sensitive
	}
	var buf bytes.Buffer
	err := c.exec("md/document.md", &buf, DocumentData{
		Title: escText(title.Get(c.loc)), Meta: meta, Summary: strings.TrimSpace(sum),
		Scope: scope, Sections: views, HasSensitive: hasSensitive,
	})
	if err != nil {
		return nil, err
	}
	d.Markdown = tidy(buf.Bytes())
	return d, nil
}

var blankRuns = regexp.MustCompile(`\n{3,}`)

// tidy normalises blank lines and trailing space so the canonical Markdown
// does not depend on template whitespace, and replaces any invalid UTF-8
// (the loader refuses it, but a model may be built in code) so that every
// writer reads valid text.
func tidy(b []byte) []byte {
	lines := strings.Split(strings.ToValidUTF8(string(b), "\uFFFD"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	s := strings.Join(lines, "\n")
	if strings.Contains(s, "\n\n\n") {
		s = blankRuns.ReplaceAllString(s, "\n\n")
	}
	return []byte(strings.TrimSpace(s) + "\n")
}

func (c *composer) metaLine() string {
	updated, effective := c.p.Updated, c.p.Effective
	if !c.meta.Updated.IsZero() {
		updated = c.meta.Updated
	}
	if !c.meta.Effective.IsZero() {
		effective = c.meta.Effective
	}
	var parts []string
	if c.meta.Version != "" {
		parts = append(parts, "**"+c.labels["version"]+"** "+escText(c.meta.Version))
	} else {
		parts = append(parts, "*"+c.labels["draft"]+"*")
	}
	if !updated.IsZero() {
		parts = append(parts, "**"+c.labels["updated"]+"**"+c.labels["colon"]+c.date(updated))
	}
	if !effective.IsZero() {
		parts = append(parts, "**"+c.labels["effective"]+"**"+c.labels["colon"]+c.date(effective))
	}
	return strings.Join(parts, " · ")
}

// prose expands a section's Markdown: its fact references, parsed by
// policy.ParseProse as validation parses them, are evaluated one by one.
// Nothing but policy.ProseFuncs can run.
func (c *composer) prose(src, what string) (string, error) {
	src = sanitizeMD(src)
	parts, errs := policy.ParseProse(src)
	if len(errs) > 0 {
		// Validation reports these with positions in the source files.
		e := errs[0]
		return "", fmt.Errorf("%s: line %d, column %d: %s", what, e.Line, e.Col, e.Msg)
	}
	levels := headingLevels(src)
	funcs := c.proseFuncs()
	var b strings.Builder
	for _, p := range parts {
		if p.Call == nil {
			b.WriteString(p.Text)
			continue
		}
		arg := ""
		if p.Call.Arg != nil {
			arg = *p.Call.Arg
		}
		f, ok := funcs[p.Call.Func]
		if !ok {
			return "", fmt.Errorf("%s: line %d, column %d: fact function %q has no renderer", what, p.Call.Line, p.Call.Col, p.Call.Func)
		}
		c.blockLevel = min(levels[p.Call.Line-1]+1, 6)
		b.WriteString(f(arg))
	}
	return b.String(), c.err
}

var headingLine = regexp.MustCompile(`^ {0,3}(#{1,6})[ \t]`)

// headingLevels returns, for each line, the level of the last heading at or
// before it (2, the section's own heading, before the first): a block
// rendered on that line uses the level below.
func headingLevels(src string) []int {
	lines := strings.Split(src, "\n")
	out := make([]int, len(lines))
	level := 2
	for i, line := range lines {
		if m := headingLine.FindStringSubmatch(line); m != nil {
			level = len(m[1])
		}
		out[i] = level
	}
	return out
}
