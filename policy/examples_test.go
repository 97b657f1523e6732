package policy_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/policyc/policyc/examples"
	"github.com/policyc/policyc/policy"
)

func loadExample(t *testing.T, name string) *policy.Policy {
	t.Helper()
	p, err := policy.Load(filepath.Join("..", "examples", name))
	if err != nil {
		t.Fatalf("example %s: %v", name, err)
	}
	return p
}

func TestExamplesAreValid(t *testing.T) {
	names := examples.Names()
	if !slices.Equal(names, []string{"sdk-provider", "website"}) {
		t.Fatalf("examples = %v", names)
	}
	for _, name := range names {
		loadExample(t, name)
	}
}

// TestExamplesExerciseEveryField walks both example models and checks that
// every field of every model type is written in at least one of them, so
// the examples show the whole model and a field cannot go untested.
func TestExamplesExerciseEveryField(t *testing.T) {
	used := map[string]bool{}
	for _, name := range examples.Names() {
		collectUsed(reflect.ValueOf(loadExample(t, name)).Elem(), used)
	}
	var missing []string
	for _, f := range allFields(reflect.TypeFor[policy.Policy](), map[reflect.Type]bool{}) {
		if !used[f] {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		t.Errorf("no example writes these fields:\n  %s", strings.Join(missing, "\n  "))
	}
}

// TestSecondLocaleIsComplete checks the bilingual example says everything
// in Chinese too: every text has a zh-CN value.
func TestSecondLocaleIsComplete(t *testing.T) {
	p := loadExample(t, "sdk-provider")
	if !slices.Equal(p.Locales, []policy.Locale{"en", "zh-CN"}) {
		t.Fatalf("locales = %v", p.Locales)
	}
	if got := p.Title.Get("zh-CN"); got != "BeaconDev 隐私政策" {
		t.Errorf("zh-CN title = %q", got)
	}
	for _, s := range p.Sections {
		if !s.Body.Has("zh-CN") || s.Body.Get("zh-CN") == s.Body.Get("en") && !strings.HasPrefix(s.Body.Get("en"), "{{") {
			t.Errorf("section %s has no Chinese body of its own", s.ID)
		}
	}
}

var modelStructs = map[string]bool{}

func allFields(t reflect.Type, seen map[reflect.Type]bool) []string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] || t.PkgPath() != reflect.TypeFor[policy.Policy]().PkgPath() || !hasNode(t) {
		return nil
	}
	seen[t] = true
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("yaml")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, t.Name()+"."+name)
		out = append(out, allFields(f.Type, seen)...)
	}
	return out
}

func hasNode(t reflect.Type) bool {
	f, ok := t.FieldByName("Node")
	return ok && f.Type == reflect.TypeFor[policy.Node]()
}

func collectUsed(v reflect.Value, used map[string]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			collectUsed(v.Elem(), used)
		}
	case reflect.Slice:
		for i := range v.Len() {
			collectUsed(v.Index(i), used)
		}
	case reflect.Struct:
		if !hasNode(v.Type()) {
			return
		}
		node := v.FieldByName("Node").Addr().Interface().(*policy.Node)
		for i := range v.NumField() {
			name := v.Type().Field(i).Tag.Get("yaml")
			if name == "" || name == "-" {
				continue
			}
			if node.Has(name) {
				used[v.Type().Name()+"."+name] = true
			}
			collectUsed(v.Field(i), used)
		}
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(policy.Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(policy.SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(policy.SchemaID)
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return s
}

// yamlToJSON converts a YAML file to the JSON value a schema validator sees.
func yamlToJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(normalise(v))
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// normalise turns YAML's typed scalars into what a YAML language server
// sends a schema: dates become strings.
func normalise(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = normalise(x)
		}
	case []any:
		for i, x := range v {
			v[i] = normalise(x)
		}
	case interface{ Format(string) string }:
		return v.Format("2006-01-02")
	}
	return v
}

// TestSchemaAcceptsExamplesAndRejectsTypos validates the example policies
// against the generated JSON Schema with an independent validator, and
// checks that the schema catches what editors should flag.
func TestSchemaAcceptsExamplesAndRejectsTypos(t *testing.T) {
	s := compileSchema(t)
	for _, name := range examples.Names() {
		dir := filepath.Join("..", "examples", name)
		b, err := os.ReadFile(filepath.Join(dir, "policy.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(yamlToJSON(t, b)); err != nil {
			t.Errorf("%s/policy.yaml: %v", name, err)
		}
	}
	for _, bad := range []string{"unknown-top-level-key", "unknown-nested-key", "unknown-key-in-list-item", "bad-url-javascript", "unknown-enum", "wrong-type-bool", "missing-required-top-level"} {
		b, err := os.ReadFile(filepath.Join("testdata", "invalid", bad+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		policyYAML := between(string(b), "-- policy.yaml --\n", "-- ")
		if err := s.Validate(yamlToJSON(t, []byte(policyYAML))); err == nil {
			t.Errorf("schema accepts the %s case", bad)
		}
	}
}

// TestIncludedListsValidateAgainstTheirDefinitions checks the list files
// of the SDK example against the #/$defs/<Type>List their modelines name.
func TestIncludedListsValidateAgainstTheirDefinitions(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(policy.Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(policy.SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*", "*.yaml"))
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(b), "\n")
		_, frag, ok := strings.Cut(first, "schema.json#")
		if !ok {
			continue
		}
		s, err := c.Compile(policy.SchemaID + "#" + frag)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := s.Validate(yamlToJSON(t, b)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		n++
	}
	if n < 5 {
		t.Errorf("checked %d list files, want the SDK example's 7", n)
	}
}

func between(s, start, end string) string {
	_, after, _ := strings.Cut(s, start)
	before, _, _ := strings.Cut(after, end)
	return before
}

// TestSchemaFileIsCurrent keeps the committed schema.json (which the
// examples' modelines point at) equal to what policyc schema prints.
func TestSchemaFileIsCurrent(t *testing.T) {
	path := filepath.Join("..", "schema.json")
	if *update {
		if err := os.WriteFile(path, policy.Schema(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, policy.Schema()) {
		t.Error("schema.json is out of date: run go test ./policy -run TestSchemaFileIsCurrent -update")
	}
}

// TestReferenceIsCurrent keeps docs/model.md equal to the generated reference.
func TestReferenceIsCurrent(t *testing.T) {
	path := filepath.Join("..", "docs", "model.md")
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, policy.Reference(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, policy.Reference()) {
		t.Error("docs/model.md is out of date: run go test ./policy -run TestReferenceIsCurrent -update")
	}
}

// TestLintReferenceIsCurrent keeps docs/lint.md equal to the generated rule list.
func TestLintReferenceIsCurrent(t *testing.T) {
	want, err := policy.LintReference()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "docs", "lint.md")
	if *update {
		os.WriteFile(path, want, 0o644)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Error("docs/lint.md is out of date: run go test ./policy -run TestLintReferenceIsCurrent -update")
	}
	// README carries the same rule tables between its lint-rules markers.
	readme := filepath.Join("..", "README.md")
	rb, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- lint-rules:begin -->\n", "<!-- lint-rules:end -->"
	i, j := bytes.Index(rb, []byte(begin)), bytes.Index(rb, []byte(end))
	if i < 0 || j < i {
		t.Fatal("README has no lint-rules markers")
	}
	_, tables, _ := bytes.Cut(want, []byte("\n## "))
	section := append([]byte("### "), bytes.ReplaceAll(tables, []byte("\n## "), []byte("\n### "))...)
	if *update {
		rb = append(append(append([]byte{}, rb[:i+len(begin)]...), section...), rb[j:]...)
		os.WriteFile(readme, rb, 0o644)
	} else if !bytes.Equal(rb[i+len(begin):j], section) {
		t.Error("README's lint rules are out of date: run go test ./policy -run TestLintReferenceIsCurrent -update")
	}
}
