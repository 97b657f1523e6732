package render_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

func loadExample(t testing.TB, name string) *policy.Policy {
	t.Helper()
	p, err := policy.Load(filepath.Join("..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestComposeDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip("set DUMP=dir to write the composed Markdown")
	}
	r := render.New()
	for _, name := range []string{"website", "sdk-provider"} {
		p := loadExample(t, name)
		for _, loc := range p.Locales {
			docs, err := r.Compose(p, string(loc), render.Meta{Version: "3"})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range docs {
				os.WriteFile(filepath.Join(os.Getenv("DUMP"), name+"-"+d.FileName()+".md"), d.Markdown, 0o644)
			}
		}
	}
}
