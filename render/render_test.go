package render_test

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/policyc/policyc/internal/checkers"
	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

var update = flag.Bool("update", false, "rewrite golden files")

var exampleNames = []string{"sdk-provider", "website"}

// fixtureNames are the models of real published policies under
// testdata/fixtures, rendered and checked as the examples are.
var fixtureNames = []string{"cn-stock-images-2024", "us-fitness-app-2024"}

// policyDir is where an example or a fixture lives.
func policyDir(name string) string {
	if slices.Contains(fixtureNames, name) {
		return filepath.Join("..", "testdata", "fixtures", name)
	}
	return filepath.Join("..", "examples", name)
}

// output is one rendered file of an example.
type output struct {
	name string // "<example>/<document>.<locale>.<format>"
	doc  *render.Doc
	data []byte
}

// renderExamples renders every document of both examples and of the
// fixtures in every locale
// and format, with a fresh renderer, as "policyc render --format all" does.
func renderExamples(t testing.TB) []output {
	t.Helper()
	var outs []output
	for _, ex := range slices.Concat(exampleNames, fixtureNames) {
		p := loadPolicy(t, policyDir(ex))
		r := render.New()
		for _, loc := range p.Locales {
			meta := render.Meta{Version: "3"}
			docs, err := r.Compose(p, string(loc), meta)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range docs {
				base := ex + "/" + d.FileName()
				outs = append(outs, output{base + ".md", d, d.Markdown})
				tree, err := render.Parse(d)
				if err != nil {
					t.Fatal(err)
				}
				var html, pdf bytes.Buffer
				if err := r.HTML(&html, tree, render.HTMLOptions{}); err != nil {
					t.Fatal(err)
				}
				if err := r.PDF(&pdf, tree, render.PDFOptions{}); err != nil {
					t.Fatal(err)
				}
				outs = append(outs, output{base + ".html", d, html.Bytes()}, output{base + ".pdf", d, pdf.Bytes()})
			}
			var js bytes.Buffer
			if err := r.JSON(&js, p, string(loc), meta); err != nil {
				t.Fatal(err)
			}
			outs = append(outs, output{ex + "/policy." + string(loc) + ".json", docs[0], js.Bytes()})
		}
	}
	return outs
}

// TestGoldenFiles compares every output of both examples with
// testdata/golden. PDFs are compared by their SHA-256 and by the text
// pdftotext extracts (reviewable in a diff). Regenerate with -update.
func TestGoldenFiles(t *testing.T) {
	for _, o := range renderExamples(t) {
		t.Run(o.name, func(t *testing.T) {
			if strings.HasSuffix(o.name, ".pdf") {
				sum := fmt.Sprintf("%x\n", sha256.Sum256(o.data))
				golden(t, o.name+".sha256", []byte(sum))
				golden(t, o.name+".txt", pdfText(t, o.data, "-raw"))
				return
			}
			golden(t, o.name, o.data)
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", filepath.FromSlash(name))
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file; inspect with -update and git diff", name)
	}
}

// TestRenderingIsDeterministic renders everything twice with fresh
// renderers and requires byte-identical files.
func TestRenderingIsDeterministic(t *testing.T) {
	a, b := renderExamples(t), renderExamples(t)
	if len(a) != len(b) {
		t.Fatalf("%d outputs, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].name != b[i].name || !bytes.Equal(a[i].data, b[i].data) {
			t.Errorf("%s: the second rendering differs", a[i].name)
		}
	}
}

// pdfText is the text poppler's pdftotext extracts.
func pdfText(t testing.TB, pdf []byte, mode string) []byte {
	t.Helper()
	checkers.Tool(t, "pdftotext", "apt-get install -y poppler-utils")
	cmd := exec.Command("pdftotext", mode, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return out
}

func loadPolicy(t testing.TB, dir string) *policy.Policy {
	t.Helper()
	p, err := policy.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func outputsWith(outs []output, suffix string) []output {
	return slices.DeleteFunc(slices.Clone(outs), func(o output) bool { return !strings.HasSuffix(o.name, suffix) })
}

// TestFilesInParallelAreTheFilesOneByOne renders both examples with Files
// on every core, with PDFs prepared ahead, and on one core without: the
// same outputs in the same order, and, but for the HTML pages' language
// links, the very files renderExamples makes one by one.
func TestFilesInParallelAreTheFilesOneByOne(t *testing.T) {
	want := map[string][]byte{}
	for _, o := range renderExamples(t) {
		want[o.name] = o.data
	}
	for _, ex := range exampleNames {
		p := loadExample(t, ex)
		var locales []string
		for _, l := range p.Locales {
			locales = append(locales, string(l))
		}
		q := render.Request{Locales: locales, Formats: []string{"md", "html", "pdf", "json"}, Meta: render.Meta{Version: "3"}}
		r := render.New()
		r.PreparePDF(q.PDF)
		r.PreparePDF(q.PDF)
		par, err := r.Files(p, q)
		if err != nil {
			t.Fatal(err)
		}
		prev := runtime.GOMAXPROCS(1)
		seq, err := render.New().Files(p, q)
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		if len(par) != len(seq) {
			t.Fatalf("%s: %d outputs on every core, %d on one", ex, len(par), len(seq))
		}
		for i := range par {
			if par[i].Name != seq[i].Name || !bytes.Equal(par[i].Data, seq[i].Data) {
				t.Errorf("%s: output %d is %s on every core, %s on one, or their bytes differ", ex, i, par[i].Name, seq[i].Name)
			}
			if strings.HasSuffix(par[i].Name, ".html") && len(locales) > 1 {
				continue // with language links, which renderExamples leaves out
			}
			if w, ok := want[ex+"/"+par[i].Name]; !ok || !bytes.Equal(w, par[i].Data) {
				t.Errorf("%s: %s differs from rendering it alone", ex, par[i].Name)
			}
		}
	}
}

// TestFilesReportsTheFirstErrorInOrder asks for two formats that cannot
// be rendered: whichever fails first in time, the error is the first's.
func TestFilesReportsTheFirstErrorInOrder(t *testing.T) {
	p := loadExample(t, "website")
	for range 10 {
		_, err := render.New().Files(p, render.Request{Locales: []string{"en"}, Formats: []string{"pdf", "nope1", "nope2"}})
		if err == nil || !strings.Contains(err.Error(), `"nope1"`) {
			t.Fatalf("error %v, want the one about nope1", err)
		}
	}
}
