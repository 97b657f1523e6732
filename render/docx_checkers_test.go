package render_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// Tests in this file read the Word documents with LibreOffice and
// python-docx, which policyc did not write.

// docxFixtures are the Word documents of both examples and of any policy
// under testdata/examples, in every locale, written to a directory under
// names unique as base names (LibreOffice names its outputs by them).
func docxFixtures(t *testing.T) ([]docxOutput, string) {
	t.Helper()
	outs := renderDOCX(t, render.A4)
	dirs, _ := filepath.Glob(filepath.Join("..", "testdata", "examples", "*"))
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		p, err := policy.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, renderPolicyDOCX(t, filepath.Base(dir), p, render.A4)...)
	}
	dir := t.TempDir()
	for _, o := range outs {
		if err := os.WriteFile(filepath.Join(dir, o.name), o.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return outs, dir
}

// soffice converts files with one LibreOffice process and its own profile,
// and fails t if LibreOffice reports an error or leaves an output out.
func soffice(t *testing.T, to, outDir string, files []string) {
	t.Helper()
	bin := checkers.Tool(t, "soffice", "apt-get install -y libreoffice-writer-nogui")
	profile := "file://" + filepath.ToSlash(t.TempDir())
	args := append([]string{"-env:UserInstallation=" + profile, "--headless", "--convert-to", to, "--outdir", outDir}, files...)
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	if bytes.Contains(bytes.ToLower(out), []byte("error")) {
		t.Errorf("soffice reports an error:\n%s", out)
	}
	ext := to
	if i := strings.IndexByte(to, ':'); i >= 0 {
		ext = to[:i]
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".docx") + "." + ext
		if fi, err := os.Stat(filepath.Join(outDir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("LibreOffice did not convert %s:\n%s", filepath.Base(f), out)
		}
	}
}

// TestDOCXLibreOfficeTextHasEveryWordOfTheMarkdown opens every Word
// document with LibreOffice, converts it to text, and requires every word
// of the Markdown, as cmark-gfm reads it, in order, Chinese included.
func TestDOCXLibreOfficeTextHasEveryWordOfTheMarkdown(t *testing.T) {
	cmark := checkers.Tool(t, "cmark-gfm", "apt-get install -y cmark-gfm")
	outs, dir := docxFixtures(t)
	var files []string
	for _, o := range outs {
		files = append(files, filepath.Join(dir, o.name))
	}
	txt := t.TempDir()
	soffice(t, "txt:Text", txt, files)
	for _, o := range outs {
		t.Run(o.name, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join(txt, strings.TrimSuffix(o.name, ".docx")+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			hasMarkdownWords(t, cmark, o.doc, "LibreOffice's text", string(text))
		})
	}
}

// docxReader is what python-docx reads of a document: every paragraph with
// its style's name, each table's first row, and the bold text (runs in a
// row that python-docx reports bold, joined).
const docxReader = `
import docx, json, sys
from docx.oxml.ns import qn
from docx.text.run import Run
d = docx.Document(sys.argv[1])
out = {"paras": [], "tables": [], "bold": []}
def bold(paragraphs):
    for p in paragraphs:
        span = ""
        for r in p._p.xpath(".//w:r"):
            run = Run(r, p)
            if run.bold:
                span += run.text
            elif span:
                out["bold"].append(span)
                span = ""
        if span:
            out["bold"].append(span)
for p in d.paragraphs:
    out["paras"].append({"style": p.style.name, "text": p.text})
bold(d.paragraphs)
for tb in d.tables:
    row = tb.rows[0]
    trPr = row._tr.trPr
    out["tables"].append({
        "header": [c.text for c in row.cells],
        "repeats": trPr is not None and trPr.find(qn("w:tblHeader")) is not None,
        "rows": len(tb.rows),
    })
    for r in tb.rows:
        for c in r.cells:
            bold(c.paragraphs)
json.dump(out, sys.stdout)
`

type docxRead struct {
	Paras []struct {
		Style, Text string
	}
	Tables []struct {
		Header  []string
		Repeats bool
		Rows    int
	}
	Bold []string
}

// TestDOCXPythonDocxReadsHeadingsTablesAndSensitiveBold reads every Word
// document with python-docx (Debian's, under the system Python): every
// heading of the Markdown with its level (the title, then Heading 1–3),
// every table with its header row marked to repeat on each page, and
// every item of every sensitive category in a bold run.
func TestDOCXPythonDocxReadsHeadingsTablesAndSensitiveBold(t *testing.T) {
	checkers.SkipShort(t)
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import docx").Run(); err != nil {
		t.Fatalf("python-docx not found for %s: install it with apt-get install -y python3-docx", py)
	}
	outs, dir := docxFixtures(t)
	for _, o := range outs {
		t.Run(o.name, func(t *testing.T) {
			out, err := exec.Command(py, "-c", docxReader, filepath.Join(dir, o.name)).Output()
			if err != nil {
				t.Fatalf("python-docx: %v", err)
			}
			var got docxRead
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			type heading struct{ style, text string }
			var want []heading
			var tables [][]string
			ast.Walk(o.tree.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
				if !entering {
					return ast.WalkContinue, nil
				}
				switch n := n.(type) {
				case *ast.Heading:
					style := "Title"
					if n.Level > 1 {
						style = "Heading " + string(rune('0'+min(n.Level-1, 3)))
					}
					want = append(want, heading{style, strings.Join(words(render.PlainText(n, o.tree.Source)), " ")})
					return ast.WalkSkipChildren, nil
				case *east.TableHeader:
					var row []string
					for c := n.FirstChild(); c != nil; c = c.NextSibling() {
						row = append(row, strings.Join(words(render.PlainText(c, o.tree.Source)), " "))
					}
					tables = append(tables, row)
					return ast.WalkSkipChildren, nil
				}
				return ast.WalkContinue, nil
			})
			var headings []heading
			for _, p := range got.Paras {
				if p.Style == "Title" || strings.HasPrefix(p.Style, "Heading ") {
					headings = append(headings, heading{p.Style, strings.Join(words(p.Text), " ")})
				}
			}
			if !slices.Equal(headings, want) {
				t.Errorf("python-docx reads headings\n%q\nwant\n%q", headings, want)
			}
			if len(want) < 3 {
				t.Errorf("only %d headings: the check is not reading the document", len(want))
			}
			if len(got.Tables) != len(tables) {
				t.Fatalf("python-docx reads %d tables, want %d", len(got.Tables), len(tables))
			}
			for i, tb := range got.Tables {
				var row []string
				for _, c := range tb.Header {
					row = append(row, strings.Join(words(c), " "))
				}
				if !slices.Equal(row, tables[i]) {
					t.Errorf("table %d: header row %q, want %q", i+1, row, tables[i])
				}
				if !tb.Repeats {
					t.Errorf("table %d: header row not marked to repeat on each page", i+1)
				}
				if tb.Rows < 2 {
					t.Errorf("table %d: %d rows", i+1, tb.Rows)
				}
			}
			if !strings.Contains(o.name, "_policy.") {
				return
			}
			bold := map[string]bool{}
			for _, s := range got.Bold {
				bold[strings.TrimSpace(s)] = true
			}
			n := 0
			for _, c := range o.doc.Policy.DataCategories {
				if !c.Sensitive {
					continue
				}
				for _, it := range c.Items {
					n++
					if s := it.Get(o.doc.Locale); !bold[s] {
						t.Errorf("sensitive item %q is never a bold run", s)
					}
				}
				if s := c.Name.Get(o.doc.Locale); !bold[s] {
					t.Errorf("sensitive category %q is never a bold run", s)
				}
			}
			if n == 0 {
				t.Errorf("no sensitive item: the check is not reading the policy")
			}
		})
	}
}

// TestDOCXZipIsCleanForUnzip tests every Word document's archive with
// Info-ZIP's unzip -t: every entry's CRC and sizes, no stray data.
func TestDOCXZipIsCleanForUnzip(t *testing.T) {
	unzip := checkers.Tool(t, "unzip", "apt-get install -y unzip")
	outs, dir := docxFixtures(t)
	for _, o := range outs {
		out, err := exec.Command(unzip, "-t", filepath.Join(dir, o.name)).CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte("No errors detected")) || bytes.Contains(out, []byte("warning")) {
			t.Errorf("%s: unzip -t: %v\n%s", o.name, err, out)
		}
	}
}
