// Package site builds the static site of a policy from its archive: the
// current policy in each locale, every archived version with its files as
// published, comparisons between versions, an Atom feed of releases per
// locale, versions.json for apps, the latest significant change's banner, a
// sitemap and a 404 page. Links are relative, so the site works under any
// sub-path and from file://; it loads nothing from elsewhere.
//
// It must not print or exit.
package site

import (
	"bytes"

	"errors"
	"fmt"
	"html/template"

	"slices"
	"strconv"
	"strings"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
	"github.com/policyc/policyc/templates"
	"github.com/policyc/policyc/versions"
)

// Options describe a build.
type Options struct {
	Dir string // the policy directory (its repository holds the archive)
	Out string // the output directory
	// BaseURL is where the site will be served (https://example.org/privacy/);
	// it makes the feed's links absolute and enables the sitemap.
	BaseURL string
	// Draft adds the unreleased working copy under draft/, marked as a draft.
	Draft bool
}

// Report says what a build wrote.
type Report struct {
	Files, Written, Unchanged, Removed int
}

// ErrNothing means there is no released version and no draft to publish.
var ErrNothing = errors.New("nothing to publish: release a version first (or build with --draft)")

type builder struct {
	o       Options
	arch    *versions.Archive
	r       *render.Renderer
	tpl     *template.Template
	css     template.CSS
	files   map[string][]byte
	vs      []versions.Version // oldest first
	models  map[int]*policy.Policy
	notices map[int]render.NoticeRecord // each version's notice pack record, read once
}

// Build writes the site. Every file is rendered in memory first; then each
// is written atomically, files whose bytes are unchanged are left alone
// (keeping their modification times), and files a previous build wrote that
// are no longer part of the site are removed.
func Build(o Options) (Report, error) {
	if o.BaseURL != "" && !strings.HasSuffix(o.BaseURL, "/") {
		o.BaseURL += "/"
	}
	id, err := policy.ReadID(o.Dir)
	if err != nil {
		return Report{}, err
	}
	arch, err := versions.Open(o.Dir, string(id))
	if err != nil {
		return Report{}, err
	}
	vs, err := arch.Versions()
	if err != nil {
		return Report{}, err
	}
	slices.Reverse(vs)
	if len(vs) == 0 && !o.Draft {
		return Report{}, ErrNothing
	}
	b := &builder{o: o, arch: arch, r: render.New(), files: map[string][]byte{}, vs: vs, models: map[int]*policy.Policy{}, notices: map[int]render.NoticeRecord{}}
	if err := b.load(); err != nil {
		return Report{}, err
	}
	if err := b.build(); err != nil {
		return Report{}, err
	}
	return b.write()
}

func (b *builder) load() error {
	set := templates.New(nil)
	page, _, err := set.Read("html/site.html")
	if err != nil {
		return err
	}
	css, _, err := set.Read("html/style.css")
	if err != nil {
		return err
	}
	b.css = template.CSS(css)
	b.tpl, err = template.New("html/site.html").Option("missingkey=error").Parse(string(page))
	return err
}

// model is a version's model, loaded once (nil for imported versions).
func (b *builder) model(v versions.Version) (*policy.Policy, error) {
	if v.Imported {
		return nil, nil
	}
	if m, ok := b.models[v.Version]; ok {
		return m, nil
	}
	m, err := b.arch.Model(v)
	if err != nil {
		return nil, err
	}
	b.models[v.Version] = m
	return m, nil
}

// locales are the locales a version was published in, from its files.
func locales(v versions.Version) []string {
	var out []string
	for _, f := range v.Files {
		rest, ok := strings.CutPrefix(f.Path, "rendered/policy.")
		if !ok {
			continue
		}
		loc := rest[:strings.LastIndexByte(rest, '.')]
		if !slices.Contains(out, loc) {
			out = append(out, loc)
		}
	}
	return out
}

func vdir(n int) string { return "v" + strconv.Itoa(n) + "/" }

func (b *builder) build() error {
	for _, v := range b.vs {
		rendered, err := b.arch.Files(v, "rendered/")
		if err != nil {
			return err
		}
		for name, data := range rendered {
			b.files[vdir(v.Version)+name] = data // exactly as archived
		}
	}
	if len(b.vs) > 0 {
		if err := b.current(); err != nil {
			return err
		}
		if err := b.comparisons(); err != nil {
			return err
		}
	}
	siteLocales := b.siteLocales()
	for i, loc := range siteLocales {
		if err := b.pages(loc, siteLocales, i == 0); err != nil {
			return err
		}
	}
	if err := b.draft(); err != nil {
		return err
	}
	b.versionsJSON()
	b.sitemap()
	return nil
}

// siteLocales are the latest version's locales (or the draft's).
func (b *builder) siteLocales() []string {
	if len(b.vs) > 0 {
		return locales(b.vs[len(b.vs)-1])
	}
	p, err := policy.Load(b.o.Dir)
	if err != nil || p == nil {
		return []string{"en"}
	}
	var out []string
	for _, l := range p.Locales {
		out = append(out, string(l))
	}
	return out
}

// suffix is the file-name suffix of a locale's site pages: "" for the first.
func suffix(loc string, first bool) string {
	if first {
		return ""
	}
	return "." + loc
}

// current puts the latest version's documents at the root, as published.
func (b *builder) current() error {
	latest := b.vs[len(b.vs)-1]
	for _, f := range latest.Files {
		if name, ok := strings.CutPrefix(f.Path, "rendered/"); ok {
			b.files[name] = b.files[vdir(latest.Version)+name]
		}
	}
	return nil
}

// comparisons are each version against the one before it and against the
// current one.
func (b *builder) comparisons() error {
	latest := b.vs[len(b.vs)-1]
	for i, v := range b.vs {
		if i > 0 {
			if err := b.compare(b.vs[i-1], v, fmt.Sprintf("compare/v%d-v%d.html", b.vs[i-1].Version, v.Version)); err != nil {
				return err
			}
			// Only this version and the latest are needed from here on.
			if prev := b.vs[i-1].Version; prev != latest.Version {
				delete(b.models, prev)
			}
		}
		if v.Version != latest.Version && i != len(b.vs)-2 {
			if err := b.compare(v, latest, fmt.Sprintf("compare/v%d-v%d.html", v.Version, latest.Version)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *builder) compare(from, to versions.Version, name string) error {
	a, err := b.model(from)
	if err != nil {
		return err
	}
	c, err := b.model(to)
	if err != nil || a == nil || c == nil {
		return err // an imported version has no model to compare
	}
	as := policy.Assess(a, c)
	loc := string(c.Locales[0])
	da, err := b.doc(a, from, loc)
	if err != nil {
		return err
	}
	dc, err := b.doc(c, to, loc)
	if err != nil {
		return err
	}
	rl, err := render.Redline(da, dc)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := render.DiffHTML(&buf, "v"+strconv.Itoa(from.Version), "v"+strconv.Itoa(to.Version), loc, as, rl); err != nil {
		return err
	}
	b.files[name] = buf.Bytes()
	return nil
}

// doc is a version's policy document in a locale as it was published: the
// archived Markdown (byte for byte what composing its model gives) with the
// sections of its model, for the redline. Nothing is composed again.
func (b *builder) doc(p *policy.Policy, v versions.Version, loc string) (*render.Doc, error) {
	md, ok := b.files[vdir(v.Version)+"policy."+loc+".md"]
	if !ok {
		upd, _ := policy.ParseDate(v.Updated)
		eff, _ := policy.ParseDate(v.Effective)
		docs, err := b.r.Compose(p, loc, render.Meta{Version: strconv.Itoa(v.Version), Updated: upd, Effective: eff})
		if err != nil {
			return nil, err
		}
		return docs[0], nil
	}
	labels, err := b.r.Labels(loc)
	if err != nil {
		return nil, err
	}
	d := &render.Doc{Policy: p, Locale: loc, ID: "policy", Title: p.Title.Get(loc), Markdown: md}
	d.Sections = append(d.Sections, render.Heading{ID: render.ContentsID, Title: labels["contents"]})
	for _, s := range p.Sections {
		d.Sections = append(d.Sections, render.Heading{ID: string(s.ID), Title: s.Title.Get(loc), Appendix: s.Appendix})
	}
	return d, nil
}
