package policy_test

import (
	"encoding/json"
	"testing"

	"github.com/policyc/policyc/policy"
)

func TestNewDatesAloneAreEditorialButStillReported(t *testing.T) {
	old, new := load(t, "sdk-provider"), load(t, "sdk-provider")
	new.Updated, _ = policy.ParseDate("2027-01-05")
	new.Effective, _ = policy.ParseDate("2027-02-05")
	as := policy.Assess(old, new)
	if as.Level != policy.Editorial {
		t.Errorf("a new version's dates alone are %s, want editorial", as.Level)
	}
	seen := map[string]bool{}
	for _, v := range as.Changes {
		seen[v.Path.String()] = true
	}
	if !seen["updated"] || !seen["effective"] {
		t.Errorf("the date changes are not reported: %+v", as.Changes)
	}
}

// A date written as JSON reads back the same, a month as a month (a site
// build's options cross a process boundary as JSON).
func TestDatesRoundTripThroughJSON(t *testing.T) {
	for _, d := range []policy.Date{{Year: 2026, Month: 12, Day: 2}, {Year: 2025, Month: 8}, {}} {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back policy.Date
		if err := json.Unmarshal(b, &back); err != nil || back != d {
			t.Errorf("%s: read back %v (%v)", b, back, err)
		}
	}
	var d policy.Date
	if err := json.Unmarshal([]byte(`"2026-02-30"`), &d); err == nil {
		t.Error("a day that does not exist was read")
	}
}
