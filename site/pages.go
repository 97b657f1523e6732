package site

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
	"github.com/policyc/policyc/versions"
)

// Alternate is a link to the same page in another language.
type Alternate struct {
	Locale string `doc:"The language tag."`
	Name   string `doc:"The language's name, in that language."`
	Href   string `doc:"The page's address, relative to this one."`
}

// PageData is what html/site.html receives: one page of the site.
type PageData struct {
	Lang       string            `doc:"The page's language tag."`
	Title      string            `doc:"The page's title."`
	CSS        template.CSS      `doc:"The stylesheet: style.css and the project's extra.css after it."`
	Root       string            `doc:"The path from this page to the site's root (\"\", \"../\")."`
	Suffix     string            `doc:"The locale suffix of page names (\".zh-CN\"), empty for the first locale."`
	Alternates []Alternate       `doc:"The same page in other languages."`
	Feed       string            `doc:"The address of the feed in this language."`
	Body       template.HTML     `doc:"The page's content, built by policyc with every text escaped and every link judged."`
	Labels     map[string]string `doc:"Labels in the page's language: skip, current, archive, feed, site_nav."`
}

// page renders a site page into the layout.
func (b *builder) page(name, loc, title, root, sfx string, alts []Alternate, body string) error {
	labels, err := b.r.Labels(loc)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	err = b.tpl.Execute(&buf, PageData{
		Lang: loc, Title: title, CSS: b.css, Root: root, Suffix: sfx, Alternates: alts,
		Feed: root + "feed." + loc + ".xml", Body: template.HTML(body),
		Labels: map[string]string{"skip": labels["skip"], "current": labels["site.current"], "archive": labels["site.archive"],
			"feed": labels["site.feed"], "site_nav": labels["site.archive"]},
	})
	if err != nil {
		return err
	}
	b.out.put(name, buf.Bytes())
	return nil
}

// esc escapes text for a page, with no control character left in it.
func esc(s string) string { return template.HTMLEscapeString(render.Printable(s)) }

// anchor links inner (HTML) to href, or is inner alone when
// policy.SafeLink refuses href: every link of a site page is made here.
func anchor(href, inner string) string {
	if !policy.SafeLink(href) {
		return inner
	}
	return "<a href=\"" + esc(href) + "\">" + inner + "</a>"
}

// levelName is a change level as a locale's readers call it.
func levelName(labels map[string]string, level string) string {
	if name := labels["level."+level]; name != "" {
		return name
	}
	return level
}

// summary is what a version changed, in a locale: the sentences of its
// notice pack (a significant release has one), or a note of what kind of
// change it was.
func (b *builder) summary(v versions.Version, loc string, labels map[string]string) []string {
	rec := b.notice(v)
	if len(rec.Summary[loc]) > 0 {
		return rec.Summary[loc]
	}
	if b.previous(v) == nil || v.Imported {
		return nil
	}
	switch v.Level {
	case policy.Editorial.String():
		return []string{labels["site.no_summary"]}
	case policy.Notable.String():
		return []string{labels["site.notable_summary"]}
	}
	return []string{labels["site.see_comparison"]}
}

func (b *builder) pages(loc string, all []string, first bool) error {
	labels, err := b.r.Labels(loc)
	if err != nil {
		return err
	}
	sfx := suffix(loc, first)
	alts := func(base, root string) []Alternate { return alternates(loc, all, base, root) }
	title := labels["site.archive"]
	if len(b.vs) > 0 {
		// The landing page: the policy in force and its documents, after
		// the announcement of any released version not yet in force.
		cur, _ := b.inForce()
		if m, _ := b.model(b.current()); m != nil {
			title = m.Title.Get(loc)
		}
		var body strings.Builder
		fmt.Fprintf(&body, "<h1>%s</h1>\n", esc(title))
		b.upcoming(&body, loc, labels, sfx)
		if cur != nil {
			b.versionFacts(&body, *cur, loc, labels, vdir(cur.Version), "")
		} else {
			fmt.Fprintf(&body, "<p>%s</p>\n", esc(labels["site.none_in_force"]))
		}
		fmt.Fprintf(&body, "<p>%s</p>\n", anchor("archive"+sfx+".html", esc(labels["site.archive"])))
		if err := b.page("index"+sfx+".html", loc, title, "", sfx, alts("index", ""), body.String()); err != nil {
			return err
		}
	}
	// The archive: every version, newest first, its level prominent.
	var arch strings.Builder
	fmt.Fprintf(&arch, "<h1>%s</h1>\n<table>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
		esc(labels["site.archive"]), esc(strings.TrimSpace(fmt.Sprintf(labels["site.version"], ""))), esc(labels["site.effective"]), esc(labels["site.updated"]), esc(labels["site.level"]), esc(labels["site.changes"]))
	for i := len(b.vs) - 1; i >= 0; i-- {
		v := b.vs[i]
		level := levelName(labels, v.Level)
		if v.Imported {
			level = labels["site.imported"]
		}
		var changes []string
		for _, s := range b.summary(v, loc, labels) {
			changes = append(changes, esc(s))
		}
		fmt.Fprintf(&arch, "<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"level-%s\">%s</td><td>%s</td></tr>\n",
			anchor(vdir(v.Version)+"index"+sfx+".html", esc(fmt.Sprintf(labels["site.version"], strconv.Itoa(v.Version)))), b.effectiveHTML(v, labels), dateHTML(labels, v.Updated), esc(v.Level), esc(level), strings.Join(changes, "<br>"))
	}
	arch.WriteString("</tbody>\n</table>\n")
	b.pickForm(&arch, sfx, labels)
	if err := b.page("archive"+sfx+".html", loc, labels["site.archive"], "", sfx, alts("archive", ""), arch.String()); err != nil {
		return err
	}
	if err := b.pickPage(loc, sfx, labels, alts("compare/pick", "../")); err != nil {
		return err
	}
	b.feed(loc, labels, title)
	if len(b.vs) > 0 {
		for i := len(b.vs) - 1; i >= 0; i-- {
			if data, err := b.arch.ReadFile(b.vs[i], "notice/banner."+loc+".html"); err == nil {
				b.out.put("banner."+loc+".html", data)
				break
			}
		}
	}
	if first {
		body := fmt.Sprintf("<h1>%s</h1>\n<p>%s</p>\n<p>%s · %s</p>\n",
			esc(labels["site.notfound"]), esc(labels["site.notfound_text"]), anchor("index.html", esc(labels["site.current"])), anchor("archive.html", esc(labels["site.archive"])))
		if err := b.page("404.html", loc, labels["site.notfound"], "", "", nil, body); err != nil {
			return err
		}
	}
	return nil
}

// alternates are the links from a page in one locale to the same page in
// the others (those policy.SafeLink allows).
func alternates(loc string, all []string, base, root string) []Alternate {
	var out []Alternate
	for i, l := range all {
		if href := root + base + suffix(l, i == 0) + ".html"; l != loc && policy.SafeLink(href) {
			out = append(out, Alternate{l, render.LanguageName(l), href})
		}
	}
	return out
}

// versionPages are the tasks that write a page per version in a locale.
func (b *builder) versionPages(loc string, all []string, first bool) ([]func() error, error) {
	labels, err := b.r.Labels(loc)
	if err != nil {
		return nil, err
	}
	sfx := suffix(loc, first)
	var tasks []func() error
	for _, v := range b.vs {
		tasks = append(tasks, func() error {
			var body strings.Builder
			title := fmt.Sprintf(labels["site.version"], strconv.Itoa(v.Version))
			fmt.Fprintf(&body, "<h1>%s</h1>\n", esc(title))
			b.versionFacts(&body, v, loc, labels, "", "../")
			return b.page(vdir(v.Version)+"index"+sfx+".html", loc, title, "../", sfx, alternates(loc, all, vdir(v.Version)+"index", "../"), body.String())
		})
	}
	return tasks, nil
}

// versionFacts writes a version's dates, level, downloads and comparisons.
// prefix leads from the page to the version's files ("" on the version's
// own page, "v3/" from the root) and root to the site's root.
func (b *builder) versionFacts(w *strings.Builder, v versions.Version, loc string, labels map[string]string, prefix, root string) {
	fmt.Fprintf(w, "<dl class=\"meta\">\n<dt>%s</dt><dd>%s</dd>\n<dt>%s</dt><dd>%s</dd>\n",
		esc(labels["site.effective"]), b.effectiveHTML(v, labels), esc(labels["site.updated"]), dateHTML(labels, v.Updated))
	if v.Level != "" {
		fmt.Fprintf(w, "<dt>%s</dt><dd class=\"level-%s\">%s</dd>\n", esc(labels["site.level"]), esc(v.Level), esc(levelName(labels, v.Level)))
	}
	// Provenance, which versions made before it was recorded lack.
	if len(v.ApprovedBy) > 0 {
		fmt.Fprintf(w, "<dt>%s</dt><dd>%s</dd>\n", esc(labels["site.approved_by"]), esc(strings.Join(v.ApprovedBy, ", ")))
	}
	if v.SourceCommit != "" {
		src := "<code>" + esc(v.SourceCommit[:min(12, len(v.SourceCommit))]) + "</code>"
		if v.SourceClean != nil && !*v.SourceClean {
			src += " (" + esc(labels["site.dirty"]) + ")"
		}
		fmt.Fprintf(w, "<dt>%s</dt><dd>%s</dd>\n", esc(labels["site.source"]), src)
	}
	if v.Policyc != "" {
		fmt.Fprintf(w, "<dt>%s</dt><dd>policyc %s</dd>\n", esc(labels["site.made_with"]), esc(v.Policyc))
	}
	notice := b.translationFacts(w, v, loc, labels, root)
	w.WriteString("</dl>\n" + notice)
	if s := b.summary(v, loc, labels); len(s) > 0 {
		w.WriteString("<ul>\n")
		for _, x := range s {
			fmt.Fprintf(w, "<li>%s</li>\n", esc(x))
		}
		w.WriteString("</ul>\n")
	}
	if v.Imported {
		// Published before policyc: its text as a page of the site.
		fmt.Fprintf(w, "<p>%s</p>\n", anchor(root+documentName(v, suffix(loc, loc == b.siteLocales()[0])), esc(labels["site.read_document"])))
	}
	fmt.Fprintf(w, "<h2>%s</h2>\n<ul>\n", esc(labels["site.downloads"]))
	var names []string
	for _, f := range v.Files {
		if name, ok := strings.CutPrefix(f.Path, "rendered/"); ok && !strings.HasSuffix(name, ".json") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if b.skip(name) {
			continue
		}
		fmt.Fprintf(w, "<li>%s</li>\n", anchor(prefix+name, esc(name)))
	}
	w.WriteString("</ul>\n")
	var cmp []string
	prev, current := b.comparePages(v)
	if prev != "" {
		cmp = append(cmp, "<li>"+anchor(root+prev, esc(labels["site.compare_prev"]))+b.redlineLink(root, prev)+"</li>")
	}
	if current != "" {
		cmp = append(cmp, "<li>"+anchor(root+current, esc(labels["site.compare_current"]))+b.redlineLink(root, current)+"</li>")
	}
	if len(cmp) > 0 {
		fmt.Fprintf(w, "<ul>\n%s\n</ul>\n", strings.Join(cmp, "\n"))
	}
}

// redlineLink offers a comparison's Word redline beside its page, where
// the site has it.
func (b *builder) redlineLink(root, page string) string {
	name := strings.TrimSuffix(page, ".html") + ".docx"
	if b.skip(name) {
		return ""
	}
	return " · " + anchor(root+name, "DOCX")
}

// comparePages are the site's pages comparing v with the version before
// it and with the current one ("" where the site has none).
func (b *builder) comparePages(v versions.Version) (prev, current string) {
	if p := b.previous(v); p != nil {
		prev = compareName(*p, v)
	}
	if latest := b.vs[len(b.vs)-1]; v.Version != latest.Version {
		current = currentName(v)
	}
	return prev, current
}

func (b *builder) previous(v versions.Version) *versions.Version {
	if i, ok := b.index[v.Version]; ok && i > 0 {
		return &b.vs[i-1]
	}
	return nil
}

// feed writes the Atom feed of releases in a locale, significant ones
// marked with a category and in the title.
func (b *builder) feed(loc string, labels map[string]string, title string) {
	type link struct {
		Rel  string `xml:"rel,attr,omitempty"`
		Href string `xml:"href,attr"`
	}
	type category struct {
		Term string `xml:"term,attr"`
	}
	type text struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	}
	type person struct {
		Name string `xml:"name"`
	}
	type entry struct {
		Title    string     `xml:"title"`
		ID       string     `xml:"id"`
		Updated  string     `xml:"updated"`
		Link     link       `xml:"link"`
		Category []category `xml:"category"`
		// Who approved the version, as Atom's contributors.
		Contributor []person `xml:"contributor"`
		Summary     text     `xml:"summary"`
	}
	type feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Lang    string   `xml:"xml:lang,attr"`
		Title   string   `xml:"title"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Links   []link   `xml:"link"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Entries []entry `xml:"entry"`
	}
	id, _ := policy.ReadID(b.o.Dir)
	f := feed{Lang: loc, Title: render.Printable(title + " — " + labels["site.changes"]), ID: "urn:policyc:" + string(id) + ":feed:" + loc, Updated: "2000-01-01T00:00:00Z"}
	f.Links = []link{{Rel: "alternate", Href: b.o.BaseURL + "archive.html"}}
	if b.o.BaseURL != "" {
		f.Links = append(f.Links, link{Rel: "self", Href: b.o.BaseURL + "feed." + loc + ".xml"})
	}
	// Every link of the feed is judged like a page's (Options.BaseURL is
	// checked when the build starts; this holds whatever it was).
	f.Links = slices.DeleteFunc(f.Links, func(l link) bool { return !policy.SafeLink(l.Href) })
	f.Author.Name = string(id)
	if len(b.vs) > 0 {
		if m, _ := b.model(b.vs[len(b.vs)-1]); m != nil {
			f.Author.Name = render.Printable(m.Controller.LegalName.Get(loc))
		}
	}
	for i := len(b.vs) - 1; i >= 0; i-- {
		v := b.vs[i]
		e := entry{Title: fmt.Sprintf(labels["site.version"], strconv.Itoa(v.Version)), ID: "urn:policyc:" + string(id) + ":v" + strconv.Itoa(v.Version),
			Updated: v.Updated + "T00:00:00Z", Link: link{Rel: "alternate", Href: b.o.BaseURL + vdir(v.Version) + "index.html"}}
		if v.Level == "significant" || v.Level == "reconsent" {
			e.Title += " — " + levelName(labels, v.Level)
			e.Category = []category{{v.Level}}
		}
		if !policy.SafeLink(e.Link.Href) {
			e.Link.Href = ""
		}
		for _, name := range v.ApprovedBy {
			e.Contributor = append(e.Contributor, person{render.Printable(name)})
		}
		// The date it takes effect, as the feed's language writes it.
		summary := b.summary(v, loc, labels)
		if d, err := policy.ParseDate(v.Effective); err == nil {
			summary = append([]string{fmt.Sprintf(labels["site.feed_effective"], render.LocalDate(labels, d))}, summary...)
		}
		e.Summary = text{Type: "text", Body: render.Printable(strings.Join(summary, labels["sentence.sep"]))}
		if e.Updated > f.Updated {
			f.Updated = e.Updated
		}
		f.Entries = append(f.Entries, e)
	}
	out, _ := xml.MarshalIndent(f, "", "  ")
	b.out.put("feed."+loc+".xml", append([]byte(xml.Header), append(out, '\n')...))
}

// versionsJSON is what an app needs: the current version, every file's
// hash, and the last version that requires consent again.
func (b *builder) versionsJSON() {
	type entry struct {
		Version   int               `json:"version"`
		Tag       string            `json:"tag"`
		Updated   string            `json:"updated"`
		Effective string            `json:"effective"`
		Level     string            `json:"level,omitempty"`
		Imported  bool              `json:"imported,omitempty"`
		Files     map[string]string `json:"files"`
		// The comparisons with the version before and with the current one,
		// where the site has them.
		ComparePrevious string `json:"compare_previous,omitempty"`
		CompareCurrent  string `json:"compare_current,omitempty"`
	}
	id, _ := policy.ReadID(b.o.Dir)
	out := struct {
		Format  string `json:"format"`
		Policy  string `json:"policy"`
		Current int    `json:"current"`
		// InForce is the version in force on the build's date (0 while
		// none is); Current is the newest, which may be upcoming.
		InForce       int     `json:"in_force"`
		LastReconsent int     `json:"last_reconsent"`
		Versions      []entry `json:"versions"`
	}{Format: "policyc.site/v1", Policy: string(id), Versions: []entry{}}
	if v, _ := b.inForce(); v != nil {
		out.InForce = v.Version
	}
	for _, v := range b.vs {
		e := entry{Version: v.Version, Tag: versions.TagName(string(id), v.Version), Updated: v.Updated, Effective: v.Effective, Level: v.Level, Imported: v.Imported, Files: map[string]string{}}
		for _, f := range v.Files {
			if name, ok := strings.CutPrefix(f.Path, "rendered/"); ok && !b.skip(name) {
				e.Files[vdir(v.Version)+name] = f.SHA256
			}
		}
		e.ComparePrevious, e.CompareCurrent = b.comparePages(v)
		out.Versions = append(out.Versions, e)
		out.Current = v.Version
		if v.Level == policy.Reconsent.String() {
			out.LastReconsent = v.Version
		}
	}
	data, _ := json.MarshalIndent(out, "", "  ")
	b.out.put("versions.json", append(data, '\n'))
}

// sitemap lists every page, with absolute URLs; it needs BaseURL.
func (b *builder) sitemap() {
	if b.o.BaseURL == "" {
		return
	}
	var names []string
	for _, name := range b.out.names() {
		if strings.HasSuffix(name, ".html") && name != "404.html" && !strings.HasPrefix(name, "banner.") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var buf bytes.Buffer
	buf.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, n := range names {
		buf.WriteString("  <url><loc>")
		xml.EscapeText(&buf, []byte(b.o.BaseURL+n))
		buf.WriteString("</loc></url>\n")
	}
	buf.WriteString("</urlset>\n")
	b.out.put("sitemap.xml", buf.Bytes())
}

// draft renders the unreleased working copy under draft/, marked, with a
// comparison against the current version.
func (b *builder) draft() error {
	if !b.o.Draft {
		return nil
	}
	p, err := policy.Load(b.o.Dir)
	if err != nil {
		return err
	}
	for _, l := range p.Locales {
		docs, err := b.r.Compose(p, string(l), render.Meta{})
		if err != nil {
			return err
		}
		for _, d := range docs {
			tree, err := render.Parse(d)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := b.r.HTML(&buf, tree, render.HTMLOptions{Alternates: render.Alternates(p, d)}); err != nil {
				return err
			}
			b.out.put("draft/"+d.FileName()+".html", buf.Bytes())
		}
	}
	if len(b.vs) > 0 {
		latest := b.vs[len(b.vs)-1]
		old, err := b.model(latest)
		if err != nil {
			return err
		}
		// Against an imported version (no model), the text alone.
		as := policy.Assessment{NotAssessed: "v" + strconv.Itoa(latest.Version) + " was imported as published"}
		if old != nil {
			as = policy.Assess(old, p)
		}
		loc := string(p.Locales[0])
		da, err := b.doc(latest, loc)
		if err != nil {
			return err
		}
		docs, err := b.r.Compose(p, loc, render.Meta{})
		if err != nil {
			return err
		}
		dc, err := render.Cut(docs[0])
		if err != nil {
			return err
		}
		if old == nil {
			da, dc = render.Align(da, dc) // a file imported as published is cut its own way
		}
		rl := da.Redline(dc)
		as.ProseChanged = as.ProseChanged || as.NotAssessed != "" && len(rl) > 0
		var buf bytes.Buffer
		var words *render.Wording
		if old != nil {
			if words, err = b.r.Wording(old, p, loc); err != nil {
				return err
			}
		}
		links := render.DiffLinks{Archive: "../archive.html", Current: "../index.html", From: "../" + vdir(latest.Version) + "index.html", To: docs[0].FileName() + ".html"}
		if err := render.DiffHTML(&buf, "v"+strconv.Itoa(latest.Version), "draft", loc, as, rl, words, links); err != nil {
			return err
		}
		b.out.put("draft/compare.html", buf.Bytes())
	}
	return nil
}

// translationFacts says, on a translation's pages, whether the version's
// translation was up to date with its source when released; a locale
// released with stale translations (--allow-stale) gets a notice and a
// link to the source-language version.
func (b *builder) translationFacts(w *strings.Builder, v versions.Version, loc string, labels map[string]string, root string) (notice string) {
	t := v.Translations
	if t == nil || string(t.SourceLocale) == loc {
		return ""
	}
	src := string(t.SourceLocale)
	lang := languageIn(labels, src)
	stale := len(t.Stale[policy.Locale(loc)])
	status := fmt.Sprintf(labels["site.translation_current"], lang)
	if stale > 0 {
		status = fmt.Sprintf(labels["site.translation_stale"], stale, lang)
	}
	fmt.Fprintf(w, "<dt>%s</dt><dd class=\"translation\">%s</dd>\n", esc(labels["site.translation"]), esc(status))
	if !slices.Contains(v.AllowStale, loc) {
		return ""
	}
	all := b.siteLocales()
	if !slices.Contains(all, src) {
		return ""
	}
	href := root + vdir(v.Version) + "index" + suffix(src, all[0] == src) + ".html"
	return fmt.Sprintf("<p class=\"notice translation-notice\" role=\"note\">%s %s</p>\n",
		esc(labels["site.translation_notice"]), anchor(href, esc(fmt.Sprintf(labels["site.translation_source"], lang))))
}

// languageIn names a language in the page's own language ("英文" on a
// Chinese page), where the page's labels name it (lang.LOCALE), and
// otherwise by its own name.
func languageIn(labels map[string]string, locale string) string {
	if name := labels["lang."+locale]; name != "" {
		return name
	}
	return render.LanguageName(locale)
}
