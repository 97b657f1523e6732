package policy

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// SchemaID is the $id of the JSON Schema.
const SchemaID = "https://policyc.dev/schema/policy.json"

// Schema returns the JSON Schema (draft 2020-12) of policy.yaml, generated
// from the model's types and tags so that it cannot drift from the loader.
// Editors use it for completion and checking (yaml-language-server).
func Schema() []byte {
	g := &schemaGen{defs: map[string]any{}}
	root := g.object(reflect.TypeFor[Policy]())
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = SchemaID
	root["title"] = "policyc privacy policy"
	root["$defs"] = g.defs
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(root); err != nil {
		panic(err) // only maps, slices and strings: cannot fail
	}
	return buf.Bytes()
}

type schemaGen struct{ defs map[string]any }

func (g *schemaGen) object(t reflect.Type) map[string]any {
	si := infoOf(t)
	props := map[string]any{}
	var required []string
	for _, f := range si.fields {
		s := g.typeOfField(t.Field(f.index).Type, f)
		if f.doc != "" {
			s = withDesc(s, f.doc)
		}
		props[f.name] = s
		if f.required {
			required = append(required, f.name)
		}
	}
	o := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func withDesc(s map[string]any, doc string) map[string]any {
	out := map[string]any{"description": doc}
	if ref, ok := s["$ref"]; ok && len(s) == 1 {
		out["$ref"] = ref // 2020-12 allows siblings of $ref
		return out
	}
	for k, v := range s {
		out[k] = v
	}
	return out
}

func (g *schemaGen) ref(name string, build func() map[string]any) map[string]any {
	if _, ok := g.defs[name]; !ok {
		g.defs[name] = nil // reserve: types may refer to themselves
		g.defs[name] = build()
	}
	return map[string]any{"$ref": "#/$defs/" + name}
}

func (g *schemaGen) typeOf(t reflect.Type, include bool) map[string]any {
	return g.typeOfField(t, field{include: include})
}

// typeOfField is typeOf for a struct field: a field tagged "one" also
// accepts a single element in place of its list.
func (g *schemaGen) typeOfField(t reflect.Type, f field) map[string]any {
	if f.one && t.Kind() == reflect.Slice {
		item := g.typeOf(t.Elem(), false)
		return map[string]any{"oneOf": []any{item, map[string]any{"type": "array", "items": item}}}
	}
	include := f.include
	switch t {
	case textType:
		return g.ref("Text", func() map[string]any {
			return map[string]any{
				"description": "A string used for every locale, or a mapping from locale to string.",
				"oneOf": []any{
					map[string]any{"type": "string"},
					map[string]any{"type": "object", "minProperties": 1, "additionalProperties": false,
						"patternProperties": map[string]any{localePattern.String(): map[string]any{"type": "string"}}},
				},
			}
		})
	case refType, idType:
		return g.ref("ID", func() map[string]any {
			return map[string]any{"type": "string", "pattern": idPattern.String()}
		})
	case dateType:
		return map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$`}
	case durationType:
		return g.ref("Duration", func() map[string]any {
			return map[string]any{"type": "string", "pattern": durationPattern.String(),
				"examples": []string{"15 days", "15 working days", "72 hours", "3 years"}}
		})
	case urlType:
		return map[string]any{"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"}
	case emailType:
		return map[string]any{"type": "string", "format": "email"}
	case phoneType:
		return map[string]any{"type": "string", "pattern": phonePattern.String()}
	case localeType:
		return map[string]any{"type": "string", "pattern": localePattern.String()}
	}
	if t == requirementType {
		return g.ref(t.Name(), func() map[string]any {
			return map[string]any{"oneOf": []any{
				map[string]any{"enum": reflect.Zero(t).Interface().(enum).enumValues()},
				map[string]any{"type": "boolean", "description": "true for required, false for optional."},
			}}
		})
	}
	if t.Kind() == reflect.String && t.Implements(enumIface) {
		return g.ref(t.Name(), func() map[string]any {
			return map[string]any{"enum": reflect.Zero(t).Interface().(enum).enumValues()}
		})
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int:
		return map[string]any{"type": "integer", "minimum": 0, "maximum": 1000}
	case reflect.Pointer:
		return g.typeOf(t.Elem(), include)
	case reflect.Slice:
		arr := map[string]any{"type": "array", "items": g.typeOf(t.Elem(), false)}
		if include {
			// A file holding the list alone validates against #/$defs/<Type>List.
			list := g.ref(t.Elem().Name()+"List", func() map[string]any { return arr })
			return map[string]any{"oneOf": []any{list, map[string]any{"type": "string",
				"description": "Path of a YAML file, relative to the policy directory, holding the list."}}}
		}
		return arr
	case reflect.Struct:
		return g.ref(t.Name(), func() map[string]any {
			o := g.object(t)
			if si := infoOf(t); si.short >= 0 {
				// The short form: the one field's value written alone.
				f := si.fields[si.short]
				return map[string]any{"oneOf": []any{g.typeOf(t.Field(f.index).Type, false), o}}
			}
			return o
		})
	}
	panic("policy: no schema for " + t.String())
}

// Modeline is the comment that tells yaml-language-server which schema a
// file follows; a relative path works offline.
func Modeline(schemaPath string) string {
	return "# yaml-language-server: $schema=" + strings.TrimSpace(schemaPath)
}
