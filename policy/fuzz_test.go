package policy

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzLoad feeds arbitrary policy.yaml and section bytes to the loader. It
// must never panic, and every problem it reports must carry a position in
// one of the files it was given.
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"../examples/website", "../examples/sdk-provider"} {
		b, err := os.ReadFile(filepath.Join(dir, "policy.yaml"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, []byte("{{ sdk_table }}"))
	}
	cases, _ := filepath.Glob("testdata/invalid/*.txtar")
	for _, c := range cases {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			f.Fatal(err)
		}
		var policy, section []byte
		for _, file := range ar.Files {
			switch {
			case file.Name == "policy.yaml":
				policy = file.Data
			case strings.HasSuffix(file.Name, ".md"):
				section = file.Data
			}
		}
		f.Add(policy, section)
	}
	f.Fuzz(func(t *testing.T, policy, section []byte) {
		fsys := fstest.MapFS{
			"policy.yaml":    {Data: policy},
			"intro.md":       {Data: section},
			"sections/a.md":  {Data: section},
			"purposes.yaml":  {Data: policy},
			"intro.en.md":    {Data: section},
			"intro.zh-CN.md": {Data: section},
		}
		p, err := LoadFS(fsys)
		if err == nil {
			if p == nil {
				t.Fatal("no policy and no error")
			}
			return
		}
		list, ok := err.(ErrorList)
		if !ok {
			t.Fatalf("error is %T, not an ErrorList: %v", err, err)
		}
		for _, e := range list {
			if _, statErr := fs.Stat(fsys, e.Pos.File); statErr != nil && e.Pos.File != "" {
				// A missing file is reported where it was named, never as its own position.
				t.Fatalf("problem positioned in a file that does not exist: %v", e)
			}
			if e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Fatalf("problem without a line and column: %v", e)
			}
		}
	})
}

// FuzzProseCalls feeds arbitrary prose to the fact-reference parser.
func FuzzProseCalls(f *testing.F) {
	f.Add(`We collect {{ category "email" }}.`)
	f.Add("{{ if true }}x{{ end }}")
	f.Add("{{ sdk_table }}\n{{ category }}")
	f.Add("中文 {{ category \"位置\" }}")
	f.Add("{{ range 2000000000 }}{{ end }}{{ .X }}{{- sdk_table -}}")
	f.Add("a}} {{\tcontroller\t}}{{ exceptions \"sharing\" }}{{")
	f.Fuzz(func(t *testing.T, src string) {
		calls, errs := ProseCalls(src)
		lines := strings.Count(src, "\n") + 1
		for _, c := range calls {
			if c.Line < 1 || c.Line > lines || c.Col < 1 {
				t.Fatalf("call %v outside the text", c)
			}
		}
		for _, e := range errs {
			if e.Line < 1 || e.Line > lines+1 || e.Col < 1 {
				t.Fatalf("error %v outside the text", e)
			}
		}
		if len(errs) > 0 {
			return
		}
		// Prose that parses is text and references only: written back in
		// canonical form, it parses to the same parts.
		parts, _ := ParseProse(src)
		var b strings.Builder
		for _, p := range parts {
			switch {
			case p.Call == nil && strings.Contains(p.Text, "{{"):
				t.Fatalf("text part %q holds {{", p.Text)
			case p.Call == nil:
				b.WriteString(p.Text)
			case p.Call.Arg != nil:
				b.WriteString("{{ " + p.Call.Func + " \"" + *p.Call.Arg + "\" }}")
			default:
				b.WriteString("{{ " + p.Call.Func + " }}")
			}
		}
		again, errs := ProseCalls(b.String())
		if len(errs) > 0 || len(again) != len(calls) {
			t.Fatalf("written back as %q: %d calls, errors %v; want %d calls", b.String(), len(again), errs, len(calls))
		}
		for i := range calls {
			a, c := again[i], calls[i]
			if a.Func != c.Func || (a.Arg == nil) != (c.Arg == nil) || a.Arg != nil && *a.Arg != *c.Arg {
				t.Fatalf("call %d: %+v written back parses as %+v", i, c, a)
			}
		}
	})
}
