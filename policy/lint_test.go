package policy_test

import (
	"testing"

	"github.com/policyc/policyc/policy"
)

// TestExamplesLintClean: the examples have no finding under the profiles
// they declare but those they acknowledge, each with its reason.
func TestExamplesLintClean(t *testing.T) {
	for _, ex := range []string{"sdk-provider", "website"} {
		p := load(t, ex)
		fs, err := policy.Lint(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		acked := 0
		for _, f := range fs {
			switch {
			case f.Acknowledged == nil:
				t.Errorf("%s: %s: %s [%s]", ex, f.Pos, f.Message, f.Rule.ID)
			case f.Acknowledged.Reason.IsZero():
				t.Errorf("%s: %s: acknowledged without a reason [%s]", ex, f.Pos, f.Rule.ID)
			default:
				acked++
			}
		}
		t.Logf("%s: %d acknowledged findings", ex, acked)
	}
}
