package render_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// templateProse is prose a Go template would execute. None of it is a fact
// reference, so none of it may validate or run.
var templateProse = []string{
	"{{ range 2000000000 }}{{ end }}",
	"{{ .X }}",
	`{{ define "a" }}{{ template "a" }}{{ end }}{{ template "a" }}`,
	`{{ $x := "email" }}{{ category $x }}`,
	`{{ category "email" | printf "%s" }}`,
	`{{ with .P }}{{ . }}{{ end }}`,
	`{{ category (print "email") }}`,
	"{{/* note */}}",
	"{{- sdk_table -}}",
	"{{ sdk_table",
}

// withProse returns a copy of base with src as an extra section's body, or
// as the summary.
func withProse(base *policy.Policy, where, src string) *policy.Policy {
	p := *base
	switch where {
	case "summary":
		p.Summary = policy.NeutralText(src)
	default:
		p.Sections = append(slices.Clone(base.Sections), policy.Section{ID: "prose-under-test", Title: policy.NeutralText("Prose"), Body: policy.NeutralText(src)})
	}
	return &p
}

// composeWithin composes the policy in English, failing the test if that
// takes longer than a generous bound (a loop of two billion steps would).
func composeWithin(t *testing.T, p *policy.Policy) ([]*render.Doc, error) {
	t.Helper()
	type result struct {
		docs []*render.Doc
		err  error
	}
	done := make(chan result, 1)
	go func() {
		docs, err := render.New().Compose(p, "en", render.Meta{})
		done <- result{docs, err}
	}()
	select {
	case r := <-done:
		return r.docs, r.err
	case <-time.After(20 * time.Second):
		t.Fatal("still composing after 20 s")
		return nil, nil
	}
}

func TestProseOutsideTheFactLanguageIsRefusedAndNeverExecuted(t *testing.T) {
	base := loadExample(t, "website")
	for _, src := range templateProse {
		for _, where := range []string{"section", "summary"} {
			t.Run(where+"/"+src, func(t *testing.T) {
				p := withProse(base, where, src)
				if errs := p.Validate(); len(errs) == 0 {
					t.Errorf("validation accepted %q", src)
				}
				if _, err := composeWithin(t, p); err == nil {
					t.Errorf("rendered %q", src)
				}
			})
		}
	}
}

// idFor returns an id of the kind a prose function takes, from the policy.
func idFor(t *testing.T, p *policy.Policy, kind string) string {
	t.Helper()
	if kind == "exception scope" {
		return "collection"
	}
	lists := map[string]any{
		"data category": p.DataCategories, "activity": p.Activities, "purpose": p.Purposes,
		"SDK": p.SDKs, "recipient": p.Recipients, "right": p.Rights, "channel": p.Contacts.Channels,
		"term": p.Glossary, "section": p.Sections, "document": p.Documents,
	}
	list := reflect.ValueOf(lists[kind])
	if !list.IsValid() || list.Len() == 0 {
		t.Fatalf("the example has no %s", kind)
	}
	return list.Index(0).FieldByName("ID").String()
}

func TestEveryFactReferenceThatValidatesRenders(t *testing.T) {
	base := loadExample(t, "website")
	for _, f := range policy.ProseFuncs {
		call := "{{ " + f.Name + " }}"
		if f.Arg != "" {
			call = "{{ " + f.Name + " \"" + idFor(t, base, f.Arg) + "\" }}"
		}
		t.Run(f.Name, func(t *testing.T) {
			p := withProse(base, "section", "Before "+call+" after.")
			if errs := p.Validate(); len(errs) > 0 {
				t.Fatalf("validation refused %s: %v", call, errs)
			}
			docs, err := composeWithin(t, p)
			if err != nil {
				t.Fatalf("%s validates but does not render: %v", call, err)
			}
			md := string(docs[0].Markdown)
			if strings.Contains(md, "{{") {
				t.Errorf("%s left a {{ in the output", call)
			}
			if !strings.Contains(md, "Before ") || !strings.Contains(md, " after.") {
				t.Errorf("the text around %s is lost", call)
			}
		})
	}
}

// FuzzProseValidatesExactlyWhenItRenders renders arbitrary prose as a
// section of the website example: prose that validates must render, and
// prose that does not parse must never render.
func FuzzProseValidatesExactlyWhenItRenders(f *testing.F) {
	for _, src := range templateProse {
		f.Add(src)
	}
	f.Add(`We collect {{ category "precise-location" }} <b>{{ controller }}</b>.`)
	f.Add("# Title\n\n{{ sdk_table }}\n\n## Sub\n\n{{ exceptions \"sharing\" }}")
	f.Add(`[{{ controller }}](javascript:{{ controller }})`)
	// The website example, with the fuzzed prose as its only section so
	// that each run composes little besides it.
	base := *loadExample(f, "website")
	base.Sections = nil
	base.Documents = slices.Clone(base.Documents)
	for i := range base.Documents {
		base.Documents[i].Sections = nil
	}
	if errs := base.Validate(); len(errs) > 0 {
		f.Fatalf("the example without its sections does not validate: %v", errs)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p := withProse(&base, "section", src)
		valid := len(p.Validate()) == 0
		_, parseErrs := policy.ParseProse(src)
		_, err := render.New().Compose(p, "en", render.Meta{})
		if valid && err != nil {
			t.Fatalf("validates but does not render: %v", err)
		}
		if len(parseErrs) > 0 && err == nil {
			t.Fatalf("rendered prose that does not parse: %v", parseErrs)
		}
	})
}
