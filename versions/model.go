package versions

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// Model loads the policy model a version was released from, from its
// source/ files, exactly as they were archived. Imported versions have no
// model.
func (a *Archive) Model(v Version) (*policy.Policy, error) {
	if v.Imported {
		return nil, fmt.Errorf("version %d was imported as a published file and has no model", v.Version)
	}
	t, err := a.tree(v)
	if err != nil {
		return nil, err
	}
	src, err := a.st.subtree(t, "source")
	if err != nil {
		return nil, fmt.Errorf("version %d has no source: %w", v.Version, err)
	}
	return policy.LoadFS(&treeFS{a: a, v: v, tree: src})
}

// treeFS is a read-only fs.FS over a git tree.
type treeFS struct {
	a    *Archive
	v    Version
	tree *object.Tree
}

func (t *treeFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	e, err := t.a.st.find(t.tree, name)
	if err != nil || !e.Mode.IsFile() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	b, err := t.a.readChecked(t.v, "source/"+name, e.Hash, nil)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &treeFile{name: path.Base(name), r: bytes.NewReader(b), size: int64(len(b))}, nil
}

type treeFile struct {
	name string
	r    *bytes.Reader
	size int64
}

func (f *treeFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f *treeFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *treeFile) Close() error               { return nil }

// fs.FileInfo
func (f *treeFile) Name() string       { return f.name }
func (f *treeFile) Size() int64        { return f.size }
func (f *treeFile) Mode() fs.FileMode  { return 0o444 }
func (f *treeFile) ModTime() time.Time { return time.Time{} }
func (f *treeFile) IsDir() bool        { return false }
func (f *treeFile) Sys() any           { return nil }

// ImportedFile is the file an imported version holds in a locale (the
// first locale it has when loc is "" or not among them): its archive path
// and format (md, html or pdf).
func ImportedFile(v Version, loc string) (path, format string, ok bool) {
	for _, f := range v.Files {
		rest, found := strings.CutPrefix(f.Path, "rendered/policy.")
		if !found {
			continue
		}
		dot := strings.LastIndexByte(rest, '.')
		if dot < 0 {
			continue
		}
		if rest[:dot] == loc {
			return f.Path, rest[dot+1:], true
		}
		if !ok {
			path, format, ok = f.Path, rest[dot+1:], true
		}
	}
	return path, format, ok
}

// Document is a version's policy document in a locale, as published, for a
// redline: for a released version, its archived Markdown cut into sections
// by its archived page's headings (the model's section ids), composed
// again from its model when the files do not agree; for an imported one,
// its file as render.ImportedDoc reads it (its only locale when it was
// not published in loc). Every version has one, whether or not it has a
// model.
func (a *Archive) Document(v Version, loc string) (*render.Doc, error) {
	if v.Imported {
		p, format, ok := ImportedFile(v, loc)
		if !ok {
			return nil, fmt.Errorf("version %d was imported but holds no policy file", v.Version)
		}
		data, err := a.ReadFile(v, p)
		if err != nil {
			return nil, err
		}
		d, err := render.ImportedDoc(data, format, loc)
		if err != nil {
			return nil, fmt.Errorf("version %d (%s): %w", v.Version, p, err)
		}
		return d, nil
	}
	md, mdErr := a.ReadFile(v, "rendered/policy."+loc+".md")
	page, pageErr := a.ReadFile(v, "rendered/policy."+loc+".html")
	if mdErr == nil && pageErr == nil {
		d := &render.Doc{Locale: loc, ID: "policy", Markdown: md, Sections: render.Outline(page)}
		if c, err := render.Cut(d); err == nil && c.Headings() == len(d.Sections) {
			return d, nil
		}
	}
	p, err := a.Model(v)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(p.Locales, policy.Locale(loc)) {
		loc = string(p.Locales[0])
	}
	upd, _ := policy.ParseDate(v.Updated)
	eff, _ := policy.ParseDate(v.Effective)
	docs, err := render.New().Compose(p, loc, render.Meta{Version: strconv.Itoa(v.Version), Updated: upd, Effective: eff})
	if err != nil {
		return nil, err
	}
	return docs[0], nil
}
