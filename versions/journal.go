package versions

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// journal records a release whose objects are all written, before its refs
// move. A release that dies after writing it is finished (or, when that is
// no longer possible, rolled back) by the next policyc command; one that
// dies before it leaves only unreachable objects.
//
// The steps of a release, each a place it may be interrupted: objects
// (blobs, trees, commit, tag), "journal", "lock" of the archive ref and of
// the tag (both prepared before either moves), "rename" of each, "journal
// done".
type journal struct {
	Version   int    `json:"version,omitempty"`
	Ref       string `json:"ref"`
	New       string `json:"new"`
	Old       string `json:"old"`
	Tag       string `json:"tag"`
	TagObject string `json:"tag_object"`
}

// StateDir is where policyc keeps its own state for the repository: inside
// the common git directory (shared by every linked work tree, like the
// refs it guards), never in a work tree, and never published.
func (a *Archive) StateDir() string { return filepath.Join(a.st.commonDir, "policyc") }

func (a *Archive) journalPath() string {
	return filepath.Join(a.StateDir(), "pending-"+a.policyID+".json")
}

func (a *Archive) writeJournal(j journal) error {
	if err := a.st.step("journal"); err != nil {
		return err
	}
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(a.StateDir(), 0o755); err != nil {
		return err
	}
	tmp := a.journalPath() + ".tmp"
	if err := writeSynced(tmp, b); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, a.journalPath())
}

// finish moves the refs a journal names, tolerating steps already done.
// Both are locked, and checked, before either moves.
func (a *Archive) finish(j journal) error {
	ref, newH, oldH := plumbing.ReferenceName(j.Ref), plumbing.NewHash(j.New), plumbing.NewHash(j.Old)
	tagRef, tagH := plumbing.NewTagReferenceName(j.Tag), plumbing.NewHash(j.TagObject)
	var locks []*refLock
	defer func() {
		for _, l := range locks {
			l.abort()
		}
	}()
	if cur, err := a.st.repo.Storer.Reference(ref); err != nil || cur.Hash() != newH {
		l, err := a.st.lockRef(ref, newH, oldH, a.lockedAt(), a.note)
		if err != nil {
			return err
		}
		locks = append(locks, l)
	}
	if cur, err := a.st.repo.Storer.Reference(tagRef); err != nil || cur.Hash() != tagH {
		l, err := a.st.lockRef(tagRef, tagH, plumbing.ZeroHash, a.lockedAt(), a.note)
		if err != nil {
			return err
		}
		locks = append(locks, l)
	}
	for len(locks) > 0 {
		if err := a.st.commitRef(locks[0]); err != nil {
			return err
		}
		locks = locks[1:]
	}
	if err := a.st.step("journal done"); err != nil {
		return err
	}
	return os.Remove(a.journalPath())
}

// recover settles a release interrupted after its journal was written, if
// no release is running: it is finished when its objects are intact and
// its refs free, rolled back otherwise. Open calls it, so every command
// does; Recovered says what it did.
func (a *Archive) recover() error {
	if _, err := os.Stat(a.journalPath()); errors.Is(err, os.ErrNotExist) {
		// Nothing to finish; a stale lock is taken over by the next release.
		return nil
	}
	unlock, err := a.lock()
	if errors.Is(err, ErrBusy) {
		return nil // the release that wrote it is still running
	}
	if err != nil {
		return err
	}
	defer unlock()
	return a.recoverLocked()
}

// recoverLocked is recover under the release lock.
func (a *Archive) recoverLocked() error {
	b, err := os.ReadFile(a.journalPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var j journal
	if err := json.Unmarshal(b, &j); err != nil || j.Ref != ArchiveRef(a.policyID).String() {
		// Written whole and renamed into place, a journal is unreadable
		// only after a system crash; the refs it named were never moved
		// before it was complete, and verify checks what they hold.
		a.note(fmt.Sprintf("removed the unreadable release journal %s", a.journalPath()))
		return os.Remove(a.journalPath())
	}
	what := fmt.Sprintf("version %d", j.Version)
	if j.Version == 0 {
		what = "tag " + j.Tag
	}
	ref := ArchiveRef(a.policyID)
	cur, err := a.st.repo.Storer.Reference(ref)
	var curH plumbing.Hash
	switch {
	case errors.Is(err, plumbing.ErrReferenceNotFound):
	case err != nil:
		return err
	default:
		curH = cur.Hash()
	}
	if curH == plumbing.NewHash(j.New) {
		// The version is on the archive ref: published. Only its tag may be missing.
		if err := a.finish(j); err != nil {
			if !errors.Is(err, ErrRefChanged) {
				return fmt.Errorf("finishing the interrupted release of %s: %w", what, err)
			}
			a.note(fmt.Sprintf("finished the interrupted release of %s, but not its tag: %v (policyc verify reports it)", what, err))
			return os.Remove(a.journalPath())
		}
		a.note(fmt.Sprintf("finished the interrupted release of %s", what))
		return nil
	}
	reason := ""
	switch {
	case curH != plumbing.NewHash(j.Old):
		reason = fmt.Sprintf("the archive ref was moved to %s since", curH)
	case a.intact(j) != nil:
		reason = fmt.Sprintf("its objects are damaged (%v)", a.intact(j))
	default:
		if tag, err := a.st.repo.Storer.Reference(plumbing.NewTagReferenceName(j.Tag)); err == nil && tag.Hash() != plumbing.NewHash(j.TagObject) {
			reason = fmt.Sprintf("the tag %s was created since, pointing at %s", j.Tag, tag.Hash())
		}
	}
	if reason == "" {
		if err := a.finish(j); err != nil {
			return fmt.Errorf("finishing the interrupted release of %s: %w", what, err)
		}
		a.note(fmt.Sprintf("finished the interrupted release of %s", what))
		return nil
	}
	// Roll back: the archive ref never moved; the tag is removed only if
	// this release created it (it points at this release's tag object).
	a.st.deleteLooseRef(plumbing.NewTagReferenceName(j.Tag), plumbing.NewHash(j.TagObject))
	if err := os.Remove(a.journalPath()); err != nil {
		return err
	}
	a.note(fmt.Sprintf("rolled back the interrupted release of %s: %s", what, reason))
	return nil
}

// intact checks that a journal's commit and tag objects can be read and
// name each other, so finishing it publishes a whole version.
func (a *Archive) intact(j journal) error {
	c, err := a.st.readCommit(plumbing.NewHash(j.New))
	if err != nil {
		return err
	}
	if _, _, err := a.metadata(c); err != nil {
		return err
	}
	tag, err := a.st.readTag(plumbing.NewHash(j.TagObject))
	if err != nil {
		return err
	}
	if tag.Target != c.Hash || tag.Name != j.Tag {
		return fmt.Errorf("tag object %s does not name commit %s", j.TagObject, j.New)
	}
	return nil
}

// lock takes the release lock: one release of a policy at a time, across
// every work tree of the repository. A lock whose owner no longer runs is
// taken over.
func (a *Archive) lock() (func(), error) {
	l, err := acquire(filepath.Join(a.StateDir(), "release-"+a.policyID+".lock"), a.note)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.held = l
	a.mu.Unlock()
	return func() {
		a.mu.Lock()
		a.held = nil
		a.mu.Unlock()
		l.release()
	}, nil
}

func (a *Archive) lockedAt() (t time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.held != nil {
		t = a.held.since
	}
	return t
}

func (a *Archive) note(s string) {
	a.mu.Lock()
	a.notes = append(a.notes, s)
	a.mu.Unlock()
}

// Recovered says what opening the archive, or a release, did to settle an
// earlier interrupted one: locks taken over, releases finished or rolled
// back. Empty when there was nothing to do.
func (a *Archive) Recovered() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.notes...)
}
