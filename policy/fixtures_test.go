package policy_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
)

// fixtureDirs are the models of real published policies.
func fixtureDirs(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "fixtures", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures found (%v)", err)
	}
	return dirs
}

var ruleInBackticks = regexp.MustCompile("`([a-z0-9-]+)`")

// TestFixturesFromRealPoliciesLoadAndLintAsTheirReadmeSays checks each
// fixture validates, names its source, and that lint reports under the
// profiles it declares exactly the open findings its README lists (the
// source's own gaps), every other finding being acknowledged with a reason.
func TestFixturesFromRealPoliciesLoadAndLintAsTheirReadmeSays(t *testing.T) {
	for _, dir := range fixtureDirs(t) {
		name := filepath.Base(dir)
		p, err := policy.Load(dir)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
		if err != nil || !strings.Contains(string(readme), "Source:") {
			t.Errorf("%s: README.md must name the source (Source: …): %v", name, err)
			continue
		}
		_, open, _ := strings.Cut(string(readme), "Open lint findings")
		var want []string
		for _, m := range ruleInBackticks.FindAllStringSubmatch(open, -1) {
			want = append(want, m[1])
		}
		fs, err := policy.Lint(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range fs {
			switch {
			case f.Acknowledged == nil:
				got = append(got, f.Rule.ID)
			case f.Acknowledged.Reason.IsZero():
				t.Errorf("%s: %s: acknowledged without a reason [%s]", name, f.Pos, f.Rule.ID)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: open lint findings %v, README lists %v", name, got, want)
		}
	}
}
