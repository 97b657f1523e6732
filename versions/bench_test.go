package versions

import (
	"fmt"
	"testing"
)

// benchArchive builds an archive of n small versions in a fresh repository.
func benchArchive(b *testing.B, n int) *Archive {
	dir := newRepo(b)
	a, err := Open(dir, "p")
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if _, err := a.Release(ReleaseOptions{Updated: date("2026-01-01"), Effective: date("2026-01-01"), Contents: files(fmt.Sprint(i))}); err != nil {
			b.Fatal(err)
		}
	}
	return a
}

// BenchmarkLog200 lists an archive of 200 versions.
func BenchmarkLog200(b *testing.B) {
	a := benchArchive(b, 200)
	b.ResetTimer()
	for b.Loop() {
		vs, err := a.Versions()
		if err != nil || len(vs) != 200 {
			b.Fatal(len(vs), err)
		}
	}
}

// BenchmarkShow200 reads one file of version 100 of 200.
func BenchmarkShow200(b *testing.B) {
	a := benchArchive(b, 200)
	b.ResetTimer()
	for b.Loop() {
		v, err := a.Version(100)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.ReadFile(v, "rendered/policy.en.pdf"); err != nil {
			b.Fatal(err)
		}
	}
}
