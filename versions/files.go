package versions

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// Formats archived for every document and locale.
var Formats = []string{"md", "html", "pdf", "docx"}

// PolicyFiles gathers what a version archives: the model's source files and
// the policy directory's templates/ (they shape the output) under source/,
// and every document in every locale and format under rendered/, plus the
// resolved model as JSON per locale.
func PolicyFiles(p *policy.Policy, r *render.Renderer, meta render.Meta) (map[string][]byte, error) {
	files := map[string][]byte{}
	root, err := os.OpenRoot(p.Dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	for name := range p.Files {
		b, err := root.ReadFile(name)
		if err != nil {
			return nil, err
		}
		files["source/"+name] = b
	}
	if st, err := root.Stat("templates"); err == nil && st.IsDir() {
		err := fs.WalkDir(root.FS(), "templates", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := root.ReadFile(name)
			files["source/"+filepath.ToSlash(name)] = b
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	var locales []string
	for _, loc := range p.Locales {
		locales = append(locales, string(loc))
	}
	outs, err := r.Files(p, render.Request{Locales: locales, Formats: slices.Concat(Formats, []string{"json"}), Meta: meta})
	if err != nil {
		return nil, err
	}
	for _, o := range outs {
		files[path.Join("rendered", o.Name)] = o.Data
	}
	return files, nil
}
