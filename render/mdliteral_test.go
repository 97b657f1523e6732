package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// TestMarkdownLiteralsReadAsWrittenWithoutNoise: text written into a
// Markdown comment reads back as it is, as plain text (no list, heading,
// emphasis, link, code, table cell or HTML), and its source stays
// readable: ordinary punctuation inside a line is not escaped.
func TestMarkdownLiteralsReadAsWrittenWithoutNoise(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	for _, c := range []struct{ text, source string }{
		{"Cancel your account: reply time is now 20 working days (was 15 working days).", "Cancel your account: reply time is now 20 working days (was 15 working days)."},
		{"gbt-rights: GB/T 35273-2020 §7.4 / item 4", "gbt-rights: GB/T 35273-2020 §7.4 / item 4"},
		{"12. a list?", `12\. a list?`},
		{"1) or this", `1\) or this`},
		{"- a bullet", `\- a bullet`},
		{"# a heading", `\# a heading`},
		{"*bold* and _em_ and `code` and ~gone~", `\*bold\* and \_em\_ and \` + "`" + `code\` + "`" + ` and \~gone\~`},
		{"[a](b) ![i](y)", `\[a\](b) \!\[i\](y)`},
		{"a | b", `a \| b`},
		{"<script>alert(1)</script> & more", "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"},
		{"line\n===", "line\n\\==="},
	} {
		got := mdLiteral(c.text, true)
		if got != c.source {
			t.Errorf("mdLiteral(%q) = %q, want %q", c.text, got, c.source)
		}
		var out bytes.Buffer
		if err := md.Convert([]byte(got), &out); err != nil {
			t.Fatal(err)
		}
		html := out.String()
		want := "<p>" + strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\n", "\n").Replace(c.text) + "</p>\n"
		if html != want {
			t.Errorf("%q reads back as %q, want %q", got, html, want)
		}
	}
}

// TestLongNamesAreShortenedAtAWord: a name too long for a sentence is
// shortened at a word boundary, never inside a word.
func TestLongNamesAreShortenedAtAWord(t *testing.T) {
	long := "Device and app information, device identifiers, geographic location, end users' mobile phone numbers, address book, network information and more"
	got := plain(long)
	if !strings.HasSuffix(got, "…") || len([]rune(got)) > 120 {
		t.Fatalf("plain(%q) = %q, want at most 120 characters ending in …", long, got)
	}
	head := strings.TrimSuffix(got, "…")
	if !strings.HasPrefix(long, head) || long[len(head)] != ' ' && long[len(head)] != ',' {
		t.Errorf("plain(%q) = %q: cut inside a word", long, got)
	}
	cjk := strings.Repeat("设备信息", 40)
	if got := plain(cjk); len([]rune(got)) != 118 {
		t.Errorf("text without spaces is cut at the limit: got %d characters", len([]rune(got)))
	}
}
