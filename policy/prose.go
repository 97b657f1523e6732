package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ProseFunc is a fact that section prose may name with a template
// expression, so that the fact is written once in the model:
//
//	Our SDKs are listed below. {{ sdk_table }}
//	We collect {{ category "precise-location" }} only with your consent.
//
// Prose may call these functions and nothing else: no variables, fields,
// conditions or loops. The render package implements every one of them.
type ProseFunc struct {
	Name string
	// Arg is the kind of id the function takes ("data category", "SDK"…),
	// "exception scope" for a consent-exception scope, or "" for none.
	Arg   string
	Block bool // renders block content (tables, lists), so stands on its own line
	Doc   string
}

// ProseFuncs lists the functions prose may call.
var ProseFuncs = []ProseFunc{
	{Name: "controller", Doc: "the controller's legal name"},
	{Name: "short_name", Doc: "the controller's short name"},
	{Name: "address", Doc: "the controller's registered address"},
	{Name: "website", Doc: "the controller's website, as a link"},
	{Name: "updated", Doc: "the last-updated date"},
	{Name: "effective", Doc: "the effective date"},
	{Name: "response_time", Doc: "the general reply time"},
	{Name: "children_age", Doc: "the children's age threshold"},
	{Name: "notice_period", Doc: "the notice period for significant changes"},
	{Name: "category", Arg: "data category", Doc: "a data category's name (bold when sensitive)"},
	{Name: "items", Arg: "data category", Doc: "the items of a data category, sensitive ones in bold"},
	{Name: "activity", Arg: "activity", Doc: "an activity's name"},
	{Name: "purpose", Arg: "purpose", Doc: "a purpose in words"},
	{Name: "sdk", Arg: "SDK", Doc: "an SDK's name"},
	{Name: "recipient", Arg: "recipient", Doc: "a recipient's name"},
	{Name: "right", Arg: "right", Doc: "a right's name"},
	{Name: "channel", Arg: "channel", Doc: "a contact channel's address or number, as a link"},
	{Name: "term", Arg: "term", Doc: "a glossary term, linked to its definition"},
	{Name: "section", Arg: "section", Doc: "a link to a section, by its title"},
	{Name: "document", Arg: "document", Doc: "a link to a separate document, by its title"},
	{Name: "data_categories", Block: true, Doc: "every data category with its items, sensitive ones in bold"},
	{Name: "sensitive_categories", Block: true, Doc: "the sensitive data categories and why each is necessary"},
	{Name: "activities", Block: true, Doc: "every activity: data, purposes, required or optional, what happens if refused"},
	{Name: "sdk_table", Block: true, Doc: "the SDK list as a table"},
	{Name: "recipients", Block: true, Doc: "the recipients, named and by type"},
	{Name: "affiliates", Block: true, Doc: "the affiliates and their relation"},
	{Name: "sharing", Block: true, Doc: "the sharing statement and cases"},
	{Name: "transfer", Block: true, Doc: "the transfer statement and cases"},
	{Name: "public_disclosure", Block: true, Doc: "the public-disclosure statement and cases"},
	{Name: "exceptions", Arg: "exception scope", Block: true, Doc: "the consent exceptions for a scope (collection, sharing…)"},
	{Name: "storage", Block: true, Doc: "storage locations and cross-border transfers"},
	{Name: "retention", Block: true, Doc: "the retention rules"},
	{Name: "legal_bases", Block: true, Doc: "each purpose's legal bases and legitimate interest"},
	{Name: "children", Block: true, Doc: "the children's rules"},
	{Name: "rights", Block: true, Doc: "every right and how to exercise it"},
	{Name: "requests", Block: true, Doc: "how requests are handled: verification, reply time, fees, refusals"},
	{Name: "security", Block: true, Doc: "security measures and certifications"},
	{Name: "incident", Block: true, Doc: "how people are told of a security incident"},
	{Name: "cookies", Block: true, Doc: "cookies and similar technologies, Do Not Track"},
	{Name: "changes", Block: true, Doc: "how the policy changes, with the significant changes"},
	{Name: "contacts", Block: true, Doc: "the contact details, officer, regulators"},
	{Name: "disputes", Block: true, Doc: "governing law and where disputes are resolved"},
	{Name: "glossary", Block: true, Doc: "the glossary"},
}

// ProseFuncByName finds a prose function.
func ProseFuncByName(name string) (ProseFunc, bool) {
	for _, f := range ProseFuncs {
		if f.Name == name {
			return f, true
		}
	}
	return ProseFunc{}, false
}

// prose checks the fact references in every section's Markdown and in
// the summaries.
func (v *validator) prose() {
	check := func(ss []Section) {
		for _, s := range ss {
			for _, loc := range v.bodyLocales(s.Body) {
				v.checkProse(s.Body, loc)
			}
		}
	}
	// Summaries are prose too: they are rendered the same way.
	summary := func(t Text) {
		for _, loc := range v.bodyLocales(t) {
			v.checkProse(t, loc)
		}
	}
	summary(v.p.Summary)
	check(v.p.Sections)
	for _, d := range v.p.Documents {
		summary(d.Summary)
		check(d.Sections)
	}
}

func (v *validator) bodyLocales(t Text) []string {
	if t.IsNeutral() {
		return []string{""}
	}
	return t.Locales()
}

// ProsePart is one piece of parsed prose: Markdown text, or a fact
// reference when Call is set.
type ProsePart struct {
	Text string
	Call *ProseCall
}

// ProseCall is one fact reference in prose. Line and Col are where its
// function name stands.
type ProseCall struct {
	Func      string
	Arg       *string
	Line, Col int
}

// ProseError is a problem in prose, positioned within it.
type ProseError struct {
	Line, Col int
	Msg       string
}

// ProseCalls parses prose and returns its fact references in order. Errors
// are positioned in the prose (line and column, 1-based).
func ProseCalls(src string) ([]ProseCall, []ProseError) {
	parts, errs := ParseProse(src)
	var calls []ProseCall
	for _, p := range parts {
		if p.Call != nil {
			calls = append(calls, *p.Call)
		}
	}
	return calls, errs
}

// ParseProse splits prose into Markdown text and fact references. Prose is
// a closed language, the same for validation and rendering:
//
//	prose  = { text | "{{" ws name [ ws+ '"' id '"' ] ws "}}" }
//	ws     = { " " | "\t" }
//
// where name is one of ProseFuncs, with an id argument exactly when the
// function takes one. Every "{{" opens a reference, which ends on the same
// line. Nothing else parses, so nothing else can ever run: parsing and
// rendering take time linear in the prose. When errors are returned, parts
// must not be rendered.
func ParseProse(src string) ([]ProsePart, []ProseError) {
	p := &proseParser{src: src, line: 1}
	var parts []ProsePart
	text := 0 // start of the text not yet emitted
	for {
		i := strings.Index(src[p.off:], "{{")
		if i < 0 {
			break
		}
		p.advance(p.off + i)
		open := p.off
		if call, end, ok := p.action(); ok {
			if open > text {
				parts = append(parts, ProsePart{Text: src[text:open]})
			}
			parts = append(parts, ProsePart{Call: call})
			text = end
			p.advance(end)
		} else {
			p.advance(max(end, open+2))
		}
	}
	if text < len(src) {
		parts = append(parts, ProsePart{Text: src[text:]})
	}
	return parts, p.errs
}

// proseParser scans prose, keeping the line and column of its offset.
type proseParser struct {
	src       string
	off       int
	line, col int // of off; col counts runes, from 0
	errs      []ProseError
}

// advance moves to offset to (never backwards), counting lines and columns.
func (p *proseParser) advance(to int) {
	for _, r := range p.src[p.off:to] {
		if r == '\n' {
			p.line, p.col = p.line+1, 0
		} else {
			p.col++
		}
	}
	p.off = to
}

// at returns the position of offset off on the current line (off >= p.off).
func (p *proseParser) at(off int) (int, int) {
	return p.line, p.col + utf8.RuneCountInString(p.src[p.off:off]) + 1
}

func (p *proseParser) errorf(off int, format string, args ...any) {
	l, c := p.at(off)
	p.errs = append(p.errs, ProseError{l, c, fmt.Sprintf(format, args...)})
}

// templateWords are text/template keywords: prose once ran as a Go
// template, so a writer may try them.
var templateWords = map[string]bool{
	"if": true, "else": true, "end": true, "range": true, "with": true, "define": true,
	"template": true, "block": true, "break": true, "continue": true, "nil": true,
}

// action parses the reference at p.off, which starts with "{{". It returns
// the call and the offset after "}}", or reports a problem and returns
// false with the offset to resume scanning from.
func (p *proseParser) action() (*ProseCall, int, bool) {
	src, open := p.src, p.off
	// Scan only as far as this reference reaches, so that parsing stays
	// linear however many "{{" a line holds.
	closing := open + 2
	for closing < len(src) && src[closing] != '\n' && !strings.HasPrefix(src[closing:], "}}") {
		closing++
	}
	if closing == len(src) || src[closing] == '\n' {
		p.errorf(open, "unclosed {{: a fact reference such as {{ sdk_table }} ends with }} on the same line")
		return nil, closing, false
	}
	end := closing + 2
	found := short(src[open:end])
	notAReference := func(at int) (*ProseCall, int, bool) {
		p.errorf(at, "only fact references such as {{ category \"id\" }} or {{ sdk_table }} are allowed in prose, found %s", found)
		return nil, end, false
	}
	i := open + 2
	skip := func() {
		for i < closing && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
	}
	skip()
	nameAt := i
	for i < closing && (src[i] == '_' || src[i] >= 'a' && src[i] <= 'z' || src[i] >= '0' && src[i] <= '9' && i > nameAt) {
		i++
	}
	name := src[nameAt:i]
	if name == "" || i < closing && src[i] != ' ' && src[i] != '\t' {
		return notAReference(nameAt)
	}
	if templateWords[name] {
		p.errorf(nameAt, "only fact references are allowed in prose: no conditions, loops or template definitions, found %s", found)
		return nil, end, false
	}
	f, known := ProseFuncByName(name)
	if !known {
		names := make([]string, len(ProseFuncs))
		for j, f := range ProseFuncs {
			names[j] = f.Name
		}
		msg := fmt.Sprintf("unknown fact function %q", name)
		if s := suggest(name, names); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		p.errorf(nameAt, "%s", msg)
		return nil, end, false
	}
	l, c := p.at(nameAt)
	call := &ProseCall{Func: name, Line: l, Col: c}
	skip()
	if i < closing {
		argAt := i
		if f.Arg == "" && src[i] != '"' {
			return notAReference(argAt)
		}
		if f.Arg == "" {
			p.errorf(nameAt, "%s takes no argument", name)
			return nil, end, false
		}
		j := i + 1
		for j < closing && src[j] != '"' {
			j++
		}
		if src[i] != '"' || j == closing {
			p.errorf(argAt, "%s needs a %s id in quotes, e.g. {{ %s \"id\" }}, found %s", name, f.Arg, name, found)
			return nil, end, false
		}
		arg := src[i+1 : j]
		if !idPattern.MatchString(arg) {
			p.errorf(argAt, "invalid id %q: use lowercase letters, digits and hyphens", short(arg))
			return nil, end, false
		}
		i = j + 1
		skip()
		if i < closing && src[i] != '"' {
			return notAReference(i)
		}
		if i < closing {
			p.errorf(i, "%s takes one %s id, found %s", name, f.Arg, found)
			return nil, end, false
		}
		call.Arg = &arg
	} else if f.Arg != "" {
		p.errorf(nameAt, "%s needs a %s id in quotes, e.g. {{ %s \"id\" }}", name, f.Arg, name)
		return nil, end, false
	}
	return call, end, true
}

// checkProse validates one locale's prose of a text and maps positions to
// the source file.
func (v *validator) checkProse(t Text, locale string) {
	src := t.Get(locale)
	at := func(line, col int) Pos {
		start := t.PosOf(locale)
		if locale == "" {
			start = t.Pos()
		}
		if indent, ok := t.BlockIndent(locale); ok {
			return Pos{File: start.File, Line: start.Line + line - 1, Col: indent - 1 + col}
		}
		return start
	}
	calls, errs := ProseCalls(src)
	for _, e := range errs {
		v.errs.add(at(e.Line, e.Col), "%s", e.Msg)
	}
	for _, c := range calls {
		f, _ := ProseFuncByName(c.Func)
		if c.Arg == nil {
			if field := v.unsetFact(c.Func); field != "" {
				v.errs.add(at(c.Line, c.Col), "{{ %s }} names %s, which the policy does not set", c.Func, field)
			}
			continue
		}
		switch f.Arg {
		case "exception scope":
			if !isEnumValue(ExceptionScope(""), *c.Arg) {
				v.errs.add(at(c.Line, c.Col), "unknown exception scope %q (expected one of: %s)", *c.Arg, strings.Join(ExceptionScope("").enumValues(), ", "))
			}
		default:
			if _, ok := v.ids[f.Arg][ID(*c.Arg)]; !ok {
				v.errs.add(at(c.Line, c.Col), "%s", v.unknown(f.Arg, *c.Arg))
			}
		}
	}
}

func isEnumValue(e enum, s string) bool {
	for _, x := range e.enumValues() {
		if x == s {
			return true
		}
	}
	return false
}

// unsetFact is the optional field a prose fact without an argument prints,
// when the policy leaves it unset: the sentence around it would print
// nothing where the fact should stand.
func (v *validator) unsetFact(name string) string {
	p := v.p
	switch {
	case name == "response_time" && p.Contacts.ResponseTime.IsZero():
		return "contacts.response_time"
	case name == "website" && p.Controller.Website == "":
		return "controller.website"
	case name == "children_age" && p.Children == nil:
		return "children.age"
	}
	return ""
}
