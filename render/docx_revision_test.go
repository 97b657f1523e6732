package render

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/policy"
)

// revisedDOCX is a document whose second paragraph is inserted and whose
// first holds a deleted and an inserted word: what a redline is made of.
func revisedDOCX(t *testing.T) []byte {
	t.Helper()
	doc := &Doc{Policy: &policy.Policy{}, Locale: "en", ID: "policy", Title: "T", Markdown: []byte("# T\n\nkept\n")}
	tree, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	d := newDocxWriter(tree, DOCXOptions{})
	d.blocks(tree.Root, blockCtx{})
	d.emit(d.model)
	date := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	ins := &revision{author: "policyc", date: date}
	del := &revision{deleted: true, author: "policyc", date: date}
	d.body.WriteString(`<w:p>`)
	d.runs([]docxRun{{text: "The "}}, nil)
	d.runs([]docxRun{{text: "old", st: runStyle{bold: true}}}, del)
	d.runs([]docxRun{{text: "new", st: runStyle{bold: true}}}, ins)
	d.runs([]docxRun{{text: " text."}}, nil)
	d.body.WriteString(`</w:p>`)
	d.para(paraProps{rev: ins}, []docxRun{{text: "An added paragraph."}})
	var buf bytes.Buffer
	if err := d.pack(&buf, map[string]string{"page": "Page %d of %d", "draft": "Draft"}, DOCXOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDOCXRevisionsAreTrackedChangesLibreOfficeSees writes runs and a
// paragraph as tracked changes and has LibreOffice count them.
func TestDOCXRevisionsAreTrackedChangesLibreOfficeSees(t *testing.T) {
	soffice := checkers.Tool(t, "soffice", "apt-get install -y libreoffice-writer-nogui")
	dir := t.TempDir()
	f := filepath.Join(dir, "r.docx")
	if err := os.WriteFile(f, revisedDOCX(t), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.ToSlash(t.TempDir()), "--headless", "--convert-to", "fodt", "--outdir", dir, f).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	fodt, err := os.ReadFile(filepath.Join(dir, "r.fodt"))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// The deleted word, the inserted word, and the inserted paragraph.
	if n := strings.Count(string(fodt), "<text:changed-region"); n != 3 {
		t.Errorf("LibreOffice sees %d tracked changes, want 3", n)
	}
	for _, want := range []string{"<text:deletion>", "<text:insertion>", "policyc", "2026-03-02"} {
		if !strings.Contains(string(fodt), want) {
			t.Errorf("LibreOffice's document lacks %s", want)
		}
	}
}
