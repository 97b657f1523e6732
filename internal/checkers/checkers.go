// Package checkers runs, for the tests, the readers that check policyc's
// outputs and that policyc did not write (see tools/check): the Nu HTML
// checker, and axe-core in Debian's Chromium. A missing tool fails the test
// with how to install it; it never skips, except in -short mode, the fast
// loop that needs nothing but Go: there every test that needs a reader is
// skipped (and says so), and it runs in the full suite and in CI.
package checkers

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// SkipShort skips t in -short mode, where no external reader is used.
func SkipShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("needs an external reader: runs in the full suite (go test ./..., without -short)")
	}
}

// Tool is the path of a command the tests need.
func Tool(t testing.TB, name, install string) string {
	t.Helper()
	SkipShort(t)
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install it with %s", name, install)
	}
	return p
}

// Dir is tools/check, with its npm packages installed.
func Dir(t testing.TB) string {
	t.Helper()
	SkipShort(t)
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "tools", "check")
	// node_modules is not in git: npm ci installs exactly package-lock.json,
	// and a partial install (one package missing) fails here too, by name.
	for _, pkg := range []string{"axe-core", "playwright-core", "vnu-jar/build/dist/vnu.jar", "@microsoft/jest-sarif"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", filepath.FromSlash(pkg))); err != nil {
			t.Fatalf("checkers not installed (no node_modules/%s): run npm ci --prefix tools/check", pkg)
		}
	}
	return dir
}

// Nu validates HTML files with the Nu HTML checker; any error fails t.
func Nu(t testing.TB, files ...string) {
	t.Helper()
	java := Tool(t, "java", "apt-get install -y default-jre-headless")
	args := append([]string{"-jar", filepath.Join(Dir(t), "node_modules", "vnu-jar", "build", "dist", "vnu.jar"), "--errors-only", "--format", "gnu"}, files...)
	if out, err := exec.Command(java, args...).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("Nu HTML checker: %v\n%s", err, out)
	}
}

// Axe loads HTML files in Chromium and runs axe-core's WCAG 2 A and AA
// rules; a violation, a console error, a request that leaves the page's
// own files, an element that makes the page wider than a 375 px screen
// (outside a container that scrolls), or a table of three columns or fewer
// that needs its scrolling box on that screen fails t. With
// SCREENSHOTS=DIR set, it also saves a screenshot of each page there.
func Axe(t testing.TB, files ...string) {
	t.Helper()
	node := Tool(t, "node", "apt-get install -y nodejs")
	Tool(t, "chromium", "apt-get install -y chromium")
	args := []string{filepath.Join(Dir(t), "axe.js")}
	if shots := os.Getenv("SCREENSHOTS"); shots != "" {
		args = append(args, "--screenshots", shots)
	}
	out, err := exec.Command(node, append(args, files...)...).Output()
	if err != nil {
		t.Fatalf("axe.js: %v", err)
	}
	var results []struct {
		File          string
		ConsoleErrors []string
		External      []string
		Violations    []struct{ ID, Impact, Help string }
		Overflow      []string // what is wider than a 375 px screen
		Scrolls       []string // tables of three columns or fewer that scroll on it
	}
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatal(err)
	}
	if len(results) != len(files) {
		t.Fatalf("%d axe results for %d pages", len(results), len(files))
	}
	for _, r := range results {
		if len(r.ConsoleErrors)+len(r.External)+len(r.Violations) > 0 {
			t.Errorf("%s: console errors %q, external requests %q, violations %+v", r.File, r.ConsoleErrors, r.External, r.Violations)
		}
		if len(r.Overflow) > 0 {
			t.Errorf("%s: wider than a 375 px screen: %q", r.File, r.Overflow)
		}
		if len(r.Scrolls) > 0 {
			t.Errorf("%s: tables of three columns or fewer that scroll on a 375 px screen, hiding words: %q", r.File, r.Scrolls)
		}
	}
}
