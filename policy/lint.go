package policy

import (
	"embed"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Lint rules are data: one file per regime in lint/, each rule built from a
// small vocabulary (require, exists, when, check). A new regime is a new
// file, not a change to the loader.
//
//go:embed lint/*.yaml
var lintFiles embed.FS

// Severity of a lint finding.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// LintRule is one disclosure or consistency rule.
type LintRule struct {
	ID       string   `yaml:"id" json:"id"`
	Severity Severity `yaml:"severity" json:"severity"`
	Clause   string   `yaml:"clause" json:"clause"`
	Summary  string   `yaml:"summary" json:"summary"`
	Hint     string   `yaml:"hint" json:"hint"`
	// Require lists paths that must have a value ("purposes[*].legal_basis").
	Require []string `yaml:"require" json:"require,omitempty"`
	// Exists lists filtered lists that must have an element ("rights[kind=access]").
	Exists []string `yaml:"exists" json:"exists,omitempty"`
	// When makes the rule apply only if this path has a value.
	When string `yaml:"when" json:"when,omitempty"`
	// Check names a consistency check implemented in Go.
	Check string `yaml:"check" json:"check,omitempty"`

	Regime  string       `yaml:"-" json:"regime"`
	Profile Jurisdiction `yaml:"-" json:"profile,omitempty"`
}

// LintRuleSet is the rules of one regime, as its file holds them.
type LintRuleSet struct {
	Regime  string       `yaml:"regime"`
	Profile Jurisdiction `yaml:"profile"` // "" applies to every policy
	Rules   []LintRule   `yaml:"rules"`
}

// Finding is one lint result.
type Finding struct {
	Rule    LintRule `json:"rule"`
	Pos     Pos      `json:"pos"`
	Message string   `json:"message"`
}

// LintRules returns every rule, in file order (files sorted by name).
func LintRules() ([]LintRule, error) {
	names, err := fs.Glob(lintFiles, "lint/*.yaml")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []LintRule
	for _, n := range names {
		b, err := lintFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var set LintRuleSet
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&set); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		for _, r := range set.Rules {
			r.Regime, r.Profile = set.Regime, set.Profile
			if r.Check != "" && checks[r.Check] == nil {
				return nil, fmt.Errorf("%s: rule %s names unknown check %q", n, r.ID, r.Check)
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// LintOptions tune a lint run.
type LintOptions struct {
	// Profiles to check; the policy's own when empty.
	Profiles []Jurisdiction
	// AsOf is the date rules about freshness measure from (CCPA's
	// "updated in the last 12 months"); those rules are skipped when it is
	// zero, since lint does not read the clock.
	AsOf Date
}

// Lint checks the policy against the rules of the given profiles (the
// policy's own when none are given) and the consistency rules that apply
// to every policy. Findings are sorted by position.
func Lint(p *Policy, profiles []Jurisdiction) ([]Finding, error) {
	return LintWith(p, LintOptions{Profiles: profiles})
}

// LintWith is Lint with options.
func LintWith(p *Policy, o LintOptions) ([]Finding, error) {
	profiles := o.Profiles
	if len(profiles) == 0 {
		profiles = p.Jurisdictions
	}
	rules, err := LintRules()
	if err != nil {
		return nil, err
	}
	root := reflect.ValueOf(p).Elem()
	var out []Finding
	for _, r := range rules {
		if r.Profile != "" && !slices.Contains(profiles, r.Profile) {
			continue
		}
		if r.When != "" && !anyValue(resolve(root, r.When)) {
			continue
		}
		report := func(at Pos, format string, args ...any) {
			out = append(out, Finding{Rule: r, Pos: at, Message: fmt.Sprintf(format, args...)})
		}
		for _, path := range r.Require {
			for _, h := range resolve(root, path) {
				if isEmptyModelValue(h.v) {
					report(h.pos(), "%s: %s is missing", r.Summary, h.path)
				}
			}
		}
		for _, path := range r.Exists {
			hs := resolve(root, path)
			if !anyValue(hs) {
				report(listPos(root, path), "%s: no %s", r.Summary, path)
			}
		}
		if r.Check != "" {
			for _, f := range checks[r.Check](p, o) {
				report(f.pos, "%s: %s", r.Summary, f.msg)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		if c := a.Pos.Compare(b.Pos); c != 0 {
			return c
		}
		return strings.Compare(a.Rule.ID, b.Rule.ID)
	})
	return out, nil
}

// hit is a value a path reached: the value, the node that holds it and the
// field's name there (so a missing value is reported where it belongs).
type hit struct {
	v     reflect.Value
	owner *Node
	field string
	path  string
	found bool // false when the path stopped early at a missing element
}

func (h hit) pos() Pos {
	if h.owner == nil {
		return Pos{}
	}
	return h.owner.FieldPos(h.field)
}

type segment struct {
	name        string
	list        bool
	filterField string // "" for [*]
	filterValue string
}

func parsePath(path string) []segment {
	var out []segment
	for _, part := range strings.Split(path, ".") {
		s := segment{name: part}
		if i := strings.IndexByte(part, '['); i >= 0 && strings.HasSuffix(part, "]") {
			s.name, s.list = part[:i], true
			if f := part[i+1 : len(part)-1]; f != "*" {
				s.filterField, s.filterValue, _ = strings.Cut(f, "=")
			}
		}
		out = append(out, s)
	}
	return out
}

// resolve follows a path from the policy. Each list segment fans out over
// the elements that pass its filter.
func resolve(root reflect.Value, path string) []hit {
	type cursor struct {
		v    reflect.Value // a struct
		path string
	}
	cur := []cursor{{root, ""}}
	segs := parsePath(path)
	var out []hit
	for i, s := range segs {
		last := i == len(segs)-1
		var next []cursor
		for _, c := range cur {
			node := nodeOf(c.v)
			fv, ok := fieldByName(c.v, s.name)
			if !ok {
				continue
			}
			p := join(c.path, s.name)
			if last && !s.list {
				// The field itself, pointer or not: removing it is setting it to zero.
				out = append(out, hit{v: fv, owner: node, field: s.name, path: p, found: !isEmptyModelValue(fv)})
				continue
			}
			if fv.Kind() == reflect.Pointer { // model pointers are one level deep
				if fv.IsNil() {
					out = append(out, hit{v: fv, owner: node, field: s.name, path: p})
					continue
				}
				fv = fv.Elem()
			}
			if s.list {
				for j := range fv.Len() {
					e := fv.Index(j)
					if s.filterField != "" && !matchesFilter(e, s.filterField, s.filterValue) {
						continue
					}
					ep := fmt.Sprintf("%s[%d]", p, j)
					if id, ok := e.Addr().Interface().(identified); ok {
						i, _ := id.identity()
						ep = p + "[" + string(i) + "]"
					}
					if last {
						out = append(out, hit{v: e, owner: nodeOf(e), path: ep, found: true})
					} else {
						next = append(next, cursor{e, ep})
					}
				}
				continue
			}
			if last || isEmptyModelValue(fv) {
				out = append(out, hit{v: fv, owner: node, field: s.name, path: p, found: !isEmptyModelValue(fv)})
				continue
			}
			next = append(next, cursor{fv, p})
		}
		cur = next
	}
	return out
}

// listPos is where a list named by a path stands, or where it would go.
func listPos(root reflect.Value, path string) Pos {
	segs := parsePath(path)
	parent := strings.Join(strings.Split(path, ".")[:len(segs)-1], ".")
	name := segs[len(segs)-1].name
	v := root
	if parent != "" {
		hs := resolve(root, parent)
		if len(hs) == 0 {
			return nodeOf(root).Pos()
		}
		if !hs[0].found {
			return hs[0].pos()
		}
		v = hs[0].v
		for v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
	}
	if n := nodeOf(v); n != nil {
		return n.FieldPos(name)
	}
	return Pos{}
}

func nodeOf(v reflect.Value) *Node {
	if v.Kind() != reflect.Struct {
		return nil
	}
	si := infoOf(v.Type())
	if si.node < 0 || !v.CanAddr() {
		return nil
	}
	return v.Field(si.node).Addr().Interface().(*Node)
}

func fieldByName(v reflect.Value, name string) (reflect.Value, bool) {
	if v.Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	si := infoOf(v.Type())
	f := si.byName[name]
	if f == nil {
		return reflect.Value{}, false
	}
	return v.Field(f.index), true
}

func matchesFilter(e reflect.Value, field, want string) bool {
	fv, ok := fieldByName(e, field)
	if !ok {
		return false
	}
	if fv.Kind() == reflect.Slice {
		for i := range fv.Len() {
			if scalarString(fv.Index(i)) == want {
				return true
			}
		}
		return false
	}
	return scalarString(fv) == want
}

func scalarString(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case Ref:
		return string(x.ID)
	case Text:
		return textString(x)
	}
	return fmt.Sprint(v.Interface())
}

func anyValue(hs []hit) bool {
	for _, h := range hs {
		if !isEmptyModelValue(h.v) {
			return true
		}
	}
	return false
}

func isEmptyModelValue(v reflect.Value) bool {
	if !v.IsValid() {
		return true
	}
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	switch x := v.Interface().(type) {
	case Ref:
		return x.ID == ""
	}
	switch v.Kind() {
	case reflect.Slice:
		return v.Len() == 0
	case reflect.Pointer:
		return v.IsNil()
	case reflect.Struct:
		return false // a present struct (e.g. an element) is a value
	}
	return v.IsZero()
}
