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
	"strconv"
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
// two builds of it are byte for byte the same. Nothing found in the output
// directory is taken for a manifest: whoever can write there must not be
// able to make a build remove files.

// ErrLink means a build met a symbolic link, or something else than a
// directory, where the site has a directory: the site is written only
// inside its output directory, never through a link.
var ErrLink = errors.New("is not a directory of the site (a symbolic link or a file); the site is written only inside its output directory, never through a link: remove it")

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
	removeStale(out, filepath.Dir(manifest))
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
	s.out = filepath.Clean(out)
	s.dirs[s.out] = false
	if data, err := os.ReadFile(manifest); err == nil {
		json.Unmarshal(data, &s.prev)
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
	path := filepath.Join(s.out, filepath.FromSlash(name))
	// Checked, not made: a directory is made only when a file is written
	// into it, so that a build killed meanwhile leaves none empty.
	s.dirMu.Lock()
	fresh, err := s.walkDir(filepath.Dir(path), false)
	s.dirMu.Unlock()
	if err != nil || fresh {
		return false // an error is the build's when it writes the file
	}
	st, err := os.Lstat(path)
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
	if !fresh && s.mayBeSame(name, key) && isRegular(path) {
		if old, err := rawfile.ReadFile(path); err == nil && bytes.Equal(old, data) {
			// Same bytes from another key (or an older manifest): keep the
			// file and its time, and remember the key.
			if st, err := os.Lstat(path); err == nil && st.Mode().IsRegular() {
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
// under temporary names until the build commits). Every directory between
// the output directory and dir must be a directory, not a link to one
// (Lstat): a link could lead the build to write outside the site.
func (s *sink) dir(dir string) (fresh bool, err error) {
	s.dirMu.Lock() // one creator at a time, so that the one that made it says so
	defer s.dirMu.Unlock()
	return s.walkDir(dir, true)
}

// inside checks that dir is a directory of the site reached through
// directories only, creating nothing.
func (s *sink) inside(dir string) error {
	s.dirMu.Lock()
	defer s.dirMu.Unlock()
	_, err := s.walkDir(dir, false)
	return err
}

// walkDir checks dir and the directories above it up to the output
// directory, remembering each; with create, it makes the missing ones.
func (s *sink) walkDir(dir string, create bool) (fresh bool, err error) {
	if fresh, known := s.dirs[dir]; known {
		return fresh, nil
	}
	if !s.within(dir) {
		return false, fmt.Errorf("%s: outside the site's directory %s", dir, s.out)
	}
	if fresh, err = s.walkDir(filepath.Dir(dir), create); err != nil {
		return false, err
	}
	if !fresh {
		st, err := os.Lstat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fresh = true
		case err != nil:
			return false, err
		case !st.IsDir():
			return false, fmt.Errorf("%s %w", dir, ErrLink)
		}
	}
	if fresh {
		if !create {
			return false, fs.ErrNotExist
		}
		if err := os.Mkdir(dir, 0o755); err != nil {
			return false, err
		}
	}
	s.dirs[dir] = fresh
	return fresh, nil
}

// within says whether path names something under the output directory.
func (s *sink) within(path string) bool {
	rel, err := filepath.Rel(s.out, path)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}

// isRegular says whether path is a regular file (not a link to one).
func isRegular(path string) bool {
	st, err := os.Lstat(path)
	return err == nil && st.Mode().IsRegular()
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
		for d := dir; s.within(d); d = filepath.Dir(d) {
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
	saved := false
	if len(s.pending) > 0 || s.final != "" {
		// Before anything new becomes part of the site, the manifest names
		// every file that may then be there, the previous build's and this
		// one's: a build killed on the way leaves none that the next build
		// does not know it wrote.
		both := maps.Clone(s.prev)
		maps.Copy(both, s.now)
		if err := s.saveManifest(both); err != nil {
			s.abort()
			return s.rep, err
		}
		saved = len(both) == len(s.now) // then they are the same
		commitStep("recorded")
	}
	var removed atomic.Int64
	gone := map[string]bool{} // the directories of the files removed
	for n := range s.prev {
		if _, ok := s.now[n]; ok || !filepath.IsLocal(n) {
			continue
		}
		path := filepath.Join(s.out, filepath.FromSlash(n))
		for d := filepath.Dir(path); s.within(d); d = filepath.Dir(d) {
			gone[d] = true
		}
		tasks = append(tasks, func() error {
			// Only a regular file in a directory of the site, reached
			// without a link: whatever else stands there now is not what
			// the previous build wrote.
			if s.inside(filepath.Dir(path)) != nil || !isRegular(path) {
				return nil
			}
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
	commitStep("placed")
	// Then the directories left empty, deepest first (os.Remove leaves
	// one that is not empty), before the manifest forgets the files: a
	// build killed before this point leaves them to the next.
	for _, d := range slices.SortedFunc(maps.Keys(gone), func(a, b string) int { return cmp.Compare(len(b), len(a)) }) {
		if s.inside(d) == nil {
			os.Remove(d)
		}
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
	commitStep("moved")
	s.rep.Files = len(s.now)
	if saved {
		return s.rep, nil
	}
	return s.rep, s.saveManifest(s.now)
}

// commitStep marks the boundaries of commit's steps, for tests that end
// the process there as a kill would.
var commitStep = func(step string) {}

// saveManifest records m as the manifest of the site. Not synced: a
// manifest lost in a crash costs the next build time, not correctness (it
// is only ever trusted together with each file's size and time).
func (s *sink) saveManifest(m map[string]manifestEntry) error {
	data, _ := json.MarshalIndent(m, "", " ")
	if err := os.MkdirAll(filepath.Dir(s.manifest), 0o755); err != nil {
		return err
	}
	return writeFile(s.manifest, data, 0o644, false)
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
	var f *os.File
	var tmp string
	for {
		// A name of this package's pattern, so that the temporary file of
		// a process killed meanwhile is recognised and removed later.
		tmp = tempName(name)
		var err error
		f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	_, err := f.Write(data)
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

// parseTemp reads a temporary name made by tempName or stagingDir,
// ".NAME.tmp-PID-N", giving NAME and PID.
func parseTemp(entry string) (name string, pid int, ok bool) {
	rest, ok := strings.CutPrefix(entry, ".")
	if !ok {
		return "", 0, false
	}
	i := strings.LastIndex(rest, ".tmp-")
	if i <= 0 {
		return "", 0, false
	}
	p, n, ok := strings.Cut(rest[i+len(".tmp-"):], "-")
	if !ok || !digits(p) || !digits(n) {
		return "", 0, false
	}
	pid, err := strconv.Atoi(p)
	if err != nil || pid <= 0 {
		return "", 0, false
	}
	return rest[:i], pid, true
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// removeStale removes what builds of the site in out that were killed
// before they could commit or abort left behind: staging directories
// beside out, temporary files inside it and in the state directory. Only
// names of this package's own pattern are touched, only when the process
// that made them is gone, and never through a link.
func removeStale(out, stateDir string) {
	clean := filepath.Clean(out)
	if base := filepath.Base(clean); base != "." && base != ".." && base != string(filepath.Separator) {
		removeStaleIn(filepath.Dir(clean), func(name string, d fs.DirEntry) bool { return d.IsDir() && name == base })
	}
	removeStaleIn(stateDir, func(_ string, d fs.DirEntry) bool { return d.Type().IsRegular() })
	var walk func(dir string)
	walk = func(dir string) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			// The entry's type is read without following links: a link
			// to a directory is not walked into.
			if e.IsDir() {
				walk(filepath.Join(dir, e.Name()))
			}
		}
		removed := removeStaleEntries(dir, entries, func(_ string, d fs.DirEntry) bool { return d.Type().IsRegular() })
		if removed > 0 && dir != clean {
			// A directory that held only temporary files was made by the
			// killed build (os.Remove leaves one that is not empty).
			os.Remove(dir)
		}
	}
	if st, err := os.Stat(clean); err == nil && st.IsDir() {
		walk(clean)
	}
}

func removeStaleIn(dir string, ours func(name string, d fs.DirEntry) bool) {
	entries, err := os.ReadDir(dir)
	if err == nil {
		removeStaleEntries(dir, entries, ours)
	}
}

// removeStaleEntries removes the stale temporary files and directories
// among a directory's entries, and says how many it removed.
func removeStaleEntries(dir string, entries []fs.DirEntry, ours func(name string, d fs.DirEntry) bool) (removed int) {
	for _, e := range entries {
		name, pid, ok := parseTemp(e.Name())
		if !ok || !ours(name, e) {
			continue
		}
		info, err := e.Info() // Lstat
		if err != nil || !ownerGone(pid, info.ModTime()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if info.IsDir() {
			err = os.RemoveAll(path) // removes links inside, never what they point to
		} else {
			err = os.Remove(path)
		}
		if err == nil {
			removed++
		}
	}
	return removed
}
