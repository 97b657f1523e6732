package policy

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// ChangeKind says what happened to a fact.
type ChangeKind string

// Kinds of change.
const (
	Added   ChangeKind = "added"
	Removed ChangeKind = "removed"
	Changed ChangeKind = "changed"
)

// Change is one difference between two versions of a model.
type Change struct {
	// Path names the fact: field names as in policy.yaml, list elements by
	// id ("sdks[maps].collects"), list values after a colon
	// ("sdks[maps].collects:precise-location").
	Path Path       `json:"path"`
	Kind ChangeKind `json:"kind"`
	Old  string     `json:"old,omitempty"`
	New  string     `json:"new,omitempty"`
	// Prose is true when only wording changed (a text, not a fact).
	Prose  bool `json:"prose,omitempty"`
	OldPos Pos  `json:"old_pos,omitzero"`
	NewPos Pos  `json:"new_pos,omitzero"`
}

// Diff compares two models and returns their differences in a stable
// order. Lists whose elements have ids are matched by id, and lists of
// references and values are compared as sets, so reordering is not a
// change; texts are compared in every locale.
func Diff(a, b *Policy) []Change {
	d := &differ{}
	d.value(nil, reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem(), nil, a.pos, b.pos)
	slices.SortStableFunc(d.out, func(x, y Change) int { return x.Path.Compare(y.Path) })
	return d.out
}

type differ struct{ out []Change }

func (d *differ) add(c Change) { d.out = append(d.out, c) }

// join appends a field name to a field path's text form.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// value compares two values of the same type at path; pa and pb are where
// they stand in each source.
func (d *differ) value(path Path, va, vb reflect.Value, f *field, pa, pb Pos) {
	t := va.Type()
	switch t {
	case textType:
		ta, tb := va.Interface().(Text), vb.Interface().(Text)
		if !textEqual(ta, tb) {
			kind := Changed
			switch {
			case ta.IsZero():
				kind = Added
			case tb.IsZero():
				kind = Removed
			}
			d.add(Change{Path: path, Kind: kind, Old: textString(ta), New: textString(tb), Prose: true, OldPos: pa, NewPos: pb})
		}
		return
	case refType:
		ra, rb := va.Interface().(Ref), vb.Interface().(Ref)
		if ra.ID != rb.ID {
			d.add(Change{Path: path, Kind: kindOf(string(ra.ID), string(rb.ID)), Old: string(ra.ID), New: string(rb.ID), OldPos: pa, NewPos: pb})
		}
		return
	case dateType, durationType:
		sa, sb := fmt.Sprint(va.Interface()), fmt.Sprint(vb.Interface())
		if sa != sb {
			d.add(Change{Path: path, Kind: kindOf(sa, sb), Old: sa, New: sb, OldPos: pa, NewPos: pb})
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		switch {
		case va.IsNil() && vb.IsNil():
		case va.IsNil():
			d.add(Change{Path: path, Kind: Added, New: summary(vb), NewPos: pb})
		case vb.IsNil():
			d.add(Change{Path: path, Kind: Removed, Old: summary(va), OldPos: pa})
		default:
			d.value(path, va.Elem(), vb.Elem(), f, nodePos(va.Elem(), pa), nodePos(vb.Elem(), pb))
		}
	case reflect.Struct:
		si := infoOf(t)
		var na, nb *Node
		if si.node >= 0 {
			na, nb = va.Field(si.node).Addr().Interface().(*Node), vb.Field(si.node).Addr().Interface().(*Node)
		}
		for i := range si.fields {
			fl := &si.fields[i]
			fa, fb := pa, pb
			if na != nil {
				fa, fb = na.FieldPos(fl.name), nb.FieldPos(fl.name)
			}
			d.value(path.field(fl.name), va.Field(fl.index), vb.Field(fl.index), fl, fa, fb)
		}
	case reflect.Slice:
		d.list(path, va, vb, f, pa, pb)
	default:
		sa, sb := fmt.Sprint(va.Interface()), fmt.Sprint(vb.Interface())
		if sa != sb {
			d.add(Change{Path: path, Kind: kindOf(sa, sb), Old: sa, New: sb, OldPos: pa, NewPos: pb})
		}
	}
}

func kindOf(old, new string) ChangeKind {
	switch {
	case old == "" || old == "false" || old == "0":
		if new != "" && new != "false" && new != "0" {
			return Added
		}
	case new == "" || new == "false" || new == "0":
		return Removed
	}
	return Changed
}

// list compares lists: by id when the elements have one, by value for
// references, enums, strings and texts, by content otherwise.
func (d *differ) list(path Path, va, vb reflect.Value, f *field, pa, pb Pos) {
	et := va.Type().Elem()
	if et.Kind() == reflect.Struct && et != textType && et != refType {
		if _, ok := reflect.New(et).Interface().(identified); ok {
			d.byID(path, va, vb, pa, pb)
			return
		}
		d.bySet(path, va, vb, setKey, false, pa, pb)
		return
	}
	if et == textType && f != nil && f.prose {
		// A list of sentences: wording, compared as a whole.
		ja, jb := textListString(va), textListString(vb)
		if normText(ja) != normText(jb) {
			d.add(Change{Path: path, Kind: kindOf(ja, jb), Old: ja, New: jb, Prose: true, OldPos: pa, NewPos: pb})
		}
		return
	}
	d.bySet(path, va, vb, setKey, true, pa, pb)
}

// byID matches elements by id: added and removed elements are one change
// each, matched ones are compared field by field.
func (d *differ) byID(path Path, va, vb reflect.Value, pa, pb Pos) {
	type elem struct {
		v   reflect.Value
		pos Pos
	}
	index := func(v reflect.Value) (map[ID]elem, []ID) {
		m := map[ID]elem{}
		var order []ID
		for i := range v.Len() {
			id, at := v.Index(i).Addr().Interface().(identified).identity()
			m[id] = elem{v.Index(i), at}
			order = append(order, id)
		}
		return m, order
	}
	ma, oa := index(va)
	mb, ob := index(vb)
	for _, id := range oa {
		if _, ok := mb[id]; !ok {
			d.add(Change{Path: path.id(string(id)), Kind: Removed, Old: string(id), OldPos: ma[id].pos})
		}
	}
	for _, id := range ob {
		ea, ok := ma[id]
		if !ok {
			d.add(Change{Path: path.id(string(id)), Kind: Added, New: string(id), NewPos: mb[id].pos})
			continue
		}
		d.value(path.id(string(id)), ea.v, mb[id].v, nil, nodePos(ea.v, ea.pos), nodePos(mb[id].v, mb[id].pos))
	}
}

// bySet compares lists as sets of keys: each key added or removed is a
// change ("path:key").
func (d *differ) bySet(path Path, va, vb reflect.Value, key func(reflect.Value) string, inline bool, pa, pb Pos) {
	keys := func(v reflect.Value) []string {
		var out []string
		for i := range v.Len() {
			out = append(out, key(v.Index(i)))
		}
		return out
	}
	ka, kb := keys(va), keys(vb)
	for _, k := range ka {
		if !slices.Contains(kb, k) {
			d.add(Change{Path: path.value(k), Kind: Removed, Old: k, OldPos: pa})
		}
	}
	for _, k := range kb {
		if !slices.Contains(ka, k) {
			d.add(Change{Path: path.value(k), Kind: Added, New: k, NewPos: pb})
		}
	}
}

func nodePos(v reflect.Value, def Pos) Pos {
	if v.Kind() == reflect.Struct {
		if si := infoOf(v.Type()); si.node >= 0 {
			if p := v.Field(si.node).Addr().Interface().(*Node).Pos(); !p.IsZero() {
				return p
			}
		}
	}
	return def
}

func textEqual(a, b Text) bool {
	if a.IsNeutral() && b.IsNeutral() {
		return normText(a.neutral) == normText(b.neutral)
	}
	locs := map[string]bool{}
	for _, l := range a.Locales() {
		locs[l] = true
	}
	for _, l := range b.Locales() {
		locs[l] = true
	}
	if len(locs) == 0 {
		return normText(a.neutral) == normText(b.neutral)
	}
	for l := range locs {
		if normText(a.Get(l)) != normText(b.Get(l)) {
			return false
		}
	}
	return true
}

// textString is a text as one string: the neutral value, or the first
// locale's value in sorted order.
func textString(t Text) string {
	if t.byLocale == nil {
		return t.neutral
	}
	locs := t.Locales()
	if len(locs) == 0 {
		return ""
	}
	if v, ok := t.byLocale["en"]; ok {
		return v
	}
	return t.byLocale[locs[0]]
}

func textListString(v reflect.Value) string {
	var parts []string
	for i := range v.Len() {
		parts = append(parts, textString(v.Index(i).Interface().(Text)))
	}
	return strings.Join(parts, "\n")
}

// setKey is what identifies an element of a list compared as a set: its
// text, the id it refers to, its value, or a summary of a structure.
func setKey(v reflect.Value) string {
	switch v.Type() {
	case textType:
		return normText(textString(v.Interface().(Text)))
	case refType:
		return string(v.Interface().(Ref).ID)
	}
	if v.Kind() == reflect.Struct {
		return summary(v)
	}
	return fmt.Sprint(v.Interface())
}

// summary is a compact, stable rendering of a value for a change record:
// an element's id, or a structure's non-empty values in field order
// ("eu-gdpr, 16"), as a person can read them.
func summary(v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if id, ok := v.Addr().Interface().(identified); ok {
		i, _ := id.identity()
		return string(i)
	}
	if v.Kind() != reflect.Struct {
		return fmt.Sprint(v.Interface())
	}
	var parts []string
	for _, f := range infoOf(v.Type()).fields {
		fv := v.Field(f.index)
		var s string
		switch {
		case fv.Type() == textType:
			s = textString(fv.Interface().(Text))
		case fv.Type() == refType:
			s = string(fv.Interface().(Ref).ID)
		case fv.Kind() == reflect.Slice:
			var items []string
			for i := range fv.Len() {
				items = append(items, setKey(fv.Index(i)))
			}
			s = strings.Join(items, " ")
		case fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Struct && fv.Type() != dateType && fv.Type() != durationType:
			s = summary(fv)
		case fv.IsZero():
		default:
			s = fmt.Sprint(fv.Interface())
		}
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}
