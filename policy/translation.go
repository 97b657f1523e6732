package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// UnitKey names a translation unit by its place in the model, as a model
// path written the way lint reports positions: sections[intro].body,
// data_categories[location].name, documents[kids].sections[scope].title.
// Elements of a list are named by their id, so a key survives reordering.
type UnitKey string

// Unit is one translatable text: a localised field of the model or a
// section's body.
type Unit struct {
	Key  UnitKey
	Text Text
	// file is, for a section body, the section's file field: the body
	// of a locale that has none is written to the file it names.
	file Text
	// neutral: prose written once, as a plain string (or one section file
	// without {locale}), in a policy of several locales; it is missing in
	// every locale but the source locale.
	neutral bool
}

// Missing reports whether the unit has no translation into loc.
func (u Unit) Missing(loc Locale) bool { return u.neutral || !u.Text.Has(string(loc)) }

// SourceLanguage is the locale translations are made from: source_locale
// when given, else the first declared locale.
func (p *Policy) SourceLanguage() Locale {
	if p.SourceLocale != "" {
		return p.SourceLocale
	}
	if len(p.Locales) > 0 {
		return p.Locales[0]
	}
	return ""
}

// TranslationUnits lists the policy's translation units in model order.
// A text written as a plain string is the same in every locale and is not
// translated, so it is not a unit, unless it is prose in a policy of
// several locales (validation requires those translated); neither are
// file names, nor the reasons of lint acknowledgements, which are notes
// for the policy's authors.
func TranslationUnits(p *Policy) []Unit {
	var units []Unit
	w := unitWalker{multi: len(p.Locales) > 1, units: &units}
	w.walk(reflect.ValueOf(p).Elem(), "", false)
	return units
}

type unitWalker struct {
	multi bool // the policy declares several locales
	units *[]Unit
}

func (w unitWalker) walk(v reflect.Value, path string, prose bool) {
	units := w.units
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			w.walk(v.Elem(), path, prose)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			label := strconv.Itoa(i)
			if e.CanAddr() {
				if id, ok := e.Addr().Interface().(identified); ok {
					if x, _ := id.identity(); x != "" {
						label = string(x)
					}
				}
			}
			w.walk(e, path+"["+label+"]", prose)
		}
	case reflect.Struct:
		if v.Type() == textType {
			t := v.Interface().(Text)
			switch {
			case t.byLocale != nil:
				*units = append(*units, Unit{Key: UnitKey(path), Text: t})
			case w.multi && prose && t.neutral != "":
				*units = append(*units, Unit{Key: UnitKey(path), Text: t, neutral: true})
			}
			return
		}
		var file Text
		if f := v.FieldByName("File"); f.IsValid() && f.Type() == textType {
			file = f.Interface().(Text)
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "" || name == "-" || name == "file" || name == "lint" {
				continue
			}
			p := name
			if path != "" {
				p = path + "." + name
			}
			n := len(*units)
			w.walk(v.Field(i), p, hasOpt(f.Tag.Get("policy"), "prose"))
			if name == "body" && len(*units) > n {
				(*units)[n].file = file
			}
		}
	}
}

// Fingerprint identifies a text's exact content: the first 16 hex digits
// of its SHA-256, enough to tell one revision of a unit from another.
func Fingerprint(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// UnitPrint records, for one unit in one locale, the fingerprint of the
// translation and of the source text it was last made or reviewed against.
type UnitPrint struct {
	Translation string `json:"translation"`
	Source      string `json:"source"`
}

// TranslationRecord is what a release records about its translations:
// per locale (other than the source locale) and unit, its fingerprints.
type TranslationRecord struct {
	SourceLocale Locale                           `json:"source_locale"`
	Units        map[Locale]map[UnitKey]UnitPrint `json:"units"`
	// Stale lists, per locale, the units stale when the record was made.
	Stale map[Locale][]UnitKey `json:"stale,omitempty"`
}

// UnitState is how a unit stands in one locale.
type UnitState int

const (
	UpToDate UnitState = iota // made or reviewed against the current source text
	Stale                     // the source text changed since
	Missing                   // no translation for the locale
)

func (s UnitState) String() string {
	return [...]string{"up to date", "stale", "missing"}[s]
}

// MarshalText writes the state as JSON reports it.
func (s UnitState) MarshalText() ([]byte, error) {
	return []byte([...]string{"up-to-date", "stale", "missing"}[s]), nil
}

// UnitStatus is one unit's state in one locale.
type UnitStatus struct {
	Key    UnitKey
	Locale Locale
	State  UnitState
	// Pos is where the translation stands (for a missing one, where the
	// unit stands).
	Pos Pos
	// Source is the current source text; Basis the fingerprint of the
	// source text the translation was made or reviewed against.
	Source, Basis string
	// Reviewed: the translation was marked reviewed against the current
	// source text.
	Reviewed bool
}

// TranslationStatus compares the policy's translations with the record of
// the last release (nil: none, so every translation counts as made against
// the source text it stands beside) and the reviews in translations.yaml.
// It returns each unit's state per locale, locales in declared order and
// units in model order, and the record a release of this policy keeps.
func TranslationStatus(p *Policy, last *TranslationRecord) ([]UnitStatus, TranslationRecord) {
	src := p.SourceLanguage()
	rec := TranslationRecord{SourceLocale: src, Units: map[Locale]map[UnitKey]UnitPrint{}}
	var out []UnitStatus
	units := TranslationUnits(p)
	for _, loc := range p.Locales {
		if loc == src {
			continue
		}
		prints := map[UnitKey]UnitPrint{}
		for _, u := range units {
			source := u.Text.Get(string(src))
			st := UnitStatus{Key: u.Key, Locale: loc, Source: source, Pos: u.Text.PosOf(string(loc))}
			if u.Missing(loc) {
				st.State, st.Pos = Missing, u.Text.Pos()
				out = append(out, st)
				continue
			}
			now := UnitPrint{Translation: Fingerprint(u.Text.Get(string(loc))), Source: Fingerprint(source)}
			basis := now.Source
			if prev, ok := last.print(loc, u.Key); ok && prev.Translation == now.Translation {
				basis = prev.Source // unchanged translation: still made against the old source
			}
			if r, ok := p.Reviews.reviewed(loc, u.Key); ok && basis != now.Source && r.Source == now.Source {
				basis, st.Reviewed = now.Source, true
			}
			st.Basis = basis
			if basis != now.Source {
				st.State = Stale
				if rec.Stale == nil {
					rec.Stale = map[Locale][]UnitKey{}
				}
				rec.Stale[loc] = append(rec.Stale[loc], u.Key)
			}
			prints[u.Key] = UnitPrint{Translation: now.Translation, Source: basis}
			out = append(out, st)
		}
		if len(prints) > 0 {
			rec.Units[loc] = prints
		}
	}
	return out, rec
}

func (r *TranslationRecord) print(loc Locale, key UnitKey) (UnitPrint, bool) {
	if r == nil {
		return UnitPrint{}, false
	}
	u, ok := r.Units[loc][key]
	return u, ok
}

// UnitByKey finds a unit.
func UnitByKey(units []Unit, key UnitKey) (Unit, bool) {
	i := slices.IndexFunc(units, func(u Unit) bool { return u.Key == key })
	if i < 0 {
		return Unit{}, false
	}
	return units[i], true
}

// StaleTranslationRule reports a translation whose source text changed
// since it was made or reviewed.
var StaleTranslationRule = LintRule{
	ID: "translation-stale", Severity: SeverityWarning, Regime: "translations", Clause: "policyc",
	Element:   "each translation reflects its current source text",
	Condition: "every translation unit of a locale other than the source locale",
	Fields:    []string{"source_locale", "locales"},
	Hint:      "update the translation, or mark it reviewed with policyc translations review",
}

func staleTranslations(p *Policy, last *TranslationRecord) []Finding {
	sts, _ := TranslationStatus(p, last)
	var out []Finding
	for _, s := range sts {
		if s.State == Stale {
			out = append(out, Finding{Rule: StaleTranslationRule, Pos: s.Pos, Path: string(s.Key),
				Message: fmt.Sprintf("the %s translation of %s is stale: its %s source text changed since it was made or reviewed", s.Locale, s.Key, p.SourceLanguage())})
		}
	}
	return out
}
