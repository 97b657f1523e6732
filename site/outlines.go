package site

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/policyc/policyc/render"
)

// outlines remembers, across builds, the sections of each archived HTML
// page (by blob id), so that comparing versions needs only their Markdown:
// an archived blob never changes, so neither does its outline. The cache
// lives beside the manifest in the repository's state directory and is
// dropped whole when policyc or its templates change (salt).
type outlines struct {
	path string
	salt string

	mu    sync.Mutex
	m     map[plumbing.Hash][]render.Heading
	dirty bool
}

func loadOutlines(path, salt string) *outlines {
	m, _ := readCache[map[string][]render.Heading](path, salt)
	return &outlines{path: path, salt: salt, m: byBlob(m)}
}

func (o *outlines) get(h plumbing.Hash) ([]render.Heading, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	hs, ok := o.m[h]
	return hs, ok
}

// of returns the outline of an archived page, read from the page (data)
// when the cache does not have it.
func (o *outlines) of(h plumbing.Hash, page []byte) []render.Heading {
	if hs, ok := o.get(h); ok {
		return hs
	}
	hs := render.Outline(page)
	o.mu.Lock()
	o.m[h] = hs
	o.dirty = true
	o.mu.Unlock()
	return hs
}

// save writes the cache if the build added to it.
func (o *outlines) save() {
	if !o.dirty {
		return
	}
	m := map[string][]render.Heading{}
	for h, hs := range o.m {
		m[h.String()] = hs
	}
	writeCache(o.path, o.salt, m)
}

// cacheFile is a build cache as stored: what it holds, and the salt of the
// build that wrote it.
type cacheFile[T any] struct {
	Salt string `json:"salt"`
	Data T      `json:"data"`
}

// readCache reads a build cache; false when it is missing, damaged or
// written by another build of policyc or its templates.
func readCache[T any](path, salt string) (T, bool) {
	var f cacheFile[T]
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &f) != nil || f.Salt != salt {
		var zero T
		return zero, false
	}
	return f.Data, true
}

// writeCache writes a build cache. A cache that cannot be written costs
// the next build time, not correctness, so failure is ignored; nor is it
// synced.
func writeCache[T any](path, salt string, v T) {
	data, err := json.Marshal(cacheFile[T]{Salt: salt, Data: v})
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
		writeFile(path, data, 0o644, false)
	}
}

// byBlob is a cache's entries by blob id, leaving out any other key.
func byBlob[T any](m map[string]T) map[plumbing.Hash]T {
	out := make(map[plumbing.Hash]T, len(m))
	for k, v := range m {
		if plumbing.IsHash(k) {
			out[plumbing.NewHash(k)] = v
		}
	}
	return out
}

// put remembers an outline read some other way than from an archived page
// (an imported document's headings).
func (o *outlines) put(h plumbing.Hash, hs []render.Heading) {
	o.mu.Lock()
	o.m[h] = hs
	o.dirty = true
	o.mu.Unlock()
}
