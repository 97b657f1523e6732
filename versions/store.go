package versions

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/klauspost/compress/zlib"

	"github.com/policyc/policyc/internal/rawfile"
)

// store is the storage-facing layer: it writes blobs, trees, commits and
// tags into a repository's object database and moves references with git's
// own lock-file protocol. It never touches a work tree or the index.
type store struct {
	repo *git.Repository
	// gitDir is the work tree's git directory; commonDir the directory
	// every work tree shares, where objects, refs and policyc's state live.
	gitDir, commonDir string
	// fault, when set by tests, is called before each write and may fail it,
	// to show that a release interrupted anywhere leaves no half version.
	fault func(step string) error

	goGit sync.Mutex

	// Commits and trees read, by hash: objects never change, and a build
	// of the site asks for the same few many times.
	memoMu  sync.Mutex
	commits map[plumbing.Hash]*object.Commit
	trees   map[plumbing.Hash]*object.Tree
}

// memo returns m[h], or reads it once and remembers it.
func memo[T any](s *store, m *map[plumbing.Hash]*T, h plumbing.Hash, read func(plumbing.Hash) (*T, error)) (*T, error) {
	s.memoMu.Lock()
	v, ok := (*m)[h]
	s.memoMu.Unlock()
	if ok {
		return v, nil
	}
	v, err := read(h)
	if err != nil {
		return nil, err
	}
	s.memoMu.Lock()
	if *m == nil {
		*m = map[plumbing.Hash]*T{}
	}
	(*m)[h] = v
	s.memoMu.Unlock()
	return v, nil
}

func (s *store) step(name string) error {
	if s.fault != nil {
		return s.fault(name)
	}
	return nil
}

// blob writes data as a blob.
func (s *store) blob(data []byte) (plumbing.Hash, error) {
	if err := s.step("blob"); err != nil {
		return plumbing.ZeroHash, err
	}
	obj := s.repo.Storer.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.repo.Storer.SetEncodedObject(obj)
}

// encode writes any encodable object (tree, commit, tag).
func (s *store) encode(kind string, o interface {
	Encode(plumbing.EncodedObject) error
}) (plumbing.Hash, error) {
	if err := s.step(kind); err != nil {
		return plumbing.ZeroHash, err
	}
	obj := s.repo.Storer.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.repo.Storer.SetEncodedObject(obj)
}

// writeTree writes nested trees for a set of files, keyed by slash-separated path.
func (s *store) writeTree(files map[string]plumbing.Hash) (plumbing.Hash, error) {
	type node struct {
		files map[string]plumbing.Hash
		dirs  map[string]*node
	}
	newNode := func() *node { return &node{files: map[string]plumbing.Hash{}, dirs: map[string]*node{}} }
	root := newNode()
	for p, h := range files {
		parts := strings.Split(p, "/")
		n := root
		for _, d := range parts[:len(parts)-1] {
			if n.dirs[d] == nil {
				n.dirs[d] = newNode()
			}
			n = n.dirs[d]
		}
		n.files[parts[len(parts)-1]] = h
	}
	var write func(n *node) (plumbing.Hash, error)
	write = func(n *node) (plumbing.Hash, error) {
		var entries []object.TreeEntry
		for name, h := range n.files {
			entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: h})
		}
		for name, d := range n.dirs {
			h, err := write(d)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
		}
		// Git orders entries by name, directories as if they ended in "/".
		sort.Slice(entries, func(i, j int) bool { return treeKey(entries[i]) < treeKey(entries[j]) })
		return s.encode("tree", &object.Tree{Entries: entries})
	}
	return write(root)
}

func treeKey(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

// ErrRefChanged means a reference moved between reading and updating it:
// another release got there first.
var ErrRefChanged = errors.New("reference changed")

// refLock is a reference being updated with git's protocol: name.lock is
// created exclusively and holds the new value, fsynced; renaming it over
// the reference commits. A crash leaves the old value or the new one,
// never a partial file.
type refLock struct {
	name       plumbing.ReferenceName
	path, lock string
}

// lockRef prepares pointing name at h if it still points at old (zero: must
// not exist). A lock file older than staleBefore, still there after git's
// own lock timeout, is one an interrupted release left behind (policyc
// takes these locks only under its release lock, which it now holds): it
// is removed and note is told. Any other lock means another git process
// is at work.
func (s *store) lockRef(name plumbing.ReferenceName, h, old plumbing.Hash, staleBefore time.Time, note func(string)) (*refLock, error) {
	if err := s.step("lock " + name.String()); err != nil {
		return nil, err
	}
	path := filepath.Join(s.commonDir, filepath.FromSlash(name.String()))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	l := &refLock{name: name, path: path, lock: path + ".lock"}
	var f *os.File
	for wait := time.Duration(0); ; wait += 50 * time.Millisecond {
		var err error
		f, err = os.OpenFile(l.lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		// git waits up to core.filesRefLockTimeout (100 ms) for a ref lock.
		if wait < 100*time.Millisecond {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		st, serr := os.Stat(l.lock)
		if serr != nil || !st.ModTime().Before(staleBefore) {
			return nil, fmt.Errorf("%s is locked by another git process (%s exists): %w", name, l.lock, ErrRefChanged)
		}
		if err := os.Remove(l.lock); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		note(fmt.Sprintf("removed %s, left by an interrupted release", l.lock))
		wait = 0
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(l.lock)
		}
	}()
	cur, err := s.repo.Storer.Reference(name)
	switch {
	case errors.Is(err, plumbing.ErrReferenceNotFound):
		if !old.IsZero() {
			return nil, fmt.Errorf("%s no longer exists: %w", name, ErrRefChanged)
		}
	case err != nil:
		return nil, err
	case old.IsZero():
		return nil, fmt.Errorf("%s already exists (it points at %s): %w", name, cur.Hash(), ErrRefChanged)
	case cur.Hash() != old:
		return nil, fmt.Errorf("%s moved to %s: %w", name, cur.Hash(), ErrRefChanged)
	}
	if _, err := io.WriteString(f, h.String()+"\n"); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	ok = true
	return l, nil
}

// commit moves the reference.
func (s *store) commitRef(l *refLock) error {
	if err := s.step("rename " + l.name.String()); err != nil {
		return err
	}
	return os.Rename(l.lock, l.path)
}

// abort gives up an update prepared by lockRef.
func (l *refLock) abort() { os.Remove(l.lock) }

// deleteLooseRef removes a loose reference if it still points at h.
func (s *store) deleteLooseRef(name plumbing.ReferenceName, h plumbing.Hash) error {
	path := filepath.Join(s.commonDir, filepath.FromSlash(name.String()))
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(b)) != h.String() {
		return fmt.Errorf("%s points at %s: %w", name, strings.TrimSpace(string(b)), ErrRefChanged)
	}
	return os.Remove(path)
}

// readBlob returns a blob's contents. Loose objects, which every release
// writes, are read directly: one open, one inflate into a buffer of the
// size the header gives, with a reused decompressor. Packed objects go
// through go-git. Either way the contents are hashed again and must give
// the object's name: a swapped or altered object file is damage, never
// other bytes.
func (s *store) readBlob(h plumbing.Hash, dst []byte) ([]byte, error) {
	return s.readObject(h, plumbing.BlobObject, dst)
}

// readObject returns the contents of an object of type t, checked against
// its name.
func (s *store) readObject(h plumbing.Hash, t plumbing.ObjectType, dst []byte) ([]byte, error) {
	data, ok := s.readLoose(h, t.String(), dst)
	if !ok {
		var err error
		if data, err = s.readPacked(h, t, dst); err != nil {
			return nil, err
		}
	}
	if got := objectID(t, data); got != h {
		return nil, fmt.Errorf("%w: the %s %s holds content whose object name is %s (the object store was altered)", ErrDamaged, t, h, got)
	}
	return data, nil
}

// readPacked has go-git read an object (packed, or a loose one readLoose
// did not take).
func (s *store) readPacked(h plumbing.Hash, t plumbing.ObjectType, dst []byte) ([]byte, error) {
	s.goGit.Lock() // its object reads are not safe for concurrent use
	defer s.goGit.Unlock()
	o, err := s.repo.Storer.EncodedObject(t, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, fmt.Errorf("%w: the %s %s is missing", ErrDamaged, t, h)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: the %s %s is unreadable: %w", ErrDamaged, t, h, err)
	}
	r, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("%w: the %s %s is unreadable: %w", ErrDamaged, t, h, err)
	}
	defer r.Close()
	buf := bytes.NewBuffer(dst[:0])
	buf.Grow(int(o.Size()))
	if _, err := io.Copy(buf, r); err != nil {
		return nil, fmt.Errorf("%w: the %s %s is unreadable: %w", ErrDamaged, t, h, err)
	}
	return buf.Bytes(), nil
}

// objectID is git's name for an object: the SHA-1 of its type, size and
// contents.
func objectID(t plumbing.ObjectType, data []byte) plumbing.Hash {
	h := sha1.New()
	h.Write([]byte(t.String() + " " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	var out plumbing.Hash
	h.Sum(out[:0])
	return out
}

// readCommit reads a commit object (checked as readBlob checks). Its tree
// is read with s.readTree, not Commit.Tree.
func (s *store) readCommit(h plumbing.Hash) (*object.Commit, error) {
	return memo(s, &s.commits, h, func(h plumbing.Hash) (*object.Commit, error) {
		return decode[object.Commit](s, h, plumbing.CommitObject)
	})
}

// readTree reads a tree object (checked). Its subtrees are read with
// s.find, not with the Tree's own methods.
func (s *store) readTree(h plumbing.Hash) (*object.Tree, error) {
	return memo(s, &s.trees, h, func(h plumbing.Hash) (*object.Tree, error) {
		return decode[object.Tree](s, h, plumbing.TreeObject)
	})
}

// readTag reads an annotated tag object (checked).
func (s *store) readTag(h plumbing.Hash) (*object.Tag, error) {
	return decode[object.Tag](s, h, plumbing.TagObject)
}

// decode reads an object and decodes it with go-git's decoder.
func decode[T any, P interface {
	*T
	Decode(plumbing.EncodedObject) error
}](s *store, h plumbing.Hash, t plumbing.ObjectType) (P, error) {
	data, err := s.readObject(h, t, nil)
	if err != nil {
		return nil, err
	}
	o := P(new(T))
	if err := o.Decode(memoryObject(t, h, data)); err != nil {
		return nil, fmt.Errorf("%w: the %s %s cannot be decoded: %w", ErrDamaged, t, h, err)
	}
	return o, nil
}

// memoryObject wraps an object read from disk for go-git's decoders. Its
// hash is the one it was read by, which readObject has checked.
func memoryObject(t plumbing.ObjectType, h plumbing.Hash, data []byte) plumbing.EncodedObject {
	o := &hashedObject{}
	o.SetType(t)
	o.Write(data)
	o.h = h
	return o
}

type hashedObject struct {
	plumbing.MemoryObject
	h plumbing.Hash
}

func (o *hashedObject) Hash() plumbing.Hash { return o.h }

// find returns the entry at a slash-separated path under a tree.
func (s *store) find(t *object.Tree, path string) (object.TreeEntry, error) {
	for {
		dir, rest, more := strings.Cut(path, "/")
		var found *object.TreeEntry
		for i := range t.Entries {
			if t.Entries[i].Name == dir {
				found = &t.Entries[i]
				break
			}
		}
		if found == nil {
			return object.TreeEntry{}, fmt.Errorf("%w: %s", object.ErrEntryNotFound, path)
		}
		if !more {
			return *found, nil
		}
		if found.Mode != filemode.Dir {
			return object.TreeEntry{}, fmt.Errorf("%w: %s", object.ErrEntryNotFound, path)
		}
		sub, err := s.readTree(found.Hash)
		if err != nil {
			return object.TreeEntry{}, err
		}
		t, path = sub, rest
	}
}

// subtree returns the tree at a slash-separated path under a tree.
func (s *store) subtree(t *object.Tree, path string) (*object.Tree, error) {
	e, err := s.find(t, path)
	if err != nil {
		return nil, err
	}
	if e.Mode != filemode.Dir {
		return nil, fmt.Errorf("%s is not a directory", path)
	}
	return s.readTree(e.Hash)
}

// objectsDir is where loose objects live: the common directory's, for a
// linked work tree.
func (s *store) objectsDir() string { return filepath.Join(s.commonDir, "objects") }

var (
	inflaters  sync.Pool // of io.ReadCloser that are also zlib.Resetter
	compressed sync.Pool // of *[]byte, for reading loose objects
)

// readLoose reads a loose object of the given kind ("blob", "tree",
// "commit"), into dst's space when it is large enough; false means the
// caller should ask go-git, which also explains any error.
func (s *store) readLoose(h plumbing.Hash, kind string, dst []byte) ([]byte, bool) {
	hex := h.String()
	rawBuf, _ := compressed.Get().(*[]byte)
	if rawBuf == nil {
		rawBuf = new([]byte)
	}
	defer compressed.Put(rawBuf)
	raw, err := rawfile.ReadFileInto(filepath.Join(s.objectsDir(), hex[:2], hex[2:]), *rawBuf)
	if err != nil {
		return nil, false
	}
	*rawBuf = raw
	br := bytes.NewReader(raw)
	var zr io.ReadCloser
	if z, ok := inflaters.Get().(io.ReadCloser); ok && z.(zlib.Resetter).Reset(br, nil) == nil {
		zr = z
	} else if zr, err = zlib.NewReader(br); err != nil {
		return nil, false
	}
	defer inflaters.Put(zr)
	var head [32]byte
	n := 0
	for {
		if n == len(head) {
			return nil, false
		}
		if _, err := io.ReadFull(zr, head[n:n+1]); err != nil {
			return nil, false
		}
		if head[n] == 0 {
			break
		}
		n++
	}
	size, ok := strings.CutPrefix(string(head[:n]), kind+" ")
	if !ok {
		return nil, false
	}
	sz, err := strconv.ParseInt(size, 10, 64)
	if err != nil || sz < 0 || sz > 1<<31 {
		return nil, false
	}
	data := dst[:0]
	if int64(cap(data)) < sz {
		data = make([]byte, sz)
	}
	data = data[:sz]
	if _, err := io.ReadFull(zr, data); err != nil {
		return nil, false
	}
	// Nothing may follow the contents, and the checksum must hold.
	if n, err := zr.Read(head[:1]); n != 0 || err != io.EOF {
		return nil, false
	}
	return data, true
}
