package policy

import (
	"embed"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Lint rules are data: one file per regime in lint/, each rule one element
// of the regime's checklist (what the law says a notice must contain, its
// clause, when it applies, the model fields that hold it and where the
// document prints it), checked by a small vocabulary (for, need, any,
// exists, when) or by a named check written in Go. A new regime is a new
// file, not a change to the loader.
//
//go:embed lint/*.yaml
var lintFiles embed.FS

// Severity of a lint finding.
type Severity string

// Severities: statutory elements are errors, elements of recommended
// standards (GB/T 35273) warnings.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// LintRule is one element of a regime's checklist and the rule that checks it.
type LintRule struct {
	ID       string   `yaml:"id" json:"id"`
	Severity Severity `yaml:"severity" json:"severity"`
	Clause   string   `yaml:"clause" json:"clause"`
	// Element is what the notice must contain, in the law's words.
	Element string `yaml:"element" json:"element"`
	// Condition says, in words, when the law requires the element.
	Condition string `yaml:"condition" json:"condition"`
	// Fields are the model fields the rule relies on.
	Fields []string `yaml:"fields" json:"fields"`
	// Printed names the prose functions whose templates print the element;
	// a finding points at the section that calls one of them.
	Printed []string `yaml:"printed" json:"printed"`
	// ElementIn names, where Printed also lists functions printing the
	// facts of the element's condition, those whose templates print the
	// element itself (all of Printed when empty): an element the model
	// holds is published only where a section calls one of them.
	ElementIn []string `yaml:"element_in" json:"-"`
	Hint      string   `yaml:"hint" json:"hint"`
	// Limits says what the rule cannot see, when it cannot see everything.
	Limits string `yaml:"limits" json:"limits,omitempty"`

	// For names the items checked one by one ("purposes[*]",
	// "activities[required=true]"); the policy itself when empty.
	For string `yaml:"for" json:"-"`
	// Need lists fields every item must have, each reported on its own.
	Need []string `yaml:"need" json:"-"`
	// Any lists fields of which every item must have at least one (a
	// contact met by any channel the law allows).
	Any []string `yaml:"any" json:"-"`
	// Exists lists filtered lists of which at least one must have an
	// element ("rights[kind=restriction|objection]").
	Exists []string `yaml:"exists" json:"-"`
	// When names a practice the model must show for the rule to apply
	// (transfers, automated-decisions, children…), judged from every fact
	// that shows it, not from one flag.
	When string `yaml:"when" json:"-"`
	// Check names a check written in Go.
	Check string `yaml:"check" json:"-"`

	Regime  string       `yaml:"-" json:"regime"`
	Profile Jurisdiction `yaml:"-" json:"profile,omitempty"`
}

// LintRuleSet is the rules of one regime, as its file holds them.
type LintRuleSet struct {
	Regime  string       `yaml:"regime"`
	Law     string       `yaml:"law"`
	Profile Jurisdiction `yaml:"profile"` // "" applies to every policy
	Rules   []LintRule   `yaml:"rules"`
	// Unmodelled lists what the law requires that the model cannot yet
	// express, so no rule can check it; docs/lint.md lists it as a limit.
	Unmodelled []string `yaml:"unmodelled"`
}

// Finding is one lint result.
type Finding struct {
	Rule LintRule `json:"rule"`
	Pos  Pos      `json:"pos"`
	// Path is the model position of the element, or of where it belongs
	// ("purposes[search].legal_basis").
	Path    string `json:"path"`
	Message string `json:"message"`
	// Section is where the rendered document prints the element, or
	// should: the section calling one of the rule's prose functions.
	Section *SectionRef `json:"section,omitempty"`
	// Acknowledged is set when the policy accepts the finding.
	Acknowledged *Acknowledgement `json:"acknowledged,omitempty"`
}

// SectionRef names a section of the rendered document.
type SectionRef struct {
	Document ID     `json:"document,omitempty"` // "" for the policy itself
	ID       ID     `json:"id"`
	Anchor   string `json:"anchor"`
	Title    string `json:"title"`
}

// String is how a finding names the section: its title and anchor.
func (s *SectionRef) String() string {
	if s == nil {
		return ""
	}
	if s.Document != "" {
		return fmt.Sprintf("%q (%s#%s)", s.Title, s.Document, s.Anchor)
	}
	return fmt.Sprintf("%q (#%s)", s.Title, s.Anchor)
}

// StaleAcknowledgementRule reports an acknowledgement that matches no finding.
var StaleAcknowledgementRule = LintRule{
	ID: "lint-stale-acknowledgement", Severity: SeverityWarning, Regime: "lint", Clause: "policyc",
	Element:   "an acknowledgement matches a finding",
	Condition: "every acknowledgement under lint.acknowledge",
	Fields:    []string{"lint.acknowledge[*].rule", "lint.acknowledge[*].at"},
	Hint:      "remove the acknowledgement, or correct its rule or at",
}

// LintRuleSets returns every rule file, sorted by name. The files are
// embedded, so they are read once.
func LintRuleSets() ([]LintRuleSet, error) {
	sets, err := loadRuleSets()
	if err != nil {
		return nil, err
	}
	out := slices.Clone(sets)
	for i := range out {
		out[i].Rules = slices.Clone(out[i].Rules)
	}
	return out, nil
}

var loadRuleSets = sync.OnceValues(readRuleSets)

func readRuleSets() ([]LintRuleSet, error) {
	names, err := fs.Glob(lintFiles, "lint/*.yaml")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []LintRuleSet
	seen := map[string]bool{}
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
		for i := range set.Rules {
			r := &set.Rules[i]
			r.Regime, r.Profile = set.Regime, set.Profile
			if err := r.check(); err != nil {
				return nil, fmt.Errorf("%s: rule %s: %w", n, r.ID, err)
			}
			if seen[r.ID] {
				return nil, fmt.Errorf("%s: rule %s defined twice", n, r.ID)
			}
			seen[r.ID] = true
		}
		out = append(out, set)
	}
	return out, nil
}

// check keeps the rule files honest: every rule names its element, clause,
// the fields it relies on and a way to check them.
func (r *LintRule) check() error {
	switch {
	case r.ID == "" || r.Element == "" || r.Clause == "" || r.Condition == "" || len(r.Fields) == 0 || r.Hint == "":
		return fmt.Errorf("needs id, element, clause, condition, fields and hint")
	case r.Severity != SeverityError && r.Severity != SeverityWarning:
		return fmt.Errorf("severity %q: want error or warning", r.Severity)
	case r.Check != "" && checks[r.Check] == nil:
		return fmt.Errorf("unknown check %q", r.Check)
	case r.When != "" && practices[r.When] == nil:
		return fmt.Errorf("unknown practice %q", r.When)
	case r.Check == "" && len(r.Need)+len(r.Any)+len(r.Exists) == 0:
		return fmt.Errorf("checks nothing: give need, any, exists or check")
	}
	for _, f := range r.Printed {
		if _, ok := ProseFuncByName(f); !ok {
			return fmt.Errorf("printed: unknown prose function %q", f)
		}
	}
	for _, f := range r.ElementIn {
		if !slices.Contains(r.Printed, f) {
			return fmt.Errorf("element_in: %q is not among printed", f)
		}
	}
	return nil
}

// LintRules returns every rule, in file order (files sorted by name).
func LintRules() ([]LintRule, error) {
	sets, err := LintRuleSets()
	if err != nil {
		return nil, err
	}
	var out []LintRule
	for _, s := range sets {
		out = append(out, s.Rules...)
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
	// Translations is the latest release's record of the translations;
	// stale ones are reported (StaleTranslationRule) when it is given.
	Translations *TranslationRecord
}

// Lint checks the policy against the rules of the given profiles (the
// policy's own when none are given). Findings are sorted by position.
func Lint(p *Policy, profiles []Jurisdiction) ([]Finding, error) {
	return LintWith(p, LintOptions{Profiles: profiles})
}

// lintContext is what checks see: the policy, the options, the profile of
// the rule being run.
type lintContext struct {
	p       *Policy
	o       LintOptions
	root    reflect.Value
	profile Jurisdiction
	shown   map[string]bool // practices judged so far, by name and profile
}

// shows judges a practice once per profile.
func (c *lintContext) shows(practice string) bool {
	key := practice + " " + string(c.profile)
	v, ok := c.shown[key]
	if !ok {
		v = practices[practice](c)
		c.shown[key] = v
	}
	return v
}

// LintWith is Lint with options. Acknowledged findings stay in the result,
// marked; an acknowledgement that matches no finding is a finding itself.
func LintWith(p *Policy, o LintOptions) ([]Finding, error) {
	profiles := o.Profiles
	if len(profiles) == 0 {
		profiles = p.Jurisdictions
	}
	rules, err := LintRules()
	if err != nil {
		return nil, err
	}
	c := &lintContext{p: p, o: o, root: reflect.ValueOf(p).Elem(), shown: map[string]bool{}}
	sections := sectionCalls(p)
	var out []Finding
	ran := map[string]bool{}
	for _, r := range rules {
		if r.Profile != "" && !slices.Contains(profiles, r.Profile) {
			continue
		}
		ran[r.ID] = true
		c.profile = r.Profile
		if r.When != "" && !c.shows(r.When) {
			continue
		}
		sec := sections.find(r.elementPrinters())
		if sec == nil {
			sec = sections.find(r.Printed)
		}
		fs, rule := c.run(&r), r
		if len(fs) == 0 && c.held(&r) {
			if fs = sections.unprinted(p, &r); len(fs) > 0 {
				sec = sections.find(r.elementPrinters()) // a locale's that prints it, else none
				rule.Hint = "call {{ " + r.elementPrinters()[0] + " }} in the section where the element belongs"
			}
		}
		for _, f := range fs {
			out = append(out, Finding{Rule: rule, Pos: f.pos, Path: f.path, Message: f.msg, Section: sec})
		}
	}
	if o.Translations != nil {
		ran[StaleTranslationRule.ID] = true
		out = append(out, staleTranslations(p, o.Translations)...)
	}
	out = acknowledge(p, out, ran)
	slices.SortStableFunc(out, func(a, b Finding) int {
		if c := a.Pos.Compare(b.Pos); c != 0 {
			return c
		}
		return strings.Compare(a.Rule.ID, b.Rule.ID)
	})
	return out, nil
}

// run applies one rule's vocabulary and its check.
func (c *lintContext) run(r *LintRule) []checkFinding {
	var out []checkFinding
	var items []hit
	if r.For == "" {
		items = []hit{{v: c.root, owner: nodeOf(c.root), found: true}}
	} else {
		items = resolve(c.root, r.For)
	}
	for _, it := range items {
		if !it.found || isEmptyModelValue(it.v) {
			continue
		}
		v := it.v
		for v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		for _, path := range r.Need {
			for _, h := range resolve(v, path) {
				if isEmptyModelValue(h.v) {
					out = append(out, checkFinding{h.pos(), join(it.path, h.path), fmt.Sprintf("%s: %s is missing", r.Element, join(it.path, h.path))})
				}
			}
		}
		if len(r.Any) > 0 {
			met := false
			var at hit
			for i, path := range r.Any {
				hs := resolve(v, path)
				if anyValue(hs) {
					met = true
					break
				}
				if i == 0 && len(hs) > 0 {
					at = hs[0]
				}
			}
			if !met {
				var names []string
				for _, a := range r.Any {
					names = append(names, join(it.path, a))
				}
				pos := at.pos()
				if at.owner == nil {
					if n := nodeOf(v); n != nil {
						pos = n.Pos()
					}
				}
				out = append(out, checkFinding{pos, join(it.path, r.Any[0]), fmt.Sprintf("%s: none of %s is given", r.Element, strings.Join(names, ", "))})
			}
		}
	}
	if len(r.Exists) > 0 {
		met := false
		for _, path := range r.Exists {
			if anyValue(resolve(c.root, path)) {
				met = true
				break
			}
		}
		if !met {
			out = append(out, checkFinding{listPos(c.root, r.Exists[0]), r.Exists[0], fmt.Sprintf("%s: no %s", r.Element, strings.Join(r.Exists, " or "))})
		}
	}
	if r.Check != "" {
		for _, f := range checks[r.Check](c) {
			f.msg = r.Element + ": " + f.msg
			out = append(out, f)
		}
	}
	return out
}

// held reports whether the rule's vocabulary finds its element in the
// model: it is required (the rule applies, on the policy or on at least
// one item) and given. A rule checked in Go judges when it applies itself,
// so it is not asked.
func (c *lintContext) held(r *LintRule) bool {
	if len(r.Printed) == 0 || len(r.Need)+len(r.Any)+len(r.Exists) == 0 || slices.ContainsFunc(r.Printed, headerPrints) {
		return false
	}
	if r.For == "" {
		return true
	}
	for _, it := range resolve(c.root, r.For) {
		if it.found && !isEmptyModelValue(it.v) {
			return true
		}
	}
	return false
}

// unprinted reports an element the model holds that the published
// document does not print: in no locale, or not in some locale, does a
// section call one of the prose functions that print it. The sections are
// the document, so a fact no section calls for is not published. A policy
// without sections (a model being built) is not judged.
func (x sectionIndex) unprinted(p *Policy, r *LintRule) []checkFinding {
	if len(x) == 0 {
		return nil
	}
	printers := r.elementPrinters()
	var missing []string
	for _, l := range policyLocales(p) {
		if !slices.ContainsFunc(x, func(s sectionCallSet) bool {
			return slices.ContainsFunc(printers, func(f string) bool { return s.byLocale[l][f] })
		}) {
			missing = append(missing, l)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	var calls []string
	for _, f := range printers {
		calls = append(calls, "{{ "+f+" }}")
	}
	where := "no section prints it"
	if len(missing) < len(policyLocales(p)) {
		where = "no section of the " + strings.Join(missing, ", ") + " version prints it"
	}
	return []checkFinding{{p.FieldPos("sections"), "sections", fmt.Sprintf("%s: the model holds it but %s (call %s in a section)", r.Element, where, strings.Join(calls, " or "))}}
}

// elementPrinters are the prose functions whose templates print the
// element itself.
func (r *LintRule) elementPrinters() []string {
	if len(r.ElementIn) > 0 {
		return r.ElementIn
	}
	return r.Printed
}

// headerPrints reports whether every document prints the prose function's
// fact in its header whatever the sections call: the dates stand in the
// line under the title.
func headerPrints(f string) bool { return f == "updated" }

// policyLocales are the locales the policy is published in ("" when it
// declares none).
func policyLocales(p *Policy) []string {
	if len(p.Locales) == 0 {
		return []string{""}
	}
	var out []string
	for _, l := range p.Locales {
		if !slices.Contains(out, string(l)) {
			out = append(out, string(l))
		}
	}
	return out
}

// acknowledge marks the findings the policy accepts and reports every
// acknowledgement that accepts none among the rules that ran (one for a
// profile not checked this time is not stale).
func acknowledge(p *Policy, fs []Finding, ran map[string]bool) []Finding {
	if p.Lint == nil {
		return fs
	}
	for i := range p.Lint.Acknowledge {
		a := &p.Lint.Acknowledge[i]
		used := false
		for j := range fs {
			f := &fs[j]
			if f.Acknowledged == nil && string(a.Rule) == f.Rule.ID && (a.At == "" || a.At == f.Path) {
				f.Acknowledged = a
				used = true
			}
		}
		if !used && ran[string(a.Rule)] {
			at := ""
			if a.At != "" {
				at = " at " + a.At
			}
			fs = append(fs, Finding{Rule: StaleAcknowledgementRule, Pos: a.Pos(), Path: fmt.Sprintf("lint.acknowledge[%d]", i),
				Message: fmt.Sprintf("%s: rule %s has no finding%s to acknowledge", StaleAcknowledgementRule.Element, a.Rule, at)})
		}
	}
	return fs
}

// sectionIndex is which prose functions each section calls, in reading
// order: the policy's sections, then each document's.
type sectionIndex []sectionCallSet

// sectionCallSet is a section and the functions it calls: in any locale,
// and by locale.
type sectionCallSet struct {
	ref      SectionRef
	calls    map[string]bool
	byLocale map[string]map[string]bool
}

func sectionCalls(p *Policy) sectionIndex {
	var out sectionIndex
	add := func(doc ID, ss []Section) {
		for _, s := range ss {
			set := sectionCallSet{ref: SectionRef{Document: doc, ID: s.ID, Anchor: string(s.ID), Title: textString(s.Title)},
				calls: map[string]bool{}, byLocale: map[string]map[string]bool{}}
			for _, l := range policyLocales(p) {
				set.byLocale[l] = map[string]bool{}
				cs, _ := ProseCalls(s.Body.Get(l))
				for _, c := range cs {
					set.calls[c.Func], set.byLocale[l][c.Func] = true, true
				}
			}
			out = append(out, set)
		}
	}
	add("", p.Sections)
	for _, d := range p.Documents {
		add(d.ID, d.Sections)
	}
	return out
}

// find is the first section calling one of the functions.
func (x sectionIndex) find(funcs []string) *SectionRef {
	for _, f := range funcs {
		for i := range x {
			if x[i].calls[f] {
				ref := x[i].ref
				return &ref
			}
		}
	}
	return nil
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
	filterValue string // alternatives separated by |
	filterNot   bool   // field!=value
}

func parsePath(path string) []segment {
	var out []segment
	for _, part := range strings.Split(path, ".") {
		s := segment{name: part}
		if i := strings.IndexByte(part, '['); i >= 0 && strings.HasSuffix(part, "]") {
			s.name, s.list = part[:i], true
			if f := part[i+1 : len(part)-1]; f != "*" {
				s.filterField, s.filterValue, _ = strings.Cut(f, "=")
				if strings.HasSuffix(s.filterField, "!") {
					s.filterField, s.filterNot = strings.TrimSuffix(s.filterField, "!"), true
				}
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
					if s.filterField != "" && matchesFilter(e, s.filterField, s.filterValue) == s.filterNot {
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
	alts := strings.Split(want, "|")
	if fv.Kind() == reflect.Slice {
		for i := range fv.Len() {
			if slices.Contains(alts, scalarString(fv.Index(i))) {
				return true
			}
		}
		return false
	}
	return slices.Contains(alts, scalarString(fv))
}

func scalarString(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case Ref:
		return string(x.ID)
	case Text:
		return textString(x)
	case PurposeBasis:
		return string(x.Basis) // a filter on legal_basis matches any of the bases
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
	switch x := v.Interface().(type) {
	case Text:
		return blankText(x)
	case []Text: // a list of statements says nothing when each is blank
		return !slices.ContainsFunc(x, func(t Text) bool { return !blankText(t) })
	}
	if v.Kind() == reflect.String {
		return strings.TrimSpace(v.String()) == ""
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

// blankText reports whether a text fails to state anything in a document
// it is published in: not given, whitespace only, or empty in one of its
// locales (validation asks that each locale be given, not that it say
// something), so that document lacks the element.
func blankText(t Text) bool {
	if t.byLocale == nil {
		return strings.TrimSpace(t.neutral) == ""
	}
	for _, v := range t.byLocale {
		if strings.TrimSpace(v) == "" {
			return true
		}
	}
	return false
}
