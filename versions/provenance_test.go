package versions

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSourceStateNamesTheChangedFilesOfThePolicyDirectoryOnly(t *testing.T) {
	dir := newRepo(t) // with changes outside the policy directory
	p := filepath.Join(dir, "p")
	os.MkdirAll(filepath.Join(p, "sections"), 0o755)
	os.WriteFile(filepath.Join(p, "policy.yaml"), []byte("id: p\n"), 0o644)
	os.WriteFile(filepath.Join(p, "sections", "a.md"), []byte("A\n"), 0o644)
	os.WriteFile(filepath.Join(p, ".gitignore"), []byte("out/\n"), 0o644)
	gitCmd(t, dir, "add", "p")
	gitCmd(t, dir, "commit", "-qm", "policy")
	head := strings.TrimSpace(gitCmd(t, dir, "rev-parse", "HEAD"))
	a, err := Open(p, "p")
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.SourceState(p)
	if err != nil {
		t.Fatal(err)
	}
	if s.Commit != head || !s.Clean() {
		t.Errorf("committed policy: %+v, want commit %s and clean", s, head)
	}

	os.WriteFile(filepath.Join(p, "policy.yaml"), []byte("id: p\ntitle: x\n"), 0o644)
	os.WriteFile(filepath.Join(p, "sections", "b.md"), []byte("B\n"), 0o644)
	os.Remove(filepath.Join(p, "sections", "a.md"))
	os.MkdirAll(filepath.Join(p, "out"), 0o755)
	os.WriteFile(filepath.Join(p, "out", "site.html"), []byte("ignored"), 0o644)
	before := snapshot(t, dir)
	s, err = a.SourceState(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"policy.yaml", "sections/a.md", "sections/b.md"}; !slices.Equal(s.Changed, want) || s.Commit != head {
		t.Errorf("changed policy: %+v, want commit %s and changes %q", s, head, want)
	}
	if snapshot(t, dir) != before {
		t.Error("reading the source state changed the work tree, index or branches")
	}
}

func TestReleaseRecordsProvenanceAndOlderMetadataStillReads(t *testing.T) {
	dir := newRepo(t)
	a, err := Open(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	old := release(t, a, "one", "2026-01-01") // as releases were before provenance
	_, err = a.Release(ReleaseOptions{Updated: date("2026-02-01"), Effective: date("2026-02-01"), Contents: files("two"),
		Source:  &SourceState{Commit: strings.Repeat("ab", 20), Changed: []string{"policy.yaml"}},
		Policyc: "0.4.0 (a1b2c3d, 2026-11-29)", ApprovedBy: []string{"Jane Counsel", "Li Wei"}})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := a.Versions()
	if err != nil {
		t.Fatal(err)
	}
	v2, v1 := vs[0], vs[1]
	if v2.SourceCommit != strings.Repeat("ab", 20) || v2.SourceClean == nil || *v2.SourceClean ||
		v2.Policyc != "0.4.0 (a1b2c3d, 2026-11-29)" || !slices.Equal(v2.ApprovedBy, []string{"Jane Counsel", "Li Wei"}) {
		t.Errorf("version 2 reads back as %+v", v2.Metadata)
	}
	if v1.SourceClean != nil || v1.Policyc != "" || v1.ApprovedBy != nil || v1.Commit != old.Commit {
		t.Errorf("version 1, released without provenance, reads back as %+v", v1.Metadata)
	}
	// The git CLI sees what was recorded, as recorded.
	meta := gitCmd(t, dir, "show", TagName("p", 2)+":"+MetadataFile)
	for _, want := range []string{`"source_clean": false`, `"policyc": "0.4.0 (a1b2c3d, 2026-11-29)"`, `"Li Wei"`} {
		if !strings.Contains(meta, want) {
			t.Errorf("%s of version 2 lacks %s:\n%s", MetadataFile, want, meta)
		}
	}
	if meta := gitCmd(t, dir, "show", TagName("p", 1)+":"+MetadataFile); strings.Contains(meta, "source_clean") || strings.Contains(meta, "approved_by") {
		t.Errorf("version 1 records provenance it was not given:\n%s", meta)
	}
	if problems, err := a.Verify(); err != nil || len(problems) > 0 {
		t.Errorf("verify: %v %v", problems, err)
	}
}
