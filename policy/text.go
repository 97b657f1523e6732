package policy

import (
	"encoding/json"
	"maps"
	"slices"
)

// Text is a piece of text that may differ by locale. In YAML it is either a
// plain string or a mapping from locale to string:
//
//	name: IMEI                                  # the same in every locale
//	name: {en: Device identifiers, zh-CN: 设备标识符}
//
// A plain string is language-neutral: it is used for every locale. Fields
// that hold prose (sentences) must give one value per declared locale when a
// policy declares more than one; validation enforces that.
type Text struct {
	pos      Pos
	neutral  string
	byLocale map[string]string
	posOf    map[string]Pos
	block    map[string]int // locale → column offset of a literal block's lines (0: not a block)
	fromFile bool           // read from section files: locale coverage is checked on the file names
}

// NeutralText returns a language-neutral text.
func NeutralText(s string) Text { return Text{neutral: s} }

// LocalizedText returns a text with one value per locale.
func LocalizedText(m map[string]string) Text { return Text{byLocale: maps.Clone(m)} }

// IsZero reports whether the text was not given.
func (t Text) IsZero() bool { return t.neutral == "" && len(t.byLocale) == 0 }

// IsNeutral reports whether the text was written as a plain string.
func (t Text) IsNeutral() bool { return t.byLocale == nil && t.neutral != "" }

// Pos is where the text stands in the source.
func (t Text) Pos() Pos { return t.pos }

// Get returns the text for a locale: the locale's own value, else the neutral
// value. Validation guarantees a value for every declared locale.
func (t Text) Get(locale string) string {
	if v, ok := t.byLocale[locale]; ok {
		return v
	}
	return t.neutral
}

// Has reports whether the text has a value for the locale.
func (t Text) Has(locale string) bool {
	if t.byLocale == nil {
		return t.neutral != ""
	}
	_, ok := t.byLocale[locale]
	return ok
}

// Locales lists the locales the text was written for, sorted; nil when neutral.
func (t Text) Locales() []string {
	return slices.Sorted(maps.Keys(t.byLocale))
}

// PosOf is where the value for a locale starts.
func (t Text) PosOf(locale string) Pos {
	if p, ok := t.posOf[locale]; ok {
		return p
	}
	return t.pos
}

// BlockIndent reports, for a value written as a YAML literal block (|), the
// column offset of its lines; ok is false for other styles, whose inner
// positions cannot be mapped line for line.
func (t Text) BlockIndent(locale string) (indent int, ok bool) {
	i, ok := t.block[locale]
	return i, ok && i > 0
}

// MarshalJSON writes a neutral text as a string and a localized one as an
// object with sorted keys.
func (t Text) MarshalJSON() ([]byte, error) {
	if t.byLocale == nil {
		return json.Marshal(t.neutral)
	}
	return json.Marshal(t.byLocale)
}
