package policy

import (
	"fmt"
	"reflect"
	"strings"
)

// Pattern is a parsed change-path pattern, as rules and changes.raise
// write them: field names as in policy.yaml, "[*]" for any id, "[id]" for
// one, ":*" for any list value, ":value" for one, and a trailing ".**" for
// anything below.
type Pattern struct {
	steps []patStep
	deep  bool // ends with ".**"
}

type patStep struct {
	kind StepKind
	name string // "*" with an id or value step: any
}

// ParsePattern reads a pattern and checks it against the model's fields:
// every field must exist, "[…]" may only follow a list matched by id, and
// ":…" only a list compared by value.
func ParsePattern(s string) (Pattern, error) {
	var pat Pattern
	src := s
	if rest, ok := strings.CutSuffix(s, ".**"); ok {
		pat.deep, src = true, rest
	}
	p, err := ParsePath(src)
	if err != nil {
		return Pattern{}, err
	}
	for _, st := range p {
		pat.steps = append(pat.steps, patStep{st.Kind, st.Name})
	}
	if err := pat.check(s); err != nil {
		return Pattern{}, err
	}
	return pat, nil
}

// check walks the model's types along the pattern.
func (pat Pattern) check(src string) error {
	t := policyType
	var f *field
	for i, st := range pat.steps {
		switch st.kind {
		case FieldStep:
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			if t.Kind() == reflect.Slice {
				return fmt.Errorf("pattern %q: %s is a list: name an element with [*] or a value with :*", src, fieldsOf(pat.steps[:i]))
			}
			if t.Kind() != reflect.Struct || t == textType || t == refType || t == dateType || t == durationType {
				return fmt.Errorf("pattern %q: %s has no field %q", src, fieldsOf(pat.steps[:i]), st.name)
			}
			si := infoOf(t)
			ff, ok := si.byName[st.name]
			if !ok {
				var names []string
				for _, x := range si.fields {
					names = append(names, x.name)
				}
				where := "the policy"
				if i > 0 {
					where = fieldsOf(pat.steps[:i])
				}
				msg := fmt.Sprintf("pattern %q: %s has no field %q", src, where, st.name)
				if sug := suggest(st.name, names); sug != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", sug)
				}
				return fmt.Errorf("%s", msg)
			}
			f, t = ff, t.Field(ff.index).Type
		case IDStep:
			if shapeOf(t, f) != idList {
				return fmt.Errorf("pattern %q: %s is not a list of elements with ids, so [%s] matches nothing", src, fieldsOf(pat.steps[:i]), st.name)
			}
			t, f = t.Elem(), nil
		case ValueStep:
			if sh := shapeOf(t, f); sh != setList {
				return fmt.Errorf("pattern %q: %s is not a list compared by value, so :%s matches nothing", src, fieldsOf(pat.steps[:i]), st.name)
			}
			return nil
		}
	}
	if !pat.deep {
		switch shapeOf(t, f) {
		case idList:
			return fmt.Errorf("pattern %q: %s is a list: name its elements with [*]", src, fieldsOf(pat.steps))
		case setList:
			return fmt.Errorf("pattern %q: %s is a list: name its values with :*", src, fieldsOf(pat.steps))
		}
	}
	return nil
}

func fieldsOf(steps []patStep) string {
	var names []string
	for _, s := range steps {
		if s.kind == FieldStep {
			names = append(names, s.name)
		}
	}
	if len(names) == 0 {
		return "the policy"
	}
	return strings.Join(names, ".")
}

// Match says whether a change path matches the pattern.
func (pat Pattern) Match(p Path) bool {
	if len(p) < len(pat.steps) || len(p) > len(pat.steps) && !pat.deep {
		return false
	}
	for i, st := range pat.steps {
		if p[i].Kind != st.kind || st.name != "*" && p[i].Name != st.name || st.kind == FieldStep && p[i].Name != st.name {
			return false
		}
	}
	// ".**" goes on with a field: "contacts.officer.**" does not match a
	// value or element of contacts.officer itself.
	return len(p) == len(pat.steps) || p[len(pat.steps)].Kind == FieldStep
}
