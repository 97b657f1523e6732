package versions

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Problem is something verify found wrong with the archive.
type Problem struct {
	Version int // 0 when not about one version
	Msg     string
}

func (p Problem) String() string {
	if p.Version > 0 {
		return fmt.Sprintf("version %d: %s", p.Version, p.Msg)
	}
	return p.Msg
}

// Verify trusts nothing it can recompute. Every object it reads (commits,
// trees, blobs, tags) is hashed again and must give its name; every
// archived file is hashed again and must match its version's record; each
// version's source digest is recomputed; each record must name the
// previous version's record by its SHA-256 (the chain); each tag must be
// an intact tag object of its name pointing at its version's commit on
// the archive ref. Damage is reported as problems naming the version; the
// error is for failures to read the repository at all.
//
// What no local check can catch is a consistent rewrite of the archive ref
// and the tags together: anchor the latest version's Record elsewhere.
func (a *Archive) Verify() ([]Problem, error) {
	var out []Problem
	add := func(v int, format string, args ...any) { out = append(out, Problem{v, fmt.Sprintf(format, args...)}) }

	// The history, newest first, as far as it can be read.
	var commits []*object.Commit
	whole := true
	ref, err := a.st.repo.Storer.Reference(ArchiveRef(a.policyID))
	switch {
	case errors.Is(err, plumbing.ErrReferenceNotFound):
	case err != nil:
		add(0, "the archive ref %s is unreadable: %v", ArchiveRef(a.policyID), err)
		whole = false
	default:
		for h := ref.Hash(); ; {
			c, err := a.st.readCommit(h)
			if err != nil {
				add(0, "archive commit %s%s is unreadable: %v; versions before it cannot be checked", short(h), a.which(commits), err)
				whole = false
				break
			}
			commits = append(commits, c)
			if len(c.ParentHashes) > 1 {
				add(0, "archive commit %s has %d parents; policyc records a single line of versions", short(c.Hash), len(c.ParentHashes))
			}
			if len(c.ParentHashes) == 0 {
				break
			}
			h = c.ParentHashes[0]
		}
	}
	vs := make([]Version, len(commits))
	readable := make([]bool, len(commits))
	newest := 0 // when the history is cut: the newest version's number, if readable
	if !whole && len(commits) > 0 {
		if m, _, err := a.metadata(commits[0]); err == nil {
			newest = m.Version
		}
	}
	for i, c := range commits {
		// The number this commit should carry: its place from the root,
		// or, when the history is cut, from the newest version.
		want := len(commits) - i
		if !whole {
			want = max(newest-i, 0)
		}
		m, record, err := a.metadata(c)
		if err != nil {
			if want == 0 {
				fmt.Sscanf(a.versionOf(c), " (version %d)", &want)
			}
			add(want, "archive commit %s: its record %s is unreadable: %v", short(c.Hash), MetadataFile, err)
			vs[i] = Version{Metadata: Metadata{Version: want}, Commit: c.Hash}
			continue
		}
		vs[i], readable[i] = Version{Metadata: m, Commit: c.Hash, Record: record}, true
		if whole && m.Version != want {
			add(m.Version, "is number %d in the history: a version is missing or the history was rewritten", want)
		}
		if m.Policy != a.policyID || m.Format != MetadataFormat {
			add(m.Version, "metadata names policy %q, format %q", m.Policy, m.Format)
		}
		a.verifyFiles(vs[i], c, add)
	}
	a.verifyChain(vs, readable, whole, add)
	if err := a.verifyTags(vs, readable, add); err != nil {
		return nil, err
	}
	return out, nil
}

// verifyChain checks that each record names the previous one (vs is
// newest first). The chain may start at any version (archives begun
// before policyc kept it), but once started it must not stop.
func (a *Archive) verifyChain(vs []Version, readable []bool, whole bool, add func(int, string, ...any)) {
	chained := false
	for i := len(vs) - 1; i >= 0; i-- {
		if !readable[i] {
			chained = false // cannot tell what the unreadable record said
			continue
		}
		v := vs[i]
		switch {
		case v.Previous == "" && chained:
			add(v.Version, "its record does not name the previous version's record, as every version after the chain began does: the version was replaced")
		case v.Previous == "":
		case i == len(vs)-1 && whole:
			add(v.Version, "its record names a previous version's record (SHA-256 %s), but the history has no version before it: versions were removed", v.Previous[:min(12, len(v.Previous))])
		case i == len(vs)-1:
		case !readable[i+1]:
		case v.Previous != vs[i+1].Record:
			add(v.Version, "the chain breaks here: its record names the previous record SHA-256 %s, but the version before it in the history (version %d) has %s: a version was altered, removed or replaced",
				v.Previous[:min(12, len(v.Previous))], vs[i+1].Version, vs[i+1].Record[:12])
		}
		chained = chained || v.Previous != ""
	}
}

// verifyFiles re-hashes every file of a version and compares it with the
// version's record, recomputes its source digest, and reports files the
// record does not list.
func (a *Archive) verifyFiles(v Version, c *object.Commit, add func(int, string, ...any)) {
	t, err := a.st.readTree(c.TreeHash)
	if err != nil {
		add(v.Version, "tree unreadable: %v", err)
		return
	}
	files := map[string][]byte{}
	listed := map[string]bool{MetadataFile: true}
	for _, f := range v.Files {
		listed[f.Path] = true
		e, err := a.st.find(t, f.Path)
		if err != nil || !e.Mode.IsFile() {
			add(v.Version, "%s is missing", f.Path)
			continue
		}
		b, err := a.st.readBlob(e.Hash, nil)
		if err != nil {
			add(v.Version, "%s unreadable: %v", f.Path, err)
			continue
		}
		files[f.Path] = b
		if digest(b) != f.SHA256 || len(b) != f.Size {
			add(v.Version, "%s was changed: its SHA-256 is %s, the metadata records %s", f.Path, digest(b)[:12], f.SHA256[:min(12, len(f.SHA256))])
		}
	}
	var walk func(t *object.Tree, dir string)
	walk = func(t *object.Tree, dir string) {
		for _, e := range t.Entries {
			p := dir + e.Name
			switch {
			case e.Mode == filemode.Dir:
				sub, err := a.st.readTree(e.Hash)
				if err != nil {
					add(v.Version, "%s/ unreadable: %v", p, err)
					continue
				}
				walk(sub, p+"/")
			case !listed[p]:
				add(v.Version, "%s is not in the metadata", p)
			case !e.Mode.IsFile():
				add(v.Version, "%s is not a regular file (mode %s)", p, e.Mode)
			}
		}
	}
	walk(t, "")
	if len(files) != len(v.Files) {
		return // already reported; the digest cannot be recomputed
	}
	want := sourceDigest(files)
	if v.Imported {
		want = contentDigest(files)
	}
	if want != v.SourceDigest {
		add(v.Version, "its source digest is %s, the metadata records %s", want[:12], v.SourceDigest[:min(12, len(v.SourceDigest))])
	}
}

// verifyTags checks every version's tag, and that no tag of this policy
// names a version the archive does not have.
func (a *Archive) verifyTags(vs []Version, readable []bool, add func(int, string, ...any)) error {
	for i, v := range vs {
		if !readable[i] {
			continue
		}
		name := plumbing.NewTagReferenceName(TagName(a.policyID, v.Version))
		ref, err := a.st.repo.Storer.Reference(name)
		if errors.Is(err, plumbing.ErrReferenceNotFound) {
			add(v.Version, "tag %s is missing", name.Short())
			continue
		}
		if err != nil {
			add(v.Version, "tag %s is unreadable: %v", name.Short(), err)
			continue
		}
		target, err := a.tagTarget(ref.Hash(), name.Short())
		if err != nil {
			add(v.Version, "tag %s: %v", name.Short(), err)
			continue
		}
		if target != v.Commit {
			add(v.Version, "tag %s points at %s, not at the archived version %s", name.Short(), short(target), short(v.Commit))
		}
	}
	newest := 0
	for i, v := range vs {
		if readable[i] {
			newest = max(newest, v.Version)
		}
	}
	type stray struct {
		n   int
		msg string
	}
	var strays []stray
	names, err := a.versionTags()
	if err != nil {
		add(0, "the tags cannot be listed: %v", err)
	}
	for _, short := range names {
		if !strings.HasPrefix(short, "policyc/"+a.policyID+"/v") {
			continue // not named like a version: not policyc's
		}
		n, err := ParseVersion(short)
		if err != nil {
			strays = append(strays, stray{0, short + " is not a version tag"})
			continue
		}
		if n > newest {
			strays = append(strays, stray{n, fmt.Sprintf("tag %s names a version the archive does not have (the history was rewritten or a version removed)", short)})
		}
	}
	slices.SortFunc(strays, func(a, b stray) int { return strings.Compare(a.msg, b.msg) })
	for _, s := range strays {
		add(s.n, "%s", s.msg)
	}
	return nil
}

// versionTags lists the tags under policyc/<policy-id>/, loose and packed,
// as git stores them. (go-git's listing reads a ref's .lock file as a ref,
// and so fails while any release or git command holds one.)
func (a *Archive) versionTags() ([]string, error) {
	prefix := "refs/tags/policyc/" + a.policyID + "/"
	seen := map[string]bool{}
	root := filepath.Join(a.st.commonDir, filepath.FromSlash(prefix))
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() && !strings.HasSuffix(p, ".lock") {
			rel, _ := filepath.Rel(root, p)
			seen["policyc/"+a.policyID+"/"+filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	packed, err := os.ReadFile(filepath.Join(a.st.commonDir, "packed-refs"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, line := range strings.Split(string(packed), "\n") {
		if _, name, ok := strings.Cut(line, " "); ok && strings.HasPrefix(name, prefix) {
			seen[strings.TrimPrefix(name, "refs/tags/")] = true
		}
	}
	return slices.Sorted(maps.Keys(seen)), nil
}

// tagTarget is the commit an annotated tag named name (or a lightweight
// one) points at; the tag object is checked against its name.
func (a *Archive) tagTarget(h plumbing.Hash, name string) (plumbing.Hash, error) {
	tag, err := a.st.readTag(h)
	if err != nil {
		if _, cerr := a.st.readCommit(h); cerr == nil {
			return h, nil // lightweight: still verifiable
		}
		return plumbing.ZeroHash, err
	}
	if tag.Name != name {
		return plumbing.ZeroHash, fmt.Errorf("the tag object is named %q", tag.Name)
	}
	if tag.TargetType != plumbing.CommitObject {
		return plumbing.ZeroHash, fmt.Errorf("points at a %s, not a commit", tag.TargetType)
	}
	return tag.Target, nil
}

func short(h plumbing.Hash) string { return h.String()[:12] }
