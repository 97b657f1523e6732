package cli

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// committedCopy is a new repository holding the project's files as they
// are now (tracked and untracked, ignored files aside), committed: tools
// that take a repository (pre-commit, GoReleaser) see what is being tested.
func committedCopy(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if _, err := os.Lstat(filepath.Join(root, name)); err != nil {
			continue // deleted in the work tree
		}
		copyFile(t, filepath.Join(root, name), filepath.Join(dir, name))
	}
	gitIn(t, dir, "init", "-q")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-qm", "snapshot")
	return dir
}

// goEnv is the environment for a tool that builds policyc: the module cache
// is this machine's, so nothing is downloaded twice and a temporary
// directory holds no read-only module files.
func goEnv(t *testing.T) []string {
	t.Helper()
	cache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), "GOMODCACHE="+strings.TrimSpace(string(cache)), "GOFLAGS=-modcacherw")
}

func TestPreCommitHooksValidateAndLintAScratchRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("pre-commit builds policyc: full suite only")
	}
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Fatal("pre-commit is not installed: apt-get install -y pre-commit")
	}
	hooks := committedCopy(t)
	scratch := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "examples", "website")+"/.", scratch) // the policy at the root
	gitIn(t, scratch, "init", "-q")
	gitIn(t, scratch, "add", "-A")
	gitIn(t, scratch, "commit", "-qm", "policy")
	home := t.TempDir()
	tryRepo := func() (string, error) {
		cmd := exec.Command("pre-commit", "try-repo", hooks, "--all-files")
		cmd.Dir = scratch
		cmd.Env = append(goEnv(t), "PRE_COMMIT_HOME="+home, "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := tryRepo()
	for _, hook := range []string{"policyc validate", "policyc lint"} {
		if status, report := hookResult(out, hook); err != nil || status != "Passed" {
			t.Errorf("%s on a good policy: %s (%v)\n%s", hook, status, err, report)
		}
	}
	replaceIn(t, filepath.Join(scratch, "policy.yaml"), "effective: 2026-04-23", "effective: 2026-04-31")
	out, err = tryRepo()
	// validate's answer is "yes, problems" (1); lint cannot lint a policy
	// that does not load (2).
	for hook, want := range map[string]string{"policyc validate": "- exit code: 1", "policyc lint": "- exit code: 2"} {
		status, report := hookResult(out, hook)
		if err == nil || status != "Failed" || !strings.Contains(report, want) || !strings.Contains(report, "policy.yaml:8:") {
			t.Errorf("%s on a policy with an impossible date: %s, want Failed with %q and policy.yaml:8:\n%s", hook, status, want, report)
		}
	}
}

// hookResult is a hook's status in pre-commit's report (Passed, Failed,
// or "" when it did not run) and the lines it printed below it.
func hookResult(out, name string) (status, report string) {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		rest, ok := strings.CutPrefix(l, name+".")
		if !ok {
			continue
		}
		status = strings.TrimLeft(rest, ".")
		var b strings.Builder
		for _, m := range lines[i+1:] {
			if strings.HasPrefix(m, "policyc ") && strings.Contains(m, "...") {
				break
			}
			b.WriteString(m + "\n")
		}
		return status, b.String()
	}
	return "", out
}

const goreleaser = "github.com/goreleaser/goreleaser/v2@v2.15.1"

func TestGoReleaserBuildsEveryPlatformWithChecksumsAndTheVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("GoReleaser builds policyc six times: full suite only")
	}
	repo := committedCopy(t)
	run := func(args ...string) string {
		cmd := exec.Command("go", append([]string{"run", goreleaser}, args...)...)
		cmd.Dir = repo
		cmd.Env = goEnv(t)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("goreleaser %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("check")
	run("release", "--snapshot", "--clean", "--parallelism", "1")

	dist := filepath.Join(repo, "dist")
	var meta struct {
		Version string `json:"version"`
	}
	if b, err := os.ReadFile(filepath.Join(dist, "metadata.json")); err != nil || json.Unmarshal(b, &meta) != nil || meta.Version == "" {
		t.Fatalf("dist/metadata.json: %v", err)
	}
	sums, err := os.ReadFile(filepath.Join(dist, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var archives []string
	for _, l := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		sum, name, ok := strings.Cut(l, "  ")
		if !ok {
			t.Fatalf("checksums.txt: %q", l)
		}
		b, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", sha256.Sum256(b)); got != sum {
			t.Errorf("%s: checksum %s, file %s", name, sum, got)
		}
		archives = append(archives, name)
	}
	var want []string
	for _, os := range []string{"darwin", "linux", "windows"} {
		for _, arch := range []string{"amd64", "arm64"} {
			ext := ".tar.gz"
			if os == "windows" {
				ext = ".zip"
			}
			want = append(want, "policyc_"+meta.Version+"_"+os+"_"+arch+ext)
		}
	}
	slices.Sort(archives)
	if !slices.Equal(archives, want) {
		t.Errorf("archives %q, want %q", archives, want)
	}
	// The Linux build says what it is.
	x := t.TempDir()
	if out, err := exec.Command("tar", "-xzf", filepath.Join(dist, "policyc_"+meta.Version+"_linux_amd64.tar.gz"), "-C", x).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	for _, f := range []string{"policyc", "README.md", "LICENSE"} {
		if _, err := os.Stat(filepath.Join(x, f)); err != nil {
			t.Errorf("the archive lacks %s", f)
		}
	}
	if runtime.GOOS == "linux" && runtime.GOARCH == "amd64" {
		out, err := exec.Command(filepath.Join(x, "policyc"), "--version").Output()
		rev := gitIn(t, repo, "rev-parse", "--short=7", "HEAD")
		day := gitIn(t, repo, "log", "-1", "--format=%cd", "--date=format:%Y-%m-%d")
		if want := "policyc " + meta.Version + " (" + rev + ", " + day + ")\n"; err != nil || string(out) != want {
			t.Errorf("--version of the release build: %q (%v), want %q", out, err, want)
		}
	}
}
