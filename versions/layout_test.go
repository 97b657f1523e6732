package versions

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// checkSeenByGit asserts, with the git CLI, that the archive in the
// repository at dir holds n versions, with their tags, that git gc
// --prune=now keeps them and that git fsck --strict is clean.
func checkSeenByGit(t *testing.T, dir string, n int, opened ...string) {
	t.Helper()
	refs := gitCmd(t, dir, "for-each-ref", "--format=%(refname)", "refs/policyc/", "refs/tags/policyc/")
	want := "refs/policyc/p\n"
	for i := 1; i <= n; i++ {
		want += fmt.Sprintf("refs/tags/policyc/p/v%d\n", i)
	}
	if refs != want {
		t.Errorf("git for-each-ref:\n%swant\n%s", refs, want)
	}
	if got := strings.TrimSpace(gitCmd(t, dir, "rev-list", "--count", "refs/policyc/p")); got != strconv.Itoa(n) {
		t.Errorf("git rev-list --count refs/policyc/p = %s, want %d", got, n)
	}
	gitCmd(t, dir, "gc", "-q", "--prune=now")
	gitCmd(t, dir, "fsck", "--strict", "--no-dangling")
	for _, d := range append([]string{dir}, opened...) {
		a, err := Open(d, "p")
		if err != nil {
			t.Fatal(err)
		}
		vs, err := a.Versions()
		if err != nil || len(vs) != n {
			t.Errorf("opened from %s after git gc: %d versions, %v; want %d", d, len(vs), err, n)
		}
		if problems, err := a.Verify(); err != nil || len(problems) > 0 {
			t.Errorf("opened from %s after git gc: verify: %v %v", d, problems, err)
		}
	}
}

func TestReleaseFromASubdirectoryIsSeenByGit(t *testing.T) {
	dir := newRepo(t)
	sub := filepath.Join(dir, "legal", "policy")
	os.MkdirAll(sub, 0o755)
	a, err := Open(sub, "p")
	if err != nil {
		t.Fatal(err)
	}
	release(t, a, "one", "2026-01-01")
	release(t, a, "two", "2026-02-01")
	if _, err := os.Stat(filepath.Join(sub, ".git")); err == nil {
		t.Error("a release made a .git in the subdirectory")
	}
	checkSeenByGit(t, dir, 2, sub)
}

func TestReleaseFromALinkedWorktreeIsSeenByGitAndSurvivesGC(t *testing.T) {
	dir := newRepo(t)
	linked := filepath.Join(t.TempDir(), "linked")
	gitCmd(t, dir, "worktree", "add", "-q", "-b", "other", linked)
	a, err := Open(linked, "p")
	if err != nil {
		t.Fatal(err)
	}
	release(t, a, "one", "2026-01-01")
	// The next release, from the main work tree, must see version 1.
	main, err := Open(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	if v := release(t, main, "two", "2026-02-01"); v.Version != 2 {
		t.Errorf("the main work tree's release is version %d, want 2", v.Version)
	}
	if v := release(t, a, "three", "2026-03-01"); v.Version != 3 {
		t.Errorf("the linked work tree's second release is version %d, want 3", v.Version)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "worktrees", "linked", "refs", "policyc")); err == nil {
		t.Error("refs were written under the linked work tree's private directory")
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "worktrees", "linked", "policyc")); err == nil {
		t.Error("release state was kept in the linked work tree's private directory, where the main one's releases do not see it")
	}
	checkSeenByGit(t, dir, 3, linked)
	checkSeenByGit(t, linked, 3)
}

func TestReleaseWithGitDirAndWorkTreeSetIsSeenByGit(t *testing.T) {
	gitDir := filepath.Join(t.TempDir(), "repo.git")
	work := t.TempDir()
	gitCmd(t, work, "--git-dir="+gitDir, "--work-tree="+work, "init", "-q")
	os.WriteFile(filepath.Join(work, "README"), []byte("hello\n"), 0o644)
	gitCmd(t, work, "--git-dir="+gitDir, "--work-tree="+work, "add", "README")
	gitCmd(t, work, "--git-dir="+gitDir, "--work-tree="+work, "commit", "-qm", "init")
	sub := filepath.Join(work, "policy")
	os.MkdirAll(sub, 0o755)

	t.Setenv("GIT_DIR", gitDir)
	t.Setenv("GIT_WORK_TREE", work)
	a, err := Open(sub, "p")
	if err != nil {
		t.Fatal(err)
	}
	release(t, a, "one", "2026-01-01")
	v := release(t, a, "two", "2026-02-01")
	if v.SourceCommit == "" {
		t.Error("the work tree named by GIT_WORK_TREE was not read (no source commit recorded)")
	}
	if _, err := os.Stat(filepath.Join(work, ".git")); err == nil {
		t.Error("a release made a .git in the work tree")
	}
	checkSeenByGit(t, gitDir, 2)
}

func TestBareAndSHA256RepositoriesAreRefusedBeforeAnythingIsWritten(t *testing.T) {
	bare := filepath.Join(t.TempDir(), "bare.git")
	gitCmd(t, t.TempDir(), "init", "-q", "--bare", bare)
	sha256 := t.TempDir()
	gitCmd(t, sha256, "init", "-q", "--object-format=sha256")
	for _, tt := range []struct{ name, dir, gitDir, want string }{
		{"bare", bare, bare, "is a bare repository"},
		{"sha256", sha256, filepath.Join(sha256, ".git"), "extensions.objectFormat"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := treeListing(t, tt.gitDir)
			_, err := Open(tt.dir, "p")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if after := treeListing(t, tt.gitDir); after != before {
				t.Errorf("the refused repository was written to:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}
}

// treeListing lists every path under dir with its size.
func treeListing(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil {
			fmt.Fprintf(&b, "%s %v %d\n", p, info.Mode(), info.Size())
		}
		return nil
	})
	return b.String()
}
