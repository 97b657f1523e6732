package policy

import (
	"strings"
	"testing"
)

func TestEveryRulePatternNamesAFieldOfTheModel(t *testing.T) {
	for _, r := range Rules {
		for _, s := range r.paths.src {
			if _, err := ParsePattern(s); err != nil {
				t.Errorf("rule %s: %v", r.ID, err)
			}
		}
	}
}

func TestPatternsNamingNoFieldAreRefused(t *testing.T) {
	for _, tc := range []struct{ pat, want string }{
		{"sdks[*].regoin", `did you mean "region"`},
		{"sdks.region", "is a list"},
		{"sdks[*].collects", "name its values with :*"},
		{"controller[*]", "not a list of elements with ids"},
		{"sdks[*].region:*", "not a list compared by value"},
		{"sdks[*].collects[*]", "not a list of elements with ids"},
		{"nothing", "has no field"},
	} {
		_, err := ParsePattern(tc.pat)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParsePattern(%q) = %v, want an error containing %q", tc.pat, err, tc.want)
		}
	}
	for _, ok := range []string{"sdks[*].region", "sdks[maps].collects:location", "contacts.officer.**", "children.collects:*", "storage.locations[*]"} {
		if _, err := ParsePattern(ok); err != nil {
			t.Errorf("ParsePattern(%q): %v", ok, err)
		}
	}
}

func TestPatternMatchesTypedPaths(t *testing.T) {
	for _, tc := range []struct {
		pat, path string
		want      bool
	}{
		{"sdks[*].collects:*", "sdks[maps].collects:precise-location", true},
		{"sdks[*].collects:*", "sdks[maps].collects", false},
		{"sdks[*]", "sdks[maps].collects:x", false},
		{"sdks[*]", "sdks[maps]", true},
		{"contacts.officer.**", "contacts.officer", true},
		{"contacts.officer.**", "contacts.officer.email", true},
		{"contacts.officer.**", "contacts.officerx", false},
		{"sdks[maps].region", "sdks[ads].region", false},
		{"sdks[maps].region", "sdks[maps].region", true},
	} {
		pat, err := ParsePattern(tc.pat)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ParsePath(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := pat.Match(p); got != tc.want {
			t.Errorf("%q matches %q = %v, want %v", tc.pat, tc.path, got, tc.want)
		}
	}
}

func TestPathTextRoundTrips(t *testing.T) {
	for _, s := range []string{"sdks[maps].collects:precise-location", "contacts.officer.email", "children", "storage.locations:{\"a\":[1]}.x", "jurisdictions:cn-pipl"} {
		p, err := ParsePath(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if p.String() != s {
			t.Errorf("ParsePath(%q).String() = %q", s, p.String())
		}
	}
	p, _ := ParsePath("sdks[maps].collects:precise-location")
	if p.Field() != "sdks.collects" || p.ID(0) != "maps" {
		t.Errorf("Field %q ID %q", p.Field(), p.ID(0))
	}
	if v, ok := p.Value(); !ok || v != "precise-location" {
		t.Errorf("Value %q %v", v, ok)
	}
	for _, bad := range []string{"", "[x]", "a..b", "a[", "a[]", "a.", ".a", "A"} {
		if _, err := ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) accepted", bad)
		}
	}
}

func FuzzParsePath(f *testing.F) {
	f.Add("sdks[maps].collects:precise-location")
	f.Add("contacts.officer.email")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			return
		}
		q, err := ParsePath(p.String())
		if err != nil {
			t.Fatalf("%q → %q: %v", s, p.String(), err)
		}
		if q.String() != p.String() || len(q) != len(p) {
			t.Fatalf("%q → %q → %q", s, p.String(), q.String())
		}
	})
}

func TestArchivedVerdictsWithStringPathsStillLoad(t *testing.T) {
	archived := `{"format": "policyc.verdict/v1", "from": "v1", "to": "v2", "level": "reconsent", "prose_changed": false,
	  "changes": [{"path": "sdks[maps].collects:precise-location", "kind": "added", "new": "precise-location", "level": "reconsent"}]}`
	_, _, as, err := ParseVerdict([]byte(archived))
	if err != nil {
		t.Fatal(err)
	}
	p := as.Changes[0].Path
	if p.Field() != "sdks.collects" || p.ID(0) != "maps" {
		t.Fatalf("path %#v", p)
	}
	b, err := VerdictJSON("v1", "v2", as)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"path": "sdks[maps].collects:precise-location"`) {
		t.Errorf("the path is not written back as it was read:\n%s", b)
	}
}
