package policy_test

import (
	"testing"

	"github.com/policyc/policyc/policy"
)

// BenchmarkAssessSeedSized diffs and classifies two versions of the SDK
// example (seed-sized, two locales) differing in a dozen facts.
func BenchmarkAssessSeedSized(b *testing.B) {
	old := loadBench(b)
	new := loadBench(b)
	new.Contacts.ResponseTime = policy.Duration{N: 30, Unit: policy.Days}
	new.Recipients = new.Recipients[1:]
	new.DataCategories[0].Items = new.DataCategories[0].Items[1:]
	b.ReportAllocs()
	for b.Loop() {
		if as := policy.Assess(old, new); as.Level < policy.Significant {
			b.Fatal(as.Level)
		}
	}
}

func loadBench(b *testing.B) *policy.Policy {
	p, err := policy.Load("../examples/sdk-provider")
	if err != nil {
		b.Fatal(err)
	}
	return p
}
