package site_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/policyc/policyc/internal/cli"
	"github.com/policyc/policyc/site"
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
	var out, errb bytes.Buffer
	if code := cli.Main(args, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}); code != 0 {
		t.Fatalf("policyc %v: exit %d\n%s", args, code, errb.String())
	}
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

func setup(t *testing.T) (string, string) {
	repo := t.TempDir()
	sh(t, repo, "git", "init", "-q")
	src, _ := filepath.Abs(filepath.Join("..", "examples", "sdk-provider"))
	pdir := filepath.Join(repo, "policy")
	sh(t, repo, "cp", "-r", src, pdir)
	policyc(t, "release", pdir, "--effective", "2026-03-09")
	edit(t, filepath.Join(pdir, "policy.yaml"), "response_time: 15 days", "response_time: 20 days")
	policyc(t, "release", pdir, "--updated", "2026-03-10", "--effective", "2026-04-15")
	edit(t, filepath.Join(pdir, "sections", "collection.en.md"), "We follow the principles", "We apply the principles")
	policyc(t, "release", pdir, "--updated", "2026-04-20", "--effective", "2026-04-25")
	return repo, pdir
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

func TestSiteFromTheArchive(t *testing.T) {
	repo, pdir := setup(t)
	out := filepath.Join(t.TempDir(), "public")
	const base = "https://beacondev.example/privacy/"
	if _, err := site.Build(site.Options{Dir: pdir, Out: out, BaseURL: base}); err != nil {
		t.Fatal(err)
	}
	got := files(t, out)
	for _, want := range []string{"index.html", "index.zh-CN.html", "archive.html", "archive.zh-CN.html", "404.html",
		"policy.en.html", "policy.zh-CN.pdf", "v1/index.html", "v2/policy.en.pdf", "v3/policy.zh-CN.md",
		"compare/v1-v2.html", "compare/v2-v3.html", "compare/v1-v3.html", "feed.en.xml", "feed.zh-CN.xml",
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
	// Every relative link resolves to a file of the site.
	for name, data := range got {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range hrefRE.FindAllStringSubmatch(string(data), -1) {
			h := m[1]
			if strings.Contains(h, ":") || strings.HasPrefix(h, "#") {
				continue
			}
			target := filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(name), strings.Split(h, "#")[0])))
			if got[target] == nil {
				t.Errorf("%s links to %s, which is not in the site", name, h)
			}
		}
	}
	// The sitemap and the feed's links are absolute under the base URL.
	if !strings.Contains(string(got["sitemap.xml"]), "<loc>"+base+"archive.html</loc>") {
		t.Error("the sitemap lacks the archive page")
	}
	var vj struct {
		Current       int `json:"current"`
		LastReconsent int `json:"last_reconsent"`
		Versions      []struct {
			Level string `json:"level"`
		} `json:"versions"`
	}
	if err := json.Unmarshal(got["versions.json"], &vj); err != nil || vj.Current != 3 || len(vj.Versions) != 3 || vj.Versions[1].Level != "significant" {
		t.Errorf("versions.json: %+v %v", vj, err)
	}
	// The archive page shows the significant version prominently with its summary.
	if !strings.Contains(string(got["archive.html"]), `<td class="level-significant">significant</td><td>We now reply to requests within 20 days.</td>`) {
		t.Errorf("the archive page does not show version 2's level and summary")
	}
	if !strings.Contains(string(got["archive.zh-CN.html"]), "我们现在将在20日内答复您的请求。") {
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

	// Every page passes the Nu HTML checker.
	vnu, _ := filepath.Abs(filepath.Join("..", "tools", "check", "node_modules", "vnu-jar", "build", "dist", "vnu.jar"))
	if _, err := os.Stat(vnu); err != nil {
		t.Fatal("the Nu checker is not installed: run npm ci --prefix tools/check")
	}
	var pages []string
	for name := range got {
		if strings.HasSuffix(name, ".html") && !strings.HasPrefix(name, "banner.") {
			pages = append(pages, filepath.Join(out, name))
		}
	}
	slices.Sort(pages)
	if res, err := exec.Command("java", append([]string{"-jar", vnu, "--errors-only", "--format", "gnu"}, pages...)...).CombinedOutput(); err != nil || len(bytes.TrimSpace(res)) > 0 {
		t.Errorf("Nu HTML checker: %v\n%s", err, res)
	}

	// The main pages in Chromium: no console errors, no external requests,
	// no WCAG 2 A/AA violations.
	axe, _ := filepath.Abs(filepath.Join("..", "tools", "check", "axe.js"))
	args := []string{axe}
	if s := os.Getenv("SCREENSHOTS"); s != "" {
		args = append(args, "--screenshots", s)
	}
	for _, p := range []string{"index.html", "index.zh-CN.html", "archive.html", "v2/index.html", "compare/v1-v2.html", "404.html"} {
		args = append(args, filepath.Join(out, p))
	}
	res, err := exec.Command("node", args...).Output()
	if err != nil {
		t.Fatalf("axe.js: %v", err)
	}
	var results []struct {
		File          string
		ConsoleErrors []string
		External      []string
		Violations    []struct{ ID string }
	}
	json.Unmarshal(res, &results)
	if len(results) != 6 {
		t.Fatalf("%d axe results", len(results))
	}
	for _, r := range results {
		if len(r.ConsoleErrors)+len(r.External)+len(r.Violations) > 0 {
			t.Errorf("%s: %+v", r.File, r)
		}
	}

	// Click through as a reader: language switcher, archive, a version, a
	// download, a comparison.
	clicks, _ := filepath.Abs(filepath.Join("..", "tools", "check", "clicks.js"))
	res, err = exec.Command("node", clicks, out).Output()
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
	for _, name := range rewritten {
		// A version's page links to the comparison with the current version,
		// so it is affected; its published files and old comparisons are not.
		if strings.HasPrefix(name, "v1/policy") || strings.HasPrefix(name, "v2/policy") || strings.HasPrefix(name, "v3/policy") || name == "compare/v1-v2.html" || name == "compare/v2-v3.html" {
			t.Errorf("%s was rewritten, but the new release does not touch it", name)
		}
	}
	if after["v4/policy.en.pdf"].IsZero() || after["compare/v3-v4.html"].IsZero() {
		t.Error("the new version's files are missing")
	}
	if v1, _ := os.ReadFile(filepath.Join(a, "v1", "index.html")); !bytes.Contains(v1, []byte(`href="../compare/v1-v4.html"`)) {
		t.Error("version 1's page does not compare with the new current version")
	}
	if _, err := os.Stat(filepath.Join(a, "compare", "v1-v3.html")); err == nil {
		t.Error("the comparison with the former current version was not removed")
	}
	t.Logf("after a new release: %d written (%d of the previous files), %d unchanged, %d removed", rep.Written, len(rewritten), rep.Unchanged, rep.Removed)
}
