package policy

import (
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ReviewsFile records translations checked against their source text and
// found right as they are. It is part of the model's source: versioned with
// it and archived with every release.
const ReviewsFile = "translations.yaml"

// Reviews is what ReviewsFile says: per locale and unit, the fingerprint of
// the source text the translation was reviewed against.
type Reviews struct {
	byLocale map[Locale]map[UnitKey]Review
}

// Review is one reviewed unit.
type Review struct {
	Source string // fingerprint of the source text reviewed against
	Pos    Pos
}

func (r Reviews) reviewed(loc Locale, key UnitKey) (Review, bool) {
	x, ok := r.byLocale[loc][key]
	return x, ok
}

// Mark records that the unit's translation in loc was reviewed against the
// source text with the given fingerprint.
func (r *Reviews) Mark(loc Locale, key UnitKey, source string) {
	if r.byLocale == nil {
		r.byLocale = map[Locale]map[UnitKey]Review{}
	}
	if r.byLocale[loc] == nil {
		r.byLocale[loc] = map[UnitKey]Review{}
	}
	r.byLocale[loc][key] = Review{Source: source}
}

// Marshal writes the reviews as ReviewsFile holds them, locales and keys
// sorted so that the same reviews give the same bytes.
func (r Reviews) Marshal() []byte {
	var b strings.Builder
	b.WriteString("# Translations reviewed against their source text and found right as they are:\n")
	b.WriteString("# locale → unit → fingerprint of the source text reviewed (policyc translations review).\n")
	b.WriteString("reviewed:\n")
	for _, loc := range slices.Sorted(maps.Keys(r.byLocale)) {
		b.WriteString("  " + yamlKey(string(loc)) + ":\n")
		for _, key := range slices.Sorted(maps.Keys(r.byLocale[loc])) {
			b.WriteString("    " + yamlKey(string(key)) + ": \"" + r.byLocale[loc][key].Source + "\"\n")
		}
	}
	return []byte(b.String())
}

// yamlKey quotes a key when YAML would read it otherwise than as written.
func yamlKey(s string) string {
	var n yaml.Node
	n.SetString(s)
	out, err := yaml.Marshal(&n)
	if err != nil {
		return s
	}
	return strings.TrimSuffix(string(out), "\n")
}

// loadReviews reads ReviewsFile when the policy has one. Every entry must
// name a declared locale other than the source locale, a unit of the model
// and a fingerprint.
func (l *loader) loadReviews() {
	if src := l.p.SourceLocale; src != "" && !slices.Contains(l.p.Locales, src) {
		l.errs.add(l.p.FieldPos("source_locale"), "source locale %q is not declared in locales", src)
	}
	if _, err := fs.Stat(l.fsys, ReviewsFile); errors.Is(err, fs.ErrNotExist) {
		return
	}
	_, root := l.parse(ReviewsFile, Pos{File: ReviewsFile, Line: 1, Col: 1})
	if root == nil {
		return
	}
	at := func(n *yaml.Node) Pos { return Pos{File: ReviewsFile, Line: n.Line, Col: n.Column} }
	if root.Kind != yaml.MappingNode {
		l.errs.add(at(root), "%s holds a mapping with the key reviewed", ReviewsFile)
		return
	}
	units := TranslationUnits(l.p)
	src := l.p.SourceLanguage()
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "reviewed" {
			l.errs.add(at(k), "unknown key %q in %s (expected reviewed)", k.Value, ReviewsFile)
			continue
		}
		if v.Kind != yaml.MappingNode {
			if !isNull(v) {
				l.errs.add(at(v), "reviewed is a mapping from locale to reviewed units")
			}
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			lk, lv := v.Content[j], v.Content[j+1]
			loc := Locale(lk.Value)
			switch {
			case !slices.Contains(l.p.Locales, loc):
				l.errs.add(at(lk), "locale %q is not declared in locales", lk.Value)
				continue
			case loc == src:
				l.errs.add(at(lk), "locale %q is the source locale: it has no translations to review", lk.Value)
				continue
			case lv.Kind != yaml.MappingNode:
				if !isNull(lv) {
					l.errs.add(at(lv), "the reviews of %s are a mapping from unit to source fingerprint", lk.Value)
				}
				continue
			}
			for m := 0; m+1 < len(lv.Content); m += 2 {
				uk, uv := lv.Content[m], lv.Content[m+1]
				key := UnitKey(uk.Value)
				if _, ok := UnitByKey(units, key); !ok {
					l.errs.add(at(uk), "unknown translation unit %q%s", uk.Value, SuggestUnit(units, key))
					continue
				}
				if uv.Kind != yaml.ScalarNode || !isFingerprint(uv.Value) {
					l.errs.add(at(uv), "%q is not a source fingerprint (16 hexadecimal digits)", uv.Value)
					continue
				}
				l.p.Reviews.Mark(loc, key, uv.Value)
				l.p.Reviews.byLocale[loc][key] = Review{Source: uv.Value, Pos: at(uk)}
			}
		}
	}
}

func isFingerprint(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// SuggestUnit says "; did you mean …?" when a unit's key is close to key.
func SuggestUnit(units []Unit, key UnitKey) string {
	var names []string
	for _, u := range units {
		names = append(names, string(u.Key))
	}
	if s := suggest(string(key), names); s != "" {
		return "; did you mean \"" + s + "\"?"
	}
	return ""
}
