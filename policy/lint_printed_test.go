package policy

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// notPrinted are the model fields lint rules rely on that the default
// templates do not print, each with why. A rule that relies on a field a
// reader never sees passes a policy whose published text lacks the
// disclosure; this list is that gap, kept short and current.
var notPrinted = map[string]string{
	"contacts.channels[*].kind@coppa-operator-contact": "a channel's kind shows in its value (a telephone number, an e-mail address), and is named where the channel has no label",
	"controller.established_in":                        "evidence only: where the controller is established decides whether a representative is needed",
	"contacts.channels[*].value":                       "printed by chanentry, which the contacts template calls for each channel (render/funcs.go), so the template does not name the field",
}

// templateTypes are the model types each block template prints fields of.
var templateTypes = map[string][]reflect.Type{
	"activities":           {reflect.TypeFor[Activity](), reflect.TypeFor[ActivityItem](), reflect.TypeFor[Purpose]()}, // and the purposes table
	"legal_bases":          {reflect.TypeFor[Purpose](), reflect.TypeFor[PurposeBasis]()},
	"data_categories":      {reflect.TypeFor[DataCategory]()},
	"sensitive_categories": {reflect.TypeFor[DataCategory]()},
	"rights":               {reflect.TypeFor[Right](), reflect.TypeFor[RequestLimit](), reflect.TypeFor[Extension]()},
	"recipients":           {reflect.TypeFor[Recipient]()},
	"storage":              {reflect.TypeFor[Storage](), reflect.TypeFor[CrossBorder](), reflect.TypeFor[TransferRoute](), reflect.TypeFor[Location]()},
	"retention":            {reflect.TypeFor[Storage](), reflect.TypeFor[RetentionRule](), reflect.TypeFor[DataCategory]()}, // "applies to" lists each category by its retention
	"contacts":             {reflect.TypeFor[Controller](), reflect.TypeFor[Contacts](), reflect.TypeFor[Officer](), reflect.TypeFor[Channel](), reflect.TypeFor[Regulator](), reflect.TypeFor[Representative]()},
	"children":             {reflect.TypeFor[Children](), reflect.TypeFor[AgeThreshold](), reflect.TypeFor[AgeBand]()},
	"requests":             {reflect.TypeFor[Requests](), reflect.TypeFor[RequestLimit](), reflect.TypeFor[Extension]()},
	"cookies":              {reflect.TypeFor[Cookies](), reflect.TypeFor[CookieKind]()},
	"changes":              {reflect.TypeFor[ChangePolicy]()},
	"sdk_table":            {reflect.TypeFor[SDK]()},
	"disclosure":           {reflect.TypeFor[Disclosure](), reflect.TypeFor[Case]()},
}

// inlinePrints are the fields the inline prose functions print.
var inlinePrints = map[string]string{"controller": "legal_name", "address": "registered_address", "updated": "updated"}

// TestLintReliesOnPrintedFields checks that every field a rule names is
// printed by the template of one of the prose functions the rule says
// print it (by the field's name in the template; a field of the same name
// on another type would also match), but those listed in notPrinted.
func TestLintReliesOnPrintedFields(t *testing.T) {
	rules, err := LintRules()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, r := range rules {
		if len(r.Printed) == 0 && r.Profile != "" {
			t.Errorf("%s names no prose function that prints it", r.ID)
		}
		for _, f := range r.Fields {
			name, owner, ok := goFieldName(f)
			if !ok {
				t.Errorf("%s: field %s is not in the model", r.ID, f)
				continue
			}
			if printedBy(t, r.Printed, f, name, owner) {
				continue
			}
			key := normalisePath(f)
			if _, ok := notPrinted[key]; ok {
				used[key] = true
				continue
			}
			if _, ok := notPrinted[key+"@"+r.ID]; ok {
				used[key+"@"+r.ID] = true
				continue
			}
			t.Errorf("%s relies on %s, which no template of %v prints", r.ID, f, r.Printed)
		}
	}
	for k := range notPrinted {
		if !used[k] {
			t.Errorf("%s is listed as not printed but is printed, or no rule relies on it: remove it from notPrinted", k)
		}
	}
}

// normalisePath drops a path's filters: the field is the same whichever
// elements a rule picks.
func normalisePath(p string) string {
	var out []string
	for _, seg := range parsePath(p) {
		if seg.list {
			seg.name += "[*]"
		}
		out = append(out, seg.name)
	}
	return strings.Join(out, ".")
}

// printedBy reports whether a template of the functions prints the field:
// the template is one for the field's owner type and names the field.
func printedBy(t *testing.T, funcs []string, path, goName string, owner reflect.Type) bool {
	t.Helper()
	segs := parsePath(path)
	for _, fn := range funcs {
		if inlinePrints[fn] == segs[len(segs)-1].name {
			return true
		}
		name := fn
		if slices.Contains([]string{"sharing", "transfer", "public_disclosure"}, fn) {
			name = "disclosure"
		}
		b, err := os.ReadFile(filepath.Join("..", "templates", "md", name+".md"))
		if err != nil {
			continue // an inline function prints only what inlinePrints says
		}
		if slices.Contains(templateTypes[name], owner) && strings.Contains(string(b), "."+goName) {
			return true
		}
		// A whole element (rights[kind=access], children) is printed by the
		// template of its type.
		if ft := fieldType(owner, goName); slices.Contains(templateTypes[name], ft) {
			return true
		}
	}
	return false
}

// goFieldName is the Go name of the field a model path ends at, and the
// type that holds it.
func goFieldName(path string) (string, reflect.Type, bool) {
	t := reflect.TypeFor[Policy]()
	var owner reflect.Type
	name := ""
	for _, seg := range parsePath(path) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return "", nil, false
		}
		f := infoOf(t).byName[seg.name]
		if f == nil {
			return "", nil, false
		}
		sf := t.Field(f.index)
		owner, name, t = t, sf.Name, sf.Type
	}
	return name, owner, true
}

func fieldType(owner reflect.Type, goName string) reflect.Type {
	sf, _ := owner.FieldByName(goName)
	t := sf.Type
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}
