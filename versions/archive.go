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
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
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
)

// Archive is the archive of one policy in a git repository.
type Archive struct {
	st       *store
	policyID string
	workDir  string // the repository's work tree root, "" when bare
}

// Open opens the archive of a policy in the repository that holds dir.
func Open(dir, policyID string) (*Archive, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("%w: %s (start one with: git init)", ErrNoRepository, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open the git repository holding %s: %w", dir, explainOpenError(err))
	}
	gitDir, workDir, err := locate(repo)
	if err != nil {
		return nil, err
	}
	if err := checkSupported(gitDir); err != nil {
		return nil, err
	}
	a := &Archive{st: &store{repo: repo, gitDir: gitDir}, policyID: policyID, workDir: workDir}
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

// locate finds the git directory and work tree of an opened repository.
func locate(repo *git.Repository) (gitDir, workDir string, err error) {
	if wt, err := repo.Worktree(); err == nil {
		workDir = wt.Filesystem.Root()
		gitDir = filepath.Join(workDir, ".git")
		if st, err := os.Stat(gitDir); err == nil && !st.IsDir() {
			// A linked work tree or submodule: .git is a file naming the directory.
			b, _ := os.ReadFile(gitDir)
			if rest, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir: "); ok {
				if !filepath.IsAbs(rest) {
					rest = filepath.Join(workDir, rest)
				}
				gitDir = rest
			}
		}
		return gitDir, workDir, nil
	}
	return "", "", fmt.Errorf("policyc needs a repository with a work tree")
}

// checkSupported refuses repositories whose configuration the git library
// would silently misread.
func checkSupported(gitDir string) error {
	b, err := os.ReadFile(filepath.Join(gitDir, "config"))
	if err != nil {
		return nil
	}
	cfg := strings.ToLower(string(b))
	for _, ext := range []string{"worktreeconfig", "objectformat", "refstorage", "partialclone"} {
		if strings.Contains(cfg, ext) {
			return fmt.Errorf("the repository uses the git extension %q, which policyc's git library (go-git) does not support; archive the policy in a repository without it", ext)
		}
	}
	if _, err := os.Stat(filepath.Join(gitDir, "info", "sparse-checkout")); err == nil {
		return fmt.Errorf("the repository uses a sparse checkout, which policyc's git library (go-git) does not support; archive the policy in a full checkout")
	}
	return nil
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
	SourceCommit      string `json:"source_commit,omitempty"`
	// SourceClean tells whether the policy directory was exactly as
	// committed in SourceCommit; absent from versions that predate it.
	SourceClean *bool `json:"source_clean,omitempty"`
	// Policyc describes the build of policyc that made the version.
	Policyc string `json:"policyc,omitempty"`
	// ApprovedBy names who signed the release off, in the order given.
	ApprovedBy   []string    `json:"approved_by,omitempty"`
	SourceDigest string      `json:"source_digest"`
	Files        []FileEntry `json:"files"`
}

// Version is an archived version.
type Version struct {
	Metadata
	Commit plumbing.Hash
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
			return nil, fmt.Errorf("archive commit %s: %w", h, err)
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
			m, err := a.metadata(c)
			if err != nil {
				errs[i] = fmt.Errorf("archive commit %s: %w", c.Hash, err)
			}
			out[i] = Version{Metadata: m, Commit: c.Hash}
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

func (a *Archive) metadata(c *object.Commit) (Metadata, error) {
	var m Metadata
	t, err := a.st.readTree(c.TreeHash)
	if err != nil {
		return m, err
	}
	e, err := a.st.find(t, MetadataFile)
	if err != nil {
		return m, fmt.Errorf("no %s: %w", MetadataFile, err)
	}
	b, err := a.st.readBlob(e.Hash, nil)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", MetadataFile, err)
	}
	return m, nil
}

// Version returns version n. It goes straight to the version's tag when the
// tag names that version, and walks the history otherwise (a moved or
// missing tag is verify's business, not a reason to fail a read).
func (a *Archive) Version(n int) (Version, error) {
	if ref, err := a.st.repo.Storer.Reference(plumbing.NewTagReferenceName(TagName(a.policyID, n))); err == nil {
		if h, err := a.tagTarget(ref.Hash()); err == nil {
			if c, err := a.st.readCommit(h); err == nil {
				if m, err := a.metadata(c); err == nil && m.Version == n && m.Policy == a.policyID && a.onChain(h) {
					return Version{Metadata: m, Commit: h}, nil
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

// ReadFile returns a file of a version exactly as archived.
func (a *Archive) ReadFile(v Version, path string) ([]byte, error) {
	t, err := a.tree(v)
	if err != nil {
		return nil, err
	}
	e, err := a.st.find(t, path)
	if err != nil || !e.Mode.IsFile() {
		return nil, fmt.Errorf("version %d has no file %s", v.Version, path)
	}
	return a.st.readBlob(e.Hash, nil)
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
		Level: contents.Level, ShortNoticeReason: contents.ShortNoticeReason, Policyc: o.Policyc, ApprovedBy: o.ApprovedBy}
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
		if last.SourceDigest == m.SourceDigest {
			return Version{}, fmt.Errorf("%w: version %d has the same content", ErrUnchanged, last.Version)
		}
		if prev, err := policy.ParseDate(last.Effective); err == nil && o.Effective.Before(prev) {
			return Version{}, fmt.Errorf("effective date %s is earlier than version %d's (%s)", o.Effective, last.Version, last.Effective)
		}
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
	j := journal{Ref: ArchiveRef(a.policyID).String(), New: ch.String(), Old: parent.String(), Tag: tag.Name, TagObject: th.String()}
	if err := a.writeJournal(j); err != nil {
		return Version{}, err
	}
	if err := a.finish(j); err != nil {
		return Version{}, err
	}
	return Version{Metadata: m, Commit: ch}, nil
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
// ("rendered/"), reading the tree once.
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

// Entries lists the files directly under a directory of a version's tree
// ("rendered/"; "" for the top), without reading them.
func (a *Archive) Entries(v Version, dir string) ([]Entry, error) {
	t, err := a.tree(v)
	if err != nil {
		return nil, err
	}
	if dir = strings.TrimSuffix(dir, "/"); dir != "" {
		if t, err = a.st.subtree(t, dir); err != nil {
			return nil, fmt.Errorf("version %d has no %s/: %w", v.Version, dir, err)
		}
	}
	var out []Entry
	for _, e := range t.Entries {
		if e.Mode.IsFile() {
			out = append(out, Entry{e.Name, e.Hash})
		}
	}
	return out, nil
}

// Blob returns the contents of a file Entries listed.
func (a *Archive) Blob(h plumbing.Hash) ([]byte, error) { return a.st.readBlob(h, nil) }

// BlobInto is Blob reading into buf's space when it is large enough: a
// caller copying many blobs out reuses its buffers.
func (a *Archive) BlobInto(h plumbing.Hash, buf []byte) ([]byte, error) {
	return a.st.readBlob(h, buf)
}
