package site_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"go.yaml.in/yaml/v3"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/internal/hostile"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/site"
	"github.com/policyc/policyc/versions"
)

// plainValue is a YAML value that reads as words (ids, dates, enums, URLs
// and numbers have no space): those are the model's texts.
var plainValue = regexp.MustCompile(`\s`)

// poisonFiles writes a hostile payload into every text of a policy
// directory that the model still accepts: every YAML value holding a space
// and every section. A value the loader or validation refuses (at its
// position) gets its original back, so that the policy can be released.
func poisonFiles(t *testing.T, pdir string) int {
	t.Helper()
	type spot struct {
		node *yaml.Node
		old  string
	}
	docs := map[string]*yaml.Node{}
	spots := map[string][]spot{} // by file
	n := 0
	filepath.WalkDir(pdir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(pdir, p)
		rel = filepath.ToSlash(rel)
		data, _ := os.ReadFile(p)
		switch filepath.Ext(p) {
		case ".md":
			// A file holds no control character (the loader refuses it):
			// those payloads go into YAML escapes only.
			var text []string
			for _, p := range hostile.Payloads {
				if !strings.ContainsFunc(p, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' }) {
					text = append(text, p)
				}
			}
			os.WriteFile(p, append(data, []byte("\n\n"+strings.Join(text, "\n\n")+"\n")...), 0o644)
		case ".yaml":
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			var walk func(*yaml.Node, bool)
			walk = func(y *yaml.Node, value bool) {
				switch y.Kind {
				case yaml.DocumentNode, yaml.SequenceNode:
					for _, c := range y.Content {
						walk(c, true)
					}
				case yaml.MappingNode:
					for i := 0; i+1 < len(y.Content); i += 2 {
						walk(y.Content[i+1], true)
					}
				case yaml.ScalarNode:
					if value && y.Tag == "!!str" && plainValue.MatchString(y.Value) {
						spots[rel] = append(spots[rel], spot{y, y.Value})
						y.Value = "x " + hostile.Payloads[n%len(hostile.Payloads)]
						y.Style = yaml.DoubleQuotedStyle
						n++
					}
				}
			}
			walk(&doc, false)
			docs[rel] = &doc
		}
		return nil
	})
	write := func() {
		for rel, doc := range docs {
			var buf bytes.Buffer
			enc := yaml.NewEncoder(&buf)
			enc.SetIndent(2)
			if err := enc.Encode(doc); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(pdir, rel), buf.Bytes(), 0o644)
			// The encoder lays the file out anew: errors point at the
			// lines as written.
			var again yaml.Node
			if err := yaml.Unmarshal(buf.Bytes(), &again); err != nil {
				t.Fatal(err)
			}
			relines(doc, &again)
		}
	}
	for round := 0; ; round++ {
		write()
		_, err := policy.Load(pdir)
		var list policy.ErrorList
		if err == nil {
			break
		}
		if !errors.As(err, &list) || round == 10 {
			t.Fatalf("the hostile policy does not load: %v", err)
		}
		reverted := 0
		for _, e := range list {
			for _, s := range spots[e.Pos.File] {
				if s.node.Line == e.Pos.Line && s.node.Value != s.old {
					s.node.Value, s.node.Style = s.old, 0
					reverted++
					n--
				}
			}
		}
		if reverted == 0 {
			t.Fatalf("the hostile policy does not load, at no poisoned value: %v", err)
		}
	}
	return n
}

// relines gives the nodes of a YAML tree the positions of the same nodes
// in another parse of it.
func relines(old, new *yaml.Node) {
	old.Line, old.Column = new.Line, new.Column
	for i := range min(len(old.Content), len(new.Content)) {
		relines(old.Content[i], new.Content[i])
	}
}

// TestHostilePolicyMakesAnInertSite releases a policy whose every text
// and section is hostile, twice (the second a significant change, so the
// site has comparisons, a notice, a banner and a feed entry to show), and
// builds its site with a draft and a base URL: every page of every kind,
// the feed and the Markdown files, read as a browser and a Markdown reader
// read them, are inert.
func TestHostilePolicyMakesAnInertSite(t *testing.T) {
	_, pdir := exampleRepo(t, "sdk-provider")
	n := poisonFiles(t, pdir)
	t.Logf("%d hostile values", n)
	if n < 100 {
		t.Fatalf("only %d values of the policy are hostile", n)
	}
	policyc(t, "release", pdir, "--effective", "2026-03-09")
	edit(t, filepath.Join(pdir, "policy.yaml"), "response_time: 15 days", "response_time: 20 days")
	edit(t, filepath.Join(pdir, "sections", "collection.en.md"), "We follow the principles", "We apply the principles")
	policyc(t, "release", pdir, "--updated", "2026-03-10", "--effective", "2026-04-15", "--allow-stale", "zh-CN")
	out := t.TempDir()
	if _, err := site.Build(site.Options{Dir: pdir, Out: out, BaseURL: "https://ok.example/privacy/", Draft: true}); err != nil {
		t.Fatal(err)
	}
	pages := files(t, out)
	for _, kind := range []string{"index.html", "index.zh-CN.html", "archive.html", "compare/pick.html", "v1/index.html", "v2/index.html",
		"compare/v1-v2.html", "v2/policy.en.html", "v2/policy.en.md", "feed.en.xml", "404.html", "banner.en.html",
		"draft/policy.en.html", "draft/compare.html", "sitemap.xml"} {
		if pages[kind] == nil {
			t.Errorf("the site has no %s", kind)
		}
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	for name, data := range pages {
		var found []string
		switch filepath.Ext(name) {
		case ".html":
			found = hostile.Inert(data, hostile.Options{Scripts: []string{site.PickScript}})
		case ".xml":
			found = unsafeXMLLinks(data)
		case ".md":
			var h bytes.Buffer
			if err := md.Convert(data, &h); err != nil {
				t.Fatal(err)
			}
			found = hostile.Inert(h.Bytes(), hostile.Options{})
			if !testing.Short() {
				cmd := exec.Command(checkers.Tool(t, "cmark-gfm", "apt-get install -y cmark-gfm"), "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink")
				cmd.Stdin = bytes.NewReader(data)
				b, err := cmd.Output()
				if err != nil {
					t.Fatal(err)
				}
				found = append(found, hostile.Inert(b, hostile.Options{})...)
			}
		case ".pdf", ".json", ".docx":
			continue
		}
		if i := bytes.IndexFunc(data, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' || r == 0x7f }); i >= 0 {
			found = append(found, "a control character")
		}
		for _, f := range found {
			t.Errorf("%s: %s", name, f)
		}
	}
}

// unsafeXMLLinks lists the href attributes of a feed or sitemap that
// policy.SafeLink refuses, and its <loc> elements that are not https.
func unsafeXMLLinks(data []byte) []string {
	var out []string
	d := xml.NewDecoder(bytes.NewReader(data))
	inLoc := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			return append(out, err.Error())
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inLoc = tok.Name.Local == "loc"
			for _, a := range tok.Attr {
				if a.Name.Local == "href" && !policy.SafeLink(a.Value) {
					out = append(out, "href="+a.Value)
				}
			}
		case xml.CharData:
			if inLoc && !strings.HasPrefix(string(tok), "https://ok.example/") {
				out = append(out, "loc "+string(tok))
			}
		case xml.EndElement:
			inLoc = false
		}
	}
}

// TestSiteRefusesABaseURLThatIsNotHTTP: the feed and the sitemap link to
// the base URL, so it is judged like the model's URLs.
func TestSiteRefusesABaseURLThatIsNotHTTP(t *testing.T) {
	_, pdir := exampleRepo(t, "sdk-provider")
	policyc(t, "release", pdir, "--effective", "2026-03-09")
	for _, base := range []string{"javascript:alert(1)//", "java&#x73;cript:alert(1)//", "data:text/html,x/"} {
		out := t.TempDir()
		if _, err := site.Build(site.Options{Dir: pdir, Out: out, BaseURL: base}); err == nil || !strings.Contains(err.Error(), "base URL") {
			t.Errorf("base URL %q: %v", base, err)
		}
		if names, _ := os.ReadDir(out); len(names) > 0 {
			t.Errorf("base URL %q: the refused build wrote %d files", base, len(names))
		}
	}
}

// TestSitePageLinksAreJudged: a site page links only to what
// policy.SafeLink allows, and an archived file whose name is not one
// policyc gives never names a locale (whose suffix would be a link).
func TestSitePageLinksAreJudged(t *testing.T) {
	if got := site.Anchor("javascript:alert(1)", "x"); got != "x" {
		t.Errorf("a javascript: link was made: %s", got)
	}
	if got := site.Anchor(`v1/"><script>.html`, "x"); got != `<a href="v1/&#34;&gt;&lt;script&gt;.html">x</a>` {
		t.Errorf("a link was not escaped: %s", got)
	}
	v := versions.Version{Metadata: versions.Metadata{Files: []versions.FileEntry{{Path: "rendered/policy.en.html"}, {Path: `rendered/policy."><script>alert(1)</script>.html`}, {Path: "rendered/policy.javascript:alert(1).md"}}}}
	if got := site.Locales(v); len(got) != 1 || got[0] != "en" {
		t.Errorf("locales of the archived files: %q", got)
	}
}

// TestSitePagesPrintNoControlCharacters: a text of an archived model
// (which policyc's loader would refuse today, but an older release may
// hold) reaches a page without its control characters.
func TestSitePagesPrintNoControlCharacters(t *testing.T) {
	if got := site.Esc("title \x1b[31m\x00<b>"); got != "title \uFFFD[31m\uFFFD&lt;b&gt;" {
		t.Errorf("esc: %q", got)
	}
}

// TestHostileImportedFilesMakeAnInertSite imports an HTML page and a
// Markdown file made of hostile payloads: their pages in the site, and the
// comparisons with them, run and load nothing.
func TestHostileImportedFilesMakeAnInertSite(t *testing.T) {
	repo, pdir := exampleRepo(t, "sdk-provider")
	var page, md strings.Builder
	page.WriteString("<!doctype html><html><head><title>Old</title></head><body style=\"background:url(https://evil.example/x)\"><h1>Old policy</h1>\n")
	for i, p := range hostile.Payloads {
		fmt.Fprintf(&page, "<h2>Part %d</h2><p background=\"https://evil.example/b.png\">%s</p><table background=\"https://evil.example/t.png\"><tr><td>%s</td></tr></table>\n", i, p, p)
		fmt.Fprintf(&md, "## Part %d\n\n%s\n\n", i, p)
	}
	page.WriteString("</body></html>\n")
	for i, f := range []struct{ name, text string }{{"old.html", page.String()}, {"old.md", "# Old policy\n\n" + md.String()}} {
		path := filepath.Join(repo, f.name)
		os.WriteFile(path, []byte(f.text), 0o644)
		policyc(t, "archive", "import", path, "-C", pdir, "--effective", fmt.Sprintf("201%d-01-01", i))
	}
	policyc(t, "release", pdir, "--effective", "2026-03-09")
	out := t.TempDir()
	if _, err := site.Build(site.Options{Dir: pdir, Out: out}); err != nil {
		t.Fatal(err)
	}
	pages := files(t, out)
	for _, name := range []string{"v1/document.html", "v2/document.html", "compare/v1-v2.html", "compare/v2-v3.html", "compare/v1-current.html"} {
		if pages[name] == nil {
			t.Errorf("the site has no %s", name)
		}
	}
	for name, data := range pages {
		if filepath.Ext(name) != ".html" {
			continue
		}
		for _, f := range hostile.Inert(data, hostile.Options{Scripts: []string{site.PickScript}}) {
			t.Errorf("%s: %s", name, f)
		}
		if m := regexp.MustCompile(`(?i)\s(background|style|src|srcset|poster)=`).Find(data); strings.HasSuffix(name, "/document.html") && m != nil {
			t.Errorf("%s keeps an attribute that loads or styles something: %s", name, m)
		}
	}
}
