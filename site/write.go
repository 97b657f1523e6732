package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// manifest lists the files a build wrote, so the next build can remove the
// ones that are no longer part of the site (and nothing else).
const manifest = ".policyc-site.json"

func (b *builder) write() (Report, error) {
	rep := Report{Files: len(b.files)}
	if err := os.MkdirAll(b.o.Out, 0o755); err != nil {
		return rep, err
	}
	var names []string
	for n := range b.files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		path := filepath.Join(b.o.Out, filepath.FromSlash(n))
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b.files[n]) {
			rep.Unchanged++
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return rep, err
		}
		// Renamed into place, not synced: a reader sees the old page or the
		// new one; syncing each of thousands of pages would cost more than it
		// buys for a site that can be rebuilt.
		if err := writeFile(path, b.files[n], 0o644, false); err != nil {
			return rep, err
		}
		rep.Written++
	}
	var previous []string
	if data, err := os.ReadFile(filepath.Join(b.o.Out, manifest)); err == nil {
		json.Unmarshal(data, &previous)
	}
	for _, n := range previous {
		if _, ok := b.files[n]; ok || !filepath.IsLocal(n) {
			continue
		}
		if err := os.Remove(filepath.Join(b.o.Out, filepath.FromSlash(n))); err == nil {
			rep.Removed++
		} else if !errors.Is(err, fs.ErrNotExist) {
			return rep, err
		}
	}
	data, _ := json.Marshal(names)
	return rep, WriteFileAtomic(filepath.Join(b.o.Out, manifest), data, 0o644)
}

// WriteFileAtomic writes data to name through a temporary file in the same
// directory, synced, and a rename, so a reader sees the old file or the new
// one, never a part of it; a failed write leaves the old file untouched.
func WriteFileAtomic(name string, data []byte, perm os.FileMode) error {
	return writeFile(name, data, perm, true)
}

func writeFile(name string, data []byte, perm os.FileMode, sync bool) error {
	dir := filepath.Dir(name)
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if sync {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		return err
	}
	ok = true
	return nil
}
