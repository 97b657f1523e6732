package policy_test

import (
	"testing"

	"github.com/policyc/policyc/policy"
)

func TestExamplesLintClean(t *testing.T) {
	for _, ex := range []string{"sdk-provider", "website"} {
		p := load(t, ex)
		fs, err := policy.Lint(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			t.Errorf("%s: %s: %s [%s]", ex, f.Pos, f.Message, f.Rule.ID)
		}
	}
}
