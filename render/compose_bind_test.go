package render

import (
	"path/filepath"
	"testing"

	"github.com/policyc/policyc/policy"
)

// A composer gives a template its functions once: the blocks a policy
// renders many times (one per disclosure, per fact reference) run the same
// bound template rather than a fresh clone each.
func TestComposerBindsEachTemplateOnce(t *testing.T) {
	p, err := policy.Load(filepath.Join("..", "examples", "sdk-provider"))
	if err != nil {
		t.Fatal(err)
	}
	r := New()
	labels, err := r.labels("en")
	if err != nil {
		t.Fatal(err)
	}
	c := &composer{r: r, p: p, loc: "en", labels: labels, home: map[string]string{}}
	first, err := c.bind("md/disclosure.md")
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.bind("md/disclosure.md")
	if err != nil {
		t.Fatal(err)
	}
	if first != again {
		t.Fatal("the second block of a kind was bound anew")
	}
	if n := testing.AllocsPerRun(20, func() { _, _ = c.bind("md/disclosure.md") }); n != 0 {
		t.Fatalf("binding a template the composer has run allocates %v times", n)
	}
	other := &composer{r: r, p: p, loc: "en", labels: labels}
	if t2, _ := other.bind("md/disclosure.md"); t2 == first {
		t.Fatal("two composers share one bound template, and so each other's functions")
	}
}
