package versions

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// gitCmd runs the git CLI in dir and returns its output.
func gitCmd(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// newRepo makes a repository with a committed file, a staged change and an
// untracked file, as a user's checkout would have.
func newRepo(t testing.TB) string {
	dir := t.TempDir()
	gitCmd(t, dir, "init", "-q")
	os.WriteFile(filepath.Join(dir, "README"), []byte("hello\n"), 0o644)
	gitCmd(t, dir, "add", "README")
	gitCmd(t, dir, "commit", "-qm", "init")
	os.WriteFile(filepath.Join(dir, "staged.txt"), []byte("staged\n"), 0o644)
	gitCmd(t, dir, "add", "staged.txt")
	os.WriteFile(filepath.Join(dir, "untracked.txt"), []byte("mine\n"), 0o644)
	return dir
}

// snapshot hashes everything a user owns: the work tree (outside .git), the
// index, HEAD and the branches.
func snapshot(t testing.TB, dir string) string {
	h := sha256.New()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			b, _ := os.ReadFile(p)
			fmt.Fprintf(h, "%s %x\n", p, sha256.Sum256(b))
		}
		return nil
	})
	for _, f := range []string{".git/index", ".git/HEAD"} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		fmt.Fprintf(h, "%s %x\n", f, sha256.Sum256(b))
	}
	fmt.Fprint(h, gitCmd(t, dir, "for-each-ref", "refs/heads"))
	return fmt.Sprintf("%x", h.Sum(nil))
}

func date(s string) policy.Date {
	d, err := policy.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// files makes a small version: a source file that differs per content
// string and rendered files that print the version number.
func files(content string) func(int) (Contents, error) {
	return func(n int) (Contents, error) {
		return Contents{Files: map[string][]byte{
			"source/policy.yaml":      []byte("id: p\n# " + content + "\n"),
			"source/sections/a.md":    []byte("Section " + content + "\n"),
			"rendered/policy.en.md":   []byte(fmt.Sprintf("# Policy\n\nVersion %d: %s\n", n, content)),
			"rendered/policy.en.html": []byte(fmt.Sprintf("<p>Version %d: %s</p>\n", n, content)),
			"rendered/policy.en.pdf":  []byte(fmt.Sprintf("%%PDF-1.3 version %d %s", n, content)),
		}}, nil
	}
}

func release(t testing.TB, a *Archive, content, effective string) Version {
	t.Helper()
	v, err := a.Release(ReleaseOptions{Updated: date(effective), Effective: date(effective), Contents: files(content)})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestReleasesAreReadByTheGitCLIAndLeaveTheUserAlone(t *testing.T) {
	dir := newRepo(t)
	before := snapshot(t, dir)
	a, err := Open(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	for i, eff := range []string{"2026-01-01", "2026-02-01", "2026-03-01"} {
		v := release(t, a, fmt.Sprintf("content %d", i), eff)
		if v.Version != i+1 {
			t.Fatalf("version %d, want %d", v.Version, i+1)
		}
	}
	if after := snapshot(t, dir); after != before {
		t.Error("releasing changed the work tree, index, HEAD or branches")
	}
	gitCmd(t, dir, "fsck", "--strict", "--no-dangling")
	tags := gitCmd(t, dir, "tag", "-n")
	for n := 1; n <= 3; n++ {
		if !regexp.MustCompile(fmt.Sprintf(`(?m)^policyc/p/v%d\s+p version %d, effective `, n, n)).MatchString(tags) {
			t.Errorf("git tag -n lacks version %d:\n%s", n, tags)
		}
		v, err := a.Version(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range v.Files {
			ours, err := a.ReadFile(v, f.Path)
			if err != nil {
				t.Fatal(err)
			}
			theirs := gitCmd(t, dir, "show", fmt.Sprintf("policyc/p/v%d:%s", n, f.Path))
			if theirs != string(ours) {
				t.Errorf("v%d %s: git show and policyc disagree", n, f.Path)
			}
		}
	}
	if log := gitCmd(t, dir, "log", "--format=%s", "refs/policyc/p"); log != "p version 3\np version 2\np version 1\n" {
		t.Errorf("git log of the archive ref:\n%s", log)
	}
	if problems, err := a.Verify(); err != nil || len(problems) > 0 {
		t.Errorf("verify: %v %v", problems, err)
	}
}

func TestReleaseRefusesUnchangedContentAndEarlierEffectiveDates(t *testing.T) {
	a, err := Open(newRepo(t), "p")
	if err != nil {
		t.Fatal(err)
	}
	release(t, a, "one", "2026-03-01")
	_, err = a.Release(ReleaseOptions{Updated: date("2026-04-01"), Effective: date("2026-04-01"), Contents: files("one")})
	if !errors.Is(err, ErrUnchanged) {
		t.Errorf("unchanged content: %v", err)
	}
	_, err = a.Release(ReleaseOptions{Updated: date("2026-02-01"), Effective: date("2026-02-01"), Contents: files("two")})
	if err == nil || !strings.Contains(err.Error(), "earlier than version 1's") {
		t.Errorf("earlier effective date: %v", err)
	}
}

func TestReleaseOutsideARepositoryExplains(t *testing.T) {
	_, err := Open(t.TempDir(), "p")
	if !errors.Is(err, ErrNoRepository) || !strings.Contains(err.Error(), "git init") {
		t.Errorf("got %v", err)
	}
}

func TestUnsupportedRepositoriesAreRefusedByName(t *testing.T) {
	dir := newRepo(t)
	gitCmd(t, dir, "config", "extensions.worktreeConfig", "true")
	_, err := Open(dir, "p")
	if err == nil || !strings.Contains(err.Error(), "worktreeconfig") {
		t.Errorf("worktreeConfig: %v", err)
	}
	dir = newRepo(t)
	os.MkdirAll(filepath.Join(dir, ".git", "info"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git", "info", "sparse-checkout"), []byte("/*\n"), 0o644)
	if _, err := Open(dir, "p"); err == nil || !strings.Contains(err.Error(), "sparse checkout") {
		t.Errorf("sparse checkout: %v", err)
	}
}

func gitCmdIn(t testing.TB, dir, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestConcurrentReleasesExactlyOneSucceeds(t *testing.T) {
	dir := newRepo(t)
	for round := range 5 {
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a, err := Open(dir, "p")
				if err != nil {
					errs[i] = err
					return
				}
				_, errs[i] = a.Release(ReleaseOptions{Updated: date("2026-01-01"), Effective: date("2026-01-01"),
					Contents: files(fmt.Sprintf("round %d", round))})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			// A writer that starts after the winner has finished finds its
			// version already released (the same contents), so exactly one
			// succeeds however the writers overlap on a loaded machine.
			case errors.Is(err, ErrBusy), errors.Is(err, ErrRefChanged), errors.Is(err, ErrUnchanged):
			default:
				t.Errorf("round %d: unexpected error %v", round, err)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d releases succeeded, want exactly 1 (%v)", round, ok, errs)
		}
	}
	a, _ := Open(dir, "p")
	vs, _ := a.Versions()
	if len(vs) != 5 {
		t.Errorf("%d versions after 5 rounds", len(vs))
	}
	if problems, _ := a.Verify(); len(problems) > 0 {
		t.Errorf("verify: %v", problems)
	}
	gitCmd(t, dir, "fsck", "--strict", "--no-dangling")
}

// TestAnInterruptedReleaseLeavesAllOrNothing fails a release at every
// write in turn (each blob, tree, commit, tag, the journal, each ref lock
// and rename) over several releases; after each failure the archive, opened
// again as the next command would, must verify and hold either the whole
// new version or none of it.
func TestAnInterruptedReleaseLeavesAllOrNothing(t *testing.T) {
	dir := newRepo(t)
	points := 0
	for round := range 4 {
		content := fmt.Sprintf("round %d", round)
		for k := 0; ; k++ {
			a, err := Open(dir, "p")
			if err != nil {
				t.Fatal(err)
			}
			before, _ := a.Versions()
			step := 0
			var failedAt string
			a.st.fault = func(name string) error {
				step++
				if step == k+1 {
					failedAt = name
					return fmt.Errorf("injected failure at %s", name)
				}
				return nil
			}
			_, err = a.Release(ReleaseOptions{Updated: date("2026-01-01"), Effective: date("2026-01-01"), Contents: files(content)})
			if err == nil {
				break // k passed the last write: this round's release is done
			}
			points++
			reopened, err := Open(dir, "p") // finishes an interrupted release, as any command would
			if err != nil {
				t.Fatal(err)
			}
			after, _ := reopened.Versions()
			if len(after) != len(before) && len(after) != len(before)+1 {
				t.Fatalf("failure at %s: %d versions, then %d", failedAt, len(before), len(after))
			}
			if problems, err := reopened.Verify(); err != nil || len(problems) > 0 {
				t.Fatalf("failure at %s: the archive does not verify: %v %v", failedAt, problems, err)
			}
			if len(after) == len(before)+1 {
				break // the journal was written: the release was finished on reopening
			}
		}
	}
	t.Logf("%d failure points", points)
	if points < 50 {
		t.Errorf("only %d failure points exercised", points)
	}
	gitCmd(t, dir, "fsck", "--strict", "--no-dangling")
	a, _ := Open(dir, "p")
	vs, _ := a.Versions()
	if len(vs) != 4 {
		t.Errorf("%d versions after 4 rounds", len(vs))
	}
}

func TestImportedVersionsAreKeptAsPublishedAndMarked(t *testing.T) {
	dir := newRepo(t)
	a, err := Open(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	old := []byte("%PDF-1.4 the 2019 policy as it was published\n")
	v, err := a.Import(old, "pdf", "en", date("2019-12-13"), date("2019-12-20"))
	if err != nil {
		t.Fatal(err)
	}
	if !v.Imported || v.Version != 1 || v.SourceCommit != "" {
		t.Errorf("imported version: %+v", v.Metadata)
	}
	if _, err := a.Import(old, "pdf", "en", date("2019-12-13"), date("2019-12-21")); !errors.Is(err, ErrUnchanged) {
		t.Errorf("importing the same file twice: %v", err)
	}
	if _, err := a.Import(old, "docx", "en", date("2019-12-13"), date("2019-12-21")); err == nil {
		t.Error("a .docx import was accepted")
	}
	release(t, a, "first policyc release", "2020-01-01")
	got, err := a.ReadFile(v, "rendered/policy.en.pdf")
	if err != nil || !bytes.Equal(got, old) {
		t.Errorf("imported file read back as %q, %v", got, err)
	}
	if g := gitCmd(t, dir, "show", "policyc/p/v1:rendered/policy.en.pdf"); g != string(old) {
		t.Errorf("git show: %q", g)
	}
	if problems, err := a.Verify(); err != nil || len(problems) > 0 {
		t.Errorf("verify: %v %v", problems, err)
	}
}

// TestShowReadsTheArchiveNotAMovedTag forges a commit claiming to be
// version 2 and moves the tag to it: reads must still return what the
// archive ref holds.
func TestShowReadsTheArchiveNotAMovedTag(t *testing.T) {
	dir := newRepo(t)
	a, err := Open(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	release(t, a, "one", "2026-01-01")
	v2 := release(t, a, "two", "2026-02-01")
	release(t, a, "three", "2026-03-01")
	tree := strings.TrimSpace(gitCmd(t, dir, "rev-parse", "policyc/p/v2^{tree}"))
	forged := strings.TrimSpace(gitCmdIn(t, dir, "forged", "commit-tree", tree))
	gitCmd(t, dir, "tag", "-f", "-a", "-m", "forged", "policyc/p/v2", forged)
	got, err := a.Version(2)
	if err != nil {
		t.Fatal(err)
	}
	if got.Commit != v2.Commit {
		t.Errorf("version 2 read from the forged commit %s, not the archive's %s", got.Commit, v2.Commit)
	}
}

// TestAVersionsModelLoadsBackFromTheArchive releases the website example
// through PolicyFiles and loads the model back from the archive.
func TestAVersionsModelLoadsBackFromTheArchive(t *testing.T) {
	dir := newRepo(t)
	pdir := filepath.Join(dir, "policy")
	copyDir(t, filepath.Join("..", "examples", "website"), pdir)
	p, err := policy.Load(pdir)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(pdir, string(p.ID))
	if err != nil {
		t.Fatal(err)
	}
	r := render.New()
	v, err := a.Release(ReleaseOptions{Updated: p.Updated, Effective: date("2026-05-01"), Contents: func(n int) (Contents, error) {
		files, err := PolicyFiles(p, r, render.Meta{Version: fmt.Sprint(n)})
		return Contents{Files: files}, err
	}})
	if err != nil {
		t.Fatal(err)
	}
	back, err := a.Model(v)
	if err != nil {
		t.Fatal(err)
	}
	if back.ID != p.ID || len(back.DataCategories) != len(p.DataCategories) || len(back.Documents) != 1 {
		t.Errorf("model read back differs: %s, %d categories", back.ID, len(back.DataCategories))
	}
	// It renders to the same Markdown as was archived.
	docs, err := r.Compose(back, "en", render.Meta{Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	archived, _ := a.ReadFile(v, "rendered/policy.en.md")
	if !bytes.Equal(docs[0].Markdown, archived) {
		t.Error("the model read back does not render to the archived Markdown")
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLooseAndPackedObjectsReadAlike reads every archived file from loose
// objects (as releases write them), packs the repository with git gc, and
// reads them again through the pack; then a damaged loose object must give
// an error, never other bytes.
func TestLooseAndPackedObjectsReadAlike(t *testing.T) {
	dir := newRepo(t)
	a, err := Open(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("a long line of policy text that compresses well\n", 4000) // spans inflate blocks
	for i, eff := range []string{"2026-01-01", "2026-02-01", "2026-03-01"} {
		release(t, a, fmt.Sprintf("content %d %s", i, big), eff)
	}
	readAll := func(a *Archive) map[string]string {
		out := map[string]string{}
		vs, err := a.Versions()
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			for _, f := range v.Files {
				b, err := a.ReadFile(v, f.Path)
				if err != nil {
					t.Fatal(err)
				}
				out[fmt.Sprint(v.Version, f.Path)] = string(b)
			}
		}
		return out
	}
	loose := readAll(a)
	if len(loose) != 15 || !strings.Contains(loose["3source/policy.yaml"], big) {
		t.Fatalf("read %d files from loose objects", len(loose))
	}
	gitCmd(t, dir, "gc", "--quiet", "--prune=now")
	if objs := gitCmd(t, dir, "count-objects"); !strings.HasPrefix(objs, "0 objects") {
		t.Fatalf("git gc left loose objects: %s", objs)
	}
	b, err := Open(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	if packed := readAll(b); !maps.Equal(loose, packed) {
		t.Error("files read from the pack differ from those read loose")
	}

	// A damaged loose object: the same path, other bytes.
	c, err := Open(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	release(t, c, "content 4", "2026-04-01")
	v, err := c.Version(4)
	if err != nil {
		t.Fatal(err)
	}
	hash := strings.TrimSpace(gitCmd(t, dir, "rev-parse", "policyc/p/v4:rendered/policy.en.md"))
	obj := filepath.Join(dir, ".git", "objects", hash[:2], hash[2:])
	os.Chmod(obj, 0o644)
	if err := os.WriteFile(obj, []byte("not zlib at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := c.ReadFile(v, "rendered/policy.en.md"); err == nil {
		t.Errorf("a damaged object read as %q", got)
	}

	// An object whose stored bytes were altered inside an uncompressed
	// zlib block: it still inflates, to other contents; only the
	// checksum tells, and it must be heard.
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.NoCompression)
	zw.Write([]byte("blob 9\x00content 4"))
	zw.Close()
	altered := bytes.Replace(z.Bytes(), []byte("content 4"), []byte("content 5"), 1)
	if bytes.Equal(altered, z.Bytes()) {
		t.Fatal("the stored block does not hold the contents")
	}
	if err := os.WriteFile(obj, altered, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := c.ReadFile(v, "rendered/policy.en.md"); err == nil && string(got) != "content 4" {
		t.Errorf("an object failing its checksum read as %q", got)
	}
}

// TestEveryVersionIsADocument reads a released version and versions
// imported as Markdown and HTML back as documents to compare: the
// released one as archived, cut at its model's sections; the imported
// ones from their files, cut at their headings.
func TestEveryVersionIsADocument(t *testing.T) {
	dir := newRepo(t)
	pdir := filepath.Join(dir, "policy")
	copyDir(t, filepath.Join("..", "examples", "website"), pdir)
	p, err := policy.Load(pdir)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(pdir, string(p.ID))
	if err != nil {
		t.Fatal(err)
	}
	md, err := a.Import([]byte("# Old\n\n## Data we collect\n\nYour name.\n"), "md", "en", date("2019-01-01"), date("2019-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := a.Import([]byte("<h1>Old</h1><h2>Data we collect</h2><p>Your name and <em>e-mail</em>.</p>"), "html", "en", date("2020-01-01"), date("2020-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	r := render.New()
	v, err := a.Release(ReleaseOptions{Updated: p.Updated, Effective: date("2026-05-01"), Contents: func(n int) (Contents, error) {
		files, err := PolicyFiles(p, r, render.Meta{Version: fmt.Sprint(n)})
		return Contents{Files: files}, err
	}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := a.Document(v, "en")
	if err != nil {
		t.Fatal(err)
	}
	archived, _ := a.ReadFile(v, "rendered/policy.en.md")
	docs, err := r.Compose(p, "en", render.Meta{Version: "3"})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(hs []render.Heading) (out []string) {
		for _, h := range hs {
			out = append(out, h.ID+" "+h.Title)
		}
		return out
	}
	if !bytes.Equal(d.Markdown, archived) || fmt.Sprint(ids(d.Sections)) != fmt.Sprint(ids(docs[0].Sections)) {
		t.Errorf("the released version's document is not its archived Markdown cut at its sections: %v", d.Sections)
	}
	for _, iv := range []Version{md, page} {
		d, err := a.Document(iv, "zh-CN") // published in English only: its one file
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Sections) != 1 || d.Sections[0].ID != "data-we-collect" {
			t.Errorf("version %d: sections %v", iv.Version, d.Sections)
		}
	}
	rl, err := render.Redline(mustDocument(t, a, md), mustDocument(t, a, page))
	if err != nil {
		t.Fatal(err)
	}
	if len(rl) != 1 || rl[0].ID != "data-we-collect" || !strings.Contains(fmt.Sprint(rl[0].Segments), "*e-mail*") {
		t.Errorf("the two imported versions' redline: %+v", rl)
	}
}

func mustDocument(t *testing.T, a *Archive, v Version) *render.Doc {
	t.Helper()
	d, err := a.Document(v, "en")
	if err != nil {
		t.Fatal(err)
	}
	return d
}
