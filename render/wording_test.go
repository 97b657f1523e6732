package render_test

import (
	"bytes"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// mutations changes one fact of p at a time, reaching every field of the
// model the example fills: each leaf gets another value, each pointer is
// dropped, each list loses its first element. fn sees the model changed
// and the change is undone after it.
func mutations(p *policy.Policy, fn func(what string)) {
	var walk func(v reflect.Value, where string)
	walk = func(v reflect.Value, where string) {
		t := v.Type()
		set := func(nv reflect.Value) {
			old := reflect.New(t).Elem()
			old.Set(v)
			v.Set(nv)
			fn(where)
			v.Set(old)
		}
		switch {
		case t == reflect.TypeFor[policy.Text]():
			if !v.Interface().(policy.Text).IsZero() {
				set(reflect.ValueOf(policy.LocalizedText(map[string]string{"en": "Example Trading Pte. Ltd.", "zh-CN": "示例贸易有限公司"})))
			}
			return
		case t == reflect.TypeFor[policy.Ref]():
			return
		case t == reflect.TypeFor[policy.Duration]():
			d := v.Interface().(policy.Duration)
			set(reflect.ValueOf(policy.Duration{N: d.N + 7, Unit: policy.Days}))
			return
		case t == reflect.TypeFor[policy.Date]():
			d := v.Interface().(policy.Date)
			set(reflect.ValueOf(policy.Date{Year: d.Year + 1, Month: 1, Day: 2}))
			return
		case t == reflect.TypeFor[policy.Node]():
			return
		}
		switch t.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				return
			}
			set(reflect.Zero(t))
			walk(v.Elem(), where)
		case reflect.Struct:
			for i := range t.NumField() {
				if t.Field(i).IsExported() && t.Field(i).Tag.Get("yaml") != "-" {
					walk(v.Field(i), where+"."+t.Field(i).Name)
				}
			}
		case reflect.Slice:
			if v.Len() == 0 {
				return
			}
			set(v.Slice(1, v.Len()))
			walk(v.Index(0), where+"[0]")
		case reflect.String:
			if e, ok := v.Interface().(interface{ String() string }); ok && e.String() == "" {
				return
			}
			nv := reflect.New(t).Elem()
			nv.SetString("+86 10 5555 0100")
			set(nv)
		case reflect.Bool:
			nv := reflect.New(t).Elem()
			nv.SetBool(!v.Bool())
			set(nv)
		case reflect.Int:
			nv := reflect.New(t).Elem()
			nv.SetInt(v.Int() + 2)
			set(nv)
		}
	}
	walk(reflect.ValueOf(p).Elem(), "")
}

var (
	// A path or a field name as policy.yaml writes it.
	leakPath  = regexp.MustCompile(`\[[a-z0-9*-]+\]|\]\.|[a-z]+_[a-z_]+|\{\{`)
	leakField = regexp.MustCompile(`"[A-Z][A-Za-z]+":`)
)

// goFieldNames are the model's Go field names that no reader would write:
// those with two capitals or more ("SharesData").
func goFieldNames() []string {
	var out []string
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] || t.PkgPath() != "github.com/policyc/policyc/policy" {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			if f.IsExported() && regexp.MustCompile(`^[A-Z][a-z]+[A-Z]`).MatchString(f.Name) {
				out = append(out, f.Name)
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[policy.Policy]())
	slices.Sort(out)
	return slices.Compact(out)
}

// TestNoOutputAPersonReadsNamesAPathOrField changes every fact the examples
// hold, one at a time, and scans every sentence, comparison page and
// notice pack for paths, field names and template source, in every locale.
func TestNoOutputAPersonReadsNamesAPathOrField(t *testing.T) {
	if testing.Short() {
		t.Skip("changes every field of two examples: runs in the full suite")
	}
	scanAllChanges(t, []string{"sdk-provider", "website"})
}

// TestChangesOfOneExampleAreWordedWithoutPaths is the short form of the
// scan: one example.
func TestChangesOfOneExampleAreWordedWithoutPaths(t *testing.T) {
	scanAllChanges(t, []string{"sdk-provider"})
}

func scanAllChanges(t *testing.T, examples []string) {
	r := render.New()
	fields := goFieldNames()
	enums := rawEnumValues(t)
	for _, ex := range examples {
		old, new := loadExample(t, ex), loadExample(t, ex)
		cases, changes := 0, 0
		mutations(new, func(what string) {
			as := policy.Assess(old, new)
			if len(as.Changes) == 0 {
				return
			}
			cases++
			changes += len(as.Changes)
			for _, l := range new.Locales {
				loc := string(l)
				words, err := r.Wording(old, new, loc)
				if err != nil {
					t.Fatal(err)
				}
				var outs []string
				for _, v := range as.Changes {
					s := words.Sentence(v.Change)
					if s == "" {
						t.Errorf("%s %s: %s is not worded", ex, what, v.Path)
					}
					outs = append(outs, s)
				}
				var page bytes.Buffer
				if err := render.DiffHTML(&page, "v1", "v2", loc, as, nil, words); err != nil {
					t.Fatal(err)
				}
				body := page.String()
				body = body[strings.Index(body, "<main>"):]
				outs = append(outs, body)
				if as.Level >= policy.Significant {
					pk, err := r.Notice(old, new, as, loc, render.Meta{Version: "2", Effective: policy.Date{Year: 2027, Month: 1, Day: 1}}, "")
					if err != nil {
						t.Fatal(err)
					}
					outs = append(outs, pk.Summary, pk.Email, pk.Subject)
					outs = append(outs, pk.Sentences...)
				}
				for _, o := range outs {
					if m := leakPath.FindString(o); m != "" {
						t.Errorf("%s %s (%s): %q shows %q", ex, what, loc, short(o), m)
					}
					if m := enums.FindString(o); m != "" {
						t.Errorf("%s %s (%s): %q shows the raw value %q", ex, what, loc, short(o), m)
					}
					if m := leakField.FindString(o); m != "" {
						t.Errorf("%s %s (%s): %q shows a Go field %q", ex, what, loc, short(o), m)
					}
					for _, f := range fields {
						if regexp.MustCompile(`\b` + f + `\b`).MatchString(o) {
							t.Errorf("%s %s (%s): %q shows the Go field name %s", ex, what, loc, short(o), f)
						}
					}
					if strings.Contains(o, "..") && !strings.Contains(o, "...") || strings.Contains(o, "。。") {
						t.Errorf("%s %s (%s): doubled full stop in %q", ex, what, loc, short(o))
					}
				}
			}
		})
		if cases < 50 {
			t.Errorf("%s: only %d cases changed anything", ex, cases)
		}
		t.Logf("%s: %d cases, %d changes worded", ex, cases, changes)
	}
}

func short(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// TestEveryFieldDiffReachesHasALabelInEveryLocale: a change to any field
// can be worded, so no path is ever shown in its place.
func TestEveryFieldDiffReachesHasALabelInEveryLocale(t *testing.T) {
	r := render.New()
	for _, loc := range []string{"en", "zh-CN"} {
		words, err := r.Wording(nil, nil, loc)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range policy.ModelFields() {
			if got := words.Label(f); got == "" || strings.HasPrefix(got, "f.") {
				t.Errorf("%s: no label for %s", loc, f)
			}
		}
	}
}

// TestSentencesCarryTheNewValues: a contact, a period, a country and a
// risk level are said with what they became.
func TestSentencesCarryTheNewValues(t *testing.T) {
	old, new := loadExample(t, "sdk-provider"), loadExample(t, "sdk-provider")
	new.Contacts.Channels[0].Value = "privacy-office@beacondev.example"
	new.Storage.Retention[0].Period = policy.Duration{N: 5, Unit: policy.Years}
	new.Storage.Locations = append(new.Storage.Locations, policy.Location{ID: "sg", Region: policy.LocalizedText(map[string]string{"en": "Singapore", "zh-CN": "新加坡"}),
		Collected: policy.LocalizedText(map[string]string{"en": "Southeast Asia", "zh-CN": "东南亚"})})
	new.Changes.ImpactAssessment.Risk = "high"
	new.Controller.LegalName = policy.NeutralText("Beacon Trading Pte. Ltd.")
	all := sentences(t, render.New(), old, new, policy.Assess(old, new), "en")
	for _, want := range []string{
		"privacy-office@beacondev.example",
		"5 years",
		"We now store personal information collected in Southeast Asia in Singapore.",
		"Our latest impact assessment reports a high risk.",
		"to Beacon Trading Pte. Ltd.",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("sentences lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "Ltd..") {
		t.Errorf("doubled full stop:\n%s", all)
	}
}

// TestAddedOrRemovedTextIsQuotedOnce: a paragraph added to (or dropped
// from) a section is quoted as added (or removed), never as an empty
// quote turned into the new text ("“” → “…”").
func TestAddedOrRemovedTextIsQuotedOnce(t *testing.T) {
	const para = "We review this policy at least once a year."
	old, new := loadExample(t, "sdk-provider"), loadExample(t, "sdk-provider")
	s := &new.Sections[0]
	s.Body = policy.LocalizedText(map[string]string{"en": s.Body.Get("en") + "\n\n" + para, "zh-CN": s.Body.Get("zh-CN")})
	for _, c := range []struct {
		old, new *policy.Policy
		want     string
	}{
		{old, new, ": added “" + para + "”."},
		{new, old, ": removed “" + para + "”."},
	} {
		all := sentences(t, render.New(), c.old, c.new, policy.Assess(c.old, c.new), "en")
		if !strings.Contains(all, c.want) || strings.Contains(all, "“”") {
			t.Errorf("sentences lack %q, or quote nothing:\n%s", c.want, all)
		}
	}
}

// TestTextChangesAreQuotedInTheSentencesLocale: a Chinese sentence quotes
// the Chinese text, and says so when only another locale's text changed,
// instead of quoting the English.
func TestTextChangesAreQuotedInTheSentencesLocale(t *testing.T) {
	const en, zh = "We review this policy at least once a year.", "我们每年至少审阅一次本政策。"
	old := loadExample(t, "sdk-provider")
	enOnly, both := loadExample(t, "sdk-provider"), loadExample(t, "sdk-provider")
	s := &enOnly.Sections[0]
	s.Body = policy.LocalizedText(map[string]string{"en": s.Body.Get("en") + "\n\n" + en, "zh-CN": s.Body.Get("zh-CN")})
	s = &both.Sections[0]
	s.Body = policy.LocalizedText(map[string]string{"en": s.Body.Get("en") + "\n\n" + en, "zh-CN": s.Body.Get("zh-CN") + "\n\n" + zh})
	got := sentences(t, render.New(), old, enOnly, policy.Assess(old, enOnly), "zh-CN")
	if strings.Contains(got, en) || !strings.Contains(got, "仅其他语言版本的文本有修改") {
		t.Errorf("an English-only change, in Chinese:\n%s", got)
	}
	got = sentences(t, render.New(), old, both, policy.Assess(old, both), "zh-CN")
	if strings.Contains(got, en) || !strings.Contains(got, "新增“"+zh+"”") {
		t.Errorf("a change of both texts, in Chinese:\n%s", got)
	}
	if got := sentences(t, render.New(), old, enOnly, policy.Assess(old, enOnly), "en"); !strings.Contains(got, "added “"+en+"”") {
		t.Errorf("the English change, in English:\n%s", got)
	}
}
