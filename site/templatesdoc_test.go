package site_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/policyc/policyc/render"
	"github.com/policyc/policyc/site"
	"github.com/policyc/policyc/templates"
)

var update = flag.Bool("update", false, "rewrite docs/templates.md")

// templatesDoc writes docs/templates.md from the types each template
// receives: their fields, Go types and doc tags.
func templatesDoc(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`# Templates and the data they receive

<!-- Generated from the types in render/templatedata.go and site/pages.go by
go test ./site -run TestTemplatesReferenceIsCurrent -update; do not edit. -->

policyc's default templates are embedded in the binary; ` + "`policyc templates export DIR`" + `
writes them out. A policy's own ` + "`templates/`" + ` directory overrides them file by
file, by relative path (` + "`templates/md/rights.md`" + ` replaces the rights block);
` + "`templates/html/extra.css`" + ` is added after the default stylesheet. ` + "`policyc validate`" + `
renders with the overrides and reports their errors at ` + "`file:line:col`" + `.

Markdown templates are Go text/template files; HTML templates are
html/template files, which escape what they print. Each template receives
the value described below as its dot (` + "`.`" + `).
`)
	section := func(title, files, what string, v any) {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n%s\n\n| field | type | what it holds |\n|---|---|---|\n", title, files, what)
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			f := ty.Field(i)
			doc := f.Tag.Get("doc")
			if doc == "" {
				t.Errorf("%s.%s has no doc tag", ty.Name(), f.Name)
			}
			typ := strings.ReplaceAll(f.Type.String(), "|", `\|`)
			fmt.Fprintf(&b, "| `.%s` | `%s` | %s |\n", f.Name, typ, strings.ReplaceAll(doc, "|", `\|`))
		}
		for _, nested := range []any{render.SectionView{}, render.TOCEntry{}, render.DiffSection{}, site.Alternate{}} {
			nt := reflect.TypeOf(nested)
			for i := range ty.NumField() {
				if et := ty.Field(i).Type; et.Kind() == reflect.Slice && et.Elem() == nt {
					fmt.Fprintf(&b, "\nEach element of `.%s` (`%s`):\n\n| field | type | what it holds |\n|---|---|---|\n", ty.Field(i).Name, nt)
					for j := range nt.NumField() {
						f := nt.Field(j)
						fmt.Fprintf(&b, "| `.%s` | `%s` | %s |\n", f.Name, f.Type, f.Tag.Get("doc"))
					}
				}
			}
		}
	}
	var blocks []string
	for _, m := range templates.Names() {
		if strings.HasPrefix(m, "md/") && m != "md/document.md" {
			blocks = append(blocks, "`"+m+"`")
		}
	}
	section("The document", "`md/document.md`", "Lays out one document (the policy, or a separate document such as the children's rules) from its composed sections.", render.DocumentData{})
	section("Fact blocks", strings.Join(blocks, ", "),
		"Each block prints facts of the model where prose calls it (`{{ rights }}` calls `md/rights.md`).", render.BlockData{})
	fmt.Fprintf(&b, "\nThe functions the Markdown templates may call: %s. "+
		"`t KEY` is a label in the document's language (templates/i18n), `text`, `inline` and `md` print a model text as escaped text, inline Markdown or blocks.\n",
		"`"+strings.Join(render.TemplateFuncs(), "`, `")+"`")
	section("A document's page", "`html/page.html`", "Wraps a rendered document as a standalone HTML page (`render --format html`, and each version's page on the site).", render.PageData{})
	section("A site page", "`html/site.html`", "Wraps every page the site builds: the current policy, the archive, version pages, comparisons.", site.PageData{})
	section("A comparison", "`html/diff.html`", "The standalone comparison page (`diff --format html`).", render.DiffPageData{})
	return b.String()
}

// TestTemplatesReferenceIsCurrent keeps docs/templates.md as generated.
func TestTemplatesReferenceIsCurrent(t *testing.T) {
	want := templatesDoc(t)
	path := filepath.Join("..", "docs", "templates.md")
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Errorf("docs/templates.md is not current: run go test ./site -run TestTemplatesReferenceIsCurrent -update")
	}
}
