package render

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/policyc/policyc/internal/hostile"
)

// The escaping functions skip a pattern when a cheap look at the text shows
// it cannot match. These tests hold them to the patterns alone, on tricky
// texts and on every line of the golden outputs.

func escTextByPatterns(s string) string {
	s = foreignAutolink.ReplaceAllString(mdSpecial.Replace(noControls(s)), "$1\u2060$2:")
	s = entityLike.ReplaceAllString(s, `\&$1;`)
	s = strings.ReplaceAll(s, `\<`, "&lt;")
	return blockStart.ReplaceAllString(s, blockEscape)
}

func tidyByPatterns(b []byte) []byte {
	lines := strings.Split(strings.ToValidUTF8(string(b), "\uFFFD"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	s := blankRuns.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return []byte(strings.TrimSpace(s) + "\n")
}

// escapeCorpus is texts that sit on the edges of each pattern, every
// hostile payload, and every line and paragraph of the golden outputs.
func escapeCorpus(t *testing.T) []string {
	texts := []string{
		"", " ", "\t", "plain words", "8. How to contact us", "  12) twelve", "1234567890. ten digits",
		"- item", "+ plus", "= equals", "# heading", "\f# form feed", "\r\n- crlf", "\v- vertical tab",
		"a - b", "x=1", "ftp://host/a", "FTP:x", "see ftp\\:x", "xmpp:user@host", "XmPp:u@h", "sftp:x",
		"ftpx:y", "a:b:c", ":", "ftp", "mp:", "\\:", "caf\u00e9 ftp:", "&amp;", "&#38;", "&#x26;", "AT&T",
		"a &b; c", "&;", "<b>", "a < b", "1 <2", "\\<b>", "<https://example.com>", "a\n\n\n\nb", "a\n\n\nb  \n",
		"para\n---", "para\n===\n", "```\npara\n---\n```", "## two", "### three", "  # indented",
		"text\n#not", "a | b", "`code`", "*em* _em_", "[x](javascript:alert(1))",
	}
	texts = append(texts, hostile.Payloads...)
	texts = append(texts, hostile.URLs...)
	err := filepath.WalkDir("testdata/golden", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		texts = append(texts, strings.Split(string(b), "\n\n")...)
		texts = append(texts, strings.Split(string(b), "\n")...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < 1000 {
		t.Fatalf("only %d texts: the golden Markdown files were not found", len(texts))
	}
	return texts
}

func TestEscapeShortcutsAgreeWithPatterns(t *testing.T) {
	for _, s := range escapeCorpus(t) {
		if got, want := escText(s), escTextByPatterns(s); got != want {
			t.Errorf("escText(%q) = %q, the patterns give %q", s, got, want)
		}
		if got, want := rawHTMLStarts(s), rawHTMLStart.FindAllStringIndex(s, -1); !reflect.DeepEqual(got, want) {
			t.Errorf("rawHTMLStarts(%q) = %v, the pattern gives %v", s, got, want)
		}
		if got, want := lowerATX(s), atxHeading.ReplaceAllString(s, "$1###$3"); got != want {
			t.Errorf("lowerATX(%q) = %q, the pattern gives %q", s, got, want)
		}
		if got, want := lowerSetext(s), escapeUnderlines(s); got != want {
			t.Errorf("lowerSetext(%q) = %q, without the shortcut %q", s, got, want)
		}
		if got, want := escBlockStart(s), blockStart.ReplaceAllString(s, blockEscape); got != want {
			t.Errorf("escBlockStart(%q) = %q, the pattern gives %q", s, got, want)
		}
		if got, want := noForeignAutolinks(s), foreignAutolink.ReplaceAllString(s, "$1\u2060$2:"); got != want {
			t.Errorf("noForeignAutolinks(%q) = %q, the pattern gives %q", s, got, want)
		}
		if got, want := string(tidy([]byte(s))), string(tidyByPatterns([]byte(s))); got != want {
			t.Errorf("tidy(%q) = %q, the patterns give %q", s, got, want)
		}
	}
}
