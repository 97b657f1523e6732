package policy_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
)

const formsBase = `id: t
title: Test policy
locales: [en]
controller: {legal_name: Acme Ltd., registered_address: 1 Main Street}
contacts:
  channels: [{id: mail, kind: email, value: privacy@acme.example, uses: [privacy]}]
  response_time: 15 days
data_categories:
  - {id: email, name: E-mail address, sources: [provided]}
recipients:
  - {id: cloud, name: Cloud Co., kind: processor}
sections:
  - {id: intro, title: Introduction, body: Hello.}
`

func loadForm(t *testing.T, yaml string) *policy.Policy {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte(formsBase+yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := policy.Load(dir)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return p
}

// TestScalarFormsLoadAsTheirListForms checks that fields which became lists
// or gained values still read their older, single-value forms, and read
// them as the same model as the new form.
func TestScalarFormsLoadAsTheirListForms(t *testing.T) {
	old := loadForm(t, `purposes:
  - {id: account, name: running your account, legal_basis: contract}
activities:
  - {id: a, name: Sign-up, uses: [email], purposes: [account], required: true, legal_basis: legal-obligation}
  - {id: b, name: Newsletter, uses: [email], purposes: [account], required: false}
storage:
  cross_border:
    transfers: true
    routes:
      - {id: us, to: United States, recipient: cloud, data: [email], purposes: [account], mechanism: scc}
`)
	new := loadForm(t, `purposes:
  - {id: account, name: running your account, legal_basis: [{basis: contract}]}
activities:
  - {id: a, name: Sign-up, uses: [email], purposes: [account], required: required, legal_basis: [{basis: legal-obligation}]}
  - {id: b, name: Newsletter, uses: [email], purposes: [account], required: optional}
storage:
  cross_border:
    transfers: true
    routes:
      - {id: us, to: United States, recipient: cloud, data: [email], purposes: [account], mechanism: [scc]}
`)
	a, _ := json.Marshal(old)
	b, _ := json.Marshal(new)
	if string(a) != string(b) {
		t.Errorf("old forms load differently:\nold %s\nnew %s", a, b)
	}
	if got := old.Purposes[0].LegalBasis; len(got) != 1 || got[0].Basis != "contract" {
		t.Errorf("legal_basis: contract loaded as %+v", got)
	}
	if got := old.Activities[0].LegalBasis; len(got) != 1 || got[0].Basis != "legal-obligation" {
		t.Errorf("an activity's legal_basis: legal-obligation loaded as %+v", got)
	}
	if !old.Activities[0].Required.IsRequired() || old.Activities[1].Required != "optional" {
		t.Errorf("required: true/false loaded as %q/%q", old.Activities[0].Required, old.Activities[1].Required)
	}
	if m := old.Storage.CrossBorder.Routes[0].Mechanism; len(m) != 1 || m[0] != "scc" {
		t.Errorf("mechanism: scc loaded as %v", m)
	}
}

// TestUnsaidRequirementStaysUnsaid checks that an activity silent on
// whether its data is required is neither required nor optional.
func TestUnsaidRequirementStaysUnsaid(t *testing.T) {
	p := loadForm(t, `purposes:
  - {id: account, name: running your account}
activities:
  - {id: a, name: Sign-up, uses: [email], purposes: [account]}
`)
	if r := p.Activities[0].Required; r != "" {
		t.Errorf("required absent loaded as %q", r)
	}
}

// TestMonthDateKeepsItsPrecision checks that a date naming only a month
// stays a month through loading and printing.
func TestMonthDateKeepsItsPrecision(t *testing.T) {
	p := loadForm(t, "updated: 2025-08\neffective: 2025-08\n")
	if !p.Updated.IsMonth() || p.Updated.String() != "2025-08" {
		t.Errorf("updated: 2025-08 loaded as %v (month %v)", p.Updated, p.Updated.IsMonth())
	}
	d, err := policy.ParseDate("2025-08-15")
	if err != nil || d.IsMonth() {
		t.Fatalf("2025-08-15: %v %v", d, err)
	}
	if p.Updated.Before(d) || d.Before(p.Updated) {
		t.Errorf("August 2025 and 15 August 2025 should not be ordered")
	}
}

// TestSchemaAcceptsSingleAndListForms checks that the JSON Schema takes
// both the single-value forms old files use and the list forms, and
// refuses what the loader refuses in the new fields.
func TestSchemaAcceptsSingleAndListForms(t *testing.T) {
	s := compileSchema(t)
	for _, form := range []string{
		"purposes:\n  - {id: a, name: x, legal_basis: contract}\n",
		"purposes:\n  - {id: a, name: x, legal_basis: [contract, {basis: consent, regions: UK, jurisdictions: [uk-gdpr]}]}\n",
		"purposes:\n  - {id: a, name: x, legal_basis: {basis: consent}}\n",
		"activities:\n  - {id: a, name: x, uses: [email], purposes: [a], required: true}\n",
		"activities:\n  - {id: a, name: x, uses: [email], purposes: [a], required: not-stated, items: [{item: phone, required: optional}]}\n",
		"updated: 2025-08\n",
		"storage:\n  cross_border:\n    routes:\n      - {id: r, recipient: cloud, data: [email], purposes: [a], mechanism: scc}\n      - {id: s, recipient: cloud, data: [email], purposes: [a], mechanism: [adequacy, scc]}\n",
	} {
		if err := s.Validate(yamlToJSON(t, []byte(formsBase+form))); err != nil {
			t.Errorf("schema refuses %q: %v", form, err)
		}
	}
	for _, dir := range fixtureDirs(t) {
		b, err := os.ReadFile(filepath.Join(dir, "policy.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(yamlToJSON(t, b)); err != nil {
			t.Errorf("%s/policy.yaml: %v", filepath.Base(dir), err)
		}
	}
	for _, bad := range []string{"legal-basis-unknown-field", "legal-basis-unknown-in-list", "route-mechanism-unknown", "activity-item-invalid", "children-age-bands-invalid"} {
		b, err := os.ReadFile(filepath.Join("testdata", "invalid", bad+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(yamlToJSON(t, []byte(between(string(b), "-- policy.yaml --\n", "-- ")))); err == nil {
			t.Errorf("schema accepts the %s case", bad)
		}
	}
}

// TestActivityLegalBasesAreAListLikeAPurposes checks that an activity,
// like a purpose, may rest on several legal bases, each for some readers
// only, and that a basis given twice for the same readers is refused at
// its position.
func TestActivityLegalBasesAreAListLikeAPurposes(t *testing.T) {
	const activity = `purposes:
  - {id: account, name: running your account}
activities:
  - id: a
    name: Sign-up
    uses: [email]
    purposes: [account]
    legal_basis: `
	p := loadForm(t, activity+"[contract, {basis: legal-obligation, regions: the EEA, note: Records are kept as tax law requires.}]\n")
	got := p.Activities[0].LegalBasis
	if len(got) != 2 || got[0].Basis != "contract" || got[1].Basis != "legal-obligation" || got[1].Regions.Get("en") != "the EEA" {
		t.Fatalf("two bases loaded as %+v", got)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte(formsBase+activity+"[contract, contract]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := policy.Load(dir)
	if err == nil || !strings.Contains(err.Error(), `policy.yaml:21:29: legal basis "contract" is given twice for activity "a"`) {
		t.Errorf("a basis given twice: %v", err)
	}
}
