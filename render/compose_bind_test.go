package render

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

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

// The default templates are parsed once for every renderer of a process;
// a project's override is parsed by its own renderer and never shared.
func TestDefaultTemplatesParsedOncePerProcess(t *testing.T) {
	const name = "md/disclosure.md"
	a, err := New().template(name, templateFuncStubs)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New().template(name, templateFuncStubs)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatal("a second renderer parsed the default template again")
	}
	own := New(WithTemplates(fstest.MapFS{name: {Data: []byte("own text")}}))
	o, err := own.template(name, templateFuncStubs)
	if err != nil {
		t.Fatal(err)
	}
	if o == a {
		t.Fatal("an override was given the default template")
	}
	if c, _ := New().template(name, templateFuncStubs); c != a {
		t.Fatal("an override replaced the default template of other renderers")
	}
	var out strings.Builder
	if err := o.Execute(&out, nil); err != nil || out.String() != "own text" {
		t.Fatalf("the override renders %q, %v", out.String(), err)
	}
}

// The default label files are decoded once per process; every renderer
// gets its own copy, and a project's own labels stay with its renderer.
func TestDefaultLabelsDecodedOncePerProcess(t *testing.T) {
	first, err := New().Labels("en")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := defaultLabels.Load("i18n/en.json"); !ok {
		t.Fatal("the default English labels were not kept for the next renderer")
	}
	want := first["version"]
	first["version"] = "changed by a caller"
	second, err := New().Labels("en")
	if err != nil {
		t.Fatal(err)
	}
	if second["version"] != want || want == "" {
		t.Fatalf("a second renderer's label is %q, want %q: renderers share one map", second["version"], want)
	}
	own := New(WithTemplates(fstest.MapFS{"i18n/en.json": {Data: []byte(`{"version": "Edition"}`)}}))
	mine, err := own.Labels("en")
	if err != nil {
		t.Fatal(err)
	}
	if mine["version"] != "Edition" {
		t.Fatalf("the override's label is %q", mine["version"])
	}
	if third, _ := New().Labels("en"); third["version"] != want {
		t.Fatalf("an override's label reached another renderer: %q", third["version"])
	}
}
