package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

var renderFormats = []string{"md", "html", "pdf", "docx", "json"}

type renderFlags struct {
	formats  string
	locale   string
	fragment bool
	output   string
	version  string
	page     string
	fonts    fontFlags
}

func newRender(stdio Stdio, g *globals) *cobra.Command {
	var f renderFlags
	cmd := &cobra.Command{
		Use:   "render [DIR]",
		Short: "Render the policy to Markdown, HTML, PDF, Word or JSON",
		Long: `Render composes the policy in DIR (default: the current directory) and
writes it in one or more formats. All formats come from one Markdown
document tree, so they say the same thing.

Without -o, one document in one format and locale goes to standard output.
With -o DIR (an existing directory, or a path ending in /), every document
(the policy and any separate documents, such as children's rules) is written
for each chosen locale and format, as DIR/<document>.<locale>.<format>.
With -o FILE, the policy itself is written to FILE. Missing directories
are created. In a repository whose policyc.yaml lists several policies,
each is rendered into DIR/<id>/ (-o DIR/ is then required).

Files are written only after everything has rendered, each through a
temporary file and a rename: a failed render leaves earlier outputs intact.`,
		Example: `  policyc render examples/website --format html -o site/
  policyc render examples/sdk-provider --format pdf --locale zh-CN -o policy.pdf
  policyc render --format md,html,pdf --locale all -o out/`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if _, err := parseFormats(f.formats); err != nil {
				return usageError{err}
			}
			ts, err := g.targets(a, true)
			if err != nil {
				return err
			}
			if len(ts) == 1 {
				return runRender(stdio, ts[0].dir, f)
			}
			if f.output == "" || !(strings.HasSuffix(f.output, "/") || isDir(f.output)) {
				return usageError{fmt.Errorf("several policies (%s) need an output directory: -o DIR/", strings.Join(ids(ts), ", "))}
			}
			for _, t := range ts {
				each := f
				each.output = filepath.Join(f.output, t.id) + "/"
				if err := runRender(stdio, t.dir, each); err != nil {
					return fmt.Errorf("%s: %w", t.id, err)
				}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.formats, "format", "html", "formats, comma-separated: "+strings.Join(renderFormats, ", ")+", or all")
	completeFormats(cmd, slices.Concat(renderFormats, []string{"all"})...)
	fl.StringVar(&f.locale, "locale", "", "locale to render, or all (default: the policy's first locale)")
	fl.BoolVar(&f.fragment, "fragment", false, "HTML: write only the document, for embedding in another page")
	fl.StringVarP(&f.output, "output", "o", "", "write to `FILE` or DIR/ instead of standard output")
	fl.StringVar(&f.version, "version-label", "", "version to print in the document (default: marked as a draft)")
	fl.StringVar(&f.page, "page-size", "A4", "PDF and DOCX page size: A4 or Letter")
	f.fonts.register(cmd)
	cmd.RegisterFlagCompletionFunc("locale", completeLocales(g))
	cmd.RegisterFlagCompletionFunc("page-size", cobra.FixedCompletions([]string{"A4", "Letter"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runRender(stdio Stdio, dir string, f renderFlags) error {
	formats, err := parseFormats(f.formats)
	if err != nil {
		return usageError{err}
	}
	page, err := render.ParsePageSize(f.page)
	if err != nil {
		return usageError{err}
	}
	fonts, err := f.fonts.load()
	if err != nil {
		return err
	}
	opts := []render.Option{render.WithFonts(fonts)}
	if tfs, ok := templatesDir(dir); ok {
		opts = append(opts, render.WithTemplates(tfs))
	}
	r := render.New(opts...)
	if slices.Contains(formats, "pdf") {
		r.PreparePDF(render.PDFOptions{PageSize: page}) // while the policy loads
	}
	p, err := loadPolicy(dir)
	if err != nil {
		return err
	}
	locales, err := chooseLocales(p, f.locale)
	if err != nil {
		return usageError{err}
	}
	toDir := f.output != "" && (strings.HasSuffix(f.output, "/") || isDir(f.output))
	if !toDir && (len(formats) > 1 || len(locales) > 1) {
		return usageError{errors.New("several formats or locales need an output directory: -o DIR/")}
	}
	outs, err := r.Files(p, render.Request{Locales: locales, Formats: formats, Meta: render.Meta{Version: f.version},
		Fragment: f.fragment, PDF: render.PDFOptions{PageSize: page}, FirstOnly: !toDir})
	if err != nil {
		return err
	}
	switch {
	case f.output == "":
		_, err := stdio.Out.Write(outs[0].Data)
		return err
	case !toDir:
		return writeOutput(f.output, outs[0].Data)
	}
	for _, o := range outs {
		if err := writeOutput(filepath.Join(f.output, o.Name), o.Data); err != nil {
			return err
		}
	}
	return nil
}

func parseFormats(s string) ([]string, error) {
	if s == "all" {
		return renderFormats, nil
	}
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if !slices.Contains(renderFormats, f) {
			return nil, fmt.Errorf("unknown format %q (want %s, or all)", f, strings.Join(renderFormats, ", "))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

func chooseLocales(p *policy.Policy, want string) ([]string, error) {
	var all []string
	for _, l := range p.Locales {
		all = append(all, string(l))
	}
	switch {
	case want == "":
		return all[:1], nil
	case want == "all":
		return all, nil
	case slices.Contains(all, want):
		return []string{want}, nil
	}
	return nil, fmt.Errorf("the policy has no locale %q (it has %s)", want, strings.Join(all, ", "))
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// templatesDir is the policy's own templates/ folder, if it has one.
func templatesDir(dir string) (fs.FS, bool) {
	td := filepath.Join(dir, "templates")
	if !isDir(td) {
		return nil, false
	}
	root, err := os.OpenRoot(td)
	if err != nil {
		return nil, false
	}
	return root.FS(), true
}
