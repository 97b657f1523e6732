package cli

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// verdictKeys are the labels of a comparison's fixed words: none of their
// English values may appear in a comparison read in another language.
var verdictKeys = []string{
	"diff.heading", "diff.text.heading", "diff.none", "diff.spacing_only",
	"diff.prose.md", "diff.prose.text", "diff.prose.docx", "diff.md.change", "diff.md.rule", "diff.md.redline",
	"diff.advice.editorial", "diff.advice.notable", "diff.advice.significant", "diff.advice.reconsent",
	"level.editorial", "level.notable", "level.significant", "level.reconsent",
	"diff.status.changed", "diff.status.added", "diff.status.removed",
}

// englishVerdictWords finds, in what a reader sees of a comparison, the
// English words of the comparison's fixed labels and of the built-in
// rules' summaries. The rules' regimes and clauses are cited as they are
// ("§7.4 / significant change item 4") and are left out of the scan.
func englishVerdictWords(t *testing.T, out string) []string {
	t.Helper()
	en, err := render.New().Labels("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range append(policy.Rules, policy.FactChanged) {
		out = strings.ReplaceAll(out, r.Clause, "")
	}
	var found []string
	for _, k := range verdictKeys {
		// A label's words around its %s and %d, each stretch on its own.
		for _, part := range regexp.MustCompile(`%[sd]`).Split(en[k], -1) {
			part = strings.TrimSpace(strings.Trim(part, ":.→ "))
			if part == "" {
				continue
			}
			if regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(part) + `\b`).MatchString(out) {
				found = append(found, k+": "+part)
			}
		}
	}
	for _, r := range append(policy.Rules, policy.FactChanged) {
		if strings.Contains(out, r.Summary) {
			found = append(found, "rule "+r.ID+": "+r.Summary)
		}
	}
	return found
}

// readable is what a reader sees of an output: an HTML page's text
// without its style sheet, a Word document's text runs.
func readable(t *testing.T, format, out string) string {
	t.Helper()
	switch format {
	case "html":
		out = regexp.MustCompile(`(?s)<style>.*?</style>`).ReplaceAllString(out, "")
		return html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(out, " "))
	case "docx":
		zr, err := zip.NewReader(bytes.NewReader([]byte(out)), int64(len(out)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				var s strings.Builder
				for _, m := range regexp.MustCompile(`<w:(?:t|delText)[^>]*>([^<]*)</w:(?:t|delText)>`).FindAllStringSubmatch(string(b), -1) {
					s.WriteString(html.UnescapeString(m[1]) + " ")
				}
				return s.String()
			}
		}
		t.Fatal("no word/document.xml")
	}
	return out
}

// TestDiffInChineseHasNoEnglishVerdict compares two versions of the SDK
// example in zh-CN: a significant change and changed wording, in every
// format a person reads. The verdict, its advice, levels, headings and
// rule summaries are in Chinese; the same comparison in English still
// reads in English (so the scan finds what it looks for).
func TestDiffInChineseHasNoEnglishVerdict(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	copyTree(t, filepath.Join("..", "..", "examples", "sdk-provider"), a)
	copyTree(t, a, b)
	y, _ := os.ReadFile(filepath.Join(b, "policy.yaml"))
	y = []byte(strings.Replace(string(y), "response_time: 15 days", "response_time: 30 days", 1))
	os.WriteFile(filepath.Join(b, "policy.yaml"), y, 0o644)
	for _, f := range []string{"introduction.en.md", "introduction.zh-CN.md"} {
		p := filepath.Join(b, "sections", f)
		s, _ := os.ReadFile(p)
		os.WriteFile(p, append(s, []byte("\nWe revised this text. 我们修订了本段文字。\n")...), 0o644)
	}
	zhRule, err := render.New().Labels("zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"md", "text", "html", "docx"} {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := run("diff", a, b, "--format", format, "--locale", "zh-CN")
			if code != 0 {
				t.Fatalf("diff: exit %d: %s", code, stderr)
			}
			zh := readable(t, format, out)
			if found := englishVerdictWords(t, zh); len(found) > 0 {
				t.Errorf("the zh-CN comparison reads in English:\n%s\n---\n%s", strings.Join(found, "\n"), zh)
			}
			for _, want := range []string{"重大变更", zhRule["diff.advice.significant"]} {
				if !strings.Contains(zh, want) {
					t.Errorf("the zh-CN comparison lacks %q:\n%s", want, zh)
				}
			}
			if want := "重大变更（1）"; format != "text" && !strings.Contains(zh, want) {
				t.Errorf("the zh-CN comparison lacks the group heading %q", want)
			}
			if format == "html" && !strings.Contains(zh, zhRule["rule.gbt-rights"]) {
				t.Errorf("the zh-CN page lacks the rule's summary %q", zhRule["rule.gbt-rights"])
			}
			_, out, _ = run("diff", a, b, "--format", format, "--locale", "en")
			if found := englishVerdictWords(t, readable(t, format, out)); len(found) < 3 {
				t.Errorf("the English comparison shows only %q of the English verdict's words: the scan sees nothing", found)
			}
		})
	}
}

// TestDiffVerdictTakesTheProjectsLabels: a project's own label file
// (templates/i18n) words the verdict of its comparisons, in every format.
func TestDiffVerdictTakesTheProjectsLabels(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	copyTree(t, filepath.Join("..", "..", "examples", "sdk-provider"), a)
	copyTree(t, a, b)
	y, _ := os.ReadFile(filepath.Join(b, "policy.yaml"))
	y = []byte(strings.Replace(string(y), "response_time: 15 days", "response_time: 30 days", 1))
	os.WriteFile(filepath.Join(b, "policy.yaml"), y, 0o644)
	zh, err := os.ReadFile(filepath.Join("..", "..", "templates", "i18n", "zh-CN.json"))
	if err != nil {
		t.Fatal(err)
	}
	const advice = "请在生效前三十日以站内信通知用户"
	own := strings.Replace(string(zh), "{", `{"diff.advice.significant": "`+advice+`",`, 1)
	own = strings.Replace(own, `"diff.advice.significant": "在生效前以显著方式（电子邮件、横幅、弹窗）通知",`, "", 1)
	os.MkdirAll(filepath.Join(b, "templates", "i18n"), 0o755)
	os.WriteFile(filepath.Join(b, "templates", "i18n", "zh-CN.json"), []byte(own), 0o644)
	for _, format := range []string{"md", "text", "html", "docx"} {
		code, out, stderr := run("diff", a, b, "--format", format, "--locale", "zh-CN")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		if got := readable(t, format, out); !strings.Contains(got, advice) {
			t.Errorf("%s: the verdict does not take the project's advice %q:\n%s", format, advice, got)
		}
	}
}
