package render_test

import (
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// TestMonthDateIsPrintedAsAMonth checks that a policy dated only by its
// month is printed with the month, never as the first of the month.
func TestMonthDateIsPrintedAsAMonth(t *testing.T) {
	for _, c := range []struct{ example, locale, want, never string }{
		{"website", "en", "August 2025", "1 August 2025"},
		{"sdk-provider", "zh-CN", "2025年8月", "2025年8月1日"},
	} {
		p := loadExample(t, c.example)
		d, err := policy.ParseDate("2025-08")
		if err != nil {
			t.Fatal(err)
		}
		p.Updated, p.Effective = d, d
		docs, err := render.New().Compose(p, c.locale, render.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		md := string(docs[0].Markdown)
		if !strings.Contains(md, c.want) || strings.Contains(md, c.never) {
			t.Errorf("%s %s: want %q and never %q in:\n%s", c.example, c.locale, c.want, c.never, md[:min(len(md), 600)])
		}
	}
}
