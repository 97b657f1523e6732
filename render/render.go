// Package render turns a policy model into documents: model + templates →
// canonical Markdown → one goldmark AST → Markdown, HTML and PDF writers, so
// the three formats always say the same thing. It also writes the resolved
// model as JSON.
//
// It must not print, exit or touch the archive; it writes to the io.Writer
// it is given.
package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"maps"
	"sync"
	"text/template"

	"github.com/policyc/policyc/templates"
)

// Renderer renders policies with a set of templates. It is safe for
// concurrent use.
type Renderer struct {
	tpl   *templates.Set
	fonts FontSet

	mu     sync.Mutex
	parsed map[string]*template.Template
	page   *htmltemplate.Template
	label  map[string]map[string]string

	prepared map[PageSize][]chan *pdfBase // by PreparePDF, oldest first
}

// Option configures a Renderer.
type Option func(*Renderer)

// WithTemplates makes the files in fsys (a policy's templates/ folder)
// override the default templates of the same relative path.
func WithTemplates(fsys fs.FS) Option { return func(r *Renderer) { r.tpl = templates.New(fsys) } }

// WithFonts sets the fonts used for PDF output.
func WithFonts(f FontSet) Option { return func(r *Renderer) { r.fonts = f } }

// New returns a renderer.
func New(opts ...Option) *Renderer {
	r := &Renderer{tpl: templates.New(nil), parsed: map[string]*template.Template{}, label: map[string]map[string]string{}}
	for _, o := range opts {
		o(r)
	}
	return r
}

// TemplateError is a problem in a template file, with where it came from.
type TemplateError struct {
	Name   string
	Source templates.Source
	Err    error
}

func (e *TemplateError) Error() string {
	return fmt.Sprintf("%s template %s: %v", e.Source, e.Name, e.Err)
}

func (e *TemplateError) Unwrap() error { return e.Err }

// labels returns the labels for a locale: the locale's file, else the
// labels for its language ("zh" for "zh-TW"), else English.
func (r *Renderer) labels(locale string) (map[string]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if l, ok := r.label[locale]; ok {
		return l, nil
	}
	en, err := r.readLabels("en")
	if err != nil {
		return nil, err
	}
	out := en
	for _, cand := range []string{locale, baseLanguage(locale)} {
		if cand == "en" {
			break
		}
		if l, err := r.readLabels(cand); err == nil {
			out = map[string]string{}
			for k, v := range en {
				out[k] = v
			}
			for k, v := range l {
				out[k] = v
			}
			break
		}
	}
	r.label[locale] = out
	return out, nil
}

func baseLanguage(locale string) string {
	for i := range len(locale) {
		if locale[i] == '-' {
			return locale[:i]
		}
	}
	return locale
}

func (r *Renderer) readLabels(locale string) (map[string]string, error) {
	name := "i18n/" + locale + ".json"
	b, src, err := r.tpl.Read(name)
	if err != nil {
		return nil, err
	}
	if src == templates.Default {
		if m, ok := defaultLabels.Load(name); ok {
			return maps.Clone(m.(map[string]string)), nil
		}
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, &TemplateError{Name: name, Source: src, Err: err}
	}
	if src == templates.Default {
		defaultLabels.Store(name, maps.Clone(m))
	}
	return m, nil
}

// defaultLabels holds the default (embedded) label files once decoded, by
// name, for every renderer of the process. Each renderer gets its own copy,
// as Labels hands the map to its callers.
var defaultLabels sync.Map

// template returns a parsed template by relative path. Templates are named
// by their full relative path, so two files never shadow each other.
func (r *Renderer) template(name string, funcs template.FuncMap) (*template.Template, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t, ok := r.parsed[name]; ok {
		return t, nil
	}
	b, src, err := r.tpl.Read(name)
	if err != nil {
		return nil, &TemplateError{Name: name, Source: src, Err: err}
	}
	if src == templates.Default {
		if t, ok := defaultParsed.Load(name); ok {
			r.parsed[name] = t.(*template.Template)
			return r.parsed[name], nil
		}
	}
	t, err := template.New(name).Option("missingkey=error").Funcs(funcs).Parse(string(b))
	if err != nil {
		return nil, &TemplateError{Name: name, Source: src, Err: err}
	}
	if src == templates.Default {
		defaultParsed.Store(name, t)
	}
	r.parsed[name] = t
	return t, nil
}

// defaultParsed holds the default (embedded) templates once parsed, by
// name, for every renderer of the process: a command that makes several
// renderers (diff, release, a site build) parses each once. They are
// parsed with the stub functions and never executed as they are: a
// composer runs a clone given its own functions.
var defaultParsed sync.Map

// exec runs a Markdown template with this composer's functions.
func (c *composer) exec(name string, buf *bytes.Buffer, data any) error {
	t, err := c.bind(name)
	if err != nil {
		return err
	}
	if err := t.Execute(buf, data); err != nil {
		_, src, _ := c.r.tpl.Read(name)
		return &TemplateError{Name: name, Source: src, Err: err}
	}
	return nil
}

// bind returns the named template with this composer's functions.
func (c *composer) bind(name string) (*template.Template, error) {
	if t, ok := c.bound[name]; ok {
		return t, nil
	}
	t, err := c.r.template(name, templateFuncStubs)
	if err != nil {
		return nil, err
	}
	if t, err = t.Clone(); err != nil {
		return nil, err
	}
	if c.bound == nil {
		c.bound = map[string]*template.Template{}
	}
	c.bound[name] = t.Funcs(c.templateFuncs())
	return c.bound[name], nil
}

// LanguageName is a locale's name in its own language, for language links.
func LanguageName(locale string) string {
	switch locale {
	case "en", "en-GB", "en-US":
		return "English"
	case "zh-CN", "zh-Hans", "zh-Hans-CN", "zh":
		return "简体中文"
	case "zh-TW", "zh-Hant", "zh-HK":
		return "繁體中文"
	case "fr":
		return "Français"
	case "de":
		return "Deutsch"
	case "ja":
		return "日本語"
	case "ko":
		return "한국어"
	case "es":
		return "Español"
	}
	return locale
}

// Labels returns the labels of a locale (falling back to its language,
// then English), for other packages that write pages in the policy's words.
func (r *Renderer) Labels(locale string) (map[string]string, error) { return r.labels(locale) }
