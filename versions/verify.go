package versions

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
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

// Verify recomputes every archived file's hash and checks the history and
// the tags: an edited file, a moved or deleted tag, a missing version or a
// rewritten history is each reported.
func (a *Archive) Verify() ([]Problem, error) {
	var out []Problem
	add := func(v int, format string, args ...any) { out = append(out, Problem{v, fmt.Sprintf(format, args...)}) }
	vs, err := a.Versions()
	if err != nil {
		return nil, err
	}
	inChain := map[plumbing.Hash]int{}
	for i, v := range vs {
		inChain[v.Commit] = v.Version
		want := len(vs) - i
		if v.Version != want {
			add(v.Version, "is number %d in the history: a version is missing or the history was rewritten", want)
		}
		if v.Policy != a.policyID || v.Format != MetadataFormat {
			add(v.Version, "metadata names policy %q, format %q", v.Policy, v.Format)
		}
		a.verifyFiles(v, add)
	}
	// Every version has its tag, pointing at its commit.
	for _, v := range vs {
		name := plumbing.NewTagReferenceName(TagName(a.policyID, v.Version))
		ref, err := a.st.repo.Storer.Reference(name)
		if errors.Is(err, plumbing.ErrReferenceNotFound) {
			add(v.Version, "tag %s is missing", name.Short())
			continue
		}
		if err != nil {
			return nil, err
		}
		target, err := a.tagTarget(ref.Hash())
		if err != nil {
			add(v.Version, "tag %s: %v", name.Short(), err)
			continue
		}
		if target != v.Commit {
			add(v.Version, "tag %s points at %s, not at the archived version %s", name.Short(), short(target), short(v.Commit))
		}
	}
	// No tag of this policy points outside the archive.
	tags, err := a.st.repo.Tags()
	if err != nil {
		return nil, err
	}
	prefix := "policyc/" + a.policyID + "/v"
	var strays []string
	tags.ForEach(func(r *plumbing.Reference) error {
		short := r.Name().Short()
		if !strings.HasPrefix(short, prefix) {
			return nil
		}
		n, err := ParseVersion(short)
		if err != nil {
			strays = append(strays, short+" is not a version tag")
			return nil
		}
		if n > len(vs) {
			strays = append(strays, fmt.Sprintf("tag %s names a version the archive does not have (the history was rewritten or a version removed)", short))
		}
		return nil
	})
	slices.Sort(strays)
	for _, s := range strays {
		add(0, "%s", s)
	}
	return out, nil
}

func (a *Archive) verifyFiles(v Version, add func(int, string, ...any)) {
	c, err := a.st.repo.CommitObject(v.Commit)
	if err != nil {
		add(v.Version, "commit unreadable: %v", err)
		return
	}
	t, err := c.Tree()
	if err != nil {
		add(v.Version, "tree unreadable: %v", err)
		return
	}
	listed := map[string]bool{MetadataFile: true}
	for _, f := range v.Files {
		listed[f.Path] = true
		e, err := t.FindEntry(f.Path)
		if err != nil {
			add(v.Version, "%s is missing", f.Path)
			continue
		}
		b, err := a.st.readBlob(e.Hash, nil)
		if err != nil {
			add(v.Version, "%s unreadable: %v", f.Path, err)
			continue
		}
		if digest(b) != f.SHA256 || len(b) != f.Size {
			add(v.Version, "%s was changed: its SHA-256 is %s, the metadata records %s", f.Path, digest(b)[:12], f.SHA256[:12])
		}
	}
	t.Files().ForEach(func(f *object.File) error {
		if !listed[f.Name] {
			add(v.Version, "%s is not in the metadata", f.Name)
		}
		return nil
	})
}

// tagTarget is the commit an annotated tag (or a lightweight one) points at.
func (a *Archive) tagTarget(h plumbing.Hash) (plumbing.Hash, error) {
	if tag, err := a.st.repo.TagObject(h); err == nil {
		return tag.Target, nil
	}
	if _, err := a.st.repo.CommitObject(h); err == nil {
		return h, nil // lightweight: still verifiable
	}
	return plumbing.ZeroHash, fmt.Errorf("points at no commit")
}

func short(h plumbing.Hash) string { return h.String()[:12] }
