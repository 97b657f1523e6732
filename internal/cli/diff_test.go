package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
	java, err := exec.LookPath("java")
	if err != nil {
		t.Fatal("java not found: install it with apt-get install -y default-jre-headless")
	}
	vnu, _ := filepath.Abs(filepath.Join("..", "..", "tools", "check", "node_modules", "vnu-jar", "build", "dist", "vnu.jar"))
	if _, err := os.Stat(vnu); err != nil {
		t.Fatal("the Nu checker is not installed: run npm ci --prefix tools/check")
	}
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
	if res, err := exec.Command(java, "-jar", vnu, "--errors-only", "--format", "gnu", page).CombinedOutput(); err != nil || len(strings.TrimSpace(string(res))) > 0 {
		t.Errorf("Nu HTML checker: %v\n%s", err, res)
	}
}
