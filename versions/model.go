package versions

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/policyc/policyc/policy"
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
