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
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/policyc/policyc/internal/parallel"
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
	// Without names formats of the archived documents to leave out of the
	// site ("md", "pdf", "docx", "json"; a smaller site, the archive still holds
	// them). The archived HTML pages always stay: the site shows them.
	Without []string
	// AsOf is the date the site is built for: the policy in force is the
	// newest version effective on or before it, and a version effective
	// after it is announced as upcoming. Zero means the newest version's
	// updated date; a build never reads the clock.
	AsOf policy.Date
}

// Optional are the formats a site can leave out (Options.Without).
var Optional = []string{"md", "pdf", "docx", "json"}

// ErrFormat means Options.Without names a format a site cannot leave out.
var ErrFormat = errors.New("a site can leave out only md, pdf, docx and json (it shows the archived HTML)")

// Report says what a build wrote.
type Report struct {
	Files, Written, Unchanged, Removed int
}

// ErrNothing means there is no released version and no draft to publish.
var ErrNothing = errors.New("nothing to publish: release a version first (or build with --draft)")

type builder struct {
	o    Options
	arch *versions.Archive
	r    *render.Renderer
	tpl  *template.Template
	css  template.CSS
	out  *sink
	vs   []versions.Version // oldest first
	// index is where each version number stands in vs.
	index map[int]int
	// salt is part of every computed page's key: what shapes the pages
	// besides their inputs (this build of policyc and its templates).
	salt string
	loc  string // the locale comparisons are shown in

	outlines *outlines
	cuts     *cuts

	mu      sync.Mutex
	kept    map[plumbing.Hash][]byte // archived Markdown read for copying, kept for comparing
	models  map[int]*policy.Policy
	notices map[int]render.NoticeRecord // each version's notice pack record, read once
	info    map[int]*vinfo

	chainsOnce sync.Once
	chains     map[int][]policy.Change // version → recorded changes to the current one
	chainsErr  error
}

// vinfo is what the build reads of a version's tree.
type vinfo struct {
	rendered []versions.Entry
	verdict  plumbing.Hash // verdict.json: the assessment against the version before (zero if none)

	// The recorded verdict, read once.
	once      sync.Once
	recorded  policy.Assessment
	told      bool // the release recorded a verdict that could be read
	readError error

	docs map[string]*render.CutDoc // by locale, for redlines
}

// Build writes the site. Pages are made on both cores and written beside
// their places as they are made; files whose inputs are unchanged since the
// previous build are neither made nor read again (keeping their bytes and
// modification times). When everything has been made, new files are renamed
// into place and files no longer part of the site are removed; a failed
// build leaves the previous site as it was.
func Build(o Options) (Report, error) {
	b, err := newBuilder(o)
	if err != nil {
		return Report{}, err
	}
	if err := b.build(); err != nil {
		b.out.abort()
		return Report{}, err
	}
	// The caches hold what archived blobs say, true whether or not the
	// site commits: they are written beside the commit.
	var saved sync.WaitGroup
	saved.Go(func() { b.outlines.save(); b.cuts.save() })
	rep, err := b.out.commit()
	saved.Wait()
	return rep, err
}

// manifestOf is where a build of the site of dir in out keeps its
// manifest; "" while the policy or its repository cannot be read.
func manifestOf(dir, out string) string {
	id, err := policy.ReadID(dir)
	if err != nil {
		return ""
	}
	arch, err := versions.Open(dir, string(id))
	if err != nil {
		return ""
	}
	return manifestPath(arch.StateDir(), out)
}

func newBuilder(o Options) (*builder, error) {
	for _, f := range o.Without {
		if !slices.Contains(Optional, f) {
			return nil, fmt.Errorf("%w: %q", ErrFormat, f)
		}
	}
	if o.BaseURL != "" {
		// The feed and the sitemap link to it: an http or https URL, as
		// the model's URLs are.
		if _, err := policy.ParseURL(o.BaseURL); err != nil {
			return nil, fmt.Errorf("base URL: %w", err)
		}
		if !strings.HasSuffix(o.BaseURL, "/") {
			o.BaseURL += "/"
		}
	}
	id, err := policy.ReadID(o.Dir)
	if err != nil {
		return nil, err
	}
	arch, err := versions.Open(o.Dir, string(id))
	if err != nil {
		return nil, err
	}
	vs, err := arch.Versions()
	if err != nil {
		return nil, err
	}
	slices.Reverse(vs)
	if len(vs) == 0 && !o.Draft {
		return nil, ErrNothing
	}
	index := map[int]int{}
	for i, v := range vs {
		index[v.Version] = i
	}
	out, err := newSink(o.Out, manifestPath(arch.StateDir(), o.Out))
	if err != nil {
		return nil, err
	}
	b := &builder{o: o, arch: arch, index: index, r: render.New(), out: out, vs: vs,
		kept: map[plumbing.Hash][]byte{}, models: map[int]*policy.Policy{}, notices: map[int]render.NoticeRecord{}, info: map[int]*vinfo{}}
	if err := b.load(); err != nil {
		b.out.abort()
		return nil, err
	}
	b.outlines = loadOutlines(filepath.Join(arch.StateDir(), "site", "outlines.json"), b.salt)
	b.cuts = loadCuts(filepath.Join(arch.StateDir(), "site", "cuts.json"), b.salt)
	return b, nil
}

func (b *builder) load() error {
	// The policy's own templates/ overrides the site's page and stylesheet
	// as it does the documents'.
	var override fs.FS
	if root, err := os.OpenRoot(filepath.Join(b.o.Dir, "templates")); err == nil {
		defer root.Close()
		override = root.FS()
	}
	set := templates.New(override)
	page, _, err := set.Read("html/site.html")
	if err != nil {
		return err
	}
	css, err := set.Stylesheet()
	if err != nil {
		return err
	}
	b.css = template.CSS(css)
	b.tpl, err = template.New("html/site.html").Option("missingkey=error").Parse(string(page))
	if err != nil {
		return err
	}
	h := sha256.New()
	fmt.Fprintln(h, buildID())
	for _, name := range templates.Names() {
		data, _, _ := set.Read(name)
		fmt.Fprintf(h, "%s %d\n", name, len(data))
		h.Write(data)
	}
	fmt.Fprintf(h, "%s %d\n", templates.ExtraCSS, len(css))
	h.Write(css)
	b.salt = hex.EncodeToString(h.Sum(nil)[:12])
	return nil
}

// buildID names this build of policyc: its module version and commit, or,
// for a build from modified sources, the executable itself.
func buildID() string {
	var id strings.Builder
	modified := true
	if bi, ok := debug.ReadBuildInfo(); ok {
		id.WriteString(bi.Main.Version)
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				id.WriteString(" " + s.Value)
			case "vcs.modified":
				modified = s.Value != "false"
			}
		}
	}
	if modified {
		if exe, err := os.Executable(); err == nil {
			if st, err := os.Stat(exe); err == nil {
				fmt.Fprintf(&id, " %s %d %d", exe, st.Size(), st.ModTime().UnixNano())
			}
		}
	}
	return id.String()
}

// skip says whether a file of the archive stays out of the site.
func (b *builder) skip(name string) bool {
	ext := name[strings.LastIndexByte(name, '.')+1:]
	return slices.Contains(b.o.Without, ext)
}

// model is a version's model, loaded once (nil for imported versions).
func (b *builder) model(v versions.Version) (*policy.Policy, error) {
	if v.Imported {
		return nil, nil
	}
	b.mu.Lock()
	m, ok := b.models[v.Version]
	b.mu.Unlock()
	if ok {
		return m, nil
	}
	m, err := b.arch.Model(v)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.models[v.Version] = m
	b.mu.Unlock()
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
		loc := rest[:max(strings.LastIndexByte(rest, '.'), 0)]
		if _, err := policy.ParseLocale(loc); err != nil {
			continue // not a file policyc names: its name never becomes a link
		}
		if !slices.Contains(out, loc) {
			out = append(out, loc)
		}
	}
	return out
}

func vdir(n int) string { return "v" + strconv.Itoa(n) + "/" }

// scan reads each version's tree listing once, on every core.
func (b *builder) scan() error {
	infos := make([]*vinfo, len(b.vs))
	var tasks []func() error
	for i, v := range b.vs {
		tasks = append(tasks, func() error {
			rendered, err := b.arch.Entries(v, "rendered/")
			if err != nil {
				return err
			}
			top, err := b.arch.Entries(v, "")
			if err != nil {
				return err
			}
			infos[i] = &vinfo{rendered: rendered, docs: map[string]*render.CutDoc{}}
			for _, e := range top {
				if e.Name == "verdict.json" {
					infos[i].verdict = e.Blob
				}
			}
			return nil
		})
	}
	if err := parallel.Run(tasks); err != nil {
		return err
	}
	for i, v := range b.vs {
		b.info[v.Version] = infos[i]
	}
	return nil
}

func (b *builder) build() error {
	if err := b.scan(); err != nil {
		return err
	}
	var tasks []func() error
	if len(b.vs) > 0 {
		latest := b.vs[len(b.vs)-1]
		if m, err := b.model(latest); err != nil {
			return err
		} else if m != nil {
			b.loc = string(m.Locales[0])
		} else if ls := locales(latest); len(ls) > 0 {
			b.loc = ls[0] // imported: the locale it was published in
		}
		current := b.current()
		for _, v := range b.vs {
			for _, e := range b.info[v.Version].rendered {
				if b.skip(e.Name) {
					continue
				}
				names := []string{vdir(v.Version) + e.Name} // exactly as archived
				if v.Version == current.Version {
					names = append(names, e.Name) // the documents in force at the root
				}
				tasks = append(tasks, func() error { return b.copy(names, e) })
			}
		}
		tasks = append(tasks, b.comparisons()...)
	}
	siteLocales := b.siteLocales()
	for i, loc := range siteLocales {
		pages, err := b.versionPages(loc, siteLocales, i == 0)
		if err != nil {
			return err
		}
		tasks = append(tasks, pages...)
		if pages, err = b.documentPages(loc, siteLocales, i == 0); err != nil {
			return err
		}
		tasks = append(tasks, pages...)
	}
	if err := parallel.Run(tasks); err != nil {
		return err
	}
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
	return b.out.err
}

// copy puts an archived file into the site under each name, reading it
// only if some name is not already in place from the same blob. What the
// comparisons will need of a file read here is kept: the Markdown in the
// comparisons' locale, and the outline of each page.
func (b *builder) copy(names []string, e versions.Entry) error {
	key := "blob:" + e.Blob.String()
	var todo []string
	for _, n := range names {
		if !b.out.cached(n, key) {
			todo = append(todo, n)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	keep := e.Name == "policy."+b.loc+".md"
	var buf []byte
	if !keep {
		if p, ok := copyBuffers.Get().(*[]byte); ok {
			buf = *p
		}
	}
	data, err := b.arch.BlobInto(e.Blob, buf)
	if err != nil {
		return fmt.Errorf("reading %s from the archive (blob %s): %w", todo[0], e.Blob, err)
	}
	switch {
	case keep:
		b.mu.Lock()
		b.kept[e.Blob] = data
		b.mu.Unlock()
	case e.Name == "policy."+b.loc+".html":
		b.outlines.of(e.Blob, data)
	}
	pub := data
	if strings.HasSuffix(e.Name, ".html") {
		// A page released by an earlier policyc may carry what links are
		// now judged against; the public copy never does. Pages policyc
		// renders today come through byte for byte.
		pub, _ = render.Inert(data)
	}
	for _, n := range todo {
		b.out.putKeyed(n, key, pub)
	}
	if !keep {
		copyBuffers.Put(&data)
	}
	return nil
}

// copyBuffers hold archived files on their way into the site: a build
// copies tens of megabytes, which fresh memory for each file would cost in
// page faults and collections.
var copyBuffers sync.Pool // of *[]byte

// markdown is an archived Markdown file, read once.
func (b *builder) markdown(h plumbing.Hash) ([]byte, error) {
	b.mu.Lock()
	data, ok := b.kept[h]
	b.mu.Unlock()
	if ok {
		return data, nil
	}
	return b.arch.Blob(h)
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

// comparisons are each version against the one before it
// (compare/v2-v3.html, for good) and against the current one
// (compare/v2-current.html: an app that knows only the version a user
// accepted can link to what changed since). A release rewrites the
// comparisons with the current version in place, and leaves the pages of
// the versions that link to them alone.
func (b *builder) comparisons() []func() error {
	latest := b.vs[len(b.vs)-1]
	var tasks []func() error
	for i, v := range b.vs {
		if i > 0 {
			prev := b.vs[i-1]
			tasks = append(tasks, func() error { return b.compare(prev, v, compareName(prev, v)) })
		}
		if v.Version != latest.Version {
			tasks = append(tasks, func() error { return b.compare(v, latest, currentName(v)) })
		}
	}
	return tasks
}

// compareName is the page comparing from with to, the one before it.
func compareName(from, to versions.Version) string {
	return fmt.Sprintf("compare/v%d-v%d.html", from.Version, to.Version)
}

// currentName is the page comparing v with the current version.
func currentName(v versions.Version) string {
	return fmt.Sprintf("compare/v%d-current.html", v.Version)
}

// compare writes the comparison of two versions. A version imported as
// published has no model: its text is compared, and the verdict says the
// change was not assessed structurally.
func (b *builder) compare(from, to versions.Version, name string) error {
	key := "compare:" + b.salt + ":" + from.Commit.String() + ":" + to.Commit.String()
	docx := strings.TrimSuffix(name, ".html") + ".docx"
	wantDOCX := !b.skip(docx) && !b.out.cached(docx, key)
	if b.out.cached(name, key) && !wantDOCX {
		return nil
	}
	var as policy.Assessment
	ok := false
	if from.Imported || to.Imported {
		why := "v" + strconv.Itoa(to.Version)
		if from.Imported {
			why = "v" + strconv.Itoa(from.Version)
		}
		as, ok = policy.Assessment{NotAssessed: why + " was imported as published"}, true
	} else {
		var err error
		if as, ok, err = b.recorded(from, to); err != nil {
			return err
		}
	}
	// Both models: to assess when the records cannot tell, and to word
	// the changes with the names each version gives things.
	ma, err := b.model(from)
	if err != nil {
		return err
	}
	mc, err := b.model(to)
	if err != nil {
		return err
	}
	if !ok {
		as = policy.Assess(ma, mc)
	}
	loc := b.loc
	if !slices.Contains(locales(to), loc) || !slices.Contains(locales(from), loc) {
		loc = locales(to)[0]
	}
	da, err := b.doc(from, loc)
	if err != nil {
		return err
	}
	dc, err := b.doc(to, loc)
	if err != nil {
		return err
	}
	if from.Imported || to.Imported {
		da, dc = render.Align(da, dc) // a file imported as published is cut its own way
	}
	rl := da.Redline(dc)
	as.ProseChanged = as.ProseChanged || (as.NotAssessed != "" && len(rl) > 0)
	var words *render.Wording
	if ma != nil && mc != nil {
		if words, err = b.r.Wording(ma, mc, loc); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := render.DiffHTML(&buf, "v"+strconv.Itoa(from.Version), "v"+strconv.Itoa(to.Version), loc, as, rl, words, b.compareLinks(from, to, loc)); err != nil {
		return err
	}
	b.out.putKeyed(name, key, buf.Bytes())
	if !wantDOCX {
		return nil
	}
	return b.compareDOCX(from, to, ma, mc, as, loc, docx, key)
}

// compareDOCX writes the Word redline beside a comparison page (its name
// with .docx): the newer version with every change against the older as
// a tracked change.
func (b *builder) compareDOCX(from, to versions.Version, ma, mc *policy.Policy, as policy.Assessment, loc, name, key string) error {
	tree := func(v versions.Version, p *policy.Policy) (*render.Tree, render.Meta, error) {
		upd, _ := policy.ParseDate(v.Updated)
		eff, _ := policy.ParseDate(v.Effective)
		meta := render.Meta{Version: strconv.Itoa(v.Version), Updated: upd, Effective: eff}
		if p == nil { // imported as published: its text, as the comparison page reads it
			d, err := b.arch.Document(v, loc)
			if err != nil {
				return nil, meta, err
			}
			d.Meta = meta
			t, err := render.Parse(d)
			return t, meta, err
		}
		docs, err := b.r.Compose(p, loc, meta)
		if err != nil {
			return nil, meta, err
		}
		t, err := render.Parse(docs[0])
		return t, meta, err
	}
	ta, _, err := tree(from, ma)
	if err != nil {
		return err
	}
	tc, meta, err := tree(to, mc)
	if err != nil {
		return err
	}
	opts := render.DOCXRedlineOptions{From: "v" + strconv.Itoa(from.Version), To: "v" + strconv.Itoa(to.Version)}
	if d := meta.Updated; !d.IsZero() {
		opts.Date = d.Time()
	} else if d := meta.Effective; !d.IsZero() {
		opts.Date = d.Time()
	}
	var buf bytes.Buffer
	if err := b.r.DOCXRedline(&buf, ta, tc, as, opts); err != nil {
		return err
	}
	b.out.putKeyed(name, key, buf.Bytes())
	return nil
}

// compareLinks are the pages a comparison page links to, in its locale:
// the archive, the current policy and the two versions.
func (b *builder) compareLinks(from, to versions.Version, loc string) render.DiffLinks {
	sfx := suffix(loc, loc == b.loc)
	return render.DiffLinks{
		Archive: "../archive" + sfx + ".html",
		Current: "../index" + sfx + ".html",
		From:    "../" + vdir(from.Version) + "index" + sfx + ".html",
		To:      "../" + vdir(to.Version) + "index" + sfx + ".html",
	}
}

// recorded is the assessment of from against to from what the releases
// recorded, without loading either model: the verdict to's release stored
// against its predecessor, or the recorded steps between them composed and
// rated by to's model (loaded once, as the current version's). False when
// the records do not tell.
func (b *builder) recorded(from, to versions.Version) (policy.Assessment, bool, error) {
	if prev := b.previous(to); prev != nil && prev.Version == from.Version {
		return b.verdict(to)
	}
	var changes []policy.Change
	var ok bool
	if latest := b.vs[len(b.vs)-1]; to.Version == latest.Version {
		b.chainsOnce.Do(b.composeChains)
		if b.chainsErr != nil {
			return policy.Assessment{}, false, b.chainsErr
		}
		changes, ok = b.chains[from.Version]
	} else {
		var steps [][]policy.Change
		for _, v := range b.vs[b.index[from.Version]+1 : b.index[to.Version]+1] {
			s, ok, err := b.steps(v)
			if err != nil || !ok {
				return policy.Assessment{}, false, err
			}
			steps = append(steps, s)
		}
		changes, ok = policy.Compose(steps)
	}
	if !ok {
		return policy.Assessment{}, false, nil
	}
	m, err := b.model(to)
	if err != nil || m == nil {
		return policy.Assessment{}, false, err
	}
	return policy.Rate(changes, policy.OldProfiles(changes, m), m), true, nil
}

// verdict is the assessment v's release recorded against the version
// before it, read once; false when it recorded none (or one this build
// cannot read as a verdict).
func (b *builder) verdict(v versions.Version) (policy.Assessment, bool, error) {
	in := b.info[v.Version]
	in.once.Do(func() {
		if in.verdict.IsZero() {
			return
		}
		data, err := b.arch.Blob(in.verdict)
		if err != nil {
			in.readError = fmt.Errorf("version %d: verdict.json: %w", v.Version, err)
			return
		}
		_, _, in.recorded, err = policy.ParseVerdict(data)
		in.told = err == nil
	})
	return in.recorded, in.told, in.readError
}

// steps are the changes v's release recorded against the version before.
func (b *builder) steps(v versions.Version) ([]policy.Change, bool, error) {
	as, ok, err := b.verdict(v)
	if !ok || err != nil {
		return nil, false, err
	}
	out := make([]policy.Change, len(as.Changes))
	for i, c := range as.Changes {
		out[i] = c.Change
	}
	return out, true, nil
}

// composeChains composes the recorded changes from every version to the
// current one, newest first: each chain is the step after the version
// followed by the chain after it, so the whole archive costs one
// composition per version. (A composed chain is what Diff would give, so
// it composes like a recorded step.) Chains stop at the first version the
// records cannot tell; those are compared by their models.
func (b *builder) composeChains() {
	b.chains = map[int][]policy.Change{}
	var acc []policy.Change
	for i := len(b.vs) - 1; i > 0; i-- {
		s, ok, err := b.steps(b.vs[i])
		if !ok {
			b.chainsErr = err
			return
		}
		if i == len(b.vs)-1 {
			acc = s
		} else if acc, ok = policy.Compose([][]policy.Change{s, acc}); !ok {
			return
		}
		b.chains[b.vs[i-1].Version] = acc
	}
}

// doc is a version's policy document in a locale as it was published, for
// the redline: the archived Markdown (byte for byte what composing its
// model gives), cut into sections by the headings of the archived HTML
// (their ids match sections across versions). Nothing is composed again,
// and the model is read only for a version whose files do not agree.
func (b *builder) doc(v versions.Version, loc string) (*render.CutDoc, error) {
	in := b.info[v.Version]
	b.mu.Lock()
	c, ok := in.docs[loc]
	b.mu.Unlock()
	if ok {
		return c, nil
	}
	if v.Imported {
		c, err := b.importedDoc(v, loc)
		if err != nil {
			return nil, err
		}
		b.mu.Lock()
		in.docs[loc] = c
		b.mu.Unlock()
		return c, nil
	}
	var mdBlob *plumbing.Hash
	var outline []render.Heading
	for _, e := range in.rendered {
		switch e.Name {
		case "policy." + loc + ".md":
			mdBlob = &e.Blob
		case "policy." + loc + ".html":
			var ok bool
			if outline, ok = b.outlines.get(e.Blob); !ok {
				page, err := b.arch.Blob(e.Blob)
				if err != nil {
					return nil, err
				}
				outline = b.outlines.of(e.Blob, page)
			}
		}
	}
	d := &render.Doc{Locale: loc, ID: "policy", Sections: outline}
	if mdBlob != nil {
		if parts, ok := b.cuts.get(*mdBlob); ok && parts.Headings == len(outline) {
			c = render.FromParts(d, parts)
		} else if md, err := b.markdown(*mdBlob); err != nil {
			return nil, err
		} else {
			d.Markdown = md
		}
	}
	if c == nil {
		var err error
		if c, err = render.Cut(d); err != nil {
			return nil, fmt.Errorf("version %d: %w", v.Version, err)
		}
		if d.Markdown != nil && c.Headings() == len(outline) {
			b.cuts.put(*mdBlob, c.Parts())
		} else if c, err = b.cutFromModel(v, loc, d); err != nil {
			return nil, err
		}
	}
	b.mu.Lock()
	in.docs[loc] = c
	b.mu.Unlock()
	return c, nil
}

// cutFromModel cuts a version's document with the help of its model, for
// a version whose archived files do not agree: with no Markdown, the
// document composed again; with Markdown whose headings the archived page
// does not match, the sections named by the model.
func (b *builder) cutFromModel(v versions.Version, loc string, d *render.Doc) (*render.CutDoc, error) {
	p, err := b.model(v)
	if err != nil || p == nil {
		return nil, fmt.Errorf("version %d: no %s document to compare: %v", v.Version, loc, err)
	}
	labels, err := b.r.Labels(loc)
	if err != nil {
		return nil, err
	}
	if d.Markdown == nil {
		upd, _ := policy.ParseDate(v.Updated)
		eff, _ := policy.ParseDate(v.Effective)
		docs, err := b.r.Compose(p, loc, render.Meta{Version: strconv.Itoa(v.Version), Updated: upd, Effective: eff})
		if err != nil {
			return nil, err
		}
		d = docs[0]
	} else {
		d.Sections = []render.Heading{{ID: render.ContentsID, Title: labels["contents"]}}
		for _, s := range p.Sections {
			d.Sections = append(d.Sections, render.Heading{ID: string(s.ID), Title: s.Title.Get(loc), Appendix: s.Appendix})
		}
	}
	c, err := render.Cut(d)
	if err != nil {
		return nil, fmt.Errorf("version %d: %w", v.Version, err)
	}
	return c, nil
}

// notice is a version's notice pack record, read once: the archive,
// version pages and feeds all ask.
func (b *builder) notice(v versions.Version) render.NoticeRecord {
	b.mu.Lock()
	rec, ok := b.notices[v.Version]
	b.mu.Unlock()
	if ok {
		return rec
	}
	data, err := b.arch.ReadFile(v, "notice/notice.json")
	if err == nil {
		json.Unmarshal(data, &rec)
	}
	b.mu.Lock()
	b.notices[v.Version] = rec
	b.mu.Unlock()
	return rec
}
