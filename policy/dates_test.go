package policy_test

import (
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
