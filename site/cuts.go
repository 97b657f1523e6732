package site

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/policyc/policyc/render"
)

// cuts remembers, across builds, each archived Markdown document (by blob
// id) cut into its sections, every text kept once however many versions
// share it: after a release, comparing the older versions with the new
// current one then reads none of them from the archive. An archived blob
// never changes, so neither does its cut; the cache lives beside the
// manifest, is dropped whole when policyc or its templates change (salt),
// and keeps only what the latest build used.
type cuts struct {
	path, salt string

	mu     sync.Mutex
	docs   map[plumbing.Hash]cutEntry
	texts  map[string]string // by the SHA-256 of the text
	hashes map[string]string // the SHA-256 of each text put
	used   map[plumbing.Hash]bool
	added  bool
}

// cutEntry is one document: its texts by their hashes.
type cutEntry struct {
	Head     string            `json:"head"`
	Sections map[string]string `json:"sections"` // section id → text hash
	Headings int               `json:"headings"`
}

// cutsData is the cache as stored.
type cutsData struct {
	Docs  map[string]cutEntry `json:"docs"`
	Texts map[string]string   `json:"texts"`
}

func loadCuts(path, salt string) *cuts {
	f, _ := readCache[cutsData](path, salt)
	c := &cuts{path: path, salt: salt, docs: byBlob(f.Docs), texts: map[string]string{}, hashes: map[string]string{}, used: map[plumbing.Hash]bool{}}
	for h, t := range f.Texts {
		if textHash(t) == h { // a damaged text is left out, and its documents with it
			c.texts[h] = t
		}
	}
	return c
}

func textHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// hash is a text's hash, kept with the text; a text most versions share
// is hashed once.
func (c *cuts) hash(t string) string {
	if h, ok := c.hashes[t]; ok {
		return h
	}
	h := textHash(t)
	c.hashes[t] = h
	c.texts[h] = t
	return h
}

// get returns the parts of the document in blob h, if the cache has all
// of them.
func (c *cuts) get(h plumbing.Hash) (render.CutParts, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.docs[h]
	if !ok {
		return render.CutParts{}, false
	}
	p := render.CutParts{Sections: make(map[string]string, len(e.Sections)), Headings: e.Headings}
	if p.Head, ok = c.texts[e.Head]; !ok {
		return render.CutParts{}, false
	}
	for id, th := range e.Sections {
		if p.Sections[id], ok = c.texts[th]; !ok {
			return render.CutParts{}, false
		}
	}
	c.used[h] = true
	return p, true
}

// put remembers the parts of the document in blob h.
func (c *cuts) put(h plumbing.Hash, p render.CutParts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := cutEntry{Head: c.hash(p.Head), Sections: make(map[string]string, len(p.Sections)), Headings: p.Headings}
	for id, t := range p.Sections {
		e.Sections[id] = c.hash(t)
	}
	c.docs[h] = e
	c.used[h] = true
	c.added = true
}

// save writes what this build used, when that differs from what was
// read.
func (c *cuts) save() {
	if !c.added && len(c.used) == len(c.docs) {
		return
	}
	f := cutsData{Docs: map[string]cutEntry{}, Texts: map[string]string{}}
	for h := range c.used {
		e := c.docs[h]
		f.Docs[h.String()] = e
		f.Texts[e.Head] = c.texts[e.Head]
		for _, th := range e.Sections {
			f.Texts[th] = c.texts[th]
		}
	}
	writeCache(c.path, c.salt, f)
}
