package render

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"

	"github.com/policyc/policyc/policy"
)

// JSONFormat names the layout of the JSON the render package writes; it
// changes only when a field is removed or changes meaning.
const JSONFormat = "policyc.policy/v1"

// JSON writes the resolved model: field names as in policy.yaml, texts
// resolved to the locale (or kept as locale maps when locale is ""),
// section bodies read from their files, and each document's composed
// Markdown. Keys keep the model's order, so the bytes are stable.
func (r *Renderer) JSON(w io.Writer, p *policy.Policy, locale string, meta Meta) error {
	out := ordered{{"format", JSONFormat}}
	if locale != "" {
		out = append(out, kv{"locale", locale})
	}
	if meta.Version != "" {
		out = append(out, kv{"version", meta.Version})
	}
	out = append(out, kv{"policy", toJSON(reflect.ValueOf(p).Elem(), locale)})
	if locale != "" {
		docs, err := r.Compose(p, locale, meta)
		if err != nil {
			return err
		}
		var ds []any
		for _, d := range docs {
			ds = append(ds, ordered{{"id", d.ID}, {"title", d.Title}, {"markdown", string(d.Markdown)}})
		}
		out = append(out, kv{"documents", ds})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

type kv struct {
	k string
	v any
}

// ordered is a JSON object that keeps its keys' order.
type ordered []kv

func (o ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := marshalNoEscape(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

var (
	textT     = reflect.TypeFor[policy.Text]()
	refT      = reflect.TypeFor[policy.Ref]()
	dateT     = reflect.TypeFor[policy.Date]()
	durationT = reflect.TypeFor[policy.Duration]()
)

// toJSON converts a model value: zero values are left out.
func toJSON(v reflect.Value, locale string) any {
	switch v.Type() {
	case textT:
		t := v.Interface().(policy.Text)
		if locale != "" {
			return t.Get(locale)
		}
		return t
	case refT:
		return string(v.Interface().(policy.Ref).ID)
	case dateT:
		return v.Interface().(policy.Date).String()
	case durationT:
		return v.Interface().(policy.Duration).String()
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return toJSON(v.Elem(), locale)
	case reflect.Slice:
		out := make([]any, 0, v.Len())
		for i := range v.Len() {
			out = append(out, toJSON(v.Index(i), locale))
		}
		return out
	case reflect.Struct:
		var o ordered
		t := v.Type()
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if name == "" || name == "-" || !t.Field(i).IsExported() {
				continue
			}
			if isEmpty(v.Field(i)) {
				continue
			}
			o = append(o, kv{name, toJSON(v.Field(i), locale)})
		}
		if o == nil {
			return ordered{}
		}
		return o
	}
	return v.Interface()
}

func isEmpty(v reflect.Value) bool {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Pointer:
		return v.IsNil() || v.Kind() == reflect.Slice && v.Len() == 0
	}
	return v.IsZero()
}
