package cli

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffDOCXIsTheNewerVersionWithTrackedChanges compares two versions
// of the SDK example as Word: to a file with -o, by the author named, dated
// with the newer version's update date, the verdict first; the same bytes
// on standard output and on every run, and the file written also when
// --exit-code answers 1.
func TestDiffDOCXIsTheNewerVersionWithTrackedChanges(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	copyTree(t, filepath.Join("..", "..", "examples", "sdk-provider"), a)
	copyTree(t, a, b)
	y, _ := os.ReadFile(filepath.Join(b, "policy.yaml"))
	y = []byte(strings.Replace(string(y), "response_time: 15 days", "response_time: 30 days", 1))
	os.WriteFile(filepath.Join(b, "policy.yaml"), y, 0o644)
	os.WriteFile(filepath.Join(b, "sections", "introduction.en.md"), []byte("Welcome to {{ short_name }}, registered at {{ address }}.\n"), 0o644)
	file := filepath.Join(dir, "out", "redline.docx")
	code, out, stderr := run("diff", a, b, "--format", "docx", "-o", file, "--author", "Counsel", "--exit-code")
	if code != ExitFound || out != "" {
		t.Fatalf("diff: exit %d (want %d), stdout %q: %s", code, ExitFound, out, stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := run("diff", a, b, "--format", "docx", "--author", "Counsel")
	_, again, _ := run("diff", a, b, "--format", "docx", "--author", "Counsel")
	if stdout != string(data) || again != stdout {
		t.Errorf("the redline differs between -o, standard output and a second run")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			doc = string(b)
		}
	}
	verdict, _, _ := strings.Cut(doc, `<w:pStyle w:val="Title"/>`)
	for _, want := range []string{"Policy change " + a + " → " + b + ": significant", "30 days"} {
		if !strings.Contains(verdict, want) {
			t.Errorf("the verdict section lacks %q", want)
		}
	}
	if strings.Contains(verdict, "<w:ins ") || strings.Contains(verdict, "<w:del ") {
		t.Errorf("the verdict section is a revision")
	}
	for _, want := range []string{`<w:ins w:id="`, `<w:del w:id="`, `w:author="Counsel" w:date="2026-03-02T00:00:00Z"`, "<w:delText"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the redline lacks %s", want)
		}
	}
}
