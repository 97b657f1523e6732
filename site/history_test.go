package site_test

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
	"github.com/policyc/policyc/site"
	"github.com/policyc/policyc/versions"
)

// seedParagraphs are a seed policy's paragraphs (shared/seeds beside the
// repository, or beside the directory of its worktrees): prefix "000" is
// the first seed, "003" the second.
func seedParagraphs(t *testing.T, prefix string) []string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		m, _ := filepath.Glob(filepath.Join(dir, "shared", "seeds", prefix+"_*.txt"))
		if len(m) == 1 {
			b, err := os.ReadFile(m[0])
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range strings.Split(string(b), "\n") {
				if p = strings.Join(strings.Fields(p), " "); p != "" {
					out = append(out, p)
				}
			}
			return out
		}
		if filepath.Dir(dir) == dir {
			t.Fatalf("seed %s not found in shared/seeds above the repository", prefix)
		}
	}
}

// historyStep is one scripted edit of a policy's paragraphs.
type historyStep struct {
	what string
	edit func([]string) []string
}

// scriptedHistory is a published history of the seeds, oldest first, each
// version a single section: insertions, deletions, reworded paragraphs,
// moved paragraphs, and a full rewrite (the first seed's text replaced
// by the second's) half way, edited on after it. Deterministic.
func scriptedHistory(t *testing.T) [][]string {
	first, second := seedParagraphs(t, "000"), seedParagraphs(t, "003")
	ins := func(at int, text string) func([]string) []string {
		return func(p []string) []string {
			at := at % len(p)
			return append(p[:at:at], append([]string{text}, p[at:]...)...)
		}
	}
	del := func(at int) func([]string) []string {
		return func(p []string) []string { at := at % len(p); return append(p[:at:at], p[at+1:]...) }
	}
	reword := func(at int, old, new string) func([]string) []string {
		return func(p []string) []string {
			q := append([]string{}, p...)
			at := at % len(q)
			if strings.Contains(q[at], old) {
				q[at] = strings.Replace(q[at], old, new, 1)
			} else {
				q[at] = new + " " + q[at]
			}
			return q
		}
	}
	move := func(from, to int) func([]string) []string {
		return func(p []string) []string {
			from, to := from%len(p), to%len(p)
			q := append(append([]string{}, p[:from]...), p[from+1:]...)
			return append(q[:to:to], append([]string{p[from]}, q[to:]...)...)
		}
	}
	steps := []historyStep{
		{"insertion", ins(5, "We may update the list of partners in this section every quarter.")},
		{"reworded", reword(3, "personal information", "personal data")},
		{"deletion", del(9)},
		{"moved", move(2, 20)},
		{"insertion", ins(30, "Requests by post are answered within 15 working days.")},
		{"reworded", reword(12, "we will", "we shall")},
		{"deletion", del(40)},
		{"moved", move(15, 4)},
		{"reworded", reword(7, "and", "as well as")},
		{"rewrite", func([]string) []string { return append([]string{}, second...) }},
		{"insertion", ins(3, "This version follows the rewrite of our privacy notice.")},
		{"reworded", reword(5, "information", "data")},
		{"deletion", del(8)},
		{"moved", move(1, 11)},
		{"insertion", ins(16, "Children under 14 need the consent of a guardian.")},
		{"reworded", reword(10, "we", "the company")},
		{"deletion", del(2)},
		{"moved", move(6, 0)},
		{"insertion", ins(21, "Cross-border transfers are listed in the annex.")},
		{"reworded", reword(4, "the", "this")},
		{"deletion", del(13)},
	}
	history := [][]string{first}
	for _, s := range steps {
		history = append(history, s.edit(append([]string{}, history[len(history)-1]...)))
	}
	return history
}

// publish writes a version's paragraphs as the file it was published as:
// Markdown, an HTML page or a PDF, each one section under the title.
func publish(t *testing.T, paras []string, format string) []byte {
	t.Helper()
	var md strings.Builder
	md.WriteString("# Privacy Policy\n\n## Privacy Policy\n")
	for _, p := range paras {
		md.WriteString("\n" + strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "`", "\\`", "<", `\<`, "#", `\#`).Replace(p) + "\n")
	}
	switch format {
	case "md":
		return []byte(md.String())
	case "html":
		var b strings.Builder
		b.WriteString("<!doctype html><html><head><title>Privacy Policy</title><style>body{font:1rem serif}</style></head>\n<body><nav><a href=\"/\">Home</a></nav>\n<h1>Privacy Policy</h1>\n<h2>Privacy Policy</h2>\n")
		for _, p := range paras {
			b.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
		}
		b.WriteString("<script>track()</script></body></html>\n")
		return []byte(b.String())
	}
	d := &render.Doc{Policy: &policy.Policy{}, Locale: "en", ID: "policy", Title: "Privacy Policy", Markdown: []byte(md.String()),
		Sections: []render.Heading{{ID: "privacy-policy", Title: "Privacy Policy"}}}
	tr, err := render.Parse(d)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := render.New().PDF(&buf, tr, render.PDFOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportedHistoryComparesNeighbourByNeighbour imports a history of 22
// versions of the seeds (Markdown, HTML and PDF in turn) with the archive
// API, releases a model version on top, compares every version with the
// one before, and builds the site: every comparison is there, with the
// verdict not assessed and a redline that is not empty, and every link of
// the site leads to a page of it.
func TestImportedHistoryComparesNeighbourByNeighbour(t *testing.T) {
	checkers.Tool(t, "pdftotext", "apt-get install -y poppler-utils") // the imported PDFs' text
	_, pdir := exampleRepo(t, "sdk-provider")
	id, err := policy.ReadID(pdir)
	if err != nil {
		t.Fatal(err)
	}
	arch, err := versions.Open(pdir, string(id))
	if err != nil {
		t.Fatal(err)
	}
	history := scriptedHistory(t)
	if len(history) < 20 {
		t.Fatalf("a history of %d versions", len(history))
	}
	formats := []string{"md", "html", "pdf"}
	for i, paras := range history {
		d := policy.Date{Year: 2019 + i/4, Month: time.Month(1 + 3*(i%4)), Day: 10}
		if _, err := arch.Import(publish(t, paras, formats[i%3]), formats[i%3], "en", d, d); err != nil {
			t.Fatalf("importing version %d: %v", i+1, err)
		}
	}
	// While the history is all imported, its current policy is a page.
	before := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Dir: pdir, Out: before, Draft: true}); err != nil {
		t.Fatal(err)
	}
	early := files(t, before)
	checkLinks(t, madeBySite(early))
	if !bytes.Contains(early["index.html"], []byte(`href="v22/document.html"`)) {
		t.Errorf("the landing page of an imported history does not link the current policy's page:\n%s", early["index.html"])
	}
	// The draft, the first model, is compared with the last import.
	if !bytes.Contains(early["draft/compare.html"], []byte("not assessed structurally: no model")) || !bytes.Contains(early["draft/compare.html"], []byte("<ins>")) {
		t.Error("the draft is not compared with the last imported version")
	}
	policyc(t, "release", pdir, "--effective", "2026-03-09")
	vs, err := arch.Versions()
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(history)+1 {
		t.Fatalf("%d versions archived, want %d", len(vs), len(history)+1)
	}
	// Neighbour by neighbour, through the archive: each a document, each
	// pair a redline that marks something.
	for i := len(vs) - 1; i > 0; i-- {
		older, newer := vs[i], vs[i-1]
		a, err := arch.Document(older, "en")
		if err != nil {
			t.Fatalf("v%d: %v", older.Version, err)
		}
		b, err := arch.Document(newer, "en")
		if err != nil {
			t.Fatalf("v%d: %v", newer.Version, err)
		}
		rl, err := render.Redline(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if !marks(rl) {
			t.Errorf("v%d → v%d: the text changed, the redline marks nothing", older.Version, newer.Version)
		}
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out}); err != nil {
		t.Fatal(err)
	}
	got := files(t, out)
	if d := os.Getenv("POLICYC_KEEP"); d != "" {
		os.CopyFS(d, os.DirFS(out))
	}
	checkLinks(t, madeBySite(got))
	for n := 2; n <= len(vs); n++ {
		name := fmt.Sprintf("compare/v%d-v%d.html", n-1, n)
		page := string(got[name])
		if !strings.Contains(page, "not assessed structurally: no model") || !(strings.Contains(page, "<ins>") || strings.Contains(page, "<del>")) {
			t.Errorf("%s: no comparison with its verdict and redline", name)
		}
		// Neighbours cut differently (a PDF's lines, a page's headings)
		// are compared word by word, not section by section.
		if regexp.MustCompile(`\(added\)</h[23]>`).MatchString(page) && regexp.MustCompile(`\(removed\)</h[23]>`).MatchString(page) {
			t.Errorf("%s lists whole sections as added and removed", name)
		}
		verdict, _, _ := strings.Cut(page, "<h2>Redline</h2>")
		if m := leak.FindString(verdict[strings.Index(verdict, "<main>"):]); m != "" {
			t.Errorf("%s shows %q", name, m)
		}
	}
	for n := 1; n <= len(history); n++ {
		page := got[fmt.Sprintf("v%d/document.html", n)]
		if !bytes.Contains(page, []byte("<p>")) || bytes.Contains(page, []byte("track()")) || bytes.Contains(page, []byte("font:1rem serif")) || bytes.Contains(page, []byte(">Home<")) {
			t.Errorf("v%d/document.html is not the imported text as a page", n)
		}
	}
	if !bytes.Contains(got["v22/index.html"], []byte(`href="../v22/document.html"`)) || !bytes.Contains(got["v22/index.html"], []byte(`href="../compare/v22-current.html"`)) {
		t.Error("the last imported version's page does not link its text and its comparison with the current release")
	}
	// The pages an imported history adds are valid HTML (the Nu checker).
	var pages []string
	for _, name := range []string{"v1/document.html", "v2/document.html", "v3/document.html", "v22/index.html", "archive.html", "compare/pick.html", "compare/v2-v3.html", "compare/v22-v23.html"} {
		pages = append(pages, filepath.Join(out, name))
	}
	checkers.Nu(t, pages...)
	if !bytes.Contains(got["v3/document.html"], []byte(`href="policy.en.pdf"`)) {
		t.Error("an imported PDF's page does not offer the PDF")
	}
}

// leak is a path, a field name as policy.yaml or Go writes it, or template
// source, in what a person reads.
var leak = regexp.MustCompile(`\[[a-z0-9*-]+\]\.|[a-z]+_[a-z]+[a-z_]*|"[A-Z][A-Za-z]+":|\{\{|NotAssessed|ProseChanged`)

// madeBySite is a site's files with the imported HTML files left empty:
// an imported file is published as it was, with its own links into the
// site it came from, and every page the site makes is checked.
func madeBySite(site map[string][]byte) map[string][]byte {
	made := map[string][]byte{}
	for name, data := range site {
		made[name] = data
		if regexp.MustCompile(`^v[0-9]+/policy\.en\.html$`).MatchString(name) && bytes.Contains(data, []byte("<nav><a href=\"/\">Home")) {
			made[name] = []byte{} // there to link to, not scanned
		}
	}
	return made
}

// marks says whether a redline marks an insertion or a deletion.
func marks(rl []render.SectionRedline) bool {
	for _, s := range rl {
		for _, seg := range s.Segments {
			if seg.Op != render.Equal && strings.TrimSpace(seg.Text) != "" {
				return true
			}
		}
	}
	return false
}
