package site_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/policyc/policyc/site"
)

// deadPID is the number of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// livePID is the number of a process that runs until the test ends.
func livePID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("sleep", "600")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd.Process.Pid
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyDir copies the regular files of a directory (one level).
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			b, _ := os.ReadFile(filepath.Join(from, e.Name()))
			write(t, filepath.Join(to, e.Name()), string(b))
		}
	}
}

// TestSiteBuildNeverReachesOutsideItsDirectory puts what an attacker or
// an accident could leave in and around a site's directory: a manifest in
// the site naming the user's own file, a file beside the site and one
// through a link; links inside the site to directories outside it, where
// the previous build had directories. No build removes, writes or
// rewrites anything outside the site or anything in it that no build
// wrote, and a build that would have to write through a link refuses,
// naming it.
func TestSiteBuildNeverReachesOutsideItsDirectory(t *testing.T) {
	_, pdir := setup(t)
	root := t.TempDir()
	parent := filepath.Join(root, "parent")
	out := filepath.Join(parent, "public")
	outside := filepath.Join(root, "outside")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out, Draft: true}); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(parent, "keep.txt"), "beside the site")
	write(t, filepath.Join(outside, "secret.txt"), "outside the site")
	write(t, filepath.Join(out, "CNAME"), "policy.example.org") // the user's own
	if err := os.Symlink(outside, filepath.Join(out, "link")); err != nil {
		t.Fatal(err)
	}
	// A manifest in the site, in the form builds once kept there.
	stray, _ := json.Marshal([]string{"CNAME", "../keep.txt", "link/secret.txt", "index.html"})
	write(t, filepath.Join(out, ".policyc-site.json"), string(stray))
	// The draft, which the next build no longer publishes, becomes a link
	// to a directory outside holding files of the same names.
	draftOutside := filepath.Join(outside, "draft")
	copyDir(t, filepath.Join(out, "draft"), draftOutside)
	if err := os.RemoveAll(filepath.Join(out, "draft")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(draftOutside, filepath.Join(out, "draft")); err != nil {
		t.Fatal(err)
	}
	before := files(t, root)
	rep, err := site.Build(site.Options{Dir: pdir, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Removed != 0 {
		t.Errorf("the build removed %d files, though none it wrote can be reached", rep.Removed)
	}
	after := files(t, root)
	for name, data := range before {
		inSite := strings.HasPrefix(name, "parent/public/") && !strings.HasPrefix(name, "parent/public/draft/") && !strings.HasPrefix(name, "parent/public/link/")
		if got, ok := after[name]; !ok {
			t.Errorf("the build removed %s", name)
		} else if !inSite && !bytes.Equal(got, data) {
			t.Errorf("the build changed %s", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("the build added %s", name)
		}
	}
	if st, err := os.Lstat(filepath.Join(out, "link")); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Error("the link in the site was removed")
	}

	// A link where the site has a directory it writes to: refused.
	v1 := filepath.Join(out, "v1")
	v1Outside := filepath.Join(outside, "v1")
	copyDir(t, v1, v1Outside)
	os.Remove(filepath.Join(v1Outside, "index.html")) // a page the build must make again
	os.RemoveAll(v1)
	if err := os.Symlink(v1Outside, v1); err != nil {
		t.Fatal(err)
	}
	before = files(t, outside)
	_, err = site.Build(site.Options{Dir: pdir, Out: out})
	if !errors.Is(err, site.ErrLink) || !strings.Contains(err.Error(), v1) {
		t.Errorf("a build through a link to a directory: %v", err)
	}
	after = files(t, outside)
	for name, data := range before {
		if !bytes.Equal(after[name], data) {
			t.Errorf("the build changed or removed %s outside the site", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("the build wrote %s outside the site", name)
		}
	}
}

// tempRE is the pattern of the build's temporary names.
var tempRE = regexp.MustCompile(`^\..+\.tmp-[0-9]+-[0-9]+$`)

// strayTemps lists the temporary names under the given directories.
func strayTemps(dirs ...string) []string {
	var found []string
	for _, d := range dirs {
		filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err == nil && tempRE.MatchString(e.Name()) {
				found = append(found, p)
			}
			return nil
		})
	}
	return found
}

// TestNextBuildRemovesTheTempFilesOfAKilledOne leaves what a killed build
// leaves — temporary files in the site and in the build state, a staging
// directory beside the site — and checks that the next build removes
// them, and only them: not the temporary files of a process still
// running, not names of another pattern or of another site, nothing
// reached through a link.
func TestNextBuildRemovesTheTempFilesOfAKilledOne(t *testing.T) {
	repo, pdir := setup(t)
	root := t.TempDir()
	parent := filepath.Join(root, "parent")
	out := filepath.Join(parent, "public")
	outside := filepath.Join(root, "outside")
	state := filepath.Join(repo, ".git", "policyc", "site")
	if _, err := site.Build(site.Options{Dir: pdir, Out: out}); err != nil {
		t.Fatal(err)
	}
	dead, live, reused := strconv.Itoa(deadPID(t)), strconv.Itoa(livePID(t)), strconv.Itoa(livePID(t))
	stale := []string{
		filepath.Join(out, ".index.html.tmp-"+dead+"-3"),
		filepath.Join(out, "v1", ".policy.en.md.tmp-"+dead+"-17"),
		filepath.Join(out, "v9", ".index.html.tmp-"+dead+"-18"), // in a directory the killed build made
		filepath.Join(parent, ".public.tmp-"+dead+"-0", "v1", "index.html"),
		filepath.Join(state, ".0123456789abcdef.json.tmp-"+dead+"-2"),
		// The number of a process started after the file was written.
		filepath.Join(out, ".archive.html.tmp-"+reused+"-4"),
	}
	kept := []string{
		filepath.Join(out, ".index.html.tmp-"+live+"-5"), // a build still running
		filepath.Join(out, ".notes.tmp-"+dead),
		filepath.Join(out, ".index.html.tmp-"+dead+"-1x"),
		filepath.Join(out, "index.html.tmp-"+dead+"-1"),
		filepath.Join(parent, ".other.tmp-"+dead+"-0", "index.html"),
		filepath.Join(parent, ".public.tmp-"+live+"-0", "index.html"),
		filepath.Join(outside, ".secret.tmp-"+dead+"-1"),
	}
	for _, p := range append(stale, kept...) {
		write(t, p, "left behind")
	}
	hour := time.Now().Add(-time.Hour)
	os.Chtimes(stale[len(stale)-1], hour, hour)
	if err := os.Symlink(outside, filepath.Join(out, "link")); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(site.Options{Dir: pdir, Out: out}); err != nil {
		t.Fatal(err)
	}
	for _, p := range stale {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("the build left %s", p)
		}
	}
	for _, p := range []string{filepath.Join(out, "v9"), filepath.Join(parent, ".public.tmp-"+dead+"-0")} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("the build left the killed build's directory %s", p)
		}
	}
	for _, p := range kept {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("the build removed %s, which is not a killed build's", p)
		}
	}
}
