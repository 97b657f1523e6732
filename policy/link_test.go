package policy_test

import (
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
)

// TestSafeLinkJudgesTheDecodedScheme: a destination is judged as a browser
// (or a Markdown reader) decodes it, not as it is written.
func TestSafeLinkJudgesTheDecodedScheme(t *testing.T) {
	refused := map[string]string{
		"plain":                     "javascript:alert(1)",
		"mixed case":                "JaVaScRiPt:alert(1)",
		"hex character reference":   "java&#x73;cript:alert(1)",
		"decimal reference":         "&#106;avascript:alert(1)",
		"padded decimal reference":  "&#0000106;avascript:alert(1)",
		"named colon":               "javascript&colon;alert(1)",
		"reference without ;":       "&#106avascript:alert(1)",
		"percent-encoded letter":    "java%73cript:alert(1)",
		"percent-encoded colon":     "javascript%3Aalert(1)",
		"twice percent-encoded":     "javascript%253Aalert(1)",
		"percent then reference":    "javascript%26colon;alert(1)",
		"reference then percent":    "javascript&#37;3Aalert(1)",
		"tab in scheme":             "java\tscript:alert(1)",
		"newline in scheme":         "java\nscript:alert(1)",
		"NUL in scheme":             "java\x00script:alert(1)",
		"tab reference in scheme":   "java&Tab;script:alert(1)",
		"newline reference":         "java&NewLine;script:alert(1)",
		"leading space and control": " \x01javascript:alert(1)",
		"zero-width space":          "java\u200bscript:alert(1)",
		"backslash escape":          `javascript\:alert(1)`,
		"backslash inside scheme":   `java\script:alert(1)`,
		"vbscript":                  "vbscript:msgbox(1)",
		"data":                      "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
		"data image":                "data:image/svg+xml,<svg onload=alert(1)>",
		"file":                      "file:///etc/passwd",
		"ftp":                       "ftp://example.com/",
		"unknown scheme":            "x-app:open",
	}
	for name, dest := range refused {
		if policy.SafeLink(dest) {
			t.Errorf("%s: %q is judged safe", name, dest)
		}
	}
	allowed := []string{
		"https://example.com/privacy", "HTTP://example.com", "mailto:privacy@example.com", "tel:+862155550448",
		"policy.en.html#rights", "#contacts", "../v2/index.html", "/privacy", "//example.com/x",
		"?from=1&to=2", "page.html?q=a:b", "", "https://example.com/a%20b", `https:\\example.com`,
	}
	for _, dest := range allowed {
		if !policy.SafeLink(dest) {
			t.Errorf("%q is judged unsafe", dest)
		}
	}
}

// TestSafeLinkRefusesEndlessEncoding: a destination that keeps decoding
// into something new is not a link.
func TestSafeLinkRefusesEndlessEncoding(t *testing.T) {
	deep := "%" + strings.Repeat("25", 12) + "41" // twelve rounds to "A"
	if policy.SafeLink(deep) {
		t.Errorf("%q (decoding twelve times) is judged safe", deep)
	}
	if shallow := "%" + strings.Repeat("25", 3) + "41"; !policy.SafeLink(shallow) {
		t.Errorf("a relative destination decoding four times (%q) is judged unsafe", shallow)
	}
}

// TestURLFieldRefusesAnEncodedScheme: a model URL must be http or https
// as every reader decodes it.
func TestURLFieldRefusesAnEncodedScheme(t *testing.T) {
	for _, s := range []string{"javascript:alert(1)", "java&#x73;cript:alert(1)", "https://example.com/ok"} {
		_, err := policy.ParseURL(s)
		if (err == nil) != (s == "https://example.com/ok") {
			t.Errorf("ParseURL(%q): %v", s, err)
		}
	}
}
