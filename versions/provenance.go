package versions

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
)

// SourceState is the git state of a policy directory when it is released:
// the commit it comes from and the files that differ from that commit.
type SourceState struct {
	// Commit is the HEAD commit of the repository holding the directory,
	// "" before the first commit.
	Commit string
	// Changed lists the directory's files that are modified, added,
	// deleted or untracked (ignored files aside), relative to the
	// directory, slash-separated and sorted.
	Changed []string
}

// Clean reports whether the directory is exactly as committed.
func (s SourceState) Clean() bool { return len(s.Changed) == 0 }

// SourceState reads the state of dir, a directory inside the archive's
// work tree, from the repository: the index and HEAD are read, and the
// work tree only to compare, never written.
func (a *Archive) SourceState(dir string) (SourceState, error) {
	var s SourceState
	if a.workDir == "" {
		return s, fmt.Errorf("the repository holding %s has no work tree", dir)
	}
	rel, err := relativeToWorkTree(a.workDir, dir)
	if err != nil {
		return s, err
	}
	if head, err := a.st.repo.Head(); err == nil {
		s.Commit = head.Hash().String()
	}
	wt, err := a.st.repo.Worktree()
	if err != nil {
		return s, err
	}
	st, err := wt.Status()
	if err != nil {
		return s, fmt.Errorf("cannot read the git status of %s: %w", dir, err)
	}
	prefix := ""
	if rel != "." {
		prefix = rel + "/"
	}
	for p, fs := range st {
		if fs.Worktree == git.Unmodified && fs.Staging == git.Unmodified {
			continue
		}
		if name, ok := strings.CutPrefix(p, prefix); ok {
			s.Changed = append(s.Changed, name)
		}
	}
	slices.Sort(s.Changed)
	return s, nil
}

// relativeToWorkTree is dir relative to the work tree root, slash-separated,
// with symbolic links resolved on both sides (a temporary directory is often
// reached through one).
func relativeToWorkTree(workDir, dir string) (string, error) {
	abs := func(p string) (string, error) {
		p, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		return p, nil
	}
	w, err := abs(workDir)
	if err != nil {
		return "", err
	}
	d, err := abs(dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(w, d)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside the repository's work tree %s", dir, workDir)
	}
	return filepath.ToSlash(rel), nil
}
