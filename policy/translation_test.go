package policy_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/policyc/policyc/policy"
)

func TestTranslationUnitsAreKeyedByModelPath(t *testing.T) {
	p := loadExample(t, "sdk-provider")
	units := policy.TranslationUnits(p)
	for _, k := range []policy.UnitKey{"title", "scope", "sections[introduction].body", "sections[introduction].title",
		"controller.legal_name", "controller.affiliates[beacon-network].name"} {
		if _, ok := policy.UnitByKey(units, k); !ok {
			t.Errorf("no unit %q among %d", k, len(units))
		}
	}
	// A text written once for every locale is not translated.
	if _, ok := policy.UnitByKey(units, "controller.short_name"); ok {
		t.Error("the language-neutral controller.short_name is a unit")
	}
}

// exampleFS holds an example's files, with some replaced (nil: removed).
func exampleFS(t testing.TB, name string, edit map[string]string) fstest.MapFS {
	t.Helper()
	dir := filepath.Join("..", "examples", name)
	m := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range edit {
		m[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return m
}

// replaceIn returns file's text with old replaced by new, failing when old
// is not there (so an example's rewording cannot make a test vacuous).
func replaceIn(t *testing.T, fsys fstest.MapFS, file, old, new string) string {
	t.Helper()
	s := string(fsys[file].Data)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	return strings.Replace(s, old, new, 1)
}

func loadFS(t *testing.T, fsys fs.FS) *policy.Policy {
	t.Helper()
	p, err := policy.LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// states maps "locale key" to the state of every unit not up to date.
func states(sts []policy.UnitStatus) map[string]string {
	m := map[string]string{}
	for _, s := range sts {
		if s.State != policy.UpToDate || s.Reviewed {
			v := s.State.String()
			if s.Reviewed {
				v += ", reviewed"
			}
			m[string(s.Locale)+" "+string(s.Key)] = v
		}
	}
	return m
}

func sameStates(t *testing.T, got map[string]string, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

func TestTranslationsWithoutARecordAreUpToDate(t *testing.T) {
	for _, name := range []string{"sdk-provider", "website"} {
		p := loadExample(t, name)
		sts, rec := policy.TranslationStatus(p, nil)
		sameStates(t, states(sts), map[string]string{})
		if rec.SourceLocale != p.Locales[0] {
			t.Errorf("%s: source locale %q, want the first declared %q", name, rec.SourceLocale, p.Locales[0])
		}
	}
}

func TestSourceChangeInAModelFieldMakesItsTranslationStale(t *testing.T) {
	base := exampleFS(t, "sdk-provider", nil)
	_, rec := policy.TranslationStatus(loadFS(t, base), nil)
	changed := exampleFS(t, "sdk-provider", nil)
	changed["policy.yaml"].Data = []byte(replaceIn(t, base, "policy.yaml", "our data services, and any product", "our data services, our consoles, and any product"))
	sts, next := policy.TranslationStatus(loadFS(t, changed), &rec)
	sameStates(t, states(sts), map[string]string{"zh-CN scope": "stale"})
	// Released as it is, the translation stays stale until it changes.
	sts, _ = policy.TranslationStatus(loadFS(t, changed), &next)
	sameStates(t, states(sts), map[string]string{"zh-CN scope": "stale"})
	// Translated: up to date.
	changed["policy.yaml"].Data = []byte(replaceIn(t, changed, "policy.yaml", "我们的数据服务", "我们的数据服务、我们的控制台"))
	sts, _ = policy.TranslationStatus(loadFS(t, changed), &next)
	sameStates(t, states(sts), map[string]string{})
}

func TestSourceChangeInASectionBodyMakesItsTranslationStale(t *testing.T) {
	base := exampleFS(t, "sdk-provider", nil)
	_, rec := policy.TranslationStatus(loadFS(t, base), nil)
	changed := exampleFS(t, "sdk-provider", nil)
	en := string(changed["sections/introduction.en.md"].Data)
	changed["sections/introduction.en.md"].Data = []byte(en + "\nWe also publish this policy in print on request.\n")
	sts, _ := policy.TranslationStatus(loadFS(t, changed), &rec)
	sameStates(t, states(sts), map[string]string{"zh-CN sections[introduction].body": "stale"})
	// A change to the translation alone is a translation made afresh.
	zh := exampleFS(t, "sdk-provider", nil)
	zh["sections/introduction.zh-CN.md"].Data = append(zh["sections/introduction.zh-CN.md"].Data, "\n补充说明。\n"...)
	sts, _ = policy.TranslationStatus(loadFS(t, zh), &rec)
	sameStates(t, states(sts), map[string]string{})
}

func TestReviewedTranslationIsUpToDateUntilTheSourceChangesAgain(t *testing.T) {
	base := exampleFS(t, "sdk-provider", nil)
	_, rec := policy.TranslationStatus(loadFS(t, base), nil)
	changed := exampleFS(t, "sdk-provider", nil)
	en := string(changed["sections/introduction.en.md"].Data) + "\nA new sentence.\n"
	changed["sections/introduction.en.md"].Data = []byte(en)
	var r policy.Reviews
	r.Mark("zh-CN", "sections[introduction].body", policy.Fingerprint(en))
	changed[policy.ReviewsFile] = &fstest.MapFile{Data: r.Marshal()}
	sts, next := policy.TranslationStatus(loadFS(t, changed), &rec)
	sameStates(t, states(sts), map[string]string{"zh-CN sections[introduction].body": "up to date, reviewed"})
	changed["sections/introduction.en.md"].Data = []byte(en + "\nAnother one.\n")
	sts, _ = policy.TranslationStatus(loadFS(t, changed), &next)
	sameStates(t, states(sts), map[string]string{"zh-CN sections[introduction].body": "stale"})
}

func TestMissingTranslationIsReported(t *testing.T) {
	fsys := exampleFS(t, "sdk-provider", nil)
	delete(fsys, "sections/introduction.zh-CN.md")
	p, err := policy.LoadFS(fsys)
	if err == nil || p == nil {
		t.Fatalf("a missing section file loads without error (%v)", err)
	}
	sts, _ := policy.TranslationStatus(p, nil)
	sameStates(t, states(sts), map[string]string{"zh-CN sections[introduction].body": "missing"})
}

func TestReviewsFileIsValidatedWithPositions(t *testing.T) {
	fsys := exampleFS(t, "sdk-provider", map[string]string{policy.ReviewsFile: "reviewed:\n  fr: {}\n  zh-CN:\n    sections[introductoin].body: 0123456789abcdef\n    scope: nope\n"})
	_, err := policy.LoadFS(fsys)
	want := []string{
		`translations.yaml:2:3: locale "fr" is not declared in locales`,
		`translations.yaml:4:5: unknown translation unit "sections[introductoin].body"; did you mean "sections[introduction].body"?`,
		`translations.yaml:5:12: "nope" is not a source fingerprint (16 hexadecimal digits)`,
	}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("errors %v\nlack %s", err, w)
		}
	}
}

func TestReviewsRoundTrip(t *testing.T) {
	var r policy.Reviews
	r.Mark("zh-CN", "sections[introduction].body", "0123456789abcdef")
	r.Mark("zh-CN", "scope", "fedcba9876543210")
	fsys := exampleFS(t, "sdk-provider", map[string]string{policy.ReviewsFile: string(r.Marshal())})
	p := loadFS(t, fsys)
	if got := string(p.Reviews.Marshal()); got != string(r.Marshal()) {
		t.Errorf("reviews read back as\n%s\nwant\n%s", got, r.Marshal())
	}
}

func TestSourceLocaleNamesTheLanguageTranslationsFollow(t *testing.T) {
	base := exampleFS(t, "sdk-provider", nil)
	base["policy.yaml"].Data = []byte(replaceIn(t, base, "policy.yaml", "source_locale: en", "source_locale: zh-CN"))
	_, rec := policy.TranslationStatus(loadFS(t, base), nil)
	if rec.SourceLocale != "zh-CN" || rec.Units["en"] == nil || rec.Units["zh-CN"] != nil {
		t.Fatalf("record for source zh-CN: %+v", rec.SourceLocale)
	}
	base["sections/introduction.zh-CN.md"].Data = append(base["sections/introduction.zh-CN.md"].Data, "\n补充说明。\n"...)
	sts, _ := policy.TranslationStatus(loadFS(t, base), &rec)
	sameStates(t, states(sts), map[string]string{"en sections[introduction].body": "stale"})

	base["policy.yaml"].Data = []byte(replaceIn(t, base, "policy.yaml", "source_locale: zh-CN", "source_locale: fr"))
	if _, err := policy.LoadFS(base); err == nil || !strings.Contains(err.Error(), `policy.yaml:6:1: source locale "fr" is not declared in locales`) {
		t.Errorf("an undeclared source locale: %v", err)
	}
}
