// Package versions is the archive of published policy versions: each
// release is a commit on a dedicated ref (refs/policyc/<policy-id>) holding
// the model source, every rendered file and a metadata file with their
// hashes, plus an annotated tag per version. Objects and refs are written
// directly; the user's branches, index and work tree are never touched.
//
// It must not print or exit.
package versions

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/policyc/policyc/internal/parallel"
	"github.com/policyc/policyc/policy"
)

// MetadataFile is the name of each version's metadata in its tree.
const MetadataFile = "policyc.json"

// MetadataFormat names the layout of MetadataFile.
const MetadataFormat = "policyc.version/v1"

// Errors a caller may want to tell apart.
var (
	ErrNoRepository = errors.New("not in a git repository")
	ErrBusy         = errors.New("another release is in progress")
	ErrUnchanged    = errors.New("nothing changed since the latest version")
	ErrNoVersion    = errors.New("no such version")
	// ErrTagTaken: the next version's tag name is already used.
	ErrTagTaken = errors.New("tag name taken")
	// ErrDamaged: the archive does not hold what was released (an object
	// altered, missing or swapped; a file that does not match its
	// version's record). Reads refuse it; Verify reports it as problems.
	ErrDamaged = errors.New("the archive is damaged")
)

// Archive is the archive of one policy in a git repository.
type Archive struct {
	st       *store
	policyID string
	workDir  string // the repository's work tree root

	mu    sync.Mutex
	held  *fileLock // the release lock, while held
	notes []string  // what was done to settle interrupted releases
	// expect holds, for each blob Entries listed, what the records of the
	// versions it was listed in say of it.
	expect map[plumbing.Hash][]expectation
}

// Open opens the archive of a policy in the repository that holds dir,
// found as git finds it (see discover). A release interrupted by a crash is
// finished or rolled back here, before anything else reads the archive;
// Recovered says what was done.
func Open(dir, policyID string) (*Archive, error) {
	l, err := discover(dir)
	if err != nil {
		return nil, err
	}
	if err := checkSupported(l); err != nil {
		return nil, err
	}
	repo, err := openRepo(l)
	if err != nil {
		return nil, fmt.Errorf("cannot open the git repository holding %s: %w", dir, explainOpenError(err))
	}
	a := &Archive{st: &store{repo: repo, gitDir: l.gitDir, commonDir: l.commonDir}, policyID: policyID, workDir: l.workDir}
	if err := a.recover(); err != nil {
		return nil, err
	}
	return a, nil
}

func explainOpenError(err error) error {
	if strings.Contains(err.Error(), "extension") {
		return fmt.Errorf("%w (this repository uses a git extension policyc's git library does not support)", err)
	}
	return err
}

// ArchiveRef is the reference holding a policy's versions.
func ArchiveRef(policyID string) plumbing.ReferenceName {
	return plumbing.ReferenceName("refs/policyc/" + policyID)
}

// TagName is the tag of a version.
func TagName(policyID string, n int) string { return fmt.Sprintf("policyc/%s/v%d", policyID, n) }

// FileEntry is one archived file with its content hash.
type FileEntry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
}

// Metadata describes a version; it is stored in the version's tree.
type Metadata struct {
	Format    string `json:"format"`
	Policy    string `json:"policy"`
	Version   int    `json:"version"`
	Updated   string `json:"updated"`
	Effective string `json:"effective"`
	Imported  bool   `json:"imported,omitempty"`
	// Level is the significance of the change from the previous version.
	Level string `json:"level,omitempty"`
	// ShortNoticeReason explains a significant release with less notice
	// than the policy promises.
	ShortNoticeReason string `json:"short_notice_reason,omitempty"`
	// Translations records, per locale and unit, the fingerprints of the
	// translation and of the source text it was made or reviewed against.
	Translations *policy.TranslationRecord `json:"translations,omitempty"`
	// AllowStale lists the locales released with stale translations.
	AllowStale   []string `json:"allow_stale,omitempty"`
	SourceCommit string   `json:"source_commit,omitempty"`
	// SourceClean tells whether the policy directory was exactly as
	// committed in SourceCommit; absent from versions that predate it.
	SourceClean *bool `json:"source_clean,omitempty"`
	// Policyc describes the build of policyc that made the version.
	Policyc string `json:"policyc,omitempty"`
	// ApprovedBy names who signed the release off, in the order given.
	ApprovedBy   []string    `json:"approved_by,omitempty"`
	SourceDigest string      `json:"source_digest"`
	Files        []FileEntry `json:"files"`
	// Previous is the SHA-256 of the previous version's metadata file as
	// archived: the records form a chain, so a version altered, removed or
	// replaced breaks it. Absent in the first version, and in versions
	// released before policyc kept the chain.
	Previous string `json:"previous,omitempty"`
}

// Version is an archived version.
type Version struct {
	Metadata
	Commit plumbing.Hash
	// Record is the SHA-256 of the version's metadata file as archived:
	// what the next version's Previous names. The latest version's Record,
	// published elsewhere, anchors the whole chain.
	Record string
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// sourceDigest hashes the source files (paths and contents, sorted), so two
// releases of the same model compare equal whatever their dates.
func sourceDigest(files map[string][]byte) string {
	h := sha256.New()
	var paths []string
	for p := range files {
		if strings.HasPrefix(p, "source/") {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	for _, p := range paths {
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(files[p]))
		h.Write(files[p])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// contentDigest hashes every file (paths and contents, sorted).
func contentDigest(files map[string][]byte) string {
	all := map[string][]byte{}
	for p, b := range files {
		all["source/"+p] = b
	}
	return sourceDigest(all)
}

// Import records a version published before policyc was adopted: the file
// as it was published (Markdown, HTML or PDF), kept byte for byte, marked
// imported. Versions are appended in order, so import the oldest first.
func (a *Archive) Import(file []byte, format, locale string, updated, effective policy.Date) (Version, error) {
	switch format {
	case "md", "html", "pdf":
	default:
		return Version{}, fmt.Errorf("cannot import a .%s file: import Markdown, HTML or PDF as published", format)
	}
	return a.Release(ReleaseOptions{Updated: updated, Effective: effective, Imported: true,
		Contents: func(int) (Contents, error) {
			return Contents{Files: map[string][]byte{"rendered/policy." + locale + "." + format: file}}, nil
		}})
}

// Versions lists the archived versions, newest first.
func (a *Archive) Versions() ([]Version, error) {
	ref, err := a.st.repo.Storer.Reference(ArchiveRef(a.policyID))
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// The history first (each commit names its parent), then every
	// version's metadata, read on every core.
	var commits []*object.Commit
	for h := ref.Hash(); !h.IsZero(); {
		c, err := a.st.readCommit(h)
		if err != nil {
			return nil, fmt.Errorf("%w: archive commit %s%s: %w", ErrDamaged, h, a.which(commits), err)
		}
		commits = append(commits, c)
		if len(c.ParentHashes) == 0 {
			break
		}
		h = c.ParentHashes[0]
	}
	out := make([]Version, len(commits))
	errs := make([]error, len(commits))
	tasks := make([]func() error, len(commits))
	for i, c := range commits {
		tasks[i] = func() error {
			m, record, err := a.metadata(c)
			if err != nil {
				errs[i] = fmt.Errorf("%w: archive commit %s%s: %w", ErrDamaged, c.Hash, a.versionOf(c), err)
			}
			out[i] = Version{Metadata: m, Commit: c.Hash, Record: record}
			return nil
		}
	}
	parallel.Run(tasks) // every task runs; the errors are reported in order below
	for _, err := range errs {
		if err != nil {
			return nil, err // the newest version's problem first
		}
	}
	return out, nil
}

// which names the version an archive commit should be, from the versions
// newer than it (newest first) already read: for a message.
func (a *Archive) which(newer []*object.Commit) string {
	if len(newer) == 0 {
		return " (the latest version)"
	}
	if m, _, err := a.metadata(newer[len(newer)-1]); err == nil && m.Version > 1 {
		return fmt.Sprintf(" (version %d)", m.Version-1)
	}
	return ""
}

// versionOf names the version an archive commit says it is, by its
// message: for a message about a commit whose record cannot be read.
func (a *Archive) versionOf(c *object.Commit) string {
	var n int
	if _, err := fmt.Sscanf(c.Message, a.policyID+" version %d", &n); err == nil && n > 0 {
		return fmt.Sprintf(" (version %d)", n)
	}
	return ""
}

// metadata reads a version's metadata file, and the SHA-256 of its bytes.
func (a *Archive) metadata(c *object.Commit) (Metadata, string, error) {
	var m Metadata
	t, err := a.st.readTree(c.TreeHash)
	if err != nil {
		return m, "", err
	}
	e, err := a.st.find(t, MetadataFile)
	if err != nil {
		return m, "", fmt.Errorf("no %s: %w", MetadataFile, err)
	}
	b, err := a.st.readBlob(e.Hash, nil)
	if err != nil {
		return m, "", err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, "", fmt.Errorf("%s: %w", MetadataFile, err)
	}
	return m, digest(b), nil
}

// Version returns version n. It goes straight to the version's tag when the
// tag names that version, and walks the history otherwise (a moved or
// missing tag is verify's business, not a reason to fail a read).
func (a *Archive) Version(n int) (Version, error) {
	if ref, err := a.st.repo.Storer.Reference(plumbing.NewTagReferenceName(TagName(a.policyID, n))); err == nil {
		if h, err := a.tagTarget(ref.Hash(), TagName(a.policyID, n)); err == nil {
			if c, err := a.st.readCommit(h); err == nil {
				if m, record, err := a.metadata(c); err == nil && m.Version == n && m.Policy == a.policyID && a.onChain(h) {
					return Version{Metadata: m, Commit: h, Record: record}, nil
				}
			}
		}
	}
	vs, err := a.Versions()
	if err != nil {
		return Version{}, err
	}
	for _, v := range vs {
		if v.Version == n {
			return v, nil
		}
	}
	return Version{}, fmt.Errorf("%w: %s has no version %d", ErrNoVersion, a.policyID, n)
}

// onChain reports whether commit h is in the archive's history: the archive
// ref, not a tag, is the record of what was published.
func (a *Archive) onChain(h plumbing.Hash) bool {
	ref, err := a.st.repo.Storer.Reference(ArchiveRef(a.policyID))
	if err != nil {
		return false
	}
	for cur := ref.Hash(); !cur.IsZero(); {
		if cur == h {
			return true
		}
		c, err := a.st.readCommit(cur)
		if err != nil || len(c.ParentHashes) == 0 {
			return false
		}
		cur = c.ParentHashes[0]
	}
	return false
}

// tree is the root tree of a version's commit.
func (a *Archive) tree(v Version) (*object.Tree, error) {
	c, err := a.st.readCommit(v.Commit)
	if err != nil {
		return nil, err
	}
	return a.st.readTree(c.TreeHash)
}

// ReadFile returns a file of a version exactly as archived, checked
// against the SHA-256 and size its version's record gives: a file that
// does not match is refused (ErrDamaged), naming the version and file.
func (a *Archive) ReadFile(v Version, path string) ([]byte, error) {
	t, err := a.tree(v)
	if err != nil {
		return nil, fmt.Errorf("%w: version %d: %w", ErrDamaged, v.Version, err)
	}
	e, err := a.st.find(t, path)
	if err != nil || !e.Mode.IsFile() {
		return nil, fmt.Errorf("version %d has no file %s", v.Version, path)
	}
	return a.readChecked(v, path, e.Hash, nil)
}

// readChecked reads the blob h archived as path in version v and checks it
// against v's record.
func (a *Archive) readChecked(v Version, path string, h plumbing.Hash, buf []byte) ([]byte, error) {
	want, listed := v.file(path)
	if !listed && path != MetadataFile {
		return nil, fmt.Errorf("%w: version %d: %s is not in the version's record", ErrDamaged, v.Version, path)
	}
	b, err := a.st.readBlob(h, buf)
	if err != nil {
		return nil, fmt.Errorf("version %d: %s: %w", v.Version, path, err)
	}
	if listed {
		if err := want.check(b); err != nil {
			return nil, fmt.Errorf("%w: version %d: %s %w", ErrDamaged, v.Version, path, err)
		}
	}
	return b, nil
}

// file is the record of a file of the version.
func (v Version) file(path string) (FileEntry, bool) {
	for _, f := range v.Files {
		if f.Path == path {
			return f, true
		}
	}
	return FileEntry{}, false
}

// check compares a file's bytes with its record.
func (f FileEntry) check(b []byte) error {
	if d := digest(b); d != f.SHA256 || len(b) != f.Size {
		return fmt.Errorf("does not match the version's record: its SHA-256 is %s (%d bytes), the record says %s (%d bytes)", d, len(b), f.SHA256, f.Size)
	}
	return nil
}

// ParseVersion reads "3", "v3" or a tag name.
func ParseVersion(s string) (int, error) {
	s = s[strings.LastIndexByte(s, '/')+1:]
	n, err := strconv.Atoi(strings.TrimPrefix(s, "v"))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("invalid version %q: expected a number such as 3 or v3", s)
	}
	return n, nil
}

// Contents is what a version records.
type Contents struct {
	// Files maps archive paths ("source/policy.yaml",
	// "rendered/policy.en.pdf", "verdict.json") to contents.
	Files map[string][]byte
	// Level is the verdict against the previous version, if any.
	Level string
	// ShortNoticeReason explains a significant release with less notice
	// than the policy promises.
	ShortNoticeReason string
	// Translations and AllowStale are recorded in the metadata as given.
	Translations *policy.TranslationRecord
	AllowStale   []string
}

// ReleaseOptions describe a new version.
type ReleaseOptions struct {
	Updated, Effective policy.Date
	Imported           bool
	// Contents produces the version for its number, which is printed in
	// the rendered documents and fixed only under the release lock.
	Contents func(version int) (Contents, error)
	// Author signs the commit and tag; default: the repository's user.
	Author *object.Signature
	// Source, when set, is the policy directory's state recorded with the
	// version (its commit and whether it was clean); otherwise the HEAD
	// commit is recorded when the whole work tree is clean.
	Source *SourceState
	// Policyc and ApprovedBy are recorded as they are (see Metadata).
	Policyc    string
	ApprovedBy []string
}

// Next is the number the next release will get.
func (a *Archive) Next() (int, error) {
	vs, err := a.Versions()
	if err != nil || len(vs) == 0 {
		return 1, err
	}
	return vs[0].Version + 1, nil
}

// Release records a new version. It takes the release lock, refuses an
// unchanged model or an effective date earlier than the latest version's,
// writes every object, and only then moves the archive ref and the tag.
func (a *Archive) Release(o ReleaseOptions) (Version, error) {
	unlock, err := a.lock()
	if err != nil {
		return Version{}, err
	}
	defer unlock()
	if err := a.recoverLocked(); err != nil {
		return Version{}, err
	}
	vs, err := a.Versions()
	if err != nil {
		return Version{}, err
	}
	n, parent := 1, plumbing.ZeroHash
	if len(vs) > 0 {
		n, parent = vs[0].Version+1, vs[0].Commit
	}
	contents, err := o.Contents(n)
	if err != nil {
		return Version{}, err
	}
	files := contents.Files
	m := Metadata{Format: MetadataFormat, Policy: a.policyID, Version: n, Updated: o.Updated.String(), Effective: o.Effective.String(),
		Imported: o.Imported, SourceDigest: sourceDigest(files), SourceCommit: a.sourceCommit(),
		Level: contents.Level, ShortNoticeReason: contents.ShortNoticeReason,
		Translations: contents.Translations, AllowStale: contents.AllowStale, Policyc: o.Policyc, ApprovedBy: o.ApprovedBy}
	if o.Source != nil {
		clean := o.Source.Clean()
		m.SourceCommit, m.SourceClean = o.Source.Commit, &clean
	}
	if o.Imported {
		// An imported version has no model: its content is the file itself.
		m.SourceDigest, m.SourceCommit = contentDigest(files), ""
	}
	if len(vs) > 0 {
		last := vs[0]
		m.Previous = last.Record
		if last.SourceDigest == m.SourceDigest {
			return Version{}, fmt.Errorf("%w: version %d has the same content", ErrUnchanged, last.Version)
		}
		if prev, err := policy.ParseDate(last.Effective); err == nil && o.Effective.Before(prev) {
			return Version{}, fmt.Errorf("effective date %s is earlier than version %d's (%s)", o.Effective, last.Version, last.Effective)
		}
	}
	if err := a.preflight(n, parent); err != nil {
		return Version{}, err
	}
	hashes := map[string]plumbing.Hash{}
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		h, err := a.st.blob(files[p])
		if err != nil {
			return Version{}, err
		}
		hashes[p] = h
		m.Files = append(m.Files, FileEntry{Path: p, SHA256: digest(files[p]), Size: len(files[p])})
	}
	meta, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Version{}, err
	}
	if hashes[MetadataFile], err = a.st.blob(append(meta, '\n')); err != nil {
		return Version{}, err
	}
	tree, err := a.st.writeTree(hashes)
	if err != nil {
		return Version{}, err
	}
	sig := a.signature(o)
	commit := &object.Commit{Author: sig, Committer: sig, TreeHash: tree,
		Message: fmt.Sprintf("%s version %d\n\nUpdated %s, effective %s.\n", a.policyID, n, m.Updated, m.Effective)}
	if !parent.IsZero() {
		commit.ParentHashes = []plumbing.Hash{parent}
	}
	ch, err := a.st.encode("commit", commit)
	if err != nil {
		return Version{}, err
	}
	tag := &object.Tag{Name: TagName(a.policyID, n), Tagger: sig, TargetType: plumbing.CommitObject, Target: ch,
		Message: fmt.Sprintf("%s version %d, effective %s\n", a.policyID, n, m.Effective)}
	th, err := a.st.encode("tag", tag)
	if err != nil {
		return Version{}, err
	}
	// Every object is written; record the intent, then move the refs.
	j := journal{Version: n, Ref: ArchiveRef(a.policyID).String(), New: ch.String(), Old: parent.String(), Tag: tag.Name, TagObject: th.String()}
	if err := a.writeJournal(j); err != nil {
		return Version{}, err
	}
	if err := a.finish(j); err != nil {
		return Version{}, fmt.Errorf("version %d is written but its refs could not be moved (the next policyc command finishes or rolls it back, and says which): %w", n, err)
	}
	return Version{Metadata: m, Commit: ch, Record: digest(append(meta, '\n'))}, nil
}

// preflight checks, before anything is written, that version n can be
// recorded: the archive ref still points at parent, the tag name is free
// (and so is every directory on its path, as git stores refs), and the
// object store is writable. The refs themselves are both locked before
// either moves (see finish). A problem found only
// after the archive ref moved would leave a half-recorded version.
func (a *Archive) preflight(n int, parent plumbing.Hash) error {
	ref := ArchiveRef(a.policyID)
	cur, err := a.st.repo.Storer.Reference(ref)
	switch {
	case errors.Is(err, plumbing.ErrReferenceNotFound):
		if !parent.IsZero() {
			return fmt.Errorf("%s no longer exists: %w", ref, ErrRefChanged)
		}
	case err != nil:
		return err
	case cur.Hash() != parent:
		return fmt.Errorf("%s moved to %s: %w", ref, cur.Hash(), ErrRefChanged)
	}
	tag := plumbing.NewTagReferenceName(TagName(a.policyID, n))
	for p := tag.String(); strings.Count(p, "/") > 1; p = p[:strings.LastIndexByte(p, '/')] {
		if r, err := a.st.repo.Storer.Reference(plumbing.ReferenceName(p)); err == nil {
			if p == tag.String() {
				return fmt.Errorf("%w: the tag %s already exists (it points at %s) though the archive has no version %d; nothing was written: move that tag away (git tag -d %s) and release again",
					ErrTagTaken, tag.Short(), short(r.Hash()), n, tag.Short())
			}
			return fmt.Errorf("%w: the ref %s exists, so git cannot store the tag %s beneath it; nothing was written: rename %s and release again",
				ErrTagTaken, p, tag.Short(), p)
		}
	}
	// The probe is named as git names its temporary objects, so a kill
	// right here leaves a file git gc removes.
	f, err := os.CreateTemp(a.st.objectsDir(), "tmp_obj_policyc_*")
	if err != nil {
		return fmt.Errorf("cannot write to the repository's object store (nothing was written): %w", err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

func (a *Archive) signature(o ReleaseOptions) object.Signature {
	if o.Author != nil {
		return *o.Author
	}
	name, email := "policyc", "policyc@localhost"
	if cfg, err := a.st.repo.ConfigScoped(0); err == nil {
		if cfg.User.Name != "" {
			name = cfg.User.Name
		}
		if cfg.User.Email != "" {
			email = cfg.User.Email
		}
	}
	// The version's date, not the clock: the same release gives the same commit.
	when := o.Updated.Time()
	if o.Updated.IsZero() {
		when = o.Effective.Time()
	}
	return object.Signature{Name: name, Email: email, When: when.In(time.UTC)}
}

// sourceCommit is the commit HEAD points at when the work tree is clean.
func (a *Archive) sourceCommit() string {
	head, err := a.st.repo.Head()
	if err != nil {
		return ""
	}
	wt, err := a.st.repo.Worktree()
	if err != nil {
		return ""
	}
	st, err := wt.Status()
	if err != nil || !st.IsClean() {
		return ""
	}
	return head.Hash().String()
}

// Files returns every file of a version under a directory of its tree
// ("rendered/"), reading the tree once; each is checked as ReadFile checks.
func (a *Archive) Files(v Version, dir string) (map[string][]byte, error) {
	es, err := a.Entries(v, dir)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range es {
		b, err := a.Blob(e.Blob)
		if err != nil {
			return nil, err
		}
		out[e.Name] = b
	}
	return out, nil
}

// Entry is a file in a directory of a version's tree.
type Entry struct {
	Name string
	// Blob names the contents: equal blobs, equal bytes.
	Blob plumbing.Hash
}

// expectation is what a version's record says of a blob Entries listed.
type expectation struct {
	version int
	path    string
	entry   FileEntry
	listed  bool
}

// Entries lists the files directly under a directory of a version's tree
// ("rendered/"; "" for the top), without reading them. Blob and BlobInto
// then check each against what its version's record says.
func (a *Archive) Entries(v Version, dir string) ([]Entry, error) {
	t, err := a.tree(v)
	if err != nil {
		return nil, fmt.Errorf("%w: version %d: %w", ErrDamaged, v.Version, err)
	}
	if dir = strings.TrimSuffix(dir, "/"); dir != "" {
		if t, err = a.st.subtree(t, dir); err != nil {
			return nil, fmt.Errorf("version %d has no %s/: %w", v.Version, dir, err)
		}
	}
	var out []Entry
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.expect == nil {
		a.expect = map[plumbing.Hash][]expectation{}
	}
	for _, e := range t.Entries {
		if !e.Mode.IsFile() {
			continue
		}
		out = append(out, Entry{e.Name, e.Hash})
		p := e.Name
		if dir != "" {
			p = dir + "/" + e.Name
		}
		if p == MetadataFile {
			continue
		}
		f, listed := v.file(p)
		x := expectation{v.Version, p, f, listed}
		if !slices.Contains(a.expect[e.Hash], x) {
			a.expect[e.Hash] = append(a.expect[e.Hash], x)
		}
	}
	return out, nil
}

// Blob returns the contents of a file Entries listed, checked against the
// record of every version Entries listed it in: a mismatch is refused
// (ErrDamaged), naming the version and file.
func (a *Archive) Blob(h plumbing.Hash) ([]byte, error) { return a.BlobInto(h, nil) }

// BlobInto is Blob reading into buf's space when it is large enough: a
// caller copying many blobs out reuses its buffers.
func (a *Archive) BlobInto(h plumbing.Hash, buf []byte) ([]byte, error) {
	a.mu.Lock()
	xs := a.expect[h]
	a.mu.Unlock()
	b, err := a.st.readBlob(h, buf)
	if err != nil {
		if len(xs) > 0 {
			return nil, fmt.Errorf("version %d: %s: %w", xs[0].version, xs[0].path, err)
		}
		return nil, err
	}
	for _, x := range xs {
		if !x.listed {
			return nil, fmt.Errorf("%w: version %d: %s is not in the version's record", ErrDamaged, x.version, x.path)
		}
		if err := x.entry.check(b); err != nil {
			return nil, fmt.Errorf("%w: version %d: %s %w", ErrDamaged, x.version, x.path, err)
		}
	}
	return b, nil
}
