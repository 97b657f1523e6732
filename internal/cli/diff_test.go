package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policyc/policyc/internal/checkers"
)

// copyTree copies a directory.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	out, err := exec.Command("cp", "-r", from, to).CombinedOutput()
	if err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
}

// TestDiffPageIsValidHTML renders the redline page of a real change to the
// SDK example and validates it with the Nu HTML checker.
func TestDiffPageIsValidHTML(t *testing.T) {
	checkers.SkipShort(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	copyTree(t, filepath.Join("..", "..", "examples", "sdk-provider"), a)
	copyTree(t, a, b)
	y, _ := os.ReadFile(filepath.Join(b, "policy.yaml"))
	y = []byte(strings.Replace(string(y), "response_time: 15 days", "response_time: 30 days", 1))
	os.WriteFile(filepath.Join(b, "policy.yaml"), y, 0o644)
	os.WriteFile(filepath.Join(b, "sections", "introduction.en.md"), []byte("Welcome to {{ short_name }}, registered at {{ address }}.\n"), 0o644)
	code, out, stderr := run("diff", a, b, "--format", "html")
	if code != ExitOK {
		t.Fatalf("diff: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"<del>", "<ins>", "gbt-rights"} {
		if !strings.Contains(out, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	page := filepath.Join(dir, "diff.html")
	os.WriteFile(page, []byte(out), 0o644)
	checkers.Nu(t, page)
}

// TestImportedPDFWithoutPdftotextExitsTwo compares an imported PDF where
// pdftotext is not installed: exit 2, a message naming the package that
// provides it, nothing on standard output.
func TestImportedPDFWithoutPdftotextExitsTwo(t *testing.T) {
	repo := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", repo).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	p := filepath.Join(repo, "p")
	copyTree(t, filepath.Join("..", "..", "examples", "sdk-provider"), p)
	pdf := filepath.Join(repo, "old.pdf")
	for _, args := range [][]string{
		{"render", p, "--format", "pdf", "-o", pdf},
		{"archive", "import", pdf, "-C", p, "--effective", "2024-01-10"},
		{"release", p, "--allow-dirty"},
	} {
		if code, _, stderr := run(args...); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	t.Setenv("PATH", t.TempDir())
	code, out, stderr := run("diff", "v1", "v2", "-C", p)
	if code != ExitFailed || out != "" || !strings.Contains(stderr, "poppler-utils") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, a message naming poppler-utils", code, out, stderr)
	}
}
