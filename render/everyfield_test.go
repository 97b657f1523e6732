package render_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/policyc/policyc/policy"
)

// A policy generated from the model's types that sets every field, each
// text to a value found nowhere else, so that TestEveryFactIsPrinted sees
// each field printed on its own, including fields no example sets yet.

// refTarget is the kind of element each reference field points at.
var refTarget = map[string]string{
	"retention": "RetentionRule", "subjects": "Subject", "uses": "DataCategory", "data": "DataCategory",
	"collects": "DataCategory", "purposes": "Purpose", "sdks": "SDK", "recipients": "Recipient",
	"recipient": "Recipient", "contact": "Channel", "channels": "Channel", "rules": "Document",
	"category": "DataCategory",
}

// enumValue is the value each enumeration takes in the generated policy,
// chosen so that the values agree with each other (an e-mail channel has
// an e-mail address; the children's rules document is of that kind).
var enumValue = map[string]string{
	"Jurisdiction": "eu-gdpr", "RelationKind": "subsidiary", "ChannelKind": "email", "ChannelUse": "rights",
	"LegalBasis": "legitimate-interests", "SensitiveKind": "biometric", "Source": "third-party",
	"CCPACategory": "geolocation", "RecipientKind": "processor", "DataForm": "aggregated",
	"ConsentKind": "separate", "ExceptionScope": "sharing", "Mechanism": "bcr", "ChildAudience": "mixed",
	"RightKind": "access", "FeeKind": "may-charge", "NoticeChannel": "letter", "CookieTech": "web-beacon",
	"Party": "third", "DNT": "not-applicable", "RiskLevel": "medium", "DocumentKind": "children-rules",
	"ChangeLevel": "significant", "Requirement": "optional", "BandConsent": "guardian",
}

// blocks are the fact blocks a section may print; the generated policy's
// one section prints them all.
var blocks = []string{"glossary", "data_categories", "sensitive_categories", "activities", "sdk_table", "recipients",
	"affiliates", "sharing", "transfer", "public_disclosure", `exceptions "sharing"`, "storage", "retention",
	"children", "rights", "requests", "security", "incident", "cookies", "changes", "contacts", "disputes"}

type generator struct{ n int }

func (g *generator) marker() string {
	g.n++
	return fmt.Sprintf("fxq%03d value", g.n)
}

func (g *generator) value(t reflect.Type, owner, key string) any {
	switch t {
	case reflect.TypeOf(policy.Text{}):
		return g.marker()
	case reflect.TypeOf(policy.ID("")):
		for _, target := range refTarget {
			if target == owner {
				return "x-" + strings.ToLower(owner) // the one element references point at
			}
		}
		g.n++
		return fmt.Sprintf("x-%s-%d", strings.ToLower(owner), g.n)
	case reflect.TypeOf(policy.Ref{}):
		return "x-" + strings.ToLower(refTarget[key])
	case reflect.TypeOf(policy.Refs{}):
		return []string{"x-" + strings.ToLower(refTarget[key])}
	case reflect.TypeOf(policy.Duration{}):
		g.n++
		return fmt.Sprintf("%d weeks", g.n)
	case reflect.TypeOf(policy.Date{}):
		return "2026-01-02"
	case reflect.TypeOf(policy.URL("")):
		g.n++
		return fmt.Sprintf("https://example.com/fxq%03d", g.n)
	case reflect.TypeOf(policy.Email("")):
		g.n++
		return fmt.Sprintf("fxq%03d@example.com", g.n)
	case reflect.TypeOf(policy.Phone("")):
		g.n++
		return fmt.Sprintf("+86 10 5555 %04d", g.n)
	case reflect.TypeOf(policy.Locale("")):
		return "en"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.value(t.Elem(), owner, key)
	case reflect.Slice:
		return []any{g.value(t.Elem(), owner, key)}
	case reflect.Bool:
		return true
	case reflect.Int:
		if key == "minor_age" {
			return 18
		}
		if owner == "AgeBand" && key == "from" {
			return 13 // a band runs from one age to under another
		}
		if owner == "RequestLimit" && key == "times" {
			return 2
		}
		return 14
	case reflect.String:
		if v, ok := enumValue[t.Name()]; ok {
			return v
		}
		switch owner + "." + key {
		case "Channel.value":
			return "fxq-channel@example.com"
		case "LevelRaise.path":
			return "sdks[*].region"
		}
		return g.marker()
	case reflect.Struct:
		m := map[string]any{}
		for i := range t.NumField() {
			f := t.Field(i)
			k, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || k == "-" || k == "" {
				continue
			}
			switch t.Name() + "." + k {
			case "Section.file", "Policy.locales":
				continue // a body is given instead; one locale
			case "RetentionRule.period":
				continue // a rule gives a period or a minimum and maximum; the examples print periods
			case "Policy.lint":
				continue // review notes for lint, which name real rules and print nothing
			case "Policy.sections":
				var body []string
				for _, b := range blocks {
					body = append(body, "{{ "+b+" }}")
				}
				m[k] = []any{map[string]any{"id": "x-main", "title": g.marker(), "appendix": true, "body": strings.Join(body, "\n\n")}}
				continue
			}
			m[k] = g.value(f.Type, t.Name(), k)
		}
		if t.Name() == "Policy" {
			m["locales"] = []string{"en"}
		}
		return m
	}
	panic("no value for " + t.String())
}

// everyFieldPolicy writes the generated policy to a directory and loads it.
func everyFieldPolicy(t *testing.T) *policy.Policy {
	t.Helper()
	g := &generator{}
	b, err := yaml.Marshal(g.value(reflect.TypeOf(policy.Policy{}), "Policy", ""))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "policy.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	p := loadPolicy(t, dir)
	if errs := p.Validate(); len(errs) > 0 {
		t.Fatalf("the generated policy is not valid:\n%v\n%s", errs, b)
	}
	return p
}
