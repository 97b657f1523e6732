package policy

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Validate checks what the decoder cannot see field by field: unique ids,
// references, locales, consent for sensitive data, dates and the prose's
// fact references. It returns every problem found.
func (p *Policy) Validate() ErrorList {
	v := &validator{p: p, ids: map[string]map[ID]Pos{}}
	v.locales()
	v.index()
	v.texts(reflect.ValueOf(p).Elem(), nil)
	v.references()
	v.rules()
	v.prose()
	return v.errs
}

type validator struct {
	p    *Policy
	errs ErrorList
	ids  map[string]map[ID]Pos // kind → id → where defined
}

func (v *validator) locales() {
	seen := map[Locale]bool{}
	for i, l := range v.p.Locales {
		if seen[l] {
			v.errs.add(v.p.FieldPos("locales"), "locale %q is listed twice (entry %d)", l, i+1)
		}
		seen[l] = true
	}
	js := map[Jurisdiction]bool{}
	for _, j := range v.p.Jurisdictions {
		if js[j] {
			v.errs.add(v.p.FieldPos("jurisdictions"), "jurisdiction %q is listed twice", j)
		}
		js[j] = true
	}
}

// define records an id of a kind, reporting a duplicate.
func (v *validator) define(kind string, id ID, at Pos) {
	if id == "" {
		return
	}
	m := v.ids[kind]
	if m == nil {
		m = map[ID]Pos{}
		v.ids[kind] = m
	}
	if first, dup := m[id]; dup {
		v.errs.add(at, "duplicate %s id %q (first defined at %s)", kind, id, first)
		return
	}
	m[id] = at
}

// identified is any model element with an id.
type identified interface{ identity() (ID, Pos) }

// defineAll records the ids of a list of elements of one kind.
func defineAll[T any, P interface {
	*T
	identified
}](v *validator, kind string, xs []T) {
	for i := range xs {
		id, at := P(&xs[i]).identity()
		v.define(kind, id, at)
	}
}

func (v *validator) index() {
	p := v.p
	defineAll(v, "subject", p.Subjects)
	defineAll(v, "purpose", p.Purposes)
	defineAll(v, "data category", p.DataCategories)
	defineAll(v, "activity", p.Activities)
	defineAll(v, "SDK", p.SDKs)
	defineAll(v, "recipient", p.Recipients)
	defineAll(v, "right", p.Rights)
	defineAll(v, "channel", p.Contacts.Channels)
	defineAll(v, "retention rule", p.Storage.Retention)
	defineAll(v, "transfer route", p.Storage.CrossBorder.Routes)
	defineAll(v, "affiliate", p.Controller.Affiliates)
	defineAll(v, "ownership fact", p.Controller.Ownership)
	defineAll(v, "consent exception", p.Exceptions)
	for _, d := range []*Disclosure{&p.Sharing, &p.Transfer, &p.Disclosure} {
		defineAll(v, "case", d.Cases)
	}
	defineAll(v, "security measure", p.Security.Measures)
	defineAll(v, "certification", p.Security.Certifications)
	if p.Cookies != nil {
		defineAll(v, "cookie kind", p.Cookies.Kinds)
	}
	defineAll(v, "term", p.Glossary)
	defineAll(v, "document", p.Documents)
	// Section ids are anchors and link targets across all documents.
	defineAll(v, "section", p.Sections)
	for _, d := range p.Documents {
		defineAll(v, "section", d.Sections)
	}
}

// listOf names the top-level list that defines each kind of id.
var listOf = map[string]string{
	"subject": "subjects", "purpose": "purposes", "data category": "data_categories",
	"activity": "activities", "SDK": "sdks", "recipient": "recipients", "right": "rights",
	"consent exception": "consent_exceptions", "term": "glossary", "section": "sections",
}

// resolve reports a reference to an id that is not defined.
func (v *validator) resolve(kind string, rs ...Ref) {
	if v.p.incomplete[listOf[kind]] {
		return // the list's file could not be read: already reported
	}
	for _, r := range rs {
		if r.ID == "" {
			continue
		}
		if _, ok := v.ids[kind][r.ID]; ok {
			continue
		}
		v.errs.add(r.pos, "%s", v.unknown(kind, string(r.ID)))
	}
}

func (v *validator) unknown(kind, id string) string {
	msg := fmt.Sprintf("unknown %s %q", kind, id)
	known := make([]string, 0, len(v.ids[kind]))
	for k := range v.ids[kind] {
		known = append(known, string(k))
	}
	slices.Sort(known)
	if s := suggest(id, known); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else if len(known) == 0 {
		msg += fmt.Sprintf(" (no %s is defined)", kind)
	}
	return msg
}

func (v *validator) references() {
	p := v.p
	for _, c := range p.DataCategories {
		v.resolve("retention rule", c.Retention)
		v.resolve("subject", c.Subjects...)
	}
	for _, a := range p.Activities {
		v.resolve("subject", a.Subjects...)
		v.resolve("data category", a.Uses...)
		v.resolve("purpose", a.Purposes...)
		v.resolve("SDK", a.SDKs...)
		v.resolve("recipient", a.Recipients...)
	}
	for _, s := range p.SDKs {
		v.resolve("purpose", s.Purposes...)
		v.resolve("data category", s.Collects...)
	}
	for _, r := range p.Recipients {
		v.resolve("purpose", r.Purposes...)
		v.resolve("data category", r.Data...)
	}
	for _, d := range []Disclosure{p.Sharing, p.Transfer, p.Disclosure} {
		for _, c := range d.Cases {
			v.resolve("recipient", c.Recipients...)
		}
	}
	for _, a := range p.Activities {
		for _, it := range a.Items {
			v.resolve("data category", it.Category)
			if it.Category.ID != "" && !a.Uses.Contains(it.Category.ID) {
				v.errs.add(it.Category.pos, "item %q of activity %q belongs to data category %q, which the activity does not use", short(it.Item.Get(v.defaultLocale())), a.ID, it.Category.ID)
			}
		}
	}
	for _, r := range p.Storage.CrossBorder.Routes {
		v.resolve("recipient", r.Recipient)
		v.resolve("data category", r.Data...)
		v.resolve("purpose", r.Purposes...)
	}
	if c := p.Children; c != nil {
		v.resolve("data category", c.Collects...)
		v.resolve("channel", c.Contact...)
		v.resolve("document", c.Rules)
	}
	for _, r := range p.Rights {
		v.resolve("channel", r.Channels...)
	}
	if p.Cookies != nil {
		for _, k := range p.Cookies.Kinds {
			v.resolve("purpose", k.Purposes...)
			v.resolve("data category", k.Collects...)
		}
	}
}

// rules checks facts against each other.
func (v *validator) rules() {
	p := v.p
	v.acknowledgements()
	if !p.Updated.IsZero() && !p.Effective.IsZero() && p.Effective.Before(p.Updated) {
		v.errs.add(p.FieldPos("effective"), "effective date %s is before the last-updated date %s", p.Effective, p.Updated)
	}
	cats := map[ID]*DataCategory{}
	for i := range p.DataCategories {
		c := &p.DataCategories[i]
		cats[c.ID] = c
		if c.SensitiveKind != "" && !c.Sensitive {
			v.errs.add(c.FieldPos("sensitive_kind"), "data category %q has a sensitive_kind but is not marked sensitive: true", c.ID)
		}
		seen := map[string]bool{}
		for _, it := range c.Items {
			key := it.Get(v.defaultLocale())
			if seen[key] {
				v.errs.add(it.Pos(), "item %q is listed twice in data category %q", short(key), c.ID)
			}
			seen[key] = true
		}
	}
	// Sensitive data used without separate consent is a valid model: real
	// policies rely on blanket consent, and whether a regime requires
	// separate consent (PIPL Art. 29) is for lint to say, not validation.
	for _, ch := range p.Contacts.Channels {
		if !ch.Has("value") {
			continue // a channel named without an address, such as in-app service
		}
		var err error
		switch ch.Kind {
		case "email":
			_, err = ParseEmail(ch.Value)
		case "phone":
			_, err = ParsePhone(ch.Value)
		case "web", "online-service":
			_, err = ParseURL(ch.Value)
		}
		if err != nil {
			v.errs.add(ch.FieldPos("value"), "channel %q of kind %s: %v", ch.ID, ch.Kind, err)
		}
	}
	if cb := p.Storage.CrossBorder; !cb.Transfers && len(cb.Routes) > 0 {
		v.errs.add(cb.FieldPos("routes"), "cross-border routes are listed but transfers is not true")
	}
	for _, pu := range p.Purposes {
		v.basesOnce(pu.LegalBasis, "purpose", pu.ID)
	}
	for _, a := range p.Activities {
		v.basesOnce(a.LegalBasis, "activity", a.ID)
	}
	for _, r := range p.Storage.CrossBorder.Routes {
		seen := map[Mechanism]bool{}
		for _, m := range r.Mechanism {
			if seen[m] {
				v.errs.add(r.FieldPos("mechanism"), "transfer route %q lists mechanism %q twice", r.ID, m)
			}
			seen[m] = true
		}
	}
	for _, r := range p.Storage.Retention {
		if r.Period.IsZero() && r.Minimum.IsZero() && r.Maximum.IsZero() && r.Criteria.IsZero() && r.fields != nil {
			v.errs.add(r.Pos(), "retention rule %q says nothing of how long: give period, minimum, maximum or criteria", r.ID)
		}
		if !r.Period.IsZero() && (!r.Minimum.IsZero() || !r.Maximum.IsZero()) {
			v.errs.add(r.FieldPos("period"), "retention rule %q gives a fixed period and a minimum or maximum: keep one", r.ID)
		}
		if !r.Minimum.IsZero() && !r.Maximum.IsZero() && r.Maximum.ApproxDays() < r.Minimum.ApproxDays() {
			v.errs.add(r.FieldPos("maximum"), "retention rule %q: maximum %s is shorter than minimum %s", r.ID, r.Maximum, r.Minimum)
		}
	}
	limits := []*RequestLimit{p.Requests.Limit}
	for _, r := range p.Rights {
		limits = append(limits, r.Limit)
	}
	for _, l := range limits {
		if l != nil && l.Has("times") && l.Times < 1 {
			v.errs.add(l.FieldPos("times"), "request limit of %d: give at least 1 request", l.Times)
		}
	}
	if c := p.Children; c != nil {
		// Whether guardian consent must be stated is the law's to say: lint
		// (pipl-31-guardian-consent and the like), met by guardian_consent
		// or age_bands.
		for i, b := range c.AgeBands {
			if b.Under != 0 && b.Under <= b.From {
				v.errs.add(b.FieldPos("under"), "age band %d ends (under %d) where it starts (from %d) or before", i+1, b.Under, b.From)
			}
			if b.Under > 21 || b.From > 21 {
				v.errs.add(b.Pos(), "age band %d: ages above 21 are out of range", i+1)
			}
			for j, o := range c.AgeBands[:i] {
				if fmt.Sprint(o.Jurisdictions) == fmt.Sprint(b.Jurisdictions) && o.Regions.Get(v.defaultLocale()) == b.Regions.Get(v.defaultLocale()) && overlaps(o, b) {
					v.errs.add(b.Pos(), "age band %d overlaps age band %d for the same readers", i+1, j+1)
				}
			}
		}
	}
	if c := p.Children; c != nil {
		if c.Has("age") && (c.AgeThreshold < 1 || c.AgeThreshold > 21) {
			v.errs.add(c.FieldPos("age"), "children's age threshold %d is out of range (1 to 21)", c.AgeThreshold)
		}
		if c.MinorAge != 0 && c.MinorAge < c.AgeThreshold {
			v.errs.add(c.FieldPos("minor_age"), "minor_age %d is below the children's age threshold %d", c.MinorAge, c.AgeThreshold)
		}
		if c.Rules.ID != "" {
			for _, d := range p.Documents {
				if d.ID == c.Rules.ID && d.Kind != "children-rules" {
					v.errs.add(c.Rules.pos, "document %q is of kind %q, not children-rules", d.ID, d.Kind)
				}
			}
		}
	}
	if ia := p.Changes.ImpactAssessment; ia != nil && !p.Updated.IsZero() && p.Updated.Before(ia.Date) {
		v.errs.add(ia.FieldPos("date"), "impact assessment dated %s, after the policy's last-updated date %s", ia.Date, p.Updated)
	}
	check := func(ss []Section) {
		for _, s := range ss {
			if s.fields == nil {
				continue // empty or not a mapping: reported as such already
			}
			if s.Body.IsZero() && s.File.IsZero() && !s.Has("file") {
				v.errs.add(s.Pos(), "section %q has neither body nor file", s.ID)
			}
		}
	}
	// A raise whose path names no fact of the model would never apply.
	for _, r := range p.Changes.Raise {
		if _, err := ParsePattern(r.Path); err != nil {
			v.errs.add(r.FieldPos("path"), "changes.raise: %v", err)
		}
	}
	check(p.Sections)
	for _, d := range p.Documents {
		check(d.Sections)
	}
}

func (v *validator) defaultLocale() string {
	if len(v.p.Locales) == 0 {
		return ""
	}
	return string(v.p.Locales[0])
}

// texts walks every Text in the model and checks it against the declared
// locales: a localized text must give exactly the declared locales; prose
// written as a plain string is only allowed when there is one locale.
func (v *validator) texts(rv reflect.Value, f *field) {
	switch rv.Kind() {
	case reflect.Pointer:
		if !rv.IsNil() {
			v.texts(rv.Elem(), f)
		}
	case reflect.Slice:
		for i := range rv.Len() {
			v.texts(rv.Index(i), f)
		}
	case reflect.Struct:
		if rv.Type() == textType {
			v.text(rv.Interface().(Text), f)
			return
		}
		si := infoOf(rv.Type())
		for i := range si.fields {
			v.texts(rv.Field(si.fields[i].index), &si.fields[i])
		}
	}
}

func (v *validator) text(t Text, f *field) {
	if t.IsZero() || len(v.p.Locales) == 0 {
		return
	}
	var declared []string
	for _, l := range v.p.Locales {
		if !slices.Contains(declared, string(l)) {
			declared = append(declared, string(l))
		}
	}
	if t.IsNeutral() {
		if f != nil && f.name == "file" && len(declared) > 1 && !strings.Contains(t.neutral, "{locale}") {
			v.errs.addUntranslated(t.pos, "section file %q serves every locale: put {locale} in its name or give one file per locale (%s)", short(t.neutral), strings.Join(declared, ", "))
		}
		if f != nil && f.prose && len(declared) > 1 && !t.fromFile {
			v.errs.addUntranslated(t.pos, "text is not translated: give one value per locale (%s)", strings.Join(declared, ", "))
		}
		return
	}
	for _, l := range t.Locales() {
		if !slices.Contains(declared, l) {
			v.errs.add(t.PosOf(l), "locale %q is not declared in locales (%s)", l, strings.Join(declared, ", "))
		}
	}
	var missing []string
	for _, l := range declared {
		if !t.Has(l) {
			missing = append(missing, l)
		}
	}
	if len(missing) > 0 && !t.fromFile {
		if slices.Contains(missing, string(v.p.SourceLanguage())) {
			v.errs.add(t.pos, "text has no %s version", strings.Join(missing, ", "))
		} else {
			v.errs.addUntranslated(t.pos, "text has no %s version", strings.Join(missing, ", "))
		}
	}
}

// acknowledgements checks that each accepted lint finding names a rule that
// exists: a mistyped id would otherwise accept nothing, silently.
func (v *validator) acknowledgements() {
	if v.p.Lint == nil {
		return
	}
	rules, err := LintRules()
	if err != nil {
		return // the rule files are embedded; their tests catch this
	}
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	for _, a := range v.p.Lint.Acknowledge {
		if !slices.Contains(ids, string(a.Rule)) {
			hint := ""
			if s := suggest(string(a.Rule), ids); s != "" {
				hint = fmt.Sprintf("; did you mean %q?", s)
			}
			v.errs.add(a.FieldPos("rule"), "unknown lint rule %q%s", a.Rule, hint)
		}
	}
}

// overlaps reports whether two age bands share an age; an absent under is
// open-ended.
func overlaps(a, b AgeBand) bool {
	end := func(x AgeBand) int {
		if x.Under == 0 {
			return 1 << 20
		}
		return x.Under
	}
	return a.From < end(b) && b.From < end(a)
}

// basesOnce reports a legal basis given twice, for the same readers, to a
// purpose or an activity.
func (v *validator) basesOnce(bs LegalBases, kind string, id ID) {
	seen := map[string]bool{}
	for _, b := range bs {
		key := string(b.Basis) + "|" + b.Regions.Get(v.defaultLocale()) + "|" + fmt.Sprint(b.Jurisdictions)
		if seen[key] {
			v.errs.add(b.FieldPos("basis"), "legal basis %q is given twice for %s %q", b.Basis, kind, id)
		}
		seen[key] = true
	}
}
