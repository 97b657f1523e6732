package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
)

// TestTranslationStatesOnBothExamples walks each example through the
// states a translation takes, as a release engineer meets them: up to
// date, stale after a source-only change in a model field and in a
// section body (a release refuses it), released with --allow-stale (the
// site's page in that locale says so and links to the source-language
// version), reviewed, missing. The website example is written for one
// locale: it declares zh-CN and is translated by export and import first.
func TestTranslationStatesOnBothExamples(t *testing.T) {
	for _, c := range []struct{ example, body, section string }{
		{"sdk-provider", "sections/introduction.en.md", "introduction"},
		{"website", "sections/collection.md", "collection"},
	} {
		t.Run(c.example, func(t *testing.T) {
			for _, kv := range [][2]string{{"GIT_AUTHOR_NAME", "t"}, {"GIT_AUTHOR_EMAIL", "t@example.com"}, {"GIT_COMMITTER_NAME", "t"}, {"GIT_COMMITTER_EMAIL", "t@example.com"}} {
				t.Setenv(kv[0], kv[1])
			}
			dir := t.TempDir()
			p := filepath.Join(dir, "p")
			copyTree(t, filepath.Join("..", "..", "examples", c.example), p)
			if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
				t.Fatalf("git init: %v %s", err, out)
			}
			yml := filepath.Join(p, "policy.yaml")
			edit := func(file string, f func(string) string) {
				t.Helper()
				b, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if s := f(string(b)); s != string(b) {
					err = os.WriteFile(file, []byte(s), 0o644)
				} else {
					t.Fatalf("%s: the edit changed nothing", file)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			expect := func(want int, args ...string) string {
				t.Helper()
				code, out, errs := run(args...)
				if code != want {
					t.Fatalf("policyc %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errs)
				}
				return out + errs
			}
			if c.example == "website" {
				enBefore := expect(0, "render", p, "--format", "md")
				edit(yml, func(s string) string { return strings.Replace(s, "locales: [en]\n", "locales: [en, zh-CN]\n", 1) })
				expect(1, "translations", "status", p)
				xlf := filepath.Join(dir, "zh.xlf")
				expect(0, "translations", "export", p, "--locale", "zh-CN", "-o", xlf)
				validXLIFF(t, xlf)
				edit(xlf, func(s string) string {
					return regexp.MustCompile(`(?s)<source xml:space="preserve">(.*?)</source>`).ReplaceAllString(s, `$0<target xml:space="preserve">译 $1</target>`)
				})
				expect(0, "translations", "import", xlf, "-C", p)
				expect(0, "validate", p)
				// The English reads exactly as before; the Chinese has every
				// text, translated.
				if enAfter := expect(0, "render", p, "--format", "md", "--locale", "en"); enAfter != enBefore {
					t.Errorf("the English policy changed with the import")
				}
				zh := expect(0, "render", p, "--format", "md", "--locale", "zh-CN")
				for _, want := range []string{"# 译 Pixelgrove Privacy Policy", "译 All products and services"} {
					if !strings.Contains(zh, want) {
						t.Errorf("the zh-CN policy lacks %q", want)
					}
				}
			}
			expect(0, "translations", "status", p)
			expect(0, "release", p, "--allow-dirty")

			// A source-only change in a model field and in a section body.
			q, err := policy.Load(p)
			if err != nil {
				t.Fatal(err)
			}
			scope := q.Scope.Get("en")
			edit(yml, func(s string) string { return strings.Replace(s, scope, scope+" It also covers our help centre.", 1) })
			edit(filepath.Join(p, c.body), func(s string) string { return s + "\nWe review this section every year.\n" })
			edit(yml, func(s string) string {
				s = regexp.MustCompile(`(?m)^effective: .*$`).ReplaceAllString(s, "effective: 2027-06-01")
				return regexp.MustCompile(`(?m)^updated: .*$`).ReplaceAllString(s, "updated: 2027-05-01")
			})
			out := expect(1, "translations", "status", p)
			for _, want := range []string{"2 stale, 0 missing", "stale scope\n", "stale sections[" + c.section + "].body\n", "{+It also covers our help centre.+}"} {
				if !strings.Contains(out, want) {
					t.Errorf("status lacks %q:\n%s", want, out)
				}
			}
			for _, all := range []bool{false, true} {
				xlf := filepath.Join(dir, fmt.Sprintf("stale-%v.xlf", all))
				args := []string{"translations", "export", p, "--locale", "zh-CN", "-o", xlf}
				if all {
					args = append(args, "--all")
				}
				expect(0, args...)
				validXLIFF(t, xlf)
			}
			if out := expect(2, "release", p, "--allow-dirty"); !strings.Contains(out, "zh-CN translation of scope is stale") {
				t.Errorf("release refuses without saying why:\n%s", out)
			}
			expect(0, "release", p, "--allow-dirty", "--allow-stale", "zh-CN")

			// The site: the zh-CN page of version 2 says so, with a link to
			// the English page of the same version; version 1's does not.
			site := filepath.Join(dir, "site")
			expect(0, "site", "build", p, "-o", site)
			page, err := os.ReadFile(filepath.Join(site, "v2", "index.zh-CN.html"))
			if err != nil {
				t.Fatal(err)
			}
			m := regexp.MustCompile(`<p class="notice translation-notice" role="note">[^<]+<a href="([^"]+)">`).FindSubmatch(page)
			if m == nil {
				t.Fatalf("v2/index.zh-CN.html has no translation notice")
			}
			if en, err := os.ReadFile(filepath.Join(site, "v2", filepath.FromSlash(string(m[1])))); err != nil || !strings.Contains(string(en), `lang="en"`) {
				t.Errorf("the notice links to %s, not the English page of version 2 (%v)", m[1], err)
			}
			if v1, err := os.ReadFile(filepath.Join(site, "v1", "index.zh-CN.html")); err != nil || strings.Contains(string(v1), "translation-notice") {
				t.Errorf("v1/index.zh-CN.html: a notice, or no page (%v)", err)
			}

			// Released stale, still stale; reviewed, up to date.
			expect(1, "translations", "status", p)
			expect(0, "translations", "review", "zh-CN", "scope", "sections["+c.section+"].body", "-C", p)
			if out := expect(0, "translations", "status", p); !strings.Contains(out, "(2 reviewed), 0 stale, 0 missing") {
				t.Errorf("after review:\n%s", out)
			}

			// Missing: the zh-CN file of the section is gone.
			zh := strings.Replace(c.body, ".en.md", ".zh-CN.md", 1)
			if zh == c.body {
				zh = strings.TrimSuffix(c.body, ".md") + ".zh-CN.md"
			}
			if err := os.Remove(filepath.Join(p, zh)); err != nil {
				t.Fatal(err)
			}
			if out := expect(1, "translations", "status", p); !strings.Contains(out, "missing sections["+c.section+"].body") {
				t.Errorf("without %s:\n%s", zh, out)
			}
			xlf := filepath.Join(dir, "missing.xlf")
			expect(0, "translations", "export", p, "--locale", "zh-CN", "-o", xlf)
			validXLIFF(t, xlf)
		})
	}
}

// validXLIFF checks an exported file against the OASIS XLIFF 2.0 core
// schema with xmllint (left out by -short, like every external reader).
func validXLIFF(t *testing.T, file string) {
	t.Helper()
	if testing.Short() {
		return
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint not found: install it with apt-get install -y libxml2-utils (.ci/run does)")
	}
	schema := filepath.Join("..", "..", "policy", "testdata", "xliff", "xliff_core_2.0.xsd")
	if out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", schema, file).CombinedOutput(); err != nil {
		t.Errorf("%s does not validate against the XLIFF 2.0 core schema: %v\n%s", filepath.Base(file), err, out)
	}
}

// TestImportWritesAllOrNothing: when one file cannot be put in place (here
// a directory stands where a file is to go), every file already replaced
// is put back as it was and every new one removed.
func TestImportWritesAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	for name, b := range map[string]string{"a.yaml": "a: old\n", "z/keep.md": "x\n"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := writeAll(dir, map[string][]byte{"a.yaml": []byte("a: new\n"), "b.md": []byte("new file\n"), "z": []byte("in the way\n")})
	if err == nil {
		t.Fatal("writing over a directory succeeded")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.yaml")); string(b) != "a: old\n" {
		t.Errorf("a.yaml = %q, want it as it was", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.md")); !os.IsNotExist(err) {
		t.Errorf("the new file b.md stays (%v)", err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "a.yaml z" {
		t.Errorf("the directory holds %v, want [a.yaml z] (no temporary file left)", names)
	}
}
