package policy

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// decoder turns a yaml.Node tree into model values, collecting every problem
// with its position instead of stopping at the first.
type decoder struct {
	file  string
	lines []string // source lines, for the indentation of literal blocks
	errs  *ErrorList
	// include loads a list held in another file; nil forbids includes.
	include func(path string, at Pos) (*decoder, *yaml.Node)
	// incomplete records the lists whose file could not be read, so that
	// references into them are not reported as dangling too.
	incomplete map[string]bool
}

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.add(d.pos(n), format, args...)
}

// field describes one struct field of the model.
type field struct {
	name     string
	index    int
	required bool
	prose    bool
	include  bool
	one      bool // a slice that also accepts a single element in place of the list
	doc      string
}

type structInfo struct {
	fields []field
	byName map[string]*field
	node   int // index of the embedded Node, or -1
	short  int // index in fields of the field a lone scalar stands for, or -1
}

var (
	nodeType        = reflect.TypeFor[Node]()
	textType        = reflect.TypeFor[Text]()
	refType         = reflect.TypeFor[Ref]()
	idType          = reflect.TypeFor[ID]()
	dateType        = reflect.TypeFor[Date]()
	durationType    = reflect.TypeFor[Duration]()
	urlType         = reflect.TypeFor[URL]()
	emailType       = reflect.TypeFor[Email]()
	phoneType       = reflect.TypeFor[Phone]()
	localeType      = reflect.TypeFor[Locale]()
	enumIface       = reflect.TypeFor[enum]()
	requirementType = reflect.TypeFor[Requirement]()
	structCache     sync.Map // reflect.Type → *structInfo
)

func infoOf(t reflect.Type) *structInfo {
	if si, ok := structCache.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: map[string]*field{}, node: -1, short: -1}
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Type == nodeType {
			si.node = i
			continue
		}
		name := sf.Tag.Get("yaml")
		if name == "" || name == "-" {
			continue
		}
		opts := sf.Tag.Get("policy")
		si.fields = append(si.fields, field{
			name:     name,
			index:    i,
			required: hasOpt(opts, "required"),
			prose:    hasOpt(opts, "prose"),
			include:  hasOpt(opts, "include"),
			one:      hasOpt(opts, "one"),
			doc:      sf.Tag.Get("doc"),
		})
		if hasOpt(opts, "short") {
			si.short = len(si.fields) - 1
		}
	}
	for i := range si.fields {
		si.byName[si.fields[i].name] = &si.fields[i]
	}
	structCache.Store(t, si)
	return si
}

func hasOpt(opts, name string) bool {
	for o := range strings.SplitSeq(opts, ",") {
		if o == name {
			return true
		}
	}
	return false
}

// kindName is how a struct type is named in messages: DataCategory → "data category".
func kindName(t reflect.Type) string {
	switch t.Name() {
	case "SDK":
		return "SDK"
	case "Policy":
		return "policy"
	}
	var b strings.Builder
	for i, r := range t.Name() {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		case "!!null":
			return "nothing"
		}
		return fmt.Sprintf("the string %q", short(n.Value))
	}
	return "an alias"
}

func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func (d *decoder) typeErr(n *yaml.Node, want string) {
	d.errorf(n, "expected %s, found %s", want, nodeKind(n))
}

// decode fills v (addressable) from n.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, f *field) {
	if n.Kind == yaml.AliasNode {
		d.errorf(n, "YAML aliases (*%s) are not supported: write the value out", n.Value)
		return
	}
	t := v.Type()
	switch t {
	case textType:
		d.decodeText(n, v.Addr().Interface().(*Text))
		return
	case refType:
		if s, ok := d.scalar(n, "an id"); ok {
			if !idPattern.MatchString(s) {
				d.errorf(n, "%s", idProblem(s))
			}
			v.Set(reflect.ValueOf(Ref{ID: ID(s), pos: d.pos(n)}))
		}
		return
	case idType:
		if s, ok := d.scalar(n, "an id"); ok {
			if !idPattern.MatchString(s) {
				d.errorf(n, "%s", idProblem(s))
			}
			v.SetString(s)
		}
		return
	case dateType:
		if s, ok := d.scalar(n, "a date (YYYY-MM-DD, or YYYY-MM for a month)"); ok {
			if dt, err := ParseDate(s); err != nil {
				d.errorf(n, "%v", err)
			} else {
				v.Set(reflect.ValueOf(dt))
			}
		}
		return
	case durationType:
		if s, ok := d.scalar(n, "a duration such as \"15 days\""); ok {
			if du, err := ParseDuration(s); err != nil {
				d.errorf(n, "%v", err)
			} else {
				v.Set(reflect.ValueOf(du))
			}
		}
		return
	}
	if parse := scalarParsers[t]; parse != nil {
		if s, ok := d.scalar(n, "a string"); ok {
			if err := parse(s); err != nil {
				d.errorf(n, "%v", err)
			} else {
				v.SetString(s)
			}
		}
		return
	}
	if t == requirementType && n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		// required: true and required: false, the form before "not-stated"
		// could be said, keep their meaning.
		if n.Value == "true" || n.Value == "True" || n.Value == "TRUE" {
			v.SetString("required")
		} else {
			v.SetString("optional")
		}
		return
	}
	if t.Kind() == reflect.String && t.Implements(enumIface) {
		d.decodeEnum(n, v)
		return
	}
	switch t.Kind() {
	case reflect.String:
		if s, ok := d.scalar(n, "a string"); ok {
			v.SetString(s)
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.typeErr(n, "true or false")
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.typeErr(n, "a whole number")
			return
		}
		i, err := strconv.Atoi(n.Value)
		if err != nil || i < 0 || i > 1000 {
			d.errorf(n, "number %s out of range (0 to 1000)", n.Value)
			return
		}
		v.SetInt(int64(i))
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.decode(n, v.Elem(), f)
	case reflect.Slice:
		d.decodeSlice(n, v, f)
	case reflect.Struct:
		d.decodeStruct(n, v)
	default:
		panic("policy: no decoder for " + t.String())
	}
}

// scalarParsers check string-like values.
var scalarParsers = map[reflect.Type]func(string) error{
	urlType:    func(s string) error { _, err := ParseURL(s); return err },
	emailType:  func(s string) error { _, err := ParseEmail(s); return err },
	phoneType:  func(s string) error { _, err := ParsePhone(s); return err },
	localeType: func(s string) error { _, err := ParseLocale(s); return err },
}

// scalar returns the value of a scalar node. Numbers and dates are taken as
// written (a telephone number or postal code may look like a number).
func (d *decoder) scalar(n *yaml.Node, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.typeErr(n, want)
		return "", false
	}
	return n.Value, true
}

func (d *decoder) decodeEnum(n *yaml.Node, v reflect.Value) {
	values := v.Interface().(enum).enumValues()
	what := kindName(v.Type())
	s, ok := d.scalar(n, what)
	if !ok {
		return
	}
	for _, x := range values {
		if x == s {
			v.SetString(s)
			return
		}
	}
	msg := fmt.Sprintf("unknown %s %q", what, short(s))
	if sug := suggest(s, values); sug != "" {
		msg += fmt.Sprintf("; did you mean %q?", sug)
	}
	d.errorf(n, "%s (expected one of: %s)", msg, strings.Join(values, ", "))
}

func (d *decoder) decodeText(n *yaml.Node, t *Text) {
	t.pos = d.pos(n)
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return
		}
		t.neutral = n.Value
		d.noteBlock(n, "", t)
	case yaml.MappingNode:
		t.byLocale = map[string]string{}
		t.posOf = map[string]Pos{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				d.typeErr(k, "a locale such as en or zh-CN")
				continue
			}
			if _, err := ParseLocale(k.Value); err != nil {
				if isNull(val) && n.Style&yaml.FlowStyle != 0 {
					// {en: Acme Co., Ltd.} parses "Ltd." as a key of its own.
					d.errorf(k, "%q is not a locale: a comma inside {…} ends the text before it; put the text in quotes", short(k.Value))
				} else {
					d.errorf(k, "%v", err)
				}
				continue
			}
			if _, dup := t.byLocale[k.Value]; dup {
				d.errorf(k, "duplicate key %q (first at line %d)", k.Value, t.posOf[k.Value].Line)
				continue
			}
			if val.Kind == yaml.AliasNode {
				d.errorf(val, "YAML aliases (*%s) are not supported: write the value out", val.Value)
				continue
			}
			if val.Kind != yaml.ScalarNode || val.Tag == "!!null" {
				d.typeErr(val, "the text for "+k.Value)
				continue
			}
			t.byLocale[k.Value] = val.Value
			t.posOf[k.Value] = d.pos(val)
			d.noteBlock(val, k.Value, t)
		}
	default:
		d.typeErr(n, "a text (a string, or a mapping from locale to string)")
	}
}

// noteBlock records where the lines of a literal block start, so that
// positions inside the text (template errors) map to the source.
func (d *decoder) noteBlock(n *yaml.Node, locale string, t *Text) {
	if n.Style&yaml.LiteralStyle == 0 || n.Line >= len(d.lines) {
		return
	}
	line := d.lines[n.Line] // the first content line (0-based index n.Line is line n.Line+1)
	indent := len(line) - len(strings.TrimLeft(line, " "))
	if t.block == nil {
		t.block = map[string]int{}
	}
	if t.posOf == nil {
		t.posOf = map[string]Pos{}
	}
	t.block[locale] = indent + 1
	p := Pos{File: d.file, Line: n.Line + 1, Col: indent + 1}
	if locale == "" {
		t.pos = p
	} else {
		t.posOf[locale] = p
	}
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, f *field) {
	if n.Kind == yaml.ScalarNode && f != nil && f.include && n.Tag == "!!str" && d.include != nil {
		sub, root := d.include(n.Value, d.pos(n))
		if root == nil {
			d.incomplete[f.name] = true
			return
		}
		sub.decodeSlice(root, v, nil)
		return
	}
	if n.Kind != yaml.SequenceNode && f != nil && f.one && !isNull(n) {
		// A single value written where a list may stand: the form a field
		// had before it became a list, which old files keep using.
		s := reflect.MakeSlice(v.Type(), 1, 1)
		d.decode(n, s.Index(0), nil)
		v.Set(s)
		return
	}
	if n.Kind != yaml.SequenceNode {
		want := "a list"
		if f != nil && f.include {
			want = "a list, or the path of a YAML file holding the list"
		}
		d.typeErr(n, want)
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		d.decode(item, s.Index(i), nil)
	}
	v.Set(s)
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value) {
	t := v.Type()
	si := infoOf(t)
	var node *Node
	if si.node >= 0 {
		// Positioned even when it is not a mapping, so that what validation
		// later says about the empty value still points at it.
		node = v.Field(si.node).Addr().Interface().(*Node)
		node.pos = d.pos(n)
	}
	if n.Kind == yaml.ScalarNode && si.short >= 0 && !isNull(n) {
		// The short form: a scalar stands for the one field it names, as
		// in "legal_basis: consent" for {basis: consent}.
		f := &si.fields[si.short]
		before := len(*d.errs)
		d.decode(n, v.Field(f.index), f)
		if node != nil && len(*d.errs) == before {
			node.setField(f.name, d.pos(n))
		}
		return
	}
	if n.Kind != yaml.MappingNode {
		d.typeErr(n, "a mapping ("+kindName(t)+")")
		return
	}
	seen := map[string]*yaml.Node{}
	suggested := map[string]bool{} // required fields an unknown key was probably meant to be
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "expected a field name, found %s", nodeKind(k))
			continue
		}
		name := k.Value
		if first, dup := seen[name]; dup {
			d.errorf(k, "duplicate key %q (first at line %d)", short(name), first.Line)
			continue
		}
		seen[name] = k
		f := si.byName[name]
		if f == nil {
			msg := fmt.Sprintf("unknown field %q in %s", short(name), kindName(t))
			if name == "<<" {
				msg = "YAML merge keys (<<) are not supported: write the fields out"
			} else if sug := suggest(name, fieldNames(si)); sug != "" {
				msg += fmt.Sprintf("; did you mean %q?", sug)
				suggested[sug] = true
			}
			d.errorf(k, "%s", msg)
			continue
		}
		if isNull(val) {
			continue
		}
		if f.required && isEmptyValue(val) {
			continue // reported below
		}
		before := len(*d.errs)
		d.decode(val, v.Field(f.index), f)
		// A field counts as given only when its value was valid, so that
		// validation does not pile further messages on a bad value.
		if node != nil && len(*d.errs) == before {
			node.setField(name, d.pos(k))
		}
	}
	for _, f := range si.fields {
		if !f.required {
			continue
		}
		if k, ok := seen[f.name]; !ok && !suggested[f.name] {
			d.errorf(n, "missing required field %q in %s", f.name, kindName(t))
		} else if ok && isEmptyValue(valueOf(n, k)) {
			d.errorf(k, "field %q must not be empty", f.name)
		}
	}
}

// valueOf returns the value after key k in mapping n.
func valueOf(n, k *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i] == k {
			return n.Content[i+1]
		}
	}
	return nil
}

// isEmptyValue reports whether a value is null, the empty string, or an
// empty list or mapping.
func isEmptyValue(val *yaml.Node) bool {
	return val == nil ||
		val.Kind == yaml.ScalarNode && (val.Tag == "!!null" || val.Value == "") ||
		val.Kind == yaml.SequenceNode && len(val.Content) == 0 ||
		val.Kind == yaml.MappingNode && len(val.Content) == 0
}

func fieldNames(si *structInfo) []string {
	out := make([]string, len(si.fields))
	for i, f := range si.fields {
		out[i] = f.name
	}
	return out
}
