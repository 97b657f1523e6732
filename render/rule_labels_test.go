package render_test

import (
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// TestEveryRuleIsSummarisedInChinese: each built-in rule has its summary
// in zh-CN (label rule.<id>), in Chinese, and the English labels leave it
// to the rule's own summary.
func TestEveryRuleIsSummarisedInChinese(t *testing.T) {
	zh, err := render.New().Labels("zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	en, err := render.New().Labels("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range append(policy.Rules, policy.FactChanged) {
		s := zh["rule."+r.ID]
		if s == "" || s == r.Summary || !strings.ContainsFunc(s, func(c rune) bool { return c >= 0x4e00 && c <= 0x9fff }) {
			t.Errorf("rule %s: zh-CN summary %q", r.ID, s)
		}
		if v, ok := en["rule."+r.ID]; ok {
			t.Errorf("rule %s: an English label %q would shadow the rule's own summary", r.ID, v)
		}
	}
}
