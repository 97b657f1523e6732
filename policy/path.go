package policy

import (
	"fmt"
	"reflect"
	"strings"
)

// StepKind says what a step of a path selects.
type StepKind int

// Kinds of step.
const (
	FieldStep StepKind = iota // a field, by its name in policy.yaml
	IDStep                    // an element of an identified list, by id
	ValueStep                 // a value of a list compared as a set
)

// Step is one step of a Path.
type Step struct {
	Kind StepKind
	Name string // the field name, the id or the value
}

// Path names a fact of the model: fields as in policy.yaml, elements of
// identified lists by id, values of lists compared as sets. Its text form
// is "sdks[maps].collects:precise-location"; a value is always last and
// may hold any character.
type Path []Step

// field, id and value build steps.
func (p Path) field(name string) Path { return append(p[:len(p):len(p)], Step{FieldStep, name}) }
func (p Path) id(id string) Path      { return append(p[:len(p):len(p)], Step{IDStep, id}) }
func (p Path) value(v string) Path    { return append(p[:len(p):len(p)], Step{ValueStep, v}) }

// String is the text form of the path.
func (p Path) String() string {
	var b strings.Builder
	for i, s := range p {
		switch s.Kind {
		case FieldStep:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		case IDStep:
			b.WriteString("[" + s.Name + "]")
		case ValueStep:
			b.WriteString(":" + s.Name)
		}
	}
	return b.String()
}

// Field is the path's fields without ids or value ("sdks.collects").
func (p Path) Field() string {
	var names []string
	for _, s := range p {
		if s.Kind == FieldStep {
			names = append(names, s.Name)
		}
	}
	return strings.Join(names, ".")
}

// Fields are the path's field names in order.
func (p Path) Fields() []string {
	var names []string
	for _, s := range p {
		if s.Kind == FieldStep {
			names = append(names, s.Name)
		}
	}
	return names
}

// ID is the i-th id of the path (0 the first), "" when there is none.
func (p Path) ID(i int) string {
	for _, s := range p {
		if s.Kind == IDStep {
			if i == 0 {
				return s.Name
			}
			i--
		}
	}
	return ""
}

// Value is the list value the path ends with, if any.
func (p Path) Value() (string, bool) {
	if len(p) > 0 && p[len(p)-1].Kind == ValueStep {
		return p[len(p)-1].Name, true
	}
	return "", false
}

// Last is the kind of the path's last step.
func (p Path) Last() StepKind {
	if len(p) == 0 {
		return FieldStep
	}
	return p[len(p)-1].Kind
}

// Compare orders paths by their text form, the order Diff reports.
func (p Path) Compare(q Path) int { return strings.Compare(p.String(), q.String()) }

// Within says whether p lies strictly inside q.
func (p Path) Within(q Path) bool {
	if len(p) <= len(q) {
		return false
	}
	for i := range q {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

// MarshalText writes the text form, as verdicts have always stored it.
func (p Path) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads the text form.
func (p *Path) UnmarshalText(b []byte) error {
	q, err := ParsePath(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// ParsePath reads a path's text form.
func ParsePath(s string) (Path, error) {
	var p Path
	i := 0
	for i < len(s) {
		switch s[i] {
		case ':':
			if len(p) == 0 {
				return nil, fmt.Errorf("path %q: a value must follow a field", s)
			}
			return p.value(s[i+1:]), nil
		case '[':
			if len(p) == 0 {
				return nil, fmt.Errorf("path %q: an id must follow a field", s)
			}
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("path %q: unclosed [", s)
			}
			if end == 1 {
				return nil, fmt.Errorf("path %q: empty id", s)
			}
			p = p.id(s[i+1 : i+end])
			i += end + 1
		case '.':
			if len(p) == 0 || i+1 >= len(s) {
				return nil, fmt.Errorf("path %q: misplaced .", s)
			}
			i++
			fallthrough
		default:
			if len(p) > 0 && s[i-1] != '.' {
				return nil, fmt.Errorf("path %q: a field must follow a dot", s)
			}
			j := i
			for j < len(s) && isFieldByte(s[j]) {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("path %q: unexpected %q at %d", s, s[i], i)
			}
			p = p.field(s[i:j])
			i = j
		}
	}
	if len(p) == 0 {
		return nil, fmt.Errorf("empty path")
	}
	return p, nil
}

func isFieldByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' }

// listShape is how Diff compares a list type.
type listShape int

const (
	notList  listShape = iota
	idList             // matched by id
	setList            // compared as a set of values
	textList           // wording, compared as a whole
)

// shapeOf says how Diff compares a field of type t with field info f.
func shapeOf(t reflect.Type, f *field) listShape {
	if t.Kind() != reflect.Slice {
		return notList
	}
	et := t.Elem()
	if et.Kind() == reflect.Struct && et != textType && et != refType {
		if _, ok := reflect.New(et).Interface().(identified); ok {
			return idList
		}
		return setList
	}
	if et == textType && f != nil && f.prose {
		return textList
	}
	return setList
}

// policyType is the model's root type, where paths start.
var policyType = reflect.TypeFor[Policy]()

// FieldType is the Go type and field info at the fields of p (ids and
// values ignored), or false when p names no field of the model. A path
// step below a list names a field of its elements.
func fieldAt(names []string) (reflect.Type, *field, bool) {
	t := policyType
	var f *field
	for _, n := range names {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == textType || t == refType || t == dateType || t == durationType {
			return nil, nil, false
		}
		si := infoOf(t)
		ff, ok := si.byName[n]
		if !ok {
			return nil, nil, false
		}
		f = ff
		t = t.Field(ff.index).Type
	}
	return t, f, true
}

// ModelFields lists every field path of the model Diff can report on
// ("sdks.collects"), in a stable order: what a person-facing label must
// exist for.
func ModelFields() []string {
	var out []string
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == textType || t == refType || t == dateType || t == durationType {
			return
		}
		if seen[t] {
			return
		}
		seen[t] = true
		defer delete(seen, t)
		si := infoOf(t)
		for _, f := range si.fields {
			name := join(prefix, f.name)
			out = append(out, name)
			walk(t.Field(f.index).Type, name)
		}
	}
	walk(policyType, "")
	return out
}

// Lookup finds what a path names in p: a field's value, an element of an
// identified list, or a value of a set-compared list. It reports false when
// p holds nothing there (the path is from another version, or names a
// pointer that is nil).
func Lookup(p *Policy, path Path) (any, bool) {
	if p == nil {
		return nil, false
	}
	v := reflect.ValueOf(p).Elem()
	for _, st := range path {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return nil, false
			}
			v = v.Elem()
		}
		switch st.Kind {
		case FieldStep:
			if v.Kind() != reflect.Struct {
				return nil, false
			}
			f, ok := infoOf(v.Type()).byName[st.Name]
			if !ok {
				return nil, false
			}
			v = v.Field(f.index)
		case IDStep, ValueStep:
			if v.Kind() != reflect.Slice {
				return nil, false
			}
			found := false
			for i := range v.Len() {
				e := v.Index(i)
				var key string
				if id, ok := e.Addr().Interface().(identified); ok && st.Kind == IDStep {
					k, _ := id.identity()
					key = string(k)
				} else {
					key = setKey(e)
				}
				if key == st.Name {
					v, found = e, true
					break
				}
			}
			if !found {
				return nil, false
			}
		}
	}
	return v.Interface(), true
}

// IsProse says whether the field a path names holds wording (a text whose
// change is editorial unless a rule says otherwise), as opposed to a
// named fact such as a legal name or a region.
func IsProse(p Path) bool {
	_, f, ok := fieldAt(p.Fields())
	return ok && f != nil && f.prose
}
