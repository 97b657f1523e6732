package policy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/template/parse"
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

// prose checks the fact references in every section's Markdown.
func (v *validator) prose() {
	check := func(ss []Section) {
		for _, s := range ss {
			for _, loc := range v.bodyLocales(s.Body) {
				v.checkProse(s.Body, loc)
			}
		}
	}
	check(v.p.Sections)
	for _, d := range v.p.Documents {
		check(d.Sections)
	}
}

func (v *validator) bodyLocales(t Text) []string {
	if t.IsNeutral() {
		return []string{""}
	}
	return t.Locales()
}

var (
	templateLine = regexp.MustCompile(`^template: [^:]*:([0-9]+): (.*)$`)
	proseName    = regexp.MustCompile(`\bprose:([0-9]+)`) // the parser names our template in its messages
)

// ProseCalls parses prose and returns its fact references in order. Errors
// are positioned in the prose (line and column, 1-based).
func ProseCalls(src string) ([]ProseCall, []ProseError) {
	t := parse.New("prose")
	t.Mode = parse.SkipFuncCheck
	if _, err := t.Parse(src, "", "", map[string]*parse.Tree{}); err != nil {
		msg := err.Error()
		line := 1
		if m := templateLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = proseName.ReplaceAllString(m[2], "line $1")
		}
		col := 1
		if lines := strings.Split(src, "\n"); line-1 < len(lines) {
			if i := strings.Index(lines[line-1], "{{"); i >= 0 {
				col = utf8.RuneCountInString(lines[line-1][:i]) + 1
			}
		}
		return nil, []ProseError{{line, col, "template syntax: " + msg}}
	}
	var calls []ProseCall
	var errs []ProseError
	bad := func(n parse.Node, format string, args ...any) {
		l, c := lineCol(src, int(n.Position()))
		errs = append(errs, ProseError{l, c, fmt.Sprintf(format, args...)})
	}
	for _, n := range t.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode, *parse.CommentNode:
		case *parse.ActionNode:
			c, ok := proseCall(n)
			if !ok {
				bad(n, "only fact references such as {{ category \"id\" }} or {{ sdk_table }} are allowed in prose, found {{ %s }}", short(n.Pipe.String()))
				continue
			}
			f, known := ProseFuncByName(c.Func)
			if !known {
				names := make([]string, len(ProseFuncs))
				for i, f := range ProseFuncs {
					names[i] = f.Name
				}
				msg := fmt.Sprintf("unknown fact function %q", c.Func)
				if s := suggest(c.Func, names); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				}
				bad(n, "%s", msg)
				continue
			}
			switch {
			case f.Arg == "" && c.Arg != nil:
				bad(n, "%s takes no argument", f.Name)
				continue
			case f.Arg != "" && c.Arg == nil:
				bad(n, "%s needs a %s id in quotes, e.g. {{ %s \"id\" }}", f.Name, f.Arg, f.Name)
				continue
			}
			l, col := lineCol(src, int(n.Position()))
			c.Line, c.Col = l, col
			calls = append(calls, c)
		default:
			bad(n, "only fact references are allowed in prose: no conditions, loops or template definitions")
		}
	}
	return calls, errs
}

// ProseCall is one fact reference in prose.
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

func proseCall(n *parse.ActionNode) (ProseCall, bool) {
	p := n.Pipe
	if len(p.Decl) > 0 || len(p.Cmds) != 1 {
		return ProseCall{}, false
	}
	args := p.Cmds[0].Args
	id, ok := args[0].(*parse.IdentifierNode)
	if !ok || len(args) > 2 {
		return ProseCall{}, false
	}
	c := ProseCall{Func: id.Ident}
	if len(args) == 2 {
		s, ok := args[1].(*parse.StringNode)
		if !ok {
			return ProseCall{}, false
		}
		c.Arg = &s.Text
	}
	return c, true
}

// lineCol converts a byte offset to a 1-based line and column (in runes).
func lineCol(src string, off int) (int, int) {
	off = min(off, len(src))
	line := 1 + strings.Count(src[:off], "\n")
	start := strings.LastIndexByte(src[:off], '\n') + 1
	return line, utf8.RuneCountInString(src[start:off]) + 1
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
