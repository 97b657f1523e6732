package site_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/internal/cli"
	"github.com/policyc/policyc/internal/hostile"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/site"
	"github.com/policyc/policyc/versions"
)

func sh(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func policyc(t *testing.T, args ...string) {
	t.Helper()
	if args[0] == "release" {
		// A release's dates are the model's: write the dates the test
		// gives into policy.yaml, as a user would. The tests edit the
		// policy between releases without committing.
		datesIntoModel(t, args[1], args[2:])
		args = append(args, "--allow-dirty")
	}
	var out, errb bytes.Buffer
	if code := cli.Main(args, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}); code != 0 {
		t.Fatalf("policyc %v: exit %d\n%s", args, code, errb.String())
	}
}

// datesIntoModel sets the updated and effective lines of dir/policy.yaml to
// the values of the --updated and --effective flags in args.
func datesIntoModel(t *testing.T, dir string, args []string) {
	t.Helper()
	path := filepath.Join(dir, "policy.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i := 0; i+1 < len(args); i++ {
		field, ok := strings.CutPrefix(args[i], "--")
		if field != "updated" && field != "effective" || !ok {
			continue
		}
		set := false
		for j, l := range lines {
			if strings.HasPrefix(l, field+":") {
				lines[j], set = field+": "+args[i+1], true
			}
		}
		if !set {
			lines = append([]string{field + ": " + args[i+1]}, lines...)
		}
	}
	os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
}

func edit(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s has no %q", path, old)
	}
	os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644)
}

// exampleRepo is a new git repository holding a copy of an example as its
// policy directory.
func exampleRepo(t *testing.T, example string) (repo, pdir string) {
	t.Helper()
	repo = t.TempDir()
	sh(t, repo, "git", "init", "-q")
	src, _ := filepath.Abs(filepath.Join("..", "examples", example))
	pdir = filepath.Join(repo, "policy")
	sh(t, repo, "cp", "-r", src, pdir)
	return repo, pdir
}

func setup(t *testing.T) (string, string) {
	repo, pdir := exampleRepo(t, "sdk-provider")
	policyc(t, "release", pdir, "--effective", "2026-03-09")
	edit(t, filepath.Join(pdir, "policy.yaml"), "response_time: 15 days", "response_time: 20 days")
	policyc(t, "release", pdir, "--updated", "2026-03-10", "--effective", "2026-04-15")
	// An English rewording released before its translation is updated.
	edit(t, filepath.Join(pdir, "sections", "collection.en.md"), "We follow the principles", "We apply the principles")
	policyc(t, "release", pdir, "--updated", "2026-04-20", "--effective", "2026-04-25", "--allow-stale", "zh-CN")
	return repo, pdir
}

// dirs lists the directories under dir.
func dirs(t *testing.T, dir string) string {
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return strings.Join(out, "\n")
}

func files(t *testing.T, dir string) map[string][]byte {
	out := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			b, _ := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = b
		}
		return nil
	})
	return out
}

var hrefRE = regexp.MustCompile(`(?:href|src)="([^"]+)"`)

// checkLinks checks that every relative link of every page resolves to a
// file of the site.
func checkLinks(t *testing.T, site map[string][]byte) {
	t.Helper()
	for name, data := range site {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range hrefRE.FindAllStringSubmatch(string(data), -1) {
			h := m[1]
			if strings.Contains(h, ":") || strings.HasPrefix(h, "#") {
				continue
			}
			target := filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(name), strings.Split(h, "#")[0])))
			if site[target] == nil {
				t.Errorf("%s links to %s, which is not in the site", name, h)
			}
		}
	}
}

// nuCheck runs the Nu HTML checker over every page of a site.
func nuCheck(t *testing.T, out string, site map[string][]byte) {
	t.Helper()
	var pages []string
	for name := range site {
		if strings.HasSuffix(name, ".html") && !strings.HasPrefix(name, "banner.") {
			pages = append(pages, filepath.Join(out, name))
		}
	}
	slices.Sort(pages)
	checkers.Nu(t, pages...)
}

// axeCheck opens pages of a site in Chromium (checkers.Axe).
func axeCheck(t *testing.T, out string, pages ...string) {
	t.Helper()
	var files []string
	for _, p := range pages {
		files = append(files, filepath.Join(out, p))
	}
	checkers.Axe(t, files...)
}

func TestSiteFromTheArchive(t *testing.T) {
	repo, pdir := setup(t)
	out := filepath.Join(t.TempDir(), "public")
	const base = "https://beacondev.example/privacy/"
	// Built after version 3 took effect (TestUpcomingVersionIsAnnounced
	// builds before).
	if _, err := site.Build(site.Options{Dir: pdir, Out: out, BaseURL: base, AsOf: policy.Date{Year: 2026, Month: 5, Day: 1}}); err != nil {
		t.Fatal(err)
	}
	got := files(t, out)
	for _, want := range []string{"index.html", "index.zh-CN.html", "archive.html", "archive.zh-CN.html", "404.html",
		"policy.en.html", "policy.zh-CN.pdf", "v1/index.html", "v2/policy.en.pdf", "v3/policy.zh-CN.md",
		"compare/v1-v2.html", "compare/v2-v3.html", "compare/v1-current.html", "compare/v2-current.html", "feed.en.xml", "feed.zh-CN.xml",
		"versions.json", "banner.en.html", "banner.zh-CN.html", "sitemap.xml"} {
		if got[want] == nil {
			t.Errorf("the site has no %s", want)
		}
	}
	// Downloads are the archived bytes, as git shows them.
	for _, f := range []string{"v2/policy.en.pdf", "v3/policy.zh-CN.md", "v1/policy.en.html"} {
		v, name, _ := strings.Cut(f, "/")
		if g := sh(t, repo, "git", "show", "policyc/beacondev-privacy/"+v+":rendered/"+name); g != string(got[f]) {
			t.Errorf("%s differs from the archive", f)
		}
	}
	checkLinks(t, got)
	// A comparison links to the archive, the current policy and both
	// versions, in its language.
	for _, want := range []string{`<a href="../index.html">`, `<a href="../archive.html">`, `<a href="../v1/index.html">Read v1</a>`, `<a href="../v2/index.html">Read v2</a>`} {
		if !bytes.Contains(got["compare/v1-v2.html"], []byte(want)) {
			t.Errorf("compare/v1-v2.html lacks %s", want)
		}
	}
	// Levels are named in each page's language.
	if !bytes.Contains(got["index.zh-CN.html"], []byte(`<dd class="level-editorial">文字调整</dd>`)) || !bytes.Contains(got["feed.zh-CN.xml"], []byte("第 2 版 — 重大变更")) {
		t.Error("the Chinese pages do not name the change levels in Chinese")
	}
	// Version 3 was released before its Chinese translation caught up: its
	// Chinese pages say so and link to the English version; the English
	// pages and version 2's Chinese pages do not.
	notice := []byte(`<p class="notice translation-notice" role="note">本译文可能未反映政策的最新修改。 <a href="../v3/index.html">阅读英文版本</a></p>`)
	if !bytes.Contains(got["v3/index.zh-CN.html"], notice) || !bytes.Contains(got["v3/index.zh-CN.html"], []byte(`<dd class="translation">尚未根据英文文本的修改更新的段落：1 处</dd>`)) {
		t.Error("version 3's Chinese page lacks the stale-translation notice and status")
	}
	if bytes.Contains(got["v3/index.html"], []byte("translation")) || bytes.Contains(got["v2/index.zh-CN.html"], []byte("translation-notice")) ||
		!bytes.Contains(got["v2/index.zh-CN.html"], []byte(`<dd class="translation">与英文文本一致</dd>`)) {
		t.Error("the notice or status stands where it does not belong")
	}
	// The sitemap and the feed's links are absolute under the base URL.
	if !strings.Contains(string(got["sitemap.xml"]), "<loc>"+base+"archive.html</loc>") {
		t.Error("the sitemap lacks the archive page")
	}
	var vj struct {
		Current       int `json:"current"`
		LastReconsent int `json:"last_reconsent"`
		Versions      []struct {
			Level           string `json:"level"`
			ComparePrevious string `json:"compare_previous"`
			CompareCurrent  string `json:"compare_current"`
		} `json:"versions"`
	}
	if err := json.Unmarshal(got["versions.json"], &vj); err != nil || vj.Current != 3 || len(vj.Versions) != 3 || vj.Versions[1].Level != "significant" {
		t.Errorf("versions.json: %+v %v", vj, err)
	}
	// An app links to what changed since the version its user accepted.
	for i, v := range vj.Versions {
		for _, link := range []string{v.ComparePrevious, v.CompareCurrent} {
			if link != "" && got[link] == nil {
				t.Errorf("versions.json names %s, which is not in the site", link)
			}
		}
		if (i > 0) != (v.ComparePrevious != "") || (i < 2) != (v.CompareCurrent != "") {
			t.Errorf("versions.json, version %d: compare links %q %q", i+1, v.ComparePrevious, v.CompareCurrent)
		}
	}
	// The archive page shows the significant version prominently with its summary.
	if !strings.Contains(string(got["archive.html"]), `<td class="level-significant">significant</td><td>We now reply to your enquiries within 20 days, instead of 15 days.</td>`) {
		t.Errorf("the archive page does not show version 2's level and summary")
	}
	if !strings.Contains(string(got["archive.zh-CN.html"]), "我们现在将在20日内答复您的咨询（此前为15日）。") {
		t.Error("the Chinese archive page lacks the Chinese summary")
	}

	// The feed is valid Atom for an independent parser (Python's ElementTree).
	feed := filepath.Join(out, "feed.en.xml")
	py := `import sys, xml.etree.ElementTree as ET
A='{http://www.w3.org/2005/Atom}'
f=ET.parse(sys.argv[1]).getroot()
assert f.tag==A+'feed', f.tag
for tag in ('id','title','updated'): assert f.find(A+tag) is not None and f.find(A+tag).text, tag
assert f.find(A+'author/'+A+'name').text
es=f.findall(A+'entry'); assert len(es)==3, len(es)
ids=[e.find(A+'id').text for e in es]; assert len(set(ids))==3
for e in es:
    for tag in ('id','title','updated'): assert e.find(A+tag).text, tag
    assert e.find(A+'link').get('href').startswith(sys.argv[2])
sig=[e for e in es if e.find(A+'category') is not None]
assert len(sig)==1 and sig[0].find(A+'category').get('term')=='significant'
print('ok')
`
	if res := sh(t, ".", "python3", "-c", py, feed, base); strings.TrimSpace(res) != "ok" {
		t.Errorf("feed: %s", res)
	}

	nuCheck(t, out, got)
	axeCheck(t, out, "index.html", "index.zh-CN.html", "archive.html", "v2/index.html", "compare/v1-v2.html", "compare/v1-current.html", "compare/pick.html", "404.html")

	// Click through as a reader: language switcher, archive, a version, a
	// download, a comparison.
	clicks, _ := filepath.Abs(filepath.Join("..", "tools", "check", "clicks.js"))
	res, err := exec.Command("node", clicks, out).Output()
	if err != nil {
		t.Fatalf("clicks.js: %v", err)
	}
	var walk struct {
		Steps []struct {
			Step, At, Lang, Heading, File string
			Rows, Ins                     int
		}
		Errors []string
	}
	if err := json.Unmarshal(res, &walk); err != nil {
		t.Fatal(err)
	}
	want := []string{"open index.html en", "switch language index.zh-CN.html zh-CN", "switch back index.html en",
		"archive archive.html rows=3", "version v2/index.html Version 2", "download v2/policy.en.pdf policy.en.pdf",
		"compare compare/v1-v2.html Changes from v1 to v2"}
	var steps []string
	for _, s := range walk.Steps {
		line := s.Step + " " + s.At
		switch {
		case s.Lang != "":
			line += " " + s.Lang
		case s.Step == "archive":
			line += fmt.Sprintf(" rows=%d", s.Rows)
		case s.Heading != "":
			line += " " + s.Heading
		case s.File != "":
			line += " " + s.File
		}
		steps = append(steps, line)
	}
	if strings.Join(steps, "\n") != strings.Join(want, "\n") || len(walk.Errors) > 0 {
		t.Errorf("clicking through the site:\n%s\nwant:\n%s\nerrors: %v", strings.Join(steps, "\n"), strings.Join(want, "\n"), walk.Errors)
	}
}

// TestSiteBuildsAreReproducibleAndIncremental builds twice (same bytes,
// nothing rewritten), then after a new release rewrites only what the new
// version touches: old versions' files and comparisons keep their bytes
// and modification times.
func TestSiteBuildsAreReproducibleAndIncremental(t *testing.T) {
	_, pdir := setup(t)
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	if _, err := site.Build(site.Options{Dir: pdir, Out: a}); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(site.Options{Dir: pdir, Out: b}); err != nil {
		t.Fatal(err)
	}
	fa, fb := files(t, a), files(t, b)
	for name := range fa {
		if !bytes.Equal(fa[name], fb[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
	mtimes := func() map[string]time.Time {
		m := map[string]time.Time{}
		for name := range files(t, a) {
			st, _ := os.Stat(filepath.Join(a, name))
			m[name] = st.ModTime()
		}
		return m
	}
	before := mtimes()
	time.Sleep(20 * time.Millisecond)
	rep, err := site.Build(site.Options{Dir: pdir, Out: a})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Written != 0 {
		t.Errorf("an unchanged rebuild wrote %d files", rep.Written)
	}
	edit(t, filepath.Join(pdir, "sections", "collection.en.md"), "We apply the principles", "We follow the principles")
	policyc(t, "release", pdir, "--updated", "2026-05-01", "--effective", "2026-05-05")
	rep, err = site.Build(site.Options{Dir: pdir, Out: a})
	if err != nil {
		t.Fatal(err)
	}
	after := mtimes()
	var rewritten []string
	for name, m := range after {
		if old, ok := before[name]; ok && !m.Equal(old) {
			rewritten = append(rewritten, name)
		}
	}
	slices.Sort(rewritten)
	// What a release touches: the pages that list versions (the picker's
	// too) or name the current one, the comparisons with the current version, and the page
	// of the former current version (which now compares with it). The
	// older versions' files, pages and comparisons with each other keep
	// their bytes and times.
	touched := regexp.MustCompile(`^(index|archive)(\.zh-CN)?\.html$|^(feed\..*\.xml|versions\.json|policy\..*|banner\..*)$|^compare/v[0-9]+-current\.(html|docx)$|^compare/pick(\.zh-CN)?\.html$|^v3/index(\.zh-CN)?\.html$`)
	for _, name := range rewritten {
		if !touched.MatchString(name) {
			t.Errorf("%s was rewritten, but the new release does not touch it", name)
		}
	}
	for _, name := range []string{"compare/v1-current.html", "compare/v2-current.html", "v3/index.html", "archive.html"} {
		if !slices.Contains(rewritten, name) {
			t.Errorf("%s was not rewritten after the release", name)
		}
	}
	if after["v4/policy.en.pdf"].IsZero() || after["compare/v3-v4.html"].IsZero() || after["compare/v3-current.html"].IsZero() {
		t.Error("the new version's files are missing")
	}
	if v1, _ := os.ReadFile(filepath.Join(a, "v1", "index.html")); !bytes.Contains(v1, []byte(`href="../compare/v1-current.html"`)) {
		t.Error("version 1's page does not compare with the current version")
	}
	if c, _ := os.ReadFile(filepath.Join(a, "compare", "v1-current.html")); !bytes.Contains(c, []byte("v4")) {
		t.Error("the comparison of version 1 with the current version does not show version 4")
	}
	if rep.Removed != 0 {
		t.Errorf("a release removed %d files", rep.Removed)
	}
	t.Logf("after a new release: %d written (%d of the previous files), %d unchanged, %d removed", rep.Written, len(rewritten), rep.Unchanged, rep.Removed)

	// A page edited or deleted by hand is made again; nothing else is.
	edit(t, filepath.Join(a, "v2", "policy.en.html"), "<body", "<body data-x")
	os.Remove(filepath.Join(a, "compare", "v1-v2.html"))
	want := files(t, b)
	rep, err = site.Build(site.Options{Dir: pdir, Out: a})
	if err != nil {
		t.Fatal(err)
	}
	got := files(t, a)
	if !bytes.Equal(got["v2/policy.en.html"], want["v2/policy.en.html"]) || !bytes.Equal(got["compare/v1-v2.html"], want["compare/v1-v2.html"]) {
		t.Error("pages changed by hand were not made again")
	}
	if rep.Written != 2 {
		t.Errorf("restoring two pages wrote %d files", rep.Written)
	}
	if entries, _ := os.ReadDir(a); slices.ContainsFunc(entries, func(e os.DirEntry) bool { return strings.HasPrefix(e.Name(), ".") }) {
		t.Error("the site holds a hidden file: build state belongs in the repository")
	}
}

// TestFailedSiteBuildLeavesTheSiteAsItWas breaks the archive under a built
// site (an object the next build must read is gone) and checks that the
// build fails, names the problem, and leaves every file as it was, with no
// temporary file behind.
func TestFailedSiteBuildLeavesTheSiteAsItWas(t *testing.T) {
	repo, pdir := setup(t)
	out := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out}); err != nil {
		t.Fatal(err)
	}
	// Pages that must be made again: the new build has work to write
	// before it reaches the missing object.
	for _, name := range []string{"v1/policy.en.md", "v3/policy.en.html", "compare/v1-current.html", "index.html"} {
		os.Remove(filepath.Join(out, name))
	}
	blob := strings.TrimSpace(sh(t, repo, "git", "rev-parse", versions.TagName("beacondev-privacy", 2)+":rendered/policy.zh-CN.pdf"))
	obj := filepath.Join(repo, ".git", "objects", blob[:2], blob[2:])
	if err := os.Remove(obj); err != nil {
		t.Fatalf("the blob is not a loose object: %v", err)
	}
	os.Remove(filepath.Join(out, "v2", "policy.zh-CN.pdf"))
	// The build must read v2's PDF to remake the version's directory,
	// which is gone, with v3's.
	os.RemoveAll(filepath.Join(out, "v2"))
	os.RemoveAll(filepath.Join(out, "v3"))
	before, beforeDirs := files(t, out), dirs(t, out)
	_, err := site.Build(site.Options{Dir: pdir, Out: out})
	if err == nil {
		t.Fatal("a build with a missing object succeeded")
	}
	if !strings.Contains(err.Error(), "v2/policy.zh-CN.pdf") || !strings.Contains(err.Error(), blob) {
		t.Errorf("the failed build does not say what it could not read: %v", err)
	}
	after := files(t, out)
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("the failed build left %s", name)
		}
	}
	if dirs(t, out) != beforeDirs {
		t.Errorf("the failed build left directories:\n%s\nwas:\n%s", dirs(t, out), beforeDirs)
	}
	for name, data := range before {
		if !bytes.Equal(after[name], data) {
			t.Errorf("the failed build changed %s", name)
		}
	}
}

// TestSiteWithoutPDFs builds without PDFs: no PDF in the site, none linked
// or listed, and everything else as in a full build; a full build after it
// brings them back.
func TestSiteWithoutPDFs(t *testing.T) { checkSiteWithout(t, "pdf") }

// TestSiteOffersWordDocumentsUnlessWithoutDocx: a version's Word document
// is a download of the site, listed on its page, and so is each
// comparison's Word redline, beside the comparison's link; --without docx
// leaves every one out, as for PDFs.
func TestSiteOffersWordDocumentsUnlessWithoutDocx(t *testing.T) {
	full := checkSiteWithout(t, "docx")
	red := full["compare/v1-v2.docx"]
	if !bytes.HasPrefix(red, []byte("PK")) {
		t.Fatalf("no Word redline beside compare/v1-v2.html")
	}
	if !bytes.Contains(full["v2/index.html"], []byte(`href="../compare/v1-v2.docx"`)) {
		t.Errorf("v2's page does not offer the Word redline of its comparison")
	}
	zr, err := zip.NewReader(bytes.NewReader(red), int64(len(red)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			doc, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Contains(doc, []byte("<w:ins ")) && !bytes.Contains(doc, []byte("<w:del ")) {
				t.Errorf("the Word redline of v1 and v2 holds no tracked change")
			}
		}
	}
}

func checkSiteWithout(t *testing.T, ext string) map[string][]byte {
	_, pdir := setup(t)
	full, lean := filepath.Join(t.TempDir(), "full"), filepath.Join(t.TempDir(), "lean")
	if _, err := site.Build(site.Options{Dir: pdir, Out: full}); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(site.Options{Dir: pdir, Out: lean, Without: []string{ext}}); err != nil {
		t.Fatal(err)
	}
	ff, fl := files(t, full), files(t, lean)
	if !bytes.Contains(ff["v2/index.html"], []byte(`href="policy.en.`+ext+`"`)) {
		t.Errorf("v2's page does not offer policy.en.%s", ext)
	}
	for name, data := range ff {
		switch {
		case strings.HasSuffix(name, "."+ext):
			if _, ok := fl[name]; ok {
				t.Errorf("%s is in the site built without %s", name, ext)
			}
		case !strings.HasSuffix(name, ".html") && name != "versions.json":
			if !bytes.Equal(fl[name], data) {
				t.Errorf("%s differs without %s", name, ext)
			}
		}
	}
	for name, data := range fl {
		if bytes.Contains(data, []byte(`.`+ext+`"`)) {
			t.Errorf("%s links to or lists a .%s file", name, ext)
		}
	}
	if _, err := site.Build(site.Options{Dir: pdir, Out: lean}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(lean, "v2", "policy.en."+ext)); err != nil {
		t.Errorf("a full build after a lean one lacks the .%s files", ext)
	}
	return ff
}

// TestComparisonsFromRecordsMatchTheModels releases versions that add and
// remove list items, SDKs and values and revert wording, then checks every
// comparison the site shows: the assessment composed from the releases'
// records equals diffing the two models, change by change with level and
// rules; and the records decline exactly where they cannot tell. The
// archive page says of each version what kind of change it was.
func TestComparisonsFromRecordsMatchTheModels(t *testing.T) {
	_, pdir := setup(t)
	sdks := filepath.Join(pdir, "sdks.yaml")
	release := func(updated string) {
		t.Helper()
		policyc(t, "release", pdir, "--updated", updated, "--effective", updated, "--short-notice-reason", "test", "--allow-stale", "zh-CN")
	}
	// v4: a new item in a category; an SDK collects less.
	edit(t, filepath.Join(pdir, "data.yaml"), "    - {en: e-mail address, zh-CN: 电子邮箱}\n", "    - {en: e-mail address, zh-CN: 电子邮箱}\n    - {en: postal address, zh-CN: 通信地址}\n")
	edit(t, sdks, "collects: [shared-content, device-ids, device-info, location]", "collects: [shared-content, device-ids, device-info]")
	release("2026-05-01")
	// v5: a new SDK; the reply time goes back to what v1 said.
	cur, _ := os.ReadFile(sdks)
	extra := "- id: beacon-extra\n  name: BeaconExtra\n  provider: {en: Extra Co., zh-CN: 额外公司}\n  purposes: [deep-linking]\n  collects: [device-ids]\n  policy_url: https://extra.example/privacy\n  region: {en: mainland China, zh-CN: 中国大陆}\n"
	os.WriteFile(sdks, append(cur, extra...), 0o644)
	edit(t, filepath.Join(pdir, "policy.yaml"), "response_time: 20 days", "response_time: 15 days")
	release("2026-06-01")
	// v6: the SDK goes again, and a sentence is worded as in v1.
	os.WriteFile(sdks, cur, 0o644)
	edit(t, filepath.Join(pdir, "sections", "collection.en.md"), "We apply the principles", "We follow the principles")
	release("2026-07-01")
	// v7: a detail below significance.
	edit(t, filepath.Join(pdir, "policy.yaml"), `postal_code: "310012"`, `postal_code: "310099"`)
	release("2026-08-01")

	// Each version's summary on the archive page says what kind of change
	// it was: a notice's sentences, or a note for changes below that.
	out := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out}); err != nil {
		t.Fatal(err)
	}
	archive, _ := os.ReadFile(filepath.Join(out, "archive.html"))
	rows := map[string]string{}
	for _, m := range regexp.MustCompile(`<tr><td><a href="(v[0-9]+)/index.html">.*?</tr>`).FindAllStringSubmatch(string(archive), -1) {
		rows[m[1]] = m[0]
	}
	for v, want := range map[string]string{"v2": "We now reply to your enquiries within 20 days, instead of 15 days.", "v3": "Wording changes only.", "v6": "We no longer use BeaconExtra.", "v7": "none of the changes is significant"} {
		if !strings.Contains(rows[v], want) {
			t.Errorf("the archive's row for %s lacks %q: %s", v, want, rows[v])
		}
	}

	pickCheck(t, out)

	records, models, untold, err := site.ComparisonsBothWays(pdir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range models {
		if records[name] != want {
			t.Errorf("%s from the records:\n%s\nfrom the models:\n%s", name, records[name], want)
		}
	}
	// v1 and v2 say "We follow", as v6 and v7 do: the records show the
	// wording changing twice and cannot tell whether it ends as it began.
	if want := []string{"v1-v7", "v2-v7"}; !slices.Equal(untold, want) {
		t.Errorf("the records could not tell %v; want %v", untold, want)
	}
	if len(models) < 7 {
		t.Errorf("only %d comparisons told by the records", len(models))
	}
	t.Logf("%d comparisons told by the records, %d left to the models", len(models), len(untold))
}

// TestSiteWithAnImportedVersion publishes a version imported as a file
// before the first release: it is listed and downloadable, but nothing
// compares with it (it has no model), and no page links to a comparison
// that does not exist.
func TestSiteComparesAnImportedVersionLikeAnyOther(t *testing.T) {
	repo, pdir := exampleRepo(t, "sdk-provider")
	old := filepath.Join(repo, "privacy-2019.md")
	os.WriteFile(old, []byte("# Privacy policy\n\nAs published in 2019.\n"), 0o644)
	policyc(t, "archive", "import", old, "-C", pdir, "--effective", "2019-12-20")
	policyc(t, "release", pdir, "--effective", "2026-03-09")
	edit(t, filepath.Join(pdir, "policy.yaml"), "response_time: 15 days", "response_time: 20 days")
	policyc(t, "release", pdir, "--updated", "2026-03-10", "--effective", "2026-04-15")
	out := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out}); err != nil {
		t.Fatal(err)
	}
	got := files(t, out)
	checkLinks(t, got)
	if string(got["v1/policy.en.md"]) != "# Privacy policy\n\nAs published in 2019.\n" {
		t.Error("the imported file is not published as imported")
	}
	for _, name := range []string{"compare/v1-v2.html", "compare/v1-current.html"} {
		page := string(got[name])
		if !strings.Contains(page, "not assessed structurally: no model") || !strings.Contains(page, "<del>As published") {
			_, main, _ := strings.Cut(page, "<main>")
			t.Errorf("%s is not a text comparison with the verdict not assessed:\n%s", name, main)
		}
		if regexp.MustCompile(`(?i)class="level">(editorial|notable|significant)`).MatchString(page) {
			t.Errorf("%s invents a level for a version with no model", name)
		}
	}
	if got["compare/v2-v3.html"] == nil {
		t.Error("the released versions are not compared")
	}
	if !bytes.Contains(got["v1/index.html"], []byte(`href="../compare/v1-current.html"`)) || !bytes.Contains(got["v2/index.html"], []byte(`href="../compare/v1-v2.html"`)) {
		t.Error("the version pages do not link the comparisons with the imported version")
	}
	if !bytes.Contains(got["archive.html"], []byte(`name="from"`)) || !bytes.Contains(got["archive.html"], []byte(`<option value="1"`)) {
		t.Error("the pick form does not offer the imported version")
	}
	// The imported version is a page of the site, linked from its page.
	if !bytes.Contains(got["v1/index.html"], []byte(`href="../v1/document.html"`)) || !bytes.Contains(got["v1/document.html"], []byte("<p>As published in 2019.</p>")) {
		t.Errorf("the imported Markdown is not shown as a page:\n%s", got["v1/document.html"])
	}
}

// TestFirstBuildAppearsWhole builds a site where there was none: it
// appears whole, with nothing left beside it; a first build that fails
// leaves nothing at all, and one into an empty directory fills it.
func TestFirstBuildAppearsWhole(t *testing.T) {
	repo, pdir := setup(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	rep, err := site.Build(site.Options{Dir: pdir, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("beside the site: %v", entries)
	}
	got := files(t, out)
	if rep.Written != len(got) || got["v2/policy.en.pdf"] == nil {
		t.Errorf("wrote %d files, the site has %d", rep.Written, len(got))
	}
	if st, _ := os.Stat(out); st.Mode().Perm()&0o055 == 0 {
		t.Errorf("the site's directory is %v: others cannot read it", st.Mode().Perm())
	}
	// Into an empty directory, the same bytes.
	empty := filepath.Join(t.TempDir(), "empty")
	os.Mkdir(empty, 0o755)
	if _, err := site.Build(site.Options{Dir: pdir, Out: empty}); err != nil {
		t.Fatal(err)
	}
	if again := files(t, empty); len(again) != len(got) || !bytes.Equal(again["archive.html"], got["archive.html"]) {
		t.Error("a first build into an empty directory differs")
	}
	// A first build that fails leaves nothing.
	blob := strings.TrimSpace(sh(t, repo, "git", "rev-parse", versions.TagName("beacondev-privacy", 3)+":rendered/policy.en.md"))
	if err := os.Remove(filepath.Join(repo, ".git", "objects", blob[:2], blob[2:])); err != nil {
		t.Fatal(err)
	}
	failed := t.TempDir()
	if _, err := site.Build(site.Options{Dir: pdir, Out: filepath.Join(failed, "public")}); err == nil {
		t.Fatal("a build with a missing object succeeded")
	}
	if entries, _ := os.ReadDir(failed); len(entries) != 0 {
		t.Errorf("a failed first build left %v", entries)
	}
}

// TestWebsiteExampleSite builds the site of the other example (a website
// whose first locale is English, with GDPR and PIPL profiles) from several
// releases, under a sub-path base URL, and checks it with the same readers.
func TestWebsiteExampleSite(t *testing.T) {
	_, pdir := exampleRepo(t, "website")
	policyc(t, "release", pdir, "--effective", "2026-05-01")
	yaml := filepath.Join(pdir, "policy.yaml")
	b, _ := os.ReadFile(yaml)
	first := regexp.MustCompile(`(?m)^  first_reply: [0-9]+ working days`).Find(b)
	if first == nil {
		t.Fatal("the website example has no first_reply")
	}
	edit(t, yaml, string(first), "  first_reply: 9 working days")
	policyc(t, "release", pdir, "--updated", "2026-06-01", "--effective", "2026-06-01", "--short-notice-reason", "test")
	edit(t, yaml, "  first_reply: 9 working days", string(first))
	policyc(t, "release", pdir, "--updated", "2026-07-01", "--effective", "2026-07-01", "--short-notice-reason", "test")
	out := filepath.Join(t.TempDir(), "privacy")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out, BaseURL: "https://pixelgrove.example/legal/privacy/"}); err != nil {
		t.Fatal(err)
	}
	got := files(t, out)
	for _, want := range []string{"index.html", "archive.html", "v3/index.html", "compare/v2-v3.html", "compare/v1-current.html", "sitemap.xml", "feed.en.xml"} {
		if got[want] == nil {
			t.Errorf("the site has no %s", want)
		}
	}
	if !bytes.Contains(got["sitemap.xml"], []byte("<loc>https://pixelgrove.example/legal/privacy/compare/v1-current.html</loc>")) {
		t.Error("the sitemap's addresses are not under the base URL")
	}
	checkLinks(t, got)
	nuCheck(t, out, got)
	axeCheck(t, out, "index.html", "archive.html", "v2/index.html", "compare/v1-v2.html", "compare/v1-current.html", "compare/pick.html")
}

// pickCheck picks pairs of versions on the archive's form, in Chromium:
// a pair the site compares opens that comparison; any other lists the
// releases between them with their comparisons. (Without JavaScript the
// page is an index of every comparison, which the link and Nu checks
// cover.)
func pickCheck(t *testing.T, out string) {
	t.Helper()
	browser := checkers.Tool(t, "chromium", "apt-get install -y chromium")
	dom := func(query string) string {
		t.Helper()
		u := "file://" + filepath.ToSlash(filepath.Join(out, "compare", "pick.html")) + "?" + query
		res, err := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", u).Output()
		if err != nil {
			t.Fatalf("chromium: %v", err)
		}
		return string(res)
	}
	if d := dom("from=3&to=4"); !strings.Contains(d, "<h1>Changes from v3 to v4</h1>") {
		t.Errorf("picking v3 and v4 did not open their comparison:\n%.300s", d)
	}
	if d := dom("from=2&to=7"); !strings.Contains(d, "<h1>Changes from v2 to v7</h1>") {
		t.Errorf("picking v2 and the current version did not open their comparison:\n%.300s", d)
	}
	d := dom("from=5&to=2")
	between := regexp.MustCompile(`<li><strong>Version ([0-9]+) \(([a-z ]+)\)</strong>[^<]*<a href="(v[0-9]+-v[0-9]+\.html)">`).FindAllStringSubmatch(d, -1)
	var got []string
	for _, m := range between {
		got = append(got, m[1]+" "+m[2]+" "+m[3])
	}
	if !strings.Contains(d, `href="../compare/pick.zh-CN.html?from=5&amp;to=2"`) {
		t.Error("the Chinese picker's link does not keep the pair picked")
	}
	if want := []string{"3 editorial v2-v3.html", "4 consent needed again v3-v4.html", "5 significant v4-v5.html"}; !slices.Equal(got, want) {
		t.Errorf("picking v5 and v2 listed %q, want %q\n%s", got, want, d)
	}
}

// TestUnreadableVerdictIsAnError removes the object of a release's stored
// verdict: the build says which version's verdict it could not read,
// rather than quietly comparing the models instead.
func TestUnreadableVerdictIsAnError(t *testing.T) {
	repo, pdir := setup(t)
	blob := strings.TrimSpace(sh(t, repo, "git", "rev-parse", versions.TagName("beacondev-privacy", 2)+":verdict.json"))
	if err := os.Remove(filepath.Join(repo, ".git", "objects", blob[:2], blob[2:])); err != nil {
		t.Fatal(err)
	}
	_, err := site.Build(site.Options{Dir: pdir, Out: filepath.Join(t.TempDir(), "public")})
	if err == nil || !strings.Contains(err.Error(), "version 2: verdict.json") {
		t.Fatalf("build with an unreadable verdict: %v", err)
	}
}

// TestIncrementalBuildEqualsAFreshOne builds, releases, and builds again
// (the older versions' documents now come from the build cache), then
// checks the site against one built from nothing with no cache; and again
// with the cache damaged — a text altered, then the file truncated — which
// must cost time, not correctness.
func TestIncrementalBuildEqualsAFreshOne(t *testing.T) {
	repo, pdir := setup(t)
	state := filepath.Join(repo, ".git", "policyc", "site")
	inc := filepath.Join(t.TempDir(), "inc")
	if _, err := site.Build(site.Options{Dir: pdir, Out: inc}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(state, "cuts.json")); err != nil {
		t.Fatalf("the build kept no cut documents: %v", err)
	}
	edit(t, filepath.Join(pdir, "policy.yaml"), "response_time: 20 days", "response_time: 25 days")
	policyc(t, "release", pdir, "--updated", "2026-05-01", "--effective", "2026-05-05", "--short-notice-reason", "a test", "--allow-stale", "zh-CN")
	fresh := func(name string) map[string][]byte {
		t.Helper()
		saved := t.TempDir()
		for _, f := range []string{"cuts.json", "outlines.json"} {
			if err := os.Rename(filepath.Join(state, f), filepath.Join(saved, f)); err != nil {
				t.Fatal(err)
			}
		}
		out := filepath.Join(t.TempDir(), name)
		if _, err := site.Build(site.Options{Dir: pdir, Out: out}); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"cuts.json", "outlines.json"} {
			if err := os.Rename(filepath.Join(saved, f), filepath.Join(state, f)); err != nil {
				t.Fatal(err)
			}
		}
		return files(t, out)
	}
	same := func(what string, got, want map[string][]byte) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d files, a fresh build has %d", what, len(got), len(want))
		}
		for name, data := range want {
			if !bytes.Equal(got[name], data) {
				t.Errorf("%s: %s differs from a fresh build", what, name)
			}
		}
	}
	if _, err := site.Build(site.Options{Dir: pdir, Out: inc}); err != nil {
		t.Fatal(err)
	}
	want := fresh("fresh")
	same("after a release", files(t, inc), want)

	// A text in the cache altered under its hash: left out, read again.
	cache := filepath.Join(state, "cuts.json")
	data, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	altered := bytes.Replace(data, []byte("25 days"), []byte("99 days"), -1)
	if bytes.Equal(altered, data) {
		t.Fatal("the cache holds no text to alter")
	}
	os.WriteFile(cache, altered, 0o644)
	other := filepath.Join(t.TempDir(), "other")
	if _, err := site.Build(site.Options{Dir: pdir, Out: other}); err != nil {
		t.Fatal(err)
	}
	same("with an altered cache", files(t, other), want)
	os.WriteFile(cache, data[:len(data)/2], 0o644)
	third := filepath.Join(t.TempDir(), "third")
	if _, err := site.Build(site.Options{Dir: pdir, Out: third}); err != nil {
		t.Fatal(err)
	}
	same("with a truncated cache", files(t, third), want)
}

// TestArchivedPagesWithActiveContentArePublishedInert imports an old HTML
// policy that carries scripts, event handlers and a javascript: link, as a
// page from before policyc (or from an earlier policyc) may: the archive
// keeps it as imported, and the site publishes it disarmed.
func TestArchivedPagesWithActiveContentArePublishedInert(t *testing.T) {
	_, pdir := exampleRepo(t, "sdk-provider")
	old := filepath.Join(t.TempDir(), "privacy-2019.html")
	page := `<!doctype html><html lang="en"><head><title>Old policy</title><script>alert(1)</script></head><body>` +
		`<p>As published in 2019. <a href="java&#x73;cript:alert(2)">Contact</a> <img src="x" onerror="alert(3)"></p></body></html>`
	os.WriteFile(old, []byte(page), 0o644)
	policyc(t, "archive", "import", old, "-C", pdir, "--effective", "2019-12-20")
	out := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out}); err != nil {
		t.Fatal(err)
	}
	got := files(t, out)
	n := 0
	for name, b := range got {
		if !strings.HasPrefix(name, "v1/") || !strings.HasSuffix(name, ".html") {
			continue
		}
		if bytes.Contains(b, []byte("As published in 2019")) {
			n++
		}
		if active := hostile.Inert(b, hostile.Options{Scripts: []string{site.PickScript}}); len(active) > 0 {
			t.Errorf("%s is published with active content: %v", name, active)
		}
	}
	if n == 0 {
		t.Fatal("the imported page is not in the site")
	}
}
