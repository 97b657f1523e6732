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

type outlinesFile struct {
	Salt     string                      `json:"salt"`
	Outlines map[string][]render.Heading `json:"outlines"`
}

func loadOutlines(path, salt string) *outlines {
	o := &outlines{path: path, salt: salt, m: map[plumbing.Hash][]render.Heading{}}
	data, err := os.ReadFile(path)
	if err != nil {
		return o
	}
	var f outlinesFile
	if json.Unmarshal(data, &f) != nil || f.Salt != salt {
		return o
	}
	for k, hs := range f.Outlines {
		if plumbing.IsHash(k) {
			o.m[plumbing.NewHash(k)] = hs
		}
	}
	return o
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

// save writes the cache if the build added to it. A cache that cannot be
// written costs the next build time, not correctness, so failure is
// ignored.
func (o *outlines) save() {
	if !o.dirty {
		return
	}
	f := outlinesFile{Salt: o.salt, Outlines: map[string][]render.Heading{}}
	for h, hs := range o.m {
		f.Outlines[h.String()] = hs
	}
	data, err := json.Marshal(f)
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(o.path), 0o755) == nil {
		writeFile(o.path, data, 0o644, false) // a cache: not synced
	}
}
