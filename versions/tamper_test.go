package versions

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// overwriteLoose replaces the loose object named name with other contents
// of the same type, keeping its name: what an attacker with write access
// to .git/objects can do without touching any ref.
func overwriteLoose(t *testing.T, dir, name, kind string, content []byte) {
	t.Helper()
	path := filepath.Join(dir, ".git", "objects", name[:2], name[2:])
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("object %s is not loose: %v", name, err)
	}
	var b bytes.Buffer
	z := zlib.NewWriter(&b)
	fmt.Fprintf(z, "%s %d\x00", kind, len(content))
	z.Write(content)
	z.Close()
	os.Chmod(path, 0o644)
	if err := os.WriteFile(path, b.Bytes(), 0o444); err != nil {
		t.Fatal(err)
	}
}

func rev(t *testing.T, dir, spec string) string {
	t.Helper()
	return strings.TrimSpace(gitCmd(t, dir, "rev-parse", spec))
}

// forgeRecord returns version spec's record with edit applied.
func forgeRecord(t *testing.T, dir, spec string, edit func(m *Metadata)) []byte {
	t.Helper()
	var m Metadata
	if err := json.Unmarshal([]byte(gitCmd(t, dir, "show", spec+":"+MetadataFile)), &m); err != nil {
		t.Fatal(err)
	}
	edit(&m)
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}

// replaceInTree writes a copy of commit's tree with path (top level or
// one directory down) holding blob, and returns the new tree.
func replaceInTree(t *testing.T, dir, commit, path, blob string) string {
	t.Helper()
	top := gitCmd(t, dir, "ls-tree", commit)
	d, name, nested := strings.Cut(path, "/")
	if !nested {
		return strings.TrimSpace(gitCmdIn(t, dir, replaceEntry(top, d, blob), "mktree"))
	}
	sub := gitCmd(t, dir, "ls-tree", commit+":"+d)
	newSub := strings.TrimSpace(gitCmdIn(t, dir, replaceEntry(sub, name, blob), "mktree"))
	return strings.TrimSpace(gitCmdIn(t, dir, replaceEntry(top, d, newSub), "mktree"))
}

func replaceEntry(ls, name, h string) string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(ls), "\n") {
		meta, n, _ := strings.Cut(line, "\t")
		if n == name {
			f := strings.Fields(meta)
			line = f[0] + " " + f[1] + " " + h + "\t" + n
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n") + "\n"
}

// recommit rewrites the archive from version from on: tree replaces from's
// tree (when not empty), later versions are re-parented unchanged, the
// archive ref and every tag are moved to match. Only the records' chain
// can then tell.
func recommit(t *testing.T, dir string, from, last int, tree string, parent string) {
	t.Helper()
	for n := from; n <= last; n++ {
		tr := rev(t, dir, fmt.Sprintf("policyc/p/v%d^{tree}", n))
		if n == from && tree != "" {
			tr = tree
		}
		args := []string{"commit-tree", tr}
		if parent != "" {
			args = append(args, "-p", parent)
		}
		parent = strings.TrimSpace(gitCmdIn(t, dir, fmt.Sprintf("p version %d", n), args...))
		gitCmd(t, dir, "tag", "-f", "-a", "-m", "forged", fmt.Sprintf("policyc/p/v%d", n), parent)
	}
	gitCmd(t, dir, "update-ref", "refs/policyc/p", parent)
}

// threeVersions is a repository with an archive of three versions.
func threeVersions(t *testing.T) (string, *Archive) {
	dir := newRepo(t)
	a, err := Open(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	release(t, a, "one", "2026-01-01")
	release(t, a, "two", "2026-02-01")
	release(t, a, "three", "2026-03-01")
	return dir, a
}

// TestVerifyAndReadsRefuseATamperedArchive tampers with an archive of
// three versions in the ways an attacker with write access to the
// repository could; verify must report a problem naming the version, and
// reading the version (show, site build) must refuse with ErrDamaged.
func TestVerifyAndReadsRefuseATamperedArchive(t *testing.T) {
	tests := []struct {
		name string
		// tamper returns the version and file reads must refuse ("" file:
		// reading the version's record itself is refused).
		tamper      func(t *testing.T, dir string) (int, string)
		want        string
		fsckCatches bool
	}{
		{"swapped loose objects with consistent SHA-256s", func(t *testing.T, dir string) (int, string) {
			forged := []byte("<p>Version 3: forged</p>\n")
			sum := sha256.Sum256(forged)
			record := forgeRecord(t, dir, "policyc/p/v3", func(m *Metadata) {
				for i, f := range m.Files {
					if f.Path == "rendered/policy.en.html" {
						m.Files[i].SHA256, m.Files[i].Size = hex.EncodeToString(sum[:]), len(forged)
					}
				}
			})
			overwriteLoose(t, dir, rev(t, dir, "policyc/p/v3:rendered/policy.en.html"), "blob", forged)
			overwriteLoose(t, dir, rev(t, dir, "policyc/p/v3:"+MetadataFile), "blob", record)
			return 3, ""
		}, "version 3: archive commit", true},
		{"a swapped loose object", func(t *testing.T, dir string) (int, string) {
			overwriteLoose(t, dir, rev(t, dir, "policyc/p/v2:rendered/policy.en.md"), "blob", []byte("# Policy\n\nforged\n"))
			return 2, "rendered/policy.en.md"
		}, "version 2: rendered/policy.en.md unreadable: the archive is damaged: the blob", true},
		{"a file that does not match its record", func(t *testing.T, dir string) (int, string) {
			blob := strings.TrimSpace(gitCmdIn(t, dir, "forged\n", "hash-object", "-w", "--stdin"))
			recommit(t, dir, 3, 3, replaceInTree(t, dir, "policyc/p/v3", "rendered/policy.en.html", blob), rev(t, dir, "policyc/p/v2^{commit}"))
			return 3, "rendered/policy.en.html"
		}, "version 3: rendered/policy.en.html was changed", false},
		{"altered policyc.json, tags moved along", func(t *testing.T, dir string) (int, string) {
			record := forgeRecord(t, dir, "policyc/p/v2", func(m *Metadata) { m.Effective = "2026-01-15" })
			blob := strings.TrimSpace(gitCmdIn(t, dir, string(record), "hash-object", "-w", "--stdin"))
			recommit(t, dir, 2, 3, replaceInTree(t, dir, "policyc/p/v2", MetadataFile, blob), rev(t, dir, "policyc/p/v1^{commit}"))
			return 0, ""
		}, "version 3: the chain breaks here", false},
		{"a middle version dropped from the chain", func(t *testing.T, dir string) (int, string) {
			gitCmd(t, dir, "tag", "-d", "policyc/p/v2")
			recommit(t, dir, 3, 3, "", rev(t, dir, "policyc/p/v1^{commit}"))
			return 0, ""
		}, "version 3: the chain breaks here", false},
		{"moved tag", func(t *testing.T, dir string) (int, string) {
			gitCmd(t, dir, "tag", "-f", "-a", "-m", "moved", "policyc/p/v2", "refs/policyc/p~2")
			return 0, ""
		}, "version 2: tag policyc/p/v2 points at", false},
		{"deleted tag", func(t *testing.T, dir string) (int, string) {
			gitCmd(t, dir, "tag", "-d", "policyc/p/v1")
			return 0, ""
		}, "version 1: tag policyc/p/v1 is missing", false},
		{"a swapped tag object", func(t *testing.T, dir string) (int, string) {
			tag := gitCmd(t, dir, "cat-file", "tag", "policyc/p/v2")
			forged := strings.Replace(tag, rev(t, dir, "policyc/p/v2^{commit}"), rev(t, dir, "policyc/p/v1^{commit}"), 1)
			overwriteLoose(t, dir, rev(t, dir, "policyc/p/v2"), "tag", []byte(forged))
			return 0, ""
		}, "version 2: tag policyc/p/v2: the archive is damaged: the tag", true},
		{"a version removed by rewriting history", func(t *testing.T, dir string) (int, string) {
			v1 := rev(t, dir, "refs/policyc/p~2")
			tree3 := rev(t, dir, "refs/policyc/p^{tree}")
			c := strings.TrimSpace(gitCmdIn(t, dir, "p version 3", "commit-tree", tree3, "-p", v1))
			gitCmd(t, dir, "update-ref", "refs/policyc/p", c)
			return 0, ""
		}, "version 3: is number 2 in the history: a version is missing or the history was rewritten", false},
		{"the latest version dropped", func(t *testing.T, dir string) (int, string) {
			gitCmd(t, dir, "update-ref", "refs/policyc/p", "refs/policyc/p~1")
			return 0, ""
		}, "version 3: tag policyc/p/v3 names a version the archive does not have", false},
		{"a corrupt archive commit", func(t *testing.T, dir string) (int, string) {
			c := rev(t, dir, "refs/policyc/p~1")
			overwriteLoose(t, dir, c, "commit", []byte("tree 0000\nthis is not a commit\n"))
			return 2, ""
		}, "(version 2) is unreadable", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _ := threeVersions(t)
			version, file := tt.tamper(t, dir)
			if tt.fsckCatches {
				// The tamper is real: git's own checker sees it.
				cmd := exec.Command("git", "fsck", "--strict", "--no-dangling")
				cmd.Dir = dir
				if out, err := cmd.CombinedOutput(); err == nil {
					t.Fatalf("git fsck does not see the tampering:\n%s", out)
				}
			}
			a, err := Open(dir, "p")
			if err != nil {
				t.Fatal(err)
			}
			problems, err := a.Verify()
			if err != nil {
				t.Fatalf("verify failed instead of reporting damage: %v", err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if !strings.Contains(strings.Join(got, "\n"), tt.want) {
				t.Errorf("verify said\n%s\nwant a problem containing %q", strings.Join(got, "\n"), tt.want)
			}
			if version == 0 {
				return
			}
			// Reads refuse, naming the version and file: as show does
			// (Version, ReadFile) and as site build does (Entries, Blob).
			err = readAll(a, version, file)
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), fmt.Sprintf("version %d", version)) || !strings.Contains(err.Error(), file) {
				t.Errorf("reading version %d's %s: %v; want ErrDamaged naming the version and file", version, file, err)
			}
		})
	}
}

// readAll reads version n's file as show does, and every file of it as
// site build does; the first error.
func readAll(a *Archive, n int, file string) error {
	v, err := a.Version(n)
	if err != nil {
		return err
	}
	if _, err := a.ReadFile(v, file); err != nil {
		return err
	}
	for _, dir := range []string{"", "rendered/", "source/"} {
		es, err := a.Entries(v, dir)
		if err != nil {
			return err
		}
		for _, e := range es {
			if _, err := a.Blob(e.Blob); err != nil {
				return err
			}
		}
	}
	return nil
}

// TestArchivesWithoutTheChainStillVerify: versions released before the
// records were chained, and a chain that starts later, verify and load;
// a version released after the chain began that does not carry it is
// reported.
func TestArchivesWithoutTheChainStillVerify(t *testing.T) {
	dir, a := threeVersions(t)
	// Strip the chain from versions 1 and 2, as an older policyc wrote them.
	unchain := func(n int) string {
		record := forgeRecord(t, dir, fmt.Sprintf("policyc/p/v%d", n), func(m *Metadata) { m.Previous = "" })
		if bytes.Contains(record, []byte(`"previous"`)) {
			t.Fatal("the chain field is written when empty")
		}
		blob := strings.TrimSpace(gitCmdIn(t, dir, string(record), "hash-object", "-w", "--stdin"))
		return replaceInTree(t, dir, fmt.Sprintf("policyc/p/v%d", n), MetadataFile, blob)
	}
	tree2 := unchain(2)
	recommit(t, dir, 2, 2, tree2, rev(t, dir, "policyc/p/v1^{commit}"))
	// Version 3 still names version 2's old record: rechain it, as a
	// policyc that began the chain at version 3 would have.
	a, _ = Open(dir, "p")
	v2, err := a.Version(2)
	if err != nil {
		t.Fatal(err)
	}
	record := forgeRecord(t, dir, "policyc/p/v3", func(m *Metadata) { m.Previous = v2.Record })
	blob := strings.TrimSpace(gitCmdIn(t, dir, string(record), "hash-object", "-w", "--stdin"))
	recommit(t, dir, 3, 3, replaceInTree(t, dir, "policyc/p/v3", MetadataFile, blob), rev(t, dir, "policyc/p/v2^{commit}"))
	a, _ = Open(dir, "p")
	if problems, err := a.Verify(); err != nil || len(problems) > 0 {
		t.Fatalf("an archive whose chain starts at version 3: %v %v", problems, err)
	}
	if v := release(t, a, "four", "2026-04-01"); v.Previous == "" {
		t.Error("a new release does not carry the chain")
	}
	if problems, err := a.Verify(); err != nil || len(problems) > 0 {
		t.Fatalf("after a new release: %v %v", problems, err)
	}
	// Now drop the chain from version 4 and re-tag: that is a replacement.
	record = forgeRecord(t, dir, "policyc/p/v4", func(m *Metadata) { m.Previous = "" })
	blob = strings.TrimSpace(gitCmdIn(t, dir, string(record), "hash-object", "-w", "--stdin"))
	recommit(t, dir, 4, 4, replaceInTree(t, dir, "policyc/p/v4", MetadataFile, blob), rev(t, dir, "policyc/p/v3^{commit}"))
	a, _ = Open(dir, "p")
	problems, _ := a.Verify()
	if len(problems) != 1 || !strings.Contains(problems[0].String(), "version 4: its record does not name the previous version's record") {
		t.Errorf("a version without the chain after it began: %v", problems)
	}
}

// TestVerifyListsTagsAsGitStoresThem: a ref lock held by a running release
// or git command is not a tag, and packed tags are tags.
func TestVerifyListsTagsAsGitStoresThem(t *testing.T) {
	dir, a := threeVersions(t)
	lock := filepath.Join(dir, ".git", "refs", "tags", "policyc", "p", "v4.lock")
	os.WriteFile(lock, nil, 0o644) // being created this instant
	if problems, err := a.Verify(); err != nil || len(problems) > 0 {
		t.Errorf("with a tag being created: %v %v", problems, err)
	}
	os.Remove(lock)
	gitCmd(t, dir, "pack-refs", "--all")
	gitCmd(t, dir, "update-ref", "refs/policyc/p", "refs/policyc/p~1")
	if _, err := os.Stat(filepath.Join(dir, ".git", "refs", "tags", "policyc", "p", "v3")); err == nil {
		t.Fatal("the tags were not packed")
	}
	problems, err := a.Verify()
	if err != nil || len(problems) != 1 || !strings.Contains(problems[0].String(), "version 3: tag policyc/p/v3 names a version the archive does not have") {
		t.Errorf("a packed tag of a dropped version: %v %v", problems, err)
	}
}
