package versions

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
)

// journal records a release whose objects are all written, before its refs
// move. A release that dies after writing it is finished by the next
// policyc command; one that dies before it leaves only unreachable objects.
type journal struct {
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
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, a.journalPath())
}

// finish moves the refs a journal names, tolerating steps already done.
func (a *Archive) finish(j journal) error {
	ref, newH, oldH := plumbing.ReferenceName(j.Ref), plumbing.NewHash(j.New), plumbing.NewHash(j.Old)
	if err := a.st.setRef(ref, newH, oldH); err != nil {
		cur, rerr := a.st.repo.Storer.Reference(ref)
		if !errors.Is(err, ErrRefChanged) || rerr != nil || cur.Hash() != newH {
			return err
		}
	}
	tagRef := plumbing.NewTagReferenceName(j.Tag)
	if err := a.st.setRef(tagRef, plumbing.NewHash(j.TagObject), plumbing.ZeroHash); err != nil {
		cur, rerr := a.st.repo.Storer.Reference(tagRef)
		if !errors.Is(err, ErrRefChanged) || rerr != nil || cur.Hash() != plumbing.NewHash(j.TagObject) {
			return err
		}
	}
	if err := a.st.step("journal done"); err != nil {
		return err
	}
	return os.Remove(a.journalPath())
}

// recover finishes a release interrupted after its journal was written.
func (a *Archive) recover() error {
	b, err := os.ReadFile(a.journalPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	unlock, err := a.lock()
	if errors.Is(err, ErrBusy) {
		return nil // the release that wrote it is still running
	}
	if err != nil {
		return err
	}
	defer unlock()
	var j journal
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("unreadable release journal %s: %w", a.journalPath(), err)
	}
	if err := a.finish(j); err != nil {
		return fmt.Errorf("finishing an interrupted release: %w", err)
	}
	return nil
}

// lock takes the release lock: one release of a policy at a time. A lock
// left by a process that no longer runs is taken over.
func (a *Archive) lock() (func(), error) {
	if err := os.MkdirAll(a.StateDir(), 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(a.StateDir(), "release-"+a.policyID+".lock")
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		b, _ := os.ReadFile(path)
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if pid > 0 && (pid == os.Getpid() || alive(pid)) {
			return nil, fmt.Errorf("%w (process %d holds %s)", ErrBusy, pid, path)
		}
		if pid == 0 && attempt == 0 {
			// Being written this instant by another process: it holds the lock.
			return nil, fmt.Errorf("%w (%s)", ErrBusy, path)
		}
		os.Remove(path) // stale: its process is gone
	}
	return nil, fmt.Errorf("%w (%s)", ErrBusy, path)
}

func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
