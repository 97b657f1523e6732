package policy_test

import (
	"path/filepath"
	"testing"

	"github.com/policyc/policyc/policy"
)

// BenchmarkLoad loads and validates the SDK-provider example (seed-sized,
// two locales, eight files).
func BenchmarkLoad(b *testing.B) {
	dir := filepath.Join("..", "examples", "sdk-provider")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policy.Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
