package render_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policyc/policyc/render"
)

// TestInertLeavesOurPagesByteForByte: a page policyc renders holds nothing
// active, so the site publishes the archived bytes unchanged.
func TestInertLeavesOurPagesByteForByte(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "golden", "*", "*.html"))
	if len(pages) < 3 {
		t.Fatalf("only %d golden pages", len(pages))
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if out, changed := render.Inert(b); changed || string(out) != string(b) {
			t.Errorf("%s: changed by Inert", p)
		}
	}
}

// TestInertDisarmsAPageReleasedWithActiveContent: what an earlier policyc
// could have archived — a decoded javascript: link, raw HTML with event
// handlers, scripts, frames, a meta refresh — is taken out, and the text
// around it stays.
func TestInertDisarmsAPageReleasedWithActiveContent(t *testing.T) {
	page := `<!doctype html><html><head><meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="https://evil.example/"><script>alert(2)</script></head>` +
		`<body><p>Read <a href="javascript:alert(3)">this</a> and <a href="https://ok.example/a">that</a>.</p>` +
		`<img src="x" onerror="alert(4)"><svg onload="alert(5)"></svg><iframe src="https://evil.example"></iframe>` +
		`<a href="java&#x73;cript:alert(6)">encoded</a><object data="x.swf"></object><form action="javascript:alert(7)"><input></form><p>End.</p></body></html>`
	out, changed := render.Inert([]byte(page))
	if !changed {
		t.Fatal("a page with active content was not changed")
	}
	s := string(out)
	for _, bad := range []string{"<script", "alert(2)", "javascript:", "onerror", "onload", "<iframe", "<object", "<base", "refresh", "<form", "java&#x73;cript"} {
		if strings.Contains(strings.ToLower(s), strings.ToLower(bad)) {
			t.Errorf("%q is still in the page:\n%s", bad, s)
		}
	}
	for _, keep := range []string{"Read ", ">this</a>", `href="https://ok.example/a"`, ">encoded</a>", "<p>End.</p>"} {
		if !strings.Contains(s, keep) {
			t.Errorf("%q was lost:\n%s", keep, s)
		}
	}
}
