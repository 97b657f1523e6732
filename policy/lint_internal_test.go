package policy

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// cleanFor is the website example declaring one profile, completed where
// the example does not aim at that profile, and checked to lint clean.
func cleanFor(t *testing.T, profile Jurisdiction) *Policy {
	t.Helper()
	p, err := Load(filepath.Join("..", "examples", "website"))
	if err != nil {
		t.Fatal(err)
	}
	p.Jurisdictions = []Jurisdiction{profile}
	if profile == "us-ccpa" {
		for i := range p.DataCategories {
			if p.DataCategories[i].CCPACategory == "" {
				p.DataCategories[i].CCPACategory = "identifiers"
			}
		}
		for _, k := range []RightKind{"opt-out-sale", "limit-sensitive", "non-discrimination"} {
			p.Rights = append(p.Rights, Right{ID: ID(k), Kind: k, Name: NeutralText(string(k)), Channels: Refs{{ID: "privacy-email"}}})
		}
	}
	fs, err := Lint(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		t.Fatalf("the %s model is not clean: %s %s [%s]", profile, f.Pos, f.Message, f.Rule.ID)
	}
	return p
}

// TestLintFindsEachRemovedElement removes, for each profile, every element
// a rule requires in turn (a value by require, every matching list element
// by exists) from a clean model, and asserts that exactly that rule fires
// among the profile's rules, at the element's position or where it belongs.
func TestLintFindsEachRemovedElement(t *testing.T) {
	rules, err := LintRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, profile := range []Jurisdiction{"cn-pipl", "eu-gdpr", "us-ccpa", "us-coppa"} {
		tested := 0
		for _, r := range rules {
			if r.Profile != profile {
				continue
			}
			for _, path := range r.Require {
				p := cleanFor(t, profile)
				root := reflect.ValueOf(p).Elem()
				if r.When != "" && !anyValue(resolve(root, r.When)) {
					continue
				}
				hs := resolve(root, path)
				if len(hs) == 0 || !hs[0].found {
					continue
				}
				want := hs[0].pos()
				hs[0].v.Set(reflect.Zero(hs[0].v.Type()))
				expectOnly(t, p, profile, r.ID, want, "require "+path)
				tested++
			}
			for _, path := range r.Exists {
				p := cleanFor(t, profile)
				root := reflect.ValueOf(p).Elem()
				if r.When != "" && !anyValue(resolve(root, r.When)) {
					continue
				}
				removeMatching(t, root, path)
				expectOnly(t, p, profile, r.ID, listPos(root, path), "exists "+path)
				tested++
			}
		}
		t.Logf("%s: %d removals", profile, tested)
		if tested < 4 {
			t.Errorf("%s: only %d removals tested", profile, tested)
		}
	}
}

// expectOnly lints and requires exactly one finding from the profile's
// rules: rule id at pos. (Consistency findings may follow a removal, e.g. no
// activities leaves SDK data undeclared; they are not the profile's.)
func expectOnly(t *testing.T, p *Policy, profile Jurisdiction, id string, pos Pos, what string) {
	t.Helper()
	fs, err := Lint(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []Finding
	for _, f := range fs {
		if f.Rule.Profile == profile {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Rule.ID != id || got[0].Pos != pos {
		var desc []string
		for _, f := range got {
			desc = append(desc, f.Rule.ID+" at "+f.Pos.String())
		}
		t.Errorf("%s, %s: got %v, want exactly %s at %s", profile, what, desc, id, pos)
	}
}

// removeMatching deletes from the list a path names every element its
// filter matches.
func removeMatching(t *testing.T, root reflect.Value, path string) {
	segs := parsePath(path)
	last := segs[len(segs)-1]
	parent := strings.Join(strings.Split(path, ".")[:len(segs)-1], ".")
	owner := root
	if parent != "" {
		hs := resolve(root, parent)
		if len(hs) == 0 {
			t.Fatalf("no %s", parent)
		}
		owner = hs[0].v
		for owner.Kind() == reflect.Pointer {
			owner = owner.Elem()
		}
	}
	list, ok := fieldByName(owner, last.name)
	if !ok {
		t.Fatalf("no field %s", last.name)
	}
	kept := reflect.MakeSlice(list.Type(), 0, list.Len())
	for i := range list.Len() {
		e := list.Index(i)
		if last.filterField == "" || matchesFilter(e, last.filterField, last.filterValue) {
			continue
		}
		kept = reflect.Append(kept, e)
	}
	list.Set(kept)
}

// TestConsistencyChecks breaks each fact-agreement rule in the website
// example and expects exactly that rule to fire.
func TestConsistencyChecks(t *testing.T) {
	tests := []struct {
		rule   string
		break_ func(p *Policy)
	}{
		{"sdk-undeclared-category", func(p *Policy) {
			for i := range p.Activities {
				if p.Activities[i].ID == "sharing" {
					p.Activities[i].Uses = nil // the sharing SDK still collects shared content
				}
			}
		}},
		{"sensitive-without-necessity", func(p *Policy) { p.DataCategories[2].Necessity = Text{} }},
		{"children-without-rules", func(p *Policy) { p.Children = nil }},
		{"cross-border-without-routes", func(p *Policy) { p.Storage.CrossBorder.Transfers = true }},
		{"cross-border-without-recipient", func(p *Policy) {
			p.Storage.CrossBorder.Transfers = true
			p.Storage.CrossBorder.Routes = []TransferRoute{{ID: "us", To: NeutralText("US"), Recipient: Ref{ID: "suppliers"}, Mechanism: "scc"}}
		}},
		{"recipient-without-purpose", func(p *Policy) { p.Recipients[1].Purposes = nil }},
		{"right-without-way", func(p *Policy) { p.Rights[0].Channels = nil }},
		{"channel-without-response-time", func(p *Policy) {
			p.Contacts.ResponseTime = Duration{}
			p.Contacts.Channels[0].ResponseTime = Duration{}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			p, err := Load(filepath.Join("..", "examples", "website"))
			if err != nil {
				t.Fatal(err)
			}
			p.Jurisdictions = nil
			tt.break_(p)
			fs, err := Lint(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range fs {
				ids = append(ids, f.Rule.ID)
			}
			if len(ids) == 0 || ids[0] != tt.rule || len(fs) > 1 && strings.Join(ids, ",") != strings.Repeat(tt.rule+",", len(ids)-1)+tt.rule {
				t.Errorf("findings %v, want only %s", ids, tt.rule)
			}
		})
	}
}

// TestCCPAFreshnessNeedsAnAsOfDate checks the 12-month rule only runs with
// a reference date, and fires only past it.
func TestCCPAFreshnessNeedsAnAsOfDate(t *testing.T) {
	p := cleanFor(t, "us-ccpa") // updated 2026-04-23
	for _, tt := range []struct {
		asOf string
		want bool
	}{{"", false}, {"2027-04-23", false}, {"2027-04-24", true}} {
		var o LintOptions
		if tt.asOf != "" {
			o.AsOf, _ = ParseDate(tt.asOf)
		}
		fs, err := LintWith(p, o)
		if err != nil {
			t.Fatal(err)
		}
		got := len(fs) == 1 && fs[0].Rule.ID == "ccpa-updated-recently" && fs[0].Pos == p.FieldPos("updated")
		if got != tt.want || !tt.want && len(fs) > 0 {
			t.Errorf("as of %q: findings %v", tt.asOf, fs)
		}
	}
}
