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
