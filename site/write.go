package site

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/policyc/policyc/internal/parallel"
	"github.com/policyc/policyc/internal/rawfile"
)

// The manifest lists the files a build wrote with the key each was made
// from and its size and time as written, so the next build can leave
// unchanged files alone without reading them, and remove the files that are
// no longer part of the site (and nothing else). It is build state, not
// part of the site: it lives in the repository's policyc state directory,
// one per output directory, so the site itself holds only its pages and
// two builds of it are byte for byte the same.
//
// legacyManifest is where builds before that kept a list of names, in the
// site itself; it is read once and removed.
const legacyManifest = ".policyc-site.json"

// manifestPath is the manifest of the site built in out.
func manifestPath(stateDir, out string) string {
	abs, err := filepath.Abs(out)
	if err != nil {
		abs = out
	}
	h := sha256.Sum256([]byte(abs))
	return filepath.Join(stateDir, "site", hex.EncodeToString(h[:8])+".json")
}

type manifestEntry struct {
	// Key names the inputs: a blob id for a file copied from the archive,
	// a digest of the inputs for a computed page, or of the bytes.
	Key  string `json:"key"`
	Size int64  `json:"size"`
	Time int64  `json:"mtime"` // nanoseconds
}

// sink receives the site's files as they are made. A file whose key
// matches the previous build's, and which is still on disk as that build
// left it, is left alone; any other is written next to its place under a
// temporary name. Only when the whole build has succeeded are the files
// renamed into place (commit); a failed build removes its temporary files
// and the previous site stays as it was (abort).
type sink struct {
	out, manifest string
	prev          map[string]manifestEntry
	// final is, for a site built from nothing, the output directory: the
	// site is then built in out, a new directory beside it, with files
	// written in place, and renamed to final when the build succeeds.
	final string

	mu      sync.Mutex
	err     error
	now     map[string]manifestEntry
	pending map[string]string // final name → temporary file
	rep     Report

	dirMu sync.Mutex
	dirs  map[string]bool // the directories seen, true if this build created them
}

func newSink(out, manifest string) (*sink, error) {
	s := &sink{out: out, manifest: manifest, prev: map[string]manifestEntry{}, now: map[string]manifestEntry{},
		pending: map[string]string{}, dirs: map[string]bool{}}
	if stage, err := fromNothing(out); err != nil {
		return nil, err
	} else if stage {
		// Nothing to keep, compare or remove: build beside it, in place.
		tmp, err := stagingDir(out)
		if err != nil {
			return nil, err
		}
		s.final, s.out = out, tmp
		s.dirs[tmp] = true
		return s, nil
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	if data, err := os.ReadFile(manifest); err == nil {
		json.Unmarshal(data, &s.prev)
	}
	if data, err := os.ReadFile(filepath.Join(out, legacyManifest)); err == nil {
		// An older build's list of names: no keys, but removal still works.
		var names []string
		json.Unmarshal(data, &names)
		for _, n := range names {
			if _, ok := s.prev[n]; !ok {
				s.prev[n] = manifestEntry{}
			}
		}
		s.prev[legacyManifest] = manifestEntry{}
	}
	return s, nil
}

// fromNothing says whether the site is built from nothing: out does not
// exist, or is an empty directory (not a link to one) other than the
// current or a root directory.
func fromNothing(out string) (bool, error) {
	clean := filepath.Clean(out)
	if base := filepath.Base(clean); base == "." || base == ".." || base == string(filepath.Separator) {
		return false, nil
	}
	st, err := os.Lstat(clean)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil || !st.IsDir() {
		return false, err
	}
	f, err := os.Open(clean)
	if err != nil {
		return false, err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	return len(names) == 0 && errors.Is(err, io.EOF), nil
}

// stagingDir makes a new directory beside out for its first build.
func stagingDir(out string) (string, error) {
	clean := filepath.Clean(out)
	if err := os.MkdirAll(filepath.Dir(clean), 0o755); err != nil {
		return "", err
	}
	for i := 0; ; i++ {
		dir := filepath.Join(filepath.Dir(clean), fmt.Sprintf(".%s.tmp-%d-%d", filepath.Base(clean), os.Getpid(), i))
		err := os.Mkdir(dir, 0o755)
		if !errors.Is(err, fs.ErrExist) {
			return dir, err
		}
	}
}

func (s *sink) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

func (s *sink) names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.now))
}

// cached says whether the file made from key is already in place: the
// previous build made it from the same key and nobody has touched it since.
// It is then part of this build too.
func (s *sink) cached(name, key string) bool {
	e, ok := s.prev[name] // empty for a site built from nothing
	if !ok || e.Key == "" || e.Key != key {
		return false
	}
	st, err := os.Stat(filepath.Join(s.out, filepath.FromSlash(name)))
	if err != nil || !st.Mode().IsRegular() || st.Size() != e.Size || st.ModTime().UnixNano() != e.Time {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now[name] = e
	s.rep.Unchanged++
	return true
}

// put adds a file whose key is its content.
func (s *sink) put(name string, data []byte) {
	h := sha256.Sum256(data)
	s.putKeyed(name, "sha256:"+hex.EncodeToString(h[:]), data)
}

// putKeyed adds a file made from key.
func (s *sink) putKeyed(name, key string, data []byte) {
	if s.cached(name, key) {
		return
	}
	path := filepath.Join(s.out, filepath.FromSlash(name))
	fresh, err := s.dir(filepath.Dir(path))
	if err != nil {
		s.fail(err)
		return
	}
	if !fresh && s.mayBeSame(name, key) {
		if old, err := rawfile.ReadFile(path); err == nil && bytes.Equal(old, data) {
			// Same bytes from another key (or an older manifest): keep the
			// file and its time, and remember the key.
			if st, err := os.Stat(path); err == nil {
				s.mu.Lock()
				s.now[name] = manifestEntry{key, st.Size(), st.ModTime().UnixNano()}
				s.rep.Unchanged++
				s.mu.Unlock()
				return
			}
		}
	}
	if s.final != "" {
		// A site built from nothing is not visible until it is renamed into
		// place: its files are written where they belong.
		s.mu.Lock()
		_, again := s.now[name]
		if again {
			os.Remove(path)
		}
		s.mu.Unlock()
		mtime, err := rawfile.WriteNew(path, data, 0o644)
		if err != nil {
			s.fail(err)
			return
		}
		s.mu.Lock()
		s.now[name] = manifestEntry{Key: key, Size: int64(len(data)), Time: mtime}
		if !again {
			s.rep.Written++
		}
		s.mu.Unlock()
		return
	}
	tmp := tempName(path)
	mtime, err := rawfile.WriteNew(tmp, data, 0o644)
	if err != nil {
		s.fail(err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.pending[name]; ok {
		os.Remove(old)
	}
	s.pending[name] = tmp
	s.now[name] = manifestEntry{Key: key, Size: int64(len(data)), Time: mtime}
}

// dir makes sure a directory of the site exists, and says whether this
// build created it: then it holds no file of the site yet (new files stay
// under temporary names until the build commits).
func (s *sink) dir(dir string) (fresh bool, err error) {
	s.dirMu.Lock() // one creator at a time, so that the one that made it says so
	defer s.dirMu.Unlock()
	fresh, known := s.dirs[dir]
	if known {
		return fresh, nil
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return false, err
		}
		fresh = true
	}
	s.dirs[dir] = fresh
	return fresh, nil
}

// mayBeSame says whether the file in place could hold what the build is
// about to write under a new key. It cannot when the previous build wrote
// it from a different key of the same kind that names the contents
// (another blob, other bytes); it can when the key names inputs (a
// comparison made by another build of policyc may come out the same), or
// when the previous build is unknown.
func (s *sink) mayBeSame(name, key string) bool {
	e, ok := s.prev[name]
	if !ok || e.Key == "" {
		return true
	}
	kind := func(k string) string { return k[:strings.IndexByte(k+":", ':')] }
	switch kind(key) {
	case "blob", "sha256":
		return kind(e.Key) != kind(key)
	}
	return true
}

// abort removes what the build wrote; the previous site is untouched.
func (s *sink) abort() {
	if s.final != "" {
		os.RemoveAll(s.out)
		return
	}
	for _, tmp := range s.pending {
		os.Remove(tmp)
	}
	// Then the directories the build created, deepest first (os.Remove
	// leaves any that is not empty).
	var made []string
	for dir, fresh := range s.dirs {
		if fresh {
			made = append(made, dir)
		}
	}
	slices.SortFunc(made, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for _, dir := range made {
		for d := dir; d != s.out && strings.HasPrefix(d, s.out); d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break
			}
		}
	}
}

// commit renames every new file into place, removes the files of the
// previous build that are no longer part of the site, and records the
// manifest.
func (s *sink) commit() (Report, error) {
	if s.err != nil {
		s.abort()
		return s.rep, s.err
	}
	// Renamed into place, not synced: a reader sees the old page or the
	// new one; syncing each of thousands of pages would cost more than it
	// buys for a site that can be rebuilt. A file keeps the modification
	// time it was written with. Renames and removals run on every core.
	var tasks []func() error
	for n, tmp := range s.pending {
		path := filepath.Join(s.out, filepath.FromSlash(n))
		tasks = append(tasks, func() error { return os.Rename(tmp, path) })
	}
	var removed atomic.Int64
	for n := range s.prev {
		if _, ok := s.now[n]; ok || !filepath.IsLocal(n) {
			continue
		}
		path := filepath.Join(s.out, filepath.FromSlash(n))
		tasks = append(tasks, func() error {
			err := os.Remove(path)
			if err == nil {
				removed.Add(1)
			} else if errors.Is(err, fs.ErrNotExist) {
				err = nil
			}
			return err
		})
	}
	err := parallel.Run(tasks)
	s.rep.Written += len(s.pending)
	s.rep.Removed = int(removed.Load())
	if err != nil {
		s.abort() // what is left of the temporary files
		return s.rep, err
	}
	if s.final != "" {
		// An empty directory stood in the way; anything in it now came
		// from elsewhere during the build, and is not ours to replace.
		if err := os.Remove(s.final); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.abort()
			return s.rep, fmt.Errorf("%s: %w (something wrote into it during the build)", s.final, err)
		}
		if err := os.Rename(s.out, s.final); err != nil {
			s.abort()
			return s.rep, err
		}
	}
	s.rep.Files = len(s.now)
	data, _ := json.MarshalIndent(s.now, "", " ")
	if err := os.MkdirAll(filepath.Dir(s.manifest), 0o755); err != nil {
		return s.rep, err
	}
	// Not synced: a manifest lost in a crash costs the next build time,
	// not correctness (it is only ever trusted together with each file's
	// size and time).
	return s.rep, writeFile(s.manifest, data, 0o644, false)
}

// WriteFileAtomic writes data to name through a temporary file in the same
// directory, synced, and a rename, so a reader sees the old file or the new
// one, never a part of it; a failed write leaves the old file untouched.
func WriteFileAtomic(name string, data []byte, perm os.FileMode) error {
	return writeFile(name, data, perm, true)
}

// writeFile writes data to name through a temporary file beside it and a
// rename, synced first if sync.
func writeFile(name string, data []byte, perm os.FileMode, sync bool) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

var temps atomic.Int64

// tempName is a name beside path for its new contents, unique to this
// process and call (WriteNew refuses to clobber anything that has it).
func tempName(path string) string {
	return filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.tmp-%d-%d", filepath.Base(path), os.Getpid(), temps.Add(1)))
}
